#!/bin/bash
# Misaligned loads and stores done by the hart (Zicclsm): the matrix guest
# (tests/system/misaligned_guest.c: width x offset x page crossing x
# privilege x translation, each case checked against a model of the spec's
# rules) must pass on hartvm, with the fast paths and (S under Sv39 alone)
# with every access on the slow path (--no-fast-paths), and must give the same line for every
# configuration and instruction on qemu-system-riscv64 (-bios none) when
# built without the PMP-split pages (-DPMP_PAGES=0), where QEMU 7.2 checks
# PMP differently (see the guest's header).
# Usage: tests/system/misaligned.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=misaligned
. tests/system/lib/check.sh
need_hartvm
need "$RV_CC"

build() {
    rv_cc "$tmp/$1.elf" tests/system/misaligned_guest.c -march=rv64gc_zfh_zicsr_zifencei -O2 \
        -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -Wall -Wextra -Werror "${@:2}" ||
        give_up "cannot build the guest ($1)"
}
build full
build nopmp -DPMP_PAGES=0
build sv39 -DONLY_CONFIG=3          # S with Sv39 alone: the slow-path run is slow

# run TAG ELF CMD...: the guest's console in $tmp/TAG.out, status in st
run() {
    local tag=$1 elf=$2; shift 2
    timeout 120 "$@" -machine virt -cpu rv64,Zfh=true -bios none -kernel "$tmp/$elf.elf" -nographic </dev/null \
        2>"$tmp/$tag.err" | tr -d '\r' >"$tmp/$tag.out"
    st=${PIPESTATUS[0]}
}
# passes TAG [LINES]: exit 0, the closing line, and every configuration x
# instruction line ok (LINES of them, 130 by default: 5 configurations x 26)
passes() {
    check "$1: exit status 0 (got $st; $(grep -m1 FAIL "$tmp/$1.out"; tail -1 "$tmp/$1.err"))" test "$st" = 0
    check "$1: closing line" grep -Fxq "misaligned: all cases ok" "$tmp/$1.out"
    local lines
    lines=$(grep -Ec ' cases [0-9]+ hash 0x[0-9a-f]{16} ok 0$' "$tmp/$1.out")
    check "$1: ${2:-130} result lines ok (got $lines)" test "$lines" = "${2:-130}"
}

run fast full "$HARTVM" --timeout 60
passes fast
run slow sv39 "$HARTVM" --timeout 100 --no-fast-paths
passes slow 26
check "fast and slow paths give the same results" \
    cmp -s <(grep '^S-sv39 ' "$tmp/fast.out") <(grep '^S-sv39 ' "$tmp/slow.out")

run nopmp nopmp "$HARTVM" --timeout 60
passes nopmp
if command -v qemu-system-riscv64 >/dev/null; then
    run qemu nopmp qemu-system-riscv64
    passes qemu
    check "hartvm and qemu-system-riscv64 agree line by line ($(diff "$tmp/qemu.out" "$tmp/nopmp.out" | head -3 | tr '\n' ' '))" \
        cmp -s "$tmp/qemu.out" "$tmp/nopmp.out"
else
    bad "qemu-system-riscv64 missing (make deps): no side-by-side comparison"
fi
summary

#!/bin/bash
# Zfh and Zfhmin side by side with qemu-system-riscv64 (7.2): the guest
# (tests/system/zfh_guest.c) runs every instruction in every rounding mode,
# static and dynamic, on 3000 operand sets each (NaN-boxed or not) and
# prints a hash of the results and fflags per instruction and mode; hartvm
# and QEMU, both under -cpu rv64,Zfh=true, must print the same lines. (The
# values themselves are checked against MPFR by tests/system/fp_oracle.sh
# and against the spec by tests/isa/zfh.S.) Usage: zfh_qemu.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
NAME=zfh_qemu
show_passes=1
. tests/system/lib/check.sh
need_hartvm
need $QEMU "$RV_CC"

rv_cc "$tmp/zfh.elf" tests/system/zfh_guest.c -march=rv64gc_zfh_zicsr -O2 -ffreestanding \
    -fno-builtin -Wall -Wextra -Werror || give_up "cannot build tests/system/zfh_guest.c"
# run OUT EMULATOR...: the guest's console in $tmp/OUT, the exit status in st
run() {
    local out=$1; shift
    timeout 300 "$@" -machine virt -cpu rv64,Zfh=true -bios none -kernel "$tmp/zfh.elf" -nographic \
        </dev/null 2>"$tmp/$out.err" | tr -d '\r' >"$tmp/$out"
    st=${PIPESTATUS[0]}
}
run hartvm.out "$HARTVM" --timeout 240
[ "$st" = 0 ] && ok "hartvm: the guest ends with a pass" || bad "hartvm: exit $st ($(tail -1 "$tmp/hartvm.out.err"))"
run qemu.out $QEMU
[ "$st" = 0 ] && ok "QEMU: the guest ends with a pass" || bad "QEMU: exit $st"
# 19 instructions with a rounding mode (5 static modes and dyn), 13 without
lines=$(grep -cE '^[a-z.]+ (rne|rtz|rdn|rup|rmm|dyn) [0-9a-f]{16}$' "$tmp/hartvm.out")
[ "$lines" = $((19 * 6 + 13)) ] && ok "hartvm: $lines instruction x mode lines" ||
    bad "hartvm: $lines instruction x mode lines, want $((19 * 6 + 13))"
while read -r insn rm hash; do
    [ "$insn" = zfh-guest: ] && continue
    q=$(awk -v i="$insn" -v r="$rm" '$1 == i && $2 == r { print $3 }' "$tmp/qemu.out")
    [ -n "$q" ] && [ "$q" = "$hash" ] && ok "$insn $rm: as on QEMU" ||
        bad "$insn $rm: hartvm $hash, QEMU ${q:-nothing}"
done < "$tmp/hartvm.out"
summary

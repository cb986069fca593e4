#!/bin/bash
# -device loader (QEMU's generic loader) against qemu-system-riscv64 (7.2),
# with guests of our own that report through the test finisher: an ELF at
# its addresses, cpu-num starting a hart at the entry (no boot ROM block
# in -d in_asm), a raw image at addr=, force-raw=on, data= with data-len=
# and data-be= (QEMU 7.2 writes the first data-len bytes of the value as a
# big-endian 64-bit number), addr= with cpu-num= on one hart of two; overlapping loaders
# and a missing hart are errors on both, a loader image over the firmware
# or the kernel is not (QEMU 7.2 compares loader images only with each
# other). Then hartvm's own refusals: a raw file without addr= (QEMU
# loads it at 0), bad properties.
# Usage: tests/system/loader.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
NAME=loader
. tests/system/lib/check.sh
need_hartvm
need $QEMU "$RV_CC"

guest() { cat >"$tmp/$1.S" && rv_cc "$tmp/$1.elf" "$tmp/$1.S" || bad "assembling $1"; }
# both WHAT WANT ARGS...: the same command line on each; both exit WANT
both() {
    local what=$1 want=$2; shift 2
    timeout 30 "$HARTVM" -nographic "$@" </dev/null >"$tmp/h.out" 2>"$tmp/h.err"
    h_rc=$?
    timeout 30 $QEMU -M virt -nographic "$@" </dev/null >"$tmp/q.out" 2>"$tmp/q.err"
    q_rc=$?
    [ "$h_rc" = "$want" ] && [ "$q_rc" = "$want" ] && ok "$what (status $want on both)" ||
        bad "$what: hartvm $h_rc, QEMU $q_rc, want $want: $(head -2 "$tmp/h.err")"
}
# ours WHAT WANT REGEX ARGS...: hartvm alone exits WANT with REGEX on stderr
ours() {
    local what=$1 want=$2 re=$3; shift 3
    timeout 30 "$HARTVM" -nographic "$@" </dev/null >/dev/null 2>"$tmp/h.err"
    local rc=$?
    [ "$rc" = "$want" ] && grep -Eq -- "$re" "$tmp/h.err" && ok "$what" ||
        bad "$what: status $rc (want $want), $(cat "$tmp/h.err")"
}

# pass: the test finisher's pass, from its first instruction on
guest pass <<'EOF'
.globl _start
_start:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
EOF
# byte: fails with code = the byte at 0x80100000 (passes when it is 0)
guest byte <<'EOF'
.globl _start
_start:
    li t0, 0x80100000
    lbu t2, 0(t0)
    li t0, 0x100000
    li t1, 0x5555
    beqz t2, 1f
    slli t2, t2, 16             /* (code << 16) | 0x3333 */
    li t1, 0x3333
    or t1, t1, t2
1:  sw t1, 0(t0)
2:  j 2b
EOF
# start: from the boot ROM it fails (code 3); started at 'good' it passes;
# with -smp 2, hart 1 must start at 'h1' and set the flag hart 0 waits for
guest start <<'EOF'
.globl _start
_start:
    j bad
good:
    csrr t0, mhartid
    bnez t0, bad
    la t1, flag
    li t2, 0
    li t3, 20000000
1:  lw t2, 0(t1)
    bnez t2, pass
    addi t3, t3, -1
    bnez t3, 1b
bad:
    li t0, 0x100000
    li t1, (3 << 16) | 0x3333
    sw t1, 0(t0)
2:  j 2b
pass:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
3:  j 3b
h1:
    la t1, flag
    li t2, 1
    sw t2, 0(t1)
4:  wfi
    j 4b
    .data
flag: .word 0
EOF
good=$(riscv64-unknown-elf-nm "$tmp/start.elf" | awk '$3 == "good" { print "0x" $1 }')
h1=$(riscv64-unknown-elf-nm "$tmp/start.elf" | awk '$3 == "h1" { print "0x" $1 }')
riscv64-unknown-elf-objcopy -O binary "$tmp/pass.elf" "$tmp/pass.bin"

both "an ELF at its addresses" 0 -bios none -device "loader,file=$tmp/pass.elf"
both "cpu-num=0: the hart starts at the ELF's entry" 0 -bios none \
    -device "loader,file=$tmp/pass.elf,cpu-num=0" -d in_asm -D "$tmp/h.log"
grep -m1 '^0x' "$tmp/h.log" | grep -q '^0x0000000080000000:' && ok "cpu-num=0: no boot ROM block first" ||
    bad "cpu-num=0: first block $(grep -m1 '^0x' "$tmp/h.log")"
both "a raw image at addr=" 0 -bios none -device "loader,file=$tmp/pass.bin,addr=0x80000000"
both "force-raw=on: the ELF's own bytes (0x7f first)" 127 -bios none -kernel "$tmp/byte.elf" \
    -device "loader,file=$tmp/pass.elf,addr=0x80100000,force-raw=on"
both "data=0x1234,data-len=2: little-endian" $((0x34)) -bios none -kernel "$tmp/byte.elf" \
    -device loader,addr=0x80100000,data=0x1234,data-len=2
both "data-be=on: the value's big-endian 64 bits, the first data-len of them" $((0x12)) -bios none \
    -kernel "$tmp/byte.elf" -device loader,addr=0x80100000,data=0x1234000000000000,data-len=2,data-be=on
both "the start guest fails from the boot ROM" 3 -bios none -kernel "$tmp/start.elf"
both "addr= with cpu-num=0 starts hart 0 there, hart 1 through the ROM... alone" 3 -bios none \
    -kernel "$tmp/start.elf" -device "loader,addr=$good,cpu-num=0" -smp 2
both "and with cpu-num=1 at its own address, hart 1 as well" 0 -bios none -kernel "$tmp/start.elf" \
    -device "loader,addr=$good,cpu-num=0" -device "loader,addr=$h1,cpu-num=1" -smp 2
both "loaders that overlap: an error" 1 -bios none -device "loader,file=$tmp/pass.elf" \
    -device "loader,file=$tmp/pass.bin,addr=0x80000004"
grep -q "overlaps" "$tmp/h.err" && ok "the overlap message names it" || bad "overlap: $(cat "$tmp/h.err")"
both "cpu-num of a hart that does not exist: an error" 1 -bios none \
    -device "loader,file=$tmp/pass.elf,cpu-num=3"

both "an image over the default firmware replaces it, as QEMU's check lets it" 0 \
    -device "loader,file=$tmp/pass.elf"
both "an image over the kernel replaces it too" 0 -bios none -kernel "$tmp/byte.elf" \
    -device "loader,file=$tmp/pass.bin,addr=0x80000000"
both "the firmware over the kernel is still refused" 1 -kernel "$tmp/pass.elf"
ours "a raw file without addr=: an error" 1 'not an ELF file, so addr= is needed' -bios none \
    -device "loader,file=$tmp/pass.bin"
ours "data= without data-len=: a usage error" 2 'both data and data-len' -bios none \
    -device loader,addr=0x80000000,data=1
ours "data-len=9: a usage error" 2 'data-len=9: bad value' -bios none \
    -device loader,addr=0x80000000,data=1,data-len=9
ours "file= with data=: a usage error" 2 'specifying a file is not supported' -bios none \
    -device "loader,file=$tmp/pass.elf,data=1,data-len=1"
ours "an unknown property: a usage error" 2 'bogus=1: no such property' -bios none \
    -device "loader,file=$tmp/pass.elf,bogus=1"
"$HARTVM" -device help >"$tmp/dh" 2>&1
$QEMU -M virt -device help 2>&1 | grep '^name "loader"' >"$tmp/qdh"
grep -qxF "$(cat "$tmp/qdh")" "$tmp/dh" && grep -q '^Misc devices:$' "$tmp/dh" &&
    ok "-device help lists the loader as QEMU does" || bad "-device help: $(cat "$tmp/dh")"

summary

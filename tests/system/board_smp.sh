#!/bin/bash
# SMP on the board, with a bare-metal probe built here (-bios none: every
# hart starts at the probe's entry from the boot ROM):
#  1. N harts increment one counter with LR/SC ITER times each: the total
#     is exact (a reservation never survives another hart's store).
#  2. Hart 0 wakes every other hart from wfi with a CLINT msip IPI.
#  3. The same run twice under -icount gives the same instruction counts.
#  4. Behind OpenSBI, SBI HSM starts the secondary harts (see below).
# Exit codes of the probe: 0 pass, 1 counter wrong, 2 IPI never arrived.
# Usage: board_smp.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
LINK_LD=$(dirname "$0")/../isa/link.ld
NAME=board_smp
. "$(dirname "$0")/lib/check.sh"

cat >"$tmp/smp.S" <<'ASM'
    .globl _start
_start:
    csrr a0, mhartid
    la s0, counter
    li s1, ITER
1:  lr.w t0, (s0)
    addi t0, t0, 1
    sc.w t1, t0, (s0)
    bnez t1, 1b
    addi s1, s1, -1
    bnez s1, 1b
    la s2, done
    li t0, 1
    amoadd.w zero, t0, (s2)
    bnez a0, secondary
2:  lw t0, (s2)                 /* hart 0: wait for everyone */
    li t1, NHARTS
    bne t0, t1, 2b
    lw t0, (s0)
    li t1, NHARTS * ITER
    li a1, 1
    bne t0, t1, fail
    li t2, 0x2000000            /* IPI to harts 1..N-1 */
    li t3, 1
    li t4, 1
3:  li t1, NHARTS
    bge t3, t1, 4f
    slli t5, t3, 2
    add t5, t5, t2
    sw t4, 0(t5)
    addi t3, t3, 1
    j 3b
4:  la s3, woken
    li s4, 2000000              /* give up after this many polls */
5:  lw t0, (s3)
    li t1, NHARTS - 1
    beq t0, t1, pass
    addi s4, s4, -1
    bnez s4, 5b
    li a1, 2
    j fail
secondary:
    li t0, 8
    csrs mie, t0                /* MSIE; mstatus.MIE = 0: wfi wakes, no trap */
6:  wfi
    csrr t0, mip
    andi t0, t0, 8
    beqz t0, 6b
    li t1, 0x2000000            /* clear our own msip */
    slli t2, a0, 2
    add t1, t1, t2
    sw zero, 0(t1)
    la t3, woken
    li t4, 1
    amoadd.w zero, t4, (t3)
7:  wfi
    j 7b
pass:
    li t0, 0x5555
    j finish
fail:
    slli t0, a1, 16
    li t1, 0x3333
    or t0, t0, t1
finish:
    li t1, 0x100000
    sw t0, 0(t1)
8:  j 8b
    .data
    .align 3
counter: .word 0
done:    .word 0
woken:   .word 0
ASM

for n in 2 4 8; do
    elf=$tmp/smp$n.elf
    if ! riscv64-unknown-elf-gcc -nostdlib -nostartfiles -static -march=rv64imac_zicsr -mabi=lp64 \
            -Wl,--no-relax -T "$LINK_LD" -DNHARTS=$n -DITER=200000 "$tmp/smp.S" -o "$elf" 2>"$tmp/cc"; then
        check "-smp $n: cross-compiler failed: $(head -1 "$tmp/cc")" false; continue
    fi
    $HARTVM -bios none -smp $n --timeout 30 -kernel "$elf" </dev/null 2>"$tmp/err"
    rc=$?
    check "-smp $n: probe exit $rc (1: LR/SC lost updates, 2: no IPI)" test $rc = 0
    for run in 1 2; do
        $HARTVM -bios none -smp $n -icount shift=2 --stats --timeout 30 -kernel "$elf" </dev/null 2>"$tmp/st$run"
        grep -E "^hartvm: hart [0-9]+: [0-9]+ instructions" "$tmp/st$run" >"$tmp/c$run"
    done
    check "-smp $n -icount: same per-hart counts twice" \
        bash -c "[ \$(wc -l <'$tmp/c1') = $n ] && cmp -s '$tmp/c1' '$tmp/c2'"
done

# 4. Behind OpenSBI: an S-mode payload (-kernel) on the boot hart starts
#    every other hart through SBI HSM (hart_start), each started hart
#    checks its a0/a1 and counts itself in, and the payload powers off
#    through SBI system reset (syscon-poweroff): exit 0. A hart that never
#    starts leaves the run to --timeout (exit 124).
cat >"$tmp/hsm.ld" <<'LD'
OUTPUT_ARCH(riscv)
ENTRY(_start)
SECTIONS { . = 0x80200000; .text : { *(.text*) } .data : { *(.data*) } }
LD
cat >"$tmp/hsm.S" <<'ASM'
    .globl _start
_start:                         /* a0 = boot hart id, a1 = DTB */
    mv s0, a0
    li s1, 0                    /* hart to start next */
1:  li t0, NHARTS
    bge s1, t0, 3f
    beq s1, s0, 2f
    mv a0, s1
    la a1, secondary
    li a2, 0x1234               /* opaque: arrives in a1 */
    li a7, 0x48534d             /* HSM */
    li a6, 0                    /* hart_start */
    ecall
    bnez a0, fail
2:  addi s1, s1, 1
    j 1b
3:  la t0, started              /* wait for NHARTS-1 */
4:  lw t1, (t0)
    li t2, NHARTS - 1
    bne t1, t2, 4b
    li a7, 0x53525354           /* SRST: shutdown, no reason */
    li a6, 0
    li a0, 0
    li a1, 0
    ecall
5:  j 5b
secondary:                      /* a0 = own hart id, a1 = opaque */
    li t0, 0x1234
    bne a1, t0, 6f
    la t0, started
    li t1, 1
    amoadd.w zero, t1, (t0)
6:  wfi
    j 6b
fail:
    j fail
    .data
    .align 3
started: .word 0
ASM
for n in 2 4 8; do
    if riscv64-unknown-elf-gcc -nostdlib -nostartfiles -static -march=rv64imac_zicsr -mabi=lp64 \
            -Wl,--no-relax -T "$tmp/hsm.ld" -DNHARTS=$n "$tmp/hsm.S" -o "$tmp/hsm$n.elf" 2>"$tmp/cc"; then
        $HARTVM -nographic -smp $n --timeout 20 -kernel "$tmp/hsm$n.elf" </dev/null >"$tmp/hsm.out" 2>&1
        rc=$?
        check "-smp $n: OpenSBI HSM starts the other harts, SBI reset powers off (exit $rc)" test $rc = 0
    else
        check "-smp $n: cross-compiler failed: $(head -1 "$tmp/cc")" false
    fi
done

summary

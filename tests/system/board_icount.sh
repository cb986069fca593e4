#!/bin/bash
# -icount shift=N: time comes from the instruction count.
#  1. Two runs of OpenSBI + U-Boot with -smp 2 and --max-insns print
#     byte-identical console output and the same per-hart instruction counts.
#  2. A bare-metal probe (built here) sees time == (instret << N) / 100
#     (QEMU's meaning: an instruction is 2^N ns, mtime counts 100 ns); a wfi on
#     a timer jumps time to the deadline without running instructions; with
#     menvcfg.STCE, stimecmp raises and lowers mip.STIP (Sstc); the RTC
#     reads 2025-01-01 plus the virtual time (not the host's clock).
#  3. --max-insns stops with 125 and a message.
#  4. Side by side with qemu-system-riscv64: the ticks a 2002-instruction
#     loop takes at shift 0, 3, 5 and 7 agree within one.
#  5. align=on: a guest that would run ahead of 2^N ns an instruction is
#     held to it (1M instructions at shift=10 take at least ~1 s; without
#     align far less); one that cannot keep up is warned to be late.
# Usage: board_icount.sh BUILD_DIR
set -u
BUILD=${1:-build}
LINK_LD=$(dirname "$0")/../isa/link.ld
HARTVM=$BUILD/hartvm
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
NAME=board_icount
. "$(dirname "$0")/lib/check.sh"

# 1. determinism
for run in 1 2; do
    $HARTVM -nographic -smp 2 -icount shift=7 --max-insns 150000000 --stats --timeout 60 \
        -kernel "$UBOOT" </dev/null >"$tmp/out$run" 2>"$tmp/err$run"
    echo $? >"$tmp/rc$run"
    grep -E "^hartvm: hart [0-9]+: [0-9]+ instructions retired$" "$tmp/err$run" >"$tmp/count$run"
done
check "--max-insns exits 125 (got $(cat "$tmp/rc1"))" test "$(cat "$tmp/rc1")" = 125
check "--max-insns says so" grep -q "instruction limit of 150000000 reached" "$tmp/err1"
check "the guest got to U-Boot's prompt" grep -q "=> " "$tmp/out1"
check "identical console output" cmp -s "$tmp/out1" "$tmp/out2"
check "per-hart counts printed for 2 harts" test "$(wc -l <"$tmp/count1")" = 2
check "identical per-hart instruction counts" cmp -s "$tmp/count1" "$tmp/count2"

# 2. the probe: exit code 0 = pass, else the failing check's number.
cat >"$tmp/probe.S" <<'ASM'
    .globl _start
_start:
    csrr t0, time
    csrr t1, instret
    slli t2, t1, SHIFT
    li t3, 100
    divu t2, t2, t3             /* (instret << N) / 100 ns a tick */
    sub t3, t2, t0              /* - time: a few ticks at most */
    li a0, 1
    li t4, 8
    bltu t4, t3, fail
    csrr t0, time               /* timer 100000 ticks ahead, then wfi */
    li t1, 100000
    add s0, t0, t1
    li t2, 0x2004000
    sd s0, 0(t2)
    li t3, 0x80
    csrs mie, t3                /* MTIE; mstatus.MIE stays 0: wfi just returns */
    csrr s1, instret
    wfi
    csrr t0, time
    csrr t1, instret
    li a0, 2
    bltu t0, s0, fail           /* woke before the deadline */
    sub t1, t1, s1
    li a0, 3
    li t4, 16
    bltu t4, t1, fail           /* the wait ran instructions */
    li t0, 1                    /* Sstc: menvcfg.STCE, then stimecmp */
    slli t0, t0, 63
    csrs menvcfg, t0
    csrr t0, time
    li t1, 50000
    add s0, t0, t1
    csrw stimecmp, s0
    csrr t2, mip
    andi t2, t2, 0x20
    li a0, 4
    bnez t2, fail               /* STIP before stimecmp */
    li t3, 0x80
    csrc mie, t3                /* MTIP is still pending: mask it */
    li t3, 0x20
    csrs mie, t3                /* STIE */
    wfi
    csrr t0, time
    li a0, 5
    bltu t0, s0, fail           /* woke early */
    csrr t2, mip
    andi t2, t2, 0x20
    li a0, 6
    beqz t2, fail               /* STIP not raised */
    li t0, -1
    csrw stimecmp, t0
    csrr t2, mip
    andi t2, t2, 0x20
    li a0, 7
    bnez t2, fail               /* STIP not lowered */
    li t0, 0x101000             /* goldfish RTC: a fixed date under -icount */
    lwu t1, 0(t0)
    lwu t2, 4(t0)
    slli t2, t2, 32
    or t1, t1, t2
    li t3, 1000000000
    divu t1, t1, t3
    li t3, 1735689600           /* 2025-01-01 00:00:00 UTC */
    sub t1, t1, t3
    li a0, 8
    li t4, 60
    bgeu t1, t4, fail           /* not within a minute of it */
    li t5, 0x100000
    li t6, 0x5555
    sw t6, 0(t5)
1:  j 1b
fail:
    slli a0, a0, 16
    li t6, 0x3333
    or a0, a0, t6
    li t5, 0x100000
    sw a0, 0(t5)
2:  j 2b
ASM
for shift in 0 3 7; do
    if riscv64-unknown-elf-gcc -nostdlib -nostartfiles -static -march=rv64imac_zicsr -mabi=lp64 \
            -Wl,--no-relax -T "$LINK_LD" -DSHIFT=$shift "$tmp/probe.S" -o "$tmp/probe$shift.elf" 2>"$tmp/cc"; then
        $HARTVM -bios none -icount shift=$shift --timeout 10 -kernel "$tmp/probe$shift.elf" </dev/null 2>/dev/null
        rc=$?
        check "probe shift=$shift: exit $rc (1: time != (instret << N) / 100, 2: early wake, 3: wait ran code, 4-7: Sstc, 8: RTC)" test $rc = 0
    else
        check "probe shift=$shift: cross-compiler failed: $(head -1 "$tmp/cc")" false
    fi
done

# 4. the loop's ticks beside QEMU's: exit code = ticks >> K via the
# finisher, K chosen so that the figure (about 160) fits in a byte
cat >"$tmp/loop.S" <<'ASM'
    .globl _start
_start:
    rdtime t0
    li t1, 1000
1:  addi t1, t1, -1
    bnez t1, 1b
    rdtime t2
    sub a0, t2, t0
    srli a0, a0, K
    slli a0, a0, 16
    li t4, 0x3333
    or a0, a0, t4
    li t5, 0x100000
    sw a0, 0(t5)
2:  j 2b
ASM
for sk in 0:0 3:0 5:2 7:4; do
    shift=${sk%:*} k=${sk#*:}
    if riscv64-unknown-elf-gcc -nostdlib -nostartfiles -static -march=rv64imac_zicsr -mabi=lp64 \
            -Wl,--no-relax -T "$LINK_LD" -DK=$k "$tmp/loop.S" -o "$tmp/loop.elf" 2>"$tmp/cc" &&
            command -v qemu-system-riscv64 >/dev/null; then
        $HARTVM -bios none -icount shift=$shift --timeout 10 -kernel "$tmp/loop.elf" </dev/null 2>/dev/null
        h=$?
        timeout 20 qemu-system-riscv64 -M virt -bios none -icount shift=$shift -nographic \
            -kernel "$tmp/loop.elf" </dev/null >/dev/null 2>&1
        q=$?
        d=$(( h > q ? h - q : q - h ))
        check "shift=$shift: the loop takes $h << $k ticks here, $q << $k on QEMU (within 1)" \
            test $d -le 1 -a $h -gt 10
    else
        check "loop beside QEMU: no cross-compiler or QEMU: $(head -1 "$tmp/cc")" false
    fi
done

# 5. align=on
cat >"$tmp/spin.S" <<'ASM'
    .globl _start
_start:
    li t1, COUNT
    li t0, 0x200bff8            /* mtime: a device read each turn, so no host */
1:  ld t2, 0(t0)                /* runs an instruction in 1 ns (shift=0) */
    addi t1, t1, -1
    bnez t1, 1b
    li t5, 0x100000
    li t6, 0x5555
    sw t6, 0(t5)
2:  j 2b
ASM
ms() { echo $(( $(date +%s%N) / 1000000 )); }
riscv64-unknown-elf-gcc -nostdlib -nostartfiles -static -march=rv64imac_zicsr -mabi=lp64 -Wl,--no-relax \
    -T "$LINK_LD" -DCOUNT=333333 "$tmp/spin.S" -o "$tmp/spin1m.elf" &&
riscv64-unknown-elf-gcc -nostdlib -nostartfiles -static -march=rv64imac_zicsr -mabi=lp64 -Wl,--no-relax \
    -T "$LINK_LD" -DCOUNT=2000000000 "$tmp/spin.S" -o "$tmp/spinlong.elf" || give_up "cannot build spin.S"
t0=$(ms); $HARTVM -bios none -icount shift=10,align=on --timeout 20 -kernel "$tmp/spin1m.elf" </dev/null 2>/dev/null
rc=$?; t1=$(ms)
$HARTVM -bios none -icount shift=10 --timeout 20 -kernel "$tmp/spin1m.elf" </dev/null 2>/dev/null
rc2=$?; t2=$(ms)
check "align=on: 1M instructions at 1024 ns each take $((t1 - t0)) ms (>= 950), exit $rc" \
    test $rc = 0 -a $((t1 - t0)) -ge 950
check "without align: the same take $((t2 - t1)) ms (< 950), exit $rc2" test $rc2 = 0 -a $((t2 - t1)) -lt 950
$HARTVM -bios none -icount shift=0,align=on --timeout 3 -kernel "$tmp/spinlong.elf" </dev/null 2>"$tmp/late"
check "align=on at 1 ns an instruction: the guest is said to be late ($(grep -c late "$tmp/late") lines)" \
    grep -Eq "warning: the guest is now late by [1-9][0-9.]* to [0-9.]+ seconds" "$tmp/late"

summary

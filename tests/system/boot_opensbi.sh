#!/bin/bash
# Debian's OpenSBI (fw_dynamic, the default -bios) on our board: its banner
# names the virt platform, counts the harts of -smp 1 and 4, lists them all
# in domain 0 and reports the base ISA and extensions our device tree and
# misa announce. Also: --timeout exits 124 with a message.
# Usage: boot_opensbi.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=boot_opensbi
. "$(dirname "$0")/lib/check.sh"

has() { grep -qE "$2" "$1"; }

for n in 1 4; do
    log=$tmp/smp$n.log
    # No kernel: OpenSBI prints its banner, then jumps to an empty 0x80200000.
    $HARTVM -nographic -smp $n --timeout 5 </dev/null >"$log.raw" 2>"$tmp/err"
    rc=$?
    tr -d '\r' <"$log.raw" >"$log"
    check "-smp $n: --timeout exits 124 (got $rc)" test $rc -eq 124
    check "-smp $n: timeout message" has "$tmp/err" "timeout after 5 s"
    check "-smp $n: OpenSBI banner" has "$log" "^OpenSBI v[0-9]+\.[0-9]+"
    check "-smp $n: platform name" has "$log" "^Platform Name +: riscv-virtio,qemu$"
    check "-smp $n: hart count" has "$log" "^Platform HART Count +: $n$"
    harts=$(seq -s, 0 $((n - 1)) | sed 's/\([0-9]\+\)/\1*/g')
    check "-smp $n: domain 0 harts $harts" has "$log" "^Domain0 HARTs +: ${harts//\*/\\*}$"
    check "-smp $n: next stage at 0x80200000 in S-mode" \
        bash -c "grep -qE '^Domain0 Next Address +: 0x0*80200000$' '$log' && grep -qE '^Domain0 Next Mode +: S-mode$' '$log'"
    # The device tree OpenSBI was given sits where a1 pointed: 2 MiB below the top of RAM.
    check "-smp $n: device tree address" has "$log" "^Domain0 Next Arg1 +: 0x0*87e00000$"
    # Base ISA as misa says (the riscv,isa prefix of our device tree).
    $HARTVM -smp $n --dump-dtb "$tmp/t.dtb" </dev/null
    isa=$(fdtget "$tmp/t.dtb" /cpus/cpu@0 riscv,isa 2>/dev/null | cut -d_ -f1)
    check "-smp $n: base ISA $isa" has "$log" "^Boot HART Base ISA +: ${isa:-none}$"
    check "-smp $n: Sstc and time found" has "$log" "^Boot HART ISA Extensions +: .*time.*sstc|^Boot HART ISA Extensions +: .*sstc.*time"
    check "-smp $n: timer and IPI devices" \
        bash -c "grep -qE '^Platform Timer Device +: aclint-mtimer @ 10000000Hz$' '$log' && grep -qE '^Platform IPI Device +: aclint-mswi$' '$log'"
    check "-smp $n: console on the 8250" has "$log" "^Platform Console Device +: uart8250$"
done

# -serial file:PATH takes the console; stdout stays empty.
$HARTVM -nographic -serial "file:$tmp/serial.raw" --timeout 3 </dev/null >"$tmp/stdout" 2>/dev/null
tr -d '\r' <"$tmp/serial.raw" >"$tmp/serial"
check "-serial file: banner in the file" has "$tmp/serial" "^Platform Name +: riscv-virtio,qemu$"
check "-serial file: nothing on stdout" test ! -s "$tmp/stdout"
# A (sub-)option accepted for compatibility but not acted on says so.
$HARTVM -nographic --timeout 1 -icount auto </dev/null >/dev/null 2>"$tmp/err"
check "-icount shift=auto accepted and said to be not honoured" \
    grep -q -- "-icount shift=auto accepted but not honoured" "$tmp/err"

summary

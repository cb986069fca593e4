#!/bin/bash
# Disk throughput inside Linux, hartvm beside QEMU: bench/disk.sh HARTVM LINUX_DIR
#
# The default guest's kernel and initramfs (LINUX_DIR), 2 harts, 256M, with
# one 256 MiB disk on virtio-blk-device, raw or a fresh qcow2 (qemu-img
# create: its clusters are allocated by the first writes), on hartvm and on
# qemu-system-riscv64 -M virt with the same command line. In the guest:
#   seq write   busybox dd if=/dev/zero of=/dev/vda bs=1M count=SIZE_MB oflag=direct
#   seq read    busybox dd if=/dev/vda of=/dev/null bs=1M count=SIZE_MB iflag=direct
#   rand write  bench/rio.c: OPS pwrites of 4 KiB at random aligned offsets, O_DIRECT
#   rand read   the same with preads
# (dd's own rate, with its unit, and rio's ops/s: both by the guest's clock). rio is built
# static with riscv64-linux-gnu-gcc and appended to the initramfs as a
# second cpio archive. Nothing is asserted; "?" marks a figure a run missed.
# Environment: QEMU, SIZE_MB (default 64), OPS (default 2000), DRIVE_OPTS
# (appended to -drive, e.g. ",cache=none,aio=io_uring"), TIMEOUT (default 300).
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 HARTVM LINUX_DIR" >&2
    exit 2
fi
HV=$1 L=$2
NAME=bench-disk
qemu=${QEMU:-qemu-system-riscv64}
size_mb=${SIZE_MB:-64}
ops=${OPS:-2000}
tmo=${TIMEOUT:-300}
dopts=${DRIVE_OPTS:-}
. "$(dirname "$0")/../tests/system/lib/console.sh"
for t in "$qemu" riscv64-linux-gnu-gcc cpio qemu-img; do
    command -v "$t" >/dev/null || { echo "$NAME: $t not found" >&2; exit 1; }
done
for f in Image initramfs.cpio; do
    [ -f "$L/$f" ] || { echo "$NAME: $L/$f missing (make linux)" >&2; exit 1; }
done
mkdir -p "$tmp/root/bin"
riscv64-linux-gnu-gcc -O2 -static -Wall -Wextra -o "$tmp/root/bin/rio" "$(dirname "$0")/rio.c" || exit 1
(cd "$tmp/root" && printf 'bin\nbin/rio\n' | cpio -o -H newc --quiet) >"$tmp/rio.cpio"
cat "$L/initramfs.cpio" "$tmp/rio.cpio" >"$tmp/bench.cpio"
sh_prompt='[/~] # $'

# cmd TEXT REGEX: type TEXT, print the first capture of REGEX in the output (or ?)
cmd() {
    type_line "$1"
    if wait_for "$2" "$tmo"; then
        tail -c +$((mark + 1)) "$log" | tr -d '\r' | grep -oE "$2" | head -1 | sed -E "s#$2#\\1#"
    else
        echo "?"
    fi
    wait_for "$sh_prompt" "$tmo" >/dev/null
}

declare -A fig
for fmt in raw qcow2; do
    for emu in hartvm qemu; do
        img=$tmp/disk.$fmt
        rm -f "$img"
        qemu-img create -q -f "$fmt" "$img" 256M
        if [ $emu = qemu ]; then HARTVM="$qemu -M virt"; else HARTVM=$HV; fi
        start -smp 2 -m 256M -kernel "$L/Image" -initrd "$tmp/bench.cpio" -append console=ttyS0 \
            -drive "file=$img,format=$fmt,if=none,id=hd0$dopts" -device virtio-blk-device,drive=hd0
        if ! wait_for "$sh_prompt" "$tmo"; then
            echo "$NAME: $emu $fmt: no shell prompt" >&2
            finish 5
            continue
        fi
        k=$emu-$fmt
        fig[$k-sw]=$(cmd "dd if=/dev/zero of=/dev/vda bs=1M count=$size_mb oflag=direct" 'seconds, ([0-9.]+[kMG]?B/s)')
        fig[$k-sr]=$(cmd "dd if=/dev/vda of=/dev/null bs=1M count=$size_mb iflag=direct" 'seconds, ([0-9.]+[kMG]?B/s)')
        for rw in w r; do
            s=$(cmd "rio $rw /dev/vda $ops" "ops ([0-9.]+) seconds")
            fig[$k-r$rw]=$(awk -v n="$ops" -v s="$s" 'BEGIN { if (s + 0 > 0) printf "%.0f", n / s; else print "?" }')
        done
        type_line poweroff
        finish 60
    done
done
HARTVM=$HV
printf '%-28s %12s %12s %12s %12s\n' "disk (guest clock)" hartvm-raw qemu-raw hartvm-qcow2 qemu-qcow2
for row in "sw:seq write 1M" "sr:seq read 1M" "rw:rand write 4K, ops/s" "rr:rand read 4K, ops/s"; do
    t=${row%%:*}
    printf '%-28s %12s %12s %12s %12s\n' "${row#*:}" "${fig[hartvm-raw-$t]:-?}" "${fig[qemu-raw-$t]:-?}" \
        "${fig[hartvm-qcow2-$t]:-?}" "${fig[qemu-qcow2-$t]:-?}"
done

#!/bin/bash
# Debian's U-Boot (qemu-riscv64_smode) as -kernel behind OpenSBI: it
# reaches its prompt; `version` and `bdinfo` typed on stdin are answered
# (bdinfo shows the -m size and the device tree); `poweroff` ends the run
# with status 0 through syscon-poweroff; `reset` reboots (the banner comes
# again) and with -no-reboot exits 0; Ctrl-A x quits. With -smp 2 too.
# Usage: boot_uboot.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
NAME=boot_uboot
. "$(dirname "$0")/lib/console.sh"
prompt='(^|\n)=> $|=> $'

for smp in 1 2; do
    t0=$(date +%s.%N)
    start --timeout 60 -m 256M -smp $smp -kernel "$UBOOT"
    check "smp $smp: OpenSBI hands over to U-Boot" wait_for "^U-Boot 20[0-9.]+" 30
    check "smp $smp: U-Boot prompt" wait_for "$prompt" 60
    t1=$(date +%s.%N)
    echo "$NAME: smp $smp: prompt after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
    type_line version
    check "smp $smp: version answers" wait_for "^U-Boot 20[0-9]{2}\.[0-9]{2}.*\(.*\)$" 10
    check "smp $smp: version names the toolchain" wait_for "GNU ld" 10
    check "smp $smp: prompt after version" wait_for "$prompt" 10
    type_line bdinfo
    check "smp $smp: bdinfo DRAM start" wait_for "^-> start += 0x0*80000000$" 10
    check "smp $smp: bdinfo DRAM size = -m 256M" wait_for "^-> size += 0x0*10000000$" 10
    check "smp $smp: bdinfo device tree" wait_for "^fdt_blob += 0x[0-9a-f]+$" 10
    check "smp $smp: prompt after bdinfo" wait_for "$prompt" 10
    type_line poweroff
    finish 10
    check "smp $smp: poweroff exits 0 (got $rc)" test "$rc" = 0
done

# reset: a reboot runs OpenSBI again; with -no-reboot it ends the run.
start --timeout 60 -kernel "$UBOOT"
wait_for "$prompt" 60
type_line reset
check "reset reboots into OpenSBI" wait_for "^Platform Name +: riscv-virtio,qemu" 20
check "U-Boot again after reset" wait_for "$prompt" 60
finish 0; kill "$pid" 2>/dev/null
start --timeout 60 -no-reboot -kernel "$UBOOT"
wait_for "$prompt" 60
type_line reset
finish 10
check "reset with -no-reboot exits 0 (got $rc)" test "$rc" = 0

# Ctrl-A x quits with status 0; Ctrl-A h prints help.
start --timeout 60 -kernel "$UBOOT"
wait_for "$prompt" 60
printf '\001h' >&3
sleep 0.5
printf '\001x' >&3
finish 10
check "C-a x exits 0 (got $rc)" test "$rc" = 0
# on the console itself, as QEMU's mux writes it
check "C-a h prints help" grep -q "C-a x    exit" "$log"

summary

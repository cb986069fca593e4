#!/bin/bash
# The default guest booted the distro way: Debian's U-Boot (qemu-riscv64_smode)
# as -kernel behind OpenSBI scans the virtio disk, finds extlinux.conf on the
# bootable partition of an MBR-partitioned image and boots the same Image and
# initramfs.cpio that `make run` boots directly, with U-Boot's own device tree
# (extlinux.conf has no fdt line; U-Boot's preboot sets fdt_addr to it).
# Linux reaches the busybox shell, `uname -a` answers, `poweroff` exits 0.
#
# Disk layout (512-byte sectors), built without root, loop devices or mounts:
#   0        MBR (sfdisk), one primary partition, type 83, bootable
#   2048     ext4 (mke2fs -d), 32 MiB: /boot/Image, /boot/initramfs.cpio,
#            /boot/extlinux/extlinux.conf   (dd'd in at 1 MiB)
# Usage: linux_uboot.sh BUILD_DIR   (builds the guest first if needed)
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=linux_uboot
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
. "$(dirname "$0")/lib/console.sh"
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
sh_prompt='[/~] # $'
# stage DESC REGEX SECS: a boot stage; without it the rest cannot follow, so
# stop here with the console's tail rather than wait out every later step.
stage() {
    local before=$failed
    check "$1" wait_for "$2" "$3"
    [ "$failed" -eq "$before" ] && return
    show_console; summary; exit 1
}
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# The boot partition's tree and its file system.
mkdir -p "$tmp/root/boot/extlinux"
cp "$L/Image" "$L/initramfs.cpio" "$tmp/root/boot/"
cat > "$tmp/root/boot/extlinux/extlinux.conf" <<'EOF'
default hartvm
timeout 0
label hartvm
    menu label hartvm Linux (busybox initramfs)
    kernel /boot/Image
    initrd /boot/initramfs.cpio
    append console=ttyS0
EOF
mke2fs -q -t ext4 -L hvboot -d "$tmp/root" "$tmp/part.img" 32M >/dev/null 2>&1
check "mke2fs builds the boot file system" test -s "$tmp/part.img"

# The partitioned image: a table, then the file system at its partition.
img=$tmp/disk.img
truncate -s $((1 + 32))M "$img"
echo 'start=2048, size=65536, type=83, bootable' | sfdisk -q "$img" >/dev/null 2>&1
check "sfdisk writes an MBR with one bootable partition" \
    bash -c "sfdisk -d '$img' 2>/dev/null | grep -qE 'start= *2048, size= *65536, type=83, bootable'"
dd if="$tmp/part.img" of="$img" bs=1M seek=1 conv=notrunc status=none
check "debugfs finds extlinux.conf at the partition offset" \
    bash -c "debugfs -R 'cat /boot/extlinux/extlinux.conf' '$img?offset=1048576' 2>/dev/null | grep -q 'append console=ttyS0'"

t0=$(date +%s.%N)
start --timeout 300 -m 256M -kernel "$UBOOT" -drive file="$img",if=none,format=raw,id=hd0 \
    -device virtio-blk-device,drive=hd0
stage "OpenSBI hands over to U-Boot" "^U-Boot 20[0-9]{2}\.[0-9]{2}" 60
stage "U-Boot autoboots" "Hit any key to stop autoboot" 60
t1=$(date +%s.%N)
echo "$NAME: U-Boot up after $(secs "$t0") s"
stage "distro boot finds extlinux.conf on virtio 0:1" "Found /boot/extlinux/extlinux.conf" 60
# One wait for U-Boot's verdict on the label, then its steps are in the log.
wait_for "Starting kernel \.\.\.|EXTLINUX FAILED|=> $" 60
check "U-Boot loads the initrd" wait_for "Retrieving file: /boot/initramfs.cpio" 1
check "U-Boot loads the label's kernel" wait_for "Retrieving file: /boot/Image" 1
check "booti uses U-Boot's device tree" wait_for "Booting using the fdt blob" 1
stage "booti starts the kernel" "Starting kernel \.\.\." 1
stage "Linux banner" "Linux version 6\.1\." 60
check "kernel command line from extlinux" wait_for "Kernel command line: console=ttyS0" 60
check "/init greets" wait_for "hartvm: Linux 6\.1\.[0-9]+ up on 1 hart" 120
stage "shell prompt" "$sh_prompt" 30
echo "$NAME: shell prompt after $(secs "$t0") s ($(secs "$t1") s from U-Boot)"
type_line "uname -a"
check "uname -a" wait_for "Linux .* 6\.1\.[0-9]+ .* riscv64" 30
wait_for "$sh_prompt" 30
type_line "cat /proc/cmdline"
check "/proc/cmdline is extlinux's append" wait_for "^console=ttyS0 *$" 30
wait_for "$sh_prompt" 30
type_line "poweroff"
finish 60
check "poweroff exits 0 (got $rc)" test "$rc" = 0
[ "$failed" -eq 0 ] || show_console
summary

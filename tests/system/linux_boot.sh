#!/bin/bash
# The default guest end to end, driven as a person would at its console:
# Debian's OpenSBI -> Linux 6.1 -> busybox shell; uname, /proc/cpuinfo, both
# harts online; /dev/vda mounted, a file written, synced and read back, and
# the host reads it out of the image with debugfs; poweroff exits 0. Then
# durability: after the guest's sync, SIGKILL the emulator; the data is in
# the image (after the replay of its journal, as a mount would see it). And
# the MMU capped at Sv39 (Linux probes Sv48, then Sv39).
# Usage: linux_boot.sh BUILD_DIR   (builds the guest first if needed)
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=linux_boot
. "$(dirname "$0")/lib/console.sh"
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
sh_prompt='[/~] # $'

boot() {   # boot DISK EXTRA_ARGS...
    local disk=$1; shift
    start --timeout 300 -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append "console=ttyS0" \
        -drive file="$disk",if=none,format=raw,id=hd0 -device virtio-blk-device,drive=hd0 "$@"
}
run() {    # run CMD REGEX WHAT: type a command, expect its output
    type_line "$1"
    check "$3" wait_for "$2" 30
    wait_for "$sh_prompt" 30
}

cp "$L/disk.img" "$tmp/disk.img"
t0=$(date +%s.%N)
boot "$tmp/disk.img" -smp 2
check "OpenSBI banner" wait_for "Platform Name +: riscv-virtio,qemu" 60
check "Linux banner" wait_for "Linux version 6\.1\." 60
check "/init greets on 2 harts" wait_for "hartvm: Linux 6\.1\.[0-9]+ up on 2 hart" 120
check "shell prompt" wait_for "$sh_prompt" 30
echo "$NAME: shell prompt after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
run "uname -a" "Linux .* 6\.1\.[0-9]+ .* riscv64" "uname -a"
run "grep -c ^processor /proc/cpuinfo" "^2$" "cpuinfo lists 2 harts"
run "grep -m1 ^isa /proc/cpuinfo" "^isa\s+: rv64imafdc" "cpuinfo isa rv64imafdc"
run "grep -m1 ^mmu /proc/cpuinfo" "^mmu\s+: sv48" "Linux chose Sv48"
run "nproc" "^2$" "nproc is 2"
run "mount -t ext4 /dev/vda /mnt && cat /mnt/hello.txt" "lives on hartvm's virtio disk" "mount /dev/vda, read a file"
run "echo written-by-the-guest-\$((6*7)) > /mnt/guest.txt && sync && cat /mnt/guest.txt" \
    "^written-by-the-guest-42$" "write, sync, read back"
run "umount /mnt && echo unmounted" "^unmounted$" "umount"
type_line "poweroff"
finish 60
check "poweroff exits 0 (got $rc)" test "$rc" = 0
check "debugfs reads the guest's file from the image" \
    bash -c "debugfs -R 'cat /guest.txt' '$tmp/disk.img' 2>/dev/null | grep -qx written-by-the-guest-42"

# Durability: the guest reports its sync done, then the emulator is killed.
boot "$tmp/disk.img" -smp 1
wait_for "$sh_prompt" 180
run "mount -t ext4 /dev/vda /mnt && echo durable-$((1000+1)) > /mnt/durable.txt && sync && echo synced" \
    "^synced$" "durable write synced"
kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=
# The image is read as the next mount would find it: after the replay of
# ext4's journal (on a copy). The guest goes on writing after its sync (its
# ext4lazyinit zeroes inode tables and marks the groups done), so what lies
# outside the journal at the kill may be a mix of two transactions, which
# debugfs alone refuses ("bitmap checksum does not match").
check "after SIGKILL the image holds the synced file" \
    bash -c "cp '$tmp/disk.img' '$tmp/killed.img' && { e2fsck -E journal_only -y '$tmp/killed.img' >/dev/null 2>&1;
             debugfs -R 'cat /durable.txt' '$tmp/killed.img' 2>/dev/null | grep -qx durable-1001; }"

# The MMU capped at Sv39.
boot "$tmp/disk.img" -smp 1 --mmu sv39 -drive file="$L/disk.img",if=virtio,format=raw,readonly=on
wait_for "$sh_prompt" 180
run "grep -m1 ^mmu /proc/cpuinfo" "^mmu\s+: sv39" "with --mmu sv39 Linux runs Sv39"
type_line "poweroff"
finish 60
check "Sv39 run powers off (got $rc)" test "$rc" = 0
summary

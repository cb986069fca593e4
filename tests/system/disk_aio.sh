#!/bin/bash
# Disk I/O off the hart (disk/blk_io.c), cache= modes and num-queues:
#   - a slow disk (HARTVM_TEST_DISK_DELAY_MS=300, the test-only delay each
#     request waits in its I/O thread): the guest (tests/system/blk_writer.c,
#     mode 3) counts the turns of its loop while its read is in flight, and
#     runs hundreds of thousands of them; under -icount the same request runs
#     synchronously, at the notify: no turn at all, and the delay, which only
#     the I/O threads take, does not apply
#   - cache=none and directsync open the image O_DIRECT (/proc/PID/fdinfo
#     flags), writeback, writethrough and unsafe do not; the guest's write
#     (mode 2) is in the image under each, as under QEMU
#   - aio=io_uring: the request goes through an io_uring ring (strace sees
#     io_uring_enter); aio=threads sets none up
#   - num-queues=2: Linux (-smp 2) sees two hardware queues in
#     /sys/block/vda/mq and reads and writes through both; QEMU with the
#     same command line shows the same
# Usage: disk_aio.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=disk_aio
. tests/system/lib/console.sh
need_hartvm
need "$RV_CC" qemu-system-riscv64 python3

G=$tmp/blk_writer.elf
rv_cc "$G" tests/system/blk_writer.c -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
    -Wall -Wextra -Werror || give_up "cannot build the guest"
head -c 1M /dev/zero >"$tmp/d.raw"
orders() { echo "loader,addr=0x87f00000,data=0x$(printf '%x' $((0xb1c0 << 48 | $1 << 32 | 7))),data-len=8"; }
bare() { "$@" -bios none -kernel "$G" -nographic -m 128M </dev/null; }

# ---- a slow disk ------------------------------------------------------------------
turns() { local h; h=$(grep -o 'turns [0-9a-f]*' "$1" | cut -d' ' -f2); [ -n "$h" ] && echo $((16#$h)); }
HARTVM_TEST_DISK_DELAY_MS=300 bare "$HARTVM" --timeout 20 -device "$(orders 3)" \
    -drive "file=$tmp/d.raw,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0 >"$tmp/slow.out" 2>&1
n=$(turns "$tmp/slow.out")
check "slow disk: the guest ran ${n:-no} turns while its read was in flight (at least 100000)" \
    test "${n:-0}" -ge 100000
check "slow disk: the read completed" grep -q '^done' "$tmp/slow.out"
HARTVM_TEST_DISK_DELAY_MS=300 bare "$HARTVM" --timeout 20 -icount shift=0 -device "$(orders 3)" \
    -drive "file=$tmp/d.raw,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0 >"$tmp/icount.out" 2>&1
check "-icount: the request completes at the notify (turns: $(turns "$tmp/icount.out"))" \
    test "$(turns "$tmp/icount.out")" = 0

# ---- cache modes ------------------------------------------------------------------
for mode in none directsync writeback writethrough unsafe; do
    for emu in hartvm qemu; do
        img=$tmp/$mode-$emu.raw
        cp "$tmp/d.raw" "$img"
        if [ $emu = hartvm ]; then e=("$HARTVM" --timeout 30); else e=(qemu-system-riscv64 -M virt); fi
        "${e[@]}" -bios none -kernel "$G" -nographic -m 128M -device "$(orders 2)" \
            -drive "file=$img,format=raw,if=none,id=d0,cache=$mode" -device virtio-blk-device,drive=d0 \
            </dev/null >"$tmp/$mode-$emu.out" 2>&1 &
        p=$!
        wait_pid=$p wait_until 20 grep -qs written "$tmp/$mode-$emu.out"
        fd=$(ls -l /proc/$p/fd 2>/dev/null | awk -v f="$img" '$NF == f { print $9; exit }')
        flags=$(awk '/^flags/ { print $2 }' /proc/$p/fdinfo/$fd 2>/dev/null)
        kill $p; wait $p 2>/dev/null
        direct=$(( 0${flags:-0} & 040000 ? 1 : 0 ))
        eval "direct_$emu=$direct"
        [ $emu = hartvm ] && check "cache=$mode: the guest's write is in the image" \
            bash -c "dd if='$img' bs=512 skip=8 count=1 status=none | head -c 4 | grep -q HVWR"
    done
    want=0; case $mode in none|directsync) want=1 ;; esac
    check "cache=$mode: O_DIRECT is $([ $want = 1 ] && echo on || echo off) (hartvm's flags ${flags:-none}, QEMU's O_DIRECT $direct_qemu)" \
        test "$direct_hartvm$direct_qemu" = "$want$want"
    check "cache=$mode: the image is what QEMU leaves" cmp -s "$tmp/$mode-hartvm.raw" "$tmp/$mode-qemu.raw"
done

# ---- aio=io_uring: the ring carries the raw image's requests; aio=threads has none
need strace
for aio in io_uring threads; do
    cp "$tmp/d.raw" "$tmp/$aio.raw"
    strace -f -qq -e trace=io_uring_setup,io_uring_enter -o "$tmp/$aio.strace" \
        "$HARTVM" --timeout 20 -bios none -kernel "$G" -nographic -device "$(orders 3)" \
        -drive "file=$tmp/$aio.raw,format=raw,if=none,id=d0,aio=$aio" -device virtio-blk-device,drive=d0 \
        </dev/null >"$tmp/$aio.out" 2>&1
    n=$(grep -c 'io_uring_enter' "$tmp/$aio.strace")
    if [ $aio = io_uring ]; then
        check "aio=io_uring: the read completes through the ring ($n io_uring_enter calls)" \
            bash -c "[ $n -ge 1 ] && grep -q '^done' '$tmp/$aio.out'"
    else
        check "aio=threads: no ring ($n io_uring_enter calls)" \
            bash -c "[ $n = 0 ] && ! grep -q io_uring_setup '$tmp/$aio.strace' && grep -q '^done' '$tmp/$aio.out'"
    fi
done

# ---- num-queues with Linux ----------------------------------------------------------
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
sh_prompt='[/~] # $'
for emu in hartvm qemu; do
    cp "$L/disk.img" "$tmp/linux.img"
    if [ $emu = qemu ]; then HARTVM="qemu-system-riscv64 -M virt"; else HARTVM="$BUILD/hartvm --timeout 300"; fi
    start -smp 2 -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append console=ttyS0 \
        -drive "file=$tmp/linux.img,if=none,format=raw,id=hd0" -device virtio-blk-device,drive=hd0,num-queues=2
    wait_for "$sh_prompt" 180 || { bad "$emu: no shell prompt"; show_console; finish 10; continue; }
    type_line "echo queues: \$(ls /sys/block/vda/mq | wc -l)"
    check "$emu: Linux sees two queues" wait_for "^queues: 2" 30
    wait_for "$sh_prompt" 30
    type_line "for c in 0 1; do taskset \$((c + 1)) dd if=/dev/vda of=/dev/null bs=4k count=2000 2>/dev/null & done; wait; echo \$(cat /sys/block/vda/mq/*/cpu_list | tr '\\n' ' ') reads: \$(awk '{ print \$1 }' /sys/block/vda/stat)"
    check "$emu: both queues read the disk" wait_for "^0 1 reads: [0-9]+" 60
    wait_for "$sh_prompt" 30
    type_line "poweroff"
    finish 60
    check "$emu: poweroff exits 0 (got $rc)" test "$rc" = 0
done
HARTVM=$BUILD/hartvm
summary

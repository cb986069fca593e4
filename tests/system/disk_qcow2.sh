#!/bin/bash
# qcow2 images made by qemu-img, used by software no one here wrote:
#   - U-Boot lists and loads a file from one ext4 image in six qcow2 forms at
#     once (clusters of 512 B, 64 KiB and 2 MiB, version 2, compressed by
#     qemu-img convert -c, an overlay over a raw base named relatively from
#     another directory); each file's CRC-32 is the host's; a drive with
#     snapshot=on, or under -snapshot, is written by U-Boot and left unchanged
#   - Linux writes through qcow2 overlays: dd of known data at several
#     offsets and sizes (partial clusters copied up from the backing file),
#     and an ext4 file written and synced; after poweroff qemu-img check
#     finds both clean, qemu-img compare finds the dd overlay equal to a raw
#     copy with the same writes made on the host and to QEMU's overlay after
#     the same guest on qemu-system-riscv64, and debugfs reads the file out
#     of the other
#   - backing chains that loop, go missing, run too deep, name an unsupported
#     format or a FIFO: exit 1, a message
#   - locks as QEMU's, seen both ways: while QEMU writes an image hartvm may
#     neither write nor read it; while hartvm writes one, QEMU and qemu-img
#     are refused (qemu-img -U still reads); read-only openers share
# Usage: disk_qcow2.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=disk_qcow2
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
. "$(dirname "$0")/lib/console.sh"
need_hartvm
need qemu-img qemu-system-riscv64 mke2fs debugfs gzip
prompt='(^|\n)=> $|=> $'

# crc32 FILE: the CRC-32 U-Boot's crc32 prints, from gzip's trailer.
crc32() { gzip -c <"$1" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' \n'; }

mkdir -p "$tmp/root" "$tmp/base" "$tmp/top"
head -c 300000 /dev/urandom >"$tmp/root/data.bin"
echo "hartvm qcow2 test" >"$tmp/root/hello.txt"
mke2fs -q -t ext4 -L qc -d "$tmp/root" "$tmp/fs.img" 16M >/dev/null
want=$(crc32 "$tmp/root/data.bin")

# ---- U-Boot reads each form ---------------------------------------------------
forms=()
form() {   # form NAME QEMU-IMG-ARGS...: the ext4 image converted to $tmp/NAME.qcow2
    local name=$1; shift
    qemu-img convert -f raw -O qcow2 "$@" "$tmp/fs.img" "$tmp/$name.qcow2" || bad "convert $name"
    forms+=("$name")
}
form c512 -o cluster_size=512
form c64k
form c2m -o cluster_size=2M
form v2 -o compat=0.10
form zlib -c
cp "$tmp/fs.img" "$tmp/base/fs.raw"
(cd "$tmp/top" && qemu-img create -q -f qcow2 -b ../base/fs.raw -F raw overlay.qcow2) || bad "overlay"
drives=()
for f in "${forms[@]}"; do drives+=(-drive "file=$tmp/$f.qcow2,if=virtio"); done
drives+=(-drive "file=$tmp/top/overlay.qcow2,if=virtio")
check "a zlib image has compressed clusters" bash -c "qemu-img check '$tmp/zlib.qcow2' | grep -q '[1-9][0-9.]*% compressed'"

start --timeout 120 -kernel "$UBOOT" "${drives[@]}"
check "U-Boot prompt" wait_for "$prompt" 60
type_line "virtio scan"
wait_for "$prompt" 10
for i in 0 1 2 3 4 5; do
    type_line "ls virtio $i"
    check "device $i: ls lists hello.txt" wait_for "^ +18 hello.txt$" 15
    wait_for "$prompt" 10
    type_line "load virtio $i 0x84000000 data.bin"
    check "device $i: load reads the file" wait_for "^300000 bytes read" 20
    wait_for "$prompt" 10
    type_line "crc32 0x84000000 \$filesize"
    check "device $i: CRC-32 is the host's ($want)" wait_for "==> $want" 15
    wait_for "$prompt" 10
done
type_line "poweroff"
finish 15
check "U-Boot powers off (got $rc)" test "$rc" = 0
for f in "${forms[@]}"; do
    check "$f: still clean after the run" qemu-img check -q "$tmp/$f.qcow2"
done

# snapshot=on, and -snapshot, over qcow2: U-Boot writes and reads back; the
# image stays as it was.
snap_session() {   # snap_session WHAT ARGS...
    local what=$1; shift
    cp "$tmp/c64k.qcow2" "$tmp/snap.qcow2"
    local sum
    sum=$(sha256sum <"$tmp/snap.qcow2")
    start --timeout 60 -kernel "$UBOOT" "$@"
    wait_for "$prompt" 60
    type_line "virtio scan; mw.b 0x85000000 0x5a 0x10000; virtio write 0x85000000 0 0x80"
    wait_for "$prompt" 10
    type_line "virtio read 0x86000000 0 0x80; cmp.b 0x85000000 0x86000000 0x10000"
    check "$what: U-Boot reads back what it wrote" wait_for "Total of 65536 byte\(s\) were the same" 15
    type_line "poweroff"
    finish 15
    check "$what: the image is unchanged" test "$sum" = "$(sha256sum <"$tmp/snap.qcow2")"
}
snap_session "snapshot=on" -drive "file=$tmp/snap.qcow2,if=virtio,snapshot=on"
snap_session "-snapshot" -snapshot -drive "file=$tmp/snap.qcow2,if=virtio"

# ---- Linux writes -----------------------------------------------------------------
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
sh_prompt='[/~] # $'
head -c 8M /dev/urandom >"$tmp/base/dd.raw"
head -c 1M /dev/urandom >"$tmp/data.raw"
cp "$L/disk.img" "$tmp/base/root.raw"
cp "$tmp/base/dd.raw" "$tmp/dd.expected"
# The writes, as dd arguments: from the data disk to the dd overlay.
writes=("bs=512 count=3 skip=1 seek=1" "bs=4096 count=64 skip=2 seek=100"
        "bs=65536 count=4 skip=1 seek=50" "bs=1048576 count=1 seek=6" "bs=512 count=1 skip=9 seek=16383")
for w in "${writes[@]}"; do
    # shellcheck disable=SC2086
    dd if="$tmp/data.raw" of="$tmp/dd.expected" $w conv=notrunc status=none
done
# linux_writes WHO: boot Linux (on $HARTVM) over fresh overlays $tmp/WHO-dd.qcow2
# and $tmp/base/WHO-root.qcow2, make the writes, power off. (-device: QEMU's
# if=virtio on virt is virtio-blk-pci.)
linux_writes() {
    local who=$1 extra=()
    qemu-img create -q -f qcow2 -b "$tmp/base/dd.raw" -F raw -o cluster_size=4096 "$tmp/$who-dd.qcow2"
    qemu-img create -q -f qcow2 -b root.raw -F raw "$tmp/base/$who-root.qcow2"
    [ "$who" = hartvm ] && extra=(--timeout 300)
    start "${extra[@]}" -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append "console=ttyS0" \
        -drive file="$tmp/base/$who-root.qcow2",if=none,id=r -device virtio-blk-device,drive=r \
        -drive file="$tmp/$who-dd.qcow2",if=none,id=d -device virtio-blk-device,drive=d \
        -drive file="$tmp/data.raw",if=none,id=s,format=raw,readonly=on -device virtio-blk-device,drive=s
    check "$who: Linux shell prompt" wait_for "$sh_prompt" 240
    # name the disks by their sizes: root 64 MiB, dd 8 MiB, data 1 MiB
    type_line 'for d in /sys/block/vd*; do case $(cat $d/size) in 16384) DD=/dev/${d##*/};; 2048) DATA=/dev/${d##*/};; 131072) ROOT=/dev/${d##*/};; esac; done; echo "disks:$ROOT:$DD:$DATA"'
    check "$who: Linux sees the three disks" wait_for "^disks:/dev/vd.:/dev/vd.:/dev/vd.$" 20
    wait_for "$sh_prompt" 10
    for w in "${writes[@]}"; do
        type_line "dd if=\$DATA of=\$DD $w conv=fsync && echo dd-done"
        check "$who: dd $w" wait_for "^dd-done$" 60
        wait_for "$sh_prompt" 10
    done
    type_line "mount -t ext4 \$ROOT /mnt && echo qcow2-\$((6*7)) > /mnt/q.txt && sync && umount /mnt && echo fs-done"
    check "$who: ext4 on a qcow2 overlay: write, sync, umount" wait_for "^fs-done$" 60
    wait_for "$sh_prompt" 10
    type_line "poweroff"
    finish 60
    check "$who: Linux powers off (got $rc)" test "$rc" = 0
}
linux_writes hartvm
check "dd overlay: qemu-img check finds it clean" qemu-img check -q "$tmp/hartvm-dd.qcow2"
check "dd overlay: equal to the raw copy with the same writes" \
    qemu-img compare -q -f qcow2 -F raw "$tmp/hartvm-dd.qcow2" "$tmp/dd.expected"
check "root overlay: qemu-img check finds it clean" qemu-img check -q "$tmp/base/hartvm-root.qcow2"
qemu-img convert -O raw "$tmp/base/hartvm-root.qcow2" "$tmp/root.out"
check "root overlay: debugfs reads the guest's file" \
    bash -c "debugfs -R 'cat /q.txt' '$tmp/root.out' 2>/dev/null | grep -qx qcow2-42"
check "the backing files are unchanged" cmp -s "$tmp/base/root.raw" "$L/disk.img"
# The same guest and writes on QEMU: its dd overlay holds what hartvm's does.
HARTVM_SAVED=$HARTVM
HARTVM="qemu-system-riscv64 -M virt"
linux_writes qemu
HARTVM=$HARTVM_SAVED
check "dd overlay: equal to QEMU's after the same guest's writes" \
    qemu-img compare -q "$tmp/hartvm-dd.qcow2" "$tmp/qemu-dd.qcow2"

# ---- bad backing chains ---------------------------------------------------------------
bad_chain() {   # bad_chain WHAT NEEDLE FILE
    timeout 20 $HARTVM -nographic --timeout 5 -bios none -kernel "$UBOOT" -drive file="$3",if=virtio \
        </dev/null >/dev/null 2>"$tmp/err3"
    local r=$?
    check "$1: exit 1 (got $r)" test "$r" = 1
    check "$1: message has '$2' ($(head -c 200 "$tmp/err3"))" grep -q -- "$2" "$tmp/err3"
}
qemu-img create -q -f qcow2 "$tmp/loop1.qcow2" 1M
qemu-img create -q -f qcow2 -b loop1.qcow2 -F qcow2 "$tmp/loop2.qcow2"
qemu-img rebase -u -b loop2.qcow2 -F qcow2 "$tmp/loop1.qcow2"
bad_chain "a backing loop" "backing chain loops" "$tmp/loop1.qcow2"
qemu-img create -q -f qcow2 -u -b gone.qcow2 -F qcow2 "$tmp/orphan.qcow2" 1M
bad_chain "a missing backing file" "cannot open its backing file: .*gone.qcow2" "$tmp/orphan.qcow2"
qemu-img create -q -f qcow2 "$tmp/d0.qcow2" 1M
for i in $(seq 1 33); do
    qemu-img create -q -f qcow2 -u -b "d$((i - 1)).qcow2" -F qcow2 "$tmp/d$i.qcow2" 1M
done
bad_chain "a chain of 34 images" "deeper than 32" "$tmp/d33.qcow2"
qemu-img create -q -f qcow2 -u -b "$tmp/fs.img" -F vmdk "$tmp/wrongfmt.qcow2" 16M
bad_chain "backing_fmt vmdk" "backing file format 'vmdk' is not supported" "$tmp/wrongfmt.qcow2"
mkfifo "$tmp/fifo"
qemu-img create -q -f qcow2 -u -b fifo -F raw "$tmp/fifo.qcow2" 1M
bad_chain "a FIFO as backing file (no hang)" "fifo: not a regular file" "$tmp/fifo.qcow2"

# ---- locks, as QEMU's ---------------------------------------------------------
qemu-img create -q -f qcow2 "$tmp/lock.qcow2" 1M
hv_quick() {    # hv_quick DRIVE_SUFFIX: hartvm on lock.qcow2 for a moment; st, $tmp/err4
    $HARTVM -nographic --timeout 2 -kernel "$UBOOT" -drive file="$tmp/lock.qcow2",if=virtio$1 \
        </dev/null >/dev/null 2>"$tmp/err4"
    st=$?
}
qemu_locked() { ! qemu-img info "$tmp/lock.qcow2" >/dev/null 2>&1; }
qemu_holds() {  # qemu_holds DRIVE_SUFFIX: QEMU, stopped (-S), holding lock.qcow2
    qemu-system-riscv64 -M virt -nographic -bios none -S -drive file="$tmp/lock.qcow2",if=virtio$1 \
        </dev/null >/dev/null 2>&1 &
    qpid=$!
    at_exit "kill $qpid 2>/dev/null"
}
qemu_holds ""
check "QEMU writes the image (qemu-img info is refused)" wait_until 20 qemu_locked
hv_quick ""
check "beside QEMU's writer, hartvm's writer exits 1 (got $st)" test "$st" = 1
check "... with QEMU's message" grep -q 'Failed to get "write" lock' "$tmp/err4"
hv_quick ",readonly=on"
check "beside QEMU's writer, hartvm's reader exits 1 (got $st)" test "$st" = 1
check "... with QEMU's message" grep -q 'Failed to get shared "write" lock' "$tmp/err4"
kill "$qpid"; wait "$qpid" 2>/dev/null
qemu_holds ",readonly=on"
sleep 2
hv_quick ",readonly=on"
check "beside QEMU's reader, hartvm's reader runs (got $st: $(head -c 100 "$tmp/err4"))" test "$st" = 124
kill "$qpid"; wait "$qpid" 2>/dev/null
start --timeout 60 -kernel "$UBOOT" -drive file="$tmp/lock.qcow2",if=virtio
wait_for "$prompt" 60
qemu-img info "$tmp/lock.qcow2" >/dev/null 2>"$tmp/err5"
check "beside hartvm's writer, qemu-img info gets QEMU's lock error" grep -q 'Failed to get shared "write" lock' "$tmp/err5"
timeout 20 qemu-system-riscv64 -M virt -nographic -bios none -drive file="$tmp/lock.qcow2",if=virtio \
    </dev/null >/dev/null 2>"$tmp/err5"
check "beside hartvm's writer, QEMU's writer is refused" grep -q 'Failed to get "write" lock' "$tmp/err5"
check "qemu-img info -U still reads it" bash -c "qemu-img info -U '$tmp/lock.qcow2' | grep -q 'file format: qcow2'"
type_line "poweroff"
finish 15
check "after hartvm's exit the image is free" bash -c "qemu-img info '$tmp/lock.qcow2' >/dev/null"
summary

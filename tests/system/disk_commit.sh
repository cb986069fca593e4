#!/bin/bash
# -snapshot and snapshot=on put a temporary qcow2 overlay on the image, so
# the image is never written, until a commit writes the overlay's changes
# back: C-a s on the console (QEMU's mux), or the monitor's 'commit ID' and
# 'commit all'. The guest (tests/system/blk_writer.c, mode 2) writes
# sectors 8..15, flushes and says "written"; then:
#   - C-a s, C-a x: the image holds the write afterwards
#   - C-a x alone: the image is as it was
#   - the monitor's commit d0 / commit all / commit nosuch
# on a raw image under -snapshot and on a qcow2 image with snapshot=on.
# Every case runs on qemu-system-riscv64 too, from the same image: the
# images after both are the same bytes (qemu-img compare), and the
# monitor answers alike.
# Usage: disk_commit.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=disk_commit
. tests/system/lib/check.sh
need_hartvm
need "$RV_CC" qemu-img qemu-system-riscv64 python3

G=$tmp/blk_writer.elf
rv_cc "$G" tests/system/blk_writer.c -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
    -Wall -Wextra -Werror || give_up "cannot build the guest"
pids=()
at_exit 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done'

head -c 1M /dev/urandom >"$tmp/orig.raw"
qemu-img create -q -f qcow2 -o cluster_size=4096 "$tmp/orig.qcow2" 1M
qemu-io -f qcow2 -c 'write -P 0x5a 0 1M' "$tmp/orig.qcow2" >/dev/null

# run EMU TAG FMT DRIVE_OPTS MONITOR STEPS...: the guest (with $extra
# before its drive: -snapshot or nothing) on a fresh copy of
# the image ($tmp/TAG.img); once it says "written", each STEP is sent: keys
# on the console (with Python escapes) or, as "mon:TEXT", a line to the
# monitor (MONITOR=1 gives it one on a Unix socket; its answers go to
# $tmp/TAG.mon). Sets st.
run() {
    local emu=$1 tag=$2 fmt=$3 dopts=$4 mon=$5; shift 5
    local img=$tmp/$tag.img exe=("$HARTVM" --timeout 30) margs=()
    cp "$tmp/orig.$fmt" "$img"
    [ "$emu" = qemu ] && exe=(qemu-system-riscv64 -M virt)
    [ "$mon" = 1 ] && margs=(-monitor "unix:$tmp/$tag.sock,server,nowait")
    rm -f "$tmp/$tag.in"; mkfifo "$tmp/$tag.in"
    timeout 40 "${exe[@]}" -bios none -kernel "$G" -nographic -m 128M "${margs[@]}" $extra \
        -device loader,addr=0x87f00000,data=0xb1c0000200000007,data-len=8 \
        -drive "file=$img,format=$fmt,if=none,id=d0$dopts" -device virtio-blk-device,drive=d0 \
        <"$tmp/$tag.in" >"$tmp/$tag.out" 2>"$tmp/$tag.err" &
    local p=$! step
    pids+=($p)
    exec 4>"$tmp/$tag.in"
    wait_pid=$p wait_until 20 grep -qs written "$tmp/$tag.out"
    : >"$tmp/$tag.mon"
    for step in "$@"; do
        if [ "${step#mon:}" != "$step" ]; then
            python3 tests/system/lib/sockclient.py --idle 0.5 "unix:$tmp/$tag.sock" "@) " \
                "${step#mon:}\n" >>"$tmp/$tag.mon"
        else
            printf "$step" >&4
            sleep 0.5
        fi
    done
    exec 4>&-
    wait $p; st=$?
}
# The image as raw bytes, to compare.
raw_of() { qemu-img convert -O raw "$tmp/$1.img" "$tmp/$1.cmp"; }
same() { cmp -s "$tmp/$1.cmp" "$tmp/$2.cmp"; }
sector8() { dd if="$tmp/$1.cmp" bs=512 skip=8 count=1 status=none | head -c 16 | od -An -tx4 | tr -s ' '; }
want8=" 52575648 00000007 00000001 00000008"

# case TAG FMT DRIVE_OPTS EXTRA COMMITTED MON STEPS...: on hartvm, then on QEMU
case_() {
    local tag=$1 fmt=$2 dopts=$3 committed=$5 mon=$6
    extra=$4
    shift 6
    run hartvm "$tag" "$fmt" "$dopts" "$mon" "$@"; st_hv=$st
    run qemu "$tag-qemu" "$fmt" "$dopts" "$mon" "$@"; st_qemu=$st
    check "$tag: hartvm exits 0 (got $st_hv: $(head -c 300 "$tmp/$tag.err"))" test "$st_hv" = 0
    raw_of "$tag"; raw_of "$tag-qemu"; cp "$tmp/orig.$fmt" "$tmp/orig-$fmt.img"; raw_of "orig-$fmt"
    if [ "$committed" = 1 ]; then
        check "$tag: the image holds the guest's write (sector 8:$(sector8 "$tag"))" test "$(sector8 "$tag")" = "$want8"
    else
        check "$tag: the image is as it was" same "$tag" "orig-$fmt"
    fi
    check "$tag: the image is what QEMU leaves (QEMU exits $st_qemu)" same "$tag" "$tag-qemu"
    if [ "$fmt" = qcow2 ]; then
        check "$tag: qemu-img check finds the image clean" qemu-img check -q "$tmp/$tag.img"
    fi
}

# C-a s commits, C-a x ends; C-a x alone drops the overlay
case_ raw-cas raw "" -snapshot 1 0 '\001s' '\001x'
case_ raw-drop raw "" -snapshot 0 0 '\001x'
case_ qcow2-cas qcow2 ",snapshot=on" "" 1 0 '\001s' '\001x'
case_ qcow2-drop qcow2 ",snapshot=on" "" 0 0 '\001x'
# the monitor: a drive QEMU does not know, then commit by name, then all;
# quit there (with a monitor elsewhere, QEMU's console is not muxed: no C-a x)
case_ raw-mon raw "" -snapshot 1 1 'mon:commit nosuch' 'mon:commit d0' 'mon:commit all' 'mon:quit'
for t in raw-mon raw-mon-qemu; do
    check "$t: 'commit nosuch' answers Device 'nosuch' not found" grep -q "Device 'nosuch' not found" "$tmp/$t.mon"
done
case_ qcow2-mon qcow2 ",snapshot=on" "" 1 1 'mon:commit all' 'mon:quit'
# snapshot=off on the drive wins over -snapshot: written in place, C-a s only flushes
case_ raw-off raw ",snapshot=off" -snapshot 1 0 '\001s' '\001x'
summary

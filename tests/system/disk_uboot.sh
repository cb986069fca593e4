#!/bin/bash
# The virtio block device with real software no one here wrote: Debian's
# U-Boot scans it, lists an ext4 image made with mke2fs -d and loads a file
# from it, in legacy virtio-mmio (the default, as QEMU 7.2's) and modern;
# snapshot=on never changes the image; readonly=on is advertised; a second
# writer is refused; bad images are clear errors at start-up. Usage: disk_uboot.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=disk_uboot
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
. "$(dirname "$0")/lib/console.sh"
prompt='(^|\n)=> $|=> $'

mkdir -p "$tmp/root"
head -c 3000 /dev/urandom | base64 -w 64 > "$tmp/root/data.txt"
echo "hartvm disk test" > "$tmp/root/hello.txt"
mke2fs -q -t ext4 -L hvtest -d "$tmp/root" "$tmp/fs.img" 16M >/dev/null

# uboot_session EXTRA_ARGS...: boot to the prompt, probe the disk, load a file.
uboot_session() {
    local what=$1; shift
    start --timeout 90 -kernel "$UBOOT" "$@"
    check "$what: U-Boot prompt" wait_for "$prompt" 60
    type_line "virtio scan"
    wait_for "$prompt" 10
    type_line "virtio info"
    check "$what: virtio info shows the disk" wait_for "Capacity: 16.0 MB.*32768 x 512" 10
    type_line "ls virtio 0"
    check "$what: ls lists hello.txt" wait_for "^ +17 hello.txt$" 10
    type_line "load virtio 0 0x84000000 hello.txt"
    check "$what: load reads 17 bytes" wait_for "^17 bytes read" 10
    type_line "md.b 0x84000000 0x10"
    check "$what: the bytes are the file's" wait_for "68 61 72 74 76 6d 20 64 69 73 6b 20 74 65 73 74  hartvm disk test" 10
    type_line "poweroff"
    finish 15
    check "$what: poweroff exits 0 (got $rc)" test "$rc" = 0
}

sum0=$(sha256sum < "$tmp/fs.img")
uboot_session "legacy (default)" -drive file="$tmp/fs.img",if=none,format=raw,id=d0 \
    -device virtio-blk-device,drive=d0,bus=virtio-mmio-bus.0
uboot_session "modern" -global virtio-mmio.force-legacy=false -drive file="$tmp/fs.img",if=virtio,format=raw
uboot_session "snapshot" -drive file="$tmp/fs.img",if=virtio,format=raw,snapshot=on
uboot_session "readonly" -drive file="$tmp/fs.img",if=none,format=raw,id=d0,readonly=on \
    -device virtio-blk-device,drive=d0
check "the image is unchanged by reads, snapshot and readonly runs" test "$sum0" = "$(sha256sum < "$tmp/fs.img")"

# A second instance may not open a writable image already in use.
start --timeout 30 -kernel "$UBOOT" -drive file="$tmp/fs.img",if=virtio,format=raw
wait_for "$prompt" 60
$HARTVM -nographic --timeout 5 -bios none -kernel "$UBOOT" -drive file="$tmp/fs.img",if=virtio,format=raw \
    </dev/null >/dev/null 2>"$tmp/err2"
rc2=$?
check "second writer exits 1 (got $rc2)" test "$rc2" = 1
check "second writer gets QEMU's lock error" grep -q 'Failed to get "write" lock' "$tmp/err2"
type_line "poweroff"
finish 15

# Bad images are clear errors at start-up (exit 1); a bad option value is a
# usage error (exit 2).
bad_image() {
    local what=$1 status=$2 needle=$3; shift 3
    $HARTVM -nographic --timeout 5 -bios none -kernel "$UBOOT" "$@" </dev/null >/dev/null 2>"$tmp/err3"
    local r=$?
    check "$what: exit $status (got $r)" test "$r" = "$status"
    check "$what: message names it" grep -q -- "$needle" "$tmp/err3"
}
bad_image "missing image" 1 "$tmp/nope.img" -drive file="$tmp/nope.img",if=virtio,format=raw
head -c 1000 /dev/zero > "$tmp/odd.img"
bad_image "odd-sized image" 1 "multiple of 512" -drive file="$tmp/odd.img",if=virtio,format=raw
bad_image "unsupported format (a usage error)" 2 "vmdk" -drive file="$tmp/fs.img",if=virtio,format=vmdk
bad_image "device without drive" 1 "no -drive with id=zz" -device virtio-blk-device,drive=zz
summary

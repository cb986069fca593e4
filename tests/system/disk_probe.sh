#!/bin/bash
# Image format probing for a -drive without format=, as QEMU probes:
#   - qcow2 (v2 and v3, also misnamed *.img): attached as qcow2, no warning;
#     the guest reads and writes it, qemu-img check finds it clean and
#     qemu-img compare finds it equal to the copy QEMU ran the same guest on
#   - images qemu-img makes in every other format it can create (qcow, qed,
#     vmdk sparse and its text descriptor, vdi, vhdx, vpc, parallels),
#     headers written here for luks, bochs and cloop (qemu-img cannot
#     create those here), and a *.dmg by name: each is refused with exit 1
#     and a message naming the format and qemu-img convert, and the file is
#     left byte for byte as it was
#   - format=raw on a qcow2 file: attached raw, no warning (QEMU's rule)
#   - a raw image without format=: QEMU's warning, and a guest write of a
#     qcow2 header to sector 0 is refused while plain data is written; the
#     same guest on qemu-system-riscv64 gets the same statuses and warning
#   - truncated and corrupt headers: always a clear exit, never a crash
# Usage: tests/system/disk_probe.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=disk_probe
. tests/system/lib/check.sh
need_hartvm
need "$RV_CC" qemu-img qemu-system-riscv64

# The xv6-style disk guest, writing sector 0 at the end (-DPROBE_GUARD).
G=$tmp/guest.elf
rv_cc "$G" tests/system/virtio_xv6.c -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
    -DPROBE_GUARD || give_up "cannot build the guest"

# hv ARGS...: hartvm on the guest; sets st, and the output in $tmp/out, $tmp/err.
hv() {
    timeout 60 "$HARTVM" --timeout 20 -bios none -kernel "$G" -nographic "$@" \
        </dev/null >"$tmp/out" 2>"$tmp/err"
    st=$?
}
# refused WHAT FILE FORMAT [DRIVE_SUFFIX]: no format= given, hartvm refuses FILE
# as FORMAT with exit 1 and leaves it unchanged; both -drive spellings.
refused() {
    local what=$1 file=$2 fmt=$3 sum
    sum=$(sha256sum <"$file")
    hv -drive file="$file",if=virtio
    check "$what: exit 1 (got $st)" test "$st" = 1
    check "$what: the message names $fmt ($(head -c 200 "$tmp/err"))" \
        grep -q "finds a $fmt image.*format $fmt is not supported" "$tmp/err"
    check "$what: the message suggests qemu-img convert" grep -q "qemu-img convert -O qcow2" "$tmp/err"
    check "$what: the guest never ran" test ! -s "$tmp/out"
    hv -drive file="$file",if=none,id=d0 -device virtio-blk-device,drive=d0
    check "$what: refused through -device too (got $st)" test "$st" = 1
    check "$what: the file is unchanged" test "$sum" = "$(sha256sum <"$file")"
}

# ---- what qemu-img makes --------------------------------------------------
mk() { qemu-img create -q -f "$@" 2>"$tmp/mkerr" || { bad "qemu-img create -f $*: $(cat "$tmp/mkerr")"; return 1; }; }
# The disk the guests read: a known text in sector 1.
head -c 1M /dev/zero >"$tmp/base.img"
printf 'probe test disk' | dd of="$tmp/base.img" bs=512 seek=1 conv=notrunc status=none

# qcow2_run WHAT FILE COMPAT: FILE made from base.img probes as qcow2; the
# guest on it, and on a copy under QEMU, leave images qemu-img finds equal.
qcow2_run() {
    local what=$1 file=$2
    qemu-img convert -f raw -O qcow2 -o compat="$3" "$tmp/base.img" "$file" || { bad "$what: convert"; return; }
    cp "$file" "$tmp/qemu.qcow2"
    hv -drive file="$file",if=none,id=x0 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
    check "$what: the guest runs (got $st)" test "$st" = 0
    check "$what: no warning ($(head -c 200 "$tmp/err"))" test ! -s "$tmp/err"
    check "$what: the guest reads the text" grep -q "^sector text: probe test disk" "$tmp/out"
    check "$what: the guest's writes went through" grep -q "sector 2 reads back what was written" "$tmp/out"
    check "$what: qemu-img check finds it clean" qemu-img check -q "$file"
    timeout 60 qemu-system-riscv64 -machine virt -bios none -kernel "$G" -nographic \
        -drive file="$tmp/qemu.qcow2",if=none,id=x0 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 \
        </dev/null >/dev/null 2>&1
    check "$what: equal to QEMU's run of the same guest" qemu-img compare -q "$file" "$tmp/qemu.qcow2"
}
qcow2_run "qcow2 v3" "$tmp/v3.qcow2" 1.1
qcow2_run "qcow2 v2" "$tmp/v2.qcow2" 0.10
qcow2_run "qcow2 named .img" "$tmp/misnamed.img" 1.1
mk qcow "$tmp/d.qcow" 4M && refused "qcow" "$tmp/d.qcow" qcow
mk qed "$tmp/d.qed" 4M && refused "qed" "$tmp/d.qed" qed
mk vmdk "$tmp/d.vmdk" 4M && refused "vmdk sparse" "$tmp/d.vmdk" vmdk
mk vmdk -o subformat=monolithicFlat "$tmp/flat.vmdk" 4M &&
    refused "vmdk descriptor" "$tmp/flat.vmdk" vmdk
mk vdi "$tmp/d.vdi" 4M && refused "vdi" "$tmp/d.vdi" vdi
mk vhdx "$tmp/d.vhdx" 4M && refused "vhdx" "$tmp/d.vhdx" vhdx
mk vpc "$tmp/d.vpc" 4M && refused "vpc (dynamic)" "$tmp/d.vpc" vpc
mk parallels "$tmp/d.hdd" 4M && refused "parallels" "$tmp/d.hdd" parallels
# A fixed VHD carries its footer only at the end: raw, as on QEMU.
mk vpc -o subformat=fixed "$tmp/fixed.vpc" 4M
hv -drive file="$tmp/fixed.vpc",if=none,id=x0 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
check "fixed vpc probes as raw (warning, exit 0; got $st)" \
    bash -c "[ $st = 0 ] && grep -q 'probing guessed raw' '$tmp/err'"

# Headers written here, from their formats' specifications.
hdr() { printf "$2" >"$1"; truncate -s "${3:-64K}" "$1"; }
hdr "$tmp/d.luks" 'LUKS\272\276\000\001aes\000' && refused "luks1" "$tmp/d.luks" luks
hdr "$tmp/d2.luks" 'LUKS\272\276\000\002' && refused "luks2" "$tmp/d2.luks" luks
hdr "$tmp/d.bochs" 'Bochs Virtual HD Image' && refused "bochs" "$tmp/d.bochs" bochs
hdr "$tmp/d.cloop" '#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop $1\n' &&
    refused "cloop" "$tmp/d.cloop" cloop
head -c 1M /dev/zero >"$tmp/disk.dmg" && refused "a *.dmg (by name, as QEMU)" "$tmp/disk.dmg" dmg

# ---- a qcow2 under another name, taken as raw by request --------------------
# With format=raw it is the user's explicit choice: attached raw, silently.
hv -drive file="$tmp/misnamed.img",if=none,format=raw,id=x0 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
check "qcow2 with format=raw: the guest runs (got $st)" test "$st" = 0
check "qcow2 with format=raw: no warning" test ! -s "$tmp/err"
check "qcow2 with format=raw: the guest read it as raw" grep -q "^sector text:" "$tmp/out"
hv -drive file="$tmp/misnamed.img",if=virtio,format=vmdk
check "format=vmdk is a usage error (got $st)" test "$st" = 2
check "format=vmdk names qemu-img convert" grep -q "format=vmdk is not supported.*qemu-img convert" "$tmp/err"
hv -drive file="$tmp/base.img",if=virtio,format=qcow2
check "format=qcow2 on a raw file: exit 1 (got $st)" test "$st" = 1
check "format=qcow2 on a raw file: not a qcow2 image" grep -q "invalid qcow2 image" "$tmp/err"

# ---- probed raw: QEMU's warning and its sector-0 guard ----------------------
sector0() { head -c 16 "$1"; }
# guard_run EMULATOR FORMAT_SUFFIX: the guest on a fresh raw copy.
guard_run() {
    cp "$tmp/base.img" "$tmp/g.img"
    local cmd=("$HARTVM" --timeout 20)
    [ "$1" = qemu ] && cmd=(qemu-system-riscv64)
    timeout 60 "${cmd[@]}" -machine virt -bios none -kernel "$G" -nographic \
        -drive file="$tmp/g.img",if=none,id=x0$2 -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 \
        </dev/null 2>"$tmp/err" | tr -d '\r' >"$tmp/out"
    st=${PIPESTATUS[0]}
}
warning_text() { sed -E 's/^(hartvm: warning: |WARNING: )//; s/^ +//' "$1"; }
guard_run hartvm ""
check "probed raw: the guest runs (got $st)" test "$st" = 0
check "probed raw: QEMU's warning" grep -q "Image format was not specified for '$tmp/g.img' and probing guessed raw" "$tmp/err"
check "probed raw: plain data to sector 0 is written" grep -Fxq "sector 0 plain write: status 0x0" "$tmp/out"
check "probed raw: a qcow2 header to sector 0 is an I/O error" \
    grep -Fxq "sector 0 qcow2 header write: status 0x1" "$tmp/out"
check "probed raw: sector 0 holds the plain data" test "$(sector0 "$tmp/g.img")" = "plain sector 0.."
check "probed raw: the image still probes raw" bash -c "qemu-img info '$tmp/g.img' | grep -q 'file format: raw'"
grep '^sector 0' "$tmp/out" >"$tmp/hv.lines"; warning_text "$tmp/err" >"$tmp/hv.warn"
guard_run qemu ""
grep '^sector 0' "$tmp/out" >"$tmp/qemu.lines"; warning_text "$tmp/err" >"$tmp/qemu.warn"
check "probed raw: QEMU's guest sees the same statuses" diff -q "$tmp/hv.lines" "$tmp/qemu.lines"
check "probed raw: the warning's text is QEMU's ($(diff "$tmp/hv.warn" "$tmp/qemu.warn" | head -2 | tr '\n' ' '))" \
    diff -q "$tmp/hv.warn" "$tmp/qemu.warn"
guard_run hartvm ",format=raw"
check "format=raw: no warning" test ! -s "$tmp/err"
check "format=raw: the qcow2 header is written, as on QEMU" \
    grep -Fxq "sector 0 qcow2 header write: status 0x0" "$tmp/out"
check "format=raw: sector 0 holds the qcow2 magic" test "$(head -c 4 "$tmp/g.img" | od -An -tx1 | tr -d ' ')" = 514649fb
for o in readonly=on snapshot=on; do
    cp "$tmp/base.img" "$tmp/g.img"
    hv -drive file="$tmp/g.img",if=none,id=x0,$o -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0
    check "probed raw, $o: no warning, as QEMU" bash -c "! grep -q 'probing guessed raw' '$tmp/err'"
    check "probed raw, $o: the image is unchanged" cmp -s "$tmp/base.img" "$tmp/g.img"
done

# ---- truncated and corrupt headers: a clear exit, never a crash ------------
# corrupt NAME EXPECTED_STATUS NEEDLE: hartvm on the file $tmp/NAME
corrupt() {
    hv -drive file="$tmp/$1",if=virtio
    check "$1: exit $2 (got $st)" test "$st" = "$2"
    check "$1: message has '$3' ($(head -c 160 "$tmp/err"))" grep -q -- "$3" "$tmp/err"
}
hdr "$tmp/magic-only.img" 'QFI\373' 4 && corrupt magic-only.img 1 "invalid qcow2 image: .*header truncated"
hdr "$tmp/magic-512.img" 'QFI\373' 512 && corrupt magic-512.img 1 "invalid qcow2 image: qcow2 version 0 is not supported"
hdr "$tmp/qcow2-v99.img" 'QFI\373\000\000\000\143' 64K && corrupt qcow2-v99.img 1 "qcow2 version 99 is not supported"
head -c 64 "$tmp/v3.qcow2" >"$tmp/qcow2-cut-64.img" &&
    corrupt qcow2-cut-64.img 1 "invalid qcow2 image: .*header truncated"
head -c 512 "$tmp/v3.qcow2" >"$tmp/qcow2-cut-512.img" && corrupt qcow2-cut-512.img 1 "shorter than one cluster"
hdr "$tmp/luks-cut.img" 'LUKS\272' 5 && corrupt luks-cut.img 1 "multiple of 512"
hdr "$tmp/vhdx-odd.img" 'vhdxfile' 777 && corrupt vhdx-odd.img 1 "finds a vhdx image"
hdr "$tmp/empty.img" '' 0 && corrupt empty.img 1 "multiple of 512"
hdr "$tmp/one-byte.img" 'Q' 1 && corrupt one-byte.img 1 "multiple of 512"
# qcow2 headers with every later field random: refused by the header checks.
for i in 1 2 3 4 5; do
    { printf 'QFI\373\000\000\000\003'; head -c 504 /dev/urandom; } >"$tmp/rand$i.img"
    truncate -s 64K "$tmp/rand$i.img"
    hv -drive file="$tmp/rand$i.img",if=virtio
    check "random qcow2 header $i: exit 1 (got $st)" test "$st" = 1
done
summary

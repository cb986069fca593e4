#!/bin/bash
# Build the default Linux guest from Debian's packages:
#   OUT/Image            Linux 6.1 (linux-source-6.1) from tinyconfig + config.fragment
#   OUT/initramfs.cpio   static busybox (Debian's busybox source) + /init and
#                        udhcpc's script
#   OUT/disk.img         a 64 MiB ext4 image (mke2fs -d) for /dev/vda
# Each artefact is cached by a hash of its inputs under $HARTVM_CACHE
# (default ~/.cache/hartvm), so a second run, or a fresh clone, starts in seconds.
set -euo pipefail
OUT=${1:?usage: build.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${HARTVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hartvm}
JOBS=$(nproc)
CROSS=riscv64-linux-gnu-
mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
# One builder at a time per cache: two clones (or two make runs) building the
# same key would delete each other's work directory.
exec 9>"$CACHE/.lock"
flock 9

pkgver() { dpkg-query -W -f='${Version}' "$1"; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
log() { echo "roms/linux: $*" >&2; }

# ---- kernel --------------------------------------------------------------
kernel_key=$( (pkgver linux-source-6.1; pkgver gcc-riscv64-linux-gnu; cat "$HERE/config.fragment") | sha256sum | cut -c1-16)
KDIR=$CACHE/kernel-$kernel_key
if [ ! -f "$KDIR/Image" ]; then
    SRC=$CACHE/linux-src-$(pkgver linux-source-6.1)
    if [ ! -f "$SRC/.unpacked" ]; then
        log "unpacking linux-source-6.1"
        rm -rf "$SRC" && mkdir -p "$SRC"
        tar -C "$SRC" --strip-components=1 -xf /usr/src/linux-source-6.1.tar.xz
        touch "$SRC/.unpacked"
    fi
    log "building the kernel (about 10 minutes on 2 cores)"
    rm -rf "$KDIR.tmp" && mkdir -p "$KDIR.tmp"
    make -s -C "$SRC" O="$KDIR.tmp" ARCH=riscv CROSS_COMPILE=$CROSS tinyconfig >/dev/null
    (cd "$KDIR.tmp" && "$SRC/scripts/kconfig/merge_config.sh" -m .config "$HERE/config.fragment" >/dev/null)
    make -s -C "$SRC" O="$KDIR.tmp" ARCH=riscv CROSS_COMPILE=$CROSS olddefconfig >/dev/null
    # Every fragment line must have survived olddefconfig.
    missing=$(grep '^CONFIG_' "$HERE/config.fragment" | while read -r l; do
        grep -qx "$l" "$KDIR.tmp/.config" || echo "$l"; done)
    [ -z "$missing" ] || { log "config options not applied: $missing"; exit 1; }
    make -s -C "$SRC" O="$KDIR.tmp" ARCH=riscv CROSS_COMPILE=$CROSS -j"$JOBS" Image
    mkdir -p "$KDIR"
    cp "$KDIR.tmp/arch/riscv/boot/Image" "$KDIR.tmp/vmlinux" "$KDIR.tmp/.config" "$KDIR/"
    cp "$KDIR.tmp/usr/gen_init_cpio" "$KDIR/"
    rm -rf "$KDIR.tmp"
fi

# ---- busybox -------------------------------------------------------------
BB_RECIPE="defconfig + STATIC - TC"     # change when the busybox recipe below changes
bb_key=$( (pkgver busybox; pkgver gcc-riscv64-linux-gnu; echo "$BB_RECIPE") | sha256sum | cut -c1-16)
BDIR=$CACHE/busybox-$bb_key
if [ ! -f "$BDIR/busybox" ]; then
    log "fetching and building busybox from Debian's source package (about 5 minutes)"
    W=$CACHE/busybox-work
    rm -rf "$W" && mkdir -p "$W/lists/partial" "$W/src"
    # A private sources list: the system's apt configuration is untouched.
    printf 'deb-src http://deb.debian.org/debian bookworm main\n' > "$W/sources.list"
    APT=(-o Dir::Etc::SourceList="$W/sources.list" -o Dir::Etc::SourceParts=/dev/null
         -o Dir::State::Lists="$W/lists" -o Dir::Cache="$W/cache" -o APT::Sandbox::User=root)
    mkdir -p "$W/cache/archives/partial"
    apt-get "${APT[@]}" update -q >/dev/null
    (cd "$W/src" && apt-get "${APT[@]}" source --download-only -q busybox="$(pkgver busybox)" >/dev/null 2>&1 ||
                    apt-get "${APT[@]}" source --download-only -q busybox >/dev/null)
    (cd "$W/src" && dpkg-source -x --skip-patches *.dsc bb >/dev/null 2>&1 || dpkg-source -x *.dsc bb >/dev/null)
    B=$W/src/bb
    make -s -C "$B" ARCH=riscv CROSS_COMPILE=$CROSS defconfig >/dev/null
    sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' \
           -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' "$B/.config"
    make -s -C "$B" ARCH=riscv CROSS_COMPILE=$CROSS oldconfig < <(yes '') >/dev/null
    make -s -C "$B" ARCH=riscv CROSS_COMPILE=$CROSS -j"$JOBS" busybox >/dev/null
    mkdir -p "$BDIR"
    cp "$B/busybox" "$BDIR/"
    rm -rf "$W"
fi

# ---- initramfs -----------------------------------------------------------
LIST=$OUT/initramfs.list
{
    echo "dir /dev 755 0 0"
    echo "nod /dev/console 600 0 0 c 5 1"
    for d in bin sbin usr usr/bin usr/sbin proc sys tmp mnt root etc; do echo "dir /$d 755 0 0"; done
    echo "file /bin/busybox $BDIR/busybox 755 0 0"
    echo "file /init $HERE/init 755 0 0"
    for d in usr/share usr/share/udhcpc; do echo "dir /$d 755 0 0"; done
    echo "file /usr/share/udhcpc/default.script $HERE/udhcpc.script 755 0 0"
    echo "slink /bin/sh /bin/busybox 777 0 0"     # /init links the other applets
} > "$LIST"
"$KDIR/gen_init_cpio" "$LIST" > "$OUT/initramfs.cpio.tmp"
mv "$OUT/initramfs.cpio.tmp" "$OUT/initramfs.cpio"
cp "$KDIR/Image" "$OUT/Image"
cp "$KDIR/vmlinux" "$OUT/vmlinux"

# ---- disk image ------------------------------------------------------------
if [ ! -f "$OUT/disk.img" ]; then
    D=$(mktemp -d)
    echo "This file lives on hartvm's virtio disk." > "$D/hello.txt"
    mke2fs -q -t ext4 -L hartvm -d "$D" "$OUT/disk.img.tmp" 64M >/dev/null
    rm -rf "$D"
    mv "$OUT/disk.img.tmp" "$OUT/disk.img"
fi
log "ready in $OUT"

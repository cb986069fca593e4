#!/bin/bash
# Crash safety: hartvm is killed (SIGKILL) at random moments while a guest
# of our own (tests/system/blk_writer.c, mode 1) writes patterned blocks of
# 4 to 32 KiB through virtio-blk and FLUSHes after every 4th, reporting on
# the console which writes were flushed. After each kill
# (tests/system/lib/crash_check.py):
#   - qemu-img check finds no corruption (leaked clusters are allowed)
#   - every flushed write is in the image, and every sector holds a record
#     of the last flushed write to it or of a later write the guest made
#     there (its generator is replayed), never anything else
# The same image goes on from kill to kill, in five forms: raw (twice), qcow2 with
# 4 KiB clusters, qcow2 (64 KiB) over a raw backing file that holds a
# record in every sector (so a cluster's copy-up from it is checked too),
# and qcow2 with 512-byte clusters and 64-bit refcounts (its refcount table
# grows); with writeback (raw: writes the page cache takes at once are
# done on the machine's thread), cache=none and aio=io_uring (raw), directsync (O_DIRECT:
# qcow2's table entries go through aligned read-modify-write), writeback
# and writethrough. The checker is shown to find a lost write, a changed byte and an
# older write in place of a newer one.
# CRASH_KILLS=N kills per form (default 15: 75 kills, about a minute);
# make soak runs many more. CRASH_SEED=N replays a run.
# Usage: disk_crash.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=disk_crash
. tests/system/lib/check.sh
need_hartvm
need "$RV_CC" qemu-img python3

G=$tmp/blk_writer.elf
rv_cc "$G" tests/system/blk_writer.c -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
    -Wall -Wextra -Werror || give_up "cannot build the guest"
SECTORS=32768                           # 16 MiB
KILLS=${CRASH_KILLS:-15}

# form TAG FMT IMAGE [--based]: the kills on one image
form() {
    local tag=$1 fmt=$2 image=$3; shift 3
    local line
    while IFS= read -r line; do
        case $line in
            ok\ *) ok "${line#ok }" ;;
            bad\ *) bad "${line#bad }" ;;
            *) bad "$tag: checker said: $line" ;;
        esac
    done < <(python3 tests/system/lib/crash_check.py --hartvm "$HARTVM" --guest "$G" --image "$image" \
                 --fmt "$fmt" --sectors $SECTORS --kills "$KILLS" --scratch "$tmp/scratch" --tag "$tag" \
                 ${CRASH_SEED:+--seed "$CRASH_SEED"} "$@" 2>&1)
}

head -c $((SECTORS * 512)) /dev/zero >"$tmp/disk.raw"
form raw raw "$tmp/disk.raw"
head -c $((SECTORS * 512)) /dev/zero >"$tmp/uring.raw"
form raw-uring raw "$tmp/uring.raw" --cache none --aio io_uring

qemu-img create -q -f qcow2 -o cluster_size=4096 "$tmp/c4k.qcow2" $((SECTORS * 512))
form qcow2-4k qcow2 "$tmp/c4k.qcow2" --cache directsync

python3 -c "import sys; sys.path.insert(0, 'tests/system/lib'); import crash_check; \
crash_check.fill_base('$tmp/base.raw', $SECTORS)"
qemu-img create -q -f qcow2 -b "$tmp/base.raw" -F raw "$tmp/top.qcow2"
form qcow2-backed qcow2 "$tmp/top.qcow2" --based
cmp -s "$tmp/base.raw" <(python3 -c "import sys; sys.path.insert(0, 'tests/system/lib'); import crash_check; \
crash_check.fill_base('/dev/stdout', $SECTORS)") && ok "the backing file is never written" ||
    bad "the backing file has changed"

qemu-img create -q -f qcow2 -o cluster_size=512,refcount_bits=64 "$tmp/c512.qcow2" $((SECTORS * 512))
form qcow2-512 qcow2 "$tmp/c512.qcow2" --cache writethrough
qemu-img info "$tmp/c512.qcow2" | grep -q 'refcount bits: 64' && ok "qcow2-512 keeps 64-bit refcounts" ||
    bad "qcow2-512 lost its refcount width"
summary

#!/bin/bash
# Regenerate fuzz/corpus/qcow2/: small images qemu-img makes (512-byte
# clusters keep them under the fuzzer's length limit), each behind the
# harness's two bytes (flags with the writable bit, the fill byte).
set -eu
OUT=$(cd "$(dirname "$0")" && pwd)/corpus/qcow2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$OUT"
cd "$W"
seed() { { printf '\004\132'; cat "$2"; } >"$OUT/$1"; }
qemu-img create -q -f qcow2 -o cluster_size=512 empty.qcow2 1M
seed v3-empty empty.qcow2
qemu-img create -q -f qcow2 -o cluster_size=512,compat=0.10 v2.qcow2 1M
qemu-io -c 'write -P 0x11 0 1k' v2.qcow2 >/dev/null
seed v2-data v2.qcow2
qemu-img create -q -f qcow2 -o cluster_size=512,refcount_bits=1 rc1.qcow2 64k
qemu-io -c 'write -P 0x22 512 512' -c 'write -z 4k 1k' rc1.qcow2 >/dev/null
seed v3-refcount1-zero rc1.qcow2
head -c 4096 /dev/urandom >raw
head -c 4096 /dev/zero >>raw
qemu-img convert -c -f raw -O qcow2 -o cluster_size=512 raw z.qcow2
seed v3-compressed z.qcow2
qemu-img create -q -f qcow2 -o cluster_size=512 -u -b base.raw -F raw ov.qcow2 1M
seed v3-backing-missing ov.qcow2

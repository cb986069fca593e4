#!/bin/bash
# The tutorial corpus, tests/system/qemu_lines.txt: every command line runs
# on hartvm and on qemu-system-riscv64 (7.2) with our guests and firmware in
# place of the files it names, and both must do what the line says: exit
# with the status given, or print what is given. A line whose file we lack
# (no Linux Image built) is left out and said so, never counted as passed.
# Usage: tests/system/qemu_lines.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
NAME=qemu_lines
. tests/system/lib/check.sh
need_hartvm
need $QEMU "$RV_CC"

# ---- the files put in for the documents' ----------------------------------
OPENSBI=/usr/lib/riscv64-linux-gnu/opensbi/generic
declare -A file=(
    [FW_JUMP_BIN]=$OPENSBI/fw_jump.bin [FW_JUMP_ELF]=$OPENSBI/fw_jump.elf
    [UBOOT_S]=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
    [UBOOT_M_BIN]=/usr/lib/u-boot/qemu-riscv64/u-boot.bin
    [UBOOT_M_ELF]=/usr/lib/u-boot/qemu-riscv64/uboot.elf
    [XV6]=$tmp/xv6.elf [BARE]=$tmp/bare.elf [SBI_KERNEL]=$tmp/sbi.elf [DTB]=$tmp/out.dtb
)
for f in FW_JUMP_BIN FW_JUMP_ELF UBOOT_S UBOOT_M_BIN UBOOT_M_ELF; do
    [ -r "${file[$f]}" ] || give_up "${file[$f]} missing (make deps)"
done
# The Linux Image: the build's, else the newest in the shared cache.
image=$BUILD/roms/linux/Image
[ -r "$image" ] || image=$(ls -t "${HARTVM_CACHE:-$HOME/.cache/hartvm}"/kernel-*/Image 2>/dev/null | head -1)
[ -n "$image" ] && [ -r "$image" ] && file[IMAGE]=$image

rv_cc "${file[XV6]}" tests/system/virtio_xv6.c -O2 -ffreestanding -fno-builtin \
    -fno-tree-loop-distribute-patterns || give_up "cannot build virtio_xv6.c"
cat >"$tmp/bare.S" <<'ASM'
    .section .text.init
    .globl _start
_start:
    li t0, 0x100000             /* test finisher: pass */
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
ASM
rv_cc "${file[BARE]}" "$tmp/bare.S" || give_up "cannot build bare.S"
# S-mode, at the address a firmware jumps to (QEMU jumps to the lowest
# loaded address: -n keeps the ELF headers out of the segment)
cat >"$tmp/sbi.S" <<'ASM'
    .globl _start
_start:
    li a7, 0x53525354           /* SBI SRST: system_reset(shutdown, no reason) */
    li a6, 0
    li a0, 0
    li a1, 0
    ecall
1:  j 1b
ASM
$RV_CC -march=rv64imac_zicsr -mabi=lp64 -nostdlib -nostartfiles -static -Wl,-n -Wl,-Ttext=0x80200000 \
    "$tmp/sbi.S" -o "${file[SBI_KERNEL]}" || give_up "cannot build sbi.S"
# a 1 MiB image whose sector 1 holds the text the xv6-style guest reads
head -c $((1 << 20)) /dev/zero >"$tmp/fs.base"
printf 'virtio_xv6 test disk, sector one' | dd of="$tmp/fs.base" bs=512 seek=1 conv=notrunc status=none
# free_port: a TCP port nothing listens on (a connection to it is refused)
free_port() {
    local p
    while p=$((20000 + RANDOM % 20000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do :; done
    echo $p
}

# ---- one line on one emulator ----------------------------------------------
# words ARGS: the line's words with our files in, into the array w; false
# when it names a file we do not have.
words() {
    local a=$1 k
    cp "$tmp/fs.base" "$tmp/fs.img"
    a=${a//@FS@/$tmp/fs.img}
    a=${a//@GDBPORT@/$(free_port)}
    for k in "${!file[@]}"; do a=${a//@$k@/${file[$k]}}; done
    case $a in *@[A-Z_]*@*) return 1 ;; esac
    eval "w=($a)"
}
# run EMULATOR EXPECT: rc (124 when stopped) and what it printed in $tmp/EMULATOR.out
run() {
    local emu=$1 expect=$2 secs=60 pid
    local cmd=("$HARTVM")
    [ "$emu" = qemu ] && cmd=($QEMU)
    [ "$expect" = exit=124 ] && secs=6     # a run that should still go on; others end soon
    local out=$tmp/$emu.out
    rm -f "$tmp/out.dtb"
    "${cmd[@]}" "${w[@]}" </dev/null >"$out" 2>&1 &
    pid=$!
    wait_pid=$pid
    case $expect in
    prints=*) wait_until $secs grep -aEq -- "${expect#prints=}" "$out" ;;
    *) wait_until $secs gone $pid ;;
    esac
    wait_pid=
    if gone $pid; then wait $pid; rc=$?
    else kill $pid; wait $pid; rc=124; fi
}

lines=0; left_out=0
while IFS='|' read -r expect source args; do
    expect=$(echo $expect); source=$(echo $source)
    case $expect in ''|'#'*) continue ;; esac
    lines=$((lines + 1))
    if ! words "$args"; then
        echo "$NAME: left out (no file for it here): $source"
        left_out=$((left_out + 1)); continue
    fi
    run hartvm "$expect"; h=$rc; h_out=$(tail -c 300 "$tmp/hartvm.out" | tr -d '\r' | tail -2)
    run qemu "$expect"; q=$rc
    case $expect in
    exit=*)
        want=${expect#exit=}
        [ "$h" = "$want" ] && [ "$q" = "$want" ] && ok "$source: exit $want on both" ||
            bad "$source: hartvm $h, QEMU $q, want $want (hartvm: $h_out)" ;;
    prints=*)
        # stopped once it printed (or ended by itself: the status is not compared)
        re=${expect#prints=}
        grep -aEq -- "$re" "$tmp/hartvm.out" && grep -aEq -- "$re" "$tmp/qemu.out" &&
            ok "$source: prints /${expect#prints=}/ on both" ||
            bad "$source: hartvm $h, QEMU $q, want /${expect#prints=}/ on both (hartvm: $h_out)" ;;
    *) bad "qemu_lines.txt: unknown expectation '$expect'" ;;
    esac
done < tests/system/qemu_lines.txt
echo "$NAME: $lines lines, $left_out left out"
[ $lines -ge 20 ] && ok "corpus: $lines lines" || bad "corpus: only $lines lines"
summary

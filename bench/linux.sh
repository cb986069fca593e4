#!/bin/bash
# Linux guest benchmarks side by side: bench/linux.sh HARTVM LINUX_DIR
#
# The default guest (LINUX_DIR/{Image,initramfs.cpio,disk.img}: OpenSBI ->
# Linux 6.1 -> busybox, 256M, 2 harts, ext4 on virtio-blk) on hartvm and on
# qemu-system-riscv64 -M virt with the same command line, alternating,
# REPS times each (default 3); medians of:
#   boot      wall and CPU (user+sys, all threads) seconds of the emulator
#             from its start to the shell prompt '/ # ', and to its exit
#             after `poweroff` is typed at that prompt. CPU to the prompt is
#             read from /proc/PID/stat, CPU to the exit is bash's `time`
#             (getrusage of the reaped child).
#   disk      sequential throughput on /dev/vda, MB/s (10^6 bytes/s), from
#             busybox dd's own report (guest clock) and, in brackets, from
#             the host's wall time between typing the command and the next
#             prompt (includes console latency of up to ~0.1 s):
#               write  dd bs=1M count=SIZE_MB conv=fsync to a new file
#               read   the same file after umount, drop_caches and a fresh
#                      mount, so every block comes from the device
#               raw write  dd oflag=direct to /dev/vda past the filesystem
#               raw read   dd iflag=direct of the same range (O_DIRECT: no
#                          page cache, no dirty-page throttling)
#             The disk is a copy of disk.img whose ext4 is grown to DISK_MB
#             (default 256) with truncate + resize2fs, plus SIZE_MB of raw
#             space after it; the originals are never written. The write
#             through ext4 is mostly the guest idling in writeback on both
#             emulators (see the CPU column), so it varies a lot run to run.
# The guest console is driven through a FIFO (tests/system/lib/console.sh).
# Nothing here asserts a time; a run that misses a prompt is reported as
# "?" and noted. Environment: REPS, QEMU, SIZE_MB (default 32), DISK_MB,
# TIMEOUT (seconds per wait, default 300).
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 HARTVM LINUX_DIR" >&2
    exit 2
fi
HARTVM=$1 L=$2
NAME=bench-linux
reps=${REPS:-3}
qemu=${QEMU:-qemu-system-riscv64}
size_mb=${SIZE_MB:-32}
disk_mb=${DISK_MB:-256}
tmo=${TIMEOUT:-300}
. "$(dirname "$0")/../tests/system/lib/console.sh"

if ! command -v "$qemu" >/dev/null; then
    echo "$NAME: $qemu not found (Debian package qemu-system-misc)" >&2
    exit 1
fi
for f in Image initramfs.cpio disk.img; do
    [ -f "$L/$f" ] || { echo "$NAME: $L/$f missing (make linux)" >&2; exit 1; }
done

# The emulator runs under `time` in a background subshell ($pid, which
# console.sh waits on); $epid is the emulator itself. Never leave either.
epid=
at_exit '[ -n "$epid" ] && kill "$epid" 2>/dev/null; [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }'
trap 'exit 130' INT TERM

sh_prompt='/ # $'
tck=$(getconf CLK_TCK)
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# CPU seconds so far of the live emulator (utime + stime, all threads)
cpu_of() {
    awk -v t="$tck" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$1/stat" 2>/dev/null ||
        echo "?"
}

# launch EMU DISK: start one guest with its console on a FIFO.
launch() {
    local emu=$1 disk=$2
    local -a cmd
    local common=(-m 256M -smp 2 -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append "console=ttyS0"
        -drive "file=$disk,if=none,format=raw,id=hd0" -device virtio-blk-device,drive=hd0)
    if [ "$emu" = hartvm ]; then
        cmd=("$HARTVM" -nographic --timeout $((tmo * 4)) "${common[@]}")
    else
        cmd=("$qemu" -M virt -nographic -bios default "${common[@]}")
    fi
    log=$tmp/out.log
    rm -f "$tmp/in" "$log" "$tmp/epid" "$tmp/time"; mkfifo "$tmp/in"
    t0=$(now)
    (
        TIMEFORMAT='%3R %3U %3S'
        { time bash -c 'echo $$ >"$0"; exec "$@"' "$tmp/epid" "${cmd[@]}" \
            <"$tmp/in" >"$log" 2>"$tmp/err"; } 2>"$tmp/time"
    ) &
    pid=$!
    exec 3>"$tmp/in"
    mark=0
    local i=0
    while [ ! -s "$tmp/epid" ] && ((i++ < 200)); do sleep 0.01; done
    epid=$(cat "$tmp/epid" 2>/dev/null)
}
# stop SECS: close the console and wait for the exit; $rc 999 if it hangs.
stop() {
    finish "$1"
    [ "$rc" = 999 ] && kill "$epid" 2>/dev/null
    epid=
}

# boot_run EMU: res="prompt_wall prompt_cpu exit_wall exit_cpu status"
boot_run() {
    local pw=? pc=? ew=? ec=? u s r
    cp --sparse=always "$L/disk.img" "$tmp/boot.img"
    launch "$1" "$tmp/boot.img"
    if wait_for "$sh_prompt" "$tmo"; then
        pw=$(elapsed "$t0") pc=$(cpu_of "$epid")
        type_line "poweroff"
    fi
    stop "$tmo"
    if [ "$rc" = 0 ] && read -r r u s <"$tmp/time"; then
        ew=$r ec=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    fi
    res="$pw $pc $ew $ec $rc"
}

# guest_dd CMD: type a dd command (SIZE_MB MB); dd="guest_MBps host_MBps
# host_wall_s emulator_cpu_s", or "? ? ? ?" when it fails.
guest_dd() {
    local t1 c1 host out
    c1=$(cpu_of "$epid")
    type_line "$1"
    t1=$(now)
    dd="? ? ? ?"
    wait_for "$sh_prompt" "$tmo" || return
    host=$(elapsed "$t1")
    ddcpu=$(awk -v a="$c1" -v b="$(cpu_of "$epid")" 'BEGIN { printf "%.2f", b - a }')
    out=$(tail -c +$((mark + 1)) "$log" | tr -d '\r')
    dd=$(awk -v host="$host" -v mb="$size_mb" -v c="$ddcpu" '
        / bytes .* copied, / { b = $1; for (i = 1; i <= NF; i++) if ($i == "seconds,") s = $(i - 1) }
        END {
            if (b != mb * 1048576 || s <= 0) { print "? ? ? ?"; exit }   # dd failed or fell short
            printf "%.1f %.1f %s %s\n", b / s / 1e6, b / host / 1e6, host, c
        }' <<<"$out")
}
# guest_ok CMD: type a command that must print "ok".
guest_ok() { type_line "$1 && echo ok"; wait_for '^ok$' "$tmo" && wait_for "$sh_prompt" "$tmo"; }

# disk_run EMU: res="{write,read,rawwrite,rawread}_{g,h,w,c} status"
# (guest MB/s, host MB/s, host wall s, emulator CPU s of each dd)
disk_run() {
    local w="? ? ? ?" r="? ? ? ?" y="? ? ? ?" x="? ? ? ?"
    launch "$1" "$tmp/big.img"
    if wait_for "$sh_prompt" "$tmo" &&
        guest_ok "mount -t ext4 /dev/vda /mnt && rm -f /mnt/f && sync"; then
        guest_dd "dd if=/dev/zero of=/mnt/f bs=1M count=$size_mb conv=fsync"; w=$dd
        if guest_ok "umount /mnt && sync && echo 3 >/proc/sys/vm/drop_caches && mount -t ext4 /dev/vda /mnt"; then
            guest_dd "dd if=/mnt/f of=/dev/null bs=1M"; r=$dd
        fi
        guest_ok "umount /mnt"
        guest_dd "dd if=/dev/zero of=/dev/vda bs=1M seek=$disk_mb count=$size_mb oflag=direct"; y=$dd
        guest_dd "dd if=/dev/vda of=/dev/null bs=1M skip=$disk_mb count=$size_mb iflag=direct"; x=$dd
        type_line "poweroff"
    fi
    stop "$tmo"
    res="$w $r $y $x $rc"
}

median() { grep -v '^?$' | sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "?" }'; }

# A larger copy of the disk, so SIZE_MB fits with room to spare.
cp --sparse=always "$L/disk.img" "$tmp/big.img"
truncate -s "${disk_mb}M" "$tmp/big.img"
e2fsck -fy "$tmp/big.img" >/dev/null 2>&1
resize2fs "$tmp/big.img" >/dev/null 2>&1 || { echo "$NAME: resize2fs failed" >&2; exit 1; }
truncate -s $((disk_mb + size_mb))M "$tmp/big.img"     # raw space after the ext4

echo "hartvm: $HARTVM; QEMU: $("$qemu" --version | head -n 1)"
echo "$reps repetitions, alternating; host $(nproc) CPUs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
notes=""
for ((i = 0; i < reps; i++)); do
    for emu in hartvm qemu; do
        boot_run $emu; read -r pw pc ew ec st <<<"$res"
        [ "$st" = 0 ] || notes+="$emu boot run $i: exit $st; "
        for k in pw pc ew ec; do echo "${!k}" >>"$tmp/$emu.$k"; done
        disk_run $emu; read -r d_wg d_wh d_ww d_wc d_rg d_rh d_rw d_rc d_yg d_yh d_yw d_yc d_xg d_xh d_xw d_xc st <<<"$res"
        [ "$st" = 0 ] || notes+="$emu disk run $i: exit $st; "
        for k in wg wh ww wc rg rh rw rc yg yh yw yc xg xh xw xc; do v=d_$k; echo "${!v}" >>"$tmp/$emu.$k"; done
    done
done
m() { median <"$tmp/$1.$2"; }
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "boot (median seconds)        hartvm     QEMU"
printf '%-26s %8s %8s\n' "wall to '/ # '" "$(m hartvm pw)" "$(m qemu pw)"
printf '%-26s %8s %8s\n' "CPU to '/ # '" "$(m hartvm pc)" "$(m qemu pc)"
printf '%-26s %8s %8s\n' "wall to exit (poweroff)" "$(m hartvm ew)" "$(m qemu ew)"
printf '%-26s %8s %8s\n' "CPU to exit (poweroff)" "$(m hartvm ec)" "$(m qemu ec)"
echo
echo "disk, $size_mb MB; medians: MB/s by guest dd [by host wall], and the dd's host wall / emulator CPU s"
printf '%-38s %-28s %s\n' "" "hartvm" "QEMU"
row() {
    printf '%-38s' "$1"
    for e in hartvm qemu; do
        printf ' %6s [%6s] %5s/%5s s ' "$(m $e "$2g")" "$(m $e "$2h")" "$(m $e "$2w")" "$(m $e "$2c")"
    done
    echo
}
row "ext4 write dd conv=fsync" w
row "ext4 read  same file, cold cache" r
row "raw write dd oflag=direct to /dev/vda" y
row "raw read  dd iflag=direct from /dev/vda" x

[ -n "$notes" ] && echo "notes: $notes"
exit 0

#!/bin/bash
# Idle cost side by side: bench/idle.sh HARTVM ELFDIR [LINUX_DIR]
#
# The host CPU an idle guest burns on hartvm and on qemu-system-riscv64
# (the target: an idle guest under 1% of a core), as the delta of
# utime + stime (all threads, /proc/PID/stat, resolution 1/CLK_TCK s) over
# a window of wall time, in percent of one core:
#   bare    ELFDIR/idle.elf (bench/idle.c): M-mode, the machine timer at
#           100 Hz, wfi between ticks, a '.' on the UART every guest second.
#           Window: IDLE s (default 10) after SETTLE s (default 2). The
#           guest seconds printed in the window are shown too: they should
#           match the wall seconds (the timer keeps pace with the host).
#   linux   LINUX_DIR's guest with the command line of `make run` (OpenSBI,
#           Linux, busybox; 256M, 2 harts, a copy of disk.img) sitting at its
#           shell prompt. Window: IDLE_LINUX s (default 15) from LINUX_SETTLE
#           s (default 10: a tickless kernel still works now and then in the
#           first seconds after the prompt) after the prompt; then
#           `poweroff`. Skipped without LINUX_DIR/{Image,initramfs.cpio,disk.img}.
# Also, at the end of each window: the emulator's RSS (VmRSS) and its peak
# (VmHWM), the resident guest-RAM mapping (bench/lib.sh: ram_rss) and, for
# hartvm, its brk heap (where malloc keeps the decoded-instruction pages).
# REPS (default 1) runs of each, alternating; medians. Nothing asserts.
set -u
if [ $# -lt 2 ]; then
    echo "usage: $0 HARTVM ELFDIR [LINUX_DIR]" >&2
    exit 2
fi
HARTVM=$1 dir=$2 L=${3:-}
NAME=bench-idle
qemu=${QEMU:-qemu-system-riscv64}
reps=${REPS:-1}
idle=${IDLE:-10} settle=${SETTLE:-2}
idle_linux=${IDLE_LINUX:-15} settle_linux=${LINUX_SETTLE:-10}
tmo=${TIMEOUT:-300}
. "$(dirname "$0")/../tests/system/lib/console.sh"      # wait_for, type_line, $tmp
. "$(dirname "$0")/lib.sh"
command -v "$qemu" >/dev/null || { echo "$NAME: $qemu not found" >&2; exit 1; }
[ -f "$dir/idle.elf" ] || { echo "$NAME: $dir/idle.elf missing (make bench)" >&2; exit 1; }
have_linux=0
[ -n "$L" ] && [ -f "$L/Image" ] && [ -f "$L/initramfs.cpio" ] && [ -f "$L/disk.img" ] && have_linux=1
tck=$(getconf CLK_TCK)
at_exit 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null'
trap 'exit 130' INT TERM

# launch ARGS...: the emulator with its console on a FIFO (fd 3), output in
# $log; $pid is the emulator itself.
launch() {
    log=$tmp/out.log
    rm -f "$tmp/in" "$log"
    mkfifo "$tmp/in"
    "$@" <"$tmp/in" >"$log" 2>"$tmp/err" &
    pid=$!
    exec 3>"$tmp/in"
    mark=0
}
# stop_emu: close the console; end the emulator if it does not exit in 30 s.
stop_emu() {
    exec 3>&-
    local i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
}
dots() { tr -cd . <"$log" | wc -c; }

# window SECS RAM_KiB: sample the running emulator ($pid) for SECS seconds;
# res="cpu_percent guest_seconds rss_MiB hwm_MiB ram_MiB heap_MiB"
window() {
    local c0 c1 s0 s1 d0 d1 rss hwm ram heap
    c0=$(cpu_ticks "$pid") s0=$(date +%s.%N) d0=$(dots)
    sleep "$1"
    c1=$(cpu_ticks "$pid") s1=$(date +%s.%N) d1=$(dots)
    rss=$(status_kb "$pid" VmRSS) hwm=$(status_kb "$pid" VmHWM) ram=$(ram_rss "$pid" "$2")
    heap=$(awk '/\[heap\]/ { h = 1; next } /^[0-9a-f]+-/ { h = 0 } h && /^Rss:/ { s += $2 } END { print s + 0 }' \
        "/proc/$pid/smaps" 2>/dev/null)
    if [ -z "$c0" ] || [ -z "$c1" ]; then
        res="? ? ? ? ? ?"
        return
    fi
    res=$(awk -v c=$((c1 - c0)) -v t="$tck" -v a="$s0" -v b="$s1" -v d=$((d1 - d0)) -v rss="$rss" \
        -v hwm="$hwm" -v ram="$ram" -v heap="$heap" \
        'BEGIN { printf "%.2f %d %.1f %.1f %.1f %.1f", c / t / (b - a) * 100, d, rss / 1024, hwm / 1024,
                 ram / 1024, heap / 1024 }')
}

bare_run() {
    local -a cmd
    if [ "$1" = hartvm ]; then
        cmd=("$HARTVM" -m 128M -bios none -kernel "$dir/idle.elf" -nographic)
    else
        cmd=("$qemu" -M virt -m 128M -bios none -kernel "$dir/idle.elf" -nographic)
    fi
    launch "${cmd[@]}"
    sleep "$settle"
    window "$idle" $((128 * 1024))
    stop_emu
}

linux_run() {
    local -a cmd
    local common=(-m 256M -smp 2 -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append "console=ttyS0"
        -drive "file=$tmp/disk.img,if=none,format=raw,id=hd0" -device virtio-blk-device,drive=hd0)
    if [ "$1" = hartvm ]; then
        cmd=("$HARTVM" -nographic --timeout $((tmo * 2)) "${common[@]}")
    else
        cmd=("$qemu" -M virt -nographic -bios default "${common[@]}")
    fi
    cp --sparse=always "$L/disk.img" "$tmp/disk.img"
    launch "${cmd[@]}"
    res="? ? ? ? ? ?"
    if wait_for '/ # $' "$tmo"; then
        sleep "$settle_linux"
        window "$idle_linux" $((256 * 1024))
        type_line poweroff
    else
        notes+="$1: no shell prompt in $tmo s; "
    fi
    stop_emu
}

median() { grep -v '^?$' | sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "?" }'; }
m() { median <"$tmp/$1"; }
record() {     # record KIND EMU: append res's fields to $tmp/KIND.EMU.N
    local k=1 v
    for v in $res; do echo "$v" >>"$tmp/$1.$2.$k"; k=$((k + 1)); done
}

notes=""
echo "idle: hartvm $HARTVM; QEMU: $("$qemu" --version | head -n 1); $reps run(s) each, alternating"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < reps; i++)); do
    for emu in hartvm qemu; do
        bare_run $emu
        record bare $emu
        if [ "$have_linux" = 1 ]; then
            linux_run $emu
            record linux $emu
        fi
    done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-44s %8s %8s\n' "idle guest (median)" hartvm QEMU
kinds=bare
[ "$have_linux" = 1 ] && kinds="bare linux"
for kind in $kinds; do
    if [ "$kind" = bare ]; then
        echo "bare metal, wfi + 100 Hz timer, ${idle} s window:"
    else
        echo "Linux at its shell, 2 harts, ${idle_linux} s window ($L/Image, $(date -r "$L/Image" '+%F %T')):"
    fi
    printf '  %-42s %8s %8s\n' "CPU, % of one core" "$(m $kind.hartvm.1)" "$(m $kind.qemu.1)"
    [ "$kind" = bare ] &&
        printf '  %-42s %8s %8s\n' "guest seconds printed in the window" "$(m $kind.hartvm.2)" "$(m $kind.qemu.2)"
    printf '  %-42s %8s %8s\n' "RSS now / peak (VmRSS / VmHWM), MiB" "$(m $kind.hartvm.3)/$(m $kind.hartvm.4)" \
        "$(m $kind.qemu.3)/$(m $kind.qemu.4)"
    printf '  %-42s %8s %8s\n' "resident guest-RAM mapping, MiB" "$(m $kind.hartvm.5)" "$(m $kind.qemu.5)"
    printf '  %-42s %8s %8s\n' "brk heap (hartvm: decoded pages), MiB" "$(m $kind.hartvm.6)" "$(m $kind.qemu.6)"
done
[ -n "$notes" ] && echo "notes: $notes"
exit 0

#!/bin/bash
# Start-up cost side by side: bench/startup.sh HARTVM ELFDIR [LINUX_DIR]
#
# Wall-clock milliseconds, median of RUNS runs (default 20), hartvm and
# qemu-system-riscv64 alternating. Every time is CLOCK_REALTIME: the script
# takes $EPOCHREALTIME in the subshell that then execs the emulator ("exec",
# the process start as a user sees it, so the kernel's exec and the dynamic
# loading of every shared library count) and again when the parent has
# reaped it ("exit"). hartvm --stats adds two marks of its own: its main()
# entry and its first call of machine_run, just before the first guest
# instruction (monitor/main.c, machine/run.c). Rows:
#   first    ELFDIR/first.elf, whose first instruction begins the exit
#            through the test finisher (4 guest instructions, bench/first.S),
#            -bios none: the whole run of the smallest program.
#   null     ELFDIR/null.elf (bench/null.c): start-up code, one UART line,
#            the exit; the `null` row of bench/run.sh, in wall time.
#   linux    the Linux command line of `make run` (OpenSBI, Image, initramfs,
#            2 harts, 256M, virtio disk) stopped at its first instruction:
#            hartvm --max-insns 1 (exits after one guest instruction) and
#            QEMU -S with `quit` on its monitor (QEMU builds the whole machine,
#            loads the images, waits paused and reads the monitor): the closest
#            honest QEMU equivalent, since QEMU has no first-instruction mark.
#            Skipped without LINUX_DIR/{Image,initramfs.cpio,disk.img}.
#   version  --version of each: exec, dynamic loading and exit, no machine.
#   true     /bin/true: the floor of any process start and exit on this host.
# Columns: exec->main, main->1st insn, 1st insn->exit (hartvm only), total
# exec->exit for both, and QEMU/hartvm. Nothing here asserts a time.
set -u
export LC_ALL=C                 # $EPOCHREALTIME with a '.'
if [ $# -lt 2 ]; then
    echo "usage: $0 HARTVM ELFDIR [LINUX_DIR]" >&2
    exit 2
fi
hartvm=$1 dir=$2 L=${3:-}
runs=${RUNS:-20}
qemu=${QEMU:-qemu-system-riscv64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v "$qemu" >/dev/null || { echo "startup: $qemu not found" >&2; exit 1; }
for f in first null; do
    [ -f "$dir/$f.elf" ] || { echo "startup: $dir/$f.elf missing (make bench)" >&2; exit 1; }
done
have_linux=0
[ -n "$L" ] && [ -f "$L/Image" ] && [ -f "$L/initramfs.cpio" ] && [ -f "$L/disk.img" ] && have_linux=1

# timed [STDIN] -- CMD...: one run; prints "exec_s exit_s status" and leaves
# the command's stderr in $tmp/err.
timed() {
    local in=$1
    shift 2
    (echo "$EPOCHREALTIME" >"$tmp/t0"; exec "$@" <"$in" >/dev/null 2>"$tmp/err")
    local st=$? t1=$EPOCHREALTIME
    echo "$(cat "$tmp/t0") $t1 $st"
}

# the hartvm run of a row: appends "exec->main main->first first->exit total"
# (ms) to $tmp/ROW.h, or notes why not
hv_row() {
    local row=$1 want=$2 t0 t1 st main first
    shift 2
    read -r t0 t1 st < <(timed /dev/null -- "$hartvm" --stats "$@")
    [ "$st" = "$want" ] || notes+="$row: hartvm exit $st; "
    read -r main first < <(sed -n 's/.*start-up: main() at \([0-9.]*\), first guest instruction at \([0-9.]*\).*/\1 \2/p' "$tmp/err")
    if [ -z "${main:-}" ]; then
        notes+="$row: no start-up line from hartvm --stats; "
        return
    fi
    awk -v a="$t0" -v b="$main" -v c="$first" -v d="$t1" \
        'BEGIN { printf "%.3f %.3f %.3f %.3f\n", (b - a) * 1e3, (c - b) * 1e3, (d - c) * 1e3, (d - a) * 1e3 }' \
        >>"$tmp/$row.h"
}
# the QEMU run of a row: appends the total (ms) to $tmp/ROW.q
q_row() {
    local row=$1 want=$2 in=$3 t0 t1 st
    shift 3
    read -r t0 t1 st < <(timed "$in" -- "$qemu" "$@")
    [ "$st" = "$want" ] || notes+="$row: QEMU exit $st; "
    awk -v a="$t0" -v d="$t1" 'BEGIN { printf "%.3f\n", (d - a) * 1e3 }' >>"$tmp/$row.q"
}

# median of column K of FILE, or "-"
med() {
    [ -s "$2" ] || { echo "-"; return; }
    awk -v k="$1" '$k != "-" { print $k }' "$2" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", v[int((NR + 1) / 2)]; else print "-" }'
}

bare=(-m 128M -bios none -nographic)
linux=(-m 256M -smp 2 -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append console=ttyS0
    -drive "file=$L/disk.img,if=none,format=raw,id=hd0,readonly=on" -device virtio-blk-device,drive=hd0)
echo quit >"$tmp/quit"
notes=""
echo "start-up: hartvm $hartvm; QEMU: $("$qemu" --version | head -n 1); $runs runs each, alternating"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 0; i < runs; i++)); do
    hv_row first 0 "${bare[@]}" -kernel "$dir/first.elf"
    q_row first 0 /dev/null -M virt "${bare[@]}" -kernel "$dir/first.elf"
    hv_row null 0 "${bare[@]}" -kernel "$dir/null.elf"
    q_row null 0 /dev/null -M virt "${bare[@]}" -kernel "$dir/null.elf"
    if [ "$have_linux" = 1 ]; then
        hv_row linux 125 -nographic --max-insns 1 "${linux[@]}"
        q_row linux 0 "$tmp/quit" -M virt -S -display none -serial null -monitor stdio "${linux[@]}"
    fi
    read -r t0 t1 st < <(timed /dev/null -- "$hartvm" --version)
    awk -v a="$t0" -v d="$t1" 'BEGIN { printf "- - - %.3f\n", (d - a) * 1e3 }' >>"$tmp/version.h"
    q_row version 0 /dev/null --version
    read -r t0 t1 st < <(timed /dev/null -- /bin/true)
    awk -v a="$t0" -v d="$t1" 'BEGIN { printf "- - - %.3f\n", (d - a) * 1e3 }' >>"$tmp/true.h"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "start-up, wall ms (median)    exec->main  main->1st insn  1st insn->exit  hartvm total  QEMU total  QEMU/hartvm"
for row in first null linux version true; do
    [ -s "$tmp/$row.h" ] || [ -s "$tmp/$row.q" ] || continue
    h=$(med 4 "$tmp/$row.h") q=$(med 1 "$tmp/$row.q")
    awk -v r="$row" -v a="$(med 1 "$tmp/$row.h")" -v b="$(med 2 "$tmp/$row.h")" -v c="$(med 3 "$tmp/$row.h")" \
        -v h="$h" -v q="$q" 'BEGIN {
        x = (h + 0 > 0 && q != "-") ? sprintf("%.1f", q / h) : "-"
        printf "%-29s %10s %15s %15s %13s %11s %12s\n", r, a, b, c, h, q, x
    }'
done
[ -n "$notes" ] && echo "notes: $(tr ';' '\n' <<<"$notes" | sort | uniq -c | awk 'NF > 1 { $1 = $1 "x"; print }' | paste -sd';')"
exit 0

#!/bin/bash
# Benchmarks side by side: bench/run.sh HARTVM ELFDIR
#
# Runs each workload ELFDIR/NAME.elf on hartvm and on qemu-system-riscv64
# -M virt (same binary, same command line), alternating, REPS times each,
# and prints one row per workload:
#   guest insns    minstret delta reported by the guest under hartvm. QEMU
#                  without -icount returns host ticks for minstret, so its
#                  own figure means nothing; the workloads are deterministic,
#                  so the count is the same work on both (BENCH_ICOUNT=1
#                  checks it against QEMU -icount shift=0, which counts ecall
#                  as executed where hartvm, like Spike, does not retire it).
#   CPU s          median user+sys seconds of the emulator process.
#   MIPS           guest insns / CPU s.   ratio: hartvm MIPS / QEMU MIPS.
#   host/guest     host instructions per guest instruction of hartvm:
#                  `perf stat -e instructions` if this machine counts them,
#                  else callgrind on two --max-insns bounded runs (the
#                  difference, so start-up cancels out).
#   load           the host's 1-minute load average when the row ended.
# Each run's result checksum must match between the emulators (a mismatch
# is flagged); nothing here asserts a time.
#
# A second table gives memory, from one more run of each emulator per
# workload (not timed):
#   -m             guest RAM size given.
#   touched        guest RAM the workload touched, MiB: the largest resident
#                  size of the emulator's guest-RAM mapping (the anonymous
#                  mapping of -m size in /proc/PID/smaps) seen by sampling
#                  every 10 ms, so a lower bound ("-" when the run ended
#                  before a sample). QEMU backs RAM with transparent huge
#                  pages where the host allows, so its figure is rounded up
#                  to 2 MiB pieces.
#   peak RSS       ru_maxrss of the emulator process, MiB (GNU time %M).
#                  hartvm's calloc'd RAM shares its mapping with whatever
#                  heap blocks the kernel merges into it (struct machine,
#                  about 0.7 MiB resident), so its figure is high by that.
#   over           hartvm's peak RSS - touched: its own overhead, which the
#                  design target is at most 16 MiB (flagged above).
#   files          of hartvm's RSS at the last sample, the part that maps
#                  files (RssFile: the executable and its shared libraries).
# Environment: REPS (default 3), QEMU (default qemu-system-riscv64),
# WORKLOADS (default: all), HOSTCOUNT=0 skips the host-instruction column,
# BENCH_ICOUNT=1 adds the QEMU check, MEMORY=0 skips the memory table.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 HARTVM ELFDIR" >&2
    exit 2
fi
hartvm=$1 dir=$2
reps=${REPS:-3}
qemu=${QEMU:-qemu-system-riscv64}
workloads=${WORKLOADS:-null int-m int-u mem-u misal-u ecall timer nbody matmul}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/lib.sh"

if ! command -v "$qemu" >/dev/null; then
    echo "bench: $qemu not found (Debian package qemu-system-misc)" >&2
    exit 1
fi

mem_of() { case $1 in mem-u) echo 256M ;; *) echo 128M ;; esac; }

# command line of EMU running workload NAME (extra QEMU options after it)
cmd_of() {
    local emu=$1 name=$2 elf=$dir/$2.elf
    if [ "$emu" = hartvm ]; then
        cmd=("$hartvm" -m "$(mem_of "$name")" -bios none -kernel "$elf" -nographic --timeout 600)
    else
        cmd=("$qemu" -M virt -m "$(mem_of "$name")" -bios none -kernel "$elf" -nographic "${@:3}")
    fi
}

# run EMU NAME: one run; prints "cpu_seconds insns result status"
run() {
    local st
    local -a cmd
    cmd_of "$@"
    # bash's time keyword reports the child's getrusage user and sys times.
    local TIMEFORMAT='%3U %3S'
    { time "${cmd[@]}" </dev/null >"$tmp/out" 2>"$tmp/err"; } 2>"$tmp/time"
    st=$?
    # time's own status is the child's
    read -r u s <"$tmp/time"
    local line insns result
    line=$(grep -a '^bench: ' "$tmp/out" | tail -n 1)
    insns=$(sed -n 's/.* insns=\([0-9]*\).*/\1/p' <<<"$line")
    result=$(sed -n 's/.* result=\(0x[0-9a-f]*\).*/\1/p' <<<"$line")
    echo "$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }') ${insns:-?} ${result:-?} $st"
}

# mem_run EMU NAME: prints "touched_KiB peak_rss_KiB file_rss_KiB"
# (touched 0 = no sample)
mem_run() {
    local -a cmd
    cmd_of "$@"
    local ramkb pid= max=0 r tp f files=0
    ramkb=$(($(mem_of "$2" | tr -d M) * 1024))
    rm -f "$tmp/pid"
    /usr/bin/time -f %M -o "$tmp/rss" bash -c 'echo $$ >"$0"; exec "$@"' "$tmp/pid" "${cmd[@]}" \
        </dev/null >/dev/null 2>&1 &
    tp=$!
    while kill -0 "$tp" 2>/dev/null; do
        [ -z "$pid" ] && pid=$(cat "$tmp/pid" 2>/dev/null)
        if [ -n "$pid" ]; then
            r=$(ram_rss "$pid" "$ramkb")
            [ "${r:-0}" -gt "$max" ] && max=$r
            f=$(status_kb "$pid" RssFile)
            [ -n "$f" ] && files=$f
        fi
        sleep 0.01
    done
    wait "$tp"
    echo "$max $(tail -n 1 "$tmp/rss") $files"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "?" }'; }

# host instructions per guest instruction of hartvm on NAME
have_perf=0
if perf stat -x, -e instructions true 2>&1 >/dev/null | grep -q '^[0-9]*,,instructions'; then
    have_perf=1
fi
have_vg=0
command -v valgrind >/dev/null && have_vg=1
host_per_guest() {
    local name=$1 guest=$2 elf=$dir/$1.elf m
    m=$(mem_of "$name")
    if [ "$have_perf" = 1 ]; then
        local n
        n=$(perf stat -x, -e instructions "$hartvm" -m "$m" -bios none -kernel "$elf" -nographic \
            2>&1 >/dev/null | awk -F, '$3 == "instructions" { print $1 }')
        awk -v n="$n" -v g="$guest" 'BEGIN { printf "%.1f", n / g }'
    elif [ "$have_vg" = 1 ]; then
        # two bounded runs; the difference is the cost of the extra guest insns
        local lo=2000000 hi=12000000 a b
        [ "$guest" -lt $((hi + 1000000)) ] && { echo "-"; return; }
        a=$(ir_of "$m" "$elf" $lo) b=$(ir_of "$m" "$elf" $hi)
        awk -v a="$a" -v b="$b" -v d=$((hi - lo)) 'BEGIN { printf "%.1f", (b - a) / d }'
    else
        echo "-"
    fi
}
ir_of() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$hartvm" -m "$1" -bios none -kernel "$2" -nographic --max-insns "$3" 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

method="perf stat"
[ "$have_perf" = 1 ] || method="callgrind (--max-insns 12M - 2M)"
[ "$have_perf" = 1 ] || [ "$have_vg" = 1 ] || method="unavailable"
[ "${HOSTCOUNT:-1}" = 0 ] && method="skipped"
echo "hartvm: $hartvm; QEMU: $("$qemu" --version | head -n 1); $reps repetitions, alternating; host $(nproc) CPUs"
echo "host instructions per guest instruction: $method"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %11s %9s %9s %11s %9s %6s %10s %5s  %s\n' workload "guest insns" "hartvm s" "QEMU s" \
    "hartvm MIPS" "QEMU MIPS" ratio "host/guest" load notes
status=0
for name in $workloads; do
    : >"$tmp/h" && : >"$tmp/q"
    notes=""
    guest=? hres=? qres=?
    for ((r = 0; r < reps; r++)); do
        read -r t insns res st < <(run hartvm "$name")
        echo "$t" >>"$tmp/h"
        [ "$st" = 0 ] || notes+="hartvm exit $st; "
        guest=$insns hres=$res
        read -r t insns res st < <(run qemu "$name")
        echo "$t" >>"$tmp/q"
        [ "$st" = 0 ] || notes+="QEMU exit $st; "
        qres=$res
    done
    [ "$hres" = "$qres" ] || { notes+="RESULTS DIFFER ($hres vs $qres); "; status=1; }
    if [ "${BENCH_ICOUNT:-0}" = 1 ]; then
        read -r t insns res st < <(run qemu "$name" -icount shift=0)
        notes+="QEMU icount insns $insns; "
    fi
    hs=$(median <"$tmp/h") qs=$(median <"$tmp/q")
    hpg="-"
    if [ "${HOSTCOUNT:-1}" != 0 ] && [ "$guest" != "?" ] && [ "$name" != null ]; then
        hpg=$(host_per_guest "$name" "$guest")
    fi
    awk -v n="$name" -v g="$guest" -v hs="$hs" -v qs="$qs" -v hpg="$hpg" -v notes="$notes" \
        -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
        big = g + 0 > 1000000
        hm = big && hs > 0 ? sprintf("%.0f", g / hs / 1e6) : "-"
        qm = big && qs > 0 ? sprintf("%.0f", g / qs / 1e6) : "-"
        ratio = big && hs > 0 && qs > 0 ? sprintf("%.2f", qs / hs) : "-"
        printf "%-8s %11s %9.3f %9.3f %11s %9s %6s %10s %5s  %s\n", n, g, hs, qs, hm, qm, ratio, hpg, load, notes
    }'
done

if [ "${MEMORY:-1}" != 0 ]; then
    echo
    if [ -x /usr/bin/time ]; then
        echo "memory, MiB (one run each; touched = largest resident guest-RAM mapping seen, peak = ru_maxrss)"
        printf '%-8s %5s %14s %12s %11s %12s %14s %12s  %s\n' workload -m "hartvm touched" "hartvm peak" \
            "hartvm over" "hartvm files" "QEMU touched" "QEMU peak" notes
        for name in $workloads; do
            read -r ht hp hf < <(mem_run hartvm "$name")
            read -r qt qp _ < <(mem_run qemu "$name")
            awk -v n="$name" -v m="$(mem_of "$name")" -v ht="$ht" -v hp="$hp" -v qt="$qt" -v qp="$qp" \
                -v hf="$hf" 'BEGIN {
                t = ht > 0 ? sprintf("%.1f", ht / 1024) : "-"
                over = ht > 0 ? (hp - ht) / 1024 : hp / 1024
                note = over > 16 ? "hartvm overhead above 16 MiB" : ""
                q = qt > 0 ? sprintf("%.1f", qt / 1024) : "-"
                f = hf > 0 ? sprintf("%.1f", hf / 1024) : "-"
                printf "%-8s %5s %14s %12.1f %11.1f %12s %14s %12.1f  %s\n", n, m, t, hp / 1024, over, f, q,
                    qp / 1024, note
            }'
        done
        echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    else
        echo "memory: /usr/bin/time not found (Debian package time); no memory table"
    fi
fi
exit $status

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
# Each run's result checksum must match between the emulators (a mismatch
# is flagged); nothing here asserts a time. Environment: REPS (default 3),
# QEMU (default qemu-system-riscv64), WORKLOADS (default: all), HOSTCOUNT=0
# skips the host-instruction column, BENCH_ICOUNT=1 adds the QEMU check.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 HARTVM ELFDIR" >&2
    exit 2
fi
hartvm=$1 dir=$2
reps=${REPS:-3}
qemu=${QEMU:-qemu-system-riscv64}
workloads=${WORKLOADS:-null int-m int-u mem-u ecall timer}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v "$qemu" >/dev/null; then
    echo "bench: $qemu not found (Debian package qemu-system-misc)" >&2
    exit 1
fi

mem_of() { case $1 in mem-u) echo 256M ;; *) echo 128M ;; esac; }

# run EMU NAME: one run; prints "cpu_seconds insns result status"
run() {
    local emu=$1 name=$2 elf=$dir/$2.elf st
    local -a cmd
    if [ "$emu" = hartvm ]; then
        cmd=("$hartvm" -m "$(mem_of "$name")" -bios none -kernel "$elf" -nographic --timeout 600)
    else
        cmd=("$qemu" -M virt -m "$(mem_of "$name")" -bios none -kernel "$elf" -nographic "${@:3}")
    fi
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
printf '%-8s %11s %9s %9s %11s %9s %6s %10s  %s\n' workload "guest insns" "hartvm s" "QEMU s" \
    "hartvm MIPS" "QEMU MIPS" ratio "host/guest" notes
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
    awk -v n="$name" -v g="$guest" -v hs="$hs" -v qs="$qs" -v hpg="$hpg" -v notes="$notes" 'BEGIN {
        big = g + 0 > 1000000
        hm = big && hs > 0 ? sprintf("%.0f", g / hs / 1e6) : "-"
        qm = big && qs > 0 ? sprintf("%.0f", g / qs / 1e6) : "-"
        ratio = big && hs > 0 && qs > 0 ? sprintf("%.2f", qs / hs) : "-"
        printf "%-8s %11s %9.3f %9.3f %11s %9s %6s %10s  %s\n", n, g, hs, qs, hm, qm, ratio, hpg, notes
    }'
done
exit $status

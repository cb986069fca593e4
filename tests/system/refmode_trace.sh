#!/bin/bash
# The reference mode against the fast paths, which may change how fast a
# guest runs but never what it does. --no-fast-paths decodes every
# instruction afresh and walks the page table on every access;
# --trace-digest hashes every instruction (hart, pc, encoding) and writes
# the running hash, a register-state hash and every interrupt taken
# (cpu/trace_digest.h). With -icount both modes must write identical files.
#  a. every ISA program (tests/isa): a full trace (one line per
#     instruction), the same in both modes, the program's own verdict
#     (pass, or its expected failing case) in both; a program that counts
#     TLB misses (a line "refmode-expect-fail: N") fails its case N in
#     reference mode, which has no TLB, and its traces are not compared.
#  b. Linux (roms/linux, via `make linux`): the first LINUX_INSNS steps
#     on one hart, a digest line every 100000 instructions plus every
#     interrupt; identical digests and console output; the window reaches
#     the Linux banner and takes timer interrupts. Then OpenSBI and Linux on
#     two harts for SMP_INSNS (the harts' interleaving).
#  c. The comparison can fail: a run with another -icount shift shares the
#     beginning of the reference run's trace but not its digest; a run with
#     another kernel command line differs too.
# Usage: refmode_trace.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=refmode_trace
LINUX_INSNS=${LINUX_INSNS:-30000000}
SMP_INSNS=${SMP_INSNS:-4000000}
cd "$(dirname "$0")/../.."
. tests/system/lib/check.sh
# same A B: identical files; else show where they part.
same() {
    cmp -s "$1" "$2" && return 0
    diff "$1" "$2" | head -n 4 | sed "s/^/$NAME:   /"
    return 1
}
differ() { ! cmp -s "$1" "$2"; }
# nonempty TRACE: instructions traced and an end line.
nonempty() { grep -Eq '^end [1-9][0-9]* hash=' "$1" && [ "$(grep -c ' pc=' "$1")" -gt 0 ]; }
# run MODE OUT ARGS...: hartvm traced (MODE fast or ref); exit status in OUT.rc.
run() {
    local mode=$1 out=$2; shift 2
    local extra=()
    [ "$mode" = ref ] && extra=(--no-fast-paths)
    "$HARTVM" -nographic "${extra[@]}" --trace-file "$out.trace" "$@" \
        </dev/null >"$out.con" 2>"$out.err"
    echo $? >"$out.rc"
}
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- a. the ISA programs -------------------------------------------------
elfs=()
for s in tests/isa/*.S; do elfs+=("$BUILD/${s%.S}.elf"); done
if ! make -s BUILD="$BUILD" "$HARTVM" "${elfs[@]}" >"$tmp/make.log" 2>&1; then
    check "build hartvm and the ISA programs: $(tail -n 1 "$tmp/make.log")" false
    elfs=()
fi
t0=$(date +%s.%N)
for elf in "${elfs[@]}"; do
    n=$(basename "$elf" .elf)
    want=0
    if [[ $n == *must_fail* ]]; then
        want=$(sed -n 's/^[[:space:]]*#[[:space:]]*expect-fail:[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
               "tests/isa/$n.S" | head -n 1)
    fi
    # the extra arguments a program names for itself (tests/isa/run.sh)
    args=$(sed -n 's/^#[[:space:]]*hartvm-args:[[:space:]]*//p' "tests/isa/$n.S" | head -n 1)
    for mode in fast ref; do
        # shellcheck disable=SC2086
        run $mode "$tmp/$n.$mode" -bios none -kernel "$elf" -icount shift=0 --trace-digest 1 --timeout 60 $args
    done
    # a program of micro-architectural counts (TLB misses) fails by design
    # in reference mode, which has no TLB: its case is named, and no trace
    # can be the same
    refwant=$(sed -n 's/^#[[:space:]]*refmode-expect-fail:[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
              "tests/isa/$n.S" | head -n 1)
    if [ -n "$refwant" ]; then
        what="exits ${want:-?} fast, $refwant in reference mode"
    else
        what="exits $want in both modes"
    fi
    check "$n: $what (fast $(cat "$tmp/$n.fast.rc"), ref $(cat "$tmp/$n.ref.rc"))" \
        test "$(cat "$tmp/$n.fast.rc") $(cat "$tmp/$n.ref.rc")" = "${want:-?} ${refwant:-${want:-?}}"
    check "$n: a trace was written" nonempty "$tmp/$n.fast.trace"
    [ -n "$refwant" ] && continue
    check "$n: identical full traces ($(grep -c ' pc=' "$tmp/$n.fast.trace") instructions)" \
        same "$tmp/$n.fast.trace" "$tmp/$n.ref.trace"
done
echo "$NAME: ${#elfs[@]} ISA programs in both modes in $(secs "$t0") s"
# the ISA comparison can fail: the timer program under another time base
if [ -f "$tmp/priv_irq.ref.trace" ]; then
    run fast "$tmp/irq1" -bios none -kernel "$BUILD/tests/isa/priv_irq.elf" -icount shift=1 \
        --trace-digest 1 --timeout 60
    check "priv_irq with -icount shift=1 passes" test "$(cat "$tmp/irq1.rc")" = 0
    check "priv_irq's trace under shift=1 differs from shift=0's" \
        differ "$tmp/irq1.trace" "$tmp/priv_irq.ref.trace"
fi

# ---- b. Linux ------------------------------------------------------------
if ! make -s BUILD="$BUILD" linux >"$tmp/make.log" 2>&1; then
    check "build the Linux guest: $(tail -n 1 "$tmp/make.log")" false
    summary; exit 1
fi
L=$BUILD/roms/linux
linux() {   # linux MODE OUT INSNS APPEND ARGS...
    local mode=$1 out=$2 insns=$3 append=$4; shift 4
    run "$mode" "$out" -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append "$append" \
        --max-insns "$insns" --trace-digest 100000 --timeout 600 "$@"
}
APPEND="console=ttyS0 earlycon"
t0=$(date +%s.%N)
linux fast "$tmp/lf" "$LINUX_INSNS" "$APPEND" -icount shift=3
echo "$NAME: Linux, $LINUX_INSNS instructions through the fast paths in $(secs "$t0") s"
t0=$(date +%s.%N)
linux ref "$tmp/lr" "$LINUX_INSNS" "$APPEND" -icount shift=3
t=$(secs "$t0")
echo "$NAME: Linux, $LINUX_INSNS instructions in reference mode in $t s" \
     "($(awk -v n="$LINUX_INSNS" -v t="$t" 'BEGIN { printf "%.2f", n / t / 1e6 }') MIPS)"
for mode in f r; do
    check "Linux ($mode): --max-insns ends the run (exit $(cat "$tmp/l$mode.rc"))" \
        test "$(cat "$tmp/l$mode.rc")" = 125
done
# --max-insns counts steps, instructions and traps taken alike, so the
# window holds LINUX_INSNS less the traps: at least 99% of it retires.
traced=$(awk '$1 == "end" { n = $2 } END { print n + 0 }' "$tmp/lf.trace")
check "Linux: the trace covers the window ($traced of $LINUX_INSNS steps retired)" \
    awk -v t="$traced" -v n="$LINUX_INSNS" 'BEGIN { exit !(t <= n && t >= n * 0.99) }'
check "Linux: a digest line per 100000 instructions" \
    test "$(grep -c ' pc=' "$tmp/lf.trace")" -ge $((traced / 100000))
check "Linux: the window reaches the Linux banner" grep -q "Linux version 6\.1\." "$tmp/lf.con"
timers=$(grep -cE '^irq .* cause=800000000000000[57] ' "$tmp/lf.trace")
check "Linux: timer interrupts in the window ($timers)" test "$timers" -ge 10
check "Linux: identical digests, interrupts included" same "$tmp/lf.trace" "$tmp/lr.trace"
check "Linux: identical console output" same "$tmp/lf.con" "$tmp/lr.con"

# Two harts: OpenSBI's boot on both and the harts' turns.
t0=$(date +%s.%N)
linux fast "$tmp/sf" "$SMP_INSNS" "$APPEND" -icount shift=3 -smp 2
linux ref "$tmp/sr" "$SMP_INSNS" "$APPEND" -icount shift=3 -smp 2
echo "$NAME: Linux on 2 harts, $SMP_INSNS instructions in both modes in $(secs "$t0") s"
check "2 harts: both harts traced" \
    bash -c "grep -q ' h0 pc=' '$tmp/sf.trace' && grep -q ' h1 pc=' '$tmp/sf.trace'"
check "2 harts: identical digests" same "$tmp/sf.trace" "$tmp/sr.trace"

# ---- c. the comparison can fail -------------------------------------------
# Another time base, another command line: the same start, another digest.
linux fast "$tmp/p1" "$LINUX_INSNS" "$APPEND" -icount shift=4
linux fast "$tmp/p2" "$LINUX_INSNS" "$APPEND quiet" -icount shift=3
check "-icount shift=4: the first digest line is the reference run's (time not read yet)" \
    test "$(head -n 1 "$tmp/p1.trace")" = "$(head -n 1 "$tmp/lr.trace")"
check "-icount shift=4: the digest differs from the reference run's" differ "$tmp/p1.trace" "$tmp/lr.trace"
check "-append '... quiet': the digest differs from the reference run's" differ "$tmp/p2.trace" "$tmp/lr.trace"

summary

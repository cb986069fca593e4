#!/bin/bash
# Run one fuzz harness as a test suite (tests/system/fuzz_NAME.sh calls this):
#   fuzz/run.sh NAME [BUILD]
#   1. every regression input in fuzz/regress/NAME/ replays cleanly (one case each)
#   2. every seed in fuzz/corpus/NAME/ replays cleanly
#   3. libFuzzer runs for FUZZ_SECONDS (default 30) from a scratch copy of the
#      seeds and regression inputs without a crash, sanitizer report, hang
#      (-timeout) or memory blow-up (-rss_limit_mb); prints executions and edges.
# A crash found is kept in build-fuzz/artifacts/NAME/: add it to fuzz/regress/NAME/
# once the bug is fixed. Ends with "fuzz_NAME: P passed, F failed".
set -u
H=$1
cd "$(dirname "$0")/.."
BIN=build-fuzz/fuzz_$H
SECS=${FUZZ_SECONDS:-30}
MAXLEN=${FUZZ_MAXLEN:-16384}
NAME=fuzz_$H
show_passes=1
. tests/system/lib/check.sh
scratch=$tmp

if ! make -s "$BIN" >"$scratch/build.log" 2>&1; then
    tail -20 "$scratch/build.log"
    bad "build $BIN"
    summary; exit
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

for f in fuzz/regress/"$H"/*; do
    [ -f "$f" ] || continue
    if "$BIN" -timeout=60 "$f" >"$scratch/out" 2>&1; then
        ok "regression $(basename "$f")"
    else
        grep -m3 -E "ERROR|differ|runtime error|fuzz_$H:" "$scratch/out"
        bad "regression $(basename "$f")"
    fi
done

mkdir "$scratch/corpus" "$scratch/art"
cp fuzz/corpus/"$H"/* "$scratch/corpus/" 2>/dev/null
cp fuzz/regress/"$H"/* "$scratch/corpus/" 2>/dev/null
if "$BIN" -timeout=60 -max_len="$MAXLEN" -runs=0 "$scratch/corpus" >"$scratch/out" 2>&1; then
    ok "$(ls "$scratch/corpus" | wc -l) seeds replay ($(grep -o 'cov: [0-9]*' "$scratch/out" | tail -1) edges)"
else
    grep -m3 -E "ERROR|differ|runtime error|fuzz_$H:" "$scratch/out"
    bad "seed replay"
fi

"$BIN" -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2048 -max_len="$MAXLEN" \
    -artifact_prefix="$scratch/art/" -print_final_stats=1 "$scratch/corpus" >"$scratch/out" 2>&1
st=$?
execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$scratch/out")
cov=$(grep -oE 'cov: [0-9]+' "$scratch/out" | tail -1 | cut -d' ' -f2)
if [ "$st" -eq 0 ] && [ -z "$(ls "$scratch/art")" ]; then
    ok "fuzzed ${SECS}s: ${execs:-?} executions, ${cov:-?} edges"
else
    grep -m5 -E "ERROR|differ|runtime error|fuzz_$H:|SUMMARY" "$scratch/out"
    mkdir -p build-fuzz/artifacts/"$H"
    cp "$scratch"/art/* build-fuzz/artifacts/"$H"/ 2>/dev/null
    cp "$scratch/out" build-fuzz/artifacts/"$H"/log
    bad "fuzzed ${SECS}s: status $st after ${execs:-?} executions; inputs and log in build-fuzz/artifacts/$H/"
fi
summary

#!/bin/bash
# Run every unit-test binary given; sum Check's counts into one summary line.
set -u
NAME=unit
. "$(dirname "$0")/../system/lib/check.sh"
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    echo "$out"
    line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' <<<"$out" | tail -1)
    if [ -z "$line" ]; then
        bad "$(basename "$t"): no Check summary (exit $rc)"; continue
    fi
    n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1+\2/' <<<"$line")
    f=$((f))
    tally $((n - f)) "$f"
    [ $rc -eq 0 ] || [ $f -gt 0 ] || bad "$(basename "$t"): exit $rc without a failed check"
done
summary

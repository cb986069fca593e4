#!/bin/bash
# Run every unit-test binary given; sum Check's counts into one summary line.
set -u
passed=0; failed=0
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    echo "$out"
    line=$(grep -E '^[0-9]+%: Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' <<<"$out" | tail -1)
    if [ -z "$line" ]; then
        echo "$(basename "$t"): no Check summary (exit $rc)"
        failed=$((failed + 1)); continue
    fi
    n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1+\2/' <<<"$line")
    f=$((f))
    passed=$((passed + n - f)); failed=$((failed + f))
    [ $rc -eq 0 ] || [ $f -gt 0 ] || failed=$((failed + 1))
done
echo "unit: $passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]

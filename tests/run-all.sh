#!/bin/bash
# Run every test suite against the build in $1 (default: build) and print
# one closing line with the totals. Each suite ends with a line
# "NAME: P passed, F failed"; a suite that exits non-zero without one, or
# with F = 0, still counts as one failure.
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary_re='^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed'
start=$(date +%s)

run_suite() {
    local name=$1; shift
    local out=$work/$name.out t0=$(date +%s)
    echo "=== $name"
    "$@" 2>&1 | tee "$out"
    local rc=${PIPESTATUS[0]}
    local last=$(grep -E "$summary_re" "$out" | tail -1)
    if [ -z "$last" ]; then
        last="$name: 0 passed, 1 failed"
        echo "$last (no summary line, exit $rc)"
    elif [ "$rc" -ne 0 ] && [ "$(awk '{ print $4 }' <<<"$last")" = 0 ]; then
        last="$name: 0 passed, 1 failed"
        echo "$last (exit $rc)"
    fi
    echo "$last" >> "$work/summaries"
    echo "--- $name: $(( $(date +%s) - t0 )) s"
}

run_suite unit   make -s BUILD="$BUILD" unit
run_suite isa    make -s BUILD="$BUILD" isa
run_suite disasm make -s BUILD="$BUILD" disasm-check
for s in tests/system/*.sh; do
    run_suite "$(basename "$s" .sh)" "$s" "$BUILD"
done

read -r passed failed < <(awk '{ p += $2; f += $4 } END { print p + 0, f + 0 }' "$work/summaries")
echo "=== all suites in $(( $(date +%s) - start )) s"
grep -E ': [0-9]+ passed, [1-9][0-9]* failed' "$work/summaries" | sed 's/^/failed suite: /'
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

#!/bin/bash
# Run every test suite against the build in $1 (default: build) and print
# one closing line with the totals. Each suite prints "NAME: P passed, F failed".
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
start=$(date +%s)

run_suite() {
    local name=$1; shift
    echo "=== $name"
    if ! "$@" 2>&1 | tee -a "$log"; then
        status=1
        # A suite that died before its summary line still counts as failed.
        grep -q "^$name: [0-9]* passed, [0-9]* failed" "$log" || echo "$name: 0 passed, 1 failed" | tee -a "$log"
    fi
}

run_suite unit   make -s BUILD="$BUILD" unit
run_suite isa    make -s BUILD="$BUILD" isa
run_suite disasm make -s BUILD="$BUILD" disasm-check
for s in tests/system/*.sh; do
    [ -e "$s" ] || continue
    n=$(basename "$s" .sh)
    run_suite "$n" "$s" "$BUILD"
done

read -r passed failed < <(awk '/^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
    END { print p + 0, f + 0 }' "$log")
[ "$failed" -eq 0 ] || status=1
[ "$passed" -gt 0 ] || status=1
echo "=== all suites in $(( $(date +%s) - start )) s"
echo "total: $passed passed, $failed failed"
exit $status

#!/bin/bash
# Containment and per-instance resource limits (a fleet runs untrusted
# guests side by side, each within its bounds), with a guest that
# prints to the UART forever:
#   - stdout a pipe nobody drains: --timeout still ends the run (exit 124)
#     instead of hartvm blocking in write() forever;
#   - --serial-limit BYTES ends it with exit 123 after exactly BYTES bytes
#     (file and pipe), and says so on stderr; --help documents it;
#   - --max-insns ends it with 125, --timeout with 124; -m out of range is a
#     usage error (2);
#   - the guest creates no host files (cwd and TMPDIR stay empty).
# Usage: containment.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$(cd "$(dirname "$BUILD/hartvm")" && pwd)/hartvm
NAME=containment
cd "$(dirname "$0")/../.."
. tests/system/lib/check.sh
cat >"$tmp/flood.S" <<'ASM'
    .section .text.init
    .globl _start
_start:
    li t0, 0x10000000
    li t1, 'x'
1:  sb t1, 0(t0)
    j 1b
ASM
rv_cc "$tmp/flood.elf" "$tmp/flood.S" -march=rv64gc || give_up "cannot build the guest"
run() { "$HARTVM" -bios none -kernel "$tmp/flood.elf" -nographic "$@"; }
mkdir "$tmp/cwd" "$tmp/tmpdir"

# 1. a pipe that is never drained: the reader holds it open and never reads
mkfifo "$tmp/fifo"
exec 4<>"$tmp/fifo"
t0=$(date +%s)
(cd "$tmp/cwd" && TMPDIR="$tmp/tmpdir" timeout -s KILL 30 "$HARTVM" -bios none -kernel "$tmp/flood.elf" \
    -nographic --timeout 2 >&4 2>"$tmp/err1")
st=$?
exec 4>&-
dt=$(( $(date +%s) - t0 ))
check "undrained pipe: --timeout fires, exit 124 (got $st after ${dt}s)" test "$st" -eq 124
check "undrained pipe: 'timeout' on stderr" grep -q "timeout after" "$tmp/err1"
check "undrained pipe: dropped output reported" grep -q "console output is not being read" "$tmp/err1"

# 2. --serial-limit to a file and to a pipe
(cd "$tmp/cwd" && TMPDIR="$tmp/tmpdir" run --serial-limit 10K --timeout 30 >"$tmp/out2" 2>"$tmp/err2")
st=$?
check "--serial-limit 10K: exit 123 (got $st)" test "$st" -eq 123
check "--serial-limit 10K: exactly 10240 bytes written (got $(wc -c <"$tmp/out2"))" test "$(wc -c <"$tmp/out2")" -eq 10240
check "--serial-limit: message on stderr" grep -q "serial output limit of 10240 bytes reached" "$tmp/err2"
run --serial-limit 3000 --timeout 30 2>/dev/null | wc -c >"$tmp/count3"
st=${PIPESTATUS[0]}
check "--serial-limit to a pipe: exit 123 (got $st)" test "$st" -eq 123
check "--serial-limit to a pipe: 3000 bytes (got $(cat "$tmp/count3"))" test "$(cat "$tmp/count3")" -eq 3000
run --serial-limit 0 >/dev/null 2>&1; st=$?
check "--serial-limit 0 is a usage error (got $st)" test "$st" -eq 2
check "--help documents --serial-limit" sh -c "\"$HARTVM\" --help | grep -q -- --serial-limit"

# 3. the other limits
run --max-insns 100000 >/dev/null 2>&1; st=$?
check "--max-insns: exit 125 (got $st)" test "$st" -eq 125
run --timeout 1 >/dev/null 2>&1; st=$?
check "--timeout to /dev/null: exit 124 (got $st)" test "$st" -eq 124
run -m 128G --timeout 1 >/dev/null 2>&1; st=$?
check "-m beyond 64G is a usage error (got $st)" test "$st" -eq 2
run -m 4M --max-insns 100000 --timeout 20 >/dev/null 2>&1; st=$?
check "-m 4M: runs to --max-insns (got $st)" test "$st" -eq 125

# 4. no host files
check "no files created in the working directory" test -z "$(ls -A "$tmp/cwd")"
check "no files created in TMPDIR" test -z "$(ls -A "$tmp/tmpdir")"

summary

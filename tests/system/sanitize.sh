#!/bin/bash
# The sanitizer gate (a memory or undefined-behaviour error fails a test
# here rather than a user's run): build `make SANITIZE=1` (build-san/, ASan
# + UBSan, every UBSan check fatal) and run the unit tests and the ISA tests
# in it with ASan and UBSan halting on the first report. When the Linux guest
# has been built in BUILD (tests/system/linux_boot.sh builds it; run-all.sh
# runs that first), also boot it to the shell prompt in the sanitizer build
# and power it off (SANITIZE_LINUX=0 skips this).
# Any sanitizer report fails the suite. Usage: sanitize.sh [BUILD]
set -u
BUILD=${1:-build}
SAN=build-san
NAME=sanitize
cd "$(dirname "$0")/../.."
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
HARTVM=$SAN/hartvm
. tests/system/lib/console.sh
note() { echo "$NAME: $*"; }
out=$tmp/make.out

# A suite's own "NAME: P passed, F failed" line is re-labelled so run-all.sh
# counts this suite's totals once.
suite() {   # suite NAME make-target
    make -s SANITIZE=1 "$2" >"$out" 2>&1
    local st=$? line p f
    line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
    p=$(awk '{ print $2 }' <<<"${line:-x: 0}"); f=$(awk '{ print $4 }' <<<"${line:-x: 0 passed, 1 failed}")
    tally "${p:-0}" "${f:-1}"
    if grep -qE "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$out"; then
        grep -m5 -E "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$out"
        bad "sanitizer report in the $1 tests"
    elif [ $st -ne 0 ] && [ "${f:-1}" -eq 0 ]; then
        tail -5 "$out"; bad "make $2 exited $st"
    fi
    grep -E "FAIL|fail" "$out" | grep -v " 0 failed" | head -10
    note "$1 in $SAN: ${p:-0} passed, ${f:-?} failed"
}

make -s SANITIZE=1 all >"$out" 2>&1 || { tail -20 "$out"; give_up "make SANITIZE=1 all failed"; }
suite unit unit
suite isa isa

# One Linux boot, when the guest exists (it is built by linux_boot.sh).
L=$BUILD/roms/linux
if [ "${SANITIZE_LINUX:-1}" = 1 ] && [ -f "$L/Image" ] && [ -f "$L/initramfs.cpio" ]; then
    start --timeout 660 -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append console=ttyS0
    prompt=0
    wait_for '[~/] # $' 600 && { prompt=1; type_line 'poweroff -f'; }
    finish 660
    cat "$tmp/err" >>"$log"
    if [ $prompt = 1 ] && [ $rc -eq 0 ] && ! grep -qE "ERROR: AddressSanitizer|runtime error:" "$log"; then
        ok; note "Linux boot to a shell and poweroff in $SAN: ok"
    else
        bad "Linux boot in $SAN (prompt $prompt, exit $rc)"
        grep -m5 -E "ERROR: AddressSanitizer|runtime error:|SUMMARY" "$log" || tail -5 "$log"
    fi
else
    note "Linux boot in $SAN skipped (SANITIZE_LINUX=0, or no guest: linux_boot.sh builds $L)"
fi
summary

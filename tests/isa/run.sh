#!/bin/bash
# Run self-checking ISA programs: tests/isa/run.sh HARTVM ELF...
#
# Each ELF runs bare-metal; its exit status is the number of the failing
# case (test finisher) or 0 for a pass. One line per program, then
# "isa: P passed, F failed"; the exit status is 0 only if all passed
# (tests/system/lib/check.sh keeps the count).
#
# A line "# hartvm-args: ARGS" in a program's source adds ARGS to its
# command line (e.g. -cpu max for extensions QEMU's rv64 leaves off).
#
# A program whose name contains "must_fail" proves that the harness can
# fail: its source (tests/isa/NAME.S) names the case it must fail in a line
# "# expect-fail: N", and it passes only when hartvm exits with exactly N.
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 HARTVM ELF..." >&2
    exit 2
fi
hartvm=$1; shift
srcdir=$(dirname "$0")
NAME=isa
show_passes=1
. "$srcdir/../system/lib/check.sh"
errlog=$tmp/err

# Why a run failed, from its exit status and hartvm's stderr.
reason() {
    local st=$1 code
    code=$(sed -n 's/.*guest reported failure code \([0-9]*\).*/\1/p' "$errlog" | head -n 1)
    if [ -n "$code" ]; then
        echo "case $code"
    elif [ "$st" -eq 124 ]; then
        echo "timeout"
    else
        echo "exit status $st: $(head -n 1 "$errlog")"
    fi
}

for elf in "$@"; do
    name=$(basename "$elf" .elf)
    # a program that needs more than the default hart names it: "# hartvm-args: ..."
    # (a generated source sits beside its ELF)
    src=$srcdir/$name.S
    [ -f "$src" ] || src=${elf%.elf}.S
    args=$(sed -n 's/^#[[:space:]]*hartvm-args:[[:space:]]*//p' "$src" 2>/dev/null | head -n 1)
    # shellcheck disable=SC2086
    "$hartvm" -bios none -kernel "$elf" -nographic --timeout 20 $args </dev/null >/dev/null 2>"$errlog"
    st=$?
    if [[ $name == *must_fail* ]]; then
        want=$(sed -n 's/^[[:space:]]*#[[:space:]]*expect-fail:[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
               "$srcdir/$name.S" 2>/dev/null | head -n 1)
        if [ -z "$want" ]; then
            bad "$name (no '# expect-fail: N' line in $srcdir/$name.S)"
        elif [ "$st" -eq "$want" ]; then
            ok "$name (failed in case $want as expected)"
        else
            bad "$name (expected to fail in case $want, got $( [ $st -eq 0 ] && echo pass || reason $st))"
        fi
    elif [ "$st" -eq 0 ]; then
        ok "$name"
    else
        bad "$name ($(reason $st))"
    fi
done
summary

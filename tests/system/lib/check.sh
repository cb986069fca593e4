# Pass/fail bookkeeping shared by the test suites: numbered checks, the
# closing line tests/run-all.sh parses ("NAME: P passed, F failed"), a
# scratch directory and clean-up at exit. Source it after setting NAME
# (default: the script's name); it sets passed, failed, case_no and tmp.
#
# CHECK_FAIL_CASE=N turns check number N into a failure: proof that a suite
# still fails (and exits non-zero) when one of its checks does.
NAME=${NAME:-$(basename "$0" .sh)}
passed=0; failed=0; case_no=0
# The repository's root, whatever the caller's working directory.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

# Clean-up at exit: commands registered by at_exit run last in, first out,
# then the scratch directory goes.
_at_exit=()
at_exit() { _at_exit=("$1" "${_at_exit[@]}"); }
_run_at_exit() {
    local c
    for c in "${_at_exit[@]}"; do eval "$c"; done
    [ -n "${KEEP_TMP-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
tmp=$(mktemp -d)
trap _run_at_exit EXIT

# ok [WHAT]: one check passed. show_passes=1 prints it too. Always status 0,
# so that `COND && ok || bad ...` counts one case either way.
ok() {
    case_no=$((case_no + 1))
    if [ "$case_no" = "${CHECK_FAIL_CASE-}" ]; then
        _failed "${1:-a passing check}: made to fail by CHECK_FAIL_CASE=$case_no"; return 0
    fi
    passed=$((passed + 1))
    [ "${show_passes-}" = 1 ] && echo "  ok   $case_no: ${1-}"
    return 0
}
# bad WHAT: one check failed; the reason is printed with its number. Status 1.
bad() { case_no=$((case_no + 1)); _failed "$1"; return 1; }
_failed() {
    failed=$((failed + 1))
    echo "$NAME: FAIL case $case_no: $1"
    # a suite may define on_fail to show more (a terminal's screen, a log)
    if declare -F on_fail >/dev/null; then on_fail; fi
}
# check WHAT COMMAND...: one check, passed when COMMAND succeeds.
check() { if "${@:2}"; then ok "$1"; else bad "$1"; fi; }

# tally P F: P passes and F failures counted elsewhere (a suite run inside
# this one, with its own closing line).
tally() { passed=$((passed + $1)); failed=$((failed + $2)); }

# summary: the closing line; status 0 only if nothing failed and something
# passed. A script that ends with it exits with that status.
summary() {
    echo "$NAME: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
# give_up WHAT: the suite cannot go on (a tool or a build is missing): say
# why, count it as a failure, close and exit.
give_up() { echo "$NAME: $1"; failed=$((failed + 1)); summary; exit 1; }
# need TOOL...: give up unless every TOOL is on PATH.
need() {
    local t
    for t in "$@"; do command -v "$t" >/dev/null || give_up "$t missing (make deps)"; done
}
# need_hartvm: give up unless $HARTVM has been built.
need_hartvm() { [ -x "$HARTVM" ] || give_up "$HARTVM not built (make)"; }

# wait_until SECS COMMAND...: try COMMAND every 0.1 s until it succeeds
# (status 0) or SECS seconds of wall time have passed (status 1): a loaded
# host slows each try, so the limit is not a count of tries. While wait_pid
# names a process, its end stops the wait: one last try decides, as its
# output is then complete.
wait_until() {
    local end=$((SECONDS + $1)); shift
    while :; do
        "$@" && return 0
        if [ -n "${wait_pid-}" ] && ! kill -0 "$wait_pid" 2>/dev/null; then "$@"; return; fi
        [ "$SECONDS" -lt "$end" ] || return 1
        sleep 0.1
    done
}
# gone PID...: none of the processes runs any more.
gone() {
    local p
    for p in "$@"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && return 1; done
    return 0
}

# Bare-metal guests of our own: RV_FLAGS link at the boot ROM's jump target
# (tests/isa/link.ld); rv_cc OUT SOURCE [FLAGS...] builds one.
RV_CC=riscv64-unknown-elf-gcc
RV_FLAGS="-march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static -mcmodel=medany
          -Wl,--no-relax -T $ROOT/tests/isa/link.ld"
# shellcheck disable=SC2086
rv_cc() { $RV_CC $RV_FLAGS "${@:3}" "$2" -o "$1"; }

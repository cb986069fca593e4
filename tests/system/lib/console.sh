# Shared helpers for tests/system scripts that drive a guest console as a
# person would: hartvm's stdin is a FIFO we type into, its output a log we
# wait on. Source it after setting NAME and HARTVM.
passed=0; failed=0; case_no=0
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; exec 3>&- 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

ok()    { case_no=$((case_no + 1)); passed=$((passed + 1)); }
bad()   { case_no=$((case_no + 1)); failed=$((failed + 1)); echo "$NAME: FAIL case $case_no: $1"; }
check() { if "${@:2}"; then ok; else bad "$1"; fi; }

# start ARGS...: hartvm with stdin on a FIFO (fd 3 writes to it), output in $log.
start() {
    log=$tmp/out.log
    rm -f "$tmp/in" "$log"; mkfifo "$tmp/in"
    $HARTVM -nographic "$@" <"$tmp/in" >"$log" 2>"$tmp/err" &
    pid=$!
    exec 3>"$tmp/in"
    mark=0
}
# wait_for REGEX SECS: the output since the last typed line matches (CR removed).
wait_for() {
    local end=$((SECONDS + $2))    # wall time: a loaded host slows each poll
    while [ "$SECONDS" -lt "$end" ]; do
        tail -c +$((mark + 1)) "$log" 2>/dev/null | tr -d '\r' | grep -qE "$1" && return 0
        kill -0 "$pid" 2>/dev/null || { tail -c +$((mark + 1)) "$log" | tr -d '\r' | grep -qE "$1"; return; }
        sleep 0.1
    done
    return 1
}
# type_line TEXT: send a line as a terminal would (CR), marking the log first.
type_line() { mark=$(stat -c %s "$log"); printf '%s\r' "$1" >&3; }
# finish SECS: close stdin, wait for the exit status in $rc (999 if it hangs).
finish() {
    local end=$((SECONDS + $1))
    exec 3>&-
    while [ "$SECONDS" -lt "$end" ]; do
        kill -0 "$pid" 2>/dev/null || { wait "$pid"; rc=$?; pid=; return; }
        sleep 0.1
    done
    kill "$pid"; wait "$pid" 2>/dev/null; pid=; rc=999
}
# summary: the closing line run-all.sh reads; the exit status.
summary() {
    echo "$NAME: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

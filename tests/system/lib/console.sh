# Driving a guest console as a person would: hartvm's stdin is a FIFO we
# type into, its output a log we wait on. Source it after setting NAME and
# HARTVM; it brings lib/check.sh with it.
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"
pid=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null; exec 3>&- 2>/dev/null'

# start ARGS...: hartvm with stdin on a FIFO (fd 3 writes to it), output in $log.
start() {
    log=$tmp/out.log
    rm -f "$tmp/in" "$log"; mkfifo "$tmp/in"
    $HARTVM -nographic "$@" <"$tmp/in" >"$log" 2>"$tmp/err" &
    pid=$!
    exec 3>"$tmp/in"
    mark=0
}
# log_has REGEX: the output since the last typed line matches (CR removed).
log_has() { tail -c +$((mark + 1)) "$log" 2>/dev/null | tr -d '\r' | grep -qE "$1"; }
# wait_for REGEX SECS: log_has REGEX within SECS, or as soon as hartvm ends.
wait_for() { wait_pid=$pid wait_until "$2" log_has "$1"; }
# type_line TEXT: send a line as a terminal would (CR), marking the log first.
type_line() { mark=$(stat -c %s "$log"); printf '%s\r' "$1" >&3; }
# show_console: the console's last 40 lines and hartvm's stderr, for a failure.
show_console() { echo "--- console (last 40 lines)"; tr -d '\r' <"$log" | tail -40; echo; cat "$tmp/err"; }
# finish SECS: close stdin, wait for the exit status in $rc (999 if it hangs).
finish() {
    exec 3>&-
    if wait_until "$1" gone "$pid"; then wait "$pid"; rc=$?
    else kill "$pid"; wait "$pid" 2>/dev/null; rc=999; fi
    pid=
}

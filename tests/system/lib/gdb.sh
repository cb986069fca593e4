# Helpers for the suites that drive gdb-multiarch against the gdb stub
# (source after check.sh). Files are named relative to $tmp.
listening() { ss -ltn | grep -q "[:.]$1 "; }
has()  { check "$1: no line '$2'" grep -Fxq -- "$2" "$tmp/$1"; }
like() { check "$1: no line matching '$2'" grep -Eq -- "$2" "$tmp/$1"; }
# the values gdb printed as $N for `p EXPR`, in order
vals() { grep -E '^\$[0-9]+ = ' "$tmp/$1" | sed -E 's/^\$[0-9]+ = //; s/^\(void \(\*\)\(\)\) //'; }
# ctrl_c OUT GDB-ARGS...: gdb-multiarch -batch with output in $tmp/OUT, and
# SIGINT (Ctrl-C) a second after it has connected (its first output, the
# frame it stopped in; -batch prints no "Continuing."), not at a fixed time:
# on a loaded host gdb may take seconds to connect. It then sends 0x03.
ctrl_c() {
    local out=$tmp/$1 gpid; shift
    gdb-multiarch -q -batch "$@" >"$out" 2>&1 </dev/null &
    gpid=$!
    wait_pid=$gpid wait_until 60 grep -q . "$out"
    sleep 1
    kill -INT "$gpid" 2>/dev/null
    wait_pid=$gpid wait_until 60 gone "$gpid" || kill -KILL "$gpid" 2>/dev/null
    wait "$gpid" 2>/dev/null
}

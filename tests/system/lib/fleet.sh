# The fleet supervisor's two faces: its interactive console in a terminal
# (lib/tmux.sh, started by the caller) and the table of a --batch run.

# fleet_cmd CMD: type a console command and wait (10 s at most) until the
# screen shows its echo once more than before, then a moment for its answer.
_echoes_beyond() { [ "$(screen_count "^fleet> $1\$")" -gt "$2" ]; }
fleet_cmd() {
    local before; before=$(screen_count "^fleet> $1\$")
    send_line "$1"
    wait_until 10 _echoes_beyond "$1" "$before"
    sleep 0.3
}
# insns_of NAME: the last "instructions N" of a status NAME.
insns_of() { fleet_cmd "status $1"; screen | sed -n 's/^  instructions \([0-9]*\),.*/\1/p' | tail -1; }
# row NAME RESULT STATUS: $tmp/table (the --batch table) has NAME's line so.
row() { grep -Eq "^$1 +$2 +$3 +[0-9]+ +[0-9.]+\$" "$tmp/table"; }
# batch_json FILE <<'PY' ... PY: Python checks of a --batch --json FILE.
# They see d (the document), inst (its instances by name) and want(COND,
# WHAT); the status is 1, naming each WHAT not met, if any COND is false.
batch_json() {
    { cat <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
inst = {i["name"]: i for i in d["instances"]}
bad = []
def want(cond, what):
    if not cond: bad.append(what)
PY
      cat
      cat <<'PY'
if bad:
    print("    json:", ", ".join(bad))
    sys.exit(1)
PY
    } >"$tmp/batch_json.py"
    python3 "$tmp/batch_json.py" "$1"
}

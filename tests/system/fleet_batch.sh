#!/bin/bash
# hartvm fleet --batch: ten instances, two at a time, of our own
# bare-metal programs: ISA tests that pass, guests that fail with a code,
# one that spins past its timeout, one that floods its console, and one
# whose emulator process this script kills with SIGSEGV while it runs.
# Checks the table, the JSON, the exit status, -j, the bounded logs, and
# that the crash and the hang leave the others' results alone.
# Usage: tests/system/fleet_batch.sh BUILD_DIR  (prints "fleet_batch: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
ISA=$PWD/$BUILD/tests/isa
NAME=fleet_batch
show_passes=1
. tests/system/lib/check.sh
. tests/system/lib/fleet.sh
fleet_pid=
at_exit '[ -n "$fleet_pid" ] && kill "$fleet_pid" 2>/dev/null'
# A sanitizer build must let the test's SIGSEGV kill the process, as it would
# kill a normal build, rather than report it and exit 1.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0
need_hartvm
for t in rv64i_alu rv64m rv64a rvc; do
    [ -f "$ISA/$t.elf" ] || make -s BUILD="$BUILD" "$BUILD/tests/isa/$t.elf" >/dev/null
done

# ---- guests: tests/system/fleet_guest.S in its behaviours ---------------
build_guest() { rv_cc "$tmp/$1.elf" tests/system/fleet_guest.S "${@:2}"; }   # build_guest OUT DEFINES...
build_guest echo -DGUEST_echo && build_guest spin -DGUEST_spin && build_guest fail3 -DGUEST_fail &&
    build_guest fail7 -DGUEST_fail -DFAIL_CODE=7 && build_guest chatty -DGUEST_chatty ||
    give_up "cannot build the guests"

# ---- the fleet file: paths relative to its directory -------------------
mkdir "$tmp/logs"
cp "$ISA/rv64i_alu.elf" "$ISA/rv64m.elf" "$ISA/rv64a.elf" "$ISA/rvc.elf" "$tmp/"
cat >"$tmp/batch.ini" <<'EOF'
; the crash victim comes first so that it is running when the script kills it
[victim]
bios = none
kernel = echo.elf
timeout = 60

[alu]
bios = none
kernel = rv64i_alu.elf
[mul]
bios = none
kernel = rv64m.elf
memory = 16M
[atomic]
bios = none
kernel = rv64a.elf
[compressed]
bios = none
kernel = rvc.elf
options = -icount shift=2
[fail3]
bios = none
kernel = fail3.elf
[fail7]
bios = none
kernel = fail7.elf
[spin]
bios = none
kernel = spin.elf
timeout = 2
[chatty]
bios = none
kernel = chatty.elf
count = 2
EOF

"$HARTVM" fleet --batch "$tmp/batch.ini" -j 2 --json "$tmp/out.json" --log-dir "$tmp/logs" \
    --log-max 64K >"$tmp/table" 2>"$tmp/stderr" &
fleet_pid=$!

# Kill the victim's emulator process with SIGSEGV once it runs, and watch
# that never more than two instances run at once.
victim=; maxkids=0; rundir=; rundir_mode=
for i in $(seq 1 300); do
    if [ -z "$rundir" ]; then
        rundir=$(sed -n 's/^hartvm fleet: .*; run directory \(.*\)$/\1/p' "$tmp/stderr")
        [ -n "$rundir" ] && rundir_mode=$(stat -c %a "$rundir")
    fi
    kids=$(pgrep -c -P "$fleet_pid")
    [ "$kids" -gt "$maxkids" ] && maxkids=$kids
    if [ -z "$victim" ]; then
        victim=$(pgrep -P "$fleet_pid" -f 'victim\.ctl')
        if [ -n "$victim" ]; then sleep 0.3; kill -SEGV "$victim"; fi
    fi
    kill -0 "$fleet_pid" 2>/dev/null || break
    sleep 0.05
done
timeout 60 tail --pid="$fleet_pid" -f /dev/null
wait "$fleet_pid"; status=$?
fleet_pid=

check "the victim instance was found and signalled" test -n "$victim"
check "exit status 1 when an instance failed (got $status)" test "$status" -eq 1
check "at most 2 instances at once with -j 2 (saw $maxkids)" test "$maxkids" -le 2 -a "$maxkids" -ge 1

for t in alu mul atomic compressed chatty-1 chatty-2; do
    check "table: $t passed with exit 0" row "$t" passed "exit 0"
done
check "table: fail3 failed with exit 3" row fail3 failed "exit 3"
check "table: fail7 failed with exit 7" row fail7 failed "exit 7"
check "table: spin stopped by its timeout" row spin timeout timeout
check "table: victim crashed by SIGSEGV" row victim crashed "signal SIGSEGV"
check "table: summary line" grep -q "^10 instances in .*: 6 passed, 4 failed\$" "$tmp/table"
check "stderr says the emulator process was killed by a signal" \
    grep -q "^\[victim\] signal SIGSEGV after .* (the emulator process was killed by a signal)" "$tmp/stderr"

# ---- the JSON ------------------------------------------------------------
check "JSON parsed: results, codes, signal, instructions, timeout, tails" batch_json "$tmp/out.json" <<'EOF'
want(d["jobs"] == 2 and d["passed"] == 6 and d["failed"] == 4, "totals")
want(len(inst) == 10, "10 instances")
for n in ["alu", "mul", "atomic", "compressed", "chatty-1", "chatty-2"]:
    i = inst[n]
    want(i["result"] == "passed" and i["exit_code"] == 0 and i["signal"] is None, n + " passed")
    want(i["instructions"] > 100, n + " retired instructions")
want(inst["fail3"]["exit_code"] == 3 and inst["fail3"]["result"] == "failed", "fail3")
want(inst["fail7"]["exit_code"] == 7 and inst["fail7"]["result"] == "failed", "fail7")
want("failing on purpose" in inst["fail7"]["output_tail"], "fail7 console tail")
s = inst["spin"]
want(s["result"] == "timeout" and s["exit_code"] is None and 1.9 <= s["seconds"] < 10, "spin timeout")
want(s["instructions"] > 1000000, "spin ran")
v = inst["victim"]
want(v["result"] == "crashed" and v["signal"] == "SIGSEGV" and v["exit_code"] is None, "victim crash")
want(inst["chatty-1"]["output_tail"].endswith("00000fff\n"), "chatty tail is the last line")
want(inst["chatty-1"]["instructions"] == inst["chatty-2"]["instructions"], "copies retire alike")
want(all(i["log"] and i["log"].endswith(i["name"] + ".log") for i in d["instances"]), "log paths")
EOF

# ---- logs: bounded, rotated, complete at the end ---------------------------
size() { stat -c %s "$1" 2>/dev/null || echo 999999999; }
check "chatty-1 log bounded by --log-max 64K" test "$(size "$tmp/logs/chatty-1.log")" -le 65536
check "chatty-1 log rotated once into .log.1 (bounded too)" test "$(size "$tmp/logs/chatty-1.log.1")" -le 65536
check "chatty-1 log ends with its last line" grep -q "log 00000fff\$" "$tmp/logs/chatty-1.log"
check "fail3 log holds its console and hartvm's message" \
    grep -q "failure code 3" "$tmp/logs/fail3.log"
check "the run directory was private (mode 700, got ${rundir_mode:-none})" test "${rundir_mode:-}" = 700
check "the run directory is removed at exit" test -n "$rundir" -a ! -e "${rundir:-/nonexistent}"

# ---- an all-passing batch exits 0; bad arguments exit 2 --------------------
cat >"$tmp/good.ini" <<'EOF'
[a]
bios = none
kernel = rv64i_alu.elf
count = 3
EOF
"$HARTVM" fleet --batch "$tmp/good.ini" -j 3 >"$tmp/good.out" 2>&1; st=$?
check "all passing: exit status 0 (got $st)" test "$st" -eq 0
check "all passing: three copies a-1..a-3 in the table" \
    test "$(grep -cE '^a-[123] +passed +exit 0' "$tmp/good.out")" -eq 3
"$HARTVM" fleet --batch "$tmp/good.ini" -j 0 >/dev/null 2>&1; st=$?
check "-j 0 is a usage error (exit 2, got $st)" test "$st" -eq 2
"$HARTVM" fleet "$tmp/good.ini" --json x.json </dev/null >/dev/null 2>&1; st=$?
check "--json without --batch is a usage error (exit 2, got $st)" test "$st" -eq 2
summary

#!/bin/bash
# Live migration between two hartvm processes (machine/migrate.h): a guest
# prints a counter every millisecond and keeps rewriting 256 KiB; the
# source, told `migrate tcp:...` on its monitor socket while it runs, moves
# it to a target started with -incoming tcp:...; the two consoles together
# hold every line once, in order (no gap, no repeat), the memory came over
# whole (the guest checks it and passes on the target), `info migrate`
# reports completed with rounds and a downtime. A target nobody runs, a
# target with another -m, a damaged stream: the source says why and runs
# on, the target exits 1 with a message.
# Usage: tests/system/migrate.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
NAME=migrate
. tests/system/lib/check.sh
need_hartvm
G=$tmp/guest.elf
rv_cc "$G" tests/system/migrate_guest.c -O2 || give_up "cannot build the guest"
rv_cc "$tmp/long.elf" tests/system/migrate_guest.c -O2 -DLINES=15000 || give_up "cannot build the guest"
CLIENT="python3 tests/system/lib/sockclient.py"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RUN=(-bios none -kernel "$G" -nographic -m 64M --timeout 60)

# mon SOCK CMD...: the monitor's answers to the commands (once SOCK is there)
mon() {
    local sock=$1; shift
    wait_until 10 test -S "$sock" || return 1
    local steps=(@'(hartvm)')
    for c in "$@"; do steps+=("$c\n" 0.3); done
    $CLIENT --idle 0.5 "unix:$sock" "${steps[@]}" 2>>"$tmp/client.err" | tr -d '\r'
}

# ---- a live migration ------------------------------------------------------
port=$(free_port)
timeout 60 "$HARTVM" "${RUN[@]}" -incoming "tcp:127.0.0.1:$port" </dev/null >"$tmp/t.out" 2>"$tmp/t.err" &
tpid=$!
sleep 0.3
"$HARTVM" "${RUN[@]}" -monitor "unix:$tmp/s.mon,server,nowait" </dev/null >"$tmp/s.out" 2>"$tmp/s.err" &
spid=$!
wait_until 10 test -S "$tmp/s.mon"
sleep 0.3
mon "$tmp/s.mon" "migrate tcp:127.0.0.1:$port" >"$tmp/m1"
wait_until 20 grep -q completed <(mon "$tmp/s.mon" "info migrate")
mon "$tmp/s.mon" "info migrate" "info status" >"$tmp/info"
wait $tpid; trc=$?
mon "$tmp/s.mon" quit >/dev/null
wait $spid; src=$?
s_lines=$(wc -l <"$tmp/s.out"); t_lines=$(wc -l <"$tmp/t.out")
cat "$tmp/s.out" "$tmp/t.out" >"$tmp/all"
seq 0 3999 >"$tmp/want"
[ "$trc" = 0 ] && ok "the target ran the guest to its end, which found its memory whole (exit 0)" ||
    bad "target: exit $trc, $(tail -3 "$tmp/t.err")"
cmp -s "$tmp/all" "$tmp/want" && [ "$s_lines" -gt 0 ] && [ "$t_lines" -gt 0 ] &&
    ok "every counter line once, in order: $s_lines on the source, $t_lines on the target" ||
    bad "lines: source $s_lines, target $t_lines; $(diff "$tmp/all" "$tmp/want" | head -4)"
grep -q "Migration status: completed" "$tmp/info" && grep -q "^downtime: [0-9]* ms" "$tmp/info" &&
    grep -q "VM status: paused" "$tmp/info" &&
    ok "info migrate: completed, $(grep -o 'dirty sync count: [0-9]*' "$tmp/info"), $(grep '^downtime' "$tmp/info"); the source stays paused" ||
    bad "info migrate: $(cat "$tmp/info")"
rounds=$(sed -n 's/^dirty sync count: //p' "$tmp/info")
[ "${rounds:-0}" -ge 1 ] && ok "pre-copy took $rounds round(s) after the first while the guest ran" ||
    bad "rounds: '$rounds'"
grep -q "migration to tcp:127.0.0.1:$port completed" "$tmp/s.err" && [ "$src" = 0 ] &&
    ok "the source said so on stderr and quit with 0" || bad "source: exit $src, $(cat "$tmp/s.err")"

# ---- failures: the source runs on -------------------------------------------
port=$(free_port)
RUN=(-bios none -kernel "$tmp/long.elf" -nographic -m 64M --timeout 60)
"$HARTVM" "${RUN[@]}" -monitor "unix:$tmp/f.mon,server,nowait" </dev/null >"$tmp/f.out" 2>"$tmp/f.err" &
spid=$!
sleep 0.3
mon "$tmp/f.mon" "migrate tcp:127.0.0.1:$port" >"$tmp/f1"
grep -qi "refused\|error" "$tmp/f1" && ok "migrate to a port nobody listens on: $(grep -i 'refused\|error' "$tmp/f1" | head -1)" ||
    bad "no listener: $(cat "$tmp/f1")"
timeout 30 "$HARTVM" -bios none -kernel "$tmp/long.elf" -nographic -m 128M --timeout 60 -incoming "tcp:127.0.0.1:$port" \
    </dev/null >/dev/null 2>"$tmp/t2.err" &
tpid=$!
sleep 0.3
mon "$tmp/f.mon" "migrate tcp:127.0.0.1:$port" >/dev/null
wait $tpid; trc=$?
wait_until 10 grep -q failed <(mon "$tmp/f.mon" "info migrate")
mon "$tmp/f.mon" "info migrate" "info status" >"$tmp/f2"
[ "$trc" = 1 ] && grep -q "memory size differs" "$tmp/t2.err" &&
    ok "a target with another -m refuses (exit 1): $(grep -o 'memory size differs.*' "$tmp/t2.err")" ||
    bad "other -m: target exit $trc, $(cat "$tmp/t2.err")"
grep -q "Migration status: failed" "$tmp/f2" && grep -q "memory size differs" "$tmp/f2" &&
    grep -q "VM status: running" "$tmp/f2" && ok "the source reports the target's reason and runs on" ||
    bad "source after a refusal: $(cat "$tmp/f2")"
wait $spid; src=$?
seq 0 14999 | cmp -s - "$tmp/f.out" && [ "$src" = 0 ] &&
    ok "the source's guest went on to its end (all lines, exit 0)" || bad "source ran on: exit $src, $(wc -l <"$tmp/f.out") lines"

# a damaged stream: the target says what is wrong and exits 1
for what in garbage header crc; do
    port=$(free_port)
    timeout 30 "$HARTVM" "${RUN[@]}" -incoming "tcp:127.0.0.1:$port" </dev/null >/dev/null 2>"$tmp/d.err" &
    tpid=$!
    python3 - "$port" "$what" <<'PY'
import socket, struct, sys, time, zlib
port, what = int(sys.argv[1]), sys.argv[2]
for _ in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.1)
if what == "garbage":
    s.sendall(b"GET / HTTP/1.0\r\n\r\n" + b"x" * 100)
else:
    s.sendall(b"HVMIGRAT" + struct.pack("<IQ", 1 if what == "crc" else 99, 64 << 20))
    page = struct.pack("<Q", 3) + b"\1" * 4096
    head = struct.pack("<BBBBI", 1, 0, 0, 0, len(page))
    s.sendall(head + page + struct.pack("<I", zlib.crc32(head + page) ^ 1))
try:
    s.recv(200)
except OSError:
    pass
PY
    wait $tpid; trc=$?
    case $what in garbage) want="not a hartvm migration stream";; header) want="stream version 99";;
                  crc) want="checksum is wrong";; esac
    [ "$trc" = 1 ] && grep -q "$want" "$tmp/d.err" && ok "a stream with $what: exit 1, '$want'" ||
        bad "$what: exit $trc, $(cat "$tmp/d.err")"
done
"$HARTVM" "${RUN[@]}" -incoming exec:cat </dev/null >/dev/null 2>"$tmp/e"
[ $? = 2 ] && grep -q "tcp:\[HOST\]:PORT" "$tmp/e" && ok "-incoming exec:: a usage error naming what is taken" ||
    bad "-incoming exec: $(cat "$tmp/e")"

summary

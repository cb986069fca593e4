#!/bin/bash
# QMP and the line monitor on sockets: the same client script against
# hartvm and qemu-system-riscv64 (-qmp unix:/tcp:, -mon mode=control),
# replies and events compared after timestamps and version strings are
# masked; run-state commands (stop, cont, system_reset, quit) and their
# events; human-monitor-command; malformed, huge, deep and cut-off input
# and clients that hang up leave the guest running; the line monitor
# (-monitor unix:/telnet:) answers QEMU's command names as QEMU does, and
# shares a mux=on socket with the serial port (C-a c).
# Usage: tests/system/qmp.sh BUILD_DIR  (prints "qmp: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
NAME=qmp
show_passes=1
. tests/system/lib/check.sh
need_hartvm
. tests/system/lib/chr.sh
rv_cc "$tmp/echo.elf" tests/system/fleet_guest.S -DGUEST_echo || give_up "cannot build the echo guest"

# mask: QMP lines with what differs by run or by emulator masked (times,
# version micro and package), one JSON text a line
mask() {
    python3 -c '
import json, sys
def m(v, k=None):
    if k in ("seconds", "microseconds", "micro", "package"):
        return "*"
    if isinstance(v, dict):
        return {a: m(b, a) for a, b in v.items()}
    if isinstance(v, list):
        return [m(x) for x in v]
    if isinstance(v, str) and v.startswith("JSON parse error"):
        return "JSON parse error"
    return v
for line in sys.stdin.read().replace("\r\n", "\n").split("\n"):
    if line.strip():
        try:
            print(json.dumps(m(json.loads(line))))
        except ValueError:
            print("NOT JSON: " + line)
'
}

# The script: every reply shape a client meets, in QEMU's order.
steps=('{"execute":"query-status"}\n' 0.2 '{"execute":"qmp_capabilities"}\n' 0.2
       '{"execute":"qmp_capabilities"}\n' '{"execute":"nope","id":{"a":[1,2]}}\n' '[1]\n'
       '{"id":5}\n' '{"execute":"stop","arguments":[]}\n' '{"execute": }\n' 0.2
       '{"execute":"human-monitor-command","arguments":{"command-line":"info status"},"id":"x"}\n'
       '{"execute":"human-monitor-command","arguments":{}}\n'
       '{"execute":"human-monitor-command","arguments":{"command-line":3}}\n'
       '{"execute":"query-status","arguments":{"x":1}}\n'
       '{"execute":"stop"}\n' 0.2 '{"execute":"query-status","id":1}\n' '{"execute":"stop"}\n' 0.2
       '{"execute":"human-monitor-command","arguments":{"command-line":"info status"}}\n'
       '{"execute":"cont"}\n' 0.2 '{"execute":"query-status"}{"execute":"system_reset"}\n' 0.2
       '{"execute":"quit"}\n' @host-qmp-quit 0.5)   # a reset may take a while: wait for the answer
for form in unix tcp mon; do
    for who in hv qemu; do
        case $form in
            unix) addr=unix:$tmp/$who.qmp; args=(-qmp "unix:$tmp/$who.qmp,server,nowait");;
            tcp) addr=tcp:127.0.0.1:$port; args=(-qmp "tcp:127.0.0.1:$port,server,nowait");;
            mon) addr=unix:$tmp/$who.qmp
                 args=(-chardev "socket,id=q,path=$tmp/$who.qmp,server=on,wait=off" -mon chardev=q,mode=control);;
        esac
        start $who $who echo -serial null "${args[@]}"
        $CLIENT "$addr" "${steps[@]}" | mask >"$tmp/$who.$form"
        wait $pid; eval "st_$who=$?"
        port=$((port + 1))
    done
    diff "$tmp/hv.$form" "$tmp/qemu.$form" >"$tmp/diff" && [ -s "$tmp/hv.$form" ] &&
        ok "-qmp $form: replies and events as QEMU's ($(wc -l <"$tmp/hv.$form") lines)" ||
        bad "-qmp $form: differs from QEMU's: $(head -20 "$tmp/diff")"
    [ "$st_hv" = 0 ] && [ "$st_qemu" = 0 ] && ok "-qmp $form: quit exits 0 on both" ||
        bad "-qmp $form: exit $st_hv (hartvm), $st_qemu (QEMU)"
done
grep -q '"event": "STOP"' "$tmp/hv.unix" && grep -q '"event": "RESUME"' "$tmp/hv.unix" &&
    grep -q '"reason": "host-qmp-quit"' "$tmp/hv.unix" && ok "STOP, RESUME, SHUTDOWN events" ||
    bad "events missing: $(cat "$tmp/hv.unix")"

# -qmp ...,server waits for its client before the guest runs, on both
for who in hv qemu; do
    start $who w echo -serial null -qmp "unix:$tmp/w$who.qmp,server"
    wait_pid=$pid wait_until 10 grep -q 'waiting for connection' "$tmp/w.err"
    got=$($CLIENT "unix:$tmp/w$who.qmp" '{"execute":"qmp_capabilities"}\n' '{"execute":"quit"}\n' | mask)
    wait $pid; st=$?
    grep -q '^{"QMP"' <<<"$got" && [ $st = 0 ] && ok "-qmp unix:,server waits, then serves ($who)" ||
        bad "-qmp server waiting ($who): exit $st: $got $(cat "$tmp/w.err")"
done

# -S: paused before the first instruction ("prelaunch") until cont, as QEMU's
for who in hv qemu; do
    start $who S echo -S -serial "file:$tmp/$who.S" -qmp "unix:$tmp/$who.Sqmp,server,nowait"
    $CLIENT "unix:$tmp/$who.Sqmp" '{"execute":"qmp_capabilities"}\n' '{"execute":"query-status"}\n' 0.5 \
        "$(printf '{"execute":"human-monitor-command","arguments":{"command-line":"info status"}}\\n')" 0.2 \
        '{"execute":"cont"}\n' 0.5 '{"execute":"query-status"}\n' '{"execute":"quit"}\n' @host-qmp-quit 0.3 |
        mask >"$tmp/$who.Sout"
    wait $pid; eval "st_$who=$?"
done
diff "$tmp/hv.Sout" "$tmp/qemu.Sout" >"$tmp/diff" && grep -q prelaunch "$tmp/hv.Sout" && cmp -s "$tmp/hv.S" "$tmp/qemu.S" &&
    [ "$st_hv$st_qemu" = 00 ] && ok "-S with -qmp: prelaunch, cont runs the guest, as QEMU's" ||
    bad "-S with -qmp: exit $st_hv/$st_qemu: $(cat "$tmp/diff") console: $(cat "$tmp/hv.S") / $(cat "$tmp/qemu.S")"

# the guest's own end: QMP hears SHUTDOWN with guest true (serial on another socket)
start hv gs echo -serial "unix:$tmp/gs.sock,server,nowait" -qmp "unix:$tmp/gs.qmp,server,nowait"
$CLIENT --idle 3 "unix:$tmp/gs.qmp" '{"execute":"qmp_capabilities"}\n' 0.3 >"$tmp/gs.qmpout" &
cpid=$!
sleep 0.5
$CLIENT "unix:$tmp/gs.sock" q >/dev/null
wait $pid; st=$?
wait $cpid
grep -q '"event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}' "$tmp/gs.qmpout" && [ $st = 0 ] &&
    ok "guest's end: SHUTDOWN guest=true, exit 0" || bad "guest's end: exit $st, $(cat "$tmp/gs.qmpout")"

# paused means paused: no instruction retires while stopped (two stats
# 0.4 s apart agree), the guest goes on after cont, and its console input
# waits for it
hmp() { printf '{"execute":"human-monitor-command","arguments":{"command-line":"%s"}}\\n' "$1"; }
start hv p echo -serial "unix:$tmp/p.sock,server,nowait" -qmp "unix:$tmp/p.qmp,server,nowait"
$CLIENT "unix:$tmp/p.qmp" '{"execute":"qmp_capabilities"}\n' '{"execute":"stop"}\n' @STOP "$(hmp stats)" 0.4 \
    "$(hmp stats)" 0.2 '{"execute":"cont"}\n' @RESUME 0.4 "$(hmp stats)" 0.2 >"$tmp/p.out" &
cpid=$!
got=$($CLIENT "unix:$tmp/p.sock" 0.1 ab @'<b>' 1.5 q)
wait $cpid
wait $pid; st=$?
mapfile -t counts < <(grep -o 'instructions retired: [0-9]*' "$tmp/p.out")
[ "${#counts[@]}" = 3 ] && [ "${counts[0]}" = "${counts[1]}" ] && [ "${counts[1]}" != "${counts[2]}" ] &&
    ok "stop: no instruction retires; cont: they do (${counts[*]})" || bad "stop/cont counts: ${counts[*]}"
[ "$got" = "<a><b>" ] && [ $st = 0 ] && ok "console input typed while stopped is echoed after cont" ||
    bad "stop/cont console: got '$got', exit $st"

# --timeout counts running time only: paused for 3 s of a 2 s timeout, the
# guest is still there, and after cont it times out (124)
start hv to echo -serial null -qmp "unix:$tmp/to.qmp,server,nowait" --timeout 2
$CLIENT --idle 1 "unix:$tmp/to.qmp" '{"execute":"qmp_capabilities"}\n' '{"execute":"stop"}\n' @STOP 3 \
    '{"execute":"query-status"}\n' @status '{"execute":"cont"}\n' @RESUME >"$tmp/to.qmpout"
wait $pid; st=$?
grep -q '"status": "paused"' "$tmp/to.qmpout" && [ $st = 124 ] && grep -q 'timeout after 2 s' "$tmp/to.err" &&
    ok "--timeout: 3 s paused do not count; after cont it ends the run (124)" ||
    bad "--timeout while paused: exit $st, $(cat "$tmp/to.qmpout") $(cat "$tmp/to.err")"

# hostile clients: garbage, a huge text, deep nesting, a text cut off by a
# hang-up, pipelined commands; the guest runs on and the next client is served
start hv h echo -serial null -qmp "unix:$tmp/h.qmp,server,nowait"
head -c 300000 /dev/urandom >"$tmp/garbage"
$CLIENT --idle 0.3 "unix:$tmp/h.qmp" "<$tmp/garbage" >/dev/null
$CLIENT --idle 0.3 "unix:$tmp/h.qmp" '{"execute":"qmp_capabilities"}\n' "{\"x\":\"$(head -c 100000 /dev/zero | tr '\0' a)\"}\n" >"$tmp/huge"
$CLIENT --idle 0.3 "unix:$tmp/h.qmp" '{"execute":"qmp_capabilities"}\n' "$(head -c 5000 /dev/zero | tr '\0' '[')" >"$tmp/deep"
$CLIENT --idle 0.1 "unix:$tmp/h.qmp" '{"execute":"qmp_capabilities"}\n{"execute":"qu' >/dev/null
got=$($CLIENT "unix:$tmp/h.qmp" '{"execute":"qmp_capabilities"}{"execute":"query-status","id":"a"}{"execute":"query-status","id":"b"}\n' | mask)
grep -q 'JSON parse error' "$tmp/huge" && ok "a text over 64 KiB: an error" || bad "huge text: $(head -c 300 "$tmp/huge")"
grep -q 'JSON parse error' "$tmp/deep" && ok "nesting 5000 deep: an error" || bad "deep: $(head -c 300 "$tmp/deep")"
[ "$(grep -c '"status": "running"' <<<"$got")" = 2 ] && grep -q '"id": "b"' <<<"$got" &&
    ok "after hostile clients: pipelined commands answered, guest running" || bad "after hostile clients: $got"
kill -0 $pid 2>/dev/null && ok "hartvm still runs" || bad "hartvm died: $(cat "$tmp/h.err")"
kill $pid; wait $pid

# the line monitor: QEMU's command names on a unix socket and on telnet
for who in hv qemu; do
    start $who m echo -serial null -monitor "unix:$tmp/$who.msock,server,nowait"
    $CLIENT "unix:$tmp/$who.msock" 0.3 'info status\n' 0.2 'stop\n' 0.2 'info status\n' 0.2 'cont\n' 0.2 \
        'info status\n' 0.2 'quit\n' | tr -d '\r' >"$tmp/$who.hmp"
    wait $pid; st=$?
    [ "$(grep -o 'VM status: [a-z]*' "$tmp/$who.hmp" | tr '\n' ' ')" = "VM status: running VM status: paused VM status: running " ] &&
        [ $st = 0 ] && ok "-monitor unix: info status, stop, cont, quit ($who)" ||
        bad "-monitor unix: ($who): exit $st: $(cat "$tmp/$who.hmp" "$tmp/m.err")"
done
start hv t echo -serial null -monitor "telnet:127.0.0.1:$port,server,nowait"
$CLIENT "tcp:127.0.0.1:$port" 0.3 'info registers\r\n' 0.2 'xp/1x 0x1000\r\n' 0.2 'info mtree\r\n' 0.2 \
    'info qtree\r\n' 0.2 'info cpus\r\n' 0.2 'x/1i 0x1000\r\n' 0.2 'system_reset\r\n' 'step\r\n' 'frob\r\n' \
    'quit\r\n' | tr -d '\r\377\000' >"$tmp/t.hmp"
wait $pid; st=$?
for want in '^pc   0x' '0x0000000000001000:  0x00000297' 'address-space: memory' 'dev: uart' \
            '(hartvm) \* CPU #0: thread_id=' 'auipc' "'step' runs or stops the machine" "unknown command: 'frob'"; do
    grep -aq "$want" "$tmp/t.hmp" && ok "-monitor telnet: '$want'" || bad "-monitor telnet: no '$want' in: $(head -c 600 "$tmp/t.hmp")"
done
[ $st = 0 ] && ok "-monitor telnet: quit exits 0" || bad "-monitor telnet: exit $st"
# a monitor client that never reads 1 MiB of replies does not stop the guest
start hv r echo -serial "unix:$tmp/r.sock,server,nowait" -monitor "unix:$tmp/r.mon,server,nowait"
$CLIENT --max 0 --idle 1 "unix:$tmp/r.mon" "$(for i in $(seq 2000); do printf 'info qtree\\n'; done)" >/dev/null &
cpid=$!
got=$($CLIENT "unix:$tmp/r.sock" 0.3 a @'<a>' q)
wait $pid; st=$?
kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
[ "$got" = "<a>" ] && [ $st = 0 ] && ok "a monitor client that never reads: the guest goes on" ||
    bad "monitor client that never reads: got '$got', exit $st"
# mux=on on a socket: the serial port and the line monitor share it, C-a c
# switches (the guest's echo, then the monitor's answers, then the guest again)
for form in chardev mon; do
    for who in hv qemu; do
        if [ $form = chardev ]; then
            args=(-chardev "socket,id=c,path=$tmp/$who.mux,server=on,wait=off,mux=on" -serial chardev:c -mon chardev=c)
        else
            args=(-serial "mon:unix:$tmp/$who.mux,server,nowait")
        fi
        start $who x echo "${args[@]}"
        $CLIENT "unix:$tmp/$who.mux" a @'<a>' '\x01c' 0.3 'info status\n' 0.2 'stop\n' 0.2 'info status\n' 0.2 \
            'cont\n' 0.2 '\x01c' b @'<b>' q | tr -d '\r' >"$tmp/$who.muxout"
        wait $pid; st=$?
        [ "$(grep -ao '<a>\|<b>\|VM status: [a-z]*' "$tmp/$who.muxout" | tr '\n' ' ')" = \
          "<a> VM status: running VM status: paused <b> " ] && [ $st = 0 ] &&
            ok "mux on a socket ($form, $who): C-a c to the monitor and back" ||
            bad "mux on a socket ($form, $who): exit $st: $(head -c 400 "$tmp/$who.muxout")"
    done
done
# usage errors
for args in "-qmp vc" "-mon mode=control" "-mon chardev=q,mode=odd" \
            "-chardev stdio,id=s -serial chardev:s -mon chardev=s"; do
    # shellcheck disable=SC2086
    "$HARTVM" -bios none -kernel "$tmp/echo.elf" $args </dev/null >/dev/null 2>"$tmp/u.err"; st=$?
    [ $st = 2 ] && [ -s "$tmp/u.err" ] && ok "usage error: $args" || bad "'$args': exit $st $(cat "$tmp/u.err")"
done

summary

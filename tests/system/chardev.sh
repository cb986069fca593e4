#!/bin/bash
# Character devices: the UART on each -serial form (unix and tcp sockets,
# server with and without wait, telnet, a client socket, pty, null, none,
# file:, chardev:ID over -chardev), driven by a scripted client with our
# echo guest (tests/system/fleet_guest.S), on hartvm and on
# qemu-system-riscv64 side by side: the bytes the client receives, the
# pty message, the exit status. Clients that hang up, come back, flood
# without reading, or never connect do not stop the guest.
# Usage: tests/system/chardev.sh BUILD_DIR  (prints "chardev: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
NAME=chardev
show_passes=1
. tests/system/lib/check.sh
need_hartvm
. tests/system/lib/chr.sh

rv_cc "$tmp/echo.elf" tests/system/fleet_guest.S -DGUEST_echo || give_up "cannot build the echo guest"
rv_cc "$tmp/fail.elf" tests/system/fleet_guest.S -DGUEST_fail || give_up "cannot build the fail guest"

# serial_case WHAT CLIENT_ADDR EXPECT ARGS...: the client types "ab" then
# "q" (the guest echoes "<a><b>" and ends with success); on both emulators
# it must receive EXPECT and see exit status 0.
serial_case() {
    local what=$1 addr=$2 expect=$3 who; shift 3
    for who in hv qemu; do
        local a=${addr//PORT/$port} args=("${@//PORT/$port}")
        args=("${args[@]//SOCK/$tmp/$who.sock}")
        a=${a//SOCK/$tmp/$who.sock}
        start "$who" "$who" echo "${args[@]}"
        local got
        got=$($CLIENT "$a" 0.3 ab @'<b>' q | od -An -c | tr -s ' \n' ' ')
        finish; local st=$?
        [ "$got" = "$expect" ] && [ "$st" = 0 ] && ok "$what ($who)" ||
            bad "$what ($who): got '$got', exit $st (want '$expect', 0); $(tail -2 "$tmp/$who.err")"
        port=$((port + 1))
        rm -f "$tmp/$who.sock"
    done
}

E=' < a > < b > '                       # what the echo guest sends for "ab"
B=' f l e e t - e c h o : r e a d y \n'  # ... and its banner, to a client there from the start
serial_case "-serial unix:,server,nowait" unix:SOCK "$E" -serial unix:SOCK,server,nowait
serial_case "-serial tcp::,server,nowait" tcp:127.0.0.1:PORT "$E" -serial tcp:127.0.0.1:PORT,server,nowait
serial_case "-serial tcp: server that waits: the banner too" tcp:127.0.0.1:PORT "$B$E" \
    -serial tcp:127.0.0.1:PORT,server
serial_case "-serial unix:,server,wait=off" unix:SOCK "$E" -serial unix:SOCK,server=on,wait=off
serial_case "-chardev socket + -serial chardev:ID" unix:SOCK "$E" \
    -chardev socket,id=c0,path=SOCK,server=on,wait=off -serial chardev:c0
serial_case "-chardev socket host=,port=" tcp:127.0.0.1:PORT "$E" \
    -chardev socket,id=s,host=127.0.0.1,port=PORT,server=on,wait=off -serial chardev:s
# telnet: the server's option negotiation first, then the echo
T=' 377 373 001 377 373 003 377 373 \0 377 375 \0'
serial_case "-serial telnet:,server,nowait" tcp:127.0.0.1:PORT "$T$E" \
    -serial telnet:127.0.0.1:PORT,server,nowait

# -serial tcp:HOST:PORT as a client: the emulator connects to our listener
for who in hv qemu; do
    rm -f "$tmp/listening"
    python3 - "$port" "$tmp/listening" >"$tmp/listen.out" <<'EOF' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); s.settimeout(15)
open(sys.argv[2], "w").close()
c, _ = s.accept(); c.settimeout(5); got = b""
while b"ready" not in got: got += c.recv(100)
c.sendall(b"k"); time.sleep(0.3); got += c.recv(100); c.sendall(b"q"); time.sleep(0.3)
print(repr(got))
EOF
    lpid=$!
    wait_until 10 test -e "$tmp/listening"
    start "$who" cl echo -serial tcp:127.0.0.1:$port
    finish; st=$?
    wait $lpid
    grep -q "ready.*<k>" "$tmp/listen.out" && [ $st = 0 ] && ok "-serial tcp: client ($who)" ||
        bad "-serial tcp: client ($who): exit $st, listener got $(cat "$tmp/listen.out")"
    port=$((port + 1))
done

# pty: the name on stderr as QEMU says it; a reader of the pty types to the guest
for who in hv qemu; do
    start "$who" pty echo -serial pty
    wait_pid=$pid wait_until 10 grep -q 'redirected to' "$tmp/pty.out"
    pts=$(sed -n 's|^char device redirected to \(/dev/pts/[0-9]*\) (label serial0)$|\1|p' "$tmp/pty.out")
    [ -n "$pts" ] && ok "-serial pty names it on stdout ($who)" ||
        bad "-serial pty message ($who): $(cat "$tmp/pty.out" "$tmp/pty.err")"
    got=$($CLIENT "pty:$pts" 0.3 ab @'<b>' q 2>&1 | od -An -c | tr -s ' \n' ' ')
    finish; st=$?
    [ "$got" = "$E" ] && [ $st = 0 ] && ok "-serial pty echo ($who)" ||
        bad "-serial pty echo ($who): got '$got', exit $st"
done

# the pty's label as QEMU names it: serial0, compat_monitor0, a -chardev's id
for args in "-serial null -monitor pty" "-chardev pty,id=zz -serial chardev:zz"; do
    for who in hv qemu; do
        # shellcheck disable=SC2086
        start $who lbl$who echo $args
        wait_pid=$pid wait_until 10 grep -q 'redirected to' "$tmp/lbl$who.out"
        kill $pid 2>/dev/null; finish
    done
    a=$(sed 's|/dev/pts/[0-9]*|PTS|' "$tmp/lblhv.out"); b=$(sed 's|/dev/pts/[0-9]*|PTS|' "$tmp/lblqemu.out")
    [ -n "$a" ] && [ "$a" = "$b" ] && ok "$args: '$a' as QEMU's" || bad "$args: '$a' vs QEMU's '$b'"
done

# null, none, file: and -chardev file: the failing guest's line and its status
for who in hv qemu; do
    for dev in null none; do
        start "$who" $dev fail -serial $dev; finish; st=$?
        [ $st = 3 ] && [ ! -s "$tmp/$dev.out" ] && ok "-serial $dev: no output, guest's status ($who)" ||
            bad "-serial $dev ($who): exit $st, output '$(head -c 80 "$tmp/$dev.out")'"
    done
    start "$who" file fail -serial "file:$tmp/$who.file"; finish; st=$?
    start "$who" cfile fail -chardev "file,id=f,path=$tmp/$who.cfile" -serial chardev:f; finish; st2=$?
    [ $st = 3 ] && [ $st2 = 3 ] && [ -s "$tmp/$who.file" ] && cmp -s "$tmp/$who.file" "$tmp/$who.cfile" &&
        ok "-serial file: and -chardev file ($who)" || bad "file backends ($who): exit $st $st2"
done
cmp -s "$tmp/hv.file" "$tmp/qemu.file" && ok "file: bytes as QEMU's" ||
    bad "file: bytes differ: $(od -c "$tmp/hv.file" | head -2) vs $(od -c "$tmp/qemu.file" | head -2)"

# errors: a client that cannot connect (exit 1 on both), a chardev:ID nobody declared
for who in hv qemu; do
    start "$who" refused echo -serial tcp:127.0.0.1:1; finish; st=$?
    [ $st = 1 ] && grep -q "Failed to connect to '.*1'" "$tmp/refused.err" && ok "refused connection ($who)" ||
        bad "refused connection ($who): exit $st: $(cat "$tmp/refused.err")"
done
for who in hv qemu; do
    start $who noref echo -serial chardev:nope; finish; st=$?
    [ $st = 1 ] && grep -q "chardev:nope" "$tmp/noref.err" && ok "unknown chardev:ID: exit 1 ($who)" ||
        bad "unknown chardev:ID ($who): exit $st: $(cat "$tmp/noref.err")"
done
for bad_dev in "tcp:nohost" "unix:" "vc" "-chardev socket,id=x" "-chardev socket,path=/x" \
               "-chardev pipe,id=p,path=x" "-chardev socket,id=x,port=1,wait=maybe"; do
    case $bad_dev in -chardev*) set -- $bad_dev;; *) set -- -serial "$bad_dev";; esac
    start hv baddev echo "$@"; finish; st=$?
    [ $st = 2 ] && [ -s "$tmp/baddev.err" ] && ok "bad device '$bad_dev': usage error" ||
        bad "bad device '$bad_dev': exit $st: $(cat "$tmp/baddev.err")"
done

# clients that misbehave: one hangs up at once, one floods and never reads,
# then one that behaves gets the echo; the guest never waited for them
start hv rude echo -serial "unix:$tmp/rude.sock,server,nowait"
wait_pid=$pid wait_until 10 test -S "$tmp/rude.sock"
$CLIENT --idle 0.1 "unix:$tmp/rude.sock" x >/dev/null
$CLIENT --max 0 --idle 0.5 "unix:$tmp/rude.sock" "$(head -c 2000 /dev/zero | tr '\0' z)" >/dev/null
got=$($CLIENT "unix:$tmp/rude.sock" 0.3 ab @'<b>' q | od -An -c | tr -s ' \n' ' ')
finish; st=$?
[ "$got" = "$E" ] && [ $st = 0 ] && ok "hang-up, a flood, then a client that reads" ||
    bad "after misbehaving clients: got '$got', exit $st"
# a client that never reads 256 KiB of guest output: the guest still ends
rv_cc "$tmp/chatty.elf" tests/system/fleet_guest.S -DGUEST_chatty || give_up "cannot build the chatty guest"
start hv flood chatty -serial "unix:$tmp/flood.sock,server"
$CLIENT --max 0 --idle 3 "unix:$tmp/flood.sock" >/dev/null &
cpid=$!
finish; st=$?
kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
[ $st = 0 ] && ok "a client that never reads: the guest ends (exit 0)" ||
    bad "a client that never reads: exit $st $(tail -2 "$tmp/flood.err")"
start hv nobody echo -serial "unix:$tmp/nobody.sock,server,nowait" --timeout 1
finish; st=$?
[ $st = 124 ] && ok "nobody connects: the guest runs to --timeout" || bad "nobody connects: exit $st"

# QEMU's mux escapes on mon:stdio, typed from a pipe: C-a b sends a break
# (the guest reads a zero byte), C-a t stamps the lines after it until the
# next C-a t; the same bytes as QEMU's once the times are masked
esc_input() {
    sleep 0.5; printf a; sleep 0.3; printf '\001b'; sleep 0.3; printf '\001t'; sleep 0.3; printf '\n'; sleep 0.3
    printf x; sleep 0.3; printf '\001t\n'; sleep 0.3; printf y; sleep 0.3; printf q
}
for who in hv qemu; do
    if [ $who = hv ]; then e=("$HARTVM"); else e=($QEMU); fi
    esc_input | timeout 20 "${e[@]}" -bios none -kernel "$tmp/echo.elf" -serial mon:stdio >"$tmp/$who.esc" 2>&1
    eval "st_$who=$?"
    sed 's/\[[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{3\}\] /[T] /' "$tmp/$who.esc" | od -An -c >"$tmp/$who.escm"
done
grep -q '\[   T   ]' "$tmp/hv.escm" && cmp -s "$tmp/hv.escm" "$tmp/qemu.escm" && [ "$st_hv$st_qemu" = 00 ] &&
    ok "C-a b and C-a t: the console bytes QEMU's mux gives" ||
    bad "C-a b/t: exit $st_hv/$st_qemu, hartvm: $(head -3 "$tmp/hv.escm") QEMU: $(head -3 "$tmp/qemu.escm")"
# C-a h lists the escapes on the console; C-a s with a drive attached flushes it, the run goes on
head -c 1M /dev/zero >"$tmp/disk.img"
(printf '\001h'; sleep 0.3; printf '\001s'; sleep 0.3; printf 'k'; sleep 0.3; printf q) |
    timeout 20 "$HARTVM" -bios none -kernel "$tmp/echo.elf" -serial mon:stdio \
        -drive "file=$tmp/disk.img,format=raw,if=virtio" >"$tmp/h.esc" 2>&1; st=$?
for k in b c h s t x; do grep -q "^C-a $k " "$tmp/h.esc" || st="$st, no C-a $k"; done
grep -q '<k>' "$tmp/h.esc" && [ "$st" = 0 ] && ok "C-a h lists b c h s t x; C-a s flushes and the guest goes on" ||
    bad "C-a h/s: $st: $(tr -d '\r' <"$tmp/h.esc" | head -c 300)"

summary

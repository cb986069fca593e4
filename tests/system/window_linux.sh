#!/bin/bash
# Linux in the SDL window under Xvfb (issue 10): the default guest (make
# linux) boots with -display sdl and console=tty0 last, so simplefb +
# fbcon show the boot log and /init's shell runs on the framebuffer
# console. A command typed into the window with xdotool writes a value only
# the shell can compute to the serial port (we read it there); then the
# machine is stopped (SIGINT: the debugger's Ctrl-C), the debugger's
# screendump is taken, and the window's screenshot must equal it and show
# text. Closing the window ends hartvm with status 0.
# Usage: window_linux.sh BUILD_DIR   (the screenshot stays in BUILD_DIR/tests/)
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=window_linux
passed=0; failed=0
tmp=$(mktemp -d)
xvfb=; vm=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$vm" ] && kill "$vm" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
cd "$(dirname "$0")/../.."

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "$NAME: FAIL case $1: $2"; }
finish() { echo "$NAME: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
wait_for() {    # wait_for FILE REGEX SECONDS (carriage returns ignored)
    local end=$((SECONDS + $3))
    until tr -d '\r' <"$1" 2>/dev/null | grep -qE -- "$2"; do
        [ $SECONDS -ge $end ] && return 1
        kill -0 "$vm" 2>/dev/null || return 1
        sleep 0.2
    done
}
win_for() {     # win_for TITLE_REGEX SECONDS: the window's id
    local end=$((SECONDS + $2)) w
    while :; do
        w=$(xdotool search --name "$1" 2>/dev/null | head -1)
        [ -n "$w" ] && { echo "$w"; return 0; }
        [ $SECONDS -ge $end ] && return 1
        sleep 0.1
    done
}

for tool in Xvfb xdotool import; do
    command -v $tool >/dev/null || { echo "$NAME: $tool missing (make deps)"; failed=1; finish; }
done
make -s BUILD="$BUILD" linux >/dev/null || { echo "$NAME: cannot build the Linux guest"; failed=1; finish; }
L=$BUILD/roms/linux
cc -O2 tests/system/xclose.c -lX11 -o "$tmp/xclose" || { echo "$NAME: cannot build xclose"; failed=1; finish; }

Xvfb -displayfd 4 -screen 0 1280x1024x24 -nolisten tcp 4>"$tmp/dpy" >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 100); do grep -q '[0-9]' "$tmp/dpy" 2>/dev/null && break; sleep 0.1; done
grep -q '[0-9]' "$tmp/dpy" || { echo "$NAME: Xvfb did not start"; failed=1; finish; }
export DISPLAY=:$(head -1 "$tmp/dpy")
unset WAYLAND_DISPLAY SDL_VIDEODRIVER
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}     # see window_sdl.sh

# The debugger reads "c" from the script, then commands from the FIFO.
inst=linux-$$
mkfifo "$tmp/cmds"
echo c >"$tmp/script"
"$HARTVM" -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" \
    -append "console=ttyS0 console=tty0" -display sdl -name "$inst" --timeout 280 \
    --debug-script "$tmp/script" <"$tmp/cmds" >"$tmp/out" 2>&1 &
vm=$!
exec 3>"$tmp/cmds"

# case 1: Linux binds simplefb and fbcon to our framebuffer, sees both inputs
# (/init's greeting and shell are on tty0, not on the serial port)
wait_for "$tmp/out" "Run /init as init process" 240 || fail 1 "no /init: $(tail -5 "$tmp/out")"
ok=1
for re in "simple-framebuffer 4000000.framebuffer: fb0: simplefb registered" \
          "Console: switching to colour frame buffer device 128x48" \
          "input: hartvm keyboard as" "input: hartvm tablet as"; do
    grep -q "$re" "$tmp/out" || { ok=0; echo "  missing in the boot log: $re"; }
done
[ $ok -eq 1 ] && pass || fail 1 "framebuffer console or input devices not found"
W=$(win_for "^$inst - hartvm \[running\]$" 10) || { fail 1 "no window"; finish; }

# case 2: a command typed into the window runs in the shell on tty0 (the
# console's input buffer keeps it until the shell reads)
sleep 2
xdotool windowfocus --sync "$W" 2>/dev/null || xdotool windowfocus "$W"
xdotool type --delay 40 'echo typed-in-the-window-$((6*7)) > /dev/ttyS0'
xdotool key Return
wait_for "$tmp/out" "^typed-in-the-window-42$" 60 && pass ||
    fail 2 "the shell did not run the typed command: $(tail -3 "$tmp/out")"

# case 3: stopped, the window shows exactly the screendump, with text on it
sleep 1
kill -INT "$vm"
win_for "^$inst - hartvm \[stopped\]$" 10 >/dev/null || fail 3 "title did not say stopped"
echo "screendump $tmp/dump.ppm" >&3
wait_for "$tmp/out" "Screen written to" 10 || fail 3 "no screendump: $(tail -3 "$tmp/out")"
sleep 0.3
mkdir -p "$BUILD/tests"
SHOT=$BUILD/tests/window_linux.png
import -window "$W" -depth 8 "$tmp/shot.ppm" && import -window "$W" "$SHOT" || fail 3 "import failed"
hs=$(head -n 3 "$tmp/shot.ppm" | wc -c); hd=$(head -n 3 "$tmp/dump.ppm" | wc -c)
if cmp -s <(tail -c +$((hs + 1)) "$tmp/shot.ppm") <(tail -c +$((hd + 1)) "$tmp/dump.ppm"); then
    pass
else
    fail 3 "the screenshot differs from the screendump"
fi
# text: the top 16-pixel row of characters (the boot log) and the whole
# screen hold many lit pixels; count bytes above 0x80 in the raw RGB data
lit_top=$(tail -c +$((hs + 1)) "$tmp/shot.ppm" | head -c $((1024 * 16 * 3)) | od -An -v -tu1 |
          tr -s ' ' '\n' | awk '$1 > 128 { n++ } END { print n + 0 }')
[ "$lit_top" -gt 500 ] && pass || fail 4 "top text line looks blank ($lit_top lit bytes)"

# case 5: closing the window ends the machine; the debugger, out of
# commands, ends too: status 0
echo c >&3
exec 3>&-
win_for "^$inst - hartvm \[running\]$" 10 >/dev/null
"$tmp/xclose" "$W"
end=$((SECONDS + 20))
while kill -0 "$vm" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.1; done
if kill -0 "$vm" 2>/dev/null; then
    fail 5 "hartvm still running 20 s after the window was closed"
else
    wait "$vm"; st=$?; vm=
    [ $st -eq 0 ] && pass || fail 5 "exit status $st after closing: $(tail -3 "$tmp/out")"
fi
echo "$NAME: screenshot in $SHOT"
finish

#!/bin/bash
# The SDL window under Xvfb (issue 10), with our bare-metal guest
# (tests/system/fbtest.c): it draws a known pattern, then echoes virtio-input
# key presses as coloured cells and left clicks as orange squares. The test
# types keys and clicks with xdotool, lets the guest stop at its
# inputs_done() breakpoint, takes a screenshot of the window (ImageMagick's
# import) and checks it against the debugger's screendump of that moment
# and pixel by pixel; the title names the instance and its state; closing
# the window ends hartvm with status 0.
# Usage: window_sdl.sh BUILD_DIR   (the screenshot stays in BUILD_DIR/tests/)
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=window_sdl
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
# wait_for FILE REGEX SECONDS
wait_for() {
    local end=$((SECONDS + $3))
    until grep -q -- "$2" "$1" 2>/dev/null; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.1
    done
}
# the window whose title matches REGEX (within SECONDS), first of SDL's
win_for() {
    local end=$((SECONDS + $2)) w
    while :; do
        w=$(xdotool search --name "$1" 2>/dev/null | head -1)
        [ -n "$w" ] && { echo "$w"; return 0; }
        [ $SECONDS -ge $end ] && return 1
        sleep 0.1
    done
}
# px FILE.ppm X Y: the pixel as RRGGBB (binary P6 with a 3-line header)
px() {
    local hdr w
    hdr=$(head -n 3 "$1" | wc -c)
    w=$(sed -n 2p "$1" | cut -d' ' -f1)
    od -An -tx1 -j $((hdr + ($3 * w + $2) * 3)) -N3 "$1" | tr -d ' \n'
}
key_color() { printf '%02x%02x%02x' $(( ($1 * 53) & 255 )) $(( ($1 * 97) & 255 )) $(( ($1 * 151) & 255 )); }

for tool in Xvfb xdotool import; do
    command -v $tool >/dev/null || { echo "$NAME: $tool missing (make deps)"; failed=1; finish; }
done
if [ ! -x "$HARTVM" ]; then
    echo "$NAME: $HARTVM not built"; failed=1; finish
fi
G=$tmp/fbtest.elf
riscv64-unknown-elf-gcc -ffreestanding -march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib \
    -nostartfiles -static -mcmodel=medany -Wl,--no-relax -T tests/isa/link.ld -O2 \
    tests/system/fbtest.c -o "$G" &&
    cc -O2 tests/system/xclose.c -lX11 -o "$tmp/xclose" ||
    { echo "$NAME: cannot build the guest or xclose"; failed=1; finish; }

# A private X server on a free display number.
Xvfb -displayfd 4 -screen 0 1280x1024x24 -nolisten tcp 4>"$tmp/dpy" >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
wait_for "$tmp/dpy" '[0-9]' 10 || { echo "$NAME: Xvfb did not start: $(cat "$tmp/xvfb.log")"; failed=1; finish; }
export DISPLAY=:$(head -1 "$tmp/dpy")
unset WAYLAND_DISPLAY SDL_VIDEODRIVER
# Under an ASan build: X11/Mesa's GL driver (dlopen'ed by SDL, unloaded at
# SDL_Quit) leaves allocations LeakSanitizer reports as "unknown module";
# they are not hartvm's, and would turn every exit status into 1.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# hartvm with the window, the debugger reading the script, then the fifo.
inst=fbtest-$$
mkfifo "$tmp/cmds"
printf 'break inputs_done\nc\nscreendump %s\n' "$tmp/dump.ppm" >"$tmp/script"
timeout 120 "$HARTVM" -bios none -kernel "$G" -display sdl -name "$inst" --timeout 100 \
    --debug-script "$tmp/script" <"$tmp/cmds" >"$tmp/out" 2>&1 &
vm=$!
exec 3>"$tmp/cmds"

# case 1: the guest is up, the title names the instance and says running
wait_for "$tmp/out" "fbtest: ready, 2 input devices" 30 || fail 1 "guest not ready: $(tail -5 "$tmp/out")"
W=$(win_for "^$inst - hartvm \[running\]$" 10)
[ -n "$W" ] && pass || fail 1 "no window titled '$inst - hartvm [running]': $(xdotool search --name hartvm getwindowname %@ 2>&1)"
[ -n "$W" ] || finish

# case 2: keys a, b, c reach the guest as Linux codes 30, 48, 46; a click
# at (300, 200) comes back as those coordinates
xdotool windowfocus --sync "$W" 2>/dev/null || xdotool windowfocus "$W"
xdotool key --delay 50 a b c
xdotool mousemove --window "$W" 300 200 click 1
ok=1
for k in 30 48 46; do wait_for "$tmp/out" "^key $k" 10 || { ok=0; echo "  key $k not seen"; }; done
wait_for "$tmp/out" "^click 300 200" 10 || { ok=0; echo "  click 300 200 not seen"; }
[ $ok -eq 1 ] && pass || fail 2 "input: $(grep -E '^(key|click)' "$tmp/out" | tr '\n' ' ')"

# case 3: the guest stops at inputs_done; the title says stopped
wait_for "$tmp/out" "Screen written to" 20 || fail 3 "no stop / screendump: $(tail -5 "$tmp/out")"
win_for "^$inst - hartvm \[stopped\]$" 5 >/dev/null && pass ||
    fail 3 "title while stopped: $(xdotool getwindowname "$W" 2>&1)"

# case 4: the window shows exactly the screendump of this moment
sleep 0.3                                   # a refresh period or more
mkdir -p "$BUILD/tests"
SHOT=$BUILD/tests/window_sdl.png
import -window "$W" -depth 8 "$tmp/shot.ppm" && import -window "$W" "$SHOT" ||
    fail 4 "import failed"
hs=$(head -n 3 "$tmp/shot.ppm" | wc -c); hd=$(head -n 3 "$tmp/dump.ppm" | wc -c)
if [ "$(sed -n 2,3p "$tmp/shot.ppm" | tr '\n' ' ')" = "1024 768 255 " ] &&
   cmp -s <(tail -c +$((hs + 1)) "$tmp/shot.ppm") <(tail -c +$((hd + 1)) "$tmp/dump.ppm"); then
    pass
else
    fail 4 "screenshot ($(sed -n 2p "$tmp/shot.ppm")) differs from the screendump"
fi

# case 5: pixels: pattern bars and gradient, the key cells, the click mark
bad=
chk() { local got; got=$(px "$tmp/shot.ppm" "$1" "$2"); [ "$got" = "$3" ] || bad="$bad ($1,$2)=$got/$3"; }
chk 10 10 ffffff; chk 200 300 ffff00; chk 1000 100 000000; chk 900 10 000000
chk 37 400 25$(printf '%02x' $((400 & 255)))$(printf '%02x' $(((37 ^ 400) & 255)))
chk 40 624 "$(key_color 30)"; chk 104 624 "$(key_color 48)"; chk 168 624 "$(key_color 46)"
chk 232 624 202020; chk 300 200 ff8000; chk 296 196 ff8000; chk 306 206 00ffff
[ -z "$bad" ] && pass || fail 5 "pixels (x,y)=got/want:$bad"

# case 6: the run goes on: the title says running again (the debugger then
# meets the end of its commands: the machine runs on to its end)
echo c >&3
exec 3>&-
win_for "^$inst - hartvm \[running\]$" 5 >/dev/null && pass ||
    fail 6 "title after continue: $(xdotool getwindowname "$W" 2>&1)"

# case 7: closing the window (as a window manager does) ends hartvm, status 0
"$tmp/xclose" "$W"
end=$((SECONDS + 15))
while kill -0 "$vm" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.1; done
if kill -0 "$vm" 2>/dev/null; then
    fail 7 "hartvm still running 15 s after the window was closed"
else
    wait "$vm"; st=$?; vm=
    [ $st -eq 0 ] && pass || fail 7 "exit status $st after closing: $(tail -3 "$tmp/out")"
fi

# case 8: the same without a debugger: the window's close ends the run
inst2=plain-$$
timeout 60 "$HARTVM" -bios none -kernel "$G" -display sdl -name "$inst2" --timeout 50 \
    </dev/null >"$tmp/out2" 2>&1 &
vm=$!
W2=$(win_for "^$inst2 - hartvm \[running\]$" 20)
wait_for "$tmp/out2" "fbtest: ready" 20
[ -n "$W2" ] && "$tmp/xclose" "$W2"
end=$((SECONDS + 15))
while kill -0 "$vm" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.1; done
if [ -z "$W2" ] || kill -0 "$vm" 2>/dev/null; then
    fail 8 "plain run: window '${W2:-none}' closed, hartvm still running"
else
    wait "$vm"; st=$?; vm=
    [ $st -eq 0 ] && pass || fail 8 "plain run: exit status $st after closing: $(tail -3 "$tmp/out2")"
fi
echo "$NAME: screenshot in $SHOT"
finish

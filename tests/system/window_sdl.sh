#!/bin/bash
# The SDL window under Xvfb, with our bare-metal guest
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
cd "$(dirname "$0")/../.."
. tests/system/lib/check.sh
. tests/system/lib/window.sh
# px FILE.ppm X Y: the pixel as RRGGBB (binary P6 with a 3-line header)
px() {
    local hdr w
    hdr=$(head -n 3 "$1" | wc -c)
    w=$(sed -n 2p "$1" | cut -d' ' -f1)
    od -An -tx1 -j $((hdr + ($3 * w + $2) * 3)) -N3 "$1" | tr -d ' \n'
}
key_color() { printf '%02x%02x%02x' $(( ($1 * 53) & 255 )) $(( ($1 * 97) & 255 )) $(( ($1 * 151) & 255 )); }

need Xvfb xdotool import
need_hartvm
G=$tmp/fbtest.elf
rv_cc "$G" tests/system/fbtest.c -ffreestanding -O2 && build_xclose || give_up "cannot build the guest or xclose"
start_xvfb

# hartvm with the window, the debugger reading the script, then the fifo.
inst=fbtest-$$
mkfifo "$tmp/cmds"
printf 'break inputs_done\nc\nscreendump %s\n' "$tmp/dump.ppm" >"$tmp/script"
timeout 120 "$HARTVM" -bios none -kernel "$G" -display sdl -name "$inst" --timeout 100 \
    --debug-script "$tmp/script" <"$tmp/cmds" >"$tmp/out" 2>&1 &
vm=$!
at_exit '[ -n "$vm" ] && kill "$vm" 2>/dev/null; exec 3>&- 2>/dev/null'
exec 3>"$tmp/cmds"

# case 1: the guest is up, the title names the instance and says running
wait_file "$tmp/out" "fbtest: ready, 2 input devices" 30 || bad "guest not ready: $(tail -5 "$tmp/out")"
W=$(win_for "^$inst - hartvm \[running\]$" 10)
[ -n "$W" ] && ok || bad "no window titled '$inst - hartvm [running]': $(xdotool search --name hartvm getwindowname %@ 2>&1)"
[ -n "$W" ] || { summary; exit; }

# case 2: keys a, b, c reach the guest as Linux codes 30, 48, 46; a click
# at (300, 200) comes back as those coordinates
xdotool windowfocus --sync "$W" 2>/dev/null || xdotool windowfocus "$W"
xdotool key --delay 50 a b c
xdotool mousemove --window "$W" 300 200 click 1
all=1
for k in 30 48 46; do wait_file "$tmp/out" "^key $k" 10 || { all=0; echo "  key $k not seen"; }; done
wait_file "$tmp/out" "^click 300 200" 10 || { all=0; echo "  click 300 200 not seen"; }
[ $all -eq 1 ] && ok || bad "input: $(grep -E '^(key|click)' "$tmp/out" | tr '\n' ' ')"

# case 3: the guest stops at inputs_done; the title says stopped
wait_file "$tmp/out" "Screen written to" 20 || bad "no stop / screendump: $(tail -5 "$tmp/out")"
win_for "^$inst - hartvm \[stopped\]$" 5 >/dev/null && ok ||
    bad "title while stopped: $(xdotool getwindowname "$W" 2>&1)"

# case 4: the window shows exactly the screendump of this moment
sleep 0.3                                   # a refresh period or more
mkdir -p "$BUILD/tests"
SHOT=$BUILD/tests/window_sdl.png
import -window "$W" -depth 8 "$tmp/shot.ppm" && import -window "$W" "$SHOT" ||
    bad "import failed"
hs=$(head -n 3 "$tmp/shot.ppm" | wc -c); hd=$(head -n 3 "$tmp/dump.ppm" | wc -c)
if [ "$(sed -n 2,3p "$tmp/shot.ppm" | tr '\n' ' ')" = "1024 768 255 " ] &&
   cmp -s <(tail -c +$((hs + 1)) "$tmp/shot.ppm") <(tail -c +$((hd + 1)) "$tmp/dump.ppm"); then
    ok
else
    bad "screenshot ($(sed -n 2p "$tmp/shot.ppm")) differs from the screendump"
fi

# case 5: pixels: pattern bars and gradient, the key cells, the click mark
wrong=
chk() { local got; got=$(px "$tmp/shot.ppm" "$1" "$2"); [ "$got" = "$3" ] || wrong="$wrong ($1,$2)=$got/$3"; }
chk 10 10 ffffff; chk 200 300 ffff00; chk 1000 100 000000; chk 900 10 000000
chk 37 400 25$(printf '%02x' $((400 & 255)))$(printf '%02x' $(((37 ^ 400) & 255)))
chk 40 624 "$(key_color 30)"; chk 104 624 "$(key_color 48)"; chk 168 624 "$(key_color 46)"
chk 232 624 202020; chk 300 200 ff8000; chk 296 196 ff8000; chk 306 206 00ffff
[ -z "$wrong" ] && ok || bad "pixels (x,y)=got/want:$wrong"

# case 6: the run goes on: the title says running again (the debugger then
# meets the end of its commands: the machine runs on to its end)
echo c >&3
exec 3>&-
win_for "^$inst - hartvm \[running\]$" 5 >/dev/null && ok ||
    bad "title after continue: $(xdotool getwindowname "$W" 2>&1)"

# case 7: closing the window (as a window manager does) ends hartvm, status 0
"$tmp/xclose" "$W"
if ! wait_until 15 gone "$vm"; then
    bad "hartvm still running 15 s after the window was closed"
else
    wait "$vm"; st=$?; vm=
    [ $st -eq 0 ] && ok || bad "exit status $st after closing: $(tail -3 "$tmp/out")"
fi

# case 8: the same without a debugger: the window's close ends the run
inst2=plain-$$
timeout 60 "$HARTVM" -bios none -kernel "$G" -display sdl -name "$inst2" --timeout 50 \
    </dev/null >"$tmp/out2" 2>&1 &
vm=$!
W2=$(win_for "^$inst2 - hartvm \[running\]$" 20)
wait_file "$tmp/out2" "fbtest: ready" 20
[ -n "$W2" ] && "$tmp/xclose" "$W2"
wait_until 15 gone "$vm"
if [ -z "$W2" ] || ! gone "$vm"; then
    bad "plain run: window '${W2:-none}' closed, hartvm still running"
else
    wait "$vm"; st=$?; vm=
    [ $st -eq 0 ] && ok || bad "plain run: exit status $st after closing: $(tail -3 "$tmp/out2")"
fi
echo "$NAME: screenshot in $SHOT"
summary

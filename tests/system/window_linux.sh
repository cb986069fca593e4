#!/bin/bash
# Linux in the SDL window under Xvfb: the default guest (make
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
cd "$(dirname "$0")/../.."
. tests/system/lib/check.sh
. tests/system/lib/window.sh

need Xvfb xdotool import
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
build_xclose || give_up "cannot build xclose"
start_xvfb

# The debugger reads "c" from the script, then commands from the FIFO.
inst=linux-$$
mkfifo "$tmp/cmds"
echo c >"$tmp/script"
"$HARTVM" -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" \
    -append "console=ttyS0 console=tty0" -display sdl -name "$inst" --timeout 280 \
    --debug-script "$tmp/script" <"$tmp/cmds" >"$tmp/out" 2>&1 &
vm=$!
at_exit '[ -n "$vm" ] && kill "$vm" 2>/dev/null; exec 3>&- 2>/dev/null'
exec 3>"$tmp/cmds"

# case 1: Linux binds simplefb and fbcon to our framebuffer, sees both inputs
# (/init's greeting and shell are on tty0, not on the serial port)
wait_file "$tmp/out" "Run /init as init process" 240 || bad "no /init: $(tail -5 "$tmp/out")"
all=1
for re in "simple-framebuffer 4000000.framebuffer: fb0: simplefb registered" \
          "Console: switching to colour frame buffer device 128x48" \
          "input: hartvm keyboard as" "input: hartvm tablet as"; do
    grep -q "$re" "$tmp/out" || { all=0; echo "  missing in the boot log: $re"; }
done
[ $all -eq 1 ] && ok || bad "framebuffer console or input devices not found"
W=$(win_for "^$inst - hartvm \[running\]$" 10) || { bad "no window"; summary; exit; }

# case 2: a command typed into the window runs in the shell on tty0 (the
# console's input buffer keeps it until the shell reads)
sleep 2
xdotool windowfocus --sync "$W" 2>/dev/null || xdotool windowfocus "$W"
xdotool type --delay 40 'echo typed-in-the-window-$((6*7)) > /dev/ttyS0'
xdotool key Return
wait_file "$tmp/out" "^typed-in-the-window-42$" 60 && ok ||
    bad "the shell did not run the typed command: $(tail -3 "$tmp/out")"

# case 3: stopped, the window shows exactly the screendump, with text on it
sleep 1
kill -INT "$vm"
win_for "^$inst - hartvm \[stopped\]$" 10 >/dev/null || bad "title did not say stopped"
echo "screendump $tmp/dump.ppm" >&3
wait_file "$tmp/out" "Screen written to" 10 || bad "no screendump: $(tail -3 "$tmp/out")"
sleep 0.3
mkdir -p "$BUILD/tests"
SHOT=$BUILD/tests/window_linux.png
import -window "$W" -depth 8 "$tmp/shot.ppm" && import -window "$W" "$SHOT" || bad "import failed"
hs=$(head -n 3 "$tmp/shot.ppm" | wc -c); hd=$(head -n 3 "$tmp/dump.ppm" | wc -c)
if cmp -s <(tail -c +$((hs + 1)) "$tmp/shot.ppm") <(tail -c +$((hd + 1)) "$tmp/dump.ppm"); then
    ok
else
    bad "the screenshot differs from the screendump"
fi
# text: the top 16-pixel row of characters (the boot log) and the whole
# screen hold many lit pixels; count bytes above 0x80 in the raw RGB data
lit_top=$(tail -c +$((hs + 1)) "$tmp/shot.ppm" | head -c $((1024 * 16 * 3)) | od -An -v -tu1 |
          tr -s ' ' '\n' | awk '$1 > 128 { n++ } END { print n + 0 }')
[ "$lit_top" -gt 500 ] && ok || bad "top text line looks blank ($lit_top lit bytes)"

# case 5: closing the window ends the machine; the debugger, out of
# commands, ends too: status 0
echo c >&3
exec 3>&-
win_for "^$inst - hartvm \[running\]$" 10 >/dev/null
"$tmp/xclose" "$W"
if ! wait_until 20 gone "$vm"; then
    bad "hartvm still running 20 s after the window was closed"
else
    wait "$vm"; st=$?; vm=
    [ $st -eq 0 ] && ok || bad "exit status $st after closing: $(tail -3 "$tmp/out")"
fi
echo "$NAME: screenshot in $SHOT"
summary

#!/bin/bash
# The framebuffer without a window: our bare-metal guest
# (tests/system/fbtest.c) draws a known pattern; the debugger's screendump
# at its pattern_done() breakpoint must match, byte for byte, the PPM that
# the same pattern function writes on the host. -display none and
# -nographic must never initialise SDL (run with a DISPLAY that does not
# exist: SDL would fail), nor even load it, -display sdl without a display
# or without the window module is a clear error.
# Usage: window_screendump.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=window_screendump
cd "$(dirname "$0")/../.."
. tests/system/lib/check.sh
need_hartvm
G=$tmp/fbtest.elf
rv_cc "$G" tests/system/fbtest.c -ffreestanding -O2 &&
    cc -DHOST -O2 tests/system/fbtest.c -o "$tmp/pattern" && "$tmp/pattern" >"$tmp/expect.ppm" ||
    give_up "cannot build the guest"

# The display no SDL could open: initialising SDL at all would fail the run.
NODPY=:1999

# case 1-2: -display none --fb, screendump at the breakpoint == the pattern
printf 'break pattern_done\nc\nscreendump %s\nquit\n' "$tmp/dump1.ppm" >"$tmp/cmds1"
DISPLAY=$NODPY timeout 60 "$HARTVM" -bios none -kernel "$G" -display none --fb 1024x768 \
    --timeout 30 --debug-script "$tmp/cmds1" </dev/null >"$tmp/out1" 2>&1
st=$?
[ $st -eq 0 ] && grep -q "Screen written to" "$tmp/out1" && ok ||
    bad "-display none --fb run: exit $st: $(tail -3 "$tmp/out1")"
cmp -s "$tmp/dump1.ppm" "$tmp/expect.ppm" && ok ||
    bad "screendump differs from the pattern: $(cmp "$tmp/dump1.ppm" "$tmp/expect.ppm" 2>&1)"

# case 3: the same with -nographic
printf 'break pattern_done\nc\nscreendump %s\nquit\n' "$tmp/dump3.ppm" >"$tmp/cmds3"
DISPLAY=$NODPY timeout 60 "$HARTVM" -bios none -kernel "$G" -nographic --fb 1024x768 \
    --timeout 30 --debug-script "$tmp/cmds3" </dev/null >"$tmp/out3" 2>&1
st=$?
[ $st -eq 0 ] && cmp -s "$tmp/dump3.ppm" "$tmp/expect.ppm" && ok ||
    bad "-nographic --fb: exit $st, dump $(cmp "$tmp/dump3.ppm" "$tmp/expect.ppm" 2>&1)"

# case 4: screendump without a framebuffer is an error message, not a crash
printf 'screendump %s\nquit\n' "$tmp/dump4.ppm" >"$tmp/cmds4"
timeout 60 "$HARTVM" -bios none -kernel "$G" -nographic --timeout 30 \
    --debug-script "$tmp/cmds4" </dev/null >"$tmp/out4" 2>&1
st=$?
[ $st -eq 0 ] && grep -q "screendump: no framebuffer" "$tmp/out4" && [ ! -e "$tmp/dump4.ppm" ] && ok ||
    bad "screendump without --fb: exit $st: $(tail -2 "$tmp/out4")"

# case 5: -display sdl with no display at all: exit 1, a clear message
env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER timeout 30 "$HARTVM" -bios none -kernel "$G" \
    -display sdl --timeout 10 </dev/null >"$tmp/out5" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "display sdl: no display available" "$tmp/out5" && ok ||
    bad "-display sdl without DISPLAY: exit $st: $(cat "$tmp/out5")"

# case 6: -display sdl with a display that cannot be opened: exit 1
env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER DISPLAY=$NODPY timeout 30 "$HARTVM" -bios none \
    -kernel "$G" -display sdl --timeout 10 </dev/null >"$tmp/out6" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "cannot open display '$NODPY'" "$tmp/out6" && ok ||
    bad "-display sdl with DISPLAY=$NODPY: exit $st: $(cat "$tmp/out6")"

# case 7-8: usage errors (exit 2): -nographic with -display sdl, a bad --fb
"$HARTVM" -nographic -display sdl >"$tmp/out7" 2>&1
st=$?
[ $st -eq 2 ] && grep -q "nographic cannot be used with -display sdl" "$tmp/out7" && ok ||
    bad "-nographic -display sdl: exit $st: $(cat "$tmp/out7")"
wrong=0
for v in 8x8 1024 x768 1024x768x 5000x100 4096x4096 abc; do
    "$HARTVM" --fb "$v" >"$tmp/out8" 2>&1
    st=$?
    [ $st -eq 2 ] && grep -q -- "--fb $v" "$tmp/out8" || { wrong=1; echo "  --fb $v: exit $st"; }
done
[ $wrong -eq 0 ] && ok || bad "a bad --fb size was accepted"

# case 9: the device tree has the simple-framebuffer node with --fb only
"$HARTVM" --fb 800x600 --dump-dtb "$tmp/fb.dtb" >/dev/null 2>&1 &&
    "$HARTVM" --dump-dtb "$tmp/nofb.dtb" >/dev/null 2>&1
if command -v fdtget >/dev/null; then
    w=$(fdtget "$tmp/fb.dtb" /soc/framebuffer@4000000 width 2>/dev/null)
    s=$(fdtget "$tmp/fb.dtb" /soc/framebuffer@4000000 stride 2>/dev/null)
    f=$(fdtget -ts "$tmp/fb.dtb" /soc/framebuffer@4000000 format 2>/dev/null)
    c=$(fdtget -ts "$tmp/fb.dtb" /soc/framebuffer@4000000 compatible 2>/dev/null)
    none=$(fdtget -l "$tmp/nofb.dtb" /soc 2>/dev/null | grep -c framebuffer)
    [ "$w" = 800 ] && [ "$s" = 3200 ] && [ "$f" = x8r8g8b8 ] && [ "$c" = simple-framebuffer ] &&
        [ "$none" = 0 ] && ok ||
        bad "framebuffer node: width '$w' stride '$s' format '$f' compatible '$c', without --fb: $none"
else
    bad "fdtget missing (make deps)"
fi

# case 10: hartvm links no SDL; the window module beside it does, and a
# run without a window never loads it (a headless start stays quick)
MOD=$BUILD/hartvm-ui-sdl.so
LD_DEBUG=files DISPLAY=$NODPY timeout 30 "$HARTVM" -bios none -kernel "$G" -display none --fb 64x64 \
    --max-insns 1000 </dev/null >/dev/null 2>"$tmp/ld10"
! ldd "$HARTVM" | grep -q libSDL2 && ldd "$MOD" 2>/dev/null | grep -q libSDL2 &&
    grep -q "file=libfdt" "$tmp/ld10" && ! grep -qE "hartvm-ui-sdl|libSDL2" "$tmp/ld10" && ok ||
    bad "SDL in hartvm: $(ldd "$HARTVM" | grep -c libSDL2), in $MOD: $(ldd "$MOD" 2>&1 | grep -c libSDL2), loaded headless: $(grep -cE "hartvm-ui-sdl|libSDL2" "$tmp/ld10")"

# case 11: -display sdl without the module beside hartvm: exit 1, a clear message
mkdir -p "$tmp/alone" && cp "$HARTVM" "$tmp/alone/"
env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER DISPLAY=$NODPY timeout 30 "$tmp/alone/hartvm" -bios none \
    -kernel "$G" -display sdl --timeout 10 </dev/null >"$tmp/out11" 2>&1
st=$?
[ $st -eq 1 ] && grep -q "cannot load the window module: $tmp/alone/hartvm-ui-sdl.so" "$tmp/out11" && ok ||
    bad "-display sdl without the module: exit $st: $(cat "$tmp/out11")"
summary

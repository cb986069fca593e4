# The SDL window under a private X server: Xvfb, finding a window by its
# title, closing it as a window manager does. Source it after lib/check.sh,
# from the repository's root.

# start_xvfb: an X server on a free display number, stopped at exit; DISPLAY
# names it, and SDL is kept from choosing anything else.
start_xvfb() {
    need Xvfb
    Xvfb -displayfd 4 -screen 0 1280x1024x24 -nolisten tcp 4>"$tmp/dpy" >"$tmp/xvfb.log" 2>&1 &
    xvfb=$!
    at_exit 'kill "$xvfb" 2>/dev/null'
    wait_until 10 grep -q '[0-9]' "$tmp/dpy" 2>/dev/null ||
        give_up "Xvfb did not start: $(cat "$tmp/xvfb.log")"
    export DISPLAY=:$(head -1 "$tmp/dpy")
    unset WAYLAND_DISPLAY SDL_VIDEODRIVER
    # Under an ASan build: X11/Mesa's GL driver (dlopen'ed by SDL, unloaded at
    # SDL_Quit) leaves allocations LeakSanitizer reports as "unknown module";
    # they are not hartvm's, and would turn every exit status into 1.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
}
# win_for TITLE_REGEX SECS: the id of the first window so titled.
_win() { w=$(xdotool search --name "$1" 2>/dev/null | head -1); [ -n "$w" ]; }
win_for() { local w; wait_until "$2" _win "$1" && echo "$w"; }
# build_xclose: $tmp/xclose WINDOW asks a window to close (WM_DELETE_WINDOW).
build_xclose() { cc -O2 tests/system/xclose.c -lX11 -o "$tmp/xclose"; }
# file_has FILE REGEX: a line of FILE matches (carriage returns dropped).
file_has() { tr -d '\r' <"$1" 2>/dev/null | grep -qE -- "$2"; }
# wait_file FILE REGEX SECS: file_has FILE REGEX within SECS, or as soon as
# hartvm ($vm, when it runs) has ended.
wait_file() { wait_pid=${vm-} wait_until "$3" file_has "$1" "$2"; }

# A real terminal for a test: a detached tmux session whose screen we read
# and whose keyboard we type on. Source it after lib/check.sh.
tmux_sock=; tmux_n=0
tm() { tmux -L "$tmux_sock" "$@"; }
tmux_end() {
    [ -n "$tmux_sock" ] || return 0
    tm kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_sock"
}
at_exit tmux_end

# tmux_start COLS ROWS COMMAND: COMMAND in session "t" of a COLS x ROWS
# terminal. Each session gets a server of its own, and the last one's is
# ended first: a killed server may still be exiting when the next session
# starts, and would take it down with it.
tmux_start() {
    tmux_end
    tmux_n=$((tmux_n + 1))
    tmux_sock=hartvm-$NAME-$$-$tmux_n
    tm -f /dev/null new-session -d -s t -x "$1" -y "$2" "$3"
}
# screen: the terminal's text with its history, wrapped lines joined.
screen() { tm capture-pane -p -J -S -10000 -t t 2>/dev/null | tr -d '\r'; }
# screen_lines: the same with trailing blanks dropped, for whole-line matches.
screen_lines() { screen | sed 's/[[:space:]]*$//'; }
# screen_has REGEX: some line of the screen matches.
screen_has() { screen | grep -Eq -- "$1"; }
# screen_count REGEX: how many lines of the screen match.
screen_count() { screen | grep -Ec -- "$1"; }
# screen_wait REGEX [SECS]: screen_has REGEX within SECS (default 10).
screen_wait() {
    wait_until "${2:-10}" screen_has "$1" && return 0
    echo "    (timed out waiting for: $1)"
    return 1
}
# keys KEY...: tmux key names (Enter, C-a, Tab...) or, after -l, text.
keys() { tm send-keys -t t "$@"; }
# send_line TEXT: TEXT typed, then Enter.
send_line() { keys -l "$1"; keys Enter; }

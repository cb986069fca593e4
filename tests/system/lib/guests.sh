# Several Linux guests at once, each driven at its console as lib/console.sh
# drives one: hartvm or QEMU, stdin on a FIFO, output in a log. Source it
# after setting NAME, HARTVM and BUILD; it brings lib/check.sh with it.
#   gstart TAG hv|qemu ARGS...   boot the default guest with ARGS added
#   gtype TAG TEXT               type a line (marks the log first)
#   gwait TAG REGEX SECS         the log since the last line matches in time
#   grun TAG CMD REGEX WHAT      type CMD, check its output, wait for the prompt
#   gstop TAG SECS               poweroff, then the exit status in $rc
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"
declare -A gpid gmark
L=$BUILD/roms/linux
sh_prompt='[/~] # $'
at_exit 'for t in "${!gpid[@]}"; do kill "${gpid[$t]}" 2>/dev/null; done'

gstart() {
    local tag=$1 who=$2; shift 2
    rm -f "$tmp/$tag.in"; mkfifo "$tmp/$tag.in"
    local base=(-nographic -m 256M -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append "console=ttyS0")
    if [ "$who" = hv ]; then
        "$HARTVM" --timeout 600 "${base[@]}" "$@"
    else
        timeout 600 qemu-system-riscv64 -M virt "${base[@]}" "$@"
    fi <"$tmp/$tag.in" >"$tmp/$tag.log" 2>"$tmp/$tag.err" &
    gpid[$tag]=$!
    eval "exec {fd_$tag}>\"$tmp/$tag.in\""
    gmark[$tag]=0
}
glog_has() { tail -c +$((gmark[$1] + 1)) "$tmp/$1.log" 2>/dev/null | tr -d '\r' | grep -qE "$2"; }
gwait() { wait_pid=${gpid[$1]} wait_until "$3" glog_has "$1" "$2"; }
gtype() {
    local fd="fd_$1"
    gmark[$1]=$(stat -c %s "$tmp/$1.log")
    printf '%s\r' "$2" >&"${!fd}"
}
grun() {
    gtype "$1" "$2"
    check "$4" gwait "$1" "$3" 60
    gwait "$1" "$sh_prompt" 60
}
gshow() { echo "--- $1 console (last 8 lines)"; tr -d '\r' <"$tmp/$1.log" | tail -8; tail -5 "$tmp/$1.err"; }
gstop() {
    gtype "$1" "poweroff"
    local fd="fd_$1"
    eval "exec ${!fd}>&-"
    if wait_until "$2" gone "${gpid[$1]}"; then wait "${gpid[$1]}"; rc=$?
    else kill "${gpid[$1]}"; wait "${gpid[$1]}" 2>/dev/null; rc=999; fi
    unset "gpid[$1]"
}
# free_port: a TCP port nothing listens on now.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

#!/bin/bash
# The interactive fleet console (issue 9), driven through tmux as a person
# would, over five guests (our own echo, spin and failing programs, and
# OpenSBI + U-Boot): list, pause/resume (instructions stand still while
# paused), attach to a guest console, type to it, Ctrl-] back; U-Boot
# driven through attach until it powers off; a debugger command
# inside an instance; an emulator process killed with SIGSEGV is reported
# as a crash and restarted under restart = on-failure; kill; quit stops
# everything and removes the run directory.
# Usage: tests/system/fleet_console.sh BUILD_DIR  (prints "fleet_console: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
passed=0; failed=0; n=0
tmp=$(mktemp -d)
TMUX_SOCK=fleet-test-$$
# a sanitizer build must die of the SIGSEGV sent below, as a normal build does
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0
S=fleet
tm() { tmux -L "$TMUX_SOCK" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

dumped=
check() {
    n=$((n + 1))
    if "${@:2}"; then passed=$((passed + 1)); echo "  ok   $n: $1"
    else
        failed=$((failed + 1)); echo "  FAIL $n: $1"
        if [ -z "$dumped" ]; then       # the first failure shows the screen
            dumped=1; screen | grep -v '^$' | tail -20 | sed 's/^/    | /'
        fi
    fi
}
finish() { echo "fleet_console: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

if [ ! -x "$HARTVM" ] || ! command -v tmux >/dev/null; then
    echo "fleet_console: needs $HARTVM and tmux"; failed=1; finish
fi

RV_FLAGS="-march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static -mcmodel=medany
          -Wl,--no-relax -T tests/isa/link.ld"
for g in echo spin fail; do
    riscv64-unknown-elf-gcc $RV_FLAGS -DGUEST_$g tests/system/fleet_guest.S -o "$tmp/$g.elf" ||
        { echo "fleet_console: cannot build the guests"; failed=1; finish; }
done
cat >"$tmp/con.ini" <<'EOF'
[echo]
bios = none
kernel = echo.elf
restart = on-failure
[echo2]
bios = none
kernel = echo.elf
memory = 16M
[spin]
bios = none
kernel = spin.elf
[fail3]
bios = none
kernel = fail.elf
; a real guest beside our own programs: OpenSBI, then U-Boot
[uboot]
kernel = /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
memory = 256M
EOF

screen() { tm capture-pane -p -J -t "$S" -S -3000 2>/dev/null; }
# wait_for REGEX [SECS]: until the screen (with its history) matches
wait_for() {
    local end=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $end ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    echo "    (timed out waiting for: $1)"
    return 1
}
# count REGEX: lines of the screen that match
count() { screen | grep -Ec -- "$1"; }
type_line() { tm send-keys -t "$S" -l "$1"; tm send-keys -t "$S" Enter; }
# after CMD: type a command and wait for its n-th echo on the screen
run() {
    local before; before=$(count "^fleet> $1\$")
    type_line "$1"
    local end=$((SECONDS + 10))
    while [ $SECONDS -lt $end ] && [ "$(count "^fleet> $1\$")" -le "$before" ]; do sleep 0.1; done
    sleep 0.3
}
# the last "instructions N" of a status NAME
insns_of() { run "status $1"; screen | sed -n 's/^  instructions \([0-9]*\),.*/\1/p' | tail -1; }

tm new-session -d -s "$S" -x 200 -y 50 \
    "cd '$tmp' && '$HARTVM' fleet con.ini; echo FLEET-EXIT=\$? >'$tmp/exit'"
check "console starts all five instances" wait_for "5 of 5 instances started"
check "the prompt appears" wait_for "^fleet> "
rundir=$(screen | sed -n 's/^run directory \(.*\) (removed at exit).*/\1/p' | head -1)
check "run directory is private (mode 700)" test -n "$rundir" -a "$(stat -c %a "$rundir" 2>/dev/null)" = 700
check "a failing guest is reported with its code" wait_for "^\[fail3\] exit 3 after"

sleep 1.2                                   # one statistics sample
run list
check "list: echo idle in wfi" wait_for "^echo +idle +[0-9]+ "
check "list: spin running" wait_for "^spin +running +[0-9]+ "
check "list: fail3 failed, last exit 3" wait_for "^fail3 +failed .* exit 3$"

run "pause spin"
check "pause spin" wait_for "^\[spin\] paused"
a=$(insns_of spin); sleep 1.5; b=$(insns_of spin)
check "paused: instructions stand still ($a = $b)" test -n "$a" -a "$a" = "$b"
check "status says paused" wait_for "^spin: paused, pid"
spinpid=$(screen | sed -n 's/^spin: [a-z]*, pid \([0-9]*\),.*/\1/p' | tail -1)
run "resume spin"
check "resume spin" wait_for "^\[spin\] resumed"
sleep 1.5; c=$(insns_of spin)
check "resumed: instructions move on ($b < $c)" test -n "$c" -a "${c:-0}" -gt "${b:-0}"

run "attach echo"
check "attach shows the guest's console" wait_for "^\[attached to echo: Ctrl-\] returns"
tm send-keys -t "$S" -l "hi"
check "keystrokes reach the guest and its echo comes back" wait_for "<h><i>"
tm send-keys -t "$S" 'C-]'
check "Ctrl-] detaches" wait_for "^\[detached from echo\]"
run list
check "the console works after detaching" test "$(count '^NAME +STATE')" -ge 2

run "monitor echo info regs"
check "monitor runs a debugger command inside the instance" wait_for "^pc +0x0000000080"
run "monitor echo step"
check "monitor refuses a command that runs the machine" wait_for "'step' runs or stops the machine"

# a crash of the emulator process (SIGSEGV from outside), restarted on failure
run "status echo"
pid=$(screen | sed -n 's/^echo: [a-z]*, pid \([0-9]*\),.*/\1/p' | tail -1)
check "status gives echo's pid" test -n "$pid"
[ -n "$pid" ] && kill -SEGV "$pid"
check "the crash is reported as a signal" \
    wait_for "^\[echo\] signal SIGSEGV after .* \(the emulator process was killed by a signal\)"
check "on-failure schedules a restart" wait_for "^\[echo\] restart on failure in 1 s"
sleep 2
run "status echo"
check "echo runs again (runs 2, restarts 1)" wait_for "^  runs 2, restarts 1 \(restart = on-failure\)"
newpid=$(screen | sed -n 's/^echo: [a-z]*, pid \([0-9]*\),.*/\1/p' | tail -1)
check "the restarted echo is a new process ($pid -> $newpid)" test -n "$newpid" -a "$newpid" != "$pid"

run "kill echo2"
check "kill: reported as stopped on request, not a crash" wait_for "^\[echo2\] stopped after"
sleep 1.5
check "a killed instance without on-failure stays down" test "$(count '^\[echo2\] restart')" -eq 0

# U-Boot: attach, wait for its prompt, type a command, power off; the
# console detaches by itself when the instance ends.
run "attach uboot"
check "attach uboot" wait_for "^\[attached to uboot"
check "U-Boot's prompt on the attached console" wait_for "^=> ?$" 90
tm send-keys -t "$S" -l "version"; tm send-keys -t "$S" Enter
check "U-Boot answers a typed command" wait_for "^U-Boot 20[0-9]{2}\.[0-9]{2}.*\(.*\)$"
tm send-keys -t "$S" -l "poweroff"; tm send-keys -t "$S" Enter
check "poweroff ends the instance with exit 0" wait_for "^\[fleet\] \[uboot\] exit 0 after"
check "the console detaches by itself" wait_for "^\[the instance ended; detached from uboot\]"

run "log fail3 2"
check "log shows the console's last lines" wait_for "^hartvm: guest reported failure code 3"

type_line quit
for i in $(seq 1 100); do [ -f "$tmp/exit" ] && break; sleep 0.1; done
check "quit ends the console with status 0" grep -q "FLEET-EXIT=0" "$tmp/exit"
check "the run directory is removed" test -n "$rundir" -a ! -e "$rundir"
gone() { for p in "$@"; do [ -n "$p" ] && kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
check "no instance outlives the supervisor (pids $spinpid $newpid)" gone "$spinpid" "$newpid"
finish

#!/bin/bash
# The interactive fleet console, driven through tmux as a person would,
# over five guests (our own echo, spin and failing programs, and
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
NAME=fleet_console
show_passes=1
. tests/system/lib/check.sh
. tests/system/lib/tmux.sh
. tests/system/lib/fleet.sh
# a sanitizer build must die of the SIGSEGV sent below, as a normal build does
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0
# the first failure shows the screen
on_fail() { [ -n "${dumped-}" ] || { dumped=1; screen | grep -v '^$' | tail -20 | sed 's/^/    | /'; }; }
need_hartvm
need tmux

for g in echo spin fail; do
    rv_cc "$tmp/$g.elf" tests/system/fleet_guest.S -DGUEST_$g || give_up "cannot build the guests"
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

tmux_start 200 50 "cd '$tmp' && '$HARTVM' fleet con.ini; echo FLEET-EXIT=\$? >'$tmp/exit'"
check "console starts all five instances" screen_wait "5 of 5 instances started"
check "the prompt appears" screen_wait "^fleet> "
rundir=$(screen | sed -n 's/^run directory \(.*\) (removed at exit).*/\1/p' | head -1)
check "run directory is private (mode 700)" test -n "$rundir" -a "$(stat -c %a "$rundir" 2>/dev/null)" = 700
check "a failing guest is reported with its code" screen_wait "^\[fail3\] exit 3 after"

sleep 1.2                                   # one statistics sample
fleet_cmd list
check "list: echo idle in wfi" screen_wait "^echo +idle +[0-9]+ "
check "list: spin running" screen_wait "^spin +running +[0-9]+ "
check "list: fail3 failed, last exit 3" screen_wait "^fail3 +failed .* exit 3$"

fleet_cmd "pause spin"
check "pause spin" screen_wait "^\[spin\] paused"
a=$(insns_of spin); sleep 1.5; b=$(insns_of spin)
check "paused: instructions stand still ($a = $b)" test -n "$a" -a "$a" = "$b"
check "status says paused" screen_wait "^spin: paused, pid"
spinpid=$(screen | sed -n 's/^spin: [a-z]*, pid \([0-9]*\),.*/\1/p' | tail -1)
fleet_cmd "resume spin"
check "resume spin" screen_wait "^\[spin\] resumed"
sleep 1.5; c=$(insns_of spin)
check "resumed: instructions move on ($b < $c)" test -n "$c" -a "${c:-0}" -gt "${b:-0}"

fleet_cmd "attach echo"
check "attach shows the guest's console" screen_wait "^\[attached to echo: Ctrl-\] returns"
keys -l "hi"
check "keystrokes reach the guest and its echo comes back" screen_wait "<h><i>"
keys 'C-]'
check "Ctrl-] detaches" screen_wait "^\[detached from echo\]"
fleet_cmd list
check "the console works after detaching" test "$(screen_count '^NAME +STATE')" -ge 2

fleet_cmd "monitor echo info regs"
check "monitor runs a debugger command inside the instance" screen_wait "^pc +0x0000000080"
fleet_cmd "monitor echo step"
check "monitor refuses a command that runs the machine" screen_wait "'step' runs or stops the machine"

# a crash of the emulator process (SIGSEGV from outside), restarted on failure
fleet_cmd "status echo"
pid=$(screen | sed -n 's/^echo: [a-z]*, pid \([0-9]*\),.*/\1/p' | tail -1)
check "status gives echo's pid" test -n "$pid"
[ -n "$pid" ] && kill -SEGV "$pid"
check "the crash is reported as a signal" \
    screen_wait "^\[echo\] signal SIGSEGV after .* \(the emulator process was killed by a signal\)"
check "on-failure schedules a restart" screen_wait "^\[echo\] restart on failure in 1 s"
sleep 2
fleet_cmd "status echo"
check "echo runs again (runs 2, restarts 1)" screen_wait "^  runs 2, restarts 1 \(restart = on-failure\)"
newpid=$(screen | sed -n 's/^echo: [a-z]*, pid \([0-9]*\),.*/\1/p' | tail -1)
check "the restarted echo is a new process ($pid -> $newpid)" test -n "$newpid" -a "$newpid" != "$pid"

fleet_cmd "kill echo2"
check "kill: reported as stopped on request, not a crash" screen_wait "^\[echo2\] stopped after"
sleep 1.5
check "a killed instance without on-failure stays down" test "$(screen_count '^\[echo2\] restart')" -eq 0

# U-Boot: attach, wait for its prompt, type a command, power off; the
# console detaches by itself when the instance ends.
fleet_cmd "attach uboot"
check "attach uboot" screen_wait "^\[attached to uboot"
check "U-Boot's prompt on the attached console" screen_wait "^=> ?$" 90
send_line "version"
check "U-Boot answers a typed command" screen_wait "^U-Boot 20[0-9]{2}\.[0-9]{2}.*\(.*\)$"
send_line "poweroff"
check "poweroff ends the instance with exit 0" screen_wait "^\[fleet\] \[uboot\] exit 0 after"
check "the console detaches by itself" screen_wait "^\[the instance ended; detached from uboot\]"

fleet_cmd "log fail3 2"
check "log shows the console's last lines" screen_wait "^hartvm: guest reported failure code 3"

send_line quit
wait_until 10 test -f "$tmp/exit"
check "quit ends the console with status 0" grep -q "FLEET-EXIT=0" "$tmp/exit"
check "the run directory is removed" test -n "$rundir" -a ! -e "$rundir"
check "no instance outlives the supervisor (pids $spinpid $newpid)" gone "$spinpid" "$newpid"
summary

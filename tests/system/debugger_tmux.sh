#!/bin/bash
# The debugger at a real terminal: a tmux session types at the readline
# prompt as a person would (Tab completion, cursor editing, history with
# Up), and switches between the guest console and the prompt with C-a c.
# While the prompt waits, QMP and a line monitor on sockets still answer.
# Usage: tests/system/debugger_tmux.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$(pwd)/$BUILD/hartvm
NAME=debugger_tmux
. tests/system/lib/check.sh
. tests/system/lib/tmux.sh
need tmux
need_hartvm
G=$tmp/guest.elf
rv_cc "$G" tests/system/debugger_guest.c -O1 -fno-omit-frame-pointer -fno-inline || give_up "cannot build the guest"

# expect TEXT: the terminal shows TEXT as a whole line within 15 s
has_line() { screen_lines | grep -Fxq -- "$1"; }
expect() { check "no line '$1' on the terminal:" wait_until 15 has_line "$1" || screen | tail -8; }
# press KEY...: keys, and a moment for readline to redraw
press() { keys "$@"; sleep 0.2; }
start() { tmux_start 150 50 "$1; echo EXITED \$?; sleep 60"; }

# ---- editing, completion and history at the prompt ---------------------
start "$HARTVM -bios none -kernel $G -nographic --timeout 60 --debug"
expect "hartvm debugger: machine stopped at reset; 'help' lists the commands"
press "brea" Tab                     # command completion: "break "
press "lea" Tab                      # symbol completion: "leaf"
press Enter
expect "(hartvm) break leaf"
expect "Breakpoint 1 at $(printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$G" | awk '$3 == "leaf" { print $1 }')))") <leaf>"
press "p 5*3" Left Left BSpace "4" Enter     # edited to "p 4*3"
expect "(hartvm) p 4*3"
expect "\$1 = 0xc (12)"
press Up Enter                       # history
expect "\$2 = 0xc (12)"
press "c" Enter
expect "Breakpoint 1, hart 0 at $(printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$G" | awk '$3 == "leaf" { print $1 }')))") <leaf>"
press "p mhart" Tab Enter            # CSR name completion
expect "(hartvm) p mhartid"
expect "\$3 = 0x0 (0)"
press "delete 1" Enter "c" Enter
expect "[machine exited: status 0, test finisher: pass]"
press "quit" Enter
expect "EXITED 0"

# ---- C-a c: from the running guest's console to the prompt and back ----
start "$HARTVM -nographic --timeout 60"
expect "Platform Name             : riscv-virtio,qemu"
press C-a c
expect "Stopped (C-a c)."
press "p mhartid == 0" Enter
expect "\$1 = 0x1 (1)"
press "c" Enter
press C-a x                          # back on the guest console: C-a x quits
expect "EXITED 0"

# ---- QMP and a socket monitor are served while the prompt waits ---------
start "$HARTVM -bios none -kernel $G -nographic --timeout 60 --debug -qmp unix:$tmp/q.sock,server,nowait -monitor unix:$tmp/m.sock,server,nowait"
expect "hartvm debugger: machine stopped at reset; 'help' lists the commands"
python3 tests/system/lib/sockclient.py --idle 1 "unix:$tmp/m.sock" @'(qemu)' 'info status\n' @'VM status' \
    >"$tmp/mon.out" 2>&1
check "the line monitor answers at the prompt: $(grep -a 'VM status' "$tmp/mon.out" | tr -d '\r')" \
    grep -aq "VM status" "$tmp/mon.out"
python3 tests/system/lib/sockclient.py --idle 1 "unix:$tmp/q.sock" @QMP '{"execute":"qmp_capabilities"}\n' \
    @return '{"execute":"query-status"}\n' @status '{"execute":"quit"}\n' >"$tmp/qmp.out" 2>&1
check "QMP answers at the prompt (query-status)" grep -q '"status"' "$tmp/qmp.out"
expect "EXITED 0"                    # QMP's quit ends the waiting prompt and hartvm

summary

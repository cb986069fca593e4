#!/bin/bash
# The debugger at a real terminal: a tmux session types at the readline
# prompt as a person would (Tab completion, cursor editing, history with
# Up), and switches between the guest console and the prompt with C-a c.
# Usage: tests/system/debugger_tmux.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$(pwd)/$BUILD/hartvm
NAME=debugger_tmux
passed=0; failed=0; n=0
tmp=$(mktemp -d)
SOCK=hartvm-dbg-$$-0
trap 'tmux -L $SOCK kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

if ! command -v tmux >/dev/null || [ ! -x "$HARTVM" ]; then
    echo "$NAME: tmux or $HARTVM missing (make deps; make)"; echo "$NAME: 0 passed, 1 failed"; exit 1
fi
G=$tmp/guest.elf
riscv64-unknown-elf-gcc -march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static \
    -mcmodel=medany -Wl,--no-relax -T tests/isa/link.ld -O1 -fno-omit-frame-pointer -fno-inline \
    tests/system/debugger_guest.c -o "$G" || { echo "$NAME: cannot build the guest"; echo "$NAME: 0 passed, 1 failed"; exit 1; }

screen() { tmux -L $SOCK capture-pane -p -S -300 -t t 2>/dev/null; }
# expect TEXT: the terminal shows TEXT as a whole line within 15 s
expect() {
    n=$((n + 1))
    for _ in $(seq 150); do
        if screen | grep -Fxq -- "$1"; then passed=$((passed + 1)); return 0; fi
        sleep 0.1
    done
    failed=$((failed + 1)); echo "$NAME: FAIL case $n: no line '$1' on the terminal:"; screen | tail -8
    return 1
}
keys() { tmux -L $SOCK send-keys -t t "$@"; sleep 0.2; }
# Each session gets a server of its own: a killed server may still be
# exiting when the next session starts, and would take it down with it.
nsess=0
start() {
    nsess=$((nsess + 1))
    SOCK=hartvm-dbg-$$-$nsess
    tmux -L $SOCK new-session -d -s t -x 150 -y 50 "$1; echo EXITED \$?; sleep 60"
}

# ---- editing, completion and history at the prompt ---------------------
start "$HARTVM -bios none -kernel $G -nographic --timeout 60 --debug"
expect "hartvm debugger: machine stopped at reset; 'help' lists the commands"
keys "brea" Tab                     # command completion: "break "
keys "lea" Tab                      # symbol completion: "leaf"
keys Enter
expect "(hartvm) break leaf"
expect "Breakpoint 1 at $(printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$G" | awk '$3 == "leaf" { print $1 }')))") <leaf>"
keys "p 5*3" Left Left BSpace "4" Enter     # edited to "p 4*3"
expect "(hartvm) p 4*3"
expect "\$1 = 0xc (12)"
keys Up Enter                       # history
expect "\$2 = 0xc (12)"
keys "c" Enter
expect "Breakpoint 1, hart 0 at $(printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$G" | awk '$3 == "leaf" { print $1 }')))") <leaf>"
keys "p mhart" Tab Enter            # CSR name completion
expect "(hartvm) p mhartid"
expect "\$3 = 0x0 (0)"
keys "delete 1" Enter "c" Enter
expect "[machine exited: status 0, test finisher: pass]"
keys "quit" Enter
expect "EXITED 0"
tmux -L $SOCK kill-server 2>/dev/null

# ---- C-a c: from the running guest's console to the prompt and back ----
start "$HARTVM -nographic --timeout 60"
expect "Platform Name             : riscv-virtio,qemu"
keys C-a c
expect "Stopped (C-a c)."
keys "p mhartid == 0" Enter
expect "\$1 = 0x1 (1)"
keys "c" Enter
keys C-a x                          # back on the guest console: C-a x quits
expect "EXITED 0"

echo "$NAME: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

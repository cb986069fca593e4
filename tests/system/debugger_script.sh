#!/bin/bash
# The debugger driven by scripts (--debug-script FILE, and commands on a
# pipe): breakpoints, steps, finish, watchpoints, memory, CSRs, page walks
# and errors, against our own guest programs and Debian's OpenSBI.
# Expected values come from the programs' source, their symbols (nm) and
# objdump's disassembly, never from hartvm itself.
# Usage: tests/system/debugger_script.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=debugger_script
. tests/system/lib/check.sh

# has LINE: the session output holds exactly this line
has()  { check "no line '$1'" grep -Fxq -- "$1" "$tmp/out"; }
# like REGEX: some line matches the extended regex
like() { check "no line matching '$1'" grep -Eq -- "$1" "$tmp/out"; }
status_is() { check "exit status $st, expected $1" test "$st" -eq "$1"; }
# session ARGS...: run hartvm with the script on stdin as --debug-script
session() {
    cat >"$tmp/cmds"
    timeout 60 "$HARTVM" -nographic --timeout 10 --debug-script "$tmp/cmds" "$@" </dev/null >"$tmp/out" 2>&1
    st=$?
}
sym() { printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$1" | awk -v s="$2" '$3 == s { print $1 }')))"; }
hex16() { printf '0x%016x' "$1"; }

need_hartvm

# ---- a C guest with frame pointers --------------------------------------
G=$tmp/guest.elf
rv_cc "$G" tests/system/debugger_guest.c -O1 -fno-omit-frame-pointer -fno-inline || give_up "cannot build the guest"
LEAF=$(sym "$G" leaf); RESULTS=$(sym "$G" results)
# the instruction after main's loop branch (objdump), for until
AFTER_LOOP=0x$(riscv64-unknown-elf-objdump -d "$G" | awk '/<main>:/ { m = 1 } m && /\tbne\t/ { b = 1; next }
    b { sub(":", "", $1); print $1; exit }')
# objdump's text of leaf's first instruction, spaces normalised
LEAF_INSN=$(riscv64-unknown-elf-objdump -d "$G" | awk -v a="${LEAF#0x}:" '$1 == a { $1 = ""; $2 = ""; print; exit }' | xargs)

session -bios none -kernel "$G" <<EOF
info regs
break leaf
info break
c
bt
finish
p/d a0
delete 1
watch results+8 8
c
delete
tbreak leaf if a0 == 2
c
p a0
info break
x/2xg results
set/w *results = 7
x/1dw results
disassemble leaf 1
until $AFTER_LOOP
p/d *counter
trace on $tmp/trace
c
trace off
c
foo
break nosuch
p 1/0
x/4q results
EOF
has "pc   0x0000000000001000"
has "Breakpoint 1 at $LEAF <leaf>"
like "^1 +breakpoint +$(hex16 "$LEAF")  <leaf> \(physical $LEAF\), hit 0 times$"
has "Breakpoint 1, hart 0 at $LEAF <leaf>"
like "^#1  0x[0-9a-f]{16} middle\+0x[0-9a-f]+$"
like "^#2  0x[0-9a-f]{16} main\+0x[0-9a-f]+$"
has "#3  $(hex16 $(( $(sym "$G" _start) + 16 ))) _start+0x10"
like "^Run till exit: return to 0x[0-9a-f]+ middle\+0x[0-9a-f]+$"
has "\$1 = 1"                                   # leaf(0) = 3*0 + 1
like "^Watchpoint 2: hart 0 store of 8 bytes at $(printf '0x%x' $((RESULTS + 8))) \(physical $(printf '0x%x' $((RESULTS + 8)))\) by pc 0x[0-9a-f]+ <middle\+0x[0-9a-f]+>: old 0x0 new 0x5$"
has "Temporary breakpoint 3, hart 0 at $LEAF <leaf>"
has "\$2 = 0x2 (2)"
has "No breakpoints or watchpoints."
has "$(hex16 "$RESULTS") <results>:  0x0000000000000002  0x0000000000000005"
has "$(hex16 "$RESULTS") <results>:  7"
line=$(grep -A1 -Fx "(hartvm) disassemble leaf 1" "$tmp/out" | tail -1 | tr -s ' ')
[ -n "$LEAF_INSN" ] && [ "${line#* <leaf>: * }" = "$LEAF_INSN" ] && ok || bad "disassemble: '$line', objdump: '$LEAF_INSN'"
like "^=> $(hex16 "$AFTER_LOOP") <main\+0x[0-9a-f]+>:"
has "\$3 = 15"                                  # counter = 1+1 + 4+1 + 7+1
has "[machine exited: status 0, test finisher: pass]"
has "continue: the machine has exited (status 0); nothing to run"
has "foo: unknown command; try 'help'"
has "break: no register, CSR or symbol named 'nosuch'"
has "p: division by zero"
like "^x: '/4q results': format is"
status_is 0
tail -1 "$tmp/trace" | grep -Eq '^0 M 0x[0-9a-f]{16} [0-9a-f]+ +sw +a5,0\(a4\)$' && ok || bad "trace ends '$(tail -1 "$tmp/trace")'"
grep -Eq '^0 M 0x[0-9a-f]{16} [0-9a-f]+ +li +a4,15 a4=0x000000000000000f$' "$tmp/trace" && ok || bad "trace lacks the li a4,15 line"

# ---- an ISA test program: breakpoint at a label, CSR fields, memory -----
E=$BUILD/tests/isa/rv64i_mem.elf
if [ -f "$E" ]; then
    session -bios none -kernel "$E" <<'EOF'
break pass
c
p mstatus
s
x/2xw tdat
xp/2xw tdat
i r
c
EOF
    has "Breakpoint 1, hart 0 at $(sym "$E" pass) <pass>"
    like "^  mstatus\.SD=0 .*mstatus\.MPP=[MSU] .*mstatus\.MIE=[01] mstatus\.SIE=[01] $"
    like "^=> $(hex16 $(( $(sym "$E" pass) + 4 ))) <pass\+0x4>:"
    # the same bytes through the (bare) translation and physically
    v=$(grep -A1 -Fx "(hartvm) x/2xw tdat" "$tmp/out" | tail -1 | cut -d: -f2)
    p=$(grep -A1 -Fx "(hartvm) xp/2xw tdat" "$tmp/out" | tail -1 | cut -d: -f2)
    [ -n "$v" ] && [ "$v" = "$p" ] && ok || bad "x '$v' and xp '$p' differ"
    like "^pc   $(hex16 $(( $(sym "$E" pass) + 4 )))  <pass\+0x4>$"
    has "[machine exited: status 0, test finisher: pass]"
    status_is 0
else
    bad "$E not built (make isa)"
fi

# ---- paging: a physical watchpoint caught in S-mode, vtop, pagetable -----
E=$BUILD/tests/isa/mmu_sv39.elf
if [ -f "$E" ]; then
    D1=$(sym "$E" data1); D1_8=$(printf '0x%x' $((D1 + 8)))
    session -bios none -kernel "$E" <<'EOF'
watch -p data1+8 8
c
mode
vtop 0x1008
vtop 0x5000
pagetable
x/1xg 0x1008
xp/1xg data1+8
delete
c
EOF
    # mmu_sv39.S case 2: S stores 0x2222 at VA 0x1008, mapped to data1
    like "^Watchpoint 1: hart 0 store of 8 bytes at 0x1008 \(physical $D1_8\) by pc 0x[0-9a-f]+ .*: old 0x0 new 0x2222$"
    has "hart 0: S-mode (supervisor)"
    like "^  level 0: table 0x[0-9a-f]+ \[  1\] pte@0x[0-9a-f]+ = 0x[0-9a-f]{16}  VRW---AD  ppn $(printf '0x%x' $((D1 >> 12)))$"
    has "  => physical $D1_8 (4 KiB page, rw- supervisor)"
    has "  => page fault: V=0: invalid entry"      # pt_l0[5] has V = 0
    like "^0x0000000000001000-0x0000000000001fff -> $(printf '0x%010x' $D1)-0x[0-9a-f]+ rw---  4 KiB$"
    has "0x0000000000001008:  0x0000000000002222"
    has "$(hex16 "$D1_8"):  0x0000000000002222"
    status_is 0
else
    bad "$E not built (make isa)"
fi

# ---- commands on a pipe (stdin is not a terminal) --------------------------
printf 'p 6*7\nhart 3\nquit\n' | timeout 20 "$HARTVM" -nographic --timeout 10 --debug -bios none -kernel "$G" >"$tmp/out" 2>&1
st=$?
has "\$1 = 0x2a (42)"
has "hart: '3': harts are 0 to 0"
status_is 0

# ---- Debian's OpenSBI (its symbols load with -bios default) ----------------
FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf
if [ -f "$FW" ]; then
    ROOT=$(printf '0x%x' "$((16#$(riscv64-unknown-elf-readelf --dyn-syms -W "$FW" | awk '$8 == "root" { print $2 }')))")
    session -smp 2 <<'EOF'
break 0x80000000
c
p mhartid
p a0 == mhartid
info harts
delete
watch -p root 8
c
x/1i $pc
delete
symbols /nonexistent
c
EOF
    has "Loaded 41 symbols from $FW"
    like "^Breakpoint 1, hart [01] at 0x80000000$"
    has "\$2 = 0x1 (1)"                        # the boot ROM passes a0 = mhartid
    like "^\* hart [01]  M-mode  pc 0x0000000080000000  runnable  instret [0-9]+$"
    like "^Watchpoint 2: hart [01] store of [0-9] bytes at $ROOT .*"
    like "^symbols: .*/nonexistent"
    like "^OpenSBI v1\.[0-9]"
    has "[machine exited: status 124, timeout]"  # no kernel: firmware waits
else
    bad "$FW missing (make deps)"
fi

summary

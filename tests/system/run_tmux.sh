#!/bin/bash
# `make run` at a real terminal, as the README tells a new user: a tmux
# session boots the default Linux guest, types at the busybox shell, then
# C-a c to the debugger to look at the kernel's own page tables (mode, satp,
# vtop of the pc and of a vmlinux symbol, pagetable, symbols), cross-checking
# each answer against another (x vs xp, pagetable vs vtop, nm vs print), and
# `continue`, `poweroff`: make exits 0 and the user's disk is untouched.
# Usage: tests/system/run_tmux.sh BUILD_DIR   (builds the guest first if needed)
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
NAME=run_tmux
L=$BUILD/roms/linux
. tests/system/lib/check.sh
. tests/system/lib/tmux.sh
need tmux
build_log=$(make -s BUILD="$BUILD" "$BUILD/hartvm" linux 2>&1) ||
    { tail -5 <<<"$build_log"; give_up "cannot build hartvm or the Linux guest"; }
disk_sum=$(md5sum <"$L/disk.img")

# since LINE: what the terminal shows after the last line that is exactly LINE.
since() { screen_lines | awk -v l="$1" '$0 == l { buf = ""; f = 1; next } f { buf = buf $0 "\n" } END { printf "%s", buf }'; }
# shows WHAT TEXT REGEX: TEXT has a line matching the extended REGEX.
shows() { if grep -Eq -- "$3" <<<"$2"; then ok; else bad "$1: no line /$3/ in:"; sed 's/^/    /' <<<"$2" | tail -12; fi; }
# wait_line REGEX SECS [FROM]: a line matching REGEX appears (after line FROM).
_line_after() { if [ -n "${2-}" ]; then since "$2"; else screen_lines; fi | grep -Eq -- "$1"; }
wait_line() { wait_until "$2" _line_after "$1" "${3-}"; }
# run PROMPT CMD SECS: type CMD at PROMPT, wait for the next prompt; $out is
# what CMD printed (failing to come back is a failed case).
run() {
    send_line "$2"
    if wait_line "^${3}\$" "$4" "$1 $2"; then out=$(since "$1 $2" | sed '$d'); ok
    else out=$(since "$1 $2"); bad "'$2' did not return to the prompt:"; tail -8 <<<"$out"; fi
}
sh_run()  { run "/ #" "$1" "/ #" "${2:-30}"; }
dbg_run() { run "(hartvm)" "$1" "\\(hartvm\\)" "${2:-30}"; }
hex() { printf '0x%x' "$1"; }

# ---- boot to the shell, as `make run` does -----------------------------
tmux_start 200 50 "make run BUILD=$BUILD; echo EXITED \$?; sleep 120"
t0=$(date +%s)
wait_line '^/ #$' 300 || { screen_lines | tail -15; give_up "no shell prompt from 'make run' in 300 s"; }
ok; echo "$NAME: shell prompt after $(( $(date +%s) - t0 )) s"
sh_run "uname -a"
shows "uname -a says riscv64" "$out" '^Linux .* riscv64'
sh_run "cat /proc/cpuinfo | grep -c processor"
shows "/proc/cpuinfo lists 2 processors" "$out" '^2$'

# ---- C-a c: the debugger, inside a running Linux -----------------------
keys C-a c
wait_line '^\(hartvm\)$' 30 "/ # cat /proc/cpuinfo | grep -c processor" && ok || bad "C-a c gave no debugger prompt"
shows "C-a c says where the hart stopped" "$(screen_lines)" 'Stopped \(C-a c\)\.$'

dbg_run "mode"
shows "mode: S or U" "$out" '^hart 0: [SU]-mode'
shows "mode: paging on" "$out" 'addresses are translated: MODE=Sv(48|39) '
dbg_run "info csrs"
shows "info csrs: satp in Sv48 or Sv39" "$out" '^satp +0x[0-9a-f]{16} +MODE=Sv(48|39) '
satp=$(awk '$1 == "satp" { print $2 }' <<<"$out")
sv=$(sed -n 's/^satp .*MODE=\(Sv[0-9]*\) .*/\1/p' <<<"$out")
top=$([ "$sv" = Sv48 ] && echo 3 || echo 2)

dbg_run 'print $pc'
pc=$(sed -n 's/^\$[0-9]* = \(0x[0-9a-f]*\).*/\1/p' <<<"$out")
shows "print \$pc gives a value" "$pc" '^0x[0-9a-f]+$'
pc=${pc:-0}

# vtop EXPR VA: each level from the top one down to a leaf, then a physical
# address ($pa) with VA's offset in the page.
vtop() {
    dbg_run "vtop $1"
    shows "vtop $1: the walk starts at level $top" "$out" "^  level $top: table 0x[0-9a-f]+ \[ *[0-9]+\] pte@0x[0-9a-f]+ = 0x[0-9a-f]{16} "
    local levels; levels=$(grep -Eo '^  level [0-3]:' <<<"$out" | awk '{ printf "%s", $2 }' | tr -d :)
    shows "vtop $1: levels descend one by one ($levels)" "$(seq -s '' "$top" -1 0)" "^${levels:-none}"
    shows "vtop $1: a physical result" "$out" '^  => physical 0x[0-9a-f]+ '
    pa=$(sed -n 's/^  => physical \(0x[0-9a-f]*\).*/\1/p' <<<"$out"); pa=${pa:-0}
    shows "vtop $1: offset in page kept" "$(( pa & 0xfff )) $(( $2 & 0xfff ))" '^([0-9]+) \1$'
}
vtop "$pc" "$pc"
pc_pa=$pa
shows "vtop of the pc: root table is satp's PPN" "$out" "table $(hex $(( (satp & ((1 << 44) - 1)) << 12 ))) "
dbg_run 'x/1wx $pc'
word_va=$(awk '{ print $NF }' <<<"$out")
dbg_run "xp/1wx $pc_pa"
word_pa=$(awk '{ print $NF }' <<<"$out")
shows "x at the pc and xp at its physical address agree ($word_va, $word_pa)" "$word_va $word_pa" '^(0x[0-9a-f]+) \1$'

dbg_run "pagetable" 60
shows "pagetable: header names $sv and satp's root" "$out" \
    "^hart 0, $sv, root table $(hex $(( (satp & ((1 << 44) - 1)) << 12 ))) "
ranges=$(grep -Ec '^0x[0-9a-f]+-0x[0-9a-f]+ -> 0x[0-9a-f]+-0x[0-9a-f]+ ' <<<"$out")
shows "pagetable: ranges listed ($ranges) match its count" "$out" "^[0-9]+ leaf entries in $ranges ranges$"
shows "pagetable: some ranges" "$ranges" '^[1-9]'
# the range holding the pc maps it where vtop said
via_pt=none
while read -r vs ve _ ps _; do
    if (( pc >= vs && pc <= ve )); then via_pt=$(hex $(( ps + (pc - vs) ))); fi
done < <(sed -n 's/^\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) -> \(0x[0-9a-f]*\)-.*/\1 \2 -> \3 x/p' <<<"$out")
shows "pagetable maps the pc to vtop's address ($via_pt, $pc_pa)" "$(hex $((via_pt)) 2>/dev/null) $(hex $((pc_pa)))" '^(0x[0-9a-f]+) \1$'

# a 4 KiB mapping from that list: the walk goes down to level 0
read -r va4 pa4 < <(sed -n 's/^\(0x[0-9a-f]*\)-0x[0-9a-f]* -> \(0x[0-9a-f]*\)-.* 4 KiB$/\1 \2/p' <<<"$out" | tail -1)
shows "pagetable lists a 4 KiB page" "${va4-} ${pa4-}" '^0x[0-9a-f]+ 0x[0-9a-f]+$'
if [ -n "${va4-}" ]; then
    vtop "$(hex $((va4 + 0x123)))" "$((va4 + 0x123))"
    shows "vtop of a 4 KiB page walks to level 0" "$out" '^  level 0: '
    shows "vtop of a 4 KiB page agrees with pagetable" "$(hex $((pa))) $(hex $((pa4 + 0x123)))" '^(0x[0-9a-f]+) \1$'
fi

# ---- the kernel's own symbols ------------------------------------------
vmlinux=$L/vmlinux
nm_addr() { riscv64-unknown-elf-nm "$vmlinux" | awk -v s="$1" '$3 == s { print "0x" $1; exit }'; }
sk=$(nm_addr start_kernel); kstart=$(nm_addr _start)
dbg_run "symbols $vmlinux" 60
shows "symbols loads vmlinux" "$out" "^Loaded [0-9]{4,} symbols from $vmlinux$"
dbg_run "print start_kernel"
shows "print start_kernel is nm's $sk" "$out" "^\\\$[0-9]+ = $sk .*<start_kernel>$"
dbg_run "info symbol start_kernel+6"
shows "info symbol inside start_kernel" "$out" "^$(hex $((sk + 6))) is start_kernel\+0x6$"
dbg_run 'x/1i $pc'
shows "the pc is inside a named kernel function" "$out" '^=> 0x[0-9a-f]+ <[A-Za-z_][A-Za-z0-9_.]*(\+0x[0-9a-f]+)?>:'
vtop start_kernel "$sk"
# -kernel goes at 0x80200000 (design.md section 1) and runs from vmlinux's _start
shows "vtop start_kernel lands where the Image was loaded" "$(hex $((pa))) $(hex $((sk - kstart + 0x80200000)))" '^(0x[0-9a-f]+) \1$'

# ---- back to the guest, and off ----------------------------------------
send_line "continue"
sleep 0.5; keys Enter                               # a fresh shell prompt
wait_line '^/ #$' 30 "(hartvm) continue" && ok || bad "no shell prompt after continue"
sh_run 'echo back-in-the-shell-$((6*7))'
shows "the shell runs after continue" "$out" '^back-in-the-shell-42$'
send_line "poweroff"
wait_line '^EXITED [0-9]+$' 60 "/ # poweroff" || true
shows "make run exits 0 after poweroff" "$(since '/ # poweroff')" '^EXITED 0$'
shows "the user's disk image is unchanged" "$(md5sum <"$L/disk.img")" "^${disk_sum%% *} "

summary

#!/bin/bash
# gdb-multiarch on the project's Linux through the gdb stub, as a kernel
# course does it with QEMU: -S -gdb, `break start_kernel` from the reset
# vector (set while the MMU is off: a pending breakpoint), bt, x/4i $pc,
# jiffies and a kernel struct from vmlinux's DWARF, a watchpoint on
# jiffies, Ctrl-C while Linux idles, two harts as two threads, detach, and
# the shell still answers on the console. The stop at start_kernel (after
# its prologue, as gdb places a breakpoint on a function with line
# information) and the thread count are compared with qemu-system-riscv64
# running the same kernel.
# Usage: tests/system/gdb_linux.sh BUILD_DIR   (builds the guest first if needed)
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=gdb_linux
. tests/system/lib/check.sh
. tests/system/lib/gdb.sh
need_hartvm
need gdb-multiarch ss riscv64-unknown-elf-nm
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
SK=$(printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$L/vmlinux" | awk '$3 == "start_kernel" { print $1 }')))")
LINUX=(-m 256M -smp 2 -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append console=ttyS0)
port=$((20000 + RANDOM % 20000))

# the console: commands go in through a fifo, kept open for the whole run
mkfifo "$tmp/in"
exec 3<>"$tmp/in"
timeout 120 "$HARTVM" -nographic "${LINUX[@]}" -S -gdb "tcp::$port" <&3 >"$tmp/console" 2>&1 &
hv=$!
at_exit "kill $hv 2>/dev/null"
wait_pid=$hv wait_until 10 listening $port || bad "listens on tcp::$port"
SESSION=(-ex 'break start_kernel' -ex continue -ex 'bt 2' -ex 'info threads' -ex 'x/4i $pc' -ex 'p/x $pc'
         -ex 'info symbol $pc' -ex 'p init_task.comm' -ex 'p jiffies' -ex delete -ex 'watch jiffies'
         -ex continue -ex 'p jiffies' -ex delete -ex detach)
timeout 60 gdb-multiarch -q -batch -ex "file $L/vmlinux" -ex "target remote :$port" "${SESSION[@]}" \
    >"$tmp/l.gdb" 2>&1 </dev/null
# a second gdb, once Linux idles at its shell: it gets SIGINT (as from
# Ctrl-C) during its continue
wait_until 60 grep -aq 'up on 2 hart' "$tmp/console"
ctrl_c l2.gdb -ex "file $L/vmlinux" -ex "target remote :$port" -ex continue \
    -ex 'info threads' -ex 'p $priv' -ex 'monitor info harts' -ex detach
cat "$tmp/l2.gdb" >>"$tmp/l.gdb"
# with line information: the stop names init/main.c, bt the caller
like l.gdb 'hit Breakpoint 1, start_kernel \(\) at .*init/main\.c:[0-9]+'
like l.gdb '^#0 +start_kernel \(\) at .*init/main\.c:[0-9]+'
like l.gdb '^#1 +0x[0-9a-f]+ in _start_kernel \('
like l.gdb '^=> 0x[0-9a-f]+ <start_kernel(\+[0-9]+)?>:'
like l.gdb '^start_kernel( \+ [0-9]+)? in section \.init\.text'
mapfile -t v < <(vals l.gdb)
check "stopped in start_kernel ($SK, got ${v[0]-})" \
    test $(( ${v[0]:-0} - SK )) -ge 0 -a $(( ${v[0]:-0} - SK )) -lt 256
check "a struct from the DWARF: init_task.comm (${v[1]-})" grep -q '^"swapper' <<<"${v[1]-}"
like l.gdb '^Thread 1 "hart 0" hit Hardware watchpoint 2: jiffies'
like l.gdb '^New value = [0-9]+'
check "the watchpoint saw jiffies tick by one (${v[2]-} then ${v[3]-})" \
    test "$(( ${v[3]:-0} - ${v[2]:-0} ))" -eq 1
like l.gdb 'received signal SIGINT, Interrupt\.'
check "two harts, two threads" test "$(grep -cE '^[* ] +[0-9]+ +Thread [0-9]+ "hart [01]"' "$tmp/l.gdb")" -ge 4
check "interrupted in S-mode (priv ${v[4]-})" test "${v[4]-}" = 1
like l.gdb '^\*? *hart [01] +S-mode'
like l.gdb 'Remote target\) detached'
# detached: the guest runs on, and its shell answers
printf 'echo gdb-left-%s\n' ok >&3
check "the shell answers after detach" wait_until 30 grep -aq '^gdb-left-ok' "$tmp/console"
printf 'poweroff\n' >&3
st=0; wait "$hv" || st=$?
check "poweroff after detach exits 0 (got $st)" test "$st" = 0

# QEMU with the same kernel: the same first stop, as many threads
QEMU=$(command -v qemu-system-riscv64 || true)
if [ -n "$QEMU" ]; then
    port=$((port + 1))
    timeout 120 "$QEMU" -M virt -display none -serial null -monitor none "${LINUX[@]}" -S \
        -gdb "tcp::$port" >"$tmp/q.out" 2>&1 &
    qpid=$!
    at_exit "kill $qpid 2>/dev/null"
    wait_pid=$qpid wait_until 10 listening $port
    timeout 60 gdb-multiarch -q -batch -ex "file $L/vmlinux" -ex "target remote :$port" -ex 'break start_kernel' \
        -ex continue -ex 'p/x $pc' -ex 'info threads' -ex kill >"$tmp/q.gdb" 2>&1 </dev/null
    wait "$qpid"
    check "QEMU stops at the same start_kernel pc ($(vals q.gdb))" test "$(vals q.gdb)" = "${v[0]-}"
    check "as many threads as QEMU" test "$(grep -cE '^[* ] +[0-9]+ +Thread ' "$tmp/q.gdb")" = \
        "$(grep -cE '^[* ] +[0-9]+ +Thread [0-9]+ "hart' "$tmp/l.gdb" | awk '{ print $1 / 2 }')"
else
    bad "qemu-system-riscv64 missing: no comparison"
fi
summary

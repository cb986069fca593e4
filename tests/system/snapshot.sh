#!/bin/bash
# Snapshots: savevm at the debugger, -incoming file: in a new process, loadvm.
#  1. A bare-metal guest of ours (snapshot_guest.c: memory, FP, timer
#     interrupts, UART output) under -icount, saved mid-line at a debugger
#     stop and resumed in a new process: the two halves of the console
#     output and of the --trace-digest file are exactly those of an
#     uninterrupted run, and the exit status is the guest's; with -smp 2
#     too (the resumed run finishes the turn the stop cut short). loadvm in the
#     same process after the guest has ended runs the second half again.
#  2. Bad snapshots and other command lines are refused with exit 1 and a
#     message saying why (truncated, damaged, foreign, future version,
#     -m / -smp / -icount / a disk that differ); a savevm that cannot write
#     says so and leaves no file behind.
#  3. The Linux guest saved at its shell prompt with a line half typed
#     (C-a c, savevm at a terminal) and resumed in a new process: the line
#     completes, a file written in /tmp before is there, the virtio disk
#     (a copy of build/roms/linux/disk.img) mounts and reads, the NIC on
#     -netdev user fetches a file from the host; the snapshot's
#     size and the save and load times are printed. Resuming once the disk
#     has changed, with another -m or without the NIC, is refused.
# Usage: tests/system/snapshot.sh BUILD_DIR   (SNAPSHOT_LINUX=0 skips part 3)
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$(pwd)/$BUILD/hartvm
NAME=snapshot
show_passes=1
. tests/system/lib/console.sh
. tests/system/lib/tmux.sh
need_hartvm
G=$tmp/guest.elf
rv_cc "$G" tests/system/snapshot_guest.c -O1 -march=rv64imafdc_zicsr -mabi=lp64 ||
    give_up "cannot build the guest"

# ---- 1. bare metal under -icount ------------------------------------------
sh_prompt='[/~] # $'
run() {    # run CMD REGEX WHAT: type a command at the console, expect its output
    type_line "$1"
    check "$3" wait_for "$2" 30
    wait_for "$sh_prompt" 30
}
BM=(-bios none -kernel "$G" -icount shift=2 --timeout 60)
bm() {     # bm NAME ARGS...: the guest with its console in NAME.out, trace in NAME.trace
    local n=$1; shift
    "$HARTVM" "${BM[@]}" -serial file:"$tmp/$n.out" --trace-digest 5000 --trace-file "$tmp/$n.trace" \
        "$@" </dev/null >"$tmp/$n.log" 2>"$tmp/$n.err"
}
bm whole; rc=$?
check "uninterrupted run passes (exit $rc)" test $rc = 0
check "uninterrupted run prints 40 lines" test "$(wc -l <"$tmp/whole.out")" = 40
printf '%s\n' "break halfway" "continue" "step 40" "savevm $tmp/bm.snap" "quit" >"$tmp/save.cmd"
bm first --debug-script "$tmp/save.cmd"; rc=$?
check "savevm at a debugger stop (exit $rc)" grep -q "^Snapshot written to $tmp/bm.snap" "$tmp/first.log"
mid_line() { [ -n "$(tail -c 1 "$1" | tr -d '\n')" ] && tail -n 1 "$1" | grep -q '^line 20: sum='; }
check "the first half ends mid-line" mid_line "$tmp/first.out"
bm second -incoming file:"$tmp/bm.snap"; rc=$?
check "the resumed run ends as the guest says (exit $rc)" test $rc = 0
check "first + resumed console output = the uninterrupted run's" \
    cmp -s <(cat "$tmp/first.out" "$tmp/second.out") "$tmp/whole.out"
check "first + resumed --trace-digest = the uninterrupted run's" \
    cmp -s <(grep -v '^end ' "$tmp/first.trace"; cat "$tmp/second.trace") "$tmp/whole.trace"
check "the trace has interrupts in the resumed half" grep -q '^irq ' "$tmp/second.trace"
# the same with two harts taking turns (hart 1 counting with atomics)
bm whole2 -smp 2; rc=$?
check "-smp 2: uninterrupted run passes (exit $rc)" test $rc = 0
check "-smp 2: hart 1 ran" bash -c "tail -n 1 '$tmp/whole2.out' | grep -qv 'shared=0\$'"
sed "s|bm.snap|bm2h.snap|" "$tmp/save.cmd" >"$tmp/save2.cmd"
bm first2 -smp 2 --debug-script "$tmp/save2.cmd"
bm second2 -smp 2 -incoming file:"$tmp/bm2h.snap"; rc=$?
check "-smp 2: the resumed run passes (exit $rc)" test $rc = 0
check "-smp 2: first + resumed console output = the uninterrupted run's" \
    cmp -s <(cat "$tmp/first2.out" "$tmp/second2.out") "$tmp/whole2.out"
check "-smp 2: first + resumed --trace-digest = the uninterrupted run's" \
    cmp -s <(grep -v '^end ' "$tmp/first2.trace"; cat "$tmp/second2.trace") "$tmp/whole2.trace"
printf '%s\n' "break halfway" "continue" "savevm $tmp/bm2.snap" "delete" "continue" \
    "loadvm $tmp/bm2.snap" "continue" "quit" >"$tmp/again.cmd"
bm again --debug-script "$tmp/again.cmd"; rc=$?
check "loadvm after the end: the machine runs again (exit $rc)" test $rc = 0
check "loadvm: the second half twice" \
    cmp -s "$tmp/again.out" <(cat "$tmp/whole.out"; sed -n '/^line 20/,$p' "$tmp/whole.out" | sed '1s/^.*sum=[0-9]*//')

# ---- 2. refused -----------------------------------------------------------
refused() {   # refused WHAT WANT_RC REGEX ARGS...: hartvm exits WANT_RC saying REGEX
    local what=$1 want=$2 re=$3; shift 3
    "$HARTVM" "$@" </dev/null >/dev/null 2>"$tmp/ref.err"; local st=$?
    if [ $st != "$want" ]; then bad "$what: exit $st, want $want ($(head -c 300 "$tmp/ref.err"))"
    elif ! grep -Eq -- "$re" "$tmp/ref.err"; then bad "$what: stderr lacks /$re/: $(head -c 300 "$tmp/ref.err")"
    else ok "$what"; fi
}
S=$tmp/bm.snap
size=$(stat -c %s "$S")
head -c $((size / 2)) "$S" >"$tmp/trunc.snap"
cp "$S" "$tmp/flip.snap"; printf 'X' | dd of="$tmp/flip.snap" bs=1 seek=$((size / 3)) conv=notrunc 2>/dev/null
cp "$S" "$tmp/future.snap"; printf '\x02' | dd of="$tmp/future.snap" bs=1 seek=8 conv=notrunc 2>/dev/null
: >"$tmp/empty.snap"
refused "truncated snapshot" 1 "checksum mismatch" "${BM[@]}" -incoming file:"$tmp/trunc.snap"
refused "damaged snapshot" 1 "checksum mismatch" "${BM[@]}" -incoming file:"$tmp/flip.snap"
refused "future format version" 1 "format version 2, this hartvm reads version 1" \
    "${BM[@]}" -incoming file:"$tmp/future.snap"
refused "foreign file (an ELF)" 1 "not a hartvm state stream" "${BM[@]}" -incoming file:"$G"
refused "empty file" 1 "not a hartvm state stream" "${BM[@]}" -incoming file:"$tmp/empty.snap"
refused "missing file" 1 "No such file" "${BM[@]}" -incoming file:"$tmp/none.snap"
refused "-incoming exec: is a usage error" 2 "tcp:\\[HOST\\]:PORT or unix:PATH" "${BM[@]}" -incoming exec:cat
refused "other -m" 1 "-m is 128M in the snapshot, 64M here" "${BM[@]}" -m 64M -incoming file:"$S"
refused "other -smp" 1 "-smp is 1 in the snapshot, 2 here" "${BM[@]}" -smp 2 -incoming file:"$S"
refused "no -icount" 1 "-icount shift .* is 2 in the snapshot, -1 here" \
    -bios none -kernel "$G" -incoming file:"$S"
truncate -s 1M "$tmp/d.img"
refused "a disk not in the snapshot" 1 "slot 7 .* is nothing in the snapshot, a virtio-blk disk here" \
    "${BM[@]}" -drive file="$tmp/d.img",if=virtio,format=raw -incoming file:"$S"
printf '%s\n' "savevm $tmp/nodir/x.snap" "savevm $tmp/ok.snap" "savevm $tmp/ok.snap" "quit" >"$tmp/w.cmd"
"$HARTVM" "${BM[@]}" -serial file:/dev/null --debug-script "$tmp/w.cmd" </dev/null >"$tmp/w.log" 2>&1
check "savevm into a missing directory says why" grep -q "savevm: $tmp/nodir/x.snap: No such file" "$tmp/w.log"
check "savevm over a snapshot replaces it, no temporary file left" \
    test "$(ls "$tmp" | grep -c '\.snap\.tmp')" = 0 -a "$(grep -c '^Snapshot written' "$tmp/w.log")" = 2

# ---- 3. Linux at its shell prompt -------------------------------------------
if [ "${SNAPSHOT_LINUX-1}" = 0 ]; then summary; exit; fi
need tmux
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$(pwd)/$BUILD/roms/linux
cp "$L/disk.img" "$tmp/disk.img"
LX=(-m 256M -smp 2 -kernel "$L/Image" -initrd "$L/initramfs.cpio" -append console=ttyS0
    -drive file="$tmp/disk.img",if=none,format=raw,id=hd0 -device virtio-blk-device,drive=hd0
    -netdev user,id=n0 -device virtio-net-device,netdev=n0)
# a file the guest fetches over -netdev user once resumed
mkdir "$tmp/www" && echo served-after-restore >"$tmp/www/f"
web=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$tmp/www" && exec python3 -m http.server "$web" --bind 127.0.0.1) >/dev/null 2>&1 &
web_pid=$!
at_exit "kill $web_pid 2>/dev/null"
LS=$tmp/linux.snap
tmux_start 160 50 "$HARTVM -nographic --timeout 600 ${LX[*]}; echo EXITED \$?; sleep 60"
check "Linux: shell prompt" screen_wait '[/~] # *$' 300
check "Linux: eth0's DHCP lease" screen_wait 'eth0 has 10\.0\.2\.15' 120
send_line 'echo kept-$((6*7)) > /tmp/kept.txt && echo wrote-$((1+2))'
check "Linux: a file written in /tmp" screen_wait '^wrote-3' 60
keys -l 'echo half'                     # typed, no Enter yet: in the guest's line buffer
screen_wait 'echo half *$' 30
keys C-a c
check "C-a c stops it for the debugger" screen_wait 'Stopped \(C-a c\)\.' 30
send_line "savevm $LS"
check "savevm at the shell prompt" screen_wait "^Snapshot written to $LS" 120
save_s=$(screen | sed -n "s|^Snapshot written to $LS (\([0-9.]*\) s)\.|\1|p" | tail -1)
send_line quit
screen_wait '^EXITED ' 30
echo "$NAME: Linux at its shell prompt: snapshot $(( $(stat -c %s "$LS") / 1024 )) KiB of 256 MiB RAM, saved in ${save_s:-?} s"

start --timeout 300 --stats "${LX[@]}" -incoming file:"$LS"
type_line 'way-$((1+1))'
check "resumed: the half-typed line completes" wait_for '^halfway-2$' 60
wait_for "$sh_prompt" 30
run "cat /tmp/kept.txt" "^kept-42$" "resumed: the file in /tmp is still there"
run "mount -t ext4 /dev/vda /mnt && cat /mnt/hello.txt" "lives on hartvm's virtio disk" \
    "resumed: the virtio disk mounts and reads"
run "umount /mnt && echo unmounted" "^unmounted$" "resumed: umount"
run "wget -q -O - http://10.0.2.2:$web/f" "^served-after-restore$" \
    "resumed: the NIC works (the lease kept, libslirp's connections new)"
type_line poweroff
finish 60
check "resumed Linux powers off (exit $rc)" test "$rc" = 0
echo "$NAME: resumed: $(grep -o 'start-up: .*' "$tmp/err" | sed 's/.*: //') from exec to the first instruction (loading the snapshot included)"
refused "Linux: the disk has changed since" 1 "disk $tmp/disk.img has changed since the snapshot" \
    "${LX[@]}" -nographic -incoming file:"$LS"
refused "Linux: another -m" 1 "-m is 256M in the snapshot, 512M here" \
    "${LX[@]}" -m 512M -nographic -incoming file:"$LS"
refused "Linux: without its NIC" 1 "is a virtio-net NIC in the snapshot, nothing here" \
    "${LX[@]::${#LX[@]}-4}" -nographic -incoming file:"$LS"
summary

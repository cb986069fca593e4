#!/bin/bash
# RISC-V semihosting (-semihosting, -semihosting-config) against
# qemu-system-riscv64 (7.2), with tests/system/semihost_guest.c: for each
# of its tests (the command line picks one) the console bytes, both
# streams, and the exit status are QEMU's: WRITEC/WRITE0 and ":tt", files
# read, written, appended, sought and measured, renamed and removed, errno, the command line
# from -kernel/-append and from arg=, HEAPINFO, EXIT and EXIT_EXTENDED
# codes, U-mode calls with userspace=on. Then what hartvm does that QEMU
# does not: paths leaving --semihosting-root are refused, an unknown call
# fails (-d unimp says so) where QEMU aborts. The console's chardev= (a
# file, a socket: QEMU's bytes), SYS_READC from a socket and from standard
# input, SYS_TMPNAM beneath the root, SYS_SYSTEM refused. Without
# semihosting, or from U-mode without userspace=on, the sequence is a
# breakpoint (the guest's handler exits 3 through the test finisher).
# Usage: tests/system/semihosting.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$(realpath "$BUILD/hartvm")
QEMU=qemu-system-riscv64
NAME=semihosting
. tests/system/lib/check.sh
need_hartvm
need $QEMU "$RV_CC"
G=$tmp/guest.elf
rv_cc "$G" tests/system/semihost_guest.c -O2 -ffreestanding -fno-builtin || give_up "cannot build the guest"

# the directory the guest's files live in (QEMU runs in it; hartvm is given it)
root=$tmp/root
mkdir -p "$root/sub"
echo 0123456789abcdefghij >"$root/data.txt"
echo inner >"$root/sub/inner.txt"
echo outside >"$tmp/outside.txt"
ln -s ../outside.txt "$root/link_out"
ln -s data.txt "$root/link_in"

# both TEST [OPTIONS...]: the guest on each, in $root; stdout, stderr
# (without hartvm's own lines) and status as h_*/q_*, out.txt as h.txt/q.txt
both() {
    local t=$1; shift
    ran=$t
    rm -f "$root/out.txt"
    (cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append "$t" "$@" \
        </dev/null >"$tmp/h.out" 2>"$tmp/h.raw")
    h_rc=$?
    grep -v '^hartvm: ' "$tmp/h.raw" >"$tmp/h.err"
    cp "$root/out.txt" "$tmp/h.txt" 2>/dev/null || : >"$tmp/h.txt"
    rm -f "$root/out.txt"
    (cd "$root" && timeout 30 $QEMU -M virt -bios none -kernel "$G" -nographic -append "$t" "$@" \
        </dev/null >"$tmp/q.out" 2>"$tmp/q.err")
    q_rc=$?
    cp "$root/out.txt" "$tmp/q.txt" 2>/dev/null || : >"$tmp/q.txt"
}
# like_qemu WHAT: the last run's streams, file and status are QEMU's.
# QEMU 7.2 opens mode "a" without O_APPEND (its host_open drops the flag),
# so an append overwrites the start of the file; hartvm appends, and the
# files test checks out.txt on its own.
like_qemu() {
    local txt_same=1
    cmp -s "$tmp/h.txt" "$tmp/q.txt" || txt_same=0
    [ "$ran" = files ] && txt_same=1
    if [ "$h_rc" = "$q_rc" ] && cmp -s "$tmp/h.out" "$tmp/q.out" && cmp -s "$tmp/h.err" "$tmp/q.err" &&
        [ $txt_same = 1 ]; then ok "$1"
    else bad "$1: status $h_rc (QEMU $q_rc); $(diff "$tmp/h.err" "$tmp/q.err" | head -6)
$(diff "$tmp/h.out" "$tmp/q.out" | head -4) $(diff "$tmp/h.txt" "$tmp/q.txt" | head -4)"; fi
}
SH="-semihosting-config enable=on,userspace=on"

for t in console files names heapinfo exit7 exitext7 fail user small; do
    # shellcheck disable=SC2086
    both $t $SH
    like_qemu "$t: as on QEMU (status $h_rc)"
done
# the outputs themselves, so that two broken emulators cannot agree
both files $SH
grep -q '^01234$' "$tmp/h.err" && grep -q '^read 60 left 49$' "$tmp/h.err" &&
    grep -q '^errno 2$' "$tmp/h.err" && [ "$(cat "$tmp/h.txt")" = "$(printf 'written by the guest\nappended')" ] &&
    ok "files: the bytes read, the count left, ENOENT, out.txt written and appended" ||
    bad "files: $(cat "$tmp/h.err")"
both console $SH
grep -q '^tt write$' "$tmp/q.out" && grep -q '^tt write$' "$tmp/h.out" &&
    grep -q '^write0$' "$tmp/h.err" && ok "console: :tt on standard output, WRITE0 on standard error" ||
    bad "console: out $(cat "$tmp/h.out"), err $(cat "$tmp/h.err")"
both exit7 $SH
[ "$h_rc" = 7 ] && ok "SYS_EXIT's code is the exit status (7)" || bad "exit7: $h_rc"
both console -semihosting-config enable=on,arg=prog,arg=console
like_qemu "arg= builds the command line"
grep -q '^cmdline \[prog console\] 12$' "$tmp/h.err" && ok "the command line is 'prog console'" ||
    bad "cmdline: $(head -1 "$tmp/h.err")"
both console -semihosting
like_qemu "-semihosting alone"
(cd "$root" && "$HARTVM" -bios none -kernel "$G" -nographic -append console -semihosting -d int \
    </dev/null 2>&1 >/dev/null | grep riscv_cpu_do_interrupt >"$tmp/int.log")
[ ! -s "$tmp/int.log" ] && ok "-d int: a call is no trap (no line, as on QEMU)" ||
    bad "-d int logged a call: $(head -2 "$tmp/int.log")"

# breakpoints: no semihosting, enable=off, U-mode without userspace=on
for args in "" "-semihosting-config enable=off" "-semihosting"; do
    t=console; [ "$args" = -semihosting ] && t=user
    # shellcheck disable=SC2086
    both $t $args
    [ "$h_rc" = 3 ] && like_qemu "${args:-no semihosting}, $t: a breakpoint trap (exit 3)" ||
        bad "${args:-no semihosting}, $t: status $h_rc (QEMU $q_rc)"
done

# hartvm's own: nothing outside the root
(cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append escape $SH \
    </dev/null >/dev/null 2>"$tmp/esc")
rc=$?
want="../outside.txt refused
sub/../../outside.txt refused
/etc/hostname refused
link_out refused
link_in opened
sub/inner.txt opened
sub/../data.txt opened
create outside refused
remove outside refused
rename out refused
link renamed inside"
[ "$rc" = 0 ] && [ "$(sed 1d "$tmp/esc")" = "$want" ] && [ ! -e "$tmp/made.txt" ] &&
    [ -e "$tmp/outside.txt" ] && [ ! -e "$tmp/stolen.txt" ] && [ -L "$root/sub/link" ] &&
    ok "escape: '..', absolute paths and symlinks out refused; inside ones open" ||
    bad "escape: rc $rc, $(cat "$tmp/esc")"
# --semihosting-root from elsewhere: the files are found there
(cd "$tmp" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append files $SH \
    --semihosting-root "$root" </dev/null >/dev/null 2>"$tmp/f.err")
grep -q '^open data.txt ok 1$' "$tmp/f.err" && ok "--semihosting-root DIR: files from DIR" ||
    bad "--semihosting-root: $(head -3 "$tmp/f.err")"

# a call hartvm lacks (QEMU 7.2 aborts): -1, ENOSYS, and a line in -d unimp
(cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append unknown $SH -d unimp \
    </dev/null >/dev/null 2>"$tmp/u.err")
grep -q '^call 0x40 -1$' "$tmp/u.err" && grep -q '^errno 38$' "$tmp/u.err" &&
    grep -q '^semihosting: call 0x40 is not implemented$' "$tmp/u.err" &&
    ok "an unknown call: -1, ENOSYS, logged by -d unimp" || bad "unknown call: $(cat "$tmp/u.err")"

# the console's chardev=: output to a file, the same bytes as QEMU's
for emu in h q; do
    rm -f "$tmp/$emu.con"
    if [ $emu = h ]; then cmd=("$HARTVM"); else cmd=($QEMU -M virt); fi
    (cd "$root" && timeout 30 "${cmd[@]}" -bios none -kernel "$G" -nographic -append heapinfo \
        -chardev file,path="$tmp/$emu.con",id=shc -semihosting-config enable=on,chardev=shc \
        </dev/null >/dev/null 2>"$tmp/$emu.cerr")
done
[ -s "$tmp/h.con" ] && cmp -s "$tmp/h.con" "$tmp/q.con" && ! grep -qv '^hartvm: ' "$tmp/h.cerr" &&
    ok "chardev=ID (a file): WRITE0's lines there, as on QEMU, none on standard error" ||
    bad "chardev file: $(diff "$tmp/h.con" "$tmp/q.con" | head -4) err: $(head -2 "$tmp/h.cerr")"
# a socket chardev (server, waiting for its client): the same bytes as QEMU's
for emu in h q; do
    if [ $emu = h ]; then cmd=("$HARTVM"); else cmd=($QEMU -M virt); fi
    sock=$tmp/$emu.sock
    (cd "$root" && timeout 30 "${cmd[@]}" -bios none -kernel "$G" -nographic -append heapinfo \
        -chardev socket,path="$sock",server=on,wait=on,id=shc \
        -semihosting-config enable=on,chardev=shc </dev/null >/dev/null 2>&1) &
    pid=$!
    python3 tests/system/lib/sockclient.py --idle 2 "unix:$sock" >"$tmp/$emu.sk.out" 2>/dev/null
    wait $pid
    eval "${emu}_rc=\$?"
done
[ -s "$tmp/h.sk.out" ] && cmp -s "$tmp/h.sk.out" "$tmp/q.sk.out" && [ "$h_rc" = "$q_rc" ] &&
    ok "chardev=ID (a socket): the output there, as on QEMU (status $h_rc)" ||
    bad "chardev socket: $(diff "$tmp/h.sk.out" "$tmp/q.sk.out" | head -4); status $h_rc/$q_rc"
# SYS_READC from a socket chardev, answered in the same socket (QEMU 7.2's
# waits for ever here: its CPU is not woken by the input)
sock=$tmp/rc.sock
(cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append readc \
    -chardev socket,path="$sock",server=on,wait=off,id=shc \
    -semihosting-config enable=on,chardev=shc </dev/null >/dev/null 2>&1) &
pid=$!
python3 tests/system/lib/sockclient.py --idle 2 "unix:$sock" 1 'line\n' >"$tmp/rc.out" 2>/dev/null
wait $pid
rc=$?
grep -q '^readc \[line\]' "$tmp/rc.out" && [ "$rc" = 0 ] &&
    ok "SYS_READC from a socket chardev: the line comes back there" ||
    bad "readc socket: rc $rc $(cat "$tmp/rc.out")"
# without chardev= (QEMU 7.2 then waits for ever): standard input, at its end -1
(cd "$root" && printf 'typed\n' | timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append readc \
    $SH >/dev/null 2>"$tmp/rc.err")
rc=$?
(cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append readc $SH \
    </dev/null >/dev/null 2>"$tmp/rc0.err")
rc0=$?
[ "$rc" = 0 ] && grep -q '^readc \[typed\]$' "$tmp/rc.err" && [ "$rc0" = 0 ] &&
    grep -q '^readc \[\]$' "$tmp/rc0.err" &&
    ok "SYS_READC from standard input (a pipe): the line, and -1 at its end" ||
    bad "readc stdin: rc $rc $(cat "$tmp/rc.err"); at end rc $rc0 $(cat "$tmp/rc0.err")"
(cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append tmpnam $SH \
    </dev/null >/dev/null 2>"$tmp/tn.err")
name=$(sed -n 3p "$tmp/tn.err")
[ "$(sed -n 2p "$tmp/tn.err")" = "tmpnam 0" ] && [[ $name == hartvm-tmp-*07 ]] &&
    [ "$(cat "$root/$name" 2>/dev/null)" = tmp ] && grep -q '^tmp written 1$' "$tmp/tn.err" &&
    grep -q '^too small -1$' "$tmp/tn.err" &&
    ok "SYS_TMPNAM: a name beneath the root ($name), usable; a short buffer fails" ||
    bad "tmpnam: $(cat "$tmp/tn.err")"
rm -f "$root/$name"
(cd "$root" && timeout 30 "$HARTVM" -bios none -kernel "$G" -nographic -append system $SH \
    </dev/null >/dev/null 2>"$tmp/sy.err")
grep -q '^system -1$' "$tmp/sy.err" && grep -q '^errno 1$' "$tmp/sy.err" && [ ! -e "$root/system-ran" ] &&
    ok "SYS_SYSTEM is refused (EPERM): no host command runs" || bad "system: $(cat "$tmp/sy.err")"
"$HARTVM" -bios none -kernel "$G" -nographic -semihosting-config enable=on,chardev=nosuch </dev/null \
    >/dev/null 2>"$tmp/e"
rc=$?
[ "$rc" = 1 ] && grep -q "chardev 'nosuch' not found" "$tmp/e" && ok "chardev= naming no -chardev: an error" ||
    bad "chardev=nosuch: rc $rc $(cat "$tmp/e")"

# bad command lines
"$HARTVM" -bios none -kernel "$G" -nographic -semihosting-config enable=on,target=gdb </dev/null \
    >/dev/null 2>"$tmp/e"
rc=$?
[ "$rc" = 2 ] && grep -q "target=gdb" "$tmp/e" && ok "target=gdb: a usage error" || bad "target=gdb: rc $rc"
"$HARTVM" -bios none -kernel "$G" -nographic -semihosting --semihosting-root "$tmp/none" </dev/null \
    >/dev/null 2>"$tmp/e"
rc=$?
[ "$rc" = 1 ] && grep -q -- "--semihosting-root $tmp/none" "$tmp/e" && ok "a missing root: an error" ||
    bad "missing root: rc $rc $(cat "$tmp/e")"

summary

#!/bin/bash
# QEMU options beside qemu-system-riscv64 (7.2):
#  1. every line of the table below is accepted or refused as QEMU does it:
#     an accepted line gives the device tree QEMU's gives (harts, memory),
#     a refused one exits 2 with QEMU's own message inside hartvm's;
#  2. what the options do, the same guest on both emulators: -rtc base= and
#     base=localtime, -icount sleep=on/off, -no-shutdown (no effect on
#     virt), -pidfile, -L,
#     -nodefaults, -snapshot; and on hartvm alone: -drive cache= flushes,
#     the -kernel checks QEMU does not make.
# Usage: tests/system/qemu_options.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
NAME=qemu_options
. tests/system/lib/check.sh
need_hartvm
need $QEMU dtc strace "$RV_CC" riscv64-unknown-elf-objcopy

IMG=$tmp/disk.img
head -c $((1 << 20)) /dev/zero >"$IMG"

# ---- 1. acceptance, side by side ------------------------------------------
# EXPECT | arguments (IMG: a 1 MiB raw image) | hartvm's words (hartvm-refuses)
#   same            both accept; the trees have the same harts and memory
#   refuse          both refuse; hartvm exits 2 and says QEMU's message
#   hartvm-refuses  QEMU accepts what hartvm does not model
table() {
    cat <<'EOF'
same | -smp 4,sockets=2 |
same | -smp sockets=2,cores=2,threads=2 |
same | -smp cores=2,threads=2 |
same | -smp 0 |
same | -smp 2,maxcpus=4 |
same | -smp maxcpus=4 |
same | -smp 3,sockets=1,cores=3,threads=1,dies=1,clusters=1 |
same | -m size=256M |
same | -m 512 |
same | -m 0 |
same | -m 1.9G |
same | -m 4097k |
refuse | -m 1.5 |
same | -m 1G,slots=2,maxmem=2G |
same | -icount auto |
same | -icount shift=3,sleep=off |
same | -icount 3,align=on |
same | -rtc base=utc,clock=host |
same | -rtc base=localtime |
same | -rtc base=2006-06-17T16:01:21,clock=vm |
same | -rtc base=2006-06-17,driftfix=slew,clock=rt |
same | -accel tcg |
same | -accel tcg,thread=multi |
same | -accel tcg,thread=single,tb-size=64 |
same | -nodefaults |
same | -net none -nic none |
same | -net user |
same | -vga none |
same | -vga std |
same | -k fr |
same | -usb |
same | -L /nonexistent |
same | -no-shutdown |
same | -name guest=web |
same | -snapshot -drive file=IMG,format=raw,if=none,id=d0 |
same | -hda IMG |
same | -drive file=IMG,format=raw,if=virtio,cache=unsafe,discard=unmap,aio=threads |
same | -drive file=IMG,format=raw,if=virtio,cache=none,aio=native |
same | -drive file=IMG,format=raw,if=virtio,cache=directsync,aio=io_uring |
same | -drive file=IMG,format=raw,if=virtio,cache=writethrough,discard=ignore |
same | -drive file=IMG,format=raw,if=virtio,media=cdrom,index=2 |
refuse | -smp 4,sockets=3 |
refuse | -smp 4,cores=3 |
refuse | -smp 2,maxcpus=1 |
refuse | -smp 2,dies=2 |
refuse | -smp 2,clusters=2 |
refuse | -smp foo |
refuse | -smp 2,bogus=1 |
refuse | -smp 600 |
refuse | -smp 2,maxcpus=600 |
refuse | -m lots |
refuse | -m 1G,slots=2 |
refuse | -m 1G,maxmem=512M |
refuse | -m 1G,slots=2,maxmem=1G |
refuse | -m 1G,bogus=1 |
refuse | -m 1G,slots=x,maxmem=2G |
refuse | -icount shift=11 |
refuse | -icount bogus |
refuse | -icount align=on |
refuse | -icount shift=3,align=on,sleep=off |
refuse | -icount shift=3,sleep=maybe |
refuse | -icount shift=3,bogus=1 |
refuse | -rtc base=bogus |
refuse | -rtc bogus=1 |
refuse | -rtc clock=bogus |
refuse | -accel kvm |
refuse | -accel tcg,thread=bogus |
refuse | -accel tcg,bogus=1 |
refuse | -drive file=IMG,format=raw,if=virtio,cache=bogus |
refuse | -drive file=IMG,format=raw,if=virtio,discard=bogus |
refuse | -drive file=IMG,format=raw,if=virtio,aio=bogus |
refuse | -drive file=IMG,format=raw,if=virtio,aio=native |
refuse | -drive file=IMG,format=raw,if=virtio,media=bogus |
refuse | -hda IMG -drive file=IMG,format=raw,index=0,readonly=on |
same | -netdev user,id=n0,hostfwd=tcp::47391-:22 -device virtio-net-device,netdev=n0 |
same | -nic user,model=virtio-net-device |
same | -device virtio-net-device |
refuse | -netdev user |
refuse | -netdev bogus,id=a |
refuse | -netdev user,id=a,hostfwd=tcp::22 |
refuse | -netdev user,id=a,frob=1 |
refuse | -netdev socket,id=a |
refuse | -netdev user,id=a -netdev user,id=a |
refuse | -device virtio-net-device,netdev=zz |
hartvm-refuses | -smp 9 | hartvm models at most 8 harts
hartvm-refuses | -smp 16,sockets=2 | hartvm models at most 8 harts
EOF
}

# tree FILE: what both trees must agree on: the harts and the memory.
tree() { dtc -I dtb -O dts "$1" 2>/dev/null | awk '/^\t\tcpu@/ { n++ } /^\tmemory@/ { m = 1 }
         m && /reg = / { r = $0; m = 0 } END { print n " harts," r }'; }
# qemu_msg FILE: QEMU's first message, without its name, the option it
# quotes and a final full stop.
qemu_msg() { grep -v 'warning\|WARNING\|^  ' "$1" | head -1 | sed -e 's/^qemu-system-riscv64: //' \
             -e 's/^-[a-z]* [^ ]*: //' -e 's/\.$//'; }

lines=0
while IFS='|' read -r expect args words; do
    expect=$(echo $expect); args=$(echo "${args//IMG/$IMG}"); words=$(echo "$words" | sed 's/^ *//; s/ *$//')
    lines=$((lines + 1))
    rm -f "$tmp/h.dtb" "$tmp/q.dtb"
    # shellcheck disable=SC2086
    "$HARTVM" -nographic -machine "virt,dumpdtb=$tmp/h.dtb" $args </dev/null >/dev/null 2>"$tmp/h.err"
    h=$?
    # shellcheck disable=SC2086
    timeout 20 $QEMU -M "virt,dumpdtb=$tmp/q.dtb" -bios none -nographic $args </dev/null >/dev/null 2>"$tmp/q.err"
    q=$?
    herr=$(grep -v warning "$tmp/h.err" | head -3)
    case $expect in
    same)
        if [ $h -ne 0 ] || [ $q -ne 0 ]; then bad "$args: hartvm $h, QEMU $q (both should accept): $herr"
        else
            ht=$(tree "$tmp/h.dtb"); qt=$(tree "$tmp/q.dtb")
            [ -n "$ht" ] && [ "$ht" = "$qt" ] && ok "$args: $ht" || bad "$args: tree '$ht', QEMU's '$qt'"
        fi ;;
    refuse)
        m=$(qemu_msg "$tmp/q.err")
        if [ $q -eq 0 ] || [ -z "$m" ]; then bad "$args: QEMU accepts it now ($q)"
        elif [ $h -ne 2 ]; then bad "$args: hartvm exit $h, want 2: $herr"
        elif ! grep -qF -- "$m" "$tmp/h.err"; then bad "$args: hartvm says '$herr', not QEMU's '$m'"
        else ok "$args: refused with QEMU's '$m'"; fi ;;
    hartvm-refuses)
        [ $h -eq 2 ] && grep -qF -- "$words" "$tmp/h.err" && [ $q -eq 0 ] &&
            ok "$args: refused ($words), QEMU accepts" ||
            bad "$args: hartvm $h ($herr), QEMU $q; want 2 with '$words', and 0" ;;
    *) bad "unknown expectation '$expect'" ;;
    esac
done < <(table)
[ $lines -ge 60 ] && ok "table: $lines lines" || bad "table: only $lines lines"

# ---- 2. what they do, the same guest on both ------------------------------
# both WANT WHAT ARGS...: hartvm and QEMU exit WANT (124: still running
# after 4 s, their --timeout / timeout's status; other runs get 30 s).
both() {
    local want=$1 what=$2 secs=30; shift 2
    [ "$want" = 124 ] && secs=4
    timeout -s KILL 60 "$HARTVM" -machine virt -nographic --timeout $secs "$@" </dev/null >"$tmp/b.out" 2>"$tmp/b.err"
    local h=$?
    timeout $secs $QEMU -machine virt -nographic "$@" </dev/null >"$tmp/q.out" 2>&1
    local q=$?
    [ $h -eq "$want" ] && [ $q -eq "$want" ] && ok "$what: exit $want on both" ||
        bad "$what: hartvm $h, QEMU $q, want $want ($(head -2 "$tmp/b.err" | tr '\n' ' '))"
}

# rtc.S: the goldfish RTC's seconds against BASE: pass within SLACK
# seconds after it, else fail with 1 (before) or 2 (after).
cat >"$tmp/rtc.S" <<'EOF'
    .section .text.init
    .globl _start
_start:
    li t0, 0x101000
    lw t1, 0(t0)                /* TIME_LOW latches TIME_HIGH */
    lwu t1, 0(t0)
    lwu t2, 4(t0)
    slli t2, t2, 32
    or t1, t1, t2
    li t2, 1000000000
    divu t1, t1, t2             /* seconds */
    li t2, BASE
    li t3, (1 << 16) | 0x3333
    bltu t1, t2, out
    sub t1, t1, t2
    li t2, SLACK
    li t3, (2 << 16) | 0x3333
    bgeu t1, t2, out
    li t3, 0x5555
out:
    li t0, 0x100000
    sw t3, 0(t0)
1:  j 1b
EOF
rv_cc "$tmp/rtc2006.elf" "$tmp/rtc.S" -DBASE=1150560081 -DSLACK=30 || give_up "cannot build rtc.S"
both 0 "-rtc base=2006-06-17T16:01:21" -bios none -kernel "$tmp/rtc2006.elf" -rtc base=2006-06-17T16:01:21
both 0 "-rtc base=2006-06-17T16:01:21,clock=vm" -bios none -kernel "$tmp/rtc2006.elf" \
    -rtc base=2006-06-17T16:01:21,clock=vm
both 2 "no -rtc: not 2006" -bios none -kernel "$tmp/rtc2006.elf"
# base=localtime: the host's local time read as UTC (+05:30 here)
now=$(date +%s)
rv_cc "$tmp/rtcist.elf" "$tmp/rtc.S" -DBASE=$((now + 19800)) -DSLACK=60 || give_up "cannot build rtc.S"
export TZ=Asia/Kolkata
both 0 "-rtc base=localtime with TZ=$TZ" -bios none -kernel "$tmp/rtcist.elf" -rtc base=localtime
both 1 "-rtc base=utc with TZ=$TZ: 5.5 hours behind" -bios none -kernel "$tmp/rtcist.elf" -rtc base=utc
unset TZ

# wait.S: a timer 3 s of guest time (10 MHz ticks) ahead, then wfi until
# it is due.
cat >"$tmp/wait.S" <<'EOF'
    .section .text.init
    .globl _start
_start:
    li t0, 0x200bff8
    ld t1, 0(t0)                /* mtime */
    li t2, 30000000
    add t1, t1, t2
    li t0, 0x2004000
    sd t1, 0(t0)                /* mtimecmp */
    li t0, 0x80
    csrs mie, t0                /* MTIE; mstatus.MIE stays 0: wfi wakes, no trap */
    li t0, 0x200bff8
1:  wfi
    ld t2, 0(t0)
    bltu t2, t1, 1b
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
2:  j 2b
EOF
rv_cc "$tmp/wait.elf" "$tmp/wait.S" || give_up "cannot build wait.S"
# waited EMULATOR ARGS...: the run's wall time in tenths of a second in w
waited() {
    local emu=$1 t0; shift
    t0=$(date +%s%N)
    if [ "$emu" = qemu ]; then timeout 20 $QEMU -M virt -nographic -bios none "$@" </dev/null >/dev/null 2>&1
    else "$HARTVM" --timeout 20 -nographic -bios none "$@" </dev/null >/dev/null 2>&1; fi
    w_rc=$?
    w=$(( ($(date +%s%N) - t0) / 100000000 ))
}
for emu in hartvm qemu; do
    waited $emu -kernel "$tmp/wait.elf" -icount shift=0
    [ $w_rc -eq 0 ] && [ $w -ge 29 ] && ok "$emu: -icount sleep=on (default): the 3 s wait takes 3 s" ||
        bad "$emu: -icount shift=0: exit $w_rc after $w tenths of a second, want 0 after 3 s"
    waited $emu -kernel "$tmp/wait.elf" -icount shift=0,sleep=off
    [ $w_rc -eq 0 ] && [ $w -lt 20 ] && ok "$emu: -icount sleep=off: the wait takes no time" ||
        bad "$emu: -icount sleep=off: exit $w_rc after $w tenths of a second, want 0 at once"
done

# a guest that powers off (test finisher pass): QEMU 7.2's test device
# exits at once, so -no-shutdown changes nothing on virt
cat >"$tmp/pass.S" <<'EOF'
    .section .text.init
    .globl _start
_start:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
EOF
rv_cc "$tmp/pass.elf" "$tmp/pass.S" || give_up "cannot build pass.S"
both 0 "poweroff" -bios none -kernel "$tmp/pass.elf"
both 0 "poweroff with -no-shutdown" -bios none -kernel "$tmp/pass.elf" -no-shutdown

# -pidfile: the running process's id, gone at exit; a second user is refused
for emu in hartvm qemu; do
    pf=$tmp/$emu.pid
    if [ $emu = qemu ]; then timeout 3 $QEMU -M virt -nographic -pidfile "$pf" </dev/null >/dev/null 2>&1 &
    else "$HARTVM" -nographic --timeout 3 -pidfile "$pf" </dev/null >/dev/null 2>&1 & fi
    bg=$!
    wait_until 5 test -s "$pf"
    pid=$(cat "$pf" 2>/dev/null)
    comm=$(ps -o comm= -p "${pid:-0}")
    case $comm in hartvm|qemu-system-ris*) ok "$emu -pidfile: the file names the running $comm" ;;
    *) bad "$emu -pidfile: '$pid' is not the emulator's ($comm)" ;; esac
    if [ $emu = hartvm ]; then
        "$HARTVM" -nographic --timeout 3 -pidfile "$pf" </dev/null >/dev/null 2>"$tmp/pf2.err"
        st=$?
        [ $st -eq 1 ] && grep -q "Cannot lock pid file" "$tmp/pf2.err" &&
            ok "-pidfile: a second hartvm on the same file is refused" ||
            bad "-pidfile: second instance exit $st: $(cat "$tmp/pf2.err")"
    fi
    wait $bg
    check "$emu -pidfile: the file is removed at exit" test ! -e "$pf"
done

# -L DIR: the default firmware by QEMU's name, and a -bios name, found in DIR
mkdir -p "$tmp/fw"
riscv64-unknown-elf-objcopy -O binary "$tmp/pass.elf" "$tmp/fw/opensbi-riscv64-generic-fw_dynamic.bin"
cp "$tmp/fw/opensbi-riscv64-generic-fw_dynamic.bin" "$tmp/fw/pass.bin"
both 0 "-L DIR: the default firmware from DIR" -L "$tmp/fw"
both 0 "-L DIR -bios pass.bin: found in DIR" -L "$tmp/fw" -bios pass.bin
both 124 "no -L: the real OpenSBI runs on" -bios default

# -nodefaults: no default serial, so OpenSBI's banner goes nowhere
both 124 "-nodefaults" -nodefaults
[ ! -s "$tmp/b.out" ] && ! grep -q OpenSBI "$tmp/q.out" && ok "-nodefaults: no console output on either" ||
    bad "-nodefaults: output on hartvm ($(head -c 80 "$tmp/b.out")) or QEMU"

# -snapshot: the xv6-style disk guest writes sector 2; the image stays zeros
XV6=$tmp/virtio_xv6.elf
rv_cc "$XV6" tests/system/virtio_xv6.c -O2 -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns ||
    give_up "cannot build virtio_xv6.c"
disk=(-drive "file=$IMG,if=none,format=raw,id=x0" -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0)
both 0 "-snapshot: the disk guest" -bios none -kernel "$XV6" -snapshot "${disk[@]}"
check "-snapshot: the image is still all zeros" cmp -s "$IMG" <(head -c $((1 << 20)) /dev/zero)
# ... but a drive's own snapshot=off wins, on both
for emu in hartvm qemu; do
    head -c $((1 << 20)) /dev/zero >"$IMG"
    cmd=("$HARTVM" --timeout 10); [ $emu = qemu ] && cmd=(timeout 10 $QEMU)
    "${cmd[@]}" -M virt -nographic -bios none -kernel "$XV6" -snapshot \
        -drive "file=$IMG,if=none,format=raw,id=x0,snapshot=off" \
        -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 </dev/null >/dev/null 2>&1
    st=$?
    [ $st -eq 0 ] && ! cmp -s "$IMG" <(head -c $((1 << 20)) /dev/zero) &&
        ok "$emu: -snapshot with snapshot=off: the guest's write reached the image" ||
        bad "$emu: -snapshot with snapshot=off: exit $st, image unchanged"
done

# ---- 3. hartvm alone ------------------------------------------------------
# cache=: the guest's one write is followed by fdatasync only with writethrough
syncs() {
    strace -f -qq -e trace=fdatasync -o "$tmp/strace" "$HARTVM" -nographic --timeout 10 -bios none \
        -kernel "$XV6" -drive "file=$IMG,if=none,format=raw,id=x0,$1" \
        -device virtio-blk-device,drive=x0,bus=virtio-mmio-bus.0 </dev/null >/dev/null 2>&1
    s_rc=$?
    n=$(grep -c fdatasync "$tmp/strace")
}
syncs cache=writethrough
[ $s_rc -eq 0 ] && [ "$n" -ge 1 ] && ok "cache=writethrough: $n fdatasync" ||
    bad "cache=writethrough: exit $s_rc, $n fdatasync"
syncs cache=writeback
[ $s_rc -eq 0 ] && [ "$n" -eq 0 ] && ok "cache=writeback: no fdatasync without a guest flush" ||
    bad "cache=writeback: exit $s_rc, $n fdatasync"

# -kernel: a RISC-V Image whose header disagrees with the file is refused;
# a file of random bytes is loaded raw as QEMU loads it, with a warning
{ head -c 16 /dev/zero; printf '\x10\0\0\0\0\0\0\0'; head -c 24 /dev/zero; printf 'RISCV\0\0\0RSC\x05';
  head -c 4000 /dev/zero; } >"$tmp/short.Image"
"$HARTVM" -nographic --timeout 5 -kernel "$tmp/short.Image" </dev/null >/dev/null 2>"$tmp/k.err"
st=$?
[ $st -eq 1 ] && grep -q "image_size 16, less than the file" "$tmp/k.err" &&
    ok "-kernel: an Image header with a short image_size is refused" || bad "-kernel short Image: exit $st: $(cat "$tmp/k.err")"
{ head -c 16 /dev/zero; printf '\0\0\0\x40\0\0\0\0'; head -c 24 /dev/zero; printf 'RISCV\0\0\0RSC\x05';
  head -c 4000 /dev/zero; } >"$tmp/huge.Image"
"$HARTVM" -nographic --timeout 5 -kernel "$tmp/huge.Image" </dev/null >/dev/null 2>"$tmp/k.err"
st=$?
[ $st -eq 1 ] && grep -q "more than RAM has there: give a larger -m" "$tmp/k.err" &&
    ok "-kernel: an Image larger than RAM is refused" || bad "-kernel huge Image: exit $st: $(cat "$tmp/k.err")"
# all ones: 0xffffffff is no instruction
head -c 4096 /dev/zero | tr '\0' '\377' >"$tmp/ones.bin"
"$HARTVM" -nographic -bios none --timeout 5 -kernel "$tmp/ones.bin" </dev/null >/dev/null 2>"$tmp/k.err"
st=$?
[ $st -eq 122 ] && grep -q "does not start with RISC-V instructions" "$tmp/k.err" &&
    ok "-kernel garbage with -bios none: a warning, then the trap loop ends it" ||
    bad "-kernel garbage: exit $st: $(cat "$tmp/k.err")"
timeout 3 $QEMU -M virt -nographic -bios none -kernel "$tmp/ones.bin" </dev/null >/dev/null 2>&1
check "QEMU loads the same garbage and runs on (exit $?)" test $? -eq 124
riscv64-unknown-elf-objcopy -O binary "$tmp/pass.elf" "$tmp/pass.bin"
"$HARTVM" -nographic -bios none --timeout 5 -kernel "$tmp/pass.bin" </dev/null >/dev/null 2>"$tmp/k.err"
st=$?
[ $st -eq 0 ] && [ ! -s "$tmp/k.err" ] && ok "-kernel raw code: runs, no warning" ||
    bad "-kernel raw code: exit $st: $(cat "$tmp/k.err")"
summary

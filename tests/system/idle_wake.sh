#!/bin/bash
# An idle machine sleeps until something needs it (an idle guest costs under
# 1% of a core, so that many fit on one host), and everything that needs it
# wakes it at once (machine/machine.c idle_wait). Bare-metal guests of our own that sit in
# wfi with nothing to wake them, or with only the RTC alarm armed:
#   1. stdout a pipe, stdin a pipe: few wakeups (voluntary context
#      switches) over the run, where a 10 ms poll would make ~100 a second;
#   2. output a full pipe held back (machine/conout.c) reaches a reader
#      that starts late while the guest idles, not only when hartvm exits;
#   3. --control (the fleet's channel, monitor/control.c): a command is
#      answered at once while idle, and the idle instance still sleeps;
#   4. the RTC alarm (machine/dev/rtc.c) wakes the guest at its time, without
#      polling; under -icount virtual time jumps to it (no hang).
# Usage: idle_wake.sh BUILD_DIR   (prints "idle_wake: P passed, F failed")
set -u
BUILD=${1:-build}
HARTVM=$(cd "$(dirname "$BUILD/hartvm")" && pwd)/hartvm
NAME=idle_wake
cd "$(dirname "$0")/../.."
. tests/system/lib/check.sh
need python3

# The guest: BURST bytes of 'x' (if set), "idle-ready", then either wfi
# forever with only a timer enabled that is armed ~900 years ahead (so the
# run is not a dead wait, machine/stuck.h, yet nothing but input or a
# command could end the host's sleep before IDLE_MAX_NS) or, with ALARM_MS, the RTC alarm
# that many ms ahead through PLIC source 11 to mip.MEIP, "alarm", pass.
cat >"$tmp/idle.S" <<'ASM'
#define UART 0x10000000
#define RTC 0x00101000          /* goldfish: +0 TIME_LOW, +4 TIME_HIGH, +8 ALARM_LOW, +0xc ALARM_HIGH, +0x10 IRQ_ENABLED */
#define PLIC 0x0c000000         /* +4*s priority, +0x2000 context 0 enables, +0x200000 its threshold */
#define FINISHER 0x100000
    .section .text.init
    .globl _start
_start:
    li s0, UART
#ifdef BURST
    li t1, BURST
    li t2, 'x'
1:  sb t2, 0(s0)
    addi t1, t1, -1
    bnez t1, 1b
#endif
    la a0, ready
    call puts
#ifdef ALARM_MS
    li t0, PLIC
    li t1, 1
    sw t1, 4*11(t0)
    li t2, PLIC + 0x2000
    li t1, 1 << 11
    sw t1, 0(t2)
    li t2, PLIC + 0x200000
    sw zero, 0(t2)
    li t0, RTC
    lwu t1, 0(t0)
    lwu t2, 4(t0)
    slli t2, t2, 32
    or t1, t1, t2
    li t3, ALARM_MS * 1000000
    add t1, t1, t3
    srli t2, t1, 32
    sw t2, 0xc(t0)
    li t3, 1
    sw t3, 0x10(t0)
    sw t1, 8(t0)                /* arms the alarm */
    li t0, 0x800                /* mie.MEIE; mstatus.MIE stays 0: wfi wakes, no trap */
    csrw mie, t0
2:  wfi
    csrr t1, mip                /* MEIP (bit 11): the alarm's line */
    srli t1, t1, 11
    andi t1, t1, 1
    beqz t1, 2b
    la a0, alarm
    call puts
    li t0, FINISHER
    li t1, 0x5555
    sw t1, 0(t0)
#else
    li t0, 0x2004000            /* CLINT mtimecmp[0] = 2^57 ticks of 10 MHz */
    li t1, 1
    slli t1, t1, 57
    sd t1, 0(t0)
    li t0, 0x80                 /* mie.MTIE only; mstatus.MIE stays 0 */
    csrw mie, t0
#endif
3:  wfi
    j 3b
puts:
    lbu t0, 0(a0)
    beqz t0, 4f
    sb t0, 0(s0)
    addi a0, a0, 1
    j puts
4:  ret
ready: .asciz "idle-ready\n"
alarm: .asciz "alarm\n"
ASM
build() { rv_cc "$tmp/$1.elf" "$tmp/idle.S" "${@:2}"; }
build idle && build burst -DBURST=300000 && build alarm -DALARM_MS=1500 || give_up "cannot build the guests"

# The driver: runs hartvm with stdin and stdout pipes (stdin stays open
# and silent), optionally serving --control; prints key=value results.
cat >"$tmp/drive.py" <<'PY'
import os, socket, subprocess, sys, threading, time
mode, hartvm, elf, *extra = sys.argv[1:]
cmd = [hartvm, "-bios", "none", "-kernel", elf, "-nographic"] + extra
ctl = None
if mode == "control":
    path = os.path.join(os.path.dirname(elf), "ctl.sock")
    ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ctl.bind(path)
    ctl.listen(1)
    cmd += ["--control", path]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
out = bytearray()
got = {}
def reader(delay, want):
    time.sleep(delay)
    while True:
        b = p.stdout.read1(65536)
        if not b:
            return
        out.extend(b)
        if want and "all_at" not in got and len(out) >= want:
            got["all_at"] = time.monotonic() - t0
threading.Thread(target=reader, args=(float(os.environ.get("READ_DELAY", "0")),
                                      int(os.environ.get("WANT", "0"))), daemon=True).start()
def csw():
    with open(f"/proc/{p.pid}/status") as f:
        return int(next(l for l in f if l.startswith("voluntary_ctxt_switches")).split()[1])
if ctl:
    c, _ = ctl.accept()
    f = c.makefile("rw")
    f.readline()                                    # hello pid=N
    while b"idle-ready" not in out:
        time.sleep(0.05)
    time.sleep(0.5)
    worst, state = 0.0, ""
    for i in range(5):
        s = time.monotonic()
        f.write("stats\n"); f.flush()
        line = f.readline()
        worst = max(worst, time.monotonic() - s)
        state = line.split("state=")[1].split()[0] if "state=" in line else line.strip()
        time.sleep(0.3)
    w0 = csw(); time.sleep(3); w1 = csw()
    print(f"worst_reply={worst:.3f} state={state} idle_csw={w1 - w0}")
    f.write("quit\n"); f.flush()
_, st, ru = os.wait4(p.pid, 0)
time.sleep(0.2)
print(f"status={os.waitstatus_to_exitcode(st)} csw={ru.ru_nvcsw} secs={time.monotonic() - t0:.2f} "
      f"bytes={len(out)} all_at={got.get('all_at', -1):.2f} alarm={int(b'alarm' in out)}")
PY
drive() { python3 "$tmp/drive.py" "$@" 2>&1; }
val() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }'; }
between() { lt "$1" "$2" && lt "$2" "$3"; }

# 1. idle with piped stdin and stdout: --timeout 4 ends it
r=$(drive plain "$HARTVM" "$tmp/idle.elf" --timeout 4)
check "piped idle: --timeout ends it, exit 124 ($r)" test "$(val "$r" status)" = 124
check "piped idle: under 40 wakeups in 4 s, not ~400 ($r)" lt "$(val "$r" csw)" 40

# 2. held-back output reaches a late reader while the guest idles
want=$((300000 + 11))
r=$(READ_DELAY=1.5 WANT=$want drive plain "$HARTVM" "$tmp/burst.elf" --timeout 8)
check "held-back output: all $want bytes read ($r)" test "$(val "$r" bytes)" -eq "$want"
check "held-back output: all read within 4 s, long before the exit at 8 s ($r)" lt "$(val "$r" all_at)" 4
check "held-back output: then idle, under 60 wakeups ($r)" lt "$(val "$r" csw)" 60

# 3. the fleet's control channel while idle
r=$(drive control "$HARTVM" "$tmp/idle.elf" --timeout 30)
check "control: state=idle reported ($r)" test "$(val "$r" state)" = idle
check "control: every reply within 0.3 s ($r)" lt "$(val "$r" worst_reply)" 0.3
check "control: idle instance under 15 wakeups in 3 s ($r)" lt "$(val "$r" idle_csw)" 15
check "control: quit ends it with status 0 ($r)" test "$(val "$r" status)" = 0

# 4. the RTC alarm, 1.5 s ahead
r=$(drive plain "$HARTVM" "$tmp/alarm.elf" --timeout 10)
check "RTC alarm: fires, the guest passes ($r)" test "$(val "$r" status)/$(val "$r" alarm)" = 0/1
check "RTC alarm: at its time, 1.4-5 s ($r)" between 1.4 "$(val "$r" secs)" 5
check "RTC alarm: under 20 wakeups while armed ($r)" lt "$(val "$r" csw)" 20
r=$(drive plain "$HARTVM" "$tmp/alarm.elf" -icount 4 --timeout 10)
check "RTC alarm under -icount: fires, the guest passes ($r)" test "$(val "$r" status)/$(val "$r" alarm)" = 0/1
check "RTC alarm under -icount: virtual time jumps to it, at once ($r)" lt "$(val "$r" secs)" 2

summary

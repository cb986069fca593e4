#!/bin/bash
# perf in the default Linux guest on the SBI PMU: Debian's OpenSBI 1.2 finds
# the hpm counters and Sscofpmf, Linux 6.1's riscv_pmu_sbi uses them.
# tests/system/perf_guest.c (static, appended to the initramfs as a second
# cpio archive) counts the user-mode instructions of a loop of known length
# and samples it with a sample_period (overflow interrupts, LCOFI, into the
# mmap ring buffer).
#   -cpu rv64,sscofpmf=true   the driver reports counters and no "sampling
#                             not supported"; /proc/cpuinfo names sscofpmf;
#                             the count is the loop's 2 * LOOPS instructions
#                             plus the few of the ioctl wrappers around it
#                             (under 1000); there are 2 * LOOPS / PERIOD
#                             samples (one fewer or more at the ends), their
#                             ips in the loop (all but at most one)
#   -cpu max -smp 2           the same program passes the same checks
#   -cpu rv64                 (no Sscofpmf) the driver says sampling and
#                             filtering are not supported and the program's
#                             exclude_kernel events are refused
# Beside QEMU 7.2 (same kernel, initramfs, -cpu rv64,sscofpmf=true,
# -icount shift=0 so its instruction counter counts instructions): the same
# driver lines, the program runs there too and its count is within 1% (QEMU
# 7.2 filters no modes and samples imprecisely, so only one sample is asked of it).
# Usage: linux_perf.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=linux_perf
. "$(dirname "$0")/lib/console.sh"
need riscv64-linux-gnu-gcc cpio
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
L=$BUILD/roms/linux
sh_prompt='[/~] # $'

riscv64-linux-gnu-gcc -O2 -static -Wall -Wextra -o "$tmp/perftest" "$ROOT/tests/system/perf_guest.c" ||
    give_up "cannot build perf_guest.c"
(cd "$tmp" && echo perftest | cpio -o -H newc --quiet > extra.cpio) || give_up "cpio failed"
cat "$L/initramfs.cpio" "$tmp/extra.cpio" > "$tmp/initrd"

boot() {   # boot EMULATOR ARGS...
    local emu=$1; shift
    HARTVM=$emu start -m 256M -kernel "$L/Image" -initrd "$tmp/initrd" -append console=ttyS0 "$@"
    wait_for "$sh_prompt" 240
}
out() { tr -d '\r' <"$log"; }
field() {  # field WORD: the number after WORD in the program's lines
    out | sed -n "s/^perf: .*\\b$1 \\(-\\?[0-9]*\\).*/\\1/p" | head -1
}
in_range() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
run_prog() {
    type_line "/perftest"
    wait_for "^perf: done" 120
    wait_for "$sh_prompt" 30
}
poweroff() {
    type_line "poweroff"
    finish 60
}

# The checks of a guest with Sscofpmf ($1: what runs).
sscofpmf_checks() {
    local what=$1 loop count samples in_loop expected
    mark=0
    check "$what: driver found counters" log_has "riscv-pmu-sbi: [0-9]+ firmware and [0-9]+ hardware counters"
    check "$what: sampling and filtering supported" bash -c "! tr -d '\r' <'$log' | grep -q 'sampling/filtering is not supported'"
    check "$what: /proc/cpuinfo names sscofpmf" log_has "^isa[[:space:]]+: rv64[a-z]*_.*sscofpmf"
    loop=$(field loop); count=$(field count)
    check "$what: user instructions of the loop counted ($count for $loop)" \
        in_range "$count" "${loop:-1}" $(( ${loop:-0} + 1000 ))
    samples=$(field samples); in_loop=$(field in-loop); expected=$(field expected)
    check "$what: overflow samples ($samples, expected $expected)" \
        in_range "$samples" $(( ${expected:-2} - 1 )) $(( ${expected:-0} + 1 ))
    # one may land elsewhere: an overflow taken behind a timer interrupt
    # that switched tasks reports the ip where the kernel took it
    check "$what: the samples' ips in the loop ($in_loop of $samples)" \
        in_range "$in_loop" $(( ${samples:-1} - 1 )) "${samples:-0}"
}

boot "$HARTVM" -cpu rv64,sscofpmf=true
type_line "dmesg | grep riscv-pmu-sbi; grep -m1 ^isa /proc/cpuinfo"
wait_for "^isa" 30
run_prog
sscofpmf_checks "rv64,sscofpmf=true"
ours_driver=$(out | grep -o "riscv-pmu-sbi: [0-9]* firmware and [0-9]* hardware counters" | head -1)
poweroff
check "rv64,sscofpmf=true: poweroff (got $rc)" test "$rc" = 0

boot "$HARTVM" -cpu max -smp 2
type_line "dmesg | grep riscv-pmu-sbi; grep -m1 ^isa /proc/cpuinfo"
wait_for "^isa" 30
run_prog
sscofpmf_checks "max, 2 harts"
poweroff

boot "$HARTVM" -cpu rv64
type_line "dmesg | grep riscv-pmu-sbi"
check "rv64: the driver has no sampling without Sscofpmf" \
    wait_for "Perf sampling/filtering is not supported as sscof extension is not available" 30
wait_for "$sh_prompt" 30
run_prog
check "rv64: exclude_kernel counting refused" log_has "^perf: count: perf_event_open"
check "rv64: sampling refused" log_has "^perf: sample: perf_event_open"
mark=0
check "rv64: /proc/cpuinfo without sscofpmf" bash -c "! tr -d '\r' <'$log' | grep -q '^isa.*sscofpmf'"
poweroff

if command -v qemu-system-riscv64 >/dev/null; then
    boot qemu-system-riscv64 -M virt -icount shift=0 -cpu rv64,sscofpmf=true
    type_line "dmesg | grep riscv-pmu-sbi"
    wait_for "hardware counters" 30
    wait_for "$sh_prompt" 30
    qemu_driver=$(out | grep -o "riscv-pmu-sbi: [0-9]* firmware and [0-9]* hardware counters" | head -1)
    check "QEMU: the same driver line ($qemu_driver)" test -n "$qemu_driver" -a "$qemu_driver" = "$ours_driver"
    run_prog
    loop=$(field loop); count=$(field count)
    check "QEMU: the program counts the loop there too ($count for $loop)" \
        in_range "$count" "${loop:-1}" $(( ${loop:-0} * 101 / 100 ))
    check "QEMU: it samples there too" in_range "$(field samples)" 1 1000
    poweroff
fi
summary

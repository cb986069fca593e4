#!/bin/bash
# The fleet supervisor with real guests beside our own programs.
#
# Part 1, the interactive console driven through tmux, five guests at once:
#   linux  OpenSBI -> Linux 6.1 -> busybox shell: attached, a command typed,
#          its answer read, `poweroff` -> exit 0
#   uboot  OpenSBI -> U-Boot: attached, `version`, `poweroff` -> exit 0
#   panic  Linux told to run an init that is not there (panic=0: it hangs in
#          panic forever) -> its timeout stops it, reported as "timeout"
#   spin   our program that loops forever: still running and retiring
#          instructions when the others are done; `stop` -> "stopped"
#   fail3  our program that fails with code 3 -> "exit 3"
# Part 2, --batch -j 4 over Linux (twice: one and two harts, each running a
# command given on its kernel command line, then powering off), the panicking
# Linux, the spinner and the failing program: the table and the JSON.
# Builds the Linux guest first if needed. Usage: tests/system/fleet_linux.sh
# BUILD_DIR  (prints "fleet_linux: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
HARTVM=$B/hartvm
L=$B/roms/linux
UBOOT=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
NAME=fleet_linux
show_passes=1
. tests/system/lib/check.sh
. tests/system/lib/tmux.sh
. tests/system/lib/fleet.sh
batch_pid=
at_exit '[ -n "$batch_pid" ] && kill "$batch_pid" 2>/dev/null'
# the first failure shows the screen
on_fail() { [ -n "${dumped-}" ] || { dumped=1; screen | grep -v '^$' | tail -20 | sed 's/^/    | /'; }; }
need_hartvm
need tmux
[ -f "$UBOOT" ] || give_up "$UBOOT missing (make deps)"
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"

for g in spin fail; do
    rv_cc "$tmp/$g.elf" tests/system/fleet_guest.S -DGUEST_$g || give_up "cannot build the guests"
done
ln -s "$L/Image" "$tmp/Image"
ln -s "$L/initramfs.cpio" "$tmp/initramfs.cpio"

# ---- part 1: the interactive console -------------------------------------
cat >"$tmp/con.ini" <<EOF
[linux]
kernel = Image
initrd = initramfs.cpio
append = console=ttyS0
memory = 64M
; the kernel finds no /init-to-be and no root disk: "Unable to mount root fs"
[panic]
kernel = Image
initrd = initramfs.cpio
append = console=ttyS0 rdinit=/nonexistent panic=0
memory = 64M
timeout = 25
[uboot]
kernel = $UBOOT
memory = 128M
[spin]
bios = none
kernel = spin.elf
[fail3]
bios = none
kernel = fail.elf
EOF

tmux_start 200 50 "cd '$tmp' && '$HARTVM' fleet con.ini; echo FLEET-EXIT=\$? >'$tmp/exit'"
check "console starts all five instances" screen_wait "5 of 5 instances started"
check "fail3 is reported with its code" screen_wait "^\[fail3\] exit 3 after"

fleet_cmd "attach linux"
check "attach linux" screen_wait "^\[attached to linux"
check "Linux greets from /init on the attached console" screen_wait "hartvm: Linux 6\.1\.[0-9]+ up on 1 hart" 60
check "the busybox shell prompt" screen_wait "^/ # ?$" 20
send_line 'echo fleet-linux-$((6*7)); uname -sm'
check "Linux runs a typed command" screen_wait "^fleet-linux-42$"
check "... and another" screen_wait "^Linux riscv64$"
send_line "poweroff"
check "Linux powers off: exit 0" screen_wait "^\[fleet\] \[linux\] exit 0 after" 30
check "the console detaches by itself" screen_wait "^\[the instance ended; detached from linux\]"

fleet_cmd "attach uboot"
check "attach uboot" screen_wait "^\[attached to uboot"
check "U-Boot's prompt on the attached console" screen_wait "^=> ?$" 60
send_line "version"
check "U-Boot answers a typed command" screen_wait "^U-Boot 20[0-9]{2}\.[0-9]{2}.*\(.*\)$"
send_line "poweroff"
check "U-Boot powers off: exit 0" screen_wait "^\[fleet\] \[uboot\] exit 0 after" 20

fleet_cmd "log panic 30"
check "the panicking Linux's log shows the panic" screen_wait "Kernel panic - not syncing: VFS: Unable to mount root fs" 30
check "the panic is reported as a timeout (hang)" screen_wait "^(\[fleet\] )?\[panic\] timeout after 2[5-9]\.[0-9]+ s" 40

a=$(insns_of spin); sleep 1.2; b=$(insns_of spin)
check "spin still runs beside the others ($a < $b)" test -n "$a" -a -n "$b" -a "${b:-0}" -gt "${a:-0}"
fleet_cmd list
check "list: linux passed, exit 0" screen_wait "^linux +passed .* exit 0$"
check "list: uboot passed, exit 0" screen_wait "^uboot +passed .* exit 0$"
check "list: panic timeout" screen_wait "^panic +timeout .* timeout$"
check "list: fail3 failed, exit 3" screen_wait "^fail3 +failed .* exit 3$"
check "list: spin running" screen_wait "^spin +running "
fleet_cmd "stop spin"
check "stop spin: reported as stopped, not a crash" screen_wait "^(\[fleet\] )?\[spin\] stopped after"
send_line quit
wait_until 10 test -f "$tmp/exit"
check "quit ends the console with status 0" grep -q "FLEET-EXIT=0" "$tmp/exit"
tmux_end

# ---- part 2: batch ---------------------------------------------------------
# The kernel hands the words after "--" to init: a shell that runs one line.
cmd='"echo fleet-linux-$((6*7)) on $(/bin/busybox nproc) hart; /bin/busybox poweroff -f"'
cat >"$tmp/batch.ini" <<EOF
[linux-1]
kernel = Image
initrd = initramfs.cpio
append = console=ttyS0 rdinit=/bin/sh -- -c $cmd
memory = 64M
timeout = 60
[linux-2]
kernel = Image
initrd = initramfs.cpio
append = console=ttyS0 rdinit=/bin/sh -- -c $cmd
memory = 64M
harts = 2
timeout = 60
[panic]
kernel = Image
initrd = initramfs.cpio
append = console=ttyS0 rdinit=/nonexistent panic=0
memory = 64M
timeout = 12
[spin]
bios = none
kernel = spin.elf
timeout = 3
[fail3]
bios = none
kernel = fail.elf
EOF
"$HARTVM" fleet --batch "$tmp/batch.ini" -j 4 --json "$tmp/out.json" >"$tmp/table" 2>"$tmp/stderr" &
batch_pid=$!
timeout 90 tail --pid="$batch_pid" -f /dev/null
wait "$batch_pid"; status=$?
batch_pid=
check "batch: exit status 1 as some failed (got $status)" test "$status" -eq 1
check "table: linux-1 passed, exit 0" row linux-1 passed "exit 0"
check "table: linux-2 passed, exit 0" row linux-2 passed "exit 0"
check "table: panic timeout" row panic timeout timeout
check "table: spin timeout" row spin timeout timeout
check "table: fail3 failed, exit 3" row fail3 failed "exit 3"
check "table: summary" grep -q "^5 instances in .*: 2 passed, 3 failed\$" "$tmp/table"
check "JSON: results, Linux output, the panic's tail, codes" batch_json "$tmp/out.json" <<'EOF'
want(d["jobs"] == 4 and d["passed"] == 2 and d["failed"] == 3, "totals")
for n, h in (("linux-1", 1), ("linux-2", 2)):
    i = inst[n]
    want(i["result"] == "passed" and i["exit_code"] == 0, n + " passed")
    want("fleet-linux-42 on %d hart" % h in i["output_tail"], n + " output")
    want("reboot: Power down" in i["output_tail"], n + " powered down")
    want(i["instructions"] > 10000000, n + " instructions")
p = inst["panic"]
want(p["result"] == "timeout" and p["exit_code"] is None and 11.9 <= p["seconds"] < 30, "panic timeout")
want("end Kernel panic" in p["output_tail"], "panic tail")
s = inst["spin"]
want(s["result"] == "timeout" and s["instructions"] > 1000000, "spin timeout")
want(inst["fail3"]["exit_code"] == 3 and inst["fail3"]["result"] == "failed", "fail3")
EOF
summary

#!/bin/bash
# The fleet supervisor (issue 9) with real guests beside our own programs.
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
passed=0; failed=0; n=0
tmp=$(mktemp -d)
TMUX_SOCK=fleet-linux-$$
S=fleet
batch_pid=
tm() { tmux -L "$TMUX_SOCK" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    [ -n "$batch_pid" ] && kill "$batch_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

dumped=
check() {   # check DESCRIPTION COMMAND...: one numbered case
    n=$((n + 1))
    if "${@:2}"; then passed=$((passed + 1)); echo "  ok   $n: $1"
    else
        failed=$((failed + 1)); echo "  FAIL $n: $1"
        if [ -z "$dumped" ]; then       # the first failure shows the screen
            dumped=1; screen | grep -v '^$' | tail -20 | sed 's/^/    | /'
        fi
    fi
}
finish() { echo "fleet_linux: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

if [ ! -x "$HARTVM" ] || ! command -v tmux >/dev/null || [ ! -f "$UBOOT" ]; then
    echo "fleet_linux: needs $HARTVM, tmux and $UBOOT"; failed=1; finish
fi
make -s BUILD="$BUILD" linux >/dev/null ||
    { echo "fleet_linux: cannot build the Linux guest"; failed=1; finish; }

RV_FLAGS="-march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static -mcmodel=medany
          -Wl,--no-relax -T tests/isa/link.ld"
for g in spin fail; do
    riscv64-unknown-elf-gcc $RV_FLAGS -DGUEST_$g tests/system/fleet_guest.S -o "$tmp/$g.elf" ||
        { echo "fleet_linux: cannot build the guests"; failed=1; finish; }
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

screen() { tm capture-pane -p -J -t "$S" -S -5000 2>/dev/null | tr -d '\r'; }
wait_for() {    # wait_for REGEX [SECS]: until the screen (with history) matches
    local end=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $end ]; do
        screen | grep -Eq -- "$1" && return 0
        sleep 0.2
    done
    echo "    (timed out waiting for: $1)"
    return 1
}
count() { screen | grep -Ec -- "$1"; }
type_line() { tm send-keys -t "$S" -l "$1"; tm send-keys -t "$S" Enter; }
run() {         # run CMD: type a console command, wait for its echo
    local before; before=$(count "^fleet> $1\$")
    type_line "$1"
    local end=$((SECONDS + 10))
    while [ $SECONDS -lt $end ] && [ "$(count "^fleet> $1\$")" -le "$before" ]; do sleep 0.1; done
    sleep 0.3
}
insns_of() { run "status $1"; screen | sed -n 's/^  instructions \([0-9]*\),.*/\1/p' | tail -1; }

tm new-session -d -s "$S" -x 200 -y 50 \
    "cd '$tmp' && '$HARTVM' fleet con.ini; echo FLEET-EXIT=\$? >'$tmp/exit'"
check "console starts all five instances" wait_for "5 of 5 instances started"
check "fail3 is reported with its code" wait_for "^\[fail3\] exit 3 after"

run "attach linux"
check "attach linux" wait_for "^\[attached to linux"
check "Linux greets from /init on the attached console" wait_for "hartvm: Linux 6\.1\.[0-9]+ up on 1 hart" 60
check "the busybox shell prompt" wait_for "^/ # ?$" 20
type_line 'echo fleet-linux-$((6*7)); uname -sm'
check "Linux runs a typed command" wait_for "^fleet-linux-42$"
check "... and another" wait_for "^Linux riscv64$"
type_line "poweroff"
check "Linux powers off: exit 0" wait_for "^\[fleet\] \[linux\] exit 0 after" 30
check "the console detaches by itself" wait_for "^\[the instance ended; detached from linux\]"

run "attach uboot"
check "attach uboot" wait_for "^\[attached to uboot"
check "U-Boot's prompt on the attached console" wait_for "^=> ?$" 60
type_line "version"
check "U-Boot answers a typed command" wait_for "^U-Boot 20[0-9]{2}\.[0-9]{2}.*\(.*\)$"
type_line "poweroff"
check "U-Boot powers off: exit 0" wait_for "^\[fleet\] \[uboot\] exit 0 after" 20

run "log panic 30"
check "the panicking Linux's log shows the panic" wait_for "Kernel panic - not syncing: VFS: Unable to mount root fs" 30
check "the panic is reported as a timeout (hang)" wait_for "^(\[fleet\] )?\[panic\] timeout after 2[5-9]\.[0-9]+ s" 40

a=$(insns_of spin); sleep 1.2; b=$(insns_of spin)
check "spin still runs beside the others ($a < $b)" test -n "$a" -a -n "$b" -a "${b:-0}" -gt "${a:-0}"
run list
check "list: linux passed, exit 0" wait_for "^linux +passed .* exit 0$"
check "list: uboot passed, exit 0" wait_for "^uboot +passed .* exit 0$"
check "list: panic timeout" wait_for "^panic +timeout .* timeout$"
check "list: fail3 failed, exit 3" wait_for "^fail3 +failed .* exit 3$"
check "list: spin running" wait_for "^spin +running "
run "stop spin"
check "stop spin: reported as stopped, not a crash" wait_for "^(\[fleet\] )?\[spin\] stopped after"
type_line quit
for _ in $(seq 1 100); do [ -f "$tmp/exit" ] && break; sleep 0.1; done
check "quit ends the console with status 0" grep -q "FLEET-EXIT=0" "$tmp/exit"
tm kill-server 2>/dev/null

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
row() { grep -Eq "^$1 +$2 +$3 +[0-9]+ +[0-9.]+\$" "$tmp/table"; }
check "table: linux-1 passed, exit 0" row linux-1 passed "exit 0"
check "table: linux-2 passed, exit 0" row linux-2 passed "exit 0"
check "table: panic timeout" row panic timeout timeout
check "table: spin timeout" row spin timeout timeout
check "table: fail3 failed, exit 3" row fail3 failed "exit 3"
check "table: summary" grep -q "^5 instances in .*: 2 passed, 3 failed\$" "$tmp/table"
json_check() {
    python3 - "$tmp/out.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
inst = {i["name"]: i for i in d["instances"]}
bad = []
def want(cond, what):
    if not cond: bad.append(what)
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
if bad:
    print("    json:", ", ".join(bad))
    sys.exit(1)
EOF
}
check "JSON: results, Linux output, the panic's tail, codes" json_check
finish

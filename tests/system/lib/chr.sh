# Helpers of the character device suites (chardev.sh, qmp.sh): a scripted
# client (sockclient.py), QEMU's command line beside ours, free ports, and
# a guest of ours started in the background on either emulator.
need python3 qemu-system-riscv64 "$RV_CC"
CLIENT="python3 $ROOT/tests/system/lib/sockclient.py"
# -nodefaults: only the devices a test names; stdbuf: the pty message at once
QEMU="stdbuf -oL qemu-system-riscv64 -M virt -display none -nodefaults"
port=$((20000 + RANDOM % 20000))

# start WHO TAG GUEST ARGS...: hartvm (WHO=hv) or QEMU (qemu) on
# $tmp/GUEST.elf in the background, its output in $tmp/TAG.out and .err;
# its pid in $pid.
start() {
    local who=$1 tag=$2 guest=$3; shift 3
    if [ "$who" = hv ]; then
        timeout 20 "$HARTVM" -bios none -kernel "$tmp/$guest.elf" "$@"
    else
        timeout 20 $QEMU -bios none -kernel "$tmp/$guest.elf" "$@"
    fi >"$tmp/$tag.out" 2>"$tmp/$tag.err" </dev/null &
    pid=$!
}
# finish: the status of the last start (124: it had to be killed).
finish() { wait "$pid"; }

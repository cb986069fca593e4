#!/bin/bash
# -netdev user (libslirp) with the default Linux guest: /init's udhcpc gets
# 10.0.2.15, the guest fetches a file from a server this test runs on the
# host's 127.0.0.1 (reached as 10.0.2.2; checksum compared), the host
# reaches the guest's httpd through hostfwd (bound on 127.0.0.1 only), the
# guestfwd=...-cmd: answers a guest connection with a host command, the
# debugger's `info network` shows the NIC and its counters, set_link takes
# the link down and up (the guest's carrier follows), -object
# filter-dump writes a pcap of the DHCP exchange. Then QEMU side by side:
# the same -netdev user line on qemu-system-riscv64 with the same kernel
# fetches the same file.
# Usage: net_user.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=net_user
. "$(dirname "$0")/lib/guests.sh"
need python3 curl ss qemu-system-riscv64
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
on_fail() { for t in hv qemu; do [ -f "$tmp/$t.log" ] && gshow "$t"; done; }

mkdir "$tmp/www"
head -c 400000 /dev/urandom >"$tmp/www/blob"
sum=$(md5sum <"$tmp/www/blob" | cut -d' ' -f1)
web=$(free_port)
(cd "$tmp/www" && exec python3 -m http.server "$web" --bind 127.0.0.1) >/dev/null 2>&1 &
web_pid=$!
at_exit "kill $web_pid 2>/dev/null"
fwd=$(free_port)

fetch() {   # fetch TAG WHO: the guest's lease, then the file by wget
    check "$2: DHCP lease 10.0.2.15" gwait "$1" "eth0 has 10\.0\.2\.15 \(lease from 10\.0\.2\.2\)" 200
    gtype "$1" ""               # the lease's line may follow the prompt: a fresh one
    gwait "$1" "$sh_prompt" 30
    grun "$1" "wget -q -O /tmp/blob http://10.0.2.2:$web/blob && md5sum /tmp/blob" "^$sum " \
        "$2: wget from the host's 127.0.0.1:$web, same MD5"
}

gstart hv hv -smp 2 -netdev "user,id=n0,hostfwd=tcp::$fwd-:80,guestfwd=tcp:10.0.2.100:1234-cmd:echo guestfwd-ok" \
    -device virtio-net-device,netdev=n0 \
    -object filter-dump,id=f0,netdev=n0,file="$tmp/n0.pcap" -monitor unix:"$tmp/mon",server,nowait
fetch hv hartvm
grun hv "cat /etc/resolv.conf" "^nameserver 10\.0\.2\.3$" "DNS relay 10.0.2.3 from the lease"
grun hv "nc 10.0.2.100 1234 </dev/null" "^guestfwd-ok$" "guestfwd: a guest connection runs the host command"
grun hv "mkdir -p /tmp/w && echo served-by-\$((6*7)) > /tmp/w/index.html && httpd -p 80 -h /tmp/w && echo up" \
    "^up$" "httpd in the guest"
check "hostfwd: the host reads the guest's httpd on 127.0.0.1:$fwd" \
    bash -c "curl -s -m 30 http://127.0.0.1:$fwd/index.html | grep -qx served-by-42"
check "hostfwd listens on 127.0.0.1 only" \
    bash -c "ss -Hltn 'sport = :$fwd' | awk '{print \$4}' | grep -qx '127.0.0.1:$fwd'"
python3 "$ROOT/tests/system/lib/sockclient.py" unix:"$tmp/mon" 1 "info network\n" >"$tmp/info" 2>&1 || true
check "info network: the NIC, its MAC and counters" \
    grep -qE "virtio-net-device .*macaddr=52:54:00:12:34:56 link=up driver=running" "$tmp/info"
check "info network: the back end" grep -qE "^netdev n0 \(user\): [1-9][0-9]* frames to the guest" "$tmp/info"
python3 "$ROOT/tests/system/lib/sockclient.py" unix:"$tmp/mon" 1 "set_link n0 off\n" >/dev/null 2>&1
grun hv "sleep 1; cat /sys/class/net/eth0/carrier" "^0$" "set_link n0 off: the guest sees no carrier"
python3 "$ROOT/tests/system/lib/sockclient.py" unix:"$tmp/mon" 1 "set_link n0 on\n" >/dev/null 2>&1
grun hv "sleep 1; cat /sys/class/net/eth0/carrier" "^1$" "set_link n0 on: carrier again"
gstop hv 60
check "hartvm powers off (status $rc)" test "$rc" = 0
check "filter-dump: a pcap with the DHCP exchange" python3 - "$tmp/n0.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic, _, _, _, snap, link = struct.unpack_from("<IIiIII", d)
assert magic == 0xa1b2c3d4 and link == 1, "not an Ethernet pcap"
at, ports = 24, set()
while at + 16 <= len(d):
    _, _, keep, _ = struct.unpack_from("<IIII", d, at)
    f = d[at + 16:at + 16 + keep]
    at += 16 + keep
    if len(f) >= 38 and f[12:14] == b"\x08\x00" and f[23] == 17:
        ihl = (f[14] & 15) * 4
        ports.add(struct.unpack_from(">H", f, 14 + ihl + 2)[0])
assert {67, 68} <= ports, "no DHCP: %s" % sorted(ports)
PY

# QEMU with the same kernel and the same -netdev line
gstart qemu qemu -smp 2 -netdev user,id=n0 -device virtio-net-device,netdev=n0
fetch qemu QEMU
gstop qemu 60
check "QEMU powers off (status $rc)" test "$rc" = 0
summary

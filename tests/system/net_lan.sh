#!/bin/bash
# Guests on one LAN between emulators, with QEMU's -netdev syntax and wire
# formats: two hartvm instances on -netdev socket (listen= / connect=) get
# static addresses, ping each other and copy a file each way (wget, MD5
# compared, through each one's httpd); hartvm and QEMU on -netdev stream (QEMU 7.2's syntax) ping
# each other both ways; two hartvm on -netdev dgram (UDP) ping, and two on
# one multicast group (-netdev socket,mcast=).
# Usage: net_lan.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=net_lan
. "$(dirname "$0")/lib/guests.sh"
need python3 qemu-system-riscv64
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
on_fail() { for t in a b; do [ -f "$tmp/$t.log" ] && gshow "$t"; done; }

up() {     # up TAG ADDR: the guest at its prompt with ADDR on eth0 (no DHCP here)
    gwait "$1" "up on [0-9]+ hart" 240 && gwait "$1" "$sh_prompt" 30
    grun "$1" "killall udhcpc 2>/dev/null; ip addr flush dev eth0; ip addr add $2/24 dev eth0 && ip link set eth0 up && echo addr-ok" \
        "^addr-ok$" "$1 has $2"
}
ping_ok() { grun "$1" "ping -c 3 -W 5 $2 >/dev/null && echo ping-ok" "^ping-ok$" "$3"; }
copy() {   # copy FROM TO FROM_ADDR: a file made in FROM, fetched by TO from FROM's httpd, intact
    grun "$1" "mkdir -p /tmp/w && dd if=/dev/urandom of=/tmp/w/f bs=1k count=300 2>/dev/null && httpd -p 8080 -h /tmp/w && md5sum /tmp/w/f" \
        "^[0-9a-f]{32}  /tmp/w/f$" "$1 serves 300 KiB"
    grun "$2" "wget -q -O /tmp/f http://$3:8080/f && md5sum /tmp/f" "^[0-9a-f]{32}  /tmp/f$" "$2 fetches it"
    local s r
    s=$(tr -d '\r' <"$tmp/$1.log" | grep -oE "^[0-9a-f]{32}  /tmp/w/f$" | tail -1 | cut -c1-32)
    r=$(tr -d '\r' <"$tmp/$2.log" | grep -oE "^[0-9a-f]{32}  /tmp/f$" | tail -1 | cut -c1-32)
    check "$1 -> $2: same MD5 ($s)" test -n "$s" -a "$s" = "$r"
}

# 1. socket listen/connect between two hartvm
p=$(free_port)
gstart a hv -netdev socket,id=n0,listen=:$p -device virtio-net-device,netdev=n0
sleep 1
gstart b hv -netdev socket,id=n0,connect=127.0.0.1:$p -device virtio-net-device,netdev=n0,mac=52:54:00:12:34:57
up a 10.1.0.1
up b 10.1.0.2
ping_ok a 10.1.0.2 "socket LAN: a pings b"
ping_ok b 10.1.0.1 "socket LAN: b pings a"
copy a b 10.1.0.1
copy b a 10.1.0.2
gstop b 60; check "b powers off (status $rc)" test "$rc" = 0
gstop a 60; check "a powers off (status $rc)" test "$rc" = 0

# 2. hartvm and QEMU on -netdev stream
p=$(free_port)
gstart a hv -netdev stream,id=n0,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=$p \
    -device virtio-net-device,netdev=n0
sleep 1
gstart b qemu -netdev stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=$p \
    -device virtio-net-device,netdev=n0,mac=52:54:00:12:34:58
up a 10.2.0.1
up b 10.2.0.2
ping_ok a 10.2.0.2 "stream: hartvm pings QEMU"
ping_ok b 10.2.0.1 "stream: QEMU pings hartvm"
gstop b 60; check "QEMU powers off (status $rc)" test "$rc" = 0
gstop a 60; check "hartvm powers off (status $rc)" test "$rc" = 0

# 3. -netdev dgram (UDP, one frame per datagram) between two hartvm
p=$(free_port); q=$(free_port)
dg() { echo "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=$1,remote.type=inet,remote.host=127.0.0.1,remote.port=$2"; }
gstart a hv -netdev "$(dg "$p" "$q")" -device virtio-net-device,netdev=n0
gstart b hv -netdev "$(dg "$q" "$p")" -device virtio-net-device,netdev=n0,mac=52:54:00:12:34:59
up a 10.3.0.1
up b 10.3.0.2
ping_ok b 10.3.0.1 "dgram: b pings a"
gstop b 60; gstop a 60

# 4. -netdev socket,mcast=: every member of the group hears every frame
p=$(free_port)
gstart a hv -netdev socket,id=n0,mcast=230.0.0.1:$p -device virtio-net-device,netdev=n0
gstart b hv -netdev socket,id=n0,mcast=230.0.0.1:$p -device virtio-net-device,netdev=n0,mac=52:54:00:12:34:5a
up a 10.4.0.1
up b 10.4.0.2
ping_ok a 10.4.0.2 "mcast: a pings b"
gstop b 60; gstop a 60
summary

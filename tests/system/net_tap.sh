#!/bin/bash
# -netdev tap,ifname=NAME,script=no,downscript=no: where the host allows a
# tap interface (CAP_NET_ADMIN, /dev/net/tun), the guest and the host ping
# each other across it; without the capability hartvm exits 1 with a
# message saying what is missing. The host reaches the guest's httpd too. Cases the host cannot run print SKIP and
# are not counted.
# Usage: net_tap.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
NAME=net_tap
. "$(dirname "$0")/lib/guests.sh"
need_hartvm
need curl
on_fail() { [ -f "$tmp/g.log" ] && gshow g; }
tap=hvt$$
tap=${tap:0:15}

# without CAP_NET_ADMIN: a clear error, status 1
if command -v setpriv >/dev/null; then
    setpriv --bounding-set -net_admin --inh-caps -net_admin "$HARTVM" -nographic -bios none \
        -kernel /dev/null -netdev tap,id=t0,ifname="$tap",script=no,downscript=no \
        -device virtio-net-device,netdev=t0 </dev/null >/dev/null 2>"$tmp/noperm.err"
    rc=$?
    check "without CAP_NET_ADMIN: status 1 (got $rc)" test "$rc" = 1
    check "... and the message names the interface and the missing capability" \
        grep -q "tap,ifname=$tap: .*CAP_NET_ADMIN" "$tmp/noperm.err"
else
    echo "$NAME: SKIP the no-capability case (no setpriv)"
fi

if [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null || ! ip tuntap add dev "$tap" mode tap 2>/dev/null; then
    echo "$NAME: SKIP the tap LAN (this host gives no tap interface)"
    summary; exit
fi
ip tuntap del dev "$tap" mode tap
make -s BUILD="$BUILD" linux >/dev/null || give_up "cannot build the Linux guest"
at_exit "ip link del $tap 2>/dev/null"
gstart g hv -netdev tap,id=t0,ifname="$tap",script=no,downscript=no -device virtio-net-device,netdev=t0
check "the tap interface exists while hartvm runs" wait_until 30 ip link show "$tap"
ip addr add 10.77.0.1/24 dev "$tap" && ip link set "$tap" up
gwait g "up on [0-9]+ hart" 240
grun g "killall udhcpc 2>/dev/null; ip addr flush dev eth0; ip addr add 10.77.0.2/24 dev eth0 && echo addr-ok" \
    "^addr-ok$" "guest address on eth0"
grun g "ping -c 3 -W 5 10.77.0.1 >/dev/null && echo ping-ok" "^ping-ok$" "the guest pings the host over tap"
grun g "mkdir -p /tmp/w && echo over-tap > /tmp/w/index.html && httpd -p 80 -h /tmp/w && echo up" "^up$" "httpd in the guest"
check "the host reads the guest's httpd over tap" bash -c "curl -s -m 20 http://10.77.0.2/ | grep -qx over-tap"
gstop g 60
check "poweroff (status $rc)" test "$rc" = 0
check "the interface goes with hartvm (not persistent)" bash -c "! ip link show $tap 2>/dev/null"
summary

#!/bin/bash
# Network benchmarks side by side: bench/net.sh HARTVM LINUX_DIR
#
# The default guest (256M, 2 harts) with `-netdev user,id=n0 -device
# virtio-net-device,netdev=n0` on hartvm and on qemu-system-riscv64 -M virt
# with the same kernel and command line, REPS times each (default 3);
# medians of, measured by the guest's own clock (busybox time, ping):
#   host->guest  MB/s (10^6 B/s): wget -O /dev/null of SIZE_MB (default 32)
#                from an HTTP server on the host's 127.0.0.1 (bench/net_server.py)
#   guest->host  MB/s: wget --post-file of SIZE_MB from the guest's tmpfs to it
#   rtt          ms: ping -c 20 10.0.2.2 (libslirp answers for the host), average
# The guest console is driven through a FIFO (tests/system/lib/guests.sh).
# Nothing here asserts a figure. Environment: REPS, SIZE_MB.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 HARTVM LINUX_DIR" >&2
    exit 2
fi
HARTVM=$1
BUILD=.              # guests.sh wants one; L is set below
NAME=bench-net
reps=${REPS:-3}
size_mb=${SIZE_MB:-32}
. "$(dirname "$0")/../tests/system/lib/guests.sh"
L=$2
port=$(free_port)
python3 "$(dirname "$0")/net_server.py" "$port" $((size_mb * 1000000)) &
srv=$!
at_exit "kill $srv 2>/dev/null"

secs() {   # the seconds of busybox time's "real XmY.YYs" last printed by TAG
    tr -d '\r' <"$tmp/$1.log" | grep -oE "^real[[:space:]]+[0-9]+m *[0-9.]+s" | tail -1 |
        sed -E 's/real[[:space:]]+([0-9]+)m *([0-9.]+)s/\1 \2/' | awk '{ print $1 * 60 + $2 }'
}
mbps() { awk -v s="$1" -v mb="$size_mb" 'BEGIN { if (s > 0) printf "%.2f\n", mb / s; else print "?" }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }'; }

one() {    # one WHO: a boot, the three measurements appended to $tmp/res_WHO.{in,out,rtt}
    local who=$1 tag=g
    gstart $tag "$who" -smp 2 -netdev user,id=n0 -device virtio-net-device,netdev=n0
    gwait $tag "eth0 has 10\.0\.2\.15" 300
    gtype $tag "echo ready"     # a marker: kernel messages may follow a prompt
    if ! gwait $tag "^ready" 30; then
        echo "$NAME: $who: no lease" >&2; gstop $tag 30; return
    fi
    gtype $tag "time wget -q -O /dev/null http://10.0.2.2:$port/blob; echo done-1"
    gwait $tag "^done-1" 300 && mbps "$(secs $tag)" >>"$tmp/res_$who.in"
    gtype $tag "dd if=/dev/zero of=/tmp/up bs=1M count=$size_mb 2>/dev/null; time wget -q -O /dev/null --post-file=/tmp/up http://10.0.2.2:$port/; echo done-2"
    gwait $tag "^done-2" 300 && mbps "$(secs $tag)" >>"$tmp/res_$who.out"
    gtype $tag "ping -c 20 -i 0.2 10.0.2.2 | tail -1; echo done-3"
    gwait $tag "^done-3" 60 &&
        tr -d '\r' <"$tmp/$tag.log" | grep -oE "round-trip min/avg/max = [0-9.]+/[0-9.]+" | tail -1 |
        cut -d/ -f4 >>"$tmp/res_$who.rtt"
    gstop $tag 60
}

for ((r = 0; r < reps; r++)); do
    one hv
    one qemu
done
printf '%-22s %12s %12s\n' "network ($size_mb MB)" hartvm qemu
row() { printf '%-22s %12s %12s\n' "$1" "$(median <"$tmp/res_hv.$2" 2>/dev/null)" "$(median <"$tmp/res_qemu.$2" 2>/dev/null)"; }
row "host->guest MB/s" in
row "guest->host MB/s" out
row "ping rtt ms" rtt

#!/bin/bash
# Fleet cost: N instances (default 16) of the Linux guest (OpenSBI ->
# Linux 6.1 -> busybox shell, -m 64M, no disk, so no image lock to share)
# started at once by one `hartvm fleet` supervisor. Reports the time until
# every instance shows its shell prompt, the resident memory of each
# emulator process and in total, and the host CPU the idle fleet burns over
# IDLE seconds (utime + stime from /proc/PID/stat). Assertions: none; it is
# a measurement. Usage: bench/fleet.sh BUILD_DIR [N] [IDLE]
set -u
BUILD=${1:-build}
N=${2:-16}
IDLE=${3:-10}
cd "$(dirname "$0")/.." || exit 1
case $BUILD in /*) B=$BUILD ;; *) B=$PWD/$BUILD ;; esac
HARTVM=$B/hartvm
L=$B/roms/linux
make -s BUILD="$BUILD" linux >/dev/null || { echo "bench/fleet: cannot build the Linux guest"; exit 1; }
[ -x "$HARTVM" ] || { echo "bench/fleet: $HARTVM not built"; exit 1; }

tmp=$(mktemp -d)
sup=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$sup" ] && kill "$sup" 2>/dev/null && wait "$sup" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

cat >"$tmp/fleet.ini" <<EOF
[linux]
kernel = $L/Image
initrd = $L/initramfs.cpio
append = console=ttyS0 quiet
memory = 64M
count = $N
EOF
# The console reads its commands from a FIFO held open here; each instance's
# console is a pipe from the supervisor, so its shell waits for input.
mkfifo "$tmp/cmd"
t0=$(date +%s.%N)
"$HARTVM" fleet --log-dir "$tmp/logs" "$tmp/fleet.ini" <"$tmp/cmd" >"$tmp/console" 2>&1 &
sup=$!
exec 3>"$tmp/cmd"

# time until every console log shows the shell prompt
ready=0
while [ $SECONDS -lt 300 ]; do
    ready=0
    for log in "$tmp"/logs/linux*.log; do    # linux.log, or linux-1.log .. linux-N.log
        [ -f "$log" ] && tr -d '\r' <"$log" | grep -q '^/ # ' && ready=$((ready + 1))
    done
    [ "$ready" -eq "$N" ] && break
    kill -0 "$sup" 2>/dev/null || break
    sleep 0.1
done
t1=$(date +%s.%N)
if [ "$ready" -ne "$N" ]; then
    echo "bench/fleet: only $ready of $N instances reached their shell"; tail -5 "$tmp/console"; exit 1
fi
boot=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

pids=$(pgrep -P "$sup" | tr '\n' ' ')
ticks() {   # utime + stime of all the instances, in clock ticks
    local p s=0
    for p in $pids; do
        s=$((s + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$s"
}
sleep 2                                 # let the last boot's tail settle
c0=$(ticks); s0=$(date +%s.%N)
sleep "$IDLE"
c1=$(ticks); s1=$(date +%s.%N)
hz=$(getconf CLK_TCK)
idle_cpu=$(awk -v d=$((c1 - c0)) -v hz="$hz" -v a="$s0" -v b="$s1" -v n="$N" \
    'BEGIN { t = b - a; printf "%.1f %% of one core in all (%.2f %% per instance)", d / hz / t * 100, d / hz / t * 100 / n }')

rss_line=$(for p in $pids; do awk '/^VmRSS:/ { print $2 }' "/proc/$p/status"; done |
    awk '{ s += $1; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1; c++ }
         END { printf "%d %.1f %.1f %.1f %.1f %d", c, s / 1024, s / c / 1024, min / 1024, max / 1024, s }')
read -r count total avg min max _ <<<"$rss_line"
pss=$(for p in $pids; do awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null; done |
    awk '{ s += $1 } END { printf "%.1f", s / 1024 }')
sup_rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$sup/status")

echo "fleet benchmark: $N x Linux 6.1 (-m 64M, 1 hart, no disk) on $(nproc) host CPUs"
printf '  %-34s %s s\n' "all $N at their shell after" "$boot"
printf '  %-34s %s MiB (PSS %s MiB) over %s processes\n' "total RSS" "$total" "$pss" "$count"
printf '  %-34s %s MiB (min %s, max %s)\n' "per-instance RSS" "$avg" "$min" "$max"
printf '  %-34s %s MiB\n' "supervisor RSS" "$sup_rss"
printf '  %-34s %s\n' "idle CPU over ${IDLE} s" "$idle_cpu"

echo quit >&3
exec 3>&-
timeout 30 tail --pid="$sup" -f /dev/null
wait "$sup" 2>/dev/null; sup=

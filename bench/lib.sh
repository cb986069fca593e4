# Helpers shared by the bench/ scripts that read an emulator's memory and
# CPU from /proc (bench/run.sh, bench/idle.sh). Source it.

# ram_rss PID RAM_KiB: resident KiB of PID's guest-RAM mapping, the anonymous
# mapping whose size is the RAM's or a little more (malloc's header, QEMU's
# alignment, heap blocks the kernel merged into it); 0 if none.
ram_rss() {
    awk -v want="$2" '
        /^[0-9a-f]+-[0-9a-f]+ / { inmap = 0 }
        /^Size:/ { inmap = $2 >= want && $2 <= want + 4096 }
        /^Rss:/ && inmap && $2 > best { best = $2 }
        END { print best + 0 }' "/proc/$1/smaps" 2>/dev/null || echo 0
}

# cpu_ticks PID: utime + stime of the whole process (all threads), in clock
# ticks (getconf CLK_TCK a second); empty once it has gone.
cpu_ticks() {
    awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null
}

# status_kb PID FIELD: a /proc/PID/status figure in KiB (VmRSS, VmHWM, RssFile...)
status_kb() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

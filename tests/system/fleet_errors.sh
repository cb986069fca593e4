#!/bin/bash
# Fleet files with mistakes: each is refused before anything
# starts, with exit status 2 and "FILE:LINE: reason" naming the right line.
# Usage: tests/system/fleet_errors.sh BUILD_DIR  (prints "fleet_errors: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
NAME=fleet_errors
show_passes=1
. tests/system/lib/check.sh
need_hartvm

# refused LINE REASON-REGEX: the fleet file on stdin must fail at LINE with REASON
refused() {
    local f="$tmp/case$((case_no + 1)).ini" out st
    cat >"$f"
    out=$(timeout 10 "$HARTVM" fleet --batch "$f" 2>&1 </dev/null); st=$?
    if [ "$st" -eq 2 ] && grep -Eq "^hartvm fleet: $f:$1: $2" <<<"$out" && ! grep -q "instances in" <<<"$out"; then
        ok "line $1: $2"
    else
        bad "want exit 2 and '$f:$1: $2', got $st: $out"
    fi
}

refused 3 "unknown key 'kernal'" <<'EOF'
[a]
bios = none
kernal = x.elf
EOF
refused 4 "syntax error: expected \[name\] or key = value" <<'EOF'
; comment
[a]
kernel = x.elf
this line has no equals sign
EOF
refused 1 "'kernel' outside any \[instance\] section" <<'EOF'
kernel = x.elf
[a]
kernel = x.elf
EOF
refused 5 "memory '12Q': Parameter 'size' expects a non-negative number" <<'EOF'
[a]
kernel = x.elf

[b]
memory = 12Q
kernel = x.elf
EOF
refused 3 "harts '9': Invalid SMP CPUs 9. hartvm models at most 8 harts" <<'EOF'
[a]
kernel = x.elf
harts = 9
EOF
refused 2 "restart 'always': need never or on-failure" <<'EOF'
[a]
restart = always
kernel = x.elf
EOF
refused 3 "timeout 'soon': need seconds" <<'EOF'
[a]
kernel = x.elf
timeout = soon
EOF
refused 4 "instance 'a' defined twice \(first on line 1\)" <<'EOF'
[a]
kernel = x.elf
# again
[a]
kernel = y.elf
EOF
refused 4 "instance 'empty' has nothing to run" <<'EOF'
[a]
kernel = x.elf

[empty]
[c]
kernel = x.elf
EOF
refused 2 "instance 'fw' has nothing to run" <<'EOF'
; bios = none needs a kernel
[fw]
bios = none
EOF
refused 1 "bad instance name 'has space'" <<'EOF'
[has space]
kernel = x.elf
EOF
refused 3 "unterminated \" quote in options" <<'EOF'
[a]
kernel = x.elf
options = -append "no end
EOF
refused 3 "'kernel' given twice" <<'EOF'
[a]
kernel = x.elf
kernel = y.elf
EOF
refused 3 "options: --control is the supervisor's own" <<'EOF'
[a]
kernel = x.elf
options = --control /tmp/x
EOF
long=$(printf 'x%.0s' $(seq 1 300))
refused 2 "line longer than" <<EOF
[a]
append = $long
kernel = x.elf
EOF
refused 4 "instance name 'a-1' is used twice" <<'EOF'
[a]
kernel = x.elf
count = 2
[a-1]
kernel = x.elf
EOF
refused 1 "no instances" <<'EOF'
; nothing here
EOF

# a missing file: named, exit 2
out=$("$HARTVM" fleet --batch "$tmp/none.ini" 2>&1); st=$?
if [ "$st" -eq 2 ] && grep -q "$tmp/none.ini: No such file" <<<"$out"; then
    ok "missing fleet file"
else
    bad "missing fleet file: $st: $out"
fi

# an instance that cannot start (no such kernel) is a failed instance, not a crash
printf '[nokernel]\nbios = none\nkernel = nowhere.elf\n' >"$tmp/nok.ini"
out=$(timeout 20 "$HARTVM" fleet --batch "$tmp/nok.ini" 2>&1); st=$?
if [ "$st" -eq 1 ] && grep -Eq "^nokernel +failed +exit 1 " <<<"$out" && grep -q "nowhere.elf" <<<"$out"; then
    ok "a kernel that does not exist: failed, exit 1, reason shown"
else
    bad "missing kernel: $st: $out"
fi

summary

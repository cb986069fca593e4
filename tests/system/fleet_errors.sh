#!/bin/bash
# Fleet files with mistakes (issue 9): each is refused before anything
# starts, with exit status 2 and "FILE:LINE: reason" naming the right line.
# Usage: tests/system/fleet_errors.sh BUILD_DIR  (prints "fleet_errors: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$PWD/$BUILD/hartvm
passed=0; failed=0; n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$HARTVM" ]; then
    echo "fleet_errors: $HARTVM not built"
    echo "fleet_errors: 0 passed, 1 failed"
    exit 1
fi

# bad LINE REASON-REGEX: the fleet file on stdin must fail at LINE with REASON
bad() {
    n=$((n + 1))
    local f="$tmp/case$n.ini" out st
    cat >"$f"
    out=$(timeout 10 "$HARTVM" fleet --batch "$f" 2>&1 </dev/null); st=$?
    if [ "$st" -eq 2 ] && grep -Eq "^hartvm fleet: $f:$1: $2" <<<"$out" && ! grep -q "instances in" <<<"$out"; then
        passed=$((passed + 1)); echo "  ok   $n: line $1: $2"
    else
        failed=$((failed + 1)); echo "  FAIL $n: want exit 2 and '$f:$1: $2', got $st: $out"
    fi
}

bad 3 "unknown key 'kernal'" <<'EOF'
[a]
bios = none
kernal = x.elf
EOF
bad 4 "syntax error: expected \[name\] or key = value" <<'EOF'
; comment
[a]
kernel = x.elf
this line has no equals sign
EOF
bad 1 "'kernel' outside any \[instance\] section" <<'EOF'
kernel = x.elf
[a]
kernel = x.elf
EOF
bad 5 "memory '12Q': need a size" <<'EOF'
[a]
kernel = x.elf

[b]
memory = 12Q
kernel = x.elf
EOF
bad 3 "harts '9': need 1 to 8" <<'EOF'
[a]
kernel = x.elf
harts = 9
EOF
bad 2 "restart 'always': need never or on-failure" <<'EOF'
[a]
restart = always
kernel = x.elf
EOF
bad 3 "timeout 'soon': need seconds" <<'EOF'
[a]
kernel = x.elf
timeout = soon
EOF
bad 4 "instance 'a' defined twice \(first on line 1\)" <<'EOF'
[a]
kernel = x.elf
# again
[a]
kernel = y.elf
EOF
bad 4 "instance 'empty' has nothing to run" <<'EOF'
[a]
kernel = x.elf

[empty]
[c]
kernel = x.elf
EOF
bad 2 "instance 'fw' has nothing to run" <<'EOF'
; bios = none needs a kernel
[fw]
bios = none
EOF
bad 1 "bad instance name 'has space'" <<'EOF'
[has space]
kernel = x.elf
EOF
bad 3 "unterminated \" quote in options" <<'EOF'
[a]
kernel = x.elf
options = -append "no end
EOF
bad 3 "'kernel' given twice" <<'EOF'
[a]
kernel = x.elf
kernel = y.elf
EOF
bad 3 "options: --control is the supervisor's own" <<'EOF'
[a]
kernel = x.elf
options = --control /tmp/x
EOF
long=$(printf 'x%.0s' $(seq 1 300))
bad 2 "line longer than" <<EOF
[a]
append = $long
kernel = x.elf
EOF
bad 4 "instance name 'a-1' is used twice" <<'EOF'
[a]
kernel = x.elf
count = 2
[a-1]
kernel = x.elf
EOF
bad 1 "no instances" <<'EOF'
; nothing here
EOF

# a missing file: named, exit 2
n=$((n + 1))
out=$("$HARTVM" fleet --batch "$tmp/none.ini" 2>&1); st=$?
if [ "$st" -eq 2 ] && grep -q "$tmp/none.ini: No such file" <<<"$out"; then
    passed=$((passed + 1)); echo "  ok   $n: missing fleet file"
else
    failed=$((failed + 1)); echo "  FAIL $n: missing fleet file: $st: $out"
fi

# an instance that cannot start (no such kernel) is a failed instance, not a crash
n=$((n + 1))
printf '[nokernel]\nbios = none\nkernel = nowhere.elf\n' >"$tmp/nok.ini"
out=$(timeout 20 "$HARTVM" fleet --batch "$tmp/nok.ini" 2>&1); st=$?
if [ "$st" -eq 1 ] && grep -Eq "^nokernel +failed +exit 1 " <<<"$out" && grep -q "nowhere.elf" <<<"$out"; then
    passed=$((passed + 1)); echo "  ok   $n: a kernel that does not exist: failed, exit 1, reason shown"
else
    failed=$((failed + 1)); echo "  FAIL $n: missing kernel: $st: $out"
fi

echo "fleet_errors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

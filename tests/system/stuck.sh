#!/bin/bash
# Every bounded run ends (machine/stuck.h): trap loops nothing can break
# end with 122, dead waits with 121, a trap storm spends --max-insns; runs
# that something could still change are never called stuck. The debugger
# stops at its prompt instead, the fleet reports "stuck", and 200 random
# images each end within their budget.
# Usage: tests/system/stuck.sh BUILD_DIR   (prints "stuck: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=stuck
show_passes=1
. tests/system/lib/check.sh
need_hartvm
fail() { bad "$1"; }

# guest NAME: assemble stdin into $tmp/NAME.elf
guest() { cat >"$tmp/$1.S" && rv_cc "$tmp/$1.elf" "$tmp/$1.S" || fail "assembling $1"; }

# run NAME ARGS...: a headless run with no console input; status in $rc, stderr in $err
run() {
    local g=$1; shift
    timeout 30 "$HARTVM" -bios none -kernel "$tmp/$g.elf" -nographic "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?; err=$(cat "$tmp/err")
}
# expect RC REGEX WHAT: the last run ended with RC and stderr matching REGEX
expect() {
    if [ "$rc" -eq "$1" ] && grep -Eq -- "$2" <<<"$err"; then ok "$3"
    else fail "$3: status $rc (want $1), stderr: $err"; fi
}

guest mtvec0 <<'EOF'
.globl _start
_start:
    csrw mtvec, zero
    jr zero
EOF
run mtvec0
expect 122 '^hartvm: hart 0: instruction access fault at 0x0 loops \(mtvec 0x0 points at no memory\)$' \
    "mtvec 0 where there is no memory: a trap loop"
run mtvec0 --max-insns 1000000
expect 122 'loops' "the loop is seen before a large --max-insns runs out"

guest illegal <<'EOF'
.globl _start
_start:
    la t0, vec
    csrw mtvec, t0
    ecall
    .balign 4
vec: .word 0
EOF
run illegal
expect 122 'illegal instruction at 0x[0-9a-f]+ loops \(mtvec 0x[0-9a-f]+ holds the illegal instruction 0x0\)' \
    "a vector in zeroed RAM: a trap loop (one hart, nothing else writes memory)"

# S-mode under Sv39 with an empty root table, instruction page faults
# delegated to S, stvec unmapped. MTIE=1 variant: an M-level interrupt
# would still be taken in S, so the loop is not provably stuck.
for variant in plain mtie; do
guest "s_$variant" <<EOF
.globl _start
_start:
    li t0, -1                   /* PMP: S may access everything */
    csrw pmpaddr0, t0
    li t0, 0x1f                 /* NAPOT | X | W | R */
    csrw pmpcfg0, t0
    li t0, 1 << 12
    csrw medeleg, t0
    la t0, root
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    li t0, 0x40000000
    csrw stvec, t0
    $( [ $variant = mtie ] && echo 'li t0, 0x80; csrw mie, t0' )
    li t0, 0x800            /* MPP = S */
    csrw mstatus, t0
    li t0, 0x1000
    csrw mepc, t0
    mret
    .balign 4096
root: .zero 4096
EOF
done
run s_plain
expect 122 'instruction page fault at 0x40000000 loops \(stvec 0x40000000 is not mapped executable\)' \
    "an unmapped stvec with delegation: a trap loop in S"
run s_mtie --max-insns 300000
expect 125 'instruction limit of 300000 reached' \
    "the same loop with an M timer enabled is not stuck; its traps spend --max-insns"

guest pmp <<'EOF'
.globl _start
_start:
    la t0, vec
    csrw mtvec, t0
    srli t1, t0, 2
    ori t1, t1, 0x1ff           /* NAPOT, 4 KiB at vec */
    csrw pmpaddr0, t1
    li t1, 0x99                 /* L | NAPOT | R: locked, so it binds M too */
    csrw pmpcfg0, t1
    jr t0
    .balign 4096
vec: nop
    j vec
EOF
run pmp
expect 122 'instruction access fault at 0x[0-9a-f]+ loops \(PMP denies execution at mtvec 0x[0-9a-f]+\)' \
    "a PMP-denied vector: a trap loop"

guest wfi0 <<'EOF'
.globl _start
_start:
    csrw mie, zero
1:  wfi
    j 1b
EOF
run wfi0
expect 121 'every hart waits in wfi and no enabled interrupt can come' "wfi with every interrupt disabled: a dead wait"
run wfi0 -icount shift=0
expect 121 'every hart waits in wfi' "the same under -icount (which would otherwise wait for ever)"

guest wfi_far <<'EOF'
.globl _start
_start:
    li t0, 0x2004000            /* mtimecmp[0] = 2^57 ticks ahead */
    li t1, 1
    slli t1, t1, 57
    sd t1, 0(t0)
    li t0, 0x80
    csrw mie, t0
1:  wfi
    j 1b
EOF
run wfi_far --timeout 1
expect 124 'timeout after 1 s' "wfi with a timer armed far away is not stuck (ends by --timeout)"

guest smp <<'EOF'
.globl _start
_start:
    csrr t0, mhartid
    bnez t0, other
    la t0, vec
    csrw mtvec, t0
    ecall
    .balign 4
vec: .word 0
other:
    la t1, vec
1:  lw t2, 0(t1)                /* a running hart could write vec */
    j 1b
EOF
run smp -smp 2 --max-insns 400000
expect 125 'instruction limit' "a loop in RAM another running hart could write is not stuck"

# The debugger stops at the prompt and tells why.
printf 'continue\ninfo harts\nquit\n' >"$tmp/script"
timeout 30 "$HARTVM" -bios none -kernel "$tmp/mtvec0.elf" -nographic --debug-script "$tmp/script" \
    </dev/null >"$tmp/dbg" 2>&1
if grep -q 'Stuck: hart 0: instruction access fault at 0x0 loops' "$tmp/dbg" &&
   grep -Eq 'repeating instruction access fault at its own vector 0x0' "$tmp/dbg"; then
    ok "the debugger stops at a trap loop and info harts says why"
else fail "debugger: $(tr '\n' '|' <"$tmp/dbg")"; fi

# The fleet's result word and JSON.
cat >"$tmp/fleet.ini" <<EOF
[loop]
bios = none
kernel = $tmp/mtvec0.elf
[dead]
bios = none
kernel = $tmp/wfi0.elf
EOF
timeout 60 "$HARTVM" fleet --batch "$tmp/fleet.ini" -j 2 --json "$tmp/r.json" >"$tmp/table" 2>&1
frc=$?
if [ "$frc" -ne 0 ] && grep -Eq '^loop +stuck +trap loop' "$tmp/table" &&
   grep -Eq '^dead +stuck +dead wait' "$tmp/table"; then ok "fleet table: stuck, trap loop / dead wait"
else fail "fleet table (exit $frc): $(tr '\n' '|' <"$tmp/table")"; fi
if python3 - "$tmp/r.json" <<'EOF'
import json, sys
r = {i["name"]: i for i in json.load(open(sys.argv[1]))["instances"]}
assert r["loop"]["result"] == "stuck" and r["loop"]["exit_code"] == 122, r["loop"]
assert "loops (mtvec 0x0 points at no memory)" in r["loop"]["message"], r["loop"]
assert r["dead"]["result"] == "stuck" and r["dead"]["exit_code"] == 121, r["dead"]
EOF
then ok "fleet JSON: result stuck, exit code and message"; else fail "fleet JSON: $(cat "$tmp/r.json")"; fi

# 200 random images (seeded, so a failure can be replayed): each ends
# within its budget, never by the outer timeout.
python3 - "$tmp/rand" <<'EOF'
import os, random, sys
os.mkdir(sys.argv[1]); rng = random.Random(20261203)
for i in range(200):
    open(f"{sys.argv[1]}/{i}.bin", "wb").write(bytes(rng.randrange(256) for _ in range(rng.choice([16, 256, 4096]))))
EOF
hung=0; hist=
for i in $(seq 0 199); do
    timeout 20 "$HARTVM" -bios none -kernel "$tmp/rand/$i.bin" -nographic --max-insns 200000 -m 16M \
        </dev/null >/dev/null 2>&1
    r=$?
    case $r in 124|13[0-9]|1[4-9][0-9]|2[0-9][0-9]) hung=$((hung + 1)); echo "    image $i: status $r";; esac
    hist="$hist $r"
done
echo "    statuses: $(tr ' ' '\n' <<<"$hist" | grep . | sort -n | uniq -c | awk '{ printf "%s (%s images) ", $2, $1 }')"
if [ "$hung" -eq 0 ]; then ok "200 random images each end within their budget"
else fail "$hung of 200 random images did not end by themselves"; fi
summary

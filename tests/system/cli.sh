#!/bin/bash
# Command line and exit status of a headless run (design.md §2):
#   guest's own code (test finisher, HTIF), 124 on --timeout, 125 on
#   --max-insns, 2 for a usage error, 1 for any other emulator error
#   (with a message on stderr); a failing guest never exits 0.
# Usage: tests/system/cli.sh BUILD_DIR   (prints "cli: P passed, F failed")
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=cli
show_passes=1
. tests/system/lib/check.sh
need_hartvm

# ---- guest programs ---------------------------------------------------

# finisher.S: write FINISHER_WORD to the test finisher, then spin.
cat >"$tmp/finisher.S" <<'EOF'
    .section .text.init
    .globl _start
_start:
    li t0, FINISHER_WORD
    li t1, 0x100000
    sw t0, 0(t1)
1:  j 1b
EOF
# spin.S: never ends.
cat >"$tmp/spin.S" <<'EOF'
    .section .text.init
    .globl _start
_start:
1:  addi a0, a0, 1
    j 1b
EOF
# htif.S: exit through HTIF tohost with code HTIF_CODE.
cat >"$tmp/htif.S" <<'EOF'
    .section .text.init
    .globl _start
_start:
    li t0, (HTIF_CODE << 1) | 1
    la t1, tohost
    sd t0, 0(t1)
1:  j 1b
    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .dword 0
    .align 6
    .globl fromhost
fromhost: .dword 0
EOF

build_ok=1
asm() {   # out src defines...
    rv_cc "$@" 2>"$tmp/cc.err" || { cat "$tmp/cc.err"; build_ok=0; }
}
asm "$tmp/pass.elf"    "$tmp/finisher.S" -DFINISHER_WORD=0x5555
asm "$tmp/fail7.elf"   "$tmp/finisher.S" -DFINISHER_WORD='((7<<16)|0x3333)'
asm "$tmp/fail255.elf" "$tmp/finisher.S" -DFINISHER_WORD='((255<<16)|0x3333)'
asm "$tmp/fail256.elf" "$tmp/finisher.S" -DFINISHER_WORD='((256<<16)|0x3333)'
asm "$tmp/fail512.elf" "$tmp/finisher.S" -DFINISHER_WORD='((512<<16)|0x3333)'
asm "$tmp/spin.elf"    "$tmp/spin.S"
asm "$tmp/htif5.elf"   "$tmp/htif.S" -DHTIF_CODE=5
asm "$tmp/htif256.elf" "$tmp/htif.S" -DHTIF_CODE=256
[ $build_ok = 1 ] || give_up "cannot assemble the guest programs"

# Broken kernels.
{ printf '\177ELF'; head -c 4000 /dev/urandom; } >"$tmp/random.elf"
{ printf '\177ELF\002\001\001'; head -c 57 /dev/zero; } >"$tmp/zeros.elf"   # header only
head -c 100 "$tmp/pass.elf" >"$tmp/trunc-header.elf"
size=$(stat -c %s "$tmp/pass.elf")
head -c $((size / 3)) "$tmp/pass.elf" >"$tmp/trunc.elf"
: >"$tmp/empty.bin"
X86=/bin/true

# ---- running ------------------------------------------------------------
# run ARGS...: sets rc, out, err. A guard timeout keeps a hang from
# stalling the suite (it would show as rc 137/124 and fail the check).
run() {
    timeout -s KILL 30 "$HARTVM" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}

# expect DESCRIPTION WANT_RC STDERR_REGEX -- ARGS...
# STDERR_REGEX may be empty (no requirement on stderr).
expect() {
    local what=$1 want=$2 pat=$3; shift 4
    run "$@"
    if [ "$rc" -ne "$want" ]; then
        bad "$what: exit $rc, want $want (stderr: ${err:0:200})"
    elif [ -n "$pat" ] && ! grep -Eq -- "$pat" <<<"$err"; then
        bad "$what: stderr lacks /$pat/: ${err:0:200}"
    else
        ok "$what"
    fi
}

NB=(-machine virt -bios none -nographic)

echo "cli: usage errors"
expect "unknown option" 2 "'--bogus'" -- --bogus
expect "unknown option after good ones" 2 "'-frobnicate'" -- "${NB[@]}" -kernel "$tmp/pass.elf" -frobnicate
expect "stray argument" 2 "'extra.elf'" -- "${NB[@]}" -kernel "$tmp/pass.elf" extra.elf
expect "option without its value" 2 "-kernel" -- "${NB[@]}" -kernel
expect "-smp 9" 2 "-smp" -- "${NB[@]}" -smp 9 -kernel "$tmp/pass.elf"
expect "-m nonsense" 2 "-m" -- "${NB[@]}" -m lots -kernel "$tmp/pass.elf"
expect "--timeout 0" 2 "--timeout" -- "${NB[@]}" --timeout 0 -kernel "$tmp/pass.elf"
expect "--max-insns x" 2 "--max-insns" -- "${NB[@]}" --max-insns x -kernel "$tmp/pass.elf"
expect "--mmu sv64" 2 "--mmu" -- "${NB[@]}" --mmu sv64 -kernel "$tmp/pass.elf"
expect "-machine sifive_u" 2 "-machine" -- -machine sifive_u -bios none -kernel "$tmp/pass.elf"

run --help
if [ $rc -eq 0 ] && grep -q -- "-kernel" <<<"$out" && grep -q -- "--timeout" <<<"$out"; then ok "--help"
else bad "--help: exit $rc, output ${out:0:100}"; fi
run --version
if [ $rc -eq 0 ] && grep -Eq '^hartvm [0-9]' <<<"$out"; then ok "--version"
else bad "--version: exit $rc, output ${out:0:100}"; fi

echo "cli: bad kernels (exit 1 with a message)"
expect "missing -kernel file" 1 "$tmp/nonexistent.elf" -- "${NB[@]}" -kernel "$tmp/nonexistent.elf"
expect "kernel is a directory" 1 "$tmp" -- "${NB[@]}" -kernel "$tmp"
expect "random bytes behind ELF magic" 1 "random.elf: " -- "${NB[@]}" -kernel "$tmp/random.elf"
expect "ELF header only" 1 "zeros.elf: " -- "${NB[@]}" -kernel "$tmp/zeros.elf"
expect "truncated ELF header" 1 "trunc-header.elf: " -- "${NB[@]}" -kernel "$tmp/trunc-header.elf"
expect "truncated ELF" 1 "trunc.elf: " -- "${NB[@]}" -kernel "$tmp/trunc.elf"
expect "x86 ELF" 1 "RISC-V" -- "${NB[@]}" -kernel "$X86"
expect "empty kernel" 1 "empty" -- "${NB[@]}" -kernel "$tmp/empty.bin"
expect "missing -bios file" 1 "$tmp/no-fw.bin" -- -bios "$tmp/no-fw.bin" -nographic -kernel "$tmp/pass.elf"
# pass.elf is linked at 0x8000_0000, where -bios default puts OpenSBI
expect "an ELF kernel over the firmware" 1 "overlaps the firmware" -- -nographic -kernel "$tmp/pass.elf"
if command -v qemu-system-riscv64 >/dev/null; then
    timeout 20 qemu-system-riscv64 -M virt -nographic -kernel "$tmp/pass.elf" </dev/null >/dev/null 2>&1
    q=$?
    check "QEMU refuses the same kernel over its firmware (exit $q)" test "$q" -ne 0 -a "$q" -ne 124
fi
run -machine virt -bios none -nographic
if [ $rc -eq 1 ] || [ $rc -eq 2 ]; then
    if grep -q -- "-kernel" <<<"$err"; then ok "-bios none without -kernel"
    else bad "-bios none without -kernel: message ${err:0:200}"; fi
else
    bad "-bios none without -kernel: exit $rc"
fi

echo "cli: guest exit codes"
expect "guest passes" 0 "" -- "${NB[@]}" -kernel "$tmp/pass.elf" --timeout 20
expect "guest fails with 7" 7 "\b7\b" -- "${NB[@]}" -kernel "$tmp/fail7.elf" --timeout 20
expect "guest fails with 255" 255 "\b255\b" -- "${NB[@]}" -kernel "$tmp/fail255.elf" --timeout 20
expect "guest fails with 256" 1 "\b256\b" -- "${NB[@]}" -kernel "$tmp/fail256.elf" --timeout 20
expect "guest fails with 512" 1 "\b512\b" -- "${NB[@]}" -kernel "$tmp/fail512.elf" --timeout 20
expect "HTIF exit 5" 5 "\b5\b" -- "${NB[@]}" -kernel "$tmp/htif5.elf" --timeout 20
expect "HTIF exit 256" 1 "\b256\b" -- "${NB[@]}" -kernel "$tmp/htif256.elf" --timeout 20
expect "guest passes, -smp 4 -m 256" 0 "" -- "${NB[@]}" -smp 4 -m 256 -kernel "$tmp/pass.elf" --timeout 20

echo "cli: limits"
start=$(date +%s%N)
run "${NB[@]}" -kernel "$tmp/spin.elf" --timeout 1
ms=$((($(date +%s%N) - start) / 1000000))
if [ $rc -eq 124 ] && grep -q "timeout" <<<"$err" && [ $ms -ge 900 ] && [ $ms -lt 10000 ]; then
    ok "spinning guest, --timeout 1 ($ms ms)"
else
    bad "spinning guest, --timeout 1: exit $rc after $ms ms, stderr ${err:0:200}"
fi
expect "spinning guest, --max-insns 1000" 125 "1000" -- "${NB[@]}" -kernel "$tmp/spin.elf" --max-insns 1000
expect "--max-insns beats --timeout" 125 "" -- "${NB[@]}" -kernel "$tmp/spin.elf" --max-insns 100000 --timeout 60
expect "guest exit before --max-insns" 7 "" -- "${NB[@]}" -kernel "$tmp/fail7.elf" --max-insns 1000000
run "${NB[@]}" -kernel "$tmp/spin.elf" --max-insns 5000 --stats
if [ $rc -eq 125 ] && grep -Eq "5000 instructions" <<<"$err"; then ok "--stats counts instructions"
else bad "--stats: exit $rc, stderr ${err:0:300}"; fi

summary

#!/bin/bash
# -d ITEM,... and -D FILE against qemu-system-riscv64 (7.2) on guests of
# our own: the int lines (one per trap: hart, async, cause, epc, tval and
# QEMU's name) and the guest_errors line of an access to no device are the
# same bytes as QEMU's; in_asm prints the same instruction addresses and
# encodings as QEMU's "IN:" blocks; cpu dumps the same integer registers at
# the block starts both dump (fpu adds QEMU's F lines; cpu_reset a dump
# per hart before its reset), exec,nochain has
# QEMU's sequence of blocks; mmu names each translation of a page-mapped
# U-mode guest as QEMU does; guest_errors has QEMU's virtio-mmio lines,
# and names an unimplemented CSR and a register the RTC lacks. -d help,
# QEMU's items that mean nothing here (accepted with a warning), a bad
# item and -D's file.
# Usage: tests/system/qemu_log.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
NAME=qemu_log
. tests/system/lib/check.sh
need_hartvm
need $QEMU $RV_CC

# guest NAME: assemble stdin into $tmp/NAME.elf
guest() { cat >"$tmp/$1.S" && rv_cc "$tmp/$1.elf" "$tmp/$1.S" || bad "assembling $1"; }
# both NAME ITEMS [ARGS...]: run the guest on each with -d ITEMS -D FILE;
# logs in $tmp/h.log and $tmp/q.log, statuses in h_rc and q_rc
both() {
    local g=$1 items=$2; shift 2
    rm -f "$tmp/h.log" "$tmp/q.log"
    timeout 30 "$HARTVM" -bios none -kernel "$tmp/$g.elf" -nographic -d "$items" -D "$tmp/h.log" "$@" \
        </dev/null >"$tmp/h.out" 2>"$tmp/h.err"
    h_rc=$?
    timeout 30 $QEMU -M virt -bios none -kernel "$tmp/$g.elf" -nographic -d "$items" -D "$tmp/q.log" "$@" \
        </dev/null >"$tmp/q.out" 2>&1
    q_rc=$?
}
same() {    # same WHAT FILE1 FILE2
    if cmp -s "$2" "$3"; then ok "$1"; else bad "$1: $(diff "$2" "$3" | head -8)"; fi
}

# Traps of each kind: ecall, an illegal word, a load from where nothing is,
# then a timer interrupt once it is pending (at a fixed instruction); then
# the test finisher.
guest traps <<'EOF'
.globl _start
_start:
    la t0, vec
    csrw mtvec, t0
.option push
.option norvc
    ecall
    .word 0
    lw t1, 0(zero)
.option pop
    li t0, 0x2000000 + 0xbff8
    ld t1, 0(t0)
    addi t1, t1, 100
    li t0, 0x2000000 + 0x4000
    sd t1, 0(t0)
    li t0, 0x80
    csrw mie, t0
1:  wfi                         /* MIE off: wakes, takes nothing */
    csrr t0, mip
    andi t0, t0, 0x80
    beqz t0, 1b
    csrsi mstatus, 8            /* taken here, epc the next one */
    nop
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
2:  j 2b
    .balign 4
vec:
    csrr t1, mcause
    bltz t1, irq
    csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    mret
irq:
    csrw mie, zero
    mret
EOF

both traps int
[ "$h_rc" = 0 ] && [ "$q_rc" = 0 ] && ok "the trap guest passes on both" ||
    bad "trap guest: hartvm $h_rc, QEMU $q_rc"
n=$(grep -c '^riscv_cpu_do_interrupt: ' "$tmp/h.log")
[ "$n" = 4 ] && ok "-d int: one line per trap (4)" || bad "-d int: $n lines, want 4: $(cat "$tmp/h.log")"
same "-d int: the lines are QEMU's (cause, epc, tval, desc)" "$tmp/h.log" "$tmp/q.log"
[ ! -s "$tmp/h.err" ] && ok "-D: nothing of the log on stderr" || bad "stderr: $(cat "$tmp/h.err")"

both traps guest_errors
grep "^Invalid read at addr 0x0," "$tmp/q.log" >"$tmp/q.ge"
grep "^Invalid read at addr 0x0," "$tmp/h.log" >"$tmp/h.ge"
[ -s "$tmp/q.ge" ] && same "-d guest_errors: a read of no device, in QEMU's words" "$tmp/h.ge" "$tmp/q.ge" ||
    bad "QEMU logged no invalid read: $(cat "$tmp/q.log")"
grep -q riscv_cpu_do_interrupt "$tmp/h.log" && bad "-d guest_errors alone logged traps" ||
    ok "-d guest_errors logs no traps"

# in_asm: the instructions listed (address and encoding) are QEMU's
both traps in_asm
cols() { grep '^0x' "$1" | cut -c1-38 | sort -u; }
cols "$tmp/h.log" >"$tmp/h.asm"
cols "$tmp/q.log" >"$tmp/q.asm"
[ "$(wc -l <"$tmp/h.asm")" -gt 20 ] && same "-d in_asm: the same addresses and encodings as QEMU's blocks" \
    "$tmp/h.asm" "$tmp/q.asm" || bad "in_asm: $(wc -l <"$tmp/h.asm") lines"
blocks=$(grep -c '^IN: $' "$tmp/h.log")
[ "$blocks" -ge 8 ] && grep -q '^Priv: 3; Virt: 0$' "$tmp/h.log" && ok "-d in_asm: $blocks IN: blocks" ||
    bad "in_asm: $blocks blocks"
grep -Eq '^0x0000000080000010:  0000 +unimp *$' "$tmp/h.log" && ok "in_asm: our disassembler's text" ||
    bad "in_asm text: $(grep 80000010 "$tmp/h.log")"

# mmu: a U-mode page of our own under Sv39 (identity gigapage for M's
# code, a 4 KiB mapping 0x40000000 -> the user page)
guest paged <<'EOF'
/* link TABLE, INDEX, TARGET, FLAGS: TABLE[INDEX] = a PTE for TARGET */
.macro link table, index, target, flags
    la t0, \target
    srli t0, t0, 12
    slli t0, t0, 10
    ori t0, t0, \flags
    la t1, \table
    sd t0, \index * 8(t1)
.endm
.globl _start
_start:
    la t0, vec
    csrw mtvec, t0
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    link root, 1, l1, 1
    link l1, 0, l0, 1
    link l0, 0, user, 0xdb      /* D A U X R V */
    csrw mstatus, zero          /* MPP = U */
    li t0, 0x40000000
    csrw mepc, t0
    la t0, root
    srli t0, t0, 12
    li t1, 8                    /* Sv39 */
    slli t1, t1, 60
    or t0, t0, t1
    csrw satp, t0
    mret
    .balign 4
vec:
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
    .balign 4096
user:
    ecall
    .balign 4096
root: .zero 4096
l1: .zero 4096
l0: .zero 4096
EOF
both paged mmu
grep -q '^riscv_cpu_tlb_fill ad 40000000 rw 2 mmu_idx 0$' "$tmp/q.log" &&
    grep -q '^riscv_cpu_tlb_fill ad 40000000 rw 2 mmu_idx 0$' "$tmp/h.log" &&
    ok "-d mmu: the U-mode fetch at 0x40000000 as QEMU logs it" ||
    bad "-d mmu: $(grep 40000000 "$tmp/h.log" | head -3)"
pa=$(grep '^riscv_cpu_tlb_fill address=40000000 ret 0 physical ' "$tmp/q.log" | head -1 | awk '{ print $6 }')
grep -q "^riscv_cpu_tlb_fill address=40000000 ret 0 physical $pa\$" "$tmp/h.log" && [ -n "$pa" ] &&
    ok "-d mmu: translated to QEMU's physical address $pa" || bad "-d mmu: physical of 0x40000000 (QEMU: $pa)"

# cpu: at each pc both dump (the first time), the integer registers agree
both paged cpu
regs_at() {     # regs_at LOG: "pc <x lines>" per dump
    awk '/^ pc /{ if (pc) print pc, r; pc = $2; r = "" } /^ x[0-9]/{ r = r $0 } END { if (pc) print pc, r }' "$1" | awk '!seen[$1]++'
}
regs_at "$tmp/h.log" >"$tmp/h.cpu"
regs_at "$tmp/q.log" >"$tmp/q.cpu"
common=$(join <(cut -d' ' -f1 "$tmp/h.cpu" | sort) <(cut -d' ' -f1 "$tmp/q.cpu" | sort) | wc -l)
matched=$(comm -12 <(sort "$tmp/h.cpu") <(sort "$tmp/q.cpu") | wc -l)
[ "$common" -ge 5 ] && [ "$matched" = "$common" ] && ok "-d cpu: $common block starts with QEMU's registers" ||
    bad "-d cpu: $matched of $common common dumps agree"
grep -q '^ mhartid  0000000000000000$' "$tmp/h.log" && ok "-d cpu: CSRs in QEMU's layout" ||
    bad "-d cpu: no mhartid line"
both paged cpu,fpu
grep -q '^ f28/ft8  0000000000000000 f29/ft9 ' "$tmp/h.log" && grep -q '^ f28/ft8 ' "$tmp/q.log" &&
    ok "-d cpu,fpu: the F registers as QEMU prints them" || bad "-d cpu,fpu: no f28 line"

# cpu_reset: each hart's registers before its reset, headed as QEMU's
both traps cpu_reset -smp 2
for f in h q; do grep -q '^CPU Reset (CPU 1)$' "$tmp/$f.log" || echo "$f: no CPU 1"; done >"$tmp/cr"
[ ! -s "$tmp/cr" ] && grep -A1 '^CPU Reset (CPU 0)$' "$tmp/h.log" | grep -q '^ pc       ' &&
    ok "-d cpu_reset: a dump per hart, headed as QEMU's" || bad "-d cpu_reset: $(cat "$tmp/cr")"

# exec,nochain: a Trace line per executed block, the same pcs in the same order
both paged exec,nochain
pcs() { sed -n 's|^Trace 0: 0x[0-9a-f]* \[0*/\([0-9a-f]*\)/.*|\1|p' "$1"; }
pcs "$tmp/h.log" >"$tmp/h.pcs"
pcs "$tmp/q.log" >"$tmp/q.pcs"
[ "$(wc -l <"$tmp/h.pcs")" -ge 10 ] && same "-d exec,nochain: QEMU's blocks, in QEMU's order" \
    "$tmp/h.pcs" "$tmp/q.pcs" || bad "-d exec: $(wc -l <"$tmp/h.pcs") Trace lines"


# guest_errors of a virtio-mmio transport with a disk (slot 7): no register
# at 0xf0 or 0xf4, a byte-wide read; QEMU's lines
guest vmmio <<'EOF'
.globl _start
_start:
    li t0, 0x10008000
    lw t1, 0xf0(t0)
    lb t1, 0(t0)
    sw t1, 0xf4(t0)
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
EOF
truncate -s 64K "$tmp/disk.img"
both vmmio guest_errors -drive "file=$tmp/disk.img,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0
[ "$(grep -c virtio_mmio "$tmp/q.log")" = 3 ] && same "-d guest_errors: virtio-mmio's bad offsets and sizes as QEMU's" \
    "$tmp/h.log" "$tmp/q.log" || bad "virtio-mmio: QEMU logged $(cat "$tmp/q.log")"

# guest_errors of our own: a CSR hartvm lacks, a register the RTC lacks
guest errs <<'EOF'
.globl _start
_start:
    la t0, vec
    csrw mtvec, t0
    csrr t1, 0x7c0
    li t0, 0x101000
    lw t1, 0x18(t0)             /* ALARM_STATUS */
    li t0, 0x101020
    lw t1, 0(t0)
    li t0, 0x100000
    li t1, 0x5555
    sw t1, 0(t0)
1:  j 1b
    .balign 4
vec:
    csrr t1, mepc
    addi t1, t1, 4
    csrw mepc, t1
    mret
EOF
"$HARTVM" -bios none -kernel "$tmp/errs.elf" -nographic -d guest_errors </dev/null >/dev/null 2>"$tmp/e.err"
rc=$?
grep -Eq '^hart 0: access to unimplemented CSR 0x7c0 at pc 0x0+800000' "$tmp/e.err" &&
    ok "guest_errors to stderr without -D: the unimplemented CSR" || bad "rc $rc, stderr: $(cat "$tmp/e.err")"
grep -q '^goldfish_rtc_read: offset 0x20 is UNIMP.$' "$tmp/e.err" && ! grep -q 'offset 0x18' "$tmp/e.err" &&
    ok "guest_errors: the RTC offset it lacks, and only that" || bad "RTC: $(cat "$tmp/e.err")"
"$HARTVM" -bios none -kernel "$tmp/errs.elf" -nographic </dev/null >/dev/null 2>"$tmp/e.err"
[ ! -s "$tmp/e.err" ] && ok "without -d nothing is logged" || bad "without -d: $(cat "$tmp/e.err")"

# -d help, a bad item, -D where no file can be
"$HARTVM" -d help >"$tmp/help" 2>&1
rc=$?
$QEMU -d help >"$tmp/qhelp" 2>&1
missing=$(for i in int guest_errors unimp in_asm exec cpu fpu mmu nochain out_asm op pcall strace; do
    grep -q "^$i " "$tmp/help" && grep -q "^$i " "$tmp/qhelp" || echo "$i"; done)
[ "$rc" = 0 ] && [ -z "$missing" ] && head -1 "$tmp/help" | grep -q '^Log items (comma separated):$' &&
    ok "-d help lists the items as QEMU does" || bad "-d help: rc $rc, missing: $missing"
"$HARTVM" -bios none -kernel "$tmp/traps.elf" -nographic -d out_asm,int,op -D "$tmp/h.log" \
    </dev/null >/dev/null 2>"$tmp/e.err"
rc=$?
[ "$rc" = 0 ] && grep -q '^hartvm: warning: -d out_asm,op accepted but not honoured' "$tmp/e.err" &&
    [ "$(grep -c riscv_cpu_do_interrupt "$tmp/h.log")" = 4 ] &&
    ok "QEMU's out_asm and op: accepted with a warning, int still logged" || bad "out_asm: rc $rc, $(cat "$tmp/e.err")"
"$HARTVM" -bios none -kernel "$tmp/traps.elf" -nographic -d int,nosuch </dev/null >/dev/null 2>"$tmp/e.err"
rc=$?
[ "$rc" = 2 ] && grep -q "unknown log item 'nosuch'" "$tmp/e.err" && ok "an unknown item: usage error" ||
    bad "unknown item: rc $rc, $(cat "$tmp/e.err")"
"$HARTVM" -bios none -kernel "$tmp/traps.elf" -nographic -d int -D "$tmp/no/such/dir/log" \
    </dev/null >/dev/null 2>"$tmp/e.err"
rc=$?
[ "$rc" = 1 ] && grep -q -- "-D $tmp/no/such/dir/log" "$tmp/e.err" && ok "-D into no directory: an error" ||
    bad "-D: rc $rc, $(cat "$tmp/e.err")"

summary

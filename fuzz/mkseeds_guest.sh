#!/bin/bash
# Regenerate fuzz/corpus/guest/ from the ISA test programs (run after
# `make isa`; $1 = build dir). Each seed is a fuzz_guest input: a 32-byte
# header, 8 page-table records, then the program's image at 0x8000_0000.
# Seeds: a selection of programs in M mode, bare; a few in S mode under an
# Sv39 identity gigapage (VA 0x8000_0000 -> PA 0x8000_0000, RWX, A and D set).
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
out=fuzz/corpus/guest
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hdr() {   # priv satp
    printf "\\x$1\\x$2"; head -c 30 /dev/zero
}
pte_identity() {   # slot 2 of table 0: V R W X A D, target RAM page 0
    printf '\x02\x00\xcf\x00\x00\x00\x00\x00'; head -c 56 /dev/zero
}
M="csr_counters csr_mstatus fp_arith fp_state mmu_sv39 pmp_deny priv_deleg priv_irq
   priv_misaligned rv64a rv64i_mem rv64i_smc rv64i_straddle rvc"
S="priv_xret rv64i_alu rvc fp_cmp"
rm -f "$out"/m-* "$out"/s-*
for n in $M $S; do
    elf=$BUILD/tests/isa/$n.elf
    riscv64-unknown-elf-objcopy -O binary "$elf" "$tmp/img"
    head -c 49152 "$tmp/img" > "$tmp/img48"
    case " $M " in *" $n "*) { hdr 03 00; head -c 64 /dev/zero; cat "$tmp/img48"; } > "$out/m-$n";; esac
    case " $S " in *" $n "*) { hdr 01 01; pte_identity; cat "$tmp/img48"; } > "$out/s-$n";; esac
done
ls "$out" | wc -l

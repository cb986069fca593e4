#!/bin/bash
# Compare hartvm's disassembler with riscv64-unknown-elf-objdump -d:
#   tests/disasm/run.sh BUILD/disasm-check
# over Debian's OpenSBI and U-Boot ELFs, our built tests/isa ELFs and a
# generated coverage file (every 16-bit encoding, random encodings of every
# 32-bit table entry, every CSR number; also read under privileged specs
# 1.10 and 1.11, whose CSR names differ).
# disasm-check prints each mismatch and "disasm: P passed, F failed".
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 DISASM-CHECK" >&2
    exit 2
fi
check=$1
objdump=riscv64-unknown-elf-objdump
NAME=disasm
. "$(dirname "$0")/../system/lib/check.sh"
work=$tmp
elfs=(/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf
      /usr/lib/u-boot/qemu-riscv64_smode/uboot.elf)
# our own ISA test programs too, when they have been built
for elf in "$(dirname "$check")"/tests/isa/*.elf; do
    [ -e "$elf" ] && elfs+=("$elf")
done

# The coverage file: every extension the table has that binutils 2.40 knows
# (Zicond, Zimop, Zcb and Zcmop it does not know: their encodings come out as
# data and are counted apart; Zihintntl's hints it prints as add; gcc 12's
# -march lacks Svinval and Zicbo*, the assembler's takes them).
"$check" gen 1 > "$work/cover.S" &&
    riscv64-unknown-elf-gcc -c -march=rv64gc_zba_zbb_zbs_zbc_zbkb_zbkc_zbkx_zfh \
        -Wa,-march=rv64gc_zba_zbb_zbs_zbc_zbkb_zbkc_zbkx_zfh_svinval_zicbom_zicboz "$work/cover.S" \
        -o "$work/cover.o" ||
    give_up "cannot build the coverage file"
elfs+=("$work/cover.o")

for elf in "${elfs[@]}"; do
    if [ ! -r "$elf" ]; then
        echo "@file $elf"
        echo "missing: $elf (make deps installs it)" >&2
        continue
    fi
    echo "@file $(basename "$elf")"
    # Where the source placed data among instructions ($d mapping symbols,
    # alignment padding) objdump shows data whatever the bytes decode to.
    # Without such symbols, data means "not an instruction" (checked).
    riscv64-unknown-elf-readelf -s "$elf" | grep -q ' \$d$' && echo "@mapped"
    # objdump names CSRs as the ELF's privileged spec version says (1.12 if unset)
    # objdump decodes the extensions the ELF's arch attribute names
    riscv64-unknown-elf-readelf -A "$elf" | awk '/Tag_RISCV_arch:/ { print "@arch " $2 }'
    riscv64-unknown-elf-readelf -A "$elf" | awk '
        /Tag_RISCV_priv_spec:/ { major = $2 } /Tag_RISCV_priv_spec_minor:/ { minor = $2 }
        END { if (major != "") printf "@priv %d\n", major * 100 + minor }'
    "$objdump" -d "$elf"
    # the coverage file again under older privileged specs: CSR names differ
    if [ "$elf" = "$work/cover.o" ]; then
        for v in 1.10 1.11; do
            echo "@file cover.o (priv-spec $v)"
            echo "@priv ${v/./}"
            "$objdump" -M priv-spec=$v -d "$elf"
        done
    fi
done > "$work/dump"
# Zfa, which binutils 2.40 lacks, against LLVM 19's disassembler instead
llvm_objdump=llvm-objdump-19
command -v $llvm_objdump >/dev/null || give_up "$llvm_objdump is missing (make deps installs llvm-19)"
$llvm_objdump -d --mattr=+f,+d,+zfh,+zfa "$work/cover.o" > "$work/llvm" ||
    give_up "$llvm_objdump cannot read the coverage file"
"$check" llvm < "$work/llvm"
zfa_status=$?
"$check" < "$work/dump" && exit $zfa_status

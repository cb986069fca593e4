#!/bin/bash
# -cpu against qemu-system-riscv64 (7.2): every line of cpu_lines.txt is
# accepted or refused as QEMU does it (or as the file says hartvm differs),
# and an accepted line gives the device tree riscv,isa and mmu-type QEMU's
# gives. Then tests/system/cpu_guest.S runs one instruction of an extension
# with the extension on (it works) and off (illegal instruction), and reads
# misa, on hartvm and on QEMU for the same -cpu line.
# Usage: tests/system/cpu_options.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
NAME=cpu_options
. tests/system/lib/check.sh
need_hartvm
need $QEMU dtc $RV_CC

# prop FILE NAME: the string property NAME of /cpus/cpu@0 in a dtb.
prop() { dtc -I dtb -O dts "$1" 2>/dev/null | awk -v p="$2" '$1 == p { sub(/.*= "/, ""); sub(/";.*/, ""); print; exit }'; }
# QEMU's rv64 has H; hartvm has Zicond and Zihintntl, which QEMU 7.2 lacks;
# with Zfh hartvm names the Zfhmin it implies, as later QEMU versions do.
qemu_isa() { sed -e 's/^\(rv64[a-z]*\)h/\1/' <<<"$1"; }
ours_isa() { sed -e 's/_zicond//' -e 's/_zihintntl//' -e 's/_zfh_zfhmin/_zfh/' <<<"$1"; }

# run_both LINE: status and trees of both emulators in $h_rc $q_rc $h_err,
# $tmp/h.dtb and $tmp/q.dtb. QEMU is given -bios none so it loads nothing;
# hartvm wants a kernel with -bios none, so it keeps its default firmware.
run_both() {
    rm -f "$tmp/h.dtb" "$tmp/q.dtb"
    "$HARTVM" -nographic -cpu "$1" -machine "virt,dumpdtb=$tmp/h.dtb" \
        </dev/null >/dev/null 2>"$tmp/h.err"
    h_rc=$?
    h_err=$(cat "$tmp/h.err")
    timeout 20 $QEMU -M virt -bios none -nographic -cpu "$1" -machine "dumpdtb=$tmp/q.dtb" \
        </dev/null >/dev/null 2>&1
    q_rc=$?
}

lines=0
while IFS='|' read -r expect line words; do
    expect=$(echo $expect); line=$(echo $line); words=$(echo "$words" | sed 's/^ *//; s/ *$//')
    case $expect in ''|'#'*) continue ;; esac
    lines=$((lines + 1))
    run_both "$line"
    case $expect in
    same)
        if [ $h_rc -ne 0 ] || [ $q_rc -ne 0 ]; then
            bad "-cpu $line: hartvm $h_rc, QEMU $q_rc (both should accept): $h_err"; continue
        fi
        hi=$(ours_isa "$(prop "$tmp/h.dtb" riscv,isa)"); qi=$(qemu_isa "$(prop "$tmp/q.dtb" riscv,isa)")
        [ -n "$hi" ] && [ "$hi" = "$qi" ] && ok "-cpu $line: riscv,isa $hi" ||
            bad "-cpu $line: riscv,isa '$hi', QEMU's '$qi'"
        hm=$(prop "$tmp/h.dtb" mmu-type); qm=$(prop "$tmp/q.dtb" mmu-type)
        [ -n "$hm" ] && [ "$hm" = "$qm" ] && ok "-cpu $line: mmu-type $hm" ||
            bad "-cpu $line: mmu-type '$hm', QEMU's '$qm'" ;;
    both-refuse|hartvm-refuses)
        want_q=$([ $expect = both-refuse ] && echo refuses || echo accepts)
        if [ $h_rc -ne 2 ]; then bad "-cpu $line: hartvm exit $h_rc, want 2 (usage error)"
        elif ! grep -qF -- "$words" <<<"$h_err"; then bad "-cpu $line: message '$h_err' lacks '$words'"
        elif [ $want_q = refuses ] && [ $q_rc -eq 0 ]; then bad "-cpu $line: QEMU accepts it now"
        elif [ $want_q = accepts ] && [ $q_rc -ne 0 ]; then bad "-cpu $line: QEMU refuses it now"
        else ok "-cpu $line: refused ($words), QEMU $want_q"; fi ;;
    hartvm-accepts)
        [ $h_rc -eq 0 ] && [ -s "$tmp/h.dtb" ] && [ $q_rc -ne 0 ] &&
            ok "-cpu $line: accepted, QEMU 7.2 refuses" ||
            bad "-cpu $line: hartvm $h_rc, QEMU $q_rc (want 0 and a refusal)" ;;
    *) bad "cpu_lines.txt: unknown expectation '$expect'" ;;
    esac
done < tests/system/cpu_lines.txt
[ $lines -ge 40 ] && ok "corpus: $lines lines" || bad "corpus: only $lines lines"

# ---- guests: one instruction with its extension on and off --------------
# build TEST: $tmp/TEST.elf from cpu_guest.S -DTEST_TEST (or -DMISA_BIT=N).
build() { rv_cc "$tmp/$1.elf" tests/system/cpu_guest.S -march=rv64gc_zba_zbb_zbs_zicsr_zifencei "-D$2" ||
          give_up "cannot build cpu_guest.S -D$2"; }
# guest ELF CPU WANT [qemu]: hartvm's exit status is WANT, and QEMU's too
# when asked (the line must be one QEMU 7.2 takes).
guest() {
    "$HARTVM" -bios none -nographic --timeout 10 -cpu "$2" -kernel "$tmp/$1.elf" </dev/null >/dev/null 2>&1
    local rc=$?
    if [ $rc -ne "$3" ]; then bad "$1 under -cpu $2: exit $rc, want $3"; return; fi
    if [ "${4-}" = qemu ]; then
        timeout 10 $QEMU -M virt -bios none -nographic -cpu "$2" -kernel "$tmp/$1.elf" </dev/null >/dev/null 2>&1
        local q=$?
        [ $q -eq "$3" ] || { bad "$1 under -cpu $2: QEMU exits $q, hartvm $rc"; return; }
    fi
    ok "$1 under -cpu $2: exit $3${4:+ as on QEMU}"
}
# ext TEST PROPERTY [EXTRA]: works with it on, illegal instruction with it
# off, on both emulators.
ext() {
    build "$1" "TEST_$1"
    guest "$1" "rv64,$2=true${3-}" 0 qemu
    guest "$1" "rv64,$2=false${3-}" 3 qemu
}
ext ZBA zba
ext ZBB zbb
ext ZBS zbs
ext M m
ext A a
ext C c
ext F f ",d=false"
ext D d
ext ZIFENCEI Zifencei
ext SSTC sstc
ext PMP pmp
ext ZBC zbc
ext ZBKB zbkb
ext ZBKX zbkx
# Zbkc: clmul with Zbc off; Zbc's clmulr needs Zbc
ext ZBKC zbkc ",zbc=false"
guest ZBC rv64,zbc=false,zbkc=true 3 qemu
# rv64 leaves Zbk* off, as QEMU 7.2's rv64 does
guest ZBKB rv64 3 qemu
# tests/isa/bitmanip.py's Zbc and Zbk* cases (spec pseudo-code) on both
python3 tests/isa/bitmanip.py --zbk > "$tmp/zbk.S" &&
    rv_cc "$tmp/zbk.elf" "$tmp/zbk.S" -march=rv64gc -I tests/isa || give_up "cannot build the Zbk* cases"
guest zbk rv64,zbkb=true,zbkc=true,zbkx=true 0 qemu
guest zbk rv64,zbkb=true,zbkc=true,zbkx=true,zbc=false 61 qemu      # case 61, clmulr: Zbc's alone
ext SDTRIG debug
# Zicond, Zimop, Zcb, Zcmop: QEMU 7.2 has none, so hartvm alone
build ZICOND TEST_ZICOND
guest ZICOND rv64 0
guest ZICOND rv64,zicond=false 3
for e in ZIMOP ZCB ZCMOP; do
    p=$(tr A-Z a-z <<<"$e")
    build $e TEST_$e
    guest $e "rv64,$p=true" 0
    guest $e rv64 3
    guest $e max 0
    guest $e "max,$p=false" 3
done
guest ZCB max,m=false 3             # c.mul is M's too
# Zfhmin and Zfh (QEMU 7.2's Zfh, Zfhmin); Zfh implies Zfhmin
ext ZFHMIN Zfhmin
ext ZFH Zfh
guest ZFH rv64,Zfhmin=true 3 qemu
guest ZFHMIN rv64,Zfh=true 0 qemu
guest ZFH rv64 3 qemu               # QEMU 7.2's rv64 has neither
guest ZFH max 0
# tests/isa/zfh.S (spec-derived values) on both emulators
rv_cc "$tmp/zfh.elf" tests/isa/zfh.S -march=rv64gc_zfh -I tests/isa -T tests/isa/link.ld ||
    give_up "cannot build tests/isa/zfh.S"
guest zfh rv64,Zfh=true 0 qemu
# Zfa: QEMU 7.2 lacks it; fli.d needs D, fli.h Zfh
for t in ZFA ZFA_D; do
    build $t TEST_$t
    guest $t rv64,zfa=true 0
    guest $t rv64 3
    guest $t max 0
    guest $t max,zfa=false 3
done
guest ZFA_D rv64,zfa=true,d=false 3
build ZFA_H TEST_ZFA_H
guest ZFA_H rv64,zfa=true 3
guest ZFA_H rv64,zfa=true,zfh=true 0
guest ZFA_H max 0
# misa (privileged spec 3.1.1): 5 if the letter's bit is set, 6 if clear
build misa_c MISA_BIT=2
guest misa_c rv64 5 qemu
guest misa_c rv64,c=false 6 qemu
build misa_m MISA_BIT=12
guest misa_m rv64,m=false 6 qemu
build misa_f MISA_BIT=5
guest misa_f rv64,f=false,d=false 6 qemu
guest misa_f rv64,d=false 5 qemu
summary

/* Extensions by op (cpu/isa.h): ranges of insn_table.def, whose sections
 * each hold one extension's encodings, and their names. */
#include "isa.h"

#define B(e) ISA_BIT(ISA_##e)

/* A switch over ranges of ops (a jump table): the decoder asks once per
 * instruction it decodes. Ranges an op of two extensions splits are
 * spelled out: Zbkb has Zbb's negated logic, zext.h (packw with rs2 = x0),
 * rotates and rev8 (unprivileged spec "Zbkb"); Zbkc has clmul, clmulh. */
isa_set isa_op_exts(unsigned op)
{
    switch (op) {
    case OP_fence_i:                       return B(ZIFENCEI);
    case OP_mul ... OP_remuw:              return B(M);
    case OP_lr_w ... OP_amomaxu_d:         return B(A);
    case OP_amocas_w ... OP_amocas_q:      return B(ZACAS);
    case OP_wrs_nto ... OP_wrs_sto:        return B(ZAWRS);
    case OP_csrrw ... OP_csrrci:           return B(ZICSR);
    case OP_flw ... OP_fmv_w_x:            return B(F);
    case OP_fld ... OP_fmv_d_x:            return B(D);
    case OP_flh ... OP_fcvt_h_d:           return B(ZFHMIN) | B(ZFH);
    case OP_fmadd_h ... OP_fcvt_h_lu:      return B(ZFH);
    case OP_fli_s ... OP_fltq_h:           return B(ZFA);
    case OP_add_uw ... OP_slli_uw:         return B(ZBA);
    case OP_andn ... OP_xnor:              return B(ZBB) | B(ZBKB);
    case OP_clz ... OP_orc_b:              return B(ZBB);
    case OP_zext_h ... OP_rev8:            return B(ZBB) | B(ZBKB);
    case OP_bclr ... OP_bseti:             return B(ZBS);
    case OP_czero_eqz ... OP_czero_nez:    return B(ZICOND);
    case OP_clmul ... OP_clmulh:           return B(ZBC) | B(ZBKC);
    case OP_clmulr:                        return B(ZBC);
    case OP_pack ... OP_brev8:             return B(ZBKB);
    case OP_xperm4 ... OP_xperm8:          return B(ZBKX);
    case OP_mop_r ... OP_mop_rr:           return B(ZIMOP);
    case OP_sinval_vma ... OP_sfence_inval_ir: return B(SVINVAL);
    case OP_cbo_inval ... OP_cbo_flush:    return B(ZICBOM);
    case OP_cbo_zero:                      return B(ZICBOZ);
    default:                               return 0;
    }
}

isa_set isa_op_needs(unsigned op)
{
    switch (op) {
    case OP_fcvt_d_h ... OP_fcvt_h_d:      return B(D);
    case OP_fli_d ... OP_fcvtmod_w_d:      return B(D);
    case OP_fli_h ... OP_fltq_h:           return B(ZFH);
    default:                               return 0;
    }
}

isa_set isa_cop_exts(unsigned cop)
{
    switch (cop) {
    case COP_c_lbu ... COP_c_mul:          return B(ZCB);
    case COP_c_mop:                        return B(ZCMOP);
    default:                               return 0;
    }
}

/*
 * The named-only entries hold for every hart hartvm builds:
 *   zicntr      cycle, time and instret are always readable (csr.c)
 *   zihpm       hpmcounter3.. (pmu-num of them, cpu/pmu.c); dropped with pmu-num=0
 *   zic64b      CMO blocks are 64 bytes, naturally aligned (cmo.c, the tree's
 *               riscv,cbo*-block-size)
 *   ziccamoa    every AMO works on RAM (all of it is main memory)
 *   ziccif      RAM holds code; a fetch reads the bytes of one store or the other
 *               (one host thread, stores invalidate decoded pages first)
 *   zicclsm     misaligned loads and stores to RAM are done by the hart (misaligned.c)
 *   ziccrse     LR/SC on RAM eventually succeed (a reservation is lost only to a
 *               store, an SC or a switch of harts)
 *   za64rs      a reservation set is the one aligned word or doubleword LR named
 *   ssccptr     page-table walks read RAM (mmu.c reads it directly)
 *   sscounterenw every bit of scounteren is writable (csr.c)
 *   sstvala     stval/mtval get the faulting address, the illegal instruction's bits
 *               and ebreak's pc (trap entry paths in exec.c and mmu.c)
 *   sstvecd     stvec takes Direct mode with any 4-byte aligned base (csr.c)
 *   ssu64xl     UXL is 64 (mstatus reads UXL = 2)
 * Not claimed: Zama16b (misaligned AMOs and LR/SC trap, they are not done
 * atomically within 16 bytes).
 */
const struct isa_name isa_names[] = {
    { -1, "i" }, { ISA_M, "m" }, { ISA_A, "a" }, { ISA_F, "f" }, { ISA_D, "d" }, { ISA_C, "c" },
    { ISA_ZIC64B, "zic64b" }, { ISA_ZICBOM, "zicbom" }, { ISA_ZICBOP, "zicbop" },
    { ISA_ZICBOZ, "zicboz" }, { ISA_ZICCAMOA, "ziccamoa" }, { ISA_ZICCIF, "ziccif" },
    { ISA_ZICCLSM, "zicclsm" }, { ISA_ZICCRSE, "ziccrse" }, { ISA_ZICNTR, "zicntr" },
    { ISA_ZICOND, "zicond" }, { ISA_ZICSR, "zicsr" }, { ISA_ZIFENCEI, "zifencei" },
    { ISA_ZIHINTNTL, "zihintntl" }, { ISA_ZIHINTPAUSE, "zihintpause" }, { ISA_ZIHPM, "zihpm" },
    { ISA_ZIMOP, "zimop" },
    { ISA_ZA64RS, "za64rs" }, { ISA_ZACAS, "zacas" }, { ISA_ZAWRS, "zawrs" },
    { ISA_ZFA, "zfa" }, { ISA_ZFH, "zfh" }, { ISA_ZFHMIN, "zfhmin" },
    { ISA_ZCB, "zcb" }, { ISA_ZCMOP, "zcmop" },
    { ISA_ZBA, "zba" }, { ISA_ZBB, "zbb" }, { ISA_ZBC, "zbc" }, { ISA_ZBKB, "zbkb" },
    { ISA_ZBKC, "zbkc" }, { ISA_ZBKX, "zbkx" }, { ISA_ZBS, "zbs" }, { ISA_ZKT, "zkt" },
    { ISA_SMCNTRPMF, "smcntrpmf" }, { ISA_SMSTATEEN, "smstateen" }, { ISA_SSCCPTR, "ssccptr" },
    { ISA_SSCOFPMF, "sscofpmf" }, { ISA_SSCOUNTERENW, "sscounterenw" }, { ISA_SSTC, "sstc" },
    { ISA_SSTVALA, "sstvala" }, { ISA_SSTVECD, "sstvecd" }, { ISA_SSU64XL, "ssu64xl" },
    { ISA_SVADU, "svadu" }, { ISA_SVINVAL, "svinval" }, { ISA_SVNAPOT, "svnapot" },
    { ISA_SVPBMT, "svpbmt" },
};
const unsigned isa_names_len = sizeof isa_names / sizeof isa_names[0];

uint64_t isa_misa(isa_set off)
{
    /* MXL = 2: XLEN 64 (privileged spec 3.1.1); S and U always */
    uint64_t misa = 2ull << 62 | 1u << ('S' - 'A') | 1u << ('U' - 'A');
    for (unsigned i = 0; i < isa_names_len; i++) {
        int e = isa_names[i].ext;
        if (!isa_names[i].name[1] && (e < 0 || !(off & ISA_BIT(e))))
            misa |= 1u << (isa_names[i].name[0] - 'a');
    }
    return misa;
}

/* Extensions by op (cpu/isa.h): ranges of insn_table.def, whose sections
 * each hold one extension's encodings. */
#include "isa.h"

int isa_op_ext(unsigned op)
{
    static const struct { unsigned first, last; int ext; } ranges[] = {
        { OP_fence_i, OP_fence_i, ISA_ZIFENCEI },
        { OP_mul, OP_remuw, ISA_M },
        { OP_lr_w, OP_amomaxu_d, ISA_A },
        { OP_amocas_w, OP_amocas_q, ISA_ZACAS },
        { OP_wrs_nto, OP_wrs_sto, ISA_ZAWRS },
        { OP_csrrw, OP_csrrci, ISA_ZICSR },
        { OP_flw, OP_fmv_w_x, ISA_F },
        { OP_fld, OP_fmv_d_x, ISA_D },
        { OP_add_uw, OP_slli_uw, ISA_ZBA },
        { OP_andn, OP_rev8, ISA_ZBB },
        { OP_bclr, OP_bseti, ISA_ZBS },
        { OP_czero_eqz, OP_czero_nez, ISA_ZICOND },
        { OP_sinval_vma, OP_sfence_inval_ir, ISA_SVINVAL },
        { OP_cbo_inval, OP_cbo_flush, ISA_ZICBOM },
        { OP_cbo_zero, OP_cbo_zero, ISA_ZICBOZ },
    };
    for (unsigned i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (op >= ranges[i].first && op <= ranges[i].last)
            return ranges[i].ext;
    return -1;
}

uint64_t isa_misa(uint32_t off)
{
    static const struct { char letter; int ext; } letters[] = {
        { 'M', ISA_M }, { 'A', ISA_A }, { 'F', ISA_F }, { 'D', ISA_D }, { 'C', ISA_C },
    };
    /* MXL = 2: XLEN 64 (privileged spec 3.1.1) */
    uint64_t misa = 2ull << 62 | 1u << ('I' - 'A') | 1u << ('S' - 'A') | 1u << ('U' - 'A');
    for (unsigned i = 0; i < sizeof letters / sizeof letters[0]; i++)
        if (!(off & ISA_BIT(letters[i].ext)))
            misa |= 1u << (letters[i].letter - 'A');
    return misa;
}

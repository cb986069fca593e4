/* Extensions by op (cpu/isa.h): ranges of insn_table.def, whose sections
 * each hold one extension's encodings, and their names. */
#include "isa.h"

struct isa_range { unsigned first, last; int ext; };

static uint32_t ranges_exts(const struct isa_range *r, unsigned n, unsigned op)
{
    uint32_t e = 0;
    for (unsigned i = 0; i < n; i++)
        if (op >= r[i].first && op <= r[i].last)
            e |= ISA_BIT(r[i].ext);
    return e;
}
#define RANGES_EXTS(table, op) ranges_exts(table, sizeof table / sizeof table[0], op)

uint32_t isa_op_exts(unsigned op)
{
    static const struct isa_range ranges[] = {
        { OP_fence_i, OP_fence_i, ISA_ZIFENCEI },
        { OP_mul, OP_remuw, ISA_M },
        { OP_lr_w, OP_amomaxu_d, ISA_A },
        { OP_csrrw, OP_csrrci, ISA_ZICSR },
        { OP_flw, OP_fmv_w_x, ISA_F },
        { OP_fld, OP_fmv_d_x, ISA_D },
        { OP_add_uw, OP_slli_uw, ISA_ZBA },
        { OP_andn, OP_rev8, ISA_ZBB },
        { OP_bclr, OP_bseti, ISA_ZBS },
        { OP_czero_eqz, OP_czero_nez, ISA_ZICOND },
        { OP_clmul, OP_clmulr, ISA_ZBC },
        /* Zbkb: its own ops, and Zbb's rotates, negated logic, rev8 and
         * zext.h (packw with rs2 = x0), unprivileged spec "Zbkb" */
        { OP_pack, OP_brev8, ISA_ZBKB },
        { OP_andn, OP_xnor, ISA_ZBKB },
        { OP_zext_h, OP_rev8, ISA_ZBKB },
        { OP_clmul, OP_clmulh, ISA_ZBKC },
        { OP_xperm4, OP_xperm8, ISA_ZBKX },
        { OP_mop_r, OP_mop_rr, ISA_ZIMOP },
        { OP_sinval_vma, OP_sfence_inval_ir, ISA_SVINVAL },
    };
    return RANGES_EXTS(ranges, op);
}

uint32_t isa_cop_exts(unsigned cop)
{
    static const struct isa_range ranges[] = {
        { COP_c_lbu, COP_c_mul, ISA_ZCB },
        { COP_c_mop, COP_c_mop, ISA_ZCMOP },
    };
    return RANGES_EXTS(ranges, cop);
}

const struct isa_name isa_names[] = {
    { -1, "i" }, { ISA_M, "m" }, { ISA_A, "a" }, { ISA_F, "f" }, { ISA_D, "d" }, { ISA_C, "c" },
    { ISA_ZICOND, "zicond" }, { ISA_ZICSR, "zicsr" }, { ISA_ZIFENCEI, "zifencei" },
    { ISA_ZIHINTNTL, "zihintntl" }, { ISA_ZIHINTPAUSE, "zihintpause" }, { ISA_ZIMOP, "zimop" },
    { ISA_ZCB, "zcb" }, { ISA_ZCMOP, "zcmop" },
    { ISA_ZBA, "zba" }, { ISA_ZBB, "zbb" }, { ISA_ZBC, "zbc" }, { ISA_ZBKB, "zbkb" },
    { ISA_ZBKC, "zbkc" }, { ISA_ZBKX, "zbkx" }, { ISA_ZBS, "zbs" }, { ISA_ZKT, "zkt" },
    { ISA_SSTC, "sstc" }, { ISA_SVINVAL, "svinval" }, { ISA_SVNAPOT, "svnapot" },
    { ISA_SVPBMT, "svpbmt" },
};
const unsigned isa_names_len = sizeof isa_names / sizeof isa_names[0];

uint64_t isa_misa(uint32_t off)
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

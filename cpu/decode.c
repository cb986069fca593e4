/* Decoder: table lookup for 32-bit encodings, expansion for RVC. */
#include "insn.h"
#include <string.h>

const struct insn_desc insn_table[] = {
#define INSN(op, mn, match, mask, fmt) [OP_##op] = { mn, match, mask, fmt },
#include "insn_table.def"
};
const int insn_table_len = OP__DECODE;

const struct cinsn_desc cinsn_table[] = {
#define CINSN(id, mn, match, mask, cfmt, op) [COP_##id] = { mn, match, mask, cfmt, OP_##op },
#include "insn_table.def"
};
const int cinsn_table_len = COP__COUNT;

static inline uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }
static inline int32_t sext(uint32_t v, int width) { return (int32_t)(v << (32 - width)) >> (32 - width); }

/* Formats whose rd is an integer register that the instruction writes. */
static int writes_xrd(enum insn_format f)
{
    switch (f) {
    case F_R: case F_I: case F_SH: case F_L: case F_U: case F_J: case F_JALR:
    case F_CSR: case F_CSRI: case F_AMO: case F_LR: case F_R1: case F_FX: case F_FCMP:
    case F_MOP:
        return 1;
    default:
        return 0;
    }
}

static void decode32(uint32_t b, struct dinsn *d)
{
    int i;
    for (i = 0; i < insn_table_len; i++)
        if ((b & insn_table[i].mask) == insn_table[i].match)
            break;
    if (i == insn_table_len) {
        d->op = OP__ILLEGAL;
        return;
    }
    const struct insn_desc *t = &insn_table[i];
    d->op = i;
    d->rd = bits(b, 11, 7);
    d->rs1 = bits(b, 19, 15);
    d->rs2 = bits(b, 24, 20);
    switch (t->fmt) {
    case F_I: case F_L: case F_JALR: case F_FENCE: case F_FL:
        d->imm = sext(bits(b, 31, 20), 12);
        break;
    case F_SH:
        d->imm = bits(b, 25, 20);
        break;
    case F_S: case F_FS:
        d->imm = sext(bits(b, 31, 25) << 5 | bits(b, 11, 7), 12);
        break;
    case F_B:
        d->imm = sext(bits(b, 31, 31) << 12 | bits(b, 7, 7) << 11 |
                      bits(b, 30, 25) << 5 | bits(b, 11, 8) << 1, 13);
        break;
    case F_U:
        d->imm = (int32_t)(b & 0xfffff000);
        break;
    case F_J:
        d->imm = sext(bits(b, 31, 31) << 20 | bits(b, 19, 12) << 12 |
                      bits(b, 20, 20) << 11 | bits(b, 30, 21) << 1, 21);
        break;
    case F_CSR: case F_CSRI:
        d->imm = bits(b, 31, 20);
        break;
    case F_FR4:
        d->rs3 = bits(b, 31, 27);
        d->imm = 0;
        break;
    default:
        d->imm = 0;
    }
    if (writes_xrd(t->fmt) && d->rd == 0)
        d->rd = X_SINK;
}

/* Expand a 16-bit instruction into its 32-bit equivalent's fields.
 * Returns 0 for reserved encodings (RVC spec, "RVC Instruction Set Listings"). */
static int expand16(uint32_t b, const struct cinsn_desc *c, struct dinsn *d)
{
    unsigned rdp = 8 + bits(b, 4, 2), rs1p = 8 + bits(b, 9, 7);
    unsigned rd = bits(b, 11, 7), rs2 = bits(b, 6, 2);
    int32_t imm6 = sext(bits(b, 12, 12) << 5 | bits(b, 6, 2), 6);
    unsigned shamt = bits(b, 12, 12) << 5 | bits(b, 6, 2);

    d->rd = d->rs1 = d->rs2 = 0;
    d->imm = 0;
    switch (c->fmt) {
    case CF_ADDI4SPN:
        d->rd = rdp; d->rs1 = 2;
        d->imm = bits(b, 12, 11) << 4 | bits(b, 10, 7) << 6 | bits(b, 6, 6) << 2 | bits(b, 5, 5) << 3;
        return d->imm != 0;
    case CF_LW: case CF_SW:
        d->rs1 = rs1p;
        d->imm = bits(b, 12, 10) << 3 | bits(b, 6, 6) << 2 | bits(b, 5, 5) << 6;
        if (c->fmt == CF_LW) d->rd = rdp; else d->rs2 = rdp;
        return 1;
    case CF_LD: case CF_SD:
        d->rs1 = rs1p;
        d->imm = bits(b, 12, 10) << 3 | bits(b, 6, 5) << 6;
        if (c->fmt == CF_LD) d->rd = rdp; else d->rs2 = rdp;
        return 1;
    case CF_NOP:
        d->imm = imm6;                  /* nonzero imm: a HINT */
        return 1;
    case CF_ADDI:
        d->rd = d->rs1 = rd; d->imm = imm6;
        return 1;
    case CF_ADDIW:
        d->rd = d->rs1 = rd; d->imm = imm6;
        return rd != 0;
    case CF_LI:
        d->rd = rd; d->imm = imm6;
        return 1;
    case CF_ADDI16SP:
        d->rd = d->rs1 = 2;
        d->imm = sext(bits(b, 12, 12) << 9 | bits(b, 6, 6) << 4 | bits(b, 5, 5) << 6 |
                      bits(b, 4, 3) << 7 | bits(b, 2, 2) << 5, 10);
        return d->imm != 0;
    case CF_LUI:
        d->rd = rd; d->imm = imm6 * 4096;
        return d->imm != 0;
    case CF_SHIFTP:
        d->rd = d->rs1 = rs1p; d->imm = shamt;
        return 1;
    case CF_ANDI:
        d->rd = d->rs1 = rs1p; d->imm = imm6;
        return 1;
    case CF_ALU:
        d->rd = d->rs1 = rs1p; d->rs2 = rdp;
        return 1;
    case CF_J:
        d->imm = sext(bits(b, 12, 12) << 11 | bits(b, 11, 11) << 4 | bits(b, 10, 9) << 8 |
                      bits(b, 8, 8) << 10 | bits(b, 7, 7) << 6 | bits(b, 6, 6) << 7 |
                      bits(b, 5, 3) << 1 | bits(b, 2, 2) << 5, 12);
        return 1;
    case CF_BZ:
        d->rs1 = rs1p;
        d->imm = sext(bits(b, 12, 12) << 8 | bits(b, 11, 10) << 3 | bits(b, 6, 5) << 6 |
                      bits(b, 4, 3) << 1 | bits(b, 2, 2) << 5, 9);
        return 1;
    case CF_SLLI:
        d->rd = d->rs1 = rd; d->imm = shamt;
        return 1;
    case CF_LWSP:
        d->rd = rd; d->rs1 = 2;
        d->imm = bits(b, 12, 12) << 5 | bits(b, 6, 4) << 2 | bits(b, 3, 2) << 6;
        return rd != 0;
    case CF_LDSP:
        d->rd = rd; d->rs1 = 2;
        d->imm = bits(b, 12, 12) << 5 | bits(b, 6, 5) << 3 | bits(b, 4, 2) << 6;
        return rd != 0;
    case CF_JR:
        d->rs1 = rd;
        return rd != 0;
    case CF_MV:
        d->rd = rd; d->rs2 = rs2;
        return 1;
    case CF_EBREAK:
        return 1;
    case CF_JALR:
        d->rd = 1; d->rs1 = rd;
        return 1;
    case CF_ADD:
        d->rd = d->rs1 = rd; d->rs2 = rs2;
        return 1;
    case CF_SWSP:
        d->rs1 = 2; d->rs2 = rs2;
        d->imm = bits(b, 12, 9) << 2 | bits(b, 8, 7) << 6;
        return 1;
    case CF_SDSP:
        d->rs1 = 2; d->rs2 = rs2;
        d->imm = bits(b, 12, 10) << 3 | bits(b, 9, 7) << 6;
        return 1;
    case CF_FLDSP:                      /* like c.ldsp, but f0 is a valid target */
        d->rd = rd; d->rs1 = 2;
        d->imm = bits(b, 12, 12) << 5 | bits(b, 6, 5) << 3 | bits(b, 4, 2) << 6;
        return 1;
    case CF_MOP:                        /* addi x0, x0, 0: rd is not written */
        return 1;
    case CF_LSB: case CF_LSH:           /* Zcb: uimm[0] in bit 6 (bytes), uimm[1] in bit 5 */
        d->rs1 = rs1p;
        d->imm = bits(b, 5, 5) << 1 | (c->fmt == CF_LSB ? bits(b, 6, 6) : 0);
        if (c->op == OP_sb || c->op == OP_sh) d->rs2 = rdp; else d->rd = rdp;
        return 1;
    case CF_UNARY:                      /* rd' = op(rd'): andi 255, xori -1, add.uw x0 */
        d->rd = d->rs1 = rs1p;
        d->imm = c->op == OP_andi ? 255 : c->op == OP_xori ? -1 : 0;
        return 1;
    }
    return 0;
}

static void decode16(uint32_t b, struct dinsn *d)
{
    int i;
    for (i = 0; i < cinsn_table_len; i++)
        if ((b & cinsn_table[i].mask) == cinsn_table[i].match)
            break;
    if (i == cinsn_table_len || !expand16(b, &cinsn_table[i], d)) {
        d->op = OP__ILLEGAL;
        d->rd = d->rs1 = d->rs2 = 0;
        d->imm = 0;
        return;
    }
    d->op = cinsn_table[i].op;
    d->cop = i + 1;
    if (writes_xrd(insn_table[d->op].fmt) && d->rd == 0)
        d->rd = X_SINK;
}

int insn_decode(uint32_t b, struct dinsn *d)
{
    memset(d, 0, sizeof *d);
    if ((b & 3) == 3) {
        d->len = 4;
        d->bits = b;
        decode32(b, d);
    } else {
        d->len = 2;
        d->bits = b & 0xffff;
        decode16(d->bits, d);
    }
    return d->len;
}

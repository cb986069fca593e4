/* Disassembler: prints decoded instructions from the instruction table. */
#include "insn.h"
#include <stdio.h>

static const char *const xreg[33] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6", "zero",
};

void insn_disasm(const struct dinsn *d, uint64_t pc, char *buf, int size)
{
    if (d->op >= OP__DECODE) {
        snprintf(buf, size, d->len == 2 ? ".2byte 0x%x" : ".4byte 0x%x", d->bits);
        return;
    }
    const struct insn_desc *t = &insn_table[d->op];
    const char *rd = xreg[d->rd], *rs1 = xreg[d->rs1], *rs2 = xreg[d->rs2];
    switch (t->fmt) {
    case F_R:    snprintf(buf, size, "%s\t%s,%s,%s", t->mnemonic, rd, rs1, rs2); break;
    case F_I:    snprintf(buf, size, "%s\t%s,%s,%d", t->mnemonic, rd, rs1, d->imm); break;
    case F_SH:   snprintf(buf, size, "%s\t%s,%s,0x%x", t->mnemonic, rd, rs1, d->imm); break;
    case F_L:    snprintf(buf, size, "%s\t%s,%d(%s)", t->mnemonic, rd, d->imm, rs1); break;
    case F_S:    snprintf(buf, size, "%s\t%s,%d(%s)", t->mnemonic, rs2, d->imm, rs1); break;
    case F_B:    snprintf(buf, size, "%s\t%s,%s,0x%llx", t->mnemonic, rs1, rs2, (unsigned long long)(pc + d->imm)); break;
    case F_U:    snprintf(buf, size, "%s\t%s,0x%x", t->mnemonic, rd, ((uint32_t)d->imm >> 12)); break;
    case F_J:    snprintf(buf, size, "%s\t%s,0x%llx", t->mnemonic, rd, (unsigned long long)(pc + d->imm)); break;
    case F_JALR: snprintf(buf, size, "%s\t%s,%d(%s)", t->mnemonic, rd, d->imm, rs1); break;
    case F_CSR:  snprintf(buf, size, "%s\t%s,0x%x,%s", t->mnemonic, rd, d->imm, rs1); break;
    case F_CSRI: snprintf(buf, size, "%s\t%s,0x%x,%d", t->mnemonic, rd, d->imm, d->rs1); break;
    case F_AMO:  snprintf(buf, size, "%s\t%s,%s,(%s)", t->mnemonic, rd, rs2, rs1); break;
    case F_LR:   snprintf(buf, size, "%s\t%s,(%s)", t->mnemonic, rd, rs1); break;
    case F_SFENCE: snprintf(buf, size, "%s\t%s,%s", t->mnemonic, rs1, rs2); break;
    default:     snprintf(buf, size, "%s", t->mnemonic); break;
    }
}

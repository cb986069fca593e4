/*
 * Which extensions the harts have: -cpu rv64,zba=false takes one away.
 * The set lives in the core (all harts of a board share it) as a mask of
 * extensions turned OFF, so a zeroed core is the full hart. The decoder
 * stays pure; the two places that decode for a hart (mmu/dcache.c and the
 * executor's side decode) pass the result through isa_gate(), which turns
 * an instruction of a missing extension into an illegal one, as the ISA
 * manual requires of an encoding the hart does not implement.
 */
#ifndef CPU_ISA_H
#define CPU_ISA_H
#include <stdbool.h>
#include <stdint.h>
#include "insn.h"

enum isa_ext {
    ISA_M, ISA_A, ISA_F, ISA_D, ISA_C,
    ISA_ZICOND, ISA_ZICSR, ISA_ZIFENCEI, ISA_ZIHINTPAUSE,
    ISA_ZBA, ISA_ZBB, ISA_ZBS, ISA_SSTC, ISA_SDTRIG,
    ISA_SVINVAL, ISA_SVNAPOT, ISA_SVPBMT, ISA_ZICBOM, ISA_ZICBOP, ISA_ZICBOZ,
    ISA_ZACAS, ISA_ZAWRS,
    ISA__COUNT
};
#define ISA_BIT(e) (1u << (e))

/* The extension an op belongs to, or -1 for RV64I and the privileged ops. */
int isa_op_ext(unsigned op);

/* d after insn_decode: OP__ILLEGAL if its extension is in off (a 16-bit
 * encoding needs C whatever op it expands to). */
static inline void isa_gate(struct dinsn *d, uint32_t off)
{
    if (!off || d->op >= OP__DECODE)
        return;
    int e = isa_op_ext(d->op);
    if ((d->len == 2 && (off & ISA_BIT(ISA_C))) || (e >= 0 && (off & ISA_BIT(e)))) {
        d->op = OP__ILLEGAL;
        d->rd = d->rs1 = d->rs2 = 0;
        d->imm = 0;
    }
}

/* The bits of an xepc that read as zero: bit 0 always, bit 1 too when
 * IALIGN is 32, without C (privileged spec 3.1.14, "mepc"). */
static inline uint64_t isa_epc_mask(uint32_t off)
{
    return (off & ISA_BIT(ISA_C)) ? ~3ull : ~1ull;
}

/* misa's extension bits (privileged spec 3.1.1: bit N is letter 'A' + N)
 * for the harts with off taken away; S and U are always there. */
uint64_t isa_misa(uint32_t off);
#endif

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
    ISA_ZBC, ISA_ZBKB, ISA_ZBKC, ISA_ZBKX, ISA_ZCB, ISA_ZCMOP, ISA_ZIMOP,
    ISA_ZIHINTNTL,              /* HINTs: only named, never gated */
    ISA_ZKT,                    /* a property: data-independent timing (README) */
    ISA_SMSTATEEN,              /* with Ssstateen */
    ISA_SSCOFPMF, ISA_SMCNTRPMF, ISA_SVADU,
    /* Named only: properties hartvm's harts have anyway (cpu/isa.c says
     * why each holds); taking one away changes only the device tree. */
    ISA_ZICNTR, ISA_ZIHPM, ISA_ZIC64B, ISA_ZICCAMOA, ISA_ZICCIF, ISA_ZICCLSM, ISA_ZICCRSE,
    ISA_ZA64RS, ISA_SSCCPTR, ISA_SSCOUNTERENW, ISA_SSTVALA, ISA_SSTVECD, ISA_SSU64XL,
    ISA_ZFH, ISA_ZFHMIN, ISA_ZFA,
    ISA__COUNT
};
/* A set of extensions (struct core .isa_off: those taken away). */
typedef uint64_t isa_set;
#define ISA_BIT(e) ((isa_set)1 << (e))
_Static_assert(ISA__COUNT <= 64, "isa_set is a 64-bit mask");

/* The extensions an op belongs to, as ISA_BIT()s; 0 for RV64I and the
 * privileged ops. An op in several (andn: Zbb and Zbkb) needs any one. */
isa_set isa_op_exts(unsigned op);
/* Likewise for a compressed table entry (cop - 1), beyond C itself. */
isa_set isa_cop_exts(unsigned cop_index);
/* Extensions an op needs all of, beyond one of isa_op_exts(): fcvt.d.h
 * needs D besides Zfhmin, fli.h Zfh besides Zfa. */
isa_set isa_op_needs(unsigned op);

/* d after insn_decode: OP__ILLEGAL if its extensions are all in off (a
 * 16-bit encoding needs C and its own extension whatever op it expands
 * to). */
static inline void isa_gate(struct dinsn *d, isa_set off)
{
    if (!off || d->op >= OP__DECODE)
        return;
    isa_set e = isa_op_exts(d->op), ce = d->cop ? isa_cop_exts(d->cop - 1u) : 0;
    if ((d->len == 2 && (off & ISA_BIT(ISA_C))) || (e && !(e & ~off)) || (ce && !(ce & ~off)) ||
        (isa_op_needs(d->op) & off)) {
        d->op = OP__ILLEGAL;
        d->rd = d->rs1 = d->rs2 = 0;
        d->imm = 0;
    }
}

/* The extensions in the ISA manual's canonical order ("ISA Extension
 * Naming Conventions": single letters, then Z by category and name, then
 * S), with their devicetree names: riscv,isa and riscv,isa-extensions are
 * both written from it. ext is -1 for I, always there. */
struct isa_name { int ext; const char *name; };
extern const struct isa_name isa_names[];
extern const unsigned isa_names_len;

/* The bits of an xepc that read as zero: bit 0 always, bit 1 too when
 * IALIGN is 32, without C (privileged spec 3.1.14, "mepc"). */
static inline uint64_t isa_epc_mask(isa_set off)
{
    return (off & ISA_BIT(ISA_C)) ? ~3ull : ~1ull;
}

/* misa's extension bits (privileged spec 3.1.1: bit N is letter 'A' + N)
 * for the harts with off taken away; S and U are always there. */
uint64_t isa_misa(isa_set off);
#endif

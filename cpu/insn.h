/* Decoded instructions and the op numbering generated from insn_table.def. */
#ifndef CPU_INSN_H
#define CPU_INSN_H
#include <stdint.h>

/* Operand formats of 32-bit encodings: how fields are extracted and printed. */
enum insn_format {
    F_R, F_I, F_SH, F_L, F_S, F_B, F_U, F_J, F_JALR,
    F_CSR, F_CSRI, F_NONE, F_FENCE, F_AMO, F_LR, F_SFENCE,
    F_R1,       /* rd, rs1 (Zbb unary ops) */
    F_MOP,      /* rd, rs1 [, rs2]: Zimop, N from the encoding */
    F_RS12,     /* rs1, rs2, both always shown (sinval.vma) */
    F_CBO,      /* (rs1) */
    /* floating point: f = FP register, x = integer register */
    F_FL,       /* fd, imm(rs1) */
    F_FS,       /* fs2, imm(rs1) */
    F_FR,       /* fd, fs1, fs2, rm */
    F_FR2,      /* fd, fs1, fs2 (no rm) */
    F_FR1,      /* fd, fs1, rm */
    F_FR4,      /* fd, fs1, fs2, fs3, rm */
    F_FX,       /* xd, fs1 [, rm] */
    F_FCMP,     /* xd, fs1, fs2 */
    F_XF,       /* fd, xs1 [, rm] */
    F_FLI,      /* fd, constant (Zfa's fli: entry rs1 of its table) */
};

/* Formats of 16-bit encodings: how they expand into a base instruction. */
enum cinsn_format {
    CF_ADDI4SPN, CF_LW, CF_LD, CF_SW, CF_SD,
    CF_NOP, CF_ADDI, CF_ADDIW, CF_LI, CF_ADDI16SP, CF_LUI,
    CF_SHIFTP, CF_ANDI, CF_ALU, CF_J, CF_BZ,
    CF_SLLI, CF_LWSP, CF_LDSP, CF_JR, CF_MV, CF_EBREAK, CF_JALR, CF_ADD,
    CF_SWSP, CF_SDSP, CF_FLDSP,
    CF_MOP, CF_LSB, CF_LSH, CF_UNARY,   /* Zcmop, Zcb */
};

/* Ops: one per 32-bit table entry, then the executor's internal ops. */
enum op {
#define INSN(op, mn, match, mask, fmt) OP_##op,
#include "insn_table.def"
    OP__DECODE,    /* slot not decoded yet: decode, cache, execute */
    OP__PAGE_END,  /* sentinel after the last slot of a page: refetch */
    OP__ILLEGAL,   /* no table entry matched, or a reserved encoding */
    OP__STRADDLE,  /* 32-bit instruction crossing a page: fetch each time */
    OP__BREAK,     /* debugger breakpoint on this slot (monitor/break.c) */
    /* Branches and jal whose target lies in the same page: the executor's
     * decode step rewrites them (imm becomes the byte distance between
     * decoded slots), so a taken branch is a pointer add (cpu/exec.c). */
    OP__BEQ_LOCAL, OP__BNE_LOCAL, OP__BLT_LOCAL, OP__BGE_LOCAL,
    OP__BLTU_LOCAL, OP__BGEU_LOCAL, OP__JAL_LOCAL,
    OP__COUNT
};

/* The compressed table entries, numbered for the disassembler. */
enum cop {
#define CINSN(id, mn, match, mask, cfmt, op) COP_##id,
#include "insn_table.def"
    COP__COUNT
};

/* A pre-decoded instruction: 16 bytes, 2048 of them per 4 KiB page. */
struct dinsn {
    uint16_t op;
    uint8_t rd, rs1, rs2;
    uint8_t len;        /* 2 or 4 bytes */
    uint8_t cop;        /* compressed table index + 1, 0 for 32-bit */
    uint8_t rs3;        /* third FP source (fused multiply-add) */
    int32_t imm;        /* immediate, shift amount or CSR number */
    uint32_t bits;      /* the raw encoding (for xtval and the disassembler) */
};

_Static_assert(sizeof(struct dinsn) == 16, "the executor steps through slots by byte offsets");

/* Writes to x0 go to x[X_SINK] so that op bodies never test rd.
 * The rounding mode of FP ops is bits 14:12 of d->bits. */
#define X_SINK 32

struct insn_desc {
    const char *mnemonic;
    uint32_t match, mask;
    enum insn_format fmt;
};
struct cinsn_desc {
    const char *mnemonic;
    uint16_t match, mask;
    enum cinsn_format fmt;
    enum op op;
};

extern const struct insn_desc insn_table[];
extern const struct cinsn_desc cinsn_table[];
extern const int insn_table_len, cinsn_table_len;

/* Decode one instruction; returns its length. Unknown encodings give
 * OP__ILLEGAL with the bits kept. */
int insn_decode(uint32_t bits, struct dinsn *d);
static inline int insn_length(uint32_t lowbits) { return (lowbits & 3) == 3 ? 4 : 2; }

/* Disassemble into buf in objdump's style; pc resolves branch targets. */
void insn_disasm(const struct dinsn *d, uint64_t pc, char *buf, int size);
/* The same, naming CSRs as privileged spec version priv_spec (110, 111, 112) does. */
void insn_disasm_spec(const struct dinsn *d, uint64_t pc, int priv_spec, char *buf, int size);

#endif

/*
 * Disassembler: prints a decoded instruction (struct dinsn) in the syntax
 * of riscv64-unknown-elf-objdump -d from binutils 2.40, so that traces and
 * the debugger read like the listings people already have, and so that
 * tests/disasm can compare the two line by line.
 *
 * Encodings come only from the instruction table (cpu/insn_table.def) via
 * insn_decode(); this file adds printing knowledge: register names,
 * objdump's preferred aliases, CSR names (cpu/csr_names.def), rounding-mode
 * and aq/rl suffixes, fence operand sets, and the encodings that objdump
 * does not accept as instructions (printed as data, ".4byte 0x...").
 *
 * objdump's choice among aliases is "first matching entry of its opcode
 * table", which is not always the most specific one; the rules below were
 * taken from its output over every 16-bit encoding and random encodings of
 * every 32-bit table entry (tests/disasm/run.sh checks them all).
 */
#include "insn.h"
#include "hart.h"
#include "fpu.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const xreg[33] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6", "zero",     /* X_SINK: a write to x0 */
};
static const char *const freg[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
    "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};
/* Rounding modes (F extension, "Rounding Mode" table): 5 and 6 are
 * reserved; dyn (7) is the default and is not printed. */
static const char *const rm_name[8] = {
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
};

/* Where the text goes; every printer appends. */
struct out {
    char *buf;
    int size, len;
    int priv_spec;      /* privileged spec version naming the CSRs (112 = 1.12) */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->len >= o->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += n;
}

static unsigned field(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }

/* Integer register number, undoing the X_SINK remapping of rd. */
static unsigned xnum(unsigned r) { return r == X_SINK ? 0 : r; }

static void put_data(struct out *o, const struct dinsn *d)
{
    put(o, d->len == 2 ? ".2byte\t0x%x" : ".4byte\t0x%x", d->bits);
}

static void put_csr(struct out *o, unsigned csr)
{
    const char *n = csr_name_spec(csr, o->priv_spec);
    if (n)
        put(o, "%s", n);
    else
        put(o, "0x%x", csr);
}

static void put_target(struct out *o, uint64_t pc, int32_t off)
{
    put(o, "%llx", (unsigned long long)(pc + (int64_t)off));
}

/* Rounding-mode suffix ",rtz" etc., omitted for dyn. */
static void put_rm(struct out *o, const struct dinsn *d)
{
    unsigned rm = field(d->bits, 14, 12);
    if (rm != RM_DYN)
        put(o, ",%s", rm_name[rm]);
}

/* fence's predecessor/successor set: letters of i, o, r, w. objdump
 * prints an empty set as "unknown". */
static void put_fence_set(struct out *o, unsigned set)
{
    static const char letter[4] = { 'w', 'r', 'o', 'i' };
    if (!set) {
        put(o, "unknown");
        return;
    }
    for (int b = 3; b >= 0; b--)
        if (set & (1u << b))
            put(o, "%c", letter[b]);
}

/* ---- integer formats with aliases ---------------------------------- */

/* Zihintntl: add x0, x0, x2..x5 and c.add x0, x2..x5 are the
 * non-temporal locality hints (objdump 2.41's names; 2.40 has none). */
static int print_ntl(struct out *o, const struct dinsn *d)
{
    static const char *const ntl[4] = { "ntl.p1", "ntl.pall", "ntl.s1", "ntl.all" };
    if (d->op != OP_add || xnum(d->rd) || d->rs1 || d->rs2 < 2 || d->rs2 > 5)
        return 0;
    put(o, "%s", ntl[d->rs2 - 2]);
    return 1;
}

/* Register-register ops: the aliases objdump prefers (neg, snez, ...). */
static void print_r(struct out *o, const struct dinsn *d, const char *mn)
{
    unsigned rd = xnum(d->rd), rs1 = d->rs1, rs2 = d->rs2;
    const char *xd = xreg[rd];
    if (print_ntl(o, d))
        return;
    switch (d->op) {
    case OP_sub:    if (!rs1) { put(o, "neg\t%s,%s", xd, xreg[rs2]); return; } break;
    case OP_subw:   if (!rs1) { put(o, "negw\t%s,%s", xd, xreg[rs2]); return; } break;
    case OP_sltu:   if (!rs1) { put(o, "snez\t%s,%s", xd, xreg[rs2]); return; } break;
    case OP_slt:
        if (!rs2) { put(o, "sltz\t%s,%s", xd, xreg[rs1]); return; }
        if (!rs1) { put(o, "sgtz\t%s,%s", xd, xreg[rs2]); return; }
        break;
    case OP_add_uw: if (!rs2) { put(o, "zext.w\t%s,%s", xd, xreg[rs1]); return; } break;
    default: break;
    }
    put(o, "%s\t%s,%s,%s", mn, xd, xreg[rs1], xreg[rs2]);
}

/* Register-immediate ops. objdump 2.40 prints addi/andi/ori/xori/addiw as
 * add/and/or/xor/addw with an immediate operand unless an alias applies. */
static void print_i(struct out *o, const struct dinsn *d, const char *mn)
{
    unsigned rd = xnum(d->rd), rs1 = d->rs1;
    const char *xd = xreg[rd], *xs = xreg[rs1];
    int32_t imm = d->imm;
    switch (d->op) {
    case OP_addi:
        if (!rd && !rs1 && !imm) { put(o, "nop"); return; }
        if (!rs1) { put(o, "li\t%s,%d", xd, imm); return; }
        if (!imm) { put(o, "mv\t%s,%s", xd, xs); return; }
        mn = "add";
        break;
    case OP_addiw:
        if (!imm) { put(o, "sext.w\t%s,%s", xd, xs); return; }
        mn = "addw";
        break;
    case OP_xori:
        if (imm == -1) { put(o, "not\t%s,%s", xd, xs); return; }
        mn = "xor";
        break;
    case OP_andi:
        if (imm == 255) { put(o, "zext.b\t%s,%s", xd, xs); return; }
        mn = "and";
        break;
    case OP_ori: mn = "or"; break;
    case OP_sltiu:
        if (imm == 1) { put(o, "seqz\t%s,%s", xd, xs); return; }
        break;
    default: break;
    }
    put(o, "%s\t%s,%s,%d", mn, xd, xs, imm);
}

/* Shifts by an immediate: objdump prints slli/srli/srai/slliw/srliw/sraiw
 * and rori as sll/srl/sra/sllw/srlw/sraw/ror. */
static void print_sh(struct out *o, const struct dinsn *d, const char *mn)
{
    switch (d->op) {
    case OP_slli:  mn = "sll"; break;
    case OP_srli:  mn = "srl"; break;
    case OP_srai:  mn = "sra"; break;
    case OP_slliw: mn = "sllw"; break;
    case OP_srliw: mn = "srlw"; break;
    case OP_sraiw: mn = "sraw"; break;
    case OP_rori:  mn = "ror"; break;
    case OP_bclri: mn = "bclr"; break;
    case OP_bexti: mn = "bext"; break;
    case OP_binvi: mn = "binv"; break;
    case OP_bseti: mn = "bset"; break;
    case OP_roriw: mn = "rorw"; break;
    default: break;
    }
    put(o, "%s\t%s,%s,0x%x", mn, xreg[xnum(d->rd)], xreg[d->rs1], d->imm);
}

static void print_branch(struct out *o, const struct dinsn *d, uint64_t pc, const char *mn)
{
    unsigned rs1 = d->rs1, rs2 = d->rs2;
    const char *zmn = NULL;     /* alias comparing one register with zero */
    unsigned zr = 0;
    switch (d->op) {
    case OP_beq: if (!rs2) { zmn = "beqz"; zr = rs1; } break;
    case OP_bne: if (!rs2) { zmn = "bnez"; zr = rs1; } break;
    case OP_blt:
        if (!rs2) { zmn = "bltz"; zr = rs1; }
        else if (!rs1) { zmn = "bgtz"; zr = rs2; }
        break;
    case OP_bge:                /* blez first: bge zero,zero is "blez zero" */
        if (!rs1) { zmn = "blez"; zr = rs2; }
        else if (!rs2) { zmn = "bgez"; zr = rs1; }
        break;
    default: break;
    }
    if (zmn)
        put(o, "%s\t%s,", zmn, xreg[zr]);
    else
        put(o, "%s\t%s,%s,", mn, xreg[rs1], xreg[rs2]);
    put_target(o, pc, d->imm);
}

static void print_jal(struct out *o, const struct dinsn *d, uint64_t pc)
{
    unsigned rd = xnum(d->rd);
    if (rd == 0)
        put(o, "j\t");
    else if (rd == 1)
        put(o, "jal\t");
    else
        put(o, "jal\t%s,", xreg[rd]);
    put_target(o, pc, d->imm);
}

static void print_jalr(struct out *o, const struct dinsn *d)
{
    unsigned rd = xnum(d->rd), rs1 = d->rs1;
    int32_t imm = d->imm;
    if (rd == 0) {
        if (rs1 == 1 && !imm)
            put(o, "ret");
        else if (!imm)
            put(o, "jr\t%s", xreg[rs1]);
        else
            put(o, "jr\t%d(%s)", imm, xreg[rs1]);
    } else if (rd == 1) {
        if (!imm)
            put(o, "jalr\t%s", xreg[rs1]);
        else
            put(o, "jalr\t%d(%s)", imm, xreg[rs1]);
    } else if (!imm) {
        put(o, "jalr\t%s,%s", xreg[rd], xreg[rs1]);
    } else {
        put(o, "jalr\t%s,%d(%s)", xreg[rd], imm, xreg[rs1]);
    }
}

/* ---- CSR instructions ----------------------------------------------- */

/* Aliases for the FP CSRs: fflags (1), frm (2), fcsr (3). */
static const char *const fcsr_read[4] = { NULL, "frflags", "frrm", "frcsr" };
static const char *const fcsr_write[4] = { NULL, "fsflags", "fsrm", "fscsr" };
static const char *const fcsr_writei[3] = { NULL, "fsflagsi", "fsrmi" };
/* rdcycle, rdtime, rdinstret read these counters (Zicntr). */
static const char *const counter_read[3] = { "rdcycle", "rdtime", "rdinstret" };

/* objdump 2.40 prints the immediate forms under the register forms' names
 * (csrrwi -> csrrw, csrwi -> csrw, ...) with the 5-bit immediate operand. */
static void print_csr(struct out *o, const struct dinsn *d)
{
    unsigned rd = xnum(d->rd), src = d->rs1, csr = (unsigned)d->imm;
    int imm_form = d->op == OP_csrrwi || d->op == OP_csrrsi || d->op == OP_csrrci;
    const char *base = d->op == OP_csrrw || d->op == OP_csrrwi ? "csrrw"
                     : d->op == OP_csrrs || d->op == OP_csrrsi ? "csrrs" : "csrrc";

    if (d->op == OP_csrrw && csr == 0xc00 && !rd && !src) {
        put(o, "unimp");        /* csrw cycle,zero: the canonical illegal instruction */
        return;
    }
    if (d->op == OP_csrrs && !src) {
        if (csr >= 0xc00 && csr <= 0xc02) { put(o, "%s\t%s", counter_read[csr - 0xc00], xreg[rd]); return; }
        if (csr >= 1 && csr <= 3) { put(o, "%s\t%s", fcsr_read[csr], xreg[rd]); return; }
        put(o, "csrr\t%s,", xreg[rd]);
        put_csr(o, csr);
        return;
    }
    if (d->op == OP_csrrw && csr >= 1 && csr <= 3) {
        if (rd)
            put(o, "%s\t%s,%s", fcsr_write[csr], xreg[rd], xreg[src]);
        else
            put(o, "%s\t%s", fcsr_write[csr], xreg[src]);
        return;
    }
    if (d->op == OP_csrrwi && (csr == 1 || csr == 2)) {    /* objdump keeps rd=zero here */
        put(o, "%s\t%s,%u", fcsr_writei[csr], xreg[rd], src);
        return;
    }
    if (!rd) {                  /* csrw/csrs/csrc, immediate forms too */
        put(o, "csr%c\t", base[4]);
        put_csr(o, csr);
    } else {
        put(o, "%s\t%s,", base, xreg[rd]);
        put_csr(o, csr);
    }
    if (imm_form)
        put(o, ",%u", src);
    else
        put(o, ",%s", xreg[src]);
}

/* ---- everything else ---------------------------------------------- */

static void print_fence(struct out *o, const struct dinsn *d)
{
    unsigned fm = field(d->bits, 31, 28), pred = field(d->bits, 27, 24), succ = field(d->bits, 23, 20);
    if (d->rd || d->rs1) {      /* reserved fields set: objdump shows data */
        put_data(o, d);
        return;
    }
    if (fm == 8 && pred == 3 && succ == 3) {
        put(o, "fence.tso");
        return;
    }
    if (fm) {
        put_data(o, d);
        return;
    }
    if (pred == 1 && succ == 0) {
        put(o, "pause");        /* Zihintpause: fence w,0 */
        return;
    }
    if (pred == 15 && succ == 15) {
        put(o, "fence");
        return;
    }
    put(o, "fence\t");
    put_fence_set(o, pred);
    put(o, ",");
    put_fence_set(o, succ);
}

/* Zfa's fli operand: entry rs1 of the spec's table ("Immediate values
 * loaded by the FLI.S instruction"), by its preferred name (min, inf, nan)
 * or as the value in C's %a notation, the same for every format (objdump
 * 2.41's form; 2.40 lacks Zfa): fpu_fli's binary64 value, in which every
 * entry is exact. */
static void put_fli(struct out *o, unsigned entry)
{
    if (entry == 1 || entry >= 30) {
        put(o, "%s", entry == 1 ? "min" : entry == 30 ? "inf" : "nan");
        return;
    }
    uint64_t bits = fpu_fli(FP_D, entry);
    double v;
    memcpy(&v, &bits, sizeof v);
    put(o, "%a", v);
}

/* Exact conversions objdump knows only with rm = 0 (rne); it shows the
 * other rounding modes as data. */
static bool exact_cvt(unsigned op)
{
    return op == OP_fcvt_d_s || op == OP_fcvt_s_h || op == OP_fcvt_d_h ||
           op == OP_fcvt_d_w || op == OP_fcvt_d_wu;
}

/* aq/rl suffix of the A extension: bits 26 (aq) and 25 (rl). */
static const char *const aqrl_suffix[4] = { "", ".rl", ".aq", ".aqrl" };

static void print_fp(struct out *o, const struct dinsn *d, const char *mn)
{
    const struct insn_desc *t = &insn_table[d->op];
    unsigned rd = d->rd, rs1 = d->rs1, rs2 = d->rs2;
    switch (t->fmt) {
    case F_FL:
        put(o, "%s\t%s,%d(%s)", mn, freg[rd], d->imm, xreg[rs1]);
        return;
    case F_FS:
        put(o, "%s\t%s,%d(%s)", mn, freg[rs2], d->imm, xreg[rs1]);
        return;
    case F_FR:
        put(o, "%s\t%s,%s,%s", mn, freg[rd], freg[rs1], freg[rs2]);
        put_rm(o, d);
        return;
    case F_FR2:
        /* fmv/fneg/fabs: sign injection from the register itself; funct3
         * 0/1/2 picks fsgnj/fsgnjn/fsgnjx (fmin/fmax share the format) */
        if (rs1 == rs2 && !strncmp(mn, "fsgnj", 5)) {
            static const char *const sgn[3] = { "fmv", "fneg", "fabs" };
            put(o, "%s.%c\t%s,%s", sgn[field(d->bits, 14, 12)], mn[strlen(mn) - 1],
                freg[rd], freg[rs1]);
            return;
        }
        put(o, "%s\t%s,%s,%s", mn, freg[rd], freg[rs1], freg[rs2]);
        return;
    case F_FLI:
        put(o, "%s\t%s,", mn, freg[rd]);
        put_fli(o, rs1);
        return;
    case F_FR1:
        if (exact_cvt(d->op)) {
            if (field(d->bits, 14, 12))
                put_data(o, d);
            else
                put(o, "%s\t%s,%s", mn, freg[rd], freg[rs1]);
            return;
        }
        put(o, "%s\t%s,%s", mn, freg[rd], freg[rs1]);
        put_rm(o, d);
        return;
    case F_FR4:
        put(o, "%s\t%s,%s,%s,%s", mn, freg[rd], freg[rs1], freg[rs2], freg[d->rs3]);
        put_rm(o, d);
        return;
    case F_FX:
        put(o, "%s\t%s,%s", mn, xreg[xnum(rd)], freg[rs1]);
        if (d->op != OP_fmv_x_w && d->op != OP_fmv_x_d && d->op != OP_fclass_s &&
            d->op != OP_fclass_d && d->op != OP_fmv_x_h && d->op != OP_fclass_h)
            put_rm(o, d);
        return;
    case F_FCMP:
        put(o, "%s\t%s,%s,%s", mn, xreg[xnum(rd)], freg[rs1], freg[rs2]);
        return;
    case F_XF:
        if (exact_cvt(d->op)) {
            if (field(d->bits, 14, 12))
                put_data(o, d);
            else
                put(o, "%s\t%s,%s", mn, freg[rd], xreg[rs1]);
            return;
        }
        put(o, "%s\t%s,%s", mn, freg[rd], xreg[rs1]);
        if (d->op != OP_fmv_w_x && d->op != OP_fmv_d_x && d->op != OP_fmv_h_x)
            put_rm(o, d);
        return;
    default:
        put(o, "%s", mn);
    }
}

static void print32(struct out *o, const struct dinsn *d, uint64_t pc)
{
    const struct insn_desc *t = &insn_table[d->op];
    const char *mn = t->mnemonic;
    unsigned rd = xnum(d->rd);
    switch (t->fmt) {
    case F_R:    print_r(o, d, mn); return;
    case F_R1:   put(o, "%s\t%s,%s", mn, xreg[rd], xreg[d->rs1]); return;
    case F_I:    print_i(o, d, mn); return;
    case F_SH:   print_sh(o, d, mn); return;
    case F_L:    put(o, "%s\t%s,%d(%s)", mn, xreg[rd], d->imm, xreg[d->rs1]); return;
    case F_S:    put(o, "%s\t%s,%d(%s)", mn, xreg[d->rs2], d->imm, xreg[d->rs1]); return;
    case F_B:    print_branch(o, d, pc, mn); return;
    case F_U:    put(o, "%s\t%s,0x%x", mn, xreg[rd], (uint32_t)d->imm >> 12); return;
    case F_J:    print_jal(o, d, pc); return;
    case F_JALR: print_jalr(o, d); return;
    case F_CSR: case F_CSRI: print_csr(o, d); return;
    case F_MOP:  /* mop.r.N, N = bits 30, 27:26, 21:20; mop.rr.N, N = bits 30, 27:26 */
        if (d->op == OP_mop_r)
            put(o, "mop.r.%u\t%s,%s", field(d->bits, 30, 30) << 4 | field(d->bits, 27, 26) << 2 |
                field(d->bits, 21, 20), xreg[rd], xreg[d->rs1]);
        else
            put(o, "mop.rr.%u\t%s,%s,%s", field(d->bits, 30, 30) << 2 | field(d->bits, 27, 26),
                xreg[rd], xreg[d->rs1], xreg[d->rs2]);
        return;
    case F_FENCE: print_fence(o, d); return;
    case F_AMO:
        put(o, "%s%s\t%s,%s,(%s)", mn, aqrl_suffix[field(d->bits, 26, 25)],
            xreg[rd], xreg[d->rs2], xreg[d->rs1]);
        return;
    case F_LR:
        put(o, "%s%s\t%s,(%s)", mn, aqrl_suffix[field(d->bits, 26, 25)], xreg[rd], xreg[d->rs1]);
        return;
    case F_CBO:
        put(o, "%s\t(%s)", mn, xreg[d->rs1]);
        return;
    case F_RS12:
        put(o, "%s\t%s,%s", mn, xreg[d->rs1], xreg[d->rs2]);
        return;
    case F_SFENCE:
        if (!d->rs2 && !d->rs1)
            put(o, "%s", mn);
        else if (!d->rs2)
            put(o, "%s\t%s", mn, xreg[d->rs1]);
        else
            put(o, "%s\t%s,%s", mn, xreg[d->rs1], xreg[d->rs2]);
        return;
    case F_NONE:
        if (d->op == OP_fence_i && d->bits != 0x0000100f) {
            put_data(o, d);     /* reserved fields set: objdump shows data */
            return;
        }
        put(o, "%s", mn);
        return;
    default:
        print_fp(o, d, mn);
    }
}

/* ---- compressed ----------------------------------------------------- */

/* A 16-bit instruction prints as its 32-bit expansion, except HINTs
 * (writes to x0, zero shifts) that objdump shows in c.* form and a few
 * cases where it keeps the compressed operand shape. Returns 1 if it
 * printed, 0 to fall back to the expansion. */
static int print16(struct out *o, const struct dinsn *d)
{
    const struct cinsn_desc *c = &cinsn_table[d->cop - 1];
    unsigned rd = xnum(d->rd);
    switch (c->fmt) {
    case CF_NOP:
        if (d->imm) { put(o, "c.nop\t%d", d->imm); return 1; }
        put(o, "nop");
        return 1;
    case CF_ADDI:
        if (!d->imm) { put(o, "add\t%s,%s,0", xreg[rd], xreg[rd]); return 1; }
        return 0;
    case CF_LI:
        if (!rd) { put(o, "c.li\t%s,%d", xreg[rd], d->imm); return 1; }
        return 0;
    case CF_LUI:
        if (!rd) { put(o, "c.lui\t%s,0x%x", xreg[rd], ((uint32_t)d->imm >> 12) & 0xfffff); return 1; }
        return 0;
    case CF_SLLI:
        if (!d->imm) { put(o, "c.slli64\t%s", xreg[rd]); return 1; }
        if (!rd) { put(o, "c.slli\t%s,0x%x", xreg[rd], d->imm); return 1; }
        return 0;
    case CF_SHIFTP:
        if (!d->imm) { put(o, "%s64\t%s", c->mnemonic, xreg[rd]); return 1; }
        return 0;
    case CF_MV:
        if (!rd) { put(o, "c.mv\t%s,%s", xreg[rd], xreg[d->rs2]); return 1; }
        put(o, "mv\t%s,%s", xreg[rd], xreg[d->rs2]);
        return 1;
    case CF_ADD:
        if (print_ntl(o, d))
            return 1;
        if (!rd) { put(o, "c.add\t%s,%s", xreg[rd], xreg[d->rs2]); return 1; }
        return 0;
    case CF_MOP:
        put(o, "c.mop.%u", field(d->bits, 11, 7));
        return 1;
    default:
        return 0;
    }
}

void insn_disasm(const struct dinsn *d, uint64_t pc, char *buf, int size)
{
    insn_disasm_spec(d, pc, CSR_NAMES_CURRENT_SPEC, buf, size);
}

void insn_disasm_spec(const struct dinsn *d, uint64_t pc, int priv_spec, char *buf, int size)
{
    struct out o = { buf, size, 0, priv_spec };
    if (size <= 0)
        return;
    buf[0] = 0;
    if (d->op >= OP__DECODE) {
        if (d->len == 2 && d->bits == 0)
            put(&o, "unimp");   /* the all-zero halfword: defined illegal */
        else
            put_data(&o, d);
        return;
    }
    if (d->cop && print16(&o, d))
        return;
    print32(&o, d, pc);
}

/*
 * The decoder (cpu/decode.c) against the instruction table
 * (cpu/insn_table.def).
 *
 * Round trips: for every table entry, random operand values are encoded
 * into the entry's match bits by this file's own encoders (written from
 * the ISA manual's format diagrams, unprivileged spec ch. 2 "Base
 * Instruction Formats" and ch. "C" extension, "RVC Instruction Set
 * Listings"), and insn_decode must give back the entry's op, length and
 * exactly those operand values. Reserved RVC encodings must decode to
 * OP__ILLEGAL.
 *
 * Overlaps: two entries overlap when some encoding matches both. The
 * decoder takes the first match, so an overlap is allowed only when the
 * earlier entry is a strict special case of the later one and is listed in
 * allowed_overlaps[] below. All of them are RVC:
 *   c.nop      inside c.addi    (rd = 0)
 *   c.addi16sp inside c.lui     (rd = 2)
 *   c.jr       inside c.mv      (rs2 = 0)
 *   c.ebreak   inside c.jalr    (rs1 = 0) and inside c.add (rs1 = rs2 = 0)
 *   c.jalr     inside c.add     (rs2 = 0)
 *   c.mop.N    inside c.lui     (rd odd and below 16, imm = 0: reserved in C)
 * and one 32-bit pair:
 *   zext.h     inside packw     (rs2 = 0; Zbb's name for that Zbkb encoding)
 */
#include "unit.h"
#include "../../cpu/insn.h"
#include <stdbool.h>
#include <string.h>

/* xorshift64: a fixed seed, so a failing case can be replayed. */
static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}
static int32_t rnd_range(int32_t lo, int32_t hi) { return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1)); }

/* Bits vhi..vlo of v, placed at bit pos. */
static uint32_t put(uint32_t v, int vhi, int vlo, int pos)
{
    return ((v >> vlo) & ((1u << (vhi - vlo + 1)) - 1)) << pos;
}

/* ---- 32-bit formats --------------------------------------------------- */

enum fkind { K_RD, K_RS1, K_RS2, K_RS3, K_IMM_I, K_IMM_S, K_IMM_B, K_IMM_U, K_IMM_J, K_SHAMT, K_CSR };

static uint32_t encode(enum fkind k, int32_t v)
{
    uint32_t u = (uint32_t)v;
    switch (k) {
    case K_RD:    return put(u, 4, 0, 7);
    case K_RS1:   return put(u, 4, 0, 15);
    case K_RS2:   return put(u, 4, 0, 20);
    case K_RS3:   return put(u, 4, 0, 27);
    case K_IMM_I: return put(u, 11, 0, 20);
    case K_IMM_S: return put(u, 11, 5, 25) | put(u, 4, 0, 7);
    case K_IMM_B: return put(u, 12, 12, 31) | put(u, 10, 5, 25) | put(u, 4, 1, 8) | put(u, 11, 11, 7);
    case K_IMM_U: return u & 0xfffff000;
    case K_IMM_J: return put(u, 20, 20, 31) | put(u, 10, 1, 21) | put(u, 11, 11, 20) | put(u, 19, 12, 12);
    case K_SHAMT: return put(u, 5, 0, 20);
    case K_CSR:   return put(u, 11, 0, 20);
    }
    return 0;
}

static int32_t random_value(enum fkind k)
{
    switch (k) {
    case K_RD: case K_RS1: case K_RS2: case K_RS3: return rnd_range(0, 31);
    case K_IMM_I: case K_IMM_S: return rnd_range(-2048, 2047);
    case K_IMM_B: return rnd_range(-2048, 2047) * 2;
    case K_IMM_U: return (int32_t)(rnd() << 12);
    case K_IMM_J: return rnd_range(-(1 << 19), (1 << 19) - 1) * 2;
    case K_SHAMT: return rnd_range(0, 63);
    case K_CSR:   return rnd_range(0, 4095);
    }
    return 0;
}

/* The bit positions a field occupies. */
static uint32_t field_bits(enum fkind k)
{
    switch (k) {
    case K_IMM_I: case K_CSR: return 0xfff00000;
    case K_IMM_S: return 0xfe000f80;
    case K_IMM_B: return 0xfe000f80;
    case K_IMM_U: case K_IMM_J: return 0xfffff000;
    case K_SHAMT: return 0x03f00000;
    default: return encode(k, 31);
    }
}

/* Where the decoder reports a field. rd_x: integer rd, x0 -> X_SINK. */
enum dest { D_RD_X, D_RD, D_RS1, D_RS2, D_RS3, D_IMM };
struct fdesc { enum fkind k; enum dest d; };

#define MAXF 4
struct fmt_layout { int n; struct fdesc f[MAXF]; bool imm_zero; };

static struct fmt_layout layout(enum insn_format fmt)
{
    const struct fdesc rdx = { K_RD, D_RD_X }, rdf = { K_RD, D_RD }, rs1 = { K_RS1, D_RS1 },
                       rs2 = { K_RS2, D_RS2 }, rs3 = { K_RS3, D_RS3 };
    const struct fdesc ii = { K_IMM_I, D_IMM }, is = { K_IMM_S, D_IMM }, ib = { K_IMM_B, D_IMM },
                       iu = { K_IMM_U, D_IMM }, ij = { K_IMM_J, D_IMM }, sh = { K_SHAMT, D_IMM },
                       csr = { K_CSR, D_IMM };
    switch (fmt) {
    case F_R: case F_AMO: case F_FCMP: return (struct fmt_layout){ 3, { rdx, rs1, rs2 }, true };
    case F_I: case F_L: case F_JALR: return (struct fmt_layout){ 3, { rdx, rs1, ii }, false };
    case F_SH:    return (struct fmt_layout){ 3, { rdx, rs1, sh }, false };
    case F_S:     return (struct fmt_layout){ 3, { rs1, rs2, is }, false };
    case F_B:     return (struct fmt_layout){ 3, { rs1, rs2, ib }, false };
    case F_U:     return (struct fmt_layout){ 2, { rdx, iu }, false };
    case F_J:     return (struct fmt_layout){ 2, { rdx, ij }, false };
    case F_CSR: case F_CSRI: return (struct fmt_layout){ 3, { rdx, rs1, csr }, false };
    case F_NONE:  return (struct fmt_layout){ 0, { { 0, 0 } }, true };
    case F_FENCE: return (struct fmt_layout){ 3, { rdf, rs1, ii }, false };
    case F_LR: case F_R1: case F_FX: case F_MOP: return (struct fmt_layout){ 2, { rdx, rs1 }, true };
    case F_SFENCE: case F_RS12: return (struct fmt_layout){ 2, { rs1, rs2 }, true };
    case F_CBO:   return (struct fmt_layout){ 1, { rs1 }, true };
    case F_FL:    return (struct fmt_layout){ 3, { rdf, rs1, ii }, false };
    case F_FS:    return (struct fmt_layout){ 3, { rs1, rs2, is }, false };
    case F_FR: case F_FR2: return (struct fmt_layout){ 3, { rdf, rs1, rs2 }, true };
    case F_FR1: case F_XF: case F_FLI: return (struct fmt_layout){ 2, { rdf, rs1 }, true };
    case F_FR4:   return (struct fmt_layout){ 4, { rdf, rs1, rs2, rs3 }, true };
    }
    return (struct fmt_layout){ -1, { { 0, 0 } }, true };
}

static const char *const allowed_overlaps[][2] = {
    { "c.nop", "c.addi" }, { "c.addi16sp", "c.lui" }, { "c.jr", "c.mv" },
    { "c.ebreak", "c.jalr" }, { "c.ebreak", "c.add" }, { "c.jalr", "c.add" },
    { "c.mop", "c.lui" }, { "zext.h", "packw" },
};
#define N_ALLOWED (int)(sizeof allowed_overlaps / sizeof allowed_overlaps[0])

static int allowed_index(const char *first, const char *second)
{
    for (int k = 0; k < N_ALLOWED; k++)
        if (!strcmp(allowed_overlaps[k][0], first) && !strcmp(allowed_overlaps[k][1], second))
            return k;
    return -1;
}

/* The earliest entry before i (32-bit table) whose pattern also matches b,
 * provided the overlap is an allowed one; else i. */
static int expected_op32(int i, uint32_t b)
{
    for (int j = 0; j < i; j++)
        if ((b & insn_table[j].mask) == insn_table[j].match &&
            allowed_index(insn_table[j].mnemonic, insn_table[i].mnemonic) >= 0)
            return j;
    return i;
}

#define SAMPLES 64

START_TEST(table_sane)
{
    for (int i = 0; i < insn_table_len; i++) {
        const struct insn_desc *t = &insn_table[i];
        ck_assert_msg(t->mnemonic && t->mask, "op %d: empty table slot", i);
        ck_assert_msg((t->match & ~t->mask) == 0, "op %d (%s): match has bits outside mask", i, t->mnemonic);
        ck_assert_msg((t->match & 3) == 3 && (t->mask & 3) == 3, "op %d (%s): not a 32-bit encoding", i,
                      t->mnemonic);
        ck_assert_msg(layout(t->fmt).n >= 0, "op %d (%s): unknown format", i, t->mnemonic);
    }
    for (int i = 0; i < cinsn_table_len; i++) {
        const struct cinsn_desc *c = &cinsn_table[i];
        ck_assert_msg((c->match & ~c->mask) == 0, "cop %d (%s): match outside mask", i, c->mnemonic);
        ck_assert_msg((c->match & 3) != 3 && (c->mask & 3) == 3, "cop %d (%s): not a 16-bit encoding", i,
                      c->mnemonic);
        ck_assert_msg(c->op >= 0 && (int)c->op < insn_table_len, "cop %d (%s): bad base op", i, c->mnemonic);
    }
}
END_TEST

/* Every 32-bit entry: random operands round-trip through the decoder. */
START_TEST(roundtrip32)
{
    rng_state = 0x243f6a8885a308d3ull;
    for (int i = 0; i < insn_table_len; i++) {
        const struct insn_desc *t = &insn_table[i];
        struct fmt_layout L = layout(t->fmt);
        for (int s = 0; s < SAMPLES; s++) {
            /* Random bits outside the mask, then each field drawn until its
             * encoding agrees with the bits the mask fixes. */
            uint32_t b = (rnd() << 2 & ~t->mask) | t->match;
            int32_t val[MAXF];
            for (int f = 0; f < L.n; f++) {
                uint32_t fb = field_bits(L.f[f].k), fixed = t->mask & fb;
                int tries = 0;
                do {
                    val[f] = random_value(L.f[f].k);
                    ck_assert_msg(++tries < 100000, "%s: field %d cannot be encoded", t->mnemonic, f);
                } while ((encode(L.f[f].k, val[f]) & fixed) != (t->match & fixed));
                b = (b & ~fb) | encode(L.f[f].k, val[f]);
            }
            ck_assert_msg((b & t->mask) == t->match, "%s sample %d: encoder broke the match", t->mnemonic, s);
            struct dinsn d;
            memset(&d, 0x5a, sizeof d);
            int len = insn_decode(b, &d);
            int want = expected_op32(i, b);
            ck_assert_msg(d.op == want, "%s sample %d: 0x%08x decoded as op %d (%s)", t->mnemonic, s, b,
                          d.op, d.op < insn_table_len ? insn_table[d.op].mnemonic : "internal");
            ck_assert_msg(len == 4 && d.len == 4 && d.cop == 0 && d.bits == b,
                          "%s sample %d: len %d/%d cop %d bits 0x%x", t->mnemonic, s, len, d.len, d.cop, d.bits);
            if (want != i)
                continue;
            for (int f = 0; f < L.n; f++) {
                int32_t got = 0, exp = val[f];
                switch (L.f[f].d) {
                case D_RD_X: got = d.rd; if (exp == 0) exp = X_SINK; break;
                case D_RD:   got = d.rd; break;
                case D_RS1:  got = d.rs1; break;
                case D_RS2:  got = d.rs2; break;
                case D_RS3:  got = d.rs3; break;
                case D_IMM:  got = d.imm; break;
                }
                ck_assert_msg(got == exp, "%s sample %d (0x%08x): field %d is %d, encoded %d", t->mnemonic, s,
                              b, f, got, exp);
            }
            if (L.imm_zero)
                ck_assert_msg(d.imm == 0, "%s sample %d: imm %d for a format without one", t->mnemonic, s, d.imm);
        }
    }
}
END_TEST

/* ---- 16-bit formats --------------------------------------------------- */

struct cexp { int rd, rs1, rs2; int32_t imm; };

static int xrd(int r) { return r ? r : X_SINK; }

/* Random operands for a compressed format (legal, non-reserved choices),
 * encoded; *e receives the expanded instruction's fields. */
static uint32_t cgen(enum cinsn_format f, enum op op, struct cexp *e)
{
    int rdp = rnd_range(0, 7), rs1p = rnd_range(0, 7);
    int r = rnd_range(0, 31), rnz = rnd_range(1, 31);
    int32_t imm6 = rnd_range(-32, 31);
    uint32_t i6 = put((uint32_t)imm6, 5, 5, 12) | put((uint32_t)imm6, 4, 0, 2);
    uint32_t u;
    memset(e, 0, sizeof *e);
    switch (f) {
    case CF_ADDI4SPN:
        u = rnd_range(1, 255) * 4;
        *e = (struct cexp){ 8 + rdp, 2, 0, (int32_t)u };
        return put(u, 5, 4, 11) | put(u, 9, 6, 7) | put(u, 2, 2, 6) | put(u, 3, 3, 5) | rdp << 2;
    case CF_LW: case CF_SW:
        u = rnd_range(0, 31) * 4;
        *e = f == CF_LW ? (struct cexp){ 8 + rdp, 8 + rs1p, 0, (int32_t)u }
                        : (struct cexp){ 0, 8 + rs1p, 8 + rdp, (int32_t)u };
        return put(u, 5, 3, 10) | put(u, 2, 2, 6) | put(u, 6, 6, 5) | rs1p << 7 | rdp << 2;
    case CF_LD: case CF_SD:
        u = rnd_range(0, 31) * 8;
        *e = f == CF_LD ? (struct cexp){ 8 + rdp, 8 + rs1p, 0, (int32_t)u }
                        : (struct cexp){ 0, 8 + rs1p, 8 + rdp, (int32_t)u };
        return put(u, 5, 3, 10) | put(u, 7, 6, 5) | rs1p << 7 | rdp << 2;
    case CF_NOP:
        *e = (struct cexp){ X_SINK, 0, 0, imm6 };
        return i6;
    case CF_ADDI: case CF_ADDIW:
        *e = (struct cexp){ rnz, rnz, 0, imm6 };
        return i6 | rnz << 7;
    case CF_LI:
        *e = (struct cexp){ xrd(r), 0, 0, imm6 };
        return i6 | r << 7;
    case CF_ADDI16SP: {
        int32_t v;
        do v = rnd_range(-32, 31) * 16; while (v == 0);
        u = (uint32_t)v;
        *e = (struct cexp){ 2, 2, 0, v };
        return put(u, 9, 9, 12) | put(u, 4, 4, 6) | put(u, 6, 6, 5) | put(u, 8, 7, 3) | put(u, 5, 5, 2);
    }
    case CF_LUI: {
        int rd;
        do rd = rnd_range(0, 31); while (rd == 2);
        while (imm6 == 0) imm6 = rnd_range(-32, 31);
        i6 = put((uint32_t)imm6, 5, 5, 12) | put((uint32_t)imm6, 4, 0, 2);
        *e = (struct cexp){ xrd(rd), 0, 0, imm6 * 4096 };
        return i6 | rd << 7;
    }
    case CF_SHIFTP:
        u = rnd_range(0, 63);
        *e = (struct cexp){ 8 + rs1p, 8 + rs1p, 0, (int32_t)u };
        return put(u, 5, 5, 12) | put(u, 4, 0, 2) | rs1p << 7;
    case CF_ANDI:
        *e = (struct cexp){ 8 + rs1p, 8 + rs1p, 0, imm6 };
        return i6 | rs1p << 7;
    case CF_ALU:
        *e = (struct cexp){ 8 + rs1p, 8 + rs1p, 8 + rdp, 0 };
        return rs1p << 7 | rdp << 2;
    case CF_J: {
        int32_t v = rnd_range(-1024, 1023) * 2;
        u = (uint32_t)v;
        *e = (struct cexp){ X_SINK, 0, 0, v };
        return put(u, 11, 11, 12) | put(u, 4, 4, 11) | put(u, 9, 8, 9) | put(u, 10, 10, 8) |
               put(u, 6, 6, 7) | put(u, 7, 7, 6) | put(u, 3, 1, 3) | put(u, 5, 5, 2);
    }
    case CF_BZ: {
        int32_t v = rnd_range(-128, 127) * 2;
        u = (uint32_t)v;
        *e = (struct cexp){ 0, 8 + rs1p, 0, v };
        return put(u, 8, 8, 12) | put(u, 4, 3, 10) | put(u, 7, 6, 5) | put(u, 2, 1, 3) | put(u, 5, 5, 2) |
               rs1p << 7;
    }
    case CF_SLLI:
        u = rnd_range(0, 63);
        *e = (struct cexp){ xrd(r), r, 0, (int32_t)u };
        return put(u, 5, 5, 12) | put(u, 4, 0, 2) | r << 7;
    case CF_FLDSP: case CF_LDSP:
        u = rnd_range(0, 63) * 8;
        if (f == CF_LDSP) r = rnz;
        *e = (struct cexp){ r, 2, 0, (int32_t)u };
        return put(u, 5, 5, 12) | put(u, 4, 3, 5) | put(u, 8, 6, 2) | r << 7;
    case CF_LWSP:
        u = rnd_range(0, 63) * 4;
        *e = (struct cexp){ rnz, 2, 0, (int32_t)u };
        return put(u, 5, 5, 12) | put(u, 4, 2, 4) | put(u, 7, 6, 2) | rnz << 7;
    case CF_JR:
        *e = (struct cexp){ X_SINK, rnz, 0, 0 };
        return rnz << 7;
    case CF_MV:
        *e = (struct cexp){ xrd(r), 0, rnz, 0 };
        return r << 7 | rnz << 2;
    case CF_EBREAK:
        return 0;
    case CF_JALR:
        *e = (struct cexp){ 1, rnz, 0, 0 };
        return rnz << 7;
    case CF_ADD:
        *e = (struct cexp){ xrd(r), r, rnz, 0 };
        return r << 7 | rnz << 2;
    case CF_SWSP:
        u = rnd_range(0, 63) * 4;
        *e = (struct cexp){ 0, 2, r, (int32_t)u };
        return put(u, 5, 2, 9) | put(u, 7, 6, 7) | r << 2;
    case CF_SDSP:
        u = rnd_range(0, 63) * 8;
        *e = (struct cexp){ 0, 2, r, (int32_t)u };
        return put(u, 5, 3, 10) | put(u, 8, 6, 7) | r << 2;
    case CF_MOP:                        /* c.mop.N, N = 1, 3, ..., 15: rd not written */
        *e = (struct cexp){ X_SINK, 0, 0, 0 };
        return put((uint32_t)rnd_range(0, 7), 2, 0, 8);
    case CF_LSB: case CF_LSH: {         /* Zcb: uimm[0] at bit 6 (bytes only), uimm[1] at bit 5 */
        u = f == CF_LSB ? (uint32_t)rnd_range(0, 3) : (uint32_t)rnd_range(0, 1) * 2;
        bool store = op == OP_sb || op == OP_sh;
        *e = store ? (struct cexp){ 0, 8 + rs1p, 8 + rdp, (int32_t)u }
                   : (struct cexp){ 8 + rdp, 8 + rs1p, 0, (int32_t)u };
        return put(u, 0, 0, 6) | put(u, 1, 1, 5) | rs1p << 7 | rdp << 2;
    }
    case CF_UNARY:                      /* c.zext.b = andi 255, c.not = xori -1 */
        *e = (struct cexp){ 8 + rs1p, 8 + rs1p, 0, op == OP_andi ? 255 : op == OP_xori ? -1 : 0 };
        return rs1p << 7;
    }
    ck_abort_msg("format %d has no generator", f);
    return 0;
}

START_TEST(roundtrip16)
{
    rng_state = 0x13198a2e03707344ull;
    for (int i = 0; i < cinsn_table_len; i++) {
        const struct cinsn_desc *c = &cinsn_table[i];
        for (int s = 0; s < SAMPLES; s++) {
            struct cexp e;
            uint32_t b = c->match | cgen(c->fmt, c->op, &e);
            ck_assert_msg((b & c->mask) == c->match, "%s sample %d: 0x%04x leaves the pattern", c->mnemonic, s, b);
            struct dinsn d;
            memset(&d, 0x5a, sizeof d);
            /* The upper half is the next instruction's: it must not matter. */
            int len = insn_decode(b | rnd() << 16, &d);
            ck_assert_msg(len == 2 && d.len == 2 && d.bits == b, "%s sample %d: len %d bits 0x%x", c->mnemonic,
                          s, len, d.bits);
            ck_assert_msg(d.op == c->op && d.cop == i + 1, "%s sample %d: 0x%04x gave op %d cop %d", c->mnemonic, s,
                          b, d.op, d.cop);
            ck_assert_msg(d.rd == e.rd && d.rs1 == e.rs1 && d.rs2 == e.rs2 && d.imm == e.imm,
                          "%s sample %d (0x%04x): rd %d rs1 %d rs2 %d imm %d, encoded %d %d %d %d", c->mnemonic, s,
                          b, d.rd, d.rs1, d.rs2, d.imm, e.rd, e.rs1, e.rs2, e.imm);
        }
    }
}
END_TEST

/* Reserved RVC encodings (RVC listings: "RES" entries), as families of
 * fixed bits plus free bits. */
static const struct { const char *what; uint16_t fixed, freebits; } reserved[] = {
    { "c.addi4spn nzuimm=0", 0x0000, 0x001c },     /* any rd' */
    { "quadrant 0, funct3=100, bit 12 set", 0x9000, 0x0ffc },
    { "c.sh with bit 6 set", 0x8c40, 0x03bc },
    { "c.addiw rd=0", 0x2001, 0x107c },
    { "c.addi16sp nzimm=0", 0x6101, 0x0000 },
    { "c.lui x16 nzimm=0", 0x6801, 0x0000 },
    { "c.lui x31 nzimm=0", 0x6f81, 0x0000 },
    { "c.lui x8 nzimm=0", 0x6401, 0x0000 },
    { "q1 100 1 11 rs1' 11 110/111", 0x9c79, 0x0384 },
    { "c.lwsp rd=0", 0x4002, 0x107c },
    { "c.ldsp rd=0", 0x6002, 0x107c },
    { "c.jr rs1=0", 0x8002, 0x0000 },
};

START_TEST(rvc_reserved)
{
    uint16_t fr = reserved[_i].freebits;
    int n = 0;
    /* Every combination of the free bits (subsets of fr). */
    uint16_t sub = 0;
    do {
        uint32_t b = reserved[_i].fixed | sub;
        struct dinsn d;
        insn_decode(b, &d);
        ck_assert_msg(d.op == OP__ILLEGAL, "case %d (%s): 0x%04x decoded as %s", _i, reserved[_i].what, b,
                      d.op < insn_table_len ? insn_table[d.op].mnemonic : "internal op");
        ck_assert_msg(d.len == 2 && d.bits == b, "case %d: 0x%04x len %d", _i, b, d.len);
        n++;
        sub = (uint16_t)((sub - fr) & fr);
    } while (sub);
    ck_assert_int_eq(n, 1 << __builtin_popcount(fr));
}
END_TEST

/* Some 32-bit words no extension defines. */
START_TEST(illegal32)
{
    static const uint32_t words[] = {
        0xffffffff, 0xfe000033, 0x0000707b, 0x0000205b, 0x00004073, 0x0000600f,
        0x7e001013,     /* slli with imm[11:6] = 011111 */
        0x4200501b,     /* sraiw with shamt[5] set: reserved in RV64 */
    };
    for (unsigned k = 0; k < sizeof words / sizeof words[0]; k++) {
        struct dinsn d;
        insn_decode(words[k], &d);
        ck_assert_msg(d.op == OP__ILLEGAL, "case %u: 0x%08x decoded as %s", k, words[k],
                      d.op < insn_table_len ? insn_table[d.op].mnemonic : "internal op");
        ck_assert_msg(d.len == 4 && d.bits == words[k], "case %u: len %d", k, d.len);
    }
}
END_TEST

/* The extensions objdump 2.40 cannot check (tests/disasm): the text for
 * encodings built from the spec's tables, in the names binutils 2.41 and
 * later print (a Zcb form as its expansion, as for C). */
START_TEST(disasm_newer)
{
    static const struct { uint32_t bits; const char *text; } cases[] = {
        { 0x833c, "lbu\ta5,2(a4)" }, { 0x873c, "lhu\ta5,2(a4)" }, { 0x877c, "lh\ta5,2(a4)" },
        { 0x8b3c, "sb\ta5,2(a4)" }, { 0x8f3c, "sh\ta5,2(a4)" }, { 0x9c61, "zext.b\ts0,s0" },
        { 0x9c65, "sext.b\ts0,s0" }, { 0x9c69, "zext.h\ts0,s0" }, { 0x9c6d, "sext.h\ts0,s0" },
        { 0x9c71, "zext.w\ts0,s0" }, { 0x9c75, "not\ts0,s0" }, { 0x9dcd, "mul\ta1,a1,a1" },
        { 0x6081, "c.mop.1" }, { 0x6781, "c.mop.15" }, { 0x6f81, ".2byte\t0x6f81" },
        { 0x900a, "ntl.p1" }, { 0x9016, "ntl.all" }, { 0x00200033, "ntl.p1" },
        { 0x00300033, "ntl.pall" }, { 0x00400033, "ntl.s1" }, { 0x00600033, "add\tzero,zero,t1" },
        { 0x81c5c573, "mop.r.0\ta0,a1" }, { 0xcdf5c573, "mop.r.31\ta0,a1" },
        { 0xcec5c573, "mop.rr.7\ta0,a1,a2" }, { 0x82c5c073, "mop.rr.0\tzero,a1,a2" },
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct dinsn d;
        char buf[64];
        insn_decode(cases[k].bits, &d);
        insn_disasm(&d, 0x80000000, buf, sizeof buf);
        ck_assert_msg(!strcmp(buf, cases[k].text), "0x%x: \"%s\", want \"%s\"", cases[k].bits, buf,
                      cases[k].text);
    }
}
END_TEST

/* Pairs of entries some encoding matches both: only the documented ones,
 * each in the order "special case first". */
static void check_overlaps(bool rvc, int *seen)
{
    int n = rvc ? cinsn_table_len : insn_table_len;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            uint32_t mi = rvc ? cinsn_table[i].match : insn_table[i].match;
            uint32_t ki = rvc ? cinsn_table[i].mask : insn_table[i].mask;
            uint32_t mj = rvc ? cinsn_table[j].match : insn_table[j].match;
            uint32_t kj = rvc ? cinsn_table[j].mask : insn_table[j].mask;
            const char *ni = rvc ? cinsn_table[i].mnemonic : insn_table[i].mnemonic;
            const char *nj = rvc ? cinsn_table[j].mnemonic : insn_table[j].mnemonic;
            if ((mi ^ mj) & ki & kj)
                continue;               /* disjoint */
            int a = allowed_index(ni, nj);
            ck_assert_msg(a >= 0, "%s (entry %d) and %s (entry %d) overlap", ni, i, nj, j);
            /* The earlier one must be a strict special case of the later. */
            ck_assert_msg((ki & kj) == kj && ki != kj, "%s must be a special case of %s", ni, nj);
            seen[a]++;
        }
}

START_TEST(overlaps)
{
    int seen[N_ALLOWED] = { 0 };
    check_overlaps(false, seen);
    check_overlaps(true, seen);
    for (int a = 0; a < N_ALLOWED; a++)
        ck_assert_msg(seen[a] == 1, "allowed overlap %s/%s found %d times (stale list?)",
                      allowed_overlaps[a][0], allowed_overlaps[a][1], seen[a]);
}
END_TEST

/* Every 16-bit encoding and many random 32-bit ones: the decoder's answer
 * is the first table entry that matches, or OP__ILLEGAL when none does
 * (for 16-bit: or when the encoding is reserved). */
START_TEST(exhaustive16)
{
    for (uint32_t b = 0; b < 0x10000; b++) {
        if ((b & 3) == 3)
            continue;
        struct dinsn d;
        insn_decode(b, &d);
        int first = -1;
        for (int i = 0; i < cinsn_table_len && first < 0; i++)
            if ((b & cinsn_table[i].mask) == cinsn_table[i].match)
                first = i;
        if (d.op == OP__ILLEGAL)
            continue;
        ck_assert_msg(first >= 0, "0x%04x matches no entry but decoded as op %d", b, d.op);
        ck_assert_msg(d.cop == first + 1 && d.op == cinsn_table[first].op, "0x%04x: cop %d, first match %s", b,
                      d.cop, cinsn_table[first].mnemonic);
        ck_assert_msg(d.rd <= X_SINK && d.rs1 < 32 && d.rs2 < 32, "0x%04x: register out of range", b);
    }
}
END_TEST

START_TEST(random32)
{
    rng_state = 0xa4093822299f31d0ull;
    for (int k = 0; k < 200000; k++) {
        uint32_t b = rnd() << 2 | 3;
        struct dinsn d;
        insn_decode(b, &d);
        int first = -1;
        for (int i = 0; i < insn_table_len && first < 0; i++)
            if ((b & insn_table[i].mask) == insn_table[i].match)
                first = i;
        int want = first < 0 ? OP__ILLEGAL : first;
        ck_assert_msg(d.op == want, "case %d: 0x%08x decoded as %d, table says %d", k, b, d.op, want);
        ck_assert_msg(d.rd <= X_SINK && d.rs1 < 32 && d.rs2 < 32 && d.rs3 < 32, "case %d: register range", k);
    }
}
END_TEST

static Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *t = tcase_create("decode");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, table_sane);
    tcase_add_test(t, roundtrip32);
    tcase_add_test(t, roundtrip16);
    tcase_add_loop_test(t, rvc_reserved, 0, sizeof reserved / sizeof reserved[0]);
    tcase_add_test(t, illegal32);
    tcase_add_test(t, overlaps);
    tcase_add_test(t, disasm_newer);
    tcase_add_test(t, exhaustive16);
    tcase_add_test(t, random32);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(decode_suite)

/*
 * Differential test of the FP core (cpu/fpu.c, cpu/fpu_zfa.c, cpu/fpu.h)
 * against GNU MPFR: binary16 (Zfh), binary32, binary64, and Zfa's fli,
 * fround/froundnx, fcvtmod.w.d, fminm/fmaxm, fleq/fltq.
 *
 *   fp_oracle [-n VECTORS] [-s SEED] [-o OPNAME] [-l]
 *
 * (-o: one operation only; -l: list the operations.)
 *
 * For every operation and every rounding mode it draws VECTORS operand sets
 * (random bit patterns, special values, subnormals, values near overflow and
 * underflow, near-ties, cancelling sums), runs them through the FP core --
 * both the dispatching interface the executor uses (host fast path where it
 * applies) and the software core -- and compares the result bits and the
 * RISC-V fflags with MPFR's, printing every mismatch. The last line is
 * "fp-oracle: P passed, F failed" (a vector passes if every path matches).
 * Operations of one binary16 operand (fsqrt.h, fround.h, fcvt.*.h from
 * binary16) take every one of the 65536 inputs instead, in every mode.
 *
 * How the oracle rounds (independently of cpu/fpu.c):
 * - the exact result is computed at 128 bits toward zero and made "sticky"
 *   (if inexact, a half ulp at bit 129 is added away from zero), which any
 *   rounding to <= 126 bits treats exactly like the true value;
 * - rounding to the format uses MPFR itself: mpfr_set to the precision, then
 *   mpfr_check_range and mpfr_subnormalize with the emulated exponent range
 *   (emin/emax of binary16/32/64, as the MPFR manual describes); binary16
 *   bit patterns are read and written here field by field (the host has no
 *   binary16 type);
 * - RMM (ties away) is RNDN except at an exact midpoint of the RNDZ and RNDA
 *   results, where it is the RNDA result;
 * - tininess is after rounding: the value rounded to full precision with an
 *   unbounded exponent is below 2^emin; UF = tiny and inexact;
 * - RISC-V rules MPFR has no notion of: signalling NaNs raise NV, NaN
 *   results are the canonical NaN, 0 * inf + qNaN raises NV, float-to-int
 *   saturation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <mpfr.h>
#include "fpu.h"

#define P 128                           /* working precision of exact results */

enum kind { K_ADD, K_SUB, K_MUL, K_DIV, K_SQRT, K_FMA, K_FF, K_FI, K_IF, K_MIN, K_MAX, K_EQ, K_LT, K_LE,
            /* Zfa */
            K_ROUND, K_ROUNDNX, K_CVTMOD, K_FLI, K_MINM, K_MAXM, K_LEQ, K_LTQ };

struct op {
    const char *name;
    enum kind kind;
    int fmt;                            /* result format (K_FI: source format) */
    int width;                          /* integer width for K_FI/K_IF */
    bool sgn;
    bool np, na;                        /* FMA negations */
    int src;                            /* K_FF: source format */
};

static const struct op ops[] = {
#define AR(n, k, f) { n, k, f, 0, 0, 0, 0, 0 }
    AR("fadd.s", K_ADD, FP_S), AR("fsub.s", K_SUB, FP_S), AR("fmul.s", K_MUL, FP_S),
    AR("fdiv.s", K_DIV, FP_S), AR("fsqrt.s", K_SQRT, FP_S),
    AR("fadd.d", K_ADD, FP_D), AR("fsub.d", K_SUB, FP_D), AR("fmul.d", K_MUL, FP_D),
    AR("fdiv.d", K_DIV, FP_D), AR("fsqrt.d", K_SQRT, FP_D),
    { "fmadd.s", K_FMA, FP_S, 0, 0, 0, 0, 0 }, { "fmsub.s", K_FMA, FP_S, 0, 0, 0, 1, 0 },
    { "fnmsub.s", K_FMA, FP_S, 0, 0, 1, 0, 0 }, { "fnmadd.s", K_FMA, FP_S, 0, 0, 1, 1, 0 },
    { "fmadd.d", K_FMA, FP_D, 0, 0, 0, 0, 0 }, { "fmsub.d", K_FMA, FP_D, 0, 0, 0, 1, 0 },
    { "fnmsub.d", K_FMA, FP_D, 0, 0, 1, 0, 0 }, { "fnmadd.d", K_FMA, FP_D, 0, 0, 1, 1, 0 },
#define FF(n, to, from) { n, K_FF, to, 0, 0, 0, 0, from }
    FF("fcvt.s.d", FP_S, FP_D), FF("fcvt.d.s", FP_D, FP_S),
    { "fcvt.w.s", K_FI, FP_S, 32, 1, 0, 0, 0 }, { "fcvt.wu.s", K_FI, FP_S, 32, 0, 0, 0, 0 },
    { "fcvt.l.s", K_FI, FP_S, 64, 1, 0, 0, 0 }, { "fcvt.lu.s", K_FI, FP_S, 64, 0, 0, 0, 0 },
    { "fcvt.w.d", K_FI, FP_D, 32, 1, 0, 0, 0 }, { "fcvt.wu.d", K_FI, FP_D, 32, 0, 0, 0, 0 },
    { "fcvt.l.d", K_FI, FP_D, 64, 1, 0, 0, 0 }, { "fcvt.lu.d", K_FI, FP_D, 64, 0, 0, 0, 0 },
    { "fcvt.s.w", K_IF, FP_S, 32, 1, 0, 0, 0 }, { "fcvt.s.wu", K_IF, FP_S, 32, 0, 0, 0, 0 },
    { "fcvt.s.l", K_IF, FP_S, 64, 1, 0, 0, 0 }, { "fcvt.s.lu", K_IF, FP_S, 64, 0, 0, 0, 0 },
    { "fcvt.d.w", K_IF, FP_D, 32, 1, 0, 0, 0 }, { "fcvt.d.wu", K_IF, FP_D, 32, 0, 0, 0, 0 },
    { "fcvt.d.l", K_IF, FP_D, 64, 1, 0, 0, 0 }, { "fcvt.d.lu", K_IF, FP_D, 64, 0, 0, 0, 0 },
    AR("fmin.s", K_MIN, FP_S), AR("fmax.s", K_MAX, FP_S), AR("feq.s", K_EQ, FP_S),
    AR("flt.s", K_LT, FP_S), AR("fle.s", K_LE, FP_S),
    AR("fmin.d", K_MIN, FP_D), AR("fmax.d", K_MAX, FP_D), AR("feq.d", K_EQ, FP_D),
    AR("flt.d", K_LT, FP_D), AR("fle.d", K_LE, FP_D),
    /* Zfh */
    AR("fadd.h", K_ADD, FP_H), AR("fsub.h", K_SUB, FP_H), AR("fmul.h", K_MUL, FP_H),
    AR("fdiv.h", K_DIV, FP_H), AR("fsqrt.h", K_SQRT, FP_H),
    { "fmadd.h", K_FMA, FP_H, 0, 0, 0, 0, 0 }, { "fmsub.h", K_FMA, FP_H, 0, 0, 0, 1, 0 },
    { "fnmsub.h", K_FMA, FP_H, 0, 0, 1, 0, 0 }, { "fnmadd.h", K_FMA, FP_H, 0, 0, 1, 1, 0 },
    FF("fcvt.h.s", FP_H, FP_S), FF("fcvt.s.h", FP_S, FP_H),
    FF("fcvt.h.d", FP_H, FP_D), FF("fcvt.d.h", FP_D, FP_H),
    { "fcvt.w.h", K_FI, FP_H, 32, 1, 0, 0, 0 }, { "fcvt.wu.h", K_FI, FP_H, 32, 0, 0, 0, 0 },
    { "fcvt.l.h", K_FI, FP_H, 64, 1, 0, 0, 0 }, { "fcvt.lu.h", K_FI, FP_H, 64, 0, 0, 0, 0 },
    { "fcvt.h.w", K_IF, FP_H, 32, 1, 0, 0, 0 }, { "fcvt.h.wu", K_IF, FP_H, 32, 0, 0, 0, 0 },
    { "fcvt.h.l", K_IF, FP_H, 64, 1, 0, 0, 0 }, { "fcvt.h.lu", K_IF, FP_H, 64, 0, 0, 0, 0 },
    AR("fmin.h", K_MIN, FP_H), AR("fmax.h", K_MAX, FP_H), AR("feq.h", K_EQ, FP_H),
    AR("flt.h", K_LT, FP_H), AR("fle.h", K_LE, FP_H),
    /* Zfa */
    AR("fround.s", K_ROUND, FP_S), AR("froundnx.s", K_ROUNDNX, FP_S),
    AR("fround.d", K_ROUND, FP_D), AR("froundnx.d", K_ROUNDNX, FP_D),
    AR("fround.h", K_ROUND, FP_H), AR("froundnx.h", K_ROUNDNX, FP_H),
    AR("fcvtmod.w.d", K_CVTMOD, FP_D),
    AR("fli.s", K_FLI, FP_S), AR("fli.d", K_FLI, FP_D), AR("fli.h", K_FLI, FP_H),
    AR("fminm.s", K_MINM, FP_S), AR("fmaxm.s", K_MAXM, FP_S),
    AR("fminm.d", K_MINM, FP_D), AR("fmaxm.d", K_MAXM, FP_D),
    AR("fminm.h", K_MINM, FP_H), AR("fmaxm.h", K_MAXM, FP_H),
    AR("fleq.s", K_LEQ, FP_S), AR("fltq.s", K_LTQ, FP_S),
    AR("fleq.d", K_LEQ, FP_D), AR("fltq.d", K_LTQ, FP_D),
    AR("fleq.h", K_LEQ, FP_H), AR("fltq.h", K_LTQ, FP_H),
#undef AR
#undef FF
};
#define NOPS ((int)(sizeof ops / sizeof ops[0]))

static const char *const rm_name[] = { "rne", "rtz", "rdn", "rup", "rmm" };

/* ---- formats ------------------------------------------------------------ */
static int prec(int fmt) { return fmt == FP_S ? 24 : fmt == FP_D ? 53 : 11; }
static int mbits(int fmt) { return prec(fmt) - 1; }
static int bias(int fmt) { return fmt == FP_S ? 127 : fmt == FP_D ? 1023 : 15; }
static uint64_t fmask(int fmt) { return fmt == FP_S ? 0xffffffffull : fmt == FP_D ? ~0ull : 0xffffull; }
/* MPFR exponents (significand in [1/2, 1)) of the emulated format: those
 * of the smallest subnormal and of the largest finite value. */
static int mp_emin(int fmt) { return fmt == FP_S ? -148 : fmt == FP_D ? -1073 : -23; }
static int mp_emax(int fmt) { return fmt == FP_S ? 128 : fmt == FP_D ? 1024 : 16; }

/* binary16 fields: sign bit 15, exponent 14:10 (bias 15), fraction 9:0 */
static void h_to_mpfr(mpfr_t x, uint64_t v)
{
    unsigned e = (v >> 10) & 31, f = v & 0x3ff;
    if (e == 31)
        f ? mpfr_set_nan(x) : mpfr_set_inf(x, 1);
    else if (e == 0)
        mpfr_set_ui_2exp(x, f, -24, MPFR_RNDN);
    else
        mpfr_set_ui_2exp(x, f | 0x400, (int)e - 25, MPFR_RNDN);
    if (v & 0x8000)
        mpfr_neg(x, x, MPFR_RNDN);
}

/* x must be a binary16 value (the oracle rounded it so). */
static uint64_t h_from_mpfr(mpfr_t x)
{
    uint64_t s = mpfr_signbit(x) ? 0x8000 : 0;
    if (mpfr_nan_p(x))
        return 0x7e00;
    if (mpfr_inf_p(x))
        return s | 0x7c00;
    if (mpfr_zero_p(x))
        return s;
    mpfr_t m;
    mpfr_init2(m, 64);
    mpfr_abs(m, x, MPFR_RNDN);
    long e = mpfr_get_exp(m) - 1;       /* x = 1.f * 2^e */
    uint64_t r;
    if (e < -14) {                      /* subnormal: a multiple of 2^-24 */
        mpfr_mul_2si(m, m, 24, MPFR_RNDN);
        r = s | mpfr_get_ui(m, MPFR_RNDN);
    } else {
        mpfr_mul_2si(m, m, 10 - e, MPFR_RNDN);
        r = s | (uint64_t)(e + 15) << 10 | (mpfr_get_ui(m, MPFR_RNDN) & 0x3ff);
    }
    mpfr_clear(m);
    return r;
}

static void to_mpfr(mpfr_t x, int fmt, uint64_t v)
{
    if (fmt == FP_H) {
        h_to_mpfr(x, v);
    } else if (fmt == FP_S) {
        float f; uint32_t u = v; memcpy(&f, &u, 4);
        mpfr_set_flt(x, f, MPFR_RNDN);
    } else {
        double f; memcpy(&f, &v, 8);
        mpfr_set_d(x, f, MPFR_RNDN);
    }
}

static uint64_t from_mpfr(mpfr_t x, int fmt)
{
    if (fmt == FP_H)
        return h_from_mpfr(x);
    if (fmt == FP_S) {
        float f = mpfr_get_flt(x, MPFR_RNDN); uint32_t u; memcpy(&u, &f, 4);
        return u;
    }
    double f = mpfr_get_d(x, MPFR_RNDN); uint64_t u; memcpy(&u, &f, 8);
    return u;
}

static mpfr_rnd_t mp_rnd(int rm)
{
    static const mpfr_rnd_t t[] = { MPFR_RNDN, MPFR_RNDZ, MPFR_RNDD, MPFR_RNDU, MPFR_RNDN };
    return t[rm];
}

/* ---- oracle rounding ------------------------------------------------------ */
struct oracle {
    mpfr_exp_t emin0, emax0;            /* MPFR's default exponent range */
    mpfr_t a, b, c, y, t, u, rz, ra, rn, mid;
};

/* Round y to the format's precision, unbounded exponent, with an MPFR mode. */
static int round_unbounded(struct oracle *o, mpfr_t r, int fmt, mpfr_rnd_t rnd)
{
    mpfr_set_prec(r, prec(fmt));
    return mpfr_set(r, o->y, rnd);
}

/* Round y into the format with subnormals and overflow; returns the ternary. */
static int round_bounded(struct oracle *o, mpfr_t r, int fmt, mpfr_rnd_t rnd)
{
    int t = round_unbounded(o, r, fmt, rnd);
    mpfr_set_emin(mp_emin(fmt));
    mpfr_set_emax(mp_emax(fmt));
    t = mpfr_check_range(r, t, rnd);
    t = mpfr_subnormalize(r, t, rnd);
    mpfr_set_emin(o->emin0);
    mpfr_set_emax(o->emax0);
    return t;
}

/* RMM from RNDZ/RNDA/RNDN results: the RNDA one at an exact midpoint. */
static bool is_midpoint(struct oracle *o)
{
    mpfr_set_prec(o->mid, P + 8);
    mpfr_add(o->mid, o->rz, o->ra, MPFR_RNDN);      /* exact */
    mpfr_div_2ui(o->mid, o->mid, 1, MPFR_RNDN);
    return mpfr_equal_p(o->mid, o->y);
}

/* y (nonzero, finite, sticky-exact) rounded into fmt: bits and flags. */
static uint64_t oracle_round(struct oracle *o, int fmt, int rm, unsigned *fl)
{
    mpfr_t *u = &o->u;
    /* unbounded rounding: tininess and overflow */
    if (rm == RM_RMM) {
        round_unbounded(o, o->rz, fmt, MPFR_RNDZ);
        round_unbounded(o, o->ra, fmt, MPFR_RNDA);
        round_unbounded(o, o->u, fmt, MPFR_RNDN);
        if (!mpfr_equal_p(o->rz, o->ra) && is_midpoint(o))
            mpfr_set(o->u, o->ra, MPFR_RNDN);
    } else {
        round_unbounded(o, o->u, fmt, mp_rnd(rm));
    }
    bool tiny = mpfr_get_exp(*u) < mp_emin(fmt) + mbits(fmt);  /* |u| < 2^emin */
    bool ovf = mpfr_get_exp(*u) > mp_emax(fmt);
    int t;
    if (rm == RM_RMM) {
        if (ovf) {
            *fl |= FFLAG_OF | FFLAG_NX;
            return (mpfr_signbit(o->y) ? fp_sign(fmt) : 0) | fp_inf(fmt);
        }
        int tz = round_bounded(o, o->rz, fmt, MPFR_RNDZ);
        round_bounded(o, o->ra, fmt, MPFR_RNDA);
        round_bounded(o, o->rn, fmt, MPFR_RNDN);
        t = tz;
        if (tz == 0 || mpfr_inf_p(o->ra))
            mpfr_set(o->t, o->rz, MPFR_RNDN);
        else if (is_midpoint(o))
            mpfr_set(o->t, o->ra, MPFR_RNDN);
        else
            mpfr_set(o->t, o->rn, MPFR_RNDN);
    } else {
        mpfr_clear_flags();
        t = round_bounded(o, o->t, fmt, mp_rnd(rm));
        if (!!mpfr_overflow_p() != ovf) {
            mpfr_fprintf(stderr, "fp-oracle: internal disagreement on overflow: y=%Ra u=%Ra t=%Ra ovf=%d rm=%d\n", o->y, o->u, o->t, ovf, rm);
            exit(2);
        }
    }
    if (t)
        *fl |= FFLAG_NX;
    if (t && tiny)
        *fl |= FFLAG_UF;
    if (ovf)
        *fl |= FFLAG_OF;
    return from_mpfr(o->t, fmt);
}

/* Make y (computed toward zero with ternary t) sticky: see the file header. */
static void make_sticky(struct oracle *o, int t)
{
    mpfr_prec_round(o->y, P + 1, MPFR_RNDN);        /* exact */
    if (t) {
        if (mpfr_signbit(o->y))
            mpfr_nextbelow(o->y);
        else
            mpfr_nextabove(o->y);
    }
}

static bool bits_snan(int fmt, uint64_t v) { return fp_is_snan(fmt, v); }
static bool bits_nan(int fmt, uint64_t v) { return fp_is_nan(fmt, v); }
static bool bits_inf(int fmt, uint64_t v) { return (v & ~fp_sign(fmt)) == fp_inf(fmt); }

/* Apply the arithmetic op to o->a, o->b, o->c into dst with rnd. */
static int mp_apply(struct oracle *o, const struct op *op, mpfr_t dst, mpfr_rnd_t rnd)
{
    switch (op->kind) {
    case K_ADD:  return mpfr_add(dst, o->a, o->b, rnd);
    case K_SUB:  return mpfr_sub(dst, o->a, o->b, rnd);
    case K_MUL:  return mpfr_mul(dst, o->a, o->b, rnd);
    case K_DIV:  return mpfr_div(dst, o->a, o->b, rnd);
    case K_SQRT: return mpfr_sqrt(dst, o->a, rnd);
    case K_FMA:  return mpfr_fma(dst, o->a, o->b, o->c, rnd);
    default:     return mpfr_set(dst, o->a, rnd);       /* K_FF, K_IF */
    }
}

/* Expected result of a rounding operation (arithmetic, K_FF, K_IF). */
static uint64_t expect_round(struct oracle *o, const struct op *op, int rm, uint64_t a,
                             uint64_t b, uint64_t c, unsigned *fl)
{
    int fmt = op->fmt, sfmt = op->kind == K_FF ? op->src : fmt;
    int nin = op->kind == K_FMA ? 3 : op->kind == K_SQRT || op->kind == K_FF ? 1 : 2;
    if (op->kind == K_IF) {
        mpfr_set_prec(o->a, 64);
        if (op->width == 32)
            a = op->sgn ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
        if (op->sgn)
            mpfr_set_sj(o->a, (intmax_t)(int64_t)a, MPFR_RNDN);
        else
            mpfr_set_uj(o->a, (uintmax_t)a, MPFR_RNDN);
        nin = 0;
    }
    uint64_t in[3] = { a, b, c };
    if (op->kind == K_FMA) {                /* the negations are exact */
        in[0] ^= op->np ? fp_sign(fmt) : 0;
        in[2] ^= op->na ? fp_sign(fmt) : 0;
    }
    bool anynan = false, anysnan = false;
    for (int i = 0; i < nin; i++) {
        anynan |= bits_nan(sfmt, in[i]);
        anysnan |= bits_snan(sfmt, in[i]);
    }
    if (op->kind == K_FMA && ((bits_inf(fmt, a) && fp_is_zero(fmt, b)) ||
                              (fp_is_zero(fmt, a) && bits_inf(fmt, b)))) {
        *fl |= FFLAG_NV;                    /* even when c is a quiet NaN */
        return fp_canon_nan(fmt);
    }
    if (anynan) {
        if (anysnan)
            *fl |= FFLAG_NV;
        return fp_canon_nan(fmt);
    }
    mpfr_t *src[3] = { &o->a, &o->b, &o->c };
    for (int i = 0; i < nin; i++) {
        mpfr_set_prec(*src[i], prec(sfmt));
        to_mpfr(*src[i], sfmt, in[i]);
    }
    mpfr_set_prec(o->y, P);
    mpfr_clear_flags();
    int t = mp_apply(o, op, o->y, MPFR_RNDZ);
    if (mpfr_nan_p(o->y)) {
        *fl |= FFLAG_NV;
        return fp_canon_nan(fmt);
    }
    if (mpfr_inf_p(o->y)) {
        if (mpfr_divby0_p())
            *fl |= FFLAG_DZ;
        return (mpfr_signbit(o->y) ? fp_sign(fmt) : 0) | fp_inf(fmt);
    }
    if (mpfr_zero_p(o->y)) {                /* exact zero: the sign depends on the mode */
        mpfr_set_prec(o->y, prec(fmt));
        mp_apply(o, op, o->y, mp_rnd(rm));
        return mpfr_signbit(o->y) ? fp_sign(fmt) : 0;
    }
    make_sticky(o, t);
    return oracle_round(o, fmt, rm, fl);
}

/* Expected float -> integer conversion. */
static uint64_t expect_fi(struct oracle *o, const struct op *op, int rm, uint64_t a, unsigned *fl)
{
    int fmt = op->fmt;
    mpfr_t lo, hi;
    mpfr_inits2(80, lo, hi, (mpfr_ptr)0);
    if (op->sgn) {
        mpfr_set_si_2exp(lo, -1, op->width - 1, MPFR_RNDN);
        mpfr_set_ui_2exp(hi, 1, op->width - 1, MPFR_RNDN);
    } else {
        mpfr_set_ui(lo, 0, MPFR_RNDN);
        mpfr_set_ui_2exp(hi, 1, op->width, MPFR_RNDN);
    }
    mpfr_sub_ui(hi, hi, 1, MPFR_RNDN);      /* exact at 80 bits */
    uint64_t res;
    if (bits_nan(fmt, a) || bits_inf(fmt, a)) {
        *fl |= FFLAG_NV;
        mpfr_t *lim = bits_inf(fmt, a) && (a & fp_sign(fmt)) ? &lo : &hi;
        res = op->sgn ? (uint64_t)mpfr_get_sj(*lim, MPFR_RNDN) : (uint64_t)mpfr_get_uj(*lim, MPFR_RNDN);
    } else {
        mpfr_set_prec(o->a, prec(fmt));
        to_mpfr(o->a, fmt, a);
        mpfr_set_prec(o->t, 200);
        if (rm == RM_RMM)
            mpfr_round(o->t, o->a);
        else
            mpfr_rint(o->t, o->a, mp_rnd(rm));
        if (mpfr_less_p(o->t, lo) || mpfr_greater_p(o->t, hi)) {
            *fl |= FFLAG_NV;
            mpfr_t *lim = mpfr_signbit(o->a) ? &lo : &hi;
            res = op->sgn ? (uint64_t)mpfr_get_sj(*lim, MPFR_RNDN) : (uint64_t)mpfr_get_uj(*lim, MPFR_RNDN);
        } else {
            if (!mpfr_integer_p(o->a))
                *fl |= FFLAG_NX;
            res = op->sgn ? (uint64_t)mpfr_get_sj(o->t, MPFR_RNDN) : (uint64_t)mpfr_get_uj(o->t, MPFR_RNDN);
        }
    }
    mpfr_clears(lo, hi, (mpfr_ptr)0);
    return op->width == 32 ? (uint64_t)(int64_t)(int32_t)res : res;
}

/* Expected fmin/fmax/feq/flt/fle (ordering from MPFR, NaN rules from the spec). */
static uint64_t expect_cmp(struct oracle *o, const struct op *op, uint64_t a, uint64_t b, unsigned *fl)
{
    int fmt = op->fmt;
    bool na = bits_nan(fmt, a), nb = bits_nan(fmt, b);
    bool sig = bits_snan(fmt, a) || bits_snan(fmt, b);
    enum kind k = op->kind;
    if (k == K_MINM || k == K_MAXM) {       /* IEEE 754-2019 minimum/maximum: any NaN wins */
        if (sig)
            *fl |= FFLAG_NV;
        if (na || nb)
            return fp_canon_nan(fmt);
        k = k == K_MINM ? K_MIN : K_MAX;
    } else if (k == K_LEQ || k == K_LTQ) {  /* quiet: NV only for signalling NaNs */
        if (sig)
            *fl |= FFLAG_NV;
        if (na || nb)
            return 0;
        k = k == K_LEQ ? K_LE : K_LT;
    }
    if (k == K_MIN || k == K_MAX) {
        if (sig)
            *fl |= FFLAG_NV;
        if (na && nb)
            return fp_canon_nan(fmt);
        if (na || nb)
            return na ? b : a;
    } else if (na || nb) {
        if (sig || op->kind != K_EQ)
            *fl |= FFLAG_NV;
        return 0;
    }
    mpfr_set_prec(o->a, prec(fmt));
    mpfr_set_prec(o->b, prec(fmt));
    to_mpfr(o->a, fmt, a);
    to_mpfr(o->b, fmt, b);
    int c = mpfr_cmp(o->a, o->b);
    switch (k) {
    case K_EQ: return c == 0;
    case K_LT: return c < 0;
    case K_LE: return c <= 0;
    default: break;
    }
    if (c == 0) {                           /* equal: -0 is the smaller zero */
        bool neg = k == K_MIN ? mpfr_signbit(o->a) || mpfr_signbit(o->b)
                              : mpfr_signbit(o->a) && mpfr_signbit(o->b);
        return neg ? a | b : a & b;
    }
    return (c < 0) == (k == K_MIN) ? a : b;
}

/* fround/froundnx (Zfa): MPFR's rint in the mode (round for RMM, ties
 * away); zero and infinity unchanged; NX only for froundnx, when inexact. */
static uint64_t expect_round_int(struct oracle *o, const struct op *op, int rm, uint64_t a,
                                 unsigned *fl)
{
    int fmt = op->fmt;
    if (bits_nan(fmt, a)) {
        if (bits_snan(fmt, a))
            *fl |= FFLAG_NV;
        return fp_canon_nan(fmt);
    }
    if (bits_inf(fmt, a) || fp_is_zero(fmt, a))
        return a;
    mpfr_set_prec(o->a, prec(fmt));
    to_mpfr(o->a, fmt, a);
    mpfr_set_prec(o->t, prec(fmt) + 2);     /* an integer of at most prec bits */
    if (rm == RM_RMM)
        mpfr_round(o->t, o->a);
    else
        mpfr_rint(o->t, o->a, mp_rnd(rm));
    if (op->kind == K_ROUNDNX && !mpfr_integer_p(o->a))
        *fl |= FFLAG_NX;
    if (mpfr_zero_p(o->t))                  /* the sign of a zero result is the input's */
        return a & fp_sign(fmt);
    return from_mpfr(o->t, fmt);
}

/* fcvtmod.w.d (Zfa): the flags of fcvt.w.d in RTZ, the value the low 32
 * bits of the truncated integer (MPFR's fmod by 2^32), sign-extended. */
static uint64_t expect_cvtmod(struct oracle *o, uint64_t a, unsigned *fl)
{
    static const struct op w_d = { "fcvt.w.d", K_FI, FP_D, 32, 1, 0, 0, 0 };
    expect_fi(o, &w_d, RM_RTZ, a, fl);
    if (bits_nan(FP_D, a) || bits_inf(FP_D, a))
        return 0;
    mpfr_set_prec(o->a, 53);
    to_mpfr(o->a, FP_D, a);
    mpfr_t t, m;
    mpfr_inits2(64, t, m, (mpfr_ptr)0);
    mpfr_trunc(t, o->a);                    /* exact: at most 53 significant bits */
    mpfr_set_ui_2exp(m, 1, 32, MPFR_RNDN);
    mpfr_fmod(t, t, m, MPFR_RNDN);          /* exact, in (-2^32, 2^32) */
    int64_t r = mpfr_get_sj(t, MPFR_RNDN);
    mpfr_clears(t, m, (mpfr_ptr)0);
    return (uint64_t)(int64_t)(int32_t)(uint32_t)r;
}

/* fli (Zfa): entry a of the spec's table ("Immediate values loaded by the
 * FLI.S instruction"), rounded into the format; no flags. Entry 1 is the
 * format's smallest normal, 30 +inf, 31 the canonical NaN; in binary16,
 * 2^16 (entry 29) is out of range, so +inf (spec, FLI.H). */
static uint64_t expect_fli(struct oracle *o, const struct op *op, uint64_t a)
{
    static const double tab[32] = {
        -1.0, 0, 0x1p-16, 0x1p-15, 0x1p-8, 0x1p-7, 0.0625, 0.125, 0.25, 0.3125, 0.375,
        0.4375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 8.0,
        16.0, 128.0, 256.0, 32768.0, 65536.0, 0, 0,
    };
    int fmt = op->fmt;
    unsigned e = a & 31, fl = 0;
    if (e == 30)
        return fp_inf(fmt);
    if (e == 31)
        return fp_canon_nan(fmt);
    mpfr_set_prec(o->y, P);
    if (e == 1)
        mpfr_set_ui_2exp(o->y, 1, 1 - bias(fmt), MPFR_RNDN);
    else
        mpfr_set_d(o->y, tab[e], MPFR_RNDN);
    return oracle_round(o, fmt, RM_RNE, &fl);
}

/* ---- the core under test ------------------------------------------------ */
static uint64_t run_core(const struct op *op, int rm, bool soft, uint64_t a, uint64_t b,
                         uint64_t c, unsigned *fl)
{
    int f = op->fmt;
    switch (op->kind) {
    case K_ADD:  return soft ? fpu_soft_add(f, a, b, rm, fl) : fpu_add(f, a, b, rm, fl);
    case K_SUB:  return soft ? fpu_soft_add(f, a, b ^ fp_sign(f), rm, fl) : fpu_sub(f, a, b, rm, fl);
    case K_MUL:  return soft ? fpu_soft_mul(f, a, b, rm, fl) : fpu_mul(f, a, b, rm, fl);
    case K_DIV:  return soft ? fpu_soft_div(f, a, b, rm, fl) : fpu_div(f, a, b, rm, fl);
    case K_SQRT: return soft ? fpu_soft_sqrt(f, a, rm, fl) : fpu_sqrt(f, a, rm, fl);
    case K_FMA:
        if (soft)
            return fpu_soft_fma(f, op->np ? a ^ fp_sign(f) : a, b, op->na ? c ^ fp_sign(f) : c, rm, fl);
        return fpu_fma(f, a, b, c, op->np, op->na, rm, fl);
    case K_FF:
        return soft ? fpu_soft_cvt_ff(f, op->src, a, rm, fl) : fpu_cvt_ff(f, op->src, a, rm, fl);
    case K_IF:
        return soft ? fpu_soft_cvt_if(f, a, op->width, op->sgn, rm, fl)
                    : fpu_cvt_if(f, a, op->width, op->sgn, rm, fl);
    case K_FI:   return fpu_cvt_fi(f, a, op->width, op->sgn, rm, fl);
    case K_MIN:  return fpu_minmax(f, a, b, false, fl);
    case K_MAX:  return fpu_minmax(f, a, b, true, fl);
    case K_EQ:   return fpu_eq(f, a, b, fl);
    case K_LT:   return fpu_lt(f, a, b, fl);
    case K_LE:   return fpu_le(f, a, b, fl);
    case K_ROUND:   return fpu_round(f, a, rm, false, fl);
    case K_ROUNDNX: return fpu_round(f, a, rm, true, fl);
    case K_CVTMOD:  return fpu_cvtmod_w_d(a, fl);
    case K_FLI:     return fpu_fli(f, (unsigned)a);
    case K_MINM:    return fpu_minmax_m(f, a, b, false, fl);
    case K_MAXM:    return fpu_minmax_m(f, a, b, true, fl);
    case K_LEQ:     return fpu_leq(f, a, b, fl);
    case K_LTQ:     return fpu_ltq(f, a, b, fl);
    }
    return 0;
}
static bool has_soft(const struct op *op) { return op->kind <= K_FF || op->kind == K_IF; }
static bool uses_rm(const struct op *op)
{
    return op->kind <= K_IF || op->kind == K_ROUND || op->kind == K_ROUNDNX;
}
/* Ops whose result is an integer register (all 64 bits compared). */
static bool int_result(const struct op *op)
{
    switch (op->kind) {
    case K_FI: case K_EQ: case K_LT: case K_LE: case K_LEQ: case K_LTQ: case K_CVTMOD: return true;
    default: return false;
    }
}

/* The expected result and flags of op on a, b, c in mode rm. */
static uint64_t expect(struct oracle *o, const struct op *op, int rm, uint64_t a, uint64_t b,
                       uint64_t c, unsigned *fl)
{
    switch (op->kind) {
    case K_FI:      return expect_fi(o, op, rm, a, fl);
    case K_MIN: case K_MAX: case K_EQ: case K_LT: case K_LE:
    case K_MINM: case K_MAXM: case K_LEQ: case K_LTQ:
        return expect_cmp(o, op, a, b, fl);
    case K_ROUND: case K_ROUNDNX: return expect_round_int(o, op, rm, a, fl);
    case K_CVTMOD:  return expect_cvtmod(o, a, fl);
    case K_FLI:     return expect_fli(o, op, a);
    default:        return expect_round(o, op, rm, a, b, c, fl);
    }
}

/* ---- operand generation ------------------------------------------------- */
static uint64_t rng_state;
static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static unsigned rndn(unsigned n) { return rnd64() % n; }

/* A fraction field with structure: sparse, dense, runs of ones/zeros. */
static uint64_t gen_frac(int M)
{
    uint64_t r = rnd64() & ((1ull << M) - 1);
    int k = rndn(M + 1);
    switch (rndn(7)) {
    case 0: return r;
    case 1: return r & ~((1ull << k) - 1);                 /* trailing zeros */
    case 2: return r | ((1ull << k) - 1);                  /* trailing ones */
    case 3: return 0;
    case 4: return (1ull << M) - 1;
    case 5: return (1ull << k) >> 1;                       /* one bit */
    default: return r & ~(((1ull << M) - 1) >> k);         /* only the top k bits */
    }
}

static uint64_t make(int fmt, int sign, int be, uint64_t frac)
{
    int M = mbits(fmt);
    return (sign ? fp_sign(fmt) : 0) | (uint64_t)be << M | (frac & ((1ull << M) - 1));
}

/* A value; near >= 0 asks for a biased exponent near `near`. */
static uint64_t gen_fp(int fmt, int near)
{
    int M = mbits(fmt), emax = 2 * bias(fmt) + 1, be;
    int sign = rndn(2);
    unsigned pick = rndn(16);
    if (near >= 0 && pick < 10) {
        be = near + (int)rndn(2 * M + 9) - (M + 4);
        if (rndn(4) == 0)
            be = near + (int)rndn(5) - 2;
        if (be < 0) be = 0;
        if (be > emax - 1) be = emax - 1;
        return make(fmt, sign, be, gen_frac(M));
    }
    switch (pick) {
    case 0: {                                             /* specials */
        switch (rndn(10)) {
        case 0: return make(fmt, sign, 0, 0);
        case 1: return make(fmt, sign, emax, 0);
        case 2: return make(fmt, sign, emax, fp_qbit(fmt) | (rndn(2) ? rnd64() : 0));
        case 3: return make(fmt, sign, emax, (rnd64() & (fp_qbit(fmt) - 1)) | 1);   /* sNaN */
        case 4: return make(fmt, sign, 0, 1);
        case 5: return make(fmt, sign, 0, ~0ull);
        case 6: return make(fmt, sign, 1, 0);
        case 7: return make(fmt, sign, emax - 1, ~0ull);
        case 8: return make(fmt, sign, bias(fmt), 0);
        default: return make(fmt, sign, bias(fmt), rndn(2) ? 1 : ~0ull);
        }
    }
    case 1: case 2: case 3:
        return rnd64() & fmask(fmt);
    case 4: case 5:                                       /* extremes of the range */
        be = rndn(2) ? (int)rndn(M + 3) : emax - 1 - (int)rndn(M + 3);
        return make(fmt, sign, be, gen_frac(M));
    default:                                              /* moderate values */
        be = bias(fmt) + (int)rndn(2 * M + 9) - (M + 4);
        return make(fmt, sign, be, gen_frac(M));
    }
}

static int bexp(int fmt, uint64_t v) { return (v >> mbits(fmt)) & (2 * bias(fmt) + 1); }

/* Host arithmetic for building near-cancelling FMA addends. */
static uint64_t host_mul(int fmt, uint64_t a, uint64_t b)
{
    unsigned fl = 0;
    return fpu_soft_mul(fmt, a, b, RM_RNE, &fl);
}

static int64_t gen_int(int width)
{
    uint64_t v;
    switch (rndn(6)) {
    case 0: {
        static const uint64_t sp[] = { 0, 1, ~0ull, 0x7fffffff, 0x80000000, 0xffffffff,
            0x7fffffffffffffffull, 0x8000000000000000ull, 1ull << 24, (1ull << 24) + 1,
            (1ull << 53) + 1, (1ull << 25) - 1, 0xffffff8000000000ull, 0x7ffffe0000000000ull };
        v = sp[rndn(sizeof sp / sizeof sp[0])];
        break;
    }
    case 1: case 2:
        v = rnd64() >> rndn(64);                        /* any magnitude */
        break;
    case 3:
        v = -(rnd64() >> rndn(64));
        break;
    default: {                                          /* near ties: few low bits */
        int sh = rndn(40);
        v = (rnd64() & 0x1ffffffffffull) << sh | ((rnd64() & 7) << (sh ? sh - 1 : 0));
        if (rndn(2)) v = -v;
        break;
    }
    }
    return width == 32 ? (int64_t)(int32_t)v : (int64_t)v;
}

/* Floats for float -> int: integers, halves, and values near the limits. */
static uint64_t gen_fi(int fmt)
{
    if (rndn(3) == 0)
        return gen_fp(fmt, -1);
    int M = mbits(fmt);
    static const int exps[] = { -2, -1, 0, 1, 2, 5, 9, 10, 11, 15, 22, 23, 24, 30, 31, 32, 33, 52,
                                53, 62, 63, 64, 65, 84, 85, 90 };
    int e;
    do                                      /* finite in the format */
        e = exps[rndn(sizeof exps / sizeof exps[0])];
    while (e > bias(fmt));
    return make(fmt, rndn(2), bias(fmt) + e, gen_frac(M));
}

static void gen_operands(const struct op *op, uint64_t *a, uint64_t *b, uint64_t *c)
{
    int f = op->fmt;
    *b = *c = 0;
    switch (op->kind) {
    case K_FF: {
        int sf = op->src;
        *a = gen_fp(sf, -1);
        if (prec(f) < prec(sf) && rndn(2))      /* around the narrower format's range ends */
            *a = make(sf, rndn(2), rndn(2) ? bias(sf) + bias(f) + (int)rndn(3) - 1
                                          : bias(sf) - bias(f) + 1 - (int)rndn(mbits(f) + 3),
                      gen_frac(mbits(sf)));
        return;
    }
    case K_IF:
        *a = gen_int(op->width);
        if (f == FP_H && rndn(2))               /* within binary16's range, near ties */
            *a = (uint64_t)(int64_t)(int32_t)((rnd64() >> (46 + rndn(18))) * (rndn(2) ? 1 : -1));
        return;
    case K_FI: case K_ROUND: case K_ROUNDNX: case K_CVTMOD:
        *a = gen_fi(f);
        return;
    case K_FLI:
        *a = rnd64() & 31;
        return;
    default:
        break;
    }
    *a = gen_fp(f, -1);
    int ea = bexp(f, *a), B = bias(f), emax = 2 * B;
    switch (op->kind) {
    case K_ADD: case K_SUB: case K_MIN: case K_MAX: case K_EQ: case K_LT: case K_LE:
    case K_MINM: case K_MAXM: case K_LEQ: case K_LTQ:
        *b = gen_fp(f, rndn(4) ? ea : -1);
        if (op->kind != K_ADD && op->kind != K_SUB && rndn(8) == 0)
            *b = rndn(2) ? *a : *a ^ fp_sign(f);
        break;
    case K_MUL:                                   /* products near the range ends */
        *b = gen_fp(f, rndn(2) ? -1 : rndn(2) ? 2 * B - ea + (int)rndn(5) - 2 - B + 1
                                            : emax - ea + B);
        break;
    case K_DIV:
        *b = gen_fp(f, rndn(2) ? -1 : rndn(2) ? ea - 1 + B : ea + B - emax);
        break;
    case K_SQRT:
        break;
    case K_FMA:
        *b = gen_fp(f, rndn(3) ? -1 : 2 * B - ea + (int)rndn(3) - 1 - B + 1);
        if (rndn(3) == 0) {                        /* cancel the product */
            uint64_t p = host_mul(f, *a, *b) ^ (op->na ? 0 : fp_sign(f));
            if (op->np)
                p ^= fp_sign(f);
            *c = (p + (int)rndn(5) - 2) & fmask(f);
        } else {
            int ep = bexp(f, host_mul(f, *a, *b));
            *c = gen_fp(f, rndn(2) ? ep : -1);
        }
        break;
    default:
        break;
    }
}

/* One binary16 operand: small enough to try every input. */
static bool unary_h(const struct op *op)
{
    switch (op->kind) {
    case K_SQRT: case K_ROUND: case K_ROUNDNX: case K_FI: return op->fmt == FP_H;
    case K_FF: return op->src == FP_H;
    default: return false;
    }
}

/* ---- driver ------------------------------------------------------------- */
int main(int argc, char **argv)
{
    long n = 2000;
    uint64_t seed = 1;
    const char *only = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-n") && i + 1 < argc)
            n = atol(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "-l")) {
            for (int k = 0; k < NOPS; k++)
                puts(ops[k].name);
            return 0;
        }
        else {
            fprintf(stderr, "usage: %s [-n VECTORS] [-s SEED] [-o OPNAME] [-l]\n", argv[0]);
            return 2;
        }
    }
    struct oracle o;
    o.emin0 = mpfr_get_emin();
    o.emax0 = mpfr_get_emax();
    mpfr_inits2(P, o.a, o.b, o.c, o.y, o.t, o.u, o.rz, o.ra, o.rn, o.mid, (mpfr_ptr)0);

    long passed = 0, failed = 0, compared = 0;
    for (int k = 0; k < NOPS; k++) {
        const struct op *op = &ops[k];
        if (only && strcmp(only, op->name))
            continue;
        for (int rm = 0; rm < (uses_rm(op) ? 5 : 1); rm++) {
            long bad = 0;
            rng_state = seed * 0x100000001b3ull + (uint64_t)k * 977 + rm;
            long nv = unary_h(op) ? 0x10000 : n;
            for (long i = 0; i < nv; i++) {
                uint64_t a, b, c;
                gen_operands(op, &a, &b, &c);
                if (unary_h(op))
                    a = (uint64_t)i;
                unsigned efl = 0;
                uint64_t exp = expect(&o, op, rm, a, b, c, &efl);
                uint64_t rmask = int_result(op) ? ~0ull : fmask(op->fmt);
                bool ok = true;
                for (int soft = 0; soft <= has_soft(op); soft++) {
                    unsigned gfl = 0;
                    uint64_t got = run_core(op, rm, soft, a, b, c, &gfl) & rmask;
                    compared++;
                    if (got != (exp & rmask) || gfl != efl) {
                        ok = false;
                        printf("MISMATCH %s %s %s a=%#llx b=%#llx c=%#llx: got %#llx fl=%02x, "
                               "expected %#llx fl=%02x\n", op->name, rm_name[rm],
                               soft ? "soft" : "core", (unsigned long long)a,
                               (unsigned long long)b, (unsigned long long)c,
                               (unsigned long long)got, gfl, (unsigned long long)(exp & rmask), efl);
                    }
                }
                if (ok)
                    passed++;
                else
                    failed++, bad++;
            }
            if (bad)
                printf("%s %s: %ld of %ld vectors failed\n", op->name, rm_name[rm], bad, nv);
        }
    }
    mpfr_clears(o.a, o.b, o.c, o.y, o.t, o.u, o.rz, o.ra, o.rn, o.mid, (mpfr_ptr)0);
    printf("fp-oracle: %ld vectors (%ld core comparisons), seed %llu\n", passed + failed,
           compared, (unsigned long long)seed);
    printf("fp-oracle: %ld passed, %ld failed\n", passed, failed);
    return failed != 0;
}

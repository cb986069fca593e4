/*
 * Zfa's operations that are more than a comparison (unprivileged spec,
 * "Zfa" chapter): round to integer, the modular conversion fcvtmod.w.d,
 * the fli constants and the IEEE 754-2019 minimum/maximum. Bit-level
 * integer code for every format: none of it needs the host FPU.
 */
#include "fpu.h"

static inline int biased_exp(int fmt, uint64_t a)
{
    return (a >> fp_mbits(fmt)) & (2 * fp_bias(fmt) + 1);
}

/* fround/froundnx: zero, infinity and values of magnitude >= 2^M (already
 * integers) come back unchanged; a NaN gives the canonical NaN (NV if
 * signalling); only froundnx (exact) raises NX, when the result differs. */
uint64_t fpu_round(int fmt, uint64_t a, int rm, bool exact, unsigned *fl)
{
    const int M = fp_mbits(fmt);
    const uint64_t s = a & fp_sign(fmt);
    if (fp_is_nan(fmt, a)) {
        if (fp_is_snan(fmt, a))
            *fl |= FFLAG_NV;
        return fp_canon_nan(fmt);
    }
    int be = biased_exp(fmt, a);
    int e = be - fp_bias(fmt);          /* unbiased; subnormals are below -1 anyway */
    if (fp_is_zero(fmt, a) || e >= M)   /* also infinity */
        return a;
    uint64_t sig = (a & ((1ull << M) - 1)) | (be ? 1ull << M : 0);
    int sh = M - e;                     /* fraction bits of sig: 1 .. M + bias */
    uint64_t ip, rem, half;
    if (sh > M + 1) {                   /* below 1/2: the integer part is 0 */
        ip = 0;
        rem = sig;
        half = 1ull << (M + 1);         /* more than rem can be: never a tie */
    } else {
        ip = sig >> sh;
        rem = sig & ((1ull << sh) - 1);
        half = 1ull << (sh - 1);
    }
    ip += fp_round_inc(rem, half, ip & 1, s != 0, rm);
    if (rem && exact)
        *fl |= FFLAG_NX;
    if (!ip)
        return s;                       /* a zero keeps the input's sign */
    int msb = 63 - __builtin_clzll(ip); /* ip <= 2^M: a normal number, exactly */
    return s | (uint64_t)(msb + fp_bias(fmt)) << M | ((ip << (M - msb)) & ((1ull << M) - 1));
}

/* fcvtmod.w.d: bits 31:0 of the value truncated toward zero, sign-extended;
 * NaN and infinity give 0. Flags as fcvt.w.d with rtz would raise them. */
uint64_t fpu_cvtmod_w_d(uint64_t a, unsigned *fl)
{
    fpu_cvt_fi(FP_D, a, 32, true, RM_RTZ, fl);
    int be = biased_exp(FP_D, a), e = be - 1023;
    if (be == 2047 || e < 0)
        return 0;
    uint64_t sig = (a & ((1ull << 52) - 1)) | 1ull << 52, v;
    if (e <= 52)
        v = sig >> (52 - e);
    else
        v = e - 52 < 32 ? sig << (e - 52) : 0;  /* later shifts leave bits 31:0 zero */
    if (a >> 63)
        v = -v;
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

/*
 * fli: the 32 constants of the spec's table ("Immediate values loaded by
 * the FLI.S instruction"). Entry i is 2^E * (1 + m/4), negative for entry
 * 0, except entry 1 (the format's smallest normal), 30 (+inf) and 31 (the
 * canonical NaN). In binary16, 2^-16 and 2^-15 are subnormal and 2^16 is
 * out of range: it loads +inf (spec, FLI.H).
 */
uint64_t fpu_fli(int fmt, unsigned entry)
{
    static const struct { int8_t e, m; } tab[32] = {
        {  0, 0 }, {  0, 0 }, { -16, 0 }, { -15, 0 }, { -8, 0 }, { -7, 0 }, { -4, 0 }, { -3, 0 },
        { -2, 0 }, { -2, 1 }, { -2, 2 }, { -2, 3 }, { -1, 0 }, { -1, 1 }, { -1, 2 }, { -1, 3 },
        {  0, 0 }, {  0, 1 }, {  0, 2 }, {  0, 3 }, {  1, 0 }, {  1, 1 }, {  1, 2 }, {  2, 0 },
        {  3, 0 }, {  4, 0 }, {  7, 0 }, {  8, 0 }, { 15, 0 }, { 16, 0 }, {  0, 0 }, {  0, 0 },
    };
    const int M = fp_mbits(fmt), B = fp_bias(fmt);
    entry &= 31;
    if (entry == 1)
        return 1ull << M;
    if (entry == 30)
        return fp_inf(fmt);
    if (entry == 31)
        return fp_canon_nan(fmt);
    int e = tab[entry].e;
    uint64_t s = entry == 0 ? fp_sign(fmt) : 0;
    if (e > B)
        return s | fp_inf(fmt);
    if (e < 1 - B)                      /* subnormal (m is 0 in those entries) */
        return s | 1ull << (M + e - (1 - B));
    return s | (uint64_t)(e + B) << M | (uint64_t)tab[entry].m << (M - 2);
}

/* fminm/fmaxm: fmin/fmax, except that any NaN operand gives the canonical
 * NaN (IEEE 754-2019 minimum and maximum). */
uint64_t fpu_minmax_m(int fmt, uint64_t a, uint64_t b, bool max, unsigned *fl)
{
    if (fp_is_nan(fmt, a) || fp_is_nan(fmt, b)) {
        if (fp_is_snan(fmt, a) || fp_is_snan(fmt, b))
            *fl |= FFLAG_NV;
        return fp_canon_nan(fmt);
    }
    return fpu_minmax(fmt, a, b, max, fl);
}

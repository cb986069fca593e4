/*
 * Software IEEE 754 core for binary16, binary32 and binary64 (see fpu.h for when it
 * is used). Every operation computes its exact result, or a truncated one
 * with a sticky bit, in integer arithmetic and hands it to one rounding
 * routine, round_pack, which implements all five RISC-V rounding modes,
 * overflow, subnormal results and the flags.
 *
 * Unpacked finite values are sig * 2^exp with sig in [2^M, 2^(M+1))
 * (M = 10, 23 or 52 fraction bits; subnormal inputs are normalised), so every
 * operation starts from full-precision significands.
 */
#include "fpu.h"

typedef unsigned __int128 u128;

static inline int mbits(int fmt) { return fp_mbits(fmt); }
static inline int bias(int fmt) { return fp_bias(fmt); }

enum { C_ZERO, C_FINITE, C_INF, C_QNAN, C_SNAN };

struct unp {
    int cls, sign, exp;
    uint64_t sig;
};

static struct unp unpack(int fmt, uint64_t v)
{
    int M = mbits(fmt), emask = 2 * bias(fmt) + 1;
    struct unp u = { .sign = (v & fp_sign(fmt)) != 0 };
    int be = (v >> M) & emask;
    uint64_t frac = v & ((1ull << M) - 1);
    if (be == emask) {
        u.cls = !frac ? C_INF : (frac & fp_qbit(fmt)) ? C_QNAN : C_SNAN;
    } else if (be == 0) {
        if (!frac) {
            u.cls = C_ZERO;
        } else {                        /* subnormal: normalise */
            int s = __builtin_clzll(frac) - (63 - M);
            u.cls = C_FINITE;
            u.sig = frac << s;
            u.exp = 1 - bias(fmt) - M - s;
        }
    } else {
        u.cls = C_FINITE;
        u.sig = frac | 1ull << M;
        u.exp = be - bias(fmt) - M;
    }
    return u;
}

static inline bool is_nan(const struct unp *u) { return u->cls >= C_QNAN; }
static inline uint64_t pack_zero(int fmt, int sign) { return sign ? fp_sign(fmt) : 0; }
static inline uint64_t pack_inf(int fmt, int sign) { return pack_zero(fmt, sign) | fp_inf(fmt); }

/* NaN result of an operation with NaN operand(s): canonical NaN; NV if any
 * operand is signalling (spec: "NaN Generation and Propagation"). */
static uint64_t nan_result(int fmt, const struct unp *a, const struct unp *b,
                           const struct unp *c, unsigned *fl)
{
    if (a->cls == C_SNAN || (b && b->cls == C_SNAN) || (c && c->cls == C_SNAN))
        *fl |= FFLAG_NV;
    return fp_canon_nan(fmt);
}

static uint64_t invalid(int fmt, unsigned *fl)
{
    *fl |= FFLAG_NV;
    return fp_canon_nan(fmt);
}

static inline uint64_t shr_sticky64(uint64_t v, int s)
{
    if (s >= 63)
        return v != 0;
    return v >> s | ((v & ((1ull << s) - 1)) != 0);
}

/*
 * Round sig * 2^(e - 62) (sig's top bit is bit 62, bit 0 is sticky) to the
 * format. Tininess is detected after rounding (RISC-V follows IEEE 754's
 * option b): the value is tiny if rounding it to full precision with an
 * unbounded exponent gives a magnitude below 2^emin. UF needs tiny and
 * inexact; overflow gives inf or the largest finite value by mode.
 */
static uint64_t round_pack(int fmt, int sign, int e, uint64_t sig, int rm, unsigned *fl)
{
    const int M = mbits(fmt), emin = 1 - bias(fmt), drop = 62 - M;
    const uint64_t half = 1ull << (drop - 1), mask = (1ull << drop) - 1;
    const uint64_t s = pack_zero(fmt, sign);
    if (e < emin) {
        bool tiny = e < emin - 1 ||
            (((sig >> drop) + fp_round_inc(sig & mask, half, (sig >> drop) & 1, sign, rm)) >> (M + 1)) == 0;
        sig = shr_sticky64(sig, emin - e);
        uint64_t rem = sig & mask;
        uint64_t mant = (sig >> drop) + fp_round_inc(rem, half, (sig >> drop) & 1, sign, rm);
        if (rem)
            *fl |= FFLAG_NX | (tiny ? FFLAG_UF : 0);
        return s | mant;                /* mant == 2^M encodes the smallest normal */
    }
    uint64_t rem = sig & mask;
    uint64_t mant = (sig >> drop) + fp_round_inc(rem, half, (sig >> drop) & 1, sign, rm);
    if (mant >> (M + 1)) {
        mant >>= 1;
        e++;
    }
    if (e > bias(fmt)) {
        *fl |= FFLAG_OF | FFLAG_NX;
        bool to_max = rm == RM_RTZ || (rm == RM_RDN && !sign) || (rm == RM_RUP && sign);
        return to_max ? s | (fp_inf(fmt) - 1) : s | fp_inf(fmt);
    }
    if (rem)
        *fl |= FFLAG_NX;
    return s | (uint64_t)(e + bias(fmt)) << M | (mant & ((1ull << M) - 1));
}

static inline int msb128(u128 x)
{
    uint64_t hi = x >> 64;
    return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll((uint64_t)x);
}

/* Round the nonzero value x * 2^k. */
static uint64_t finish(int fmt, int sign, int k, u128 x, int rm, unsigned *fl)
{
    int msb = msb128(x);
    uint64_t sig;
    if (msb > 62) {
        int s = msb - 62;
        sig = (uint64_t)(x >> s) | ((x & (((u128)1 << s) - 1)) != 0);
    } else {
        sig = (uint64_t)x << (62 - msb);
    }
    return round_pack(fmt, sign, k + msb, sig, rm, fl);
}

/* (-1)^sa ma 2^ea + (-1)^sb mb 2^eb for nonzero ma, mb below 2^126. Both are
 * aligned with their top bit at 125; the smaller is shifted right into a
 * sticky bit. Bits are lost only when the exponents differ by more than the
 * 19+ guard bits, where at most one bit can cancel, so rounding is exact. */
static uint64_t add_core(int fmt, int sa, int ea, u128 ma, int sb, int eb, u128 mb,
                         int rm, unsigned *fl)
{
    int na = 125 - msb128(ma), nb = 125 - msb128(mb);
    ma <<= na; ea -= na;
    mb <<= nb; eb -= nb;
    if (ea < eb || (ea == eb && ma < mb)) {
        u128 tm = ma; ma = mb; mb = tm;
        int t = ea; ea = eb; eb = t;
        t = sa; sa = sb; sb = t;
    }
    int d = ea - eb;
    if (d >= 126)
        mb = 1;
    else if (d > 0)
        mb = mb >> d | ((mb & (((u128)1 << d) - 1)) != 0);
    u128 m = sa == sb ? ma + mb : ma - mb;
    if (m == 0)                         /* exact zero sum: -0 only in RDN */
        return pack_zero(fmt, rm == RM_RDN);
    return finish(fmt, sa, ea, m, rm, fl);
}

uint64_t fpu_soft_add(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
    struct unp x = unpack(fmt, a), y = unpack(fmt, b);
    if (is_nan(&x) || is_nan(&y))
        return nan_result(fmt, &x, &y, NULL, fl);
    if (x.cls == C_INF) {
        if (y.cls == C_INF && x.sign != y.sign)
            return invalid(fmt, fl);
        return pack_inf(fmt, x.sign);
    }
    if (y.cls == C_INF)
        return pack_inf(fmt, y.sign);
    if (x.cls == C_ZERO && y.cls == C_ZERO)
        return pack_zero(fmt, x.sign == y.sign ? x.sign : rm == RM_RDN);
    if (x.cls == C_ZERO)
        return b;
    if (y.cls == C_ZERO)
        return a;
    return add_core(fmt, x.sign, x.exp, x.sig, y.sign, y.exp, y.sig, rm, fl);
}

uint64_t fpu_soft_mul(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
    struct unp x = unpack(fmt, a), y = unpack(fmt, b);
    int sign = x.sign ^ y.sign;
    if (is_nan(&x) || is_nan(&y))
        return nan_result(fmt, &x, &y, NULL, fl);
    if (x.cls == C_INF || y.cls == C_INF) {
        if (x.cls == C_ZERO || y.cls == C_ZERO)
            return invalid(fmt, fl);
        return pack_inf(fmt, sign);
    }
    if (x.cls == C_ZERO || y.cls == C_ZERO)
        return pack_zero(fmt, sign);
    return finish(fmt, sign, x.exp + y.exp, (u128)x.sig * y.sig, rm, fl);
}

uint64_t fpu_soft_div(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
    struct unp x = unpack(fmt, a), y = unpack(fmt, b);
    int sign = x.sign ^ y.sign;
    if (is_nan(&x) || is_nan(&y))
        return nan_result(fmt, &x, &y, NULL, fl);
    if (x.cls == C_INF)
        return y.cls == C_INF ? invalid(fmt, fl) : pack_inf(fmt, sign);
    if (y.cls == C_INF)
        return pack_zero(fmt, sign);
    if (y.cls == C_ZERO) {
        if (x.cls == C_ZERO)
            return invalid(fmt, fl);
        *fl |= FFLAG_DZ;
        return pack_inf(fmt, sign);
    }
    if (x.cls == C_ZERO)
        return pack_zero(fmt, sign);
    /* 74 extra quotient bits: at least 73 significant, plus a sticky bit. */
    u128 n = (u128)x.sig << 74;
    u128 q = n / y.sig;
    q |= (n % y.sig) != 0;
    return finish(fmt, sign, x.exp - y.exp - 74, q, rm, fl);
}

/* Integer square root of x; *rem gets x - root^2. */
static u128 isqrt128(u128 x, u128 *rem)
{
    u128 res = 0, bit = (u128)1 << 126;
    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= res + bit) {
            x -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *rem = x;
    return res;
}

uint64_t fpu_soft_sqrt(int fmt, uint64_t a, int rm, unsigned *fl)
{
    struct unp x = unpack(fmt, a);
    if (is_nan(&x))
        return nan_result(fmt, &x, NULL, NULL, fl);
    if (x.cls == C_ZERO)
        return a;                       /* sqrt(-0) = -0 */
    if (x.sign)
        return invalid(fmt, fl);
    if (x.cls == C_INF)
        return a;
    int e = x.exp;
    uint64_t m = x.sig;
    if (e & 1) {                        /* make the exponent even */
        m <<= 1;
        e--;
    }
    u128 rem, r = isqrt128((u128)m << 72, &rem);
    return finish(fmt, 0, e / 2 - 36, r | (rem != 0), rm, fl);
}

uint64_t fpu_soft_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *fl)
{
    struct unp x = unpack(fmt, a), y = unpack(fmt, b), z = unpack(fmt, c);
    int ps = x.sign ^ y.sign;
    /* 0 * inf is invalid even with a quiet NaN addend (F chapter, FMA). */
    if ((x.cls == C_INF && y.cls == C_ZERO) || (x.cls == C_ZERO && y.cls == C_INF))
        return invalid(fmt, fl);
    if (is_nan(&x) || is_nan(&y) || is_nan(&z))
        return nan_result(fmt, &x, &y, &z, fl);
    if (x.cls == C_INF || y.cls == C_INF) {
        if (z.cls == C_INF && z.sign != ps)
            return invalid(fmt, fl);
        return pack_inf(fmt, ps);
    }
    if (z.cls == C_INF)
        return pack_inf(fmt, z.sign);
    if (x.cls == C_ZERO || y.cls == C_ZERO) {
        if (z.cls == C_ZERO)
            return pack_zero(fmt, ps == z.sign ? ps : rm == RM_RDN);
        return c;
    }
    u128 p = (u128)x.sig * y.sig;
    if (z.cls == C_ZERO)
        return finish(fmt, ps, x.exp + y.exp, p, rm, fl);
    return add_core(fmt, ps, x.exp + y.exp, p, z.sign, z.exp, z.sig, rm, fl);
}

uint64_t fpu_soft_cvt_ff(int to, int from, uint64_t a, int rm, unsigned *fl)
{
    struct unp x = unpack(from, a);
    switch (x.cls) {
    case C_QNAN: case C_SNAN: return nan_result(to, &x, NULL, NULL, fl);
    case C_INF:  return pack_inf(to, x.sign);
    case C_ZERO: return pack_zero(to, x.sign);
    }
    return finish(to, x.sign, x.exp, x.sig, rm, fl);
}

uint64_t fpu_soft_cvt_if(int fmt, uint64_t v, int width, bool sgn, int rm, unsigned *fl)
{
    int neg = 0;
    if (width == 32)
        v = sgn ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
    if (sgn && (int64_t)v < 0) {
        neg = 1;
        v = -v;
    }
    if (!v)
        return 0;
    return finish(fmt, neg, 0, v, rm, fl);
}

/*
 * Float to integer. Out-of-range inputs (after rounding) and NaN saturate
 * and raise NV only (spec table "domains of float-to-integer conversions"):
 * NaN and too-large positives give the maximum, too-large negatives the
 * minimum (0 for unsigned). In-range inexact results raise NX.
 */
uint64_t fpu_cvt_fi(int fmt, uint64_t a, int width, bool sgn, int rm, unsigned *fl)
{
    struct unp x = unpack(fmt, a);
    uint64_t maxp = sgn ? (width == 32 ? 0x7fffffffull : 0x7fffffffffffffffull)
                        : (width == 32 ? 0xffffffffull : ~0ull);
    uint64_t maxn = sgn ? maxp + 1 : 0;   /* largest magnitude of a negative result */
    uint64_t minv = -maxn;
    uint64_t res;
    if (is_nan(&x) || x.cls == C_INF) {
        *fl |= FFLAG_NV;
        res = x.cls == C_INF && x.sign ? minv : maxp;
        goto out;
    }
    if (x.cls == C_ZERO)
        return 0;
    u128 mag;
    bool inexact = false;
    if (x.exp >= 0) {
        if (x.exp > 64)
            mag = (u128)1 << 65;        /* certainly out of range */
        else
            mag = (u128)x.sig << x.exp;
    } else {
        int s = -x.exp;
        u128 fx = (u128)x.sig << 64;    /* 64 fraction bits */
        fx = s >= 127 ? 1 : fx >> s | ((fx & (((u128)1 << s) - 1)) != 0);
        uint64_t ip = fx >> 64, fr = (uint64_t)fx;
        inexact = fr != 0;
        mag = (u128)ip + fp_round_inc(fr, 1ull << 63, ip & 1, x.sign, rm);
    }
    if (x.sign ? mag > maxn : mag > maxp) {
        *fl |= FFLAG_NV;
        res = x.sign ? minv : maxp;
        goto out;
    }
    if (inexact)
        *fl |= FFLAG_NX;
    res = x.sign ? -(uint64_t)mag : (uint64_t)mag;
out:
    return width == 32 ? (uint64_t)(int64_t)(int32_t)res : res;
}

uint64_t fpu_class(int fmt, uint64_t a)
{
    struct unp x = unpack(fmt, a);
    int M = mbits(fmt);
    switch (x.cls) {
    case C_SNAN: return 1 << 8;
    case C_QNAN: return 1 << 9;
    case C_INF:  return x.sign ? 1 << 0 : 1 << 7;
    case C_ZERO: return x.sign ? 1 << 3 : 1 << 4;
    }
    bool sub = ((a >> M) & (2 * bias(fmt) + 1)) == 0;
    if (sub)
        return x.sign ? 1 << 2 : 1 << 5;
    return x.sign ? 1 << 1 : 1 << 6;
}

/* fmin/fmax (F chapter, version 2.2): -0 < +0; one NaN operand yields the
 * other operand, two give the canonical NaN; a signalling NaN raises NV. */
uint64_t fpu_minmax(int fmt, uint64_t a, uint64_t b, bool max, unsigned *fl)
{
    bool na = fp_is_nan(fmt, a), nb = fp_is_nan(fmt, b);
    if (na || nb) {
        if (fp_is_snan(fmt, a) || fp_is_snan(fmt, b))
            *fl |= FFLAG_NV;
        return na && nb ? fp_canon_nan(fmt) : na ? b : a;
    }
    if (fp_lt_num(fmt, a, b))
        return max ? b : a;
    if (fp_lt_num(fmt, b, a))
        return max ? a : b;
    return max ? a & b : a | b;         /* equal: identical, or +0 and -0 */
}

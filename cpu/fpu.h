/*
 * The F/D/Zfh floating-point core: IEEE 754 binary16/binary32/binary64
 * arithmetic with RISC-V's rules for rounding, exception flags and NaNs
 * (unprivileged spec, "F", "D", "Zfh" and "Zfa" chapters).
 *
 * Values are raw bit patterns in a uint64_t: a binary16 or binary32 in the
 * low bits (NaN boxing is the caller's business, see ops_fd.h), a binary64
 * whole.
 * Every operation takes a resolved rounding mode (RM_RNE..RM_RMM) and ORs
 * the RISC-V flags it raises into *fl.
 *
 *   fflags bit:  4   3   2   1   0
 *                NV  DZ  OF  UF  NX
 *
 * Two implementations sit behind one interface:
 * - the host path (x86-64 SSE/FMA, below): for RNE, RTZ, RDN and RUP the
 *   host's IEEE arithmetic gives the same rounded value and, because SSE
 *   detects tininess after rounding as RISC-V does, the same flags. Each
 *   operation loads MXCSR (rounding control, flags cleared, no DAZ/FTZ),
 *   runs one instruction and reads the flags back, each a volatile asm
 *   statement (the compiler keeps those in order); in RNE the executor
 *   skips the load and the read-back (fpu_lazy_op, fpu_host_fold).
 *   Software fixes what the host does differently: NaN results become the
 *   canonical NaN, and fused multiply-add of 0 * inf raises NV even when the
 *   addend is a quiet NaN.
 * - the software path (fpu.c): exact integer arithmetic and one rounding
 *   routine. It serves RMM (no x86 equivalent), the conversions SSE lacks
 *   (to integer with RISC-V saturation, from unsigned 64-bit), FMA on hosts
 *   without it, every binary16 operation (each is one exact computation and
 *   one rounding: computing in binary32 and rounding again to binary16 would
 *   be right for +, -, *, / and sqrt, as 24 >= 2 * 11 + 2 bits, but not for
 *   fused multiply-add, whose exact sum can need any number of bits; the
 *   oracle finds such cases in every rounding mode), Zfa's operations, and
 *   every operation on non-x86 hosts.
 * tests/fp/ checks both paths against GNU MPFR in all five modes.
 */
#ifndef CPU_FPU_H
#define CPU_FPU_H
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

enum { FFLAG_NX = 1, FFLAG_UF = 2, FFLAG_OF = 4, FFLAG_DZ = 8, FFLAG_NV = 16 };
enum { RM_RNE, RM_RTZ, RM_RDN, RM_RUP, RM_RMM, RM_DYN = 7 };
enum { FP_S, FP_D, FP_H };              /* formats: binary32, binary64, binary16 */

#define F16_CANON_NAN 0x7e00ull
#define F32_CANON_NAN 0x7fc00000ull
#define F64_CANON_NAN 0x7ff8000000000000ull
#define F16_BOX       0xffffffffffff0000ull
#define F32_BOX       0xffffffff00000000ull

/* Fraction bits and exponent bias of each format. */
static inline int fp_mbits(int fmt) { return fmt == FP_S ? 23 : fmt == FP_D ? 52 : 10; }
static inline int fp_bias(int fmt) { return fmt == FP_S ? 127 : fmt == FP_D ? 1023 : 15; }
static inline uint64_t fp_sign(int fmt) { return fmt == FP_S ? 1ull << 31 : fmt == FP_D ? 1ull << 63 : 1ull << 15; }
static inline uint64_t fp_inf(int fmt)
{
    return fmt == FP_S ? 0x7f800000ull : fmt == FP_D ? 0x7ff0000000000000ull : 0x7c00ull;
}
static inline uint64_t fp_canon_nan(int fmt)
{
    return fmt == FP_S ? F32_CANON_NAN : fmt == FP_D ? F64_CANON_NAN : F16_CANON_NAN;
}
static inline uint64_t fp_qbit(int fmt) { return 1ull << (fp_mbits(fmt) - 1); }
static inline bool fp_is_nan(int fmt, uint64_t v) { return (v & ~fp_sign(fmt)) > fp_inf(fmt); }
static inline bool fp_is_snan(int fmt, uint64_t v) { return fp_is_nan(fmt, v) && !(v & fp_qbit(fmt)); }
static inline bool fp_is_zero(int fmt, uint64_t v) { return (v & ~fp_sign(fmt)) == 0; }

/* Round increment for `rem` dropped bits (half = the weight of the first
 * dropped bit), given the kept least significant bit. */
static inline bool fp_round_inc(uint64_t rem, uint64_t half, bool lsb, int sign, int rm)
{
    switch (rm) {
    case RM_RNE: return rem > half || (rem == half && lsb);
    case RM_RTZ: return false;
    case RM_RDN: return rem && sign;
    case RM_RUP: return rem && !sign;
    default:     return rem >= half;    /* RMM: ties away from zero */
    }
}

/* ---- software core (fpu.c) --------------------------------------------- */
uint64_t fpu_soft_add(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl);
uint64_t fpu_soft_mul(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl);
uint64_t fpu_soft_div(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl);
uint64_t fpu_soft_sqrt(int fmt, uint64_t a, int rm, unsigned *fl);
uint64_t fpu_soft_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *fl);
/* Format conversion (to != from). */
uint64_t fpu_soft_cvt_ff(int to, int from, uint64_t a, int rm, unsigned *fl);
/* Zfa (cpu/fpu_zfa.c): fround (exact: froundnx, which raises NX), fcvtmod.w.d,
 * fli (entry 0..31 of the spec's table), fminm/fmaxm. */
uint64_t fpu_round(int fmt, uint64_t a, int rm, bool exact, unsigned *fl);
uint64_t fpu_cvtmod_w_d(uint64_t a, unsigned *fl);
uint64_t fpu_fli(int fmt, unsigned entry);
uint64_t fpu_minmax_m(int fmt, uint64_t a, uint64_t b, bool max, unsigned *fl);
/* Integer (low `width` bits of v, signed or not) to float. */
uint64_t fpu_soft_cvt_if(int fmt, uint64_t v, int width, bool sgn, int rm, unsigned *fl);
/* Float to integer with RISC-V saturation; 32-bit results sign-extended. */
uint64_t fpu_cvt_fi(int fmt, uint64_t a, int width, bool sgn, int rm, unsigned *fl);
/* fclass: one-hot 10-bit mask. */
uint64_t fpu_class(int fmt, uint64_t a);
/* fmin/fmax (spec 2.2 semantics). */
uint64_t fpu_minmax(int fmt, uint64_t a, uint64_t b, bool max, unsigned *fl);

/* ---- comparisons (inline: they are on hot branch paths) ---------------- */
/* a < b for non-NaN values: sign-magnitude order, -0 == +0. */
static inline bool fp_lt_num(int fmt, uint64_t a, uint64_t b)
{
    uint64_t s = fp_sign(fmt);
    bool sa = a & s, sb = b & s;
    if (sa != sb)
        return sa && ((a | b) & ~s) != 0;
    return a != b && (sa ^ (a < b));
}
static inline bool fp_eq_num(int fmt, uint64_t a, uint64_t b)
{
    return a == b || ((a | b) & ~fp_sign(fmt)) == 0;
}
/* A NaN operand makes a comparison false: NV for any NaN when the
 * comparison signals (flt, fle), else only for a signalling one (feq,
 * Zfa's fltq and fleq). */
static inline bool fp_unordered(int fmt, uint64_t a, uint64_t b, bool signals, unsigned *fl)
{
    if (__builtin_expect(!fp_is_nan(fmt, a) && !fp_is_nan(fmt, b), 1))
        return false;
    if (signals || fp_is_snan(fmt, a) || fp_is_snan(fmt, b))
        *fl |= FFLAG_NV;
    return true;
}
static inline uint64_t fpu_eq(int fmt, uint64_t a, uint64_t b, unsigned *fl)
{
    return !fp_unordered(fmt, a, b, false, fl) && fp_eq_num(fmt, a, b);
}
static inline uint64_t fpu_lt(int fmt, uint64_t a, uint64_t b, unsigned *fl)
{
    return !fp_unordered(fmt, a, b, true, fl) && fp_lt_num(fmt, a, b);
}
static inline uint64_t fpu_le(int fmt, uint64_t a, uint64_t b, unsigned *fl)
{
    return !fp_unordered(fmt, a, b, true, fl) && (fp_lt_num(fmt, a, b) || fp_eq_num(fmt, a, b));
}
static inline uint64_t fpu_ltq(int fmt, uint64_t a, uint64_t b, unsigned *fl)
{
    return !fp_unordered(fmt, a, b, false, fl) && fp_lt_num(fmt, a, b);
}
static inline uint64_t fpu_leq(int fmt, uint64_t a, uint64_t b, unsigned *fl)
{
    return !fp_unordered(fmt, a, b, false, fl) && (fp_lt_num(fmt, a, b) || fp_eq_num(fmt, a, b));
}

/* ---- host path ---------------------------------------------------------- */
#if defined(__x86_64__) && !defined(FPU_NO_HOST)
#define FPU_HOST 1
#define FPU_MXCSR_DEFAULT 0x1f80u       /* all exceptions masked, RNE, no DAZ/FTZ */

/* MXCSR for RISC-V rm 0..3; RC field (bits 14:13): 00 RNE, 01 RDN, 10 RUP, 11 RTZ. */
static inline uint32_t fpu_mxcsr(int rm)
{
    static const uint32_t rc[4] = { 0 << 13, 3 << 13, 1 << 13, 2 << 13 };
    return FPU_MXCSR_DEFAULT | rc[rm & 3];
}

/* MXCSR status (IE DE ZE OE UE PE in bits 0..5) to fflags; DE is ignored.
 * A table: nearly every arithmetic result is inexact, so this runs often. */
#define FPU_HF(s) (((s) & 1) << 4 | ((s) & 4) << 1 | ((s) & 8) >> 1 | ((s) & 16) >> 3 | ((s) & 32) >> 5)
#define FPU_HF4(s) FPU_HF(s), FPU_HF(s + 1), FPU_HF(s + 2), FPU_HF(s + 3)
#define FPU_HF16(s) FPU_HF4(s), FPU_HF4(s + 4), FPU_HF4(s + 8), FPU_HF4(s + 12)
static inline unsigned fpu_host_flags(uint32_t st)
{
    static const uint8_t tab[64] = { FPU_HF16(0), FPU_HF16(16), FPU_HF16(32), FPU_HF16(48) };
    return tab[st & 63];
}
#undef FPU_HF16
#undef FPU_HF4
#undef FPU_HF

/* Leave the host in its default mode after a directed-rounding operation. */
static inline void fpu_host_done(int rm, uint32_t st, unsigned *fl)
{
    if (rm != RM_RNE) {
        uint32_t d = FPU_MXCSR_DEFAULT;
        __asm__ volatile("ldmxcsr %0" : : "m"(d));
    }
    if (st & 0x3d)
        *fl |= fpu_host_flags(st);
}

static inline uint64_t fpu_fix_nan(int fmt, uint64_t r)
{
    return __builtin_expect(fp_is_nan(fmt, r), 0) ? fp_canon_nan(fmt) : r;
}

/* The host can do an operation of format fmt in mode rm: not binary16
 * (SSE has no such type), not RMM (x86 has no such mode). */
static inline bool fpu_host_can(int fmt, int rm)
{
    return fmt != FP_H && __builtin_expect(rm != RM_RMM, 1);
}


/* binary64 -> binary32 */
static inline float fpu_h_cvtds(double b, uint32_t csr, uint32_t *st)
{
    float a = 0;
    __asm__ volatile("ldmxcsr %[c]\n\tcvtsd2ss %[b], %[a]\n\tstmxcsr %[s]"
                     : [a] "+x"(a), [s] "=m"(*st) : [b] "x"(b), [c] "m"(csr));
    return a;
}

/* Signed 64-bit integer to float/double (cvtsi2ss/sd with a 64-bit source). */
static inline float fpu_h_i2s(int64_t v, uint32_t csr, uint32_t *st)
{
    float r = 0;
    __asm__ volatile("ldmxcsr %[m]\n\tcvtsi2ssq %[v], %[r]\n\tstmxcsr %[s]"
                     : [r] "+x"(r), [s] "=m"(*st) : [v] "r"(v), [m] "m"(csr));
    return r;
}
static inline double fpu_h_i2d(int64_t v, uint32_t csr, uint32_t *st)
{
    double r = 0;
    __asm__ volatile("ldmxcsr %[m]\n\tcvtsi2sdq %[v], %[r]\n\tstmxcsr %[s]"
                     : [r] "+x"(r), [s] "=m"(*st) : [v] "r"(v), [m] "m"(csr));
    return r;
}

static inline float fpu_bits_f(uint64_t v) { float f; uint32_t u = v; memcpy(&f, &u, 4); return f; }
static inline double fpu_bits_d(uint64_t v) { double f; memcpy(&f, &v, 8); return f; }
static inline uint64_t fpu_f_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t fpu_d_bits(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }

enum { FPU_ADD, FPU_SUB, FPU_MUL, FPU_DIV, FPU_SQRT };

/*
 * The executor's fast path for RNE (the mode nearly all code runs in):
 * MXCSR stays in its default mode for a whole hart_run and the exception
 * flags accrue in it, as fflags accrue (they are sticky in both), so an
 * operation is one SSE instruction. fpu_host_fold() moves them into
 * fflags before anything can observe them (FP CSR access, the end of a
 * run, any operation that loads MXCSR itself); fpu_host_reset() starts a
 * run with none pending (host code between runs may have raised some).
 */
static inline void fpu_host_reset(void)
{
    uint32_t d = FPU_MXCSR_DEFAULT;
    __asm__ volatile("ldmxcsr %0" : : "m"(d));
}
static inline unsigned fpu_host_fold(void)
{
    uint32_t st;
    __asm__ volatile("stmxcsr %0" : "=m"(st));
    if (__builtin_expect(!(st & 0x3d), 1))
        return 0;
    fpu_host_reset();
    return fpu_host_flags(st);
}
#define FPU_LAZY_BINOP(name, insn, T)                                           \
    static inline T name(T a, T b)                                              \
    {                                                                           \
        __asm__ volatile(insn " %[b], %[a]" : [a] "+x"(a) : [b] "x"(b));        \
        return a;                                                               \
    }
FPU_LAZY_BINOP(fpu_l_adds, "addss", float)
FPU_LAZY_BINOP(fpu_l_subs, "subss", float)
FPU_LAZY_BINOP(fpu_l_muls, "mulss", float)
FPU_LAZY_BINOP(fpu_l_divs, "divss", float)
FPU_LAZY_BINOP(fpu_l_sqrts, "sqrtss", float)
FPU_LAZY_BINOP(fpu_l_addd, "addsd", double)
FPU_LAZY_BINOP(fpu_l_subd, "subsd", double)
FPU_LAZY_BINOP(fpu_l_muld, "mulsd", double)
FPU_LAZY_BINOP(fpu_l_divd, "divsd", double)
FPU_LAZY_BINOP(fpu_l_sqrtd, "sqrtsd", double)
#undef FPU_LAZY_BINOP

/* op (FPU_ADD..FPU_SQRT) in RNE, flags left in MXCSR. */
static inline uint64_t fpu_lazy_op(int fmt, int op, uint64_t a, uint64_t b)
{
    if (fmt == FP_S) {
        float x = fpu_bits_f(a), y = fpu_bits_f(b);
        switch (op) {
        case FPU_ADD:  x = fpu_l_adds(x, y); break;
        case FPU_SUB:  x = fpu_l_subs(x, y); break;
        case FPU_MUL:  x = fpu_l_muls(x, y); break;
        case FPU_DIV:  x = fpu_l_divs(x, y); break;
        default:       x = fpu_l_sqrts(x, x); break;
        }
        return fpu_fix_nan(FP_S, fpu_f_bits(x));
    }
    double x = fpu_bits_d(a), y = fpu_bits_d(b);
    switch (op) {
    case FPU_ADD:  x = fpu_l_addd(x, y); break;
    case FPU_SUB:  x = fpu_l_subd(x, y); break;
    case FPU_MUL:  x = fpu_l_muld(x, y); break;
    case FPU_DIV:  x = fpu_l_divd(x, y); break;
    default:       x = fpu_l_sqrtd(x, x); break;
    }
    return fpu_fix_nan(FP_D, fpu_d_bits(x));
}

/* One operation in mode rm (< RM_RMM): MXCSR loaded with the mode and
 * clear flags, the operation, the flags read back. Volatile asm statements
 * keep their order, so the arithmetic stays between the two. */
static inline void fpu_host_enter(int rm)
{
    uint32_t csr = fpu_mxcsr(rm);
    __asm__ volatile("ldmxcsr %0" : : "m"(csr));
}
static inline uint32_t fpu_host_status(void)
{
    uint32_t st;
    __asm__ volatile("stmxcsr %0" : "=m"(st));
    return st;
}

/* Dyadic operation on the host (rm < RM_RMM). */
static inline uint64_t fpu_host_op(int fmt, int op, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
    fpu_host_enter(rm);
    uint64_t r = fpu_lazy_op(fmt, op, a, b);
    fpu_host_done(rm, fpu_host_status(), fl);
    return r;
}
#endif /* host path */

/* ---- the interface the executor uses ------------------------------------ */
static inline uint64_t fpu_add(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    if (fpu_host_can(fmt, rm))
        return fpu_host_op(fmt, FPU_ADD, a, b, rm, fl);
#endif
    return fpu_soft_add(fmt, a, b, rm, fl);
}
static inline uint64_t fpu_sub(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    if (fpu_host_can(fmt, rm))
        return fpu_host_op(fmt, FPU_SUB, a, b, rm, fl);
#endif
    return fpu_soft_add(fmt, a, b ^ fp_sign(fmt), rm, fl);
}
static inline uint64_t fpu_mul(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    if (fpu_host_can(fmt, rm))
        return fpu_host_op(fmt, FPU_MUL, a, b, rm, fl);
#endif
    return fpu_soft_mul(fmt, a, b, rm, fl);
}
static inline uint64_t fpu_div(int fmt, uint64_t a, uint64_t b, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    if (fpu_host_can(fmt, rm))
        return fpu_host_op(fmt, FPU_DIV, a, b, rm, fl);
#endif
    return fpu_soft_div(fmt, a, b, rm, fl);
}
static inline uint64_t fpu_sqrt(int fmt, uint64_t a, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    if (fpu_host_can(fmt, rm))
        return fpu_host_op(fmt, FPU_SQRT, a, a, rm, fl);
#endif
    return fpu_soft_sqrt(fmt, a, rm, fl);
}

#ifdef FPU_HOST
/* The host's fused multiply-add (hosts with FMA) in MXCSR's current mode,
 * flags left in MXCSR; only the flag the host does not raise goes to *fl. */
static inline uint64_t fpu_host_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, unsigned *fl)
{
    uint64_t r;
    if (fmt == FP_S) {
        float x = fpu_bits_f(a);
        __asm__ volatile("vfmadd213ss %[c], %[b], %[a]" : [a] "+x"(x)
                         : [b] "x"(fpu_bits_f(b)), [c] "x"(fpu_bits_f(c)));
        r = fpu_f_bits(x);
    } else {
        double x = fpu_bits_d(a);
        __asm__ volatile("vfmadd213sd %[c], %[b], %[a]" : [a] "+x"(x)
                         : [b] "x"(fpu_bits_d(b)), [c] "x"(fpu_bits_d(c)));
        r = fpu_d_bits(x);
    }
    if (__builtin_expect(fp_is_nan(fmt, r), 0)) {
        /* RISC-V: 0 * inf raises NV even when c is a quiet NaN (F chapter, FMA). */
        uint64_t s = fp_sign(fmt);
        if (((a & ~s) == fp_inf(fmt) && fp_is_zero(fmt, b)) ||
            ((b & ~s) == fp_inf(fmt) && fp_is_zero(fmt, a)))
            *fl |= FFLAG_NV;
        r = fp_canon_nan(fmt);
    }
    return r;
}
#endif

/* (neg_prod ? -(a * b) : a * b) + (neg_add ? -c : c) with one rounding:
 * fmadd, fmsub (neg_add), fnmsub (neg_prod), fnmadd (both). Negating an
 * operand only flips its sign bit, so it commutes with the rounding. */
static inline uint64_t fpu_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, bool neg_prod,
                               bool neg_add, int rm, unsigned *fl)
{
    if (neg_prod)
        a ^= fp_sign(fmt);
    if (neg_add)
        c ^= fp_sign(fmt);
#ifdef FPU_HOST
    if (fpu_host_can(fmt, rm) && __builtin_cpu_supports("fma")) {
        fpu_host_enter(rm);
        uint64_t r = fpu_host_fma(fmt, a, b, c, fl);
        fpu_host_done(rm, fpu_host_status(), fl);
        return r;
    }
#endif
    return fpu_soft_fma(fmt, a, b, c, rm, fl);
}

#ifdef FPU_HOST
/* fpu_fma in RNE with the host's flags left in MXCSR (see fpu_host_fold). */
static inline uint64_t fpu_lazy_fma(int fmt, uint64_t a, uint64_t b, uint64_t c, bool neg_prod,
                                    bool neg_add, unsigned *fl)
{
    if (__builtin_expect(!__builtin_cpu_supports("fma"), 0))
        return fpu_fma(fmt, a, b, c, neg_prod, neg_add, RM_RNE, fl);
    if (neg_prod)
        a ^= fp_sign(fmt);
    if (neg_add)
        c ^= fp_sign(fmt);
    return fpu_host_fma(fmt, a, b, c, fl);
}
#endif

/* fcvt between two formats (to != from) */
static inline uint64_t fpu_cvt_ff(int to, int from, uint64_t a, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    if (fpu_host_can(to, rm) && to == FP_S && from == FP_D) {
        uint32_t st;
        float r = fpu_h_cvtds(fpu_bits_d(a), fpu_mxcsr(rm), &st);
        fpu_host_done(rm, st, fl);
        return fpu_fix_nan(FP_S, fpu_f_bits(r));
    }
#endif
    return fpu_soft_cvt_ff(to, from, a, rm, fl);
}

/* fcvt.{s,d}.{w,wu,l,lu}: v is the integer register. */
static inline uint64_t fpu_cvt_if(int fmt, uint64_t v, int width, bool sgn, int rm, unsigned *fl)
{
#ifdef FPU_HOST
    int64_t iv = width == 32 ? (sgn ? (int64_t)(int32_t)v : (int64_t)(uint32_t)v) : (int64_t)v;
    if (fpu_host_can(fmt, rm) && (sgn || width == 32 || iv >= 0)) {
        uint32_t st, csr = fpu_mxcsr(rm);
        uint64_t r = fmt == FP_S ? fpu_f_bits(fpu_h_i2s(iv, csr, &st))
                                 : fpu_d_bits(fpu_h_i2d(iv, csr, &st));
        fpu_host_done(rm, st, fl);
        return r;
    }
#endif
    return fpu_soft_cvt_if(fmt, v, width, sgn, rm, fl);
}

#endif

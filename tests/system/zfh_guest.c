/*
 * Guest for tests/system/zfh_qemu.sh: every Zfh and Zfhmin instruction in
 * every rounding mode on a few thousand operands each (binary16 specials,
 * subnormals, values near the range ends and near ties, random bits, and
 * 64-bit patterns that are not NaN-boxed), folding each result and its
 * fflags into a hash: one line "NAME RM HASH" per instruction and mode on
 * the UART. The suite runs it on hartvm and on QEMU 7.2 and compares the
 * lines; the operands come from a fixed-seed generator, so both see the same.
 */
#include <stdint.h>
#include "guest_start.h"

#define UART ((volatile uint8_t *)0x10000000)
#define N 3000

static void putc_(char c) { *UART = (uint8_t)c; }
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v)
{
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return rng * 2685821657736338717ull;
}

/* A binary16 with structure: specials, extremes of the range, moderate. */
static uint64_t half(void)
{
    static const uint16_t sp[] = { 0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0xfe00, 0x7dff,
                                   0x0001, 0x03ff, 0x0400, 0x7bff, 0x3c00, 0xbc00, 0x3c01, 0x3bff };
    uint64_t r = rnd();
    unsigned s = (r >> 60) & 0x8000 ? 0x8000 : 0, f = r & 0x3ff, e;
    switch ((r >> 32) % 8) {
    case 0: return sp[(r >> 40) % 16];
    case 1: e = (r >> 44) % 3; break;                   /* subnormal and smallest normals */
    case 2: e = 28 + (r >> 44) % 3; break;              /* near overflow */
    case 3: f &= ~0x3fu >> ((r >> 48) % 6); e = 10 + (r >> 44) % 10; break;  /* few bits: ties */
    case 4: return r & 0xffff;
    default: e = 8 + (r >> 44) % 14; break;
    }
    return s | e << 10 | f;
}

/* An f register: a boxed binary16, or (1 in 16) a value that is not one. */
static uint64_t freg(void)
{
    if (rnd() % 16 == 0)
        return rnd() >> (rnd() % 2 ? 0 : 48);
    return 0xffffffffffff0000ull | half();
}

/* An integer register: small (within binary16's range) or any size. */
static uint64_t xreg(void)
{
    uint64_t r = rnd();
    return r % 2 ? (uint64_t)((int64_t)r >> (40 + r % 24)) : r >> (r % 64);
}

/* A binary32 or binary64 operand for fcvt.h.s/.d: near binary16's range. */
static uint64_t wide(int d)
{
    uint64_t r = rnd();
    if (r % 8 == 0)
        return d ? r : 0xffffffff00000000ull | (uint32_t)r;
    int e = (int)(r >> 40) % 50 - 28;                   /* 2^-28 .. 2^21 */
    if (d)
        return (r & 0x800fffffffffffffull) | (uint64_t)(1023 + e) << 52;
    return 0xffffffff00000000ull | ((uint32_t)r & 0x807fffffu) | (uint32_t)(127 + e) << 23;
}

enum src { FFF, FF, F, X, S, D };       /* operands: fs1 fs2 fs3, fs1 fs2, fs1, xs1, f (binary32), f (binary64) */

/* One instruction text with rm, its operand kinds, whether rd is an x. */
#define BODY(insn, args) \
    __asm__ volatile("fmv.d.x ft0, %[a]\n\tfmv.d.x ft1, %[b]\n\tfmv.d.x ft2, %[c]\n\t" \
                     "fmv.d.x ft3, zero\n\t" \
                     "csrwi fflags, 0\n\t" insn " " args "\n\t" \
                     "fmv.x.d %[r], ft3\n\tcsrr %[fl], fflags" \
                     : [r] "=&r"(r), [fl] "=&r"(fl), [x] "+&r"(xd) \
                     : [a] "r"(a), [b] "r"(b), [c] "r"(c), [xs] "r"(xs) : "ft0", "ft1", "ft2", "ft3")
#define FN(name, insn, args, rm) \
    static uint64_t name##_##rm(uint64_t a, uint64_t b, uint64_t c, uint64_t xs) \
    { uint64_t r, fl, xd = 0; BODY(insn, args); \
      return r ^ fl << 56 ^ xd * 0x9e3779b97f4a7c15ull; }
/* each in the five static modes and dyn (frm set by the caller) */
#define RMS(name, insn, args) FN(name, insn, args ",rne", 0) FN(name, insn, args ",rtz", 1) \
    FN(name, insn, args ",rdn", 2) FN(name, insn, args ",rup", 3) FN(name, insn, args ",rmm", 4) \
    FN(name, insn, args, 7)
#define NORM(name, insn, args) FN(name, insn, args, 0)

RMS(fadd, "fadd.h", "ft3, ft0, ft1")
RMS(fsub, "fsub.h", "ft3, ft0, ft1")
RMS(fmul, "fmul.h", "ft3, ft0, ft1")
RMS(fdiv, "fdiv.h", "ft3, ft0, ft1")
RMS(fsqrt, "fsqrt.h", "ft3, ft0")
RMS(fmadd, "fmadd.h", "ft3, ft0, ft1, ft2")
RMS(fmsub, "fmsub.h", "ft3, ft0, ft1, ft2")
RMS(fnmsub, "fnmsub.h", "ft3, ft0, ft1, ft2")
RMS(fnmadd, "fnmadd.h", "ft3, ft0, ft1, ft2")
RMS(fcvt_w, "fcvt.w.h", "%[x], ft0")
RMS(fcvt_wu, "fcvt.wu.h", "%[x], ft0")
RMS(fcvt_l, "fcvt.l.h", "%[x], ft0")
RMS(fcvt_lu, "fcvt.lu.h", "%[x], ft0")
RMS(fcvt_hw, "fcvt.h.w", "ft3, %[xs]")
RMS(fcvt_hwu, "fcvt.h.wu", "ft3, %[xs]")
RMS(fcvt_hl, "fcvt.h.l", "ft3, %[xs]")
RMS(fcvt_hlu, "fcvt.h.lu", "ft3, %[xs]")
RMS(fcvt_hs, "fcvt.h.s", "ft3, ft0")
RMS(fcvt_hd, "fcvt.h.d", "ft3, ft0")
NORM(fcvt_sh, "fcvt.s.h", "ft3, ft0")
NORM(fcvt_dh, "fcvt.d.h", "ft3, ft0")
NORM(fsgnj, "fsgnj.h", "ft3, ft0, ft1")
NORM(fsgnjn, "fsgnjn.h", "ft3, ft0, ft1")
NORM(fsgnjx, "fsgnjx.h", "ft3, ft0, ft1")
NORM(fmin, "fmin.h", "ft3, ft0, ft1")
NORM(fmax, "fmax.h", "ft3, ft0, ft1")
NORM(feq, "feq.h", "%[x], ft0, ft1")
NORM(flt, "flt.h", "%[x], ft0, ft1")
NORM(fle, "fle.h", "%[x], ft0, ft1")
NORM(fclass, "fclass.h", "%[x], ft0")
NORM(fmvxh, "fmv.x.h", "%[x], ft0")
NORM(fmvhx, "fmv.h.x", "ft3, %[xs]")

typedef uint64_t (*fn_t)(uint64_t, uint64_t, uint64_t, uint64_t);
#define R6(n) { n##_0, n##_1, n##_2, n##_3, n##_4, n##_7 }
#define R1(n) { n##_0 }
static const struct test { const char *name; enum src src; fn_t fn[6]; } tests[] = {
    { "fadd.h", FF, R6(fadd) }, { "fsub.h", FF, R6(fsub) }, { "fmul.h", FF, R6(fmul) },
    { "fdiv.h", FF, R6(fdiv) }, { "fsqrt.h", F, R6(fsqrt) }, { "fmadd.h", FFF, R6(fmadd) },
    { "fmsub.h", FFF, R6(fmsub) }, { "fnmsub.h", FFF, R6(fnmsub) }, { "fnmadd.h", FFF, R6(fnmadd) },
    { "fcvt.w.h", F, R6(fcvt_w) }, { "fcvt.wu.h", F, R6(fcvt_wu) }, { "fcvt.l.h", F, R6(fcvt_l) },
    { "fcvt.lu.h", F, R6(fcvt_lu) }, { "fcvt.h.w", X, R6(fcvt_hw) }, { "fcvt.h.wu", X, R6(fcvt_hwu) },
    { "fcvt.h.l", X, R6(fcvt_hl) }, { "fcvt.h.lu", X, R6(fcvt_hlu) }, { "fcvt.h.s", S, R6(fcvt_hs) },
    { "fcvt.h.d", D, R6(fcvt_hd) }, { "fcvt.s.h", F, R1(fcvt_sh) }, { "fcvt.d.h", F, R1(fcvt_dh) },
    { "fsgnj.h", FF, R1(fsgnj) }, { "fsgnjn.h", FF, R1(fsgnjn) }, { "fsgnjx.h", FF, R1(fsgnjx) },
    { "fmin.h", FF, R1(fmin) }, { "fmax.h", FF, R1(fmax) }, { "feq.h", FF, R1(feq) },
    { "flt.h", FF, R1(flt) }, { "fle.h", FF, R1(fle) }, { "fclass.h", F, R1(fclass) },
    { "fmv.x.h", F, R1(fmvxh) }, { "fmv.h.x", X, R1(fmvhx) },
};
static const char *const rm_name[6] = { "rne", "rtz", "rdn", "rup", "rmm", "dyn" };

int main(void)
{
    __asm__ volatile("csrs mstatus, %0" : : "r"(1ul << 13));   /* FS = Initial */
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++) {
        const struct test *x = &tests[t];
        for (int m = 0; m < 6 && x->fn[m]; m++) {
            if (m == 5)                                         /* dyn: frm cycles through 0..4 */
                __asm__ volatile("csrw frm, zero");
            uint64_t h = 0;
            for (int i = 0; i < N; i++) {
                uint64_t a = x->src == X ? 0 : x->src == S ? wide(0) : x->src == D ? wide(1) : freg();
                uint64_t b = freg(), c = freg(), xs = xreg();
                if (m == 5)
                    __asm__ volatile("csrw frm, %0" : : "r"((uint64_t)(i % 5)));
                h = (h ^ x->fn[m](a, b, c, xs)) * 0x100000001b3ull;
            }
            puts_(x->name);
            putc_(' ');
            puts_(rm_name[m]);
            putc_(' ');
            puthex(h);
            putc_('\n');
        }
    }
    puts_("zfh-guest: done\n");
    *(volatile uint32_t *)0x100000 = 0x5555;                   /* test finisher: pass */
    for (;;)
        ;
}

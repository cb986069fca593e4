/*
 * Zfhmin and Zfh: binary16 in the f registers (unprivileged spec, "Zfh"
 * chapter, with the F chapter's rules). NaN boxing ("NaN Boxing of
 * Narrower Values": a binary16 not boxed to 64 bits reads as the canonical
 * NaN 0x7e00; moves and stores pass the bits unchecked), each rounding mode
 * static and dynamic, reserved modes illegal, IEEE 754 flags (tininess after
 * rounding), fclass of every class, conversions with saturation, mstatus.FS.
 * Expected values are exact arithmetic rounded by the spec's rules:
 * 1.0 = 0x3c00, 2^-14 (smallest normal) = 0x0400, 2^-24 = 0x0001,
 * 65504 (largest) = 0x7bff, inf = 0x7c00, sNaN 0x7c01. Runs on QEMU 7.2 too
 * (tests/system/cpu_options.sh).
 */
# hartvm-args: -cpu rv64,Zfh=true
#include "harness.h"

#define FS_MASK (3 << 13)
#define READ_FS csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3;
#define SET_FS(v) li t0, FS_MASK; csrc mstatus, t0; li t0, (v) << 13; csrs mstatus, t0;

TEST_BEGIN
    TRAP_CATCHER_INSTALL
    la sp, stack_top

    /* FS = Off: Zfh instructions are illegal */
    SET_FS(0)
    T_TRAP32(1, 0x04007053, 2, 0x04007053)      /* fadd.h f0, f0, f0, dyn */
    T_TRAP32(2, 0x00011007, 2, 0x00011007)      /* flh f0, 0(sp) */
    T_TRAP32(3, 0xe4000553, 2, 0xe4000553)      /* fmv.x.h a0, f0 */
    T_TRAP32(4, 0x40200053, 2, 0x40200053)      /* fcvt.s.h f0, f0 */
    /* Initial: a read keeps it, a binary16 write makes it Dirty */
    SET_FS(1)
    CASE(5)
    fmv.x.h a0, f0
    fsh f0, 0(sp)
    READ_FS
    EXPECT(a0, 1)
    CASE(6)
    li a1, 0x3c00
    fmv.h.x f1, a1
    READ_FS
    EXPECT(a0, 3)

    /* ---- NaN boxing ---- */
    CASE(10)                                    /* fmv.h.x boxes */
    li a1, 0x12343c00
    fmv.h.x fa1, a1
    fmv.x.d a0, fa1
    EXPECT(a0, 0xffffffffffff3c00)
    CASE(11)                                    /* boxed as a binary32: not a binary16 */
    li a1, 0x3c00
    fmv.w.x fa1, a1
    fmv.h.x fa2, a1
    csrwi fflags, 0
    fadd.h fa0, fa1, fa2
    F_RES_H(0x7e00, 0)
    CASE(12)                                    /* upper bits zero: the canonical NaN */
    li a1, 0x3c00
    fmv.d.x fa1, a1
    csrwi fflags, 0
    fsgnj.h fa0, fa1, fa1
    F_RES_H(0x7e00, 0)
    CASE(13)                                    /* fmv.x.h: the low 16 bits, sign-extended */
    li a1, 0x12348000
    fmv.d.x fa1, a1
    fmv.x.h a0, fa1
    EXPECT(a0, 0xffffffffffff8000)
    CASE(14)                                    /* fcvt.s.h of an unboxed value */
    li a1, 0x3c00
    fmv.d.x fa1, a1
    csrwi fflags, 0
    fcvt.s.h fa0, fa1
    F_RES_S(0x7fc00000, 0)
    CASE(15)                                    /* fclass.h: unboxed is a quiet NaN */
    fclass.h a0, fa1
    EXPECT(a0, 0x200)
    CASE(16)                                    /* flh boxes, fsh stores 16 bits unchecked */
    li a1, 0x5555bc00
    sw a1, 0(sp)
    flh fa1, 0(sp)
    fmv.x.d a0, fa1
    EXPECT(a0, 0xffffffffffffbc00)
    CASE(17)
    li a1, 0x7777
    fmv.d.x fa1, a1
    fsh fa1, 2(sp)
    lw a0, 0(sp)
    EXPECT(a0, 0x7777bc00)

    /* ---- rounding: 1 + 2^-11 is a tie, 1 + 3 * 2^-12 above it ---- */
    T_H2R(20, fadd.h, rne, 0x3c00, 0x01, 0x3c00, 0x1000)
    T_H2R(21, fadd.h, rtz, 0x3c00, 0x01, 0x3c00, 0x1000)
    T_H2R(22, fadd.h, rdn, 0x3c00, 0x01, 0x3c00, 0x1000)
    T_H2R(23, fadd.h, rup, 0x3c01, 0x01, 0x3c00, 0x1000)
    T_H2R(24, fadd.h, rmm, 0x3c01, 0x01, 0x3c00, 0x1000)
    T_H2R(25, fadd.h, rne, 0x3c01, 0x01, 0x3c00, 0x1200)
    T_H2R(26, fadd.h, rtz, 0x3c00, 0x01, 0x3c00, 0x1200)
    T_H2R(27, fadd.h, rne, 0xbc00, 0x01, 0xbc00, 0x9000)
    T_H2R(28, fadd.h, rdn, 0xbc01, 0x01, 0xbc00, 0x9000)
    T_H2R(29, fadd.h, rup, 0xbc00, 0x01, 0xbc00, 0x9000)
    T_H2R(30, fadd.h, rmm, 0xbc01, 0x01, 0xbc00, 0x9000)
    T_H2R(31, fsub.h, rne, 0x0000, 0x00, 0x3c00, 0x3c00)
    T_H2R(32, fsub.h, rdn, 0x8000, 0x00, 0x3c00, 0x3c00)   /* x - x = -0 in rdn only */
    T_H2R(33, fsub.h, rup, 0x0000, 0x00, 0x3c00, 0x3c00)
    /* dynamic: frm */
    CASE(34)
    csrwi frm, 3                                /* rup */
    FMV_H(fa1, 0x3c00) FMV_H(fa2, 0x1000)
    csrwi fflags, 0
    fadd.h fa0, fa1, fa2
    F_RES_H(0x3c01, 0x01)
    CASE(35)
    csrwi frm, 4                                /* rmm */
    csrwi fflags, 0
    fsub.h fa0, fa1, fa2                        /* 1 - 2^-11: exact (spacing below 1 is 2^-11) */
    F_RES_H(0x3bff, 0x00)
    csrwi frm, 0
    /* reserved rounding modes: static 5 and 6, dynamic with frm 5..7 */
    T_TRAP32(36, 0x04005053, 2, 0x04005053)     /* fadd.h f0, f0, f0, rm=5 */
    T_TRAP32(37, 0x5c006053, 2, 0x5c006053)     /* fsqrt.h f0, f0, rm=6 */
    CASE(38)
    csrwi frm, 5
    T_TRAP32(39, 0x04007053, 2, 0x04007053)     /* fadd.h f0, f0, f0, dyn */
    T_TRAP32(40, 0xc4007553, 2, 0xc4007553)     /* fcvt.w.h a0, f0, dyn */
    csrwi frm, 7
    T_TRAP32(41, 0x44007053, 2, 0x44007053)     /* fcvt.h.s f0, f0, dyn */
    csrwi frm, 0

    /* ---- overflow, underflow (tininess after rounding) ---- */
    T_H2R(50, fmul.h, rne, 0x7c00, 0x05, 0x7bff, 0x4000)
    T_H2R(51, fmul.h, rtz, 0x7bff, 0x05, 0x7bff, 0x4000)
    T_H2R(52, fmul.h, rdn, 0x7bff, 0x05, 0x7bff, 0x4000)
    T_H2R(53, fmul.h, rup, 0x7c00, 0x05, 0x7bff, 0x4000)
    T_H2R(54, fmul.h, rup, 0xfbff, 0x05, 0xfbff, 0x4000)
    T_H2R(55, fmul.h, rdn, 0xfc00, 0x05, 0xfbff, 0x4000)
    T_H2R(56, fmul.h, rne, 0x0200, 0x00, 0x0400, 0x3800)   /* 2^-15: subnormal, exact: no UF */
    T_H2R(57, fmul.h, rne, 0x0200, 0x03, 0x0401, 0x3800)   /* 2^-15 + 2^-25: a tie */
    T_H2R(58, fmul.h, rup, 0x0201, 0x03, 0x0401, 0x3800)
    /* (1 - 2^-11) * 2^-14 = 2^-14 - 2^-25: tiny after rounding to 11 bits,
     * rounds to the smallest normal in rne and rup, down in rtz */
    T_H2R(59, fmul.h, rne, 0x0400, 0x03, 0x3bff, 0x0400)
    T_H2R(60, fmul.h, rtz, 0x03ff, 0x03, 0x3bff, 0x0400)
    /* division and square root */
    T_H2R(61, fdiv.h, rne, 0x7c00, 0x08, 0x3c00, 0x0000)
    T_H2R(62, fdiv.h, rne, 0xfc00, 0x08, 0x3c00, 0x8000)
    T_H2R(63, fdiv.h, rne, 0x7e00, 0x10, 0x0000, 0x0000)
    T_H2R(64, fdiv.h, rne, 0x3555, 0x01, 0x3c00, 0x4200)   /* 1/3 */
    T_H2R(65, fdiv.h, rup, 0x3556, 0x01, 0x3c00, 0x4200)
    T_H2R(66, fdiv.h, rne, 0x7e00, 0x10, 0x7c00, 0xfc00)
    T_H1R(67, fsqrt.h, rne, 0x3da8, 0x01, 0x4000)          /* sqrt 2 */
    T_H1R(68, fsqrt.h, rup, 0x3da9, 0x01, 0x4000)
    T_H1R(69, fsqrt.h, rne, 0x0c00, 0x00, 0x0001)          /* sqrt(2^-24) = 2^-12 */
    T_H1R(70, fsqrt.h, rne, 0x7e00, 0x10, 0xbc00)
    T_H1R(71, fsqrt.h, rne, 0x8000, 0x00, 0x8000)          /* sqrt(-0) = -0 */
    T_H1R(72, fsqrt.h, rup, 0x5c00, 0x01, 0x7bff)
    T_H1R(73, fsqrt.h, rne, 0x7e00, 0x10, 0x7c01)          /* sNaN */
    T_H1R(74, fsqrt.h, rne, 0x7e00, 0x00, 0x7e55)          /* qNaN: canonical, quiet */
    /* fused multiply-add: one rounding. 0x3b59 * 0x105b + 1 is just above
     * 1 + 2^-11; rounded first to binary32 it would be the tie, then 1.0 */
    T_H3R(80, fmadd.h, rne, 0x3c01, 0x01, 0x3b59, 0x105b, 0x3c00)
    T_H3R(81, fmsub.h, rne, 0x3c00, 0x00, 0x3c00, 0x4000, 0x3c00)   /* 1*2 - 1 */
    T_H3R(82, fnmsub.h, rne, 0xbc00, 0x00, 0x3c00, 0x4000, 0x3c00)  /* -(1*2) + 1 */
    T_H3R(83, fnmadd.h, rne, 0xc200, 0x00, 0x3c00, 0x4000, 0x3c00)  /* -(1*2) - 1 */
    T_H3R(84, fmadd.h, rne, 0x7e00, 0x10, 0x0000, 0x7c00, 0x7e00)   /* 0 * inf + qNaN: NV */
    T_H3R(85, fmadd.h, rne, 0x7e00, 0x10, 0x7c00, 0x3c00, 0xfc00)   /* inf - inf */
    T_H3R(86, fmadd.h, rdn, 0x8000, 0x00, 0x3c00, 0x3c00, 0xbc00)   /* exact 0 in rdn: -0 */

    /* ---- sign injection, min/max, comparisons ---- */
    T_H2(90, fsgnj.h, 0xbc00, 0, 0x3c00, 0xc000)
    T_H2(91, fsgnjn.h, 0xbc00, 0, 0x3c00, 0x3c00)
    T_H2(92, fsgnjx.h, 0x3c00, 0, 0xbc00, 0xc000)
    T_H2(93, fmin.h, 0x8000, 0, 0x0000, 0x8000)
    T_H2(94, fmax.h, 0x0000, 0, 0x8000, 0x0000)
    T_H2(95, fmin.h, 0x3c00, 0, 0x7e00, 0x3c00)
    T_H2(96, fmin.h, 0x3c00, 0x10, 0x7c01, 0x3c00)
    T_H2(97, fmax.h, 0x7e00, 0, 0x7e00, 0xfe00)
    T_H2(98, fmax.h, 0x4000, 0, 0x3c00, 0x4000)
    T_XH2(100, feq.h, 0, 0x00, 0x7e00, 0x3c00)
    T_XH2(101, feq.h, 0, 0x10, 0x7c01, 0x3c00)
    T_XH2(102, flt.h, 0, 0x10, 0x7e00, 0x3c00)
    T_XH2(103, fle.h, 1, 0x00, 0x8000, 0x0000)
    T_XH2(104, flt.h, 1, 0x00, 0xbc00, 0x0001)
    T_XH2(105, feq.h, 1, 0x00, 0x8000, 0x0000)
    T_XH2(106, fle.h, 0, 0x00, 0x4000, 0x3c00)

    /* ---- fclass: each class ---- */
    T_XH(110, fclass.h, 0x001, 0, 0xfc00)
    T_XH(111, fclass.h, 0x002, 0, 0xbc00)
    T_XH(112, fclass.h, 0x004, 0, 0x8001)
    T_XH(113, fclass.h, 0x008, 0, 0x8000)
    T_XH(114, fclass.h, 0x010, 0, 0x0000)
    T_XH(115, fclass.h, 0x020, 0, 0x03ff)
    T_XH(116, fclass.h, 0x040, 0, 0x0400)
    T_XH(117, fclass.h, 0x080, 0, 0x7c00)
    T_XH(118, fclass.h, 0x100, 0, 0x7c01)
    T_XH(119, fclass.h, 0x200, 0, 0x7e00)

    /* ---- to integers: 1.5 and -2.5 in each mode, saturation ---- */
    T_XHR(120, fcvt.w.h, rne, 2, 0x01, 0x3e00)
    T_XHR(121, fcvt.w.h, rtz, 1, 0x01, 0x3e00)
    T_XHR(122, fcvt.w.h, rdn, 1, 0x01, 0x3e00)
    T_XHR(123, fcvt.w.h, rup, 2, 0x01, 0x3e00)
    T_XHR(124, fcvt.w.h, rmm, 2, 0x01, 0x3e00)
    T_XHR(125, fcvt.w.h, rne, -2, 0x01, 0xc100)
    T_XHR(126, fcvt.w.h, rdn, -3, 0x01, 0xc100)
    T_XHR(127, fcvt.w.h, rup, -2, 0x01, 0xc100)
    T_XHR(128, fcvt.w.h, rmm, -3, 0x01, 0xc100)
    T_XHR(129, fcvt.w.h, rne, 0x7fffffff, 0x10, 0x7e00)
    T_XHR(130, fcvt.w.h, rne, 0x7fffffff, 0x10, 0x7c00)
    T_XHR(131, fcvt.w.h, rne, 0xffffffff80000000, 0x10, 0xfc00)
    T_XHR(132, fcvt.w.h, rne, 65504, 0x00, 0x7bff)
    T_XHR(133, fcvt.w.h, rne, -65504, 0x00, 0xfbff)
    T_XHR(134, fcvt.wu.h, rne, 0, 0x10, 0xbc00)
    T_XHR(135, fcvt.wu.h, rtz, 0, 0x01, 0xb800)       /* -0.5 truncates to 0: in range */
    T_XHR(136, fcvt.wu.h, rmm, 0, 0x10, 0xb800)       /* -0.5 rounds to -1: out of range */
    T_XHR(137, fcvt.wu.h, rne, 0xffffffffffffffff, 0x10, 0x7e00)
    T_XHR(138, fcvt.wu.h, rne, 65504, 0x00, 0x7bff)
    T_XHR(139, fcvt.l.h, rne, 0x8000000000000000, 0x10, 0xfc00)
    T_XHR(140, fcvt.l.h, rne, 0x7fffffffffffffff, 0x10, 0x7c01)
    T_XHR(141, fcvt.l.h, rup, 1, 0x01, 0x0001)
    T_XHR(142, fcvt.lu.h, rne, 0xffffffffffffffff, 0x10, 0x7e00)
    T_XHR(143, fcvt.lu.h, rne, 0xffffffffffffffff, 0x10, 0x7c00)
    T_XHR(144, fcvt.lu.h, rne, 0, 0x10, 0xfc00)
    T_XHR(145, fcvt.lu.h, rdn, 0, 0x10, 0x8001)       /* rounds to -1 */
    /* ---- from integers ---- */
    T_HXR(150, fcvt.h.w, rne, 0x3c00, 0x00, 1)
    T_HXR(151, fcvt.h.w, rne, 0xc200, 0x00, -3)
    T_HXR(152, fcvt.h.w, rne, 0x6800, 0x01, 2049)      /* a tie: spacing 2 above 2048 */
    T_HXR(153, fcvt.h.w, rup, 0x6801, 0x01, 2049)
    T_HXR(154, fcvt.h.w, rmm, 0x6801, 0x01, 2049)
    T_HXR(155, fcvt.h.w, rne, 0x7bff, 0x01, 65519)
    T_HXR(156, fcvt.h.w, rne, 0x7c00, 0x05, 65520)     /* the tie rounds to 2^16: overflow */
    T_HXR(157, fcvt.h.w, rtz, 0x7bff, 0x01, 65520)     /* truncated: no overflow */
    T_HXR(158, fcvt.h.w, rup, 0x7c00, 0x05, 65519)
    T_HXR(159, fcvt.h.w, rne, 0x8000 | 0x7c00, 0x05, -65536)
    T_HXR(160, fcvt.h.wu, rne, 0x7c00, 0x05, 0xffffffff)
    T_HXR(161, fcvt.h.wu, rtz, 0x7bff, 0x05, 0xffffffff)
    T_HXR(162, fcvt.h.l, rdn, 0xfc00, 0x05, 0x8000000000000000)
    T_HXR(163, fcvt.h.lu, rne, 0x7c00, 0x05, 0xffffffffffffffff)
    T_HXR(164, fcvt.h.lu, rne, 0x0000, 0x00, 0)
    T_HXR(165, fcvt.h.wu, rne, 0x5640, 0x00, 100)
    /* ---- between formats ---- */
    CASE(170)                                   /* 2^-24 -> binary32, exact */
    FMV_H(fa1, 0x0001)
    csrwi fflags, 0
    fcvt.s.h fa0, fa1
    F_RES_S(0x33800000, 0)
    CASE(171)                                   /* sNaN -> canonical, NV */
    FMV_H(fa1, 0x7c01)
    fcvt.s.h fa0, fa1
    F_RES_S(0x7fc00000, 0x10)
    CASE(172)
    FMV_H(fa1, 0xbc00)
    csrwi fflags, 0
    fcvt.d.h fa0, fa1
    F_RES_D(0xbff0000000000000, 0)
    CASE(173)                                   /* 1 + 2^-11 (binary32): a tie */
    FMV_S(fa1, 0x3f801000)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rne
    F_RES_H(0x3c00, 0x01)
    CASE(174)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rup
    F_RES_H(0x3c01, 0x01)
    CASE(175)                                   /* 2^-25: half the smallest subnormal */
    FMV_S(fa1, 0x33000000)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rne
    F_RES_H(0x0000, 0x03)
    CASE(176)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rup
    F_RES_H(0x0001, 0x03)
    CASE(177)                                   /* 65520: overflow */
    FMV_S(fa1, 0x477ff000)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rne
    F_RES_H(0x7c00, 0x05)
    CASE(178)                                   /* a NaN's payload is not kept */
    FMV_S(fa1, 0x7fc12345)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rne
    F_RES_H(0x7e00, 0x00)
    CASE(179)
    FMV_S(fa1, 0x7f800001)
    csrwi fflags, 0
    fcvt.h.s fa0, fa1, rne
    F_RES_H(0x7e00, 0x10)
    CASE(180)                                   /* 1.5 * 2^-24: a tie, to even (2) */
    FMV_D(fa1, 0x3e78000000000000)
    csrwi fflags, 0
    fcvt.h.d fa0, fa1, rne
    F_RES_H(0x0002, 0x03)
    CASE(181)
    FMV_D(fa1, 0x3ff0000000000000)
    csrwi fflags, 0
    fcvt.h.d fa0, fa1, rtz
    F_RES_H(0x3c00, 0x00)
    CASE(182)                                   /* a binary64 just below 65520 */
    FMV_D(fa1, 0x40effdffffffffff)
    csrwi fflags, 0
    fcvt.h.d fa0, fa1, rne
    F_RES_H(0x7bff, 0x01)
    j pass

TEST_END
TRAP_CATCHER

    .data
    .balign 16
stack:
    .skip 256
stack_top:

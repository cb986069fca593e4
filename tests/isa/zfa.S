/*
 * Zfa (unprivileged spec, "Zfa" chapter), for binary32, binary64 and, with
 * Zfh, binary16: fli's 32 constants (the spec's table: sign, exponent and
 * significand as it lists them; 2^-16 and 2^-15 subnormal and 2^16 +inf in
 * binary16), fminm/fmaxm (any NaN gives the canonical NaN), fround and
 * froundnx in every rounding mode (NX only for froundnx), fcvtmod.w.d
 * (bits 31:0 of the truncated value, flags as fcvt.w.d), fleq/fltq (quiet:
 * NV only for signalling NaNs), the reserved rm of fcvtmod.w.d and RV32's
 * fmvh.x.d and fmvp.d.x, illegal on RV64. binutils 2.40 has no Zfa: the
 * instructions are .insn lines built from the spec's encodings (OP-FP,
 * funct7 = funct5 << 2 | fmt; fmt S 00, D 01, H 10).
 */
# hartvm-args: -cpu rv64,zfa=true,Zfh=true
#include "harness.h"

#define OP_FP 0x53
/* fli: rs1 is the table entry, rs2 = 1 */
#define FLI_S(n, i, exp) CASE(n) csrwi fflags, 0; .insn r OP_FP, 0, 0x78, fa0, x ## i, x1; F_RES_S(exp, 0)
#define FLI_D(n, i, exp) CASE(n) csrwi fflags, 0; .insn r OP_FP, 0, 0x79, fa0, x ## i, x1; F_RES_D(exp, 0)
#define FLI_H(n, i, exp) CASE(n) csrwi fflags, 0; .insn r OP_FP, 0, 0x7a, fa0, x ## i, x1; F_RES_H(exp, 0)
/* fa0 = op(fa1, fa2): funct3, funct7 */
#define Z_S2(n, f3, f7, exp, fl, a, b) \
    CASE(n) FMV_S(fa1, a) FMV_S(fa2, b) csrwi fflags, 0; .insn r OP_FP, f3, f7, fa0, fa1, fa2; F_RES_S(exp, fl)
#define Z_D2(n, f3, f7, exp, fl, a, b) \
    CASE(n) FMV_D(fa1, a) FMV_D(fa2, b) csrwi fflags, 0; .insn r OP_FP, f3, f7, fa0, fa1, fa2; F_RES_D(exp, fl)
#define Z_H2(n, f3, f7, exp, fl, a, b) \
    CASE(n) FMV_H(fa1, a) FMV_H(fa2, b) csrwi fflags, 0; .insn r OP_FP, f3, f7, fa0, fa1, fa2; F_RES_H(exp, fl)
/* a0 = op(fa1, fa2) */
#define Z_XS2(n, f3, f7, exp, fl, a, b) \
    CASE(n) FMV_S(fa1, a) FMV_S(fa2, b) csrwi fflags, 0; .insn r OP_FP, f3, f7, a0, fa1, fa2; X_RES(exp, fl)
#define Z_XD2(n, f3, f7, exp, fl, a, b) \
    CASE(n) FMV_D(fa1, a) FMV_D(fa2, b) csrwi fflags, 0; .insn r OP_FP, f3, f7, a0, fa1, fa2; X_RES(exp, fl)
#define Z_XH2(n, f3, f7, exp, fl, a, b) \
    CASE(n) FMV_H(fa1, a) FMV_H(fa2, b) csrwi fflags, 0; .insn r OP_FP, f3, f7, a0, fa1, fa2; X_RES(exp, fl)
/* fround (rs2 = x4) / froundnx (x5): fa0 = op(fa1), rm in funct3 */
#define Z_S1(n, rm, rs2, exp, fl, a) \
    CASE(n) FMV_S(fa1, a) csrwi fflags, 0; .insn r OP_FP, rm, 0x20, fa0, fa1, rs2; F_RES_S(exp, fl)
#define Z_D1(n, rm, rs2, exp, fl, a) \
    CASE(n) FMV_D(fa1, a) csrwi fflags, 0; .insn r OP_FP, rm, 0x21, fa0, fa1, rs2; F_RES_D(exp, fl)
#define Z_H1(n, rm, rs2, exp, fl, a) \
    CASE(n) FMV_H(fa1, a) csrwi fflags, 0; .insn r OP_FP, rm, 0x22, fa0, fa1, rs2; F_RES_H(exp, fl)
/* fcvtmod.w.d a0, fa1, rtz: funct3 = 1 (rtz), rs2 = 8 */
#define CVTMOD(n, exp, fl, a) \
    CASE(n) FMV_D(fa1, a) csrwi fflags, 0; .insn r OP_FP, 1, 0x61, a0, fa1, x8; X_RES(exp, fl)

#define RNE 0
#define RTZ 1
#define RDN 2
#define RUP 3
#define RMM 4
#define DYN 7
#define MINM 2          /* funct3 of fminm (fmin's with bit 13 set), fmaxm 3 */
#define MAXM 3
#define LEQ 4           /* fleq (fle's with bit 14 set), fltq 5 */
#define LTQ 5

TEST_BEGIN
    TRAP_CATCHER_INSTALL
    FP_ON

    /* ---- fminm/fmaxm ---- */
    Z_S2(1, MINM, 0x14, 0x7fc00000, 0x00, 0x7fc00000, 0x3f800000)  /* qNaN: the NaN wins */
    Z_S2(2, MAXM, 0x14, 0x7fc00000, 0x00, 0x3f800000, 0xffc12345)
    Z_S2(3, MINM, 0x14, 0x7fc00000, 0x10, 0x7f800001, 0x3f800000)  /* sNaN: NV */
    Z_S2(4, MINM, 0x14, 0x80000000, 0x00, 0x00000000, 0x80000000)  /* -0 < +0 */
    Z_S2(5, MAXM, 0x14, 0x00000000, 0x00, 0x80000000, 0x00000000)
    Z_S2(6, MINM, 0x14, 0x3f800000, 0x00, 0x40000000, 0x3f800000)
    Z_S2(7, MAXM, 0x14, 0x40000000, 0x00, 0x40000000, 0x3f800000)
    Z_D2(8, MINM, 0x15, 0x7ff8000000000000, 0x00, 0x3ff0000000000000, 0x7ff8000000000001)
    Z_D2(9, MAXM, 0x15, 0x7ff8000000000000, 0x10, 0x7ff0000000000001, 0x3ff0000000000000)
    Z_D2(10, MAXM, 0x15, 0x4000000000000000, 0x00, 0x4000000000000000, 0xfff0000000000000)
    Z_H2(11, MINM, 0x16, 0x7e00, 0x00, 0x7e00, 0x3c00)
    Z_H2(12, MAXM, 0x16, 0x7e00, 0x10, 0x3c00, 0x7c01)
    Z_H2(13, MINM, 0x16, 0x8000, 0x00, 0x8000, 0x0000)
    Z_H2(14, MAXM, 0x16, 0x4000, 0x00, 0x3c00, 0x4000)
    CASE(15)                                    /* an unboxed binary16 reads as the canonical NaN */
    li t5, 0x3c00
    fmv.w.x fa1, t5
    FMV_H(fa2, 0x4000)
    csrwi fflags, 0
    .insn r OP_FP, MAXM, 0x16, fa0, fa1, fa2
    F_RES_H(0x7e00, 0x00)

    /* ---- fround / froundnx: 2.5, -0.5, 1.5 in each mode ---- */
    Z_S1(20, RNE, x4, 0x40000000, 0x00, 0x40200000)
    Z_S1(21, RTZ, x4, 0x40000000, 0x00, 0x40200000)
    Z_S1(22, RDN, x4, 0x40000000, 0x00, 0x40200000)
    Z_S1(23, RUP, x4, 0x40400000, 0x00, 0x40200000)
    Z_S1(24, RMM, x4, 0x40400000, 0x00, 0x40200000)
    Z_S1(25, RNE, x5, 0x40000000, 0x01, 0x40200000)
    Z_S1(26, RUP, x5, 0x40400000, 0x01, 0x40200000)
    Z_S1(27, RMM, x5, 0x40400000, 0x01, 0x40200000)
    Z_S1(28, RNE, x5, 0x80000000, 0x01, 0xbf000000)     /* -0.5: a zero keeps the sign */
    Z_S1(29, RTZ, x5, 0x80000000, 0x01, 0xbf000000)
    Z_S1(30, RDN, x5, 0xbf800000, 0x01, 0xbf000000)
    Z_S1(31, RUP, x5, 0x80000000, 0x01, 0xbf000000)
    Z_S1(32, RMM, x5, 0xbf800000, 0x01, 0xbf000000)
    Z_S1(33, RNE, x5, 0x4b000001, 0x00, 0x4b000001)     /* 2^23 + 1: already an integer */
    Z_S1(34, RNE, x5, 0x3f800000, 0x00, 0x3f800000)
    Z_S1(35, RNE, x5, 0xff800000, 0x00, 0xff800000)     /* infinity unchanged */
    Z_S1(36, RNE, x5, 0x80000000, 0x00, 0x80000000)
    Z_S1(37, RNE, x5, 0x7fc00000, 0x00, 0x7fc12345)     /* qNaN: canonical, no flag */
    Z_S1(38, RNE, x4, 0x7fc00000, 0x10, 0x7f800001)     /* sNaN: NV only */
    Z_S1(39, RUP, x5, 0x3f800000, 0x01, 0x00000001)     /* a subnormal rounds up to 1 */
    Z_S1(40, RNE, x4, 0x00000000, 0x00, 0x00000001)     /* fround: no NX */
    Z_S1(41, RNE, x5, 0x00000000, 0x01, 0x00000001)
    Z_S1(42, RNE, x5, 0x4b000000, 0x01, 0x4affffff)     /* 2^23 - 0.5 -> 2^23 (even) */
    CASE(43)                                    /* dynamic: frm */
    csrwi frm, 2                                /* rdn */
    FMV_S(fa1, 0x3fc00000)
    csrwi fflags, 0
    .insn r OP_FP, DYN, 0x20, fa0, fa1, x5
    F_RES_S(0x3f800000, 0x01)
    csrwi frm, 0
    Z_D1(50, RNE, x4, 0x4000000000000000, 0x00, 0x4004000000000000)
    Z_D1(51, RUP, x5, 0x4008000000000000, 0x01, 0x4004000000000000)
    Z_D1(52, RMM, x5, 0xc008000000000000, 0x01, 0xc004000000000000)
    Z_D1(53, RNE, x5, 0x4330000000000001, 0x00, 0x4330000000000001)   /* 2^52 + 1 */
    Z_D1(54, RDN, x5, 0x8000000000000000, 0x00, 0x8000000000000000)
    Z_D1(55, RNE, x5, 0x7ff8000000000000, 0x10, 0xfff0000000000001)
    Z_H1(60, RMM, x4, 0x4200, 0x00, 0x4100)             /* 2.5 -> 3 */
    Z_H1(61, RNE, x5, 0x4000, 0x01, 0x4100)
    Z_H1(62, RNE, x5, 0x6401, 0x00, 0x6401)             /* 1025: an integer */
    Z_H1(63, RNE, x5, 0x6400, 0x01, 0x63ff)             /* 1023.5 -> 1024 */
    Z_H1(64, RTZ, x5, 0x63fe, 0x01, 0x63ff)             /* -> 1023 */
    Z_H1(65, RDN, x5, 0xbc00, 0x01, 0x8001)             /* -2^-24 -> -1 */
    Z_H1(66, RNE, x5, 0x7e00, 0x10, 0x7c01)
    Z_H1(67, RNE, x5, 0x7c00, 0x00, 0x7c00)

    /* ---- fcvtmod.w.d ---- */
    CVTMOD(70, 1, 0x00, 0x3ff0000000000000)
    CVTMOD(71, -1, 0x01, 0xbff8000000000000)                /* -1.5 */
    CVTMOD(72, 0x7fffffff, 0x01, 0x41dfffffffe00000)        /* 2^31 - 0.5: in range */
    CVTMOD(73, 0xffffffff80000000, 0x10, 0x41e0000000000000) /* 2^31: wraps, NV */
    CVTMOD(74, 0xffffffff80000000, 0x00, 0xc1e0000000000000) /* -2^31: exact */
    CVTMOD(75, 5, 0x10, 0x41f0000000500000)                 /* 2^32 + 5 */
    CVTMOD(76, -5, 0x10, 0xc1f0000000500000)
    CVTMOD(77, 0x63100000, 0x10, 0x4415af1d78b58c40)        /* 1e20 mod 2^32 */
    CVTMOD(78, 0xffffffff9cf00000, 0x10, 0xc415af1d78b58c40) /* -1e20 */
    CVTMOD(79, 0, 0x10, 0x43e0000000000000)                 /* 2^63: low bits zero */
    CVTMOD(80, 0, 0x10, 0x7fefffffffffffff)                 /* the largest double */
    CVTMOD(81, 0, 0x10, 0x7ff8000000000000)                 /* NaN -> 0 */
    CVTMOD(82, 0, 0x10, 0x7ff0000000000000)                 /* +-inf -> 0 */
    CVTMOD(83, 0, 0x10, 0xfff0000000000000)
    CVTMOD(84, 0, 0x01, 0x3feccccccccccccd)                 /* 0.9 */
    CVTMOD(85, 0, 0x00, 0x8000000000000000)
    CVTMOD(86, 0, 0x01, 0x0000000000000001)                 /* a subnormal */
    CVTMOD(87, 0xffffffffffffffff, 0x10, 0x41efffffffe00000) /* 2^32 - 1 (wraps to -1) */

    /* ---- fleq / fltq ---- */
    Z_XS2(90, LEQ, 0x50, 0, 0x00, 0x7fc00000, 0x3f800000)   /* qNaN: quiet */
    Z_XS2(91, LTQ, 0x50, 0, 0x00, 0x3f800000, 0x7fc00000)
    Z_XS2(92, LEQ, 0x50, 0, 0x10, 0x7f800001, 0x3f800000)   /* sNaN: NV */
    Z_XS2(93, LTQ, 0x50, 1, 0x00, 0x3f800000, 0x40000000)
    Z_XS2(94, LEQ, 0x50, 1, 0x00, 0x40000000, 0x40000000)
    Z_XS2(95, LTQ, 0x50, 0, 0x00, 0x80000000, 0x00000000)   /* -0 == +0 */
    Z_XS2(96, LEQ, 0x50, 1, 0x00, 0x80000000, 0x00000000)
    Z_XD2(97, LTQ, 0x51, 0, 0x00, 0x7ff8000000000000, 0x3ff0000000000000)
    Z_XD2(98, LTQ, 0x51, 0, 0x10, 0x3ff0000000000000, 0x7ff0000000000001)
    Z_XD2(99, LEQ, 0x51, 1, 0x00, 0xbff0000000000000, 0x3ff0000000000000)
    Z_XH2(100, LEQ, 0x52, 0, 0x00, 0x7e00, 0x3c00)
    Z_XH2(101, LTQ, 0x52, 0, 0x10, 0x7c01, 0x3c00)
    Z_XH2(102, LTQ, 0x52, 1, 0x00, 0xbc00, 0x0001)

    /* ---- reserved and RV32-only encodings ---- */
    T_TRAP32(110, 0xc2858553, 2, 0xc2858553)    /* fcvtmod.w.d a0, fa1 with rm = rne */
    T_TRAP32(111, 0xc285f553, 2, 0xc285f553)    /* ... rm = dyn */
    T_TRAP32(112, 0xe2158553, 2, 0xe2158553)    /* fmvh.x.d a0, fa1 (RV32 only) */
    T_TRAP32(113, 0xb2c58553, 2, 0xb2c58553)    /* fmvp.d.x fa0, a1, a2 (RV32 only) */
    T_TRAP32(114, 0x4045d553, 2, 0x4045d553)    /* fround.s fa0, fa1 with rm = 5 */
    CASE(115)
    csrwi frm, 6
    T_TRAP32(116, 0x4045f553, 2, 0x4045f553)    /* fround.s fa0, fa1, dyn with frm = 6 */
    csrwi frm, 0
    /* mstatus.FS = Off: fli is illegal too */
    li t0, 3 << 13
    csrc mstatus, t0
    T_TRAP32(117, 0xf0180553, 2, 0xf0180553)    /* fli.s fa0, 1.0 */
    FP_ON

    /* ---- fli: every entry, each format. binary32: the table's bits;
     * binary64 and binary16: the same values encoded in those formats
     * (entry 1: the format's smallest normal) ---- */
    FLI_S(200, 0, 0xbf800000)
    FLI_S(201, 1, 0x00800000)
    FLI_S(202, 2, 0x37800000)
    FLI_S(203, 3, 0x38000000)
    FLI_S(204, 4, 0x3b800000)
    FLI_S(205, 5, 0x3c000000)
    FLI_S(206, 6, 0x3d800000)
    FLI_S(207, 7, 0x3e000000)
    FLI_S(208, 8, 0x3e800000)
    FLI_S(209, 9, 0x3ea00000)
    FLI_S(210, 10, 0x3ec00000)
    FLI_S(211, 11, 0x3ee00000)
    FLI_S(212, 12, 0x3f000000)
    FLI_S(213, 13, 0x3f200000)
    FLI_S(214, 14, 0x3f400000)
    FLI_S(215, 15, 0x3f600000)
    FLI_S(216, 16, 0x3f800000)
    FLI_S(217, 17, 0x3fa00000)
    FLI_S(218, 18, 0x3fc00000)
    FLI_S(219, 19, 0x3fe00000)
    FLI_S(220, 20, 0x40000000)
    FLI_S(221, 21, 0x40200000)
    FLI_S(222, 22, 0x40400000)
    FLI_S(223, 23, 0x40800000)
    FLI_S(224, 24, 0x41000000)
    FLI_S(225, 25, 0x41800000)
    FLI_S(226, 26, 0x43000000)
    FLI_S(227, 27, 0x43800000)
    FLI_S(228, 28, 0x47000000)
    FLI_S(229, 29, 0x47800000)
    FLI_S(230, 30, 0x7f800000)
    FLI_S(231, 31, 0x7fc00000)
    FLI_D(232, 0, 0xbff0000000000000)
    FLI_D(233, 1, 0x0010000000000000)
    FLI_D(234, 2, 0x3ef0000000000000)
    FLI_D(235, 3, 0x3f00000000000000)
    FLI_D(236, 4, 0x3f70000000000000)
    FLI_D(237, 5, 0x3f80000000000000)
    FLI_D(238, 6, 0x3fb0000000000000)
    FLI_D(239, 7, 0x3fc0000000000000)
    FLI_D(240, 8, 0x3fd0000000000000)
    FLI_D(241, 9, 0x3fd4000000000000)
    FLI_D(242, 10, 0x3fd8000000000000)
    FLI_D(243, 11, 0x3fdc000000000000)
    FLI_D(244, 12, 0x3fe0000000000000)
    FLI_D(245, 13, 0x3fe4000000000000)
    FLI_D(246, 14, 0x3fe8000000000000)
    FLI_D(247, 15, 0x3fec000000000000)
    FLI_D(248, 16, 0x3ff0000000000000)
    FLI_D(249, 17, 0x3ff4000000000000)
    FLI_D(250, 18, 0x3ff8000000000000)
    FLI_D(251, 19, 0x3ffc000000000000)
    FLI_D(252, 20, 0x4000000000000000)
    FLI_D(253, 21, 0x4004000000000000)
    FLI_D(254, 22, 0x4008000000000000)
    FLI_D(255, 23, 0x4010000000000000)
    FLI_D(256, 24, 0x4020000000000000)
    FLI_D(257, 25, 0x4030000000000000)
    FLI_D(258, 26, 0x4060000000000000)
    FLI_D(259, 27, 0x4070000000000000)
    FLI_D(260, 28, 0x40e0000000000000)
    FLI_D(261, 29, 0x40f0000000000000)
    FLI_D(262, 30, 0x7ff0000000000000)
    FLI_D(263, 31, 0x7ff8000000000000)
    FLI_H(264, 0, 0xbc00)
    FLI_H(265, 1, 0x0400)
    FLI_H(266, 2, 0x0100)
    FLI_H(267, 3, 0x0200)
    FLI_H(268, 4, 0x1c00)
    FLI_H(269, 5, 0x2000)
    FLI_H(270, 6, 0x2c00)
    FLI_H(271, 7, 0x3000)
    FLI_H(272, 8, 0x3400)
    FLI_H(273, 9, 0x3500)
    FLI_H(274, 10, 0x3600)
    FLI_H(275, 11, 0x3700)
    FLI_H(276, 12, 0x3800)
    FLI_H(277, 13, 0x3900)
    FLI_H(278, 14, 0x3a00)
    FLI_H(279, 15, 0x3b00)
    FLI_H(280, 16, 0x3c00)
    FLI_H(281, 17, 0x3d00)
    FLI_H(282, 18, 0x3e00)
    FLI_H(283, 19, 0x3f00)
    FLI_H(284, 20, 0x4000)
    FLI_H(285, 21, 0x4100)
    FLI_H(286, 22, 0x4200)
    FLI_H(287, 23, 0x4400)
    FLI_H(288, 24, 0x4800)
    FLI_H(289, 25, 0x4c00)
    FLI_H(290, 26, 0x5800)
    FLI_H(291, 27, 0x5c00)
    FLI_H(292, 28, 0x7800)
    FLI_H(293, 29, 0x7c00)
    FLI_H(294, 30, 0x7c00)
    FLI_H(295, 31, 0x7e00)
    j pass

TEST_END
TRAP_CATCHER

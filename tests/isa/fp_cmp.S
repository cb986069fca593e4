/*
 * Comparisons, min/max, classification and sign injection in binary32 and
 * binary64: feq is quiet (NV only for signalling NaNs), flt/fle signal on
 * any NaN; fmin/fmax follow version 2.2 of F (-0 < +0, one NaN operand
 * gives the other operand, two give the canonical NaN, sNaN raises NV);
 * fsgnj* preserve NaN payloads; NaN-boxing of inputs.
 */
#include "harness.h"

TEST_BEGIN
    FP_ON

    T_XS2(1, feq.s, 1, 0x00, 0x3f800000, 0x3f800000)
    T_XS2(2, feq.s, 1, 0x00, 0x00000000, 0x80000000)
    T_XS2(3, feq.s, 0, 0x00, 0x7fc00000, 0x7fc00000)
    T_XS2(4, feq.s, 0, 0x10, 0x7f800001, 0x3f800000)
    T_XS2(5, feq.s, 0, 0x10, 0x3f800000, 0xff800001)
    T_XS2(6, feq.s, 0, 0x00, 0x3f800000, 0x3f800001)
    T_XS2(7, flt.s, 1, 0x00, 0xbf800000, 0x3f800000)
    T_XS2(8, flt.s, 0, 0x00, 0x80000000, 0x00000000)
    T_XS2(9, flt.s, 0, 0x10, 0x7fc00000, 0x3f800000)
    T_XS2(10, flt.s, 1, 0x00, 0xff800000, 0xff7fffff)
    T_XS2(11, flt.s, 1, 0x00, 0xbf800001, 0xbf800000)
    T_XS2(12, flt.s, 0, 0x00, 0x3f800000, 0x3f800000)
    T_XS2(13, fle.s, 1, 0x00, 0x80000000, 0x00000000)
    T_XS2(14, fle.s, 1, 0x00, 0x3f800000, 0x3f800000)
    T_XS2(15, fle.s, 0, 0x10, 0x3f800000, 0x7fc00000)
    T_XS2(16, fle.s, 0, 0x00, 0x00000001, 0x00000000)
    T_XS2(17, fle.s, 1, 0x00, 0x80000001, 0x00000000)
    T_XD2(20, feq.d, 1, 0x00, 0x8000000000000000, 0x0000000000000000)
    T_XD2(21, feq.d, 0, 0x00, 0x7ff8000000000000, 0x7ff8000000000000)
    T_XD2(22, feq.d, 0, 0x10, 0x7ff0000000000001, 0x7ff0000000000001)
    T_XD2(23, flt.d, 1, 0x00, 0xc000000000000000, 0xbff0000000000000)
    T_XD2(24, flt.d, 0, 0x10, 0x3ff0000000000000, 0x7ff8000000000000)
    T_XD2(25, fle.d, 1, 0x00, 0x0000000000000000, 0x8000000000000000)
    T_XD2(26, fle.d, 0, 0x10, 0x7ff8000000000000, 0x7ff8000000000000)

    T_S2(30, fmin.s, 0x3f800000, 0x00, 0x3f800000, 0x40000000)
    T_S2(31, fmax.s, 0x40000000, 0x00, 0x3f800000, 0x40000000)
    T_S2(32, fmin.s, 0x80000000, 0x00, 0x00000000, 0x80000000)
    T_S2(33, fmin.s, 0x80000000, 0x00, 0x80000000, 0x00000000)
    T_S2(34, fmax.s, 0x00000000, 0x00, 0x80000000, 0x00000000)
    T_S2(35, fmax.s, 0x00000000, 0x00, 0x00000000, 0x80000000)
    T_S2(36, fmin.s, 0x3f800000, 0x00, 0x7fc00000, 0x3f800000)
    T_S2(37, fmax.s, 0x3f800000, 0x00, 0x3f800000, 0xffc00001)
    T_S2(38, fmin.s, 0x3f800000, 0x10, 0x7f800001, 0x3f800000)
    T_S2(39, fmax.s, 0x7fc00000, 0x00, 0x7fc00001, 0xffc00002)
    T_S2(40, fmin.s, 0x7fc00000, 0x10, 0x7f800001, 0x7fc00000)
    T_S2(41, fmax.s, 0x40a00000, 0x00, 0xff800000, 0x40a00000)
    T_S2(42, fmin.s, 0xff800000, 0x00, 0xff800000, 0x40a00000)
    T_S2(43, fmin.s, 0xbf800001, 0x00, 0xbf800000, 0xbf800001)
    T_D2(44, fmin.d, 0x8000000000000000, 0x00, 0x0000000000000000, 0x8000000000000000)
    T_D2(45, fmax.d, 0x0000000000000000, 0x00, 0x8000000000000000, 0x0000000000000000)
    T_D2(46, fmax.d, 0x3ff0000000000000, 0x10, 0x7ff0000000000001, 0x3ff0000000000000)
    T_D2(47, fmin.d, 0x7ff8000000000000, 0x00, 0x7ff8000000000001, 0xfff8000000000000)
    T_D2(48, fmin.d, 0xc000000000000000, 0x00, 0x3ff0000000000000, 0xc000000000000000)

    /* fclass: one bit per class */
    T_XS(50, fclass.s, 1 << 0, 0x00, 0xff800000)
    T_XS(51, fclass.s, 1 << 1, 0x00, 0xbf800000)
    T_XS(52, fclass.s, 1 << 2, 0x00, 0x807fffff)
    T_XS(53, fclass.s, 1 << 3, 0x00, 0x80000000)
    T_XS(54, fclass.s, 1 << 4, 0x00, 0x00000000)
    T_XS(55, fclass.s, 1 << 5, 0x00, 0x00000001)
    T_XS(56, fclass.s, 1 << 6, 0x00, 0x00800000)
    T_XS(57, fclass.s, 1 << 7, 0x00, 0x7f800000)
    T_XS(58, fclass.s, 1 << 8, 0x00, 0x7f800001)
    T_XS(59, fclass.s, 1 << 9, 0x00, 0x7fc00000)
    T_XS(60, fclass.s, 1 << 9, 0x00, 0xffffffff)
    T_XD(61, fclass.d, 1 << 0, 0x00, 0xfff0000000000000)
    T_XD(62, fclass.d, 1 << 1, 0x00, 0xffefffffffffffff)
    T_XD(63, fclass.d, 1 << 2, 0x00, 0x800fffffffffffff)
    T_XD(64, fclass.d, 1 << 3, 0x00, 0x8000000000000000)
    T_XD(65, fclass.d, 1 << 4, 0x00, 0x0000000000000000)
    T_XD(66, fclass.d, 1 << 5, 0x00, 0x0000000000000001)
    T_XD(67, fclass.d, 1 << 6, 0x00, 0x0010000000000000)
    T_XD(68, fclass.d, 1 << 7, 0x00, 0x7ff0000000000000)
    T_XD(69, fclass.d, 1 << 8, 0x00, 0x7ff4000000000000)
    T_XD(70, fclass.d, 1 << 9, 0x00, 0x7ff8000000000000)
    /* an improperly boxed binary32 is the canonical (quiet) NaN */
    CASE(71)
    li a1, 0x000000003f800000
    fmv.d.x fa1, a1
    fclass.s a0, fa1
    EXPECT(a0, 1 << 9)

    /* sign injection; NaN payloads are kept */
    T_S2(80, fsgnj.s, 0xbf800000, 0x00, 0x3f800000, 0xc0000000)
    T_S2(81, fsgnjn.s, 0x3f800000, 0x00, 0x3f800000, 0xc0000000)
    T_S2(82, fsgnjx.s, 0x3f800000, 0x00, 0xbf800000, 0xc0000000)
    T_S2(83, fsgnjx.s, 0xbf800000, 0x00, 0xbf800000, 0x40000000)
    T_S2(84, fsgnjn.s, 0xff800001, 0x00, 0x7f800001, 0x3f800000)
    T_S2(85, fsgnj.s, 0x7fc12345, 0x00, 0xffc12345, 0x00000000)
    T_D2(86, fsgnj.d, 0xbff0000000000000, 0x00, 0x3ff0000000000000, 0x8000000000000000)
    T_D2(87, fsgnjn.d, 0xfff0000000000001, 0x00, 0x7ff0000000000001, 0x0000000000000000)
    T_D2(88, fsgnjx.d, 0x3ff0000000000000, 0x00, 0xbff0000000000000, 0x8000000000000000)
    /* fsgnj.s on an improperly boxed input: canonical NaN with the new sign */
    CASE(89)
    li a1, 0x000000003f800000
    fmv.d.x fa1, a1
    FMV_S(fa2, 0xbf800000)
    fsgnj.s fa0, fa1, fa2
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffffffc00000)
    /* neg/abs aliases */
    CASE(90)
    FMV_S(fa1, 0x3f800000)
    fneg.s fa0, fa1
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffffbf800000)
    fabs.s fa0, fa0
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffff3f800000)
    j pass
TEST_END

/*
 * Conversions and moves: fcvt between binary32/binary64 and w/wu/l/lu in
 * every rounding mode, saturation with NV (NaN gives the largest value),
 * NX for inexact results, fcvt.s.d/fcvt.d.s (including tininess after
 * rounding), fmv.x.w sign extension and the raw fmv moves.
 */
#include "harness.h"

TEST_BEGIN
    FP_ON

    /* fcvt.w.s: 1.5, 2.5 and -2.5 in every mode */
    T_XSR(1, fcvt.w.s, rne, 2, 0x01, 0x3fc00000)
    T_XSR(2, fcvt.w.s, rtz, 1, 0x01, 0x3fc00000)
    T_XSR(3, fcvt.w.s, rdn, 1, 0x01, 0x3fc00000)
    T_XSR(4, fcvt.w.s, rup, 2, 0x01, 0x3fc00000)
    T_XSR(5, fcvt.w.s, rmm, 2, 0x01, 0x3fc00000)
    T_XSR(6, fcvt.w.s, rne, 2, 0x01, 0x40200000)
    T_XSR(7, fcvt.w.s, rmm, 3, 0x01, 0x40200000)
    T_XSR(8, fcvt.w.s, rup, 3, 0x01, 0x40200000)
    T_XSR(9, fcvt.w.s, rne, -2, 0x01, 0xc0200000)
    T_XSR(10, fcvt.w.s, rtz, -2, 0x01, 0xc0200000)
    T_XSR(11, fcvt.w.s, rdn, -3, 0x01, 0xc0200000)
    T_XSR(12, fcvt.w.s, rup, -2, 0x01, 0xc0200000)
    T_XSR(13, fcvt.w.s, rmm, -3, 0x01, 0xc0200000)
    /* saturation: NaN -> max, +-inf, out of range; exact -2^31 */
    T_XSR(14, fcvt.w.s, rne, 0x7fffffff, 0x10, 0x7fc00000)
    T_XSR(15, fcvt.w.s, rne, 0x7fffffff, 0x10, 0xffc00000)
    T_XSR(16, fcvt.w.s, rne, 0x7fffffff, 0x10, 0x7f800001)
    T_XSR(17, fcvt.w.s, rne, 0x7fffffff, 0x10, 0x7f800000)
    T_XSR(18, fcvt.w.s, rne, 0xffffffff80000000, 0x10, 0xff800000)
    T_XSR(19, fcvt.w.s, rne, 0x7fffffff, 0x10, 0x4f32d05e)
    T_XSR(20, fcvt.w.s, rne, 0xffffffff80000000, 0x00, 0xcf000000)
    T_XSR(21, fcvt.w.s, rne, 0xffffffff80000000, 0x10, 0xcf000001)
    T_XSR(22, fcvt.w.s, rne, 0, 0x00, 0x80000000)
    T_XSR(23, fcvt.w.s, rne, 0, 0x01, 0x00000001)
    T_XSR(24, fcvt.w.s, rdn, -1, 0x01, 0x80000001)
    /* fcvt.wu.s: results are sign-extended; negatives saturate to 0 */
    T_XSR(30, fcvt.wu.s, rne, 0xffffffffb2d05e00, 0x00, 0x4f32d05e)
    T_XSR(31, fcvt.wu.s, rne, 0, 0x10, 0xbf800000)
    T_XSR(32, fcvt.wu.s, rtz, 0, 0x01, 0xbf000000)
    T_XSR(33, fcvt.wu.s, rne, 0, 0x01, 0xbf000000)
    T_XSR(34, fcvt.wu.s, rmm, 0, 0x10, 0xbf000000)
    T_XSR(35, fcvt.wu.s, rne, 0xffffffffffffffff, 0x10, 0x7fc00000)
    T_XSR(36, fcvt.wu.s, rne, 0xffffffffffffffff, 0x10, 0x4f800000)
    T_XSR(37, fcvt.wu.s, rne, 0, 0x10, 0xff800000)
    /* 64-bit */
    T_XSR(40, fcvt.l.s, rne, 0x7fffffffffffffff, 0x10, 0x5f000000)
    T_XSR(41, fcvt.l.s, rne, 0x8000000000000000, 0x00, 0xdf000000)
    T_XSR(42, fcvt.l.s, rne, 0x7fffffffffffffff, 0x10, 0x7fc00000)
    T_XSR(43, fcvt.l.s, rne, 0x8000000000000000, 0x10, 0xff800000)
    T_XSR(44, fcvt.l.s, rmm, -3, 0x01, 0xc0200000)
    T_XSR(45, fcvt.lu.s, rne, 0xffffffffffffffff, 0x10, 0x5f800000)
    T_XSR(46, fcvt.lu.s, rne, 0x8000000000000000, 0x00, 0x5f000000)
    T_XSR(47, fcvt.lu.s, rne, 0, 0x10, 0xbf800000)
    T_XSR(48, fcvt.lu.s, rne, 0xffffffffffffffff, 0x10, 0x7fc00000)
    /* from binary64: 2^31 - 0.5 rounds to 2^31 (NV) in RNE, fits in RTZ */
    T_XDR(50, fcvt.w.d, rne, 0x7fffffff, 0x10, 0x41dfffffffe00000)
    T_XDR(51, fcvt.w.d, rtz, 0x7fffffff, 0x01, 0x41dfffffffe00000)
    T_XDR(52, fcvt.w.d, rmm, 0x7fffffff, 0x10, 0x41dfffffffe00000)
    T_XDR(53, fcvt.w.d, rne, 0xffffffff80000000, 0x01, 0xc1e0000000100000)
    T_XDR(54, fcvt.w.d, rdn, 0xffffffff80000000, 0x10, 0xc1e0000000100000)
    T_XDR(55, fcvt.wu.d, rne, 0xffffffffffffffff, 0x00, 0x41efffffffe00000)
    T_XDR(56, fcvt.wu.d, rne, 0xffffffffffffffff, 0x10, 0x41f0000000000000)
    T_XDR(57, fcvt.l.d, rne, 0x7fffffffffffffff, 0x10, 0x43e0000000000000)
    T_XDR(58, fcvt.l.d, rne, 0x7ffffffffffffc00, 0x00, 0x43dfffffffffffff)
    T_XDR(59, fcvt.l.d, rup, 1, 0x01, 0x0000000000000001)
    T_XDR(60, fcvt.l.d, rdn, -1, 0x01, 0x8000000000000001)
    T_XDR(61, fcvt.lu.d, rne, 0xfffffffffffff800, 0x00, 0x43efffffffffffff)
    T_XDR(62, fcvt.lu.d, rne, 0, 0x01, 0xbfe0000000000000)
    T_XDR(63, fcvt.lu.d, rne, 0xffffffffffffffff, 0x10, 0x7ff8000000000000)
    T_XDR(64, fcvt.lu.d, rne, 0, 0x10, 0xfff0000000000000)

    /* integer to binary32 */
    T_SXR(70, fcvt.s.w, rne, 0xbf800000, 0x00, -1)
    T_SXR(71, fcvt.s.w, rne, 0x00000000, 0x00, 0)
    T_SXR(72, fcvt.s.w, rne, 0xcf000000, 0x00, 0xffffffff80000000)
    T_SXR(73, fcvt.s.w, rne, 0x4b800000, 0x01, 16777217)
    T_SXR(74, fcvt.s.w, rup, 0x4b800001, 0x01, 16777217)
    T_SXR(75, fcvt.s.w, rmm, 0x4b800001, 0x01, 16777217)
    T_SXR(76, fcvt.s.w, rne, 0x3f800000, 0x00, 0x1234567800000001)
    T_SXR(77, fcvt.s.wu, rne, 0x4f800000, 0x01, 0xffffffff)
    T_SXR(78, fcvt.s.wu, rtz, 0x4f7fffff, 0x01, 0xffffffff)
    T_SXR(79, fcvt.s.l, rne, 0xdf000000, 0x00, 0x8000000000000000)
    T_SXR(80, fcvt.s.l, rdn, 0xcb800001, 0x01, -16777217)
    T_SXR(81, fcvt.s.lu, rne, 0x5f800000, 0x01, 0xffffffffffffffff)
    T_SXR(82, fcvt.s.lu, rtz, 0x5f7fffff, 0x01, 0xffffffffffffffff)
    T_SXR(83, fcvt.s.lu, rmm, 0x5f800000, 0x01, 0xffffffffffffffff)
    /* integer to binary64 */
    T_DX(90, fcvt.d.w, 0xbff0000000000000, 0x00, -1)
    T_DX(91, fcvt.d.wu, 0x41efffffffe00000, 0x00, 0xffffffff)
    T_DXR(92, fcvt.d.l, rne, 0x4340000000000000, 0x01, 0x20000000000001)
    T_DXR(93, fcvt.d.l, rup, 0x4340000000000001, 0x01, 0x20000000000001)
    T_DXR(94, fcvt.d.l, rmm, 0x4340000000000001, 0x01, 0x20000000000001)
    T_DXR(95, fcvt.d.l, rne, 0xc3e0000000000000, 0x00, 0x8000000000000000)
    T_DXR(96, fcvt.d.lu, rne, 0x43f0000000000000, 0x01, 0xffffffffffffffff)
    T_DXR(97, fcvt.d.lu, rtz, 0x43efffffffffffff, 0x01, 0xffffffffffffffff)
    T_DXR(98, fcvt.d.lu, rne, 0x0000000000000000, 0x00, 0)

    /* fcvt.s.d: rounding, overflow, NaN, and tininess after rounding:
     * 2^-126 * (1 - 2^-25) rounds to 2^-126 (not tiny: NX only) in RNE,
     * RUP and RMM, to the largest subnormal (UF NX) in RTZ and RDN. */
    T_SD(100, rne, 0x3eaaaaab, 0x01, 0x3fd5555555555555)
    T_SD(101, rtz, 0x3eaaaaaa, 0x01, 0x3fd5555555555555)
    T_SD(102, rne, 0x7f800000, 0x05, 0x7e37e43c8800759c)
    T_SD(103, rtz, 0x7f7fffff, 0x05, 0x7e37e43c8800759c)
    T_SD(104, rne, 0x7fc00000, 0x10, 0x7ff0000000000001)
    T_SD(105, rne, 0x7fc00000, 0x00, 0x7ff8000000000001)
    T_SD(106, rne, 0x00800000, 0x01, 0x380ffffff0000000)
    T_SD(107, rup, 0x00800000, 0x01, 0x380ffffff0000000)
    T_SD(108, rmm, 0x00800000, 0x01, 0x380ffffff0000000)
    T_SD(109, rtz, 0x007fffff, 0x03, 0x380ffffff0000000)
    T_SD(110, rdn, 0x007fffff, 0x03, 0x380ffffff0000000)
    T_SD(111, rne, 0x80000000, 0x03, 0x8000000000000001)
    T_SD(112, rdn, 0x80000001, 0x03, 0x8000000000000001)
    T_SD(113, rne, 0xff800000, 0x00, 0xfff0000000000000)
    T_SD(114, rne, 0x00000001, 0x00, 0x36a0000000000000)
    /* fcvt.d.s is exact */
    T_DS(120, 0x3ff0000000000000, 0x00, 0x3f800000)
    T_DS(121, 0x36a0000000000000, 0x00, 0x00000001)
    T_DS(122, 0x7ff8000000000000, 0x10, 0x7f800001)
    T_DS(123, 0x7ff8000000000000, 0x00, 0xffc00001)
    T_DS(124, 0xfff0000000000000, 0x00, 0xff800000)
    T_DS(125, 0x8000000000000000, 0x00, 0x80000000)

    /* fmv.x.w sign-extends the low 32 bits, whatever the boxing */
    T_XS(130, fmv.x.w, 0xffffffff80000000, 0x00, 0x80000000)
    T_XS(131, fmv.x.w, 0x7fc00001, 0x00, 0x7fc00001)
    CASE(132)
    li a1, 0x123456789abcdef0
    fmv.d.x fa1, a1
    fmv.x.w a0, fa1
    EXPECT(a0, 0xffffffff9abcdef0)
    CASE(133)
    fmv.w.x fa0, a1
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffff9abcdef0)
    CASE(134)
    fmv.x.d a0, fa1
    EXPECT(a0, 0x123456789abcdef0)
    j pass
TEST_END

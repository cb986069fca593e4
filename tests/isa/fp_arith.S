/*
 * F/D arithmetic: fadd, fsub, fmul, fdiv, fsqrt in binary32 and binary64,
 * each rounding mode (static, and dynamic through frm), special values
 * and the exact fflags raised (unprivileged spec, F and D chapters).
 *
 * binary32: 1.0 0x3f800000, 2^-24 0x33800000 (half an ulp of 1.0),
 * max 0x7f7fffff, min normal 0x00800000, min subnormal 0x00000001,
 * qNaN 0x7fc00000, sNaN 0x7f800001.
 */
#include "harness.h"

TEST_BEGIN
    FP_ON

    /* 1 + 2^-24: a tie between 1.0 (even) and 1 + ulp */
    T_S2R(1, fadd.s, rne, 0x3f800000, 0x01, 0x3f800000, 0x33800000)
    T_S2R(2, fadd.s, rtz, 0x3f800000, 0x01, 0x3f800000, 0x33800000)
    T_S2R(3, fadd.s, rdn, 0x3f800000, 0x01, 0x3f800000, 0x33800000)
    T_S2R(4, fadd.s, rup, 0x3f800001, 0x01, 0x3f800000, 0x33800000)
    T_S2R(5, fadd.s, rmm, 0x3f800001, 0x01, 0x3f800000, 0x33800000)
    /* the same, negative */
    T_S2R(6, fadd.s, rne, 0xbf800000, 0x01, 0xbf800000, 0xb3800000)
    T_S2R(7, fadd.s, rtz, 0xbf800000, 0x01, 0xbf800000, 0xb3800000)
    T_S2R(8, fadd.s, rdn, 0xbf800001, 0x01, 0xbf800000, 0xb3800000)
    T_S2R(9, fadd.s, rup, 0xbf800000, 0x01, 0xbf800000, 0xb3800000)
    T_S2R(10, fadd.s, rmm, 0xbf800001, 0x01, 0xbf800000, 0xb3800000)
    /* (1 + ulp) + 2^-24: a tie with an odd lower neighbour */
    T_S2R(11, fadd.s, rne, 0x3f800002, 0x01, 0x3f800001, 0x33800000)
    T_S2R(12, fadd.s, rtz, 0x3f800001, 0x01, 0x3f800001, 0x33800000)
    T_S2R(13, fadd.s, rmm, 0x3f800002, 0x01, 0x3f800001, 0x33800000)
    /* 1 + 0.75 ulp: not a tie */
    T_S2R(14, fadd.s, rne, 0x3f800001, 0x01, 0x3f800000, 0x33c00000)
    T_S2R(15, fadd.s, rdn, 0x3f800000, 0x01, 0x3f800000, 0x33c00000)
    T_S2R(16, fadd.s, rmm, 0x3f800001, 0x01, 0x3f800000, 0x33c00000)
    /* exact, subnormal + subnormal, zeros and the sign of an exact zero */
    T_S2R(17, fadd.s, rne, 0x40400000, 0x00, 0x3f800000, 0x40000000)
    T_S2R(18, fadd.s, rne, 0x00000002, 0x00, 0x00000001, 0x00000001)
    T_S2R(19, fadd.s, rne, 0x00000000, 0x00, 0x3f800000, 0xbf800000)
    T_S2R(20, fadd.s, rdn, 0x80000000, 0x00, 0x3f800000, 0xbf800000)
    T_S2R(21, fadd.s, rne, 0x00000000, 0x00, 0x00000000, 0x80000000)
    T_S2R(22, fadd.s, rdn, 0x80000000, 0x00, 0x00000000, 0x80000000)
    T_S2R(23, fadd.s, rup, 0x80000000, 0x00, 0x80000000, 0x80000000)
    /* infinities and NaNs: NaN results are canonical; NV for sNaN and inf - inf */
    T_S2R(24, fadd.s, rne, 0x7f800000, 0x00, 0x7f800000, 0x3f800000)
    T_S2R(25, fadd.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0xff800000)
    T_S2R(26, fadd.s, rne, 0x7fc00000, 0x00, 0x7fc12345, 0x3f800000)
    T_S2R(27, fadd.s, rne, 0x7fc00000, 0x10, 0x3f800000, 0x7f800001)
    T_S2R(28, fadd.s, rne, 0x7fc00000, 0x10, 0xffc00000, 0xff800001)
    /* overflow: max + max */
    T_S2R(29, fadd.s, rne, 0x7f800000, 0x05, 0x7f7fffff, 0x7f7fffff)
    T_S2R(30, fadd.s, rtz, 0x7f7fffff, 0x05, 0x7f7fffff, 0x7f7fffff)
    T_S2R(31, fadd.s, rdn, 0x7f7fffff, 0x05, 0x7f7fffff, 0x7f7fffff)
    T_S2R(32, fadd.s, rup, 0x7f800000, 0x05, 0x7f7fffff, 0x7f7fffff)
    T_S2R(33, fadd.s, rmm, 0x7f800000, 0x05, 0x7f7fffff, 0x7f7fffff)
    T_S2R(34, fadd.s, rdn, 0xff800000, 0x05, 0xff7fffff, 0xff7fffff)
    T_S2R(35, fadd.s, rup, 0xff7fffff, 0x05, 0xff7fffff, 0xff7fffff)
    /* fsub */
    T_S2R(40, fsub.s, rne, 0x3f800000, 0x00, 0x40000000, 0x3f800000)
    T_S2R(41, fsub.s, rne, 0x00000000, 0x00, 0x3f800000, 0x3f800000)
    T_S2R(42, fsub.s, rdn, 0x80000000, 0x00, 0x3f800000, 0x3f800000)
    T_S2R(43, fsub.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0x7f800000)
    T_S2R(44, fsub.s, rup, 0x3f800001, 0x01, 0x3f800000, 0xb3800000)
    T_S2R(45, fsub.s, rne, 0x00800000, 0x00, 0x00800001, 0x00000001)
    T_S2R(46, fsub.s, rne, 0x00000001, 0x00, 0x00800001, 0x00800000)

    /* fmul: overflow by mode, underflow, tiny but exact */
    T_S2R(50, fmul.s, rne, 0x40c00000, 0x00, 0x40000000, 0x40400000)
    T_S2R(51, fmul.s, rne, 0x7f800000, 0x05, 0x7f7fffff, 0x40000000)
    T_S2R(52, fmul.s, rtz, 0x7f7fffff, 0x05, 0x7f7fffff, 0x40000000)
    T_S2R(53, fmul.s, rdn, 0x7f7fffff, 0x05, 0x7f7fffff, 0x40000000)
    T_S2R(54, fmul.s, rup, 0x7f800000, 0x05, 0x7f7fffff, 0x40000000)
    T_S2R(55, fmul.s, rmm, 0x7f800000, 0x05, 0x7f7fffff, 0x40000000)
    T_S2R(56, fmul.s, rdn, 0xff800000, 0x05, 0xff7fffff, 0x40000000)
    T_S2R(57, fmul.s, rup, 0xff7fffff, 0x05, 0xff7fffff, 0x40000000)
    T_S2R(58, fmul.s, rne, 0x00400000, 0x00, 0x00800000, 0x3f000000)
    /* min subnormal / 2: a tie between 0 and min subnormal */
    T_S2R(59, fmul.s, rne, 0x00000000, 0x03, 0x00000001, 0x3f000000)
    T_S2R(60, fmul.s, rtz, 0x00000000, 0x03, 0x00000001, 0x3f000000)
    T_S2R(61, fmul.s, rup, 0x00000001, 0x03, 0x00000001, 0x3f000000)
    T_S2R(62, fmul.s, rmm, 0x00000001, 0x03, 0x00000001, 0x3f000000)
    T_S2R(63, fmul.s, rdn, 0x80000001, 0x03, 0x80000001, 0x3f000000)
    T_S2R(64, fmul.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0x00000000)
    T_S2R(65, fmul.s, rne, 0xff800000, 0x00, 0x7f800000, 0xbf800000)
    T_S2R(66, fmul.s, rne, 0x80000000, 0x00, 0x00000000, 0xbf800000)
    T_S2R(67, fmul.s, rne, 0x7fc00000, 0x10, 0x7f800001, 0x00000000)

    /* fdiv: 1/3 in each mode, division by zero, invalid */
    T_S2R(70, fdiv.s, rne, 0x3eaaaaab, 0x01, 0x3f800000, 0x40400000)
    T_S2R(71, fdiv.s, rtz, 0x3eaaaaaa, 0x01, 0x3f800000, 0x40400000)
    T_S2R(72, fdiv.s, rdn, 0x3eaaaaaa, 0x01, 0x3f800000, 0x40400000)
    T_S2R(73, fdiv.s, rup, 0x3eaaaaab, 0x01, 0x3f800000, 0x40400000)
    T_S2R(74, fdiv.s, rmm, 0x3eaaaaab, 0x01, 0x3f800000, 0x40400000)
    T_S2R(75, fdiv.s, rdn, 0xbeaaaaab, 0x01, 0xbf800000, 0x40400000)
    T_S2R(76, fdiv.s, rne, 0x7f800000, 0x08, 0x3f800000, 0x00000000)
    T_S2R(77, fdiv.s, rne, 0xff800000, 0x08, 0x3f800000, 0x80000000)
    T_S2R(78, fdiv.s, rne, 0x7fc00000, 0x10, 0x00000000, 0x00000000)
    T_S2R(79, fdiv.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0xff800000)
    T_S2R(80, fdiv.s, rne, 0x80000000, 0x00, 0x3f800000, 0xff800000)
    T_S2R(81, fdiv.s, rne, 0x7f800000, 0x00, 0x7f800000, 0x00000000)
    T_S2R(82, fdiv.s, rne, 0x7f800000, 0x05, 0x7f7fffff, 0x3f000000)
    T_S2R(83, fdiv.s, rne, 0x00000000, 0x03, 0x00000001, 0x40800000)
    /* 3 * min subnormal / 2: a subnormal tie (1.5 units), RNE to 2, RMM to 2 */
    T_S2R(84, fdiv.s, rne, 0x00000002, 0x03, 0x00000003, 0x40000000)
    T_S2R(85, fdiv.s, rtz, 0x00000001, 0x03, 0x00000003, 0x40000000)
    /* 5/2 units: RNE to 2 (even), RMM to 3 */
    T_S2R(86, fdiv.s, rne, 0x00000002, 0x03, 0x00000005, 0x40000000)
    T_S2R(87, fdiv.s, rmm, 0x00000003, 0x03, 0x00000005, 0x40000000)

    /* fsqrt */
    T_S1R(90, fsqrt.s, rne, 0x3fb504f3, 0x01, 0x40000000)
    T_S1R(91, fsqrt.s, rtz, 0x3fb504f3, 0x01, 0x40000000)
    T_S1R(92, fsqrt.s, rup, 0x3fb504f4, 0x01, 0x40000000)
    T_S1R(93, fsqrt.s, rmm, 0x3fb504f3, 0x01, 0x40000000)
    T_S1R(94, fsqrt.s, rne, 0x40000000, 0x00, 0x40800000)
    T_S1R(95, fsqrt.s, rne, 0x7fc00000, 0x10, 0xbf800000)
    T_S1R(96, fsqrt.s, rne, 0x80000000, 0x00, 0x80000000)
    T_S1R(97, fsqrt.s, rne, 0x7f800000, 0x00, 0x7f800000)
    T_S1R(98, fsqrt.s, rne, 0x7fc00000, 0x10, 0xff800000)
    T_S1R(99, fsqrt.s, rne, 0x7fc00000, 0x00, 0x7fc00001)
    T_S1R(100, fsqrt.s, rne, 0x7fc00000, 0x10, 0x7f800001)
    T_S1R(101, fsqrt.s, rne, 0x1a3504f3, 0x01, 0x00000001)

    /* dynamic rounding through frm */
    CASE(110) li t0, 3; csrw frm, t0;
    T_S2R(111, fadd.s, dyn, 0x3f800001, 0x01, 0x3f800000, 0x33800000)
    CASE(112) li t0, 4; csrw frm, t0;
    T_S2R(113, fadd.s, dyn, 0x3f800002, 0x01, 0x3f800001, 0x33800000)
    T_S2R(114, fdiv.s, dyn, 0x3eaaaaab, 0x01, 0x3f800000, 0x40400000)
    CASE(115) li t0, 1; csrw frm, t0;
    T_S2R(116, fmul.s, dyn, 0x7f7fffff, 0x05, 0x7f7fffff, 0x40000000)
    CASE(117) li t0, 2; csrw frm, t0;
    T_D2R(118, fadd.d, dyn, 0xbff0000000000001, 0x01, 0xbff0000000000000, 0xbca0000000000000)
    csrwi frm, 0

    /* binary64: 1 + 2^-53 is a tie */
    T_D2R(120, fadd.d, rne, 0x3ff0000000000000, 0x01, 0x3ff0000000000000, 0x3ca0000000000000)
    T_D2R(121, fadd.d, rtz, 0x3ff0000000000000, 0x01, 0x3ff0000000000000, 0x3ca0000000000000)
    T_D2R(122, fadd.d, rdn, 0x3ff0000000000000, 0x01, 0x3ff0000000000000, 0x3ca0000000000000)
    T_D2R(123, fadd.d, rup, 0x3ff0000000000001, 0x01, 0x3ff0000000000000, 0x3ca0000000000000)
    T_D2R(124, fadd.d, rmm, 0x3ff0000000000001, 0x01, 0x3ff0000000000000, 0x3ca0000000000000)
    T_D2R(125, fadd.d, rne, 0x3ff0000000000002, 0x01, 0x3ff0000000000001, 0x3ca0000000000000)
    T_D2R(126, fadd.d, rne, 0x7ff8000000000000, 0x10, 0x7ff0000000000000, 0xfff0000000000000)
    T_D2R(127, fadd.d, rne, 0x7ff8000000000000, 0x00, 0x7ff8000000000123, 0x3ff0000000000000)
    T_D2R(128, fadd.d, rne, 0x7ff8000000000000, 0x10, 0x7ff0000000000001, 0x3ff0000000000000)
    T_D2R(129, fadd.d, rdn, 0x8000000000000000, 0x00, 0x3ff0000000000000, 0xbff0000000000000)
    T_D2R(130, fadd.d, rne, 0x7ff0000000000000, 0x05, 0x7fefffffffffffff, 0x7fefffffffffffff)
    T_D2R(131, fadd.d, rtz, 0x7fefffffffffffff, 0x05, 0x7fefffffffffffff, 0x7fefffffffffffff)
    T_D2R(132, fadd.d, rne, 0x0000000000000002, 0x00, 0x0000000000000001, 0x0000000000000001)
    T_D2R(133, fsub.d, rne, 0x0000000000000000, 0x00, 0x4000000000000000, 0x4000000000000000)
    T_D2R(134, fsub.d, rdn, 0x8000000000000000, 0x00, 0x4000000000000000, 0x4000000000000000)
    T_D2R(135, fsub.d, rne, 0x3ff0000000000000, 0x00, 0x4000000000000000, 0x3ff0000000000000)
    T_D2R(136, fmul.d, rne, 0x7ff0000000000000, 0x05, 0x7fefffffffffffff, 0x4000000000000000)
    T_D2R(137, fmul.d, rdn, 0x7fefffffffffffff, 0x05, 0x7fefffffffffffff, 0x4000000000000000)
    T_D2R(138, fmul.d, rne, 0x0000000000000000, 0x03, 0x0000000000000001, 0x3fe0000000000000)
    T_D2R(139, fmul.d, rmm, 0x0000000000000001, 0x03, 0x0000000000000001, 0x3fe0000000000000)
    T_D2R(140, fmul.d, rne, 0x0008000000000000, 0x00, 0x0010000000000000, 0x3fe0000000000000)
    T_D2R(141, fmul.d, rne, 0x7ff8000000000000, 0x10, 0x8000000000000000, 0xfff0000000000000)
    T_D2R(142, fdiv.d, rne, 0x3fd5555555555555, 0x01, 0x3ff0000000000000, 0x4008000000000000)
    T_D2R(143, fdiv.d, rup, 0x3fd5555555555556, 0x01, 0x3ff0000000000000, 0x4008000000000000)
    T_D2R(144, fdiv.d, rmm, 0x3fd5555555555555, 0x01, 0x3ff0000000000000, 0x4008000000000000)
    T_D2R(145, fdiv.d, rne, 0xfff0000000000000, 0x08, 0xbff0000000000000, 0x0000000000000000)
    T_D2R(146, fdiv.d, rne, 0x7ff8000000000000, 0x10, 0x0000000000000000, 0x8000000000000000)
    T_D2R(147, fdiv.d, rmm, 0x0000000000000003, 0x03, 0x0000000000000005, 0x4000000000000000)
    T_D1R(150, fsqrt.d, rne, 0x3ff6a09e667f3bcd, 0x01, 0x4000000000000000)
    T_D1R(151, fsqrt.d, rtz, 0x3ff6a09e667f3bcc, 0x01, 0x4000000000000000)
    T_D1R(152, fsqrt.d, rup, 0x3ff6a09e667f3bcd, 0x01, 0x4000000000000000)
    T_D1R(153, fsqrt.d, rmm, 0x3ff6a09e667f3bcd, 0x01, 0x4000000000000000)
    T_D1R(154, fsqrt.d, rne, 0x4008000000000000, 0x00, 0x4022000000000000)
    T_D1R(155, fsqrt.d, rne, 0x7ff8000000000000, 0x10, 0xbff0000000000000)
    T_D1R(156, fsqrt.d, rne, 0x8000000000000000, 0x00, 0x8000000000000000)
    T_D1R(157, fsqrt.d, rne, 0x7ff8000000000000, 0x10, 0x7ff0000000000001)
    T_D1R(158, fsqrt.d, rne, 0x1e60000000000000, 0x00, 0x0000000000000001)

    /* flags accrue across instructions until cleared */
    CASE(160)
    csrwi fflags, 0
    FMV_S(fa1, 0x3f800000)
    FMV_S(fa2, 0x00000000)
    fdiv.s fa0, fa1, fa2
    FMV_S(fa2, 0x40400000)
    fdiv.s fa0, fa1, fa2
    F_FLAGS(0x09)
    j pass
TEST_END

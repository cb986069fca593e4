/*
 * Fused multiply-add: fmadd, fmsub, fnmsub, fnmadd in binary32 and
 * binary64 with a single rounding, the signs of each form, invalid cases
 * (0 * inf raises NV even with a quiet-NaN addend) and rounding modes.
 *
 * a = 1 + 2^-12 (0x3f800800): a * a = 1 + 2^-11 + 2^-24 exactly, which
 * rounds (RNE) to 1 + 2^-11 (0x3f801000); with c = -(1 + 2^-11) a fused
 * operation gives exactly 2^-24 (0x33800000) where a rounded product
 * would give 0.
 */
#include "harness.h"

TEST_BEGIN
    FP_ON

    T_S3R(1, fmadd.s, rne, 0x33800000, 0x00, 0x3f800800, 0x3f800800, 0xbf801000)
    T_S3R(2, fmsub.s, rne, 0x33800000, 0x00, 0x3f800800, 0x3f800800, 0x3f801000)
    T_S3R(3, fnmsub.s, rne, 0xb3800000, 0x00, 0x3f800800, 0x3f800800, 0x3f801000)
    T_S3R(4, fnmadd.s, rne, 0xb3800000, 0x00, 0x3f800800, 0x3f800800, 0xbf801000)
    /* a * a + 0 rounds once: the tie goes to even, or away in RMM/RUP */
    T_S3R(5, fmadd.s, rne, 0x3f801000, 0x01, 0x3f800800, 0x3f800800, 0x00000000)
    T_S3R(6, fmadd.s, rup, 0x3f801001, 0x01, 0x3f800800, 0x3f800800, 0x00000000)
    T_S3R(7, fmadd.s, rmm, 0x3f801001, 0x01, 0x3f800800, 0x3f800800, 0x00000000)
    T_S3R(8, fmadd.s, rtz, 0x3f801000, 0x01, 0x3f800800, 0x3f800800, 0x00000000)
    T_S3R(9, fnmadd.s, rdn, 0xbf801001, 0x01, 0x3f800800, 0x3f800800, 0x00000000)
    /* simple exact values: 2 * 3 + 1, 2 * 3 - 1, -(2 * 3) + 1, -(2 * 3) - 1 */
    T_S3R(10, fmadd.s, rne, 0x40e00000, 0x00, 0x40000000, 0x40400000, 0x3f800000)
    T_S3R(11, fmsub.s, rne, 0x40a00000, 0x00, 0x40000000, 0x40400000, 0x3f800000)
    T_S3R(12, fnmsub.s, rne, 0xc0a00000, 0x00, 0x40000000, 0x40400000, 0x3f800000)
    T_S3R(13, fnmadd.s, rne, 0xc0e00000, 0x00, 0x40000000, 0x40400000, 0x3f800000)
    /* invalid: 0 * inf (even + qNaN), inf * 1 - inf; NaN propagation */
    T_S3R(14, fmadd.s, rne, 0x7fc00000, 0x10, 0x00000000, 0x7f800000, 0x3f800000)
    T_S3R(15, fmadd.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0x00000000, 0x7fc00000)
    T_S3R(16, fmadd.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0x3f800000, 0xff800000)
    T_S3R(17, fmsub.s, rne, 0x7fc00000, 0x10, 0x7f800000, 0x3f800000, 0x7f800000)
    T_S3R(18, fmadd.s, rne, 0x7fc00000, 0x00, 0x3f800000, 0x3f800000, 0x7fc00001)
    T_S3R(19, fmadd.s, rne, 0x7fc00000, 0x10, 0x3f800000, 0x3f800000, 0x7f800001)
    T_S3R(20, fmadd.s, rne, 0x7fc00000, 0x10, 0x7f800001, 0x3f800000, 0x3f800000)
    T_S3R(21, fmadd.s, rne, 0xff800000, 0x00, 0x7f800000, 0xbf800000, 0x3f800000)
    T_S3R(22, fmadd.s, rne, 0xff800000, 0x00, 0x3f800000, 0x3f800000, 0xff800000)
    /* exact zero results: +0 except in RDN; (+0 * 1) + -0 */
    T_S3R(23, fmadd.s, rne, 0x00000000, 0x00, 0x3f800000, 0x3f800000, 0xbf800000)
    T_S3R(24, fmadd.s, rdn, 0x80000000, 0x00, 0x3f800000, 0x3f800000, 0xbf800000)
    T_S3R(25, fmadd.s, rne, 0x00000000, 0x00, 0x00000000, 0x3f800000, 0x80000000)
    T_S3R(26, fmadd.s, rdn, 0x80000000, 0x00, 0x00000000, 0x3f800000, 0x80000000)
    T_S3R(27, fnmadd.s, rne, 0x80000000, 0x00, 0x00000000, 0x3f800000, 0x00000000)
    /* overflow and underflow */
    T_S3R(28, fmadd.s, rne, 0x7f800000, 0x05, 0x7f7fffff, 0x40000000, 0x00000000)
    T_S3R(29, fmadd.s, rtz, 0x7f7fffff, 0x05, 0x7f7fffff, 0x40000000, 0xbf800000)
    T_S3R(30, fmadd.s, rne, 0x00000000, 0x03, 0x00000001, 0x3f000000, 0x00000000)
    T_S3R(31, fmadd.s, rne, 0x00000001, 0x00, 0x00000001, 0x3f800000, 0x00000000)
    CASE(32) li t0, 3; csrw frm, t0;
    T_S3R(33, fmadd.s, dyn, 0x3f801001, 0x01, 0x3f800800, 0x3f800800, 0x00000000)
    csrwi frm, 0

    /* binary64: a = 1 + 2^-27, a * a = 1 + 2^-26 + 2^-54 */
    T_D3R(40, fmadd.d, rne, 0x3c90000000000000, 0x00, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
    T_D3R(41, fmsub.d, rne, 0x3c90000000000000, 0x00, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000)
    T_D3R(42, fnmsub.d, rne, 0xbc90000000000000, 0x00, 0x3ff0000002000000, 0x3ff0000002000000, 0x3ff0000004000000)
    T_D3R(43, fnmadd.d, rne, 0xbc90000000000000, 0x00, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
    T_D3R(44, fmadd.d, rne, 0x3ff0000004000000, 0x01, 0x3ff0000002000000, 0x3ff0000002000000, 0x0000000000000000)
    T_D3R(45, fmadd.d, rup, 0x3ff0000004000001, 0x01, 0x3ff0000002000000, 0x3ff0000002000000, 0x0000000000000000)
    T_D3R(46, fmadd.d, rmm, 0x3ff0000004000000, 0x01, 0x3ff0000002000000, 0x3ff0000002000000, 0x0000000000000000)
    T_D3R(47, fmadd.d, rne, 0x7ff8000000000000, 0x10, 0x0000000000000000, 0xfff0000000000000, 0x7ff8000000000000)
    T_D3R(48, fmadd.d, rne, 0x7ff8000000000000, 0x10, 0x7ff0000000000000, 0x3ff0000000000000, 0xfff0000000000000)
    T_D3R(49, fmadd.d, rne, 0x7ff8000000000000, 0x00, 0x7ff8000000000001, 0x3ff0000000000000, 0x3ff0000000000000)
    T_D3R(50, fmadd.d, rne, 0x7ff0000000000000, 0x05, 0x7fefffffffffffff, 0x4000000000000000, 0x0000000000000000)
    T_D3R(51, fmadd.d, rdn, 0x8000000000000000, 0x00, 0x3ff0000000000000, 0x3ff0000000000000, 0xbff0000000000000)
    /* mixed: large product, tiny addend only affects the sticky bit */
    T_D3R(52, fmadd.d, rup, 0x3ff0000000000001, 0x01, 0x3ff0000000000000, 0x3ff0000000000000, 0x0000000000000001)
    T_D3R(53, fmadd.d, rdn, 0x3fefffffffffffff, 0x01, 0x3ff0000000000000, 0x3ff0000000000000, 0x8000000000000001)
    j pass
TEST_END

/*
 * M extension: mul/mulh/mulhsu/mulhu with negative and large operands,
 * div/divu/rem/remu and the W forms, including division by zero and the
 * signed overflow INT_MIN / -1, whose results the unprivileged spec fixes
 * in its table (chapter "M" Extension, "Division Operations": x/0 gives
 * all ones and remainder x; INT_MIN/-1 gives INT_MIN and remainder 0),
 * and the sign extension of every W result. No case may trap.
 */
#include "harness.h"
    .option norvc           /* base encodings only */

TEST_BEGIN

    /* ---- mul ---- */
    T_RR(1, mul, 0x0, 0x0, 0x0)
    T_RR(2, mul, 0x15, 0x3, 0x7)
    T_RR(3, mul, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(4, mul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(5, mul, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(6, mul, 0x0, 0x100000000, 0x100000000)
    T_RR(7, mul, 0x236d88fe5618cf00, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(8, mul, 0x1, 0x7fffffffffffffff, 0x7fffffffffffffff)
    T_RR(9, mul, 0x0, 0x8000000000000000, 0x8000000000000000)
    T_RR(10, mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff)
    T_RR(11, mul, 0xffffffffffffffd6, 0xfffffffffffffff9, 0x6)

    /* ---- mulh ---- */
    T_RR(12, mulh, 0x0, 0x0, 0x0)
    T_RR(13, mulh, 0x0, 0x3, 0x7)
    T_RR(14, mulh, 0x0, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(15, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(16, mulh, 0x0, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(17, mulh, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    T_RR(18, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
    T_RR(19, mulh, 0xc000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    T_RR(20, mulh, 0xffeb49923cc09532, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(21, mulh, 0xffffffffffffffff, 0xfffffffffffffff9, 0x6)
    T_RR(22, mulh, 0x1, 0x100000000, 0x100000000)
    T_RR(23, mulh, 0x0, 0xffffffff, 0xffffffff)

    /* ---- mulhsu ---- */
    T_RR(24, mulhsu, 0x0, 0x0, 0x0)
    T_RR(25, mulhsu, 0x0, 0x3, 0x7)
    T_RR(26, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(27, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(28, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(29, mulhsu, 0xc000000000000000, 0x8000000000000000, 0x8000000000000000)
    T_RR(30, mulhsu, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0xffffffffffffffff)
    T_RR(31, mulhsu, 0x0, 0x1, 0xffffffffffffffff)
    T_RR(32, mulhsu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(33, mulhsu, 0xffffffffffffffff, 0xfffffffffffffff9, 0x6)
    T_RR(34, mulhsu, 0xffffffffffffffff, 0x8000000000000000, 0x1)

    /* ---- mulhu ---- */
    T_RR(35, mulhu, 0x0, 0x0, 0x0)
    T_RR(36, mulhu, 0x0, 0x3, 0x7)
    T_RR(37, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(38, mulhu, 0x0, 0xffffffffffffffff, 0x1)
    T_RR(39, mulhu, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(40, mulhu, 0x4000000000000000, 0x8000000000000000, 0x8000000000000000)
    T_RR(41, mulhu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff)
    T_RR(42, mulhu, 0x121fa00ad77d7422, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(43, mulhu, 0x1, 0x100000000, 0x100000000)
    T_RR(44, mulhu, 0x1, 0xffffffffffffffff, 0x2)

    /* ---- div ---- */
    T_RR(45, div, 0x3, 0x14, 0x6)
    T_RR(46, div, 0xfffffffffffffffd, 0xffffffffffffffec, 0x6)
    T_RR(47, div, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa)
    T_RR(48, div, 0x3, 0xffffffffffffffec, 0xfffffffffffffffa)
    T_RR(49, div, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(50, div, 0x8000000000000000, 0x8000000000000000, 0x1)
    T_RR(51, div, 0xffffffffffffffff, 0x8000000000000000, 0x0)
    T_RR(52, div, 0xffffffffffffffff, 0x5, 0x0)
    T_RR(53, div, 0xffffffffffffffff, 0x0, 0x0)
    T_RR(54, div, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(55, div, 0x8000000000000001, 0x7fffffffffffffff, 0xffffffffffffffff)
    T_RR(56, div, 0xc000000000000000, 0x8000000000000000, 0x2)
    T_RR(57, div, 0x0, 0x0, 0x5)
    T_RR(58, div, 0x0, 0x1, 0x7fffffffffffffff)

    /* ---- divu ---- */
    T_RR(59, divu, 0x3, 0x14, 0x6)
    T_RR(60, divu, 0x2aaaaaaaaaaaaaa7, 0xffffffffffffffec, 0x6)
    T_RR(61, divu, 0x0, 0x14, 0xfffffffffffffffa)
    T_RR(62, divu, 0x0, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(63, divu, 0x8000000000000000, 0x8000000000000000, 0x1)
    T_RR(64, divu, 0xffffffffffffffff, 0x8000000000000000, 0x0)
    T_RR(65, divu, 0xffffffffffffffff, 0x5, 0x0)
    T_RR(66, divu, 0xffffffffffffffff, 0x0, 0x0)
    T_RR(67, divu, 0x1, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(68, divu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(69, divu, 0x3fffffffffffffff, 0x7fffffffffffffff, 0x2)

    /* ---- rem ---- */
    T_RR(70, rem, 0x2, 0x14, 0x6)
    T_RR(71, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0x6)
    T_RR(72, rem, 0x2, 0x14, 0xfffffffffffffffa)
    T_RR(73, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa)
    T_RR(74, rem, 0x0, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(75, rem, 0x0, 0x8000000000000000, 0x1)
    T_RR(76, rem, 0x8000000000000000, 0x8000000000000000, 0x0)
    T_RR(77, rem, 0x5, 0x5, 0x0)
    T_RR(78, rem, 0x0, 0x0, 0x0)
    T_RR(79, rem, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(80, rem, 0xfffffffffffffffe, 0x8000000000000000, 0x3)
    T_RR(81, rem, 0x0, 0x7fffffffffffffff, 0xffffffffffffffff)

    /* ---- remu ---- */
    T_RR(82, remu, 0x2, 0x14, 0x6)
    T_RR(83, remu, 0x2, 0xffffffffffffffec, 0x6)
    T_RR(84, remu, 0x14, 0x14, 0xfffffffffffffffa)
    T_RR(85, remu, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff)
    T_RR(86, remu, 0x8000000000000000, 0x8000000000000000, 0x0)
    T_RR(87, remu, 0x5, 0x5, 0x0)
    T_RR(88, remu, 0x0, 0x0, 0x0)
    T_RR(89, remu, 0x0, 0xffffffffffffffff, 0xffffffffffffffff)
    T_RR(90, remu, 0x5, 0xffffffffffffffff, 0xa)

    /* ---- mulw ---- */
    T_RR(91, mulw, 0x0, 0x0, 0x0)
    T_RR(92, mulw, 0x15, 0x3, 0x7)
    T_RR(93, mulw, 0xfffffffffffffffe, 0x7fffffff, 0x2)
    T_RR(94, mulw, 0xffffffff80000000, 0x10000, 0x8000)
    T_RR(95, mulw, 0x1, 0xffffffff, 0xffffffff)
    T_RR(96, mulw, 0xffffffff83248e38, 0x123456789, 0xabcdef0012345678)
    T_RR(97, mulw, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_RR(98, mulw, 0xffffffff80000000, 0x80000000, 0xffffffffffffffff)

    /* ---- divw ---- */
    T_RR(99, divw, 0x3, 0x14, 0x6)
    T_RR(100, divw, 0xfffffffffffffffd, 0xffffffffffffffec, 0x6)
    T_RR(101, divw, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa)
    T_RR(102, divw, 0x3, 0xffffffffffffffec, 0xfffffffffffffffa)
    T_RR(103, divw, 0xffffffff80000000, 0x80000000, 0xffffffffffffffff)
    T_RR(104, divw, 0xffffffff80000000, 0xffffffff80000000, 0xffffffffffffffff)
    T_RR(105, divw, 0xffffffffffffffff, 0x80000000, 0x0)
    T_RR(106, divw, 0xffffffffffffffff, 0x5, 0x0)
    T_RR(107, divw, 0x3, 0x1234567800000014, 0x6)
    T_RR(108, divw, 0x7fffffff, 0x7fffffff, 0x1)
    T_RR(109, divw, 0xffffffffffffffff, 0x100000005, 0x100000000)
    T_RR(110, divw, 0xffffffff80000000, 0x80000000, 0x1)

    /* ---- divuw ---- */
    T_RR(111, divuw, 0x3, 0x14, 0x6)
    T_RR(112, divuw, 0x2aaaaaa7, 0xffffffffffffffec, 0x6)
    T_RR(113, divuw, 0xffffffff80000000, 0x80000000, 0x1)
    T_RR(114, divuw, 0xffffffffffffffff, 0x80000000, 0x0)
    T_RR(115, divuw, 0xffffffffffffffff, 0xffffffff, 0x1)
    T_RR(116, divuw, 0x3, 0x1234567800000014, 0xf00000006)
    T_RR(117, divuw, 0xffffffffffffffff, 0x0, 0x0)
    T_RR(118, divuw, 0x1, 0xffffffff, 0xffffffff)

    /* ---- remw ---- */
    T_RR(119, remw, 0x2, 0x14, 0x6)
    T_RR(120, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 0x6)
    T_RR(121, remw, 0x2, 0x14, 0xfffffffffffffffa)
    T_RR(122, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa)
    T_RR(123, remw, 0x0, 0x80000000, 0xffffffffffffffff)
    T_RR(124, remw, 0xffffffff80000000, 0x80000000, 0x0)
    T_RR(125, remw, 0xffffffff80000005, 0xfedcba9880000005, 0x0)
    T_RR(126, remw, 0x5, 0x5, 0x0)
    T_RR(127, remw, 0x2, 0x1234567800000014, 0x6)
    T_RR(128, remw, 0x0, 0x7fffffff, 0xffffffffffffffff)

    /* ---- remuw ---- */
    T_RR(129, remuw, 0x2, 0x14, 0x6)
    T_RR(130, remuw, 0x2, 0xffffffffffffffec, 0x6)
    T_RR(131, remuw, 0xffffffff80000000, 0x80000000, 0x0)
    T_RR(132, remuw, 0xfffffffffffffff5, 0xfedcba98fffffff5, 0x0)
    T_RR(133, remuw, 0x2, 0x1234567800000014, 0xf00000006)
    T_RR(134, remuw, 0x0, 0x0, 0x0)
    T_RR(135, remuw, 0xf, 0xffffffff, 0x10)

    /* ---- register overlaps and x0 ---- */
    CASE(140)
    li a1, -9
    mul a1, a1, a1          /* rd = rs1 = rs2 */
    EXPECT(a1, 81)
    CASE(141)
    li a1, 100
    li a2, 7
    div a2, a1, a2          /* rd = rs2 */
    EXPECT(a2, 14)
    CASE(142)
    li a1, 100
    li a2, 7
    rem a1, a1, a2          /* rd = rs1 */
    EXPECT(a1, 2)
    CASE(143)
    li a1, 3
    li a2, 5
    mul x0, a1, a2
    div x0, a1, zero
    bnez x0, fail
    CASE(144)
    li a1, 12345
    divu a0, a1, zero       /* divisor x0 */
    EXPECT(a0, -1)
    remu a0, a1, zero
    EXPECT(a0, 12345)
    CASE(145)
    li a1, 0x8000000000000000
    li a2, -1
    mulh a3, a1, a2         /* the usual pairing: high then low */
    mul a4, a1, a2
    EXPECT(a3, 0)
    EXPECT(a4, 0x8000000000000000)
    CASE(146)
    li a1, 0x123456789
    li a2, 1000
    divu a3, a1, a2         /* quotient and remainder recombine */
    remu a4, a1, a2
    mul a3, a3, a2
    add a3, a3, a4
    bne a3, a1, fail

TEST_END

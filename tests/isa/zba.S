/*
 * Zba address generation: add.uw, sh1add/sh2add/sh3add, their .uw forms
 * and slli.uw (unprivileged spec, src/b-st-ext.adoc, "Zba: Address
 * generation"). The .uw forms take only rs1[31:0], zero-extended, before
 * the shift; the plain shNadd forms shift all 64 bits of rs1 (bits shifted
 * out of the top are lost) and the sum wraps. Operands use bit 31 set,
 * upper-word garbage and values near 2^64. slli.uw takes a 6-bit shamt.
 * Expected values were computed from the spec's definitions, not read
 * back from hartvm. No case may trap.
 */
#include "harness.h"
    .option norvc           /* base encodings only */
    .option arch, +zba

TEST_BEGIN

    /* add.uw: rs2 + zext(rs1[31:0]) */
    T_RR(1, add.uw, 0x0, 0x0, 0x0)
    T_RR(2, add.uw, 0x3, 0x1, 0x2)
    T_RR(3, add.uw, 0x80000000, 0x80000000, 0x0)
    T_RR(4, add.uw, 0x100000000, 0xffffffff, 0x1)
    T_RR(5, add.uw, 0xffffffff, 0xffffffffffffffff, 0x0)
    T_RR(6, add.uw, 0x180000000, 0xffffffff80000000, 0x100000000)
    T_RR(7, add.uw, 0x11111111abcdf001, 0x123456789abcdef0, 0x1111111111111111)
    T_RR(8, add.uw, 0xfffffffe, 0xffffffff, 0xffffffffffffffff)
    T_RR(9, add.uw, 0x800000007fffffff, 0x7fffffff, 0x8000000000000000)
    /* sh1add / sh2add / sh3add: rs2 + (rs1 << n), all 64 bits of rs1 */
    T_RR(10, sh1add, 0x0, 0x0, 0x0)
    T_RR(11, sh1add, 0x11, 0x5, 0x7)
    T_RR(12, sh1add, 0x100000000, 0x80000000, 0x0)
    T_RR(13, sh1add, 0x1, 0x8000000000000000, 0x1)
    T_RR(14, sh1add, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0)
    T_RR(15, sh1add, 0x0, 0x7fffffffffffffff, 0x2)
    T_RR(16, sh1add, 0x23456789abcdeff0, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(17, sh2add, 0x10, 0x3, 0x4)
    T_RR(18, sh2add, 0x200000000, 0x80000000, 0x0)
    T_RR(19, sh2add, 0x4, 0x4000000000000001, 0x0)
    T_RR(20, sh2add, 0x0, 0xffffffffffffffff, 0x4)
    T_RR(21, sh2add, 0xffffffffffffffff, 0xc000000000000000, 0xffffffffffffffff)
    T_RR(22, sh2add, 0x47ae147ae147add0, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(23, sh3add, 0x1c, 0x3, 0x4)
    T_RR(24, sh3add, 0x400000000, 0x80000000, 0x0)
    T_RR(25, sh3add, 0x8, 0x2000000000000001, 0x0)
    T_RR(26, sh3add, 0x0, 0xffffffffffffffff, 0x8)
    T_RR(27, sh3add, 0xfffffffc00000000, 0xffffffff80000000, 0x0)
    T_RR(28, sh3add, 0x907f6e5d4c3b2990, 0x123456789abcdef0, 0xfedcba9876543210)
    /* sh1add.uw / sh2add.uw / sh3add.uw: rs2 + (zext(rs1[31:0]) << n) */
    T_RR(29, sh1add.uw, 0x11, 0x5, 0x7)
    T_RR(30, sh1add.uw, 0x100000000, 0x80000000, 0x0)
    T_RR(31, sh1add.uw, 0x1fffffffe, 0xffffffff, 0x0)
    T_RR(32, sh1add.uw, 0x1ffffffff, 0xffffffffffffffff, 0x1)
    T_RR(33, sh1add.uw, 0xffffffff, 0xffffffff80000000, 0xffffffffffffffff)
    T_RR(34, sh1add.uw, 0xfedcba99abcdeff0, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(35, sh2add.uw, 0x10, 0x3, 0x4)
    T_RR(36, sh2add.uw, 0x200000000, 0x80000000, 0x0)
    T_RR(37, sh2add.uw, 0x3fffffffc, 0xffffffff, 0x0)
    T_RR(38, sh2add.uw, 0x400000000, 0xffffffffffffffff, 0x4)
    T_RR(39, sh2add.uw, 0x8000000200000004, 0xffffffff80000001, 0x8000000000000000)
    T_RR(40, sh2add.uw, 0xfedcba9ae147add0, 0x123456789abcdef0, 0xfedcba9876543210)
    T_RR(41, sh3add.uw, 0x1c, 0x3, 0x4)
    T_RR(42, sh3add.uw, 0x400000000, 0x80000000, 0x0)
    T_RR(43, sh3add.uw, 0x7fffffff8, 0xffffffff, 0x0)
    T_RR(44, sh3add.uw, 0x800000000, 0xffffffffffffffff, 0x8)
    T_RR(45, sh3add.uw, 0x0, 0xffffffff80000000, 0xfffffffc00000000)
    T_RR(46, sh3add.uw, 0xfedcba9d4c3b2990, 0x123456789abcdef0, 0xfedcba9876543210)
    /* slli.uw: zext(rs1[31:0]) << shamt, shamt 0..63 */
    T_RI(47, slli.uw, 0xffffffff, 0xffffffffffffffff, 0)
    T_RI(48, slli.uw, 0x9abcdef0, 0x123456789abcdef0, 0)
    T_RI(49, slli.uw, 0x1fffffffe, 0xffffffffffffffff, 1)
    T_RI(50, slli.uw, 0x4000000080000000, 0xffffffff80000001, 31)
    T_RI(51, slli.uw, 0x7fffffff80000000, 0xffffffffffffffff, 31)
    T_RI(52, slli.uw, 0xffffffff00000000, 0xffffffffffffffff, 32)
    T_RI(53, slli.uw, 0xfffffffe00000000, 0xffffffff, 33)
    T_RI(54, slli.uw, 0x8000000000000000, 0xfffffffe00000001, 63)
    T_RI(55, slli.uw, 0x8000000000000000, 0xffffffffffffffff, 63)
    T_RI(56, slli.uw, 0x0, 0xfffffffffffffffe, 63)

    j pass

TEST_END

/*
 * Zbs single-bit instructions (unprivileged spec, src/b-st-ext.adoc, "Zbs:
 * Single-bit instructions"): bclr/bext/binv/bset and their immediate
 * forms at bits 0, 31, 32 and 63. The register forms use only rs2[5:0]
 * (index = rs2 & (XLEN - 1)), so amounts 64, 127 and negative values must
 * wrap to bits 0, 63, ... Expected values were computed from the spec's
 * definitions, not read back from hartvm. No case may trap.
 */
#include "harness.h"
    .option norvc           /* base encodings only */
    .option arch, +zbs

TEST_BEGIN

    /* bclr / bclri */
    T_RR(1, bclr, 0xfffffffffffffffe, 0xffffffffffffffff, 0x0)
    T_RR(2, bclr, 0x7fffffffffffffff, 0xffffffffffffffff, 0x3f)
    T_RR(3, bclr, 0xffffffff7fffffff, 0xffffffffffffffff, 0x1f)
    T_RR(4, bclr, 0xfffffffeffffffff, 0xffffffffffffffff, 0x20)
    T_RR(5, bclr, 0xfffffffffffffffe, 0xffffffffffffffff, 0x40)
    T_RR(6, bclr, 0x7fffffffffffffff, 0xffffffffffffffff, 0x7f)
    T_RR(7, bclr, 0xfffffffdffffffff, 0xffffffffffffffff, 0xffffffffffffffe1)
    T_RR(8, bclr, 0x0, 0x0, 0x5)
    T_RI(9, bclri, 0xfffffffffffffffe, 0xffffffffffffffff, 0)
    T_RI(10, bclri, 0xffffffff7fffffff, 0xffffffffffffffff, 31)
    T_RI(11, bclri, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
    T_RI(12, bclri, 0x7fffffffffffffff, 0xffffffffffffffff, 63)
    T_RI(13, bclri, 0x1, 0x1, 1)
    /* bext / bexti */
    T_RR(14, bext, 0x1, 0x8000000000000001, 0x0)
    T_RR(15, bext, 0x1, 0x8000000000000001, 0x3f)
    T_RR(16, bext, 0x0, 0x8000000000000001, 0x1)
    T_RR(17, bext, 0x1, 0x8000000000000001, 0x40)
    T_RR(18, bext, 0x1, 0x8000000000000001, 0x7f)
    T_RR(19, bext, 0x1, 0x80000000, 0xffffffffffffffdf)
    T_RR(20, bext, 0x1, 0x100000000, 0x20)
    T_RR(21, bext, 0x0, 0xfffffffffffffffe, 0x0)
    T_RI(22, bexti, 0x1, 0x8000000000000001, 0)
    T_RI(23, bexti, 0x1, 0x8000000000000001, 63)
    T_RI(24, bexti, 0x0, 0x8000000000000001, 62)
    T_RI(25, bexti, 0x1, 0x80000000, 31)
    T_RI(26, bexti, 0x1, 0x100000000, 32)
    T_RI(27, bexti, 0x0, 0x7fffffffffffffff, 63)
    /* binv / binvi */
    T_RR(28, binv, 0x1, 0x0, 0x0)
    T_RR(29, binv, 0x8000000000000000, 0x0, 0x3f)
    T_RR(30, binv, 0x7fffffffffffffff, 0xffffffffffffffff, 0x3f)
    T_RR(31, binv, 0x0, 0x1, 0x0)
    T_RR(32, binv, 0x1, 0x0, 0x40)
    T_RR(33, binv, 0x8000000000000000, 0x0, 0x7f)
    T_RR(34, binv, 0x80000000, 0x0, 0xffffffffffffffdf)
    T_RI(35, binvi, 0x1, 0x0, 0)
    T_RI(36, binvi, 0x8000000000000000, 0x0, 63)
    T_RI(37, binvi, 0x0, 0x8000000000000000, 63)
    T_RI(38, binvi, 0x80000000, 0x0, 31)
    T_RI(39, binvi, 0xfffffffeffffffff, 0xffffffffffffffff, 32)
    /* bset / bseti */
    T_RR(40, bset, 0x1, 0x0, 0x0)
    T_RR(41, bset, 0x8000000000000000, 0x0, 0x3f)
    T_RR(42, bset, 0x8000000000000000, 0x8000000000000000, 0x3f)
    T_RR(43, bset, 0x1, 0x0, 0x40)
    T_RR(44, bset, 0x8000000000000000, 0x0, 0x7f)
    T_RR(45, bset, 0x100000000, 0x0, 0xffffffffffffffe0)
    T_RR(46, bset, 0x80000000, 0x0, 0x1f)
    T_RI(47, bseti, 0x1, 0x0, 0)
    T_RI(48, bseti, 0x8000000000000000, 0x0, 63)
    T_RI(49, bseti, 0x80000000, 0x0, 31)
    T_RI(50, bseti, 0x100000000, 0x0, 32)
    T_RI(51, bseti, 0x1, 0x1, 0)

    j pass

TEST_END

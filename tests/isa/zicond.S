/*
 * Zicond conditional zero (unprivileged spec, src/zicond.adoc):
 *   czero.eqz rd, rs1, rs2: rd = (rs2 == 0) ? 0 : rs1
 *   czero.nez rd, rs1, rs2: rd = (rs2 != 0) ? 0 : rs1
 * The whole 64-bit rs2 is the condition, so 1 << 32 and 1 << 63 count as
 * non-zero. Aliasing cases (rd == rs1, rd == rs2, all three the same)
 * check that both sources are read before rd is written.
 * binutils 2.40 does not know Zicond: the macros below emit the R-type
 * encodings (opcode OP = 0x33, funct7 = 0000111, funct3 = 101 for
 * czero.eqz and 111 for czero.nez). No case may trap.
 */
#include "harness.h"
    .option norvc           /* base encodings only */

    .macro czero_eqz rd, rs1, rs2
    .insn r 0x33, 5, 7, \rd, \rs1, \rs2     /* czero.eqz rd, rs1, rs2 */
    .endm
    .macro czero_nez rd, rs1, rs2
    .insn r 0x33, 7, 7, \rd, \rs1, \rs2     /* czero.nez rd, rs1, rs2 */
    .endm

/* Case n: the sources are set, then inst runs with the registers given
 * (some equal); reg must then hold expected. */
#define T_ALIAS(n, inst, rd, rs1, rs2, v1, v2, reg, expected) \
    CASE(n)                                 \
    li a1, v1;                              \
    li a2, v2;                              \
    inst rd, rs1, rs2;                      \
    EXPECT(reg, expected)

TEST_BEGIN

    /* czero.eqz: rd = (rs2 == 0) ? 0 : rs1 */
    T_RR(1, czero_eqz, 0x0, 0x123456789abcdef0, 0x0)
    T_RR(2, czero_eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0x1)
    T_RR(3, czero_eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0xffffffffffffffff)
    T_RR(4, czero_eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0x8000000000000000)
    T_RR(5, czero_eqz, 0x123456789abcdef0, 0x123456789abcdef0, 0x100000000)
    T_RR(6, czero_eqz, 0x0, 0x0, 0x5)
    T_RR(7, czero_eqz, 0x0, 0xffffffffffffffff, 0x0)
    /* czero.nez: rd = (rs2 != 0) ? 0 : rs1 */
    T_RR(8, czero_nez, 0x123456789abcdef0, 0x123456789abcdef0, 0x0)
    T_RR(9, czero_nez, 0x0, 0x123456789abcdef0, 0x1)
    T_RR(10, czero_nez, 0x0, 0x123456789abcdef0, 0xffffffffffffffff)
    T_RR(11, czero_nez, 0x0, 0x123456789abcdef0, 0x8000000000000000)
    T_RR(12, czero_nez, 0x0, 0x123456789abcdef0, 0x100000000)
    T_RR(13, czero_nez, 0xffffffffffffffff, 0xffffffffffffffff, 0x0)
    T_RR(14, czero_nez, 0x0, 0x0, 0x0)

    /* rd == rs1: the value register is overwritten */
    T_ALIAS(15, czero_eqz, a1, a1, a2, 0x123456789abcdef0, 7, a1, 0x123456789abcdef0)
    T_ALIAS(16, czero_eqz, a1, a1, a2, 0x123456789abcdef0, 0, a1, 0x0)
    T_ALIAS(17, czero_nez, a1, a1, a2, 0x123456789abcdef0, 7, a1, 0x0)
    T_ALIAS(18, czero_nez, a1, a1, a2, 0x123456789abcdef0, 0, a1, 0x123456789abcdef0)
    /* rd == rs2: the condition register is overwritten */
    T_ALIAS(19, czero_eqz, a2, a1, a2, 0x123456789abcdef0, 7, a2, 0x123456789abcdef0)
    T_ALIAS(20, czero_eqz, a2, a1, a2, 0x123456789abcdef0, 0, a2, 0x0)
    T_ALIAS(21, czero_nez, a2, a1, a2, 0x123456789abcdef0, 7, a2, 0x0)
    T_ALIAS(22, czero_nez, a2, a1, a2, 0x123456789abcdef0, 0, a2, 0x123456789abcdef0)
    /* rd == rs1 == rs2: eqz gives x back, nez always gives 0 */
    T_ALIAS(23, czero_eqz, a1, a1, a1, 0x8000000000000000, 0, a1, 0x8000000000000000)
    T_ALIAS(24, czero_nez, a1, a1, a1, 0x8000000000000000, 0, a1, 0x0)
    /* rs2 == x0 (always zero) and rd == x0 (result discarded) */
    T_ALIAS(25, czero_eqz, a0, a1, zero, 0x123456789abcdef0, 0, a0, 0x0)
    T_ALIAS(26, czero_nez, a0, a1, zero, 0x123456789abcdef0, 0, a0, 0x123456789abcdef0)
    li a0, 0x55
    T_ALIAS(27, czero_nez, zero, a1, a2, 0x123456789abcdef0, 0, zero, 0x0)
    EXPECT(a0, 0x55)

    j pass

TEST_END

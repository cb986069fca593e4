/*
 * Self-checking test programs: each case loads operands, runs the
 * instruction and compares the result. The case number lives in gp; a
 * failure reports it through the test finisher as (gp << 16) | 0x3333, so
 * hartvm exits with the number of the failing case. Success writes 0x5555.
 * Any trap the program did not ask for fails with the current case number.
 */
#define FINISHER 0x100000

#define TEST_BEGIN                          \
    .section .text.init;                    \
    .globl _start;                          \
_start:                                     \
    la t0, unexpected_trap;                 \
    csrw mtvec, t0;                         \
    li gp, 0;

#define TEST_END                            \
pass:                                       \
    li t0, 0x5555;                          \
    li t1, FINISHER;                        \
    sw t0, 0(t1);                           \
1:  j 1b;                                   \
fail:                                       \
    slli t0, gp, 16;                        \
    li t1, 0x3333;                          \
    or t0, t0, t1;                          \
    li t1, FINISHER;                        \
    sw t0, 0(t1);                           \
2:  j 2b;                                   \
    .balign 4;                              \
unexpected_trap:                            \
    j fail;

/* Compare a register with an expected value in case n. */
#define CHECK(n, reg, expected)             \
    li gp, n;                               \
    li t6, expected;                        \
    bne reg, t6, fail;

/* rd = op(v1, v2) */
#define TEST_RR(n, inst, expected, v1, v2)  \
    li a1, v1;                              \
    li a2, v2;                              \
    inst a0, a1, a2;                        \
    CHECK(n, a0, expected)

/* rd = op(v1, imm) */
#define TEST_RI(n, inst, expected, v1, imm) \
    li a1, v1;                              \
    inst a0, a1, imm;                       \
    CHECK(n, a0, expected)

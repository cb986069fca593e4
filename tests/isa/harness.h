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

/* ---- Instruction-group programs (rv64i_*, rv64m, rv64a, rvc) ------------
 * These set gp *before* the instruction under test, so a trap inside it
 * reports this case rather than the previous one. Operands live in a1/a2,
 * results in a0; t6 holds expected values. Numeric labels 7: to 9: are
 * used inside the macros: callers should not rely on them across a macro. */
#define CASE(n)         li gp, n;
#define EXPECT(reg, expected)               \
    li t6, expected;                        \
    bne reg, t6, fail;

/* a0 = inst(v1, v2) */
#define T_RR(n, inst, expected, v1, v2)     \
    CASE(n)                                 \
    li a1, v1;                              \
    li a2, v2;                              \
    inst a0, a1, a2;                        \
    EXPECT(a0, expected)

/* a0 = inst(v1, imm) */
#define T_RI(n, inst, expected, v1, imm)    \
    CASE(n)                                 \
    li a1, v1;                              \
    inst a0, a1, imm;                       \
    EXPECT(a0, expected)

/* a0 = inst(v1) (one source: sext.w, neg, ...) */
#define T_R1(n, inst, expected, v1)         \
    CASE(n)                                 \
    li a1, v1;                              \
    inst a0, a1;                            \
    EXPECT(a0, expected)

/* Branch on (v1, v2): a0 = 1 if taken, 0 if it fell through. The branch
 * goes forward, and a second copy is reached by a backward branch. */
#define T_BR(n, inst, taken, v1, v2)        \
    CASE(n)                                 \
    li a1, v1;                              \
    li a2, v2;                              \
    li a0, 0;                               \
    inst a1, a2, 7f;                        \
    j 8f;                                   \
7:  li a0, 1;                               \
8:  EXPECT(a0, taken)                       \
    li a0, 0;                               \
    j 8f;                                   \
7:  li a0, 1;                               \
    j 9f;                                   \
8:  inst a1, a2, 7b;                        \
9:  EXPECT(a0, taken)

/* a0 = load at label+off */
#define T_LD(n, inst, expected, off, label) \
    CASE(n)                                 \
    la a1, label;                           \
    inst a0, off(a1);                       \
    EXPECT(a0, expected)

/* Store v at label+off, then a0 = load from there. */
#define T_ST(n, st, ld, expected, v, off, label) \
    CASE(n)                                 \
    la a1, label;                           \
    li a2, v;                               \
    st a2, off(a1);                         \
    ld a0, off(a1);                         \
    EXPECT(a0, expected)

/* Expected traps. Put TRAP_CATCHER once after TEST_END and point mtvec at
 * trap_catcher. An expected trap is armed by loading its resume address
 * into s8: the catcher then records mcause, mepc, mtval in s9, s10, s11,
 * disarms (s8 = 0) and resumes at the old s8. A trap while disarmed
 * fails the current case. */
#define TRAP_CATCHER                        \
    .balign 4;                              \
trap_catcher:                               \
    beqz s8, fail;                          \
    csrr s9, mcause;                        \
    csrr s10, mepc;                         \
    csrr s11, mtval;                        \
    csrw mepc, s8;                          \
    li s8, 0;                               \
    mret;

#define TRAP_CATCHER_INSTALL                \
    li s8, 0;                               \
    la t0, trap_catcher;                    \
    csrw mtvec, t0;

/* Case n: the 16-bit word `bits` must trap with cause, mepc at the word
 * and mtval tval. */
#define T_TRAP16(n, bits, cause, tval)      \
    CASE(n)                                 \
    li s9, -1;                              \
    la s8, 8f;                              \
    la s7, 7f;                              \
7:  .2byte bits;                            \
8:  EXPECT(s9, cause)                       \
    bne s10, s7, fail;                      \
    EXPECT(s11, tval)

/* Case n: the 32-bit word `bits` must trap likewise. */
#define T_TRAP32(n, bits, cause, tval)      \
    CASE(n)                                 \
    li s9, -1;                              \
    la s8, 8f;                              \
    la s7, 7f;                              \
7:  .4byte bits;                            \
8:  EXPECT(s9, cause)                       \
    bne s10, s7, fail;                      \
    EXPECT(s11, tval)

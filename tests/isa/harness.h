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
    /* before the first case gp is 0, which  \
     * would read as a pass: report 0xfff */  \
    bnez gp, fail_report;                   \
    li gp, 0xfff;                           \
fail_report:                                \
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

/* ---- Privileged-architecture helpers (priv_*, csr_*, htif_* tests) ----
 * Trap catching: a test points s11 (M) or s10 (S) at the code that checks
 * the trap, then runs the trapping instruction. M_CATCH records mcause ->
 * s2, mepc -> s3, mtval -> s4, mstatus -> s5 and continues at s11 in M;
 * S_CATCH records scause -> s6, sepc -> s7, stval -> s8, sstatus -> s9 and
 * continues at s10 in S. Each catch re-arms its continuation to `fail`, so
 * a later trap nobody expected fails with the case number then in gp.
 * t5 and t6 are scratch registers of these macros. */
#define MSTATUS_MPP_SHIFT 11
#define CAUSE_IRQ (1 << 63)

/* Install the catchers (call after TEST_BEGIN). */
#define CATCH_INIT                          \
    la t0, m_catch;                         \
    csrw mtvec, t0;                         \
    la t0, s_catch;                         \
    csrw stvec, t0;                         \
    la s11, fail;                           \
    la s10, fail;

/* The catchers themselves (place after TEST_END). */
#define CATCH_HANDLERS                      \
    .balign 4;                              \
m_catch:                                    \
    csrr s2, mcause;                        \
    csrr s3, mepc;                          \
    csrr s4, mtval;                         \
    csrr s5, mstatus;                       \
    mv t5, s11;                             \
    la s11, fail;                           \
    jr t5;                                  \
    .balign 4;                              \
s_catch:                                    \
    csrr s6, scause;                        \
    csrr s7, sepc;                          \
    csrr s8, stval;                         \
    csrr s9, sstatus;                       \
    mv t5, s10;                             \
    la s10, fail;                           \
    jr t5;

/* PMP entry 0 = NAPOT over all memory, RWX: S and U accesses that match no
 * PMP entry fail (privileged spec 3.7.1), so open everything first. */
#define PMP_ALLOW_ALL                       \
    li t0, -1;                              \
    csrw pmpaddr0, t0;                      \
    li t0, 0x1f;                            \
    csrw pmpcfg0, t0;

/* From M, continue at target in mode (0 = U, 1 = S, 3 = M) through mret. */
#define ENTER_MODE(mode, target)            \
    li t0, 3 << MSTATUS_MPP_SHIFT;          \
    csrc mstatus, t0;                       \
    li t0, (mode) << MSTATUS_MPP_SHIFT;     \
    csrs mstatus, t0;                       \
    la t0, target;                          \
    csrw mepc, t0;                          \
    mret;

/* Checks within the current case (gp unchanged). */
#define EXPECT_EQ(reg, expected)            \
    li t6, expected;                        \
    bne reg, t6, fail;
#define EXPECT_REG(reg, other)              \
    bne reg, other, fail;
/* (reg & mask) == expected */
#define EXPECT_BITS(reg, mask, expected)    \
    li t6, mask;                            \
    and t6, reg, t6;                        \
    li t5, expected;                        \
    bne t6, t5, fail;
/* reg == address of label */
#define EXPECT_ADDR(reg, label)             \
    la t6, label;                           \
    bne reg, t6, fail;

/* ---- Paging and PMP helpers (mmu_*, pmp_* tests) -----------------------
 * A case runs a few instructions in S or U and comes back to M through a
 * trap: the expected fault, or the ecall that ends the snippet. MMU_CATCHER
 * (place after TEST_END, install with MMU_CATCHER_INSTALL) records mcause
 * -> s9, mepc -> s10, mtval -> s11 and resumes at s8 always in M (MPP := M);
 * s8 = 0 (disarmed) fails the current case. t6 is its scratch register. */
#define MMU_CATCHER                         \
    .balign 4;                              \
mmu_catch:                                  \
    beqz s8, fail;                          \
    csrr s9, mcause;                        \
    csrr s10, mepc;                         \
    csrr s11, mtval;                        \
    li t6, 3 << 11;                         \
    csrs mstatus, t6;                       \
    csrw mepc, s8;                          \
    li s8, 0;                               \
    mret;

#define MMU_CATCHER_INSTALL                 \
    li s8, 0;                               \
    la t0, mmu_catch;                       \
    csrw mtvec, t0;

/* Case n: run from label 7: (defined right after the macro) in mode
 * (0 = U, 1 = S) at virtual address 7: + off; the snippet ends with
 * MODE_END, and the case continues at 8: in M. */
#define MODE_CASE(n, mode, off)             \
    CASE(n)                                 \
    li s9, -1;                              \
    li s10, -1;                             \
    li s11, -1;                             \
    la s8, 8f;                              \
    li t0, 3 << 11;                         \
    csrc mstatus, t0;                       \
    li t0, (mode) << 11;                    \
    csrs mstatus, t0;                       \
    la t0, 7f;                              \
    li t1, off;                             \
    add t0, t0, t1;                         \
    csrw mepc, t0;                          \
    mret;                                   \
7:

#define MODE_END                            \
    ecall;                                  \
8:

/* After MODE_END: the snippet trapped with cause and tval (an ecall has
 * cause 8 from U, 9 from S, and tval 0). */
#define EXPECT_TRAP(cause, tval)            \
    EXPECT(s9, cause)                       \
    EXPECT(s11, tval)

/* ---- F/D helpers (fp_* tests) -------------------------------------------
 * FP_ON sets mstatus.FS = Initial (tests start with FS = Off). Operands and
 * results are raw bit patterns moved with fmv: binary32 operands are given
 * unboxed (fmv.w.x boxes them) and binary32 results are checked boxed.
 * Each case clears fflags, runs `inst` with fa1, fa2, fa3 (or a1) as
 * sources and fa0 (or a0) as result, and checks the result bits and the
 * exact flags raised: NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01.
 * R variants take a rounding-mode operand (rne, rtz, rdn, rup, rmm, dyn).
 * t5 and t6 are scratch; a3 holds the flags. */
#define FP_ON               li t0, 1 << 13; csrs mstatus, t0;
#define FBOX(v)             (0xffffffff00000000 | (v))
#define FMV_S(f, v)         li t5, v; fmv.w.x f, t5;
#define FMV_D(f, v)         li t5, v; fmv.d.x f, t5;
#define F_FLAGS(fl)         csrr a3, fflags; EXPECT(a3, fl)
#define F_RES_S(exp, fl)    fmv.x.d a0, fa0; EXPECT(a0, FBOX(exp)) F_FLAGS(fl)
#define F_RES_D(exp, fl)    fmv.x.d a0, fa0; EXPECT(a0, exp) F_FLAGS(fl)
#define X_RES(exp, fl)      EXPECT(a0, exp) F_FLAGS(fl)

#define T_S2R(n, inst, rm, exp, fl, a, b) \
    CASE(n) FMV_S(fa1, a) FMV_S(fa2, b) csrwi fflags, 0; inst fa0, fa1, fa2, rm; F_RES_S(exp, fl)
#define T_D2R(n, inst, rm, exp, fl, a, b) \
    CASE(n) FMV_D(fa1, a) FMV_D(fa2, b) csrwi fflags, 0; inst fa0, fa1, fa2, rm; F_RES_D(exp, fl)
#define T_S2(n, inst, exp, fl, a, b) \
    CASE(n) FMV_S(fa1, a) FMV_S(fa2, b) csrwi fflags, 0; inst fa0, fa1, fa2; F_RES_S(exp, fl)
#define T_D2(n, inst, exp, fl, a, b) \
    CASE(n) FMV_D(fa1, a) FMV_D(fa2, b) csrwi fflags, 0; inst fa0, fa1, fa2; F_RES_D(exp, fl)
#define T_S1R(n, inst, rm, exp, fl, a) \
    CASE(n) FMV_S(fa1, a) csrwi fflags, 0; inst fa0, fa1, rm; F_RES_S(exp, fl)
#define T_D1R(n, inst, rm, exp, fl, a) \
    CASE(n) FMV_D(fa1, a) csrwi fflags, 0; inst fa0, fa1, rm; F_RES_D(exp, fl)
#define T_S3R(n, inst, rm, exp, fl, a, b, c) \
    CASE(n) FMV_S(fa1, a) FMV_S(fa2, b) FMV_S(fa3, c) csrwi fflags, 0; \
    inst fa0, fa1, fa2, fa3, rm; F_RES_S(exp, fl)
#define T_D3R(n, inst, rm, exp, fl, a, b, c) \
    CASE(n) FMV_D(fa1, a) FMV_D(fa2, b) FMV_D(fa3, c) csrwi fflags, 0; \
    inst fa0, fa1, fa2, fa3, rm; F_RES_D(exp, fl)
/* fcvt.s.d (binary64 in) and fcvt.d.s (binary32 in) */
#define T_SD(n, rm, exp, fl, a) \
    CASE(n) FMV_D(fa1, a) csrwi fflags, 0; fcvt.s.d fa0, fa1, rm; F_RES_S(exp, fl)
#define T_DS(n, exp, fl, a) \
    CASE(n) FMV_S(fa1, a) csrwi fflags, 0; fcvt.d.s fa0, fa1; F_RES_D(exp, fl)
/* a0 = inst(fa1 [, rm]) and a0 = inst(fa1, fa2) */
#define T_XSR(n, inst, rm, exp, fl, a) \
    CASE(n) FMV_S(fa1, a) csrwi fflags, 0; inst a0, fa1, rm; X_RES(exp, fl)
#define T_XDR(n, inst, rm, exp, fl, a) \
    CASE(n) FMV_D(fa1, a) csrwi fflags, 0; inst a0, fa1, rm; X_RES(exp, fl)
#define T_XS(n, inst, exp, fl, a) \
    CASE(n) FMV_S(fa1, a) csrwi fflags, 0; inst a0, fa1; X_RES(exp, fl)
#define T_XD(n, inst, exp, fl, a) \
    CASE(n) FMV_D(fa1, a) csrwi fflags, 0; inst a0, fa1; X_RES(exp, fl)
#define T_XS2(n, inst, exp, fl, a, b) \
    CASE(n) FMV_S(fa1, a) FMV_S(fa2, b) csrwi fflags, 0; inst a0, fa1, fa2; X_RES(exp, fl)
#define T_XD2(n, inst, exp, fl, a, b) \
    CASE(n) FMV_D(fa1, a) FMV_D(fa2, b) csrwi fflags, 0; inst a0, fa1, fa2; X_RES(exp, fl)
/* fa0 = inst(a1, rm): integer to float */
#define T_SXR(n, inst, rm, exp, fl, v) \
    CASE(n) li a1, v; csrwi fflags, 0; inst fa0, a1, rm; F_RES_S(exp, fl)
#define T_DXR(n, inst, rm, exp, fl, v) \
    CASE(n) li a1, v; csrwi fflags, 0; inst fa0, a1, rm; F_RES_D(exp, fl)
#define T_DX(n, inst, exp, fl, v) \
    CASE(n) li a1, v; csrwi fflags, 0; inst fa0, a1; F_RES_D(exp, fl)

/* binary16 (Zfh): values NaN-boxed to 64 bits; the same shapes as above */
#define HBOX(v)             (0xffffffffffff0000 | (v))
#define FMV_H(f, v)         li t5, v; fmv.h.x f, t5;
#define F_RES_H(exp, fl)    fmv.x.d a0, fa0; EXPECT(a0, HBOX(exp)) F_FLAGS(fl)
#define T_H2R(n, inst, rm, exp, fl, a, b) \
    CASE(n) FMV_H(fa1, a) FMV_H(fa2, b) csrwi fflags, 0; inst fa0, fa1, fa2, rm; F_RES_H(exp, fl)
#define T_H2(n, inst, exp, fl, a, b) \
    CASE(n) FMV_H(fa1, a) FMV_H(fa2, b) csrwi fflags, 0; inst fa0, fa1, fa2; F_RES_H(exp, fl)
#define T_H1R(n, inst, rm, exp, fl, a) \
    CASE(n) FMV_H(fa1, a) csrwi fflags, 0; inst fa0, fa1, rm; F_RES_H(exp, fl)
#define T_H3R(n, inst, rm, exp, fl, a, b, c) \
    CASE(n) FMV_H(fa1, a) FMV_H(fa2, b) FMV_H(fa3, c) csrwi fflags, 0; \
    inst fa0, fa1, fa2, fa3, rm; F_RES_H(exp, fl)
#define T_XHR(n, inst, rm, exp, fl, a) \
    CASE(n) FMV_H(fa1, a) csrwi fflags, 0; inst a0, fa1, rm; X_RES(exp, fl)
#define T_XH(n, inst, exp, fl, a) \
    CASE(n) FMV_H(fa1, a) csrwi fflags, 0; inst a0, fa1; X_RES(exp, fl)
#define T_XH2(n, inst, exp, fl, a, b) \
    CASE(n) FMV_H(fa1, a) FMV_H(fa2, b) csrwi fflags, 0; inst a0, fa1, fa2; X_RES(exp, fl)
#define T_HXR(n, inst, rm, exp, fl, v) \
    CASE(n) li a1, v; csrwi fflags, 0; inst fa0, a1, rm; F_RES_H(exp, fl)

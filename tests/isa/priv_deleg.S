/*
 * Trap delegation (privileged spec 3.1.8 "Machine Trap Delegation
 * Registers", 4.1.1 sstatus, 4.1.7-4.1.9 sepc/scause/stval) and the WARL
 * masks of medeleg, mideleg, mie and mip (3.1.8, 3.1.9).
 *   - An exception taken in S or U whose medeleg bit is set goes to S:
 *     scause/sepc/stval are written, SPP = the previous mode, SPIE = SIE,
 *     SIE = 0; the M registers are untouched.
 *   - Traps never go from M to a lower mode: a delegated exception raised
 *     in M is taken in M.
 *   - medeleg[11] (ecall from M) is read-only zero.
 */
#include "harness.h"

#define SENTINEL 0x5e5e

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    /* 1: medeleg WARL: all ones -> bit 11 reads 0; the causes that can be
     * taken in S/U (0-9, 12, 13, 15) are delegable */
    li gp, 1
    li t0, -1
    csrw medeleg, t0
    csrr a0, medeleg
    EXPECT_BITS(a0, 1 << 11, 0)
    EXPECT_BITS(a0, 0xb3ff, 0xb3ff)
    csrw medeleg, zero
    csrr a0, medeleg
    EXPECT_EQ(a0, 0)
    /* 2: setting bit 11 alone leaves it 0 */
    li gp, 2
    li t0, 1 << 11
    csrw medeleg, t0
    csrr a0, medeleg
    EXPECT_EQ(a0, 0)

    /* 3: mideleg WARL: SSI, STI, SEI (1, 5, 9) delegable; M-level
     * interrupts (3, 7, 11) stay with M in hartvm, as in QEMU */
    li gp, 3
    li t0, -1
    csrw mideleg, t0
    csrr a0, mideleg
    EXPECT_BITS(a0, 0x222, 0x222)
    EXPECT_BITS(a0, 0x888, 0)
    csrw mideleg, zero
    csrr a0, mideleg
    EXPECT_EQ(a0, 0)

    /* 4: mie WARL: exactly the six standard enables 1,3,5,7,9,11 */
    li gp, 4
    li t0, -1
    csrw mie, t0
    csrr a0, mie
    csrw mie, zero
    EXPECT_EQ(a0, 0xaaa)
    csrr a0, mie
    EXPECT_EQ(a0, 0)

    /* 5: mip WARL: SSIP, STIP, SEIP writable from M; MSIP, MTIP, MEIP are
     * read-only (driven by CLINT/PLIC, all idle here: mtimecmp = max) */
    li gp, 5
    li t0, -1
    csrw mip, t0                   /* mie = 0: nothing is taken */
    csrr a0, mip
    csrw mip, zero
    EXPECT_EQ(a0, 0x222)
    csrr a0, mip
    EXPECT_EQ(a0, 0)

    /* 6: ecall from U delegated (medeleg[8]) goes to S: scause 8, sepc,
     * stval = 0, SPP = U, SPIE = old SIE (0), SIE = 0. Reaching s_catch
     * at all shows M was bypassed (an M trap would land in `fail`). */
    li gp, 6
    li t0, 1 << 8
    csrw medeleg, t0
    li t0, SENTINEL
    csrw stval, t0
    la s10, 1f
    ENTER_MODE(0, e6)
e6: ecall
    j fail
1:  EXPECT_EQ(s6, 8)
    EXPECT_ADDR(s7, e6)
    EXPECT_EQ(s8, 0)
    EXPECT_BITS(s9, 0x122, 0)       /* SPP, SPIE, SIE */
    la s11, 2f
    ecall                           /* from S: not delegated, to M */
    j fail
2:  EXPECT_EQ(s2, 9)

    /* 7: same with SIE = 1 in U: SPIE <- 1, SIE <- 0 */
    li gp, 7
    csrsi sstatus, 2                /* SIE = 1 */
    la s10, 1f
    ENTER_MODE(0, e7)
e7: ecall
    j fail
1:  EXPECT_EQ(s6, 8)
    EXPECT_BITS(s9, 0x122, 0x20)    /* SPP = U, SPIE = 1, SIE = 0 */
    la s11, 2f
e8: ebreak                          /* not delegated: back to M */
    j fail
2:  EXPECT_EQ(s2, 3)
    /* 8: the M trap from S records MPP = S; mepc = the ebreak */
    li gp, 8
    EXPECT_BITS(s5, 3 << 11, 1 << 11)
    EXPECT_ADDR(s3, e8)

    /* 10: ecall from S delegated (medeleg[9]): scause 9, SPP = S */
    li gp, 10
    li t0, (1 << 9) | (1 << 8)
    csrw medeleg, t0
    csrci sstatus, 2
    la s10, 1f
    ENTER_MODE(1, e10)
e10: ecall
    j fail
1:  EXPECT_EQ(s6, 9)
    EXPECT_ADDR(s7, e10)
    EXPECT_BITS(s9, 0x122, 0x100)   /* SPP = S, SPIE = 0, SIE = 0 */
    la s11, 2f
    ebreak
    j fail
2:  EXPECT_EQ(s2, 3)

    /* 11: a delegated exception raised in M stays in M: ecall from M with
     * medeleg = everything delegable, and ebreak, illegal */
    li gp, 11
    li t0, -1
    csrw medeleg, t0
    li t0, SENTINEL
    csrw scause, t0
    la s11, 1f
e11: ebreak
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, e11)
    csrr a0, scause
    EXPECT_EQ(a0, SENTINEL)
    li gp, 12
    la s11, 1f
    .word 0xdead006b                /* illegal */
    j fail
1:  EXPECT_EQ(s2, 2)
    csrr a0, scause
    EXPECT_EQ(a0, SENTINEL)

    /* 13: breakpoint from S delegated: stval = the ebreak address */
    li gp, 13
    li t0, 1 << 3
    csrw medeleg, t0
    la s10, 1f
    ENTER_MODE(1, e13)
e13: ebreak
    j fail
1:  EXPECT_EQ(s6, 3)
    EXPECT_ADDR(s7, e13)
    EXPECT_ADDR(s8, e13)
    EXPECT_BITS(s9, 0x100, 0x100)
    la s11, 2f
    ecall
    j fail
2:  EXPECT_EQ(s2, 9)

    /* 14: illegal instruction from U delegated: stval = the encoding */
    li gp, 14
    li t0, 1 << 2
    csrw medeleg, t0
    la s10, 1f
    ENTER_MODE(0, e14)
e14: .word 0x1234506b
    j fail
1:  EXPECT_EQ(s6, 2)
    EXPECT_ADDR(s7, e14)
    EXPECT_EQ(s8, 0x1234506b)
    EXPECT_BITS(s9, 0x100, 0)
    la s11, 2f
    ecall
    j fail
2:  EXPECT_EQ(s2, 9)

    /* 15: load access fault from U delegated (medeleg[5]): stval = addr */
    li gp, 15
    li t0, 1 << 5
    csrw medeleg, t0
    la s10, 1f
    ENTER_MODE(0, e15)
e15: li a1, 0x40000000
    ld a0, 8(a1)
    j fail
1:  EXPECT_EQ(s6, 5)
    EXPECT_EQ(s8, 0x40000008)
    la s11, 2f
    ecall
    j fail
2:  EXPECT_EQ(s2, 9)

    /* 16: a non-delegated exception from U goes to M even with others
     * delegated: ecall from U with only medeleg[5] set */
    li gp, 16
    la s11, 1f
    ENTER_MODE(0, e16)
e16: ecall
    j fail
1:  EXPECT_EQ(s2, 8)
    EXPECT_ADDR(s3, e16)

    /* 17: S handles a delegated trap, then sret returns to U after it:
     * U's next ecall (to M) shows mepc after the delegated one */
    li gp, 17
    li t0, 1 << 3
    csrw medeleg, t0
    la t0, 3f
    csrw stvec, t0
    la s11, 1f
    ENTER_MODE(0, e17)
    .option push
    .option norvc                   /* a 4-byte ebreak: the handler adds 4 */
e17: ebreak
    .option pop
e17b: ecall
    j fail
    .balign 4
3:  csrr t0, sepc
    addi t0, t0, 4
    csrw sepc, t0
    sret
1:  EXPECT_EQ(s2, 8)
    EXPECT_ADDR(s3, e17b)
    la t0, s_catch
    csrw stvec, t0

    csrw medeleg, zero
    j pass
TEST_END
CATCH_HANDLERS

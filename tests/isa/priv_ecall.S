/*
 * ECALL and EBREAK from each privilege mode (privileged spec 3.1.14 mcause,
 * 3.1.15 mepc, 3.1.16 mtval, 3.3.1 "Environment Call and Breakpoint"):
 * mcause 8/9/11 for ecall from U/S/M with mtval = 0; ebreak is cause 3
 * with mtval = the address of the ebreak (hartvm writes it). The trap
 * records the previous mode in MPP and MIE in MPIE (3.1.6.1).
 */
#include "harness.h"

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    /* 1: ecall from M: cause 11, mepc = the ecall, mtval written to 0 */
    li gp, 1
    li t0, 0x1234
    csrw mtval, t0
    la s11, 1f
e1: ecall
    j fail
1:  EXPECT_EQ(s2, 11)
    EXPECT_ADDR(s3, e1)
    EXPECT_EQ(s4, 0)
    EXPECT_BITS(s5, 3 << 11, 3 << 11)           /* MPP = M */

    /* 2: ecall from S: cause 9, MPP = S */
    li gp, 2
    li t0, 0x1234
    csrw mtval, t0
    la s11, 1f
    ENTER_MODE(1, e2)
e2: ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_ADDR(s3, e2)
    EXPECT_EQ(s4, 0)
    EXPECT_BITS(s5, 3 << 11, 1 << 11)

    /* 3: ecall from U: cause 8, MPP = U */
    li gp, 3
    li t0, 0x1234
    csrw mtval, t0
    la s11, 1f
    ENTER_MODE(0, e3)
e3: ecall
    j fail
1:  EXPECT_EQ(s2, 8)
    EXPECT_ADDR(s3, e3)
    EXPECT_EQ(s4, 0)
    EXPECT_BITS(s5, 3 << 11, 0)

    /* 4: ebreak from M: cause 3, mepc = mtval = its address */
    li gp, 4
    la s11, 1f
e4: ebreak
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, e4)
    EXPECT_ADDR(s4, e4)

    /* 5: c.ebreak (16-bit) likewise */
    li gp, 5
    la s11, 1f
    .option push
    .option rvc
e5: c.ebreak
    .option pop
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, e5)
    EXPECT_ADDR(s4, e5)

    /* 6: ebreak from U: cause 3, MPP = U */
    li gp, 6
    la s11, 1f
    ENTER_MODE(0, e6)
e6: ebreak
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, e6)
    EXPECT_ADDR(s4, e6)
    EXPECT_BITS(s5, 3 << 11, 0)

    /* 7: ebreak from S: MPP = S */
    li gp, 7
    la s11, 1f
    ENTER_MODE(1, e7)
e7: ebreak
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s4, e7)
    EXPECT_BITS(s5, 3 << 11, 1 << 11)

    /* 8: a trap from M with MIE=1: MPIE <- 1, MIE <- 0 (3.1.6.1); mie = 0,
     * so no interrupt can be taken meanwhile */
    li gp, 8
    csrw mie, zero
    csrsi mstatus, 8
    la s11, 1f
    ecall
    j fail
1:  EXPECT_BITS(s5, 0x88, 0x80)
    /* and with MIE=0: MPIE <- 0 */
    li gp, 9
    la s11, 1f
    ecall
    j fail
1:  EXPECT_BITS(s5, 0x88, 0)

    /* 10: a handler returning with mepc + 4 resumes in U after the ecall:
     * the second ecall reports mepc = the instruction after the first */
    li gp, 10
    la t0, 2f
    csrw mtvec, t0
    ENTER_MODE(0, e10)
e10: ecall
e10b: ecall
    j fail
    .balign 4
2:  csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    la t0, m_catch
    csrw mtvec, t0
    la s11, 1f
    li t0, 3 << 11
    csrc mstatus, t0                           /* MPP = U */
    mret
1:  EXPECT_EQ(s2, 8)
    EXPECT_ADDR(s3, e10b)

    /* 11: mepc and mtval after an ecall from U at an odd halfword (after
     * a 16-bit instruction) */
    li gp, 11
    la s11, 1f
    ENTER_MODE(0, 2f)
    .option push
    .option rvc
    .balign 4
2:  c.nop
e11: ecall
    .option pop
    j fail
1:  EXPECT_EQ(s2, 8)
    EXPECT_ADDR(s3, e11)
    EXPECT_EQ(s4, 0)

    j pass
TEST_END
CATCH_HANDLERS

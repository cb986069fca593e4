/*
 * Misaligned loads, stores and atomics. hartvm does not emulate misaligned
 * accesses: it raises the address-misaligned exceptions (privileged spec
 * 3.1.15, Table 3.6): load -> 4, store/AMO -> 6, with mtval = the faulting
 * virtual address (3.1.16). LR raises 4 and SC/AMO raise 6 (A extension:
 * a misaligned AMO/LR/SC raises address-misaligned or access fault; hartvm
 * chooses misaligned). The faulting instruction has no effect: rd and
 * memory are unchanged.
 * Priority (Table 3.7 "Synchronous exception priority"): misaligned may be
 * ranked above access faults; hartvm does so, so a misaligned access to
 * an unmapped address reports misaligned.
 */
#include "harness.h"

#define UNMAPPED 0x40000000

/* Expect cause c with mepc = label and mtval = address in reg. */
#define EXPECT_MIS(c, label, reg)           \
    EXPECT_EQ(s2, c);                       \
    EXPECT_ADDR(s3, label);                 \
    EXPECT_REG(s4, reg)

/* Case n: insn (using a1 as base, a0 as rd/rs2) traps with cause c at
 * a1 = buf + off; a0 starts as a sentinel that must survive. */
#define MIS(n, c, off, ...)                 \
    li gp, n;                               \
    la a1, buf;                             \
    addi a1, a1, off;                       \
    li a0, 0x5a5a;                          \
    la s11, 1f;                             \
88: __VA_ARGS__;                                 \
    j fail;                                 \
1:  EXPECT_MIS(c, 88b, a1);                 \
    EXPECT_EQ(a0, 0x5a5a)

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    /* 1: aligned accesses to buf work (and warm the TLB for the page) */
    li gp, 1
    la a1, buf
    li t0, 0x1122334455667788
    sd t0, 0(a1)
    ld a0, 0(a1)
    EXPECT_REG(a0, t0)
    lw a0, 4(a1)
    lh a0, 2(a1)
    lb a0, 1(a1)

    /* loads: cause 4 */
    MIS(2, 4, 1, lh a0, 0(a1))
    MIS(3, 4, 3, lhu a0, 0(a1))
    MIS(4, 4, 2, lw a0, 0(a1))
    MIS(5, 4, 1, lwu a0, 0(a1))
    MIS(6, 4, 4, ld a0, 0(a1))
    MIS(7, 4, 7, ld a0, 0(a1))
    /* the address is rs1 + imm: the offset makes it misaligned */
    li gp, 8
    la a1, buf
    li a0, 0x5a5a
    la s11, 1f
i8: lw a0, 6(a1)
    j fail
1:  addi a1, a1, 6
    EXPECT_MIS(4, i8, a1)
    EXPECT_EQ(a0, 0x5a5a)

    /* stores: cause 6; memory unchanged */
    MIS(9, 6, 1, sh a0, 0(a1))
    MIS(10, 6, 2, sw a0, 0(a1))
    MIS(11, 6, 4, sd a0, 0(a1))
    MIS(12, 6, 6, sd a0, 0(a1))
    li gp, 13
    la a1, buf
    ld a0, 0(a1)
    li t0, 0x1122334455667788
    EXPECT_REG(a0, t0)

    /* compressed loads and stores (rd/rs1 in x8-x15) */
    li gp, 14
    la s0, buf
    addi s0, s0, 2
    la s11, 1f
    .option push
    .option rvc
i14: c.lw a5, 0(s0)
    .option pop
    j fail
1:  EXPECT_MIS(4, i14, s0)
    li gp, 15
    la s11, 1f
    .option push
    .option rvc
i15: c.sd a5, 0(s0)
    .option pop
    j fail
1:  EXPECT_MIS(6, i15, s0)

    /* atomics: AMO and SC -> 6, LR -> 4 */
    MIS(16, 6, 2, amoadd.w a0, a0, (a1))
    MIS(17, 6, 4, amoswap.d a0, a0, (a1))
    MIS(18, 6, 1, amoor.w a0, a0, (a1))
    MIS(19, 4, 2, lr.w a0, (a1))
    MIS(20, 4, 4, lr.d a0, (a1))
    MIS(21, 6, 2, sc.w a0, a0, (a1))
    MIS(22, 6, 4, sc.d a0, a0, (a1))
    li gp, 23
    la a1, buf
    ld a0, 0(a1)
    li t0, 0x1122334455667788
    EXPECT_REG(a0, t0)

    /* 24-27: misaligned and unmapped: misaligned wins */
    li gp, 24
    li a1, UNMAPPED + 2
    la s11, 1f
i24: sw a0, 0(a1)
    j fail
1:  EXPECT_MIS(6, i24, a1)
    li gp, 25
    li a1, UNMAPPED + 1
    la s11, 1f
i25: lw a0, 0(a1)
    j fail
1:  EXPECT_MIS(4, i25, a1)
    li gp, 26
    li a1, UNMAPPED + 4
    la s11, 1f
i26: amoadd.d a0, a0, (a1)
    j fail
1:  EXPECT_MIS(6, i26, a1)
    /* ... while the aligned access there is an access fault */
    li gp, 27
    li a1, UNMAPPED
    la s11, 1f
i27: sw a0, 0(a1)
    j fail
1:  EXPECT_MIS(7, i27, a1)

    /* 28: from U, misaligned load: cause 4, MPP = U */
    li gp, 28
    la a1, buf
    addi a1, a1, 3
    la s11, 1f
    ENTER_MODE(0, i28)
i28: lw a0, 0(a1)
    j fail
1:  EXPECT_MIS(4, i28, a1)
    EXPECT_BITS(s5, 3 << 11, 0)
    /* 29: delegated to S (medeleg[6]): store from U, stval = address */
    li gp, 29
    li t0, 1 << 6
    csrw medeleg, t0
    la s10, 1f
    ENTER_MODE(0, i29)
i29: sd a0, 0(a1)
    j fail
1:  EXPECT_EQ(s6, 6)
    EXPECT_ADDR(s7, i29)
    EXPECT_REG(s8, a1)
    la s11, 2f
    ecall
    j fail
2:  EXPECT_EQ(s2, 9)
    csrw medeleg, zero

    /* 30: misaligned at a page end (crossing into the next page) */
    li gp, 30
    la a1, buf
    li t0, 4096 - 4
    add a1, a1, t0
    la s11, 1f
i30: ld a0, 0(a1)
    j fail
1:  EXPECT_MIS(4, i30, a1)

    j pass
TEST_END
CATCH_HANDLERS

    .data
    .balign 4096
buf:
    .zero 8192

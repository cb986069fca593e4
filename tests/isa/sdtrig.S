/*
 * Sdtrig (RISC-V Debug Specification 1.0, "Sdtrig"): the trigger CSRs'
 * WARL behaviour, mcontrol6 execute/load/store triggers by address
 * (equal, napot, ge/lt chained) and by data (select = 1), the mode bits,
 * tcontrol.mte/mpte around traps into M and mret, and icount as a single
 * step. A fired trigger with action 0 is a breakpoint exception (cause 3)
 * before the instruction retires: mepc is the instruction, mtval the
 * instruction's or the access's virtual address (icount: 0).
 */
#include "harness.h"

#define TDATA1_DISABLED     (15 << 60)
#define MC6                 (6 << 60)
#define MC6_LOAD            (1 << 0)
#define MC6_STORE           (1 << 1)
#define MC6_EXEC            (1 << 2)
#define MC6_U               (1 << 3)
#define MC6_S               (1 << 4)
#define MC6_M               (1 << 6)
#define MC6_MATCH(k)        ((k) << 7)
#define MC6_CHAIN           (1 << 11)
#define MC6_SELECT          (1 << 21)
#define MC6_HIT0            (1 << 22)
#define ICOUNT              (3 << 60)
#define IC_U                (1 << 6)
#define IC_COUNT(n)         ((n) << 10)
#define IC_HIT              (1 << 24)
#define MTE                 (1 << 3)
#define MPTE                (1 << 7)

/* Arm trigger idx: tdata2 = value in t1 (set by the caller), tdata1 = v. */
#define ARM(idx, v)                         \
    li t0, idx;                             \
    csrw tselect, t0;                       \
    csrw tdata2, t1;                        \
    li t0, v;                               \
    csrw tdata1, t0;

#define DISARM(idx)                         \
    li t0, idx;                             \
    csrw tselect, t0;                       \
    csrw tdata1, zero;

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    /* 1: tinfo: version 1; types icount (3), mcontrol6 (6), disabled (15) */
    li gp, 1
    csrr a0, tinfo
    EXPECT_EQ(a0, (1 << 24) | (1 << 3) | (1 << 6) | (1 << 15))

    /* 2: tselect is WARL: 4 triggers, a larger index leaves it */
    li gp, 2
    li t0, 3
    csrw tselect, t0
    li t0, 4
    csrw tselect, t0
    csrr a0, tselect
    EXPECT_EQ(a0, 3)
    csrw tselect, zero

    /* 3: writing 0 to tdata1 disables the trigger (type 15); so does a
     * type not offered (2: mcontrol) */
    li gp, 3
    csrw tdata1, zero
    csrr a0, tdata1
    EXPECT_EQ(a0, TDATA1_DISABLED)
    li t0, (2 << 60) | 0x44
    csrw tdata1, t0
    csrr a0, tdata1
    EXPECT_EQ(a0, TDATA1_DISABLED)

    /* 4: tcontrol holds only mte and mpte; action 1 (Debug Mode) is not
     * offered: the action field reads 0 */
    li gp, 4
    li t0, -1
    csrw tcontrol, t0
    csrr a0, tcontrol
    EXPECT_EQ(a0, MTE | MPTE)
    li t0, MC6 | (1 << 12) | MC6_LOAD
    csrw tdata1, t0
    csrr a0, tdata1
    EXPECT_EQ(a0, MC6 | MC6_LOAD)
    csrw tdata1, zero

    /* 5: an execute trigger in M (mte = 1): breakpoint before the
     * instruction, mepc = mtval = its address; the trap into M moves mte
     * to mpte; hit0 is set */
    li gp, 5
    la t1, x5
    ARM(0, MC6 | MC6_EXEC | MC6_M)
    csrwi tcontrol, MTE
    li a0, 0
    la s11, 1f
x5: li a0, 1
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x5)
    EXPECT_ADDR(s4, x5)
    EXPECT_EQ(a0, 0)
    csrr a1, tcontrol
    EXPECT_EQ(a1, MPTE)
    csrr a1, tdata1
    EXPECT_BITS(a1, MC6_HIT0, MC6_HIT0)

    /* 6: with mte = 0 the same trigger does not fire in M */
    li gp, 6
    csrw tcontrol, zero
    li a0, 0
x6: li a0, 1
    EXPECT_EQ(a0, 1)
    DISARM(0)

    /* 7: a load address trigger (equal): a halfword at data+8 fires
     * before it loads (a0 unchanged, mtval = data+8); a byte at data+9
     * or a doubleword at data+0 does not */
    li gp, 7
    la a1, data
    addi t1, a1, 8
    ARM(0, MC6 | MC6_LOAD | MC6_M)
    csrwi tcontrol, MTE
    li a0, 0x77
    lb a2, 9(a1)
    ld a2, 0(a1)
    la s11, 1f
x7: lh a0, 8(a1)
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x7)
    addi t0, a1, 8
    EXPECT_REG(s4, t0)
    EXPECT_EQ(a0, 0x77)
    DISARM(0)

    /* 8: a store trigger on a 16-byte NAPOT range: a store inside fires
     * and leaves memory as it was; one just past the range does not */
    li gp, 8
    la a1, data
    ori t1, a1, 7                       /* data is 16-byte aligned */
    ARM(0, MC6 | MC6_STORE | MC6_M | MC6_MATCH(1))
    csrwi tcontrol, MTE
    li a2, 0x99
    sd a2, 16(a1)
    la s11, 1f
x8: sb a2, 15(a1)
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x8)
    addi t0, a1, 15
    EXPECT_REG(s4, t0)
    lbu a0, 15(a1)
    EXPECT_EQ(a0, 0)
    ld a0, 16(a1)
    EXPECT_EQ(a0, 0x99)
    DISARM(0)

    /* 9: a store data trigger (select = 1): storing 0x1234 fires
     * (mtval = the address), storing another value does not */
    li gp, 9
    la a1, data
    li t1, 0x1234
    ARM(0, MC6 | MC6_STORE | MC6_M | MC6_SELECT)
    csrwi tcontrol, MTE
    li a2, 0x1235
    sw a2, 24(a1)
    li a2, 0x1234
    la s11, 1f
x9: sw a2, 24(a1)
    j fail
1:  EXPECT_EQ(s2, 3)
    addi t0, a1, 24
    EXPECT_REG(s4, t0)
    lw a0, 24(a1)
    EXPECT_EQ(a0, 0x1235)
    DISARM(0)

    /* 10: a load data trigger: loading 0x55 fires, rd keeps its value */
    li gp, 10
    la a1, data
    li a2, 0x55
    sd a2, 32(a1)
    li t1, 0x55
    ARM(0, MC6 | MC6_LOAD | MC6_M | MC6_SELECT)
    csrwi tcontrol, MTE
    li a0, 0x77
    lw a3, 24(a1)                       /* 0x1235: no match */
    la s11, 1f
x10: ld a0, 32(a1)
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x10)
    EXPECT_EQ(a0, 0x77)
    DISARM(0)

    /* 11: a chain: ge data+16 (chain) and lt data+24 is [data+16,
     * data+24): a load at data+16 fires, data+8 and data+24 do not */
    li gp, 11
    la a1, data
    addi t1, a1, 16
    ARM(0, MC6 | MC6_LOAD | MC6_M | MC6_MATCH(2) | MC6_CHAIN)
    addi t1, a1, 24
    ARM(1, MC6 | MC6_LOAD | MC6_M | MC6_MATCH(3))
    csrwi tcontrol, MTE
    ld a2, 8(a1)
    ld a2, 24(a1)
    la s11, 1f
x11: ld a2, 16(a1)
    j fail
1:  EXPECT_EQ(s2, 3)
    addi t0, a1, 16
    EXPECT_REG(s4, t0)
    DISARM(0)
    DISARM(1)

    /* 12: mode bits: an execute trigger for U only fires in U (MPP = U);
     * one for S only does not fire there */
    li gp, 12
    la t1, x12
    ARM(0, MC6 | MC6_EXEC | MC6_S)
    la t1, x12
    ARM(1, MC6 | MC6_EXEC | MC6_U)
    la s11, 1f
    ENTER_MODE(0, x12)
x12: ecall
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x12)
    EXPECT_BITS(s5, 3 << 11, 0)
    li t0, 1
    csrw tselect, t0
    csrr a0, tdata1
    EXPECT_BITS(a0, MC6_HIT0, MC6_HIT0)
    csrw tselect, zero
    csrr a0, tdata1
    EXPECT_BITS(a0, MC6_HIT0, 0)
    DISARM(0)
    DISARM(1)

    /* 13: an execute trigger on an instruction's bits (select = 1) */
    li gp, 13
    li t1, 0x12300013                   /* addi x0, x0, 0x123 */
    ARM(0, MC6 | MC6_EXEC | MC6_M | MC6_SELECT)
    csrwi tcontrol, MTE
    nop
    la s11, 1f
x13: addi x0, x0, 0x123
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x13)
    DISARM(0)

    /* 14: an AMO is a load and a store: a store trigger stops it before
     * it changes memory */
    li gp, 14
    la a1, data
    addi t1, a1, 40
    ARM(0, MC6 | MC6_STORE | MC6_M)
    csrwi tcontrol, MTE
    addi a3, a1, 40
    li a2, 5
    la s11, 1f
x14: amoadd.d a0, a2, (a3)
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_REG(s4, a3)
    ld a0, 40(a1)
    EXPECT_EQ(a0, 0)
    DISARM(0)

    /* 15: icount as a single step in U: count 1 fires before the second
     * U instruction (mepc = it, mtval = 0), hit set, count now 0 */
    li gp, 15
    li t1, 0
    ARM(0, ICOUNT | IC_U | IC_COUNT(1))
    la s11, 1f
    li a0, 0
    ENTER_MODE(0, x15)
x15: addi a0, a0, 1
x15b: addi a0, a0, 1
    j fail
1:  EXPECT_EQ(s2, 3)
    EXPECT_ADDR(s3, x15b)
    EXPECT_EQ(s4, 0)
    EXPECT_EQ(a0, 1)
    csrr a1, tdata1
    li t0, ICOUNT | IC_U | IC_HIT
    EXPECT_REG(a1, t0)
    DISARM(0)

    /* 16: mret sets mte from mpte */
    li gp, 16
    li t0, MPTE
    csrw tcontrol, t0
    la s11, fail
    ENTER_MODE(3, 2f)
2:  csrr a0, tcontrol
    EXPECT_EQ(a0, MTE | MPTE)
    j pass

TEST_END
CATCH_HANDLERS

    .data
    .balign 16
data:
    .space 64

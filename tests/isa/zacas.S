/*
 * Zacas (compare-and-swap: amocas.w/d/q) and Zawrs (wrs.nto/wrs.sto).
 * amocas loads the word, stores rs2 if it equalled rd, and puts the loaded
 * value in rd (.w: compares the low 32 bits, sign-extends the result); .q
 * uses the register pairs rd/rd+1 and rs2/rs2+1 (low half first), odd
 * numbers are reserved, and it must be 16-byte aligned. wrs.* may end
 * their stall at once. Encoded with .insn: binutils 2.40 knows neither.
 * QEMU 7.2 has neither; -cpu max does:
 */
# hartvm-args: -cpu max
#include "harness.h"

/* amocas.{w,d,q} rd, rs2, (rs1): AMO major opcode, funct5 00101 */
#define AMOCAS(w, rd, rs2, rs1) .insn r 0x2f, w, 0x14, rd, rs1, rs2
#define W 2
#define D 3
#define Q 4

TEST_BEGIN
    CATCH_INIT
    la s0, mem

    /* 1: .d, equal: memory takes rs2, rd the old value */
    li gp, 1
    li t0, 5
    sd t0, 0(s0)
    li a0, 5
    li a1, 9
    AMOCAS(D, a0, a1, s0)
    EXPECT_EQ(a0, 5)
    ld t1, 0(s0)
    EXPECT_EQ(t1, 9)

    /* 2: .d, not equal: memory unchanged, rd the value found */
    li gp, 2
    li a0, 5
    li a1, 7
    AMOCAS(D, a0, a1, s0)
    EXPECT_EQ(a0, 9)
    ld t1, 0(s0)
    EXPECT_EQ(t1, 9)

    /* 3: .w compares the low 32 bits and sign-extends what it loaded */
    li gp, 3
    li t0, 0x80000000
    sw t0, 8(s0)
    addi s1, s0, 8
    li a0, 0x1280000000                 /* low 32 bits equal */
    li a1, 0x1234
    AMOCAS(W, a0, a1, s1)
    EXPECT_EQ(a0, 0xffffffff80000000)
    lw t1, 8(s0)
    EXPECT_EQ(t1, 0x1234)

    /* 4: rd = x0 compares with 0 */
    li gp, 4
    sw zero, 12(s0)
    addi s1, s0, 12
    li a1, 0x77
    AMOCAS(W, zero, a1, s1)
    lw t1, 12(s0)
    EXPECT_EQ(t1, 0x77)

    /* 5: .q equal: (1, 2) becomes (3, 4); a0/a1 get (1, 2) */
    li gp, 5
    addi s1, s0, 16
    li t0, 1
    sd t0, 16(s0)
    li t0, 2
    sd t0, 24(s0)
    li a0, 1
    li a1, 2
    li a2, 3
    li a3, 4
    AMOCAS(Q, a0, a2, s1)
    EXPECT_EQ(a0, 1)
    EXPECT_EQ(a1, 2)
    ld t1, 16(s0)
    EXPECT_EQ(t1, 3)
    ld t1, 24(s0)
    EXPECT_EQ(t1, 4)

    /* 6: .q with the high halves different: memory unchanged */
    li gp, 6
    li a0, 3
    li a1, 5
    li a2, 8
    li a3, 8
    AMOCAS(Q, a0, a2, s1)
    EXPECT_EQ(a0, 3)
    EXPECT_EQ(a1, 4)
    ld t1, 16(s0)
    EXPECT_EQ(t1, 3)
    ld t1, 24(s0)
    EXPECT_EQ(t1, 4)

    /* 7: .q with an odd rd is reserved: illegal instruction */
    li gp, 7
    la s11, 1f
    AMOCAS(Q, a1, a2, s1)
    j fail
1:  EXPECT_EQ(s2, 2)

    /* 8: .q at an 8-byte boundary: AMO address misaligned */
    li gp, 8
    addi s1, s0, 8
    la s11, 1f
    AMOCAS(Q, a0, a2, s1)
    j fail
1:  EXPECT_EQ(s2, 6)
    EXPECT_REG(s4, s1)

    /* 9: wrs.nto and wrs.sto end at once, in M and in U with TW */
    li gp, 9
    .insn i 0x73, 0, x0, x0, 0x0d       /* wrs.nto */
    .insn i 0x73, 0, x0, x0, 0x1d       /* wrs.sto */
    PMP_ALLOW_ALL
    li t0, 1 << 21                      /* mstatus.TW */
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  .insn i 0x73, 0, x0, x0, 0x0d
    .insn i 0x73, 0, x0, x0, 0x1d
    ecall
1:  EXPECT_EQ(s2, 8)
    j pass

TEST_END
CATCH_HANDLERS

    .data
    .balign 16
mem:
    .skip 64

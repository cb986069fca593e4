/*
 * Misaligned loads, stores and atomics. The hart performs misaligned
 * loads and stores (Zicclsm), within a page and across a page boundary,
 * in every privilege mode; tests/system/misaligned.sh runs the full
 * matrix. Atomics still require natural alignment: AMO and SC raise
 * store/AMO address-misaligned (6), LR load address-misaligned (4), with
 * mtval = the address (privileged spec 3.1.16; the A extension allows an
 * access fault instead, hartvm chooses misaligned), and have no effect.
 * Priority (Table 3.7 "Synchronous exception priority"): misaligned may be
 * ranked above access faults; hartvm does so for atomics. A misaligned
 * load or store to an unmapped address is an access fault at the address.
 * buf[i] holds i * 0x11 mod 256 (0x00, 0x11, ..., 0xff, 0x10, 0x21, ...);
 * the expected values below are those bytes read little-endian.
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

/* Case n: load insn at buf + off gives expected (no trap). */
#define LD(n, insn, off, expected)          \
    li gp, n;                               \
    la a1, buf;                             \
    insn a0, off(a1);                       \
    EXPECT_EQ(a0, expected)

/* Case n: store insn of v at buf + off, then ld at buf + 8 * k gives the
 * doubleword expected; restore_buf puts the pattern back. */
#define ST(n, insn, off, v, k, expected)    \
    li gp, n;                               \
    la a1, buf;                             \
    li a0, v;                               \
    insn a0, off(a1);                       \
    ld a0, 8 * k(a1);                       \
    EXPECT_EQ(a0, expected);                \
    jal restore_buf

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    jal restore_buf

    /* 1: aligned accesses to buf work (and warm the TLB for the page) */
    LD(1, ld, 0, 0x7766554433221100)

    /* loads, at each misalignment (2-9) */
    LD(2, lh, 1, 0x2211)
    LD(3, lhu, 3, 0x4433)
    LD(4, lh, 7, 0xffffffffffff8877)
    LD(5, lw, 2, 0x55443322)
    LD(6, lw, 5, 0xffffffff88776655)
    LD(7, lwu, 7, 0xaa998877)
    LD(8, ld, 4, 0xbbaa998877665544)
    LD(9, ld, 7, 0xeeddccbbaa998877)

    /* stores (10-13): only the stored bytes change */
    ST(10, sh, 1, 0xabcd, 0, 0x7766554433abcd00)
    ST(11, sw, 3, 0x01020304, 0, 0x7701020304221100)
    ST(12, sd, 5, 0x0102030405060708, 0, 0x0607084433221100)
    ST(13, sd, 5, 0x0102030405060708, 1, 0xffeedd0102030405)

    /* compressed loads and stores (rd/rs1 in x8-x15) */
    li gp, 14
    la s0, buf
    addi s0, s0, 2
    c.lw a5, 0(s0)
    EXPECT_EQ(a5, 0x55443322)
    li gp, 15
    li a5, 0x0102030405060708
    .option push
    .option rvc
    c.sd a5, 8(s0)              /* buf + 10 */
    .option pop
    la a1, buf
    ld a5, 8(a1)
    EXPECT_EQ(a5, 0x304050607089988)
    ld a5, 16(a1)
    EXPECT_EQ(a5, 0x8776655443320102)
    jal restore_buf
    li gp, 16
    la s0, buf
    addi s0, s0, 3
    .option push
    .option rvc
    c.ld a5, 0(s0)
    .option pop
    EXPECT_EQ(a5, 0xaa99887766554433)

    /* atomics: AMO and SC -> 6, LR -> 4 */
    MIS(17, 6, 2, amoadd.w a0, a0, (a1))
    MIS(18, 6, 4, amoswap.d a0, a0, (a1))
    MIS(19, 6, 1, amoor.w a0, a0, (a1))
    MIS(20, 4, 2, lr.w a0, (a1))
    MIS(21, 4, 4, lr.d a0, (a1))
    MIS(22, 6, 2, sc.w a0, a0, (a1))
    MIS(23, 6, 4, sc.d a0, a0, (a1))
    LD(24, ld, 0, 0x7766554433221100)

    /* 25-27: misaligned and unmapped: an access fault, tval the address */
    li gp, 25
    li a1, UNMAPPED + 2
    la s11, 1f
i25: sw a0, 0(a1)
    j fail
1:  EXPECT_MIS(7, i25, a1)
    li gp, 26
    li a1, UNMAPPED + 1
    la s11, 1f
i26: lw a0, 0(a1)
    j fail
1:  EXPECT_MIS(5, i26, a1)
    /* ... but an AMO reports misaligned first */
    li gp, 27
    li a1, UNMAPPED + 4
    la s11, 1f
i27: amoadd.d a0, a0, (a1)
    j fail
1:  EXPECT_MIS(6, i27, a1)

    /* 28: from U, a misaligned load is performed */
    li gp, 28
    la a1, buf
    addi a1, a1, 3
    la s11, 1f
    ENTER_MODE(0, i28)
i28: lw a0, 0(a1)
    ecall
1:  EXPECT_EQ(s2, 8)
    EXPECT_EQ(a0, 0x66554433)
    /* 29: a misaligned AMO from U, delegated to S (medeleg[6]): stval */
    li gp, 29
    li t0, 1 << 6
    csrw medeleg, t0
    la s10, 1f
    ENTER_MODE(0, i29)
i29: amoswap.w a0, a0, (a1)
    j fail
1:  EXPECT_EQ(s6, 6)
    EXPECT_ADDR(s7, i29)
    EXPECT_REG(s8, a1)
    la s11, 2f
    ecall
    j fail
2:  EXPECT_EQ(s2, 9)
    csrw medeleg, zero

    /* 30: across a page end: the bytes of both pages */
    li gp, 30
    la a1, buf
    li t0, 4096 - 4
    add a1, a1, t0
    ld a0, 0(a1)
    /* bytes 4092..4099 of the pattern: 0xbc 0xcd 0xde 0xef 0x00 0x11 0x22 0x33 */
    EXPECT_EQ(a0, 0x33221100efdecdbc)

    j pass

/* buf[i] = i * 0x11 mod 256 over both pages (clobbers t0-t4) */
restore_buf:
    la t0, buf
    li t1, 0
    li t2, 8192
1:  slli t3, t1, 4
    add t3, t3, t1
    add t4, t0, t1
    sb t3, 0(t4)
    addi t1, t1, 1
    bne t1, t2, 1b
    ret
TEST_END
CATCH_HANDLERS

    .data
    .balign 4096
buf:
    .zero 8192

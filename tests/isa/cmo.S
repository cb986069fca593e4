/*
 * Zicbom and Zicboz (unprivileged spec, "CMO"): 64-byte blocks; cbo.zero
 * stores zeros to the whole block holding rs1 (code included: the decoded
 * copy goes too); cbo.clean/flush/inval change nothing here but are
 * checked like cbo.zero: menvcfg enables them in S and U, senvcfg in U
 * (CBIE bits 5:4, 10 reserved; CBCFE bit 6; CBZE bit 7); a block that may
 * be loaded is enough for the management ops, cbo.zero needs a store;
 * faults are store faults naming rs1 itself.
 * QEMU 7.2's riscv,isa lists neither; -cpu max has them:
 */
# hartvm-args: -cpu max
#include "harness.h"
    .option arch, +zicbom, +zicboz

#define CBIE_INVAL (3 << 4)
#define CBCFE (1 << 6)
#define CBZE (1 << 7)
#define ALL (CBIE_INVAL | CBCFE | CBZE)

TEST_BEGIN
    CATCH_INIT
    /* PMP 0: buf_ro (64 bytes) read-only for S/U; 1: everything else */
    la t0, buf_ro
    srli t0, t0, 2
    ori t0, t0, 7                       /* NAPOT, 64 bytes */
    csrw pmpaddr0, t0
    li t0, -1
    csrw pmpaddr1, t0
    li t0, (0x1f << 8) | 0x19           /* 1: NAPOT RWX; 0: NAPOT R */
    csrw pmpcfg0, t0

    /* 1: the envcfg fields: writable, CBIE = 10 reads as 00 */
    li gp, 1
    li t0, ALL
    csrw menvcfg, t0
    csrr a0, menvcfg
    EXPECT_EQ(a0, ALL)
    li t0, 2 << 4
    csrw menvcfg, t0
    csrr a0, menvcfg
    EXPECT_EQ(a0, 0)
    li t0, ALL
    csrw senvcfg, t0
    csrr a0, senvcfg
    EXPECT_EQ(a0, ALL)

    /* 2: cbo.zero in M zeros the 64 bytes holding rs1, not one more */
    li gp, 2
    la a1, buf
    li t0, -1
    li t1, 0
1:  add t2, a1, t1
    sd t0, 0(t2)
    addi t1, t1, 8
    li t2, 192
    bne t1, t2, 1b
    addi a2, a1, 64 + 13
    cbo.zero (a2)
    ld a0, 56(a1)
    EXPECT_EQ(a0, -1)
    ld a0, 64(a1)
    EXPECT_EQ(a0, 0)
    ld a0, 120(a1)
    EXPECT_EQ(a0, 0)
    ld a0, 128(a1)
    EXPECT_EQ(a0, -1)

    /* 3: clean, flush and inval change nothing */
    li gp, 3
    addi a2, a1, 130
    cbo.clean (a2)
    cbo.flush (a2)
    cbo.inval (a2)
    ld a0, 128(a1)
    EXPECT_EQ(a0, -1)

    /* 4: in S with menvcfg = 0 each is illegal (mtval: the instruction) */
    li gp, 4
    csrw menvcfg, zero
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  cbo.zero (a1)
    j fail
1:  EXPECT_EQ(s2, 2)
    li t0, 0x0045a00f                   /* cbo.zero (a1) */
    EXPECT_REG(s4, t0)
    li gp, 5
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  cbo.clean (a1)
    j fail
1:  EXPECT_EQ(s2, 2)
    li gp, 6
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  cbo.inval (a1)
    j fail
1:  EXPECT_EQ(s2, 2)

    /* 7: enabled in menvcfg, S runs them; U still needs senvcfg */
    li gp, 7
    li t0, ALL
    csrw menvcfg, t0
    csrw senvcfg, zero
    li t0, -1
    sd t0, 0(a1)
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  cbo.zero (a1)
    cbo.clean (a1)
    cbo.inval (a1)
    ecall
1:  EXPECT_EQ(s2, 9)
    ld a0, 0(a1)
    EXPECT_EQ(a0, 0)
    li gp, 8
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  cbo.flush (a1)
    j fail
1:  EXPECT_EQ(s2, 2)
    li gp, 9
    li t0, CBCFE
    csrw senvcfg, t0
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  cbo.flush (a1)
    ecall
1:  EXPECT_EQ(s2, 8)

    /* 10: a read-only block (PMP): clean is allowed in S, zero is a
     * store access fault naming rs1 */
    li gp, 10
    la a2, buf_ro
    addi a2, a2, 5
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  cbo.clean (a2)
    cbo.zero (a2)
    j fail
1:  EXPECT_EQ(s2, 7)
    EXPECT_REG(s4, a2)

    /* 11: where there is no memory: store access fault, mtval = rs1 */
    li gp, 11
    li a2, 0x105
    la s11, 1f
2:  cbo.zero (a2)
    j fail
1:  EXPECT_EQ(s2, 7)
    EXPECT_EQ(s4, 0x105)

    /* 12: code run, then zeroed by cbo.zero: the decoded copy goes too,
     * and the zeros are an illegal instruction */
    li gp, 12
    la a1, code
    li t0, 0x00500513                   /* li a0, 5 */
    sw t0, 0(a1)
    li t0, 0x00008067                   /* ret */
    sw t0, 4(a1)
    fence.i
    li a0, 0
    jalr a1
    EXPECT_EQ(a0, 5)
    cbo.zero (a1)
    fence.i
    la s11, 1f
    jalr a1
    j fail
1:  EXPECT_EQ(s2, 2)
    EXPECT_REG(s3, a1)
    j pass

TEST_END
CATCH_HANDLERS

    .data
    .balign 64
buf:
    .skip 192
    .balign 64
buf_ro:
    .skip 64
    .balign 4096                        /* a page of its own: PMP splits buf_ro's */
code:
    .skip 64

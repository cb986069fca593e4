/*
 * Access faults (privileged spec 3.1.15 Table 3.6, 3.1.16 mtval, 3.6
 * "Physical Memory Attributes", 3.7.1 PMP): a load, store/AMO or fetch at
 * a physical address with no memory or device behind it raises 5, 7 or 1
 * with mtval = the faulting address; stores to ROM are store access
 * faults; an S/U access that matches no PMP entry fails.
 * 0x4000_0000 is unmapped on hartvm's board (QEMU puts PCIe MMIO there).
 */
#include "harness.h"

#define UNMAPPED 0x40000000
#define BOOTROM  0x1000

/* Case n: insn with base a1 = addr traps with cause c, mtval = addr. */
#define FAULT(n, c, addr, ...)              \
    li gp, n;                               \
    li a1, addr;                            \
    li a0, 0x5a5a;                          \
    la s11, 1f;                             \
88: __VA_ARGS__;                            \
    j fail;                                 \
1:  EXPECT_EQ(s2, c);                       \
    EXPECT_ADDR(s3, 88b);                   \
    EXPECT_REG(s4, a1);                     \
    EXPECT_EQ(a0, 0x5a5a)

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    FAULT(1, 5, UNMAPPED, lw a0, 0(a1))
    FAULT(2, 5, UNMAPPED + 0x100, ld a0, 0(a1))
    FAULT(3, 5, UNMAPPED + 3, lb a0, 0(a1))
    FAULT(4, 7, UNMAPPED, sw a0, 0(a1))
    FAULT(5, 7, UNMAPPED + 0x7ff8, sd a0, 0(a1))
    FAULT(6, 7, UNMAPPED + 1, sb a0, 0(a1))
    FAULT(7, 7, UNMAPPED, amoadd.w a0, a0, (a1))
    FAULT(8, 7, UNMAPPED, sc.d a0, a0, (a1))
    FAULT(9, 5, UNMAPPED, lr.w a0, (a1))
    /* 10: the address is rs1 + offset */
    li gp, 10
    li a1, UNMAPPED
    la s11, 1f
    lw a0, 0x10(a1)
    j fail
1:  EXPECT_EQ(s2, 5)
    EXPECT_EQ(s4, UNMAPPED + 0x10)
    /* 11-12: other holes: address 0, and far above DRAM */
    FAULT(11, 5, 0, lw a0, 0(a1))
    FAULT(12, 7, 0x100000000000, sd a0, 0(a1))

    /* 13: the boot ROM is readable but not writable */
    li gp, 13
    li a1, BOOTROM
    lw a2, 0(a1)
    beqz a2, fail                  /* the reset code is there */
    FAULT(14, 7, BOOTROM, sw a0, 0(a1))
    FAULT(15, 7, BOOTROM + 8, amoswap.d a0, a0, (a1))
    li gp, 16
    li a1, BOOTROM
    lw a3, 0(a1)
    EXPECT_REG(a3, a2)             /* unchanged */

    /* 17: instruction fetch from an unmapped address: cause 1, mepc =
     * mtval = the target */
    li gp, 17
    li a1, UNMAPPED
    la s11, 1f
    jr a1
    j fail
1:  EXPECT_EQ(s2, 1)
    EXPECT_REG(s3, a1)
    EXPECT_REG(s4, a1)
    /* 18: a jump into a device (the CLINT) cannot fetch either */
    li gp, 18
    li a1, 0x2000000
    la s11, 1f
    jalr ra, a1
    j fail
1:  EXPECT_EQ(s2, 1)
    EXPECT_REG(s4, a1)
    /* 19: fetch fault from U: MPP = U */
    li gp, 19
    li a1, UNMAPPED + 0x40
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  jr a1
    j fail
1:  EXPECT_EQ(s2, 1)
    EXPECT_REG(s4, a1)
    EXPECT_BITS(s5, 3 << 11, 0)
    /* 21: a load fault delegated to S from U: stval = address */
    li gp, 21
    li t0, 1 << 5
    csrw medeleg, t0
    li a1, UNMAPPED + 8
    la s10, 1f
    ENTER_MODE(0, 2f)
2:  ld a0, 0(a1)
    j fail
1:  EXPECT_EQ(s6, 5)
    EXPECT_REG(s8, a1)
    la s11, 2f
    ecall
    j fail
2:  csrw medeleg, zero

    /* 22: PMP: with every entry off, a U fetch matches nothing and faults
     * (3.7.1: S/U accesses fail when no entry matches), while M is fine */
    li gp, 22
    csrw pmpcfg0, zero
    la s11, 1f
    ENTER_MODE(0, i22)
i22: nop
    j fail
1:  EXPECT_EQ(s2, 1)
    EXPECT_ADDR(s4, i22)
    /* 23: an S load whose only matching entry grants X but not R */
    li gp, 23
    la a1, data
    lw a2, 0(a1)                    /* M: entries do not bind it */
    li t1, -1
    csrw pmpaddr1, t1
    li t0, 0x1c << 8                /* entry 0 off; entry 1 NAPOT all, X */
    csrw pmpcfg0, t0
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  lw a0, 0(a1)                    /* the fetch is fine, the load not */
    j fail
1:  EXPECT_EQ(s2, 5)
    EXPECT_REG(s4, a1)
    EXPECT_BITS(s5, 3 << 11, 1 << 11)
    csrw pmpcfg0, zero
    PMP_ALLOW_ALL

    j pass
TEST_END
CATCH_HANDLERS

    .data
data:
    .word 0x12345678

/*
 * MRET and SRET (privileged spec 3.1.6.1 "Privilege and Global Interrupt-
 * Enable Stack", 3.3.2 "Trap-Return Instructions"): xRET sets the
 * privilege to xPP, xIE <- xPIE, xPIE <- 1, xPP <- U (the least-privileged
 * mode), and clears MPRV when the new mode is not M (3.1.6.3). pc <- xepc.
 */
#include "harness.h"

#define MIE   (1 << 3)
#define MPIE  (1 << 7)
#define MPP   (3 << 11)
#define MPRV  (1 << 17)
#define SIE   (1 << 1)
#define SPIE  (1 << 5)
#define SPP   (1 << 8)

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    csrw mie, zero                  /* MIE toggles below take nothing */

    /* 1: mret to M with MPIE = 0, MIE = 1: MIE <- 0, MPIE <- 1, MPP <- U */
    li gp, 1
    li t0, MIE
    csrs mstatus, t0
    li t0, MPIE
    csrc mstatus, t0
    ENTER_MODE(3, 2f)
2:  csrr a0, mstatus
    EXPECT_BITS(a0, MIE | MPIE | MPP, MPIE)
    /* 2: mret to M with MPIE = 1, MIE = 0: MIE <- 1 */
    li gp, 2
    li t0, MPIE
    csrs mstatus, t0
    li t0, MIE
    csrc mstatus, t0
    ENTER_MODE(3, 2f)
2:  csrr a0, mstatus
    EXPECT_BITS(a0, MIE | MPIE | MPP, MIE | MPIE)
    li t0, MIE
    csrc mstatus, t0

    /* 3: mret jumps to mepc exactly */
    li gp, 3
    la t0, 2f
    csrw mepc, t0
    li t0, MPP
    csrs mstatus, t0
    mret
    j fail
2:
    /* 4: mret to M keeps MPRV */
    li gp, 4
    li t0, MPRV
    csrs mstatus, t0
    li t0, MPP
    csrs mstatus, t0                /* MPP = M: data accesses stay M */
    ENTER_MODE(3, 2f)
2:  csrr a0, mstatus
    li t0, MPRV
    csrc mstatus, t0
    EXPECT_BITS(a0, MPRV, MPRV)

    /* 5: mret to S clears MPRV; the mode is S (ecall -> 9, MPP = S) */
    li gp, 5
    li t0, MPRV
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_BITS(s5, MPRV | MPP, 1 << 11)
    /* 6: mret to U clears MPRV; the mode is U */
    li gp, 6
    li t0, MPRV
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  ecall
    j fail
1:  EXPECT_EQ(s2, 8)
    EXPECT_BITS(s5, MPRV | MPP, 0)
    /* 7: MIE <- MPIE also when going to U: after mret with MPIE = 1 the
     * trap from U finds MIE = 1 and stacks it into MPIE */
    li gp, 7
    li t0, MPIE
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  ecall
    j fail
1:  EXPECT_BITS(s5, MIE | MPIE, MPIE)

    /* 8: sret from M to S: SIE <- SPIE, SPIE <- 1, SPP <- U; the new
     * mode is S; MPRV cleared (the new mode is not M) */
    li gp, 8
    li t0, SPP | SPIE
    csrs mstatus, t0
    li t0, SIE
    csrc mstatus, t0
    li t0, MPRV | MPP
    csrs mstatus, t0
    la t0, 2f
    csrw sepc, t0
    la s11, 1f
    sret
    j fail
2:  csrr a0, sstatus
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_BITS(a0, SIE | SPIE | SPP, SIE | SPIE)
    EXPECT_BITS(s5, MPRV, 0)
    /* 9: sret from M with SPP = U goes to U; SPIE = 0 -> SIE = 0 */
    li gp, 9
    li t0, SPP | SPIE | SIE
    csrc mstatus, t0
    la t0, 2f
    csrw sepc, t0
    la s11, 1f
    sret
    j fail
2:  ecall
    j fail
1:  EXPECT_EQ(s2, 8)
    csrr a0, mstatus
    EXPECT_BITS(a0, SIE | SPIE | SPP, SPIE)

    /* 10: sret in S with SPP = S stays in S; with SPP = U drops to U */
    li gp, 10
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  li t0, SPP
    csrs sstatus, t0
    la t0, 3f
    csrw sepc, t0
    sret
    j fail
3:  csrr a0, sstatus            /* legal only in S */
    EXPECT_BITS(a0, SPP, 0)     /* SPP <- U */
    la t0, 4f
    csrw sepc, t0
    sret                        /* SPP = U now */
    j fail
4:  ecall
    j fail
1:  EXPECT_EQ(s2, 8)
    EXPECT_BITS(s5, MPP, 0)

    /* 11: sret does not touch MIE: with MIE = 1 (mie = 0) an sret to S
     * then an ecall stacks MPIE = 1 */
    li gp, 11
    li t0, MIE
    csrs mstatus, t0
    la t0, 2f
    csrw sepc, t0
    li t0, SPP
    csrs mstatus, t0
    la s11, 1f
    sret
    j fail
2:  ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_BITS(s5, MIE | MPIE, MPIE)
    /* mret from M with MPP = S and SPIE/SIE set: S fields untouched */
    li gp, 12
    li t0, SPIE | SIE
    csrs mstatus, t0
    li t0, SPP
    csrc mstatus, t0
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, sstatus
    ecall
    j fail
1:  EXPECT_BITS(a0, SIE | SPIE | SPP, SIE | SPIE)
    li t0, SIE | SPIE
    csrc mstatus, t0

    /* 13: xepc bit 0 is always zero (IALIGN = 16): mret to an odd mepc
     * lands on the even address */
    li gp, 13
    la t0, 2f
    addi t0, t0, 1
    csrw mepc, t0
    csrr a0, mepc
    la t1, 2f
    EXPECT_REG(a0, t1)
    li t0, MPP
    csrs mstatus, t0
    mret
    j fail
2:
    /* 14: sret to an odd sepc likewise */
    li gp, 14
    la t0, 2f
    addi t0, t0, 1
    csrw sepc, t0
    csrr a0, sepc
    la t1, 2f
    EXPECT_REG(a0, t1)
    li t0, SPP
    csrs mstatus, t0
    la s11, 1f
    sret
    j fail
2:  ecall
    j fail
1:  EXPECT_EQ(s2, 9)

    j pass
TEST_END
CATCH_HANDLERS

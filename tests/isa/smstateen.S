/*
 * Smstateen/Ssstateen (privileged spec, "Smstateen"): mstateenN bit 63
 * (SE) opens sstateenN to S, mstateen0 bit 62 (ENVCFG) opens senvcfg;
 * the other bits guard state hartvm does not have and read 0, as do the
 * sstateenN. QEMU 7.2 has no Smstateen; -cpu max does:
 */
# hartvm-args: -cpu max
#include "harness.h"
    .option arch, +smstateen

#define SE (1 << 63)
#define ENVCFG (1 << 62)

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    /* 1: the writable bits */
    li gp, 1
    li t0, -1
    csrw mstateen0, t0
    csrr a0, mstateen0
    EXPECT_EQ(a0, SE | ENVCFG)
    csrw mstateen1, t0
    csrr a0, mstateen1
    EXPECT_EQ(a0, SE)
    csrw mstateen3, t0
    csrr a0, mstateen3
    EXPECT_EQ(a0, SE)

    /* 2: sstateen0 holds nothing, even from M */
    li gp, 2
    csrw sstateen0, t0
    csrr a0, sstateen0
    EXPECT_EQ(a0, 0)

    /* 3: with mstateen0 = 0, S may reach neither senvcfg nor sstateen0 */
    li gp, 3
    csrw mstateen0, zero
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, senvcfg
    j fail
1:  EXPECT_EQ(s2, 2)
    li gp, 4
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, sstateen0
    j fail
1:  EXPECT_EQ(s2, 2)

    /* 5: opened, both read in S */
    li gp, 5
    li t0, SE | ENVCFG
    csrw mstateen0, t0
    li t0, 1
    csrw senvcfg, t0                    /* FIOM */
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, senvcfg
    csrr a1, sstateen0
    ecall
1:  EXPECT_EQ(s2, 9)
    EXPECT_EQ(a0, 1)
    EXPECT_EQ(a1, 0)

    /* 6: each sstateenN has its own SE: mstateen2 closed, sstateen2 traps */
    li gp, 6
    csrw mstateen2, zero
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, sstateen2
    j fail
1:  EXPECT_EQ(s2, 2)

    /* 7: U never reaches sstateen0 (an S-level CSR) */
    li gp, 7
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  csrr a0, sstateen0
    j fail
1:  EXPECT_EQ(s2, 2)
    j pass

TEST_END
CATCH_HANDLERS

/*
 * Counters (Zicntr; privileged spec 3.1.10 "Hardware Performance
 * Monitor", 3.1.11 mcounteren, 3.1.12 mcountinhibit, 4.1.5 scounteren):
 *   - cycle/time/instret are readable in M; in S only with the mcounteren
 *     bit, in U only with both the mcounteren and scounteren bits,
 *     otherwise illegal instruction.
 *   - a CSR read returns the count before the reading instruction; a value
 *     written to instret is the value read by the next instruction
 *     (Zicsr, "CSR Access Ordering").
 *   - mcountinhibit.IR/CY stop minstret/mcycle; TM (bit 1) is read-only 0.
 *   - the default pmu-num=16 (QEMU 7.2's) gives mhpmcounter3..18; with event
 *     0 (none) one holds what is written; mhpmcounter19..31 and their
 *     mhpmevents are read-only 0 (privileged spec 3.1.10); without
 *     Sscofpmf and Smcntrpmf (rv64's default) their CSRs and bits are not
 *     there. tests/isa/pmu.S has the events.
 */
#include "harness.h"

#define CLINT_MTIME 0x200bff8

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    csrw mcountinhibit, zero

    /* 1: cycle, time, instret readable in M and counting */
    li gp, 1
    rdcycle a0
    rdtime a1
    rdinstret a2
    li t0, 20000
2:  addi t0, t0, -1
    bnez t0, 2b
    rdcycle a3
    rdtime a4
    rdinstret a5
    bgeu a0, a3, fail
    bgeu a1, a4, fail
    bgeu a2, a5, fail
    /* 2: time matches the CLINT's mtime: time <= mtime <= time */
    li gp, 2
    li t0, CLINT_MTIME
    rdtime a0
    ld a1, 0(t0)
    rdtime a2
    bltu a1, a0, fail
    bltu a2, a1, fail

    /* 3: minstret counts exactly: the read itself + 3 nops = 4 */
    li gp, 3
    csrr a0, minstret
    nop
    nop
    addi zero, zero, 0
    csrr a1, minstret
    sub a1, a1, a0
    EXPECT_EQ(a1, 4)
    /* 4: same through instret */
    li gp, 4
    rdinstret a0
    nop
    nop
    nop
    rdinstret a1
    sub a1, a1, a0
    EXPECT_EQ(a1, 4)
    /* 5: a taken branch and a jump count once each */
    li gp, 5
    csrr a0, minstret
    j 2f
    nop
2:  beqz zero, 3f
    nop
3:  csrr a1, minstret
    sub a1, a1, a0
    EXPECT_EQ(a1, 3)

    /* 6: the value written to minstret is what the next instruction reads */
    li gp, 6
    li t0, 1000
    csrw minstret, t0
    csrr a0, minstret
    EXPECT_EQ(a0, 1000)
    /* 7: ... and it counts on from there: write, nop, nop, read = +2 */
    li gp, 7
    li t0, 5000
    csrw minstret, t0
    nop
    nop
    csrr a0, minstret
    EXPECT_EQ(a0, 5002)
    /* 8: csrrw returns the old count and writes the new */
    li gp, 8
    li t0, 77
    csrw minstret, t0
    li t0, 200
    csrrw a0, minstret, t0          /* old = 77 + 1 (the li) */
    csrr a1, minstret
    EXPECT_EQ(a0, 78)
    EXPECT_EQ(a1, 200)
    /* 9: mcycle written reads back close to the value written */
    li gp, 9
    li t0, 1 << 40
    csrw mcycle, t0
    csrr a0, mcycle
    sub a0, a0, t0
    li t1, 16
    bgeu a0, t1, fail

    /* 10: mcountinhibit: CY and IR writable, TM read-only 0 */
    li gp, 10
    li t0, 7
    csrw mcountinhibit, t0
    csrr a0, mcountinhibit
    csrw mcountinhibit, zero
    EXPECT_BITS(a0, 7, 5)
    /* 11: IR = 1 stops minstret (and instret) */
    li gp, 11
    csrwi mcountinhibit, 4
    csrr a0, minstret
    nop
    nop
    nop
    csrr a1, minstret
    rdinstret a2
    csrwi mcountinhibit, 0
    EXPECT_REG(a0, a1)
    EXPECT_REG(a0, a2)
    /* 12: it counts again once IR = 0 */
    li gp, 12
    csrr a0, minstret
    nop
    csrr a1, minstret
    sub a1, a1, a0
    EXPECT_EQ(a1, 2)
    /* 13: CY = 1 stops mcycle */
    li gp, 13
    csrwi mcountinhibit, 1
    csrr a0, mcycle
    nop
    nop
    csrr a1, mcycle
    csrwi mcountinhibit, 0
    EXPECT_REG(a0, a1)
    /* 14: an inhibited minstret can still be written */
    li gp, 14
    csrwi mcountinhibit, 4
    li t0, 3000
    csrw minstret, t0
    nop
    csrr a0, minstret
    csrwi mcountinhibit, 0
    EXPECT_EQ(a0, 3000)

    /* 15: mhpmcounter3 (event 0: counts nothing) holds 5; counters past
     * pmu-num and their events read 0 */
    li gp, 15
    csrw mhpmevent3, zero
    li t0, 5
    csrw mhpmcounter3, t0
    csrw mhpmcounter19, t0
    csrw mhpmevent19, t0
    nop
    csrr a0, mhpmcounter3
    csrr a2, hpmcounter3
    EXPECT_EQ(a0, 5)
    EXPECT_EQ(a2, 5)
    csrr a1, mhpmcounter19
    csrr a3, hpmcounter31
    csrr a4, mhpmevent19
    or a1, a1, a3
    or a1, a1, a4
    EXPECT_EQ(a1, 0)

    /* 16-18: from S with mcounteren = 0: cycle, time, instret illegal,
     * mtval = the instruction */
    csrw mcounteren, zero
    li gp, 16
    la s11, 1f
    ENTER_MODE(1, i16)
i16: rdcycle a0
    j fail
1:  EXPECT_EQ(s2, 2)
    EXPECT_ADDR(s3, i16)
    li t0, 0xc0002573               /* csrrs a0, cycle, zero */
    EXPECT_REG(s4, t0)
    li gp, 17
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  rdtime a0
    j fail
1:  EXPECT_EQ(s2, 2)
    li gp, 18
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  rdinstret a0
    j fail
1:  EXPECT_EQ(s2, 2)
    /* 19: mcounteren = CY only: cycle legal in S, instret not */
    li gp, 19
    csrwi mcounteren, 1
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  rdcycle a0
    rdinstret a0
    j fail
1:  EXPECT_EQ(s2, 2)
    /* 20: mcounteren = 7: all three legal in S, and hpmcounter3 not */
    li gp, 20
    csrwi mcounteren, 7
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  rdcycle a0
    rdtime a0
    rdinstret a0
    csrr a0, hpmcounter3
    j fail
1:  EXPECT_EQ(s2, 2)
    /* 21: hpmcounter3 with its mcounteren bit reads mhpmcounter3 in S */
    li gp, 21
    csrw mhpmcounter3, zero
    csrwi mcounteren, 8
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  li a0, -1
    csrr a0, hpmcounter3
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_EQ(a0, 0)

    /* 22: U with mcounteren = 7, scounteren = 0: illegal */
    li gp, 22
    csrwi mcounteren, 7
    csrwi scounteren, 0
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  rdcycle a0
    j fail
1:  EXPECT_EQ(s2, 2)
    EXPECT_BITS(s5, 3 << 11, 0)
    /* 23: U with mcounteren = 0, scounteren = 7: illegal */
    li gp, 23
    csrwi mcounteren, 0
    csrwi scounteren, 7
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  rdtime a0
    j fail
1:  EXPECT_EQ(s2, 2)
    /* 24: U with both: legal; instret counts in U too */
    li gp, 24
    csrwi mcounteren, 7
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  rdcycle a0
    rdtime a0
    rdinstret a0
    nop
    rdinstret a1
    ecall
    j fail
1:  EXPECT_EQ(s2, 8)
    sub a1, a1, a0
    EXPECT_EQ(a1, 2)
    /* 25: scounteren only partly set: TM missing -> rdtime illegal in U */
    li gp, 25
    csrwi scounteren, 5
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  rdcycle a0
    rdinstret a0
    rdtime a0
    j fail
1:  EXPECT_EQ(s2, 2)
    /* 26: mcounteren/scounteren are readable and hold what was written */
    li gp, 26
    csrr a0, mcounteren
    csrr a1, scounteren
    EXPECT_EQ(a0, 7)
    EXPECT_EQ(a1, 5)
    /* 27: the M counters stay M-only whatever mcounteren says */
    li gp, 27
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, minstret
    j fail
1:  EXPECT_EQ(s2, 2)

    /* 28: a trapping instruction does not retire: ecall from M between two
     * reads, into a handler of 4 instructions (the mret retires) */
    li gp, 28
    la t0, 3f
    csrw mtvec, t0
    csrr a0, minstret
    ecall
    csrr a1, minstret
    sub a1, a1, a0
    EXPECT_EQ(a1, 5)                /* csrr a0 + 4 in the handler */
    la t0, m_catch
    csrw mtvec, t0

    /* 29-32: QEMU 7.2's rv64 has no Sscofpmf or Smcntrpmf: scountovf and
     * minstretcfg (0x322) are illegal, mhpmevent3's bits 63:56 and the
     * LCOFI bit 13 of mip, mie, mideleg are read-only 0 */
    li gp, 29
    la s11, 1f
    csrr a0, scountovf
    j fail
1:  EXPECT_EQ(s2, 2)
    li gp, 30
    la s11, 1f
    csrr a0, 0x322
    j fail
1:  EXPECT_EQ(s2, 2)
    li gp, 31
    li t0, -1
    csrw mhpmevent3, t0
    csrr a0, mhpmevent3
    csrw mhpmevent3, zero
    li t0, 0x00ffffffffffffff
    EXPECT_REG(a0, t0)
    li gp, 32
    li t0, 1 << 13
    csrs mie, t0
    csrs mideleg, t0
    csrs mip, t0
    csrr a0, mie
    csrr a1, mideleg
    csrr a2, mip
    or a0, a0, a1
    or a0, a0, a2
    EXPECT_BITS(a0, 1 << 13, 0)

    j pass
TEST_END
CATCH_HANDLERS
    .balign 4
3:  csrr t0, mepc
    addi t0, t0, 4
    csrw mepc, t0
    mret

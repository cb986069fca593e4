/*
 * Interrupts (privileged spec 3.1.6.1 global enables, 3.1.7 mtvec modes,
 * 3.1.9 mip/mie and priority, 3.3.3 WFI, 4.1.3 sip/sie, 4.1.2 stvec) with
 * the CLINT of the virt board as the M timer and M software source:
 *   - an interrupt for M is taken in M only when MIE = 1, and always when
 *     the hart is in S or U; one delegated to S is taken in U always, in
 *     S when SIE = 1, and never in M.
 *   - simultaneous interrupts for M: MEI > MSI > MTI > SEI > SSI > STI.
 *   - vectored mode: interrupts go to base + 4 * cause, exceptions to base.
 *   - WFI resumes on a pending enabled interrupt even with MIE = 0; when
 *     the interrupt is taken, xepc is the instruction after the WFI.
 */
#include "harness.h"

#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8
#define IRQ            (1 << 63)
#define SSI (1 << 1)
#define MSI (1 << 3)
#define STI (1 << 5)
#define MTI (1 << 7)
#define SEI (1 << 9)
#define MIE  (1 << 3)
#define SIE  (1 << 1)
#define MPIE (1 << 7)
#define SPIE (1 << 5)
#define SPP  (1 << 8)
#define MPP  (3 << 11)

/* mtimecmp = mtime + ticks (10 MHz) */
#define TIMER_IN(ticks)                     \
    li t0, CLINT_MTIME;                     \
    ld t1, 0(t0);                           \
    li t2, ticks;                           \
    add t1, t1, t2;                         \
    li t0, CLINT_MTIMECMP;                  \
    sd t1, 0(t0);
#define TIMER_OFF                           \
    li t0, CLINT_MTIMECMP;                  \
    li t1, -1;                              \
    sd t1, 0(t0);

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    csrw mie, zero
    csrw mip, zero
    csrw mideleg, zero
    csrw medeleg, zero
    TIMER_OFF

    /* 1: SSIP set by M, enabled in mie, MIE = 0: pending, not taken */
    li gp, 1
    li t0, SSI
    csrw mie, t0
    csrs mip, t0
    nop
    nop
    csrr a0, mip
    EXPECT_BITS(a0, SSI, SSI)
    /* 2: MIE = 1 takes it after the enabling instruction: mcause, mepc =
     * the next instruction, mtval = 0, MPIE = 1, MIE = 0, MPP = M */
    li gp, 2
    li t0, 0x1234
    csrw mtval, t0
    la s11, 1f
    csrsi mstatus, MIE
i2: nop
    j fail
1:  EXPECT_EQ(s2, IRQ | 1)
    EXPECT_ADDR(s3, i2)
    EXPECT_EQ(s4, 0)
    EXPECT_BITS(s5, MIE | MPIE | MPP, MPIE | MPP)
    csrc mip, SSI
    csrw mie, zero

    /* 3-7: all five sources pending at once are taken in priority order
     * MSI, MTI, SEI, SSI, STI (each cleared at its source in turn) */
    li gp, 3
    li t0, 1
    li t1, CLINT_MSIP
    sw t0, 0(t1)                    /* MSIP */
    li t1, CLINT_MTIMECMP
    sd zero, 0(t1)                  /* MTIP: mtime >= 0 */
    li t1, 1000000                  /* (allow the timer to take effect) */
2:  csrr a0, mip
    andi a0, a0, MTI
    bnez a0, 2f
    addi t1, t1, -1
    bnez t1, 2b
2:
    li t0, SEI | SSI | STI
    csrs mip, t0
    csrr a0, mip
    EXPECT_EQ(a0, MSI | MTI | SEI | SSI | STI)
    li t0, MSI | MTI | SEI | SSI | STI
    csrw mie, t0
    la s11, 1f
    csrsi mstatus, MIE
    j fail
1:  EXPECT_EQ(s2, IRQ | 3)
    li t1, CLINT_MSIP
    sw zero, 0(t1)
    li gp, 4
    la s11, 1f
    csrsi mstatus, MIE
    j fail
1:  EXPECT_EQ(s2, IRQ | 7)
    TIMER_OFF
    li gp, 5
    la s11, 1f
    csrsi mstatus, MIE
    j fail
1:  EXPECT_EQ(s2, IRQ | 9)
    li t0, SEI
    csrc mip, t0
    li gp, 6
    la s11, 1f
    csrsi mstatus, MIE
    j fail
1:  EXPECT_EQ(s2, IRQ | 1)
    csrci mip, SSI
    li gp, 7
    la s11, 1f
    csrsi mstatus, MIE
    j fail
1:  EXPECT_EQ(s2, IRQ | 5)
    li t0, STI
    csrc mip, t0
    csrr a0, mip
    EXPECT_EQ(a0, 0)
    csrsi mstatus, MIE              /* nothing left pending */
    nop
    csrci mstatus, MIE

    /* 8: CLINT msip reads back and drives mip.MSIP */
    li gp, 8
    li t1, CLINT_MSIP
    li t0, 1
    sw t0, 0(t1)
    lw a0, 0(t1)
    csrr a1, mip
    sw zero, 0(t1)
    lw a2, 0(t1)
    csrr a3, mip
    EXPECT_EQ(a0, 1)
    EXPECT_BITS(a1, MSI, MSI)
    EXPECT_EQ(a2, 0)
    EXPECT_BITS(a3, MSI, 0)

    /* 9: a delegated interrupt is never taken in M, even with MIE = SIE = 1 */
    li gp, 9
    li t0, SSI
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    csrsi mstatus, MIE | SIE
    nop
    nop
    nop
    csrci mstatus, MIE | SIE
    /* 10: ... nor in S with SIE = 0; wfi there (TW = 0) is legal and
     * returns at once since SSIP is pending and enabled */
    li gp, 10
    la s10, 1f
    ENTER_MODE(1, 2f)
2:  nop
    wfi
    nop
    /* 11: S sets SIE: taken in S after that instruction: scause, sepc,
     * stval = 0, SPP = S, SPIE = 1, SIE = 0 */
    li gp, 11
    li t0, 0x1234
    csrw stval, t0
    csrsi sstatus, SIE
i11: nop
    j fail
1:  EXPECT_EQ(s6, IRQ | 1)
    EXPECT_ADDR(s7, i11)
    EXPECT_EQ(s8, 0)
    EXPECT_BITS(s9, SIE | SPIE | SPP, SPIE | SPP)
    /* 12: S sees and clears the delegated SSIP through sip */
    li gp, 12
    csrr a0, sip
    EXPECT_BITS(a0, SSI, SSI)
    csrci sip, SSI
    csrr a0, sip
    EXPECT_BITS(a0, SSI, 0)
    la s11, 1f
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)

    /* 13: a delegated interrupt pending in U is taken with SIE = 0 */
    li gp, 13
    csrsi mip, SSI
    la s10, 1f
    ENTER_MODE(0, i13)
i13: nop
    j fail
1:  EXPECT_EQ(s6, IRQ | 1)
    EXPECT_ADDR(s7, i13)
    EXPECT_BITS(s9, SIE | SPIE | SPP, 0)
    csrci sip, SSI
    la s11, 1f
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)

    /* 14: an M interrupt outranks a delegated one pending in U */
    li gp, 14
    csrsi mip, SSI
    li t0, SSI | MSI
    csrw mie, t0
    li t1, CLINT_MSIP
    li t0, 1
    sw t0, 0(t1)
    la s11, 1f
    ENTER_MODE(0, i14)
i14: nop
    j fail
1:  EXPECT_EQ(s2, IRQ | 3)
    EXPECT_ADDR(s3, i14)
    li t1, CLINT_MSIP
    sw zero, 0(t1)
    /* 15: then the delegated one goes to S */
    li gp, 15
    la s10, 1f
    ENTER_MODE(0, i14)
1:  EXPECT_EQ(s6, IRQ | 1)
    csrci sip, SSI
    la s11, 1f
    ecall
    j fail
1:  csrw mideleg, zero

    /* 16: an M interrupt is taken in S with MIE = 0 (MPIE = 0 so that
     * the mret into S leaves MIE = 0) */
    li gp, 16
    csrci mstatus, MIE
    li t0, MPIE
    csrc mstatus, t0
    li t0, SSI
    csrw mie, t0
    csrs mip, t0
    la s11, 1f
    ENTER_MODE(1, i16)
i16: nop
    j fail
1:  EXPECT_EQ(s2, IRQ | 1)
    EXPECT_ADDR(s3, i16)
    EXPECT_BITS(s5, MPP | MPIE, 1 << 11)     /* from S, where MIE was 0 */
    /* 17: ... and in U */
    li gp, 17
    li t0, MPIE
    csrc mstatus, t0
    la s11, 1f
    ENTER_MODE(0, i16)
1:  EXPECT_EQ(s2, IRQ | 1)
    EXPECT_BITS(s5, MPP | MPIE, 0)
    csrci mip, SSI
    /* 18: S cannot set an undelegated SSIP through sip (nor see it) */
    li gp, 18
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrsi sip, SSI
    csrr a0, sip
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_EQ(a0, 0)
    csrr a0, mip
    EXPECT_EQ(a0, 0)

    /* 19: STIP set by M and delegated (how M firmware forwards a timer)
     * is taken in S with SIE = 1; S cannot clear it through sip */
    li gp, 19
    li t0, STI
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    la s10, 1f
    ENTER_MODE(1, 2f)
2:  csrsi sstatus, SIE
    j fail
1:  EXPECT_EQ(s6, IRQ | 5)
    li t0, STI
    csrc sip, t0
    csrr a0, sip
    EXPECT_BITS(a0, STI, STI)
    la s11, 1f
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    li t0, STI
    csrc mip, t0
    csrw mideleg, zero

    /* 20: mtime advances; mtimecmp reads back */
    li gp, 20
    li t0, CLINT_MTIME
    ld a0, 0(t0)
    li t1, 100000
2:  addi t1, t1, -1
    bnez t1, 2b
    ld a1, 0(t0)
    bgeu a0, a1, fail
    li t0, CLINT_MTIMECMP
    li t1, 0x123456789abcdef
    sd t1, 0(t0)
    ld a2, 0(t0)
    EXPECT_REG(a2, t1)
    lw a3, 4(t0)                   /* high word alone */
    li t1, 0x01234567
    EXPECT_REG(a3, t1)
    TIMER_OFF
    csrr a0, mip
    EXPECT_BITS(a0, MTI, 0)

    /* 21: timer interrupt through wfi with MIE = 1: mcause 7, mepc = the
     * instruction after the wfi, mtime >= mtimecmp by then */
    li gp, 21
    li t0, MTI
    csrw mie, t0
    TIMER_IN(10000)                 /* 1 ms */
    mv s1, t1
    la s11, 1f
    csrsi mstatus, MIE
    wfi
i21: j fail
1:  EXPECT_EQ(s2, IRQ | 7)
    EXPECT_ADDR(s3, i21)
    li t0, CLINT_MTIME
    ld a0, 0(t0)
    bltu a0, s1, fail
    /* 22: mip.MTIP is read-only: clearing it by csr write has no effect */
    li gp, 22
    li t0, MTI
    csrc mip, t0
    csrr a0, mip
    EXPECT_BITS(a0, MTI, MTI)
    /* writing mtimecmp into the future clears it */
    TIMER_OFF
    csrr a0, mip
    EXPECT_BITS(a0, MTI, 0)

    /* 23: wfi with MIE = 0 wakes on the pending enabled timer, no trap */
    li gp, 23
    csrci mstatus, MIE
    TIMER_IN(10000)
    mv s1, t1
    wfi
    csrr a0, mip
    EXPECT_BITS(a0, MTI, MTI)
    li t0, CLINT_MTIME
    ld a0, 0(t0)
    bltu a0, s1, fail
    TIMER_OFF

    /* 24: the timer interrupts a loop in U (M interrupt, MIE = 0) */
    li gp, 24
    li t0, MPIE
    csrc mstatus, t0                /* MIE stays 0 in U */
    TIMER_IN(10000)
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  j 2b
1:  EXPECT_EQ(s2, IRQ | 7)
    EXPECT_BITS(s5, MPP | MPIE, 0)
    TIMER_OFF

    /* 25: vectored mtvec: an interrupt goes to base + 4 * cause */
    li gp, 25
    la t0, vtab
    ori t0, t0, 1
    csrw mtvec, t0
    csrr a0, mtvec
    EXPECT_REG(a0, t0)
    li t0, SSI
    csrw mie, t0
    csrs mip, t0
    la s11, 1f
    csrsi mstatus, MIE
    j fail
1:  EXPECT_EQ(a0, 1)               /* set by the slot */
    EXPECT_EQ(s2, IRQ | 1)
    csrci mip, SSI
    /* 26: MTI -> slot 7 */
    li gp, 26
    li t0, MTI
    csrw mie, t0
    TIMER_IN(1000)
    la s11, 1f
    csrsi mstatus, MIE
2:  j 2b
1:  EXPECT_EQ(a0, 7)
    EXPECT_EQ(s2, IRQ | 7)
    TIMER_OFF
    /* 27: exceptions still go to base (slot 0) */
    li gp, 27
    la s11, 1f
    ecall
    j fail
1:  EXPECT_EQ(a0, 0)
    EXPECT_EQ(s2, 11)
    la t0, m_catch
    csrw mtvec, t0

    /* 28: vectored stvec: a delegated SSI from U goes to base + 4 */
    li gp, 28
    la t0, svtab
    ori t0, t0, 1
    csrw stvec, t0
    li t0, SSI
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    la s10, 1f
    ENTER_MODE(0, 2f)
2:  j 2b
1:  EXPECT_EQ(a0, 101)
    EXPECT_EQ(s6, IRQ | 1)
    csrci sip, SSI
    la s11, 1f
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    /* 29: a delegated exception goes to the stvec base */
    li gp, 29
    li t0, 1 << 8
    csrw medeleg, t0
    la s10, 1f
    ENTER_MODE(0, 2f)
2:  ecall
    j fail
1:  EXPECT_EQ(a0, 100)
    EXPECT_EQ(s6, 8)
    la s11, 1f
    ecall
    j fail
1:  csrw medeleg, zero
    csrw mideleg, zero
    la t0, s_catch
    csrw stvec, t0

    csrw mie, zero
    j pass
TEST_END
CATCH_HANDLERS

/* Vector tables: one 4-byte jump per cause (no compressed jumps). */
    .option push
    .option norvc
    .balign 256
vtab:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    j vslot\n
    .endr
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
vslot\n:
    li a0, \n
    j m_catch
    .endr
    .balign 256
svtab:
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    j sslot\n
    .endr
    .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
sslot\n:
    li a0, 100 + \n
    j s_catch
    .endr
    .option pop

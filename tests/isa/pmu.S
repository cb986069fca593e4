/*
 * Hardware performance counters with Sscofpmf and Smcntrpmf (privileged
 * spec 3.1.10 "Hardware Performance Monitor", 3.1.12 mcountinhibit;
 * chapters "Sscofpmf" and "Smcntrpmf"), on QEMU 7.2's default pmu-num=16
 * (mhpmcounter3..18), with the SBI PMU event numbers the device tree maps:
 *   - event 2 (instructions) counts retired instructions exactly; a value
 *     written is what the next instruction reads; event 1 (cycles)
 *     advances; an event that is not one counts nothing; mcountinhibit
 *     bit N stops counter N
 *   - MINH/SINH/UINH stop counting in M/S/U; xRET counts in the mode it
 *     leaves, a trapping instruction (ecall) not at all; minstretcfg and
 *     mcyclecfg filter the same way (Smcntrpmf)
 *   - WARL: VSINH/VUINH read-only 0 without H, bits 57:56 0, mcyclecfg/
 *     minstretcfg bit 63 read-only 0; a counter past pmu-num reads 0
 *   - scountovf mirrors the OF bits: all in M, those mcounteren allows in
 *     S, illegal in U
 *   - overflow (all ones to 0) with OF clear sets OF and LCOFIP (13) and
 *     interrupts before the next instruction; with OF set it does not; a
 *     write never overflows; mideleg bit 13 sends it to S (scause 13,
 *     sip.LCOFIP writable there)
 * (pmu_tlb.S has the TLB-miss events.)
 */
# hartvm-args: -cpu rv64,sscofpmf=true,smcntrpmf=true
#include "harness.h"

#define OF    (1 << 63)
#define MINH  (1 << 62)
#define SINH  (1 << 61)
#define UINH  (1 << 60)
#define LCOF  (1 << 13)
#define EV_INSN 2
#define EV_CYCLE 1
#define MIE_BIT 8
#define SIE_BIT 2
/* Smcntrpmf CSRs by number: binutils 2.40 does not name them */
#define mcyclecfg 0x321
#define minstretcfg 0x322

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    csrw mcountinhibit, zero
    li t0, -1
    csrw mcounteren, t0
    csrw scounteren, t0
    li t0, EV_INSN
    csrw mhpmevent3, t0

    /* 1: instructions, exactly: three nops after the write */
    CASE(1)
    csrw mhpmcounter3, zero
    nop
    nop
    nop
    csrr a0, mhpmcounter3
    EXPECT_EQ(a0, 3)
    /* 2: hpmcounter3 is the same counter */
    CASE(2)
    csrw mhpmcounter3, zero
    nop
    csrr a0, hpmcounter3
    EXPECT_EQ(a0, 1)
    /* 3: mcountinhibit bit 3 stops it; the bits that exist: CY, IR, 3..18 */
    CASE(3)
    li t0, 8
    csrw mcountinhibit, t0
    csrr a0, mhpmcounter3
    nop
    nop
    csrr a1, mhpmcounter3
    li t0, -1
    csrw mcountinhibit, t0
    csrr a2, mcountinhibit
    csrw mcountinhibit, zero
    EXPECT_REG(a0, a1)
    EXPECT_EQ(a2, 0x7fffd)
    /* 4: a number that is no event counts nothing */
    CASE(4)
    li t0, 0x1234
    csrw mhpmevent3, t0
    csrw mhpmcounter3, zero
    nop
    nop
    csrr a0, mhpmcounter3
    EXPECT_EQ(a0, 0)
    /* 5: cycles advance */
    CASE(5)
    li t0, EV_CYCLE
    csrw mhpmevent4, t0
    csrw mhpmcounter4, zero
    nop
    nop
    csrr a0, mhpmcounter4
    beqz a0, fail
    csrw mhpmevent4, zero
    /* 6: MINH: nothing counted in M */
    CASE(6)
    li t0, EV_INSN | MINH
    csrw mhpmevent3, t0
    csrw mhpmcounter3, zero
    nop
    nop
    csrr a0, mhpmcounter3
    EXPECT_EQ(a0, 0)
    /* 7: SINH | UINH: M still counts */
    CASE(7)
    li t0, EV_INSN | SINH | UINH
    csrw mhpmevent3, t0
    csrw mhpmcounter3, zero
    nop
    nop
    csrr a0, mhpmcounter3
    EXPECT_EQ(a0, 2)

    /* 8: U only: the 4 nops in U; the mret (from M) and the ecall (does not
     * retire) are not counted. minstretcfg likewise (Smcntrpmf). */
    CASE(8)
    li t0, EV_INSN | MINH | SINH
    csrw mhpmevent3, t0
    csrw minstretcfg, t0
    csrw mhpmcounter3, zero
    csrr s0, minstret
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  nop
    nop
    nop
    nop
    ecall
1:  csrr a0, mhpmcounter3
    csrr a1, minstret
    csrw minstretcfg, zero
    EXPECT_EQ(s2, 8)
    EXPECT_EQ(a0, 4)
    sub a1, a1, s0
    EXPECT_EQ(a1, 4)
    /* 9: S only: 3 nops in S */
    CASE(9)
    li t0, EV_INSN | MINH | UINH
    csrw mhpmevent3, t0
    csrw mhpmcounter3, zero
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  nop
    nop
    nop
    ecall
1:  csrr a0, mhpmcounter3
    EXPECT_EQ(s2, 9)
    EXPECT_EQ(a0, 3)
    /* 10: an sret from S to U counts in S: S counts the nop and the sret */
    CASE(10)
    csrw mhpmcounter3, zero
    li t0, 1 << 8
    csrc mstatus, t0                /* SPP = U */
    la t0, 3f
    csrw sepc, t0
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  nop
    sret
3:  nop
    ecall
1:  csrr a0, mhpmcounter3
    EXPECT_EQ(s2, 8)
    EXPECT_EQ(a0, 2)
    /* 11: mcyclecfg.MINH: mcycle stands still in M */
    CASE(11)
    li t0, MINH
    csrw mcyclecfg, t0
    csrr a0, mcycle
    nop
    nop
    csrr a1, mcycle
    csrw mcyclecfg, zero
    EXPECT_REG(a0, a1)

    /* 12: WARL fields */
    CASE(12)
    li t0, -1
    csrw mhpmevent3, t0
    csrr a0, mhpmevent3
    csrw minstretcfg, t0
    csrr a1, minstretcfg
    csrw mcyclecfg, t0
    csrr a2, mcyclecfg
    csrw mhpmevent19, t0
    csrr a3, mhpmevent19
    csrw mhpmcounter19, t0
    csrr a4, mhpmcounter19
    csrw minstretcfg, zero
    csrw mcyclecfg, zero
    li t0, 0xf0ffffffffffffff
    EXPECT_REG(a0, t0)
    li t0, 0x7000000000000000
    EXPECT_REG(a1, t0)
    EXPECT_REG(a2, t0)
    EXPECT_EQ(a3, 0)
    EXPECT_EQ(a4, 0)

    /* 13: scountovf: OF of counters 3 and 5 in M; in S only those that
     * mcounteren allows; illegal in U */
    CASE(13)
    li t0, OF
    csrw mhpmevent3, t0
    csrw mhpmevent4, zero
    csrw mhpmevent5, t0
    csrr a0, scountovf
    EXPECT_EQ(a0, 0x28)
    li t0, 0x8 | 0x7
    csrw mcounteren, t0
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, scountovf
    ecall
1:  EXPECT_EQ(s2, 9)
    EXPECT_EQ(a0, 0x8)
    li t0, -1
    csrw mcounteren, t0
    la s11, 1f
    ENTER_MODE(0, 2f)
2:  csrr a0, scountovf
    j fail
1:  EXPECT_EQ(s2, 2)
    csrw mhpmevent5, zero

    /* 14: overflow in M: the counter at -5, five instructions wrap it, the
     * interrupt comes before the sixth: mcause 13, mepc there, OF and
     * LCOFIP set */
    CASE(14)
    li t0, EV_INSN
    csrw mhpmevent3, t0
    li t0, LCOF
    csrs mie, t0
    la s11, 1f
    li t0, -5
    csrsi mstatus, MIE_BIT
    csrw mhpmcounter3, t0
    li a0, 1
    addi a0, a0, 1
    addi a0, a0, 1
    addi a0, a0, 1
    addi a0, a0, 1
i14:addi a0, a0, 1
    j fail
1:  li t0, CAUSE_IRQ | 13
    EXPECT_REG(s2, t0)
    EXPECT_ADDR(s3, i14)
    EXPECT_EQ(a0, 5)
    csrr a1, mhpmevent3
    li t0, OF | EV_INSN
    EXPECT_REG(a1, t0)
    csrr a2, mip
    EXPECT_BITS(a2, LCOF, LCOF)
    /* 15: LCOFIP is writable in mip: cleared, it stays clear (OF is set,
     * no new request) */
    CASE(15)
    li t0, LCOF
    csrc mip, t0
    csrr a0, mip
    EXPECT_BITS(a0, LCOF, 0)
    /* 16: with OF set a wrap raises nothing and the counter goes on */
    CASE(16)
    la s11, fail
    li t0, -2
    csrsi mstatus, MIE_BIT
    csrw mhpmcounter3, t0
    nop
    nop
    nop
    nop
    nop
    csrr a0, mhpmcounter3
    csrci mstatus, MIE_BIT
    EXPECT_EQ(a0, 3)
    csrr a1, mip
    EXPECT_BITS(a1, LCOF, 0)
    /* 17: writes never overflow: all ones, then 0 written over it */
    CASE(17)
    li t0, EV_INSN
    csrw mhpmevent3, t0
    li t0, -1
    csrsi mstatus, MIE_BIT
    csrw mhpmcounter3, t0
    csrw mhpmcounter3, zero
    nop
    csrr a0, mhpmcounter3
    csrci mstatus, MIE_BIT
    EXPECT_EQ(a0, 1)
    csrr a1, mhpmevent3
    EXPECT_EQ(a1, EV_INSN)

    /* 18: delegated (mideleg bit 13): counting S only, the counter at -3
     * wraps on the third instruction in S; taken in S before the fourth,
     * scause 13; sie shows LCOFIE; sip.LCOFIP set, and writable */
    CASE(18)
    li t0, LCOF
    csrs mideleg, t0
    csrr a0, mideleg
    EXPECT_BITS(a0, LCOF, LCOF)
    li t0, EV_INSN | MINH | UINH
    csrw mhpmevent3, t0
    li t0, -3
    csrw mhpmcounter3, t0
    csrsi mstatus, SIE_BIT
    la s10, 3f
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  li a0, 1
    addi a0, a0, 1
    addi a0, a0, 1
i18:addi a0, a0, 1
    j fail
3:  csrr a1, sie
    csrr a2, sip
    li t0, LCOF
    csrc sip, t0
    csrr a3, sip
    ecall
1:  EXPECT_EQ(s2, 9)
    li t0, CAUSE_IRQ | 13
    EXPECT_REG(s6, t0)
    EXPECT_ADDR(s7, i18)
    EXPECT_EQ(a0, 3)
    EXPECT_BITS(a1, LCOF, LCOF)
    EXPECT_BITS(a2, LCOF, LCOF)
    EXPECT_BITS(a3, LCOF, 0)
    csrr a4, mip
    EXPECT_BITS(a4, LCOF, 0)
    li t0, LCOF
    csrc mie, t0
    csrc mideleg, t0
    csrw mhpmevent3, zero

    j pass
TEST_END
CATCH_HANDLERS

/*
 * Machine/supervisor status and identification CSRs (privileged spec
 * 3.1.1 misa, 3.1.2-3.1.5 mvendorid/marchid/mimpid/mhartid, 3.1.6 mstatus,
 * 3.1.7 mtvec, 3.1.18 menvcfg, 3.1.20 mconfigptr, 4.1.1 sstatus, 4.1.2
 * stvec, 4.1.10 senvcfg, 4.1.11 satp):
 *   - sstatus is a view of mstatus: it shows and writes only S fields.
 *   - UXL and SXL read 2 (64-bit); SD = (FS == 3 || VS == 3 || XS == 3).
 *   - MPP is WARL: writing the reserved 2 leaves a legal value.
 *   - misa: MXL = 2 and the A, C, I, M, S, U extensions.
 *   - mtvec/stvec MODE >= 2 is reserved: not accepted.
 *   - satp: a write of an unsupported MODE has no effect at all.
 *   - menvcfg.ADUE is read-only 0 without Svadu (mmu_svadu.S has it).
 */
#include "harness.h"

#define SIE  (1 << 1)
#define MIE  (1 << 3)
#define SPIE (1 << 5)
#define UBE  (1 << 6)
#define MPIE (1 << 7)
#define SPP  (1 << 8)
#define MPP  (3 << 11)
#define FS   (3 << 13)
#define MPRV (1 << 17)
#define SUM  (1 << 18)
#define MXR  (1 << 19)
#define TVM  (1 << 20)
#define TW   (1 << 21)
#define TSR  (1 << 22)
#define UXL  (3 << 32)
#define SXL  (3 << 34)
#define SBE  (1 << 36)
#define MBE  (1 << 37)
#define SD   (1 << 63)
#define M_ONLY (MIE | MPIE | MPP | MPRV | TVM | TW | TSR)
#define S_FIELDS (SIE | SPIE | SPP | SUM | MXR)
#define ext(c) (1 << ((c) - 'A'))

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    csrw mie, zero

    /* 1: misa: MXL = 2 (RV64), A C I M S U present */
    li gp, 1
    csrr a0, misa
    srli a1, a0, 62
    EXPECT_EQ(a1, 2)
    EXPECT_BITS(a0, ext('A') | ext('C') | ext('I') | ext('M') | ext('S') | ext('U'), \
                ext('A') | ext('C') | ext('I') | ext('M') | ext('S') | ext('U'))
    /* 2: misa is read-only in hartvm (WARL): dropping C and M has no effect */
    li gp, 2
    li t0, ext('C') | ext('M')
    csrc misa, t0
    csrr a1, misa
    EXPECT_REG(a1, a0)

    /* 3: mhartid = 0; mvendorid, marchid, mimpid, mconfigptr readable */
    li gp, 3
    csrr a0, mhartid
    EXPECT_EQ(a0, 0)
    csrr a0, mvendorid
    csrr a0, marchid
    csrr a0, mimpid
    csrr a0, mconfigptr
    /* 4: menvcfg exists and is M-only; senvcfg exists and S may use it */
    li gp, 4
    csrr a0, menvcfg
    csrw menvcfg, a0
    csrr a0, senvcfg
    csrw senvcfg, a0
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, senvcfg
    csrw senvcfg, a0
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    li gp, 5
    la s11, 1f
    ENTER_MODE(1, i5)
i5: csrr a0, menvcfg
    j fail
1:  EXPECT_EQ(s2, 2)
    EXPECT_ADDR(s3, i5)
    /* 5: without Svadu (rv64) menvcfg.ADUE (bit 61) is read-only 0: the
     * hart always updates A and D itself */
    li t0, 1 << 61
    csrs menvcfg, t0
    csrr a0, menvcfg
    EXPECT_BITS(a0, 1 << 61, 0)

    /* 6: UXL and SXL read 2 in mstatus, UXL in sstatus; SXL is not in
     * sstatus; writes cannot change them */
    li gp, 6
    csrr a0, mstatus
    EXPECT_BITS(a0, UXL | SXL, (2 << 32) | (2 << 34))
    csrr a0, sstatus
    EXPECT_BITS(a0, UXL | SXL, 2 << 32)
    li t0, UXL | SXL
    csrc mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, UXL | SXL, (2 << 32) | (2 << 34))
    li t0, (1 << 32) | (1 << 34)
    csrs mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, UXL | SXL, (2 << 32) | (2 << 34))

    /* 7: little-endian only: UBE, SBE, MBE read 0 */
    li gp, 7
    li t0, UBE | SBE | MBE
    csrs mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, UBE | SBE | MBE, 0)

    /* 8: sstatus shows no M-only field even when all are set */
    li gp, 8
    li t0, M_ONLY & ~MPRV
    csrs mstatus, t0
    li t0, S_FIELDS
    csrs mstatus, t0
    csrr a0, sstatus
    csrr a1, mstatus
    EXPECT_BITS(a0, M_ONLY, 0)
    EXPECT_BITS(a0, S_FIELDS, S_FIELDS)
    EXPECT_BITS(a1, M_ONLY & ~MPRV, M_ONLY & ~MPRV)
    /* 9: clearing all of sstatus clears S fields, keeps the M ones */
    li gp, 9
    csrw sstatus, zero
    csrr a0, mstatus
    EXPECT_BITS(a0, S_FIELDS, 0)
    EXPECT_BITS(a0, M_ONLY & ~MPRV, M_ONLY & ~MPRV)
    EXPECT_BITS(a0, UXL | SXL, (2 << 32) | (2 << 34))
    /* 10: setting all of sstatus sets S fields, leaves M ones clear */
    li gp, 10
    li t0, M_ONLY
    csrc mstatus, t0
    li t0, -1
    csrw sstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, M_ONLY, 0)
    EXPECT_BITS(a0, S_FIELDS, S_FIELDS)
    csrw sstatus, zero
    /* 11: mstatus writes of S fields show through sstatus, one by one */
    li gp, 11
    li t0, SUM
    csrs mstatus, t0
    csrr a0, sstatus
    EXPECT_BITS(a0, S_FIELDS, SUM)
    csrc mstatus, t0
    li t0, SPP
    csrs mstatus, t0
    csrr a0, sstatus
    EXPECT_BITS(a0, S_FIELDS, SPP)
    csrc mstatus, t0

    /* 12: SD follows FS: FS = 3 (dirty) -> SD in mstatus and sstatus */
    li gp, 12
    li t0, FS
    csrs mstatus, t0
    csrr a0, mstatus
    csrr a1, sstatus
    EXPECT_BITS(a0, FS, FS)
    bgez a0, fail                   /* SD is bit 63 */
    bgez a1, fail
    /* 13: FS = 1 (initial), 2 (clean): SD = 0 */
    li gp, 13
    li t0, FS
    csrc mstatus, t0
    li t0, 1 << 13
    csrs mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, FS, 1 << 13)
    bltz a0, fail
    li t0, FS
    csrc mstatus, t0
    li t0, 2 << 13
    csrs sstatus, t0                /* FS is writable through sstatus too */
    csrr a0, mstatus
    csrr a1, sstatus
    EXPECT_BITS(a0, FS, 2 << 13)
    bltz a0, fail
    bltz a1, fail
    /* 14: SD itself is read-only: writing it alone does not set it */
    li gp, 14
    li t0, FS
    csrc mstatus, t0
    li t0, SD
    csrs mstatus, t0
    csrr a0, mstatus
    bltz a0, fail

    /* 15: MPP WARL: S, U, M stick; the reserved 2 leaves a legal value */
    li gp, 15
    li t0, MPP
    csrc mstatus, t0
    li t0, 1 << 11
    csrs mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, MPP, 1 << 11)
    li t0, MPP
    csrc mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, MPP, 0)
    li t0, MPP
    csrs mstatus, t0
    csrr a0, mstatus
    EXPECT_BITS(a0, MPP, MPP)
    csrr a0, mstatus
    li t0, ~MPP
    and a0, a0, t0
    li t0, 2 << 11
    or a0, a0, t0
    csrw mstatus, a0
    csrr a0, mstatus
    srli a0, a0, 11
    andi a0, a0, 3
    li t0, 2
    beq a0, t0, fail

    /* 16: mtvec: direct and vectored accepted; modes 2 and 3 are not */
    li gp, 16
    la a1, m_catch
    csrw mtvec, a1
    csrr a0, mtvec
    EXPECT_REG(a0, a1)
    ori a2, a1, 1
    csrw mtvec, a2
    csrr a0, mtvec
    EXPECT_REG(a0, a2)
    ori a2, a1, 2
    csrw mtvec, a2
    csrr a0, mtvec
    andi a0, a0, 3
    li t0, 2
    bgeu a0, t0, fail
    ori a2, a1, 3
    csrw mtvec, a2
    csrr a0, mtvec
    andi a0, a0, 3
    bgeu a0, t0, fail
    csrw mtvec, a1
    /* 17: stvec likewise */
    li gp, 17
    la a1, s_catch
    csrw stvec, a1
    csrr a0, stvec
    EXPECT_REG(a0, a1)
    ori a2, a1, 1
    csrw stvec, a2
    csrr a0, stvec
    EXPECT_REG(a0, a2)
    ori a2, a1, 2
    csrw stvec, a2
    csrr a0, stvec
    andi a0, a0, 3
    li t0, 2
    bgeu a0, t0, fail
    ori a2, a1, 3
    csrw stvec, a2
    csrr a0, stvec
    andi a0, a0, 3
    bgeu a0, t0, fail
    csrw stvec, a1

    /* 18: mepc/sepc: bit 0 reads 0, bit 1 is kept (IALIGN = 16) */
    li gp, 18
    li t0, 0x80001237
    csrw mepc, t0
    csrr a0, mepc
    EXPECT_EQ(a0, 0x80001236)
    csrw sepc, t0
    csrr a0, sepc
    EXPECT_EQ(a0, 0x80001236)
    /* 19: scratch registers hold 64 bits */
    li gp, 19
    li t0, 0xfedcba9876543210
    csrw mscratch, t0
    csrr a0, mscratch
    EXPECT_REG(a0, t0)
    not t0, t0
    csrw sscratch, t0
    csrr a0, sscratch
    EXPECT_REG(a0, t0)
    /* 20: mcause/scause keep the interrupt bit and a code */
    li gp, 20
    li t0, (1 << 63) | 5
    csrw mcause, t0
    csrr a0, mcause
    EXPECT_REG(a0, t0)
    csrw scause, t0
    csrr a0, scause
    EXPECT_REG(a0, t0)

    /* 21: satp: Sv39 is accepted; a reserved MODE (7) changes nothing */
    li gp, 21
    li a1, (8 << 60) | (5 << 44) | 0x80123
    csrw satp, a1
    csrr a0, satp
    EXPECT_REG(a0, a1)
    li t0, (7 << 60) | 0x1234
    csrw satp, t0
    csrr a0, satp
    EXPECT_REG(a0, a1)
    /* 22: Sv57 (10) is not supported either: no effect */
    li gp, 22
    li t0, (10 << 60) | 0x1234
    csrw satp, t0
    csrr a0, satp
    EXPECT_REG(a0, a1)
    csrw satp, zero
    csrr a0, satp
    EXPECT_EQ(a0, 0)

    /* 23: sie/sip are views of the delegated bits of mie/mip */
    li gp, 23
    csrw mideleg, zero
    li t0, 0xaaa
    csrw mie, t0
    csrr a0, sie
    EXPECT_EQ(a0, 0)
    li t0, 0x222
    csrw mideleg, t0
    csrr a0, sie
    EXPECT_EQ(a0, 0x222)
    /* 24: writing sie changes only delegated bits of mie */
    li gp, 24
    li t0, 1 << 1
    csrw mideleg, t0
    csrw sie, zero
    csrr a0, mie
    EXPECT_EQ(a0, 0xaa8)
    li t0, -1
    csrw sie, t0
    csrr a0, mie
    EXPECT_EQ(a0, 0xaaa)
    csrw mie, zero
    csrw mideleg, zero

    j pass
TEST_END
CATCH_HANDLERS

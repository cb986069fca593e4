/*
 * Paging in S and U mode (privileged spec 4.3 Sv39, 4.4 Sv48, 4.1.1
 * SUM/MXR, 3.1.6.3 MPRV, 4.2.1 SFENCE.VMA). mmu_sv48.S includes this file
 * with LEVELS = 4, mmu_sv57.S with LEVELS = 5 (4.5 Sv57: one more level
 * above Sv48's root, whose entry 0 points at it).
 *
 * Virtual memory map (all leaves have A and D set unless noted):
 *   0x0000_1000 + 0x1000*k   4 KiB test pages, table pt_l0 (see setup)
 *   0x0020_0000              2 MiB page -> PA 0x8000_0000, RW
 *   0x0040_0000              2 MiB page with a misaligned PPN
 *   0x8000_0000              1 GiB page -> PA 0x8000_0000, RWX (S code, data)
 *   0xc000_0000              1 GiB page -> PA 0x8000_0000, RWX U (U code alias)
 *   0x80_0000_0000           Sv48: 512 GiB page -> PA 0, RW
 * Traps are not delegated (except in the delegation cases): MMU_CATCHER
 * records them in M.
 */
#include "harness.h"

#ifndef LEVELS
#define LEVELS 3
#endif

#define V 0x01
#define R 0x02
#define W 0x04
#define X 0x08
#define U 0x10
#define G 0x20
#define A 0x40
#define D 0x80
#define UOFF 0x40000000
#define SUM (1 << 18)
#define MXR (1 << 19)
#define MPRV (1 << 17)
#define TVM (1 << 20)
#define MODE ((8 + LEVELS - 3) << 60)

/* table[idx] = leaf or pointer to the page at label target */
#define PTE(table, idx, target, flags)      \
    la t0, target;                          \
    srli t0, t0, 12;                        \
    slli t0, t0, 10;                        \
    ori t0, t0, flags;                      \
    la t1, table;                           \
    li t2, (idx) * 8;                       \
    add t1, t1, t2;                         \
    sd t0, 0(t1);
/* table[idx] = leaf for physical address pa */
#define PTE_PA(table, idx, pa, flags)       \
    li t0, (((pa) >> 12) << 10) | (flags);  \
    la t1, table;                           \
    li t2, (idx) * 8;                       \
    add t1, t1, t2;                         \
    sd t0, 0(t1);
/* reg = pt_l0[idx] */
#define LOAD_PTE(reg, idx)                  \
    la t1, pt_l0;                           \
    ld reg, (idx) * 8(t1);

#define SATP_ASID(asid)                     \
    la t0, pt_top;                          \
    srli t0, t0, 12;                        \
    li t1, MODE | ((asid) << 44);           \
    or t0, t0, t1;                          \
    csrw satp, t0;                          \
    sfence.vma;

TEST_BEGIN
    MMU_CATCHER_INSTALL
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0

    /* ---- page tables ---- */
#if LEVELS == 5
    PTE(pt_top, 0, pt_root, V)
#endif
#if LEVELS >= 4
    PTE(pt_root, 0, pt_g, V)
    PTE_PA(pt_root, 1, 0, V | R | W | A | D)
#endif
    PTE(pt_g, 0, pt_l1, V)
    PTE_PA(pt_g, 2, 0x80000000, V | R | W | X | A | D)
    PTE_PA(pt_g, 3, 0x80000000, V | R | W | X | U | A | D)
    PTE(pt_l1, 0, pt_l0, V)
    PTE_PA(pt_l1, 1, 0x80000000, V | R | W | A | D)
    PTE_PA(pt_l1, 2, 0x80001000, V | R | W | A | D)
    PTE(pt_l0, 1, data1, V | R | W | A | D)
    PTE(pt_l0, 2, data2, V | R | A | D)
    PTE(pt_l0, 3, data3, V | X | A | D)
    PTE(pt_l0, 4, data4, V | R | W | U | A | D)
    PTE(pt_l0, 5, data1, R | W | A | D)             /* V = 0 */
    PTE(pt_l0, 6, data5, V | R | W)                 /* A = D = 0 */
    PTE(pt_l0, 7, data1, V | W | A | D)             /* W without R */
    PTE(pt_l0, 8, upage, V | R | X | U | A | D)
    PTE(pt_l0, 9, spage, V | X | A | D)
    PTE(pt_l0, 11, smcpage, V | R | W | A | D)
    PTE(pt_l0, 12, smcpage, V | X | A | D)
    PTE(pt_l0, 13, data1, V | R | W | A | D)
    PTE(pt_l0, 14, data1, V | R | W | G | A | D)
    SATP_ASID(0)

    /* 1: S loads through a 4 KiB page (code runs from a 1 GiB one) */
    MODE_CASE(1, 1, 0)
    li a1, 0x1000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)

    /* 2: S stores through it */
    MODE_CASE(2, 1, 0)
    li a1, 0x1000
    li a2, 0x2222
    sd a2, 8(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    la t0, data1
    ld a0, 8(t0)
    EXPECT(a0, 0x2222)

    /* 3: store to a read-only page: store page fault, tval = address */
    MODE_CASE(3, 1, 0)
    li a1, 0x2008
    sd a1, 0(a1)
    MODE_END
    EXPECT_TRAP(15, 0x2008)

    /* 4: load from an execute-only page */
    MODE_CASE(4, 1, 0)
    li a1, 0x3010
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x3010)

    /* 5: ... readable with MXR (set from S through sstatus) */
    MODE_CASE(5, 1, 0)
    li t0, MXR
    csrs sstatus, t0
    li a1, 0x3000
    ld a0, 0(a1)
    csrc sstatus, t0
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x3333)

    /* 6: invalid PTE: load, store and fetch page faults */
    MODE_CASE(6, 1, 0)
    li a1, 0x5000
    lw a0, 4(a1)
    MODE_END
    EXPECT_TRAP(13, 0x5004)
    MODE_CASE(7, 1, 0)
    li a1, 0x5000
    sb a0, 3(a1)
    MODE_END
    EXPECT_TRAP(15, 0x5003)
    MODE_CASE(8, 1, 0)
    li a1, 0x5000
    jr a1
    MODE_END
    EXPECT_TRAP(12, 0x5000)
    EXPECT(s10, 0x5000)

    /* 9: W without R is reserved */
    MODE_CASE(9, 1, 0)
    li a1, 0x7000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x7000)

    /* 10: S and U pages: no S access without SUM */
    MODE_CASE(10, 1, 0)
    li a1, 0x4000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x4000)
    /* 11: with SUM, S loads and stores U pages */
    MODE_CASE(11, 1, 0)
    li t0, SUM
    csrs sstatus, t0
    li a1, 0x4000
    ld a0, 0(a1)
    sd a0, 8(a1)
    csrc sstatus, t0
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x4444)
    /* 12: ... but never executes them, SUM or not */
    MODE_CASE(12, 1, 0)
    li t0, SUM
    csrs sstatus, t0
    li a1, 0x8000
    jalr a1
    MODE_END
    EXPECT_TRAP(12, 0x8000)
    li t0, SUM
    csrc mstatus, t0
    /* 13: SUM cleared again: the U page is out of reach (no stale entry) */
    MODE_CASE(13, 1, 0)
    li a1, 0x4000
    sd a1, 0(a1)
    MODE_END
    EXPECT_TRAP(15, 0x4000)

    /* 14: U reads a U page, runs from its U alias */
    MODE_CASE(14, 0, UOFF)
    li a1, 0x4000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(8, 0)
    EXPECT(a0, 0x4444)
    /* 15: U may not touch S pages */
    MODE_CASE(15, 0, UOFF)
    li a1, 0x1000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x1000)
    MODE_CASE(16, 0, UOFF)
    li a1, 0x2000
    sd a0, 0(a1)
    MODE_END
    EXPECT_TRAP(15, 0x2000)
    /* 17: U runs code from a U 4 KiB page */
    MODE_CASE(17, 0, UOFF)
    li a1, 0x8000
    jalr a1
    MODE_END
    EXPECT_TRAP(8, 0)
    EXPECT(a0, 0x42)
    /* 18: U may not run code on an S page (the S alias of the program) */
    MODE_CASE(18, 0, UOFF)
    la a1, 2f
    li t0, UOFF
    sub a1, a1, t0
    jr a1
2:  nop
    MODE_END
    EXPECT(s9, 12)
    la t0, 2b
    bne s11, t0, fail

    /* 19: a 2 MiB page */
    MODE_CASE(19, 1, 0)
    la a1, data1
    li t0, 0x80000000 - 0x200000
    sub a1, a1, t0
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    /* 20: a misaligned 2 MiB page faults */
    MODE_CASE(20, 1, 0)
    li a1, 0x400000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x400000)
    /* 21: a non-canonical address faults even though its low bits index
     * a valid entry */
    MODE_CASE(21, 1, 0)
    li a1, 0x1000 | (1 << (12 + 9 * LEVELS))
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x1000 | (1 << (12 + 9 * LEVELS)))
#if LEVELS >= 4
    /* 22: a 512 GiB page */
    MODE_CASE(22, 1, 0)
    la a1, data1
    li t0, 0x8000000000
    add a1, a1, t0
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
#endif

    /* 23: A and D: a load sets A only, a store sets D */
    CASE(23)
    LOAD_PTE(a0, 6)
    andi a0, a0, A | D
    EXPECT(a0, 0)
    MODE_CASE(24, 1, 0)
    li a1, 0x6000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x5555)
    LOAD_PTE(a0, 6)
    andi a0, a0, A | D
    EXPECT(a0, A)
    MODE_CASE(25, 1, 0)
    li a1, 0x6000
    sd a1, 8(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    LOAD_PTE(a0, 6)
    andi a0, a0, A | D
    EXPECT(a0, A | D)

    /* 26: a 32-bit instruction straddling into an unmapped page: fetch
     * page fault at the start of the instruction, tval = second page */
    MODE_CASE(26, 1, 0)
    li a1, 0x9ffe
    li a0, 0
    jalr a1
    MODE_END
    EXPECT_TRAP(12, 0xa000)
    EXPECT(s10, 0x9ffe)
    /* 27: once the second page is mapped it runs */
    PTE(pt_l0, 10, spage2, V | X | A | D)
    sfence.vma
    MODE_CASE(27, 1, 0)
    li a1, 0x9ffe
    li a0, 0
    jalr a1
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x123)

    /* 28: self-modifying code through another virtual alias + fence.i */
    MODE_CASE(28, 1, 0)
    li a1, 0xc000
    jalr a1                 /* runs "li a0, 1" (decoded and cached) */
    mv a2, a0
    li t0, 0x00200513       /* addi a0, zero, 2 */
    li a3, 0xb000
    sw t0, 0(a3)            /* through the writable alias */
    fence.i
    jalr a1
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a2, 1)
    EXPECT(a0, 2)

    /* 29..35: sfence.vma forms, each after remapping a page whose old
     * translation was just used (45 fills the TLB first) */
    MODE_CASE(45, 1, 0)
    li a1, 0xd000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    PTE(pt_l0, 13, data2, V | R | W | A | D)
    MODE_CASE(29, 1, 0)
    li a1, 0xd000
    sfence.vma a1
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x2020202020202020)
    PTE(pt_l0, 13, data1, V | R | W | A | D)
    MODE_CASE(30, 1, 0)
    li a1, 0xd000
    sfence.vma
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    SATP_ASID(1)
    MODE_CASE(31, 1, 0)
    li a1, 0xd000
    ld a0, 0(a1)            /* fill the TLB under ASID 1 */
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    PTE(pt_l0, 13, data2, V | R | W | A | D)
    MODE_CASE(32, 1, 0)
    li a1, 0xd000
    li a2, 1
    sfence.vma a1, a2
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x2020202020202020)
    PTE(pt_l0, 13, data1, V | R | W | A | D)
    MODE_CASE(33, 1, 0)
    li a1, 0xd000
    li a2, 1
    sfence.vma zero, a2
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    /* 34: a global page, fenced by address only */
    MODE_CASE(34, 1, 0)
    li a1, 0xe000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    PTE(pt_l0, 14, data2, V | R | W | G | A | D)
    MODE_CASE(35, 1, 0)
    li a1, 0xe000
    sfence.vma a1, zero
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x2020202020202020)
    /* 36: a new satp (ASID 2) sees the page tables as they are now */
    PTE(pt_l0, 13, data3, V | R | A | D)
    SATP_ASID(2)
    MODE_CASE(36, 1, 0)
    li a1, 0xd000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x3333)
    /* 37: sfence.vma in U is illegal; in S with TVM too, and satp as well */
    MODE_CASE(37, 0, UOFF)
    sfence.vma
    MODE_END
    EXPECT(s9, 2)
    li t0, TVM
    csrs mstatus, t0
    MODE_CASE(38, 1, 0)
    sfence.vma
    MODE_END
    EXPECT(s9, 2)
    MODE_CASE(39, 1, 0)
    csrr a0, satp
    MODE_END
    EXPECT(s9, 2)
    li t0, TVM
    csrc mstatus, t0

    /* 40: MPRV with MPP = S: M's loads translate */
    CASE(40)
    li t0, 3 << 11
    csrc mstatus, t0
    li t0, MPRV | (1 << 11)
    csrs mstatus, t0
    li a1, 0x1000
    ld a0, 0(a1)
    li t0, MPRV | (3 << 11)
    csrc mstatus, t0
    EXPECT(a0, 0x1111111111111111)
    /* 41: MPRV with MPP = U: a U page works, an S page faults */
    CASE(41)
    li t0, MPRV
    csrs mstatus, t0        /* MPP = U */
    li a1, 0x4000
    ld a0, 0(a1)
    EXPECT(a0, 0x4444)
    li s9, -1
    la s8, 2f
    li a1, 0x1000
    ld a0, 0(a1)
    j fail
2:  li t0, MPRV
    csrc mstatus, t0
    EXPECT_TRAP(13, 0x1000)

    /* 42..44: page faults delegated to S: scause, stval, sepc */
    li t0, (1 << 12) | (1 << 13) | (1 << 15)
    csrw medeleg, t0
    la t0, s_handler
    csrw stvec, t0
    MODE_CASE(42, 1, 0)
    li a1, 0x5008
    ld a0, 0(a1)
    MODE_END
    EXPECT(a4, 13)
    EXPECT(a5, 0x5008)
    MODE_CASE(43, 0, UOFF)
    li a1, 0x2010
    sw a0, 0(a1)
    MODE_END
    EXPECT(a4, 15)
    EXPECT(a5, 0x2010)
    MODE_CASE(44, 1, 0)
    li a1, 0x5000
    jr a1
    MODE_END
    EXPECT(a4, 12)
    EXPECT(a5, 0x5000)
    EXPECT(a3, 0x5000)
    csrw medeleg, zero

    j pass
TEST_END
MMU_CATCHER

/* S-mode handler for delegated faults: report and go back to M. */
    .balign 4
s_handler:
    csrr a4, scause
    csrr a5, stval
    csrr a3, sepc
    ecall

/* U-executable page (VA 0x8000): return 0x42 */
    .balign 4096
upage:
    li a0, 0x42
    ret

/* VA 0x9000: the low half of "addi a0, zero, 0x123" in its last bytes */
    .balign 4096
spage:
    .skip 4094
    .2byte 0x0513
/* VA 0xa000 (mapped late): the high half, then back to the caller */
spage2:
    .2byte 0x1230
    ret

/* VA 0xb000 (RW) and 0xc000 (X): "li a0, 1; ret" to be rewritten */
    .balign 4096
smcpage:
    .4byte 0x00100513
    ret
    .balign 4096

    .data
    .balign 4096
pt_top:                     /* the root: Sv57's */
#if LEVELS == 5
    .skip 4096
#endif
pt_root:                    /* Sv48's */
#if LEVELS >= 4
    .skip 4096
#endif
pt_g:                       /* Sv39: the root itself */
    .skip 4096
pt_l1:
    .skip 4096
pt_l0:
    .skip 4096
data1:
    .dword 0x1111111111111111
    .balign 4096
data2:
    .dword 0x2020202020202020
    .balign 4096
data3:
    .dword 0x3333
    .balign 4096
data4:
    .dword 0x4444
    .balign 4096
data5:
    .dword 0x5555
    .balign 4096

/*
 * The Sv* extensions to paging (privileged spec chapters "Svnapot",
 * "Svpbmt", "Svinval"), under Sv39:
 *   Svnapot  a leaf with N = 1 and ppn[3:0] = 1000 maps 64 KiB, its 16
 *            entries alike; other N encodings, and N on a superpage or a
 *            non-leaf, are page faults; an address fence anywhere in the
 *            64 KiB drops all of it
 *   Svpbmt   PBMT (bits 62:61) only with menvcfg.PBMTE, never 3, never
 *            on a non-leaf
 *   Svinval  sinval.vma invalidates as sfence.vma does; sfence.w.inval and
 *            sfence.inval.ir are illegal in U only; TVM makes sinval.vma
 *            illegal in S
 * QEMU 7.2's rv64 leaves these off; -cpu max has them:
 */
# hartvm-args: -cpu max
#include "harness.h"
    .option arch, +svinval

#define V 0x01
#define R 0x02
#define W 0x04
#define X 0x08
#define A 0x40
#define D 0x80
#define U 0x10
#define UOFF 0x40000000
#define TVM (1 << 20)
#define N_BIT (1 << 63)
#define PBMT_NC (1 << 61)
#define PBMT_IO (2 << 61)
#define PBMT_RSVD (3 << 61)
#define PBMTE (1 << 62)
#define NAPOT_VA 0x10000

/* table[idx] = pointer to (flags: leaf for) the page at label target,
 * with extra high bits */
#define PTE_HI(table, idx, target, flags, hi) \
    la t0, target;                          \
    srli t0, t0, 12;                        \
    slli t0, t0, 10;                        \
    ori t0, t0, flags;                      \
    li t1, hi;                              \
    or t0, t0, t1;                          \
    la t1, table;                           \
    li t2, (idx) * 8;                       \
    add t1, t1, t2;                         \
    sd t0, 0(t1);
#define PTE(table, idx, target, flags) PTE_HI(table, idx, target, flags, 0)

/* pt_l0[16..31] = the NAPOT leaf for the 64 KiB at label area (+ extra
 * bits xor'ed into the PTE, to make bad encodings) */
#define NAPOT_PTES(area, bad)               \
    la t0, area;                            \
    srli t0, t0, 12;                        \
    ori t0, t0, 8;                          \
    slli t0, t0, 10;                        \
    ori t0, t0, V | R | W | A | D;          \
    li t1, N_BIT;                           \
    or t0, t0, t1;                          \
    li t1, bad;                             \
    xor t0, t0, t1;                         \
    la t1, pt_l0;                           \
    addi t1, t1, 16 * 8;                    \
    li t2, 16;                              \
1:  sd t0, 0(t1);                           \
    addi t1, t1, 8;                         \
    addi t2, t2, -1;                        \
    bnez t2, 1b;

TEST_BEGIN
    MMU_CATCHER_INSTALL
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0

    PTE(pt_g, 0, pt_l1, V)
    PTE(pt_g, 2, _start, V | R | W | X | A | D)     /* 1 GiB at 0x8000_0000: S code */
    PTE(pt_g, 3, _start, V | R | W | X | U | A | D) /* its alias at 0xc000_0000: U code */
    PTE(pt_l1, 0, pt_l0, V)
    PTE(pt_l0, 1, data1, V | R | W | A | D)
    NAPOT_PTES(napot1, 0)
    la t0, pt_g
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    /* a mark in each 4 KiB part: part k holds k at offset 8 */
    la a1, napot1
    la a2, napot2
    li a3, 0
1:  sd a3, 8(a1)
    addi t0, a3, 0x100
    sd t0, 8(a2)
    li t0, 0x1000
    add a1, a1, t0
    add a2, a2, t0
    addi a3, a3, 1
    li t0, 16
    bne a3, t0, 1b

    /* 1: menvcfg.PBMTE is writable with Svpbmt */
    CASE(1)
    li t0, PBMTE
    csrs menvcfg, t0
    csrr a0, menvcfg
    and a0, a0, t0                  /* ADUE (Svadu) is set too */
    EXPECT(a0, PBMTE)
    csrc menvcfg, t0

    /* 2: a NAPOT page: VA 0x15008 reads part 5 of the 64 KiB (as a 4 KiB
     * page the same PTE would give part 8) */
    MODE_CASE(2, 1, 0)
    li a1, NAPOT_VA + 0x5008
    ld a0, 0(a1)
    li a1, NAPOT_VA + 0xf008
    ld a2, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 5)
    EXPECT(a2, 15)

    /* 3: the PTEs now name napot2; a fence for another 4 KiB part of the
     * same 64 KiB drops the translation of part 5 too */
    NAPOT_PTES(napot2, 0)
    MODE_CASE(3, 1, 0)
    li t0, NAPOT_VA
    sfence.vma t0, zero
    li a1, NAPOT_VA + 0x5008
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x105)

    /* 4: N with ppn[3:0] = 0100 (a size not defined): page fault */
    NAPOT_PTES(napot1, 0xc << 10)
    sfence.vma
    MODE_CASE(4, 1, 0)
    li a1, NAPOT_VA + 0x5008
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, NAPOT_VA + 0x5008)

    /* 5: N on a 2 MiB superpage: page fault */
    PTE_HI(pt_l1, 1, pt_g, V | R | W | A | D, N_BIT)       /* (the N check comes first) */
    sfence.vma
    MODE_CASE(5, 1, 0)
    li a1, 0x200000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x200000)

    /* 6: PBMT = NC with menvcfg.PBMTE = 0: page fault */
    PTE_HI(pt_l0, 2, data1, V | R | W | A | D, PBMT_NC)
    sfence.vma
    MODE_CASE(6, 1, 0)
    li a1, 0x2000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x2000)

    /* 7: with PBMTE, NC and IO pages work as memory here */
    li t0, PBMTE
    csrs menvcfg, t0
    PTE_HI(pt_l0, 3, data1, V | R | W | A | D, PBMT_IO)
    MODE_CASE(7, 1, 0)
    li a1, 0x2000
    ld a0, 0(a1)
    li a1, 0x3000
    ld a2, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x1111111111111111)
    EXPECT(a2, 0x1111111111111111)

    /* 8: PBMT = 3 is reserved: page fault even with PBMTE */
    PTE_HI(pt_l0, 4, data1, V | R | W | A | D, PBMT_RSVD)
    MODE_CASE(8, 1, 0)
    li a1, 0x4000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x4000)

    /* 9: PBMT on a non-leaf: page fault */
    PTE_HI(pt_l1, 2, pt_l0, V, PBMT_NC)
    sfence.vma
    MODE_CASE(9, 1, 0)
    li a1, 0x401000
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(13, 0x401000)

    /* 10: Svinval in S: a PTE changed, then sfence.w.inval, sinval.vma
     * for its address, sfence.inval.ir: the new mapping is seen */
    MODE_CASE(10, 1, 0)
    li a1, 0x1000
    ld a0, 0(a1)                        /* data1, now in the TLB */
    MODE_END
    PTE(pt_l0, 1, data2, V | R | W | A | D)
    MODE_CASE(11, 1, 0)
    li a1, 0x1000
    sfence.w.inval
    sinval.vma a1, zero
    sfence.inval.ir
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x2222)

    /* 12: sfence.w.inval and sfence.inval.ir are illegal in U */
    MODE_CASE(12, 0, UOFF)
    sfence.w.inval
    MODE_END
    EXPECT(s9, 2)
    MODE_CASE(13, 0, UOFF)
    sfence.inval.ir
    MODE_END
    EXPECT(s9, 2)

    /* 14: with mstatus.TVM, sinval.vma is illegal in S, the two others are not */
    li t0, TVM
    csrs mstatus, t0
    MODE_CASE(14, 1, 0)
    sfence.w.inval
    sfence.inval.ir
    sinval.vma zero, zero
    MODE_END
    EXPECT(s9, 2)
    li t0, TVM
    csrc mstatus, t0
    j pass

TEST_END
MMU_CATCHER

    .data
    .balign 4096
pt_g:
    .skip 4096
pt_l1:
    .skip 4096
pt_l0:
    .skip 4096
data1:
    .dword 0x1111111111111111
    .balign 4096
data2:
    .dword 0x2222
    .balign 4096
    .balign 65536
napot1:
    .skip 65536
napot2:
    .skip 65536

/*
 * Svadu (privileged spec, "Svadu"): menvcfg.ADUE (bit 61) chooses how the
 * A and D bits of a leaf PTE get set, under Sv39 from S:
 *   ADUE = 1  the hart sets them itself: a load from a page with A = 0
 *             sets A, a store to one with D = 0 sets A and D (what a hart
 *             without Svadu does, and QEMU 7.2's: ADUE starts at 1)
 *   ADUE = 0  Svade: a load, store or fetch with A = 0, or a store with
 *             D = 0, is a page fault of its kind and the PTE is unchanged
 * Without Svadu ADUE is read-only 0 (tests/isa/csr_counters.S's rv64).
 */
# hartvm-args: -cpu rv64,svadu=true
#include "harness.h"

#define V 0x01
#define R 0x02
#define W 0x04
#define X 0x08
#define A 0x40
#define D 0x80
#define ADUE (1 << 61)
#define DATA_VA 0x1000
#define CODE_VA 0x2000

/* table[idx] = a PTE for the page at label target with flags */
#define PTE(table, idx, target, flags)      \
    la t0, target;                          \
    srli t0, t0, 12;                        \
    slli t0, t0, 10;                        \
    ori t0, t0, flags;                      \
    la t1, table;                           \
    sd t0, (idx) * 8(t1);

/* a0 = the flags (low 8 bits) of table[idx] */
#define PTE_FLAGS(table, idx)               \
    la t1, table;                           \
    ld a0, (idx) * 8(t1);                   \
    andi a0, a0, 0xff;

TEST_BEGIN
    MMU_CATCHER_INSTALL
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f
    csrw pmpcfg0, t0
    PTE(pt_g, 0, pt_l1, V)
    PTE(pt_g, 2, _start, V | R | W | X | A | D)     /* 1 GiB at 0x8000_0000: S code */
    PTE(pt_l1, 0, pt_l0, V)
    la t0, pt_g
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma

    /* 1: ADUE is set out of reset, and writable */
    CASE(1)
    csrr a0, menvcfg
    EXPECT_BITS(a0, ADUE, ADUE)
    li t0, ADUE
    csrc menvcfg, t0
    csrr a0, menvcfg
    EXPECT_BITS(a0, ADUE, 0)
    csrs menvcfg, t0

    /* 2: ADUE = 1: a load through A = 0 succeeds and sets A, not D */
    PTE(pt_l0, 1, data1, V | R | W)
    sfence.vma
    MODE_CASE(2, 1, 0)
    li a1, DATA_VA
    ld a2, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a2, 0x1111)
    PTE_FLAGS(pt_l0, 1)
    EXPECT(a0, V | R | W | A)
    /* 3: ... a store through D = 0 sets D */
    MODE_CASE(3, 1, 0)
    li a1, DATA_VA
    li a2, 0x3333
    sd a2, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    PTE_FLAGS(pt_l0, 1)
    EXPECT(a0, V | R | W | A | D)

    /* 4: ADUE = 0: a load through A = 0 is a load page fault, A stays 0 */
    li t0, ADUE
    csrc menvcfg, t0
    PTE(pt_l0, 1, data1, V | R | W)
    sfence.vma
    MODE_CASE(4, 1, 0)
    li a1, DATA_VA
    ld a2, 0(a1)
    MODE_END
    EXPECT_TRAP(13, DATA_VA)
    PTE_FLAGS(pt_l0, 1)
    EXPECT(a0, V | R | W)
    /* 5: ... a store through A = 1, D = 0 is a store page fault */
    PTE(pt_l0, 1, data1, V | R | W | A)
    sfence.vma
    MODE_CASE(5, 1, 0)
    li a1, DATA_VA + 8
    sd zero, 0(a1)
    MODE_END
    EXPECT_TRAP(15, DATA_VA + 8)
    PTE_FLAGS(pt_l0, 1)
    EXPECT(a0, V | R | W | A)
    /* 6: ... while a load through A = 1 still works */
    MODE_CASE(6, 1, 0)
    li a1, DATA_VA
    ld a2, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a2, 0x3333)
    /* 7: ... a fetch through A = 0 is an instruction page fault */
    PTE(pt_l0, 2, code1, V | R | X)
    sfence.vma
    MODE_CASE(7, 1, 0)
    li t0, CODE_VA
    jalr t0
    MODE_END
    EXPECT_TRAP(12, CODE_VA)
    PTE_FLAGS(pt_l0, 2)
    EXPECT(a0, V | R | X)
    /* 8: set again, the same fetch runs and sets A */
    li t0, ADUE
    csrs menvcfg, t0
    MODE_CASE(8, 1, 0)
    li t0, CODE_VA
    jalr t0
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a3, 0x77)
    PTE_FLAGS(pt_l0, 2)
    EXPECT(a0, V | R | X | A)
    j pass

TEST_END
MMU_CATCHER

    .balign 4096
code1:                      /* S code at CODE_VA: a3 = 0x77, return */
    li a3, 0x77
    ret

    .data
    .balign 4096
pt_g:
    .skip 4096
pt_l1:
    .skip 4096
pt_l0:
    .skip 4096
data1:
    .dword 0x1111
    .balign 4096

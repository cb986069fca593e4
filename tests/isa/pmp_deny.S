/*
 * PMP denials (privileged spec 3.7): access faults 1/5/7 with mtval = the
 * address, TOR/NAPOT ranges, priority, a code page that PMP splits (each
 * fetch is checked, not only the first on the page), PMP on the page-table
 * walk itself, and the L bit binding M (last: locks stick until reset).
 *
 * Entries used: 0..1 under test, 15 = NAPOT over everything, RWX (so all
 * that no lower entry matches is open to S and U).
 */
#include "harness.h"

#define NAPOT 0x18
#define TOR   0x08
#define L     0x80
#define MPRV  (1 << 17)

/* pmpcfg0 byte for entry i */
#define CFG(i, v) ((v) << (8 * (i)))

TEST_BEGIN
    MMU_CATCHER_INSTALL
    li t0, -1
    csrw pmpaddr15, t0
    li t0, CFG(7, NAPOT | 7)
    csrw pmpcfg2, t0

    /* 1..3: NAPOT 4 KiB over rpage, read-only for S */
    la t0, rpage
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr0, t0
    li t0, CFG(0, NAPOT | 1)
    csrw pmpcfg0, t0
    MODE_CASE(1, 1, 0)
    la a1, rpage + 0xff8
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x7777)
    MODE_CASE(2, 1, 0)
    la a1, rpage
    sw a1, 0x10(a1)
    MODE_END
    EXPECT(s9, 7)
    la t0, rpage + 0x10
    bne s11, t0, fail
    MODE_CASE(3, 0, 0)
    la a1, rpage
    jr a1
    MODE_END
    EXPECT(s9, 1)
    la t0, rpage
    bne s11, t0, fail
    bne s10, t0, fail
    /* 4: M is not bound by an unlocked entry */
    CASE(4)
    la a1, rpage
    li a0, 0x7777
    sd a0, 0x18(a1)
    ld a2, 0x18(a1)
    EXPECT(a2, 0x7777)

    /* 5: no permission at all: loads fault too (cause 5), from U as well */
    li t0, CFG(0, NAPOT)
    csrw pmpcfg0, t0
    MODE_CASE(5, 0, 0)
    la a1, rpage
    lb a0, 1(a1)
    MODE_END
    EXPECT(s9, 5)
    la t0, rpage + 1
    bne s11, t0, fail

    /* 6..7: TOR [rpage, rpage + 0x800) read-only; priority over entry 15 */
    la t0, rpage
    srli t0, t0, 2
    csrw pmpaddr0, t0
    la t0, rpage + 0x800
    srli t0, t0, 2
    csrw pmpaddr1, t0
    li t0, CFG(1, TOR | 1)
    csrw pmpcfg0, t0
    MODE_CASE(6, 1, 0)
    la a1, rpage + 0x7f8
    sd a1, 0(a1)
    MODE_END
    EXPECT(s9, 7)
    MODE_CASE(7, 1, 0)
    la a1, rpage + 0x800
    sd a1, 0(a1)            /* entry 15 only: allowed */
    ld a0, -8(a1)
    MODE_END
    EXPECT_TRAP(9, 0)

    /* 8..11: code pages split by PMP: [xpage, xpage + 0x800) executable,
     * the rest not (TOR R|W), and xpage2 + 0x800 not (NA4 R). Execution
     * that falls through, jumps, or straddles into the denied part faults
     * there (mtval = the denied half, mepc = the instruction). */
    la t0, xpage + 0x800
    srli t0, t0, 2
    csrw pmpaddr0, t0
    la t0, xpage + 0x1000
    srli t0, t0, 2
    csrw pmpaddr1, t0
    la t0, xpage2 + 0x800
    srli t0, t0, 2
    csrw pmpaddr2, t0
    li t0, CFG(1, TOR | 3) | CFG(2, 0x10 | 1)
    csrw pmpcfg0, t0
    sfence.vma
    MODE_CASE(8, 1, 0)
    la a1, xpage + 0x7f0
    jalr a1                 /* nops, falling through into 0x800 */
    MODE_END
    EXPECT(s9, 1)
    la t0, xpage + 0x800
    bne s11, t0, fail
    bne s10, t0, fail
    MODE_CASE(9, 1, 0)
    la a1, xpage + 0x100
    jalr a1                 /* jumps within the page to 0x804 */
    MODE_END
    EXPECT(s9, 1)
    la t0, xpage + 0x804
    bne s11, t0, fail
    MODE_CASE(10, 1, 0)
    la a1, xpage2 + 0x7e0
    jalr a1                 /* a 32-bit instruction at 0x7fe */
    MODE_END
    EXPECT(s9, 1)
    la t0, xpage2 + 0x800
    bne s11, t0, fail
    la t0, xpage2 + 0x7fe
    bne s10, t0, fail
    /* 11: the executable half still runs (and returns) */
    MODE_CASE(11, 1, 0)
    li a0, 0
    la a1, xpage + 0x200
    jalr a1
    MODE_END
    EXPECT_TRAP(9, 0)
    EXPECT(a0, 0x55)
    /* 12: M runs the whole page (unlocked entries) */
    CASE(12)
    li a0, 0
    la a1, xpage + 0x7f0
    jalr a1
    EXPECT(a0, 0x66)

    /* 13..14: PMP on the page-table walk: with the root table unreadable
     * for S, translation fails with an access fault, not a page fault */
    la t0, pt_root
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr0, t0
    li t0, CFG(0, NAPOT)
    csrw pmpcfg0, t0
    la t0, pt_root
    li t1, 0x80000 << 10 | 0xcf     /* 1 GiB identity at 0x8000_0000, RWX AD */
    sd t1, 2 * 8(t0)
    srli t0, t0, 12
    li t1, 8 << 60
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
    MODE_CASE(13, 1, 0)
    nop                     /* the fetch itself cannot be translated */
    MODE_END
    EXPECT(s9, 1)
    la t0, 7b
    bne s10, t0, fail
    /* 14: M with MPRV = 1, MPP = S: a load walks as S and faults (5) */
    CASE(14)
    li s9, -1
    la s8, 2f
    li t0, 3 << 11
    csrc mstatus, t0
    li t0, MPRV | (1 << 11)
    csrs mstatus, t0
    la a1, rpage
    ld a0, 0(a1)
    j fail
2:  li t0, MPRV
    csrc mstatus, t0
    EXPECT(s9, 5)
    /* 15: tables readable: the same S code runs */
    li t0, CFG(0, NAPOT | 1)
    csrw pmpcfg0, t0
    sfence.vma
    MODE_CASE(15, 1, 0)
    la a1, rpage + 0xff8
    ld a0, 0(a1)
    MODE_END
    EXPECT_TRAP(9, 0)
    csrw satp, zero
    sfence.vma

    /* 16..18: a locked entry binds M and ignores writes */
    la t0, rpage
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    csrw pmpaddr0, t0
    li t0, CFG(0, L | NAPOT | 1)
    csrw pmpcfg0, t0
    CASE(16)
    li s9, -1
    la s8, 2f
    la a1, rpage
    sd a1, 8(a1)
    j fail
2:  EXPECT(s9, 7)
    la t0, rpage + 8
    bne s11, t0, fail
    CASE(17)
    la a1, rpage + 0xff8
    ld a0, 0(a1)        /* reads are still allowed */
    EXPECT(a0, 0x7777)
    CASE(18)
    li t0, CFG(0, NAPOT | 7)
    csrw pmpcfg0, t0
    csrw pmpaddr0, zero
    csrr a0, pmpcfg0
    andi a0, a0, 0xff
    EXPECT(a0, L | NAPOT | 1)
    csrr a0, pmpaddr0
    la t0, rpage
    srli t0, t0, 2
    ori t0, t0, 0x1ff
    bne a0, t0, fail

    j pass
TEST_END
MMU_CATCHER

/* Code pages PMP splits at 0x800 (TOR above for xpage, NA4 for xpage2). */
    .balign 4096
xpage:
    .option push
    .option norvc
    .skip 0x100
    j xpage + 0x804         /* 0x100 */
    .skip 0x200 - 0x104
    li a0, 0x55             /* 0x200 */
    ret
    .skip 0x7f0 - 0x208
    .rept 8
    .2byte 0x0001           /* 0x7f0..0x7fe: c.nop */
    .endr
    li a0, 0x66             /* 0x800 */
    ret                     /* 0x804 */
    .balign 4096
xpage2:
    .skip 0x7e0
    j xpage2 + 0x7fe        /* 0x7e0 */
    .skip 0x7fe - 0x7e4
    .2byte 0x0513           /* 0x7fe: low half of "li a0, 0x66" ... */
    .2byte 0x0660           /* 0x800: ... high half */
    ret
    .option pop
    .balign 4096

    .data
    .balign 4096
rpage:
    .skip 0xff8
    .dword 0x7777
pt_root:
    .skip 4096

/*
 * HTIF exit (design.md 1, as Spike and QEMU honour it): an ELF that
 * defines `tohost`/`fromhost` gets them as HTIF words; writing
 * (code << 1) | 1 to tohost (device 0, command 0) ends the run with exit
 * status `code`. This program checks the words, then exits with 0 through
 * HTIF. If the write is ignored it falls through to a finisher failure
 * (case 3), so the pass can only come from HTIF.
 * htif_must_fail.S checks that a nonzero HTIF code becomes the exit status.
 */
#include "harness.h"

TEST_BEGIN
    /* 1: both words read 0 before any command */
    li gp, 1
    la a1, tohost
    la a2, fromhost
    ld a0, 0(a1)
    EXPECT_EQ(a0, 0)
    ld a0, 0(a2)
    EXPECT_EQ(a0, 0)
    /* 2: the guest may write fromhost (to acknowledge) and read it back */
    li gp, 2
    li t0, 0x55
    sd t0, 0(a2)
    ld a0, 0(a2)
    EXPECT_EQ(a0, 0x55)
    sd zero, 0(a2)
    ld a0, 0(a2)
    EXPECT_EQ(a0, 0)

    /* 3: exit with code 0: (0 << 1) | 1 */
    li gp, 3
    li t0, 1
    sd t0, 0(a1)
    li t1, 1000000                  /* HTIF should have stopped us */
2:  addi t1, t1, -1
    bnez t1, 2b
    j fail
TEST_END

    .section .tohost, "aw", @progbits
    .balign 64
    .globl tohost
tohost: .dword 0
    .balign 64
    .globl fromhost
fromhost: .dword 0

/*
 * 32-bit instructions that straddle a 4 KiB page boundary (first half at
 * offset 0xffe): reached sequentially and by a jump, executed repeatedly,
 * as ALU op, auipc (pc = its first byte), branch, jal (link = pc + 4, on
 * the next page), load and illegal instruction (mepc at its start, mtval =
 * all 32 bits); patched halves seen after fence.i; and a straddler whose
 * second half lies past the end of RAM (fetch access fault, mepc at the
 * instruction, mtval 0 or the address of the missing half: privileged
 * spec, "Machine Trap Value Register").
 */
#include "harness.h"
    .option norvc

#define RAM_END 0x88000000      /* run.sh uses the default -m 128M */

TEST_BEGIN
    TRAP_CATCHER_INSTALL

    CASE(1)                     /* reached sequentially from the page */
    li a0, 0
    la ra, 1f
    la t0, seq_entry
    jr t0
1:  EXPECT(a0, 5 + 0x123)
    CASE(2)                     /* reached by a jump to it */
    li a0, 1
    la ra, 1f
    la t0, strad_addi
    jr t0
1:  EXPECT(a0, 1 + 0x123)
    CASE(3)                     /* again: the decoded form is reused */
    li a0, 2
    li a3, 50
2:  la ra, 1f
    la t0, strad_addi
    jr t0
1:  addi a3, a3, -1
    bnez a3, 2b
    EXPECT(a0, 2 + 50 * 0x123)

    CASE(4)                     /* auipc sees its own pc */
    la ra, 1f
    la t0, strad_auipc
    jr t0
1:  la a1, strad_auipc
    bne a0, a1, fail

    CASE(5)                     /* branch taken */
    li a0, 0
    li a1, 7
    li a2, 7
    la ra, 1f
    la t0, strad_branch
    jr t0
1:  EXPECT(a0, 1)
    CASE(6)                     /* branch not taken: falls to pc + 4 */
    li a0, 0
    li a1, 8
    li a2, 7
    la ra, 1f
    la t0, strad_branch
    jr t0
1:  EXPECT(a0, 2)

    CASE(7)                     /* jal: link = pc + 4 on the next page */
    la ra, 1f
    la t0, strad_jal
    jr t0
1:  la a1, strad_jal
    addi a1, a1, 4
    bne a0, a1, fail

    CASE(8)                     /* a straddling load */
    la a1, straddle_data
    la ra, 1f
    la t0, strad_load
    jr t0
1:  EXPECT(a0, 0x0123456789abcdef)

    CASE(9)                     /* an illegal straddler traps whole */
    li s9, -1
    la s8, 1f
    la t0, strad_illegal
    jr t0
1:  EXPECT(s9, 2)
    la a1, strad_illegal
    bne s10, a1, fail
    EXPECT(s11, 0xfe000033)

    CASE(10)                    /* patch the upper half (next page) */
    la a1, strad_addi
    lhu a2, 2(a1)
    mv s1, a2                   /* keep the original */
    la a3, patch_addi_456
    lhu a3, 2(a3)
    sh a3, 2(a1)
    fence.i
    li a0, 0
    la ra, 1f
    la t0, strad_addi
    jr t0
1:  EXPECT(a0, 0x456)
    CASE(11)                    /* restore it: the old result again */
    la a1, strad_addi
    sh s1, 2(a1)
    fence.i
    li a0, 0
    la ra, 1f
    la t0, strad_addi
    jr t0
1:  EXPECT(a0, 0x123)
    CASE(12)                    /* patch the lower half: addi -> xori */
    la a1, strad_addi
    lhu s1, 0(a1)
    la a3, patch_xori
    lhu a3, 0(a3)
    sh a3, 0(a1)
    fence.i
    li a0, 0x7ff
    la ra, 1f
    la t0, strad_addi
    jr t0
1:  EXPECT(a0, 0x7ff ^ 0x123)
    la a1, strad_addi
    sh s1, 0(a1)
    fence.i

#ifndef NO_RAM_END_CASE
    CASE(13)                    /* a straddler at the end of RAM */
    li a1, RAM_END - 2
    la a2, strad_addi
    lhu a2, 0(a2)
    sh a2, 0(a1)                /* first half only: the rest is past RAM */
    fence.i
    li s9, -1
    la s8, 1f
    jr a1
1:  EXPECT(s9, 1)               /* instruction access fault */
    li a1, RAM_END - 2
    bne s10, a1, fail
    beqz s11, 2f
    EXPECT(s11, RAM_END)
2:
#endif

TEST_END
TRAP_CATCHER

/* Each straddler sits at 0xffe of its own page, called with ra = return. */
#define STRADDLE_PAGE                       \
    .balign 4096;                           \
    .skip 0xff0;

    .section .text.straddle, "ax"
    STRADDLE_PAGE
    .skip 0x8
seq_entry:                      /* at 0xff8: runs into the straddler */
    li a0, 5
    .option push
    .option rvc
    c.nop                       /* at 0xffc: 2 bytes, to reach 0xffe */
    .option pop
strad_addi:
    addi a0, a0, 0x123
    ret

    STRADDLE_PAGE
    .skip 0xe
strad_auipc:
    auipc a0, 0
    ret

    STRADDLE_PAGE
    .skip 0xe
strad_branch:
    beq a1, a2, 1f              /* taken when a1 = a2 */
    li a0, 2
    ret
1:  li a0, 1
    ret

    STRADDLE_PAGE
    .skip 0xe
strad_jal:
    jal a0, 1f
1:  ret

    STRADDLE_PAGE
    .skip 0xe
strad_load:
    ld a0, 0(a1)
    ret

    STRADDLE_PAGE
    .skip 0xe
strad_illegal:
    .4byte 0xfe000033           /* OP with funct7 1111111: no instruction */
    j fail

    .balign 4
patch_addi_456:
    addi a0, a0, 0x456
patch_xori:
    xori a0, a0, 0x123

    .data
    .balign 8
straddle_data:
    .dword 0x0123456789abcdef

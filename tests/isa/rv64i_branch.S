/*
 * RV64I control transfer: every conditional branch taken and not taken
 * (forward and backward) at signed and unsigned edges, jal/jalr link
 * values, jalr clearing bit 0 of the target, rd = rs1 in jalr, and long
 * jumps (unprivileged spec, "Control Transfer Instructions").
 */
#include "harness.h"
    .option norvc           /* base encodings only */

TEST_BEGIN

    /* ---- beq / bne ---- */
    T_BR(1,  beq, 1, 0, 0)
    T_BR(2,  beq, 1, -1, -1)
    T_BR(3,  beq, 0, 0, 1)
    T_BR(4,  beq, 0, 0x100000000, 0)            /* upper half differs only */
    T_BR(5,  beq, 0, 0x8000000000000000, 0)
    T_BR(6,  bne, 0, 0, 0)
    T_BR(7,  bne, 0, 0x8000000000000000, 0x8000000000000000)
    T_BR(8,  bne, 1, 1, 0)
    T_BR(9,  bne, 1, 0x100000000, 0)
    T_BR(10, bne, 1, -1, 0x7fffffffffffffff)

    /* ---- blt / bge (signed) ---- */
    T_BR(11, blt, 0, 0, 0)
    T_BR(12, blt, 1, 0, 1)
    T_BR(13, blt, 0, 1, 0)
    T_BR(14, blt, 1, -1, 0)
    T_BR(15, blt, 0, 0, -1)
    T_BR(16, blt, 1, -2, -1)
    T_BR(17, blt, 1, 0x8000000000000000, 0x7fffffffffffffff)
    T_BR(18, blt, 0, 0x7fffffffffffffff, 0x8000000000000000)
    T_BR(19, blt, 1, 0x8000000000000000, -1)
    T_BR(20, blt, 0, 0x80000000, 0x7fffffff)     /* 64-bit compare, not 32 */
    T_BR(21, bge, 1, 0, 0)
    T_BR(22, bge, 0, 0, 1)
    T_BR(23, bge, 1, 1, 0)
    T_BR(24, bge, 0, -1, 0)
    T_BR(25, bge, 1, 0, -1)
    T_BR(26, bge, 1, -1, -2)
    T_BR(27, bge, 0, 0x8000000000000000, 0x7fffffffffffffff)
    T_BR(28, bge, 1, 0x7fffffffffffffff, 0x8000000000000000)
    T_BR(29, bge, 1, 0x8000000000000000, 0x8000000000000000)
    T_BR(30, bge, 1, 0xffffffff, 0xffffffff80000000)

    /* ---- bltu / bgeu (unsigned) ---- */
    T_BR(31, bltu, 0, 0, 0)
    T_BR(32, bltu, 1, 0, 1)
    T_BR(33, bltu, 0, 1, 0)
    T_BR(34, bltu, 0, -1, 0)
    T_BR(35, bltu, 1, 0, -1)
    T_BR(36, bltu, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
    T_BR(37, bltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
    T_BR(38, bltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
    T_BR(39, bltu, 1, 0xffffffff, 0x100000000)
    T_BR(40, bltu, 0, -1, -1)
    T_BR(41, bgeu, 1, 0, 0)
    T_BR(42, bgeu, 0, 0, 1)
    T_BR(43, bgeu, 1, -1, 0)
    T_BR(44, bgeu, 0, 0, -1)
    T_BR(45, bgeu, 1, 0x8000000000000000, 0x7fffffffffffffff)
    T_BR(46, bgeu, 0, 0x7fffffffffffffff, 0x8000000000000000)
    T_BR(47, bgeu, 1, 0xffffffffffffffff, 0xffffffffffffffff)
    T_BR(48, bgeu, 0, 0xfffffffffffffffe, 0xffffffffffffffff)
    T_BR(49, bgeu, 1, 0x100000000, 0xffffffff)
    T_BR(50, bgeu, 1, 1, 0)

    /* ---- branch on the same register, and on x0 ---- */
    CASE(51)
    li a1, 9
    beq a1, a1, 1f
    j fail
1:  bne a1, a1, fail
    blt a1, a1, fail
    bltu a1, a1, fail
    bge a1, a1, 1f
    j fail
1:  bgeu a1, a1, 1f
    j fail
1:
    CASE(52)
    li a1, -5
    blt a1, x0, 1f          /* bltz */
    j fail
1:  bgeu x0, a1, fail       /* 0 >= 0xff..fb unsigned: not taken */
    bge x0, a1, 1f
    j fail
1:

    /* ---- branches with the largest offsets (+-4 KiB) ---- */
    CASE(53)
    li a1, 1
    beq a1, a1, far_fwd     /* +4094: the largest forward offset */
far_after_beq:
    j fail
far_back:
    li a1, 2
    j 2f
    /* Pad (never executed) so far_fwd is exactly 4094 bytes after the beq;
     * .org also stops the build if the code above ever outgrows it. */
    .org far_after_beq + 4090
far_fwd:
    CASE(54)
    li a1, 1
    .option push
    .option rvc
    c.nop
    .option pop
    .org far_back + 4096    /* a check only: the bne is 4096 bytes on */
    bne a1, zero, far_back  /* -4096: the largest backward offset */
    j fail
2:  EXPECT(a1, 2)

    /* ---- jal ---- */
    CASE(60)
    la a2, 1f
    jal ra, 2f
1:  j fail                  /* link points here */
2:  bne ra, a2, fail
    CASE(61)
    la a2, 1f
    jal t0, 2f              /* a link register other than ra */
1:  j fail
2:  bne t0, a2, fail
    CASE(62)
    li a0, 0
    j 2f                    /* jal x0 going forward ... */
1:  li a0, 1
    j 3f
2:  j 1b                    /* ... and backward */
3:  EXPECT(a0, 1)
    CASE(63)
    la a2, 1f
    jal ra, far_function    /* a jump to another page */
1:  bne ra, a2, fail
    EXPECT(a0, 0x600d)

    /* ---- jalr ---- */
    CASE(64)
    la a1, 2f
    la a2, 1f
    jalr ra, 0(a1)
1:  j fail
2:  bne ra, a2, fail
    CASE(65)
    la a1, 2f
    addi a1, a1, 1          /* odd target: bit 0 is cleared, no trap */
    la a2, 1f
    jalr ra, 0(a1)
1:  j fail
2:  bne ra, a2, fail
    CASE(66)
    la a1, 2f
    addi a1, a1, -7
    la a2, 1f
    jalr t1, 8(a1)          /* (a1 + 8) = target + 1: bit 0 cleared */
1:  j fail
2:  bne t1, a2, fail
    CASE(67)
    la a1, 2f
    addi a1, a1, 2047
    la a2, 1f
    jalr t1, -2047(a1)
1:  j fail
2:  bne t1, a2, fail
    CASE(68)
    la a1, 2f
    la a2, 1f
    jalr a1, 0(a1)          /* rd = rs1: the target uses the old value */
1:  j fail
2:  bne a1, a2, fail
    CASE(69)
    la a1, 2f
    addi a1, a1, 2047
    addi a1, a1, 2
    la a2, 1f
    jalr t1, -2048(a1)      /* most negative offset, and an odd sum */
1:  j fail
2:  bne t1, a2, fail
    CASE(70)
    la a2, 1f
    la a1, far_function
    jalr ra, a1
1:  bne ra, a2, fail
    EXPECT(a0, 0x600d)
    CASE(71)
    la a1, ret_here         /* jr / ret */
    li a0, 0
    jal ra, 1f
    j 2f
1:  li a0, 5
    ret
2:  EXPECT(a0, 5)
    j 3f
ret_here:
    j fail
3:
    /* ---- a loop: repeated backward branches ---- */
    CASE(72)
    li a1, 100
    li a0, 0
1:  addi a0, a0, 3
    addi a1, a1, -1
    bnez a1, 1b
    EXPECT(a0, 300)

    /* ---- jal beyond +-512 KiB (offset bit 19 and the sign bit 20) ----
     * Built at run time: at DP (a data page) "jal ra, FAR" with FAR =
     * DP + 0xc0000, and at FAR "li a0, 0x600d; jal x0, far_return". */
    CASE(80)
    la s1, far_code                 /* DP */
    li t0, 0xc0000
    add s2, s1, t0                  /* FAR */
    la a1, far_tpl                  /* FAR: the li, copied */
    lwu a2, 0(a1)
    sw a2, 0(s2)
    lwu a2, 4(a1)
    sw a2, 4(s2)
    la a0, far_return               /* FAR + 8: jal x0, far_return */
    addi t0, s2, 8
    sub a0, a0, t0
    call enc_jal
    sw a0, 8(s2)
    sub a0, s2, s1                  /* DP: jal ra, FAR */
    call enc_jal
    ori a0, a0, 1 << 7
    sw a0, 0(s1)
    fence.i
    li a0, 0
    jr s1
    j fail
far_return:
    EXPECT(a0, 0x600d)
    addi s1, s1, 4
    bne ra, s1, fail                /* link = DP + 4 */

TEST_END

/* a0 = the "jal x0, a0" instruction word for byte offset a0 */
enc_jal:
    li t0, 0x6f
    srli t1, a0, 20                 /* imm[20] -> bit 31 */
    andi t1, t1, 1
    slli t1, t1, 31
    or t0, t0, t1
    srli t1, a0, 1                  /* imm[10:1] -> bits 30:21 */
    andi t1, t1, 0x3ff
    slli t1, t1, 21
    or t0, t0, t1
    srli t1, a0, 11                 /* imm[11] -> bit 20 */
    andi t1, t1, 1
    slli t1, t1, 20
    or t0, t0, t1
    srli t1, a0, 12                 /* imm[19:12] -> bits 19:12 */
    andi t1, t1, 0xff
    slli t1, t1, 12
    or t0, t0, t1
    mv a0, t0
    ret

    .balign 4
far_tpl:                            /* copied, never run in place */
    lui a0, 0x6
    addi a0, a0, 0xd

    .section .text.far, "ax"
    .balign 4096
far_function:
    li a0, 0x600d
    ret

    .data
    .balign 4096
far_code:
    .dword 0

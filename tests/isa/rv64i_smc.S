/*
 * Self-modifying code: an instruction that has already run is overwritten
 * (sw, sh, sb, amoswap.w, with fence.i as Zifencei requires) and must run
 * in its new form: in a function on another page, in a loop on the
 * current page, compressed instructions, a 32-bit slot turned into two
 * 16-bit ones and back, and code written into a data page and run.
 * New instruction words are copied from templates, not hand-encoded.
 */
#include "harness.h"
    .option norvc

/* Copy the 32-bit template at src over the instruction at dst. */
#define PATCH_W(dst, src)                   \
    la a4, src;                             \
    lwu a5, 0(a4);                          \
    la a4, dst;                             \
    sw a5, 0(a4);                           \
    fence.i;

TEST_BEGIN

    /* ---- a function on another page ---- */
    CASE(1)
    call smc_func
    EXPECT(a0, 1)
    CASE(2)
    PATCH_W(smc_func, tpl_li_2)
    call smc_func
    EXPECT(a0, 2)
    CASE(3)
    PATCH_W(smc_func, tpl_li_3)
    call smc_func
    EXPECT(a0, 3)
    CASE(4)                     /* change only the immediate's low byte */
    la a4, tpl_li_3
    lw a5, 0(a4)
    srli a5, a5, 20             /* imm[7:0] sits in bits 27:20 */
    addi a5, a5, 0x40           /* li a0, 3 -> li a0, 0x43 */
    la a4, smc_func
    srli a5, a5, 4
    sb a5, 3(a4)                /* byte 3 = imm[11:4] */
    fence.i
    call smc_func
    EXPECT(a0, 0x43)
    CASE(5)                     /* amoswap.w as the writer */
    la a4, tpl_li_2
    lw a5, 0(a4)
    la a4, smc_func
    amoswap.w zero, a5, (a4)
    fence.i
    call smc_func
    EXPECT(a0, 2)

    /* ---- the current page, in a loop ---- */
    CASE(10)
    li a3, 0
    li a2, 0
1:
loop_insn:
    addi a2, a2, 1              /* becomes addi a2, a2, 100 */
    bnez a3, 2f
    li a3, 1
    PATCH_W(loop_insn, tpl_addi_100)
    j 1b
2:  EXPECT(a2, 101)

    CASE(11)                    /* straight on, right after the store */
    la s2, tpl_li_2
    li a3, 0
1:  lwu a5, 0(s2)
    la a4, ahead_insn
    sw a5, 0(a4)
    fence.i
ahead_insn:
    li a0, 1                    /* first round li a0, 2; then li a0, 3 */
    bnez a3, 2f
    EXPECT(a0, 2)
    li a3, 1
    la s2, tpl_li_3
    j 1b
2:  EXPECT(a0, 3)

    /* ---- compressed instructions ---- */
    CASE(20)
    call c_func
    EXPECT(a0, 1)
    CASE(21)
    la a4, tpl_c_li_7
    lhu a5, 0(a4)
    la a4, c_func
    sh a5, 0(a4)
    fence.i
    call c_func
    EXPECT(a0, 7)
    CASE(22)                    /* 32-bit slot -> two 16-bit instructions */
    call w_func
    EXPECT(a0, 0x111)
    PATCH_W(w_func, tpl_two_c)
    call w_func
    EXPECT(a0, 5 + 3)
    CASE(23)                    /* ... and back */
    PATCH_W(w_func, tpl_li_111)
    call w_func
    EXPECT(a0, 0x111)

    /* ---- code built in a data page ---- */
    CASE(30)
    la a1, data_code
    la a4, tpl_li_2
    lwu a5, 0(a4)
    sw a5, 0(a1)
    la a4, tpl_ret
    lwu a5, 0(a4)
    sw a5, 4(a1)
    fence.i
    li a0, 0
    jalr ra, a1
    EXPECT(a0, 2)
    CASE(31)
    PATCH_W(data_code, tpl_li_3)
    li a0, 0
    la a1, data_code
    jalr ra, a1
    EXPECT(a0, 3)
    CASE(32)                    /* many rewrites of the same word */
    li s1, 20
1:  PATCH_W(data_code, tpl_li_2)
    la a1, data_code
    jalr ra, a1
    EXPECT(a0, 2)
    PATCH_W(data_code, tpl_li_3)
    la a1, data_code
    jalr ra, a1
    EXPECT(a0, 3)
    addi s1, s1, -1
    bnez s1, 1b

TEST_END

    .section .text.smc, "ax"
    .balign 4096
smc_func:
    li a0, 1
    ret
    .balign 4
c_func:
    .option push
    .option rvc
    c.li a0, 1
    c.jr ra
    .option pop
    .balign 4
w_func:
    li a0, 0x111
    ret

/* Templates: never executed, only copied. */
    .balign 4
tpl_li_2:     li a0, 2
tpl_li_3:     li a0, 3
tpl_li_111:   li a0, 0x111
tpl_addi_100: addi a2, a2, 100
tpl_ret:      ret
    .option push
    .option rvc
tpl_c_li_7:   c.li a0, 7
    .balign 4
tpl_two_c:    c.li a0, 5
              c.addi a0, 3
    .option pop

    .data
    .balign 4096
data_code:
    .dword 0, 0

/*
 * One instruction of one extension, for tests/system/cpu_options.sh: built
 * once per -D below, run under -cpu lines that have the extension and lines
 * that do not. Exit status (test finisher, (code << 16) | 0x3333):
 *   0  the instruction ran and gave the right result
 *   3  it raised illegal instruction (mcause 2, privileged spec table 3.6)
 *   4  any other trap, or a wrong result
 * MISA_BIT=N instead reads misa (privileged spec 3.1.1): 5 if bit N is set,
 * 6 if clear.
 */
#define FINISHER 0x100000
    .section .text.init
    .option norvc               /* only the C case's instruction is compressed */
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li t0, 1 << 13              /* mstatus.FS = Initial, for the F case */
    csrs mstatus, t0
#if defined(MISA_BIT)
    csrr t0, misa
    srli t0, t0, MISA_BIT
    andi t0, t0, 1
    li a0, 6
    beqz t0, finish
    li a0, 5
    j finish
#else
    li a1, 5
    li a2, 7
#endif
#if defined(MISA_BIT)
#elif defined(TEST_ZBA)
    sh1add a0, a1, a2           /* (5 << 1) + 7 */
    li t1, 17
#elif defined(TEST_ZBB)
    andn a0, a2, a1             /* 7 & ~5 */
    li t1, 2
#elif defined(TEST_ZBS)
    bset a0, a1, a2             /* 5 | 1 << 7 */
    li t1, 133
#elif defined(TEST_ZICOND)
    .insn r 0x33, 5, 7, a0, a1, a2      /* czero.eqz a0, a1, a2: a2 != 0, so a1 */
    li t1, 5
#elif defined(TEST_ZBC)
    li a0, 1
    .insn r 0x33, 2, 5, a0, a1, a2      /* clmulr a0, a1, a2: 5 x 7 = 27, bits 126:63: 0 */
    li t1, 0
#elif defined(TEST_ZBKC)
    .insn r 0x33, 1, 5, a0, a1, a2      /* clmul a0, a1, a2: 0b101 x 0b111 = 0b11011 */
    li t1, 27
#elif defined(TEST_ZBKB)
    .insn r 0x33, 4, 4, a0, a1, a2      /* pack a0, a1, a2: 7 << 32 | 5 */
    li t1, (7 << 32) | 5
#elif defined(TEST_ZBKX)
    .insn r 0x33, 4, 0x14, a0, a1, a2   /* xperm8 a0, a1, a2: byte 0 <- byte 7 (0), others <- byte 0 */
    li t1, 0x0505050505050500
#elif defined(TEST_ZIMOP)
    li a0, 1
    .insn r 0x73, 4, 0x41, a0, a1, a2   /* mop.rr.0 a0, a1, a2: 0 */
    li t1, 0
#elif defined(TEST_ZCB)
    .option push
    .option rvc
    .2byte 0x9dcd               /* c.mul a1, a1 (x11): 25 */
    c.nop
    .option pop
    mv a0, a1
    li t1, 25
#elif defined(TEST_ZCMOP)
    .option push
    .option rvc
    .2byte 0x6081               /* c.mop.1: ra unchanged */
    c.nop
    .option pop
    li a0, 0
    li t1, 0
#elif defined(TEST_M)
    mul a0, a1, a2
    li t1, 35
#elif defined(TEST_A)
    la t2, word
    amoadd.w a0, a2, (t2)       /* old value 5 */
    li t1, 5
#elif defined(TEST_C)
    .option push
    .option rvc
    c.add a1, a2                /* 12 */
    c.nop                       /* keeps what follows 4-byte aligned */
    .option pop
    mv a0, a1
    li t1, 12
#elif defined(TEST_F)
    fcvt.s.w f1, a1
    fcvt.w.s a0, f1
    li t1, 5
#elif defined(TEST_D)
    fcvt.d.w f1, a1
    fcvt.w.d a0, f1
    li t1, 5
#elif defined(TEST_ZFHMIN)
    li a1, 0x3c00
    .insn r 0x53, 0, 0x7a, ft0, a1, x0  /* fmv.h.x ft0, a1: 1.0 */
    .insn r 0x53, 0, 0x20, ft1, ft0, x2 /* fcvt.s.h ft1, ft0 */
    fmv.x.w a0, ft1
    li t1, 0x3f800000
#elif defined(TEST_ZFH)
    li a1, 0x3c00
    .insn r 0x53, 0, 0x7a, ft0, a1, x0  /* fmv.h.x ft0, a1: 1.0 */
    .insn r 0x53, 7, 0x02, ft1, ft0, ft0 /* fadd.h ft1, ft0, ft0: 2.0 */
    .insn r 0x53, 0, 0x72, a0, ft1, x0  /* fmv.x.h a0, ft1 */
    li t1, 0x4000
#elif defined(TEST_ZFA)
    .insn r 0x53, 0, 0x78, ft0, x16, x1 /* fli.s ft0, 1.0 (entry 16) */
    fmv.x.w a0, ft0
    li t1, 0x3f800000
#elif defined(TEST_ZFA_D)
    .insn r 0x53, 0, 0x79, ft0, x16, x1 /* fli.d ft0, 1.0 */
    fmv.x.d a0, ft0
    li t1, 0x3ff0000000000000
#elif defined(TEST_ZFA_H)
    .insn r 0x53, 0, 0x7a, ft0, x16, x1 /* fli.h ft0, 1.0 */
    .insn r 0x53, 0, 0x72, a0, ft0, x0  /* fmv.x.h a0, ft0 */
    li t1, 0x3c00
#elif defined(TEST_ZIFENCEI)
    fence.i
    mv a0, a1
    li t1, 5
#elif defined(TEST_SSTC)
    csrr a0, 0x14d              /* stimecmp */
    li t1, 0
    mv a0, t1
#elif defined(TEST_SDTRIG)
    csrr a0, tselect            /* Sdtrig (-cpu debug=) */
    li t1, 0
    mv a0, t1
#elif defined(TEST_PMP)
    csrr a0, pmpcfg0
    li t1, 0
    mv a0, t1
#else
#error "one of TEST_* or MISA_BIT"
#endif
    bne a0, t1, wrong
    li a0, 0
    j finish
wrong:
    li a0, 4
    j finish
    .balign 4
trap:
    csrr t0, mcause
    li a0, 3
    li t1, 2
    beq t0, t1, finish
    li a0, 4
finish:
    li t1, 0x5555               /* pass */
    beqz a0, 1f
    slli a0, a0, 16
    li t1, 0x3333
    or t1, a0, t1
1:  mv a0, t1
    li t1, FINISHER
    sw a0, 0(t1)
2:  j 2b
    .data
    .balign 4
word:
    .word 5

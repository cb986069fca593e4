/*
 * RV64C: every RV64 compressed instruction (the F/D loads and stores
 * excepted: they belong with the FP tests), immediates at each bit and at
 * the ends of their ranges, negative c.lui/c.andi, shamt 63, c.j and the
 * branch ranges, c.jr/c.jalr link values (pc + 2), HINT encodings that
 * must run as no-ops, c.ebreak (mcause 3, mepc at it), and reserved
 * encodings, which must raise an illegal-instruction exception with the
 * 16 instruction bits in mtval (unprivileged spec, "C" Standard Extension,
 * "RVC Instruction Set Listings"; privileged spec, mtval).
 */
#include "harness.h"
    .option rvc

/* rd = op(rd, rs): v1 in rd, v2 in rs */
#define T_C2(n, inst, rd, rs, expected, v1, v2) \
    CASE(n)                                 \
    li rd, v1;                              \
    li rs, v2;                              \
    inst rd, rs;                            \
    EXPECT(rd, expected)

/* rd = op(rd, imm) */
#define T_C1(n, inst, rd, expected, v1, imm) \
    CASE(n)                                 \
    li rd, v1;                              \
    inst rd, imm;                           \
    EXPECT(rd, expected)

/* The sp-relative load area holds the word 0x80000000 + offset at each
 * 4-byte offset, so a word load gives 0xffffffff80000000 + off and a
 * doubleword load gives two such words. */
#define WORD_AT(off) (0xffffffff80000000 + (off))
#define DWORD_AT(off) (((0x80000004 + (off)) << 32) + 0x80000000 + (off))

#define T_CLWSP(n, off)                     \
    CASE(n)                                 \
    la sp, ld_area;                         \
    c.lwsp a0, off(sp);                     \
    EXPECT(a0, WORD_AT(off))
#define T_CLDSP(n, off)                     \
    CASE(n)                                 \
    la sp, ld_area;                         \
    c.ldsp a0, off(sp);                     \
    EXPECT(a0, DWORD_AT(off))
#define T_CLW(n, rd, rs, off)               \
    CASE(n)                                 \
    la rs, ld_area;                         \
    c.lw rd, off(rs);                       \
    EXPECT(rd, WORD_AT(off))
#define T_CLD(n, rd, rs, off)               \
    CASE(n)                                 \
    la rs, ld_area;                         \
    c.ld rd, off(rs);                       \
    EXPECT(rd, DWORD_AT(off))

/* Stores go to the zeroed st_area: check the value, that the next word is
 * still 0, then clear it again. */
#define T_CSWSP(n, off)                     \
    CASE(n)                                 \
    la sp, st_area;                         \
    li a0, 0x1234567880000000 + (off);      \
    c.swsp a0, off(sp);                     \
    lw a1, off(sp);                         \
    EXPECT(a1, WORD_AT(off))                \
    lw a1, off+4(sp);                       \
    EXPECT(a1, 0)                           \
    sw zero, off(sp);
#define T_CSDSP(n, off)                     \
    CASE(n)                                 \
    la sp, st_area;                         \
    li a0, DWORD_AT(off);                   \
    c.sdsp a0, off(sp);                     \
    ld a1, off(sp);                         \
    EXPECT(a1, DWORD_AT(off))               \
    ld a1, off+8(sp);                       \
    EXPECT(a1, 0)                           \
    sd zero, off(sp);
#define T_CSW(n, rv, rs, off)               \
    CASE(n)                                 \
    la rs, st_area;                         \
    li rv, 0x1234567880000000 + (off);      \
    c.sw rv, off(rs);                       \
    lw a1, off(rs);                         \
    EXPECT(a1, WORD_AT(off))                \
    lw a1, off+4(rs);                       \
    EXPECT(a1, 0)                           \
    sw zero, off(rs);
#define T_CSD(n, rv, rs, off)               \
    CASE(n)                                 \
    la rs, st_area;                         \
    li rv, DWORD_AT(off);                   \
    c.sd rv, off(rs);                       \
    ld a1, off(rs);                         \
    EXPECT(a1, DWORD_AT(off))               \
    ld a1, off+8(rs);                       \
    EXPECT(a1, 0)                           \
    sd zero, off(rs);

/* sp-relative address arithmetic: compare with a base addi */
#define T_ADDI16SP(n, imm)                  \
    CASE(n)                                 \
    la sp, ld_area;                         \
    c.addi16sp sp, imm;                     \
    la t5, ld_area;                         \
    addi t5, t5, imm;                       \
    bne sp, t5, fail;
#define T_ADDI4SPN(n, rd, imm)              \
    CASE(n)                                 \
    la sp, ld_area;                         \
    c.addi4spn rd, sp, imm;                 \
    la t5, ld_area;                         \
    addi t5, t5, imm;                       \
    bne rd, t5, fail;

/* c.beqz/c.bnez on v: a2 = 1 if taken (forward and backward copies) */
#define T_CBR(n, inst, reg, taken, v)       \
    CASE(n)                                 \
    li reg, v;                              \
    li a2, 0;                               \
    inst reg, 7f;                           \
    c.j 8f;                                 \
7:  li a2, 1;                               \
8:  EXPECT(a2, taken)                       \
    li a2, 0;                               \
    c.j 8f;                                 \
7:  li a2, 1;                               \
    c.j 9f;                                 \
8:  inst reg, 7b;                           \
9:  EXPECT(a2, taken)

/* A HINT must run as a no-op: a0 and x0 unchanged. */
#define T_HINT(n, bits)                     \
    CASE(n)                                 \
    li a0, 0x0123456789abcdef;              \
    .2byte bits;                            \
    EXPECT(a0, 0x0123456789abcdef)          \
    bnez x0, fail;

TEST_BEGIN
    TRAP_CATCHER_INSTALL

    /* ---- register-register ALU (rd', rs2' over x8..x15, any for add/mv) ---- */
    T_C2(1,  c.sub,  a0, a1, -2, 5, 7)
    T_C2(2,  c.sub,  s0, a5, 0x7fffffffffffffff, 0x8000000000000000, 1)
    T_C2(3,  c.xor,  a5, s0, 0xf00ff00ff00ff00f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    T_C2(4,  c.or,   s1, a4, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    T_C2(5,  c.and,  a3, a2, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    T_C2(6,  c.subw, a0, a1, 0x7fffffff, 0x80000000, 1)
    T_C2(7,  c.subw, s0, s1, -1, 0, 1)
    T_C2(8,  c.subw, a5, a4, 0xffffffff80000000, 0x7fffffff, -1)
    T_C2(9,  c.subw, a0, a1, 0, 0x100000000, 0)
    T_C2(10, c.addw, a0, a1, 0xffffffff80000000, 0x7fffffff, 1)
    T_C2(11, c.addw, s1, s0, 0, 0xffffffff00000001, 0x00000001ffffffff)
    T_C2(12, c.addw, a2, a3, 0x23456789, 0x12345678, 0x11111111)
    T_C2(13, c.add,  a0, a1, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_C2(14, c.add,  t3, t4, 0, -1, 1)
    T_C2(15, c.add,  ra, t5, 0x1111111111111110, 0x0123456789abcdef, 0x0fedcba987654321)
    T_C2(16, c.mv,   a0, a1, 0x8000000000000001, 0x55, 0x8000000000000001)
    T_C2(17, c.mv,   t5, s1, 0xfedcba9876543210, 0, 0xfedcba9876543210)
    T_C2(18, c.mv,   s1, t5, -1, 0, -1)

    /* ---- register-immediate ALU ---- */
    T_C1(20, c.addi,  a0, -32, 0, -32)
    T_C1(21, c.addi,  t5, 31, 0, 31)
    T_C1(22, c.addi,  s0, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_C1(23, c.addi,  a0, 0, -1, 1)
    T_C1(24, c.addi,  a0, 0x100000000, 0xffffffff, 1)
    /* Quadrant 1, funct3 001 is c.addiw in RV64 (c.jal exists in RV32 only):
     * no link is written and no jump is taken. */
    T_C1(25, c.addiw, a0, 0xffffffff80000000, 0x7fffffff, 1)
    T_C1(26, c.addiw, t4, 0, 0xffffffff, 1)
    T_C1(27, c.addiw, a0, 0xffffffff9abcdef0, 0x123456789abcdef0, 0)
    T_C1(28, c.addiw, s1, -32, 0, -32)
    T_C1(29, c.addiw, a0, 0x7fffffff, 0x80000000, -1)
    CASE(19)
    li ra, 0x1111
    li a0, 0x10
    .2byte 0x2505           /* c.addiw a0, 1; as RV32 c.jal it would jump */
    EXPECT(a0, 0x11)
    EXPECT(ra, 0x1111)
    T_C1(30, c.andi,  a0, 0x123456789abcdee0, 0x123456789abcdef0, -32)
    T_C1(31, c.andi,  s0, 31, -1, 31)
    T_C1(32, c.andi,  a5, -1, -1, -1)
    T_C1(33, c.andi,  a0, 0, 0x55, 0)
    T_C1(34, c.andi,  a1, 0x80000000000000f0, 0x80000000000000ff, -16)
    T_C1(35, c.srli,  a0, 1, 0x8000000000000000, 63)
    T_C1(36, c.srli,  s1, 0x80000000, 0x8000000000000000, 32)
    T_C1(37, c.srli,  a0, 0x1ffffffff, -1, 31)
    T_C1(38, c.srli,  a5, 0x7fffffffffffffff, -1, 1)
    T_C1(39, c.srai,  a0, -1, 0x8000000000000000, 63)
    T_C1(40, c.srai,  s0, 0xffffffff80000000, 0x8000000000000000, 32)
    T_C1(41, c.srai,  a0, 0, 0x7fffffffffffffff, 63)
    T_C1(42, c.srai,  a4, 0xc000000000000000, 0x8000000000000000, 1)
    T_C1(43, c.srai,  a0, 1, 0x4000000000000000, 62)
    T_C1(44, c.slli,  a0, 0x8000000000000000, 1, 63)
    T_C1(45, c.slli,  t3, 0x100000000, 1, 32)
    T_C1(46, c.slli,  a0, 0x7fffffff80000000, 0xffffffff, 31)
    T_C1(47, c.slli,  s1, 6, 3, 1)
    T_C1(48, c.li,    a0, 0xffffffffffffffe0, 0x5555, -32)
    T_C1(49, c.li,    t5, 31, 0x5555, 31)
    T_C1(50, c.li,    s0, 0, 0x5555, 0)
    T_C1(51, c.lui,   a0, 0x1000, 0x5555, 1)
    T_C1(52, c.lui,   t4, 0x1f000, 0x5555, 31)
    T_C1(53, c.lui,   a0, 0xfffffffffffe0000, 0x5555, 0xfffe0)
    T_C1(54, c.lui,   s1, 0xfffffffffffff000, 0x5555, 0xfffff)
    T_C1(55, c.lui,   a0, 0xffffffffffff0000, 0x5555, 0xffff0)
    T_C1(56, c.lui,   ra, 0x10000, 0x5555, 16)
    CASE(57)
    li a0, 99
    c.nop
    EXPECT(a0, 99)

    /* ---- sp-relative addresses: each immediate bit ---- */
    T_ADDI16SP(60, 16)
    T_ADDI16SP(61, 32)
    T_ADDI16SP(62, 64)
    T_ADDI16SP(63, 128)
    T_ADDI16SP(64, 256)
    T_ADDI16SP(65, -512)
    T_ADDI16SP(66, 496)
    T_ADDI16SP(67, -16)
    T_ADDI4SPN(68, a0, 4)
    T_ADDI4SPN(69, s0, 8)
    T_ADDI4SPN(70, a5, 16)
    T_ADDI4SPN(71, a0, 32)
    T_ADDI4SPN(72, s1, 64)
    T_ADDI4SPN(73, a0, 128)
    T_ADDI4SPN(74, a2, 256)
    T_ADDI4SPN(75, a0, 512)
    T_ADDI4SPN(76, a3, 1020)

    /* ---- loads: each offset bit, the largest offset, sign extension ---- */
    T_CLWSP(80, 0)
    T_CLWSP(81, 4)
    T_CLWSP(82, 8)
    T_CLWSP(83, 16)
    T_CLWSP(84, 32)
    T_CLWSP(85, 64)
    T_CLWSP(86, 128)
    T_CLWSP(87, 252)
    T_CLDSP(88, 0)
    T_CLDSP(89, 8)
    T_CLDSP(90, 16)
    T_CLDSP(91, 32)
    T_CLDSP(92, 64)
    T_CLDSP(93, 128)
    T_CLDSP(94, 256)
    T_CLDSP(95, 504)
    T_CLW(96,  a0, a1, 0)
    T_CLW(97,  s0, a5, 4)
    T_CLW(98,  a5, s0, 8)
    T_CLW(99,  a0, s1, 16)
    T_CLW(100, s1, a0, 32)
    T_CLW(101, a0, a1, 64)
    T_CLW(102, a2, a3, 124)
    T_CLD(103, a0, a1, 0)
    T_CLD(104, s0, a5, 8)
    T_CLD(105, a5, s0, 16)
    T_CLD(106, a0, s1, 32)
    T_CLD(107, a4, a2, 64)
    T_CLD(108, a0, a1, 128)
    T_CLD(109, a3, a4, 248)
    T_CLW(110, a0, a0, 60)          /* rd = rs1 */

    /* ---- stores ---- */
    T_CSWSP(120, 0)
    T_CSWSP(121, 4)
    T_CSWSP(122, 8)
    T_CSWSP(123, 16)
    T_CSWSP(124, 32)
    T_CSWSP(125, 64)
    T_CSWSP(126, 128)
    T_CSWSP(127, 252)
    T_CSDSP(128, 0)
    T_CSDSP(129, 8)
    T_CSDSP(130, 16)
    T_CSDSP(131, 32)
    T_CSDSP(132, 64)
    T_CSDSP(133, 128)
    T_CSDSP(134, 256)
    T_CSDSP(135, 504)
    T_CSW(136, a0, a2, 0)
    T_CSW(137, s0, a5, 4)
    T_CSW(138, a5, s0, 8)
    T_CSW(139, a0, s1, 16)
    T_CSW(140, s1, a0, 32)
    T_CSW(141, a3, a2, 64)
    T_CSW(142, a4, a5, 124)
    T_CSD(143, a0, a2, 0)
    T_CSD(144, s0, a5, 8)
    T_CSD(145, a5, s0, 16)
    T_CSD(146, a0, s1, 32)
    T_CSD(147, s1, a0, 64)
    T_CSD(148, a3, a2, 128)
    T_CSD(149, a4, a5, 248)

    /* ---- c.beqz / c.bnez ---- */
    T_CBR(150, c.beqz, a0, 1, 0)
    T_CBR(151, c.beqz, a0, 0, 1)
    T_CBR(152, c.beqz, s0, 0, 0x100000000)      /* all 64 bits count */
    T_CBR(153, c.beqz, a5, 0, 0x8000000000000000)
    T_CBR(154, c.bnez, a0, 0, 0)
    T_CBR(155, c.bnez, s1, 1, 1)
    T_CBR(156, c.bnez, a4, 1, 0x100000000)
    T_CBR(157, c.bnez, a0, 1, -1)
    /* The ends of the branch range, +254 and -256. The assembler turns a
     * forward c.beqz/c.bnez it cannot prove in range into a 32-bit branch,
     * so the forward ones are written as bits; the layout is fixed-size. */
    CASE(158)
    li a0, 0
    li a1, 0
1:  .2byte 0xcd7d           /* c.beqz a0, . + 254 */
2:  c.li a1, 5
    .option push
    .option norvc
    j 3f                    /* 4 bytes, never relaxed */
    .option pop
    .org 1b + 254           /* pads, never executed */
    c.nop                   /* the c.beqz lands here */
    c.nop
    .org 2b + 256           /* a check only */
    c.beqz a0, 2b           /* . - 256 */
    .2byte 0                /* illegal: fails the case */
3:  EXPECT(a1, 5)
    CASE(159)
    li a0, 1
    li a1, 0
1:  .2byte 0xed7d           /* c.bnez a0, . + 254 */
2:  c.li a1, 6
    .option push
    .option norvc
    j 3f
    .option pop
    .org 1b + 254
    c.nop
    c.nop
    .org 2b + 256
    c.bnez a0, 2b
    .2byte 0
3:  EXPECT(a1, 6)

    /* ---- c.j ---- */
    CASE(160)
    li a1, 0
    c.j 2f
1:  li a1, 1
    c.j 3f
2:  c.j 1b
3:  EXPECT(a1, 1)
    CASE(161)               /* the ends of the range: +2046 and -2048 */
    li a1, 0
1:  .2byte 0xaffd           /* c.j . + 2046 (as bits: see case 158) */
2:  c.li a1, 7
    .option push
    .option norvc
    j 3f
    .option pop
    .org 1b + 2046
    c.nop                   /* the c.j lands here */
    c.nop
    .org 2b + 2048
    c.j 2b                  /* . - 2048 */
    .2byte 0
3:  EXPECT(a1, 7)

    /* ---- c.jr / c.jalr ---- */
    CASE(170)
    la a1, 2f
    li ra, 0x5555
    c.jr a1
    j fail
2:  EXPECT(ra, 0x5555)      /* no link */
    CASE(171)
    la a1, 2f
    addi a1, a1, 1          /* bit 0 of the target is cleared */
    c.jr a1
    j fail
2:
    CASE(172)
    la a1, 2f
    la a2, 1f
1:  c.jalr a1
    j fail
2:  addi a2, a2, 2          /* link = pc + 2 */
    bne ra, a2, fail
    CASE(173)
    la ra, 2f
    la a2, 1f
1:  c.jalr ra               /* rs1 = ra: jumps to the old ra */
    j fail
2:  addi a2, a2, 2
    bne ra, a2, fail
    CASE(174)
    la t5, 2f
    addi t5, t5, 1
    la a2, 1f
1:  c.jalr t5               /* odd target */
    j fail
2:  addi a2, a2, 2
    bne ra, a2, fail
    CASE(175)
    la a2, 1f
    la a1, c_function
1:  c.jalr a1               /* call and return with c.jr ra */
    addi a2, a2, 2
    bne ra, a2, fail
    EXPECT(a0, 0xc0de)

    /* ---- c.ebreak ---- */
    CASE(180)
    li s9, -1
    la s8, 2f
    la s7, 1f
1:  c.ebreak
    j fail
2:  EXPECT(s9, 3)
    bne s10, s7, fail
    CASE(181)
    li s9, -1
    la s8, 2f
    la s7, 1f
1:  .2byte 0x9002           /* the same, as bits */
    j fail
2:  EXPECT(s9, 3)
    bne s10, s7, fail

    /* ---- HINTs run as no-ops ---- */
    T_HINT(190, 0x0005)     /* c.nop with nzimm = 1 */
    T_HINT(191, 0x0501)     /* c.addi a0, 0 */
    T_HINT(192, 0x4015)     /* c.li x0, 5 */
    T_HINT(193, 0x6005)     /* c.lui x0, 1 */
    T_HINT(194, 0x802a)     /* c.mv x0, a0 */
    T_HINT(195, 0x902a)     /* c.add x0, a0 */
    T_HINT(196, 0x0006)     /* c.slli x0, 1 */
    T_HINT(197, 0x0502)     /* c.slli a0, 0 (c.slli64) */
    T_HINT(198, 0x8101)     /* c.srli a0, 0 (c.srli64) */
    T_HINT(199, 0x8501)     /* c.srai a0, 0 (c.srai64) */
    T_HINT(200, 0x1001)     /* c.nop with nzimm = -32 */

    /* ---- reserved encodings: illegal instruction, mtval = the bits ---- */
    T_TRAP16(210, 0x0000, 2, 0x0000)    /* all zeros: c.addi4spn imm 0 */
    T_TRAP16(211, 0x0010, 2, 0x0010)    /* c.addi4spn x12, imm 0 */
    T_TRAP16(212, 0x001c, 2, 0x001c)    /* c.addi4spn x15, imm 0 */
    T_TRAP16(213, 0x6081, 2, 0x6081)    /* c.lui ra, 0 (c.mop.1 with Zcmop, off in rv64) */
    T_TRAP16(214, 0x7501 & 0xefff, 2, 0x6501)  /* c.lui a0, 0 */
    T_TRAP16(215, 0x6101, 2, 0x6101)    /* c.addi16sp 0 */
    T_TRAP16(216, 0x2001, 2, 0x2001)    /* c.addiw x0, 0 */
    T_TRAP16(217, 0x2005, 2, 0x2005)    /* c.addiw x0, 1 */
    T_TRAP16(218, 0x4002, 2, 0x4002)    /* c.lwsp x0, 0(sp) */
    T_TRAP16(219, 0x4012, 2, 0x4012)    /* c.lwsp x0, 4(sp) */
    T_TRAP16(220, 0x6002, 2, 0x6002)    /* c.ldsp x0, 0(sp) */
    T_TRAP16(221, 0x7002, 2, 0x7002)    /* c.ldsp x0, 32(sp) */
    T_TRAP16(222, 0x8002, 2, 0x8002)    /* c.jr x0 */
    /* Reserved in RV64C; Zcb (off in the default rv64, on in max:
     * tests/isa/bitmanip.py) makes them c.mul and c.zext.b. */
    T_TRAP16(223, 0x9c41, 2, 0x9c41)    /* funct6 100111, funct2 10 */
    T_TRAP16(224, 0x9c61, 2, 0x9c61)    /* funct6 100111, funct2 11 */
    CASE(225)               /* a trap leaves the destination alone */
    li a0, 0x1234
    li s9, -1
    la s8, 1f
    .2byte 0x2001
1:  EXPECT(s9, 2)
    EXPECT(a0, 0x1234)

    /* ---- 32-bit instructions at 2-byte aligned addresses ---- */
    CASE(230)
    li a0, 1
    c.nop
    .option push
    .option norvc
    addi a0, a0, 0x123      /* 4-byte encoding, pc % 4 == 2 */
    lui a1, 0x12345
    .option pop
    EXPECT(a0, 0x124)
    EXPECT(a1, 0x12345000)

TEST_END
TRAP_CATCHER

    .balign 4
c_function:
    li a0, 0xc0de
    c.jr ra

    .data
    .balign 1024
ld_area:
    .set i, 0
    .rept 256
    .word 0x80000000 + i
    .set i, i + 4
    .endr
    .balign 1024
st_area:
    .fill 1024, 1, 0

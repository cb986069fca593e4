/*
 * RV64I integer computation: every register-register and immediate ALU
 * op, lui/auipc, shifts by 0/31/32/63 and the masking of register shift
 * amounts, the W forms and their sign extension, slt/sltu edges, and
 * writes to x0 (unprivileged spec, "Integer Computational Instructions").
 */
#include "harness.h"
    .option norvc           /* base encodings only */

TEST_BEGIN
    TRAP_CATCHER_INSTALL

    /* ---- add / sub ---- */
    T_RR(1,  add, 0, 0, 0)
    T_RR(2,  add, 2, 1, 1)
    T_RR(3,  add, 10, 3, 7)
    T_RR(4,  add, 0xffffffffffff8000, 0xffffffffffff8000, 0)
    T_RR(5,  add, 0x8000000000000000, 0x8000000000000000, 0)
    T_RR(6,  add, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_RR(7,  add, 0, 0xffffffffffffffff, 1)
    T_RR(8,  add, 0x100000000, 0xffffffff, 1)
    T_RR(9,  add, 0, 0x8000000000000000, 0x8000000000000000)
    T_RR(10, sub, 0, 0, 0)
    T_RR(11, sub, 0, 1, 1)
    T_RR(12, sub, 0xfffffffffffffffc, 3, 7)
    T_RR(13, sub, 0xffffffffffffffff, 0, 1)
    T_RR(14, sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
    T_RR(15, sub, 0x8000000000000000, 0x7fffffffffffffff, -1)
    T_RR(16, sub, 0xffffffff, 0x100000000, 1)

    /* ---- logic ---- */
    T_RR(17, xor, 0xf00ff00ff00ff00f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    T_RR(18, or,  0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    T_RR(19, and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    T_RR(20, xor, 0xaaaaaaaaaaaaaaaa, -1, 0x5555555555555555)
    T_RR(21, or,  0, 0, 0)
    T_RR(22, and, 0x123456789abcdef0, -1, 0x123456789abcdef0)

    /* ---- slt / sltu ---- */
    T_RR(23, slt, 0, 0, 0)
    T_RR(24, slt, 0, 1, 1)
    T_RR(25, slt, 1, 3, 7)
    T_RR(26, slt, 0, 7, 3)
    T_RR(27, slt, 1, -1, 0)
    T_RR(28, slt, 0, 0, -1)
    T_RR(29, slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
    T_RR(30, slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
    T_RR(31, sltu, 0, -1, 0)
    T_RR(32, sltu, 1, 0, -1)
    T_RR(33, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
    T_RR(34, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
    T_RR(35, sltu, 1, 0xfffffffffffffffe, 0xffffffffffffffff)
    T_RR(36, slt, 1, -2, -1)
    T_RR(37, slt, 0, -1, -2)
    T_RR(38, sltu, 0, 5, 5)
    T_RR(39, sltu, 1, 0xffffffff, 0x100000000)

    /* ---- immediate forms ---- */
    T_RI(40, addi, 0, 0, 0)
    T_RI(41, addi, 2, 1, 1)
    T_RI(42, addi, 10, 3, 7)
    T_RI(43, addi, 0xfffffffffffff800, 0, -2048)
    T_RI(44, addi, 0x7ff, 0, 2047)
    T_RI(45, addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
    T_RI(46, addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
    T_RI(47, addi, 0, -1, 1)
    T_RI(48, addi, 0x100000000, 0xffffffff, 1)
    T_RI(49, slti, 0, 0, 0)
    T_RI(50, slti, 1, -1, 0)
    T_RI(51, slti, 0, 0, -1)
    T_RI(52, slti, 0, 0x7ff, 2047)
    T_RI(53, slti, 1, 0x7fe, 2047)
    T_RI(54, slti, 1, 0x8000000000000000, -2048)
    T_RI(55, slti, 0, -2048, -2048)
    T_RI(56, sltiu, 1, 0, 1)
    T_RI(57, sltiu, 0, 1, 1)
    T_RI(58, sltiu, 1, 0xfffffffffffffffe, -1)
    T_RI(59, sltiu, 0, -1, -1)
    T_RI(60, sltiu, 1, 0x7fffffffffffffff, -2048)
    T_RI(61, sltiu, 0, 0x800, 2047)
    T_RI(62, xori, 0x00ff080f, 0x00ff0f00, 0x70f)
    T_RI(63, xori, 0xffffffffff00f0ff, 0x00ff0f00, -1)
    T_RI(64, xori, 0xfedcba98765435ef, 0x0123456789abcdef, -2048)
    T_RI(65, ori, 0xff00fff0, 0xff00ff00, 0x0f0)
    T_RI(66, ori, 0xfffffffffffff800, 0, -2048)
    T_RI(67, ori, 0x8000000000000001, 0x8000000000000000, 1)
    T_RI(68, andi, 0x700, 0xff00ff00, 0x70f)
    T_RI(69, andi, 0x123456789abcdef0, 0x123456789abcdef0, -1)
    T_RI(70, andi, 0x123456789abcd800, 0x123456789abcdef0, -2048)
    T_RI(71, andi, 0x7ff, -1, 0x7ff)

    /* ---- immediate shifts by 0, 1, 31, 32, 63 ---- */
    T_RI(72, slli, 1, 1, 0)
    T_RI(73, slli, 2, 1, 1)
    T_RI(74, slli, 0x80000000, 1, 31)
    T_RI(75, slli, 0x100000000, 1, 32)
    T_RI(76, slli, 0x8000000000000000, 1, 63)
    T_RI(77, slli, 0x8000000000000000, -1, 63)
    T_RI(78, slli, 0x1090909080000000, 0x21212121, 31)
    T_RI(79, srli, 0x8000000000000000, 0x8000000000000000, 0)
    T_RI(80, srli, 0x4000000000000000, 0x8000000000000000, 1)
    T_RI(81, srli, 0x100000000, 0x8000000000000000, 31)
    T_RI(82, srli, 0x80000000, 0x8000000000000000, 32)
    T_RI(83, srli, 1, 0x8000000000000000, 63)
    T_RI(84, srli, 1, -1, 63)
    T_RI(85, srai, 0x8000000000000000, 0x8000000000000000, 0)
    T_RI(86, srai, 0xc000000000000000, 0x8000000000000000, 1)
    T_RI(87, srai, 0xffffffff00000000, 0x8000000000000000, 31)
    T_RI(88, srai, 0xffffffff80000000, 0x8000000000000000, 32)
    T_RI(89, srai, -1, 0x8000000000000000, 63)
    T_RI(90, srai, 0, 0x7fffffffffffffff, 63)
    T_RI(91, srai, 0x7fffffff, 0x7fffffffffffffff, 32)

    /* ---- register shifts: only rs2[5:0] counts ---- */
    T_RR(92,  sll, 1, 1, 0)
    T_RR(93,  sll, 0x8000000000000000, 1, 63)
    T_RR(94,  sll, 1, 1, 64)
    T_RR(95,  sll, 2, 1, 0xffffffffffffffc1)
    T_RR(96,  sll, 0x100000000, 1, 32)
    T_RR(97,  sll, 0x80000000, 1, 31)
    T_RR(98,  srl, 1, 0x8000000000000000, 63)
    T_RR(99,  srl, 0x8000000000000000, 0x8000000000000000, 64)
    T_RR(100, srl, 0xffffffff, -1, 32)
    T_RR(101, srl, 1, -1, 0x7f)
    T_RR(102, sra, -1, 0x8000000000000000, 63)
    T_RR(103, sra, 0x8000000000000000, 0x8000000000000000, 64)
    T_RR(104, sra, 0xffffffff00000000, 0x8000000000000000, 31)
    T_RR(105, sra, 0, 0x7fffffffffffffff, 127)
    T_RR(106, sra, 0xffffffff80000000, 0x8000000000000000, 0xffffffffffffffe0)
    T_RR(107, srl, 0x80000000, 0x8000000000000000, 0xffffffffffffffe0)
    T_RR(108, sll, 0x8000000000000000, -1, 0x3f)
    T_RR(109, srl, -1, -1, 0x40)

    /* ---- lui / auipc ---- */
    CASE(110)
    lui a0, 0
    EXPECT(a0, 0)
    CASE(111)
    lui a0, 0x12345
    EXPECT(a0, 0x12345000)
    CASE(112)
    lui a0, 0x80000
    EXPECT(a0, 0xffffffff80000000)
    CASE(113)
    lui a0, 0xfffff
    EXPECT(a0, 0xfffffffffffff000)
    CASE(114)
    lui a0, 0x7ffff
    EXPECT(a0, 0x7ffff000)
    CASE(115)
    la a1, 1f
1:  auipc a0, 0
    bne a0, a1, fail
    CASE(116)
    la a1, 1f
1:  auipc a0, 1
    sub a0, a0, a1
    EXPECT(a0, 0x1000)
    CASE(117)
    la a1, 1f
1:  auipc a0, 0x80000
    sub a0, a0, a1
    EXPECT(a0, 0xffffffff80000000)
    CASE(118)
    la a1, 1f
1:  auipc a0, 0xfffff
    sub a0, a0, a1
    EXPECT(a0, -0x1000)
    CASE(119)
    la a1, 1f
1:  auipc a0, 0x7ffff
    sub a0, a0, a1
    EXPECT(a0, 0x7ffff000)

    /* ---- W forms: 32-bit result, sign-extended ---- */
    T_RI(120, addiw, 0xffffffff80000000, 0x7fffffff, 1)
    T_RI(121, addiw, 0, 0xffffffff, 1)
    T_RI(122, addiw, 0x12345678, 0xabcdef0012345678, 0)
    T_RI(123, addiw, 0xfffffffffffffffe, 0xfffffffe, 0)
    T_RI(124, addiw, 0x7fffffff, 0x80000000, -1)
    T_RI(125, addiw, 0xfffffffffffff800, 0, -2048)
    T_RR(126, addw, 0xffffffff80000000, 0x7fffffff, 1)
    T_RR(127, addw, 0, 0xffffffff00000001, 0x00000001ffffffff)
    T_RR(128, addw, 0, 0x80000000, 0x80000000)
    T_RR(129, addw, 0x23456789, 0x12345678, 0x11111111)
    T_RR(130, subw, 0x7fffffff, 0x80000000, 1)
    T_RR(131, subw, -1, 0, 1)
    T_RR(132, subw, 0xffffffff80000000, 0x7fffffff, -1)
    T_RR(133, subw, 0, 0x100000000, 0)
    T_RR(134, sllw, 0xffffffff80000000, 1, 31)
    T_RR(135, sllw, 1, 1, 32)
    T_RR(136, sllw, 1, 0xffffffff00000001, 0)
    T_RR(137, sllw, 0xffffffff80000000, 0x40000000, 1)
    T_RR(138, sllw, 0xffffffff80000000, 3, 31)
    T_RR(139, srlw, 0xffffffff80000000, 0x80000000, 0)
    T_RR(140, srlw, 0x40000000, 0x80000000, 1)
    T_RR(141, srlw, 1, 0x80000000, 31)
    T_RR(142, srlw, 0xffffffff80000000, 0x80000000, 32)
    T_RR(143, srlw, 0x08000000, 0xffffffff80000000, 4)
    T_RR(144, srlw, 1, 0x00000001ffffffff, 0x3f)
    T_RR(145, sraw, 0xffffffff80000000, 0x80000000, 0)
    T_RR(146, sraw, 0xffffffffc0000000, 0x80000000, 1)
    T_RR(147, sraw, -1, 0x80000000, 31)
    T_RR(148, sraw, 0xffffffff80000000, 0x80000000, 32)
    T_RR(149, sraw, 0, 0x7fffffff, 31)
    T_RR(150, sraw, 0xfffffffff8000000, 0x1234567880000000, 4)
    T_RI(151, slliw, 0xffffffff80000000, 1, 31)
    T_RI(152, slliw, -1, 0xffffffff, 0)
    T_RI(153, slliw, 0x23456780, 0x12345678, 4)
    T_RI(154, srliw, 0xffffffff80000000, 0x80000000, 0)
    T_RI(155, srliw, 1, 0x80000000, 31)
    T_RI(156, srliw, 0x7fffffff, -1, 1)
    T_RI(157, sraiw, -1, 0x80000000, 31)
    T_RI(158, sraiw, 0xffffffff80000000, 0x80000000, 0)
    T_RI(159, sraiw, 0, 0x7fffffff, 31)
    T_RI(160, sraiw, 0x3fffffff, 0xffffffff7fffffff, 1)
    T_RI(161, slliw, 0, 0x80000000, 1)
    T_RI(162, srliw, 0x00ffffff, 0xfedcba98ffffffff, 8)
    T_RR(163, sllw, 0xffffffff87654321, 0x87654321, 0xffffffffffffffe0)

    /* ---- x0 as destination stays 0 ---- */
    CASE(170)
    li a1, 5
    li a2, 7
    add x0, a1, a2
    bnez x0, fail
    CASE(171)
    addi x0, x0, 5
    bnez x0, fail
    CASE(172)
    lui x0, 0x12345
    bnez x0, fail
    CASE(173)
    auipc x0, 0x1
    bnez x0, fail
    CASE(174)
    addiw x0, a1, 1
    slli x0, a1, 3
    sub x0, x0, a1
    or x0, x0, a2
    bnez x0, fail
    CASE(175)
    add a0, x0, x0          /* read x0 through both ports */
    EXPECT(a0, 0)
    CASE(176)
    la a1, 1f
    jalr x0, 0(a1)          /* the link is discarded */
    j fail
1:  bnez x0, fail
    CASE(177)
    la a1, word_data
    lw x0, 0(a1)            /* a load into x0 is performed and discarded */
    ld x0, 0(a1)
    bnez x0, fail
    CASE(178)
    csrr x0, mscratch
    addi x0, zero, -1
    mv a0, zero
    EXPECT(a0, 0)

    /* ---- the same register as source and destination ---- */
    CASE(180)
    li a1, 13
    add a1, a1, a1
    EXPECT(a1, 26)
    CASE(181)
    li a1, 0x1234
    sub a1, a1, a1
    EXPECT(a1, 0)
    CASE(182)
    li a1, 5
    slt a0, a1, a1
    EXPECT(a0, 0)
    CASE(183)
    li a1, -3
    srai a1, a1, 1
    EXPECT(a1, -2)
    CASE(184)
    li a1, 0xffffffff
    addiw a1, a1, 0
    EXPECT(a1, -1)
    CASE(185)
    li a2, 3
    li a1, 1
    sll a2, a1, a2          /* rd = rs2 */
    EXPECT(a2, 8)

    /* ---- pseudo-instructions the toolchain maps onto these ops ---- */
    T_R1(190, neg, 0x8000000000000000, 0x8000000000000000)
    T_R1(191, not, 0xedcba98765432100, 0x123456789abcdeff)
    T_R1(192, seqz, 1, 0)
    T_R1(193, seqz, 0, 0x8000000000000000)
    T_R1(194, snez, 1, -1)
    T_R1(195, sltz, 1, 0x8000000000000000)
    T_R1(196, sgtz, 0, 0)
    T_R1(197, sext.w, 0xffffffff89abcdef, 0x0123456789abcdef)
    T_R1(198, negw, 0xffffffff80000000, 0x80000000)
    CASE(199)
    li a0, 77
    nop
    EXPECT(a0, 77)

    /* ---- reserved: W shifts with imm[5] set (RV64I, "Integer Register-
     * Immediate Instructions") are illegal, mtval = the instruction, and
     * the destination keeps its value ---- */
    li a0, 0x5a5a
    T_TRAP32(200, 0x0205151b, 2, 0x0205151b)   /* slliw a0, a0, 32 */
    EXPECT(a0, 0x5a5a)
    T_TRAP32(201, 0x0205551b, 2, 0x0205551b)   /* srliw a0, a0, 32 */
    EXPECT(a0, 0x5a5a)
    T_TRAP32(202, 0x4205551b, 2, 0x4205551b)   /* sraiw a0, a0, 32 */
    EXPECT(a0, 0x5a5a)

TEST_END
TRAP_CATCHER

    .data
    .balign 8
word_data:
    .dword 0x0123456789abcdef

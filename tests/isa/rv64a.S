/*
 * A extension: LR/SC success and failure (no reservation, a different
 * address, a second SC after a successful one), every AMO in .w and .d
 * form with its old value (sign-extended for .w) and the memory result,
 * signed/unsigned min/max edges, .w ignoring rs2[63:32] and leaving the
 * neighbouring word alone, aq/rl variants, and misaligned addresses
 * (unprivileged spec, "A" Extension: an SC failure writes 1 to rd; a
 * misaligned LR/SC/AMO raises an address-misaligned or access fault).
 */
#include "harness.h"
    .option norvc           /* base encodings only */

#define GUARD 0x5a5a5a5a

/* Word AMO: memory word = init with a guard word after it; rd must be
 * rd_exp (old value, sign-extended), the word mem_exp (zero-extended
 * here), and the guard must survive. */
#define T_AMOW(n, inst, rd_exp, mem_exp, init, operand) \
    CASE(n)                                 \
    la a1, amo_area;                        \
    li a2, init;                            \
    sw a2, 0(a1);                           \
    li a2, GUARD;                           \
    sw a2, 4(a1);                           \
    li a2, operand;                         \
    inst a0, a2, (a1);                      \
    EXPECT(a0, rd_exp)                      \
    lwu a3, 0(a1);                          \
    EXPECT(a3, mem_exp)                     \
    lwu a3, 4(a1);                          \
    EXPECT(a3, GUARD)

/* Doubleword AMO: rd must be the old value, the dword mem_exp. */
#define T_AMOD(n, inst, rd_exp, mem_exp, init, operand) \
    CASE(n)                                 \
    la a1, amo_area;                        \
    li a2, init;                            \
    sd a2, 0(a1);                           \
    li a2, operand;                         \
    inst a0, a2, (a1);                      \
    EXPECT(a0, rd_exp)                      \
    ld a3, 0(a1);                           \
    EXPECT(a3, mem_exp)

/* A misaligned atomic must trap with one of two causes and mtval = addr. */
#define T_AMO_MISALIGNED(n, cause1, cause2, ...) \
    CASE(n)                                 \
    la a1, amo_area;                        \
    addi a1, a1, 2;                         \
    li a2, 1;                               \
    li s9, -1;                              \
    la s8, 1f;                              \
    __VA_ARGS__;                            \
    j fail;                                 \
1:  bne s11, a1, fail;                      \
    li t6, cause1;                          \
    beq s9, t6, 2f;                         \
    EXPECT(s9, cause2)                      \
2:

TEST_BEGIN
    TRAP_CATCHER_INSTALL

    /* ---- LR/SC ---- */
    CASE(1)                 /* lr.w sign-extends; sc.w succeeds */
    la a1, amo_area
    li a2, 0x80000001
    sw a2, 0(a1)
    li a2, GUARD
    sw a2, 4(a1)
    lr.w a0, (a1)
    EXPECT(a0, 0xffffffff80000001)
    li a2, 0xabcdef0011223344   /* only the low word is stored */
    sc.w a3, a2, (a1)
    EXPECT(a3, 0)
    lwu a0, 0(a1)
    EXPECT(a0, 0x11223344)
    lwu a0, 4(a1)
    EXPECT(a0, GUARD)
    CASE(2)                 /* a second sc.w after a successful one fails */
    li a2, 0x55667788
    sc.w a3, a2, (a1)
    EXPECT(a3, 1)
    lwu a0, 0(a1)
    EXPECT(a0, 0x11223344)
    CASE(3)                 /* sc.w with no reservation at all fails */
    la a1, amo_other
    li a2, 0x1234
    sw a2, 0(a1)
    li a2, 0x9999
    sc.w a3, a2, (a1)
    EXPECT(a3, 1)
    lw a0, 0(a1)
    EXPECT(a0, 0x1234)
    CASE(4)                 /* sc.w to another address (256 bytes on) fails */
    la a1, amo_area
    la a4, amo_other
    lr.w a0, (a1)
    li a2, 0x7777
    sc.w a3, a2, (a4)
    EXPECT(a3, 1)
    lw a0, 0(a4)
    EXPECT(a0, 0x1234)
    lwu a0, 0(a1)
    EXPECT(a0, 0x11223344)
    CASE(5)                 /* ... and it used up the reservation */
    sc.w a3, a2, (a1)
    EXPECT(a3, 1)
    lwu a0, 0(a1)
    EXPECT(a0, 0x11223344)
    CASE(6)                 /* lr.d / sc.d */
    la a1, amo_area
    li a2, 0x8000000000000001
    sd a2, 0(a1)
    lr.d a0, (a1)
    EXPECT(a0, 0x8000000000000001)
    li a2, 0xfedcba9876543210
    sc.d a3, a2, (a1)
    EXPECT(a3, 0)
    ld a0, 0(a1)
    EXPECT(a0, 0xfedcba9876543210)
    CASE(7)
    sc.d a3, zero, (a1)     /* second sc.d fails */
    EXPECT(a3, 1)
    ld a0, 0(a1)
    EXPECT(a0, 0xfedcba9876543210)
    CASE(8)                 /* sc.d to another address fails */
    la a4, amo_other
    li a2, 0x4321
    sd a2, 0(a4)
    lr.d a0, (a1)
    sc.d a3, zero, (a4)
    EXPECT(a3, 1)
    ld a0, 0(a4)
    EXPECT(a0, 0x4321)
    CASE(9)                 /* rd = rs2 in sc: rd gets the status only */
    lr.d a0, (a1)
    li a2, 0x600d
    sc.d a2, a2, (a1)
    EXPECT(a2, 0)
    ld a0, 0(a1)
    EXPECT(a0, 0x600d)

    /* ---- word AMOs ---- */
    T_AMOW(10, amoswap.w, 0x12345678, 0x9abcdef0, 0x12345678, 0x9abcdef0)
    T_AMOW(11, amoswap.w, 0xffffffff80000000, 0x1, 0x80000000, 0x1)
    T_AMOW(12, amoswap.w, 0x7fffffff, 0xffffffff, 0x7fffffff, 0xffffffffffffffff)
    T_AMOW(13, amoadd.w, 0x1, 0x3, 0x1, 0x2)
    T_AMOW(14, amoadd.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x1)
    T_AMOW(15, amoadd.w, 0xffffffffffffffff, 0x0, 0xffffffff, 0x1)
    T_AMOW(16, amoadd.w, 0xffffffff80000000, 0x0, 0x80000000, 0x80000000)
    T_AMOW(17, amoadd.w, 0x10, 0x0, 0x10, 0xabcdef00fffffff0)
    T_AMOW(18, amoxor.w, 0xffffffffff00ff00, 0xf0f0f0f0, 0xff00ff00, 0xff00ff0)
    T_AMOW(19, amoxor.w, 0xffffffff80000000, 0x7fffffff, 0x80000000, 0xffffffff)
    T_AMOW(20, amoand.w, 0xffffffffff00ff00, 0xf000f00, 0xff00ff00, 0xff00ff0)
    T_AMOW(21, amoand.w, 0xffffffffffffffff, 0x9abcdef0, 0xffffffff, 0x123456789abcdef0)
    T_AMOW(22, amoor.w, 0xffffffffff00ff00, 0xfff0fff0, 0xff00ff00, 0xff00ff0)
    T_AMOW(23, amoor.w, 0x0, 0x1, 0x0, 0x8000000000000001)
    T_AMOW(24, amomin.w, 0x5, 0x3, 0x5, 0x3)
    T_AMOW(25, amomin.w, 0x3, 0x3, 0x3, 0x5)
    T_AMOW(26, amomin.w, 0xffffffff80000000, 0x80000000, 0x80000000, 0x7fffffff)
    T_AMOW(27, amomin.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x80000000)
    T_AMOW(28, amomin.w, 0xffffffffffffffff, 0xffffffff, 0xffffffff, 0x1)
    T_AMOW(29, amomin.w, 0x1, 0xffffffff, 0x1, 0xffffffff)
    T_AMOW(30, amomin.w, 0x0, 0x80000000, 0x0, 0x180000000)
    T_AMOW(31, amomin.w, 0xffffffff80000000, 0x80000000, 0x80000000, 0x80000000)
    T_AMOW(32, amomax.w, 0x5, 0x5, 0x5, 0x3)
    T_AMOW(33, amomax.w, 0x3, 0x5, 0x3, 0x5)
    T_AMOW(34, amomax.w, 0xffffffff80000000, 0x7fffffff, 0x80000000, 0x7fffffff)
    T_AMOW(35, amomax.w, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x80000000)
    T_AMOW(36, amomax.w, 0xffffffffffffffff, 0x1, 0xffffffff, 0x1)
    T_AMOW(37, amomax.w, 0x1, 0x1, 0x1, 0xffffffff)
    T_AMOW(38, amomax.w, 0x0, 0x0, 0x0, 0x180000000)
    T_AMOW(39, amomax.w, 0xfffffffffffffffe, 0xffffffff, 0xfffffffe, 0xffffffffffffffff)
    T_AMOW(40, amominu.w, 0x5, 0x3, 0x5, 0x3)
    T_AMOW(41, amominu.w, 0xffffffff80000000, 0x7fffffff, 0x80000000, 0x7fffffff)
    T_AMOW(42, amominu.w, 0x7fffffff, 0x7fffffff, 0x7fffffff, 0x80000000)
    T_AMOW(43, amominu.w, 0xffffffffffffffff, 0x1, 0xffffffff, 0x1)
    T_AMOW(44, amominu.w, 0x1, 0x1, 0x1, 0xffffffff)
    T_AMOW(45, amominu.w, 0x2, 0x1, 0x2, 0xffffffff00000001)
    T_AMOW(46, amomaxu.w, 0x5, 0x5, 0x5, 0x3)
    T_AMOW(47, amomaxu.w, 0xffffffff80000000, 0x80000000, 0x80000000, 0x7fffffff)
    T_AMOW(48, amomaxu.w, 0x7fffffff, 0x80000000, 0x7fffffff, 0x80000000)
    T_AMOW(49, amomaxu.w, 0xffffffffffffffff, 0xffffffff, 0xffffffff, 0x1)
    T_AMOW(50, amomaxu.w, 0x1, 0xffffffff, 0x1, 0xffffffff)
    T_AMOW(51, amomaxu.w, 0x2, 0x2, 0x2, 0x100000001)

    /* ---- doubleword AMOs ---- */
    T_AMOD(100, amoswap.d, 0x123456789abcdef, 0xfedcba9876543210, 0x123456789abcdef, 0xfedcba9876543210)
    T_AMOD(101, amoswap.d, 0x8000000000000000, 0x1, 0x8000000000000000, 0x1)
    T_AMOD(102, amoadd.d, 0x1, 0x3, 0x1, 0x2)
    T_AMOD(103, amoadd.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x1)
    T_AMOD(104, amoadd.d, 0xffffffffffffffff, 0x0, 0xffffffffffffffff, 0x1)
    T_AMOD(105, amoadd.d, 0xffffffff, 0x100000000, 0xffffffff, 0x1)
    T_AMOD(106, amoadd.d, 0x8000000000000000, 0x0, 0x8000000000000000, 0x8000000000000000)
    T_AMOD(107, amoxor.d, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0)
    T_AMOD(108, amoand.d, 0xff00ff00ff00ff00, 0xf000f000f000f00, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0)
    T_AMOD(109, amoor.d, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0)
    T_AMOD(110, amomin.d, 0x5, 0x3, 0x5, 0x3)
    T_AMOD(111, amomin.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    T_AMOD(112, amomin.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
    T_AMOD(113, amomin.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_AMOD(114, amomin.d, 0x1, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    T_AMOD(115, amomin.d, 0x80000000, 0x7fffffff, 0x80000000, 0x7fffffff)
    T_AMOD(116, amomax.d, 0x5, 0x5, 0x5, 0x3)
    T_AMOD(117, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    T_AMOD(118, amomax.d, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)
    T_AMOD(119, amomax.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
    T_AMOD(120, amomax.d, 0x1, 0x1, 0x1, 0xffffffffffffffff)
    T_AMOD(121, amomax.d, 0x80000000, 0x80000000, 0x80000000, 0x7fffffff)
    T_AMOD(122, amominu.d, 0x5, 0x3, 0x5, 0x3)
    T_AMOD(123, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
    T_AMOD(124, amominu.d, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)
    T_AMOD(125, amominu.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1)
    T_AMOD(126, amominu.d, 0x1, 0x1, 0x1, 0xffffffffffffffff)
    T_AMOD(127, amomaxu.d, 0x5, 0x5, 0x5, 0x3)
    T_AMOD(128, amomaxu.d, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x7fffffffffffffff)
    T_AMOD(129, amomaxu.d, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
    T_AMOD(130, amomaxu.d, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff, 0x1)
    T_AMOD(131, amomaxu.d, 0x1, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)

    /* ---- rd = x0, rd = rs2, rd = rs1 ---- */
    CASE(150)
    la a1, amo_area
    li a2, 40
    sd a2, 0(a1)
    li a2, 2
    amoadd.d zero, a2, (a1) /* the store still happens */
    ld a0, 0(a1)
    EXPECT(a0, 42)
    bnez x0, fail
    CASE(151)
    li a2, 7
    amoswap.d a2, a2, (a1)  /* rd = rs2: memory gets the old rs2 */
    EXPECT(a2, 42)
    ld a0, 0(a1)
    EXPECT(a0, 7)
    CASE(152)
    mv a4, a1
    li a2, 1
    amoadd.w a4, a2, (a4)   /* rd = rs1 */
    EXPECT(a4, 7)
    lw a0, 0(a1)
    EXPECT(a0, 8)

    /* ---- aq/rl variants ---- */
    CASE(160)
    la a1, amo_area
    sd zero, 0(a1)
    li a2, 3
    amoadd.w.aq a0, a2, (a1)
    amoadd.w.rl a0, a2, (a1)
    amoadd.w.aqrl a0, a2, (a1)
    EXPECT(a0, 6)
    amoor.d.aq a0, a2, (a1)
    amoxor.d.rl a0, a2, (a1)
    amoand.d.aqrl a0, a2, (a1)
    amomax.w.aq a0, a2, (a1)
    amominu.d.aqrl a0, a2, (a1)
    amoswap.d.rl a0, a2, (a1)
    EXPECT(a0, 3)
    ld a0, 0(a1)
    EXPECT(a0, 3)
    CASE(161)
    lr.w.aq a0, (a1)
    sc.w.rl a3, a2, (a1)
    EXPECT(a3, 0)
    lr.w.aqrl a0, (a1)
    sc.w.aqrl a3, a2, (a1)
    EXPECT(a3, 0)
    lr.d.aq a0, (a1)
    sc.d.rl a3, a2, (a1)
    EXPECT(a3, 0)
    lr.d.aqrl a0, (a1)
    sc.d.aqrl a3, a2, (a1)
    EXPECT(a3, 0)

    /* ---- an LR/SC retry loop: atomic increment 100 times ---- */
    CASE(170)
    la a1, amo_area
    sd zero, 0(a1)
    li a4, 100
1:  lr.d a0, (a1)
    addi a0, a0, 1
    sc.d a3, a0, (a1)
    bnez a3, 1b
    addi a4, a4, -1
    bnez a4, 1b
    ld a0, 0(a1)
    EXPECT(a0, 100)

    /* ---- misaligned atomics trap ---- */
    T_AMO_MISALIGNED(180, 4, 5, lr.w a0, (a1))
    T_AMO_MISALIGNED(181, 6, 7, sc.w a0, a2, (a1))
    T_AMO_MISALIGNED(182, 6, 7, amoadd.w a0, a2, (a1))
    T_AMO_MISALIGNED(183, 4, 5, lr.d a0, (a1))
    T_AMO_MISALIGNED(184, 6, 7, amoswap.d a0, a2, (a1))
    CASE(185)               /* and left memory alone */
    la a1, amo_area
    sd zero, 0(a1)
    addi a1, a1, 4
    li s9, -1
    la s8, 1f
    amoor.d a0, a2, (a1)
    j fail
1:  ld a0, -4(a1)
    EXPECT(a0, 0)

TEST_END
TRAP_CATCHER

    .data
    .balign 256
amo_area:
    .dword 0, 0
    .balign 256
amo_other:
    .dword 0

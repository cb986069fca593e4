/*
 * RV64I loads and stores: every width, sign and zero extension, positive
 * and negative offsets at the ends of the 12-bit range, stores writing
 * exactly their width, rd = rs1, and misaligned accesses (either done
 * correctly or trapping with the address in mtval: the unprivileged spec,
 * "Load and Store Instructions", allows both).
 */
#include "harness.h"
    .option norvc           /* base encodings only */

/* Fill the 16-byte scratch area with 0xaa, store v at off, and check the
 * first dword (expected) and that the second is untouched. */
#define T_STW(n, st, v, off, expected)      \
    CASE(n)                                 \
    la a1, scratch;                         \
    li a2, 0xaaaaaaaaaaaaaaaa;              \
    sd a2, 0(a1);                           \
    sd a2, 8(a1);                           \
    li a2, v;                               \
    st a2, off(a1);                         \
    ld a0, 0(a1);                           \
    EXPECT(a0, expected)                    \
    ld a0, 8(a1);                           \
    EXPECT(a0, 0xaaaaaaaaaaaaaaaa)

TEST_BEGIN
    TRAP_CATCHER_INSTALL

    /* ---- loads: sign and zero extension ---- */
    T_LD(1,  lb,  0x01, 0, tdat)
    T_LD(2,  lb,  0x7f, 1, tdat)
    T_LD(3,  lb,  -1, 2, tdat)
    T_LD(4,  lb,  0xffffffffffffff80, 3, tdat)
    T_LD(5,  lbu, 0x01, 0, tdat)
    T_LD(6,  lbu, 0xff, 2, tdat)
    T_LD(7,  lbu, 0x80, 3, tdat)
    T_LD(8,  lh,  0x7f01, 0, tdat)
    T_LD(9,  lh,  0xffffffffffff80ff, 2, tdat)
    T_LD(10, lh,  0x1234, 4, tdat)
    T_LD(11, lh,  0xffffffffffff8000, 6, tdat)
    T_LD(12, lhu, 0x80ff, 2, tdat)
    T_LD(13, lhu, 0x8000, 6, tdat)
    T_LD(14, lhu, 0x7f01, 0, tdat)
    T_LD(15, lw,  0xffffffff80ff7f01, 0, tdat)
    T_LD(16, lw,  0x7fffffff, 8, tdat)
    T_LD(17, lw,  0xffffffff80000000, 12, tdat)
    T_LD(18, lwu, 0x80ff7f01, 0, tdat)
    T_LD(19, lwu, 0x7fffffff, 8, tdat)
    T_LD(20, lwu, 0x80000000, 12, tdat)
    T_LD(21, ld,  0x0123456789abcdef, 16, tdat)
    T_LD(22, ld,  0xfedcba9876543210, 24, tdat)
    T_LD(23, ld,  0x8000123480ff7f01, 0, tdat)
    T_LD(24, lwu, 0x89abcdef, 16, tdat)
    T_LD(25, lw,  0x01234567, 20, tdat)
    T_LD(26, lh,  0xffffffffffffba98, 28, tdat)
    T_LD(27, lb,  0xfffffffffffffffe, 31, tdat)

    /* ---- negative and extreme offsets ---- */
    T_LD(30, lb,  0xffffffffffffff80, -13, tdat_mid)
    T_LD(31, lhu, 0x80ff, -14, tdat_mid)
    T_LD(32, lw,  0x7fffffff, -8, tdat_mid)
    T_LD(33, ld,  0x8000123480ff7f01, -16, tdat_mid)
    T_LD(34, lbu, 0x80, -1, tdat_mid)
    CASE(35)
    la a1, far_lo
    addi a1, a1, 2047
    addi a1, a1, 1          /* a1 = far_lo + 2048 */
    ld a0, -2048(a1)
    EXPECT(a0, 0x1111111122222222)
    CASE(36)
    la a1, far_lo
    ld a0, 2040(a1)
    EXPECT(a0, 0x3333333344444444)
    CASE(37)
    la a1, far_lo
    lbu a0, 2047(a1)
    EXPECT(a0, 0x33)
    CASE(38)
    la a1, tdat
    lw a1, 8(a1)            /* rd = rs1 */
    EXPECT(a1, 0x7fffffff)

    /* ---- stores write exactly their width ---- */
    T_STW(40, sb, 0x55, 0, 0xaaaaaaaaaaaaaa55)
    T_STW(41, sb, 0x55, 3, 0xaaaaaaaa55aaaaaa)
    T_STW(42, sb, 0x123456789abcde00, 7, 0x00aaaaaaaaaaaaaa)
    T_STW(43, sb, -1, 5, 0xaaaaffaaaaaaaaaa)
    T_STW(44, sh, 0x1234, 2, 0xaaaaaaaa1234aaaa)
    T_STW(45, sh, 0xfedcba9876548001, 6, 0x8001aaaaaaaaaaaa)
    T_STW(46, sh, 0, 0, 0xaaaaaaaaaaaa0000)
    T_STW(47, sw, 0x12345678, 4, 0x12345678aaaaaaaa)
    T_STW(48, sw, 0xffffffff00000000, 0, 0xaaaaaaaa00000000)
    T_STW(49, sw, -2, 4, 0xfffffffeaaaaaaaa)
    T_STW(50, sd, 0x0123456789abcdef, 0, 0x0123456789abcdef)
    T_STW(51, sd, 0, 0, 0)

    /* ---- store then load back at every width ---- */
    T_ST(55, sb, lb,  0xffffffffffffff9c, 0xabcd9c, 1, scratch)
    T_ST(56, sb, lbu, 0x9c, 0xabcd9c, 1, scratch)
    T_ST(57, sh, lh,  0xffffffffffff8765, 0x48765, 2, scratch)
    T_ST(58, sh, lhu, 0x8765, 0x48765, 2, scratch)
    T_ST(59, sw, lw,  0xffffffff90abcdef, 0x1234567890abcdef, 4, scratch)
    T_ST(60, sw, lwu, 0x90abcdef, 0x1234567890abcdef, 4, scratch)
    T_ST(61, sd, ld,  0x8000000000000001, 0x8000000000000001, 8, scratch)
    T_ST(62, sw, lw,  0x7ffffff0, 0x7ffffff0, -4, scratch_end)
    T_ST(63, sd, ld,  0xdeadbeefcafef00d, 0xdeadbeefcafef00d, -8, scratch_end)
    CASE(64)
    la a1, scratch
    li a2, 0x1122334455667788
    sd a2, 0(a1)
    lbu a0, 7(a1)           /* little-endian byte order */
    EXPECT(a0, 0x11)
    lhu a0, 0(a1)
    EXPECT(a0, 0x7788)
    lwu a0, 4(a1)
    EXPECT(a0, 0x11223344)
    CASE(65)
    la a1, scratch
    sd zero, 0(a1)          /* store x0 */
    ld a0, 0(a1)
    EXPECT(a0, 0)
    CASE(66)
    la a1, scratch
    sd a1, 0(a1)            /* rs1 = rs2 */
    ld a0, 0(a1)
    bne a0, a1, fail

    /* ---- misaligned: right data, or a misaligned trap at the address ---- */
#define T_MISALIGNED_LD(n, inst, expected, off)  \
    CASE(n)                                 \
    la a1, tdat;                            \
    li a0, 0x5a5a;                          \
    li s9, -1;                              \
    la s8, 1f;                              \
    inst a0, off(a1);                       \
    li s8, 0;                               \
    EXPECT(a0, expected)                    \
    j 2f;                                   \
1:  EXPECT(s9, 4)                           \
    addi a1, a1, off;                       \
    bne s11, a1, fail;                      \
    EXPECT(a0, 0x5a5a)                      \
2:
    T_MISALIGNED_LD(70, lh,  0xffffffffffffff7f, 1)
    T_MISALIGNED_LD(71, lhu, 0xff7f, 1)
    T_MISALIGNED_LD(72, lw,  0x3480ff7f, 1)
    T_MISALIGNED_LD(73, lwu, 0x00123480, 3)
    T_MISALIGNED_LD(74, ld,  0x00007fffffff8000, 6)
    T_MISALIGNED_LD(75, lw,  0xffffffff80000000, 12)    /* aligned control */
    CASE(76)
    la a1, scratch
    li a2, 0xaaaaaaaaaaaaaaaa
    sd a2, 0(a1)
    sd a2, 8(a1)
    li a2, 0x0102030405060708
    li s9, -1
    la s8, 1f
    sd a2, 3(a1)
    li s8, 0
    ld a0, 0(a1)            /* done: bytes 3..10 hold the value */
    EXPECT(a0, 0x0405060708aaaaaa)
    ld a0, 8(a1)
    EXPECT(a0, 0xaaaaaaaaaa010203)
    j 2f
1:  EXPECT(s9, 6)           /* trapped: nothing written */
    addi a1, a1, 3
    bne s11, a1, fail
    addi a1, a1, -3
    ld a0, 0(a1)
    EXPECT(a0, 0xaaaaaaaaaaaaaaaa)
2:

TEST_END
TRAP_CATCHER

    .data
    .balign 16
tdat:
    .byte 0x01, 0x7f, 0xff, 0x80
    .byte 0x34, 0x12, 0x00, 0x80
    .word 0x7fffffff
    .word 0x80000000
tdat_mid:
    .dword 0x0123456789abcdef
    .dword 0xfedcba9876543210

    .balign 16
scratch:
    .dword 0, 0
scratch_end:
    .dword 0

    .balign 8
far_lo:
    .dword 0x1111111122222222
    .fill 254, 8, 0
    .dword 0x3333333344444444

/*
 * FP state and encoding rules: misa F and D; mstatus.FS = Off makes FP
 * instructions and the fflags/frm/fcsr CSRs illegal (mtval = the
 * instruction); writes of FP state set FS = Dirty and SD; fcsr fields;
 * reserved rounding modes (static 5 and 6, dynamic with frm 5..7) are
 * illegal; NaN boxing on loads, stores and operations; compressed FP loads
 * and stores (c.fld, c.fsd, c.fldsp, c.fsdsp).
 */
#include "harness.h"

#define FS_MASK (3 << 13)
/* a0 = mstatus.FS */
#define READ_FS csrr a0, mstatus; srli a0, a0, 13; andi a0, a0, 3;
#define SET_FS(v) li t0, FS_MASK; csrc mstatus, t0; li t0, (v) << 13; csrs mstatus, t0;

TEST_BEGIN
    TRAP_CATCHER_INSTALL
    la sp, stack_top

    CASE(1)
    csrr a0, misa
    EXPECT_BITS(a0, (1 << 3) | (1 << 5), (1 << 3) | (1 << 5))
    CASE(2)
    READ_FS
    EXPECT(a0, 0)

    /* FS = Off: every FP instruction and FP CSR traps */
    T_TRAP32(10, 0x00007053, 2, 0x00007053)     /* fadd.s f0, f0, f0, dyn */
    T_TRAP32(11, 0x00102573, 2, 0x00102573)     /* csrr a0, fflags */
    T_TRAP32(12, 0x00202573, 2, 0x00202573)     /* csrr a0, frm */
    T_TRAP32(13, 0x00301073, 2, 0x00301073)     /* csrw fcsr, zero */
    T_TRAP32(14, 0x00012007, 2, 0x00012007)     /* flw f0, 0(sp) */
    T_TRAP32(15, 0x00013027, 2, 0x00013027)     /* fsd f0, 0(sp) */
    T_TRAP32(16, 0xe0000553, 2, 0xe0000553)     /* fmv.x.w a0, f0 */
    T_TRAP32(17, 0xf0000053, 2, 0xf0000053)     /* fmv.w.x f0, zero */
    T_TRAP32(18, 0x0000004f, 2, 0x0000004f)     /* fnmadd.s f0, f0, f0, f0, rne */
    T_TRAP16(19, 0x2002, 2, 0x2002)             /* c.fldsp f0, 0(sp) */
    T_TRAP16(20, 0xa002, 2, 0xa002)             /* c.fsdsp f0, 0(sp) */
    T_TRAP16(21, 0x2000, 2, 0x2000)             /* c.fld fs0, 0(s0) */
    CASE(22)
    READ_FS
    EXPECT(a0, 0)

    /* FS = Initial: reading keeps it, writing an f register makes it Dirty */
    CASE(30)
    SET_FS(1)
    fmv.x.w a0, f0
    fsw f0, 0(sp)
    READ_FS
    EXPECT(a0, 1)
    CASE(31)
    csrr a0, mstatus
    bltz a0, fail                               /* SD clear */
    CASE(32)
    li a1, 0x3f800000
    fmv.w.x f1, a1
    READ_FS
    EXPECT(a0, 3)
    CASE(33)
    csrr a0, mstatus
    bgez a0, fail                               /* SD set */
    csrr a0, sstatus
    bgez a0, fail
    CASE(34)                                    /* Clean, then a load: Dirty */
    SET_FS(2)
    flw f2, 0(sp)
    READ_FS
    EXPECT(a0, 3)
    CASE(35)                                    /* Clean, then a CSR write: Dirty */
    SET_FS(2)
    csrwi fflags, 0
    READ_FS
    EXPECT(a0, 3)
    CASE(36)                                    /* Clean, then new flags: Dirty */
    SET_FS(2)
    li a1, 0x7f800001
    fmv.w.x f3, a1                              /* (this write dirties too) */
    SET_FS(2)
    feq.s a0, f3, f3
    READ_FS
    EXPECT(a0, 3)
    csrr a0, fflags
    EXPECT(a0, 0x10)
    CASE(37)                                    /* Clean, then arithmetic: Dirty */
    SET_FS(2)
    fadd.s f4, f1, f1
    READ_FS
    EXPECT(a0, 3)

    /* fcsr = frm << 5 | fflags; upper bits read zero */
    CASE(40)
    li a1, 0xfff
    csrw fcsr, a1
    csrr a0, fcsr
    EXPECT(a0, 0xff)
    CASE(41)
    csrr a0, fflags
    EXPECT(a0, 0x1f)
    CASE(42)
    csrr a0, frm
    EXPECT(a0, 7)
    CASE(43)
    csrwi frm, 0x1a
    csrr a0, frm
    EXPECT(a0, 2)
    CASE(44)
    csrr a0, fcsr
    EXPECT(a0, 0x5f)
    CASE(45)
    csrwi fflags, 0x05
    csrr a0, fcsr
    EXPECT(a0, 0x45)
    CASE(46)
    fsflags a0, zero                            /* swap: old value out */
    EXPECT(a0, 0x05)
    csrr a0, fflags
    EXPECT(a0, 0)
    CASE(47)
    fsrmi a0, 1
    EXPECT(a0, 2)
    frrm a0
    EXPECT(a0, 1)

    /* reserved rounding modes */
    csrwi frm, 0
    T_TRAP32(50, 0x00005053, 2, 0x00005053)     /* fadd.s f0, f0, f0, rm=5 */
    T_TRAP32(51, 0x00006053, 2, 0x00006053)     /* fadd.s rm=6 */
    T_TRAP32(52, 0x5a005053, 2, 0x5a005053)     /* fsqrt.d rm=5 */
    T_TRAP32(53, 0xc0006553, 2, 0xc0006553)     /* fcvt.w.s a0, f0, rm=6 */
    T_TRAP32(54, 0x0200504f, 2, 0x0200504f)     /* fnmadd.d rm=5 */
    T_TRAP32(55, 0x42005053, 2, 0x42005053)     /* fcvt.d.s rm=5 */
    CASE(56)
    csrwi frm, 5
    T_TRAP32(57, 0x00007053, 2, 0x00007053)     /* fadd.s dyn with frm = 5 */
    csrwi frm, 6
    T_TRAP32(58, 0x00007053, 2, 0x00007053)
    csrwi frm, 7
    T_TRAP32(59, 0xd0007053, 2, 0xd0007053)     /* fcvt.s.w dyn with frm = 7 */
    CASE(60)                                    /* static rm works whatever frm holds */
    FMV_S(fa1, 0x3f800000)
    FMV_S(fa2, 0x33800000)
    fadd.s fa0, fa1, fa2, rup
    fmv.x.w a0, fa0
    EXPECT(a0, 0x3f800001)
    csrwi frm, 4                                /* dyn = RMM is valid */
    T_S2R(61, fadd.s, dyn, 0x3f800001, 0x01, 0x3f800000, 0x33800000)
    csrwi frm, 0

    /* NaN boxing */
    CASE(70)                                    /* flw boxes */
    la s0, fdata
    flw fa0, 0(s0)
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffff3f800000)
    CASE(71)                                    /* an unboxed single reads as the canonical NaN */
    fld fa1, 8(s0)                              /* 0x000000003f800000 */
    csrwi fflags, 0
    fadd.s fa0, fa1, fa1
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffff7fc00000)
    F_FLAGS(0)
    CASE(72)                                    /* partially boxed: also NaN */
    fld fa1, 16(s0)                             /* 0xfffffffe3f800000 */
    FMV_S(fa2, 0x3f800000)
    fmul.s fa0, fa2, fa1
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffff7fc00000)
    CASE(73)
    fcvt.d.s fa0, fa1
    fmv.x.d a0, fa0
    EXPECT(a0, 0x7ff8000000000000)
    CASE(74)
    feq.s a0, fa2, fa1
    EXPECT(a0, 0)
    F_FLAGS(0)                                  /* the canonical NaN is quiet */
    CASE(75)                                    /* fsw stores the low half unchecked */
    li a1, 0x123456789abcdef0
    fmv.d.x fa1, a1
    fsw fa1, 24(s0)
    lwu a0, 24(s0)
    EXPECT(a0, 0x9abcdef0)
    CASE(76)                                    /* fsd/fld round trip of any bits */
    fsd fa1, 32(s0)
    ld a0, 32(s0)
    EXPECT(a0, 0x123456789abcdef0)
    fld fa3, 32(s0)
    fmv.x.d a0, fa3
    EXPECT(a0, 0x123456789abcdef0)
    CASE(77)                                    /* loads keep sNaN bits */
    fld fa0, 40(s0)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x7ff0000000000001)

    /* compressed FP loads and stores */
    CASE(80)
    la s1, fdata
    c.fld fs0, 48(s1)                           /* 2.0 */
    fmv.x.d a0, fs0
    EXPECT(a0, 0x4000000000000000)
    CASE(81)
    fadd.d fs1, fs0, fs0
    c.fsd fs1, 56(s1)
    ld a0, 56(s1)
    EXPECT(a0, 0x4010000000000000)
    CASE(82)
    li a1, 0x0123456789abcdef
    sd a1, 8(sp)
    c.fldsp fa5, 8(sp)
    fmv.x.d a0, fa5
    EXPECT(a0, 0x0123456789abcdef)
    CASE(83)
    c.fsdsp fs1, 16(sp)
    ld a0, 16(sp)
    EXPECT(a0, 0x4010000000000000)
    CASE(84)                                    /* c.fldsp into f0 is legal */
    c.fldsp f0, 8(sp)
    fmv.x.d a0, f0
    EXPECT(a0, 0x0123456789abcdef)

    /* Off again: illegal again, state kept */
    CASE(90)
    SET_FS(0)
    T_TRAP32(91, 0xe2000553, 2, 0xe2000553)     /* fmv.x.d a0, f0 */
    SET_FS(1)
    CASE(92)
    fmv.x.d a0, f0
    EXPECT(a0, 0x0123456789abcdef)
    j pass
TEST_END
TRAP_CATCHER

    .data
    .balign 8
fdata:
    .8byte 0x000000003f800000                   /* 0: flw reads the low word 1.0 */
    .8byte 0x000000003f800000                   /* 8: unboxed */
    .8byte 0xfffffffe3f800000                   /* 16: badly boxed */
    .8byte 0                                    /* 24 */
    .8byte 0                                    /* 32 */
    .8byte 0x7ff0000000000001                   /* 40: sNaN */
    .8byte 0x4000000000000000                   /* 48: 2.0 */
    .8byte 0                                    /* 56 */
    .balign 16
stack:
    .skip 256
stack_top:

/*
 * F and D bodies (unprivileged spec, "F" and "D" chapters), and the
 * macros ops_zfh.h and ops_zfa.h share; the arithmetic is in fpu.h/fpu.c.
 *
 * - mstatus.FS = Off makes every FP instruction illegal; any write of an
 *   f register or of new fflags bits sets FS = Dirty (SD follows in
 *   mstatus reads).
 * - The rounding mode is bits 14:12; 7 selects frm. Reserved values (5, 6,
 *   or frm holding 5..7 under dyn) are illegal instructions.
 * - NaN boxing: a binary32 (binary16) lives in the low 32 (16) bits of an f
 *   register with all the bits above it ones. Operations read an improperly
 *   boxed value as the canonical NaN; every narrower result is written
 *   boxed. Loads, stores and fmv move the low bits unchecked ("NaN Boxing
 *   of Narrower Values": "n-bit transfer operations").
 */
#define FS_CHECK() do { if (unlikely(!(h->mstatus & MSTATUS_FS))) ILLEGAL(); } while (0)
#define FDIRTY()   (h->mstatus |= MSTATUS_FS)
#define RM_GET(rm) unsigned rm = (d->bits >> 12) & 7; do { if (rm == RM_DYN) rm = h->frm; \
        if (unlikely(rm > RM_RMM)) ILLEGAL(); } while (0)
#define UNBOX(v)   (((v) >> 32) == 0xffffffffull ? (uint32_t)(v) : F32_CANON_NAN)
#define UNBOX16(v) (((v) >> 16) == 0xffffffffffffull ? (uint16_t)(v) : F16_CANON_NAN)
#define FIN(fmt, r) ((fmt) == FP_S ? UNBOX(h->f[r]) : (fmt) == FP_H ? UNBOX16(h->f[r]) : h->f[r])
#define FBOX(fmt)  ((fmt) == FP_S ? F32_BOX : (fmt) == FP_H ? F16_BOX : 0)
#define FS1(fmt)   FIN(fmt, d->rs1)
#define FS2(fmt)   FIN(fmt, d->rs2)
#define FS3(fmt)   FIN(fmt, d->rs3)
/* Write an FP result (boxed if narrower) and accrue flags. */
#define FWRITE(fmt, r, fl) do { uint64_t r__ = (r); \
        h->f[d->rd] = FBOX(fmt) | r__; \
        h->fflags |= (fl); FDIRTY(); } while (0)
/* Accrue flags of an instruction that writes an integer register. */
#define FFLAGS(fl) do { if (fl) { h->fflags |= (fl); FDIRTY(); } } while (0)

/* RNE on the host leaves its flags in MXCSR (fpu_lazy_op, FP_FOLD in
 * exec.c); any other mode folds them first, as its operation reloads MXCSR.
 * binary16 always takes the software core (fpu.h). */
#ifdef FPU_HOST
#define FP_LAZY(fmt, rm) ((fmt) != FP_H && likely((rm) == RM_RNE))
#else
#define FP_LAZY(fmt, rm) 0
#define fpu_lazy_op(fmt, op, a, b) 0
#define fpu_lazy_fma(fmt, a, b, c, np, na, fl) 0
#endif
/* fd = op(fs1, fs2) with rounding; hop is the FPU_* operation */
#define FP_ARITH2(fmt, fn, hop) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; uint64_t r_; \
        if (FP_LAZY(fmt, rm_)) r_ = fpu_lazy_op(fmt, hop, FS1(fmt), FS2(fmt)); \
        else { FP_FOLD(); r_ = fn(fmt, FS1(fmt), FS2(fmt), rm_, &fl_); } \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)
#define FP_FMA(fmt, np, na) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; uint64_t r_; \
        if (FP_LAZY(fmt, rm_)) r_ = fpu_lazy_fma(fmt, FS1(fmt), FS2(fmt), FS3(fmt), np, na, &fl_); \
        else { FP_FOLD(); r_ = fpu_fma(fmt, FS1(fmt), FS2(fmt), FS3(fmt), np, na, rm_, &fl_); } \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)
#define FP_SQRT(fmt) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; uint64_t r_; \
        if (FP_LAZY(fmt, rm_)) r_ = fpu_lazy_op(fmt, FPU_SQRT, FS1(fmt), FS1(fmt)); \
        else { FP_FOLD(); r_ = fpu_sqrt(fmt, FS1(fmt), rm_, &fl_); } \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)
/* Sign injection: magnitude of fs1, sign from expr over fs1/fs2 (s1, s2). */
#define FP_SGNJ(fmt, sexpr) do { FS_CHECK(); uint64_t s1 = FS1(fmt), s2 = FS2(fmt), sm = fp_sign(fmt); \
        (void)s1; (void)s2; FWRITE(fmt, (s1 & ~sm) | ((sexpr) & sm), 0); NEXT(); } while (0)
#define FP_MINMAX(fmt, max) do { FS_CHECK(); unsigned fl_ = 0; \
        uint64_t r_ = fpu_minmax(fmt, FS1(fmt), FS2(fmt), max, &fl_); \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)
#define FP_CMP(fmt, fn) do { FS_CHECK(); unsigned fl_ = 0; \
        RD = fn(fmt, FS1(fmt), FS2(fmt), &fl_); FFLAGS(fl_); NEXT(); } while (0)
/* float -> integer register */
#define FP_CVT_FI(fmt, width, sgn) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; \
        RD = fpu_cvt_fi(fmt, FS1(fmt), width, sgn, rm_, &fl_); FFLAGS(fl_); NEXT(); } while (0)
/* integer register -> float */
#define FP_CVT_IF(fmt, width, sgn) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; FP_FOLD(); \
        uint64_t r_ = fpu_cvt_if(fmt, RS1, width, sgn, rm_, &fl_); \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)

/* fd = fs1 converted from format `from` to format `to` */
#define FP_CVT_FF(to, from) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; FP_FOLD(); \
        uint64_t r_ = fpu_cvt_ff(to, from, FS1(from), rm_, &fl_); \
        FWRITE(to, r_, fl_); NEXT(); } while (0)

/* Loads and stores: as LOAD/STORE in exec.c, with an f register. */
#define FLOAD(type, box) do { FS_CHECK(); uint64_t va_ = RS1 + IMM, v_; \
        const struct tlb_entry *e_ = &h->tlb_ld[(va_ >> 12) % TLB_SIZE]; \
        if (likely(TLB_HIT(e_, va_, sizeof(type)))) { type t_; \
            memcpy(&t_, (void *)(e_->addend + va_), sizeof t_); v_ = t_; } \
        else { SYNC(); \
            if (mmu_load_slow(h, va_, sizeof(type), &v_)) goto trapped; \
            AFTER_HELPER(); } \
        h->f[d->rd] = (box) | (type)v_; FDIRTY(); NEXT(); } while (0)
#define FSTORE(type) do { FS_CHECK(); uint64_t va_ = RS1 + IMM; type v_ = (type)h->f[d->rs2]; \
        const struct tlb_entry *e_ = &h->tlb_st[(va_ >> 12) % TLB_SIZE]; \
        if (likely(TLB_HIT(e_, va_, sizeof(type)))) \
            memcpy((void *)(e_->addend + va_), &v_, sizeof v_); \
        else { SYNC(); \
            if (mmu_store_slow(h, va_, sizeof(type), v_)) goto trapped; \
            AFTER_HELPER(); } \
        NEXT(); } while (0)

OPL(flw):       FLOAD(uint32_t, F32_BOX);
OPL(fsw):       FSTORE(uint32_t);
OPL(fld):       FLOAD(uint64_t, 0);
OPL(fsd):       FSTORE(uint64_t);

OPL(fadd_s):    FP_ARITH2(FP_S, fpu_add, FPU_ADD);
OPL(fsub_s):    FP_ARITH2(FP_S, fpu_sub, FPU_SUB);
OPL(fmul_s):    FP_ARITH2(FP_S, fpu_mul, FPU_MUL);
OPL(fdiv_s):    FP_ARITH2(FP_S, fpu_div, FPU_DIV);
OPL(fsqrt_s):   FP_SQRT(FP_S);
OPL(fadd_d):    FP_ARITH2(FP_D, fpu_add, FPU_ADD);
OPL(fsub_d):    FP_ARITH2(FP_D, fpu_sub, FPU_SUB);
OPL(fmul_d):    FP_ARITH2(FP_D, fpu_mul, FPU_MUL);
OPL(fdiv_d):    FP_ARITH2(FP_D, fpu_div, FPU_DIV);
OPL(fsqrt_d):   FP_SQRT(FP_D);

OPL(fmadd_s):   FP_FMA(FP_S, false, false);
OPL(fmsub_s):   FP_FMA(FP_S, false, true);
OPL(fnmsub_s):  FP_FMA(FP_S, true, false);
OPL(fnmadd_s):  FP_FMA(FP_S, true, true);
OPL(fmadd_d):   FP_FMA(FP_D, false, false);
OPL(fmsub_d):   FP_FMA(FP_D, false, true);
OPL(fnmsub_d):  FP_FMA(FP_D, true, false);
OPL(fnmadd_d):  FP_FMA(FP_D, true, true);

OPL(fsgnj_s):   FP_SGNJ(FP_S, s2);
OPL(fsgnjn_s):  FP_SGNJ(FP_S, ~s2);
OPL(fsgnjx_s):  FP_SGNJ(FP_S, s1 ^ s2);
OPL(fsgnj_d):   FP_SGNJ(FP_D, s2);
OPL(fsgnjn_d):  FP_SGNJ(FP_D, ~s2);
OPL(fsgnjx_d):  FP_SGNJ(FP_D, s1 ^ s2);

OPL(fmin_s):    FP_MINMAX(FP_S, false);
OPL(fmax_s):    FP_MINMAX(FP_S, true);
OPL(fmin_d):    FP_MINMAX(FP_D, false);
OPL(fmax_d):    FP_MINMAX(FP_D, true);

OPL(feq_s):     FP_CMP(FP_S, fpu_eq);
OPL(flt_s):     FP_CMP(FP_S, fpu_lt);
OPL(fle_s):     FP_CMP(FP_S, fpu_le);
OPL(feq_d):     FP_CMP(FP_D, fpu_eq);
OPL(flt_d):     FP_CMP(FP_D, fpu_lt);
OPL(fle_d):     FP_CMP(FP_D, fpu_le);

OPL(fcvt_w_s):  FP_CVT_FI(FP_S, 32, true);
OPL(fcvt_wu_s): FP_CVT_FI(FP_S, 32, false);
OPL(fcvt_l_s):  FP_CVT_FI(FP_S, 64, true);
OPL(fcvt_lu_s): FP_CVT_FI(FP_S, 64, false);
OPL(fcvt_w_d):  FP_CVT_FI(FP_D, 32, true);
OPL(fcvt_wu_d): FP_CVT_FI(FP_D, 32, false);
OPL(fcvt_l_d):  FP_CVT_FI(FP_D, 64, true);
OPL(fcvt_lu_d): FP_CVT_FI(FP_D, 64, false);

OPL(fcvt_s_w):  FP_CVT_IF(FP_S, 32, true);
OPL(fcvt_s_wu): FP_CVT_IF(FP_S, 32, false);
OPL(fcvt_s_l):  FP_CVT_IF(FP_S, 64, true);
OPL(fcvt_s_lu): FP_CVT_IF(FP_S, 64, false);
OPL(fcvt_d_w):  FP_CVT_IF(FP_D, 32, true);
OPL(fcvt_d_wu): FP_CVT_IF(FP_D, 32, false);
OPL(fcvt_d_l):  FP_CVT_IF(FP_D, 64, true);
OPL(fcvt_d_lu): FP_CVT_IF(FP_D, 64, false);

OPL(fcvt_s_d):  FP_CVT_FF(FP_S, FP_D);
OPL(fcvt_d_s):  FP_CVT_FF(FP_D, FP_S);

OPL(fclass_s):  FS_CHECK(); RD = fpu_class(FP_S, FS1(FP_S)); NEXT();
OPL(fclass_d):  FS_CHECK(); RD = fpu_class(FP_D, FS1(FP_D)); NEXT();
OPL(fmv_x_w):   FS_CHECK(); RD = (uint64_t)(int64_t)(int32_t)h->f[d->rs1]; NEXT();
OPL(fmv_x_d):   FS_CHECK(); RD = h->f[d->rs1]; NEXT();
OPL(fmv_w_x):   FS_CHECK(); h->f[d->rd] = F32_BOX | (uint32_t)RS1; FDIRTY(); NEXT();
OPL(fmv_d_x):   FS_CHECK(); h->f[d->rd] = RS1; FDIRTY(); NEXT();

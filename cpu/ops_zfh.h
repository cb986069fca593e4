/*
 * Zfhmin and Zfh bodies (unprivileged spec, "Zfh" chapter): binary16 in
 * the f registers, NaN-boxed to 64 bits, with the macros of ops_fd.h. The
 * arithmetic is fpu.c's software core, exact in every rounding mode.
 */
OPL(flh):       FLOAD(uint16_t, F16_BOX);
OPL(fsh):       FSTORE(uint16_t);
OPL(fmv_x_h):   FS_CHECK(); RD = (uint64_t)(int64_t)(int16_t)h->f[d->rs1]; NEXT();
OPL(fmv_h_x):   FS_CHECK(); h->f[d->rd] = F16_BOX | (uint16_t)RS1; FDIRTY(); NEXT();
OPL(fcvt_s_h):  FP_CVT_FF(FP_S, FP_H);
OPL(fcvt_h_s):  FP_CVT_FF(FP_H, FP_S);
OPL(fcvt_d_h):  FP_CVT_FF(FP_D, FP_H);
OPL(fcvt_h_d):  FP_CVT_FF(FP_H, FP_D);

OPL(fmadd_h):   FP_FMA(FP_H, false, false);
OPL(fmsub_h):   FP_FMA(FP_H, false, true);
OPL(fnmsub_h):  FP_FMA(FP_H, true, false);
OPL(fnmadd_h):  FP_FMA(FP_H, true, true);
OPL(fadd_h):    FP_ARITH2(FP_H, fpu_add, FPU_ADD);
OPL(fsub_h):    FP_ARITH2(FP_H, fpu_sub, FPU_SUB);
OPL(fmul_h):    FP_ARITH2(FP_H, fpu_mul, FPU_MUL);
OPL(fdiv_h):    FP_ARITH2(FP_H, fpu_div, FPU_DIV);
OPL(fsqrt_h):   FP_SQRT(FP_H);
OPL(fsgnj_h):   FP_SGNJ(FP_H, s2);
OPL(fsgnjn_h):  FP_SGNJ(FP_H, ~s2);
OPL(fsgnjx_h):  FP_SGNJ(FP_H, s1 ^ s2);
OPL(fmin_h):    FP_MINMAX(FP_H, false);
OPL(fmax_h):    FP_MINMAX(FP_H, true);
OPL(feq_h):     FP_CMP(FP_H, fpu_eq);
OPL(flt_h):     FP_CMP(FP_H, fpu_lt);
OPL(fle_h):     FP_CMP(FP_H, fpu_le);
OPL(fclass_h):  FS_CHECK(); RD = fpu_class(FP_H, FS1(FP_H)); NEXT();
OPL(fcvt_w_h):  FP_CVT_FI(FP_H, 32, true);
OPL(fcvt_wu_h): FP_CVT_FI(FP_H, 32, false);
OPL(fcvt_l_h):  FP_CVT_FI(FP_H, 64, true);
OPL(fcvt_lu_h): FP_CVT_FI(FP_H, 64, false);
OPL(fcvt_h_w):  FP_CVT_IF(FP_H, 32, true);
OPL(fcvt_h_wu): FP_CVT_IF(FP_H, 32, false);
OPL(fcvt_h_l):  FP_CVT_IF(FP_H, 64, true);
OPL(fcvt_h_lu): FP_CVT_IF(FP_H, 64, false);

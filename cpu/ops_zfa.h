/*
 * Zfa bodies (unprivileged spec, "Zfa" chapter), with the macros of
 * ops_fd.h; the operations are in cpu/fpu_zfa.c and fpu.h.
 */
/* fli: entry rs1 of the constant table; no flags */
#define FP_FLI(fmt) do { FS_CHECK(); FWRITE(fmt, fpu_fli(fmt, d->rs1), 0); NEXT(); } while (0)
#define FP_MINMAX_M(fmt, max) do { FS_CHECK(); unsigned fl_ = 0; \
        uint64_t r_ = fpu_minmax_m(fmt, FS1(fmt), FS2(fmt), max, &fl_); \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)
/* fround (exact = false) and froundnx (true), rounding by rm */
#define FP_ROUND(fmt, exact) do { FS_CHECK(); RM_GET(rm_); unsigned fl_ = 0; \
        uint64_t r_ = fpu_round(fmt, FS1(fmt), rm_, exact, &fl_); \
        FWRITE(fmt, r_, fl_); NEXT(); } while (0)

OPL(fli_s):       FP_FLI(FP_S);
OPL(fminm_s):     FP_MINMAX_M(FP_S, false);
OPL(fmaxm_s):     FP_MINMAX_M(FP_S, true);
OPL(fround_s):    FP_ROUND(FP_S, false);
OPL(froundnx_s):  FP_ROUND(FP_S, true);
OPL(fleq_s):      FP_CMP(FP_S, fpu_leq);
OPL(fltq_s):      FP_CMP(FP_S, fpu_ltq);
OPL(fli_d):       FP_FLI(FP_D);
OPL(fminm_d):     FP_MINMAX_M(FP_D, false);
OPL(fmaxm_d):     FP_MINMAX_M(FP_D, true);
OPL(fround_d):    FP_ROUND(FP_D, false);
OPL(froundnx_d):  FP_ROUND(FP_D, true);
OPL(fleq_d):      FP_CMP(FP_D, fpu_leq);
OPL(fltq_d):      FP_CMP(FP_D, fpu_ltq);
/* rm is rtz by the encoding (the table's match): the others are reserved */
OPL(fcvtmod_w_d): { FS_CHECK(); unsigned fl_ = 0; RD = fpu_cvtmod_w_d(FS1(FP_D), &fl_);
        FFLAGS(fl_); NEXT(); }
OPL(fli_h):       FP_FLI(FP_H);
OPL(fminm_h):     FP_MINMAX_M(FP_H, false);
OPL(fmaxm_h):     FP_MINMAX_M(FP_H, true);
OPL(fround_h):    FP_ROUND(FP_H, false);
OPL(froundnx_h):  FP_ROUND(FP_H, true);
OPL(fleq_h):      FP_CMP(FP_H, fpu_leq);
OPL(fltq_h):      FP_CMP(FP_H, fpu_ltq);

#undef FP_FLI
#undef FP_MINMAX_M
#undef FP_ROUND

/*
 * Floating point, part 2: dense double-precision matrix multiply,
 * C = A x B with N x N matrices (row-major, i-k-j order: the inner loop is
 * fld, fld, fmadd.d, fsd over a row of B and C), in U-mode under Sv39 with
 * 4 KiB pages. Each round draws a new B (integers from an LCG, fcvt.d.w,
 * scaled by 2^-31 into [-1, 1)), multiplies, then scales each row of C by
 * its largest magnitude (fsgnjx/fmax/fdiv) and makes that the next round's
 * A, so a one-ulp difference anywhere carries through to the end.
 * The result hashes the bit patterns of the final matrix and the accrued
 * fflags; rounding mode is RNE throughout (fcsr starts at 0).
 */
#include "bench.h"
#include "fp.h"

#ifndef ROUNDS
#define ROUNDS 60
#endif
#define N 128

static double ma[N][N], mb[N][N], mc[N][N];
static uint64_t rng_state;

static int32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (int32_t)(rng_state >> 32);
}

static double fabs_d(double v)
{
    double r;
    __asm__("fabs.d %0, %1" : "=f"(r) : "f"(v));
    return r;
}

static double fmax_d(double a, double b)
{
    double r;
    __asm__("fmax.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
    return r;
}

static void random_matrix(double m[N][N])
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            m[i][j] = (double)rng() * 0x1p-31;
}

static void multiply(double c[N][N], double a[N][N], double b[N][N])
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++)
            c[i][j] = 0;
        for (int k = 0; k < N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < N; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

/* a = c with each row scaled to a largest magnitude of 1 */
static void normalise(double a[N][N], double c[N][N])
{
    for (int i = 0; i < N; i++) {
        double big = 0;
        for (int j = 0; j < N; j++)
            big = fmax_d(big, fabs_d(c[i][j]));
        if (big == 0)
            big = 1;
        for (int j = 0; j < N; j++)
            a[i][j] = c[i][j] / big;
    }
}

static __attribute__((noinline)) uint64_t run_all(void)
{
    rng_state = 7;
    random_matrix(ma);
    for (int r = 0; r < ROUNDS; r++) {
        random_matrix(mb);
        multiply(mc, ma, mb);
        normalise(ma, mc);
    }
    uint64_t h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = fp_mix(h, mc[i][j]);
    return h ^ fp_flags() << 56;
}

uint64_t bench_main(void)
{
    fp_enable();                /* before the first FP instruction, M and U alike */
    vm_setup();
    enter_mode(0);
}

uint64_t bench_user_main(void) { return run_all(); }

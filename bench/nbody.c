/*
 * Floating point, part 1: the five-body problem (the Sun and the four gas
 * giants, in solar masses, AU and years/365.24) integrated with a
 * symplectic Euler step, in double precision, in U-mode under Sv39 with
 * 4 KiB pages. Each step does, per pair of bodies, a distance (fmul/fmadd),
 * one fsqrt and one fdiv; the energy before and after adds more of both.
 * The result hashes the bit patterns of the final positions, velocities and
 * energy and the accrued fflags, so any rounding difference between the
 * emulators changes it. The code gcc emits is fused where it can be
 * (-ffp-contract=fast, gcc's default), so fmadd.d/fmsub.d/fnmsub.d are
 * exercised as well as the plain operations; rounding mode is RNE
 * throughout (fcsr starts at 0).
 */
#include "bench.h"
#include "fp.h"

#ifndef STEPS
#define STEPS 1000000
#endif
#define NBODIES 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body { double x, y, z, vx, vy, vz, mass; };

/* initial state: position (AU), velocity (AU/day), mass (Jupiter etc. in suns) */
static const struct body initial[NBODIES] = {
    { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
};

static struct body bodies[NBODIES];

static double sqrt_d(double v)
{
    double r;
    __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(v));
    return r;
}

/* total momentum to zero: the Sun moves against the planets */
static void offset_momentum(struct body *b)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODIES; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(const struct body *b)
{
    double e = 0;
    for (int i = 0; i < NBODIES; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < NBODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt_d(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(struct body *b, double dt)
{
    for (int i = 0; i < NBODIES; i++)
        for (int j = i + 1; j < NBODIES; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt_d(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    for (int i = 0; i < NBODIES; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

static __attribute__((noinline)) uint64_t run_all(void)
{
    for (int i = 0; i < NBODIES; i++)
        bodies[i] = initial[i];
    offset_momentum(bodies);
    double e0 = energy(bodies);
    for (long s = 0; s < STEPS; s++)
        advance(bodies, 0.01);
    double e1 = energy(bodies);
    uint64_t h = fp_bits(e0) * 3 + fp_bits(e1);
    for (int i = 0; i < NBODIES; i++) {
        const double *v = &bodies[i].x;
        for (int k = 0; k < 6; k++)
            h = fp_mix(h, v[k]);
    }
    return h ^ fp_flags() << 56;
}

uint64_t bench_main(void)
{
    fp_enable();                /* before the first FP instruction, M and U alike */
    vm_setup();
    enter_mode(0);
}

uint64_t bench_user_main(void) { return run_all(); }

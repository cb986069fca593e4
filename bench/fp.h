/* Helpers of the floating-point workloads (bench/nbody.c, bench/matmul.c). */
#ifndef BENCH_FP_H
#define BENCH_FP_H
#include "bench.h"

#define MSTATUS_FS_INITIAL (1ull << 13)     /* mstatus.FS = 1: FP usable, clean */

/* M-mode, before any FP instruction in any mode: with FS = Off every FP
 * instruction and fcsr access is illegal (privileged spec, mstatus.FS). */
static inline void fp_enable(void)
{
    __asm__ volatile("csrs mstatus, %0" :: "r"(MSTATUS_FS_INITIAL) : "memory");
}

static inline uint64_t fp_bits(double d)
{
    union { double d; uint64_t u; } v = { .d = d };
    return v.u;
}

/* fold one double's bit pattern into a hash */
static inline uint64_t fp_mix(uint64_t h, double d)
{
    h ^= fp_bits(d);
    h *= 0x100000001b3ull;
    return h ^ h >> 29;
}

/* accrued exception flags (NV DZ OF UF NX), compared between emulators too */
static inline uint64_t fp_flags(void)
{
    uint64_t f;
    __asm__ volatile("frflags %0" : "=r"(f));
    return f;
}
#endif

/*
 * Memory streaming over 64 MiB in U-mode under Sv39 with 4 KiB pages (run
 * with -m 256M): fill a 64 MiB buffer, copy it to a second one, then read
 * both with a 64-byte stride (one access per cache line) and a page stride
 * (one access per page: 16384 pages, far more than a TLB holds).
 *
 *  0x8100_0000  src (64 MiB)     0x8500_0000  dst (64 MiB)
 */
#include "bench.h"

#ifndef PASSES
#define PASSES 6
#endif
#define BUF_BYTES (64ull << 20)
#define WORDS (BUF_BYTES / 8)
#define SRC ((uint64_t *)0x81000000)
#define DST ((uint64_t *)0x85000000)

static void fill(uint64_t *p, uint64_t v)
{
    for (uint64_t i = 0; i < WORDS; i += 4) {
        p[i] = v; p[i + 1] = v + 1; p[i + 2] = v + 2; p[i + 3] = v + 3;
        v += 4;
    }
}

static void copy(uint64_t *d, const uint64_t *s)
{
    for (uint64_t i = 0; i < WORDS; i += 4) {
        uint64_t a = s[i], b = s[i + 1], c = s[i + 2], e = s[i + 3];
        d[i] = a; d[i + 1] = b; d[i + 2] = c; d[i + 3] = e;
    }
}

static uint64_t stride_read(const uint64_t *p, uint64_t stride_words, uint64_t offsets)
{
    uint64_t sum = 0;
    for (uint64_t o = 0; o < offsets; o++)
        for (uint64_t i = o; i < WORDS; i += stride_words)
            sum += p[i];
    return sum;
}

static uint64_t run_all(void)
{
    uint64_t sum = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        fill(SRC, (uint64_t)pass << 32);
        copy(DST, SRC);
        sum = sum * 7 + stride_read(DST, 8, 1);         /* 64 B stride */
        sum = sum * 7 + stride_read(SRC, 512, 16);      /* page stride, 16 offsets */
    }
    return sum;
}

uint64_t bench_main(void) { vm_setup(); enter_mode(0); }
uint64_t bench_user_main(void) { return run_all(); }

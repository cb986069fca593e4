/*
 * Misaligned loads and stores, which the hart performs (Zicclsm), in U-mode
 * under Sv39 with 4 KiB pages: sd at offset 1 of every doubleword, lw at
 * offset 3 of every word and ld at offset 5 of every doubleword of a
 * 64 KiB buffer, so one access in 512 of the 8-byte ones crosses a page.
 * Every access is an instruction of its own (inline assembly), as the
 * compiler would otherwise split them into byte accesses.
 */
#include "bench.h"

#ifndef PASSES
#define PASSES 160
#endif
#define BYTES (64u << 10)

static uint8_t buf[BYTES + 16] __attribute__((aligned(4096)));

static inline uint64_t ld_at(const uint8_t *p)
{
    uint64_t v;
    __asm__ volatile("ld %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
    return v;
}
static inline uint64_t lw_at(const uint8_t *p)
{
    uint64_t v;
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
    return v;
}
static inline void sd_at(uint8_t *p, uint64_t v)
{
    __asm__ volatile("sd %0, 0(%1)" :: "r"(v), "r"(p) : "memory");
}

static uint64_t run_all(void)
{
    uint64_t sum = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        for (uint32_t i = 1; i < BYTES; i += 8)
            sd_at(buf + i, sum + i);
        for (uint32_t i = 3; i < BYTES; i += 4)
            sum += lw_at(buf + i);
        for (uint32_t i = 5; i < BYTES; i += 8)
            sum = sum * 31 + ld_at(buf + i);
    }
    return sum;
}

uint64_t bench_main(void) { vm_setup(); enter_mode(0); }
uint64_t bench_user_main(void) { return run_all(); }

/*
 * Carry-less multiplication and bit permutations for the Zbc, Zbkb, Zbkc
 * and Zbkx bodies (cpu/ops_zb.h), from the unprivileged spec's pseudo-code
 * ("Bit-manipulation", "Scalar Cryptography"). They loop a fixed number of
 * times and select with masks, not branches, so that their time does not
 * depend on the operands' values (the Zkt property hartvm reports).
 */
#ifndef CPU_BITPERM_H
#define CPU_BITPERM_H
#include <stdint.h>

/* -1 when bit i of v is set, else 0 */
static inline uint64_t bit_mask(uint64_t v, unsigned i) { return -((v >> i) & 1); }

/* The low, high and "reversed" (bits 126:63) 64 bits of the 128-bit
 * carry-less product of a and b. */
static inline uint64_t clmul_lo(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i++)
        r ^= (a << i) & bit_mask(b, i);
    return r;
}
static inline uint64_t clmul_hi(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned i = 1; i < 64; i++)
        r ^= (a >> (64 - i)) & bit_mask(b, i);
    return r;
}
static inline uint64_t clmul_rev(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i++)
        r ^= (a >> (63 - i)) & bit_mask(b, i);
    return r;
}

/* Each byte's bits in reverse order (brev8). */
static inline uint64_t brev8(uint64_t v)
{
    v = (v >> 1 & 0x5555555555555555ull) | (v & 0x5555555555555555ull) << 1;
    v = (v >> 2 & 0x3333333333333333ull) | (v & 0x3333333333333333ull) << 2;
    return (v >> 4 & 0x0f0f0f0f0f0f0f0full) | (v & 0x0f0f0f0f0f0f0f0full) << 4;
}

/* xperm8 / xperm4: element i of the result is element idx[i] of src, or 0
 * where the index is out of range (for 4-bit elements it never is). */
static inline uint64_t xperm8(uint64_t src, uint64_t idx)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += 8) {
        uint64_t k = idx >> i & 0xff;
        r |= (src >> (k & 7) * 8 & 0xff) << i & -(uint64_t)(k < 8);
    }
    return r;
}
static inline uint64_t xperm4(uint64_t src, uint64_t idx)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += 4)
        r |= (src >> (idx >> i & 15) * 4 & 15) << i;
    return r;
}
#endif

/*
 * Physical memory protection (privileged spec 3.7): 16 entries, 4-byte
 * granularity (G = 0).
 *
 *  pmpNcfg:  7 L | 6:5 reserved | 4:3 A (OFF, TOR, NA4, NAPOT) | 2 X | 1 W | 0 R
 *  pmpaddrN: physical address bits 55:2
 */
#include "mmu.h"
#include "../cpu/core.h"

#define PMP_R 1
#define PMP_W 2
#define PMP_X 4
#define PMP_A(c) (((c) >> 3) & 3)
#define PMP_L 0x80
enum { A_OFF, A_TOR, A_NA4, A_NAPOT };
#define PMPADDR_MASK ((1ull << 54) - 1)

/* The range [lo, hi) of entry i, as 65-bit-safe bounds; false if OFF. */
static bool entry_range(const struct hart *h, int i, uint64_t *lo, uint64_t *hi)
{
    uint64_t a = h->pmp[i].addr;
    switch (PMP_A(h->pmp[i].cfg)) {
    case A_TOR:
        *lo = i ? h->pmp[i - 1].addr << 2 : 0;
        *hi = a << 2;
        return true;
    case A_NA4:
        *lo = a << 2;
        *hi = *lo + 4;
        return true;
    case A_NAPOT: {
        int t = __builtin_ctzll(~a);        /* trailing ones */
        if (t >= 54) {                      /* the whole address space */
            *lo = 0;
            *hi = 1ull << 56;
            return true;
        }
        *lo = (a & ~((1ull << t) - 1)) << 2;
        *hi = *lo + (8ull << t);
        return true;
    }
    default:
        return false;
    }
}

static int perms_of(const struct hart *h, int i, int priv)
{
    uint8_t c = h->pmp[i].cfg;
    if (priv == PRV_M && !(c & PMP_L))
        return PMP_R | PMP_W | PMP_X;
    return c & (PMP_R | PMP_W | PMP_X);
}

/* Permissions over [pa, pa+len): the first entry that overlaps decides; it
 * must cover the whole range (a partial match fails, spec 3.7.1.2). */
static int range_perms(const struct hart *h, uint64_t pa, uint64_t len, int priv, bool *partial)
{
    *partial = false;
    if (h->core && h->core->no_pmp)     /* pmp=false: nothing to check against */
        return PMP_R | PMP_W | PMP_X;
    for (int i = 0; i < PMP_COUNT; i++) {
        uint64_t lo, hi;
        if (!entry_range(h, i, &lo, &hi) || lo >= hi)
            continue;
        if (pa + len <= lo || pa >= hi)
            continue;
        if (pa >= lo && pa + len <= hi)
            return perms_of(h, i, priv);
        *partial = true;
        return 0;
    }
    /* No match: M succeeds; S and U fail since entries are implemented. */
    return priv == PRV_M ? PMP_R | PMP_W | PMP_X : 0;
}

bool pmp_check(const struct hart *h, uint64_t pa, unsigned size, enum access acc, int priv)
{
    static const int need[] = { PMP_X, PMP_R, PMP_W };
    bool partial;
    return range_perms(h, pa, size, priv, &partial) & need[acc];
}

int pmp_page_perms(const struct hart *h, uint64_t page, int priv)
{
    bool partial;
    int p = range_perms(h, page, 4096, priv, &partial);
    return partial ? -1 : p;
}

static bool addr_locked(const struct hart *h, unsigned i)
{
    if (h->pmp[i].cfg & PMP_L)
        return true;
    return i + 1 < PMP_COUNT && (h->pmp[i + 1].cfg & PMP_L) && PMP_A(h->pmp[i + 1].cfg) == A_TOR;
}

/* pmpcfg0 holds entries 0-7, pmpcfg2 entries 8-15 (RV64). */
bool pmp_write_cfg(struct hart *h, unsigned reg, uint64_t val)
{
    for (int k = 0; k < 8; k++) {
        unsigned i = reg * 4 + k;
        if (i >= PMP_COUNT || (h->pmp[i].cfg & PMP_L))
            continue;
        uint8_t c = (val >> (8 * k)) & 0x9f;            /* bits 6:5 read 0 */
        if ((c & (PMP_R | PMP_W)) == PMP_W)             /* R=0 W=1 reserved */
            c &= ~PMP_W;
        h->pmp[i].cfg = c;
    }
    return true;
}

bool pmp_write_addr(struct hart *h, unsigned i, uint64_t val)
{
    if (i < PMP_COUNT && !addr_locked(h, i))
        h->pmp[i].addr = val & PMPADDR_MASK;
    return true;
}

uint64_t pmp_read_cfg(const struct hart *h, unsigned reg)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++) {
        unsigned i = reg * 4 + k;
        if (i < PMP_COUNT)
            v |= (uint64_t)h->pmp[i].cfg << (8 * k);
    }
    return v;
}

uint64_t pmp_read_addr(const struct hart *h, unsigned i)
{
    return i < PMP_COUNT ? h->pmp[i].addr : 0;
}

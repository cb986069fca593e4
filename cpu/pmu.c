/* Counters, their filters and overflow (cpu/pmu.h). */
#include "pmu.h"
#include "hart.h"
#include "core.h"
#include "isa.h"

#define LCOFIP (1ull << IRQ_LCOFI)

/* The implemented hpm counters (bit N: mhpmcounterN); a hart without a
 * core (unit tests) has QEMU's default 16. */
static uint32_t hpm_mask(const struct hart *h)
{
    return h->core ? h->core->hpm_mask : 0x7fff8u;
}

uint64_t pmu_read(const struct hart *h, unsigned i)
{
    const struct pmu *p = &h->pmu;
    return p->ctr[i] + (((p->live >> i) & 1) ? (uint64_t)(hart_run_retired(h) - p->mark) : 0);
}

static uint64_t inhibit_bit(int priv)
{
    return priv == PRV_M ? PMU_MINH : priv == PRV_S ? PMU_SINH : PMU_UINH;
}

/* What counts in mode priv, from mcountinhibit and the cfgs. */
static void compute(struct hart *h, int priv)
{
    struct pmu *p = &h->pmu;
    uint32_t on = pmu_inhibit_mask(h) & ~h->mcountinhibit;
    bool ovf = core_has_ext(h->core, ISA_SSCOFPMF);
    p->live = p->armed = 0;
    p->tlb[PMU_TLB_LOAD] = p->tlb[PMU_TLB_STORE] = p->tlb[PMU_TLB_FETCH] = 0;
    p->filtered = false;
    for (; on; on &= on - 1) {
        unsigned i = (unsigned)__builtin_ctz(on);
        uint32_t bit = 1u << i;
        uint64_t c = p->cfg[i];
        p->filtered |= (c & PMU_INH) != 0;
        if (c & inhibit_bit(priv))
            continue;
        if (i < 3) {
            p->live |= bit;
            continue;
        }
        switch (c & ~(PMU_OF | PMU_INH)) {
        case PMU_EV_CYCLES:             /* one cycle per instruction */
        case PMU_EV_INSTRUCTIONS:
            p->live |= bit;
            if (ovf && !(c & PMU_OF))
                p->armed |= bit;
            break;
        case PMU_EV_DTLB_READ_MISS:  p->tlb[PMU_TLB_LOAD] |= bit; break;
        case PMU_EV_DTLB_WRITE_MISS: p->tlb[PMU_TLB_STORE] |= bit; break;
        case PMU_EV_ITLB_MISS:       p->tlb[PMU_TLB_FETCH] |= bit; break;
        default: break;
        }
    }
}

/* Counter i wrapped: with Sscofpmf an hpm counter whose OF is clear sets
 * it and asks for LCOFI (Sscofpmf, "Count Overflow Control"). */
static void overflow(struct hart *h, unsigned i)
{
    struct pmu *p = &h->pmu;
    if (i < 3 || !core_has_ext(h->core, ISA_SSCOFPMF) || (p->cfg[i] & PMU_OF))
        return;
    p->cfg[i] |= PMU_OF;
    p->armed &= ~(1u << i);
    h->mip |= LCOFIP;
    h->yield = true;
}

/* Bring the live counters up to the current instruction (plus extra
 * instructions about to retire that count as they are now). */
static void sync(struct hart *h, int extra)
{
    struct pmu *p = &h->pmu;
    int64_t now = hart_run_retired(h) + extra, d = now - p->mark;
    p->mark = now;
    if (!d)
        return;
    for (uint32_t m = p->live; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        uint64_t old = p->ctr[i];
        p->ctr[i] = old + (uint64_t)d;
        if (d > 0 && p->ctr[i] < old)
            overflow(h, i);
    }
}

/* The configuration changed: what counts from here, and a new deadline. */
static void recompute(struct hart *h)
{
    compute(h, h->priv);
    h->yield = true;
}

/* A CSR instruction writing a counter retires after the write, without
 * counting itself in the value written (the next read sees v + what ran
 * since). Writes never overflow (Sscofpmf). */
void pmu_write_counter(struct hart *h, unsigned i, uint64_t v)
{
    struct pmu *p = &h->pmu;
    p->live &= ~(1u << i);      /* not the counter written: its old value goes */
    sync(h, h->in_insn);
    p->ctr[i] = v;
    recompute(h);               /* live again, as the cfgs say */
}

/* xINH bits for modes the hart lacks (VS, VU: no H) are read-only zero;
 * mcyclecfg/minstretcfg have no OF and no event (Smcntrpmf). */
static uint64_t cfg_mask(const struct hart *h, unsigned i)
{
    if (i < 3)
        return i != 1 && core_has_ext(h->core, ISA_SMCNTRPMF) ? PMU_INH : 0;
    if (!((hpm_mask(h) >> i) & 1))
        return 0;
    return ((1ull << 56) - 1) | (core_has_ext(h->core, ISA_SSCOFPMF) ? PMU_OF | PMU_INH : 0);
}

void pmu_write_cfg(struct hart *h, unsigned i, uint64_t v)
{
    sync(h, 0);
    h->pmu.cfg[i] = v & cfg_mask(h, i);
    recompute(h);
}

bool pmu_state_ok(const struct hart *h)
{
    if (h->mcountinhibit & ~pmu_inhibit_mask(h))
        return false;
    for (unsigned i = 0; i < 32; i++)
        if ((h->pmu.cfg[i] & ~cfg_mask(h, i)) ||
            (!((pmu_inhibit_mask(h) >> i) & 1) && h->pmu.ctr[i]))
            return false;
    return true;
}

uint32_t pmu_inhibit_mask(const struct hart *h)
{
    return 5u | hpm_mask(h);
}

void pmu_write_inhibit(struct hart *h, uint32_t v)
{
    sync(h, 0);
    h->mcountinhibit = v & pmu_inhibit_mask(h);
    recompute(h);
}

uint32_t pmu_overflowed(const struct hart *h)
{
    uint32_t of = 0;
    for (uint32_t m = hpm_mask(h); m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        if (h->pmu.cfg[i] & PMU_OF)
            of |= 1u << i;
    }
    return of;
}

void pmu_priv_change(struct hart *h, int priv, int retiring)
{
    sync(h, retiring);
    compute(h, priv);
    h->yield = true;
}

void pmu_end_run(struct hart *h)
{
    sync(h, 0);
    h->pmu.mark = 0;            /* hart_end_run starts the next run's count at 0 */
}

int64_t pmu_clip(const struct hart *h, int64_t n)
{
    for (uint32_t m = h->pmu.armed; m; m &= m - 1) {
        uint64_t left = -pmu_read(h, (unsigned)__builtin_ctz(m));   /* to the wrap */
        if (left && left < (uint64_t)n)
            n = (int64_t)left;
    }
    return n;
}

void pmu_tlb_miss(struct hart *h, enum pmu_tlb k)
{
    for (uint32_t m = h->pmu.tlb[k]; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        if (!++h->pmu.ctr[i])
            overflow(h, i);
    }
}

void pmu_refresh(struct hart *h)
{
    h->pmu.mark = 0;
    compute(h, h->priv);
}

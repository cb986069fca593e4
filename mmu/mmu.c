/*
 * Address translation (privileged spec ch. 4, "Supervisor-Level ISA") and
 * the TLB slow paths.
 *
 *  Sv39 virtual address           Sv48 adds VPN[3] (bits 47:39)
 *  38        30 29       21 20       12 11          0
 * +-----------+-----------+-----------+-------------+
 * |  VPN[2]   |  VPN[1]   |  VPN[0]   | page offset |
 * +-----------+-----------+-----------+-------------+
 *
 *  PTE: 63 N | 62:61 PBMT | 60:54 reserved | 53:10 PPN | 9:8 RSW |
 *       7 D | 6 A | 5 G | 4 U | 3 X | 2 W | 1 R | 0 V
 *
 * The TLBs (cpu/hart.h) map 4 KiB virtual pages: data entries to a host
 * address, fetch entries to a decoded page. A slow path fills an entry
 * only when the whole physical page is plain memory (no device over any
 * of it) and PMP gives the page uniform permissions that allow the access;
 * everything else (MMIO, PMP-split pages, stores to pages holding live
 * decoded code) stays on the slow path, so the hit path needs no flag
 * bits: one compare and one add. Code pages that PMP splits run one
 * checked instruction per fetch (fetch_split). Invalidation: see below.
 */
#include "mmu.h"
#include "bus.h"
#include "../cpu/core.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PPN_MASK ((1ull << 44) - 1)

static int data_priv(const struct hart *h)
{
    if ((h->mstatus & MSTATUS_MPRV) && h->priv == PRV_M)
        return (h->mstatus >> 11) & 3;
    return h->priv;
}

static int priv_for(const struct hart *h, enum access acc)
{
    return acc == ACC_FETCH ? h->priv : data_priv(h);
}

void mmu_update_regime(struct hart *h)
{
    int p = data_priv(h), r;
    if (p == PRV_M)
        r = REGIME_M;
    else if (p == PRV_S)
        r = (h->mstatus & MSTATUS_SUM) ? REGIME_S_SUM : REGIME_S;
    else
        r = REGIME_U;
    h->tlb_ld = h->tlb[r][0];
    h->tlb_st = h->tlb[r][1];
    h->tlb_fe = h->tlbf[h->priv == PRV_M ? REGIME_M : h->priv == PRV_S ? REGIME_S : REGIME_U];
}

/*
 * TLB invalidation. The TLBs are not tagged with an ASID: every satp write
 * empties them, so they only ever hold translations of the current address
 * space (plus REGIME_M's untranslated ones). An entry maps one 4 KiB
 * virtual page, even when it came from a superpage; the [super_lo,
 * super_hi] hull and super_shift let a fence by address find every entry
 * a superpage leaf produced without emptying the whole TLB.
 */
static void flush_regimes(struct hart *h, int first, int last)
{
    /* All-ones bytes make every tag TLB_EMPTY (~0, which no masked address
     * equals); the rest of an entry is never read without a tag match. */
    _Static_assert(TLB_EMPTY == ~0ull, "flush_regimes fills entries with 0xff bytes");
    size_t n = (size_t)(last - first + 1);
    memset(h->tlb[first], 0xff, n * sizeof h->tlb[0]);
    memset(h->tlbf[first], 0xff, n * sizeof h->tlbf[0]);
}

static void super_reset(struct hart *h)
{
    h->super_lo = ~0ull;
    h->super_hi = 0;
    h->super_shift = 0;
}

void mmu_flush_all(struct hart *h)
{
    flush_regimes(h, 0, REGIME_COUNT - 1);
    super_reset(h);
}

/* Translated regimes only: REGIME_M entries depend on PMP alone. */
void mmu_flush_translated(struct hart *h)
{
    flush_regimes(h, REGIME_U, REGIME_S_SUM);
    super_reset(h);
}

static void drop_if(struct tlb_entry *e, uint64_t va, unsigned shift)
{
    if (!((e->tag ^ va) >> shift))
        e->tag = TLB_EMPTY;
}

void mmu_flush_va(struct hart *h, uint64_t va)
{
    unsigned shift = 12;
    uint64_t page = va & ~0xfffull;
    /* va may lie in a superpage: drop every entry in the largest
     * superpage-sized block around it (spec 4.2.1: the fence covers the
     * leaf PTE that maps va, whatever its size). */
    if (h->super_shift && page >= h->super_lo && page <= h->super_hi) {
        shift = h->super_shift;
        for (int r = REGIME_U; r <= REGIME_S_SUM; r++)
            for (int i = 0; i < TLB_SIZE; i++) {
                drop_if(&h->tlb[r][0][i], va, shift);
                drop_if(&h->tlb[r][1][i], va, shift);
                if (!((h->tlbf[r][i].tag ^ va) >> shift))
                    h->tlbf[r][i].tag = TLB_EMPTY;
            }
        return;
    }
    unsigned i = (va >> 12) % TLB_SIZE;
    for (int r = REGIME_U; r <= REGIME_S_SUM; r++) {
        drop_if(&h->tlb[r][0][i], va, shift);
        drop_if(&h->tlb[r][1][i], va, shift);
        if (h->tlbf[r][i].tag == page)
            h->tlbf[r][i].tag = TLB_EMPTY;
    }
}

/*
 * sfence.vma (spec 4.2.1). rs1 = x0: all addresses; rs2 = x0: all address
 * spaces. As the TLBs hold only the current ASID's translations, a fence
 * naming another ASID has nothing to drop: global mappings are excluded
 * from ASID-specific fences, and the other ASID's entries were dropped when
 * satp last changed. Global entries of the current ASID go too (allowed:
 * a fence may invalidate more than it must).
 */
void mmu_sfence_vma(struct hart *h, bool has_va, uint64_t va, bool has_asid, uint64_t asid)
{
    uint64_t cur = (h->satp >> 44) & 0xffff;
    if (has_asid && (asid & 0xffff) != cur)
        return;
    if (has_va)
        mmu_flush_va(h, va);
    else
        mmu_flush_translated(h);
}

/* Remember that entries for va now come from a leaf of the given level. */
static void note_superpage(struct hart *h, uint64_t va, int level)
{
    if (level == 0)
        return;
    unsigned shift = 12 + 9 * level;
    uint64_t lo = va & ~((1ull << shift) - 1), hi = lo | ((1ull << shift) - 1);
    if (shift > h->super_shift)
        h->super_shift = shift;
    if (lo < h->super_lo)
        h->super_lo = lo;
    if (hi > h->super_hi)
        h->super_hi = hi;
}

static int fault_cause(enum access acc, bool page)
{
    static const int pf[] = { EXC_INSN_PAGE, EXC_LOAD_PAGE, EXC_STORE_PAGE };
    static const int af[] = { EXC_INSN_ACCESS, EXC_LOAD_ACCESS, EXC_STORE_ACCESS };
    return page ? pf[acc] : af[acc];
}

/* Leaf permission check (spec 4.3.2 step 5, with SUM and MXR). */
static bool leaf_allows(const struct hart *h, uint64_t pte, enum access acc, int priv)
{
    if (pte & PTE_U) {
        if (priv == PRV_S && (acc == ACC_FETCH || !(h->mstatus & MSTATUS_SUM)))
            return false;
    } else if (priv == PRV_U) {
        return false;
    }
    switch (acc) {
    case ACC_FETCH: return pte & PTE_X;
    case ACC_LOAD:  return (pte & PTE_R) || ((h->mstatus & MSTATUS_MXR) && (pte & PTE_X));
    default:        return pte & PTE_W;
    }
}

/*
 * Translate va for an access at privilege priv. Returns 0 with *pa and
 * *level (0 = 4 KiB page, 1 = 2 MiB, ...), or an exception cause. With
 * update, A and D are set in memory as the hart's own walk would.
 */
static int translate(struct hart *h, uint64_t va, enum access acc, int priv,
                     bool update, uint64_t *pa, int *level)
{
    int mode = h->satp >> 60;
    *level = 0;
    if (priv == PRV_M || mode == SATP_BARE) {
        *pa = va;
        return 0;
    }
    int levels = mode == SATP_SV48 ? 4 : 3;
    int vabits = 12 + 9 * levels;
    if (((int64_t)(va << (64 - vabits)) >> (64 - vabits)) != (int64_t)va)
        return fault_cause(acc, true);

    uint64_t a = (h->satp & PPN_MASK) << 12;
    for (int i = levels - 1; i >= 0; i--) {
        uint64_t pte_addr = a + ((va >> (12 + 9 * i)) & 0x1ff) * 8;
        uint8_t *p = bus_mem_ptr(h->core->bus, pte_addr, 8);
        if (!p || !pmp_check(h, pte_addr, 8, ACC_LOAD, PRV_S))
            return fault_cause(acc, false);
        uint64_t pte;
        memcpy(&pte, p, 8);
        /* N, PBMT and the reserved bits 63:54 are not implemented: must be 0 */
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte >> 54))
            return fault_cause(acc, true);
        if (!(pte & (PTE_R | PTE_X))) {
            /* non-leaf: D, A and U are reserved */
            if (pte & (PTE_D | PTE_A | PTE_U))
                return fault_cause(acc, true);
            a = ((pte >> 10) & PPN_MASK) << 12;
            continue;
        }
        if (!leaf_allows(h, pte, acc, priv))
            return fault_cause(acc, true);
        uint64_t ppn = (pte >> 10) & PPN_MASK;
        if (ppn & ((1ull << (9 * i)) - 1))
            return fault_cause(acc, true);        /* misaligned superpage */
        uint64_t off_mask = (1ull << (12 + 9 * i)) - 1;
        *pa = ((ppn << 12) & ~off_mask) | (va & off_mask);
        *level = i;
        uint64_t need = PTE_A | (acc == ACC_STORE ? PTE_D : 0);
        if ((pte & need) != need && update) {
            /* The update is a store checked by PMP (spec 4.3.2 step 7). */
            if (!pmp_check(h, pte_addr, 8, ACC_STORE, PRV_S))
                return fault_cause(acc, false);
            pte |= need;
            /* A table in ROM cannot take the update: access fault */
            if (bus_dma_write(h->core->bus, pte_addr, &pte, 8))
                return fault_cause(acc, false);
        }
        return 0;
    }
    return fault_cause(acc, true);
}

int mmu_translate_debug(struct hart *h, uint64_t va, enum access acc, uint64_t *pa)
{
    int level;
    return translate(h, va, acc, priv_for(h, acc), false, pa, &level);
}

/*
 * The decoded-instruction cache is bounded. A decoded page costs 32.8 KiB
 * (2049 slots of 16 bytes) for 4 KiB of guest code, 8x the page, and a
 * page that ever ran code used to keep its copy for good: a Linux boot
 * left ~500 of them (16 MiB) behind, far more than it runs at any one
 * time. (Making untouched slots free instead, as zero-filled mappings,
 * would need OP__DECODE to be 0 and invalidation to stop writing every
 * slot, and would still not bound pages that did run.) So at most
 * DCACHE_PAGES decoded pages exist, taken from one pool
 * (reserved at once, resident only as it is used). When all are taken, a
 * clock picks the page to recycle: ref[i] is set when a fetch-TLB fill
 * uses pool[i] (not on the interpreter's hit path, which must stay one
 * compare), and the hand clears ref bits until it finds one clear. Fills
 * are frequent enough to tell hot pages from cold: every satp write,
 * sfence.vma or fetch-TLB conflict refills the pages still in use (a Linux
 * boot recycles ~1400 pages this way, ~2200 in plain round-robin order).
 *
 * A recycled page must not be reachable from its old guest page:
 *  - region->dpages[pn] is cleared;
 *  - fetch-TLB entries of every hart and regime that point to it are
 *    emptied (their dp cleared too, so a stale use would fault at once);
 *  - the interpreter's own pointer: the only caller that can allocate is
 *    mmu_fetch_fill, which exec.c calls from refetch, where the running
 *    hart replaces its dp with the fill's result before it touches a slot
 *    again; other harts are not inside hart_run (they take turns in one
 *    thread and keep no dp between runs);
 *  - pages that PMP splits run from the hart's own split_dp, never from
 *    the pool;
 *  - breakpoints are kept by host address (monitor/break.c) and the
 *    decoder marks OP__BREAK again when the guest page is decoded afresh;
 *  - a region's live bounds need only cover its live pages: dropping one
 *    leaves them valid.
 * Its old guest page loses nothing but decoding work. The store TLB may
 * map that page again (tlb_fill only refuses pages with live decoded
 * code) until it is decoded afresh and mmu_code_page_live drops them.
 *
 * The bound, DCACHE_PAGES, is in mmu.h.
 */

bool mmu_dcache_owns(const struct dcache *c, const struct dpage *dp)
{
    uintptr_t a = (uintptr_t)dp, lo = (uintptr_t)c->pool;
    return c->pool && a >= lo && a - lo < (uintptr_t)c->used * sizeof *dp;
}

/* The clock: the next pool page not fetched from since the hand passed. */
static unsigned dcache_victim(struct dcache *c)
{
    for (;;) {
        unsigned i = c->hand;
        c->hand = (i + 1) % c->used;
        if (!c->ref[i])
            return i;
        c->ref[i] = 0;
    }
}

/* Drop every reference to dp (see above) so it can serve another page. */
static void dcache_evict(struct core *c, struct dpage *dp)
{
    struct region *r = bus_region_of_host(c->bus, dp->host);
    if (r)
        r->dpages[(uint64_t)(dp->host - r->host) >> 12] = NULL;
    for (int k = 0; k < c->nharts; k++)
        for (int g = 0; g < REGIME_COUNT; g++)
            for (int i = 0; i < TLB_SIZE; i++) {
                struct tlb_fetch_entry *e = &c->harts[k].tlbf[g][i];
                if (e->dp == dp) {
                    e->tag = TLB_EMPTY;
                    e->dp = NULL;
                }
            }
    c->bus->dc.recycled++;
}

/* The pool's mapping: cap pages between two inaccessible guard pages, so
 * the kernel never merges it with a neighbouring anonymous mapping such
 * as guest RAM, and /proc/PID/smaps keeps telling hartvm's memory from the
 * guest's (bench/lib.sh finds guest RAM as the mapping of its size). */
static size_t dcache_guard(void) { return (size_t)sysconf(_SC_PAGESIZE); }
static size_t dcache_bytes(const struct dcache *c)
{
    size_t g = dcache_guard();
    return ((size_t)c->cap * sizeof *c->pool + g - 1) / g * g;
}

static void dcache_reserve(struct dcache *c)
{
    if (!c->cap)
        c->cap = DCACHE_PAGES;
    size_t g = dcache_guard(), len = dcache_bytes(c);
    uint8_t *p = mmap(NULL, len + 2 * g, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    c->ref = calloc(c->cap, 1);
    if (p == MAP_FAILED || mprotect(p + g, len, PROT_READ | PROT_WRITE) || !c->ref) {
        fprintf(stderr, "hartvm: out of host memory for the instruction cache\n");
        exit(1);
    }
    c->pool = (struct dpage *)(p + g);
}

void mmu_dcache_free(struct dcache *c)
{
    if (c->pool)
        munmap((uint8_t *)c->pool - dcache_guard(), dcache_bytes(c) + 2 * dcache_guard());
    free(c->ref);
    *c = (struct dcache){ .cap = c->cap };      /* the bound is a setting: kept */
}

/* A pool page for a guest page that has none: a free one, or a recycled one. */
static struct dpage *dcache_take(struct core *core)
{
    struct dcache *c = &core->bus->dc;
    if (!c->pool)
        dcache_reserve(c);
    if (c->used < c->cap)
        return &c->pool[c->used++];
    struct dpage *dp = &c->pool[dcache_victim(c)];
    dcache_evict(core, dp);
    return dp;
}

/* Get (creating if needed) the decoded page of a memory region page. */
static struct dpage *dpage_get(struct core *core, struct region *r, uint64_t off)
{
    struct dcache *c = &core->bus->dc;
    uint64_t pn = off >> 12;
    struct dpage *dp = r->dpages[pn];
    if (dp) {
        if (mmu_dcache_owns(c, dp))     /* tests may make pages of their own */
            c->ref[dp - c->pool] = 1;
        return dp;
    }
    dp = dcache_take(core);
    c->ref[dp - c->pool] = 1;       /* a whole turn of the hand before it may go */
    for (int i = 0; i < 2048; i++)
        dp->ins[i].op = OP__DECODE;
    memset(&dp->ins[2048], 0, sizeof dp->ins[2048]);
    dp->ins[2048].op = OP__PAGE_END;
    dp->host = r->host + (pn << 12);
    dp->live = false;
    r->dpages[pn] = dp;
    return dp;
}

void mmu_invalidate_code(struct region *r, uint64_t off, uint64_t len)
{
    if (!r->dpages || len == 0 || r->live_lo > r->live_hi)
        return;
    uint64_t first = off >> 12, last = (off + len - 1) >> 12;
    bool all = first <= r->live_lo && last >= r->live_hi;
    if (first < r->live_lo)             /* no live page outside the bounds */
        first = r->live_lo;
    if (last > r->live_hi)
        last = r->live_hi;
    for (uint64_t pn = first; pn <= last; pn++) {
        struct dpage *dp = r->dpages[pn];
        if (dp && dp->live) {
            for (int i = 0; i < 2048; i++)
                dp->ins[i].op = OP__DECODE;
            dp->live = false;
        }
    }
    if (all) {
        r->live_lo = ~0ull;
        r->live_hi = 0;
    }
}

/* Widen the live bounds of the memory region holding dp's page. */
static void live_bounds_add(struct bus *b, const struct dpage *dp)
{
    struct region *r = bus_region_of_host(b, dp->host);
    if (!r)
        return;
    uint64_t pn = (uint64_t)(dp->host - r->host) >> 12;
    if (pn < r->live_lo)
        r->live_lo = pn;
    if (pn > r->live_hi)
        r->live_hi = pn;
}

void mmu_code_page_live(struct core *c, struct dpage *dp)
{
    dp->live = true;
    live_bounds_add(c->bus, dp);
    for (int k = 0; k < c->nharts; k++) {
        struct hart *h = &c->harts[k];
        for (int r = 0; r < REGIME_COUNT; r++)
            for (int i = 0; i < TLB_SIZE; i++) {
                struct tlb_entry *e = &h->tlb[r][1][i];
                if (e->tag != TLB_EMPTY && (uint8_t *)(e->addend + e->tag) == dp->host)
                    e->tag = TLB_EMPTY;
            }
    }
}

/* Fill a data TLB entry if the whole page is plain memory that PMP allows. */
static void tlb_fill(struct hart *h, struct region *r, uint64_t va, uint64_t pa,
                     int level, enum access acc, int priv)
{
    uint64_t page = pa & ~0xfffull;
    if (bus_find_page_memory(h->core->bus, page) != r)
        return;
    int perms = pmp_page_perms(h, page, priv);
    if (perms < 0 || !(perms & (acc == ACC_STORE ? 2 : 1)))
        return;
    if (acc == ACC_STORE) {
        if (r->readonly)
            return;
        struct dpage *dp = r->dpages[(page - r->base) >> 12];
        if (dp && dp->live)
            return;
    }
    /* Debugger watchpoints keep their pages on the slow paths. */
    if (core_watch_page(h->core, va, pa))
        return;
    note_superpage(h, va, level);
    struct tlb_entry *e = &(acc == ACC_STORE ? h->tlb_st : h->tlb_ld)[(va >> 12) % TLB_SIZE];
    e->tag = va & ~0xfffull;
    e->addend = (uintptr_t)(r->host + (page - r->base)) - e->tag;
}

/* Translate + PMP + bus lookup shared by the data slow paths. */
static struct region *data_access(struct hart *h, uint64_t va, unsigned size, enum access acc,
                                  uint64_t *pa, int *level, int *priv)
{
    *priv = data_priv(h);
    int cause = translate(h, va, acc, *priv, true, pa, level);
    if (cause) {
        hart_exception(h, cause, va);
        return NULL;
    }
    struct region *r = bus_find(h->core->bus, *pa, size);
    if (!r || !pmp_check(h, *pa, size, acc, *priv)) {
        hart_exception(h, fault_cause(acc, false), va);
        return NULL;
    }
    return r;
}

int mmu_load_slow(struct hart *h, uint64_t va, unsigned size, uint64_t *val)
{
    uint64_t pa;
    int level, priv;
    if (va & (size - 1)) {
        hart_exception(h, EXC_LOAD_MISALIGNED, va);
        return -1;
    }
    struct region *r = data_access(h, va, size, ACC_LOAD, &pa, &level, &priv);
    if (!r)
        return -1;
    core_watch_access(h->core, h, va, pa, size, false, 0);
    if (r->host) {
        *val = 0;
        memcpy(val, r->host + (pa - r->base), size);
        tlb_fill(h, r, va, pa, level, ACC_LOAD, priv);
        return 0;
    }
    h->yield = true;
    if (!r->ops->read || r->ops->read(r->dev, pa - r->base, size, val)) {
        hart_exception(h, EXC_LOAD_ACCESS, va);
        return -1;
    }
    return 0;
}

int mmu_store_slow(struct hart *h, uint64_t va, unsigned size, uint64_t val)
{
    uint64_t pa;
    int level, priv;
    if (va & (size - 1)) {
        hart_exception(h, EXC_STORE_MISALIGNED, va);
        return -1;
    }
    struct region *r = data_access(h, va, size, ACC_STORE, &pa, &level, &priv);
    if (!r)
        return -1;
    /* before the write: the watchpoint shows the old value */
    core_watch_access(h->core, h, va, pa, size, true, val);
    if (r->host) {
        if (r->readonly) {
            hart_exception(h, EXC_STORE_ACCESS, va);
            return -1;
        }
        memcpy(r->host + (pa - r->base), &val, size);
        mmu_invalidate_code(r, pa - r->base, size);
        tlb_fill(h, r, va, pa, level, ACC_STORE, priv);
        return 0;
    }
    h->yield = true;
    if (!r->ops->write || r->ops->write(r->dev, pa - r->base, size, val)) {
        hart_exception(h, EXC_STORE_ACCESS, va);
        return -1;
    }
    return 0;
}

void *mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, bool store)
{
    enum access acc = store ? ACC_STORE : ACC_LOAD;
    uint64_t pa;
    int level, priv;
    if (va & (size - 1)) {
        hart_exception(h, store ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED, va);
        return NULL;
    }
    struct region *r = data_access(h, va, size, acc, &pa, &level, &priv);
    if (!r)
        return NULL;
    if (!r->host || (store && r->readonly)) {
        hart_exception(h, fault_cause(acc, false), va);
        return NULL;
    }
    /* the stop comes at the end of this run */
    core_watch_access(h->core, h, va, pa, size, store, 0);
    if (store)
        mmu_invalidate_code(r, pa - r->base, size);
    tlb_fill(h, r, va, pa, level, acc, priv);
    return r->host + (pa - r->base);
}

/* Translate and check a fetch of 2 bytes at va; returns the region. */
static struct region *fetch_access(struct hart *h, uint64_t va, uint64_t *pa, int *level)
{
    int cause = translate(h, va, ACC_FETCH, h->priv, true, pa, level);
    if (cause) {
        hart_exception(h, cause, va);
        return NULL;
    }
    struct region *r = bus_find(h->core->bus, *pa, 2);
    if (!r || !r->host || !pmp_check(h, *pa, 2, ACC_FETCH, h->priv)) {
        hart_exception(h, EXC_INSN_ACCESS, va);
        return NULL;
    }
    return r;
}

/*
 * A code page whose bytes PMP treats unevenly cannot share the decoded page:
 * each instruction's fetch must be checked. It runs from the hart's private
 * split_dp, where only pc's slot is undecoded and every other slot is a
 * page end, so the next instruction comes back here through a refetch. The
 * fetch TLB entry keeps an empty tag so it never hits. Both halves of a
 * 32-bit instruction are checked (tval: the half that failed, spec 3.1.16).
 */
static bool fetch_split(struct hart *h, struct region *r, uint64_t pc, uint64_t pa)
{
    struct dpage *dp = &h->split_dp;
    uint8_t *host = r->host + (pa - r->base);
    if ((host[0] & 3) == 3 && (pa & 0xfff) != 0xffe && !pmp_check(h, pa + 2, 2, ACC_FETCH, h->priv)) {
        hart_exception(h, EXC_INSN_ACCESS, pc + 2);
        return false;
    }
    if (!dp->host) {
        for (int i = 0; i < 2049; i++)
            dp->ins[i].op = OP__PAGE_END;
        dp->live = true;        /* never shared: nothing to invalidate */
    }
    dp->ins[h->split_slot].op = OP__PAGE_END;
    h->split_slot = (pa & 0xfff) >> 1;
    dp->ins[h->split_slot].op = OP__DECODE;
    dp->host = host - (pa & 0xfff);
    struct tlb_fetch_entry *e = &h->tlb_fe[(pc >> 12) % TLB_SIZE];
    e->tag = TLB_EMPTY;
    e->dp = dp;
    return true;
}

bool mmu_fetch_fill(struct hart *h, uint64_t pc)
{
    uint64_t pa;
    int level;
    struct region *r = fetch_access(h, pc, &pa, &level);
    if (!r)
        return false;
    if (pmp_page_perms(h, pa & ~0xfffull, h->priv) < 0)
        return fetch_split(h, r, pc, pa);
    note_superpage(h, pc, level);
    /* First the page: taking one may empty fetch-TLB entries (dcache_evict) */
    struct dpage *dp = dpage_get(h->core, r, (pa & ~0xfffull) - r->base);
    struct tlb_fetch_entry *e = &h->tlb_fe[(pc >> 12) % TLB_SIZE];
    e->tag = pc & ~0xfffull;
    e->dp = dp;
    return true;
}

int mmu_fetch_half(struct hart *h, uint64_t va, uint16_t *out)
{
    uint64_t pa;
    int level;
    struct region *r = fetch_access(h, va, &pa, &level);
    if (!r)
        return -1;
    memcpy(out, r->host + (pa - r->base), 2);
    return 0;
}

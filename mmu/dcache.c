/*
 * The decoded-instruction cache (the slot format is in dcache.h).
 *
 * The cache is bounded. A decoded page costs 32.8 KiB (2049 slots of 16
 * bytes) for 4 KiB of guest code, 8x the page, and a page that ever ran
 * code used to keep its copy for good: a Linux boot left ~500 of them
 * (16 MiB) behind, far more than it runs at any one time. (Making
 * untouched slots free instead, as zero-filled mappings, would need
 * OP__DECODE to be 0 and invalidation to stop writing every slot, and
 * would still not bound pages that did run.) So at most DCACHE_PAGES
 * decoded pages exist, taken from one pool (reserved at once, resident
 * only as it is used). When all are taken, a clock picks the page to
 * recycle: ref[i] is set when a fetch-TLB fill uses pool[i] (not on the
 * interpreter's hit path, which must stay one compare), and the hand
 * clears ref bits until it finds one clear. Fills are frequent enough to
 * tell hot pages from cold: every satp write, sfence.vma or fetch-TLB
 * conflict refills the pages still in use (a Linux boot recycles ~1400
 * pages this way, ~2200 in plain round-robin order).
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
 *    decoder asks the debugger and marks OP__BREAK again when the guest
 *    page is decoded afresh;
 *  - a region's live bounds need only cover its live pages: dropping one
 *    leaves them valid.
 * Its old guest page loses nothing but decoding work. The store TLB may
 * map that page again (tlb_fill only refuses pages with live decoded
 * code) until it is decoded afresh and going live drops those entries.
 *
 * Invalidation: guest stores that miss the store TLB, DMA, loaders and
 * the debugger write through dcache_invalidate; stores that hit it cannot
 * reach a live page, as no store-TLB entry maps one. So the cache never
 * holds stale code and fence.i has nothing to do (unprivileged spec,
 * Zifencei: one hart sees its own stores to instruction memory after it).
 */
#include "../cpu/dcache.h"
#include "../cpu/core.h"
#include "../cpu/hart.h"
#include "../cpu/isa.h"
#include "bus.h"
#include "mmu.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- a memory region's table of pages ---------------------------------- */

int dcache_region_init(struct region *r)
{
    r->dpages = calloc(r->size >> 12 ? r->size >> 12 : 1, sizeof *r->dpages);
    r->live_lo = ~0ull;         /* no live page yet */
    r->live_hi = 0;
    return r->dpages ? 0 : -1;
}

void dcache_region_free(struct region *r)
{
    free(r->dpages);
    r->dpages = NULL;
}

/* The region page of dp, or NULL (a page of a region since removed). */
static struct region *region_of(struct bus *b, const struct dpage *dp, uint64_t *pn)
{
    struct region *r = bus_region_of_host(b, dp->host);
    if (r)
        *pn = (uint64_t)(dp->host - r->host) >> 12;
    return r;
}

/* ---- the pool ----------------------------------------------------------- */

/* The pool's mapping: cap pages between two inaccessible guard pages, so
 * the kernel never merges it with a neighbouring anonymous mapping such
 * as guest RAM, and /proc/PID/smaps keeps telling hartvm's memory from the
 * guest's (bench/lib.sh finds guest RAM as the mapping of its size). */
static size_t pool_guard(void) { return (size_t)sysconf(_SC_PAGESIZE); }
static size_t pool_bytes(const struct dcache *c)
{
    size_t g = pool_guard();
    return ((size_t)c->cap * sizeof *c->pool + g - 1) / g * g;
}

static void pool_reserve(struct dcache *c)
{
    if (!c->cap)
        c->cap = DCACHE_PAGES;
    size_t g = pool_guard(), len = pool_bytes(c);
    uint8_t *p = mmap(NULL, len + 2 * g, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    c->ref = calloc(c->cap, 1);
    if (p == MAP_FAILED || mprotect(p + g, len, PROT_READ | PROT_WRITE) || !c->ref) {
        fprintf(stderr, "hartvm: out of host memory for the instruction cache\n");
        exit(1);
    }
    c->pool = (struct dpage *)(p + g);
}

void dcache_free(struct dcache *c)
{
    if (c->pool)
        munmap((uint8_t *)c->pool - pool_guard(), pool_bytes(c) + 2 * pool_guard());
    free(c->ref);
    *c = (struct dcache){ .cap = c->cap };      /* the bound is a setting: kept */
}

/* The clock: the next pool page not fetched from since the hand passed. */
static unsigned pool_victim(struct dcache *c)
{
    for (;;) {
        unsigned i = c->hand;
        c->hand = (i + 1) % c->used;
        if (!c->ref[i])
            return i;
        c->ref[i] = 0;
    }
}

/* The fetch-TLB entries of every hart and regime that lead to dp go,
 * their dp cleared too, so a stale use would fault at once. */
static void drop_fetch_entries(struct core *core, const struct dpage *dp)
{
    for (int k = 0; k < core->nharts; k++)
        for (int g = 0; g < REGIME_COUNT; g++)
            for (int i = 0; i < TLB_SIZE; i++) {
                struct tlb_fetch_entry *e = &core->harts[k].tlbf[g][i];
                if (e->dp == dp) {
                    e->tag = TLB_EMPTY;
                    e->dp = NULL;
                }
            }
}

/* Drop every reference to dp (see above) so it can serve another page. */
static void pool_evict(struct core *core, struct dpage *dp)
{
    uint64_t pn;
    struct region *r = region_of(core->bus, dp, &pn);
    if (r)
        r->dpages[pn] = NULL;
    drop_fetch_entries(core, dp);
    core->bus->dc.recycled++;
}

/* A pool page for a guest page that has none: a free one, or a recycled one. */
static struct dpage *pool_take(struct core *core)
{
    struct dcache *c = &core->bus->dc;
    if (!c->pool)
        pool_reserve(c);
    if (c->used < c->cap)
        return &c->pool[c->used++];
    struct dpage *dp = &c->pool[pool_victim(c)];
    pool_evict(core, dp);
    return dp;
}

struct dpage *dcache_page(struct core *core, struct region *r, uint64_t off)
{
    struct dcache *c = &core->bus->dc;
    uint64_t pn = off >> 12;
    struct dpage *dp = r->dpages[pn];
    if (!dp) {
        dp = pool_take(core);
        for (int i = 0; i < DCACHE_SLOTS; i++)
            dp->ins[i].op = OP__DECODE;
        memset(&dp->ins[DCACHE_SLOTS], 0, sizeof dp->ins[DCACHE_SLOTS]);
        dp->ins[DCACHE_SLOTS].op = OP__PAGE_END;
        dp->host = r->host + (pn << 12);
        dp->live = false;
        r->dpages[pn] = dp;
    }
    c->ref[dp - c->pool] = 1;   /* fetched from: a whole turn of the hand before it may go */
    return dp;
}

/*
 * A code page whose bytes PMP treats unevenly cannot share the decoded
 * page: each instruction's fetch must be checked (mmu.c, fetch_split). It
 * runs from the hart's private split_dp, where only the current slot is
 * undecoded and every other slot is a page end, so the next instruction
 * comes back through a refetch.
 */
struct dpage *dcache_split_page(struct hart *h, uint8_t *host, unsigned off)
{
    struct dpage *dp = &h->split_dp;
    if (!dp->host) {
        for (int i = 0; i <= DCACHE_SLOTS; i++)
            dp->ins[i].op = OP__PAGE_END;
        dp->live = true;        /* never shared: nothing to invalidate */
    }
    dp->ins[h->split_slot].op = OP__PAGE_END;
    h->split_slot = off >> 1;
    dp->ins[h->split_slot].op = OP__DECODE;
    dp->host = host;
    return dp;
}

bool dcache_page_has_code(const struct region *r, uint64_t off)
{
    const struct dpage *dp = r->dpages[off >> 12];
    return dp && dp->live;
}

/* ---- decoding ------------------------------------------------------------ */

/* Widen the live bounds of the memory region holding dp's page. */
static void live_bounds_add(struct bus *b, const struct dpage *dp)
{
    uint64_t pn;
    struct region *r = region_of(b, dp, &pn);
    if (!r)
        return;
    if (pn < r->live_lo)
        r->live_lo = pn;
    if (pn > r->live_hi)
        r->live_hi = pn;
}

/* dp's first slot is being decoded: from now on a store to the page must
 * invalidate it, so no store-TLB entry may map the page. */
static void page_goes_live(struct core *c, struct dpage *dp)
{
    dp->live = true;
    live_bounds_add(c->bus, dp);
    mmu_drop_store_page(c, dp->host);
}

/* A branch or jal at page offset off whose target is in the same page
 * becomes its _LOCAL op, imm the distance in decoded-slot bytes. */
static void localize_branch(struct dinsn *w, unsigned off)
{
    int64_t t = (int64_t)off + w->imm;
    if (t < 0 || t >= 4096)
        return;
    switch (w->op) {
    case OP_beq:  w->op = OP__BEQ_LOCAL; break;
    case OP_bne:  w->op = OP__BNE_LOCAL; break;
    case OP_blt:  w->op = OP__BLT_LOCAL; break;
    case OP_bge:  w->op = OP__BGE_LOCAL; break;
    case OP_bltu: w->op = OP__BLTU_LOCAL; break;
    case OP_bgeu: w->op = OP__BGEU_LOCAL; break;
    case OP_jal:  w->op = OP__JAL_LOCAL; break;
    default: return;
    }
    w->imm *= (int32_t)(sizeof *w / 2);
}

const struct dinsn *dcache_decode(struct core *c, struct dpage *dp, unsigned off,
                                  const void *const *compressed)
{
    struct dinsn *w = &dp->ins[off >> 1];
    const uint8_t *p = dp->host + off;
    bool straddle;
    if (!dp->live)
        page_goes_live(c, dp);
    /* A debugger breakpoint on this slot outlives re-decoding. */
    if (core_break_at(c, p)) {
        w->op = OP__BREAK;
        return w;
    }
    uint32_t bits = dcache_bits(p, off, &straddle);
    if (straddle) {                     /* crosses into the next page */
        w->op = OP__STRADDLE;
        return w;
    }
    insn_decode(bits, w);
    isa_gate(w, c->isa_off);
    localize_branch(w, off);
    if (w->len == 2 && compressed[w->op])
        w->op += OP__COUNT;
    return w;
}

/* ---- invalidation -------------------------------------------------------- */

void dcache_invalidate(struct region *r, uint64_t off, uint64_t len)
{
    region_mark_dirty(r, off, len);     /* every write to memory but a TLB hit comes here */
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
            for (int i = 0; i < DCACHE_SLOTS; i++)
                dp->ins[i].op = OP__DECODE;
            dp->live = false;
        }
    }
    if (all) {
        r->live_lo = ~0ull;
        r->live_hi = 0;
    }
}

void dcache_invalidate_all(struct bus *b)
{
    for (int i = 0; i < b->n; i++)
        if (b->r[i].dpages)
            dcache_invalidate(&b->r[i], 0, b->r[i].size);
}

/* ---- breakpoints --------------------------------------------------------- */

/* The decoded slot of physical address pa, or NULL if its page has none yet. */
static struct dinsn *slot_of(struct bus *b, uint64_t pa)
{
    struct region *r = bus_find(b, pa, 2);
    if (!r || !r->host || !r->dpages)
        return NULL;
    struct dpage *dp = r->dpages[(pa - r->base) >> 12];
    return dp ? &dp->ins[(pa & 0xfff) >> 1] : NULL;
}

void dcache_break_set(struct bus *b, uint64_t pa)
{
    struct dinsn *s = slot_of(b, pa);
    if (s && s->op != OP__DECODE)
        s->op = OP__BREAK;
}

void dcache_break_clear(struct bus *b, uint64_t pa)
{
    struct dinsn *s = slot_of(b, pa);
    if (s && s->op == OP__BREAK)
        s->op = OP__DECODE;
}

/* ---- statistics ---------------------------------------------------------- */

void dcache_count(const struct bus *b, unsigned long *pages, unsigned long *live)
{
    *pages = *live = 0;
    for (int i = 0; i < b->n; i++) {
        const struct region *r = &b->r[i];
        if (!r->dpages)
            continue;
        for (uint64_t p = 0; p < r->size >> 12; p++)
            if (r->dpages[p]) {
                (*pages)++;
                *live += r->dpages[p]->live;
            }
    }
}

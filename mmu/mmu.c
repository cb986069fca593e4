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
 * checked instruction per fetch (fetch_split). Invalidation: see below for
 * the TLBs, mmu/dcache.c for decoded instructions.
 */
#include "mmu.h"
#include "bus.h"
#include "../cpu/core.h"
#include "../cpu/isa.h"
#include "../cpu/log.h"
#include <inttypes.h>
#include <string.h>

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define PTE_PBMT (3ull << 61)     /* Svpbmt */
#define PTE_N (1ull << 63)        /* Svnapot */
#define PTE_RSVD (0x7full << 54)  /* bits 60:54 */
#define PPN_MASK ((1ull << 44) - 1)
#define MENVCFG_PBMTE (1ull << 62)

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
    core_translation_changed(h->core, h);
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
    core_translation_changed(h->core, h);
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

/* Remember that entries for va now come from a leaf mapping 1 << shift
 * bytes (a superpage, or a Svnapot 64 KiB page). */
static void note_span(struct hart *h, uint64_t va, unsigned shift)
{
    uint64_t lo = va & ~((1ull << shift) - 1), hi = lo | ((1ull << shift) - 1);
    if (shift > h->super_shift)
        h->super_shift = shift;
    if (lo < h->super_lo)
        h->super_lo = lo;
    if (hi > h->super_hi)
        h->super_hi = hi;
}

/* ... from a leaf of the given level (0: a 4 KiB page, nothing to note). */
static void note_superpage(struct hart *h, uint64_t va, int level)
{
    if (level)
        note_span(h, va, 12 + 9 * level);
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

/* A leaf's bits 63:61 (privileged spec, "Svnapot" and "Svpbmt"): N only
 * with Svnapot, on a 4 KiB leaf whose ppn[3:0] is 1000 (64 KiB, the one
 * size defined); PBMT only with Svpbmt enabled by menvcfg.PBMTE, and not
 * the reserved value 3. Anything else is a page fault. */
static bool leaf_high_bits_ok(const struct hart *h, uint64_t pte, int level)
{
    uint64_t pbmt = (pte & PTE_PBMT) >> 61;
    if (pbmt && (!core_has_ext(h->core, ISA_SVPBMT) || !(h->menvcfg & MENVCFG_PBMTE) || pbmt == 3))
        return false;
    if (pte & PTE_N)
        return core_has_ext(h->core, ISA_SVNAPOT) && level == 0 && ((pte >> 10) & 0xf) == 8;
    return true;
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
    int levels = mode == SATP_SV57 ? 5 : mode == SATP_SV48 ? 4 : 3;
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
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RSVD))
            return fault_cause(acc, true);
        if (!(pte & (PTE_R | PTE_X))) {
            /* non-leaf: D, A, U, N and PBMT are reserved */
            if (pte & (PTE_D | PTE_A | PTE_U | PTE_N | PTE_PBMT))
                return fault_cause(acc, true);
            a = ((pte >> 10) & PPN_MASK) << 12;
            continue;
        }
        if (!leaf_allows(h, pte, acc, priv) || !leaf_high_bits_ok(h, pte, i))
            return fault_cause(acc, true);
        uint64_t ppn = (pte >> 10) & PPN_MASK;
        if (ppn & ((1ull << (9 * i)) - 1))
            return fault_cause(acc, true);        /* misaligned superpage */
        uint64_t off_mask = (1ull << (12 + 9 * i)) - 1;
        if (pte & PTE_N) {                        /* Svnapot: a 64 KiB page */
            off_mask = 0xffff;
            if (update)
                note_span(h, va, 16);
        }
        *pa = ((ppn << 12) & ~off_mask) | (va & off_mask);
        *level = i;
        uint64_t need = PTE_A | (acc == ACC_STORE ? PTE_D : 0);
        if ((pte & need) != need && update) {
            /* Svadu with menvcfg.ADUE clear is Svade: software sets A and D
             * after the page fault (privileged spec, "Svadu") */
            if (core_has_ext(h->core, ISA_SVADU) && !(h->menvcfg & MENVCFG_ADUE))
                return fault_cause(acc, true);
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

/* Every hart's store TLB entries of the host page at host (NULL: all). */
static void drop_stores(struct core *c, const uint8_t *host)
{
    for (int k = 0; k < c->nharts; k++) {
        struct hart *h = &c->harts[k];
        for (int r = 0; r < REGIME_COUNT; r++)
            for (int i = 0; i < TLB_SIZE; i++) {
                struct tlb_entry *e = &h->tlb[r][1][i];
                if (e->tag != TLB_EMPTY && (!host || (const uint8_t *)(e->addend + e->tag) == host))
                    e->tag = TLB_EMPTY;
            }
    }
}

void mmu_drop_store_tlbs(struct core *c)
{
    drop_stores(c, NULL);
}

/* The page at host now holds live decoded code: stores to it must take
 * the slow path, which invalidates (mmu/dcache.c). */
void mmu_drop_store_page(struct core *c, const uint8_t *host)
{
    drop_stores(c, host);
}

/* Fill a data TLB entry if the whole page is plain memory that PMP allows.
 * Every call is a TLB miss of an access to RAM: the PMU's DTLB events. */
void mmu_tlb_fill(struct hart *h, struct region *r, uint64_t va, uint64_t pa,
                  int level, enum access acc, int priv)
{
    enum pmu_tlb k = acc == ACC_STORE ? PMU_TLB_STORE : PMU_TLB_LOAD;
    if (h->pmu.tlb[k])
        pmu_tlb_miss(h, k);
    uint64_t page = pa & ~0xfffull;
    if (bus_find_page_memory(h->core->bus, page) != r)
        return;
    int perms = pmp_page_perms(h, page, priv);
    if (perms < 0 || !(perms & (acc == ACC_STORE ? 2 : 1)))
        return;
    if (acc == ACC_STORE) {
        if (r->readonly)
            return;
        if (dcache_page_has_code(r, page - r->base))
            return;
    }
    /* Debugger watchpoints and armed load/store triggers keep their
     * pages on the slow paths. */
    if (h->trig.data || core_watch_page(h->core, va, pa))
        return;
    note_superpage(h, va, level);
    if (acc == ACC_STORE)
        region_mark_dirty(r, page - r->base, 4096);     /* the stores this entry lets by */
    struct tlb_entry *e = &(acc == ACC_STORE ? h->tlb_st : h->tlb_ld)[(va >> 12) % TLB_SIZE];
    e->tag = va & ~0xfffull;
    e->addend = (uintptr_t)(r->host + (page - r->base)) - e->tag;
}

/* -d mmu: a slow-path translation, in the words of QEMU's
 * riscv_cpu_tlb_fill (rw 0 load, 1 store, 2 fetch; mmu_idx the privilege;
 * ret 0 translated, 1 a fault). */
static void log_translation(struct hart *h, uint64_t va, enum access acc, int priv, int cause,
                            uint64_t pa)
{
    struct qlog *l = h->core->log;
    if (!qlog_on(l, LOG_MMU))
        return;
    int rw = acc == ACC_FETCH ? 2 : acc == ACC_STORE ? 1 : 0;
    fprintf(l->out, "riscv_cpu_tlb_fill ad %" PRIx64 " rw %d mmu_idx %d\n", va, rw, priv);
    fprintf(l->out, "riscv_cpu_tlb_fill address=%" PRIx64 " ret %d physical %016" PRIx64 "\n",
            va, cause != 0, pa);
}

/* -d guest_errors: an access no memory or device takes, or one its
 * device (r) refuses, in the words of QEMU's memory core. */
static void log_bad_access(struct hart *h, enum access acc, uint64_t pa, unsigned size,
                           const struct region *r)
{
    static const char *const what[] = { "fetch", "read", "write" };
    qlog_printf(h->core->log, LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIx64 ", size %u, "
                "region '%s', reason: rejected\n", what[acc], pa, size, r ? r->name : "(null)");
}

/* Translate + PMP + bus lookup shared by the data slow paths. */
struct region *mmu_data_access(struct hart *h, uint64_t va, unsigned size, enum access acc,
                               uint64_t *pa, int *level, int *priv)
{
    *priv = data_priv(h);
    int cause = translate(h, va, acc, *priv, true, pa, level);
    log_translation(h, va, acc, *priv, cause, cause ? 0 : *pa);
    if (cause) {
        hart_exception(h, cause, va);
        return NULL;
    }
    struct region *r = bus_find(h->core->bus, *pa, size);
    if (!r)
        log_bad_access(h, acc, *pa, size, NULL);
    if (!r || !pmp_check(h, *pa, size, acc, *priv)) {
        hart_exception(h, fault_cause(acc, false), va);
        return NULL;
    }
    return r;
}

static __attribute__((noinline)) int load_aligned(struct hart *h, uint64_t va, unsigned size,
                                                  uint64_t *val)
{
    uint64_t pa;
    int level, priv;
    /* an address trigger comes before page faults (privileged spec 3.7,
     * synchronous exception priority) */
    if (h->trig.data && trig_access(h, va, size, false, 0))
        return -1;
    struct region *r = mmu_data_access(h, va, size, ACC_LOAD, &pa, &level, &priv);
    if (!r)
        return -1;
    core_watch_access(h->core, h, va, pa, size, false, 0);
    if (r->host) {
        *val = 0;
        memcpy(val, r->host + (pa - r->base), size);
        mmu_tlb_fill(h, r, va, pa, level, ACC_LOAD, priv);
    } else {
        h->yield = true;
        if (!r->ops->read || r->ops->read(r->dev, pa - r->base, size, val)) {
            log_bad_access(h, ACC_LOAD, pa, size, r);
            hart_exception(h, EXC_LOAD_ACCESS, va);
            return -1;
        }
    }
    return h->trig.data && trig_load_value(h, va, size, *val) ? -1 : 0;
}

static __attribute__((noinline)) int store_aligned(struct hart *h, uint64_t va, unsigned size,
                                                   uint64_t val)
{
    uint64_t pa;
    int level, priv;
    if (h->trig.data && trig_access(h, va, size, true, val))
        return -1;
    struct region *r = mmu_data_access(h, va, size, ACC_STORE, &pa, &level, &priv);
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
        dcache_invalidate(r, pa - r->base, size);
        mmu_tlb_fill(h, r, va, pa, level, ACC_STORE, priv);
        return 0;
    }
    h->yield = true;
    if (!r->ops->write || r->ops->write(r->dev, pa - r->base, size, val)) {
        log_bad_access(h, ACC_STORE, pa, size, r);
        hart_exception(h, EXC_STORE_ACCESS, va);
        return -1;
    }
    return 0;
}

/* Both tail calls: a misaligned access pays for no frame here. */
int mmu_load_slow(struct hart *h, uint64_t va, unsigned size, uint64_t *val)
{
    return va & (size - 1) ? mmu_misaligned(h, va, size, ACC_LOAD, val) : load_aligned(h, va, size, val);
}

int mmu_store_slow(struct hart *h, uint64_t va, unsigned size, uint64_t val)
{
    if (va & (size - 1))
        return mmu_misaligned(h, va, size, ACC_STORE, &val);
    return store_aligned(h, va, size, val);
}

void *mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, bool store)
{
    enum access acc = store ? ACC_STORE : ACC_LOAD;
    uint64_t pa;
    int level, priv;
    if (h->trig.data && trig_atomic(h, va, size, store))
        return NULL;
    if (va & (size - 1)) {
        hart_exception(h, store ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED, va);
        return NULL;
    }
    struct region *r = mmu_data_access(h, va, size, acc, &pa, &level, &priv);
    if (!r)
        return NULL;
    if (!r->host || (store && r->readonly)) {
        hart_exception(h, fault_cause(acc, false), va);
        return NULL;
    }
    /* the stop comes at the end of this run */
    core_watch_access(h->core, h, va, pa, size, store, 0);
    if (store)
        dcache_invalidate(r, pa - r->base, size);
    mmu_tlb_fill(h, r, va, pa, level, acc, priv);
    return r->host + (pa - r->base);
}

/* Zicbom/Zicboz (cpu/cmo.c): the block may be reached when a load or a
 * store could reach it; a fault is a store fault naming va (rs1). */
int mmu_cbo(struct hart *h, uint64_t va, bool zero)
{
    uint64_t block = va & ~63ull, pa;
    int level, priv = data_priv(h);
    if (zero && h->trig.data && trig_access(h, block, 64, true, 0))
        return -1;
    int cause = translate(h, block, ACC_STORE, priv, true, &pa, &level);
    if (cause && !zero)
        cause = translate(h, block, ACC_LOAD, priv, true, &pa, &level) ? EXC_STORE_PAGE : 0;
    if (cause) {
        hart_exception(h, cause, va);
        return -1;
    }
    struct region *r = bus_find(h->core->bus, pa, 64);
    bool ok = r && (pmp_check(h, pa, 64, ACC_STORE, priv) ||
                    (!zero && pmp_check(h, pa, 64, ACC_LOAD, priv)));
    if (!ok || (zero && r->host && r->readonly)) {
        hart_exception(h, EXC_STORE_ACCESS, va);
        return -1;
    }
    if (!zero)
        return 0;
    core_watch_access(h->core, h, block, pa, 64, true, 0);
    if (r->host) {
        memset(r->host + (pa - r->base), 0, 64);
        dcache_invalidate(r, pa - r->base, 64);
        return 0;
    }
    h->yield = true;
    for (unsigned i = 0; i < 64; i += 8)
        if (!r->ops->write || r->ops->write(r->dev, pa - r->base + i, 8, 0)) {
            hart_exception(h, EXC_STORE_ACCESS, va);
            return -1;
        }
    return 0;
}

/* Translate and check a fetch of 2 bytes at va; returns the region. */
static struct region *fetch_access(struct hart *h, uint64_t va, uint64_t *pa, int *level)
{
    int cause = translate(h, va, ACC_FETCH, h->priv, true, pa, level);
    log_translation(h, va, ACC_FETCH, h->priv, cause, cause ? 0 : *pa);
    if (cause) {
        hart_exception(h, cause, va);
        return NULL;
    }
    struct region *r = bus_find(h->core->bus, *pa, 2);
    if (!r || !r->host)
        log_bad_access(h, ACC_FETCH, *pa, 2, r);
    if (!r || !r->host || !pmp_check(h, *pa, 2, ACC_FETCH, h->priv)) {
        hart_exception(h, EXC_INSN_ACCESS, va);
        return NULL;
    }
    return r;
}

/*
 * A code page whose bytes PMP treats unevenly cannot share the decoded page:
 * each instruction's fetch must be checked. It runs from the hart's private
 * split_dp (dcache_split_page), where only pc's slot is undecoded and every other slot is a
 * page end, so the next instruction comes back here through a refetch. The
 * fetch TLB entry keeps an empty tag so it never hits. Both halves of a
 * 32-bit instruction are checked (tval: the half that failed, spec 3.1.16).
 */
static bool fetch_split(struct hart *h, struct region *r, uint64_t pc, uint64_t pa)
{
    uint8_t *host = r->host + (pa - r->base);
    if ((host[0] & 3) == 3 && (pa & 0xfff) != 0xffe && !pmp_check(h, pa + 2, 2, ACC_FETCH, h->priv)) {
        hart_exception(h, EXC_INSN_ACCESS, pc + 2);
        return false;
    }
    struct tlb_fetch_entry *e = &h->tlb_fe[(pc >> 12) % TLB_SIZE];
    e->tag = TLB_EMPTY;
    e->dp = dcache_split_page(h, host - (pa & 0xfff), pa & 0xfff);
    return true;
}

bool mmu_fetch_fill(struct hart *h, uint64_t pc)
{
    uint64_t pa;
    int level;
    struct region *r = fetch_access(h, pc, &pa, &level);
    if (!r)
        return false;
    if (h->pmu.tlb[PMU_TLB_FETCH])         /* the PMU's ITLB miss event */
        pmu_tlb_miss(h, PMU_TLB_FETCH);
    if (pmp_page_perms(h, pa & ~0xfffull, h->priv) < 0)
        return fetch_split(h, r, pc, pa);
    note_superpage(h, pc, level);
    /* The page first, then the tag: taking a page may empty fetch-TLB
     * entries, this one too (mmu/dcache.c, recycling) */
    struct tlb_fetch_entry *e = &h->tlb_fe[(pc >> 12) % TLB_SIZE];
    e->dp = dcache_page(h->core, r, (pa & ~0xfffull) - r->base);
    e->tag = pc & ~0xfffull;
    return true;
}

int mmu_peek_half(struct hart *h, uint64_t va, uint16_t *out)
{
    uint64_t pa;
    int level;
    if (translate(h, va, ACC_FETCH, h->priv, false, &pa, &level))
        return -1;
    struct region *r = bus_find(h->core->bus, pa, 2);
    if (!r || !r->host || !pmp_check(h, pa, 2, ACC_FETCH, h->priv))
        return -1;
    memcpy(out, r->host + (pa - r->base), 2);
    return 0;
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

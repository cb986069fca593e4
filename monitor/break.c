/*
 * Breakpoints and watchpoints, at no cost to code that does not touch them.
 *
 * A breakpoint lives in the decoded-instruction cache: the slot of its
 * physical address holds OP__BREAK instead of the decoded instruction
 * (dcache_break_set / dcache_break_clear, cpu/dcache.h).
 * The interpreter's L__BREAK asks dbg_break_hit whether to stop (the
 * virtual pc must match, the hart and condition too); if not, it runs the
 * real instruction decoded on the side, as for a page-straddling one.
 * When a page is invalidated (a store to code, a reboot) every slot goes
 * back to OP__DECODE; the decoder asks dbg_break_at and marks the slot
 * again. So only the breakpoint's own slot ever leaves the fast path.
 *
 *   breakpoint --translate (fetch)--> pa --dcache_break_set--> the slot of pa's decoded page
 *
 * A watchpoint keeps its pages out of the data TLBs (tlb_fill asks
 * dbg_watch_page through the core's hooks), so every access to them takes
 * a slow path, which calls dbg_watch_access. Other pages keep their TLB
 * entries.
 */
#include "dbg.h"
#include <stdlib.h>
#include <string.h>

static bool host_has_break(const struct debugger *d, const uint8_t *host, int except)
{
    for (int i = 0; i < DBG_MAX_BREAKS; i++)
        if (d->brk[i].num && i != except && d->brk[i].host == host)
            return true;
    return false;
}

int brk_add(struct debugger *d, uint64_t va, enum brk_kind kind, int hart, const char *cond,
            char *err, size_t errlen)
{
    struct machine *m = d->m;
    struct hart *h = hart >= 0 ? &m->harts[hart] : dbg_hart(d);
    uint64_t pa;
    if (va & 1) {
        snprintf(err, errlen, "0x%llx is not a 2-byte aligned instruction address", (unsigned long long)va);
        return -1;
    }
    int cause = mmu_translate_debug(h, va, ACC_FETCH, &pa);
    if (cause) {
        snprintf(err, errlen, "0x%llx is not executable through the current translation of hart %u "
                 "(fault cause %d)", (unsigned long long)va, h->id, cause);
        return -1;
    }
    const uint8_t *host = bus_mem_ptr(&m->bus, pa, 2);
    if (!host) {
        snprintf(err, errlen, "0x%llx (physical 0x%llx) is not memory", (unsigned long long)va,
                 (unsigned long long)pa);
        return -1;
    }
    int i;
    for (i = 0; i < DBG_MAX_BREAKS && d->brk[i].num; i++)
        ;
    if (i == DBG_MAX_BREAKS) {
        snprintf(err, errlen, "too many breakpoints (%d)", DBG_MAX_BREAKS);
        return -1;
    }
    char *c = cond ? strdup(cond) : NULL;
    int num = kind == BRK_INTERNAL ? -1 : ++d->next_num;
    d->brk[i] = (struct breakpoint){ .num = num, .va = va, .pa = pa, .host = host,
                                     .temp = kind != BRK_NORMAL, .hart = hart, .cond = c };
    m->core.nbreak++;
    dcache_break_set(&m->bus, pa);     /* undecoded slots are marked by the decoder */
    return num < 0 ? 0 : num;
}

/* Pending breakpoints: a free slot, its va, no mark until it translates. */
int brk_add_pending(struct debugger *d, uint64_t va, char *err, size_t errlen)
{
    struct hart *h = dbg_hart(d);
    uint64_t pa;
    if ((va & 1) || (!mmu_translate_debug(h, va, ACC_FETCH, &pa) && bus_mem_ptr(&d->m->bus, pa, 2)))
        return brk_add(d, va, BRK_NORMAL, -1, NULL, err, errlen);
    int i;
    for (i = 0; i < DBG_MAX_BREAKS && d->brk[i].num; i++)
        ;
    if (i == DBG_MAX_BREAKS) {
        snprintf(err, errlen, "too many breakpoints (%d)", DBG_MAX_BREAKS);
        return -1;
    }
    d->brk[i] = (struct breakpoint){ .num = ++d->next_num, .va = va, .pending = true, .hart = -1 };
    d->m->core.npending++;
    return d->brk[i].num;
}

/* A pending breakpoint's va now translates on hart h: mark its slot. */
void dbg_translation_changed(void *ctx, struct hart *h)
{
    struct debugger *d = ctx;
    for (int i = 0; i < DBG_MAX_BREAKS; i++) {
        struct breakpoint *b = &d->brk[i];
        uint64_t pa;
        const uint8_t *host;
        if (!b->num || !b->pending || mmu_translate_debug(h, b->va, ACC_FETCH, &pa) ||
            !(host = bus_mem_ptr(&d->m->bus, pa, 2)))
            continue;
        b->pending = false;
        b->pa = pa;
        b->host = host;
        d->m->core.npending--;
        d->m->core.nbreak++;
        dcache_break_set(&d->m->bus, pa);
    }
}

static void remove_at(struct debugger *d, int i)
{
    struct breakpoint *b = &d->brk[i];
    if (b->pending) {
        free(b->cond);
        memset(b, 0, sizeof *b);
        d->m->core.npending--;
        return;
    }
    if (!host_has_break(d, b->host, i))
        dcache_break_clear(&d->m->bus, b->pa);     /* decoded afresh on the next execution */
    free(b->cond);
    memset(b, 0, sizeof *b);
    d->m->core.nbreak--;
}

static void remove_watch(struct debugger *d, int i)
{
    memset(&d->wat[i], 0, sizeof d->wat[i]);
    d->m->core.nwatch--;
}

bool brk_delete(struct debugger *d, int num)
{
    for (int i = 0; i < DBG_MAX_BREAKS; i++)
        if (d->brk[i].num == num) {
            remove_at(d, i);
            return true;
        }
    for (int i = 0; i < DBG_MAX_WATCHES; i++)
        if (d->wat[i].num == num) {
            remove_watch(d, i);
            return true;
        }
    return false;
}

void brk_delete_all(struct debugger *d)
{
    for (int i = 0; i < DBG_MAX_BREAKS; i++)
        if (d->brk[i].num > 0)
            remove_at(d, i);
    for (int i = 0; i < DBG_MAX_WATCHES; i++)
        if (d->wat[i].num)
            remove_watch(d, i);
}

/* Internal one-shot breakpoints (next, finish, until) go when the run stops. */
void brk_delete_internal(struct debugger *d)
{
    for (int i = 0; i < DBG_MAX_BREAKS; i++)
        if (d->brk[i].num < 0)
            remove_at(d, i);
}

void brk_flush_tlbs(struct machine *m)
{
    for (int i = 0; i < m->nharts; i++)
        mmu_flush_all(&m->harts[i]);
}

int watch_add(struct debugger *d, uint64_t addr, uint64_t len, bool physical, bool reads,
              char *err, size_t errlen)
{
    if (len == 0 || len > 4096) {
        snprintf(err, errlen, "length %llu: need 1 to 4096 bytes", (unsigned long long)len);
        return -1;
    }
    uint64_t pa = addr;
    if (!physical && mmu_translate_debug(dbg_hart(d), addr, reads ? ACC_LOAD : ACC_STORE, &pa))
        pa = ~0ull;             /* not mapped yet: matched by virtual address alone */
    int i;
    for (i = 0; i < DBG_MAX_WATCHES && d->wat[i].num; i++)
        ;
    if (i == DBG_MAX_WATCHES) {
        snprintf(err, errlen, "too many watchpoints (%d)", DBG_MAX_WATCHES);
        return -1;
    }
    d->wat[i] = (struct watchpoint){ .num = ++d->next_num, .physical = physical, .reads = reads,
                                     .addr = addr, .len = len, .pa = pa };
    d->m->core.nwatch++;
    brk_flush_tlbs(d->m);       /* entries already filled for these pages must go */
    return d->wat[i].num;
}

void brk_list(struct debugger *d)
{
    bool any = false;
    char sym[96];
    for (int i = 0; i < DBG_MAX_BREAKS; i++) {
        const struct breakpoint *b = &d->brk[i];
        if (b->num <= 0)
            continue;
        if (!any)
            dbg_printf(d, "Num  Type        Address             What\n");
        any = true;
        sym_format(&d->syms, b->va, sym, sizeof sym);
        dbg_printf(d, "%-4d %-11s 0x%016llx  %s%s%s ", b->num,
                   b->temp ? "tbreak" : "breakpoint", (unsigned long long)b->va,
                   sym[0] ? "<" : "", sym, sym[0] ? ">" : "");
        if (b->pending)
            dbg_printf(d, "(pending: not mapped yet)");
        else
            dbg_printf(d, "(physical 0x%llx)", (unsigned long long)b->pa);
        if (b->cond)
            dbg_printf(d, " if %s", b->cond);
        dbg_printf(d, ", hit %llu time%s\n", (unsigned long long)b->hits, b->hits == 1 ? "" : "s");
    }
    for (int i = 0; i < DBG_MAX_WATCHES; i++) {
        const struct watchpoint *w = &d->wat[i];
        if (!w->num)
            continue;
        if (!any)
            dbg_printf(d, "Num  Type        Address             What\n");
        any = true;
        dbg_printf(d, "%-4d %-11s 0x%016llx  %llu byte%s, %s, hit %llu time%s\n", w->num,
                   w->reads ? "rwatch" : "watch", (unsigned long long)w->addr,
                   (unsigned long long)w->len, w->len == 1 ? "" : "s",
                   w->physical ? "physical" : "virtual", (unsigned long long)w->hits,
                   w->hits == 1 ? "" : "s");
    }
    if (!any)
        dbg_printf(d, "No breakpoints or watchpoints.\n");
}

/* ---- hooks: called by the interpreter and the MMU (monitor/hooks.c) ------ */

bool dbg_break_at(void *ctx, const uint8_t *host)
{
    return host_has_break(ctx, host, -1);
}

bool dbg_break_hit(void *ctx, struct hart *h, uint64_t pc, const uint8_t *host)
{
    struct debugger *d = ctx;
    if (d->stepping)
        return false;
    if (d->skip[h->id] && d->skip_pc[h->id] == pc) {
        d->skip[h->id] = false;         /* resuming from this very breakpoint */
        return false;
    }
    for (int i = 0; i < DBG_MAX_BREAKS; i++) {
        struct breakpoint *b = &d->brk[i];
        if (!b->num || b->host != host || b->va != pc || (b->hart >= 0 && b->hart != (int)h->id))
            continue;
        if (b->cond) {
            int saved = d->cur;
            uint64_t v;
            char err[160];
            d->cur = (int)h->id;
            int r = expr_eval(d, b->cond, &v, err, sizeof err);
            d->cur = saved;
            if (r)
                snprintf(d->stop_msg, sizeof d->stop_msg,
                         "Breakpoint %d: condition '%s' cannot be evaluated: %s", b->num, b->cond, err);
            else if (!v)
                continue;
        }
        b->hits++;
        d->break_hits++;
        d->stop = STOP_BREAK;
        d->stop_hart = (int)h->id;
        d->stop_brk = b;
        d->m->stop_requested = true;
        return true;
    }
    return false;
}

bool dbg_watch_page(void *ctx, uint64_t va, uint64_t pa)
{
    const struct debugger *d = ctx;
    uint64_t vpage = va & ~0xfffull, ppage = pa & ~0xfffull;
    for (int i = 0; i < DBG_MAX_WATCHES; i++) {
        const struct watchpoint *w = &d->wat[i];
        if (!w->num)
            continue;
        uint64_t page = w->physical ? ppage : vpage;
        if (page <= w->addr + w->len - 1 && w->addr <= page + 4095)
            return true;
    }
    return false;
}

void dbg_watch_access(void *ctx, struct hart *h, uint64_t va, uint64_t pa, unsigned size,
                      bool store, uint64_t val)
{
    struct debugger *d = ctx;
    if (d->stop == STOP_WATCH)
        return;                 /* one report per stop */
    for (int i = 0; i < DBG_MAX_WATCHES; i++) {
        struct watchpoint *w = &d->wat[i];
        if (!w->num || w->reads == store)
            continue;
        uint64_t a = w->physical ? pa : va;
        if (!(a <= w->addr + w->len - 1 && w->addr <= a + size - 1))
            continue;
        uint64_t old = 0;
        if (size < 8)
            val &= (1ull << (8 * size)) - 1;
        bool have_old = bus_read_mem(&d->m->bus, pa, &old, size) == 0;
        char sym[96];
        sym_format(&d->syms, h->pc, sym, sizeof sym);
        int n = snprintf(d->stop_msg, sizeof d->stop_msg,
                         "Watchpoint %d: hart %u %s of %u byte%s at 0x%llx (physical 0x%llx) by pc 0x%llx%s%s%s",
                         w->num, h->id, store ? "store" : "load", size, size == 1 ? "" : "s",
                         (unsigned long long)va, (unsigned long long)pa, (unsigned long long)h->pc,
                         sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
        if (n > 0 && (size_t)n < sizeof d->stop_msg) {
            if (store && have_old)
                snprintf(d->stop_msg + n, sizeof d->stop_msg - n, ": old 0x%llx new 0x%llx",
                         (unsigned long long)old, (unsigned long long)val);
            else if (!store && have_old)
                snprintf(d->stop_msg + n, sizeof d->stop_msg - n, ": value 0x%llx",
                         (unsigned long long)old);
        }
        w->hits++;
        d->watch_hits++;
        d->stop = STOP_WATCH;
        d->stop_watch = i;
        d->stop_pc = h->pc;
        d->stop_hart = (int)h->id;
        d->m->stop_requested = true;
        h->yield = true;        /* leave the run after this instruction */
        return;
    }
}

/*
 * The core: what the harts, the MMU and the decoded-instruction cache
 * share, and all they know of the machine around them. Each hart points
 * here (h->core). The board owns the bus, the harts and the trace digest
 * and points to them; it fills this in once, before the harts are reset
 * (machine/core_wiring.c), and a debugger adds its hooks while attached.
 */
#ifndef CPU_CORE_H
#define CPU_CORE_H
#include <stdint.h>
#include <stdbool.h>
#include "hooks.h"
#include "isa.h"

struct bus;
struct hart;
struct trace_digest;
struct qlog;

struct core {
    struct bus *bus;            /* the physical bus (and the decoded-page pool, bus->dc) */
    struct hart *harts;         /* harts[0, nharts): the TLBs a recycled page must leave */
    int nharts;
    int mmu_max;                /* highest satp mode a write may select (SATP_SV39/48) */
    /* -cpu (machine/cpu_model.c); zero is the full hart */
    uint64_t isa_off;           /* extensions taken away (cpu/isa.h isa_set) */
    bool no_mmu;                /* mmu=false: satp accepts only Bare */
    bool no_pmp;                /* pmp=false: no PMP CSRs, no PMP checks */
    uint64_t mvendorid, marchid, mimpid;
    uint32_t hpm_mask;          /* pmu-num: the mhpmcounterN that exist (bit N) */
    struct trace_digest *trace; /* --trace-digest state (cpu/trace_digest.h) */
    struct qlog *log;           /* -d ITEM,...: the guest log (cpu/log.h), or NULL */
    /* Breakpoints / watchpoints set: while 0 the debugger's hooks are not
     * called (the debugger counts them) */
    unsigned nbreak, nwatch;
    unsigned npending;          /* breakpoints waiting for their address to be mapped */
    struct core_hooks hooks;
};

/* The time CSR's value: mtime (privileged spec 3.2.1). */
/* What -cpu took away; a hart without a core (unit tests) is the full one. */
static inline isa_set core_isa_off(const struct core *c)
{
    return c ? c->isa_off : 0;
}

static inline bool core_has_ext(const struct core *c, enum isa_ext e)
{
    return !(core_isa_off(c) & ISA_BIT(e));
}

static inline uint64_t core_mtime(const struct core *c)
{
    return c->hooks.mtime(c->hooks.board);
}

static inline bool core_semihost(const struct core *c, struct hart *h)
{
    return c->hooks.semihost && c->hooks.semihost(c->hooks.board, h);
}

static inline bool core_break_at(const struct core *c, const uint8_t *host)
{
    return c->nbreak && c->hooks.break_at && c->hooks.break_at(c->hooks.dbg, host);
}

/* The slot is marked OP__BREAK only while a breakpoint is set, so no
 * counter is tested first. */
static inline bool core_break_hit(const struct core *c, struct hart *h, uint64_t pc,
                                  const uint8_t *host)
{
    return c->hooks.break_hit && c->hooks.break_hit(c->hooks.dbg, h, pc, host);
}

static inline bool core_watch_page(const struct core *c, uint64_t va, uint64_t pa)
{
    return c->nwatch && c->hooks.watch_page && c->hooks.watch_page(c->hooks.dbg, va, pa);
}

static inline void core_watch_access(const struct core *c, struct hart *h, uint64_t va,
                                     uint64_t pa, unsigned size, bool store, uint64_t val)
{
    if (c->nwatch && c->hooks.watch_access)
        c->hooks.watch_access(c->hooks.dbg, h, va, pa, size, store, val);
}

static inline void core_translation_changed(const struct core *c, struct hart *h)
{
    if (c->npending && c->hooks.translation_changed)
        c->hooks.translation_changed(c->hooks.dbg, h);
}

static inline void core_trace_before(const struct core *c, struct hart *h)
{
    if (c->hooks.trace_before)
        c->hooks.trace_before(c->hooks.dbg, h);
}

static inline void core_trace_after(const struct core *c, struct hart *h, int64_t retired)
{
    if (c->hooks.trace_after)
        c->hooks.trace_after(c->hooks.dbg, h, retired);
}

#endif

/*
 * The decoded-instruction cache: one owner (mmu/dcache.c) for the slot
 * format, the pool of decoded pages, their invalidation and breakpoint
 * marks. Nothing else writes a slot or looks inside a struct dpage; the
 * interpreter reads the slot it executes through the inline accessors at
 * the end of this file (its fast path: no call, no extra load).
 *
 * A decoded page mirrors one 4 KiB guest page: slot i describes the
 * instruction whose bytes start at offset 2*i (a 16-bit parcel boundary;
 * unprivileged spec 1.5, base instruction-length encoding). A slot holds
 * a struct dinsn (cpu/insn.h) whose op is either a real op, its
 * compressed form (op + OP__COUNT: the interpreter's second copy of the
 * body, stepping by 2), or one of the internal ops: OP__DECODE (not
 * decoded yet), OP__BREAK (a debugger breakpoint), OP__STRADDLE (crosses
 * into the next page) and the _LOCAL branches (target in the same page,
 * imm in slot bytes). A sentinel slot after the last one holds
 * OP__PAGE_END, so sequential execution runs off the page into a refetch.
 */
#ifndef CPU_DCACHE_H
#define CPU_DCACHE_H
#include <stdint.h>
#include <stdbool.h>
#include "insn.h"

struct core;
struct hart;
struct bus;
struct region;

#define DCACHE_SLOTS 2048       /* halfword slots of a 4 KiB page */

struct dpage {
    struct dinsn ins[DCACHE_SLOTS + 1];     /* + the OP__PAGE_END sentinel */
    uint8_t *host;      /* host address of the page */
    bool live;          /* some slot decoded: stores to the page must invalidate */
};

/*
 * The decoded-instruction cache holds at most this many pages (dcache.c
 * says how pages are recycled). 256 pages are 8.2 MiB (32.8 KiB each, for
 * 4 KiB of guest code). A Linux boot to its shell and poweroff decodes
 * ~510 distinct pages but runs far fewer at a time: with 256, pages are
 * recycled ~1400 times in the whole boot (192: ~4900, 128: ~20000), which
 * costs ~1% more host instructions and no measurable CPU time, and
 * hartvm's own memory (with ~6 MiB of executable and libraries) stays
 * near 13 MiB, within 16 MiB beyond the guest RAM touched (it was 19 MiB
 * unbounded, and grew with every page that ran).
 */
#define DCACHE_PAGES 256

/* The pool, shared by every memory region of a bus (struct bus .dc).
 * pool[0, used) are the pages in use, each the decoded page of exactly
 * one region page; ref[i] says pool[i] was fetched from since the clock
 * hand last passed it. */
struct dcache {
    struct dpage *pool;         /* cap pages, reserved on first use */
    uint8_t *ref;
    unsigned cap;               /* 0: DCACHE_PAGES (tests set fewer before the first fetch) */
    unsigned used, hand;
    uint64_t recycled;          /* pages taken from one guest page for another */
};

/* ---- a memory region's pages (mmu/bus.c) ------------------------------- */
/* Give memory region r its (empty) table of decoded pages; 0 or -1. */
int dcache_region_init(struct region *r);
/* Release r's table (its pages belong to the pool). */
void dcache_region_free(struct region *r);
/* Release the pool (bus_free). */
void dcache_free(struct dcache *c);

/* ---- fetch (mmu/mmu.c) ------------------------------------------------- */
/* The decoded page of the region page at offset off, taking a pool page
 * (and perhaps recycling one: see dcache.c) if it has none. */
struct dpage *dcache_page(struct core *c, struct region *r, uint64_t off);
/* The hart's private page for a page PMP splits, set up so that only the
 * slot at page offset off runs; host is the guest page's first byte. */
struct dpage *dcache_split_page(struct hart *h, uint8_t *host, unsigned off);
/* Does the region page at offset off hold live decoded code (so the store
 * TLB must not map it)? */
bool dcache_page_has_code(const struct region *r, uint64_t off);

/* ---- decoding (cpu/exec.c, the OP__DECODE slot) ------------------------ */
/* Decode the slot at page offset off of dp and return it: a real op, its
 * compressed form where compressed[op] is non-NULL (the interpreter's
 * table of compressed bodies), or OP__BREAK / OP__STRADDLE. */
const struct dinsn *dcache_decode(struct core *c, struct dpage *dp, unsigned off,
                                  const void *const *compressed);

/* ---- invalidation ------------------------------------------------------ */
/* Guest bytes [off, off+len) of memory region r changed: their decoded
 * instructions go (every slot of each live page they touch). */
void dcache_invalidate(struct region *r, uint64_t off, uint64_t len);
/* Every decoded instruction of every memory region of b (reference mode). */
void dcache_invalidate_all(struct bus *b);

/* ---- breakpoints (monitor/break.c) ------------------------------------- */
/* Mark the slot of physical address pa as a breakpoint, if decoded (an
 * undecoded one is marked by dcache_decode, which asks the debugger). */
void dcache_break_set(struct bus *b, uint64_t pa);
/* Undo it: the slot is decoded afresh on its next execution. */
void dcache_break_clear(struct bus *b, uint64_t pa);

/* ---- statistics (the debugger's stats) --------------------------------- */
/* Guest pages with a decoded page, and how many of those are live. */
void dcache_count(const struct bus *b, unsigned long *pages, unsigned long *live);

/* ---- the interpreter's fast path -------------------------------------- */
/* The slot of page offset off (even; 0x1000 is the sentinel). */
static inline const struct dinsn *dcache_slot(const struct dpage *dp, unsigned off)
{
    return &dp->ins[off >> 1];
}
/* The guest page's bytes. */
static inline const uint8_t *dcache_host(const struct dpage *dp)
{
    return dp->host;
}
/* The instruction bits at p, offset off in its page: 16 or 32 bits, or
 * just the low half when a 32-bit instruction crosses into the next page
 * (*straddle is then set and the caller fetches the rest). */
static inline uint32_t dcache_bits(const uint8_t *p, unsigned off, bool *straddle)
{
    uint32_t bits = p[0] | p[1] << 8;
    *straddle = (bits & 3) == 3 && off == 0xffe;
    if ((bits & 3) == 3 && !*straddle)
        bits |= (uint32_t)(p[2] | p[3] << 8) << 16;
    return bits;
}

#endif

/*
 * Virtual memory: Bare, Sv39 and Sv48 translation, PMP, and the software
 * TLBs that the interpreter's fast paths read (see cpu/hart.h).
 *
 * The slow paths below are entered on a TLB miss. They translate, check
 * PMP, perform the access (memory or device) and, where the page is plain
 * memory, fill the TLB so the next access hits. On a fault they raise the
 * exception on the hart (h->pc must hold the faulting instruction's pc)
 * and return -1 / NULL.
 */
#ifndef MMU_MMU_H
#define MMU_MMU_H
#include <stdint.h>
#include <stdbool.h>
#include "../cpu/hart.h"

enum access { ACC_FETCH, ACC_LOAD, ACC_STORE };

/* satp.MODE values (privileged spec 4.1.11) */
enum { SATP_BARE = 0, SATP_SV39 = 8, SATP_SV48 = 9, SATP_SV57 = 10 };

int mmu_load_slow(struct hart *h, uint64_t va, unsigned size, uint64_t *val);
int mmu_store_slow(struct hart *h, uint64_t va, unsigned size, uint64_t val);
/* Host pointer for an LR (load permission) or AMO/SC (store permission). */
void *mmu_atomic_ptr(struct hart *h, uint64_t va, unsigned size, bool store);
/* Fill the fetch TLB for pc's page; false after raising a fault. */
bool mmu_fetch_fill(struct hart *h, uint64_t pc);
/* Fetch 16 bits at va (the upper half of a page-straddling instruction). */
int mmu_fetch_half(struct hart *h, uint64_t va, uint16_t *out);

/* Translate without side effects (no A/D update, no TLB fill) for the
 * debugger and tests: 0 with *pa, or the exception cause. */
int mmu_translate_debug(struct hart *h, uint64_t va, enum access acc, uint64_t *pa);

void mmu_flush_all(struct hart *h);
/* Every regime but M (whose entries do not depend on satp or mstatus). */
void mmu_flush_translated(struct hart *h);
/* Entries that may hold the translation of va (translated regimes). */
void mmu_flush_va(struct hart *h, uint64_t va);
/* sfence.vma: has_va / has_asid say whether rs1 / rs2 were not x0. */
void mmu_sfence_vma(struct hart *h, bool has_va, uint64_t va, bool has_asid, uint64_t asid);
/* Recompute the current regime after priv or mstatus changes. */
void mmu_update_regime(struct hart *h);

/* A decoded page became live: drop store-TLB entries that map it. */
struct core;
void mmu_code_page_live(struct core *c, struct dpage *dp);
/* Invalidate decoded instructions in [pa, pa+len) of a memory region. */
struct region;
void mmu_invalidate_code(struct region *r, uint64_t off, uint64_t len);
/*
 * The decoded-instruction cache holds at most this many pages (mmu.c says
 * how pages are recycled). 256 pages are 8.2 MiB (32.8 KiB each, for 4 KiB
 * of guest code). A Linux boot to its shell and poweroff decodes ~510
 * distinct pages but runs far fewer at a time: with 256, pages are
 * recycled ~1400 times in the whole boot (192: ~4900, 128: ~20000), which
 * costs ~1% more host instructions and no measurable CPU time, and
 * hartvm's own memory (with ~6 MiB of executable and libraries) stays
 * near 13 MiB, within the 16 MiB beyond the guest RAM touched that
 * issue 11 allows (it was 19 MiB, and grew with every page that ran).
 */
#define DCACHE_PAGES 256

/* The decoded-instruction cache's pool (struct dcache, bus.h): whether dp
 * is one of its pages; release it (bus_free). */
struct dcache;
bool mmu_dcache_owns(const struct dcache *c, const struct dpage *dp);
void mmu_dcache_free(struct dcache *c);

/* PMP (mmu/pmp.c) */
bool pmp_check(const struct hart *h, uint64_t pa, unsigned size, enum access acc, int priv);
/* Permission bits (1=R 2=W 4=X) valid for the whole page, or -1 if the
 * page is not uniform and every access must be checked. */
int pmp_page_perms(const struct hart *h, uint64_t page, int priv);
bool pmp_write_cfg(struct hart *h, unsigned reg, uint64_t val);
bool pmp_write_addr(struct hart *h, unsigned idx, uint64_t val);
uint64_t pmp_read_cfg(const struct hart *h, unsigned reg);
uint64_t pmp_read_addr(const struct hart *h, unsigned idx);

#endif

/*
 * The memory interface a hart uses: the slow paths its fast paths fall
 * back to on a TLB miss, TLB maintenance, and the PMP CSRs. Declared here
 * for cpu/, implemented by mmu/ (mmu.c, pmp.c), which includes cpu/ and
 * not the other way round.
 *
 * The slow paths translate, check PMP, perform the access (memory or
 * device) and, where the page is plain memory, fill the TLB so the next
 * access hits. On a fault they raise the exception on the hart (h->pc
 * must hold the faulting instruction's pc) and return -1 / NULL.
 */
#ifndef CPU_MEM_H
#define CPU_MEM_H
#include <stdint.h>
#include <stdbool.h>
#include "hart.h"

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
/* The same without side effects: no A/D update, no TLB fill, no trap
 * (-1 where the fetch would fault). For execute triggers (cpu/trigger.c). */
int mmu_peek_half(struct hart *h, uint64_t va, uint16_t *out);

/* A cache-block op on the 64-byte block holding va: checked as a load
 * or a store (faults are store faults, tval va); zero stores zeros. */
int mmu_cbo(struct hart *h, uint64_t va, bool zero);

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

/* The PMP CSRs (mmu/pmp.c): pmpcfg0/2 as registers, pmpaddr by index;
 * writes to locked entries are ignored (privileged spec 3.7.1). */
bool pmp_write_cfg(struct hart *h, unsigned reg, uint64_t val);
bool pmp_write_addr(struct hart *h, unsigned idx, uint64_t val);
uint64_t pmp_read_cfg(const struct hart *h, unsigned reg);
uint64_t pmp_read_addr(const struct hart *h, unsigned idx);

#endif

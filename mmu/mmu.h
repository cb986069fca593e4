/*
 * Virtual memory: Bare, Sv39 and Sv48 translation, PMP, the software TLBs
 * that the interpreter's fast paths read (cpu/hart.h) and the decoded
 * pages' pool (mmu/dcache.c). What a hart calls is declared in cpu/mem.h;
 * this header adds what only the memory side and its tests use.
 */
#ifndef MMU_MMU_H
#define MMU_MMU_H
#include "../cpu/mem.h"     /* the hart's side: slow paths, TLB maintenance, PMP CSRs */

/* The page at host now holds live decoded code (mmu/dcache.c): no hart's
 * store TLB may map it, so every store to it invalidates. */
struct core;
void mmu_drop_store_page(struct core *c, const uint8_t *host);
/* No hart's store TLB maps anything: the next store to each page fills
 * an entry again (and marks the page dirty when a migration tracks it). */
void mmu_drop_store_tlbs(struct core *c);

/* Shared by the data slow paths (mmu.c, misaligned.c). mmu_data_access
 * translates va, checks PMP over [pa, pa + size) and finds the region, or
 * raises the fault (tval va) and returns NULL; mmu_tlb_fill maps va's page
 * when it is plain memory that PMP allows as a whole. */
struct region;
struct region *mmu_data_access(struct hart *h, uint64_t va, unsigned size, enum access acc,
                               uint64_t *pa, int *level, int *priv);
void mmu_tlb_fill(struct hart *h, struct region *r, uint64_t va, uint64_t pa,
                  int level, enum access acc, int priv);
/* A load (into *val) or store (of *val) that is not naturally aligned
 * (mmu/misaligned.c): 0, or -1 after raising the fault. */
int mmu_misaligned(struct hart *h, uint64_t va, unsigned size, enum access acc, uint64_t *val);

/* PMP (mmu/pmp.c) */
bool pmp_check(const struct hart *h, uint64_t pa, unsigned size, enum access acc, int priv);
/* Permission bits (1=R 2=W 4=X) valid for the whole page, or -1 if the
 * page is not uniform and every access must be checked. */
int pmp_page_perms(const struct hart *h, uint64_t page, int priv);

#endif

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

/* PMP (mmu/pmp.c) */
bool pmp_check(const struct hart *h, uint64_t pa, unsigned size, enum access acc, int priv);
/* Permission bits (1=R 2=W 4=X) valid for the whole page, or -1 if the
 * page is not uniform and every access must be checked. */
int pmp_page_perms(const struct hart *h, uint64_t page, int priv);

#endif

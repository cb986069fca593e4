/* Paging with Sv48: mmu_sv39.S's cases on a four-level table, plus a
 * 512 GiB page. */
#define LEVELS 4
#include "mmu_sv39.S"

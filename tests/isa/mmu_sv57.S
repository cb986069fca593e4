/* Paging with Sv57: mmu_sv39.S's cases on a five-level table (Sv48's
 * root under a fifth level), plus the 512 GiB page. The harts take Sv57
 * only when asked (QEMU 7.2's virt offers Sv48 at most by default):
 */
# hartvm-args: --mmu sv57
#define LEVELS 5
#include "mmu_sv39.S"

#ifndef MACHINE_DEV_PLIC_H
#define MACHINE_DEV_PLIC_H
#include <stdint.h>
#include <stdbool.h>
#include "device.h"

#define PLIC_SOURCES 96             /* riscv,ndev; source 0 does not exist */
#define PLIC_CONTEXTS 16            /* 2 per hart, 8 harts */
#define PLIC_WORDS ((PLIC_SOURCES + 31) / 32)

/* Platform-level interrupt controller (sifive,plic-1.0.0). */
struct plic {
    struct hart *harts;             /* whose mip.MEIP / mip.SEIP it drives */
    int ncontexts;                  /* 2 * harts */
    uint32_t priority[PLIC_SOURCES];
    uint32_t level[PLIC_WORDS];     /* device lines as driven */
    uint32_t pending[PLIC_WORDS];
    uint32_t claimed[PLIC_WORDS];   /* claimed, not yet completed */
    uint32_t enable[PLIC_CONTEXTS][PLIC_WORDS];
    uint32_t threshold[PLIC_CONTEXTS];
};
extern const struct dev_class plic_class;
/* A device drives its (level-triggered) line; ctrl is the struct plic
 * (the shape of struct irq_line's set). */
void plic_set_irq(void *ctrl, int src, bool level);
#endif

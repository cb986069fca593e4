#ifndef MACHINE_PLIC_H
#define MACHINE_PLIC_H
#include <stdint.h>
#include <stdbool.h>
#include "board.h"
struct machine;
struct device_ops;

#define PLIC_CONTEXTS 16            /* 2 per hart, 8 harts */
#define PLIC_WORDS ((PLIC_SOURCES + 31) / 32)

/* Platform-level interrupt controller (sifive,plic-1.0.0). */
struct plic {
    struct machine *m;
    int ncontexts;                  /* 2 * harts */
    uint32_t priority[PLIC_SOURCES];
    uint32_t level[PLIC_WORDS];     /* device lines as driven */
    uint32_t pending[PLIC_WORDS];
    uint32_t claimed[PLIC_WORDS];   /* claimed, not yet completed */
    uint32_t enable[PLIC_CONTEXTS][PLIC_WORDS];
    uint32_t threshold[PLIC_CONTEXTS];
};
extern const struct device_ops plic_ops;
void plic_reset(struct plic *p, struct machine *m);
/* A device drives its (level-triggered) line. */
void plic_set_irq(struct plic *p, int src, bool level);
#endif

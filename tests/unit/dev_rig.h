/* A device on a bare struct machine (no firmware, no board table): its
 * class attached with the harts, mtime (= m's clock), a PLIC line and a
 * console, then reset, as devices_create and devices_reset do it. */
#ifndef TESTS_DEV_RIG_H
#define TESTS_DEV_RIG_H
#include "../../machine/machine.h"

static inline uint64_t rig_mtime(void *ctx)
{
    return machine_mtime(ctx);
}

static inline void rig_attach(struct machine *m, const struct dev_class *c, void *dev, int irq,
                              FILE *out)
{
    struct dev_env e = {
        .harts = m->harts, .nharts = m->nharts,
        .mtime = { rig_mtime, m },
        .irq = { irq ? plic_set_irq : NULL, &m->plic, irq },
        .dma = &m->bus,
        .console = out,
    };
    c->attach(dev, &e);
    c->reset(dev);
}
#endif

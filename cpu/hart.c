/* Hart reset state (privileged spec 3.4) and the end of a run. */
#include "hart.h"
#include "mem.h"
#include "core.h"
#include <string.h>

void hart_reset(struct hart *h, struct core *c, unsigned id, uint64_t pc)
{
    memset(h, 0, sizeof *h);
    h->core = c;
    h->id = id;
    h->pc = pc;
    h->priv = PRV_M;
    /* With Svadu, ADUE starts set: the hart updates A and D itself, as one
     * without Svadu always does (and QEMU 7.2's); clearing it asks for
     * Svade's page faults instead */
    if (core_has_ext(c, ISA_SVADU))
        h->menvcfg = MENVCFG_ADUE;
    trig_reset(&h->trig);
    pmu_refresh(h);
    mmu_flush_all(h);
    mmu_update_regime(h);
}

uint64_t hart_end_run(struct hart *h)
{
    int64_t steps = h->run_len - h->budget;
    pmu_end_run(h);
    h->run_len = h->budget = h->uncounted = 0;
    return steps > 0 ? (uint64_t)steps : 1;
}

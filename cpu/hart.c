/* Hart reset state (privileged spec 3.4). */
#include "hart.h"
#include "mem.h"
#include <string.h>

void hart_reset(struct hart *h, struct core *c, unsigned id, uint64_t pc)
{
    memset(h, 0, sizeof *h);
    h->core = c;
    h->id = id;
    h->pc = pc;
    h->priv = PRV_M;
    trig_reset(&h->trig);
    mmu_flush_all(h);
    mmu_update_regime(h);
}

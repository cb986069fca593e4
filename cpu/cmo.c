/*
 * Zicbom and Zicboz (the unprivileged spec's "CMO" chapter): cbo.clean,
 * cbo.flush, cbo.inval and cbo.zero on the 64-byte block holding rs1.
 * There is no cache to manage, so the management ops only check that the
 * mode may run them (menvcfg/senvcfg CBIE and CBCFE) and that the block
 * may be loaded or stored; cbo.zero stores zeros (mmu_cbo). Faults name
 * rs1, not the block's base, as the chapter says.
 */
#include "hart.h"
#include "core.h"
#include "isa.h"
#include "mem.h"

#define ENVCFG_CBIE(v)  (((v) >> 4) & 3)
#define ENVCFG_CBCFE    (1ull << 6)
#define ENVCFG_CBZE     (1ull << 7)

/* May the current mode run it? M always; S by menvcfg; U by both. */
static bool cbo_allowed(const struct hart *h, unsigned op)
{
    if (h->priv == PRV_M)
        return true;
    uint64_t me = h->menvcfg, se = h->priv == PRV_U ? h->senvcfg : ~0ull;
    switch (op) {
    case OP_cbo_inval: return ENVCFG_CBIE(me) && ENVCFG_CBIE(se);
    case OP_cbo_zero:  return (me & ENVCFG_CBZE) && (se & ENVCFG_CBZE);
    default:           return (me & ENVCFG_CBCFE) && (se & ENVCFG_CBCFE);
    }
}

int hart_cbo(struct hart *h, unsigned op, uint64_t va, uint32_t bits)
{
    if (!cbo_allowed(h, op)) {
        hart_exception(h, EXC_ILLEGAL, bits);
        return -1;
    }
    return mmu_cbo(h, va, op == OP_cbo_zero);
}

uint64_t cmo_envcfg_mask(const struct hart *h)
{
    uint64_t m = 0;
    if (core_has_ext(h->core, ISA_ZICBOM))
        m |= 3ull << 4 | ENVCFG_CBCFE;
    if (core_has_ext(h->core, ISA_ZICBOZ))
        m |= ENVCFG_CBZE;
    return m;
}

uint64_t cmo_envcfg_legal(uint64_t v)
{
    return ENVCFG_CBIE(v) == 2 ? v & ~(3ull << 4) : v;     /* CBIE = 10 is reserved: WARL 00 */
}

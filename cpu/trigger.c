/*
 * Sdtrig (trigger.h). Field positions are those of the Debug
 * Specification 1.0's tdata1 views for XLEN 64: mcontrol6 (type 6) and
 * icount (type 3); any other type written is "disabled" (15), as the spec
 * asks of a trigger that supports several types.
 */
#include "trigger.h"
#include "hart.h"
#include "core.h"
#include "isa.h"
#include "mem.h"
#include <string.h>

enum { TYPE_ICOUNT = 3, TYPE_MCONTROL6 = 6, TYPE_DISABLED = 15 };
#define TYPE(t1) ((unsigned)((t1) >> 60))
#define TYPE_BITS(t) ((uint64_t)(t) << 60)

/* mcontrol6 */
#define MC_LOAD     (1ull << 0)
#define MC_STORE    (1ull << 1)
#define MC_EXECUTE  (1ull << 2)
#define MC_U        (1ull << 3)
#define MC_S        (1ull << 4)
#define MC_M        (1ull << 6)
#define MC_MATCH(t1) ((unsigned)((t1) >> 7) & 0xf)
#define MC_CHAIN    (1ull << 11)
#define MC_ACTION(t1) ((unsigned)((t1) >> 12) & 0xf)
#define MC_SIZE(t1) ((unsigned)((t1) >> 16) & 7)
#define MC_SELECT   (1ull << 21)
#define MC_HIT0     (1ull << 22)
#define MC_HIT1     (1ull << 25)
/* the bits a write keeps: no vs/vu (no H), uncertain(en) 0 (we see every
 * access exactly), dmode 0 (no Debug Mode) */
#define MC_WMASK (MC_LOAD | MC_STORE | MC_EXECUTE | MC_U | MC_S | MC_M | 0xfull << 7 | MC_CHAIN | \
                  7ull << 16 | MC_SELECT | MC_HIT0 | MC_HIT1)

/* icount */
#define IC_ACTION(t1) ((unsigned)(t1) & 0x3f)
#define IC_U        (1ull << 6)
#define IC_S        (1ull << 7)
#define IC_PENDING  (1ull << 8)
#define IC_M        (1ull << 9)
#define IC_COUNT(t1) ((unsigned)((t1) >> 10) & 0x3fff)
#define IC_HIT      (1ull << 24)
#define IC_WMASK (0x3full | IC_U | IC_S | IC_PENDING | IC_M | 0x3fffull << 10 | IC_HIT)

#define TCONTROL_MTE  (1ull << 3)
#define TCONTROL_MPTE (1ull << 7)
#define TINFO_VERSION_1 (1ull << 24)

void trig_reset(struct triggers *tr)
{
    memset(tr, 0, sizeof *tr);
    for (int i = 0; i < TRIG_COUNT; i++)
        tr->t[i].tdata1 = TYPE_BITS(TYPE_DISABLED);
}

/* Is a trigger of tdata1 t1 enabled in the hart's current mode? With
 * action 0 in M-mode only while tcontrol.mte says so ("tcontrol"). */
static bool mode_on(const struct hart *h, uint64_t t1, uint64_t m, uint64_t s, uint64_t u)
{
    switch (h->priv) {
    case PRV_M: return (t1 & m) && (h->trig.tcontrol & TCONTROL_MTE);
    case PRV_S: return t1 & s;
    default:    return t1 & u;
    }
}

void trig_rearm(struct hart *h)
{
    struct triggers *tr = &h->trig;
    tr->exec = tr->data = tr->icount = false;
    for (int i = 0; i < TRIG_COUNT; i++) {
        uint64_t t1 = tr->t[i].tdata1;
        if (TYPE(t1) == TYPE_MCONTROL6 && (t1 & (MC_M | MC_S | MC_U))) {
            tr->exec |= (t1 & MC_EXECUTE) != 0;
            tr->data |= (t1 & (MC_LOAD | MC_STORE)) != 0;
        }
        if (TYPE(t1) == TYPE_ICOUNT && (t1 & (IC_M | IC_S | IC_U)) && (IC_COUNT(t1) || (t1 & IC_PENDING)))
            tr->icount = true;
    }
    /* data triggers keep the data TLBs empty (mmu.c's fill asks); the
     * run in progress ends after this instruction, so the next one sees
     * the triggers (hart_run looks at them on entry) */
    mmu_flush_all(h);
    h->yield = true;
}

/* tdata1 as a write leaves it (WARL). */
static uint64_t legal_tdata1(uint64_t v)
{
    switch (TYPE(v)) {
    case TYPE_MCONTROL6: {
        uint64_t t1 = v & MC_WMASK;
        unsigned match = MC_MATCH(t1), size = MC_SIZE(t1);
        bool known = match <= 5 || match == 8 || match == 9 || match == 12 || match == 13;
        if (!known)
            t1 &= ~(0xfull << 7);               /* equal */
        if (size == 4 || size > 5)
            t1 &= ~(7ull << 16);                /* any: no 48- or 128-bit accesses here */
        if (MC_ACTION(v) != 0)
            t1 &= ~(0xfull << 12);              /* only action 0 (breakpoint) */
        return TYPE_BITS(TYPE_MCONTROL6) | t1;
    }
    case TYPE_ICOUNT:
        return TYPE_BITS(TYPE_ICOUNT) | (v & IC_WMASK & ~0x3full);     /* action 0 */
    default:
        return TYPE_BITS(TYPE_DISABLED);        /* 0, 15 and the types not offered */
    }
}

bool trig_set_state(struct hart *h, const struct triggers *in)
{
    if (in->tselect >= TRIG_COUNT || (in->tcontrol & ~(TCONTROL_MTE | TCONTROL_MPTE)))
        return false;
    for (int i = 0; i < TRIG_COUNT; i++)
        if (legal_tdata1(in->t[i].tdata1) != in->t[i].tdata1 || in->t[i].tdata3)
            return false;
    trig_reset(&h->trig);
    memcpy(h->trig.t, in->t, sizeof in->t);
    h->trig.tselect = in->tselect;
    h->trig.tcontrol = in->tcontrol;
    trig_rearm(h);
    return true;
}

bool trig_csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
    struct triggers *tr = &h->trig;
    if (!core_has_ext(h->core, ISA_SDTRIG))
        return false;
    const struct trigger *t = &tr->t[tr->tselect];
    switch (csr) {
    case CSR_TSELECT:  *v = tr->tselect; return true;
    case CSR_TDATA1:   *v = t->tdata1; return true;
    case CSR_TDATA2:   *v = t->tdata2; return true;
    case CSR_TDATA3:   *v = t->tdata3; return true;
    case CSR_TINFO:
        *v = TINFO_VERSION_1 | 1u << TYPE_ICOUNT | 1u << TYPE_MCONTROL6 | 1u << TYPE_DISABLED;
        return true;
    case CSR_TCONTROL: *v = tr->tcontrol; return true;
    default:           return false;
    }
}

bool trig_csr_write(struct hart *h, unsigned csr, uint64_t v)
{
    struct triggers *tr = &h->trig;
    if (!core_has_ext(h->core, ISA_SDTRIG))
        return false;
    struct trigger *t = &tr->t[tr->tselect];
    switch (csr) {
    case CSR_TSELECT:
        if (v < TRIG_COUNT)                     /* WARL: others leave it */
            tr->tselect = v;
        return true;
    case CSR_TDATA1:
        t->tdata1 = legal_tdata1(v);
        trig_rearm(h);
        return true;
    case CSR_TDATA2:   t->tdata2 = v; return true;
    case CSR_TDATA3:   t->tdata3 = 0; return true;      /* no textra conditions */
    case CSR_TINFO:    return true;                      /* writes have no effect */
    case CSR_TCONTROL:
        tr->tcontrol = v & (TCONTROL_MTE | TCONTROL_MPTE);
        return true;
    default:
        return false;
    }
}

/* ---- matching ------------------------------------------------------------ */

/* One compare value against tdata2 by the positive match kinds (0, 1, 4, 5). */
static bool match_one(unsigned match, uint64_t v, uint64_t t)
{
    switch (match & 7) {
    case 0: return v == t;
    case 1: {   /* napot: the bits above the lowest 0 of tdata2 */
        unsigned k = __builtin_ctzll(~t | (1ull << 63));
        uint64_t keep = k >= 63 ? 0 : ~((2ull << k) - 1);
        return ((v ^ t) & keep) == 0;
    }
    case 2: return v >= t;
    case 3: return v < t;
    case 4: return ((uint32_t)v & (uint32_t)(t >> 32)) == (uint32_t)t;
    case 5: return ((uint32_t)(v >> 32) & (uint32_t)(t >> 32)) == (uint32_t)t;
    default: return false;
    }
}

/* Addresses: any byte of [va, va + size) is a compare value; data: the
 * value itself, cut to the access size (the spec's select = 1 rule). */
static bool match_values(uint64_t t1, uint64_t t2, uint64_t va, unsigned size, bool data,
                         uint64_t val)
{
    unsigned match = MC_MATCH(t1);
    bool hit = false;
    if (data) {
        uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
        hit = match_one(match, val & mask, t2 & mask);
    } else {
        for (unsigned i = 0; i < size && !hit; i++)
            hit = match_one(match, va + i, t2);
    }
    return match >= 8 ? !hit : hit;
}

/* mcontrol6's size field: 0 any, else 1/2/3/5 for 8/16/32/64-bit. */
static bool size_ok(uint64_t t1, unsigned size)
{
    static const unsigned bytes[8] = { 0, 1, 2, 4, 0, 8, 0, 0 };
    unsigned s = MC_SIZE(t1);
    return s == 0 || bytes[s] == size;
}

enum event { EV_LOAD = MC_LOAD, EV_STORE = MC_STORE, EV_EXEC = MC_EXECUTE };

/* Does trigger i match the event: an instruction of size bytes at va
 * (val: its bits), or an access (val: the data, when known)? A trigger
 * that compares data does not match while the data is not known yet. */
static bool trig_matches(struct hart *h, int i, enum event ev, uint64_t va, unsigned size,
                         bool val_known, uint64_t val)
{
    uint64_t t1 = h->trig.t[i].tdata1;
    if (TYPE(t1) != TYPE_MCONTROL6 || !(t1 & ev) || !mode_on(h, t1, MC_M, MC_S, MC_U))
        return false;
    bool data = (t1 & MC_SELECT) != 0;
    if ((data && !val_known) || !size_ok(t1, size))
        return false;
    return match_values(t1, h->trig.t[i].tdata2, va, size, data, val);
}

/* Walk the chains (mcontrol6 "chain"): a run of triggers with chain set,
 * ended by one without, fires when all of them match the same event;
 * those that fired get hit = 1 ("before"). */
static bool fire_chains(struct hart *h, enum event ev, uint64_t va, unsigned size, bool val_known,
                        uint64_t val)
{
    struct triggers *tr = &h->trig;
    int start = 0;
    bool all = true;
    for (int i = 0; i < TRIG_COUNT; i++) {
        uint64_t t1 = tr->t[i].tdata1;
        all = trig_matches(h, i, ev, va, size, val_known, val) && all;
        if ((t1 & MC_CHAIN) && TYPE(t1) == TYPE_MCONTROL6 && i + 1 < TRIG_COUNT)
            continue;
        if (all) {
            for (int k = start; k <= i; k++)
                tr->t[k].tdata1 = (tr->t[k].tdata1 & ~MC_HIT1) | MC_HIT0;
            return true;
        }
        start = i + 1;
        all = true;
    }
    return false;
}

/* ---- events --------------------------------------------------------------- */

static bool icount_fires(struct hart *h)
{
    struct triggers *tr = &h->trig;
    for (int i = 0; i < TRIG_COUNT; i++) {
        uint64_t *t1 = &tr->t[i].tdata1;
        if (TYPE(*t1) == TYPE_ICOUNT && (*t1 & IC_PENDING) && mode_on(h, *t1, IC_M, IC_S, IC_U)) {
            *t1 = (*t1 & ~IC_PENDING) | IC_HIT;
            return true;
        }
    }
    return false;
}

/* The instruction at pc: its length and bits, for size and select = 1;
 * a fetch that faults matches nothing (the fetch itself traps next). */
static bool insn_at(struct hart *h, uint64_t pc, unsigned *len, uint64_t *bits)
{
    uint16_t lo, hi;
    if (mmu_peek_half(h, pc, &lo))
        return false;
    if ((lo & 3) != 3) {
        *len = 2;
        *bits = lo;
        return true;
    }
    if (mmu_peek_half(h, pc + 2, &hi))
        return false;
    *len = 4;
    *bits = lo | (uint32_t)hi << 16;
    return true;
}

bool trig_before_insn(struct hart *h)
{
    struct triggers *tr = &h->trig;
    tr->counted = false;
    tr->fetch_priv = h->priv;
    if (tr->icount && icount_fires(h)) {
        trig_rearm(h);
        hart_exception(h, EXC_BREAKPOINT, 0);   /* icount's tval is 0 */
        return true;
    }
    unsigned len;
    uint64_t bits;
    if (!tr->exec || !insn_at(h, h->pc, &len, &bits))
        return false;
    if (!fire_chains(h, EV_EXEC, h->pc, len, true, bits))
        return false;
    hart_exception(h, EXC_BREAKPOINT, h->pc);
    return true;
}

/* icount matches once per instruction: when it retires, or when it traps,
 * fetched in a mode where the trigger is enabled. */
static void icount_match(struct hart *h, int priv)
{
    struct triggers *tr = &h->trig;
    if (tr->counted)
        return;
    tr->counted = true;
    int now = h->priv;
    h->priv = priv;                     /* the mode the instruction was fetched in */
    for (int i = 0; i < TRIG_COUNT; i++) {
        uint64_t *t1 = &tr->t[i].tdata1;
        unsigned count = IC_COUNT(*t1);
        if (TYPE(*t1) != TYPE_ICOUNT || !count || !mode_on(h, *t1, IC_M, IC_S, IC_U))
            continue;
        *t1 &= ~(0x3fffull << 10);
        if (count > 1)
            *t1 |= (uint64_t)(count - 1) << 10;
        else
            *t1 |= IC_PENDING;
    }
    h->priv = now;
}

void trig_retired(struct hart *h, int64_t n)
{
    if (n > 0)
        icount_match(h, h->trig.fetch_priv);
    h->trig.counted = false;            /* an interrupt before the next one counts */
    h->trig.fetch_priv = h->priv;
}

bool trig_access(struct hart *h, uint64_t va, unsigned size, bool store, uint64_t val)
{
    /* a store's data is known before it is performed, a load's after */
    if (!fire_chains(h, store ? EV_STORE : EV_LOAD, va, size, store, val))
        return false;
    hart_exception(h, EXC_BREAKPOINT, va);
    return true;
}

bool trig_atomic(struct hart *h, uint64_t va, unsigned size, bool store)
{
    if (!fire_chains(h, EV_LOAD, va, size, false, 0) &&
        !(store && fire_chains(h, EV_STORE, va, size, false, 0)))
        return false;
    hart_exception(h, EXC_BREAKPOINT, va);
    return true;
}

bool trig_load_value(struct hart *h, uint64_t va, unsigned size, uint64_t val)
{
    if (!fire_chains(h, EV_LOAD, va, size, true, val))
        return false;
    hart_exception(h, EXC_BREAKPOINT, va);      /* performed, but rd is not written */
    return true;
}

void trig_enter_m(struct hart *h)
{
    uint64_t *tc = &h->trig.tcontrol;
    *tc = (*tc & TCONTROL_MTE) ? TCONTROL_MPTE : 0;     /* mpte = mte, mte = 0 */
}

void trig_mret(struct hart *h)
{
    uint64_t *tc = &h->trig.tcontrol;
    *tc = (*tc & ~TCONTROL_MTE) | ((*tc & TCONTROL_MPTE) ? TCONTROL_MTE : 0);
}

void trig_trap(struct hart *h, int from_priv)
{
    if (h->trig.icount)
        icount_match(h, from_priv);
}

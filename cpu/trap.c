/*
 * Traps: exception and interrupt entry, delegation, xRET (privileged spec
 * 3.1.6.1, 3.1.8, 3.1.9, 3.3.2, 4.1.1).
 */
#include "hart.h"
#include "mem.h"
#include "core.h"
#include "isa.h"
#include "log.h"

#define INTERRUPT_BIT (1ull << 63)

/* retiring: the instruction changing the mode retires (xRET), counted in
 * the mode it leaves; counters follow the change only while a filter
 * tells modes apart (cpu/pmu.h). */
static void enter_priv(struct hart *h, int priv, int retiring)
{
    if (h->pmu.filtered && priv != h->priv)
        pmu_priv_change(h, priv, retiring);
    h->priv = priv;
    mmu_update_regime(h);
}

void hart_set_priv(struct hart *h, int priv)
{
    enter_priv(h, priv, 0);
}

static uint64_t vector(uint64_t tvec, uint64_t cause)
{
    uint64_t base = tvec & ~3ull;
    if ((tvec & 1) && (cause & INTERRUPT_BIT))
        return base + 4 * (cause & ~INTERRUPT_BIT);
    return base;
}

const char *hart_cause_name(uint64_t cause)
{
    static const char *const exc[16] = {
        "instruction address misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load address misaligned", "load access fault", "store address misaligned",
        "store access fault", "ecall from U", "ecall from S", "reserved", "ecall from M",
        "instruction page fault", "load page fault", "reserved", "store page fault",
    };
    static const char *const irq[14] = {
        "?", "S software interrupt", "?", "M software interrupt", "?", "S timer interrupt", "?",
        "M timer interrupt", "?", "S external interrupt", "?", "M external interrupt", "?",
        "local counter overflow interrupt",
    };
    uint64_t n = cause & ~INTERRUPT_BIT;
    if (cause & INTERRUPT_BIT)
        return n < 14 ? irq[n] : "interrupt";
    return n < 16 ? exc[n] : "exception";
}

/* An exception from epc just entered its handler at h->pc: count it if it
 * repeats the last one at its own vector (struct trap_repeat). The hart
 * then leaves its run (yield) so the run loop can judge. */
static void note_repeat(struct hart *h, uint64_t cause, uint64_t epc, uint64_t tval)
{
    struct trap_repeat *r = &h->repeat;
    if (h->pc != epc || cause != r->cause || epc != r->pc || tval != r->tval) {
        *r = (struct trap_repeat){ .cause = cause, .pc = epc, .tval = tval, .n = h->pc == epc };
        return;
    }
    if (++r->n >= TRAP_REPEATS && !r->suspect) {
        r->suspect = true;
        h->yield = true;
    }
}

/* Enter the trap handler for cause at h->pc. */
static void take_trap(struct hart *h, uint64_t cause, uint64_t tval)
{
    uint64_t code = cause & ~INTERRUPT_BIT;
    bool irq = cause & INTERRUPT_BIT;
    uint64_t deleg = irq ? h->mideleg : h->medeleg;
    if (h->core && qlog_on(h->core->log, LOG_INT))
        qlog_trap(h, cause, tval);
    h->wfi = false;
    trig_trap(h, h->priv);
    if (h->priv <= PRV_S && code < 64 && ((deleg >> code) & 1)) {
        h->scause = cause;
        h->sepc = h->pc;
        h->stval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE);
        if (h->priv == PRV_S) s |= MSTATUS_SPP;
        if (h->mstatus & MSTATUS_SIE) s |= MSTATUS_SPIE;
        h->mstatus = s;
        h->pc = vector(h->stvec, cause);
        hart_set_priv(h, PRV_S);
    } else {
        h->mcause = cause;
        h->mepc = h->pc;
        h->mtval = tval;
        uint64_t s = h->mstatus & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE);
        s |= (uint64_t)h->priv << 11;
        if (h->mstatus & MSTATUS_MIE) s |= MSTATUS_MPIE;
        h->mstatus = s;
        h->pc = vector(h->mtvec, cause);
        trig_enter_m(h);
        hart_set_priv(h, PRV_M);
    }
}

void hart_exception(struct hart *h, uint64_t cause, uint64_t tval)
{
    uint64_t epc = h->pc;
    take_trap(h, cause, tval);
    note_repeat(h, cause, epc, tval);
}

void hart_ebreak(struct hart *h)
{
    /* the semihosting sequence is a call, not a trap (machine/semihost.h);
     * a trigger's breakpoint (trigger.c) never is */
    if (h->core && core_semihost(h->core, h))
        return;
    hart_exception(h, EXC_BREAKPOINT, h->pc);
}

uint64_t hart_pending_irqs(const struct hart *h)
{
    uint64_t pend = h->mip & h->mie;
    if (!pend)
        return 0;
    /* M-level interrupts: taken in M only with MIE, always below M. */
    uint64_t m = pend & ~h->mideleg;
    bool m_on = h->priv < PRV_M || (h->mstatus & MSTATUS_MIE);
    if (m && m_on)
        return m;
    /* Delegated ones go to S: never taken in M. */
    uint64_t s = pend & h->mideleg;
    bool s_on = h->priv < PRV_S || (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE));
    return s_on ? s : 0;
}

bool hart_take_interrupt(struct hart *h)
{
    /* Priority within a level: MEI, MSI, MTI, SEI, SSI, STI, LCOFI (spec
     * 3.1.9; Sscofpmf's local interrupt 13 below the standard ones). */
    static const int order[] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI, IRQ_LCOFI };
    uint64_t p = hart_pending_irqs(h);
    if (!p)
        return false;
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        if (p & (1ull << order[i])) {
            take_trap(h, INTERRUPT_BIT | order[i], 0);
            h->repeat.n = 0;        /* the loop was left once: not stuck */
            return true;
        }
    return false;
}

void hart_set_irq(struct hart *h, int irq, bool level)
{
    uint64_t bit = 1ull << irq;
    uint64_t old = h->mip;
    h->mip = level ? old | bit : old & ~bit;
    if (h->mip != old)
        h->yield = true;
    if (h->mip & h->mie & bit)
        h->wfi = false;
}

void hart_mret(struct hart *h)
{
    uint64_t s = h->mstatus;
    int mpp = (s >> 11) & 3;
    s &= ~(MSTATUS_MIE | MSTATUS_MPP);
    if (s & MSTATUS_MPIE) s |= MSTATUS_MIE;
    s |= MSTATUS_MPIE;                      /* MPP = U (0) */
    if (mpp != PRV_M) s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->pc = h->mepc & isa_epc_mask(core_isa_off(h->core));   /* as a read gives it */
    trig_mret(h);
    enter_priv(h, mpp, 1);
}

void hart_sret(struct hart *h)
{
    uint64_t s = h->mstatus;
    int spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
    s &= ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
    if (s & MSTATUS_SPIE) s |= MSTATUS_SIE;
    s |= MSTATUS_SPIE;
    h->mstatus = s;
    h->pc = h->sepc & isa_epc_mask(core_isa_off(h->core));
    enter_priv(h, spp, 1);
}

/*
 * Provably stuck runs (stuck.h).
 *
 * A trap loop: the hart's vector holds an instruction that traps again with
 * the same cause and tval (trap.c counts the repeats). Whether it can ever
 * end depends on two things outside the instruction itself:
 *   - an interrupt the hart would take in the handler's mode. Trap entry
 *     clears xIE of that mode (privileged spec 3.1.6.1), so in M nothing is
 *     taken; in S, M-level interrupts (mie & ~mideleg) still are (3.1.9):
 *     any such enable means "not provably stuck";
 *   - memory someone else could write. An instruction access fault with no
 *     translation comes from the physical map or PMP, which only the hart
 *     itself could change (it only traps). Every other cause reads memory:
 *     the instruction's bytes, or page-table entries. Then the loop is stuck
 *     only when no other hart can run and no device writes guest memory on
 *     its own (the window's virtio-input).
 *
 * A dead wait: every hart is in wfi, which ends when mip & mie becomes
 * non-zero (3.3.3). What can still set an enabled bit: the hart's timer
 * (CLINT mtimecmp, Sstc stimecmp) when armed, and the PLIC's external
 * lines when a device can still interrupt (an armed RTC alarm, console
 * input to come, the window). Software interrupts come only from a hart,
 * and every hart waits.
 */
#include "stuck.h"
#include "machine.h"
#include "../mmu/mmu.h"
#include <stdio.h>

#define BIT(n) (1ull << (n))

/* Could an enabled interrupt of h still become pending without any hart's
 * help? why: what could (for describe), or NULL. */
static bool hart_can_wake(struct machine *m, const struct hart *h, const char **why)
{
    uint64_t en = h->mie;
    const char *w = NULL;
    if (h->mip & en)
        w = "an interrupt is pending";
    else if ((en & BIT(IRQ_MTI)) && m->clint.mtimecmp[h->id] != ~0ull)
        w = "the timer (mtimecmp)";
    else if ((en & BIT(IRQ_STI)) && (h->menvcfg >> 63) && h->stimecmp != ~0ull)
        w = "the timer (stimecmp)";
    else if (en & (BIT(IRQ_MEI) | BIT(IRQ_SEI))) {
        if (m->rtc.alarm_armed)
            w = "the RTC alarm";
        else if (ev_may_wake(&m->events) & EV_WAKE_IRQ)
            w = "input (console or window)";
    }
    if (why)
        *why = w;
    return w != NULL;
}

/* Does a hart other than h run, or can it be woken? */
static bool other_hart_alive(struct machine *m, const struct hart *h)
{
    for (int i = 0; i < m->nharts; i++) {
        const struct hart *o = &m->harts[i];
        if (o != h && !(o->wfi && !hart_can_wake(m, o, NULL)))
            return true;
    }
    return false;
}

/* Can anything but h write guest memory? */
static bool others_may_write(struct machine *m, const struct hart *h)
{
    return (ev_may_wake(&m->events) & EV_WAKE_DMA) || other_hart_alive(m, h);
}

static bool translated_fetch(const struct hart *h)
{
    return h->priv < PRV_M && (h->satp >> 60) != SATP_BARE;
}

/* The reason in the message's parentheses. */
static void loop_reason(struct machine *m, struct hart *h, const char *vec, char *buf, size_t len)
{
    uint64_t pc = h->pc;
    uint32_t word = 0;
    struct region *r = bus_find(&m->bus, pc, 2);
    switch (h->repeat.cause) {
    case EXC_INSN_ACCESS:
        if (translated_fetch(h))
            snprintf(buf, len, "%s 0x%llx translates to no executable memory", vec,
                     (unsigned long long)pc);
        else if (!r)
            snprintf(buf, len, "%s 0x%llx points at no memory", vec, (unsigned long long)pc);
        else if (!r->host)
            snprintf(buf, len, "%s 0x%llx points at a device (%s)", vec, (unsigned long long)pc, r->name);
        else
            snprintf(buf, len, "PMP denies execution at %s 0x%llx", vec, (unsigned long long)pc);
        return;
    case EXC_ILLEGAL:
        word = (uint32_t)h->repeat.tval;
        snprintf(buf, len, "%s 0x%llx holds the illegal instruction 0x%x", vec,
                 (unsigned long long)pc, word);
        return;
    case EXC_INSN_PAGE:
        snprintf(buf, len, "%s 0x%llx is not mapped executable", vec, (unsigned long long)pc);
        return;
    default:
        snprintf(buf, len, "the handler at %s 0x%llx traps again", vec, (unsigned long long)pc);
    }
}

bool stuck_trap_loop(struct machine *m, struct hart *h, char *msg, size_t len)
{
    struct trap_repeat *r = &h->repeat;
    r->suspect = false;
    bool can_change = h->pc != r->pc            /* it left the loop since */
        || h->priv < PRV_S                      /* (traps never enter U) */
        || (h->priv == PRV_S && (h->mie & ~h->mideleg));  /* an M-level interrupt is taken in S */
    bool fixed = r->cause == EXC_INSN_ACCESS && !translated_fetch(h);
    if (can_change || (!fixed && others_may_write(m, h))) {
        r->n = 0;               /* look again after as many repeats */
        return false;
    }
    const char *vec = h->priv == PRV_M ? "mtvec" : "stvec";
    char why[128];
    loop_reason(m, h, vec, why, sizeof why);
    snprintf(msg, len, "hart %u: %s at 0x%llx loops (%s)", h->id, hart_cause_name(r->cause),
             (unsigned long long)r->pc, why);
    return true;
}

bool stuck_dead_wait(struct machine *m, char *msg, size_t len)
{
    for (int i = 0; i < m->nharts; i++)
        if (!m->harts[i].wfi || hart_can_wake(m, &m->harts[i], NULL))
            return false;
    snprintf(msg, len, "every hart waits in wfi and no enabled interrupt can come "
             "(hart 0: mie 0x%llx, no armed timer, no device that can interrupt)",
             (unsigned long long)m->harts[0].mie);
    return true;
}

void stuck_describe(struct machine *m, struct hart *h, char *buf, size_t len)
{
    const char *why;
    if (h->repeat.n >= 2 && h->pc == h->repeat.pc)
        snprintf(buf, len, "repeating %s at its own vector 0x%llx (%u times)",
                 hart_cause_name(h->repeat.cause), (unsigned long long)h->pc, h->repeat.n);
    else if (!h->wfi)
        snprintf(buf, len, "running");
    else if (hart_can_wake(m, h, &why))
        snprintf(buf, len, "in wfi, woken by %s", why);
    else if ((h->mie & (BIT(IRQ_MSI) | BIT(IRQ_SSI))) && other_hart_alive(m, h))
        snprintf(buf, len, "in wfi, until another hart sends it an IPI (mie 0x%llx)",
                 (unsigned long long)h->mie);
    else
        snprintf(buf, len, "in wfi, and no enabled interrupt can come (mie 0x%llx)",
                 (unsigned long long)h->mie);
}

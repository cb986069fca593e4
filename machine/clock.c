/*
 * Guest time: mtime from the host clock, or from the instruction count
 * with -icount (a run is then a deterministic function of its input), and
 * the deadlines at which timer interrupts become pending.
 */
#include "machine_priv.h"
#include <time.h>

/* Instructions retired so far, counting the running hart's current turn. */
static uint64_t icount_now(const struct machine *m)
{
    const struct hart *h = m->running;
    return m->icount + (h ? (uint64_t)hart_run_retired(h) : 0);
}

/* -icount shift=N: each instruction is 2^N ns of virtual time (QEMU's
 * meaning), and mtime counts that time at the 10 MHz timebase. */
#define NS_PER_TICK (1000000000ull / TIMEBASE_HZ)

uint64_t machine_mtime(struct machine *m)
{
    if (m->opt.icount_shift >= 0)
        return (uint64_t)(((unsigned __int128)icount_now(m) << m->opt.icount_shift) / NS_PER_TICK);
    uint64_t now = m->paused ? m->paused_ns : ev_now_ns();
    return (now - m->start_ns) / (1000000000 / TIMEBASE_HZ);
}

void machine_pause(struct machine *m, bool paused)
{
    if (paused == m->paused)
        return;
    uint64_t now = ev_now_ns();
    if (paused)
        m->paused_ns = now;
    else {
        m->start_ns += now - m->paused_ns;     /* the paused time never happened */
        m->paused_total_ns += now - m->paused_ns;
    }
    m->paused = paused;
    for (int i = 0; i < m->nharts && paused; i++)
        m->harts[i].yield = true;               /* out of the current turn */
}

uint64_t machine_running_ns(const struct machine *m)
{
    uint64_t now = ev_now_ns();
    return now - m->paused_total_ns - (m->paused ? now - m->paused_ns : 0);
}

void machine_update_timers(struct machine *m)
{
    uint64_t t = machine_mtime(m);
    devices_timer_update(m, t);     /* CLINT, RTC alarm */
    /* Sstc: with menvcfg.STCE, mip.STIP is (time >= stimecmp). */
    for (int i = 0; i < m->nharts; i++) {
        struct hart *h = &m->harts[i];
        if (h->menvcfg >> 63)
            hart_set_irq(h, IRQ_STI, t >= h->stimecmp);
    }
}

/* The next mtime after now at which a timer interrupt becomes pending
 * (~0: none). */
uint64_t next_deadline(struct machine *m, uint64_t now)
{
    uint64_t dl = devices_timer_deadline(m, now);
    for (int i = 0; i < m->nharts; i++) {
        const struct hart *h = &m->harts[i];
        if ((h->menvcfg >> 63) && h->stimecmp > now && h->stimecmp < dl)
            dl = h->stimecmp;
    }
    return dl;
}

/* -icount: the instruction count from which mtime >= t, i.e.
 * ceil(t * NS_PER_TICK / 2^N), in 128 bits (t may be near 2^64). */
uint64_t icount_reaching(const struct machine *m, uint64_t t)
{
    int s = m->opt.icount_shift;
    unsigned __int128 ns = (unsigned __int128)t * NS_PER_TICK, n = (ns >> s) + ((ns & ((1ull << s) - 1)) != 0);
    return n > ~0ull ? ~0ull : (uint64_t)n;
}

/* The next mtime at which a timer interrupt or the RTC alarm is due (~0:
 * none). Under -icount the RTC's clock is mtime too, so the conversion
 * lands on the instruction at which the alarm fires. */
uint64_t idle_deadline(struct machine *m, uint64_t now)
{
    const uint64_t tick = 1000000000 / TIMEBASE_HZ;
    uint64_t dl = next_deadline(m, now), ns = rtc_alarm_in_ns(&m->rtc);
    if (ns != ~0ull) {
        uint64_t at = now + ns / tick + (ns % tick != 0);
        if (at >= now && at < dl)       /* (at < now: wrapped, never) */
            dl = at;
    }
    return dl;
}

/* ---- the RTC's time of day (-rtc) -------------------------------------- */

/* Under -icount without -rtc: a fixed date (2025-01-01 00:00 UTC) on the
 * guest's clock, so that a deterministic run reads the same time. */
#define ICOUNT_RTC_EPOCH_S 1735689600ull

static uint64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rtc_clock_ns(struct machine *m)
{
    switch (m->rtc_clock) {
    case RTC_CLOCK_VM: return machine_mtime(m) * (1000000000 / TIMEBASE_HZ);
    case RTC_CLOCK_RT: return ev_now_ns();
    default: return realtime_ns();
    }
}

void rtc_clock_start(struct machine *m)
{
    const struct rtc_opts *r = &m->opt.rtc;
    bool icount = m->opt.icount_shift >= 0;
    m->rtc_clock = r->clock != RTC_CLOCK_DEFAULT ? r->clock : icount ? RTC_CLOCK_VM : RTC_CLOCK_HOST;
    uint64_t now = realtime_ns();
    if (r->base == RTC_BASE_DATE) {
        m->rtc_base_ns = (uint64_t)r->date_s * 1000000000ull;
    } else if (r->base == RTC_BASE_LOCALTIME) {
        /* QEMU: the guest's RTC reads the host's local time as if UTC */
        struct tm tm;
        time_t t = (time_t)(now / 1000000000ull);
        localtime_r(&t, &tm);
        m->rtc_base_ns = now + (uint64_t)((int64_t)tm.tm_gmtoff * 1000000000ll);
    } else {
        m->rtc_base_ns = icount && !r->given ? ICOUNT_RTC_EPOCH_S * 1000000000ull : now;
    }
    m->rtc_clock0_ns = rtc_clock_ns(m);
}

uint64_t rtc_clock_now(struct machine *m)
{
    return m->rtc_base_ns + (rtc_clock_ns(m) - m->rtc_clock0_ns);
}

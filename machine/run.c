/*
 * The run loop: the harts take turns of QUANTUM instructions in one host
 * thread, so a run is a deterministic function of its input when time
 * comes from the instruction count (-icount). Interrupts are taken at the
 * start of a turn; timers are re-evaluated after each turn; between turns
 * the event sources (events.h) are serviced, and when every hart waits the
 * thread sleeps (idle_wait).
 */
#include "machine_priv.h"
#include "stuck.h"
#include <time.h>

#define QUANTUM RUN_QUANTUM         /* instructions per hart per turn */

/*
 * Idle: every hart waits in wfi, and the host thread sleeps in one ppoll
 * over the event sources' descriptors (events.h) until whichever comes
 * first:
 *   - the next timer deadline (CLINT, Sstc) or the RTC alarm;
 *   - a source's descriptor: console input (C-a c for the debugger comes
 *     this way too), room in a pipe that holds console output back, a
 *     command from the fleet supervisor or its end;
 *   - a signal (the debugger's Ctrl-C when the console is not a terminal);
 *   - the longest sleep a source allows for what has no descriptor (the
 *     window's input queue, a Ctrl-C between the debugger's poll and the
 *     ppoll);
 *   - --timeout, and at most IDLE_MAX_NS.
 * An idle tickless guest thus costs a few wakeups a second, in a fleet and
 * with piped output alike.
 */
#define IDLE_MAX_NS 1000000000ull

/* The longest sleep: what the event sources allow, at most limit (the ns
 * --timeout leaves; EV_NONE: no timeout). */
static uint64_t idle_max_ns(const struct machine *m, uint64_t limit)
{
    uint64_t ns = ev_max_sleep(&m->events);
    if (ns > IDLE_MAX_NS)
        ns = IDLE_MAX_NS;
    return limit < ns ? limit : ns;
}

/*
 * Every hart waits in wfi. With host time, sleep until the next deadline
 * (idle_deadline) or a wakeup (idle_sleep). With -icount, time stands
 * still while no instruction runs; sleep=off jumps it to the deadline at
 * once, sleep=on (QEMU's default) first sleeps the real time the wait
 * stands for and moves it on by the time slept, at most to the deadline,
 * so that the interrupt still comes after the same instruction.
 */
static void idle_wait(struct machine *m, uint64_t limit)
{
    const uint64_t tick = 1000000000 / TIMEBASE_HZ;
    uint64_t now = machine_mtime(m), dl = idle_deadline(m, now);
    uint64_t ns = idle_max_ns(m, limit), left = ~0ull;
    bool icount = m->opt.icount_shift >= 0;
    if (icount && dl != ~0ull && !m->opt.icount_sleep) {
        uint64_t target = icount_reaching(m, dl);
        if (target > m->icount)
            m->icount = target;
        return;
    }
    if (dl != ~0ull)
        left = dl <= now ? 0 : dl - now > ~0ull / tick ? ~0ull : (dl - now) * tick;
    ns = left < ns ? left : ns;
    uint64_t t0 = ev_now_ns();
    ev_sleep(&m->events, ns);
    if (icount && m->opt.icount_sleep) {
        uint64_t slept = ev_now_ns() - t0;
        uint64_t target = icount_reaching(m, slept >= left ? dl : now + slept / tick);
        if (target > m->icount)
            m->icount = target;
    }
}

static int guest_status(struct machine *m)
{
    int code = m->exit_code;
    if (code == 0)
        return 0;
    fprintf(stderr, "hartvm: guest reported failure code %d (%s)\n", code, m->exit_reason);
    /* A non-zero code must never exit 0: codes that are multiples of 256 exit 1. */
    return (code & 0xff) ? (code & 0xff) : 1;
}

static void print_stats(struct machine *m, uint64_t insns, double secs)
{
    fprintf(stderr, "hartvm: %llu instructions in %.3f s, %.1f MIPS\n",
            (unsigned long long)insns, secs, secs > 0 ? insns / secs / 1e6 : 0.0);
    for (int i = 0; i < m->nharts; i++)
        fprintf(stderr, "hartvm: hart %d: %llu instructions retired\n", i,
                (unsigned long long)hart_instret(&m->harts[i]));
    /* absolute times too, so a script can add the time from its exec */
    if (m->main_rt_ns && m->first_run_rt_ns)
        fprintf(stderr, "hartvm: start-up: main() at %.6f, first guest instruction at %.6f "
                "(CLOCK_REALTIME s): %.3f ms\n", m->main_rt_ns / 1e9, m->first_run_rt_ns / 1e9,
                (m->first_run_rt_ns - m->main_rt_ns) / 1e6);
}

/* The length of the next run, at most n. Under -icount a run ends exactly
 * at the instruction where the next timer deadline is reached, so the
 * interrupt is taken after the same instruction however long the runs are
 * (in reference mode they are one instruction long): exact timer delivery,
 * and traces that do not depend on the fast paths. */
static int64_t run_length(struct machine *m, uint64_t n)
{
    if (m->opt.icount_shift < 0)
        return (int64_t)n;
    uint64_t dl = next_deadline(m, machine_mtime(m));
    if (dl != ~0ull) {
        uint64_t at = icount_reaching(m, dl);
        if (at > m->icount && at - m->icount < n)
            n = at - m->icount;
    }
    return (int64_t)n;
}

/*
 * -icount align=on (QEMU's delay algorithm): an instruction stands for
 * 2^N ns, so a guest faster than that is held back by sleeping until the
 * host's clock catches up; one slower is late, and each further second of
 * lateness is said once on stderr, as QEMU does.
 */
#define ALIGN_SLACK_NS 2000000ull       /* ahead by less than this: no sleep */

static void align_start(struct machine *m)
{
    m->align = (struct icount_align){ .icount0 = m->icount, .host0 = machine_running_ns(m) };
}

static void align_clock(struct machine *m)
{
    struct icount_align *a = &m->align;
    unsigned __int128 v = (unsigned __int128)(m->icount - a->icount0) << m->opt.icount_shift;
    uint64_t virt = v > ~0ull ? ~0ull : (uint64_t)v, host = machine_running_ns(m) - a->host0;
    if (virt > host + ALIGN_SLACK_NS) {
        ev_sleep(&m->events, virt - host);
    } else if (host > virt && host - virt >= a->late_said_ns + 1000000000ull) {
        a->late_said_ns = (host - virt) / 1000000000ull * 1000000000ull;
        fprintf(stderr, "hartvm: warning: the guest is now late by %.1f to %.1f seconds\n",
                a->late_said_ns / 1e9, a->late_said_ns / 1e9 + 1.0);
    }
}

/* --timeout: the ns left of limit, the running time since r0 added to
 * that of earlier runs. */
static uint64_t timeout_left(const struct machine *m, uint64_t limit, uint64_t r0)
{
    uint64_t spent = m->timeout_spent_ns + machine_running_ns(m) - r0;
    return spent >= limit ? 0 : limit - spent;
}

/* The run can never go on (stuck.h): end it with status, or stop it for
 * the debugger, saying why. */
static void machine_stuck(struct machine *m, int status, const char *msg)
{
    snprintf(m->stuck_msg, sizeof m->stuck_msg, "%s", msg);
    m->stuck_code = status;
    if (m->dbg) {
        m->stop_requested = true;
        return;
    }
    machine_request_exit(m, status, m->stuck_msg);
    m->stuck_status = status;
}

static void judge_trap_loop(struct machine *m, struct hart *h)
{
    char msg[sizeof m->stuck_msg];
    if (stuck_trap_loop(m, h, msg, sizeof msg))
        machine_stuck(m, EXIT_TRAP_LOOP, msg);
}

/*
 * One turn of hart h: up to limit instructions (a quantum). The hart's run
 * stops early when an instruction asks to yield (MMIO, a CSR write that
 * may unmask an interrupt, xRET): timers and interrupts are then looked at
 * and the same hart continues, so every hart gets whole quanta and the
 * schedule depends only on instruction counts.
 */
static uint64_t run_turn(struct machine *m, struct hart *h, uint64_t limit, uint64_t quantum)
{
    /* Another hart ran since this one's last turn and may have stored to
     * its reserved address: a reservation never survives a switch (a turn
     * resumed from a snapshot is no switch). */
    if (m->nharts > 1 && quantum == QUANTUM)
        h->resv = 0;
    uint64_t done = 0;
    quantum = limit < quantum ? limit : quantum;
    while (done < quantum && !h->wfi && !m->exit_requested && !m->reset_requested &&
           !m->stop_requested && !m->paused) {
        if (hart_take_interrupt(h) && m->trace.out)
            trace_digest_irq(h);        /* --trace-digest: interrupts in the trace */
        h->yield = false;
        m->running = h;
        /* debugger trace: runs of one instruction, each reported */
        bool one = m->single_insn;
        if (one)
            core_trace_before(&m->core, h);
        int64_t len = one ? 1 : run_length(m, quantum - done);
        /* --trace-digest, -d cpu: the same interpreter with a per-instruction hook */
        bool traced = m->trace.out || qlog_on(m->core.log, LOG_TRACED);
        int64_t r = traced ? hart_run_trace(h, len) : hart_run(h, len);
        if (one)
            core_trace_after(&m->core, h, r);
        m->running = NULL;
        /* Steps: instructions retired and traps taken (as Spike counts
         * them), so a trap storm spends --max-insns too. */
        done += hart_end_run(h);
        m->icount += r;
        if (h->repeat.suspect)
            judge_trap_loop(m, h);
        machine_update_timers(m);
        if (h->mip & h->mie)
            h->wfi = false;
    }
    return done;
}

/* What is left of hart h's turn after done of quantum steps: cut short
 * by a stop, the rest is due first when the run goes on. */
static void note_turn(struct machine *m, const struct hart *h, uint64_t quantum, uint64_t done)
{
    bool cut = done < quantum && !h->wfi && !m->exit_requested && !m->reset_requested;
    m->turn_hart = (int)h->id;
    m->turn_left = cut ? quantum - done : 0;
}

void machine_step(struct machine *m, struct hart *h)
{
    uint64_t done = run_turn(m, h, 1, QUANTUM);
    if (m->turn_left && m->turn_hart == (int)h->id)     /* a step spends the turn's steps */
        m->turn_left = m->turn_left > done ? m->turn_left - done : 0;
}

/* The status of a run the guest asked to end, or that was stuck. */
static int exit_status(struct machine *m)
{
    if (!m->stuck_status)
        return guest_status(m);
    fprintf(stderr, "hartvm: %s\n", m->stuck_msg);
    return m->stuck_status;
}

int machine_run(struct machine *m)
{
    uint64_t total = 0, steps = 0, t0 = ev_now_ns();
    char msg[sizeof m->stuck_msg];
    if (!m->first_run_rt_ns) {  /* --stats start-up: the first call only */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        m->first_run_rt_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    }
    /* --timeout counts the time the guest runs: not while a monitor has it
     * paused, nor between calls (stopped at the debugger) */
    uint64_t tlimit = m->opt.timeout > 0 ? (uint64_t)(m->opt.timeout * 1e9) : 0;
    uint64_t r0 = machine_running_ns(m);
    int status = -1;
    ev_running(&m->events, true);
    /* The first round may begin with another hart than 0: after a
     * debugger's stop, the hart it resumes for goes first, so that when
     * several harts would reach a breakpoint, its own does (gdb steps a
     * hart with a breakpoint on the next instruction and a continue). */
    int first = m->first_turn > 0 && m->first_turn < m->nharts ? m->first_turn : 0;
    /* resumed from a snapshot: the cut turn, then the rest of its round */
    bool resume = m->resume_turn && m->turn_left && m->turn_hart < m->nharts;
    int round_end = m->nharts;
    if (resume)
        first = m->turn_hart, round_end = m->nharts - first;
    m->first_turn = 0;
    m->resume_turn = false;
    bool align = m->opt.icount_shift >= 0 && m->opt.icount_align;
    if (align)
        align_start(m);         /* afresh after a stop at the debugger */
    while (status < 0) {
        bool idle = true;
        for (int k = 0; k < round_end && !m->exit_requested && !m->reset_requested &&
                        !m->stop_requested && !m->paused; k++) {
            int i = (first + k) % m->nharts;
            struct hart *h = &m->harts[i];
            uint64_t quantum = resume && k == 0 ? m->turn_left : QUANTUM;
            if (m->held & (1u << i))    /* a debugger keeps it stopped */
                continue;
            if (h->mip & h->mie)        /* wfi ends on a pending enabled interrupt */
                h->wfi = false;
            if (h->wfi)
                continue;
            idle = false;
            uint64_t limit = m->opt.max_insns ? m->opt.max_insns - steps : QUANTUM;
            uint64_t before = m->icount, done = 0;
            if (limit)
                note_turn(m, h, quantum, done = run_turn(m, h, limit, quantum));
            steps += done;
            total += m->icount - before;
        }
        first = 0;
        resume = false;
        round_end = m->nharts;
        if (align && !idle)
            align_clock(m);
        ev_service(&m->events); /* console, debugger, fleet channel, window (events.h) */
        if (m->reset_requested && !m->exit_requested && machine_reset(m))
            status = 1;
        else if (m->exit_requested)
            status = exit_status(m);
        else if (m->stop_requested) {   /* the debugger's turn */
            m->stop_requested = false;
            status = MACHINE_STOPPED;
        }
        else if (m->opt.max_insns && steps >= m->opt.max_insns) {
            fprintf(stderr, "hartvm: instruction limit of %llu reached\n",
                    (unsigned long long)m->opt.max_insns);
            status = 125;
        } else if (tlimit && timeout_left(m, tlimit, r0) == 0) {
            fprintf(stderr, "hartvm: timeout after %g s\n", m->opt.timeout);
            status = 124;
        } else if (m->paused) {         /* stopped by a monitor: only its commands now */
            ev_sleep(&m->events, idle_max_ns(m, EV_NONE));
        } else if (idle && stuck_dead_wait(m, msg, sizeof msg)) {
            machine_stuck(m, EXIT_DEAD_WAIT, msg);
        } else if (idle) {
            idle_wait(m, tlimit ? timeout_left(m, tlimit, r0) : EV_NONE);
            machine_update_timers(m);   /* the deadline may have passed: wake wfi */
        }
    }
    if (m->uart.out)
        fflush(m->uart.out);
    if (m->log.out)             /* the -D log up to here, for a stop at the debugger too */
        fflush(m->log.out);
    ev_running(&m->events, false);
    m->timeout_spent_ns += machine_running_ns(m) - r0;
    if (m->opt.stats)
        print_stats(m, total, (ev_now_ns() - t0) / 1e9);
    return status;
}

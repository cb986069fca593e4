/* Opening the monitors and serving their clients from the run loop (monitors.h). */
#include "monitors.h"
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MON_READ_MAX 16384      /* bytes taken per service: a flood cannot starve the guest */

void mon_reset_input(struct mon_front *f)
{
    f->inlen = 0;
    f->overflow = false;
    f->depth = 0;
    f->in_str = f->esc = false;
}

static void greet(struct mon_front *f)
{
    mon_reset_input(f);
    if (f->qmp)
        qmp_greet(f);
    else
        hmp_greet(f);
}

static void front_service(void *ctx)
{
    struct mon_front *f = ctx;
    if (chr_accept(f->chr))
        greet(f);
    char buf[4096];
    for (size_t total = 0; total < MON_READ_MAX;) {
        ssize_t n = chr_read(f->chr, buf, sizeof buf);
        if (n < 0)
            mon_reset_input(f);     /* hung up: the next client starts afresh */
        if (n <= 0)
            break;
        total += (size_t)n;
        if (f->qmp)
            qmp_input(f, buf, (size_t)n);
        else
            hmp_input(f, buf, (size_t)n);
    }
    if (f->qmp && f->chr->fd >= 0)
        qmp_sync_events(f);
}

static int front_fd(void *ctx, short *events)
{
    struct mon_front *f = ctx;
    *events = POLLIN;
    return chr_wait_fd(f->chr);
}

static uint64_t front_max_sleep(void *ctx)
{
    struct mon_front *f = ctx;
    return f->chr->hup ? CHR_PTY_RECHECK_NS : EV_NONE;
}

/* A client may come and resume or reset the guest. */
static unsigned front_may_wake(void *ctx)
{
    (void)ctx;
    return EV_WAKE_IRQ;
}

/* mux=on: the console hands over what is typed after C-a c. */
static void mux_input(void *ctx, const uint8_t *p, size_t n)
{
    hmp_input(ctx, (const char *)p, n);
}

static void mux_focus(void *ctx, bool monitor)
{
    struct mon_front *f = ctx;
    if (!monitor)
        return;
    if (!f->greeted)
        greet(f);               /* the first time: the greeting and the prompt */
    else
        hmp_prompt(f);
    f->greeted = true;
}

/* A line monitor on the serial port's device: no source of its own. */
static int open_mux(struct machine *m, struct mon_front *f, char *err, size_t errlen)
{
    if (f->qmp || !m->serial_chr) {
        snprintf(err, errlen, "chardev '%s': only the serial port and a line monitor can share "
                 "a device", m->opt.chr[m->opt.serial_chr].id);
        return -1;
    }
    f->mux = true;
    f->chr = m->serial_chr;
    m->console.mux_input = mux_input;
    m->console.mux_focus = mux_focus;
    m->console.mux_ctx = f;
    return 0;
}

static int open_one(struct machine *m, const struct mon_opt *mo, int k, char *err, size_t errlen)
{
    struct monitors *ms = m->monitors;
    struct mon_front *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    f->m = m;
    f->qmp = mo->qmp;
    f->s = (struct mon_session){ .m = m, .run_state = true };
    f->was_paused = m->paused;
    snprintf(f->name, sizeof f->name, "%s%d", mo->qmp ? "qmp" : "monitor", k);
    const char *id = m->opt.chr[mo->chr].id;
    if (id[0])
        snprintf(f->label, sizeof f->label, "%s", id);
    else
        snprintf(f->label, sizeof f->label, "compat_monitor%d", k);
    f->chr = &f->own_chr;
    ms->f[ms->n++] = f;
    if (mo->chr == m->opt.serial_chr)
        return open_mux(m, f, err, errlen);
    if (chr_open(f->chr, &m->opt.chr[mo->chr], f->label, err, errlen)) {
        f->chr->fd = f->chr->lfd = -1;      /* nothing to close */
        return -1;
    }
    if (f->chr->fd >= 0 && !f->chr->hup)  /* a waiting server's client, stdio */
        greet(f);
    if (ev_add(&m->events, &(struct ev_source){
            .name = f->name, .ctx = f, .service = front_service, .period_ns = EV_POLL_NS,
            .wait_fd = front_fd, .max_sleep_ns = front_max_sleep,
            .may_wake = front_may_wake, .while_stopped = true }) < 0) {
        snprintf(err, errlen, "too many event sources for %s", f->name);
        return -1;
    }
    return 0;
}

int monitors_open(struct machine *m, char *err, size_t errlen)
{
    const struct options *o = &m->opt;
    if (!o->nmon)
        return 0;
    if (!(m->monitors = calloc(1, sizeof *m->monitors))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < o->nmon; i++) {
        if (open_one(m, &o->mon[i], i, err, errlen))
            return -1;
    }
    /* -S with a monitor and no gdb or debugger: paused at reset until the
     * monitor's cont, as QEMU's (QMP clients start guests this way) */
    if (o->freeze && !o->gdb && !o->monitor_stdio && !o->debug && !o->debug_script) {
        machine_pause(m, true);
        m->opt.freeze = false;
    }
    return 0;
}

void monitors_close(struct machine *m, int status)
{
    struct monitors *ms = m->monitors;
    if (!ms)
        return;
    (void)status;
    for (int i = 0; i < ms->n; i++) {
        struct mon_front *f = ms->f[i];
        /* quit said SHUTDOWN already; the guest's own end is said here */
        if (f->qmp && f->chr->fd >= 0 && m->exit_requested && f->negotiated &&
            strcmp(m->exit_reason ? m->exit_reason : "", SESSION_QUIT_REASON))
            qmp_shutdown(f, true);
        ev_remove(&m->events, f->name);
        session_free(&f->s);
        if (f->mux)
            m->console.mux_input = NULL;    /* the serial port's device stays the machine's */
        else
            chr_close(f->chr);
        free(f);
    }
    free(ms);
    m->monitors = NULL;
}

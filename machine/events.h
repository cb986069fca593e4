/*
 * The run loop's event sources.
 *
 * The run loop knows none of its front ends. The console, the debugger, the
 * fleet control channel, the window, the gdb stub and the network back
 * ends each register a source: a service callback, how often it wants
 * it, and what may wake an idle machine for it. Between turns of the harts
 * the loop calls every source that is due; when every hart waits in wfi it
 * sleeps in one ppoll over all the sources' descriptors, bounded by the
 * guest's next timer and by each source's deadline.
 *
 *     run loop ── turn of each hart ── ev_service() ── idle? ev_sleep()
 *                                        │                    │
 *                     source.service() if due       ppoll(source fds,
 *                                                    min(timer, deadlines))
 */
#ifndef MACHINE_EVENTS_H
#define MACHINE_EVENTS_H
#include <stdbool.h>
#include <stdint.h>
#include <poll.h>

#define EV_MAX_SOURCES 16
#define EV_MAX_FDS 288              /* descriptors in one idle sleep */
#define EV_NONE (~0ull)             /* "no deadline", "no bound" */
#define EV_POLL_NS 1000000ull       /* interactive sources: every 1 ms */

struct ev_source {
    const char *name;               /* unique: ev_remove finds it by name */
    void *ctx;
    /* Between turns, at most every period_ns (0: between every two turns),
     * and at once after an idle sleep. */
    void (*service)(void *ctx);
    uint64_t period_ns;
    /* While idle: the descriptor to wake on and for what (POLLIN, POLLOUT),
     * or -1 for none right now. May be NULL. */
    int (*wait_fd)(void *ctx, short *events);
    /* While idle, several descriptors (a network back end's sockets):
     * fill at most max entries of p, return how many. May be NULL. */
    int (*wait_fds)(void *ctx, struct pollfd *p, int max);
    /* The longest idle sleep this source allows from now, for what has no
     * descriptor (a queue filled by another thread, a retry, a timeout);
     * EV_NONE for no bound. May be NULL. */
    uint64_t (*max_sleep_ns)(void *ctx);
    /* Just before an idle sleep (flush what waits to be written). May be NULL. */
    void (*before_sleep)(void *ctx);
    /* After an idle sleep: something may have arrived. May be NULL. */
    void (*woken)(void *ctx);
    /* The machine starts or stops running guest code (a window title, a
     * prompt). May be NULL. */
    void (*running)(void *ctx, bool running);
    /* What this source may still do to the guest without the guest's help
     * (EV_WAKE_*): a run that waits for nothing else is stuck otherwise
     * (machine/stuck.h). May be NULL: nothing. */
    unsigned (*may_wake)(void *ctx);
    /* Served also while the machine is stopped at the debugger's prompt
     * (ev_service_stopped): monitors and QMP on sockets answer then too. */
    bool while_stopped;
};
#define EV_WAKE_IRQ 1u              /* make a device raise an interrupt (console input) */
#define EV_WAKE_DMA 2u              /* make a device write guest memory (window input) */

struct event_loop {
    struct ev_source src[EV_MAX_SOURCES];
    uint64_t last_ns[EV_MAX_SOURCES];   /* when each was last serviced; EV_NONE: due */
    int n;
};

/* Monotonic host time in ns, the loop's clock. */
uint64_t ev_now_ns(void);
/* Register a source (copied); -1 when the table is full. */
int ev_add(struct event_loop *l, const struct ev_source *s);
/* Remove the source of that name (a front end going away). */
void ev_remove(struct event_loop *l, const char *name);
/* Call the sources that are due, in registration order. */
void ev_service(struct event_loop *l);
/* While stopped at the debugger's prompt: call the while_stopped sources,
 * and fill p (room for max) with their descriptors (as ev_sleep polls
 * them); their count. */
void ev_service_stopped(struct event_loop *l);
int ev_stopped_fds(const struct event_loop *l, struct pollfd *p, int max);
/* The longest wait at the prompt the while_stopped sources allow. */
uint64_t ev_stopped_max_sleep(const struct event_loop *l);
/* The longest idle sleep all sources allow (EV_NONE: no bound). */
uint64_t ev_max_sleep(const struct event_loop *l);
/* Sleep up to ns, or until a source's descriptor is ready or a signal
 * arrives; every source is then due at once. */
void ev_sleep(struct event_loop *l, uint64_t ns);
/* The union of what the sources may still do (EV_WAKE_*). */
unsigned ev_may_wake(const struct event_loop *l);
/* Tell every source whether the machine is now running. */
void ev_running(const struct event_loop *l, bool running);
#endif

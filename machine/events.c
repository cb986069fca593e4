/* The run loop's event sources (see events.h). */
#define _GNU_SOURCE             /* ppoll */
#include "events.h"
#include <poll.h>
#include <string.h>
#include <time.h>

uint64_t ev_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int ev_add(struct event_loop *l, const struct ev_source *s)
{
    if (l->n >= EV_MAX_SOURCES)
        return -1;
    l->src[l->n] = *s;
    l->last_ns[l->n] = EV_NONE;     /* due at once */
    return l->n++;
}

void ev_remove(struct event_loop *l, const char *name)
{
    int k = 0;
    for (int i = 0; i < l->n; i++) {
        if (!strcmp(l->src[i].name, name))
            continue;
        l->src[k] = l->src[i];
        l->last_ns[k++] = l->last_ns[i];
    }
    l->n = k;
}

void ev_service(struct event_loop *l)
{
    uint64_t t = 0;
    for (int i = 0; i < l->n; i++) {
        struct ev_source *s = &l->src[i];
        if (!s->service)
            continue;
        if (s->period_ns) {
            if (!t)
                t = ev_now_ns();
            if (l->last_ns[i] != EV_NONE && t - l->last_ns[i] < s->period_ns)
                continue;
            l->last_ns[i] = t;
        }
        s->service(s->ctx);
    }
}

void ev_service_stopped(struct event_loop *l)
{
    for (int i = 0; i < l->n; i++)
        if (l->src[i].while_stopped && l->src[i].service)
            l->src[i].service(l->src[i].ctx);
}

/* The sources' descriptors (wait_fd and wait_fds; only the while_stopped
 * sources' when stopped) into p, at most max: how many. */
static int collect_fds(const struct event_loop *l, struct pollfd *p, int max, bool stopped)
{
    int n = 0;
    for (int i = 0; i < l->n; i++) {
        const struct ev_source *s = &l->src[i];
        if (stopped && !s->while_stopped)
            continue;
        short events = POLLIN;
        int fd = s->wait_fd ? s->wait_fd(s->ctx, &events) : -1;
        if (fd >= 0 && n < max)
            p[n++] = (struct pollfd){ .fd = fd, .events = events };
        if (s->wait_fds)
            n += s->wait_fds(s->ctx, p + n, max - n);
    }
    return n;
}

int ev_stopped_fds(const struct event_loop *l, struct pollfd *p, int max)
{
    return collect_fds(l, p, max, true);
}

static uint64_t max_sleep(const struct event_loop *l, bool stopped)
{
    uint64_t ns = EV_NONE;
    for (int i = 0; i < l->n; i++) {
        const struct ev_source *s = &l->src[i];
        if (stopped && !s->while_stopped)
            continue;
        uint64_t b = s->max_sleep_ns ? s->max_sleep_ns(s->ctx) : EV_NONE;
        ns = b < ns ? b : ns;
    }
    return ns;
}

uint64_t ev_max_sleep(const struct event_loop *l)
{
    return max_sleep(l, false);
}

uint64_t ev_stopped_max_sleep(const struct event_loop *l)
{
    return max_sleep(l, true);
}

void ev_sleep(struct event_loop *l, uint64_t ns)
{
    struct pollfd p[EV_MAX_FDS];
    for (int i = 0; i < l->n; i++)
        if (l->src[i].before_sleep)
            l->src[i].before_sleep(l->src[i].ctx);
    nfds_t n = (nfds_t)collect_fds(l, p, EV_MAX_FDS, false);
    struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
    ppoll(p, n, &ts, NULL);
    for (int i = 0; i < l->n; i++) {
        l->last_ns[i] = EV_NONE;
        if (l->src[i].woken)
            l->src[i].woken(l->src[i].ctx);
    }
}

void ev_running(const struct event_loop *l, bool running)
{
    for (int i = 0; i < l->n; i++)
        if (l->src[i].running)
            l->src[i].running(l->src[i].ctx, running);
}

unsigned ev_may_wake(const struct event_loop *l)
{
    unsigned w = 0;
    for (int i = 0; i < l->n; i++)
        if (l->src[i].may_wake)
            w |= l->src[i].may_wake(l->src[i].ctx);
    return w;
}

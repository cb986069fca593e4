/*
 * -netdev user: the guest's own network through libslirp, as QEMU's user
 * networking (10.0.2.0/24: the guest gets 10.0.2.15 by DHCP, the host is
 * 10.0.2.2, the DNS relay 10.0.2.3). hostfwd= listens on the host
 * (127.0.0.1 unless an address is given) and forwards into the guest;
 * guestfwd=...-cmd: runs a command for a guest connection.
 *
 * libslirp's sockets are polled with the rest of the run loop's sources
 * (net.c), its timers (IPv6 router advertisements) run from poll.
 * Connections live in libslirp only: they do not survive a snapshot's
 * restore (the guest sees them reset).
 */
#include "net.h"
#include "events.h"
#include <slirp/libslirp.h>
#include <stdlib.h>
#include <string.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)
#define MAX_TIMERS 8

struct utimer {
    bool used;
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms;          /* -1: not armed */
};

struct user {
    Slirp *slirp;
    struct netbe *be;
    struct utimer timers[MAX_TIMERS];
    uint32_t timeout_ms;        /* what libslirp's last fill allows */
    struct pollfd *p;           /* the slice being filled */
    int n, max;
};

static int64_t now_ms(void)
{
    return (int64_t)(ev_now_ns() / 1000000);
}

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
    struct user *u = opaque;
    net_deliver(u->be, buf, len, true);
    return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
    (void)opaque;
    fprintf(stderr, "hartvm: -netdev user: guest error: %s\n", msg);
}

static int64_t clock_ns(void *opaque)
{
    (void)opaque;
    return (int64_t)ev_now_ns();
}

static void *timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    struct user *u = opaque;
    for (int i = 0; i < MAX_TIMERS; i++)
        if (!u->timers[i].used) {
            u->timers[i] = (struct utimer){ true, id, cb_opaque, -1 };
            return &u->timers[i];
        }
    return NULL;
}

static void timer_free(void *timer, void *opaque)
{
    (void)opaque;
    if (timer)
        ((struct utimer *)timer)->used = false;
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    if (timer)
        ((struct utimer *)timer)->expire_ms = expire_ms;
}

static void reg_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void notify(void *opaque) { (void)opaque; }

static const SlirpCb callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_ns,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = reg_fd,
    .unregister_poll_fd = reg_fd,
    .notify = notify,
    .timer_new_opaque = timer_new_opaque,
};

static struct in_addr in4(uint32_t host_order)
{
    return (struct in_addr){ htonl(host_order) };
}

static int add_forwards(struct user *u, const struct netdev_opt *d, char *err, size_t errlen)
{
    const typeof(d->u.user) *o = &d->u.user;
    for (int i = 0; i < o->nfwd; i++) {
        const struct hostfwd *f = &o->fwd[i];
        if (slirp_add_hostfwd(u->slirp, f->udp, in4(f->host_ip), f->host_port,
                              in4(f->guest_ip ? f->guest_ip : o->dhcp), f->guest_port) < 0)
            return ERR("-netdev user,id=%s: could not set up host forwarding rule '%s:%u-:%u' "
                       "(is port %u in use?)", d->id, f->udp ? "udp" : "tcp", f->host_port,
                       f->guest_port, f->host_port);
    }
    for (int i = 0; i < o->ngfwd; i++) {
        struct in_addr a = in4(o->gfwd[i].ip);
        if (slirp_add_exec(u->slirp, o->gfwd[i].cmd, &a, o->gfwd[i].port) < 0)
            return ERR("-netdev user,id=%s: could not set up guest forwarding to port %u",
                       d->id, o->gfwd[i].port);
    }
    return 0;
}

static int user_open(struct netbe *b, char *err, size_t errlen)
{
    const struct netdev_opt *d = b->opt;
    const typeof(d->u.user) *o = &d->u.user;
    struct user *u = calloc(1, sizeof *u);
    if (!u)
        return ERR("out of memory");
    b->priv = u;
    u->be = b;
    SlirpConfig cfg = {
        .version = 4,
        .restricted = o->restrict_,
        .in_enabled = o->ipv4,
        .vnetwork = in4(o->net),
        .vnetmask = in4(o->mask),
        .vhost = in4(o->host),
        .in6_enabled = o->ipv6,
        .vprefix_len = 64,
        .vhostname = o->hostname[0] ? o->hostname : NULL,
        .tftp_path = o->tftp[0] ? o->tftp : NULL,
        .bootfile = o->bootfile[0] ? o->bootfile : NULL,
        .vdhcp_start = in4(o->dhcp),
        .vnameserver = in4(o->dns),
        .vdomainname = o->domain[0] ? o->domain : NULL,
    };
    /* QEMU's IPv6 defaults: fec0::/64, the host ::2, DNS ::3 */
    inet_pton(AF_INET6, "fec0::", &cfg.vprefix_addr6);
    inet_pton(AF_INET6, "fec0::2", &cfg.vhost6);
    inet_pton(AF_INET6, "fec0::3", &cfg.vnameserver6);
    u->slirp = slirp_new(&cfg, &callbacks, u);
    if (!u->slirp)
        return ERR("-netdev user,id=%s: libslirp refused the configuration", d->id);
    return add_forwards(u, d, err, errlen);
}

static void user_send(struct netbe *b, const uint8_t *frame, size_t len)
{
    struct user *u = b->priv;
    slirp_input(u->slirp, frame, (int)len);
}

static int add_poll(int fd, int events, void *opaque)
{
    struct user *u = opaque;
    if (u->n >= u->max)
        return -1;                  /* libslirp skips a socket without a slot */
    short e = 0;
    if (events & SLIRP_POLL_IN) e |= POLLIN;
    if (events & SLIRP_POLL_OUT) e |= POLLOUT;
    if (events & SLIRP_POLL_PRI) e |= POLLPRI;
    u->p[u->n] = (struct pollfd){ .fd = fd, .events = e };
    return u->n++;
}

static int user_fds(struct netbe *b, struct pollfd *p, int max)
{
    struct user *u = b->priv;
    u->p = p;
    u->n = 0;
    u->max = max;
    u->timeout_ms = UINT32_MAX;
    slirp_pollfds_fill(u->slirp, &u->timeout_ms, add_poll, u);
    return u->n;
}

static int get_revents(int idx, void *opaque)
{
    struct user *u = opaque;
    if (idx < 0 || idx >= u->n)
        return 0;
    short r = u->p[idx].revents;
    return (r & POLLIN ? SLIRP_POLL_IN : 0) | (r & POLLOUT ? SLIRP_POLL_OUT : 0) |
           (r & POLLPRI ? SLIRP_POLL_PRI : 0) | (r & POLLERR ? SLIRP_POLL_ERR : 0) |
           (r & POLLHUP ? SLIRP_POLL_HUP : 0);
}

static void user_poll(struct netbe *b, const struct pollfd *p, int n)
{
    struct user *u = b->priv;
    u->p = (struct pollfd *)p;
    u->n = n;
    slirp_pollfds_poll(u->slirp, 0, get_revents, u);
    int64_t t = now_ms();
    for (int i = 0; i < MAX_TIMERS; i++) {
        struct utimer *tm = &u->timers[i];
        if (tm->used && tm->expire_ms >= 0 && tm->expire_ms <= t) {
            tm->expire_ms = -1;
            slirp_handle_timer(u->slirp, tm->id, tm->cb_opaque);
        }
    }
}

static uint64_t user_max_sleep(struct netbe *b)
{
    struct user *u = b->priv;
    uint64_t ns = u->timeout_ms == UINT32_MAX ? EV_NONE : (uint64_t)u->timeout_ms * 1000000;
    int64_t t = now_ms();
    for (int i = 0; i < MAX_TIMERS; i++) {
        const struct utimer *tm = &u->timers[i];
        if (!tm->used || tm->expire_ms < 0)
            continue;
        uint64_t d = tm->expire_ms > t ? (uint64_t)(tm->expire_ms - t) * 1000000 : 0;
        ns = d < ns ? d : ns;
    }
    return ns;
}

static void user_info(struct netbe *b, FILE *out)
{
    struct user *u = b->priv;
    const typeof(b->opt->u.user) *o = &b->opt->u.user;
    char net[16], host[16];
    struct in_addr a = in4(o->net), h = in4(o->host);
    inet_ntop(AF_INET, &a, net, sizeof net);
    inet_ntop(AF_INET, &h, host, sizeof host);
    fprintf(out, "  net %s/%d, host %s%s, libslirp %s\n", net, 32 - __builtin_ctz(o->mask), host,
            o->restrict_ ? ", restricted" : "", slirp_version_string());
    char *c = slirp_connection_info(u->slirp);
    if (c) {
        fputs(c, out);
        free(c);
    }
}

static void user_close(struct netbe *b)
{
    struct user *u = b->priv;
    if (!u)
        return;
    if (u->slirp)
        slirp_cleanup(u->slirp);
    free(u);
    b->priv = NULL;
}

const struct netbe_ops net_user_ops = {
    .open = user_open, .send = user_send, .fds = user_fds, .poll = user_poll,
    .max_sleep = user_max_sleep, .info = user_info, .close = user_close,
};

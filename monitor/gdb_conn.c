/*
 * The gdb stub's sockets (gdb_priv.h): listening on TCP or a Unix socket,
 * one client at a time, replies framed and sent (the last one kept for a
 * '-'), and the two event sources (machine/events.h) that watch the
 * listening socket and the client while the guest runs: a connection stops
 * the guest, as on QEMU; a second one is refused; 0x03 is an interrupt; a
 * hang-up lets the guest run on.
 */
#define _GNU_SOURCE
#include "gdb_priv.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- the socket ----------------------------------------------------------- */

/* Send a whole buffer; a client that went away is closed. */
void stub_send(struct gdbstub *g, const char *p, size_t n)
{
    while (n && g->cfd >= 0) {
        ssize_t w = send(g->cfd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pf = { .fd = g->cfd, .events = POLLOUT };
            if (poll(&pf, 1, 5000) <= 0) {
                stub_client_gone(g);         /* not reading for 5 s: never hang the guest on it */
                return;
            }
            continue;
        }
        if (w <= 0) {
            stub_client_gone(g);
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

void stub_reply_bin(struct gdbstub *g, const void *payload, size_t len)
{
    size_t n = gdb_frame(g->out, sizeof g->out, payload, len);
    if (!n)
        n = gdb_frame(g->out, sizeof g->out, "E01", 3);
    char *copy = realloc(g->last, n);
    if (copy) {
        memcpy(copy, g->out, n);
        g->last = copy;
        g->last_len = n;
    }
    stub_send(g, g->out, n);
}

void stub_reply(struct gdbstub *g, const char *s)
{
    stub_reply_bin(g, s, strlen(s));
}

void stub_reply_err(struct gdbstub *g, int e)
{
    char b[8];
    snprintf(b, sizeof b, "E%02x", e & 0xff);
    stub_reply(g, b);
}

/* Forget what gdb set: its breakpoints and watchpoints go, the console's stay. */
static void drop_gdb_points(struct gdbstub *g)
{
    for (int i = 0; i < NZ; i++) {
        if (!g->z[i].num)
            continue;
        brk_delete(g->d, g->z[i].num);
        if (g->z[i].num2)
            brk_delete(g->d, g->z[i].num2);
        g->z[i].num = g->z[i].num2 = 0;
    }
    brk_flush_tlbs(g->d->m);
}

void stub_client_gone(struct gdbstub *g)
{
    if (g->cfd < 0)
        return;
    close(g->cfd);
    g->cfd = -1;
    g->resumed = g->held = g->intr = false;
    g->noack = false;
    gdb_rx_init(&g->rx);
    drop_gdb_points(g);
}

/* A connection on the listening socket: the first client is taken, any
 * other while one is attached is closed at once (one debugger at a time,
 * as QEMU's chardev allows). */
bool stub_accept(struct gdbstub *g)
{
    int fd = accept4(g->lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return false;
    if (g->cfd >= 0) {
        close(fd);
        return false;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);    /* fails harmlessly on Unix sockets */
    g->cfd = fd;
    g->noack = false;
    g->gthread = g->d->cur;
    gdb_rx_init(&g->rx);
    return true;
}

/* ---- while the guest runs: event sources -------------------------------- */

void stub_request_stop(struct gdbstub *g)
{
    struct debugger *d = g->d;
    if (d->m->stop_requested)
        return;
    d->stop = STOP_USER;
    d->stop_hart = d->cur;
    snprintf(d->stop_msg, sizeof d->stop_msg, "Stopped (gdb).");
    d->m->stop_requested = true;
}

static void listen_service(void *ctx)
{
    struct gdbstub *g = ctx;
    if (stub_accept(g)) {
        g->resumed = false;     /* gdb starts by asking '?' */
        stub_request_stop(g);        /* QEMU stops the guest when gdb connects */
    }
}

static int listen_fd(void *ctx, short *events)
{
    struct gdbstub *g = ctx;
    *events = POLLIN;
    return g->lfd;
}

static void client_service(void *ctx)
{
    struct gdbstub *g = ctx;
    uint8_t buf[512];
    while (g->cfd >= 0 && !g->held) {
        ssize_t n = recv(g->cfd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {           /* hung up while running: the guest runs on */
            stub_client_gone(g);
            return;
        }
        for (ssize_t i = 0; i < n; i++) {
            enum gdb_rx_event e = gdb_rx_byte(&g->rx, buf[i]);
            if (e == GDB_RX_INTR) {
                g->intr = true;
                stub_request_stop(g);
            } else if (e == GDB_RX_PACKET && !g->held) {
                /* all-stop gdb sends nothing but 0x03 while the target runs;
                 * keep one packet for after the stop, and stop */
                g->held = true;
                if (!g->noack)
                    stub_send(g, "+", 1);
                stub_request_stop(g);
            } else if (e == GDB_RX_BADSUM && !g->noack) {
                stub_send(g, "-", 1);
            }
        }
    }
}

static int client_fd(void *ctx, short *events)
{
    struct gdbstub *g = ctx;
    *events = POLLIN;
    return g->held ? -1 : g->cfd;
}

static int listen_tcp(const char *spec, char *err, size_t errlen)
{
    /* tcp:[HOST]:PORT; an empty host is loopback (QEMU's is every address:
     * a stub that can write guest memory should not face the network
     * unless asked) */
    char host[256], port[32];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof host || strlen(colon + 1) >= sizeof port ||
        !colon[1]) {
        snprintf(err, errlen, "-gdb tcp:%s: need tcp:[HOST]:PORT", spec);
        return -1;
    }
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = 0;
    strcpy(port, colon + 1);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
    struct addrinfo *res;
    int r = getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &res);
    if (r) {
        snprintf(err, errlen, "-gdb tcp:%s: %s", spec, gai_strerror(r));
        return -1;
    }
    int fd = -1, e = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) || listen(fd, 1)) {
            e = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, errlen, "-gdb tcp:%s: cannot listen: %s", spec, strerror(e ? e : EINVAL));
    return fd;
}

static int listen_unix(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (!path[0] || strlen(path) >= sizeof a.sun_path) {
        snprintf(err, errlen, "-gdb unix:%s: need a socket path of at most %zu bytes", path,
                 sizeof a.sun_path - 1);
        return -1;
    }
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1)) {
        snprintf(err, errlen, "-gdb unix:%s: cannot listen: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int gdb_open(struct debugger *d, const char *dev, char *err, size_t errlen)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->d = d;
    g->cfd = -1;
    g->run_mask = ~0u;
    g->lfd = -1;
    gdb_rx_init(&g->rx);
    /* the device as QEMU's -gdb takes it: the chardev options that only
     * restate what a gdb socket is (server, no wait) are dropped */
    char spec[512];
    snprintf(spec, sizeof spec, "%s", dev);
    char *opts = strchr(spec, ',');
    if (opts) {
        *opts++ = 0;
        for (char *o = strtok(opts, ","); o; o = strtok(NULL, ","))
            if (strcmp(o, "server") && strcmp(o, "server=on") && strcmp(o, "nowait") &&
                strcmp(o, "wait=off") && strcmp(o, "nodelay") && strcmp(o, "nodelay=on")) {
                snprintf(err, errlen, "-gdb %s: option %s is not supported", dev, o);
                free(g);
                return -1;
            }
    }
    if (!strncmp(spec, "tcp:", 4)) {
        g->lfd = listen_tcp(spec + 4, err, errlen);
    } else if (!strncmp(spec, "unix:", 5)) {
        g->lfd = listen_unix(spec + 5, err, errlen);
        if (g->lfd >= 0)
            g->unix_path = strdup(spec + 5);
    } else {
        snprintf(err, errlen, "-gdb %s: need tcp:[HOST]:PORT or unix:PATH,server", dev);
    }
    if (g->lfd < 0 || stub_build_xml(g)) {
        if (g->lfd >= 0)
            close(g->lfd);
        free(g->unix_path);
        free(g);
        return -1;
    }
    fcntl(g->lfd, F_SETFL, fcntl(g->lfd, F_GETFL) | O_NONBLOCK);
    d->gdb = g;
    struct machine *m = d->m;
    ev_add(&m->events, &(struct ev_source){ .name = "gdb-listen", .ctx = g, .service = listen_service,
                                             .period_ns = EV_POLL_NS, .wait_fd = listen_fd });
    ev_add(&m->events, &(struct ev_source){ .name = "gdb-client", .ctx = g, .service = client_service,
                                             .period_ns = EV_POLL_NS, .wait_fd = client_fd });
    return 0;
}

const char *gdb_where(struct debugger *d, char *buf, size_t len)
{
    struct gdbstub *g = d->gdb;
    struct sockaddr_storage a;
    socklen_t alen = sizeof a;
    char host[128], port[16];
    if (!g)
        snprintf(buf, len, "nowhere");
    else if (g->unix_path)
        snprintf(buf, len, "%s", g->unix_path);
    else if (getsockname(g->lfd, (struct sockaddr *)&a, &alen) ||
             getnameinfo((struct sockaddr *)&a, alen, host, sizeof host, port, sizeof port,
                         NI_NUMERICHOST | NI_NUMERICSERV))
        snprintf(buf, len, "?");
    else
        snprintf(buf, len, "%s:%s", strcmp(host, "127.0.0.1") ? host : "", port);
    return buf;
}

void gdb_close(struct debugger *d)
{
    struct gdbstub *g = d->gdb;
    if (!g)
        return;
    ev_remove(&d->m->events, "gdb-listen");
    ev_remove(&d->m->events, "gdb-client");
    stub_client_gone(g);
    close(g->lfd);
    if (g->unix_path)
        unlink(g->unix_path);
    free(g->unix_path);
    free(g->xml);
    free(g->last);
    free(g);
    d->gdb = NULL;
}

/*
 * -netdev socket, stream and dgram: a LAN between emulators, with QEMU's
 * wire formats so hartvm and QEMU can share one.
 *
 *   stream (socket listen=/connect=, stream): each frame as a be32 length
 *          and the frame's bytes, on TCP or a UNIX stream socket. The
 *          listening side takes one peer at a time, as QEMU's.
 *   dgram  (socket mcast=/udp=, dgram): one frame per datagram, to a
 *          multicast group (every member hears every frame) or a peer.
 *
 * Everything is non-blocking: a peer that reads too slowly has frames
 * dropped once VNET's output buffer is full, never stalls the guest.
 */
#include "net.h"
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)
#define OUT_CAP (256 * 1024)            /* unsent stream bytes held */
#define IN_CAP  (VNET_MAX_FRAME + 4)

struct sock {
    int listen_fd, fd;
    bool dgram;
    struct sockaddr_storage dst;        /* dgram: where frames go */
    socklen_t dst_len;
    uint8_t in[IN_CAP];                 /* a stream's partial frame */
    size_t in_len;
    uint8_t *out;                       /* a stream's unsent bytes */
    size_t out_len;
    uint64_t connects;
};

static void nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static socklen_t make_addr(const struct net_addr *a, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->unix_path) {
        struct sockaddr_un *un = (struct sockaddr_un *)ss;
        un->sun_family = AF_UNIX;
        snprintf(un->sun_path, sizeof un->sun_path, "%s", a->path);
        return sizeof *un;
    }
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(a->ip);
    in->sin_port = htons(a->port);
    return sizeof *in;
}

static const char *addr_str(const struct net_addr *a, char *buf, size_t len)
{
    if (a->unix_path) {
        snprintf(buf, len, "%s", a->path);
    } else {
        struct in_addr ia = { htonl(a->ip) };
        char ip[16];
        inet_ntop(AF_INET, &ia, ip, sizeof ip);
        snprintf(buf, len, "%s:%u", ip, a->port);
    }
    return buf;
}

static int open_stream(struct sock *s, const struct netdev_opt *d, char *err, size_t errlen)
{
    const struct net_addr *a = &d->u.sock.addr;
    struct sockaddr_storage ss;
    socklen_t sl = make_addr(a, &ss);
    char where[160];
    addr_str(a, where, sizeof where);
    int fd = socket(a->unix_path ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ERR("-netdev %s: socket: %s", d->id, strerror(errno));
    if (d->u.sock.mode == SOCK_LISTEN) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->unix_path)
            unlink(a->path);
        if (bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 1)) {
            int e = errno;
            close(fd);
            return ERR("-netdev %s: cannot listen on %s: %s", d->id, where, strerror(e));
        }
        nonblock(fd);
        s->listen_fd = fd;
        return 0;
    }
    if (connect(fd, (struct sockaddr *)&ss, sl)) {
        int e = errno;
        close(fd);
        return ERR("-netdev %s: cannot connect to %s: %s", d->id, where, strerror(e));
    }
    nonblock(fd);
    s->fd = fd;
    s->connects++;
    return 0;
}

static int open_dgram(struct sock *s, const struct netdev_opt *d, char *err, size_t errlen)
{
    const typeof(d->u.sock) *o = &d->u.sock;
    bool mcast = o->mode == SOCK_MCAST;
    int fd = socket(o->addr.unix_path ? AF_UNIX : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return ERR("-netdev %s: socket: %s", d->id, strerror(errno));
    s->dgram = true;
    s->fd = fd;
    s->dst_len = make_addr(&o->addr, &s->dst);
    struct sockaddr_storage ss;
    socklen_t sl;
    int one = 1;
    if (mcast) {
        /* a group member: the group's port on any address, as QEMU binds it */
        struct net_addr any = { .ip = 0, .port = o->addr.port };
        sl = make_addr(&any, &ss);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    } else {
        if (o->local.unix_path)
            unlink(o->local.path);
        sl = make_addr(&o->local, &ss);
    }
    if (bind(fd, (struct sockaddr *)&ss, sl))
        return ERR("-netdev %s: cannot bind: %s", d->id, strerror(errno));
    if (mcast) {
        struct ip_mreq mr = { .imr_multiaddr.s_addr = htonl(o->addr.ip),
                              .imr_interface.s_addr = htonl(o->have_local ? o->local.ip : 0) };
        unsigned char loop = 1;
        if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr))
            return ERR("-netdev %s: cannot join the multicast group: %s", d->id, strerror(errno));
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
        if (o->have_local)
            setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr.imr_interface, sizeof mr.imr_interface);
    }
    nonblock(fd);
    return 0;
}

static int sock_open(struct netbe *b, char *err, size_t errlen)
{
    struct sock *s = calloc(1, sizeof *s);
    if (!s)
        return ERR("out of memory");
    b->priv = s;
    s->listen_fd = s->fd = -1;
    int m = b->opt->u.sock.mode;
    if (m == SOCK_LISTEN || m == SOCK_CONNECT) {
        if (!(s->out = malloc(OUT_CAP)))
            return ERR("out of memory");
        return open_stream(s, b->opt, err, errlen);
    }
    return open_dgram(s, b->opt, err, errlen);
}

static void drop_peer(struct sock *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    s->in_len = s->out_len = 0;
}

/* Write what is held; a peer gone is dropped (a listener waits for the next). */
static void flush_out(struct sock *s)
{
    while (s->out_len && s->fd >= 0) {
        ssize_t w = send(s->fd, s->out, s->out_len, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno != EAGAIN && errno != EINTR)
                drop_peer(s);
            return;
        }
        memmove(s->out, s->out + w, s->out_len - (size_t)w);
        s->out_len -= (size_t)w;
    }
}

static void sock_send(struct netbe *b, const uint8_t *frame, size_t len)
{
    struct sock *s = b->priv;
    if (s->fd < 0) {
        b->dropped++;
        return;
    }
    if (s->dgram) {
        if (sendto(s->fd, frame, len, 0, (struct sockaddr *)&s->dst, s->dst_len) < 0)
            b->dropped++;
        return;
    }
    if (s->out_len + 4 + len > OUT_CAP) {
        flush_out(s);
        if (s->out_len + 4 + len > OUT_CAP) {
            b->dropped++;
            return;
        }
    }
    uint32_t be = htonl((uint32_t)len);
    memcpy(s->out + s->out_len, &be, 4);
    memcpy(s->out + s->out_len + 4, frame, len);
    s->out_len += 4 + len;
    flush_out(s);
}

static int sock_fds(struct netbe *b, struct pollfd *p, int max)
{
    struct sock *s = b->priv;
    int n = 0;
    if (s->fd >= 0 && n < max)
        p[n++] = (struct pollfd){ .fd = s->fd, .events = POLLIN | (s->out_len ? POLLOUT : 0) };
    else if (s->listen_fd >= 0 && n < max)
        p[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
    return n;
}

/* Whole frames out of the stream buffer; a length beyond any frame means
 * the peer speaks something else: it is dropped. */
static void parse_stream(struct netbe *b, struct sock *s)
{
    size_t at = 0;
    while (s->in_len - at >= 4) {
        uint32_t len;
        memcpy(&len, s->in + at, 4);
        len = ntohl(len);
        if (len > VNET_MAX_FRAME) {
            fprintf(stderr, "hartvm: -netdev %s: a frame of %u bytes from the peer: "
                    "disconnected\n", b->opt->id, len);
            drop_peer(s);
            return;
        }
        if (s->in_len - at < 4 + len)
            break;
        net_deliver(b, s->in + at + 4, len, false);
        at += 4 + len;
    }
    memmove(s->in, s->in + at, s->in_len - at);
    s->in_len -= at;
}

static void read_stream(struct netbe *b, struct sock *s)
{
    for (int rounds = 0; rounds < 64 && s->fd >= 0; rounds++) {
        ssize_t r = recv(s->fd, s->in + s->in_len, IN_CAP - s->in_len, 0);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
            drop_peer(s);
            return;
        }
        if (r < 0)
            return;
        s->in_len += (size_t)r;
        parse_stream(b, s);
    }
}

static void read_dgram(struct netbe *b, struct sock *s)
{
    for (int rounds = 0; rounds < 64; rounds++) {
        ssize_t r = recv(s->fd, s->in, IN_CAP, 0);
        if (r < 0)
            return;
        net_deliver(b, s->in, (size_t)r, false);
    }
}

static void sock_poll(struct netbe *b, const struct pollfd *p, int n)
{
    struct sock *s = b->priv;
    if (n < 1)
        return;
    if (p[0].fd == s->listen_fd && s->fd < 0) {
        if (p[0].revents & POLLIN) {
            int fd = accept(s->listen_fd, NULL, NULL);
            if (fd >= 0) {
                nonblock(fd);
                s->fd = fd;
                s->connects++;
            }
        }
        return;
    }
    if (p[0].fd != s->fd)
        return;
    if (p[0].revents & POLLOUT)
        flush_out(s);
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        if (s->dgram)
            read_dgram(b, s);
        else
            read_stream(b, s);
    }
}

static void sock_info(struct netbe *b, FILE *out)
{
    struct sock *s = b->priv;
    const typeof(b->opt->u.sock) *o = &b->opt->u.sock;
    static const char *const mode[] = { "listening on", "connected to", "multicast group",
                                        "datagrams to" };
    char where[160];
    fprintf(out, "  %s %s%s", mode[o->mode], addr_str(&o->addr, where, sizeof where),
            o->mode == SOCK_LISTEN ? (s->fd >= 0 ? ", a peer connected" : ", no peer") : "");
    fprintf(out, ", %llu bytes waiting to be sent\n", (unsigned long long)s->out_len);
}

static void sock_close(struct netbe *b)
{
    struct sock *s = b->priv;
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    free(s->out);
    free(s);
    b->priv = NULL;
}

const struct netbe_ops net_socket_ops = {
    .open = sock_open, .send = sock_send, .fds = sock_fds, .poll = sock_poll,
    .info = sock_info, .close = sock_close,
};

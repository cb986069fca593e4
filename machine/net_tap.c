/*
 * -netdev tap,ifname=NAME,script=no,downscript=no: frames to and from a
 * host tap interface (/dev/net/tun, no packet information header). The
 * interface must exist or be creatable by us (CAP_NET_ADMIN); we run no
 * scripts, so it is configured beforehand (ip tuntap add, ip link set up).
 */
#include "net.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

struct tap {
    int fd;
    uint8_t buf[VNET_MAX_FRAME];
};

static int tap_open(struct netbe *b, char *err, size_t errlen)
{
    const char *name = b->opt->u.tap.ifname;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return ERR("-netdev tap,ifname=%s: cannot open /dev/net/tun: %s (tap needs the tun "
                   "module and access to it)", name, strerror(errno));
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr)) {
        int e = errno;
        close(fd);
        return ERR("-netdev tap,ifname=%s: could not configure the tap interface: %s%s", name,
                   strerror(e), e == EPERM ? " (needs CAP_NET_ADMIN, or an interface made for "
                   "this user with ip tuntap add ... user NAME)" : "");
    }
    struct tap *t = malloc(sizeof *t);
    if (!t) {
        close(fd);
        return ERR("out of memory");
    }
    t->fd = fd;
    b->priv = t;
    return 0;
}

static void tap_send(struct netbe *b, const uint8_t *frame, size_t len)
{
    struct tap *t = b->priv;
    if (write(t->fd, frame, len) < 0)
        b->dropped++;
}

static int tap_fds(struct netbe *b, struct pollfd *p, int max)
{
    struct tap *t = b->priv;
    if (max < 1)
        return 0;
    p[0] = (struct pollfd){ .fd = t->fd, .events = POLLIN };
    return 1;
}

static void tap_poll(struct netbe *b, const struct pollfd *p, int n)
{
    struct tap *t = b->priv;
    if (n < 1 || !(p[0].revents & POLLIN))
        return;
    for (int rounds = 0; rounds < 64; rounds++) {
        ssize_t r = read(t->fd, t->buf, sizeof t->buf);
        if (r <= 0)
            return;
        net_deliver(b, t->buf, (size_t)r, false);
    }
}

static void tap_info(struct netbe *b, FILE *out)
{
    fprintf(out, "  ifname=%s\n", b->opt->u.tap.ifname);
}

static void tap_close(struct netbe *b)
{
    struct tap *t = b->priv;
    if (t) {
        close(t->fd);
        free(t);
    }
    b->priv = NULL;
}

const struct netbe_ops net_tap_ops = {
    .open = tap_open, .send = tap_send, .fds = tap_fds, .poll = tap_poll,
    .info = tap_info, .close = tap_close,
};

/*
 * The network of one machine: its NICs (virtio-net, virtio_net.h) and
 * the back end each is wired to (-netdev, net_opts.h), one to one as
 * QEMU's -netdev/-device pairs are:
 *
 *   guest ── virtio-net ──tx──> net_transmit ──> back end ──> host / LAN
 *                       <──rx── net_deliver  <── back end <──
 *                                   │
 *                          -object filter-dump (pcap)
 *
 * The back ends are non-blocking: the run loop's "net" event source polls
 * their descriptors between turns and sleeps on them when the guest is
 * idle (events.h), so a frame arriving wakes the machine, and a frame the
 * guest has no buffer for is dropped (virtio_net.h), never waited for.
 */
#ifndef MACHINE_NET_H
#define MACHINE_NET_H
#include "net_opts.h"
#include "dev/virtio_net.h"
#include <poll.h>
#include <stdio.h>

struct netbe;
struct netbe_ops {
    /* Open the host side: 0, or -1 with a message. */
    int (*open)(struct netbe *b, char *err, size_t errlen);
    /* A frame from the guest (never blocks; may drop and count). */
    void (*send)(struct netbe *b, const uint8_t *frame, size_t len);
    /* The descriptors to poll, into p (at most max): how many. */
    int (*fds)(struct netbe *b, struct pollfd *p, int max);
    /* The same entries with their revents: read, accept, time out. */
    void (*poll)(struct netbe *b, const struct pollfd *p, int n);
    /* ns until the back end has something to do without a descriptor
     * (libslirp's timers), EV_NONE for never. May be NULL. */
    uint64_t (*max_sleep)(struct netbe *b);
    /* One line or more about the host side for `info network`. */
    void (*info)(struct netbe *b, FILE *out);
    void (*close)(struct netbe *b);
};

struct pcap_out;
struct netbe {
    const struct netbe_ops *ops;
    const struct netdev_opt *opt;
    struct vnet *nic;               /* its NIC, or NULL (a netdev without a peer) */
    struct pcap_out *dump[NET_MAX_DUMPS];
    int ndumps;
    uint64_t to_guest, from_guest, dropped;     /* frames */
    void *priv;
    int pfd_at, pfd_n;              /* its slice of the poll set */
};

#define NET_MAX_POLL 256

struct netsys {
    struct netbe be[NET_MAX_NETDEVS];
    int nbe;
    struct vnet *nic[NET_MAX_NICS];
    int nic_slot[NET_MAX_NICS];
    struct netbe *nic_be[NET_MAX_NICS];
    int nnics;
    struct pollfd pfd[NET_MAX_POLL];
};

/* Back ends hand a frame for the guest here (checked: its checksums are
 * known good, libslirp's). */
void net_deliver(struct netbe *b, const uint8_t *frame, size_t len, bool checked);

extern const struct netbe_ops net_user_ops, net_socket_ops, net_tap_ops;

struct machine;
/* Open the back ends, put the NICs in virtio-mmio slots and register the
 * "net" event source (machine_init, after the disks). 0, or -1. */
int net_attach(struct machine *m, char *err, size_t errlen);
void net_free(struct machine *m);
/* The link of the NIC on netdev id up or down: 0, or -1 when none. */
int net_set_link(struct machine *m, const char *id, bool up);
/* `info network`: back ends, NICs, queues and counters. */
void net_info(struct machine *m, FILE *out);

/* pcap files (net_pcap.c): link type Ethernet, frames cut at maxlen. */
struct pcap_out *pcap_open(const char *path, uint32_t maxlen, char *err, size_t errlen);
void pcap_write(struct pcap_out *p, const uint8_t *frame, size_t len);
void pcap_close(struct pcap_out *p);
#endif

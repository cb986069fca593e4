/* The machine's NICs and back ends, and their event source (see net.h). */
#include "net.h"
#include "machine.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

/* A frame passing between the NIC and its back end, to each filter-dump. */
static void dump(struct netbe *b, const uint8_t *frame, size_t len)
{
    for (int i = 0; i < b->ndumps; i++)
        pcap_write(b->dump[i], frame, len);
}

void net_deliver(struct netbe *b, const uint8_t *frame, size_t len, bool checked)
{
    dump(b, frame, len);
    if (b->nic && vnet_receive(b->nic, frame, len, checked))
        b->to_guest++;
    else
        b->dropped++;
}

/* The NIC's transmit hook. */
static void net_transmit(void *ctx, const uint8_t *frame, size_t len)
{
    struct netbe *b = ctx;
    dump(b, frame, len);
    b->from_guest++;
    b->ops->send(b, frame, len);
}

/* ---- the event source ----------------------------------------------------- */

/* Fill the poll set: each back end's slice; the total. */
static int fill(struct netsys *ns, struct pollfd *p, int max)
{
    int n = 0;
    for (int i = 0; i < ns->nbe; i++) {
        struct netbe *b = &ns->be[i];
        b->pfd_at = n;
        b->pfd_n = b->ops->fds(b, p + n, max - n);
        n += b->pfd_n;
    }
    return n;
}

/* Between turns (and at once after an idle sleep): what is ready now. */
static void net_service(void *ctx)
{
    struct netsys *ns = ctx;
    int n = fill(ns, ns->pfd, NET_MAX_POLL);
    if (n)
        poll(ns->pfd, (nfds_t)n, 0);
    for (int i = 0; i < ns->nbe; i++) {
        struct netbe *b = &ns->be[i];
        b->ops->poll(b, ns->pfd + b->pfd_at, b->pfd_n);
    }
}

static int net_wait_fds(void *ctx, struct pollfd *p, int max)
{
    return fill(ctx, p, max);
}

static uint64_t net_max_sleep(void *ctx)
{
    struct netsys *ns = ctx;
    uint64_t ns_min = EV_NONE;
    for (int i = 0; i < ns->nbe; i++) {
        struct netbe *b = &ns->be[i];
        uint64_t t = b->ops->max_sleep ? b->ops->max_sleep(b) : EV_NONE;
        ns_min = t < ns_min ? t : ns_min;
    }
    return ns_min;
}

/* A frame can arrive at any time: the NIC may interrupt and write RAM. */
static unsigned net_may_wake(void *ctx)
{
    (void)ctx;
    return EV_WAKE_IRQ | EV_WAKE_DMA;
}

/* ---- set-up ------------------------------------------------------------------ */

static const struct netbe_ops *ops_of(enum netdev_type t)
{
    switch (t) {
    case NETDEV_USER: return &net_user_ops;
    case NETDEV_TAP: return &net_tap_ops;
    default: return &net_socket_ops;
    }
}

/* Each -object filter-dump names a -netdev. */
static int check_dumps(const struct net_opts *o, char *err, size_t errlen)
{
    for (int i = 0; i < o->ndumps; i++)
        if (net_find_netdev(o, o->dump[i].netdev) < 0)
            return ERR("-object filter-dump: netdev=%s: no -netdev with that id", o->dump[i].netdev);
    return 0;
}

static int open_backends(struct machine *m, struct netsys *ns, char *err, size_t errlen)
{
    struct net_opts *o = &m->opt.net;
    if (check_dumps(o, err, errlen))
        return -1;
    for (int k = 0; k < o->nnetdevs; k++) {
        struct netbe *b = &ns->be[ns->nbe];
        b->opt = &o->netdev[k];
        b->ops = ops_of(b->opt->type);
        for (int i = 0; i < o->ndumps; i++) {
            if (strcmp(o->dump[i].netdev, b->opt->id))
                continue;
            if (!(b->dump[b->ndumps] = pcap_open(o->dump[i].file, o->dump[i].maxlen, err, errlen)))
                return -1;
            b->ndumps++;
        }
        ns->nbe++;                      /* closed by net_free even if open fails */
        if (b->ops->open(b, err, errlen))
            return -1;
    }
    return 0;
}

static int free_slot(struct machine *m, int want, char *err, size_t errlen)
{
    if (want >= 0) {
        if (m->vslot[want].vdev)
            return ERR("-device virtio-net-device: virtio-mmio-bus.%d is already in use", want);
        return want;
    }
    for (int s = VIRTIO_SLOTS - 1; s >= 0; s--)
        if (!m->vslot[s].vdev)
            return s;
    return ERR("-device virtio-net-device: no free virtio-mmio slot");
}

/* NICs in the order given, each in the highest free slot (after the
 * disks) unless bus= names one; MACs from 52:54:00:12:34:56 up, as QEMU. */
static int attach_nics(struct machine *m, struct netsys *ns, char *err, size_t errlen)
{
    struct net_opts *o = &m->opt.net;
    int dflt = 0;
    for (int i = 0; i < o->nnics; i++) {
        const struct nic_opt *c = &o->nic[i];
        int s = free_slot(m, c->slot, err, errlen);
        if (s < 0)
            return -1;
        struct vnet *n = calloc(1, sizeof *n);
        if (!n)
            return ERR("out of memory for a NIC");
        ns->nic[ns->nnics] = n;
        ns->nic_slot[ns->nnics] = s;
        uint8_t mac[6];
        if (c->mac_given)
            memcpy(mac, c->mac, 6);
        else
            net_default_mac(dflt++, mac);
        struct vslot *slot = &m->vslot[s];
        vnet_init(n, mac, slot->dma, slot->legacy, irq_line_drive, &slot->irq);
        for (int k = 0; k < ns->nbe; k++)
            if (!strcmp(ns->be[k].opt->id, c->netdev)) {
                ns->be[k].nic = n;
                ns->nic_be[ns->nnics] = &ns->be[k];
                n->tx = net_transmit;
                n->tx_ctx = &ns->be[k];
            }
        vslot_attach(slot, &n->vdev);
        ns->nnics++;
    }
    return 0;
}

int net_attach(struct machine *m, char *err, size_t errlen)
{
    struct net_opts *o = &m->opt.net;
    if (!o->nnetdevs && !o->nnics && !o->ndumps)
        return 0;
    if (net_check(o, false, err, errlen))
        return -1;
    struct netsys *ns = calloc(1, sizeof *ns);
    if (!ns)
        return ERR("out of memory for the network");
    m->net = ns;
    if (m->opt.dump_dtb)                /* the tree only: slots, no sockets */
        return attach_nics(m, ns, err, errlen);
    if (open_backends(m, ns, err, errlen) || attach_nics(m, ns, err, errlen))
        return -1;
    if (ev_add(&m->events, &(struct ev_source){
            .name = "net", .ctx = ns, .service = net_service, .period_ns = EV_POLL_NS / 4,
            .wait_fds = net_wait_fds, .max_sleep_ns = net_max_sleep, .may_wake = net_may_wake }) < 0)
        return ERR("no room for the network's event source");
    return 0;
}

void net_free(struct machine *m)
{
    struct netsys *ns = m->net;
    if (!ns)
        return;
    ev_remove(&m->events, "net");
    for (int i = 0; i < ns->nbe; i++) {
        struct netbe *b = &ns->be[i];
        if (b->ops->close)
            b->ops->close(b);
        for (int k = 0; k < b->ndumps; k++)
            pcap_close(b->dump[k]);
    }
    for (int i = 0; i < ns->nnics; i++)
        free(ns->nic[i]);
    free(ns);
    m->net = NULL;
}

int net_set_link(struct machine *m, const char *id, bool up)
{
    struct netsys *ns = m->net;
    for (int i = 0; ns && i < ns->nbe; i++)
        if (!strcmp(ns->be[i].opt->id, id) && ns->be[i].nic) {
            vnet_set_link(ns->be[i].nic, up);
            return 0;
        }
    return -1;
}

void net_info(struct machine *m, FILE *out)
{
    struct netsys *ns = m->net;
    if (!ns || (!ns->nbe && !ns->nnics)) {
        fprintf(out, "no network devices\n");
        return;
    }
    for (int i = 0; i < ns->nnics; i++) {
        struct vnet *n = ns->nic[i];
        struct netbe *b = ns->nic_be[i];
        const struct virtio_dev *v = &n->vdev;
        fprintf(out, "virtio-net-device (virtio-mmio-bus.%d, %s): macaddr=%02x:%02x:%02x:%02x:%02x:%02x"
                " link=%s driver=%s%s\n", ns->nic_slot[i], v->legacy ? "legacy" : "modern",
                n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5],
                n->link_up ? "up" : "down", vnet_ready(n) ? "running" : "not ready",
                n->rx_mode[VNET_RX_PROMISC] ? " promisc" : "");
        static const char *const qn[] = { "rx", "tx", "ctrl" };
        for (int q = 0; q < 3; q++)
            fprintf(out, "  %s queue: size %u%s, next avail %u\n", qn[q], v->vq[q].num,
                    v->vq[q].ready ? "" : " (not set up)", v->vq[q].last_avail);
        fprintf(out, "  rx: %" PRIu64 " frames %" PRIu64 " bytes, %" PRIu64 " dropped, %" PRIu64
                " filtered; tx: %" PRIu64 " frames %" PRIu64 " bytes, %" PRIu64 " errors\n",
                n->st.rx_frames, n->st.rx_bytes, n->st.rx_dropped, n->st.rx_filtered,
                n->st.tx_frames, n->st.tx_bytes, n->st.tx_errors);
        fprintf(out, "  \\ %s: %s\n", b ? b->opt->id : "-", b ? net_type_name(b->opt->type) : "no peer");
    }
    for (int i = 0; i < ns->nbe; i++) {
        struct netbe *b = &ns->be[i];
        fprintf(out, "netdev %s (%s): %" PRIu64 " frames to the guest, %" PRIu64 " from it, %"
                PRIu64 " dropped%s\n", b->opt->id, net_type_name(b->opt->type), b->to_guest,
                b->from_guest, b->dropped, b->nic ? "" : " (no NIC)");
        if (b->ops->info)
            b->ops->info(b, out);
    }
}

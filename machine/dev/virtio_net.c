/*
 * virtio-net device model (see virtio_net.h for the queues, the header and
 * the configuration space). Chains are read through the transport's
 * checked accessors: a malformed ring marks the device as needing a reset
 * (virtio/virtio.c), a malformed frame or command is dropped or refused.
 */
#include "virtio_net.h"
#include "../state.h"
#include <string.h>

enum { RXQ = 0, TXQ = 1, CTRLQ = 2 };
/* feature bits (§5.1.3) */
enum {
    F_CSUM = 0, F_GUEST_CSUM = 1, F_MAC = 5, F_MRG_RXBUF = 15, F_STATUS = 16, F_CTRL_VQ = 17,
    F_CTRL_RX = 18, F_CTRL_RX_EXTRA = 20, F_CTRL_MAC_ADDR = 23,
};
enum { HDR_F_NEEDS_CSUM = 1, HDR_F_DATA_VALID = 2 };
enum { GSO_NONE = 0 };
enum { S_LINK_UP = 1 };
/* control classes and commands (§5.1.6.5) */
enum { CTRL_RX = 0, CTRL_MAC = 1 };
enum { MAC_TABLE_SET = 0, MAC_ADDR_SET = 1 };
enum { CTRL_OK = 0, CTRL_ERR = 1 };

struct net_hdr {
    uint8_t flags, gso_type;
    uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};

static uint64_t net_features(struct virtio_dev *v)
{
    (void)v;
    return 1ull << F_CSUM | 1ull << F_GUEST_CSUM | 1ull << F_MAC | 1ull << F_MRG_RXBUF |
           1ull << F_STATUS | 1ull << F_CTRL_VQ | 1ull << F_CTRL_RX | 1ull << F_CTRL_RX_EXTRA |
           1ull << F_CTRL_MAC_ADDR;
}

/* §5.1.3.1: the control features need the control queue. */
static bool net_features_ok(struct virtio_dev *v, uint64_t f)
{
    (void)v;
    uint64_t needs_vq = 1ull << F_CTRL_RX | 1ull << F_CTRL_RX_EXTRA | 1ull << F_CTRL_MAC_ADDR;
    return !(f & needs_vq) || (f & 1ull << F_CTRL_VQ);
}

static size_t hdr_size(const struct virtio_dev *v)
{
    return virtio_has_feature(v, VIRTIO_F_VERSION_1) || virtio_has_feature(v, F_MRG_RXBUF) ? 12 : 10;
}

static uint64_t net_config_read(struct virtio_dev *v, uint64_t off, unsigned size)
{
    struct vnet *n = v->priv;
    uint8_t cfg[8];
    memcpy(cfg, n->mac, 6);
    cfg[6] = n->link_up ? S_LINK_UP : 0;
    cfg[7] = 0;
    uint64_t val = 0;
    if (off < sizeof cfg && size <= sizeof cfg - off)
        memcpy(&val, cfg + off, size);
    return val;
}

/* The MAC is writable through the configuration space for drivers without
 * CTRL_MAC_ADDR (§5.1.4.2, legacy interface); the rest is read-only. */
static void net_config_write(struct virtio_dev *v, uint64_t off, unsigned size, uint64_t val)
{
    struct vnet *n = v->priv;
    if (virtio_has_feature(v, F_CTRL_MAC_ADDR) && virtio_has_feature(v, VIRTIO_F_VERSION_1))
        return;
    for (unsigned i = 0; i < size && off + i < 6; i++)
        n->mac[off + i] = (uint8_t)(val >> (8 * i));
}

bool vnet_ready(const struct vnet *n)
{
    return virtio_running(&n->vdev);
}

/* ---- transmit ------------------------------------------------------------ */

/* One's complement sum of p[0..len) (RFC 1071), big-endian words. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    for (; len > 1; p += 2, len -= 2)
        sum += (uint32_t)p[0] << 8 | p[1];
    if (len)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

/* NEEDS_CSUM (§5.1.6.2): the driver left the checksum of [csum_start, end)
 * to us, the pseudo-header's sum already at csum_start + csum_offset. */
static int fill_csum(uint8_t *f, size_t len, const struct net_hdr *h)
{
    size_t at = (size_t)h->csum_start + h->csum_offset;
    if (h->csum_start >= len || at + 2 > len)
        return -1;
    uint32_t sum = csum_add(0, f + h->csum_start, len - h->csum_start);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    uint16_t c = (uint16_t)~sum;
    f[at] = (uint8_t)(c >> 8);
    f[at + 1] = (uint8_t)c;
    return 0;
}

/* A frame the driver handed over: header checked, checksum filled, sent. */
static void tx_one(struct vnet *n)
{
    struct virtio_dev *v = &n->vdev;
    size_t hs = hdr_size(v);
    struct net_hdr h = { 0 };
    uint64_t out = v->chain.out_len;
    if (out < hs || out - hs > VNET_MAX_FRAME || vchain_read(v, 0, &h, hs) ||
        h.gso_type != GSO_NONE) {
        n->st.tx_errors++;
        return;
    }
    size_t len = out - hs;
    if (vchain_read(v, hs, n->frame, len) ||
        ((h.flags & HDR_F_NEEDS_CSUM) && (!virtio_has_feature(v, F_CSUM) || fill_csum(n->frame, len, &h)))) {
        n->st.tx_errors++;
        return;
    }
    n->st.tx_frames++;
    n->st.tx_bytes += len;
    if (n->tx)
        n->tx(n->tx_ctx, n->frame, len);
}

static void tx_notify(struct vnet *n)
{
    struct virtio_dev *v = &n->vdev;
    /* a ring's worth per notify: a driver that keeps refilling it cannot
     * hold the emulator here */
    for (int budget = VNET_QUEUE_SIZE; budget > 0 && virtq_pop(v, TXQ) > 0; budget--) {
        /* the back end may answer at once (libslirp's ARP, DHCP): the
         * receive path then reuses the chain scratch */
        uint16_t head = v->chain.head;
        tx_one(n);
        virtq_push(v, TXQ, head, 0);
    }
}

/* ---- control queue --------------------------------------------------------- */

/* VIRTIO_NET_CTRL_MAC_TABLE_SET: le32 n, n MACs (unicast), le32 m, m MACs
 * (multicast), nothing more. More than the tables hold: that kind of
 * address is then all accepted, as QEMU's overflow does. */
static int mac_table_set(struct vnet *n, uint64_t len)
{
    struct virtio_dev *v = &n->vdev;
    uint32_t cnt[2];
    uint64_t off = 2;
    for (int t = 0; t < 2; t++) {
        if (off + 4 > len || vchain_read(v, off, &cnt[t], 4))
            return CTRL_ERR;
        off += 4;
        uint64_t bytes = 6ull * cnt[t];
        if (bytes > len - off)
            return CTRL_ERR;
        bool over = cnt[t] > VNET_MAC_TABLE;
        if (!over && vchain_read(v, off, t ? n->multi : n->uni, bytes))
            return CTRL_ERR;
        if (t) { n->n_multi = over ? 0 : cnt[t]; n->multi_overflow = over; }
        else   { n->n_uni = over ? 0 : cnt[t]; n->uni_overflow = over; }
        off += bytes;
    }
    return off == len ? CTRL_OK : CTRL_ERR;
}

static int ctrl_command(struct vnet *n, uint8_t cls, uint8_t cmd, uint64_t len)
{
    struct virtio_dev *v = &n->vdev;
    if (cls == CTRL_RX && virtio_has_feature(v, F_CTRL_RX)) {
        uint8_t on;
        if (cmd >= VNET_RX_MODES ||
            (cmd > VNET_RX_ALLMULTI && !virtio_has_feature(v, F_CTRL_RX_EXTRA)) ||
            len != 3 || vchain_read(v, 2, &on, 1))
            return CTRL_ERR;
        n->rx_mode[cmd] = on != 0;
        return CTRL_OK;
    }
    if (cls == CTRL_MAC && cmd == MAC_TABLE_SET && virtio_has_feature(v, F_CTRL_RX))
        return mac_table_set(n, len);
    if (cls == CTRL_MAC && cmd == MAC_ADDR_SET && virtio_has_feature(v, F_CTRL_MAC_ADDR)) {
        uint8_t mac[6];
        if (len != 8 || vchain_read(v, 2, mac, 6))
            return CTRL_ERR;
        memcpy(n->mac, mac, 6);
        return CTRL_OK;
    }
    return CTRL_ERR;
}

/* A command is readable {u8 class, u8 command, data}, then a writable ack. */
static void ctrl_notify(struct vnet *n)
{
    struct virtio_dev *v = &n->vdev;
    for (int budget = VNET_QUEUE_SIZE; budget > 0 && virtq_pop(v, CTRLQ) > 0; budget--) {
        struct vchain *c = &v->chain;
        uint8_t hdr[2], ack = CTRL_ERR;
        if (c->in_len < 1) {                /* nowhere to put the ack */
            virtio_needs_reset(v);
            return;
        }
        if (c->out_len >= 2 && !vchain_read(v, 0, hdr, 2))
            ack = (uint8_t)ctrl_command(n, hdr[0], hdr[1], c->out_len);
        if (vchain_write(v, c->in_len - 1, &ack, 1)) {
            virtio_needs_reset(v);
            return;
        }
        virtq_push(v, CTRLQ, c->head, 1);
    }
}

static void net_notify(struct virtio_dev *v, int q)
{
    struct vnet *n = v->priv;
    if (q == TXQ)
        tx_notify(n);
    else if (q == CTRLQ)
        ctrl_notify(n);
    /* RXQ: new buffers; the back end's next frame finds them */
}

/* ---- receive ---------------------------------------------------------------- */

static bool in_table(const uint8_t (*t)[6], uint32_t cnt, const uint8_t *mac)
{
    for (uint32_t i = 0; i < cnt; i++)
        if (!memcmp(t[i], mac, 6))
            return true;
    return false;
}

/* The receive filter as the control queue set it (§5.1.6.5.1, .5.2). */
static bool rx_wanted(const struct vnet *n, const uint8_t *dst)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    const bool *m = n->rx_mode;
    if (m[VNET_RX_PROMISC])
        return true;
    if (!memcmp(dst, bcast, 6))
        return !m[VNET_RX_NOBCAST];
    if (dst[0] & 1)
        return !m[VNET_RX_NOMULTI] &&
               (m[VNET_RX_ALLMULTI] || n->multi_overflow || in_table(n->multi, n->n_multi, dst));
    if (m[VNET_RX_NOUNI])
        return false;
    return m[VNET_RX_ALLUNI] || n->uni_overflow || !memcmp(dst, n->mac, 6) ||
           in_table(n->uni, n->n_uni, dst);
}

bool vnet_can_receive(struct vnet *n)
{
    return virtq_has_avail(&n->vdev, RXQ);
}

/* Give back chains popped for a frame that could not be completed. */
static int rx_abandon(struct vnet *n, int popped)
{
    n->vdev.vq[RXQ].last_avail -= (uint16_t)popped;
    n->st.rx_dropped++;
    return 0;
}

/* A posted buffer outside guest RAM: the ring is unusable as it stands. */
static int rx_broken(struct vnet *n)
{
    virtio_needs_reset(&n->vdev);
    n->st.rx_dropped++;
    return 0;
}

/* How many chains a frame of total bytes (header included) takes: one
 * without MRG_RXBUF, as many as it fills with it; 0 (dropped) when the
 * driver has not posted enough room. The chains are left unconsumed. */
static int rx_count(struct vnet *n, uint64_t total, size_t hs, bool merge)
{
    struct virtio_dev *v = &n->vdev;
    uint64_t room = 0;
    int k = 0;
    while (room < total) {
        if (k == VNET_QUEUE_SIZE || (k && !merge))
            return rx_abandon(n, k);
        int r = virtq_pop(v, RXQ);
        if (r < 0)
            return 0;                       /* a broken ring: the device needs a reset */
        if (r == 0 || (k == 0 && v->chain.in_len < hs))
            return rx_abandon(n, k + r);
        room += v->chain.in_len;
        k++;
    }
    v->vq[RXQ].last_avail -= (uint16_t)k;
    return k;
}

int vnet_receive(struct vnet *n, const uint8_t *frame, size_t len, bool checked)
{
    struct virtio_dev *v = &n->vdev;
    if (!vnet_ready(n) || !n->link_up || len < 14 || len > VNET_MAX_FRAME) {
        n->st.rx_dropped++;
        return 0;
    }
    if (!rx_wanted(n, frame)) {
        n->st.rx_filtered++;
        return 0;
    }
    size_t hs = hdr_size(v), total = hs + len, done = 0;
    /* Count the chains first, so num_buffers is known when the header is
     * written; the hart does not run in between, the ring cannot change. */
    int k = rx_count(n, total, hs, virtio_has_feature(v, F_MRG_RXBUF));
    if (k == 0)
        return 0;
    struct net_hdr h = { .num_buffers = (uint16_t)k };
    if (checked && virtio_has_feature(v, F_GUEST_CSUM))
        h.flags = HDR_F_DATA_VALID;
    for (int i = 0; i < k; i++) {
        if (virtq_pop(v, RXQ) <= 0)
            return 0;
        uint64_t put = 0;
        if (i == 0) {
            if (vchain_write(v, 0, &h, hs))
                return rx_broken(n);
            put = done = hs;
        }
        uint64_t room = v->chain.in_len - put;
        uint64_t chunk = room < total - done ? room : total - done;
        if (vchain_write(v, put, frame + (done - hs), chunk))
            return rx_broken(n);
        n->rx_heads[i] = v->chain.head;
        n->rx_lens[i] = (uint32_t)(put + chunk);
        done += chunk;
    }
    for (int i = 0; i < k; i++)
        virtq_push(v, RXQ, n->rx_heads[i], n->rx_lens[i]);
    n->st.rx_frames++;
    n->st.rx_bytes += len;
    return 1;
}

void vnet_set_link(struct vnet *n, bool up)
{
    if (n->link_up == up)
        return;
    n->link_up = up;
    struct virtio_dev *v = &n->vdev;
    if (virtio_has_feature(v, F_STATUS) && (v->status & VIRTIO_STATUS_DRIVER_OK)) {
        v->config_generation++;
        virtio_config_changed(v);
    }
}

/* ---- life cycle ---------------------------------------------------------------- */

static void net_reset(struct virtio_dev *v)
{
    struct vnet *n = v->priv;
    memcpy(n->mac, n->conf_mac, 6);
    memset(n->rx_mode, 0, sizeof n->rx_mode);
    n->rx_mode[VNET_RX_PROMISC] = true;
    n->uni_overflow = n->multi_overflow = false;
    n->n_uni = n->n_multi = 0;
}

/* The address, link, receive mode, filter tables and counters. */
static void net_save(const struct virtio_dev *v, struct state_out *o)
{
    const struct vnet *n = v->priv;
    state_put_bytes(o, n->mac, 6);
    state_put_u8(o, n->link_up);
    for (int i = 0; i < VNET_RX_MODES; i++)
        state_put_u8(o, n->rx_mode[i]);
    state_put_u8(o, n->uni_overflow);
    state_put_u8(o, n->multi_overflow);
    state_put_u32(o, n->n_uni);
    state_put_bytes(o, n->uni, 6 * n->n_uni);
    state_put_u32(o, n->n_multi);
    state_put_bytes(o, n->multi, 6 * n->n_multi);
    const uint64_t *s = &n->st.rx_frames;
    for (size_t i = 0; i < sizeof n->st / 8; i++)
        state_put_u64(o, s[i]);
}

static int net_restore(struct virtio_dev *v, struct state_in *in)
{
    struct vnet *n = v->priv;
    state_get_bytes(in, n->mac, 6);
    n->link_up = state_get_bool(in);
    for (int i = 0; i < VNET_RX_MODES; i++)
        n->rx_mode[i] = state_get_bool(in);
    n->uni_overflow = state_get_bool(in);
    n->multi_overflow = state_get_bool(in);
    n->n_uni = state_get_u32(in);
    if (n->n_uni > VNET_MAC_TABLE)
        return state_reject(in, "unicast MAC table too long");
    state_get_bytes(in, n->uni, 6 * n->n_uni);
    n->n_multi = state_get_u32(in);
    if (n->n_multi > VNET_MAC_TABLE)
        return state_reject(in, "multicast MAC table too long");
    state_get_bytes(in, n->multi, 6 * n->n_multi);
    uint64_t *s = &n->st.rx_frames;
    for (size_t i = 0; i < sizeof n->st / 8; i++)
        s[i] = state_get_u64(in);
    return 0;
}

static const struct virtio_dev_ops net_ops = {
    .device_id = VIRTIO_ID_NET,
    .nqueues = 3,
    .queue_num_max = VNET_QUEUE_SIZE,
    .features = net_features,
    .features_ok = net_features_ok,
    .config_read = net_config_read,
    .config_write = net_config_write,
    .notify = net_notify,
    .reset = net_reset,
    .save = net_save,
    .restore = net_restore,
};

void vnet_init(struct vnet *n, const uint8_t mac[6], struct bus *bus, bool legacy,
               void (*set_irq)(void *, bool), void *irq_ctx)
{
    memset(n, 0, sizeof *n);
    memcpy(n->conf_mac, mac, 6);
    n->link_up = true;
    virtio_init(&n->vdev, &net_ops, n, bus, legacy, set_irq, irq_ctx);
}

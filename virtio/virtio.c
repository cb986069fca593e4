/*
 * The device side of virtio (virtio 1.2): a device's state, its feature
 * set and the split virtqueue rings (§2.7), read with full checking: a
 * malformed ring never crashes or hangs hartvm, it marks the device as
 * needing a reset (§2.1.2). Transports (machine/dev/virtio_mmio.c) call
 * into it; it knows none of them.
 */
#include "virtio.h"
#include "../mmu/bus.h"
#include <string.h>

#define VRING_DESC_F_NEXT     1
#define VRING_DESC_F_WRITE    2
#define VRING_DESC_F_INDIRECT 4
#define VRING_AVAIL_F_NO_INTERRUPT 1

void virtio_init(struct virtio_dev *v, const struct virtio_dev_ops *ops, void *priv,
                 struct bus *bus, bool legacy, void (*set_irq)(void *, bool), void *irq_ctx)
{
    memset(v, 0, sizeof *v);
    v->ops = ops;
    v->priv = priv;
    v->bus = bus;
    v->legacy = legacy;
    v->set_irq = set_irq;
    v->irq_ctx = irq_ctx;
    virtio_reset(v);
}

void virtio_update_irq(struct virtio_dev *v)
{
    if (v->set_irq)
        v->set_irq(v->irq_ctx, v->interrupt_status != 0);
}

void virtio_reset(struct virtio_dev *v)
{
    v->status = v->dev_features_sel = v->drv_features_sel = v->queue_sel = 0;
    v->driver_features = 0;
    v->guest_page_size = 4096;
    v->queue_align = 4096;
    v->interrupt_status = 0;
    for (int i = 0; i < VIRTIO_MAX_QUEUES; i++)
        v->vq[i] = (struct virtq){ .num_max = i < v->ops->nqueues ? v->ops->queue_num_max : 0 };
    if (v->ops->reset)
        v->ops->reset(v);
    virtio_update_irq(v);
}

uint64_t virtio_offered_features(struct virtio_dev *v)
{
    uint64_t f = v->ops->features(v) | (1ull << VIRTIO_F_INDIRECT_DESC);
    if (!v->legacy)
        f |= 1ull << VIRTIO_F_VERSION_1;
    return f;
}

bool virtio_has_feature(const struct virtio_dev *v, int bit)
{
    return (v->driver_features >> bit) & 1;
}

void virtio_config_changed(struct virtio_dev *v)
{
    if (v->status & VIRTIO_STATUS_DRIVER_OK) {
        v->interrupt_status |= 2;           /* configuration change */
        virtio_update_irq(v);
    }
}

void virtio_needs_reset(struct virtio_dev *v)
{
    v->status |= VIRTIO_STATUS_NEEDS_RESET;
    virtio_config_changed(v);
}

bool virtio_running(const struct virtio_dev *v)
{
    return (v->status & VIRTIO_STATUS_DRIVER_OK) && !(v->status & VIRTIO_STATUS_NEEDS_RESET);
}

bool virtq_usable(const struct virtio_dev *v, const struct virtq *q)
{
    return q->ready && q->num && q->num <= q->num_max && virtio_is_pow2(q->num) &&
           virtio_running(v);
}

static bool rd16(struct virtio_dev *v, uint64_t pa, uint16_t *out)
{
    return bus_read_mem(v->bus, pa, out, 2) == 0;
}

/* Append the descriptors of one table (direct ring or indirect) to chain. */
static int walk(struct virtio_dev *v, uint64_t table, uint32_t size, uint16_t idx, bool indirect)
{
    struct vchain *c = &v->chain;
    for (uint32_t steps = 0;; steps++) {
        struct { uint64_t addr; uint32_t len; uint16_t flags, next; } d;
        if (idx >= size || steps >= size || c->nseg >= VIRTQ_MAX_SEGS)
            return -1;                      /* out of range, a loop, or too long */
        if (bus_read_mem(v->bus, table + 16ull * idx, &d, 16))
            return -1;
        if (d.flags & VRING_DESC_F_INDIRECT) {
            /* §2.7.5.3: not nested, not chained, a whole number of entries */
            if (indirect || (d.flags & VRING_DESC_F_NEXT) || d.len % 16 || d.len == 0 ||
                !virtio_has_feature(v, VIRTIO_F_INDIRECT_DESC))
                return -1;
            return walk(v, d.addr, d.len / 16, 0, true);
        }
        bool w = d.flags & VRING_DESC_F_WRITE;
        c->seg[c->nseg++] = (struct vseg){ d.addr, d.len, w };
        if (w) c->in_len += d.len; else c->out_len += d.len;
        if (!(d.flags & VRING_DESC_F_NEXT))
            return 0;
        idx = d.next;
    }
}

bool virtq_has_avail(struct virtio_dev *v, int qi)
{
    struct virtq *q = &v->vq[qi];
    uint16_t avail_idx;
    return virtq_usable(v, q) && rd16(v, q->avail + 2, &avail_idx) && avail_idx != q->last_avail;
}

int virtq_pop(struct virtio_dev *v, int qi)
{
    struct virtq *q = &v->vq[qi];
    uint16_t avail_idx, head;
    if (!virtq_usable(v, q))
        return 0;
    if (!rd16(v, q->avail + 2, &avail_idx))
        goto bad;
    if (avail_idx == q->last_avail)
        return 0;
    if ((uint16_t)(avail_idx - q->last_avail) > q->num)
        goto bad;                           /* more entries than the ring holds */
    if (!rd16(v, q->avail + 4 + 2ull * (q->last_avail % q->num), &head))
        goto bad;
    q->last_avail++;
    memset(&v->chain, 0, offsetof(struct vchain, seg));
    v->chain.head = head;
    if (walk(v, q->desc, q->num, head, false))
        goto bad;
    return 1;
bad:
    virtio_needs_reset(v);
    return -1;
}

void virtq_push(struct virtio_dev *v, int qi, uint16_t head, uint32_t len)
{
    struct virtq *q = &v->vq[qi];
    uint16_t used_idx, flags = 0;
    struct { uint32_t id, len; } e = { head, len };
    if (!rd16(v, q->used + 2, &used_idx) ||
        bus_dma_write(v->bus, q->used + 4 + 8ull * (used_idx % q->num), &e, 8)) {
        virtio_needs_reset(v);
        return;
    }
    used_idx++;
    bus_dma_write(v->bus, q->used + 2, &used_idx, 2);
    rd16(v, q->avail, &flags);
    if (!(flags & VRING_AVAIL_F_NO_INTERRUPT)) {
        v->interrupt_status |= 1;
        virtio_update_irq(v);
    }
}

/* Copy between buf and the chain's readable (write = false) or writable bytes. */
static int chain_copy(struct virtio_dev *v, bool write, uint64_t off, void *buf, uint64_t len)
{
    struct vchain *c = &v->chain;
    uint8_t *p = buf;
    for (int i = 0; i < c->nseg && len; i++) {
        struct vseg *s = &c->seg[i];
        if (s->write != write)
            continue;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        uint64_t n = s->len - off < len ? s->len - off : len;
        int r = write ? bus_dma_write(v->bus, s->addr + off, p, n)
                      : bus_read_mem(v->bus, s->addr + off, p, n);
        if (r)
            return -1;                      /* buffer outside guest RAM */
        p += n;
        len -= n;
        off = 0;
    }
    return len ? -1 : 0;
}

int vchain_read(struct virtio_dev *v, uint64_t off, void *buf, uint64_t len)
{
    return chain_copy(v, false, off, buf, len);
}

int vchain_write(struct virtio_dev *v, uint64_t off, const void *buf, uint64_t len)
{
    return chain_copy(v, true, off, (void *)buf, len);
}

/* ---- registers -------------------------------------------------------- */

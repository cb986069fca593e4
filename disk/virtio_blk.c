/*
 * virtio-blk (virtio 1.2 §5.2). A request is one descriptor chain:
 *
 *   readable:  struct { le32 type; le32 reserved; le64 sector; }  [data for OUT]
 *   writable:  [data for IN / GET_ID]  u8 status
 *
 * A request is popped when the driver notifies its queue, its data copied
 * into a bounce buffer of its own, and its image call run by the machine's
 * I/O pool (blk_io.h) when the device has one, else at once; the status
 * and the used ring are written on the machine's thread when it is done.
 * With num-queues > 1 (VIRTIO_BLK_F_MQ) each queue is served alike; the
 * requests of all of them go to the image in the order they were popped.
 * Every sector range is checked against the capacity, every buffer against
 * guest RAM (through the transport's chain accessors); a bad request gets an
 * IOERR status, a chain without a status byte makes the device need a reset.
 */
#include "virtio_blk.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

enum { VIRTIO_ID_BLOCK = 2 };
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8, T_DISCARD = 11, T_WRITE_ZEROES = 13 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
/* feature bits (§5.2.3) */
enum { F_SEG_MAX = 2, F_RO = 5, F_BLK_SIZE = 6, F_FLUSH = 9, F_MQ = 12, F_DISCARD = 13,
       F_WRITE_ZEROES = 14 };

#define QUEUE_SIZE 256
#define MAX_RANGE_SECTORS 0x400000u       /* discard / write-zeroes per request */
#define MAX_REQ_BYTES (64u << 20)         /* data per read or write: more is an I/O error */

static uint64_t blk_features(struct virtio_dev *v)
{
    struct vblk *b = v->priv;
    uint64_t f = 1ull << F_SEG_MAX | 1ull << F_BLK_SIZE | 1ull << F_FLUSH;
    if (v->ops->nqueues > 1)
        f |= 1ull << F_MQ;              /* as QEMU: offered with more than one queue */
    if (b->img.readonly)
        f |= 1ull << F_RO;
    else
        f |= 1ull << F_DISCARD | 1ull << F_WRITE_ZEROES;
    return f;
}

/* Configuration layout (§5.2.4): offsets of the fields we fill. */
static uint64_t blk_config_read(struct virtio_dev *v, uint64_t off, unsigned size)
{
    struct vblk *b = v->priv;
    uint8_t cfg[60] = { 0 };
    uint64_t cap = b->img.size / SECTOR_SIZE;
    uint32_t seg_max = QUEUE_SIZE - 2, blk = SECTOR_SIZE, one = 1, range = MAX_RANGE_SECTORS;
    uint16_t nq = (uint16_t)v->ops->nqueues;
    memcpy(cfg + 0, &cap, 8);
    memcpy(cfg + 12, &seg_max, 4);
    memcpy(cfg + 20, &blk, 4);
    memcpy(cfg + 34, &nq, 2);              /* num_queues */
    memcpy(cfg + 36, &range, 4);           /* max_discard_sectors */
    memcpy(cfg + 40, &one, 4);             /* max_discard_seg */
    memcpy(cfg + 44, &one, 4);             /* discard_sector_alignment */
    memcpy(cfg + 48, &range, 4);           /* max_write_zeroes_sectors */
    memcpy(cfg + 52, &one, 4);             /* max_write_zeroes_seg */
    uint64_t val = 0;
    if (off < sizeof cfg && size <= sizeof cfg - off)
        memcpy(&val, cfg + off, size);
    return val;
}

static bool range_ok(const struct vblk *b, uint64_t sector, uint64_t bytes)
{
    uint64_t cap = b->img.size / SECTOR_SIZE;
    return bytes % SECTOR_SIZE == 0 && sector <= cap && bytes / SECTOR_SIZE <= cap - sector;
}

/* A request between its pop and its push: the chain (copied, so that the
 * transport's scratch chain is free for the next one) and the image call. */
struct vblk_req {
    struct blk_io_req io;
    struct vblk *b;
    int queue;
    uint32_t gen;
    uint32_t written;               /* bytes for the driver, before the status */
    struct vchain_head { uint16_t head; int nseg; uint64_t out_len, in_len; } c;
    struct vseg seg[];
};

/* An aligned bounce buffer (O_DIRECT wants one), or NULL. */
static void *bounce(uint64_t len)
{
    void *p;
    return posix_memalign(&p, 4096, len ? len : 1) ? NULL : p;
}

/* DISCARD and WRITE_ZEROES carry one {le64 sector; le32 num; le32 flags}
 * (virtio 1.1 §5.2.6); a DISCARD does what the drive's discard= says. */
static int zero_range(struct vblk *b, struct vblk_req *r, uint32_t type)
{
    struct { uint64_t sector; uint32_t num, flags; } z;
    if (r->c.out_len != 16 + sizeof z || vchain_read(&b->vdev, 16, &z, sizeof z))
        return S_IOERR;
    if (z.num > MAX_RANGE_SECTORS || !range_ok(b, z.sector, (uint64_t)z.num * SECTOR_SIZE))
        return S_IOERR;
    r->io.op = type == T_DISCARD ? BIO_DISCARD : BIO_ZEROES;
    r->io.off = z.sector * SECTOR_SIZE;
    r->io.len = (uint64_t)z.num * SECTOR_SIZE;
    return -1;
}

/* Turn the popped chain into r's image call: -1, or a status to complete
 * with at once (bad requests, GET_ID). */
static int prepare(struct vblk *b, struct vblk_req *r)
{
    struct { uint32_t type, reserved; uint64_t sector; } hdr;
    uint64_t data_in = r->c.in_len - 1;     /* writable bytes before the status */
    if (vchain_read(&b->vdev, 0, &hdr, sizeof hdr))
        return S_IOERR;
    r->io.off = hdr.sector * SECTOR_SIZE;
    switch (hdr.type) {
    case T_IN:
        if (!range_ok(b, hdr.sector, data_in) || data_in > MAX_REQ_BYTES || !(r->io.buf = bounce(data_in)))
            return S_IOERR;
        r->io.op = BIO_READ;
        r->io.len = data_in;
        return -1;
    case T_OUT:
        r->io.len = r->c.out_len - sizeof hdr;
        if (b->img.readonly || !range_ok(b, hdr.sector, r->io.len) || r->io.len > MAX_REQ_BYTES ||
            !(r->io.buf = bounce(r->io.len)) || vchain_read(&b->vdev, sizeof hdr, r->io.buf, r->io.len))
            return S_IOERR;
        r->io.op = BIO_WRITE;
        return -1;
    case T_FLUSH:
        r->io.op = BIO_FLUSH;
        return -1;
    case T_GET_ID: {
        uint64_t n = data_in < 20 ? data_in : 20;
        if (vchain_write(&b->vdev, 0, b->serial, n))
            return S_IOERR;
        r->written = (uint32_t)n;
        return S_OK;
    }
    case T_DISCARD:
    case T_WRITE_ZEROES:
        return b->img.readonly ? S_IOERR : zero_range(b, r, hdr.type);
    default:
        return S_UNSUPP;
    }
}

/* Status byte and used ring: the request is over (machine thread). */
static void finish(struct vblk_req *r, uint8_t status)
{
    struct vblk *b = r->b;
    struct virtio_dev *v = &b->vdev;
    struct vchain *c = &v->chain;
    c->head = r->c.head;
    c->nseg = r->c.nseg;
    c->out_len = r->c.out_len;
    c->in_len = r->c.in_len;
    memcpy(c->seg, r->seg, (size_t)r->c.nseg * sizeof r->seg[0]);
    if (status == S_OK && r->io.op == BIO_READ && r->io.buf) {
        if (vchain_write(v, 0, r->io.buf, r->io.len))
            status = S_IOERR;
        else
            r->written = (uint32_t)r->io.len;
    }
    if (vchain_write(v, c->in_len - 1, &status, 1))
        virtio_needs_reset(v);
    else
        virtq_push(v, r->queue, c->head, r->written + 1);
    free(r->io.buf);
    free(r);
}

/* The image call is done (machine thread); a device reset meanwhile
 * drops it: the driver no longer waits for it. */
static void done(struct blk_io_req *io)
{
    struct vblk_req *r = io->ctx;
    if (r->gen != r->b->gen) {
        free(r->io.buf);
        free(r);
        return;
    }
    finish(r, io->result ? S_IOERR : S_OK);
}

/* The chain just popped from queue q. */
static int start(struct vblk *b, int q)
{
    struct vchain *c = &b->vdev.chain;
    struct vblk_req *r = calloc(1, sizeof *r + (size_t)c->nseg * sizeof r->seg[0]);
    if (!r)
        return -1;
    r->b = b;
    r->queue = q;
    r->gen = b->gen;
    r->c = (struct vchain_head){ c->head, c->nseg, c->out_len, c->in_len };
    memcpy(r->seg, c->seg, (size_t)c->nseg * sizeof r->seg[0]);
    r->io = (struct blk_io_req){ .queue = &b->ioq, .img = &b->img, .op = BIO_FLUSH, .complete = done,
                                 .ctx = r };
    int status = prepare(b, r);
    if (status >= 0) {
        finish(r, (uint8_t)status);
    } else if (b->io) {
        r->io.uring = b->uring && blk_io_uring_ok(b->io, &r->io);
        blk_io_submit(b->io, &r->io);
    }
    else {
        blk_io_run(&r->io);
        done(&r->io);
    }
    return 0;
}

static void blk_notify(struct virtio_dev *v, int q)
{
    struct vblk *b = v->priv;
    int r;
    /* At most one ring's worth per notify: a driver that keeps the ring full
     * cannot hold the emulator here forever. */
    for (int budget = QUEUE_SIZE; budget > 0 && (r = virtq_pop(v, q)) > 0; budget--) {
        if (v->chain.in_len == 0 || start(b, q)) {  /* nowhere to put the status; out of memory */
            virtio_needs_reset(v);
            return;
        }
    }
}

/* A reset forgets the requests in flight (their I/O still ends). */
static void blk_reset(struct virtio_dev *v)
{
    struct vblk *b = v->priv;
    b->gen++;
}

static const struct virtio_dev_ops blk_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .nqueues = 1,
    .queue_num_max = QUEUE_SIZE,
    .features = blk_features,
    .config_read = blk_config_read,
    .notify = blk_notify,
    .reset = blk_reset,
};

int vblk_init(struct vblk *b, struct bus *bus, const char *path, bool readonly, bool snapshot,
              int format, bool legacy, void (*set_irq)(void *, bool), void *irq_ctx, char *err,
              size_t errlen)
{
    memset(b->serial, 0, sizeof b->serial);
    snprintf(b->serial, sizeof b->serial, "hartvm-blk");
    if (image_open_as(&b->img, path, format, readonly, snapshot, err, errlen))
        return -1;
    b->ops = blk_ops;
    b->io = NULL;
    b->ioq = (struct blk_io_queue){ 0 };
    b->gen = 0;
    virtio_init(&b->vdev, &b->ops, b, bus, legacy, set_irq, irq_ctx);
    return 0;
}

int vblk_set_queues(struct vblk *b, unsigned n)
{
    if (n < 1 || n > VIRTIO_MAX_QUEUES)
        return -1;
    b->ops.nqueues = (int)n;
    virtio_reset(&b->vdev);
    return 0;
}

void vblk_drain(struct vblk *b)
{
    if (b->io)
        blk_io_drain(b->io, &b->ioq);
}

void vblk_close(struct vblk *b)
{
    vblk_drain(b);
    image_close(&b->img);
}

/*
 * virtio-blk (virtio 1.2 §5.2). A request is one descriptor chain:
 *
 *   readable:  struct { le32 type; le32 reserved; le64 sector; }  [data for OUT]
 *   writable:  [data for IN / GET_ID]  u8 status
 *
 * Requests are served synchronously when the driver notifies the queue.
 * Every sector range is checked against the capacity, every buffer against
 * guest RAM (through the transport's chain accessors); a bad request gets an
 * IOERR status, a chain without a status byte makes the device need a reset.
 */
#include "virtio_blk.h"
#include <string.h>
#include <stdio.h>

enum { VIRTIO_ID_BLOCK = 2 };
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8, T_DISCARD = 11, T_WRITE_ZEROES = 13 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
/* feature bits (§5.2.3) */
enum { F_SEG_MAX = 2, F_RO = 5, F_BLK_SIZE = 6, F_FLUSH = 9, F_DISCARD = 13, F_WRITE_ZEROES = 14 };

#define QUEUE_SIZE 256
#define MAX_RANGE_SECTORS 0x400000u       /* discard / write-zeroes per request */

static uint64_t blk_features(struct virtio_dev *v)
{
    struct vblk *b = v->priv;
    uint64_t f = 1ull << F_SEG_MAX | 1ull << F_BLK_SIZE | 1ull << F_FLUSH;
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
    memcpy(cfg + 0, &cap, 8);
    memcpy(cfg + 12, &seg_max, 4);
    memcpy(cfg + 20, &blk, 4);
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

/* Move len bytes between the image at byte offset pos and the chain. */
static int transfer(struct vblk *b, bool to_guest, uint64_t pos, uint64_t chain_off, uint64_t len)
{
    while (len) {
        uint64_t n = len < sizeof b->bounce ? len : sizeof b->bounce;
        if (to_guest) {
            if (image_read(&b->img, pos, b->bounce, n) || vchain_write(&b->vdev, chain_off, b->bounce, n))
                return -1;
        } else {
            if (vchain_read(&b->vdev, chain_off, b->bounce, n) || image_write(&b->img, pos, b->bounce, n))
                return -1;
        }
        pos += n;
        chain_off += n;
        len -= n;
    }
    return 0;
}

/* DISCARD and WRITE_ZEROES carry one {le64 sector; le32 num; le32 flags}
 * (virtio 1.1 §5.2.6); a DISCARD does what the drive's discard= says. */
static int zero_range(struct vblk *b, uint32_t type)
{
    struct { uint64_t sector; uint32_t num, flags; } r;
    if (b->vdev.chain.out_len != 16 + sizeof r || vchain_read(&b->vdev, 16, &r, sizeof r))
        return S_IOERR;
    if (r.num > MAX_RANGE_SECTORS || !range_ok(b, r.sector, (uint64_t)r.num * SECTOR_SIZE))
        return S_IOERR;
    uint64_t off = r.sector * SECTOR_SIZE, len = (uint64_t)r.num * SECTOR_SIZE;
    int e = type == T_DISCARD ? image_discard(&b->img, off, len) : image_write_zeroes(&b->img, off, len);
    return e ? S_IOERR : S_OK;
}

/* Serve the popped chain; returns the status and sets *written. */
static int serve(struct vblk *b, uint32_t *written)
{
    struct vchain *c = &b->vdev.chain;
    struct { uint32_t type, reserved; uint64_t sector; } hdr;
    uint64_t data_in = c->in_len - 1;       /* writable bytes before the status */
    *written = 0;
    if (vchain_read(&b->vdev, 0, &hdr, sizeof hdr))
        return S_IOERR;
    switch (hdr.type) {
    case T_IN:
        if (!range_ok(b, hdr.sector, data_in) ||
            transfer(b, true, hdr.sector * SECTOR_SIZE, 0, data_in))
            return S_IOERR;
        *written = data_in;
        return S_OK;
    case T_OUT: {
        uint64_t len = c->out_len - sizeof hdr;
        if (b->img.readonly || !range_ok(b, hdr.sector, len) ||
            transfer(b, false, hdr.sector * SECTOR_SIZE, sizeof hdr, len))
            return S_IOERR;
        return S_OK;
    }
    case T_FLUSH:
        return image_flush(&b->img) ? S_IOERR : S_OK;
    case T_GET_ID: {
        uint64_t n = data_in < 20 ? data_in : 20;
        if (vchain_write(&b->vdev, 0, b->serial, n))
            return S_IOERR;
        *written = n;
        return S_OK;
    }
    case T_DISCARD:
    case T_WRITE_ZEROES:
        return b->img.readonly ? S_IOERR : zero_range(b, hdr.type);
    default:
        return S_UNSUPP;
    }
}

static void blk_notify(struct virtio_dev *v, int q)
{
    struct vblk *b = v->priv;
    int r;
    /* At most one ring's worth per notify: a driver that keeps the ring full
     * cannot hold the emulator here forever. */
    for (int budget = QUEUE_SIZE; budget > 0 && (r = virtq_pop(v, q)) > 0; budget--) {
        struct vchain *c = &v->chain;
        uint32_t written;
        if (c->in_len == 0) {               /* nowhere to put the status */
            virtio_needs_reset(v);
            return;
        }
        uint8_t status = serve(b, &written);
        if (vchain_write(v, c->in_len - 1, &status, 1)) {
            virtio_needs_reset(v);
            return;
        }
        virtq_push(v, q, c->head, written + 1);
    }
}

static const struct virtio_dev_ops blk_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .nqueues = 1,
    .queue_num_max = QUEUE_SIZE,
    .features = blk_features,
    .config_read = blk_config_read,
    .notify = blk_notify,
};

int vblk_init(struct vblk *b, struct bus *bus, const char *path, bool readonly, bool snapshot,
              int format, bool legacy, void (*set_irq)(void *, bool), void *irq_ctx, char *err,
              size_t errlen)
{
    memset(b->serial, 0, sizeof b->serial);
    snprintf(b->serial, sizeof b->serial, "hartvm-blk");
    if (image_open_as(&b->img, path, format, readonly, snapshot, err, errlen))
        return -1;
    virtio_init(&b->vdev, &blk_ops, b, bus, legacy, set_irq, irq_ctx);
    return 0;
}

void vblk_close(struct vblk *b)
{
    image_close(&b->img);
}

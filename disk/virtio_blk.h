#ifndef DISK_VIRTIO_BLK_H
#define DISK_VIRTIO_BLK_H
#include "../virtio/virtio.h"
#include "image.h"
#include "blk_io.h"

struct vblk {
    struct virtio_dev vdev;
    struct virtio_dev_ops ops;      /* this device's: its number of queues */
    struct image img;
    char serial[21];                /* GET_ID answer, NUL-padded to 20 bytes */
    struct blk_io *io;              /* the machine's I/O pool; NULL: requests run at once */
    struct blk_io_queue ioq;
    bool uring;                     /* aio=io_uring: what can go through the ring does */
    uint32_t gen;                   /* device resets so far: older requests are dropped */
    uint8_t bounce[64 * 1024];      /* scratch for snapshot sections (machine/snap_disk.c) */
};

/* Open the image (format: as image_open_as, IMAGE_PROBE when not given) and set
 * up the device (the caller registers vblk->vdev on the bus with
 * virtio_mmio_ops). Returns 0 or -1 with a message in err. */
int vblk_init(struct vblk *b, struct bus *bus, const char *path, bool readonly, bool snapshot,
              int format, bool legacy, void (*set_irq)(void *, bool), void *irq_ctx, char *err,
              size_t errlen);
/* num-queues: 1 (the default) to VIRTIO_MAX_QUEUES; 0 or -1. */
int vblk_set_queues(struct vblk *b, unsigned n);
/* Wait for the requests in flight and complete them (before a snapshot,
 * a commit, a close). */
void vblk_drain(struct vblk *b);
void vblk_close(struct vblk *b);
#endif

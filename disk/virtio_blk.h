#ifndef DISK_VIRTIO_BLK_H
#define DISK_VIRTIO_BLK_H
#include "../virtio/virtio.h"
#include "image.h"

struct vblk {
    struct virtio_dev vdev;
    struct image img;
    char serial[21];                /* GET_ID answer, NUL-padded to 20 bytes */
    uint8_t bounce[64 * 1024];      /* request data passes through here */
};

/* Open the image (format: as image_open_as, IMAGE_PROBE when not given) and set
 * up the device (the caller registers vblk->vdev on the bus with
 * virtio_mmio_ops). Returns 0 or -1 with a message in err. */
int vblk_init(struct vblk *b, struct bus *bus, const char *path, bool readonly, bool snapshot,
              int format, bool legacy, void (*set_irq)(void *, bool), void *irq_ctx, char *err,
              size_t errlen);
void vblk_close(struct vblk *b);
#endif

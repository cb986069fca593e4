/*
 * The board's virtio-mmio slots (virtio 1.2 §4.2). Device models see the
 * transport through virtio/virtio.h; the transport and the slots are
 * implemented in virtio_mmio.c. Legacy (version 1, §4.2.4) by default, as
 * on QEMU 7.2's virt board, whose virtio-mmio force-legacy property
 * defaults to true; modern (version 2) with
 * -global virtio-mmio.force-legacy=false.
 */
#ifndef MACHINE_DEV_VIRTIO_H
#define MACHINE_DEV_VIRTIO_H
#include <stdint.h>
#include <stdbool.h>
#include "device.h"
#include "../../virtio/virtio.h"

/*
 * A virtio-mmio slot of the board: 0x1000 bytes, one PLIC line. Empty, it
 * answers the identification registers with device id 0 (no device,
 * §4.2.3.1.1), so drivers skip it; with a device attached it is that
 * device's transport. The slot holds the line and the DMA handle it hands
 * to the device it gets.
 */
struct vslot {
    struct irq_line irq;
    struct bus *dma;
    bool legacy;                    /* version 1 unless -global virtio-mmio.force-legacy=false */
    struct virtio_dev *vdev;        /* attached device, or NULL */
    struct qlog *log;               /* -d guest_errors (cpu/log.h), or NULL */
};
extern const struct dev_class vslot_class;
/* Put v (virtio_init'ed with the slot's dma, legacy and irq) in slot s. */
void vslot_attach(struct vslot *s, struct virtio_dev *v);

#endif

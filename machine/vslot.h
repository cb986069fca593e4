#ifndef MACHINE_VSLOT_H
#define MACHINE_VSLOT_H
#include <stdint.h>
#include <stdbool.h>
struct device_ops;

/* A virtio-mmio slot. Empty, it answers the identification registers
 * with device id 0 ("no device"), so drivers skip it; a device attached
 * here (ops != NULL) gets every access of the slot instead. */
struct vslot {
    bool legacy;                /* -global virtio-mmio.force-legacy=true: version 1 */
    const struct device_ops *ops;   /* attached device (virtio transport), or NULL */
    void *dev;
};
extern const struct device_ops vslot_ops;
#endif

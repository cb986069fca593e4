/*
 * Empty virtio-mmio slot (virtio spec 1.2, 4.2.2), 0x1000 bytes each:
 *
 *   0x000 MagicValue  0x74726976 ("virt")
 *   0x004 Version     2 (modern), 1 with force-legacy
 *   0x008 DeviceID    0 = no device in this slot
 *   0x00c VendorID    0x554d4551 ("QEMU")
 *
 * Everything else reads 0 and ignores writes. A device attached to the
 * slot (struct vslot.ops/.dev) receives all accesses instead.
 */
#include "vslot.h"
#include "../mmu/bus.h"

static int vslot_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    const struct vslot *v = dev;
    if (v->ops)
        return v->ops->read(v->dev, off, size, val);
    switch (off) {
    case 0x000: *val = 0x74726976; break;
    case 0x004: *val = v->legacy ? 1 : 2; break;
    case 0x00c: *val = 0x554d4551; break;
    default: *val = 0;
    }
    return 0;
}

static int vslot_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    const struct vslot *v = dev;
    return v->ops ? v->ops->write(v->dev, off, size, val) : 0;
}

const struct device_ops vslot_ops = { vslot_read, vslot_write };

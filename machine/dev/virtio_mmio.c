/*
 * virtio-mmio registers (virtio 1.2 §4.2.2; legacy layout §4.2.4):
 *
 *   0x000 MagicValue "virt"   0x034 QueueNumMax         0x070 Status
 *   0x004 Version (1, or 2)   0x038 QueueNum            0x080 QueueDescLow/High
 *   0x008 DeviceID            0x03c QueueAlign (v1)     0x090 QueueDriverLow/High
 *   0x00c VendorID            0x040 QueuePFN (v1)       0x0a0 QueueDeviceLow/High
 *   0x010 DeviceFeatures      0x044 QueueReady (v2)     0x0fc ConfigGeneration
 *   0x014 DeviceFeaturesSel   0x050 QueueNotify         0x100 config space
 *   0x020 DriverFeatures      0x060 InterruptStatus
 *   0x024 DriverFeaturesSel   0x064 InterruptACK
 *   0x028 GuestPageSize (v1)  0x030 QueueSel
 *
 * The board's slots (struct vslot, one per 4 KiB at 0x1000_1000 + n*0x1000):
 * an empty slot answers MagicValue, Version and VendorID and reads 0
 * elsewhere, DeviceID 0 meaning "no device" (§4.2.3.1.1), and ignores
 * writes; a slot holding a device passes every access to its transport.
 */
#include "virtio.h"
#include "../state.h"
#include "../fdt.h"
#include "../../mmu/bus.h"
#include "../../cpu/log.h"
#include <stddef.h>
#include <string.h>

#define VIRTIO_MAGIC  0x74726976
#define VIRTIO_VENDOR 0x554d4551        /* the vendor id QEMU uses */

/* Legacy rings live in one block at PFN * GuestPageSize (§2.7 layout). */
static void legacy_layout(struct virtio_dev *v, struct virtq *q)
{
    uint64_t base = (uint64_t)q->pfn * v->guest_page_size;
    uint64_t align = v->queue_align ? v->queue_align : 4096;
    q->desc = base;
    q->avail = base + 16ull * q->num;
    q->used = (q->avail + 6 + 2ull * q->num + align - 1) & ~(align - 1);
    q->ready = q->pfn != 0;
}

static struct virtq *cur_q(struct virtio_dev *v)
{
    return v->queue_sel < VIRTIO_MAX_QUEUES ? &v->vq[v->queue_sel] : NULL;
}

static uint32_t reg_read(struct virtio_dev *v, uint64_t off)
{
    struct virtq *q = cur_q(v);
    switch (off) {
    case 0x000: return VIRTIO_MAGIC;
    case 0x004: return v->legacy ? 1 : 2;
    case 0x008: return v->ops->device_id;
    case 0x00c: return VIRTIO_VENDOR;
    case 0x010: return v->dev_features_sel < 2 ? virtio_offered_features(v) >> (32 * v->dev_features_sel) : 0;
    case 0x034: return q ? q->num_max : 0;
    case 0x040: return v->legacy && q ? q->pfn : 0;
    case 0x044: return !v->legacy && q ? q->ready : 0;
    case 0x060: return v->interrupt_status;
    case 0x070: return v->status;
    case 0x0fc: return v->config_generation;
    default:    return 0;
    }
}

static void set_half(uint64_t *r, bool high, uint32_t val)
{
    *r = high ? (*r & 0xffffffffull) | (uint64_t)val << 32 : (*r & ~0xffffffffull) | val;
}

/*
 * Which feature sets FEATURES_OK accepts (virtio 1.2):
 *
 * - A bit the device never offered is refused. §2.2.1: the driver MUST NOT
 *   accept a feature the device did not offer; §2.2.2: the device SHOULD
 *   accept any valid subset of its offer and otherwise MUST fail to set
 *   FEATURES_OK, which the driver sees when it re-reads the status (§3.1.1
 *   step 6). No feature virtio-blk offers requires another (§5.2.3, §6), so every
 *   subset of the offer is valid and accepted, unless the device says
 *   otherwise (features_ok: virtio-net's control features need its
 *   control queue, §5.1.3.1).
 * - VIRTIO_F_VERSION_1 left unacknowledged is accepted. §6.2 lets a device
 *   fail to operate further in that case ("MAY"), it does not oblige it to,
 *   and drivers written against QEMU's transport rely on it: QEMU only
 *   validates a feature set that contains VERSION_1, so a driver that writes
 *   just the low word (DriverFeaturesSel 0) works there. The device then
 *   runs as it would with VERSION_1; little-endian fields and the split
 *   ring layout are the same for both on this board.
 * - Legacy (version 1): legacy devices have no FEATURES_OK to refuse with
 *   (§3.1.2); the status is kept as written, and bits that were not offered
 *   are dropped when DriverFeatures is written, as QEMU's legacy transport
 *   drops them.
 */
static bool features_acceptable(struct virtio_dev *v)
{
    if (v->legacy)
        return true;
    if (v->driver_features & ~virtio_offered_features(v))
        return false;
    return !v->ops->features_ok || v->ops->features_ok(v, v->driver_features);
}

static void status_write(struct virtio_dev *v, uint32_t val)
{
    if (val == 0) {
        virtio_reset(v);
        return;
    }
    if ((val & VIRTIO_STATUS_FEATURES_OK) && !(v->status & VIRTIO_STATUS_FEATURES_OK) &&
        !features_acceptable(v))
        val &= ~VIRTIO_STATUS_FEATURES_OK;
    v->status = (val & ~VIRTIO_STATUS_NEEDS_RESET) | (v->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void reg_write(struct virtio_dev *v, uint64_t off, uint32_t val)
{
    struct virtq *q = cur_q(v);
    bool live = q && !q->ready;             /* ring addresses change only while not ready */
    switch (off) {
    case 0x014: v->dev_features_sel = val; break;
    case 0x020:
        if (v->drv_features_sel < 2 && !(v->status & VIRTIO_STATUS_FEATURES_OK)) {
            set_half(&v->driver_features, v->drv_features_sel, val);
            if (v->legacy)              /* nothing to refuse with: drop what was not offered */
                v->driver_features &= virtio_offered_features(v);
        }
        break;
    case 0x024: v->drv_features_sel = val; break;
    case 0x028: if (v->legacy) v->guest_page_size = val; break;
    case 0x030: v->queue_sel = val; break;
    case 0x038: if (q) q->num = val; break;
    case 0x03c: if (v->legacy) v->queue_align = val; break;
    case 0x040:
        if (v->legacy && q) {
            q->pfn = val;
            legacy_layout(v, q);
        }
        break;
    case 0x044:
        if (!v->legacy && q) {
            q->ready = val & 1;
            if (q->ready && !virtio_is_pow2(q->num))
                virtio_needs_reset(v);
        }
        break;
    case 0x050:
        if (val < VIRTIO_MAX_QUEUES && virtq_usable(v, &v->vq[val]) && v->ops->notify)
            v->ops->notify(v, (int)val);
        break;
    case 0x064:
        v->interrupt_status &= ~val;
        virtio_update_irq(v);
        break;
    case 0x070: status_write(v, val); break;
    case 0x080: if (live) set_half(&q->desc, false, val); break;
    case 0x084: if (live) set_half(&q->desc, true, val); break;
    case 0x090: if (live) set_half(&q->avail, false, val); break;
    case 0x094: if (live) set_half(&q->avail, true, val); break;
    case 0x0a0: if (live) set_half(&q->used, false, val); break;
    case 0x0a4: if (live) set_half(&q->used, true, val); break;
    }
}

static int mmio_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    struct virtio_dev *v = dev;
    if (off >= 0x100) {
        *val = v->ops->config_read ? v->ops->config_read(v, off - 0x100, size) : 0;
        return 0;
    }
    *val = (size == 4 && !(off & 3)) ? reg_read(v, off) : 0;
    return 0;
}

static int mmio_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct virtio_dev *v = dev;
    if (off >= 0x100) {
        if (v->ops->config_write)
            v->ops->config_write(v, off - 0x100, size, val);
        return 0;
    }
    if (size == 4 && !(off & 3))
        reg_write(v, off, (uint32_t)val);
    return 0;
}

const struct device_ops virtio_mmio_ops = { mmio_read, mmio_write };

/* ---- transport state in the stream -------------------------------------- */

static void save_queue(const struct virtq *q, struct state_out *o)
{
    state_put_u32(o, q->num);
    state_put_u32(o, q->num_max);
    state_put_u8(o, q->ready);
    state_put_u64(o, q->desc);
    state_put_u64(o, q->avail);
    state_put_u64(o, q->used);
    state_put_u32(o, q->pfn);
    state_put_u16(o, q->last_avail);
}

static void restore_queue(struct virtq *q, struct state_in *in)
{
    q->num = state_get_u32(in);
    q->num_max = state_get_u32(in);
    q->ready = state_get_bool(in);
    q->desc = state_get_u64(in);
    q->avail = state_get_u64(in);
    q->used = state_get_u64(in);
    q->pfn = state_get_u32(in);
    q->last_avail = state_get_u16(in);
}

/* Rings are guest-physical addresses, checked at every use (virtq_pop),
 * so restored values need no checking here beyond the device id. */
static void virtio_save(const struct virtio_dev *v, struct state_out *o)
{
    state_put_u32(o, v->ops->device_id);
    state_put_u8(o, v->legacy);
    const uint32_t r[8] = { v->status, v->dev_features_sel, v->drv_features_sel, v->queue_sel,
                            v->guest_page_size, v->queue_align, v->interrupt_status,
                            v->config_generation };
    for (int i = 0; i < 8; i++)
        state_put_u32(o, r[i]);
    state_put_u64(o, v->driver_features);
    state_put_u32(o, VIRTIO_MAX_QUEUES);
    for (int i = 0; i < VIRTIO_MAX_QUEUES; i++)
        save_queue(&v->vq[i], o);
    if (v->ops->save)
        v->ops->save(v, o);
}

static int virtio_restore(struct virtio_dev *v, struct state_in *in)
{
    if (state_get_u32(in) != v->ops->device_id)
        return state_reject(in, "a different virtio device in this slot");
    v->legacy = state_get_bool(in);
    uint32_t r[8];
    for (int i = 0; i < 8; i++)
        r[i] = state_get_u32(in);
    v->status = r[0]; v->dev_features_sel = r[1]; v->drv_features_sel = r[2];
    v->queue_sel = r[3]; v->guest_page_size = r[4]; v->queue_align = r[5];
    v->interrupt_status = r[6]; v->config_generation = r[7];
    v->driver_features = state_get_u64(in);
    if (state_get_u32(in) != VIRTIO_MAX_QUEUES)
        return state_reject(in, "queue count differs");
    for (int i = 0; i < VIRTIO_MAX_QUEUES; i++)
        restore_queue(&v->vq[i], in);
    if (v->ops->restore && v->ops->restore(v, in))
        return -1;
    if (!in->bad)
        virtio_update_irq(v);
    return 0;
}

/* ---- the board's slots ---------------------------------------------------- */

/* -d guest_errors: an access to the transport's registers (below the
 * config space) of the wrong size or at no register, in QEMU's words;
 * nothing for an empty slot, as QEMU. */
static void check_access(const struct vslot *s, const char *fn, uint64_t off, unsigned size)
{
    static const uint8_t regs[] = {
        0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x20, 0x24, 0x28, 0x30, 0x34, 0x38, 0x3c, 0x40,
        0x44, 0x50, 0x60, 0x64, 0x70, 0x80, 0x84, 0x90, 0x94, 0xa0, 0xa4, 0xac, 0xb0, 0xb4,
        0xb8, 0xbc, 0xfc,
    };
    if (!qlog_on(s->log, LOG_GUEST_ERROR) || !s->vdev || off >= 0x100)
        return;
    if (size != 4) {
        qlog_printf(s->log, LOG_GUEST_ERROR, "%s: wrong size access to register!\n", fn);
        return;
    }
    if (!memchr(regs, (int)off, sizeof regs))
        qlog_printf(s->log, LOG_GUEST_ERROR, "%s: bad register offset (0x%x)\n", fn, (unsigned)off);
}

static int slot_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    const struct vslot *s = dev;
    check_access(s, "virtio_mmio_read", off, size);
    if (s->vdev)
        return mmio_read(s->vdev, off, size, val);
    (void)size;
    *val = off == 0x000 ? VIRTIO_MAGIC : off == 0x004 ? (s->legacy ? 1 : 2)
         : off == 0x00c ? VIRTIO_VENDOR : 0;
    return 0;
}

static int slot_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    const struct vslot *s = dev;
    check_access(s, "virtio_mmio_write", off, size);
    return s->vdev ? mmio_write(s->vdev, off, size, val) : 0;
}

static const struct device_ops slot_ops = { slot_read, slot_write };

void vslot_attach(struct vslot *s, struct virtio_dev *v)
{
    s->vdev = v;
}

static void slot_attach(void *dev, const struct dev_env *env)
{
    struct vslot *s = dev;
    s->irq = env->irq;
    s->dma = env->dma;
    s->legacy = env->virtio_legacy;
    s->log = env->log;
}

/* A board reset is a device reset (§2.1: status 0) of what the slot holds. */
static void slot_reset(void *dev)
{
    struct vslot *s = dev;
    if (s->vdev)
        virtio_reset(s->vdev);
}

/* u32 device id (0: empty), then the transport and the device's state. */
static void slot_save(const void *dev, struct state_out *o)
{
    const struct vslot *s = dev;
    state_put_u8(o, s->vdev != NULL);
    if (s->vdev)
        virtio_save(s->vdev, o);
}

static int slot_restore(void *dev, struct state_in *in)
{
    struct vslot *s = dev;
    bool present = state_get_bool(in);
    if (present != (s->vdev != NULL))
        return state_reject(in, present ? "no device in this slot" : "this slot holds a device");
    return s->vdev ? virtio_restore(s->vdev, in) : 0;
}

const struct dev_class vslot_class = {
    .name = "virtio-mmio",
    .node = "virtio_mmio",
    DEV_COMPAT("virtio,mmio"),
    .needs = DEV_NEEDS_IRQ | DEV_NEEDS_DMA,
    .state_size = sizeof(struct vslot),
    .ops = &slot_ops,
    .attach = slot_attach,
    .reset = slot_reset,
    .fdt_node = fdt_dev_plain,
    .state_version = 1,
    .save = slot_save,
    .restore = slot_restore,
};


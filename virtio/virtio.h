/*
 * The virtio device model's side of the transport (virtio 1.2): what a
 * device (virtio-blk in disk/, virtio-input in machine/dev/) supplies and
 * calls. A device supplies its id, features, config space and a
 * queue-notify handler; virtio/virtio.c keeps its state and reads the
 * split virtqueue rings (§2.7) with full checking: a malformed ring never
 * crashes or hangs hartvm, it marks the device as needing a reset. The
 * transport, virtio-mmio (§4.2), owns the registers, feature negotiation
 * and queue set-up (machine/dev/virtio_mmio.c, with the board's slots).
 *
 * This directory is below the board: it names nothing of machine/, so a
 * device model in the core (disk/) can include it and link with it.
 */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H
#include <stdint.h>
#include <stdbool.h>

struct bus;
struct device_ops;
struct state_out;
struct state_in;
struct virtio_dev;

#define VIRTIO_MAX_QUEUES 4             /* virtio-net has 3 */
#define VIRTQ_MAX_SEGS 1024     /* descriptors per chain, indirect included */

/* Feature bits the transport knows (§6) */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_VERSION_1     32

/* Device status bits (§2.1) */
#define VIRTIO_STATUS_ACK          1
#define VIRTIO_STATUS_DRIVER       2
#define VIRTIO_STATUS_DRIVER_OK    4
#define VIRTIO_STATUS_FEATURES_OK  8
#define VIRTIO_STATUS_NEEDS_RESET  64
#define VIRTIO_STATUS_FAILED       128

struct virtq {
    uint32_t num, num_max;
    bool ready;
    uint64_t desc, avail, used;     /* guest-physical ring addresses */
    uint32_t pfn;                   /* legacy: ring base / guest page size */
    uint16_t last_avail;            /* next available entry to consume */
};

/* One popped descriptor chain, as guest-physical segments. */
struct vseg {
    uint64_t addr;
    uint32_t len;
    bool write;                     /* device-writable */
};
struct vchain {
    uint16_t head;
    int nseg;
    uint64_t out_len, in_len;       /* bytes readable / writable by the device */
    struct vseg seg[VIRTQ_MAX_SEGS];
};

struct virtio_dev_ops {
    uint32_t device_id;
    int nqueues;
    uint32_t queue_num_max;
    uint64_t (*features)(struct virtio_dev *v);
    /* Is this set of the offered features valid together (FEATURES_OK)?
     * NULL: every subset is. */
    bool (*features_ok)(struct virtio_dev *v, uint64_t features);
    uint64_t (*config_read)(struct virtio_dev *v, uint64_t off, unsigned size);
    void (*config_write)(struct virtio_dev *v, uint64_t off, unsigned size, uint64_t val);
    void (*notify)(struct virtio_dev *v, int queue);
    void (*reset)(struct virtio_dev *v);
    /* The device model's own state in the slot's stream section, after
     * the transport's; NULL: it has none. */
    void (*save)(const struct virtio_dev *v, struct state_out *o);
    int (*restore)(struct virtio_dev *v, struct state_in *in);
};

struct virtio_dev {
    const struct virtio_dev_ops *ops;
    void *priv;                     /* the device model */
    struct bus *bus;                /* for ring and buffer access (DMA) */
    void (*set_irq)(void *ctx, bool level);
    void *irq_ctx;
    bool legacy;

    uint32_t status, dev_features_sel, drv_features_sel, queue_sel;
    uint32_t guest_page_size, queue_align;
    uint32_t interrupt_status, config_generation;
    uint64_t driver_features;
    struct virtq vq[VIRTIO_MAX_QUEUES];
    struct vchain chain;            /* scratch for the chain being served */
};

/* The transport's registers on one device (tests drive a device with it). */
extern const struct device_ops virtio_mmio_ops;

void virtio_init(struct virtio_dev *v, const struct virtio_dev_ops *ops, void *priv,
                 struct bus *bus, bool legacy, void (*set_irq)(void *, bool), void *irq_ctx);
void virtio_reset(struct virtio_dev *v);
bool virtio_has_feature(const struct virtio_dev *v, int bit);

/* Is the driver running the device (DRIVER_OK, no NEEDS_RESET)? */
bool virtio_running(const struct virtio_dev *v);
/* Has the driver made a chain of queue q available (nothing popped)? */
bool virtq_has_avail(struct virtio_dev *v, int q);
/* Pop the next available chain of queue q into v->chain: 1 popped, 0 none,
 * -1 malformed (the device is then marked as needing a reset). */
int virtq_pop(struct virtio_dev *v, int q);
/* Return the chain to the driver with len bytes written, and interrupt. */
void virtq_push(struct virtio_dev *v, int q, uint16_t head, uint32_t len);
/* Copy from the chain's readable bytes / into its writable bytes at off. */
int vchain_read(struct virtio_dev *v, uint64_t off, void *buf, uint64_t len);
int vchain_write(struct virtio_dev *v, uint64_t off, const void *buf, uint64_t len);
/* Give up on a malformed queue until the driver resets the device. */
void virtio_needs_reset(struct virtio_dev *v);
/* The configuration changed: its interrupt, once the driver runs the device. */
void virtio_config_changed(struct virtio_dev *v);

/* ---- for the transport ---- */
/* The interrupt line follows the interrupt status. */
void virtio_update_irq(struct virtio_dev *v);
/* The device's features and the transport's own (indirect descriptors;
 * VERSION_1 unless legacy). */
uint64_t virtio_offered_features(struct virtio_dev *v);
/* Queue q is set up and the device running (DRIVER_OK, no NEEDS_RESET). */
bool virtq_usable(const struct virtio_dev *v, const struct virtq *q);
/* Queue sizes are powers of 2 (§2.7). */
static inline bool virtio_is_pow2(uint32_t n) { return n && !(n & (n - 1)); }
#endif

/*
 * virtio-input (virtio 1.2 §5.8), device id 18: a keyboard and an absolute
 * pointer (tablet), on the shared virtio-mmio transport (virtio.h).
 *
 * Queues: 0 eventq (device -> driver: each buffer takes one event),
 *         1 statusq (driver -> device: LED state; read and dropped).
 * Event (8 bytes, little-endian): le16 type, le16 code, le32 value, with
 * Linux's evdev meanings (EV_KEY, EV_ABS, EV_REL, EV_SYN).
 *
 * Configuration space (at virtio-mmio offset 0x100):
 *   0x00 u8 select    the driver writes what it wants to know ...
 *   0x01 u8 subsel    ... and a sub-selector,
 *   0x02 u8 size      the device answers with the size of ...
 *   0x08 u8 u[128]    ... the answer: a string, a bitmap, devids, absinfo
 *
 *   select       subsel      answer
 *   0x01 NAME    -           "hartvm keyboard" / "hartvm tablet"
 *   0x02 SERIAL  -           (none: size 0)
 *   0x03 DEVIDS  -           le16 bustype BUS_VIRTUAL, vendor, product, version
 *   0x10 PROPS   -           (none: size 0)
 *   0x11 EVBITS  EV_*        bitmap of the codes sent for that event type
 *   0x12 ABSINFO ABS_X/Y     le32 min 0, max 32767, fuzz, flat, res
 *
 * The host side (ui/) queues events with vinput_event(); they are written
 * into eventq buffers as the driver provides them and the batch is handed
 * over at each EV_SYN. Events that find neither a buffer nor room in the
 * pending FIFO are dropped and counted (a guest that stops reading its
 * keyboard must not make hartvm grow without bound).
 */
#ifndef MACHINE_DEV_VIRTIO_INPUT_H
#define MACHINE_DEV_VIRTIO_INPUT_H
#include "virtio.h"
#include <stddef.h>

#define VIRTIO_ID_INPUT 18
#define VINPUT_ABS_MAX  32767       /* tablet coordinates run 0..VINPUT_ABS_MAX */
#define VINPUT_PENDING  256         /* events waiting for eventq buffers */

enum vinput_kind { VINPUT_KEYBOARD, VINPUT_TABLET };

struct vinput_event {
    uint16_t type, code;
    uint32_t value;
};

struct vinput {
    struct virtio_dev vdev;
    enum vinput_kind kind;
    struct irq_line irq;            /* its slot's line (none in unit tests) */
    uint8_t select, subsel;         /* the configuration question asked */
    struct vinput_event pend[VINPUT_PENDING];
    unsigned head, count;
    uint64_t dropped;
};

/* Set up the device (the board puts &d->vdev in a virtio-mmio slot);
 * irq: the slot's line, or NULL for none. */
void vinput_init(struct vinput *d, enum vinput_kind kind, struct bus *bus, bool legacy,
                 const struct irq_line *irq);
/* Queue one event; an EV_SYN (type 0) delivers what is queued. */
void vinput_event(struct vinput *d, uint16_t type, uint16_t code, int32_t value);
/* Deliver queued events into available eventq buffers (also on notify). */
void vinput_flush(struct vinput *d);
/* Is the device set up by a driver (DRIVER_OK)? */
bool vinput_ready(const struct vinput *d);
#endif

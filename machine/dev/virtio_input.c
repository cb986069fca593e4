/*
 * virtio-input keyboard and tablet (see virtio_input.h for the queues and
 * the configuration protocol). Event and key codes are Linux's evdev codes,
 * taken from the host's <linux/input.h>.
 */
#include "virtio_input.h"
#include "../state.h"
#include <stdio.h>
#include <linux/input.h>
#include <string.h>

/* Configuration selectors (virtio 1.2 §5.8.5) */
enum {
    CFG_UNSET = 0x00, CFG_ID_NAME = 0x01, CFG_ID_SERIAL = 0x02, CFG_ID_DEVIDS = 0x03,
    CFG_PROP_BITS = 0x10, CFG_EV_BITS = 0x11, CFG_ABS_INFO = 0x12,
};
enum { EVENTQ = 0, STATUSQ = 1 };
#define QUEUE_SIZE 64
#define CFG_SIZE   136              /* select, subsel, size, 5 reserved, u[128] */
#define VENDOR_ID  0x6876           /* "hv": ours */

static uint64_t vinput_features(struct virtio_dev *v)
{
    (void)v;
    return 0;                       /* no device-specific features (§5.8.3) */
}

static void set_bit(uint8_t *map, unsigned bit)
{
    map[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

/* Bitmap of the codes this device sends for event type ev; its size in
 * bytes (the highest non-zero byte + 1), 0 for a type it never sends. */
static unsigned ev_bits(const struct vinput *d, unsigned ev, uint8_t *map)
{
    bool kbd = d->kind == VINPUT_KEYBOARD;
    switch (ev) {
    case EV_SYN:
        set_bit(map, SYN_REPORT);
        break;
    case EV_KEY:
        if (kbd) {
            /* every keyboard code below the buttons: a full PC layout plus
             * the multimedia keys SDL can report (ui/keymap.c) */
            for (unsigned k = KEY_ESC; k < BTN_MISC; k++)
                set_bit(map, k);
        } else {
            set_bit(map, BTN_LEFT);
            set_bit(map, BTN_RIGHT);
            set_bit(map, BTN_MIDDLE);
            set_bit(map, BTN_SIDE);
            set_bit(map, BTN_EXTRA);
        }
        break;
    case EV_REP:                    /* the guest does the auto-repeat */
        if (!kbd)
            return 0;
        return 1;                   /* present, no codes */
    case EV_LED:
        if (!kbd)
            return 0;
        set_bit(map, LED_NUML);
        set_bit(map, LED_CAPSL);
        set_bit(map, LED_SCROLLL);
        break;
    case EV_ABS:
        if (kbd)
            return 0;
        set_bit(map, ABS_X);
        set_bit(map, ABS_Y);
        break;
    case EV_REL:
        if (kbd)
            return 0;
        set_bit(map, REL_WHEEL);
        set_bit(map, REL_HWHEEL);
        break;
    default:
        return 0;
    }
    unsigned n = 128;
    while (n && !map[n - 1])
        n--;
    return n;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

/* The answer to (select, subsel): fills u[128], returns its size. */
static unsigned cfg_answer(const struct vinput *d, uint8_t *u)
{
    bool kbd = d->kind == VINPUT_KEYBOARD;
    switch (d->select) {
    case CFG_ID_NAME: {
        const char *name = kbd ? "hartvm keyboard" : "hartvm tablet";
        size_t n = strlen(name);
        memcpy(u, name, n);
        return (unsigned)n;
    }
    case CFG_ID_DEVIDS:
        put16(u + 0, BUS_VIRTUAL);
        put16(u + 2, VENDOR_ID);
        put16(u + 4, kbd ? 1 : 2);  /* product */
        put16(u + 6, 1);            /* version */
        return 8;
    case CFG_EV_BITS:
        return ev_bits(d, d->subsel, u);
    case CFG_ABS_INFO:
        if (kbd || (d->subsel != ABS_X && d->subsel != ABS_Y))
            return 0;
        put32(u + 0, 0);                /* min */
        put32(u + 4, VINPUT_ABS_MAX);   /* max; fuzz, flat, res stay 0 */
        return 20;
    default:                        /* UNSET, SERIAL, PROP_BITS: nothing */
        return 0;
    }
}

static uint64_t vinput_config_read(struct virtio_dev *v, uint64_t off, unsigned size)
{
    struct vinput *d = v->priv;
    uint8_t cfg[CFG_SIZE] = { d->select, d->subsel };
    cfg[2] = (uint8_t)cfg_answer(d, cfg + 8);
    uint64_t val = 0;
    if (off < CFG_SIZE && size <= CFG_SIZE - off && size <= 8)
        memcpy(&val, cfg + off, size);
    return val;
}

/* Only select and subsel are writable (§5.8.5); wider writes may cover both. */
static void vinput_config_write(struct virtio_dev *v, uint64_t off, unsigned size, uint64_t val)
{
    struct vinput *d = v->priv;
    for (unsigned i = 0; i < size && off + i < 2; i++) {
        uint8_t b = (uint8_t)(val >> (8 * i));
        if (off + i == 0)
            d->select = b;
        else
            d->subsel = b;
    }
}

bool vinput_ready(const struct vinput *d)
{
    return (d->vdev.status & VIRTIO_STATUS_DRIVER_OK) &&
           !(d->vdev.status & VIRTIO_STATUS_NEEDS_RESET);
}

void vinput_flush(struct vinput *d)
{
    struct virtio_dev *v = &d->vdev;
    while (d->count && vinput_ready(d)) {
        const struct vinput_event *e = &d->pend[d->head];
        uint8_t raw[8];
        put16(raw + 0, e->type);
        put16(raw + 2, e->code);
        put32(raw + 4, e->value);
        int r = virtq_pop(v, EVENTQ);
        if (r <= 0)
            return;                 /* no buffer yet (or a broken ring) */
        if (v->chain.in_len < sizeof raw || vchain_write(v, 0, raw, sizeof raw)) {
            virtio_needs_reset(v);
            return;
        }
        virtq_push(v, EVENTQ, v->chain.head, sizeof raw);
        d->head = (d->head + 1) % VINPUT_PENDING;
        d->count--;
    }
}

void vinput_event(struct vinput *d, uint16_t type, uint16_t code, int32_t value)
{
    if (!vinput_ready(d)) {
        d->dropped++;               /* no driver: nobody to tell */
        return;
    }
    if (d->count == VINPUT_PENDING) {
        d->dropped++;
        return;
    }
    d->pend[(d->head + d->count) % VINPUT_PENDING] =
        (struct vinput_event){ type, code, (uint32_t)value };
    d->count++;
    if (type == EV_SYN)
        vinput_flush(d);
}

static void vinput_notify(struct virtio_dev *v, int q)
{
    struct vinput *d = v->priv;
    if (q == EVENTQ) {              /* new buffers: pending events can go */
        vinput_flush(d);
        return;
    }
    /* statusq: LED changes; accepted and dropped (there are no LEDs) */
    for (int budget = QUEUE_SIZE; budget > 0 && virtq_pop(v, q) > 0; budget--)
        virtq_push(v, q, v->chain.head, 0);
}

static void vinput_reset(struct virtio_dev *v)
{
    struct vinput *d = v->priv;
    d->select = d->subsel = 0;
    d->head = d->count = 0;
}

/* The question asked and the events not yet delivered. */
static void vinput_save(const struct virtio_dev *v, struct state_out *o)
{
    const struct vinput *d = v->priv;
    state_put_u8(o, (uint8_t)d->kind);
    state_put_u8(o, d->select);
    state_put_u8(o, d->subsel);
    state_put_u32(o, d->count);
    for (unsigned i = 0; i < d->count; i++) {
        const struct vinput_event *e = &d->pend[(d->head + i) % VINPUT_PENDING];
        state_put_u16(o, e->type);
        state_put_u16(o, e->code);
        state_put_u32(o, e->value);
    }
    state_put_u64(o, d->dropped);
}

static int vinput_restore(struct virtio_dev *v, struct state_in *in)
{
    struct vinput *d = v->priv;
    if (state_get_u8(in) != d->kind)
        return state_reject(in, "keyboard and tablet swapped");
    d->select = state_get_u8(in);
    d->subsel = state_get_u8(in);
    uint32_t n = state_get_u32(in);
    if (n > VINPUT_PENDING)
        return state_reject(in, "more pending events than the queue holds");
    d->head = 0;
    d->count = n;
    for (unsigned i = 0; i < n; i++) {
        d->pend[i].type = state_get_u16(in);
        d->pend[i].code = state_get_u16(in);
        d->pend[i].value = state_get_u32(in);
    }
    d->dropped = state_get_u64(in);
    return 0;
}

static const struct virtio_dev_ops vinput_ops = {
    .device_id = VIRTIO_ID_INPUT,
    .nqueues = 2,
    .queue_num_max = QUEUE_SIZE,
    .features = vinput_features,
    .config_read = vinput_config_read,
    .config_write = vinput_config_write,
    .notify = vinput_notify,
    .reset = vinput_reset,
    .save = vinput_save,
    .restore = vinput_restore,
};

void vinput_init(struct vinput *d, enum vinput_kind kind, struct bus *bus, bool legacy,
                 const struct irq_line *irq)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    if (irq)
        d->irq = *irq;
    virtio_init(&d->vdev, &vinput_ops, d, bus, legacy, irq_line_drive, &d->irq);
}

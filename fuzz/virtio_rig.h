/*
 * What the virtio device harnesses (fuzz_vblk.c, fuzz_vnet.c) share: guest
 * RAM with a page of ROM beside it that must come out unchanged, the
 * device's virtio-mmio registers, the driver's steps of §3.1.1 and the
 * operations both inputs are made of:
 *
 *   byte 0      flags (each harness's own)
 *   bytes 1-2   n = bytes of RAM image that follow (little endian)
 *   n bytes     copied to RAM at 0x8000_0000 (RAM_SIZE at most)
 *   then        8-byte operations { u8 kind; u8 size; u16 off; u32 val },
 *               kinds 0-5 as vrig_op takes them, the rest the harness's
 */
#ifndef FUZZ_VIRTIO_RIG_H
#define FUZZ_VIRTIO_RIG_H
#include "../virtio/virtio.h"
#include "../mmu/bus.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000u
#define ROM_BASE 0x1000ull
#define MAX_OPS  512

struct vrig {
    struct bus bus;
    uint8_t *ram;
    uint8_t rom[4096];
    struct virtio_dev *dev;         /* set by the harness once the device is made */
    int irq;
};

static inline void vrig_set_irq(void *ctx, bool level) { ((struct vrig *)ctx)->irq = level; }

/* RAM (from the input's image) and the ROM on a fresh bus; *data and *size
 * move past the image. The flags byte, or -1 for an input too short. */
static inline int vrig_open(struct vrig *r, const uint8_t **data, size_t *size)
{
    if (*size < 3)
        return -1;
    const uint8_t *d = *data;
    unsigned flags = d[0];
    size_t n = d[1] | d[2] << 8;
    d += 3, *size -= 3;
    if (n > *size)
        n = *size;
    memset(&r->bus, 0, sizeof r->bus);
    r->ram = calloc(1, RAM_SIZE);
    memcpy(r->ram, d, n < RAM_SIZE ? n : RAM_SIZE);
    *data = d + n, *size -= n;
    memset(r->rom, 0xa5, sizeof r->rom);
    bus_add_memory(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram, false);
    bus_add_memory(&r->bus, "rom", ROM_BASE, sizeof r->rom, r->rom, true);
    return (int)flags;
}

/* The ROM unchanged (else abort, naming the harness); the bus and RAM freed. */
static inline void vrig_close(struct vrig *r, const char *name)
{
    for (unsigned i = 0; i < sizeof r->rom; i++)
        if (r->rom[i] != 0xa5) {
            fprintf(stderr, "%s: ROM byte %#x written\n", name, i);
            abort();
        }
    bus_free(&r->bus);
    free(r->ram);
}

static inline void vrig_wr(struct vrig *r, uint64_t off, unsigned size, uint64_t v)
{
    virtio_mmio_ops.write(r->dev, off, size, v);
}

static inline uint64_t vrig_rd(struct vrig *r, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    virtio_mmio_ops.read(r->dev, off, size, &v);
    return v;
}

/* §3.1.1 up to FEATURES_OK, with every offered feature accepted. */
static inline void vrig_negotiate(struct vrig *r)
{
    vrig_wr(r, 0x070, 4, 0);
    vrig_wr(r, 0x070, 4, 1);
    vrig_wr(r, 0x070, 4, 3);
    for (unsigned sel = 0; sel < 2; sel++) {
        vrig_wr(r, 0x014, 4, sel);
        uint64_t f = vrig_rd(r, 0x010, 4);
        vrig_wr(r, 0x024, 4, sel);
        vrig_wr(r, 0x020, 4, f);
    }
    vrig_wr(r, 0x070, 4, 3 | 8);
}

/* Queue q of num entries: descriptors at desc, the available ring 0x1000
 * and the used ring 0x2000 above (legacy: one page-aligned block at desc). */
static inline void vrig_queue(struct vrig *r, unsigned q, unsigned num, uint64_t desc, bool legacy)
{
    uint64_t avail = desc + 0x1000, used = desc + 0x2000;
    vrig_wr(r, 0x030, 4, q);
    vrig_wr(r, 0x038, 4, num);
    if (legacy) {
        vrig_wr(r, 0x028, 4, 4096);
        vrig_wr(r, 0x03c, 4, 4096);
        vrig_wr(r, 0x040, 4, desc >> 12);
    } else {
        vrig_wr(r, 0x080, 4, (uint32_t)desc);  vrig_wr(r, 0x084, 4, desc >> 32);
        vrig_wr(r, 0x090, 4, (uint32_t)avail); vrig_wr(r, 0x094, 4, avail >> 32);
        vrig_wr(r, 0x0a0, 4, (uint32_t)used);  vrig_wr(r, 0x0a4, 4, used >> 32);
        vrig_wr(r, 0x044, 4, 1);
    }
}

static inline void vrig_driver_ok(struct vrig *r) { vrig_wr(r, 0x070, 4, 3 | 8 | 4); }

/* Interrupt acknowledge of everything pending. */
static inline void vrig_ack(struct vrig *r) { vrig_wr(r, 0x064, 4, vrig_rd(r, 0x060, 4)); }

/* The operations of kind 0-5 (false for any other kind):
 *   0  register write (size 1/2/4/8 from size % 4; off % 0x200)
 *   1  register read
 *   2  register write of a RAM address: val = RAM_BASE + val % RAM_SIZE
 *   3  register write of a legacy PFN: (RAM_BASE >> 12) + val % pages
 *   4  RAM poke: 4 bytes of val at RAM offset off
 *   5  notify queue (val % 4) */
static inline bool vrig_op(struct vrig *r, unsigned kind, unsigned sz, uint32_t off, uint32_t val)
{
    switch (kind) {
    case 0: vrig_wr(r, off % 0x200, sz, val); return true;
    case 1: vrig_rd(r, off % 0x200, sz); return true;
    case 2: vrig_wr(r, off % 0x200 & ~3u, 4, (uint32_t)(RAM_BASE + val % RAM_SIZE)); return true;
    case 3: vrig_wr(r, 0x040, 4, (uint32_t)((RAM_BASE >> 12) + val % (RAM_SIZE >> 12))); return true;
    case 4: memcpy(r->ram + off % (RAM_SIZE - 3), &val, 4); return true;
    case 5: vrig_wr(r, 0x050, 4, val % 4); return true;
    }
    return false;
}
#endif

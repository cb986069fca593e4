/*
 * Fuzz harness: the virtio-net device behind the virtio-mmio transport,
 * driven without a guest as tests/unit/test_virtio_net.c does: the input
 * is guest RAM plus a sequence of register accesses, notifies and frames
 * arriving from a back end.
 *
 *   byte 0      flags: bit 0 legacy transport
 *   bytes 1-2   n = bytes of RAM image that follow (little endian)
 *   n bytes     copied to RAM at 0x8000_0000 (RAM_SIZE at most)
 *   then        8-byte operations { u8 kind; u8 size; u16 off; u32 val }:
 *     kind % 10 == 0  register write (size 1/2/4/8 from size % 4; off % 0x200)
 *                  1  register read
 *                  2  register write of a RAM address: val = RAM_BASE + val % RAM_SIZE
 *                  3  register write of a legacy PFN: (RAM_BASE >> 12) + val % pages
 *                  4  RAM poke: 4 bytes of val at RAM offset off
 *                  5  notify queue (val % 4)
 *                  6  the driver's whole initialisation of the three queues
 *                     with rings at RAM offsets from val (see driver_init)
 *                  7  a frame of off % 2048 bytes (from RAM at val) arrives
 *                  8  interrupt acknowledge of everything pending
 *                  9  configuration space write (off % 16)
 *
 * Next to RAM lies a page of ROM that must come out unchanged; every frame
 * transmitted must be within the device's limit; nothing may read or write
 * outside RAM (ASan watches the host side).
 */
#include "../machine/dev/virtio_net.h"
#include "../mmu/bus.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000u
#define ROM_BASE 0x1000ull
#define MAX_OPS  512

struct rig {
    struct bus bus;
    uint8_t *ram;
    uint8_t rom[4096];
    struct vnet net;
    int irq;
};

static void set_irq(void *ctx, bool level) { ((struct rig *)ctx)->irq = level; }

static void tx(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    volatile uint8_t sink = 0;
    if (len > VNET_MAX_FRAME)
        abort();
    for (size_t i = 0; i < len; i++)        /* ASan: every byte is really there */
        sink ^= frame[i];
    (void)sink;
}

static void wr(struct rig *r, uint64_t off, unsigned size, uint64_t v)
{
    virtio_mmio_ops.write(&r->net.vdev, off, size, v);
}

static uint64_t rd(struct rig *r, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    virtio_mmio_ops.read(&r->net.vdev, off, size, &v);
    return v;
}

/* §3.1.1 with every offered feature accepted; queue q's rings at RAM
 * offset (val & 3) * 0x3000 + q * 0x3000 (wrapped), num from val. */
static void driver_init(struct rig *r, uint32_t val, bool legacy)
{
    unsigned num = 1u << ((val >> 4) % 9);
    wr(r, 0x070, 4, 0);
    wr(r, 0x070, 4, 1);
    wr(r, 0x070, 4, 3);
    for (unsigned sel = 0; sel < 2; sel++) {
        wr(r, 0x014, 4, sel);
        uint64_t f = rd(r, 0x010, 4);
        wr(r, 0x024, 4, sel);
        wr(r, 0x020, 4, f);
    }
    wr(r, 0x070, 4, 3 | 8);
    for (unsigned q = 0; q < 3; q++) {
        uint64_t desc = RAM_BASE + ((val & 3) * 0x3000 + q * 0x3000) % (RAM_SIZE - 0x3000);
        wr(r, 0x030, 4, q);
        wr(r, 0x038, 4, num);
        if (legacy) {
            wr(r, 0x028, 4, 4096);
            wr(r, 0x03c, 4, 4096);
            wr(r, 0x040, 4, desc >> 12);
        } else {
            wr(r, 0x080, 4, (uint32_t)desc);  wr(r, 0x084, 4, desc >> 32);
            wr(r, 0x090, 4, (uint32_t)desc + 0x1000); wr(r, 0x094, 4, desc >> 32);
            wr(r, 0x0a0, 4, (uint32_t)desc + 0x2000); wr(r, 0x0a4, 4, desc >> 32);
            wr(r, 0x044, 4, 1);
        }
    }
    wr(r, 0x070, 4, 3 | 8 | 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rig r;            /* the device's frame buffer: not on the stack */
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    if (size < 3)
        return 0;
    unsigned flags = data[0];
    size_t n = data[1] | data[2] << 8;
    data += 3, size -= 3;
    if (n > size)
        n = size;
    memset(&r.bus, 0, sizeof r.bus);
    r.ram = calloc(1, RAM_SIZE);
    memcpy(r.ram, data, n < RAM_SIZE ? n : RAM_SIZE);
    data += n, size -= n;
    memset(r.rom, 0xa5, sizeof r.rom);
    bus_add_memory(&r.bus, "ram", RAM_BASE, RAM_SIZE, r.ram, false);
    bus_add_memory(&r.bus, "rom", ROM_BASE, sizeof r.rom, r.rom, true);
    bool legacy = flags & 1;
    vnet_init(&r.net, mac, &r.bus, legacy, set_irq, &r);
    r.net.tx = tx;
    for (int i = 0; i < MAX_OPS && size >= 8; i++, data += 8, size -= 8) {
        unsigned kind = data[0] % 10, sz = 1u << (data[1] % 4);
        uint32_t off = data[2] | data[3] << 8, val;
        memcpy(&val, data + 4, 4);
        switch (kind) {
        case 0: wr(&r, off % 0x200, sz, val); break;
        case 1: rd(&r, off % 0x200, sz); break;
        case 2: wr(&r, off % 0x200 & ~3u, 4, (uint32_t)(RAM_BASE + val % RAM_SIZE)); break;
        case 3: wr(&r, 0x040, 4, (uint32_t)((RAM_BASE >> 12) + val % (RAM_SIZE >> 12))); break;
        case 4: memcpy(r.ram + off % (RAM_SIZE - 3), &val, 4); break;
        case 5: wr(&r, 0x050, 4, val % 4); break;
        case 6: driver_init(&r, val, legacy); break;
        case 7: {
            static uint8_t frame[2048];     /* a back end's own buffer, not guest RAM */
            size_t len = off % 2048, at = val % RAM_SIZE;
            if (len > RAM_SIZE - at)
                len = RAM_SIZE - at;
            memcpy(frame, r.ram + at, len);
            vnet_receive(&r.net, frame, len, val & 1);
            break;
        }
        case 8: wr(&r, 0x064, 4, rd(&r, 0x060, 4)); break;
        case 9: wr(&r, 0x100 + off % 16, sz > 4 ? 4 : sz, val); break;
        }
    }
    for (unsigned i = 0; i < sizeof r.rom; i++)
        if (r.rom[i] != 0xa5) {
            fprintf(stderr, "fuzz_vnet: ROM byte %#x written\n", i);
            abort();
        }
    bus_free(&r.bus);
    free(r.ram);
    return 0;
}

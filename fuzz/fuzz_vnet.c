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
 *     kind % 10 == 0-5  register and RAM accesses, notify (virtio_rig.h)
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
#include "virtio_rig.h"

struct rig {
    struct vrig v;
    struct vnet net;
};

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

/* §3.1.1 with every offered feature accepted; queue q's rings at RAM
 * offset (val & 3) * 0x3000 + q * 0x3000 (wrapped), num from val. */
static void driver_init(struct vrig *r, uint32_t val, bool legacy)
{
    unsigned num = 1u << ((val >> 4) % 9);
    vrig_negotiate(r);
    for (unsigned q = 0; q < 3; q++)
        vrig_queue(r, q, num, RAM_BASE + ((val & 3) * 0x3000 + q * 0x3000) % (RAM_SIZE - 0x3000),
                   legacy);
    vrig_driver_ok(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rig r;            /* the device's frame buffer: not on the stack */
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    int flags = vrig_open(&r.v, &data, &size);
    if (flags < 0)
        return 0;
    bool legacy = flags & 1;
    vnet_init(&r.net, mac, &r.v.bus, legacy, vrig_set_irq, &r.v);
    r.v.dev = &r.net.vdev;
    r.net.tx = tx;
    for (int i = 0; i < MAX_OPS && size >= 8; i++, data += 8, size -= 8) {
        unsigned kind = data[0] % 10, sz = 1u << (data[1] % 4);
        uint32_t off = data[2] | data[3] << 8, val;
        memcpy(&val, data + 4, 4);
        if (vrig_op(&r.v, kind, sz, off, val))
            continue;
        switch (kind) {
        case 6: driver_init(&r.v, val, legacy); break;
        case 7: {
            static uint8_t frame[2048];     /* a back end's own buffer, not guest RAM */
            size_t len = off % 2048, at = val % RAM_SIZE;
            if (len > RAM_SIZE - at)
                len = RAM_SIZE - at;
            memcpy(frame, r.v.ram + at, len);
            vnet_receive(&r.net, frame, len, val & 1);
            break;
        }
        case 8: vrig_ack(&r.v); break;
        case 9: vrig_wr(&r.v, 0x100 + off % 16, sz > 4 ? 4 : sz, val); break;
        }
    }
    vrig_close(&r.v, "fuzz_vnet");
    return 0;
}

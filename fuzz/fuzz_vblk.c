/*
 * Fuzz harness: the virtio-blk device behind the virtio-mmio transport
 * (the guest-driver surface), driven without a guest as tests/unit/test_virtio_blk.c
 * does: the input is guest RAM plus a sequence of register accesses.
 *
 *   byte 0      flags: bit 0 legacy transport, bit 1 read-only, bit 2 snapshot,
 *               bit 3 no format given (probed raw: sector 0 guarded)
 *   bytes 1-2   n = bytes of RAM image that follow (little endian)
 *   n bytes     copied to RAM at 0x8000_0000 (RAM_SIZE at most)
 *   then        8-byte operations { u8 kind; u8 size; u16 off; u32 val }:
 *     kind % 8 == 0  register write (size 1/2/4/8 from size % 4; off % 0x200)
 *                1  register read
 *                2  register write of a RAM address: val = RAM_BASE + val % RAM_SIZE
 *                3  register write of a legacy PFN: (RAM_BASE >> 12) + val % pages
 *                4  RAM poke: 4 bytes of val at RAM offset off
 *                5  notify queue (val % 4)
 *                6  the driver's whole modern/legacy initialisation with
 *                   rings at RAM offsets from val (see driver_init)
 *                7  interrupt acknowledge of everything pending
 *
 * The disk is a 64-sector temporary image file (its sector 0 restored to
 * zeros before a probing run, as earlier unguarded runs may have written a
 * format's magic there). Next to RAM
 * lies a page of ROM that must come out unchanged, and nothing may read or
 * write outside RAM (ASan watches the host side).
 */
#define _GNU_SOURCE
#include "../disk/virtio_blk.h"
#include "../disk/probe.h"
#include "../mmu/bus.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000u
#define ROM_BASE 0x1000ull
#define SECTORS  64
#define MAX_OPS  512

struct rig {
    struct bus bus;
    uint8_t *ram;
    uint8_t rom[4096];
    struct vblk blk;
    int irq;
};

static void set_irq(void *ctx, bool level) { ((struct rig *)ctx)->irq = level; }

/* The image: one temporary file for the process, reopened by path per
 * input (a writable image must be named directly: no /proc/self/fd link). */
static char image_name[64];
static void image_unlink(void) { unlink(image_name); }
static const char *image_path(void)
{
    if (!image_name[0]) {
        strcpy(image_name, "/tmp/hartvm-fuzz-vblk-XXXXXX");
        int fd = mkstemp(image_name);
        uint8_t sec[512];
        for (int s = 0; s < SECTORS; s++) {
            memset(sec, s, sizeof sec);
            if (fd < 0 || write(fd, sec, sizeof sec) != (ssize_t)sizeof sec)
                abort();
        }
        close(fd);
        atexit(image_unlink);
    }
    return image_name;
}

static void wr(struct rig *r, uint64_t off, unsigned size, uint64_t v)
{
    virtio_mmio_ops.write(&r->blk.vdev, off, size, v);
}

static uint64_t rd(struct rig *r, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    virtio_mmio_ops.read(&r->blk.vdev, off, size, &v);
    return v;
}

/* §3.1.1 with every offered feature accepted; rings at RAM offsets from val. */
static void driver_init(struct rig *r, uint32_t val, bool legacy)
{
    uint64_t desc = RAM_BASE + (val & 0xf) * 0x1000, avail = desc + 0x1000, used = desc + 0x2000;
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
    wr(r, 0x030, 4, 0);
    wr(r, 0x038, 4, num);
    if (legacy) {
        wr(r, 0x028, 4, 4096);
        wr(r, 0x03c, 4, 4096);
        wr(r, 0x040, 4, desc >> 12);
    } else {
        wr(r, 0x080, 4, (uint32_t)desc);  wr(r, 0x084, 4, desc >> 32);
        wr(r, 0x090, 4, (uint32_t)avail); wr(r, 0x094, 4, avail >> 32);
        wr(r, 0x0a0, 4, (uint32_t)used);  wr(r, 0x0a4, 4, used >> 32);
        wr(r, 0x044, 4, 1);
    }
    wr(r, 0x070, 4, 3 | 8 | 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rig r;            /* 64 KiB bounce buffer: not on the stack */
    char err[256];
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
    bool probe = flags & 8;
    if (probe) {
        static const uint8_t zero[512];
        int fd = open(image_path(), O_WRONLY);
        if (fd < 0 || pwrite(fd, zero, sizeof zero, 0) != (ssize_t)sizeof zero)
            abort();
        close(fd);
    }
    if (vblk_init(&r.blk, &r.bus, image_path(), flags & 2, flags & 4,
                  probe ? IMAGE_PROBE : IMG_FMT_RAW, legacy, set_irq, &r,
                  err, sizeof err)) {
        fprintf(stderr, "fuzz_vblk: %s\n", err);
        abort();
    }
    for (int i = 0; i < MAX_OPS && size >= 8; i++, data += 8, size -= 8) {
        unsigned kind = data[0] % 8, sz = 1u << (data[1] % 4);
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
        case 7: wr(&r, 0x064, 4, rd(&r, 0x060, 4)); break;
        }
    }
    for (unsigned i = 0; i < sizeof r.rom; i++)
        if (r.rom[i] != 0xa5) {
            fprintf(stderr, "fuzz_vblk: ROM byte %#x written\n", i);
            abort();
        }
    vblk_close(&r.blk);
    bus_free(&r.bus);
    free(r.ram);
    return 0;
}

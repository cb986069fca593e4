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
 *     kind % 8 == 0-5  register and RAM accesses, notify (virtio_rig.h)
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
#include "virtio_rig.h"
#include <fcntl.h>
#include <unistd.h>

#define SECTORS  64

struct rig {
    struct vrig v;
    struct vblk blk;
};

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

/* §3.1.1 with every offered feature accepted; rings at RAM offsets from val. */
static void driver_init(struct vrig *r, uint32_t val, bool legacy)
{
    vrig_negotiate(r);
    vrig_queue(r, 0, 1u << ((val >> 4) % 9), RAM_BASE + (val & 0xf) * 0x1000, legacy);
    vrig_driver_ok(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rig r;            /* 64 KiB bounce buffer: not on the stack */
    char err[256];
    int flags = vrig_open(&r.v, &data, &size);
    if (flags < 0)
        return 0;
    bool legacy = flags & 1;
    bool probe = flags & 8;
    if (probe) {
        static const uint8_t zero[512];
        int fd = open(image_path(), O_WRONLY);
        if (fd < 0 || pwrite(fd, zero, sizeof zero, 0) != (ssize_t)sizeof zero)
            abort();
        close(fd);
    }
    if (vblk_init(&r.blk, &r.v.bus, image_path(), flags & 2, flags & 4,
                  probe ? IMAGE_PROBE : IMG_FMT_RAW, legacy, vrig_set_irq, &r.v,
                  err, sizeof err)) {
        fprintf(stderr, "fuzz_vblk: %s\n", err);
        abort();
    }
    r.v.dev = &r.blk.vdev;
    for (int i = 0; i < MAX_OPS && size >= 8; i++, data += 8, size -= 8) {
        unsigned kind = data[0] % 8, sz = 1u << (data[1] % 4);
        uint32_t off = data[2] | data[3] << 8, val;
        memcpy(&val, data + 4, 4);
        if (vrig_op(&r.v, kind, sz, off, val))
            continue;
        if (kind == 6)
            driver_init(&r.v, val, legacy);
        else if (kind == 7)
            vrig_ack(&r.v);
    }
    vblk_close(&r.blk);
    vrig_close(&r.v, "fuzz_vblk");
    return 0;
}

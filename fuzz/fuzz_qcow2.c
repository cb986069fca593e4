/*
 * Fuzz harness: qcow2 images (disk/qcow2*.c).
 *
 *   byte 0:   bits 0-1 pick the write offsets' spread, bit 2 opens writable
 *   byte 1:   the fill byte of the writes
 *   the rest: the image file
 *
 * The file (in /dev/shm where there is one: fdatasync costs nothing there)
 * goes through qcow2_parse_header directly (with its real size and a few
 * larger ones), then through image_open_as as qcow2: read-only, reading
 * sectors at the start, middle and end of the virtual disk; and, with bit
 * 2, writable: four writes, each read back (a write that
 * succeeds must read back as written), then closed. A refused image must
 * come with a message. Backing files the image names are opened as they
 * would be (read-only).
 */
#include "../disk/image.h"
#include "../disk/probe.h"
#include "../disk/qcow2.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
        abort();
}

static void parse_sizes(const uint8_t *data, size_t size)
{
    struct qcow2_header h;
    char err[256];
    static const uint64_t extra[] = { 0, 512, 1u << 20, 1ull << 40 };
    for (unsigned i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        err[0] = 0;
        if (qcow2_parse_header(&h, data, size, size + extra[i], err, sizeof err) && !err[0])
            abort();
    }
}

static int open_or_explain(struct image *img, const char *path, bool readonly)
{
    char err[1024];
    err[0] = 0;
    if (!image_open_as(img, path, IMG_FMT_QCOW2, readonly, false, err, sizeof err))
        return 0;
    if (!err[0]) {
        fprintf(stderr, "fuzz_qcow2: refused without a message\n");
        abort();
    }
    return -1;
}

static uint64_t spot(const struct image *img, unsigned which)
{
    uint64_t sectors = img->size / SECTOR_SIZE;
    uint64_t s = which == 0 ? 0 : which == 1 ? sectors / 2 : sectors - 1;
    return s * SECTOR_SIZE;
}

static void read_spots(struct image *img)
{
    static uint8_t buf[4096];
    for (unsigned w = 0; w < 3; w++) {
        uint64_t off = spot(img, w), n = img->size - off < sizeof buf ? img->size - off : sizeof buf;
        image_read(img, off, buf, n);
    }
}

static void write_spots(struct image *img, unsigned spread, uint8_t fill)
{
    static uint8_t buf[8192], back[8192];
    memset(buf, fill, sizeof buf);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t off = (spot(img, i % 3) + ((uint64_t)i << (9 + 4 * spread))) % img->size;
        uint64_t n = img->size - off < sizeof buf ? img->size - off : sizeof buf;
        buf[0] = (uint8_t)i;
        if (image_write(img, off, buf, n))
            continue;
        if (image_read(img, off, back, n) || memcmp(buf, back, n)) {
            fprintf(stderr, "fuzz_qcow2: a write at %llu does not read back\n", (unsigned long long)off);
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    struct image img;
    if (size < 2)
        return 0;
    if (!path[0])
        snprintf(path, sizeof path, "%s/hartvm-fuzz-qcow2-%d", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm",
                 (int)getpid());
    unsigned flags = data[0];
    uint8_t fill = data[1];
    data += 2, size -= 2;
    parse_sizes(data, size);
    write_file(path, data, size);
    if (!open_or_explain(&img, path, true)) {
        if (img.size)
            read_spots(&img);
        image_close(&img);
    }
    if ((flags & 4) && !open_or_explain(&img, path, false)) {
        if (img.size) {
            read_spots(&img);
            write_spots(&img, flags & 3, fill);
        }
        image_close(&img);
    }
    unlink(path);
    return 0;
}

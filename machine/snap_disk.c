/*
 * Disks in a snapshot, one section per virtio-blk device (its slot is the
 * instance). A disk is not copied: it is identified by its image's path
 * (made absolute), size, mode and a CRC-32 of the whole image file, and a
 * machine resumes only on the same image holding the same bytes (about
 * 0.1 s per 100 MiB to check). With snapshot=on the image is never
 * written; the overlay's sectors (what the guest wrote) are in the
 * section, as runs:
 *
 *   str path  u64 size  u8 readonly  u8 snapshot  u32 crc
 *   snapshot=on: { u64 first sector  u64 count  count*512 bytes }...  u64 0 0
 */
#define _GNU_SOURCE
#include "snap_parts.h"
#include "machine.h"
#include "state.h"
#include "../disk/virtio_blk.h"
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define RUN_MAX 128                 /* sectors per run: 64 KiB through the vblk's bounce buffer */

static uint32_t disk_count(const struct machine *m) { (void)m; return VIRTIO_SLOTS; }
static int disk_present(const struct machine *m, uint32_t n) { return m->blk[n].dev != NULL; }

static void abs_path(const char *file, char *out)
{
    if (!realpath(file, out))
        snprintf(out, PATH_MAX, "%s", file);
}

static void put_overlay(struct image *img, uint8_t *buf, struct state_out *o)
{
    uint64_t n = img->size / SECTOR_SIZE;
    for (uint64_t s = 0; s < n;) {
        uint64_t k = 0;
        while (s + k < n && k < RUN_MAX && image_overlay_has(img, s + k))
            k++;
        if (!k) {
            s++;
            continue;
        }
        if (image_read(img, s * SECTOR_SIZE, buf, k * SECTOR_SIZE))
            state_fail(o, "cannot read a disk's snapshot=on overlay");
        state_put_u64(o, s);
        state_put_u64(o, k);
        state_put_bytes(o, buf, k * SECTOR_SIZE);
        s += k;
    }
    state_put_u64(o, 0);
    state_put_u64(o, 0);
}

static void disk_save(struct machine *m, uint32_t n, struct state_out *o)
{
    struct vblk *b = m->blk[n].dev;
    char path[PATH_MAX];
    uint32_t crc = 0;
    abs_path(m->blk[n].file, path);
    if (image_checksum(&b->img, &crc))
        state_fail(o, "cannot read a disk image to checksum it");
    size_t len = strlen(path);
    state_put_u16(o, (uint16_t)len);
    state_put_bytes(o, path, len);
    state_put_u64(o, b->img.size);
    state_put_u8(o, b->img.readonly);
    state_put_u8(o, b->img.snapshot);
    state_put_u32(o, crc);
    if (b->img.snapshot)
        put_overlay(&b->img, b->bounce, o);
}

/* The overlay's runs: in the image, in order, whole; apply them when img
 * is given. */
static int overlay_runs(struct state_in *in, uint64_t sectors, struct image *img)
{
    for (uint64_t next = 0;;) {
        uint64_t first = state_get_u64(in), k = state_get_u64(in);
        if (in->bad || k == 0)
            return in->bad || first ? state_reject(in, "overlay runs malformed") : 0;
        if (first < next || k > RUN_MAX || first > sectors || k > sectors - first ||
            k * SECTOR_SIZE > in->end - in->rd)
            return state_reject(in, "overlay run outside the disk");
        if (img && image_write(img, first * SECTOR_SIZE, in->buf + in->rd, k * SECTOR_SIZE))
            return state_reject(in, "cannot write the overlay");
        in->rd += k * SECTOR_SIZE;
        next = first + k;
    }
}

static int disk_check(struct machine *m, uint32_t n, struct state_in *in, char *err, size_t errlen)
{
    struct vblk *b = m->blk[n].dev;
    char saved[PATH_MAX + 1] = "", here[PATH_MAX];
    uint16_t len = state_get_u16(in);
    if (len > PATH_MAX)
        return state_reject(in, "path too long");
    state_get_bytes(in, saved, len);
    uint64_t size = state_get_u64(in);
    bool ro = state_get_bool(in), snap = state_get_bool(in);
    uint32_t crc = state_get_u32(in), now = 0;
    if (in->bad || (snap && overlay_runs(in, size / SECTOR_SIZE, NULL)))
        return -1;
    abs_path(m->blk[n].file, here);
    if (strcmp(saved, here) || size != b->img.size || ro != b->img.readonly ||
        snap != b->img.snapshot) {
        snprintf(err, errlen, "the snapshot is of another machine: the disk in virtio-mmio slot "
                 "%u is %s (%" PRIu64 " bytes%s%s) in the snapshot, %s (%" PRIu64 " bytes%s%s) "
                 "here", n, saved, size, ro ? ", readonly" : "", snap ? ", snapshot=on" : "",
                 here, b->img.size, b->img.readonly ? ", readonly" : "",
                 b->img.snapshot ? ", snapshot=on" : "");
        return -1;
    }
    if (image_checksum(&b->img, &now) || now != crc) {
        snprintf(err, errlen, "disk %s has changed since the snapshot was taken (its CRC-32 is "
                 "%08x, the snapshot's %08x): the guest would see other data than it wrote",
                 here, now, crc);
        return -1;
    }
    return 0;
}

/* Identity checked already; with snapshot=on the overlay becomes the saved one. */
static int disk_restore(struct machine *m, uint32_t n, struct state_in *in)
{
    struct image *img = &m->blk[n].dev->img;
    uint16_t len = state_get_u16(in);
    in->rd += len <= in->end - in->rd ? len : 0;
    state_get_u64(in);
    state_get_bool(in);
    bool snap = state_get_bool(in);
    state_get_u32(in);
    if (!snap || in->bad)
        return in->bad ? -1 : 0;
    if (image_overlay_clear(img))
        return state_reject(in, "cannot make a new snapshot overlay");
    return overlay_runs(in, img->size / SECTOR_SIZE, img);
}

const struct snap_part snap_disk_part = {
    .name = "disk", .version = 1, .count = disk_count, .present = disk_present,
    .save = disk_save, .check = disk_check, .restore = disk_restore,
};

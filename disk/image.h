/* Disk images: raw or qcow2 files, read-only, or behind a temporary qcow2 overlay (snapshot=on). */
#ifndef DISK_IMAGE_H
#define DISK_IMAGE_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define SECTOR_SIZE 512

struct qcow2;
struct image {
    int fd;                 /* the image itself; with snapshot=on the overlay */
    struct qcow2 *qcow;     /* format qcow2 (disk/qcow2.h), NULL for raw; with snapshot=on the
                             * overlay, whose backing image is the drive's image, read-only */
    char *path;             /* snapshot=on: the image's path and format, to reopen it for a commit */
    int format;
    uint64_t size;          /* bytes, a multiple of SECTOR_SIZE */
    bool readonly, snapshot;
    bool broken;            /* the image could not be opened again after a commit: I/O errors */
    bool probed_raw;        /* raw by probing, written in place: sector 0 is guarded */
    /* the drive's cache= and discard= (set after image_open) */
    bool writethrough;      /* fdatasync after each write */
    bool no_flush;          /* cache=unsafe: image_flush does nothing */
    bool unmap;             /* discard=unmap: image_discard punches holes; else ignored */
    bool direct;            /* cache=none, directsync: O_DIRECT (image_set_direct) */
};

#define IMAGE_PROBE (-1)        /* format: decide by probing (disk/probe.h) */
#define IMAGE_MAX_CHAIN 32      /* images in a backing chain, the top one included */

/* Open path in format (IMG_FMT_RAW, IMG_FMT_QCOW2 or IMAGE_PROBE), with its
 * backing chain. Images are locked as QEMU locks them (disk/lock.h): a
 * second writer, or a reader beside a writer, gets QEMU's error; readers
 * (backing files too) share. A probed image
 * in a format other than raw and qcow2 is refused; one that probes as raw
 * and is written in place gets probed_raw. Returns 0 or -1 with a message
 * in err. */
int image_open_as(struct image *img, const char *path, int format, bool readonly, bool snapshot,
                  char *err, size_t errlen);
/* The same with probe: IMAGE_PROBE, else IMG_FMT_RAW. */
int image_open(struct image *img, const char *path, bool readonly, bool snapshot, bool probe,
               char *err, size_t errlen);
void image_close(struct image *img);
/* Sector-aligned I/O; return 0 or -1 (I/O error, or a write refused by
 * the sector-0 guard of a probed raw image). */
/* Sector-aligned and inside the image (and the image not broken)? The
 * calls below refuse the rest. */
bool image_in_range(const struct image *img, uint64_t off, uint64_t len);
int image_read(struct image *img, uint64_t off, void *buf, size_t len);
int image_write(struct image *img, uint64_t off, const void *buf, size_t len);
int image_write_zeroes(struct image *img, uint64_t off, uint64_t len);
/* cache=none and directsync: the image file (under snapshot=on too; not
 * its backing files, nor the temporary overlay) bypasses the host's page
 * cache, O_DIRECT. 0, or -1 with a message (a file system without
 * O_DIRECT, such as tmpfs, refuses it, as it refuses QEMU). */
int image_set_direct(struct image *img, const char *path, char *err, size_t errlen);
/* Make completed writes durable on the host (fdatasync), unless no_flush. */
int image_flush(struct image *img);
/* The guest no longer needs this range: with unmap, a hole in the file (a
 * snapshot overlay gets zeroes); without, nothing, as QEMU's discard=ignore. */
int image_discard(struct image *img, uint64_t off, uint64_t len);
/* CRC-32 (zlib's) of the image file, all of it (with snapshot=on the
 * image under the overlay): a snapshot's identity of the disk. 0 or -1. */
int image_checksum(struct image *img, uint32_t *crc);
/* snapshot=on: is sector s in the overlay (not read from the image)? */
bool image_overlay_has(struct image *img, uint64_t s);
/* snapshot=on: forget what the guest wrote (a new, empty overlay); 0 or -1. */
int image_overlay_clear(struct image *img);
/* snapshot=on: write what the overlay holds into the image (QEMU's
 * commit), which is opened for writing (and locked as a writer) meanwhile,
 * then empty the overlay. Without snapshot=on nothing to do. 0, or -1 with
 * a message in err (the overlay is kept, the guest sees no change). */
int image_commit(struct image *img, char *err, size_t errlen);
#endif

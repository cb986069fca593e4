/*
 * qcow2 images, versions 2 and 3 (QEMU's docs/interop/qcow2.txt).
 *
 *   guest offset --L1 index--> L2 table --L2 index--> host cluster (+ offset in it)
 *   host cluster --refcount table index--> refcount block --index--> refcount
 *
 * The header parser (qcow2_header.c) checks a header against the file's size
 * and reads its extensions; the refcount side (qcow2_refcount.c) reads and
 * sets refcounts, finds free clusters and grows the refcount table; the
 * mapping, the L2 cache and guest I/O are in qcow2.c. An open image is
 * used by one thread at a time (its caches and buffers are unlocked).
 */
#ifndef DISK_QCOW2_H
#define DISK_QCOW2_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21           /* 2 MiB, QEMU's limit */
#define QCOW2_MAX_L1_BYTES (32u << 20)      /* QEMU's limits on the tables */
#define QCOW2_MAX_RT_BYTES (8u << 20)
#define QCOW2_MAX_BACKING_NAME 1023

/* incompatible feature bits */
#define QCOW2_INCOMPAT_DIRTY    (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT  (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2    (1ull << 4)
#define QCOW2_INCOMPAT_KNOWN    0x1full

/* L1/L2 entry fields */
#define QCOW2_COPIED     (1ull << 63)
#define QCOW2_COMPRESSED (1ull << 62)
#define QCOW2_ZERO       1ull
#define QCOW2_OFFSET_MASK 0x00fffffffffffe00ull

/* The header as parsed, with what its extensions say. */
struct qcow2_header {
    uint32_t version, cluster_bits, refcount_order, header_length;
    uint32_t crypt_method, l1_size, rt_clusters, nb_snapshots;
    uint64_t size, l1_offset, rt_offset, snapshots_offset;
    uint64_t incompat, compat, autoclear;
    uint8_t compression_type;
    char backing[QCOW2_MAX_BACKING_NAME + 1];     /* "" when there is none */
    char backing_fmt[16];                         /* "" when not given */
    char unknown_feature[48];                     /* a name for an unknown incompatible bit */
};

/*
 * Parse and check the header in buf, the first len bytes of a file of
 * file_size bytes (len covers the header's first cluster, or the whole
 * file if shorter). Every offset and size is checked against the file and
 * against each other, so the tables it names can be read without further
 * range checks. Returns 0, or -1 with a message in err.
 */
int qcow2_parse_header(struct qcow2_header *h, const uint8_t *buf, size_t len, uint64_t file_size,
                       char *err, size_t errlen);

struct image;
struct qcow2;

/* Open the qcow2 image on fd (path names it in messages and locates a
 * relative backing file). backing is the image below it, or NULL; the
 * qcow2 takes it over. writable: the guest may write. Returns the open image
 * or NULL with a message in err. */
struct qcow2 *qcow2_open(int fd, const char *path, bool writable, struct image *backing,
                         char *err, size_t errlen);
/* Parse the header only, to learn the backing file and the virtual size
 * before the backing image is opened. */
int qcow2_peek(int fd, const char *path, struct qcow2_header *h, char *err, size_t errlen);
void qcow2_close(struct qcow2 *q);
uint64_t qcow2_size(const struct qcow2 *q);
/* Guest I/O at byte offsets (sector-aligned, within the size): 0 or -1. */
int qcow2_read(struct qcow2 *q, uint64_t off, void *buf, size_t len);
int qcow2_write(struct qcow2 *q, uint64_t off, const void *buf, size_t len);
/* Zeros over [off, off + len): whole clusters by the zero flag where the
 * version has one, the rest written. */
int qcow2_write_zeroes(struct qcow2 *q, uint64_t off, uint64_t len);
int qcow2_flush(struct qcow2 *q);

/* Write a new, empty version 3 image of size bytes on fd (qcow2_create.c);
 * 0, or -1 with a message in err. */
int qcow2_format(int fd, uint64_t size, char *err, size_t errlen);
/* A temporary image (snapshot=on's overlay, gone with the process): no
 * fdatasync for its crash order or for flushes. */
void qcow2_set_temporary(struct qcow2 *q);
/* The image below q (NULL: none); set_backing puts b there and returns the
 * one it replaces, which the caller then owns. */
struct image *qcow2_backing(const struct qcow2 *q);
struct image *qcow2_set_backing(struct qcow2 *q, struct image *b);
uint64_t qcow2_cluster_size(const struct qcow2 *q);
/* Does q itself say what the guest cluster at off holds (data or the zero
 * flag), rather than its backing image? 1, 0, or -1 on an error. */
int qcow2_allocated(struct qcow2 *q, uint64_t off);
#endif

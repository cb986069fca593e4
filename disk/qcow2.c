/*
 * qcow2 guest I/O (see qcow2.h for the two lookups). A guest request is cut
 * at cluster boundaries (and, with extended L2 entries, at subcluster
 * boundaries) and each piece is mapped through its L2 entry:
 *
 *   unallocated     the backing image's bytes, or zeros past its end or without one
 *   zero flag       zeros (version 3: bit 0; extended L2: the zero bitmap)
 *   standard        the host cluster, in place
 *   compressed      a raw deflate stream (zlib, window 2^12) at a byte offset
 *
 * Writes go in place only to a standard cluster whose COPIED bit says its
 * refcount is 1. Any other cluster is copied: its current contents plus the
 * new bytes go to a fresh cluster, then the L2 entry points there, then the
 * old cluster's refcount drops. The order is the crash rule of qcow2.txt's
 * refcounts: a new cluster's refcount is stable before the first reference
 * to it (the barrier), data before the entry that reads it, an entry
 * removed before the refcount it held is dropped; a crash leaves at worst
 * a leaked cluster. Metadata is written through (no dirty cache), and the
 * dirty bit and lazy refcounts are never used: the image is consistent
 * after every request, and a guest FLUSH is one fdatasync.
 *
 * Zeros written over a whole cluster of a version 3 image set its zero
 * flag and release its data cluster (the guest's WRITE_ZEROES and DISCARD).
 *
 * Writable images are refused where this code cannot keep that promise:
 * dirty or corrupt images, internal snapshots, extended L2 entries.
 */
#define _GNU_SOURCE
#include "qcow2_state.h"
#include "image.h"
#include "file_io.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

enum kind { UNALLOCATED, ZEROS, DATA, COMPRESSED };

static uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* ---- file access ---------------------------------------------------------- */

int qcow2_pwrite(struct qcow2 *q, const void *buf, size_t len, uint64_t off)
{
    return full_pwrite(q->fd, buf, len, off);
}

/* Read len bytes at off; what lies past the end of the file reads as zeros. */
static int qpread(struct qcow2 *q, void *buf, size_t len, uint64_t off)
{
    ssize_t n = file_pread_upto(q->fd, buf, len, off);
    if (n < 0)
        return -1;
    memset((uint8_t *)buf + n, 0, len - (size_t)n);
    return 0;
}

int qcow2_sync(struct qcow2 *q)
{
    return q->temporary ? 0 : fdatasync(q->fd);
}

int qcow2_barrier(struct qcow2 *q)
{
    if (!q->barrier)
        return 0;
    q->barrier = false;
    return qcow2_sync(q);
}

void qcow2_broken(struct qcow2 *q, const char *why)
{
    if (!q->broken)
        fprintf(stderr, "hartvm: %s: %s; no further writes to this image\n", q->path, why);
    q->broken = true;
}

/* ---- table cache ---------------------------------------------------------- */

static int qcache_init(struct qcache *c, uint64_t cs)
{
    uint64_t n = (4u << 20) / cs;
    c->n = n < 2 ? 2 : n > QCACHE_MAX ? QCACHE_MAX : (unsigned)n;
    c->data = malloc(c->n * cs);
    return c->data ? 0 : -1;
}

uint8_t *qcache_get(struct qcow2 *q, struct qcache *c, uint64_t off)
{
    unsigned victim = 0;
    c->tick++;
    for (unsigned i = 0; i < c->n; i++) {
        if (c->off[i] == off) {
            c->used[i] = c->tick;
            return c->data + i * q->cs;
        }
        if (c->used[i] < c->used[victim])
            victim = i;
    }
    uint8_t *p = c->data + victim * q->cs;
    c->off[victim] = 0;
    if (qpread(q, p, q->cs, off))
        return NULL;
    c->off[victim] = off;
    c->used[victim] = c->tick;
    return p;
}

/* ---- mapping -------------------------------------------------------------- */

/* A table cluster at off lies inside the file, past the header. */
static bool table_ok(const struct qcow2 *q, uint64_t off)
{
    return off % q->cs == 0 && off >= q->cs && off <= q->file_end - q->cs;
}

/* The L2 table for guest cluster gc, NULL when unallocated (*bad on error). */
static uint8_t *l2_table(struct qcow2 *q, uint64_t gc, bool *bad)
{
    uint64_t l2 = q->l1[gc >> q->l2_bits] & QCOW2_OFFSET_MASK;
    *bad = false;
    if (!l2)
        return NULL;
    if (!table_ok(q, l2)) {
        *bad = true;
        return NULL;
    }
    uint8_t *t = qcache_get(q, &q->l2c, l2);
    *bad = !t;
    return t;
}

static unsigned entry_bytes(const struct qcow2 *q) { return q->extl2 ? 16 : 8; }

/* Guest cluster gc's L2 entry (and its subcluster bitmap); 0 or -1. */
static int l2_entry(struct qcow2 *q, uint64_t gc, uint64_t *e, uint64_t *bitmap)
{
    bool bad;
    uint8_t *t = l2_table(q, gc, &bad);
    *e = *bitmap = 0;
    if (bad)
        return -1;
    if (t) {
        uint8_t *p = t + (gc & ((1ull << q->l2_bits) - 1)) * entry_bytes(q);
        *e = get_be64(p);
        if (q->extl2)
            *bitmap = get_be64(p + 8);
    }
    return 0;
}

/* Byte range of a compressed cluster's stream (qcow2.txt "Compressed Clusters Descriptor"). */
static void compressed_range(const struct qcow2 *q, uint64_t e, uint64_t *off, uint64_t *len)
{
    unsigned shift = 62 - (q->cluster_bits - 8);
    uint64_t sectors = ((e >> shift) & ((1ull << (q->cluster_bits - 8)) - 1)) + 1;
    *off = e & ((1ull << shift) - 1);
    *len = sectors * 512 - (*off & 511);
}

/* What the piece at in-cluster offset at of a cluster with entry e holds. */
static enum kind classify(const struct qcow2 *q, uint64_t e, uint64_t bitmap, uint64_t at)
{
    if (e & QCOW2_COMPRESSED)
        return COMPRESSED;
    if (q->extl2) {
        unsigned sc = (unsigned)(at / (q->cs / 32));
        if (bitmap & (1ull << sc))
            return DATA;
        return bitmap & (1ull << (32 + sc)) ? ZEROS : UNALLOCATED;
    }
    if (q->h.version >= 3 && (e & QCOW2_ZERO))
        return ZEROS;
    return (e & QCOW2_OFFSET_MASK) ? DATA : UNALLOCATED;
}

/* ---- reads ---------------------------------------------------------------- */

static int inflate_cluster(struct qcow2 *q, uint64_t e)
{
    uint64_t off, len;
    if (q->zout_entry == e)
        return 0;
    compressed_range(q, e, &off, &len);
    if (off >= q->file_end || qpread(q, q->zin, len, off))
        return -1;
    if (!q->zs_ready) {
        if (inflateInit2(&q->zs, -12) != Z_OK)
            return -1;
        q->zs_ready = true;
    } else if (inflateReset(&q->zs) != Z_OK) {
        return -1;
    }
    q->zs.next_in = q->zin;
    q->zs.avail_in = (uInt)len;
    q->zs.next_out = q->zout;
    q->zs.avail_out = (uInt)q->cs;
    int r = inflate(&q->zs, Z_FINISH);
    q->zout_entry = 0;
    if ((r != Z_STREAM_END && r != Z_BUF_ERROR) || q->zs.avail_out)
        return -1;                      /* corrupt, or short of a whole cluster */
    q->zout_entry = e;
    return 0;
}

static int backing_read(struct qcow2 *q, uint64_t off, uint8_t *buf, uint64_t n)
{
    uint64_t have = 0;
    if (q->backing && off < q->backing->size) {
        have = q->backing->size - off < n ? q->backing->size - off : n;
        if (image_read(q->backing, off, buf, have))
            return -1;
    }
    memset(buf + have, 0, n - have);
    return 0;
}

/* Read n bytes at guest offset off, all in one cluster (and subcluster). */
static int read_piece(struct qcow2 *q, uint64_t off, uint8_t *buf, uint64_t n)
{
    uint64_t e, bitmap, at = off & (q->cs - 1);
    if (l2_entry(q, off >> q->cluster_bits, &e, &bitmap))
        return -1;
    switch (classify(q, e, bitmap, at)) {
    case ZEROS:
        memset(buf, 0, n);
        return 0;
    case UNALLOCATED:
        return backing_read(q, off, buf, n);
    case COMPRESSED:
        if (inflate_cluster(q, e))
            return -1;
        memcpy(buf, q->zout + at, n);
        return 0;
    default:
        return qpread(q, buf, n, (e & QCOW2_OFFSET_MASK) + at);
    }
}

/* The length of the piece at off: to the end of its (sub)cluster, at most len. */
static uint64_t piece_len(const struct qcow2 *q, uint64_t off, uint64_t len)
{
    uint64_t unit = q->extl2 ? q->cs / 32 : q->cs;
    uint64_t n = unit - (off & (unit - 1));
    return n < len ? n : len;
}

int qcow2_read(struct qcow2 *q, uint64_t off, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        uint64_t n = piece_len(q, off, len);
        if (read_piece(q, off, p, n))
            return -1;
        off += n;
        p += n;
        len -= n;
    }
    return 0;
}

/* ---- writes --------------------------------------------------------------- */

static int write_l1(struct qcow2 *q, uint64_t i, uint64_t v)
{
    uint8_t be[8];
    put_be64(be, v);
    if (qcow2_barrier(q) || qcow2_pwrite(q, be, 8, q->h.l1_offset + i * 8))
        return -1;
    q->l1[i] = v;
    return 0;
}

/* The L2 table of guest cluster gc, made (or copied, if shared) when needed;
 * returns its host offset and the table in *t, or 0. */
static uint64_t l2_for_write(struct qcow2 *q, uint64_t gc, uint8_t **t)
{
    uint64_t i = gc >> q->l2_bits, old = q->l1[i] & QCOW2_OFFSET_MASK;
    bool bad;
    *t = l2_table(q, gc, &bad);
    if (bad)
        return 0;
    if (*t && (q->l1[i] & QCOW2_COPIED))
        return old;
    if (*t)
        memcpy(q->cbuf, *t, q->cs);
    else
        memset(q->cbuf, 0, q->cs);
    uint64_t nt = qcow2_alloc(q);
    if (!nt || qcow2_pwrite(q, q->cbuf, q->cs, nt) || write_l1(q, i, nt | QCOW2_COPIED) ||
        (old && qcow2_release(q, old)))
        return 0;
    *t = qcache_get(q, &q->l2c, nt);
    return *t ? nt : 0;
}

static int set_l2(struct qcow2 *q, uint64_t l2, uint8_t *t, uint64_t gc, uint64_t v)
{
    uint64_t at = (gc & ((1ull << q->l2_bits) - 1)) * 8;
    uint8_t be[8];
    put_be64(be, v);
    if (qcow2_barrier(q) || qcow2_pwrite(q, be, 8, l2 + at))
        return -1;
    memcpy(t + at, be, 8);
    return 0;
}

/* Drop the clusters an L2 entry no longer in use held. */
static int release_entry(struct qcow2 *q, uint64_t e)
{
    if (e & QCOW2_COMPRESSED) {
        uint64_t off, len;
        compressed_range(q, e, &off, &len);
        for (uint64_t c = off >> q->cluster_bits; c <= (off + len - 1) >> q->cluster_bits; c++)
            if (qcow2_release(q, c << q->cluster_bits))
                return -1;
        return 0;
    }
    uint64_t host = e & QCOW2_OFFSET_MASK;
    return host ? qcow2_release(q, host) : 0;
}

/* Write n bytes at guest offset off, all in one cluster. */
static int write_piece(struct qcow2 *q, uint64_t off, const uint8_t *buf, uint64_t n)
{
    uint64_t gc = off >> q->cluster_bits, at = off & (q->cs - 1), e, bitmap;
    uint8_t *t;
    if (l2_entry(q, gc, &e, &bitmap))
        return -1;
    if ((e & QCOW2_COPIED) && classify(q, e, bitmap, at) == DATA && (q->l1[gc >> q->l2_bits] & QCOW2_COPIED))
        return qcow2_pwrite(q, buf, n, (e & QCOW2_OFFSET_MASK) + at);
    uint64_t l2 = l2_for_write(q, gc, &t);
    if (!l2)
        return -1;
    if (n < q->cs && qcow2_read(q, off - at, q->cbuf, q->cs))
        return -1;
    memcpy(q->cbuf + at, buf, n);
    uint64_t host = qcow2_alloc(q);
    if (!host || qcow2_pwrite(q, q->cbuf, q->cs, host) ||
        set_l2(q, l2, t, gc, host | QCOW2_COPIED))
        return -1;
    if (q->zout_entry == e)
        q->zout_entry = 0;
    return release_entry(q, e);
}

int qcow2_write(struct qcow2 *q, uint64_t off, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    if (!q->writable || q->broken)
        return -1;
    while (len) {
        uint64_t n = piece_len(q, off, len);
        if (write_piece(q, off, p, n))
            return -1;
        off += n;
        p += n;
        len -= n;
    }
    return 0;
}

/* Zeros over a whole cluster: version 3's zero flag in place of the data,
 * whose cluster is then released. Without a backing file an unallocated
 * cluster already reads as zeros. */
static int zero_cluster(struct qcow2 *q, uint64_t off)
{
    uint64_t gc = off >> q->cluster_bits, e, bitmap;
    uint8_t *t;
    if (l2_entry(q, gc, &e, &bitmap))
        return -1;
    if (e == QCOW2_ZERO || (!e && !q->backing))
        return 0;
    uint64_t l2 = l2_for_write(q, gc, &t);
    if (!l2 || set_l2(q, l2, t, gc, QCOW2_ZERO))
        return -1;
    if (q->zout_entry == e)
        q->zout_entry = 0;
    return release_entry(q, e);
}

int qcow2_write_zeroes(struct qcow2 *q, uint64_t off, uint64_t len)
{
    if (!q->writable || q->broken)
        return -1;
    memset(q->zbuf, 0, q->cs);
    while (len) {
        uint64_t n = piece_len(q, off, len);
        bool whole = n == q->cs && q->h.version >= 3 && !q->extl2;
        if (whole ? zero_cluster(q, off) : write_piece(q, off, q->zbuf, n))
            return -1;
        off += n;
        len -= n;
    }
    return 0;
}

int qcow2_flush(struct qcow2 *q)
{
    q->barrier = false;
    return q->writable ? qcow2_sync(q) : 0;
}

int qcow2_allocated(struct qcow2 *q, uint64_t off)
{
    uint64_t e, bitmap;
    if (l2_entry(q, off >> q->cluster_bits, &e, &bitmap))
        return -1;
    return classify(q, e, bitmap, off & (q->cs - 1)) != UNALLOCATED;
}

/* ---- open ----------------------------------------------------------------- */

int qcow2_peek(int fd, const char *path, struct qcow2_header *h, char *err, size_t errlen)
{
    struct stat st;
    char why[256];
    size_t want = 1u << QCOW2_MAX_CLUSTER_BITS;
    if (fstat(fd, &st))
        return ERR("%s: %s", path, strerror(errno));
    if ((uint64_t)st.st_size < want)
        want = st.st_size;
    uint8_t *buf = malloc(want ? want : 1);
    if (!buf)
        return ERR("%s: out of memory", path);
    ssize_t got = pread(fd, buf, want, 0);
    if (got < 0) {
        free(buf);
        return ERR("%s: %s", path, strerror(errno));
    }
    int r = qcow2_parse_header(h, buf, (size_t)got, st.st_size, why, sizeof why);
    free(buf);
    return r ? ERR("%s: invalid qcow2 image: %s", path, why) : 0;
}

/* What a writable open cannot take on. */
static int writable_ok(const struct qcow2 *q, char *err, size_t errlen)
{
    const char *why = NULL;
    if (q->h.incompat & QCOW2_INCOMPAT_CORRUPT)
        why = "it is marked corrupt (repair it with 'qemu-img check -r all')";
    else if (q->h.incompat & QCOW2_INCOMPAT_DIRTY)
        why = "it was not closed cleanly and its refcounts may be wrong (repair it with 'qemu-img check -r all')";
    else if (q->h.nb_snapshots)
        why = "it holds internal snapshots, which hartvm does not write";
    else if (q->extl2)
        why = "it has extended L2 entries (subclusters), which hartvm reads but does not write";
    if (!why)
        return 0;
    return ERR("%s: cannot open this qcow2 image for writing: %s; readonly=on or snapshot=on opens it",
               q->path, why);
}

static int load_l1(struct qcow2 *q, char *err, size_t errlen)
{
    uint64_t bytes = (uint64_t)q->h.l1_size * 8;
    uint8_t *be = malloc(bytes ? bytes : 1);
    q->l1 = calloc(q->h.l1_size ? q->h.l1_size : 1, 8);
    if (!be || !q->l1 || (bytes && pread(q->fd, be, bytes, (off_t)q->h.l1_offset) != (ssize_t)bytes)) {
        free(be);
        return ERR("%s: cannot read the L1 table", q->path);
    }
    for (uint64_t i = 0; i < q->h.l1_size; i++)
        q->l1[i] = get_be64(be + i * 8);
    free(be);
    return 0;
}

/* Mark the clusters of [off, off + len); fails if one was already marked. */
static bool mark_range(struct qcow2 *q, uint64_t off, uint64_t len)
{
    bool fresh = true;
    for (uint64_t c = off >> q->cluster_bits; c <= (off + len - 1) >> q->cluster_bits; c++)
        fresh &= qcow2_mark(q, c);
    return fresh;
}

/* Mark what one L2 table references. */
static int scan_l2(struct qcow2 *q, const uint8_t *t, char *err, size_t errlen)
{
    for (uint64_t j = 0; j < 1ull << q->l2_bits; j++) {
        uint64_t e = get_be64(t + j * 8), off, len;
        if (e & QCOW2_COMPRESSED) {
            compressed_range(q, e, &off, &len);
            if (off >= q->file_end)
                return ERR("%s: a compressed cluster lies beyond the end of the file", q->path);
            mark_range(q, off, len);
        } else if ((off = e & QCOW2_OFFSET_MASK)) {
            if (off % q->cs || off < q->cs || off >= q->file_end)
                return ERR("%s: data cluster %#llx is not a cluster inside the file", q->path,
                           (unsigned long long)off);
            if (!mark_range(q, off, q->cs))
                return ERR("%s: data cluster %#llx is referenced twice or overlaps metadata", q->path,
                           (unsigned long long)off);
        }
    }
    return 0;
}

/* Writable: mark every cluster the header, tables and data use, so that an
 * image whose refcounts lie never has a cluster in use handed out again. */
static int scan_tables(struct qcow2 *q, char *err, size_t errlen)
{
    qcow2_mark(q, 0);
    if (q->h.l1_size)
        mark_range(q, q->h.l1_offset, (uint64_t)q->h.l1_size * 8);
    if (!mark_range(q, q->h.rt_offset, (uint64_t)q->h.rt_clusters << q->cluster_bits))
        return ERR("%s: the refcount table overlaps the L1 table", q->path);
    if (qcow2_rc_load(q, err, errlen))
        return -1;
    for (uint64_t i = 0; i < q->h.l1_size; i++) {
        uint64_t l2 = q->l1[i] & QCOW2_OFFSET_MASK;
        if (!l2)
            continue;
        if (!table_ok(q, l2) || !qcow2_mark(q, l2 >> q->cluster_bits))
            return ERR("%s: L2 table %#llx is outside the file or overlaps other metadata", q->path,
                       (unsigned long long)l2);
        uint8_t *t = qcache_get(q, &q->l2c, l2);
        if (!t || scan_l2(q, t, err, errlen))
            return t ? -1 : ERR("%s: cannot read L2 table %#llx", q->path, (unsigned long long)l2);
    }
    return 0;
}

/* A writer must clear the autoclear bits it does not maintain (all of them:
 * the bitmaps extension goes stale once the guest writes). */
static int clear_autoclear(struct qcow2 *q)
{
    uint8_t zero[8] = { 0 };
    if (q->h.version < 3 || !q->h.autoclear)
        return 0;
    q->h.autoclear = 0;
    return qcow2_pwrite(q, zero, 8, 88) || qcow2_sync(q);
}

static int alloc_buffers(struct qcow2 *q)
{
    q->cbuf = malloc(q->cs);
    q->rbuf = malloc(q->cs);
    q->zin = malloc(2 * q->cs);
    q->zout = malloc(q->cs);
    q->zbuf = malloc(q->cs);
    return q->cbuf && q->rbuf && q->zin && q->zout && q->zbuf && !qcache_init(&q->l2c, q->cs) &&
           !qcache_init(&q->rbc, q->cs) ? 0 : -1;
}

static int setup(struct qcow2 *q, char *err, size_t errlen)
{
    struct stat st;
    if (qcow2_peek(q->fd, q->path, &q->h, err, errlen) || fstat(q->fd, &st))
        return -1;
    q->file_end = st.st_size;
    q->cluster_bits = q->h.cluster_bits;
    q->cs = 1ull << q->cluster_bits;
    q->extl2 = q->h.incompat & QCOW2_INCOMPAT_EXTL2;
    q->l2_bits = q->cluster_bits - (q->extl2 ? 4 : 3);
    if (alloc_buffers(q))
        return ERR("%s: out of memory", q->path);
    if (load_l1(q, err, errlen) || (q->writable && writable_ok(q, err, errlen)))
        return -1;
    if (q->writable && (scan_tables(q, err, errlen) || clear_autoclear(q)))
        return err[0] ? -1 : ERR("%s: cannot update the header", q->path);
    return 0;
}

struct qcow2 *qcow2_open(int fd, const char *path, bool writable, struct image *backing,
                         char *err, size_t errlen)
{
    struct qcow2 *q = calloc(1, sizeof *q);
    if (!q) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    q->fd = fd;
    q->writable = writable;
    q->backing = backing;
    snprintf(q->path, sizeof q->path, "%s", path);
    err[0] = 0;
    if (setup(q, err, errlen)) {
        q->backing = NULL;              /* still the caller's */
        qcow2_close(q);
        return NULL;
    }
    return q;
}

void qcow2_set_temporary(struct qcow2 *q) { q->temporary = true; }
struct image *qcow2_backing(const struct qcow2 *q) { return q->backing; }
uint64_t qcow2_cluster_size(const struct qcow2 *q) { return q->cs; }

struct image *qcow2_set_backing(struct qcow2 *q, struct image *b)
{
    struct image *old = q->backing;
    q->backing = b;
    return old;
}

uint64_t qcow2_size(const struct qcow2 *q)
{
    return (q->h.size + SECTOR_SIZE - 1) / SECTOR_SIZE * SECTOR_SIZE;
}

void qcow2_close(struct qcow2 *q)
{
    if (!q)
        return;
    if (q->writable && !q->broken && (qcow2_release_pool(q) || qcow2_sync(q)))
        fprintf(stderr, "hartvm: %s: cannot give back unused clusters (they stay leaked)\n", q->path);
    if (q->backing) {
        image_close(q->backing);
        free(q->backing);
    }
    if (q->zs_ready)
        inflateEnd(&q->zs);
    free(q->l1);
    free(q->rt);
    free(q->meta);
    free(q->cbuf);
    free(q->rbuf);
    free(q->zin);
    free(q->zout);
    free(q->zbuf);
    free(q->l2c.data);
    free(q->rbc.data);
    free(q);
}

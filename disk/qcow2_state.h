/* The state of an open qcow2 image, shared by qcow2.c and qcow2_refcount.c. */
#ifndef DISK_QCOW2_STATE_H
#define DISK_QCOW2_STATE_H
#include "qcow2.h"
#include <zlib.h>

/* A few clusters of one kind of table (L2 tables, refcount blocks), kept
 * in memory and written through: the file is always up to date. */
#define QCACHE_MAX 16
#define QCOW2_POOL 64               /* clusters allocated at a time */
struct qcache {
    unsigned n;
    uint64_t off[QCACHE_MAX];       /* host offset of each slot's cluster, 0 = empty */
    uint64_t used[QCACHE_MAX];      /* last use, for eviction */
    uint64_t tick;
    uint8_t *data;                  /* n clusters */
};

struct qcow2 {
    int fd;
    char path[256];                 /* for messages */
    struct qcow2_header h;
    bool writable;
    bool broken;                    /* a corruption found while running: no more writes */
    bool temporary;                 /* snapshot=on's overlay: nothing to make durable */
    bool extl2;                     /* 128-bit L2 entries with subclusters */
    unsigned cluster_bits, l2_bits; /* log2 of the cluster size, of L2 entries per table */
    uint64_t cs;                    /* cluster size */
    uint64_t *l1;                   /* host byte order */
    uint64_t *rt;                   /* refcount table, host byte order (writable only) */
    uint64_t rt_entries;
    unsigned rb_bits;               /* log2 of refcounts per refcount block */
    struct qcache l2c, rbc;
    uint64_t file_end;              /* bytes in the file, growing with allocations */
    uint64_t free_hint;             /* no free cluster below this index */
    uint8_t *meta;                  /* writable: one bit per host cluster something references */
    uint64_t meta_bits;
    uint64_t pool[QCOW2_POOL];      /* clusters with refcount 1 not yet in use ... */
    unsigned pool_head, pool_n;     /* ... pool[pool_head..pool_n) */
    bool barrier;                   /* refcounts written that must be stable before a reference */
    uint8_t *cbuf;                  /* one cluster: copy-on-write */
    uint8_t *rbuf;                  /* one cluster: a new refcount block */
    uint8_t *zbuf;                  /* one cluster of zeros */
    uint8_t *zin;                   /* compressed bytes, up to two clusters */
    uint8_t *zout;                  /* the last decompressed cluster ... */
    uint64_t zout_entry;            /* ... and its L2 entry (0: none) */
    z_stream zs;
    bool zs_ready;
    struct image *backing;
};

/* qcow2.c */
uint8_t *qcache_get(struct qcow2 *q, struct qcache *c, uint64_t off);
int qcow2_pwrite(struct qcow2 *q, const void *buf, size_t len, uint64_t off);
int qcow2_barrier(struct qcow2 *q);
/* fdatasync, but for a temporary image. */
int qcow2_sync(struct qcow2 *q);
void qcow2_broken(struct qcow2 *q, const char *why);

/* qcow2_refcount.c */
int qcow2_rc_load(struct qcow2 *q, char *err, size_t errlen);
/* Mark host cluster c referenced; false if it already was. */
bool qcow2_mark(struct qcow2 *q, uint64_t c);
/* A free cluster with its refcount set to 1: its host offset, or 0. */
uint64_t qcow2_alloc(struct qcow2 *q);
/* Drop one reference to the cluster at host offset off. */
int qcow2_release(struct qcow2 *q, uint64_t off);
/* Give back the pool's unused clusters (at close). */
int qcow2_release_pool(struct qcow2 *q);
#endif

/*
 * qcow2 refcounts (qcow2.txt "Host cluster management"): a refcount table
 * of block offsets, each block one cluster of 2^refcount_order-bit counts
 * (big-endian; below 8 bits, bit 0 of a byte is the lowest cluster's).
 *
 * Allocation takes the lowest cluster whose refcount is 0 and that nothing
 * references (the meta bitmap, built from the L1/L2 tables at open, guards
 * against an image whose refcounts lie), sets its refcount to 1 and raises
 * the barrier: the refcount reaches stable storage before anything points
 * at the cluster (qcow2_barrier), so a crash leaves leaks, never a cluster
 * in use with a refcount of 0. Clusters are taken a batch at a time into a
 * pool (one barrier for the batch); what is left of it is given back at
 * close, and leaked by a crash. A missing refcount block is made in the
 * first cluster it covers; a full table is replaced by a larger one after
 * the end of the file, with blocks covering itself, and then freed.
 */
#include "qcow2_state.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

static uint64_t get_be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned i = n; i-- > 0; v >>= 8)
        p[i] = (uint8_t)v;
}

/* Refcount idx of a block; sets *at and *n to the bytes holding it. */
static uint64_t rc_entry(const struct qcow2 *q, const uint8_t *blk, uint64_t idx, uint64_t *at, unsigned *n)
{
    unsigned order = q->h.refcount_order;
    if (order < 3) {
        unsigned bits = 1u << order, shift = (idx << order) % 8;
        *at = (idx << order) / 8;
        *n = 1;
        return (blk[*at] >> shift) & ((1u << bits) - 1);
    }
    *n = 1u << (order - 3);
    *at = idx * *n;
    return get_be(blk + *at, *n);
}

static void rc_put(const struct qcow2 *q, uint8_t *blk, uint64_t idx, uint64_t v)
{
    uint64_t at;
    unsigned n, order = q->h.refcount_order;
    rc_entry(q, blk, idx, &at, &n);
    if (order < 3) {
        unsigned shift = (idx << order) % 8, mask = ((1u << (1u << order)) - 1) << shift;
        blk[at] = (uint8_t)((blk[at] & ~mask) | (v << shift & mask));
    } else {
        put_be(blk + at, n, v);
    }
}

bool qcow2_mark(struct qcow2 *q, uint64_t c)
{
    if (c >= q->meta_bits) {
        uint64_t bits = ((c + 1) * 2 + 63) & ~63ull;    /* whole bytes, room to grow */
        if (bits < 4096)
            bits = 4096;
        uint8_t *m = realloc(q->meta, bits / 8);
        if (!m)
            return false;
        memset(m + q->meta_bits / 8, 0, (bits - q->meta_bits) / 8);
        q->meta = m;
        q->meta_bits = bits;
    }
    bool was = q->meta[c / 8] & (1u << (c % 8));
    q->meta[c / 8] |= 1u << (c % 8);
    return !was;
}

static bool marked(const struct qcow2 *q, uint64_t c)
{
    return c < q->meta_bits && (q->meta[c / 8] & (1u << (c % 8)));
}

static void unmark(struct qcow2 *q, uint64_t c)
{
    if (c < q->meta_bits)
        q->meta[c / 8] &= ~(1u << (c % 8));
}

/* The block holding cluster c's refcount, or NULL (missing: *missing). */
static uint8_t *block_of(struct qcow2 *q, uint64_t c, bool *missing)
{
    uint64_t ri = c >> q->rb_bits;
    *missing = ri >= q->rt_entries || !q->rt[ri];
    return *missing ? NULL : qcache_get(q, &q->rbc, q->rt[ri]);
}

/* Set cluster c's refcount in its (existing) block, on disk too. */
static int rc_set(struct qcow2 *q, uint64_t c, uint64_t v)
{
    bool missing;
    uint8_t *blk = block_of(q, c, &missing);
    uint64_t idx = c & ((1ull << q->rb_bits) - 1), at;
    unsigned n;
    if (!blk)
        return -1;
    rc_put(q, blk, idx, v);
    rc_entry(q, blk, idx, &at, &n);
    return qcow2_pwrite(q, blk + at, n, q->rt[c >> q->rb_bits] + at);
}

static int rc_get(struct qcow2 *q, uint64_t c, uint64_t *v)
{
    bool missing;
    uint8_t *blk = block_of(q, c, &missing);
    uint64_t at;
    unsigned n;
    *v = 0;
    if (missing)
        return 0;
    if (!blk)
        return -1;
    *v = rc_entry(q, blk, c & ((1ull << q->rb_bits) - 1), &at, &n);
    return 0;
}

/* Host cluster c now holds something: the file reaches past it. */
static void extend(struct qcow2 *q, uint64_t c)
{
    if ((c + 1) << q->cluster_bits > q->file_end)
        q->file_end = (c + 1) << q->cluster_bits;
}

static int write_rt_entry(struct qcow2 *q, uint64_t ri)
{
    uint8_t be[8];
    put_be(be, 8, q->rt[ri]);
    return qcow2_barrier(q) || qcow2_pwrite(q, be, 8, q->h.rt_offset + ri * 8);
}

/* A new refcount block in cluster c, the first free one it covers. */
static int make_block(struct qcow2 *q, uint64_t c)
{
    uint64_t ri = c >> q->rb_bits;
    memset(q->rbuf, 0, q->cs);
    rc_put(q, q->rbuf, c & ((1ull << q->rb_bits) - 1), 1);
    if (qcow2_pwrite(q, q->rbuf, q->cs, c << q->cluster_bits))
        return -1;
    qcow2_mark(q, c);
    extend(q, c);
    q->barrier = true;
    q->rt[ri] = c << q->cluster_bits;
    return write_rt_entry(q, ri);
}

static uint64_t div_up(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/* Sizes for a new table at cluster s: t table clusters, then b blocks
 * (table indices k0 on) that cover the table and themselves. Both only
 * grow, so the loop settles. */
static int plan_table(struct qcow2 *q, uint64_t s, uint64_t *t, uint64_t *b, uint64_t *k0)
{
    uint64_t per_rt = q->cs / 8, min_t = q->rt_entries / per_rt * 2;
    *k0 = s >> q->rb_bits;
    *t = min_t;
    *b = 1;
    for (int i = 0; i < 64; i++) {
        uint64_t need_b = ((s + *t + *b - 1) >> q->rb_bits) - *k0 + 1;
        uint64_t need_t = div_up(*k0 + *b, per_rt);
        if (need_t < min_t)
            need_t = min_t;
        if (need_b <= *b && need_t <= *t)
            return (*t << q->cluster_bits) <= QCOW2_MAX_RT_BYTES ? 0 : -1;
        *b = need_b > *b ? need_b : *b;
        *t = need_t > *t ? need_t : *t;
    }
    return -1;
}

/* Write b new blocks for table indices k0 on at cluster bstart, each
 * counting the clusters of [s, e) it covers. */
static int write_new_blocks(struct qcow2 *q, uint64_t k0, uint64_t b, uint64_t bstart, uint64_t s, uint64_t e)
{
    for (uint64_t k = k0; k < k0 + b; k++) {
        memset(q->rbuf, 0, q->cs);
        for (uint64_t c = s; c < e; c++)
            if (c >> q->rb_bits == k)
                rc_put(q, q->rbuf, c & ((1ull << q->rb_bits) - 1), 1);
        if (qcow2_pwrite(q, q->rbuf, q->cs, (bstart + k - k0) << q->cluster_bits))
            return -1;
    }
    return 0;
}

static int grow_table(struct qcow2 *q)
{
    uint64_t s = div_up(q->file_end, q->cs), t, nb, k0;
    if (s < q->rt_entries << q->rb_bits)
        s = q->rt_entries << q->rb_bits;
    if (plan_table(q, s, &t, &nb, &k0)) {
        qcow2_broken(q, "the refcount table cannot grow any further");
        return -1;
    }
    uint64_t n_new = t * q->cs / 8, e = s + t + nb;
    uint64_t *rt = calloc(n_new, 8);
    uint8_t *be = calloc(n_new, 8);
    int r = -1;
    if (!rt || !be)
        goto out;
    memcpy(rt, q->rt, q->rt_entries * 8);
    for (uint64_t k = k0; k < k0 + nb; k++)
        rt[k] = (s + t + k - k0) << q->cluster_bits;
    for (uint64_t i = 0; i < n_new; i++)
        put_be(be + i * 8, 8, rt[i]);
    uint8_t hdr[12];
    put_be(hdr, 8, s << q->cluster_bits);
    put_be(hdr + 8, 4, t);
    if (write_new_blocks(q, k0, nb, s + t, s, e) || qcow2_pwrite(q, be, n_new * 8, s << q->cluster_bits) ||
        qcow2_sync(q) || qcow2_pwrite(q, hdr, sizeof hdr, 48) || qcow2_sync(q))
        goto out;
    uint64_t old_off = q->h.rt_offset, old_n = q->rt_entries;
    free(q->rt);
    q->rt = rt;
    rt = NULL;
    q->rt_entries = n_new;
    q->h.rt_offset = s << q->cluster_bits;
    q->h.rt_clusters = (uint32_t)t;
    for (uint64_t c = s; c < e; c++)
        qcow2_mark(q, c);
    extend(q, e - 1);
    r = 0;
    for (uint64_t i = 0; i < old_n * 8 / q->cs && !r; i++)
        r = qcow2_release(q, old_off + (i << q->cluster_bits));
out:
    free(rt);
    free(be);
    return r;
}

/* Refcounts claiming clusters this far past the end of the file lie (a
 * crash leaks at most a pool's worth there): stop rather than scan on. */
#define SCAN_PAST_END 4096

static uint64_t alloc_one(struct qcow2 *q)
{
    for (uint64_t c = q->free_hint;; c++) {
        uint64_t rc;
        bool missing;
        if (c >= div_up(q->file_end, q->cs) + SCAN_PAST_END) {
            qcow2_broken(q, "its refcounts mark clusters far past the end of the file as in use");
            return 0;
        }
        if (c >= q->rt_entries << q->rb_bits) {
            if (grow_table(q))
                return 0;
            c = q->free_hint;           /* the old table's clusters are free now */
        }
        block_of(q, c, &missing);
        if (missing && !marked(q, c)) {
            if (make_block(q, c))
                return 0;
            continue;
        }
        if (rc_get(q, c, &rc))
            return 0;
        if (rc || marked(q, c) || c == 0)
            continue;
        if (rc_set(q, c, 1))
            return 0;
        qcow2_mark(q, c);
        q->barrier = true;
        q->free_hint = c + 1;
        extend(q, c);
        return c << q->cluster_bits;
    }
}

/* Clusters come from a pool filled a batch at a time, so that one barrier
 * covers the refcounts of up to 1 MiB of new clusters. */
uint64_t qcow2_alloc(struct qcow2 *q)
{
    if (q->pool_head == q->pool_n) {
        uint64_t want = (1u << 20) >> q->cluster_bits;
        want = want < 1 ? 1 : want > QCOW2_POOL ? QCOW2_POOL : want;
        q->pool_head = q->pool_n = 0;
        while (q->pool_n < want) {
            uint64_t off = alloc_one(q);
            if (!off)
                break;
            q->pool[q->pool_n++] = off;
        }
        if (!q->pool_n)
            return 0;
    }
    return q->pool[q->pool_head++];
}

int qcow2_release_pool(struct qcow2 *q)
{
    int r = 0;
    while (q->pool_head < q->pool_n && !r)
        r = qcow2_release(q, q->pool[q->pool_head++]);
    return r;
}

int qcow2_release(struct qcow2 *q, uint64_t off)
{
    uint64_t c = off >> q->cluster_bits, rc;
    if (rc_get(q, c, &rc))
        return -1;
    if (rc == 0) {
        qcow2_broken(q, "a cluster in use has a refcount of 0");
        return -1;
    }
    if (rc_set(q, c, rc - 1))
        return -1;
    if (rc == 1) {
        unmark(q, c);
        if (c < q->free_hint)
            q->free_hint = c;
    }
    return 0;
}

/* Read the refcount table; each block must be a cluster inside the file. */
int qcow2_rc_load(struct qcow2 *q, char *err, size_t errlen)
{
    uint64_t bytes = (uint64_t)q->h.rt_clusters << q->cluster_bits;
    uint8_t *be = malloc(bytes);
    q->rt_entries = bytes / 8;
    q->rt = calloc(q->rt_entries, 8);
    q->rb_bits = q->cluster_bits + 3 - q->h.refcount_order;
    if (!be || !q->rt || pread(q->fd, be, bytes, (off_t)q->h.rt_offset) != (ssize_t)bytes) {
        free(be);
        return ERR("cannot read the refcount table");
    }
    for (uint64_t i = 0; i < q->rt_entries; i++) {
        uint64_t off = get_be(be + i * 8, 8);
        q->rt[i] = off;
        if (!off)
            continue;
        if (off % q->cs || off < q->cs || off > q->file_end - q->cs) {
            free(be);
            return ERR("refcount block %llu at %#llx is not a cluster inside the file",
                       (unsigned long long)i, (unsigned long long)off);
        }
        if (!qcow2_mark(q, off >> q->cluster_bits)) {
            free(be);
            return ERR("refcount block %llu at %#llx overlaps other metadata", (unsigned long long)i,
                       (unsigned long long)off);
        }
    }
    free(be);
    return 0;
}

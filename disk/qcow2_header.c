/*
 * The qcow2 header and its extensions (qcow2.txt "Header", "Header
 * extensions"). All numbers are big-endian:
 *
 *    0 magic "QFI\xfb"        4 version (2, 3)      8 backing_file_offset (u64)
 *   16 backing_file_size     20 cluster_bits       24 size (u64)
 *   32 crypt_method          36 l1_size            40 l1_table_offset (u64)
 *   48 refcount_table_offset (u64)                 56 refcount_table_clusters
 *   60 nb_snapshots          64 snapshots_offset (u64)
 *   version 3: 72 incompatible  80 compatible  88 autoclear (u64 each)
 *              96 refcount_order  100 header_length  [104 compression_type]
 *
 * An image is a file someone else made, so nothing here is trusted: each
 * table must lie inside the file, past the header cluster, cluster-aligned
 * and clear of the other tables; the L1 table must map the whole virtual
 * size; the extensions must end inside the first cluster, before the
 * backing file's name.
 */
#include "qcow2.h"
#include <stdio.h>
#include <string.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

enum { EXT_END = 0, EXT_BACKING_FMT = 0xe2792aca, EXT_FEATURES = 0x6803f857 };

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

/* [off, off + len) lies inside a file of size bytes. */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* A table at off of bytes bytes: aligned, past the header cluster, inside the file. */
static int check_table(const char *what, uint64_t off, uint64_t bytes, uint64_t cs, uint64_t file_size,
                       char *err, size_t errlen)
{
    if (off % cs)
        return ERR("%s offset %#llx is not aligned to a cluster", what, (unsigned long long)off);
    if (off < cs)
        return ERR("%s offset %#llx overlaps the header", what, (unsigned long long)off);
    if (!inside(off, bytes, file_size))
        return ERR("%s (%#llx, %llu bytes) lies beyond the end of the file (%llu bytes)", what,
                   (unsigned long long)off, (unsigned long long)bytes, (unsigned long long)file_size);
    return 0;
}

/* The feature name table's name for incompatible bit, if any. */
static void feature_name(struct qcow2_header *h, const uint8_t *data, uint32_t len, int bit)
{
    for (uint32_t i = 0; i + 48 <= len; i += 48)
        if (data[i] == 0 && data[i + 1] == bit)
            snprintf(h->unknown_feature, sizeof h->unknown_feature, "%.46s", (const char *)data + i + 2);
}

/* Walk the extensions in [start, end) of buf. */
static int parse_extensions(struct qcow2_header *h, const uint8_t *buf, uint64_t start, uint64_t end,
                            char *err, size_t errlen)
{
    int unknown_bit = -1;
    for (int b = 0; b < 64; b++)
        if (h->incompat & ~QCOW2_INCOMPAT_KNOWN & (1ull << b)) {
            unknown_bit = b;
            break;
        }
    for (uint64_t off = start; off + 8 <= end;) {
        uint32_t type = be32(buf + off), len = be32(buf + off + 4);
        off += 8;
        if (type == EXT_END)
            return 0;
        if (len > end - off)
            return ERR("header extension %#x (%u bytes) runs past the header area", type, len);
        if (type == EXT_BACKING_FMT) {
            if (len >= sizeof h->backing_fmt)
                return ERR("backing file format name is too long (%u bytes)", len);
            memcpy(h->backing_fmt, buf + off, len);
            h->backing_fmt[len] = 0;
        } else if (type == EXT_FEATURES && unknown_bit >= 0) {
            feature_name(h, buf + off, len, unknown_bit);
        }
        off += (len + 7ull) & ~7ull;
    }
    return 0;
}

static int parse_fixed(struct qcow2_header *h, const uint8_t *b, size_t len, char *err, size_t errlen)
{
    if (len < 72 || memcmp(b, "QFI\xfb", 4))
        return ERR("not a qcow2 image (header truncated or magic missing)");
    h->version = be32(b + 4);
    if (h->version != 2 && h->version != 3)
        return ERR("qcow2 version %u is not supported (2 and 3 are)", h->version);
    h->cluster_bits = be32(b + 20);
    h->size = be64(b + 24);
    h->crypt_method = be32(b + 32);
    h->l1_size = be32(b + 36);
    h->l1_offset = be64(b + 40);
    h->rt_offset = be64(b + 48);
    h->rt_clusters = be32(b + 56);
    h->nb_snapshots = be32(b + 60);
    h->snapshots_offset = be64(b + 64);
    h->refcount_order = 4;
    h->header_length = 72;
    if (h->version == 3) {
        if (len < 104)
            return ERR("qcow2 version 3 header truncated");
        h->incompat = be64(b + 72);
        h->compat = be64(b + 80);
        h->autoclear = be64(b + 88);
        h->refcount_order = be32(b + 96);
        h->header_length = be32(b + 100);
        if (h->header_length < 104 || h->header_length % 8)
            return ERR("header_length %u is invalid (at least 104, a multiple of 8)", h->header_length);
    }
    if (h->cluster_bits < QCOW2_MIN_CLUSTER_BITS || h->cluster_bits > QCOW2_MAX_CLUSTER_BITS)
        return ERR("cluster_bits %u is out of range (%d to %d: 512 B to 2 MiB)", h->cluster_bits,
                   QCOW2_MIN_CLUSTER_BITS, QCOW2_MAX_CLUSTER_BITS);
    if (h->header_length > (1u << h->cluster_bits) || h->header_length > len)
        return ERR("header_length %u exceeds the first cluster", h->header_length);
    if (h->header_length > 104)
        h->compression_type = b[104];
    return 0;
}

/* Feature bits and fields that no reader can get past. */
static int check_features(const struct qcow2_header *h, char *err, size_t errlen)
{
    if (h->refcount_order > 6)
        return ERR("refcount_order %u is out of range (0 to 6)", h->refcount_order);
    if (h->crypt_method)
        return ERR("encrypted images (crypt_method %u) are not supported", h->crypt_method);
    if (h->incompat & ~QCOW2_INCOMPAT_KNOWN)
        return ERR("unsupported incompatible feature%s%s (bits %#llx)", h->unknown_feature[0] ? " " : "",
                   h->unknown_feature, (unsigned long long)(h->incompat & ~QCOW2_INCOMPAT_KNOWN));
    if (h->incompat & QCOW2_INCOMPAT_DATA_FILE)
        return ERR("images with an external data file are not supported");
    if ((h->incompat & QCOW2_INCOMPAT_COMPRESSION) || h->compression_type)
        return ERR("compression type %u is not supported (zlib, type 0, is)", h->compression_type);
    if ((h->incompat & QCOW2_INCOMPAT_EXTL2) && h->cluster_bits < 14)
        return ERR("extended L2 entries need clusters of at least 16 KiB (cluster_bits %u)", h->cluster_bits);
    return 0;
}

/* The L1 table must map the whole virtual size. */
static int check_l1(const struct qcow2_header *h, uint64_t file_size, char *err, size_t errlen)
{
    uint64_t cs = 1ull << h->cluster_bits;
    unsigned l2_bits = h->cluster_bits - ((h->incompat & QCOW2_INCOMPAT_EXTL2) ? 4 : 3);
    unsigned span_bits = h->cluster_bits + l2_bits;     /* guest bytes per L1 entry */
    if ((uint64_t)h->l1_size * 8 > QCOW2_MAX_L1_BYTES)
        return ERR("L1 table of %u entries is too large", h->l1_size);
    if (h->size > (1ull << 61) || (h->size + (1ull << span_bits) - 1) >> span_bits > h->l1_size)
        return ERR("L1 table of %u entries cannot map the virtual size of %llu bytes", h->l1_size,
                   (unsigned long long)h->size);
    if (h->l1_size && check_table("L1 table", h->l1_offset, (uint64_t)h->l1_size * 8, cs, file_size,
                                  err, errlen))
        return -1;
    return 0;
}

static int check_tables(const struct qcow2_header *h, uint64_t file_size, char *err, size_t errlen)
{
    uint64_t cs = 1ull << h->cluster_bits;
    uint64_t rt_bytes = (uint64_t)h->rt_clusters << h->cluster_bits;
    if (check_l1(h, file_size, err, errlen))
        return -1;
    if (h->rt_clusters == 0 || rt_bytes > QCOW2_MAX_RT_BYTES)
        return ERR("refcount table of %u clusters is out of range", h->rt_clusters);
    if (check_table("refcount table", h->rt_offset, rt_bytes, cs, file_size, err, errlen))
        return -1;
    if (h->l1_size && overlap(h->l1_offset, (uint64_t)h->l1_size * 8, h->rt_offset, rt_bytes))
        return ERR("the L1 table and the refcount table overlap");
    if (h->nb_snapshots && h->snapshots_offset % cs)
        return ERR("snapshot table offset %#llx is not aligned to a cluster",
                   (unsigned long long)h->snapshots_offset);
    return 0;
}

/* The backing file's name, stored in the first cluster after the extensions. */
static int parse_backing(struct qcow2_header *h, const uint8_t *b, size_t len, uint64_t *ext_end,
                         char *err, size_t errlen)
{
    uint64_t off = be64(b + 8);
    uint32_t n = be32(b + 16);
    *ext_end = len;
    if (!off)
        return 0;
    if (n == 0 || n > QCOW2_MAX_BACKING_NAME)
        return ERR("backing file name length %u is out of range (1 to %d)", n, QCOW2_MAX_BACKING_NAME);
    if (off < h->header_length || !inside(off, n, len))
        return ERR("backing file name (at %#llx, %u bytes) lies outside the first cluster",
                   (unsigned long long)off, n);
    memcpy(h->backing, b + off, n);
    h->backing[n] = 0;
    if (strlen(h->backing) != n)
        return ERR("backing file name holds a NUL byte");
    *ext_end = off;
    return 0;
}

int qcow2_parse_header(struct qcow2_header *h, const uint8_t *buf, size_t len, uint64_t file_size,
                       char *err, size_t errlen)
{
    uint64_t ext_end;
    memset(h, 0, sizeof *h);
    if (len > file_size)
        len = file_size;
    if (parse_fixed(h, buf, len, err, errlen))
        return -1;
    if (len > (1ull << h->cluster_bits))
        len = 1ull << h->cluster_bits;
    if (file_size < (1ull << h->cluster_bits))
        return ERR("the file (%llu bytes) is shorter than one cluster", (unsigned long long)file_size);
    if (parse_backing(h, buf, len, &ext_end, err, errlen) ||
        parse_extensions(h, buf, h->header_length, ext_end, err, errlen) ||
        check_features(h, err, errlen) || check_tables(h, file_size, err, errlen))
        return -1;
    return 0;
}

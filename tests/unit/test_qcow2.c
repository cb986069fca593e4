/* qcow2 (disk/qcow2*.c): the header parser on headers built here, one
 * field wrong at a time; then images made by qemu-img, written through
 * image_write and handed back to qemu-img check and compare, against the
 * same writes applied to a buffer; refcount table growth; the images a
 * writer must refuse. */
#include "unit.h"
#include "../../disk/qcow2.h"
#include "../../disk/image.h"
#include "../../disk/probe.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CS 65536u

static uint8_t hdr[CS];

static void be32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void be64(uint8_t *p, uint64_t v) { be32(p, v >> 32); be32(p + 4, (uint32_t)v); }

/* A version 3 header as qemu-img makes it for 1 GiB with 64 KiB clusters:
 * refcount table at cluster 1, L1 table at cluster 3. */
static void good_header(void)
{
    memset(hdr, 0, sizeof hdr);
    memcpy(hdr, "QFI\xfb", 4);
    be32(hdr + 4, 3);
    be32(hdr + 20, 16);
    be64(hdr + 24, 1ull << 30);
    be32(hdr + 36, 2);
    be64(hdr + 40, 3 * CS);
    be64(hdr + 48, CS);
    be32(hdr + 56, 1);
    be32(hdr + 96, 4);
    be32(hdr + 100, 112);
}

static int parse(struct qcow2_header *h, char *err)
{
    return qcow2_parse_header(h, hdr, sizeof hdr, 4 * CS, err, 256);
}

START_TEST(parses_a_good_header)
{
    struct qcow2_header h;
    char err[256];
    good_header();
    /* extensions: backing format "raw", then the end; the name after them */
    be32(hdr + 112, 0xe2792aca);
    be32(hdr + 116, 3);
    memcpy(hdr + 120, "raw", 3);
    be64(hdr + 8, 256);
    be32(hdr + 16, 8);
    memcpy(hdr + 256, "base.img", 8);
    ck_assert_msg(parse(&h, err) == 0, "%s", err);
    ck_assert_int_eq(h.version, 3);
    ck_assert_int_eq(h.cluster_bits, 16);
    ck_assert_uint_eq(h.size, 1ull << 30);
    ck_assert_str_eq(h.backing, "base.img");
    ck_assert_str_eq(h.backing_fmt, "raw");
    /* version 2: 72 bytes, refcount_order 4 implied */
    good_header();
    be32(hdr + 4, 2);
    ck_assert_msg(parse(&h, err) == 0, "%s", err);
    ck_assert_int_eq(h.refcount_order, 4);
    ck_assert_uint_eq(h.incompat, 0);
}
END_TEST

struct mutation {
    unsigned at, width;
    uint64_t value;
    const char *needle;
};

static const struct mutation mutations[] = {
    { 0, 4, 0x51464900, "magic" },
    { 4, 4, 4, "version 4" },
    { 20, 4, 8, "cluster_bits 8" },
    { 20, 4, 22, "cluster_bits 22" },
    { 20, 4, 0xffffffff, "cluster_bits" },
    { 24, 8, 1ull << 62, "cannot map the virtual size" },
    { 24, 8, (1ull << 30) + 1, "cannot map" },             /* needs a third L1 entry */
    { 32, 4, 1, "encrypted" },
    { 36, 4, 0x7fffffff, "too large" },
    { 40, 8, 0, "overlaps the header" },
    { 40, 8, 3 * CS + 8, "not aligned" },
    { 40, 8, 4 * CS, "beyond the end of the file" },
    { 40, 8, ~0ull & ~(CS - 1ull), "beyond the end" },
    { 48, 8, 0, "overlaps the header" },
    { 48, 8, 3 * CS, "overlap" },                          /* on the L1 table */
    { 48, 8, 1ull << 60, "beyond the end" },
    { 56, 4, 0, "refcount table of 0 clusters" },
    { 56, 4, 4, "beyond the end" },
    { 56, 4, 0xffffffff, "out of range" },
    { 72, 8, 1ull << 40, "unsupported incompatible feature" },
    { 72, 8, 1u << 2, "external data file" },
    { 72, 8, 1u << 3, "compression type" },
    { 96, 4, 7, "refcount_order 7" },
    { 100, 4, 100, "header_length 100" },
    { 100, 4, 108, "header_length 108" },
    { 100, 4, CS + 8, "exceeds" },
    { 8, 8, 64, "outside the first cluster" },            /* the name inside the header */
    { 8, 8, CS - 2, "outside the first cluster" },        /* runs past the cluster */
    { 8, 8, 1024, "holds a NUL byte" },
    { 16, 4, 2000, "length 2000" },
};

START_TEST(refuses_each_bad_field)
{
    const struct mutation *m = &mutations[_i];
    struct qcow2_header h;
    char err[256];
    good_header();
    be64(hdr + 8, 512);                 /* a backing name, for the mutations of its fields */
    be32(hdr + 16, 4);
    memcpy(hdr + 512, "base", 4);
    if (m->width == 8)
        be64(hdr + m->at, m->value);
    else
        be32(hdr + m->at, (uint32_t)m->value);
    ck_assert_msg(parse(&h, err) == -1, "mutation %d accepted", _i);
    ck_assert_msg(strstr(err, m->needle), "mutation %d: '%s' lacks '%s'", _i, err, m->needle);
}
END_TEST

START_TEST(refuses_bad_extensions)
{
    struct qcow2_header h;
    char err[256];
    good_header();
    be32(hdr + 112, 0x12345678);        /* unknown extension running past the cluster */
    be32(hdr + 116, CS);
    ck_assert_int_eq(parse(&h, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "runs past"));
    good_header();
    be32(hdr + 112, 0xe2792aca);        /* backing format name too long */
    be32(hdr + 116, 40);
    ck_assert_int_eq(parse(&h, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "too long"));
    /* an unknown incompatible bit is named from the feature name table */
    good_header();
    be64(hdr + 72, 1ull << 9);
    be32(hdr + 112, 0x6803f857);
    be32(hdr + 116, 48);
    hdr[120] = 0;
    hdr[121] = 9;
    strcpy((char *)hdr + 122, "time travel");
    ck_assert_int_eq(parse(&h, err), -1);
    ck_assert_msg(strstr(err, "time travel"), "%s", err);
    /* a short buffer and a short file */
    good_header();
    ck_assert_int_eq(qcow2_parse_header(&h, hdr, 100, 4 * CS, err, sizeof err), -1);
    ck_assert_int_eq(qcow2_parse_header(&h, hdr, sizeof hdr, CS - 512, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "shorter than one cluster"));
}
END_TEST

/* ---- images made by qemu-img ----------------------------------------------- */

static char dir[64];

static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static void setup_dir(void)
{
    strcpy(dir, "/tmp/hartvm-qcow2-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown_dir(void) { sh("rm -rf '%s'", dir); }

/* The writes of the round trip: sizes, alignments and rewrites that cross
 * cluster boundaries of every size tested. */
static void pattern(uint8_t *buf, uint64_t n, unsigned seed)
{
    for (uint64_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(seed * 131 + i / 512 * 7 + i);
}

#define DISK (4u << 20)

static void write_all(struct image *img, uint8_t *shadow, unsigned count)
{
    static uint8_t buf[256 * 1024];
    uint64_t x = 12345;
    for (unsigned i = 0; i < count; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t len = (1 + (x >> 33) % 64) * 512 * ((x >> 20) % 8 == 0 ? 8 : 1);
        uint64_t off = (x >> 40) % (DISK / 512) * 512;
        if (len > DISK - off)
            len = DISK - off;
        if (i % 8 == 7) {               /* guest WRITE_ZEROES / DISCARD */
            len *= 8;
            if (len > DISK - off)
                len = DISK - off;
            ck_assert_msg(image_write_zeroes(img, off, len) == 0, "zeroes %u at %llu", i,
                          (unsigned long long)off);
            memset(shadow + off, 0, len);
            continue;
        }
        pattern(buf, len, i);
        ck_assert_msg(image_write(img, off, buf, len) == 0, "write %u at %llu", i, (unsigned long long)off);
        memcpy(shadow + off, buf, len);
    }
}

static void expect_contents(struct image *img, const uint8_t *shadow)
{
    static uint8_t got[DISK];
    ck_assert_uint_eq(img->size, DISK);
    ck_assert_int_eq(image_read(img, 0, got, DISK), 0);
    ck_assert_msg(!memcmp(got, shadow, DISK), "read back differs");
}

/* Write through hartvm, then qemu-img check and compare with a raw copy. */
static void round_trip(const char *opts, const char *backing_raw)
{
    static uint8_t shadow[DISK];
    char path[128], raw[128], err[512];
    struct image img;
    snprintf(path, sizeof path, "%s/t.qcow2", dir);
    snprintf(raw, sizeof raw, "%s/t.raw", dir);
    memset(shadow, 0, sizeof shadow);
    if (backing_raw) {
        int fd = open(backing_raw, O_RDONLY);
        ck_assert_int_eq(pread(fd, shadow, DISK, 0), DISK);
        close(fd);
        ck_assert_int_eq(sh("qemu-img create -q -f qcow2 -o %s -b '%s' -F raw '%s'", opts, backing_raw, path), 0);
    } else {
        ck_assert_int_eq(sh("qemu-img create -q -f qcow2 -o %s '%s' %u", opts, path, DISK), 0);
    }
    ck_assert_msg(image_open_as(&img, path, IMG_FMT_QCOW2, false, false, err, sizeof err) == 0, "%s", err);
    write_all(&img, shadow, 300);
    expect_contents(&img, shadow);
    ck_assert_int_eq(image_flush(&img), 0);
    image_close(&img);
    ck_assert_int_eq(image_open(&img, path, true, false, true, err, sizeof err), 0);
    expect_contents(&img, shadow);
    image_close(&img);
    int fd = open(raw, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    ck_assert_int_eq(write(fd, shadow, DISK), DISK);
    close(fd);
    ck_assert_msg(sh("qemu-img check -q '%s'", path) == 0, "qemu-img check fails (%s)", opts);
    ck_assert_msg(sh("qemu-img compare -q -f qcow2 -F raw '%s' '%s'", path, raw) == 0, "compare (%s)", opts);
}

static const char *const layouts[] = {
    "cluster_size=512", "cluster_size=512,refcount_bits=64", "cluster_size=4096,refcount_bits=1",
    "cluster_size=65536", "cluster_size=65536,compat=0.10", "cluster_size=2M,refcount_bits=8",
    "cluster_size=16384,refcount_bits=32",
};

START_TEST(writes_are_what_qemu_img_reads)
{
    setup_dir();
    round_trip(layouts[_i], NULL);
    teardown_dir();
}
END_TEST

START_TEST(writes_over_a_raw_backing_file)
{
    char base[128];
    setup_dir();
    snprintf(base, sizeof base, "%s/base.raw", dir);
    ck_assert_int_eq(sh("head -c %u /dev/urandom > '%s'", DISK, base), 0);
    round_trip("cluster_size=4096", base);
    teardown_dir();
}
END_TEST

/* 512-byte clusters with 64-bit refcounts: one refcount block covers 32
 * KiB, the first table 2 MiB, so writing 4 MiB grows the table. */
START_TEST(refcount_table_grows)
{
    static uint8_t buf[DISK];
    char path[128], err[512];
    struct image img;
    setup_dir();
    snprintf(path, sizeof path, "%s/g.qcow2", dir);
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 -o cluster_size=512,refcount_bits=64 '%s' %u", path, DISK), 0);
    ck_assert_int_eq(image_open_as(&img, path, IMG_FMT_QCOW2, false, false, err, sizeof err), 0);
    pattern(buf, DISK, 7);
    ck_assert_int_eq(image_write(&img, 0, buf, DISK), 0);
    image_close(&img);
    ck_assert_int_eq(sh("qemu-img check -q '%s'", path), 0);
    ck_assert_int_eq(sh("qemu-img info '%s' | grep -q 'refcount bits: 64'", path), 0);
    ck_assert_int_eq(image_open_as(&img, path, IMG_FMT_QCOW2, true, false, err, sizeof err), 0);
    expect_contents(&img, buf);
    image_close(&img);
    teardown_dir();
}
END_TEST

/* Zeros over whole clusters become the zero flag and free the data (on
 * version 3), over a raw backing file too; partial ones are written. */
START_TEST(zeroes_set_the_zero_flag)
{
    static uint8_t buf[1u << 20];
    char path[128], err[512];
    struct image img;
    setup_dir();
    snprintf(path, sizeof path, "%s/z.qcow2", dir);
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 '%s' 4M", path), 0);
    ck_assert_int_eq(image_open_as(&img, path, IMG_FMT_QCOW2, false, false, err, sizeof err), 0);
    pattern(buf, sizeof buf, 3);
    ck_assert_int_eq(image_write(&img, 0, buf, sizeof buf), 0);
    ck_assert_int_eq(image_write_zeroes(&img, 512, sizeof buf - 1024), 0);
    ck_assert_int_eq(image_read(&img, 0, buf, sizeof buf), 0);
    for (unsigned i = 512; i < sizeof buf - 512; i++)
        ck_assert_msg(buf[i] == 0, "byte %u", i);
    ck_assert_int_ne(buf[0] | buf[1] | buf[2], 0);
    image_close(&img);
    ck_assert_int_eq(sh("qemu-img check -q '%s'", path), 0);
    /* 16 clusters: the first and last keep data, the 14 between are zero */
    ck_assert_int_eq(sh("test $(qemu-img map --output=json '%s' | grep -c '\"zero\": true, \"data\": false') -ge 1", path), 0);
    ck_assert_int_eq(sh("qemu-img check '%s' | grep -q '^2/64 = '", path), 0);
    teardown_dir();
}
END_TEST

/* Set bytes of a file. */
static void poke(const char *path, uint64_t off, const void *bytes, size_t n)
{
    int fd = open(path, O_WRONLY);
    ck_assert_int_eq(pwrite(fd, bytes, n, (off_t)off), (ssize_t)n);
    close(fd);
}

static void refused_writable(const char *path, const char *needle)
{
    struct image img;
    char err[512];
    ck_assert_int_eq(image_open_as(&img, path, IMG_FMT_QCOW2, false, false, err, sizeof err), -1);
    ck_assert_msg(strstr(err, needle), "'%s' lacks '%s'", err, needle);
    ck_assert_msg(image_open_as(&img, path, IMG_FMT_QCOW2, true, false, err, sizeof err) == 0, "%s", err);
    image_close(&img);
    ck_assert_msg(image_open_as(&img, path, IMG_FMT_QCOW2, false, true, err, sizeof err) == 0, "%s", err);
    image_close(&img);
}

START_TEST(writer_refuses_what_it_cannot_keep_consistent)
{
    char path[128];
    uint8_t dirty[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
    setup_dir();
    snprintf(path, sizeof path, "%s/d.qcow2", dir);
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 '%s' 1M", path), 0);
    poke(path, 72, dirty, 8);
    refused_writable(path, "not closed cleanly");
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 '%s' 1M && qemu-img snapshot -c s '%s'", path, path), 0);
    refused_writable(path, "internal snapshots");
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 -o extended_l2=on '%s' 1M", path), 0);
    refused_writable(path, "extended L2");
    teardown_dir();
}
END_TEST

/* Tables that point at other metadata: a writer refuses the image, a
 * reader gets errors or bytes, never a crash. */
START_TEST(overlapping_tables_are_refused)
{
    char path[128], err[512];
    uint8_t be[8], buf[4096];
    struct image img;
    setup_dir();
    snprintf(path, sizeof path, "%s/o.qcow2", dir);
    /* qemu-img's layout: header, refcount table, refcount block, L1 table
     * at 0x30000, the first L2 table at 0x40000 after one write */
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 '%s' 1M && qemu-io -c 'write 0 4k' '%s' >/dev/null",
                        path, path), 0);
    be64(be, 0x8000000000010000ull);    /* L1[0] -> the refcount table */
    poke(path, 0x30000, be, 8);
    refused_writable(path, "overlaps");
    ck_assert_int_eq(image_open_as(&img, path, IMG_FMT_QCOW2, true, false, err, sizeof err), 0);
    image_read(&img, 0, buf, sizeof buf);       /* whatever it reads, it returns */
    image_close(&img);
    be64(be, 0x8000000000040000ull);    /* L1 back; L2[0] -> the L1 table */
    poke(path, 0x30000, be, 8);
    be64(be, 0x8000000000030000ull);
    poke(path, 0x40000, be, 8);
    refused_writable(path, "overlaps");
    be64(be, 0x8000000100000000ull);    /* L2[0] -> 4 GiB, past the end of the file */
    poke(path, 0x40000, be, 8);
    refused_writable(path, "not a cluster inside the file");
    teardown_dir();
}
END_TEST

/* ---- snapshot=on: the temporary overlay and its commit --------------------- */

/* qcow2_format's images are what qemu-img calls clean, before and after
 * hartvm writes them, small and large (an L1 table of several entries). */
START_TEST(new_images_pass_qemu_img_check)
{
    static const uint64_t sizes[] = { 512, DISK, 3ull << 30 };
    static uint8_t shadow[DISK];
    char path[128], err[512];
    struct image img;
    setup_dir();
    snprintf(path, sizeof path, "%s/n.qcow2", dir);
    for (unsigned i = 0; i < 3; i++) {
        int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
        ck_assert_msg(qcow2_format(fd, sizes[i], err, sizeof err) == 0, "%s", err);
        close(fd);
        ck_assert_msg(sh("qemu-img check -q '%s'", path) == 0, "size %llu", (unsigned long long)sizes[i]);
        ck_assert_int_eq(sh("qemu-img info '%s' | grep -q '(%llu bytes)'", path,
                            (unsigned long long)sizes[i]), 0);
    }
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    ck_assert_int_eq(qcow2_format(fd, DISK, err, sizeof err), 0);
    close(fd);
    ck_assert_msg(image_open_as(&img, path, IMG_FMT_QCOW2, false, false, err, sizeof err) == 0, "%s", err);
    memset(shadow, 0, sizeof shadow);
    write_all(&img, shadow, 100);
    image_close(&img);
    ck_assert_int_eq(sh("qemu-img check -q '%s'", path), 0);
    teardown_dir();
}
END_TEST

static void save_raw(const char *path, const uint8_t *data)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    ck_assert_int_eq(write(fd, data, DISK), DISK);
    close(fd);
}

/* The drive's image under snapshot=on: path, opened as format (qcow2 over
 * a raw backing file with the same first contents, or raw). */
static void snapshot_commit(const char *path, int format)
{
    static uint8_t shadow[DISK];
    char before[128], after[128], err[512];
    struct image img, other;
    snprintf(before, sizeof before, "%s/before.raw", dir);
    snprintf(after, sizeof after, "%s/after.raw", dir);
    ck_assert_int_eq(sh("qemu-img convert -O raw '%s' '%s'", path, before), 0);
    int fd = open(before, O_RDONLY);
    ck_assert_int_eq(pread(fd, shadow, DISK, 0), DISK);
    close(fd);
    ck_assert_msg(image_open_as(&img, path, format, false, true, err, sizeof err) == 0, "%s", err);
    write_all(&img, shadow, 300);
    expect_contents(&img, shadow);
    ck_assert_int_eq(sh("qemu-img compare -q -F raw '%s' '%s'", path, before), 0);  /* untouched */
    /* another reader of the image refuses the writer a commit needs */
    ck_assert_int_eq(image_open_as(&other, path, format, true, false, err, sizeof err), 0);
    ck_assert_int_eq(image_commit(&img, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "lock"), "%s", err);
    expect_contents(&img, shadow);
    unsigned held = 0;
    for (uint64_t sct = 0; sct < DISK / 512; sct += 61)
        held += image_overlay_has(&img, sct);
    ck_assert_uint_gt(held, 0);
    image_close(&other);
    ck_assert_int_eq(sh("qemu-img compare -q -F raw '%s' '%s'", path, before), 0);
    ck_assert_msg(image_commit(&img, err, sizeof err) == 0, "%s", err);
    for (uint64_t sct = 0; sct < DISK / 512; sct += 61)
        ck_assert_msg(!image_overlay_has(&img, sct), "sector %llu still in the overlay", (unsigned long long)sct);
    expect_contents(&img, shadow);
    save_raw(after, shadow);
    ck_assert_int_eq(sh("qemu-img compare -q -F raw '%s' '%s'", path, after), 0);
    if (format == IMG_FMT_QCOW2)
        ck_assert_int_eq(sh("qemu-img check -q '%s'", path), 0);
    /* more writes, no commit: gone with the overlay */
    write_all(&img, shadow, 20);
    image_close(&img);
    ck_assert_int_eq(sh("qemu-img compare -q -F raw '%s' '%s'", path, after), 0);
}

START_TEST(snapshot_commits_into_a_raw_image)
{
    char base[128];
    setup_dir();
    snprintf(base, sizeof base, "%s/base.raw", dir);
    ck_assert_int_eq(sh("head -c %u /dev/urandom > '%s'", DISK, base), 0);
    snapshot_commit(base, IMG_FMT_RAW);
    teardown_dir();
}
END_TEST

START_TEST(snapshot_commits_into_a_qcow2_image)
{
    char base[128], top[128];
    setup_dir();
    snprintf(base, sizeof base, "%s/base.raw", dir);
    snprintf(top, sizeof top, "%s/top.qcow2", dir);
    ck_assert_int_eq(sh("head -c %u /dev/urandom > '%s'", DISK, base), 0);
    ck_assert_int_eq(sh("qemu-img create -q -f qcow2 -o cluster_size=4096 -b '%s' -F raw '%s'", base, top), 0);
    snapshot_commit(top, IMAGE_PROBE);
    teardown_dir();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("qcow2");
    TCase *t = tcase_create("header");
    tcase_add_test(t, parses_a_good_header);
    tcase_add_loop_test(t, refuses_each_bad_field, 0, sizeof mutations / sizeof mutations[0]);
    tcase_add_test(t, refuses_bad_extensions);
    suite_add_tcase(s, t);
    t = tcase_create("images");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, writes_are_what_qemu_img_reads, 0, sizeof layouts / sizeof layouts[0]);
    tcase_add_test(t, writes_over_a_raw_backing_file);
    tcase_add_test(t, refcount_table_grows);
    tcase_add_test(t, zeroes_set_the_zero_flag);
    tcase_add_test(t, writer_refuses_what_it_cannot_keep_consistent);
    tcase_add_test(t, overlapping_tables_are_refused);
    suite_add_tcase(s, t);
    t = tcase_create("snapshot");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, new_images_pass_qemu_img_check);
    tcase_add_test(t, snapshot_commits_into_a_raw_image);
    tcase_add_test(t, snapshot_commits_into_a_qcow2_image);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(suite)

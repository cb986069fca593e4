/* virtio-mmio transport and virtio-blk, driven through their registers and
 * rings from the test (no guest), including hostile drivers. */
#include "unit.h"
#include "../../disk/virtio_blk.h"
#include "../../mmu/bus.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1u << 20)
#define DESC  (RAM_BASE + 0x1000)
#define AVAIL (RAM_BASE + 0x2000)
#define USED  (RAM_BASE + 0x3000)
#define BUF   (RAM_BASE + 0x10000)
#define QN 8
#define IMG_SECTORS 64

struct rig {
    struct bus bus;
    uint8_t *ram;
    struct vblk *blk;
    char path[64];
    int irq_level, irq_edges;
    uint16_t avail_idx;
};

static void set_irq(void *ctx, bool level)
{
    struct rig *r = ctx;
    if (level && !r->irq_level)
        r->irq_edges++;
    r->irq_level = level;
}

static uint32_t rd(struct rig *r, uint64_t off)
{
    uint64_t v;
    virtio_mmio_ops.read(&r->blk->vdev, off, 4, &v);
    return (uint32_t)v;
}
static void wr(struct rig *r, uint64_t off, uint32_t v) { virtio_mmio_ops.write(&r->blk->vdev, off, 4, v); }
static void *ram(struct rig *r, uint64_t pa) { return r->ram + (pa - RAM_BASE); }

static void make_image(struct rig *r, size_t size)
{
    strcpy(r->path, "/tmp/hartvm-vblk-XXXXXX");
    int fd = mkstemp(r->path);
    ck_assert_int_ge(fd, 0);
    uint8_t sec[512];
    for (size_t s = 0; s < size / 512; s++) {
        memset(sec, (int)(s & 0xff), sizeof sec);
        ck_assert_int_eq(write(fd, sec, sizeof sec), (ssize_t)sizeof sec);
    }
    close(fd);
}

static int rig_open(struct rig *r, bool ro, bool snap, bool legacy)
{
    char err[256];
    memset(&r->bus, 0, sizeof r->bus);
    r->ram = calloc(1, RAM_SIZE);
    bus_add_memory(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram, false);
    r->blk = calloc(1, sizeof *r->blk);
    r->irq_level = r->irq_edges = 0;
    r->avail_idx = 0;
    return vblk_init(r->blk, &r->bus, r->path, ro, snap, false, legacy, set_irq, r, err, sizeof err);
}

static void rig_close(struct rig *r, bool unlink_image)
{
    vblk_close(r->blk);
    free(r->blk);
    bus_free(&r->bus);
    free(r->ram);
    if (unlink_image)
        unlink(r->path);
}

/* The driver side of §3.1.1 initialisation for a modern device. */
static void driver_init(struct rig *r, uint32_t qnum)
{
    wr(r, 0x070, 1);
    wr(r, 0x070, 1 | 2);
    wr(r, 0x014, 0); uint32_t lo = rd(r, 0x010);
    wr(r, 0x014, 1); uint32_t hi = rd(r, 0x010);
    wr(r, 0x024, 0); wr(r, 0x020, lo);
    wr(r, 0x024, 1); wr(r, 0x020, hi);
    wr(r, 0x070, 1 | 2 | 8);
    ck_assert(rd(r, 0x070) & 8);
    wr(r, 0x030, 0);
    ck_assert_uint_eq(rd(r, 0x034), 256);
    wr(r, 0x038, qnum);
    wr(r, 0x080, (uint32_t)DESC);  wr(r, 0x084, DESC >> 32);
    wr(r, 0x090, (uint32_t)AVAIL); wr(r, 0x094, AVAIL >> 32);
    wr(r, 0x0a0, (uint32_t)USED);  wr(r, 0x0a4, USED >> 32);
    wr(r, 0x044, 1);
    wr(r, 0x070, 1 | 2 | 8 | 4);
}

static void desc(struct rig *r, int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = ram(r, DESC + 16 * i);
    memcpy(d, &addr, 8); memcpy(d + 8, &len, 4); memcpy(d + 12, &flags, 2); memcpy(d + 14, &next, 2);
}

/* Put head on the avail ring and notify. */
static void submit(struct rig *r, uint16_t head)
{
    memcpy(ram(r, AVAIL + 4 + 2 * (r->avail_idx % QN)), &head, 2);
    r->avail_idx++;
    memcpy(ram(r, AVAIL + 2), &r->avail_idx, 2);
    wr(r, 0x050, 0);
}

static uint16_t used_idx(struct rig *r) { uint16_t v; memcpy(&v, ram(r, USED + 2), 2); return v; }

/* A 3-descriptor request: header, data (len bytes at BUF+0x100), status at BUF+0x80. */
static uint8_t request(struct rig *r, uint32_t type, uint64_t sector, uint32_t len, bool data_write)
{
    uint8_t *h = ram(r, BUF);
    memcpy(h, &type, 4); memset(h + 4, 0, 4); memcpy(h + 8, &sector, 8);
    *(uint8_t *)ram(r, BUF + 0x80) = 0xee;
    desc(r, 0, BUF, 16, 1, 1);
    if (len) {
        desc(r, 1, BUF + 0x100, len, 1 | (data_write ? 2 : 0), 2);
        desc(r, 2, BUF + 0x80, 1, 2, 0);
    } else {
        desc(r, 0, BUF, 16, 1, 2);
        desc(r, 2, BUF + 0x80, 1, 2, 0);
    }
    submit(r, 0);
    return *(uint8_t *)ram(r, BUF + 0x80);
}

START_TEST(registers_modern_and_legacy)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    ck_assert_uint_eq(rd(&r, 0x000), 0x74726976);
    ck_assert_uint_eq(rd(&r, 0x004), 2);
    ck_assert_uint_eq(rd(&r, 0x008), 2);
    wr(&r, 0x014, 1);
    ck_assert(rd(&r, 0x010) & 1);           /* VERSION_1 (bit 32) */
    uint64_t cap;
    virtio_mmio_ops.read(&r.blk->vdev, 0x100, 8, &cap);
    ck_assert_uint_eq(cap, IMG_SECTORS);
    rig_close(&r, false);
    ck_assert_int_eq(rig_open(&r, false, false, true), 0);
    ck_assert_uint_eq(rd(&r, 0x004), 1);
    wr(&r, 0x014, 1);
    ck_assert_uint_eq(rd(&r, 0x010) & 1, 0);
    rig_close(&r, true);
}
END_TEST

/* Try FEATURES_OK after writing lo to DriverFeatures word 0 (and hi to
 * word 1 when write_hi); returns the status read back. */
static uint32_t negotiate(struct rig *r, uint32_t lo, bool write_hi, uint32_t hi)
{
    wr(r, 0x070, 0);
    wr(r, 0x070, 1 | 2);
    wr(r, 0x024, 0); wr(r, 0x020, lo);
    if (write_hi) {
        wr(r, 0x024, 1); wr(r, 0x020, hi);
    }
    wr(r, 0x070, 1 | 2 | 8);
    return rd(r, 0x070);
}

START_TEST(features_ok_rules)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    wr(&r, 0x014, 0);
    uint32_t offered = rd(&r, 0x010);
    /* Only the low word, VERSION_1 never acknowledged: accepted, and the
     * bit stays set through the rest of the initialisation. */
    ck_assert_uint_eq(negotiate(&r, 1u << 9, false, 0), 1 | 2 | 8);
    wr(&r, 0x024, 0); wr(&r, 0x020, 0);     /* ignored after FEATURES_OK */
    ck_assert(virtio_has_feature(&r.blk->vdev, 9));
    wr(&r, 0x070, 1 | 2 | 8 | 4);
    ck_assert_uint_eq(rd(&r, 0x070), 1 | 2 | 8 | 4);
    /* Nothing at all, and the whole offer with VERSION_1: accepted. */
    ck_assert(negotiate(&r, 0, false, 0) & 8);
    ck_assert(negotiate(&r, offered, true, 1) & 8);
    /* A bit never offered is refused, in either word, and a reset clears
     * the refusal. */
    ck_assert_uint_eq(offered & 0x80, 0);
    ck_assert_uint_eq(negotiate(&r, offered | 0x80, true, 1), 1 | 2);
    ck_assert_uint_eq(negotiate(&r, 1u << 9, true, 1 | 2), 1 | 2);
    ck_assert(negotiate(&r, 1u << 9, true, 0) & 8);
    rig_close(&r, false);
    /* Legacy has no FEATURES_OK to refuse with (virtio 1.2 §3.1.2): the
     * status is kept, the unoffered bit is dropped. */
    ck_assert_int_eq(rig_open(&r, false, false, true), 0);
    ck_assert_uint_eq(negotiate(&r, (1u << 9) | 0x80, false, 0), 1 | 2 | 8);
    ck_assert(virtio_has_feature(&r.blk->vdev, 9));
    ck_assert(!virtio_has_feature(&r.blk->vdev, 7));
    rig_close(&r, true);
}
END_TEST

START_TEST(write_read_flush_getid)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    memset(ram(&r, BUF + 0x100), 0x5a, 1024);
    ck_assert_uint_eq(request(&r, 1, 3, 1024, false), 0);
    ck_assert_uint_eq(used_idx(&r), 1);
    ck_assert_int_eq(r.irq_level, 1);
    ck_assert_uint_eq(rd(&r, 0x060), 1);
    wr(&r, 0x064, 1);
    ck_assert_int_eq(r.irq_level, 0);
    /* The bytes are in the file, where the guest put them. */
    int fd = open(r.path, O_RDONLY);
    uint8_t buf[1024];
    ck_assert_int_eq(pread(fd, buf, sizeof buf, 3 * 512), 1024);
    close(fd);
    for (int i = 0; i < 1024; i++)
        ck_assert_uint_eq(buf[i], 0x5a);
    memset(ram(&r, BUF + 0x100), 0, 1024);
    ck_assert_uint_eq(request(&r, 0, 2, 1024, true), 0);
    ck_assert_uint_eq(((uint8_t *)ram(&r, BUF + 0x100))[0], 2);      /* sector 2 fill */
    ck_assert_uint_eq(((uint8_t *)ram(&r, BUF + 0x100))[512], 0x5a); /* sector 3 */
    uint32_t used_len;
    memcpy(&used_len, ram(&r, USED + 4 + 8 * 1 + 4), 4);
    ck_assert_uint_eq(used_len, 1025);
    ck_assert_uint_eq(request(&r, 4, 0, 0, false), 0);               /* flush */
    ck_assert_uint_eq(request(&r, 8, 0, 20, true), 0);               /* get id */
    ck_assert_str_eq((char *)ram(&r, BUF + 0x100), "hartvm-blk");
    ck_assert_uint_eq(request(&r, 99, 0, 0, false), 2);              /* unsupported */
    rig_close(&r, true);
}
END_TEST

START_TEST(out_of_range_and_bad_buffers)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    ck_assert_uint_eq(request(&r, 0, IMG_SECTORS - 1, 1024, true), 1);  /* past the end */
    ck_assert_uint_eq(request(&r, 0, ~0ull / 2, 512, true), 1);
    ck_assert_uint_eq(request(&r, 0, 0, 100, true), 1);                 /* not whole sectors */
    ck_assert_uint_eq(request(&r, 0, 0, 0xfffffe00u, true), 1);         /* huge: no allocation */
    /* A data buffer outside guest RAM fails the request, nothing else. */
    uint32_t t = 0; uint64_t s = 0;
    memcpy(ram(&r, BUF), &t, 4); memcpy(ram(&r, BUF + 8), &s, 8);
    desc(&r, 0, BUF, 16, 1, 1);
    desc(&r, 1, 0x1000, 512, 1 | 2, 2);
    desc(&r, 2, BUF + 0x80, 1, 2, 0);
    submit(&r, 0);
    ck_assert_uint_eq(*(uint8_t *)ram(&r, BUF + 0x80), 1);
    ck_assert_uint_eq(rd(&r, 0x070) & 64, 0);
    rig_close(&r, true);
}
END_TEST

START_TEST(hostile_rings_need_reset)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    /* a descriptor loop */
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    desc(&r, 0, BUF, 16, 1, 1);
    desc(&r, 1, BUF + 0x100, 512, 1, 0);
    submit(&r, 0);
    ck_assert(rd(&r, 0x070) & 64);
    ck_assert(rd(&r, 0x060) & 2);
    ck_assert_uint_eq(used_idx(&r), 0);
    wr(&r, 0x070, 0);                       /* reset clears it */
    ck_assert_uint_eq(rd(&r, 0x070), 0);
    rig_close(&r, false);
    /* a head index beyond the queue */
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    submit(&r, QN + 3);
    ck_assert(rd(&r, 0x070) & 64);
    rig_close(&r, false);
    /* avail.idx claiming more entries than the ring holds */
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    uint16_t idx = 1000;
    memcpy(ram(&r, AVAIL + 2), &idx, 2);
    wr(&r, 0x050, 0);
    ck_assert(rd(&r, 0x070) & 64);
    rig_close(&r, false);
    /* a queue size that is not a power of two */
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, 6);
    ck_assert(rd(&r, 0x070) & 64);
    rig_close(&r, false);
    /* ring addresses outside RAM */
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    wr(&r, 0x070, 0);
    driver_init(&r, QN);
    wr(&r, 0x044, 0);
    wr(&r, 0x090, 0x1000); wr(&r, 0x094, 0);
    wr(&r, 0x044, 1);
    wr(&r, 0x050, 0);
    ck_assert(rd(&r, 0x070) & 64);
    rig_close(&r, true);
}
END_TEST

START_TEST(indirect_descriptors)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    uint8_t *h = ram(&r, BUF);
    uint32_t t = 0; uint64_t s = 5;
    memcpy(h, &t, 4); memcpy(h + 8, &s, 8);
    /* indirect table at BUF+0x800: header, data, status */
    struct { uint64_t a; uint32_t l; uint16_t f, n; } tab[3] = {
        { BUF, 16, 1, 1 }, { BUF + 0x100, 512, 3, 2 }, { BUF + 0x80, 1, 2, 0 } };
    memcpy(ram(&r, BUF + 0x800), tab, sizeof tab);
    desc(&r, 0, BUF + 0x800, sizeof tab, 4, 0);
    submit(&r, 0);
    ck_assert_uint_eq(*(uint8_t *)ram(&r, BUF + 0x80), 0);
    ck_assert_uint_eq(((uint8_t *)ram(&r, BUF + 0x100))[0], 5);
    /* nested indirect is malformed */
    tab[1].f = 4;
    memcpy(ram(&r, BUF + 0x800), tab, sizeof tab);
    submit(&r, 0);
    ck_assert(rd(&r, 0x070) & 64);
    rig_close(&r, true);
}
END_TEST

START_TEST(readonly_refuses_writes)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, true, false, false), 0);
    ck_assert(rd(&r, 0x010) & (1u << 5));   /* RO */
    driver_init(&r, QN);
    memset(ram(&r, BUF + 0x100), 0x77, 512);
    ck_assert_uint_eq(request(&r, 1, 0, 512, false), 1);
    ck_assert_uint_eq(request(&r, 0, 0, 512, true), 0);
    ck_assert_uint_eq(((uint8_t *)ram(&r, BUF + 0x100))[0], 0);     /* unchanged */
    rig_close(&r, true);
}
END_TEST

START_TEST(snapshot_never_touches_image)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, true, false), 0);
    driver_init(&r, QN);
    memset(ram(&r, BUF + 0x100), 0x33, 512);
    ck_assert_uint_eq(request(&r, 1, 7, 512, false), 0);
    memset(ram(&r, BUF + 0x100), 0, 1024);
    ck_assert_uint_eq(request(&r, 0, 7, 1024, true), 0);
    ck_assert_uint_eq(((uint8_t *)ram(&r, BUF + 0x100))[0], 0x33);   /* overlay */
    ck_assert_uint_eq(((uint8_t *)ram(&r, BUF + 0x100))[512], 8);    /* image */
    int fd = open(r.path, O_RDONLY);
    uint8_t b;
    ck_assert_int_eq(pread(fd, &b, 1, 7 * 512), 1);
    close(fd);
    ck_assert_uint_eq(b, 7);
    rig_close(&r, true);
}
END_TEST

START_TEST(write_zeroes_and_discard)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, false), 0);
    driver_init(&r, QN);
    struct { uint32_t type, res; uint64_t sector; uint64_t s2; uint32_t num, flags; } q = { 13, 0, 0, 9, 2, 0 };
    memcpy(ram(&r, BUF), &q, sizeof q);
    desc(&r, 0, BUF, sizeof q, 1, 2);
    desc(&r, 2, BUF + 0x80, 1, 2, 0);
    submit(&r, 0);
    ck_assert_uint_eq(*(uint8_t *)ram(&r, BUF + 0x80), 0);
    int fd = open(r.path, O_RDONLY);
    uint8_t b[3];
    ck_assert_int_eq(pread(fd, &b[0], 1, 9 * 512), 1);
    ck_assert_int_eq(pread(fd, &b[1], 1, 10 * 512 + 511), 1);
    ck_assert_int_eq(pread(fd, &b[2], 1, 11 * 512), 1);
    close(fd);
    ck_assert_uint_eq(b[0], 0);
    ck_assert_uint_eq(b[1], 0);
    ck_assert_uint_eq(b[2], 11);
    q.s2 = IMG_SECTORS - 1;                 /* range past the end */
    memcpy(ram(&r, BUF), &q, sizeof q);
    submit(&r, 0);
    ck_assert_uint_eq(*(uint8_t *)ram(&r, BUF + 0x80), 1);
    rig_close(&r, true);
}
END_TEST

START_TEST(legacy_queue_layout)
{
    struct rig r;
    make_image(&r, IMG_SECTORS * 512);
    ck_assert_int_eq(rig_open(&r, false, false, true), 0);
    wr(&r, 0x070, 3);
    wr(&r, 0x028, 4096);
    wr(&r, 0x030, 0);
    wr(&r, 0x038, QN);
    wr(&r, 0x03c, 4096);
    wr(&r, 0x040, (uint32_t)(DESC >> 12));
    wr(&r, 0x070, 3 | 4);
    /* legacy: avail follows the table, used is aligned to 4096 */
    uint64_t avail = DESC + 16 * QN, used = (avail + 6 + 2 * QN + 4095) & ~4095ull;
    uint8_t *h = ram(&r, BUF);
    uint32_t t = 8; memcpy(h, &t, 4);
    desc(&r, 0, BUF, 16, 1, 1);
    desc(&r, 1, BUF + 0x100, 20, 3, 2);
    desc(&r, 2, BUF + 0x80, 1, 2, 0);
    uint16_t head = 0, idx = 1;
    memcpy(ram(&r, avail + 4), &head, 2);
    memcpy(ram(&r, avail + 2), &idx, 2);
    wr(&r, 0x050, 0);
    uint16_t uidx; memcpy(&uidx, ram(&r, used + 2), 2);
    ck_assert_uint_eq(uidx, 1);
    ck_assert_str_eq((char *)ram(&r, BUF + 0x100), "hartvm-blk");
    rig_close(&r, true);
}
END_TEST

START_TEST(image_errors_and_locking)
{
    struct image a, b;
    char err[256], path[64];
    ck_assert_int_ne(image_open(&a, "/nonexistent/disk.img", false, false, false, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/disk.img"));
    strcpy(path, "/tmp/hartvm-odd-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_eq(write(fd, "abc", 3), 3);
    close(fd);
    ck_assert_int_ne(image_open(&a, path, false, false, false, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "multiple"));
    unlink(path);
    struct rig r;
    make_image(&r, 8 * 512);
    ck_assert_int_eq(image_open(&a, r.path, false, false, false, err, sizeof err), 0);
    ck_assert_int_ne(image_open(&b, r.path, false, false, false, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "Failed to get \"write\" lock"));
    ck_assert_int_ne(image_open(&b, r.path, true, false, false, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "Failed to get shared \"write\" lock"));
    image_close(&a);
    ck_assert_int_eq(image_open(&a, r.path, true, false, false, err, sizeof err), 0);
    ck_assert_int_eq(image_open(&b, r.path, true, false, false, err, sizeof err), 0);
    image_close(&a);
    image_close(&b);
    /* a symlink is not followed for a writable image */
    char link[80];
    snprintf(link, sizeof link, "%s.lnk", r.path);
    ck_assert_int_eq(symlink(r.path, link), 0);
    ck_assert_int_ne(image_open(&a, link, false, false, false, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
    unlink(link);
    unlink(r.path);
}
END_TEST

/* discard= (QEMU's meaning): ignore keeps the data, unmap punches a hole
 * that reads as zeroes (also inside a snapshot overlay); cache=unsafe's
 * no_flush makes a flush succeed without touching the file. */
START_TEST(image_discard_modes)
{
    struct image a;
    char err[256];
    uint8_t b[512];
    struct rig r;
    make_image(&r, 64 * 512);
    ck_assert_int_eq(image_open(&a, r.path, false, false, false, err, sizeof err), 0);
    ck_assert_int_eq(image_discard(&a, 8 * 512, 16 * 512), 0);        /* ignore */
    ck_assert_int_eq(image_read(&a, 8 * 512, b, 512), 0);
    ck_assert_uint_eq(b[0], 8);
    a.unmap = true;
    ck_assert_int_eq(image_discard(&a, 8 * 512, 16 * 512), 0);
    ck_assert_int_eq(image_read(&a, 8 * 512, b, 512), 0);
    ck_assert_uint_eq(b[0], 0);
    ck_assert_int_eq(image_read(&a, 24 * 512, b, 512), 0);
    ck_assert_uint_eq(b[0], 24);                                        /* past the range */
    ck_assert_int_ne(image_discard(&a, 60 * 512, 8 * 512), 0);          /* past the end */
    a.writethrough = true;
    memset(b, 0x5a, sizeof b);
    ck_assert_int_eq(image_write(&a, 0, b, 512), 0);
    a.no_flush = true;
    ck_assert_int_eq(image_flush(&a), 0);
    image_close(&a);
    ck_assert_int_eq(image_open(&a, r.path, false, true, false, err, sizeof err), 0);
    a.unmap = true;
    ck_assert_int_eq(image_discard(&a, 30 * 512, 512), 0);              /* overlay: zeroes */
    ck_assert_int_eq(image_read(&a, 30 * 512, b, 512), 0);
    ck_assert_uint_eq(b[0], 0);
    image_close(&a);
    int fd = open(r.path, O_RDONLY);
    ck_assert_int_eq(pread(fd, b, 1, 30 * 512), 1);
    close(fd);
    ck_assert_uint_eq(b[0], 30);                                        /* image untouched */
    unlink(r.path);
}
END_TEST

static Suite *vblk_suite(void)
{
    Suite *s = suite_create("virtio-blk");
    TCase *t = tcase_create("device");
    tcase_add_test(t, registers_modern_and_legacy);
    tcase_add_test(t, features_ok_rules);
    tcase_add_test(t, write_read_flush_getid);
    tcase_add_test(t, out_of_range_and_bad_buffers);
    tcase_add_test(t, hostile_rings_need_reset);
    tcase_add_test(t, indirect_descriptors);
    tcase_add_test(t, readonly_refuses_writes);
    tcase_add_test(t, snapshot_never_touches_image);
    tcase_add_test(t, write_zeroes_and_discard);
    tcase_add_test(t, image_discard_modes);
    tcase_add_test(t, legacy_queue_layout);
    tcase_add_test(t, image_errors_and_locking);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(vblk_suite)

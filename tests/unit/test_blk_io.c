/* The disk I/O pool (disk/blk_io.c): requests of one image run in the
 * order given, two images' queues are both served, errors come back, and
 * the io_uring ring serves a raw image as well. */
#include "unit.h"
#include "../../disk/blk_io.h"
#include "../../disk/image.h"
#include "../../disk/probe.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N 64

static int order[2 * (N + 1)], norder;

static void record(struct blk_io_req *r) { order[norder++] = (int)(intptr_t)r->ctx; }

static void scratch(char *path, struct image *img)
{
    char err[256];
    int fd = mkstemp(path);
    ck_assert(fd >= 0);
    ck_assert_int_eq(ftruncate(fd, 1 << 20), 0);
    close(fd);
    ck_assert_msg(image_open_as(img, path, IMG_FMT_RAW, false, false, err, sizeof err) == 0, "%s", err);
}

/* N writes of one sector, each a different byte, then a read of it: the
 * read sees the last write, and each queue completes in the order given. */
static void in_order(void)
{
    char path[2][64] = { "/tmp/hartvm-bio-aXXXXXX", "/tmp/hartvm-bio-bXXXXXX" }, err[256];
    struct image img[2];
    struct blk_io_queue q[2] = { { 0 }, { 0 } };
    static struct blk_io_req req[2][N + 1];
    static uint8_t buf[2][N + 1][512];
    struct blk_io *io = blk_io_new(2, err, sizeof err);
    ck_assert_msg(io != NULL, "%s", err);
    norder = 0;
    for (int d = 0; d < 2; d++)
        scratch(path[d], &img[d]);
    for (int i = 0; i <= N; i++)
        for (int d = 0; d < 2; d++) {
            struct blk_io_req *r = &req[d][i];
            memset(buf[d][i], i < N ? i + 1 + d * 100 : 0, 512);
            *r = (struct blk_io_req){ .queue = &q[d], .img = &img[d], .op = i < N ? BIO_WRITE : BIO_READ,
                                      .off = 4096, .len = 512, .buf = buf[d][i], .complete = record,
                                      .ctx = (void *)(intptr_t)(d * 1000 + i) };
            blk_io_submit(io, r);
        }
    blk_io_drain(io, NULL);
    ck_assert_int_eq(blk_io_inflight(io), 0);
    ck_assert_int_eq(norder, 2 * (N + 1));
    for (int d = 0; d < 2; d++) {
        ck_assert_uint_eq(buf[d][N][0], N + d * 100);       /* the last write */
        ck_assert_int_eq(req[d][N].result, 0);
    }
    int next[2] = { 0, 0 };
    for (int k = 0; k < norder; k++) {
        int d = order[k] / 1000;
        ck_assert_int_eq(order[k] % 1000, next[d]++);
    }
    blk_io_free(io);
    for (int d = 0; d < 2; d++) {
        image_close(&img[d]);
        unlink(path[d]);
    }
}

START_TEST(threads_keep_each_queue_in_order) { in_order(); }
END_TEST

/* The ring may run requests in flight together (as virtio allows): N
 * writes to N sectors, then, once they are done, N reads of them. */
START_TEST(io_uring_reads_what_was_written)
{
    char path[] = "/tmp/hartvm-bio-uXXXXXX", err[256];
    struct image img;
    struct blk_io_queue q = { 0 };
    static struct blk_io_req req[2][N];
    static uint8_t buf[2][N][512] __attribute__((aligned(4096)));
    struct blk_io *io = blk_io_new(1, err, sizeof err);
    ck_assert_ptr_nonnull(io);
    ck_assert_msg(blk_io_enable_uring(io, err, sizeof err) == 0, "%s", err);
    scratch(path, &img);
    norder = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < N; i++) {
            struct blk_io_req *r = &req[pass][i];
            memset(buf[pass][i], pass ? 0 : i + 1, 512);
            *r = (struct blk_io_req){ .queue = &q, .img = &img, .op = pass ? BIO_READ : BIO_WRITE,
                                      .off = 4096 + 512 * (uint64_t)i, .len = 512, .buf = buf[pass][i],
                                      .complete = record };
            r->uring = blk_io_uring_ok(io, r);
            ck_assert(r->uring);
            blk_io_submit(io, r);
        }
        blk_io_drain(io, &q);
    }
    ck_assert_int_eq(norder, 2 * N);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(req[1][i].result, 0);
        ck_assert_uint_eq(buf[1][i][0], i + 1);
        ck_assert_uint_eq(buf[1][i][511], i + 1);
    }
    blk_io_free(io);
    image_close(&img);
    unlink(path);
}
END_TEST

/* A FLUSH covers every write given before it: with a slow disk
 * (HARTVM_TEST_DISK_DELAY_MS) and more threads than requests, the writes
 * are all in the file when the FLUSH completes, and every request completes
 * in the order given. */
static int flush_fd;
static uint8_t flushed_seen[N];

static void check_at_flush(struct blk_io_req *r)
{
    for (int i = 0; i < N; i++) {
        uint8_t b = 0;
        ck_assert_int_eq(pread(flush_fd, &b, 1, 4096 + 512 * (off_t)i), 1);
        flushed_seen[i] = b;
    }
    record(r);
}

START_TEST(a_flush_completes_after_the_writes_before_it)
{
    char path[] = "/tmp/hartvm-bio-fXXXXXX", err[256];
    struct image img;
    struct blk_io_queue q = { 0 };
    static struct blk_io_req req[N + 1];
    static uint8_t buf[N][512];
    setenv("HARTVM_TEST_DISK_DELAY_MS", "2", 1);
    struct blk_io *io = blk_io_new(8, err, sizeof err);
    unsetenv("HARTVM_TEST_DISK_DELAY_MS");
    ck_assert_msg(io != NULL, "%s", err);
    scratch(path, &img);
    flush_fd = img.fd;
    norder = 0;
    memset(flushed_seen, 0, sizeof flushed_seen);
    for (int i = 0; i <= N; i++) {
        struct blk_io_req *r = &req[i];
        if (i < N)
            memset(buf[i], i + 1, 512);
        *r = (struct blk_io_req){ .queue = &q, .img = &img, .op = i < N ? BIO_WRITE : BIO_FLUSH,
                                  .off = 4096 + 512 * (uint64_t)i, .len = i < N ? 512 : 0,
                                  .buf = i < N ? buf[i] : NULL, .complete = i < N ? record : check_at_flush,
                                  .ctx = (void *)(intptr_t)i };
        blk_io_submit(io, r);
    }
    blk_io_drain(io, &q);
    ck_assert_int_eq(norder, N + 1);
    for (int k = 0; k <= N; k++)
        ck_assert_int_eq(order[k], k);
    for (int i = 0; i < N; i++)
        ck_assert_msg(flushed_seen[i] == i + 1, "write %d not in the file when the flush completed", i);
    ck_assert_int_eq(req[N].result, 0);
    blk_io_free(io);
    image_close(&img);
    unlink(path);
}
END_TEST

/* A request outside the image fails; the pool says so in result. */
START_TEST(errors_come_back)
{
    char path[] = "/tmp/hartvm-bio-eXXXXXX", err[256];
    struct image img;
    struct blk_io_queue q = { 0 };
    static uint8_t b[512];
    struct blk_io *io = blk_io_new(1, err, sizeof err);
    ck_assert_ptr_nonnull(io);
    scratch(path, &img);
    norder = 0;
    struct blk_io_req r = { .queue = &q, .img = &img, .op = BIO_READ, .off = 1 << 20, .len = 512,
                            .buf = b, .complete = record };
    blk_io_submit(io, &r);
    blk_io_drain(io, &q);
    ck_assert_int_eq(norder, 1);
    ck_assert_int_eq(r.result, -1);
    blk_io_free(io);
    image_close(&img);
    unlink(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("blk_io");
    TCase *t = tcase_create("pool");
    tcase_add_test(t, threads_keep_each_queue_in_order);
    tcase_add_test(t, a_flush_completes_after_the_writes_before_it);
    tcase_add_test(t, io_uring_reads_what_was_written);
    tcase_add_test(t, errors_come_back);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(suite)

/*
 * Image I/O off the hart: a small pool of threads that runs disk requests
 * (read, write, flush, discard, write zeroes on a struct image) so that a
 * slow disk never stalls the guest CPU. The caller (virtio-blk) hands over
 * a request with its own bounce buffer, and gets it back, done, from
 * blk_io_poll on the machine's thread, where it completes the request in
 * guest memory and raises the interrupt; a worker never touches guest
 * memory or device state.
 *
 * Requests of one image queue (struct blk_io_queue) run one at a time in
 * the order given: qcow2's caches are unlocked (qcow2.h), an O_DIRECT
 * read-modify-write must not overlap another, and a FLUSH then covers
 * every write given before it. Different images run in parallel.
 *
 *   machine thread                        worker threads
 *   blk_io_submit ──► pending ──────────► run the image call
 *   blk_io_poll ◄─── done ◄── eventfd ◄── (HARTVM_TEST_DISK_DELAY_MS first)
 *        └─► req->complete(req)
 *
 * With aio=io_uring, reads, writes and flushes of a raw image go to the
 * kernel through an io_uring ring instead (blk_io_uring.c), submitted and
 * reaped on the machine's thread; they may complete in any order, as the
 * virtio spec allows (a FLUSH covers the writes completed before it).
 *
 * A raw image's read or write that the host's page cache takes without
 * waiting (preadv2/pwritev2 with RWF_NOWAIT succeed) is done at once, on
 * the machine's thread.
 *
 * HARTVM_TEST_DISK_DELAY_MS=N (tests only) makes each request wait N ms in
 * the worker before its I/O (and none is done at once on the machine's
 * thread): a slow disk, without FUSE or a device mapper.
 */
#ifndef DISK_BLK_IO_H
#define DISK_BLK_IO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct image;
enum blk_io_op { BIO_READ, BIO_WRITE, BIO_FLUSH, BIO_DISCARD, BIO_ZEROES };

struct blk_io_queue {           /* one image's requests (zero-initialised) */
    unsigned inflight;          /* given and not yet completed by blk_io_poll */
    bool busy;                  /* a worker runs one of them now */
};

struct blk_io_req {
    struct blk_io_req *next;
    struct blk_io_queue *queue;
    struct image *img;
    enum blk_io_op op;
    uint64_t off, len;
    void *buf;                  /* BIO_READ, BIO_WRITE: len bytes */
    int result;                 /* 0, or -1 for an I/O error */
    void (*complete)(struct blk_io_req *r);     /* on the machine's thread */
    void *ctx;
    bool uring;                 /* through io_uring (blk_io_uring_ok), not a thread */
    uint64_t done_bytes;        /* io_uring: transferred so far (short transfers go on) */
};

/* Run r now, on the calling thread (deterministic modes, tests). */
void blk_io_run(struct blk_io_req *r);

struct blk_io;
/* A pool of threads; NULL with a message in err. */
struct blk_io *blk_io_new(unsigned threads, char *err, size_t errlen);
/* Every request given is run and completed first. */
void blk_io_free(struct blk_io *io);
/* Give r to the pool (or do it at once: a cached read); r->complete is
 * called on the machine's thread, maybe before this returns. */
void blk_io_submit(struct blk_io *io, struct blk_io_req *r);
/* Complete the requests that are done (calls their complete); cheap when
 * none is. settle takes them whatever the cheap test says. */
void blk_io_poll(struct blk_io *io);
void blk_io_settle(struct blk_io *io);
/* Before an idle wait on blk_io_fd: the eventfd is readable only if
 * something is there to take. */
void blk_io_before_sleep(struct blk_io *io);
/* Wait until no request of q is in flight, completing what finishes
 * (NULL: of any queue). */
void blk_io_drain(struct blk_io *io, struct blk_io_queue *q);
/* aio=io_uring: a ring beside the threads, its completions signalled on
 * the same eventfd; 0, or -1 with a message (a kernel without io_uring). */
int blk_io_enable_uring(struct blk_io *io, char *err, size_t errlen);
/* Can r go through the ring: a read, write or flush of a raw image
 * written in place, with nothing for the image layer to add (no guard on
 * sector 0, no flush after each write, no O_DIRECT bounce)? The rest runs
 * on the threads. */
bool blk_io_uring_ok(const struct blk_io *io, const struct blk_io_req *r);
/* Readable when requests are done (for the event loop's sleep). */
int blk_io_fd(const struct blk_io *io);
/* Requests given and not yet completed, over all queues. */
unsigned blk_io_inflight(const struct blk_io *io);
#endif

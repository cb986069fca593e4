/*
 * aio=io_uring for the disk I/O pool (blk_io.h): one ring per machine, its
 * completions counted on the pool's eventfd, so the run loop's one wait
 * covers both. Submission and reaping happen on the machine's thread only.
 */
#include "blk_io_priv.h"
#include "image.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RING_ENTRIES 128

int blk_io_enable_uring(struct blk_io *io, char *err, size_t errlen)
{
    int r = io_uring_queue_init(RING_ENTRIES, &io->ring, 0);
    if (r < 0)
        return snprintf(err, errlen, "aio=io_uring: cannot set up an io_uring ring: %s", strerror(-r)), -1;
    r = io_uring_register_eventfd(&io->ring, io->efd);
    if (r < 0) {
        io_uring_queue_exit(&io->ring);
        return snprintf(err, errlen, "aio=io_uring: cannot register the eventfd: %s", strerror(-r)), -1;
    }
    io->have_ring = true;
    return 0;
}

void blk_io_uring_exit(struct blk_io *io)
{
    if (io->have_ring)
        io_uring_queue_exit(&io->ring);
    io->have_ring = false;
}

bool blk_io_uring_ok(const struct blk_io *io, const struct blk_io_req *r)
{
    const struct image *img = r->img;
    if (!io->have_ring || img->readonly)
        return false;
    if (r->op == BIO_FLUSH)
        return !img->qcow && !img->broken && !img->no_flush;
    if (!blk_io_in_place(r))
        return false;
    /* O_DIRECT takes aligned transfers only (file_io.c bounces the rest) */
    return !img->direct || ((uintptr_t)r->buf | r->off | r->len) % 4096 == 0;
}

/* Queue what is left of r on the ring (and submit). */
void blk_io_uring_queue(struct blk_io *io, struct blk_io_req *r)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&io->ring);
    if (!sqe) {
        io_uring_submit(&io->ring);
        sqe = io_uring_get_sqe(&io->ring);
    }
    if (!sqe) {                         /* the ring stays full: do it here */
        blk_io_run(r);
        blk_io_finish(io, r);
        return;
    }
    uint8_t *p = (uint8_t *)r->buf + r->done_bytes;
    unsigned n = (unsigned)(r->len - r->done_bytes);
    if (r->op == BIO_READ)
        io_uring_prep_read(sqe, r->img->fd, p, n, r->off + r->done_bytes);
    else if (r->op == BIO_WRITE)
        io_uring_prep_write(sqe, r->img->fd, p, n, r->off + r->done_bytes);
    else
        io_uring_prep_fsync(sqe, r->img->fd, IORING_FSYNC_DATASYNC);
    io_uring_sqe_set_data(sqe, r);
    io->ring_inflight++;
    io_uring_submit(&io->ring);
}

/* Take the ring's completions; a short transfer goes on from where it stopped. */
void blk_io_uring_reap(struct blk_io *io)
{
    struct io_uring_cqe *cqe;
    while (io->have_ring && io->ring_inflight && io_uring_peek_cqe(&io->ring, &cqe) == 0) {
        struct blk_io_req *r = io_uring_cqe_get_data(cqe);
        int res = cqe->res;
        io_uring_cqe_seen(&io->ring, cqe);
        io->ring_inflight--;
        if (res == -EINTR || res == -EAGAIN) {
            blk_io_uring_queue(io, r);
            continue;
        }
        if (r->op != BIO_FLUSH && res > 0 && r->done_bytes + (uint64_t)res < r->len) {
            r->done_bytes += (uint64_t)res;
            blk_io_uring_queue(io, r);
            continue;
        }
        r->result = res < 0 || (r->op != BIO_FLUSH && res == 0 && r->len) ? -1 : 0;
        blk_io_finish(io, r);
    }
}

/* Block until a ring request completes (blk_io_settle takes it). */
void blk_io_uring_wait(struct blk_io *io)
{
    struct io_uring_cqe *cqe;
    io_uring_wait_cqe(&io->ring, &cqe);
}

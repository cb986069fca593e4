/* The disk I/O thread pool (see blk_io.h). */
#define _GNU_SOURCE
#include "blk_io_priv.h"
#include "image.h"
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

void blk_io_run(struct blk_io_req *r)
{
    struct image *img = r->img;
    switch (r->op) {
    case BIO_READ:    r->result = image_read(img, r->off, r->buf, r->len); break;
    case BIO_WRITE:   r->result = image_write(img, r->off, r->buf, r->len); break;
    case BIO_FLUSH:   r->result = image_flush(img); break;
    case BIO_DISCARD: r->result = image_discard(img, r->off, r->len); break;
    case BIO_ZEROES:  r->result = image_write_zeroes(img, r->off, r->len); break;
    }
}

/* The first pending request whose queue is not busy, taken off the list. */
static struct blk_io_req *take(struct blk_io *io)
{
    for (struct blk_io_req **p = &io->pending; *p; p = &(*p)->next) {
        struct blk_io_req *r = *p;
        if (r->queue->busy)
            continue;
        *p = r->next;
        if (!*p)
            io->pending_tail = p;
        r->next = NULL;
        r->queue->busy = true;
        return r;
    }
    return NULL;
}

static void *worker(void *arg)
{
    struct blk_io *io = arg;
    pthread_mutex_lock(&io->lock);
    for (;;) {
        struct blk_io_req *r = take(io);
        if (!r) {
            if (io->stop)
                break;
            pthread_cond_wait(&io->work, &io->lock);
            continue;
        }
        pthread_mutex_unlock(&io->lock);
        if (io->delay_ms)
            nanosleep(&(struct timespec){ io->delay_ms / 1000, (long)(io->delay_ms % 1000) * 1000000 }, NULL);
        blk_io_run(r);
        pthread_mutex_lock(&io->lock);
        r->queue->busy = false;
        *io->done_tail = r;
        io->done_tail = &r->next;
        atomic_fetch_add_explicit(&io->posted, 1, memory_order_release);
        uint64_t one = 1;
        if (write(io->efd, &one, sizeof one) < 0)
            perror("hartvm: disk I/O eventfd");
        pthread_cond_broadcast(&io->done_cond);
        /* the queue's next request, if any, is this thread's: take() first */
    }
    pthread_mutex_unlock(&io->lock);
    return NULL;
}

struct blk_io *blk_io_new(unsigned threads, char *err, size_t errlen)
{
    struct blk_io *io = calloc(1, sizeof *io);
    const char *delay = getenv("HARTVM_TEST_DISK_DELAY_MS");
    if (!io)
        return snprintf(err, errlen, "out of memory"), NULL;
    pthread_mutex_init(&io->lock, NULL);
    pthread_cond_init(&io->work, NULL);
    pthread_cond_init(&io->done_cond, NULL);
    io->pending_tail = &io->pending;
    io->done_tail = &io->done;
    io->delay_ms = delay ? (unsigned)strtoul(delay, NULL, 10) : 0;
    io->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (io->efd < 0) {
        snprintf(err, errlen, "disk I/O: eventfd: %s", strerror(errno));
        free(io);
        return NULL;
    }
    threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    for (; io->nthreads < threads; io->nthreads++)
        if (pthread_create(&io->thread[io->nthreads], NULL, worker, io)) {
            snprintf(err, errlen, "disk I/O: cannot start a thread");
            blk_io_free(io);
            return NULL;
        }
    return io;
}

void blk_io_free(struct blk_io *io)
{
    if (!io)
        return;
    blk_io_drain(io, NULL);
    pthread_mutex_lock(&io->lock);
    io->stop = true;
    pthread_cond_broadcast(&io->work);
    pthread_mutex_unlock(&io->lock);
    for (unsigned i = 0; i < io->nthreads; i++)
        pthread_join(io->thread[i], NULL);
    blk_io_uring_exit(io);
    close(io->efd);
    pthread_cond_destroy(&io->work);
    pthread_cond_destroy(&io->done_cond);
    pthread_mutex_destroy(&io->lock);
    free(io);
}

/* A read, or a write of a writable image, that the image layer passes
 * straight to the raw file: no qcow2 (snapshot=on's overlay is one, a
 * broken snapshot has none), no guard on sector 0, no flush after it. */
bool blk_io_in_place(const struct blk_io_req *r)
{
    const struct image *img = r->img;
    if (img->qcow || img->broken)
        return false;
    return r->op == BIO_READ || (r->op == BIO_WRITE && !img->readonly && !img->writethrough &&
                                 !(img->probed_raw && r->off == 0));
}

/* A raw image's read or write that the host's page cache takes whole
 * without waiting (preadv2/pwritev2 with RWF_NOWAIT fail rather than wait
 * for the disk), done at once, when nothing else of its queue is in
 * flight to be overtaken: two thread hand-offs saved for a memcpy. A write
 * the image layer adds to (the sector-0 guard, writethrough) is not. */
static bool cached(const struct blk_io *io, struct blk_io_req *r)
{
    const struct image *img = r->img;
    bool wr = r->op == BIO_WRITE;
    if (r->queue->inflight || io->delay_ms || img->direct || !blk_io_in_place(r) ||
        !image_in_range(img, r->off, r->len))
        return false;
    uint64_t done = 0;
    while (done < r->len) {
        struct iovec v = { (uint8_t *)r->buf + done, r->len - done };
        ssize_t n = wr ? pwritev2(img->fd, &v, 1, (off_t)(r->off + done), RWF_NOWAIT)
                       : preadv2(img->fd, &v, 1, (off_t)(r->off + done), RWF_NOWAIT);
        if (n <= 0)
            break;
        done += (uint64_t)n;
    }
    if (done < r->len)
        return false;                   /* a part done is done again, whole, by a thread */
    r->result = 0;
    return true;
}

void blk_io_submit(struct blk_io *io, struct blk_io_req *r)
{
    r->next = NULL;
    if (!r->uring && cached(io, r)) {
        r->complete(r);
        return;
    }
    r->queue->inflight++;
    io->inflight++;
    if (r->uring) {
        blk_io_uring_queue(io, r);
        return;
    }
    pthread_mutex_lock(&io->lock);
    *io->pending_tail = r;
    io->pending_tail = &r->next;
    pthread_cond_signal(&io->work);
    pthread_mutex_unlock(&io->lock);
}

/* Take what is done. Between turns this costs a load or two: the eventfd
 * is read (cleared) only when a thread has posted something or the ring
 * holds completions (and before an idle sleep: blk_io_before_sleep). */
void blk_io_poll(struct blk_io *io)
{
    if (atomic_load_explicit(&io->posted, memory_order_acquire) == io->seen &&
        !(io->have_ring && io_uring_cq_ready(&io->ring)))
        return;
    blk_io_settle(io);
}

void blk_io_before_sleep(struct blk_io *io)
{
    uint64_t n = 1;
    pthread_mutex_lock(&io->lock);
    if (atomic_load_explicit(&io->posted, memory_order_relaxed) == io->seen) {
        /* nothing of the threads' to take: a count left by a completion
         * taken already must not end the sleep at once; one of the ring's
         * that came meanwhile must */
        if (read(io->efd, &n, sizeof n) == sizeof n && io->have_ring && io_uring_cq_ready(&io->ring) &&
            write(io->efd, &n, sizeof n) < 0)
            perror("hartvm: disk I/O eventfd");
    }
    pthread_mutex_unlock(&io->lock);
}

void blk_io_settle(struct blk_io *io)
{
    uint64_t n;
    pthread_mutex_lock(&io->lock);
    /* under the lock: every posted completion has counted on the eventfd */
    if (read(io->efd, &n, sizeof n) < 0 && errno != EAGAIN)
        perror("hartvm: disk I/O eventfd");
    struct blk_io_req *r = io->done;
    io->done = NULL;
    io->done_tail = &io->done;
    io->seen = atomic_load_explicit(&io->posted, memory_order_relaxed);
    pthread_mutex_unlock(&io->lock);
    while (r) {
        struct blk_io_req *next = r->next;
        blk_io_finish(io, r);
        r = next;
    }
    blk_io_uring_reap(io);
}

void blk_io_finish(struct blk_io *io, struct blk_io_req *r)
{
    r->queue->inflight--;
    io->inflight--;
    r->complete(r);
}

void blk_io_drain(struct blk_io *io, struct blk_io_queue *q)
{
    while (q ? q->inflight : io->inflight) {
        if (io->ring_inflight) {
            blk_io_uring_wait(io);
            blk_io_settle(io);
            continue;
        }
        pthread_mutex_lock(&io->lock);
        while (!io->done)
            pthread_cond_wait(&io->done_cond, &io->lock);
        pthread_mutex_unlock(&io->lock);
        blk_io_settle(io);
    }
}

int blk_io_fd(const struct blk_io *io) { return io->efd; }
unsigned blk_io_inflight(const struct blk_io *io) { return io->inflight; }

/* The disk I/O pool's state, shared by blk_io.c (threads) and blk_io_uring.c. */
#ifndef DISK_BLK_IO_PRIV_H
#define DISK_BLK_IO_PRIV_H
#include "blk_io.h"
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>

#define MAX_THREADS 8

struct blk_io {
    pthread_mutex_t lock;
    pthread_cond_t work, done_cond;
    struct blk_io_req *pending, **pending_tail, *done, **done_tail;    /* FIFOs, under lock */
    unsigned inflight;          /* machine thread only, as everything below */
    bool stop;
    int efd;                    /* counts completions of threads and ring */
    atomic_uint posted;         /* thread completions so far (under lock, with the eventfd) */
    unsigned seen;              /* ... of which blk_io_poll has taken */
    unsigned delay_ms;          /* HARTVM_TEST_DISK_DELAY_MS */
    unsigned nthreads;
    pthread_t thread[MAX_THREADS];
    struct io_uring ring;       /* aio=io_uring */
    bool have_ring;
    unsigned ring_inflight;     /* requests on the ring now */
};

/* A raw image's read or write that the image layer passes straight to
 * the file (the in-line path and the ring take no other). */
bool blk_io_in_place(const struct blk_io_req *r);
/* A request is over: count it out and complete it. */
void blk_io_finish(struct blk_io *io, struct blk_io_req *r);
void blk_io_uring_queue(struct blk_io *io, struct blk_io_req *r);
void blk_io_uring_reap(struct blk_io *io);
void blk_io_uring_wait(struct blk_io *io);
void blk_io_uring_exit(struct blk_io *io);
#endif

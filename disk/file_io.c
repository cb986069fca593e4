/*
 * Whole transfers over pread/pwrite (see file_io.h). A descriptor opened
 * with O_DIRECT (cache=none, directsync) takes only transfers whose buffer,
 * offset and length are aligned to the logical block size; the rest
 * (qcow2's 8-byte table entries, 512-byte sectors) go through an aligned
 * bounce buffer covering the blocks they touch, read first and, for a
 * write, written back whole. The fcntl that asks is made for unaligned
 * transfers only. Callers keep one transfer at a time per file (blk_io.h).
 */
#define _GNU_SOURCE
#include "file_io.h"
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIO_ALIGN 4096u         /* covers 512-byte and 4 KiB logical blocks */

/* Up to len bytes at off: the count read (short only at the end of the file), or -1. */
static ssize_t read_upto(int fd, void *buf, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (uint8_t *)buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        done += (size_t)n;
    }
    return (ssize_t)done;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
    while (len) {
        ssize_t n = pwrite(fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf = (const uint8_t *)buf + n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

/* Unaligned and on an O_DIRECT descriptor? */
static bool needs_bounce(int fd, const void *buf, size_t len, uint64_t off)
{
    if (((uintptr_t)buf | len | off) % DIO_ALIGN == 0)
        return false;
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_DIRECT);
}

/* The aligned blocks around [off, off + len), read into a new buffer. */
static uint8_t *cover(int fd, uint64_t off, size_t len, uint64_t *start, size_t *n)
{
    void *b;
    *start = off / DIO_ALIGN * DIO_ALIGN;
    *n = (size_t)((off + len + DIO_ALIGN - 1) / DIO_ALIGN * DIO_ALIGN - *start);
    if (posix_memalign(&b, DIO_ALIGN, *n))
        return NULL;
    ssize_t got = read_upto(fd, b, *n, *start);
    if (got < 0) {
        free(b);
        return NULL;
    }
    memset((uint8_t *)b + got, 0, *n - (size_t)got);
    return b;
}

ssize_t file_pread_upto(int fd, void *buf, size_t len, uint64_t off)
{
    if (!needs_bounce(fd, buf, len, off))
        return read_upto(fd, buf, len, off);
    uint64_t start;
    size_t n;
    struct stat st;
    uint8_t *b = cover(fd, off, len, &start, &n);
    if (!b || fstat(fd, &st)) {
        free(b);
        return -1;
    }
    memcpy(buf, b + (off - start), len);
    free(b);
    uint64_t size = (uint64_t)st.st_size;
    return off >= size ? 0 : (ssize_t)(size - off < len ? size - off : len);
}

int full_pread(int fd, void *buf, size_t len, uint64_t off)
{
    ssize_t n = file_pread_upto(fd, buf, len, off);
    return n >= 0 && (size_t)n == len ? 0 : -1;
}

int full_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
    if (!needs_bounce(fd, buf, len, off))
        return write_all(fd, buf, len, off);
    uint64_t start;
    size_t n;
    struct stat st;
    uint8_t *b = fstat(fd, &st) ? NULL : cover(fd, off, len, &start, &n);
    if (!b)
        return -1;
    memcpy(b + (off - start), buf, len);
    int r = write_all(fd, b, n, start);
    free(b);
    /* whole blocks may reach past the end: the file keeps its own size */
    uint64_t end = off + len, size = (uint64_t)st.st_size;
    if (!r && start + n > (size > end ? size : end))
        r = ftruncate(fd, (off_t)(size > end ? size : end));
    return r;
}

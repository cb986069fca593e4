/*
 * Image back ends. A raw image is read and written in place with pread and
 * pwrite, so nothing the guest wrote is held in this process: a killed
 * emulator loses nothing the host kernel already has, and FLUSH adds
 * fdatasync for the guest's durability promise. A qcow2 image goes through
 * qcow2.c, which keeps the same promise, over its backing chain (opened
 * here, read-only). With snapshot=on, as on QEMU, a temporary qcow2 image
 * (an unnamed file in $TMPDIR, else /var/tmp) goes on top with the drive's
 * image (raw or qcow2) as its backing file, opened read-only and never
 * written, until a commit (C-a s, the monitor's commit) copies the
 * overlay's clusters into it.
 *
 * Without format=, the image's format is probed first (probe.c). An image
 * in a format hartvm does not read is refused rather than attached as raw:
 * the guest would see its metadata as disk sectors and overwrite it. An
 * image that probes as raw is used, but, as QEMU does for probed raw
 * images, a write to sector 0 that would make the image probe as another
 * format is refused (the guest gets an I/O error): otherwise a guest could
 * write, say, a qcow2 header there, and the next program to probe the file
 * (QEMU, or hartvm once it reads qcow2) would follow a backing file the
 * guest chose, handing it the host's files. format=raw lifts the guard.
 */
#define _GNU_SOURCE
#include "image.h"
#include "probe.h"
#include "qcow2.h"
#include "file_io.h"
#include "lock.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), image_close(img), -1)
#define FAIL(...) (snprintf(err, errlen, __VA_ARGS__), -1)

/* The images above the one being opened, to find loops in a backing chain. */
struct chain {
    dev_t dev;
    ino_t ino;
    const struct chain *up;
    int depth;                  /* 1 for the top image */
};

static int open_chain(struct image *img, const char *path, int format, bool readonly,
                      const struct chain *up, char *err, size_t errlen);

/* The format of an image without format=: raw or qcow2, else refused. */
static int check_format(struct image *img, const char *path, int *format, char *err, size_t errlen)
{
    uint8_t head[PROBE_BYTES];
    char detail[64];
    ssize_t n = pread(img->fd, head, sizeof head, 0);
    if (n < 0)
        return ERR("%s: %s", path, strerror(errno));
    enum image_format f = probe_format(head, (size_t)n, path, detail, sizeof detail);
    *format = f;
    if (f == IMG_FMT_RAW || f == IMG_FMT_QCOW2)
        return 0;
    const char *fmt = image_format_name(f);
    return ERR("%s: probing (no format= given) finds a %s image%s%s; format %s is not "
               "supported, hartvm reads raw and qcow2 images only: convert it with "
               "'qemu-img convert -O qcow2 %s IMAGE.qcow2', or give format=raw to use the file's "
               "bytes as a raw disk", path, fmt, detail[0] ? ", " : "", detail, fmt, path);
}

/* QEMU's reading of a backing file name: relative to the directory of the
 * image that names it. */
static int backing_path(char *out, size_t outlen, const char *image, const char *name)
{
    const char *slash = strrchr(image, '/');
    int n = name[0] == '/' || !slash
          ? snprintf(out, outlen, "%s", name)
          : snprintf(out, outlen, "%.*s/%s", (int)(slash - image), image, name);
    return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* The backing_fmt extension's format, or IMAGE_PROBE without one. */
static int backing_format(const struct qcow2_header *h, const char *path, char *err, size_t errlen)
{
    if (!h->backing_fmt[0])
        return IMAGE_PROBE;
    int f = image_format_lookup(h->backing_fmt);
    if (f == IMG_FMT_RAW || f == IMG_FMT_QCOW2)
        return f;
    snprintf(err, errlen, "%s: backing file format '%s' is not supported (raw and qcow2 are)", path,
             h->backing_fmt);
    return -2;
}

/* Open the backing image a qcow2 header names, below the chain up. */
static int open_backing(struct image **out, const struct qcow2_header *h, const char *path,
                        const struct chain *up, char *err, size_t errlen)
{
    char bpath[4096], why[1024];
    *out = NULL;
    if (!h->backing[0])
        return 0;
    if (!strncmp(h->backing, "json:", 5))
        return snprintf(err, errlen, "%s: backing file '%s': json: names are not supported", path,
                        h->backing), -1;
    if (backing_path(bpath, sizeof bpath, path, h->backing))
        return snprintf(err, errlen, "%s: backing file path is too long", path), -1;
    if (up->depth >= IMAGE_MAX_CHAIN)
        return snprintf(err, errlen, "%s: backing chain deeper than %d images", path, IMAGE_MAX_CHAIN), -1;
    int f = backing_format(h, path, err, errlen);
    if (f == -2)
        return -1;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return snprintf(err, errlen, "out of memory"), -1;
    if (open_chain(*out, bpath, f, true, up, why, sizeof why)) {
        free(*out);
        *out = NULL;
        /* the deepest image that failed names its backing file; those above pass it on */
        if (strstr(why, "cannot open its backing file"))
            return snprintf(err, errlen, "%s", why), -1;
        return snprintf(err, errlen, "%s: cannot open its backing file: %s", path, why), -1;
    }
    return 0;
}

static int open_qcow2(struct image *img, const char *path, bool writable, const struct chain *me,
                      char *err, size_t errlen)
{
    struct qcow2_header h;
    struct image *backing;
    if (qcow2_peek(img->fd, path, &h, err, errlen) || open_backing(&backing, &h, path, me, err, errlen)) {
        image_close(img);
        return -1;
    }
    img->qcow = qcow2_open(img->fd, path, writable, backing, err, errlen);
    if (!img->qcow) {
        if (backing) {
            image_close(backing);
            free(backing);
        }
        image_close(img);
        return -1;
    }
    img->size = qcow2_size(img->qcow);
    return 0;
}

/* No two images of a chain are the same file. */
static int check_loop(struct image *img, const char *path, const struct chain *me, char *err, size_t errlen)
{
    for (const struct chain *c = me->up; c; c = c->up)
        if (c->dev == me->dev && c->ino == me->ino)
            return ERR("%s: the backing chain loops (this file is already in it)", path);
    return 0;
}

static int open_chain(struct image *img, const char *path, int format, bool readonly,
                      const struct chain *up, char *err, size_t errlen)
{
    struct stat st;
    bool probe = format == IMAGE_PROBE;
    memset(img, 0, sizeof *img);
    img->fd = -1;
    img->readonly = readonly;
    bool writable = !readonly;
    /* A writable image is never reached through a symlink: the file named is
     * the file written. O_NONBLOCK: a FIFO (say, a backing file an image
     * names) must not hang the open before fstat refuses it. */
    img->fd = open(path, (writable ? O_RDWR | O_NOFOLLOW : O_RDONLY) | O_CLOEXEC | O_NONBLOCK);
    if (img->fd < 0) {
        if (errno == ELOOP)
            return ERR("%s: is a symbolic link; name the image file itself to open it writable", path);
        return ERR("%s: %s", path, strerror(errno));
    }
    if (fstat(img->fd, &st) || !S_ISREG(st.st_mode))
        return ERR("%s: not a regular file", path);
    struct chain me = { st.st_dev, st.st_ino, up, up ? up->depth + 1 : 1 };
    if (check_loop(img, path, &me, err, errlen) || (probe && check_format(img, path, &format, err, errlen)))
        return -1;
    if (image_lock(img->fd, writable, path, err, errlen)) {
        image_close(img);
        return -1;
    }
    if (format == IMG_FMT_QCOW2) {
        if (open_qcow2(img, path, writable, &me, err, errlen))
            return -1;
    } else {
        img->probed_raw = probe && writable;
        if (st.st_size == 0 || st.st_size % SECTOR_SIZE)
            return ERR("%s: size %lld is not a positive multiple of %d bytes", path,
                       (long long)st.st_size, SECTOR_SIZE);
        img->size = st.st_size;
    }
    return 0;
}

/* An unnamed file where QEMU puts its temporary snapshot: $TMPDIR, else /var/tmp. */
static int temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/var/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    return fd >= 0 ? fd : open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* A new, empty overlay over base (which it then owns) on top of img. */
static int new_overlay(struct image *img, struct image *base, char *err, size_t errlen)
{
    char name[320];
    int fd = temp_file();
    if (fd < 0)
        return snprintf(err, errlen, "%s: cannot create the snapshot overlay: %s", img->path,
                        strerror(errno)), -1;
    snprintf(name, sizeof name, "%s (snapshot overlay)", img->path);
    struct qcow2 *q = qcow2_format(fd, base->size, err, errlen) ? NULL
                    : qcow2_open(fd, name, true, base, err, errlen);
    if (!q) {
        close(fd);
        return -1;
    }
    qcow2_set_temporary(q);
    img->fd = fd;
    img->qcow = q;
    return 0;
}

/* snapshot=on: the image read-only, below a temporary overlay. */
static int open_snapshot(struct image *img, const char *path, int format, char *err, size_t errlen)
{
    struct image *base = calloc(1, sizeof *base);
    memset(img, 0, sizeof *img);
    img->fd = -1;
    img->path = strdup(path);
    img->format = format;
    img->snapshot = true;
    if (!base || !img->path) {
        free(base);
        return ERR("out of memory");
    }
    if (open_chain(base, path, format, true, NULL, err, errlen)) {
        free(base);
        image_close(img);
        return -1;
    }
    img->size = base->size;
    if (new_overlay(img, base, err, errlen)) {
        image_close(base);
        free(base);
        image_close(img);
        return -1;
    }
    return 0;
}

int image_open_as(struct image *img, const char *path, int format, bool readonly, bool snapshot,
                  char *err, size_t errlen)
{
    if (snapshot && !readonly)
        return open_snapshot(img, path, format, err, errlen);
    return open_chain(img, path, format, readonly, NULL, err, errlen);
}

int image_open(struct image *img, const char *path, bool readonly, bool snapshot, bool probe,
               char *err, size_t errlen)
{
    return image_open_as(img, path, probe ? IMAGE_PROBE : IMG_FMT_RAW, readonly, snapshot, err, errlen);
}

void image_close(struct image *img)
{
    qcow2_close(img->qcow);
    img->qcow = NULL;
    if (img->fd >= 0)
        close(img->fd);
    free(img->path);
    img->fd = -1;
    img->path = NULL;
}

bool image_in_range(const struct image *img, uint64_t off, uint64_t len)
{
    return !img->broken && off % SECTOR_SIZE == 0 && len % SECTOR_SIZE == 0 && off <= img->size &&
           len <= img->size - off;
}

bool image_overlay_has(struct image *img, uint64_t s)
{
    return img->snapshot && !img->broken && s < img->size / SECTOR_SIZE &&
           qcow2_allocated(img->qcow, s * SECTOR_SIZE) == 1;
}

int image_overlay_clear(struct image *img)
{
    char err[512];
    if (!img->snapshot || img->broken)
        return img->broken ? -1 : 0;
    struct image *base = qcow2_set_backing(img->qcow, NULL);
    qcow2_close(img->qcow);
    close(img->fd);
    img->qcow = NULL;
    img->fd = -1;
    if (!new_overlay(img, base, err, sizeof err))
        return 0;
    fprintf(stderr, "hartvm: %s\n", err);
    image_close(base);
    free(base);
    img->broken = true;
    return -1;
}

/* Every cluster the overlay holds, into w. */
static int copy_overlay(struct image *img, struct image *w, char *err, size_t errlen)
{
    uint64_t cs = qcow2_cluster_size(img->qcow);
    uint8_t *buf = malloc(cs);
    int r = buf ? 0 : FAIL("out of memory");
    for (uint64_t off = 0; !r && off < img->size; off += cs) {
        uint64_t n = img->size - off < cs ? img->size - off : cs;
        int a = qcow2_allocated(img->qcow, off);
        if (a < 0 || (a && qcow2_read(img->qcow, off, buf, n)))
            r = FAIL("%s: cannot read the snapshot overlay", img->path);
        else if (a && image_write(w, off, buf, n))
            r = FAIL("%s: writing the overlay's data into the image failed", img->path);
    }
    free(buf);
    return r;
}

static int set_direct(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 || fcntl(fd, F_SETFL, fl | O_DIRECT) ? -1 : 0;
}

int image_set_direct(struct image *img, const char *path, char *err, size_t errlen)
{
    struct image *file = img->snapshot ? qcow2_backing(img->qcow) : img;
    img->direct = true;
    if (set_direct(file->fd))
        return FAIL("%s: cache=none and cache=directsync open the image with O_DIRECT, which its "
                    "file system refuses (%s)", path, strerror(errno));
    return 0;
}

int image_commit(struct image *img, char *err, size_t errlen)
{
    struct image w;
    char why[512];
    if (!img->snapshot)
        return 0;
    if (img->broken)
        return FAIL("%s: the drive was lost in an earlier commit", img->path);
    /* Our own read lock would refuse the writer: the read-only image goes
     * while the writer is open, and comes back (read afresh) after it. */
    struct image *base = qcow2_set_backing(img->qcow, NULL);
    image_close(base);
    int r = image_open_as(&w, img->path, img->format, false, false, err, errlen);
    if (!r && img->direct && set_direct(w.fd))
        r = FAIL("%s: O_DIRECT refused", img->path);
    if (!r) {
        r = copy_overlay(img, &w, err, errlen);
        if (!r && image_flush(&w))
            r = FAIL("%s: flushing the committed data failed", img->path);
        image_close(&w);
    }
    if (open_chain(base, img->path, img->format, true, NULL, why, sizeof why)) {
        free(base);
        img->broken = true;
        return FAIL("%s: cannot open the image again after the commit (%s): the drive fails "
                   "every request from now on", img->path, why);
    }
    qcow2_set_backing(img->qcow, base);
    if (img->direct)
        set_direct(base->fd);
    if (!r && image_overlay_clear(img))
        return FAIL("%s: cannot make a new snapshot overlay after the commit", img->path);
    return r;
}

int image_checksum(struct image *img, uint32_t *crc)
{
    enum { CHUNK = 1 << 20 };
    struct stat st;
    if (img->snapshot)
        return img->broken ? -1 : image_checksum(qcow2_backing(img->qcow), crc);
    uint8_t *buf = malloc(CHUNK);
    uLong c = crc32(0L, Z_NULL, 0);
    int r = buf && !fstat(img->fd, &st) ? 0 : -1;
    uint64_t size = r ? 0 : (uint64_t)st.st_size;     /* the file's bytes (qcow2: not the disk's size) */
    for (uint64_t off = 0; !r && off < size; off += CHUNK) {
        size_t n = size - off < CHUNK ? size - off : CHUNK;
        r = full_pread(img->fd, buf, n, off);
        c = crc32_z(c, buf, n);
    }
    free(buf);
    *crc = (uint32_t)c;
    return r;
}

int image_read(struct image *img, uint64_t off, void *buf, size_t len)
{
    if (!image_in_range(img, off, len))
        return -1;
    return img->qcow ? qcow2_read(img->qcow, off, buf, len) : full_pread(img->fd, buf, len, off);
}

int image_write(struct image *img, uint64_t off, const void *buf, size_t len)
{
    if (img->readonly || !image_in_range(img, off, len))
        return -1;
    if (img->probed_raw && off == 0 && len &&
        probe_format(buf, SECTOR_SIZE, NULL, NULL, 0) != IMG_FMT_RAW)
        return -1;
    if (img->snapshot)
        return qcow2_write(img->qcow, off, buf, len);
    return (img->qcow ? qcow2_write(img->qcow, off, buf, len) : full_pwrite(img->fd, buf, len, off)) ||
           (img->writethrough && (img->qcow ? qcow2_flush(img->qcow) : fdatasync(img->fd))) ? -1 : 0;
}

int image_write_zeroes(struct image *img, uint64_t off, uint64_t len)
{
    static const uint8_t zero[64 * 1024];
    if (img->readonly || !image_in_range(img, off, len))
        return -1;
    if (img->qcow)
        return qcow2_write_zeroes(img->qcow, off, len);
    while (len) {
        size_t n = len < sizeof zero ? len : sizeof zero;
        if (image_write(img, off, zero, n))
            return -1;
        off += n;
        len -= n;
    }
    return 0;
}

int image_flush(struct image *img)
{
    if (img->readonly || img->snapshot || img->no_flush)
        return 0;
    return img->qcow ? qcow2_flush(img->qcow) : fdatasync(img->fd);
}

int image_discard(struct image *img, uint64_t off, uint64_t len)
{
    if (img->readonly || !image_in_range(img, off, len))
        return -1;
    if (!img->unmap)
        return 0;
    if (img->snapshot || img->qcow)     /* qcow2: whole clusters get the zero flag, their data freed */
        return image_write_zeroes(img, off, len);
    return fallocate(img->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
                     (off_t)len) ? image_write_zeroes(img, off, len) : 0;
}

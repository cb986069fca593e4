/*
 * Image back ends. A raw image is read and written in place with pread and
 * pwrite, so nothing the guest wrote is held in this process: a killed
 * emulator loses nothing the host kernel already has, and FLUSH adds
 * fdatasync for the guest's durability promise. With snapshot=on, writes go
 * to an unnamed temporary file and a bitmap says which sectors live there;
 * the image is opened read-only and never modified.
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
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), image_close(img), -1)

static int open_overlay(struct image *img)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/var/tmp";
    img->overlay_fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (img->overlay_fd < 0)
        img->overlay_fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (img->overlay_fd < 0 || ftruncate(img->overlay_fd, (off_t)img->size))
        return -1;
    img->written = calloc((img->size / SECTOR_SIZE + 7) / 8, 1);
    return img->written ? 0 : -1;
}

/* Refuse an image whose first sector names a format other than raw. */
static int check_format(struct image *img, const char *path, char *err, size_t errlen)
{
    uint8_t head[PROBE_BYTES];
    char detail[64];
    ssize_t n = pread(img->fd, head, sizeof head, 0);
    if (n < 0)
        return ERR("%s: %s", path, strerror(errno));
    enum image_format f = probe_format(head, (size_t)n, path, detail, sizeof detail);
    if (f == IMG_FMT_RAW)
        return 0;
    const char *fmt = image_format_name(f);
    return ERR("%s: probing (no format= given) finds a %s image%s%s; format %s is not "
               "supported, hartvm reads raw images only: convert it with "
               "'qemu-img convert -O raw %s IMAGE.raw', or give format=raw to use the file's "
               "bytes as a raw disk", path, fmt, detail[0] ? ", " : "", detail, fmt, path);
}

int image_open(struct image *img, const char *path, bool readonly, bool snapshot, bool probe,
               char *err, size_t errlen)
{
    struct stat st;
    memset(img, 0, sizeof *img);
    img->fd = img->overlay_fd = -1;
    img->readonly = readonly;
    img->snapshot = snapshot && !readonly;
    bool writable = !readonly && !snapshot;
    /* A writable image is never reached through a symlink: the file named is
     * the file written. */
    img->fd = open(path, (writable ? O_RDWR | O_NOFOLLOW : O_RDONLY) | O_CLOEXEC);
    if (img->fd < 0) {
        if (errno == ELOOP)
            return ERR("%s: is a symbolic link; name the image file itself to open it writable", path);
        return ERR("%s: %s", path, strerror(errno));
    }
    if (fstat(img->fd, &st) || !S_ISREG(st.st_mode))
        return ERR("%s: not a regular file", path);
    if (probe && check_format(img, path, err, errlen))
        return -1;
    img->probed_raw = probe && writable;
    if (st.st_size == 0 || st.st_size % SECTOR_SIZE)
        return ERR("%s: size %lld is not a positive multiple of %d bytes", path,
                   (long long)st.st_size, SECTOR_SIZE);
    img->size = st.st_size;
    if (flock(img->fd, (writable ? LOCK_EX : LOCK_SH) | LOCK_NB))
        return ERR("%s: in use by another process (%s)", path,
                   writable ? "cannot lock it for writing" : "it is open for writing");
    if (img->snapshot && open_overlay(img))
        return ERR("%s: cannot create the snapshot overlay: %s", path, strerror(errno));
    return 0;
}

void image_close(struct image *img)
{
    if (img->fd >= 0)
        close(img->fd);
    if (img->overlay_fd >= 0)
        close(img->overlay_fd);
    free(img->written);
    img->fd = img->overlay_fd = -1;
    img->written = NULL;
}

static int full_pread(int fd, void *buf, size_t len, uint64_t off)
{
    while (len) {
        ssize_t n = pread(fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf = (uint8_t *)buf + n;
        len -= n;
        off += n;
    }
    return 0;
}

static int full_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
    while (len) {
        ssize_t n = pwrite(fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf = (const uint8_t *)buf + n;
        len -= n;
        off += n;
    }
    return 0;
}

static bool in_range(const struct image *img, uint64_t off, uint64_t len)
{
    return off % SECTOR_SIZE == 0 && len % SECTOR_SIZE == 0 && off <= img->size &&
           len <= img->size - off;
}

static bool sector_written(const struct image *img, uint64_t s)
{
    return img->written[s / 8] & (1u << (s % 8));
}

int image_read(struct image *img, uint64_t off, void *buf, size_t len)
{
    if (!in_range(img, off, len))
        return -1;
    if (!img->snapshot)
        return full_pread(img->fd, buf, len, off);
    for (uint64_t done = 0; done < len; done += SECTOR_SIZE) {
        uint64_t s = (off + done) / SECTOR_SIZE;
        int fd = sector_written(img, s) ? img->overlay_fd : img->fd;
        if (full_pread(fd, (uint8_t *)buf + done, SECTOR_SIZE, off + done))
            return -1;
    }
    return 0;
}

int image_write(struct image *img, uint64_t off, const void *buf, size_t len)
{
    if (img->readonly || !in_range(img, off, len))
        return -1;
    if (img->probed_raw && off == 0 && len &&
        probe_format(buf, SECTOR_SIZE, NULL, NULL, 0) != IMG_FMT_RAW)
        return -1;
    if (!img->snapshot)
        return full_pwrite(img->fd, buf, len, off) || (img->writethrough && fdatasync(img->fd))
               ? -1 : 0;
    if (full_pwrite(img->overlay_fd, buf, len, off))
        return -1;
    for (uint64_t s = off / SECTOR_SIZE; s < (off + len) / SECTOR_SIZE; s++)
        img->written[s / 8] |= 1u << (s % 8);
    return 0;
}

int image_write_zeroes(struct image *img, uint64_t off, uint64_t len)
{
    static const uint8_t zero[64 * 1024];
    if (img->readonly || !in_range(img, off, len))
        return -1;
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
    return fdatasync(img->fd);
}

int image_discard(struct image *img, uint64_t off, uint64_t len)
{
    if (img->readonly || !in_range(img, off, len))
        return -1;
    if (!img->unmap)
        return 0;
    if (img->snapshot)
        return image_write_zeroes(img, off, len);
    return fallocate(img->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
                     (off_t)len) ? image_write_zeroes(img, off, len) : 0;
}

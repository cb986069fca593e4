/*
 * Snapshot files (snapshot.h): the stream of machine_snapshot_save as it
 * is, written atomically (a temporary file in the same directory, synced,
 * then renamed over the name given) and read back whole.
 */
#include "snapshot.h"
#include "machine.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int snapshot_write_file(struct machine *m, const char *path, char *err, size_t errlen)
{
    uint8_t *buf;
    size_t len;
    if (machine_snapshot_save(m, &buf, &len, err, errlen))
        return -1;
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    int fd = -1;
    if (tmp) {
        snprintf(tmp, n, "%s.tmpXXXXXX", path);
        fd = mkstemp(tmp);
    }
    int r = fd < 0 || write_all(fd, buf, len) || fsync(fd) ? -1 : 0;
    int e = errno;
    if (fd >= 0 && close(fd))
        r = -1;
    if (!r && rename(tmp, path))
        r = -1, e = errno;
    if (r) {
        snprintf(err, errlen, "%s: %s", path, tmp ? strerror(e) : "out of memory");
        if (fd >= 0)
            unlink(tmp);
    }
    free(tmp);
    free(buf);
    return r;
}

int snapshot_read_file(struct machine *m, const char *path, char *err, size_t errlen)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", path, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size, got = 0;
    uint8_t *buf = malloc(len ? len : 1);
    while (buf && got < len) {
        ssize_t r = read(fd, buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    char why[400];
    int r = -1;
    if (!buf || got != len)
        snprintf(why, sizeof why, "%s", buf ? "cannot read it" : "out of memory");
    else
        r = machine_snapshot_restore(m, buf, len, why, sizeof why);
    if (r)
        snprintf(err, errlen, "%s: %s", path, why);
    free(buf);
    return r;
}

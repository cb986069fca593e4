/* Whole transfers over pread/pwrite (see file_io.h). */
#include "file_io.h"
#include <errno.h>
#include <unistd.h>

int full_pread(int fd, void *buf, size_t len, uint64_t off)
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

int full_pwrite(int fd, const void *buf, size_t len, uint64_t off)
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

/* QEMU-compatible image locks (see lock.h). */
#define _GNU_SOURCE
#include "lock.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

enum { PERM_BASE = 100, SHARED_BASE = 200 };
enum { P_READ = 1 << 0, P_WRITE = 1 << 1, P_WRITE_UNCHANGED = 1 << 2, P_RESIZE = 1 << 3, NPERMS = 4 };

static const char *const perm_names[NPERMS] = { "consistent read", "write", "write unchanged", "resize" };

static int lock_byte(int fd, int off)
{
    struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = off, .l_len = 1 };
    return fcntl(fd, F_OFD_SETLK, &fl);
}

/* Someone else holds a lock on byte off. */
static bool held(int fd, int off)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = off, .l_len = 1 };
    return fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
}

int image_lock(int fd, bool writable, const char *path, char *err, size_t errlen)
{
    unsigned use = writable ? P_READ | P_WRITE | P_RESIZE : P_READ;
    unsigned deny = P_WRITE | P_RESIZE;
    /* set first, then check, as QEMU does: of two openers racing, each sees the other */
    for (int p = 0; p < NPERMS; p++)
        if (((use >> p & 1) && lock_byte(fd, PERM_BASE + p)) ||
            ((deny >> p & 1) && lock_byte(fd, SHARED_BASE + p)))
            return snprintf(err, errlen, "%s: cannot lock the image: %s", path, strerror(errno)), -1;
    for (int p = 0; p < NPERMS; p++) {
        if ((use >> p & 1) && held(fd, SHARED_BASE + p))
            return snprintf(err, errlen, "%s: Failed to get \"%s\" lock\nIs another process using the "
                            "image [%s]?", path, perm_names[p], path), -1;
        if ((deny >> p & 1) && held(fd, PERM_BASE + p))
            return snprintf(err, errlen, "%s: Failed to get shared \"%s\" lock\nIs another process using "
                            "the image [%s]?", path, perm_names[p], path), -1;
    }
    return 0;
}

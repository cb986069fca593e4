/* -pidfile (pidfile.h). */
#include "pidfile.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int pidfile_open(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create PID file: %s: %s", path, strerror(errno));
        return -1;
    }
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    if (fcntl(fd, F_SETLK, &lk)) {
        snprintf(err, errlen, "cannot create PID file: Cannot lock pid file %s: %s", path,
                 strerror(errno));
        close(fd);
        return -1;
    }
    char line[32];
    int n = snprintf(line, sizeof line, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) || write(fd, line, (size_t)n) != n) {
        snprintf(err, errlen, "cannot create PID file: %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

void pidfile_close(const char *path, int fd)
{
    if (fd < 0)
        return;
    unlink(path);                   /* while still locked: no one else's file */
    close(fd);
}

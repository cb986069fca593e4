/*
 * Semihosting file calls: SYS_OPEN, SYS_CLOSE, SYS_WRITE, SYS_READ,
 * SYS_ISTTY, SYS_SEEK, SYS_FLEN, SYS_REMOVE, SYS_RENAME (ARM semihosting
 * spec v2, blocks of words in guest memory). A guest handle indexes struct
 * semihost's table of host descriptors. Every path is opened beneath the
 * root directory with openat2's RESOLVE_BENEATH, so neither "..", an
 * absolute path nor a symlink can reach outside it; REMOVE and RENAME act
 * on a last component inside a directory so opened.
 */
#define _GNU_SOURCE             /* O_PATH */
#include "semihost.h"
#include "machine.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE = 0x05, SYS_READ = 0x06, SYS_ISTTY = 0x09,
    SYS_SEEK = 0x0a, SYS_FLEN = 0x0c, SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f,
};
#define PATH_MAX_GUEST 1024

unsigned semihost_file_args(unsigned op)
{
    switch (op) {
    case SYS_RENAME: return 4;
    case SYS_OPEN: case SYS_WRITE: case SYS_READ: return 3;
    case SYS_SEEK: case SYS_REMOVE: return 2;
    case SYS_CLOSE: case SYS_ISTTY: case SYS_FLEN: return 1;
    }
    return 0;
}

static int64_t fail(struct semihost *s, int err)
{
    s->err = err;
    return -1;
}

/* The host descriptor of guest handle g, or -1 (EBADF). */
static int host_fd(struct semihost *s, uint64_t g)
{
    return g < SEMIHOST_FILES && s->fd[g] >= 0 ? s->fd[g] : -1;
}

/* fopen modes 0..11 (r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b) */
static int open_flags(uint64_t mode)
{
    static const int f[6] = { O_RDONLY, O_RDWR, O_WRONLY | O_CREAT | O_TRUNC,
                              O_RDWR | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_APPEND,
                              O_RDWR | O_CREAT | O_APPEND };
    return mode < 12 ? f[mode / 2] : -1;
}

/* The guest's path of len bytes at va, NUL-terminated: 0, or an errno. */
static int guest_path(struct hart *h, uint64_t va, uint64_t len, char *path)
{
    if (len >= PATH_MAX_GUEST)
        return ENAMETOOLONG;
    if (semihost_read(h, va, path, len))
        return EFAULT;
    path[len] = 0;
    return 0;
}

/* path opened beneath the root: a descriptor, or -1 with errno. */
static int open_beneath(const struct semihost *s, const char *path, int flags)
{
    struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC,
                            .mode = (flags & O_CREAT) ? 0644 : 0,     /* else EINVAL */
                            .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
    return (int)syscall(SYS_openat2, s->root, path, &how, sizeof how);
}

/* The directory holding path's last component, opened beneath the root
 * (so it is inside), with that component in *base: a descriptor or -1. */
static int parent_beneath(const struct semihost *s, char *path, const char **base)
{
    char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
        errno = EINVAL;
        return -1;
    }
    if (slash)
        *slash = 0;
    return open_beneath(s, !slash ? "." : slash == path ? "/" : path, O_PATH | O_DIRECTORY);
}

/* SYS_REMOVE { name, len }, SYS_RENAME { old, len, new, len }: 0 or -1. */
static int64_t remove_rename(struct semihost *s, struct hart *h, unsigned op, const uint64_t *a)
{
    char from[PATH_MAX_GUEST], to[PATH_MAX_GUEST];
    const char *b1, *b2;
    int e = guest_path(h, a[0], a[1], from);
    if (!e && op == SYS_RENAME)
        e = guest_path(h, a[2], a[3], to);
    if (e)
        return fail(s, e);
    int d1 = parent_beneath(s, from, &b1), d2 = -1, r = -1;
    if (d1 >= 0 && op == SYS_REMOVE)
        r = unlinkat(d1, b1, 0);
    else if (d1 >= 0 && (d2 = parent_beneath(s, to, &b2)) >= 0)
        r = renameat(d1, b1, d2, b2);
    e = errno;
    if (d1 >= 0)
        close(d1);
    if (d2 >= 0)
        close(d2);
    return r ? fail(s, e) : 0;
}

static int64_t sys_open(struct semihost *s, struct hart *h, const uint64_t *a)
{
    char path[PATH_MAX_GUEST];
    int flags = open_flags(a[1]), e = guest_path(h, a[0], a[2], path);
    if (flags < 0 || e)
        return fail(s, flags < 0 ? EINVAL : e);
    int g = 1;
    while (g < SEMIHOST_FILES && s->fd[g] >= 0)
        g++;
    if (g == SEMIHOST_FILES)
        return fail(s, EMFILE);
    int fd;
    if (!strcmp(path, ":tt")) {     /* QEMU 7.2: host stdin, stdout or stderr by mode */
        fd = dup(a[1] < 4 ? STDIN_FILENO : a[1] < 8 ? STDOUT_FILENO : STDERR_FILENO);
    } else {
        fd = open_beneath(s, path, flags);
    }
    if (fd < 0)
        return fail(s, errno);
    s->fd[g] = fd;
    return g;
}

/* SYS_READ / SYS_WRITE: the bytes not transferred (0: all of them). */
static int64_t transfer(struct semihost *s, struct hart *h, int fd, const uint64_t *a, bool wr)
{
    char buf[4096];
    uint64_t done = 0, len = a[2];
    while (done < len) {
        size_t n = len - done < sizeof buf ? len - done : sizeof buf;
        ssize_t r;
        if (wr)
            r = semihost_read(h, a[1] + done, buf, n) ? -2 : write(fd, buf, n);
        else if ((r = read(fd, buf, n)) > 0 && semihost_write(h, a[1] + done, buf, (size_t)r))
            r = -2;
        if (r < 0)
            s->err = r == -2 ? EFAULT : errno;     /* -2: guest memory not mapped */
        if (r <= 0)
            break;
        done += (uint64_t)r;
        if ((size_t)r < n && !wr)
            break;              /* end of file, or a console line */
    }
    return (int64_t)(len - done);
}

int64_t semihost_file_call(struct machine *m, struct hart *h, unsigned op, const uint64_t *a)
{
    struct semihost *s = &m->semihost;
    if (op == SYS_OPEN)
        return sys_open(s, h, a);
    if (op == SYS_REMOVE || op == SYS_RENAME)
        return remove_rename(s, h, op, a);
    int fd = host_fd(s, a[0]);
    struct stat st;
    if (fd < 0)
        return fail(s, EBADF);
    switch (op) {
    case SYS_CLOSE:
        s->fd[a[0]] = -1;
        return close(fd) ? fail(s, errno) : 0;
    case SYS_WRITE: case SYS_READ:
        fflush(NULL);           /* the console's bytes before these */
        return transfer(s, h, fd, a, op == SYS_WRITE);
    case SYS_ISTTY: return isatty(fd);
    case SYS_SEEK: return lseek(fd, (off_t)a[1], SEEK_SET) < 0 ? fail(s, errno) : 0;
    case SYS_FLEN: return fstat(fd, &st) ? fail(s, errno) : (int64_t)st.st_size;
    }
    return fail(s, ENOSYS);
}

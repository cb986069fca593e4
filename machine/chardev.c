/* Host character devices: sockets, the pty, files (chardev.h). */
#define _GNU_SOURCE             /* accept4, ptsname_r */
#include "chardev.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define TELNET_IAC 255

static void nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* The address of a socket spec: one UNIX path, or what getaddrinfo finds. */
static int sock_addrs(const struct chr_spec *s, struct addrinfo **res, char *err, size_t errlen)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = s->server ? AI_PASSIVE : 0 };
    int r = getaddrinfo(s->host[0] ? s->host : "127.0.0.1", s->port, &hints, res);
    if (r)
        snprintf(err, errlen, "address '%s:%s': %s", s->host, s->port, gai_strerror(r));
    return r ? -1 : 0;
}

/* A socket bound and listening (server) or connected (client) to a; -1 with errno. */
static int sock_on(const struct chr_spec *s, const struct sockaddr *a, socklen_t alen, int family)
{
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0)
        return -1;
    if (s->server)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (s->server ? bind(fd, a, alen) || listen(fd, 1) : connect(fd, a, alen)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static int open_socket(const struct chr_spec *s, char *err, size_t errlen)
{
    char where[CHR_PATH_LEN + 32];
    chr_describe(s, where, sizeof where);
    int fd = -1;
    if (s->is_unix) {
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        struct stat st;
        if (s->server && !lstat(s->path, &st) && S_ISSOCK(st.st_mode))
            unlink(s->path);    /* a dead server's socket file, as QEMU removes it */
        memcpy(a.sun_path, s->path, strnlen(s->path, sizeof a.sun_path - 1));   /* checked: < 108 */
        fd = sock_on(s, (struct sockaddr *)&a, sizeof a, AF_UNIX);
    } else {
        struct addrinfo *res;
        if (sock_addrs(s, &res, err, errlen))
            return -1;
        for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next)
            fd = sock_on(s, ai->ai_addr, ai->ai_addrlen, ai->ai_family);
        freeaddrinfo(res);
    }
    if (fd < 0)
        snprintf(err, errlen, "%s '%s': %s", s->server ? "Failed to listen on" : "Failed to connect to",
                 where, strerror(errno));
    return fd;
}

/* A new pseudo-terminal in raw mode, named on stdout as QEMU does. */
static int open_pty(struct chardev *c, char *err, size_t errlen)
{
    char name[64];
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    struct termios t;
    if (fd < 0 || grantpt(fd) || unlockpt(fd) || ptsname_r(fd, name, sizeof name)) {
        snprintf(err, errlen, "cannot make a pty: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!tcgetattr(fd, &t)) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    nonblock(fd);
    printf("char device redirected to %s (label %s)\n", name, c->label);    /* stdout, as QEMU */
    fflush(stdout);
    c->hup = true;
    return fd;
}

/* telnet (RFC 854 commands): what QEMU's server says first, so that the
 * client echoes nothing, sends characters, not lines, and all 8 bits. */
static void telnet_greet(struct chardev *c)
{
    static const unsigned char opts[] = {
        TELNET_IAC, 251, 1,     /* WILL ECHO */
        TELNET_IAC, 251, 3,     /* WILL SUPPRESS-GO-AHEAD */
        TELNET_IAC, 251, 0,     /* WILL BINARY */
        TELNET_IAC, 253, 0,     /* DO BINARY */
    };
    chr_write(c, opts, sizeof opts);
}

static void take_client(struct chardev *c, int fd)
{
    int one = 1;
    if (!c->s.is_unix)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    nonblock(fd);
    c->fd = fd;
    c->iac_len = 0;
    if (c->s.telnet)
        telnet_greet(c);
}

int chr_open(struct chardev *c, const struct chr_spec *s, const char *label, char *err,
             size_t errlen)
{
    *c = (struct chardev){ .s = *s, .label = label, .lfd = -1, .fd = -1 };
    switch (s->be) {
    case CHR_NONE: case CHR_NULL: case CHR_REF:
        return 0;
    case CHR_STDIO:
        c->fd = STDIN_FILENO;
        return 0;
    case CHR_FILE:
        c->fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (c->fd < 0)
            snprintf(err, errlen, "could not open '%s': %s", s->path, strerror(errno));
        return c->fd < 0 ? -1 : 0;
    case CHR_PTY:
        c->fd = open_pty(c, err, errlen);
        return c->fd < 0 ? -1 : 0;
    case CHR_SOCKET:
        break;
    }
    int fd = open_socket(s, err, errlen);
    if (fd < 0)
        return -1;
    if (!s->server) {
        take_client(c, fd);
        return 0;
    }
    c->lfd = fd;
    if (s->wait) {              /* QEMU waits for the first client before the guest runs */
        char where[CHR_PATH_LEN + 32];
        chr_describe(s, where, sizeof where);
        fprintf(stderr, "hartvm: %s: info: waiting for connection on: disconnected:%s\n", label,
                where);
        int cfd;
        while ((cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) < 0 && errno == EINTR)
            ;
        if (cfd < 0) {
            snprintf(err, errlen, "%s: accept: %s", where, strerror(errno));
            return -1;
        }
        take_client(c, cfd);
    }
    nonblock(fd);
    return 0;
}

void chr_close(struct chardev *c)
{
    if (c->fd > STDERR_FILENO)
        close(c->fd);
    if (c->lfd >= 0) {
        close(c->lfd);
        if (c->s.is_unix)
            unlink(c->s.path);
    }
    c->fd = c->lfd = -1;
}

bool chr_accept(struct chardev *c)
{
    if (c->s.be == CHR_PTY) {
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        bool was = c->hup;
        c->hup = poll(&p, 1, 0) >= 0 && (p.revents & POLLHUP);
        return was && !c->hup;
    }
    if (c->lfd < 0 || c->fd >= 0)
        return false;
    int fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return false;
    take_client(c, fd);
    return true;
}

/* The client has gone: a server takes the next, a pty waits for a reader. */
static void hang_up(struct chardev *c)
{
    if (c->s.be == CHR_PTY) {
        c->hup = true;
        return;
    }
    if (c->s.be == CHR_SOCKET && c->fd >= 0)
        close(c->fd);
    if (c->s.be != CHR_STDIO || c->fd >= 0)
        c->fd = -1;
}

/* telnet: drop the commands (IAC CMD [OPT]) a client mixes into its bytes. */
static ssize_t telnet_filter(struct chardev *c, unsigned char *p, ssize_t n)
{
    ssize_t k = 0;
    for (ssize_t i = 0; i < n; i++) {
        unsigned char b = p[i];
        if (c->iac_len == 0 && b != TELNET_IAC) {
            p[k++] = b;
            continue;
        }
        c->iac[c->iac_len++] = b;
        /* IAC IAC is a 255 byte; WILL/WONT/DO/DONT (251..254) take an option byte */
        bool done = (c->iac_len == 2 && (b == TELNET_IAC || b < 251)) || c->iac_len == 3;
        if (done && c->iac_len == 2 && b == TELNET_IAC)
            p[k++] = TELNET_IAC;
        if (done)
            c->iac_len = 0;
    }
    return k;
}

ssize_t chr_read(struct chardev *c, void *buf, size_t n)
{
    if (c->fd < 0 || c->hup || c->s.be == CHR_FILE || c->s.be == CHR_NULL)
        return 0;
    ssize_t r;
    while ((r = read(c->fd, buf, n)) < 0 && errno == EINTR)
        ;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    if (r <= 0) {               /* end of file, reset, a pty's EIO: nobody there */
        hang_up(c);
        return -1;
    }
    return c->s.telnet ? telnet_filter(c, buf, r) : r;
}

void chr_write(struct chardev *c, const void *p, size_t n)
{
    int fd = c->s.be == CHR_STDIO ? STDOUT_FILENO : c->fd;
    if (fd < 0 || c->hup || c->s.be == CHR_NULL)
        return;
    const char *b = p;
    while (n > 0) {
        ssize_t w = c->s.be == CHR_SOCKET ? send(fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT)
                                          : write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            hang_up(c);
        if (w <= 0)
            return;
        b += w;
        n -= (size_t)w;
    }
}

int chr_wait_fd(const struct chardev *c)
{
    if (c->s.be == CHR_FILE || c->s.be == CHR_NULL || c->hup)
        return -1;
    return c->fd >= 0 ? c->fd : c->lfd;
}

/* Non-blocking, size-limited console output: see conout.h. */
#define _GNU_SOURCE             /* fopencookie */
#include "conout.h"
#include "machine.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct conout {
    struct machine *m;
    int fd;                     /* where output goes */
    int own_fd;                 /* fd is our non-blocking reopen: close it */
    bool gate;                  /* blocking fd of a stream: write only when poll says so */
    bool is_stdout;             /* stdout's FILE may hold the debugger's text: it goes first */
    bool broken;                /* a write failed (reader gone, disk full): drop, don't retry */
    uint64_t limit, total;      /* --serial-limit; bytes the guest sent */
    uint64_t dropped;
    uint8_t *ring;              /* pending bytes: [head, head + count) mod CONOUT_RING */
    size_t head, count;
    bool stamps, mid_line;      /* C-a t; the last byte sent was not a newline */
    uint64_t stamp0_ns;         /* the first stamp's time (0: none yet) */
};

/* Write what the fd takes now without blocking; false if it took nothing. */
static bool push(struct conout *c, const uint8_t *p, size_t n, size_t *done)
{
    *done = 0;
    if (c->fd < 0) {            /* switched, nobody connected: dropped, not counted */
        *done = n;
        return true;
    }
    while (*done < n) {
        size_t chunk = n - *done;
        if (c->gate) {
            struct pollfd pf = { .fd = c->fd, .events = POLLOUT };
            if (poll(&pf, 1, 0) != 1 || !(pf.revents & POLLOUT)) {
                c->broken |= (pf.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0;
                break;
            }
            if (chunk > 512)
                chunk = 512;    /* a pipe or tty with room takes this at once */
        }
        ssize_t w = write(c->fd, p + *done, chunk);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            c->broken = true;
        if (w <= 0)
            break;
        *done += (size_t)w;
    }
    return *done > 0;
}

/* Send the pending bytes, oldest first, as far as the fd takes them;
 * after a write error nobody will take them: they are dropped. */
static void drain(struct conout *c)
{
    while (c->count && !c->broken) {
        size_t n = CONOUT_RING - c->head < c->count ? CONOUT_RING - c->head : c->count, done;
        push(c, c->ring + c->head, n, &done);
        c->head = (c->head + done) % CONOUT_RING;
        c->count -= done;
        if (done < n)
            break;
    }
    if (c->broken) {
        c->dropped += c->count;
        c->count = 0;
    }
}

void conout_drain(struct conout *c)
{
    if (c && c->count)
        drain(c);
}

int conout_wait_fd(const struct conout *c)
{
    return c && c->count && !c->broken ? c->fd : -1;
}

static void keep(struct conout *c, const uint8_t *p, size_t n)
{
    if (!c->ring && !(c->ring = malloc(CONOUT_RING)))
        n = 0;
    size_t room = c->ring ? CONOUT_RING - c->count : 0, k = n < room ? n : room;
    for (size_t i = 0; i < k; i++)
        c->ring[(c->head + c->count + i) % CONOUT_RING] = p[i];
    c->count += k;
    if (n > k) {
        if (!c->dropped)
            fprintf(stderr, "hartvm: console output is not being read: dropping output\n");
        c->dropped += n - k;
    }
}

/* Bytes for the fd: after what waits, else now, else kept; dropped once
 * the reader has gone. */
static void emit(struct conout *c, const uint8_t *p, size_t n)
{
    drain(c);
    size_t done = 0;
    if (!c->count && !c->broken)
        push(c, p, n, &done);
    if (c->broken)
        c->dropped += n - done;
    else if (done < n)
        keep(c, p + done, n - done);
}

static void stamp(struct conout *c)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    if (!c->stamp0_ns)
        c->stamp0_ns = now;
    uint64_t ms = (now - c->stamp0_ns) / 1000000;
    char b[40];
    int len = snprintf(b, sizeof b, "[%02llu:%02llu:%02llu.%03llu] ", (unsigned long long)(ms / 3600000),
                       (unsigned long long)(ms / 60000 % 60), (unsigned long long)(ms / 1000 % 60),
                       (unsigned long long)(ms % 1000));
    emit(c, (const uint8_t *)b, (size_t)len);
}

void conout_timestamps(struct conout *c, bool on)
{
    if (c)
        c->stamps = on;
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    struct conout *c = cookie;
    const uint8_t *p = (const uint8_t *)buf;
    size_t take = n;
    if (c->limit && c->total + n > c->limit) {
        take = c->total < c->limit ? c->limit - c->total : 0;
        if (!c->m->exit_requested)
            fprintf(stderr, "\nhartvm: serial output limit of %llu bytes reached\n",
                    (unsigned long long)c->limit);
        machine_request_exit(c->m, EXIT_SERIAL_LIMIT, "--serial-limit reached");
    }
    c->total += take;
    if (c->is_stdout)
        fflush(stdout);
    if (!c->stamps) {
        emit(c, p, take);
        c->mid_line = take ? p[take - 1] != '\n' : c->mid_line;
        return (ssize_t)n;          /* never an error: stdio must not stall or retry */
    }
    for (size_t i = 0; i < take;) {  /* a stamp before each line */
        if (!c->mid_line)
            stamp(c);
        const uint8_t *nl = memchr(p + i, '\n', take - i);
        size_t len = nl ? (size_t)(nl - (p + i)) + 1 : take - i;
        emit(c, p + i, len);
        c->mid_line = !nl;
        i += len;
    }
    return (ssize_t)n;
}

static int cookie_close(void *cookie)
{
    struct conout *c = cookie;
    /* Last chance for what is pending: wait up to a second for the reader. */
    for (int i = 0; i < 100 && c->count; i++) {
        struct pollfd pf = { .fd = c->fd, .events = POLLOUT };
        poll(&pf, 1, 10);
        drain(c);
    }
    if (c->count + c->dropped)
        fprintf(stderr, "hartvm: %llu bytes of console output were never read\n",
                (unsigned long long)(c->count + c->dropped));
    if (c->own_fd)
        close(c->fd);
    free(c->ring);
    free(c);
    return 0;
}

/* The FILE over the wrapper c (setvbuf: the UART flushes at newlines and every ms). */
static FILE *wrap(struct conout *c, struct conout **state)
{
    cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
    FILE *f = fopencookie(c, "w", io);
    if (!f) {
        if (c->own_fd)
            close(c->fd);
        free(c);
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, 4096);
    *state = c;
    return f;
}

FILE *conout_open_switched(struct machine *m, uint64_t limit, struct conout **state)
{
    struct conout *c = calloc(1, sizeof *c);
    *state = NULL;
    if (!c)
        return NULL;
    *c = (struct conout){ .m = m, .fd = -1, .limit = limit };
    return wrap(c, state);
}

void conout_set_fd(struct conout *c, int fd)
{
    if (c->fd != fd)            /* what waited for the last reader is not the next one's */
        c->count = 0;
    c->fd = fd;
    c->broken = false;
}

FILE *conout_open(struct machine *m, int fd, uint64_t limit, struct conout **state)
{
    struct stat st;
    *state = NULL;
    bool stream = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
    struct conout *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->m = m;
    c->fd = fd;
    c->limit = limit;
    c->is_stdout = fd == STDOUT_FILENO;
    if (stream) {
        char path[64];
        int flags = fcntl(fd, F_GETFL);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int nfd = (flags >= 0 && (flags & O_NONBLOCK)) ? -1 : open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (nfd >= 0) {
            c->fd = nfd;
            c->own_fd = 1;
        } else if (flags < 0 || !(flags & O_NONBLOCK)) {
            c->gate = true;     /* a socket cannot be reopened: poll before writing */
        }
    }
    return wrap(c, state);
}

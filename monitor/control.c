/*
 * Instance side of the fleet supervisor's control channel (protocol in
 * control.h). The socket is non-blocking and read only between turns of
 * the run loop, at most every CONTROL_POLL_NS, so a guest pays a clock
 * read per turn and a system call every few milliseconds. An idle machine
 * sleeps in ppoll on the socket (control_wait_fd): a command wakes it at
 * once, and an idle instance costs nothing between commands.
 *
 * Pause blocks the run loop inside control_service(): nothing runs, and
 * guest time stands still (start_ns moves on by the paused time), so a
 * paused guest does not find a burst of expired timers when resumed.
 */
#define _GNU_SOURCE
#include "control.h"
#include "dbg.h"
#include "session.h"
#include <sys/mman.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#define CONTROL_POLL_NS 2000000         /* look for commands every 2 ms */
#define CONTROL_LINE 1024

struct control {
    int fd;
    char in[CONTROL_LINE];              /* a partial command line */
    size_t inlen;
    uint64_t last_ns;
    bool paused;
    bool gone;                          /* the supervisor closed its end */
    struct mon_session mon;             /* monitor commands and the gdb stub's debugger */
};

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* One reply line. Replies are short and the supervisor always reads, so a
 * full socket buffer means it is stuck: the line is dropped, never waited for. */
static void reply(struct control *c, const char *fmt, ...)
{
    char buf[CONTROL_LINE + 64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    const char *p = buf;
    while (n > 0) {
        ssize_t w = send(c->fd, p, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        n -= (int)w;
    }
}

static void control_service(void *ctx);
static int control_wait_fd(void *ctx, short *events);
static void control_kick(void *ctx);

int control_open(struct machine *m, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "--control %s: path too long for a UNIX socket", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        snprintf(err, errlen, "--control %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    struct control *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->fd = fd;
    c->mon = (struct mon_session){ .m = m };
    m->control = c;
    ev_add(&m->events, &(struct ev_source){
        .name = "fleet control", .ctx = m, .service = control_service,
        .wait_fd = control_wait_fd, .woken = control_kick });
    reply(c, "hello pid=%d", (int)getpid());
    return 0;
}

/* "running", "idle" (every hart in wfi) or "paused". */
static const char *run_state(struct machine *m)
{
    if (m->control->paused)
        return "paused";
    for (int i = 0; i < m->nharts; i++)
        if (!m->harts[i].wfi)
            return "running";
    return "idle";
}

/*
 * monitor CMD: one debugger command between two turns (session.h); those
 * that run the machine or stop it later need the debugger's own run loop,
 * which a fleet instance does not have, and are refused. Its text goes
 * back as "| " lines.
 */
static void monitor_command(struct machine *m, char *cmd)
{
    struct control *c = m->control;
    bool ok;
    if (!cmd[strspn(cmd, " \t")]) {
        reply(c, "error which command? (help lists them)");
        return;
    }
    char *text = session_run(&c->mon, cmd, &ok);
    if (!text) {
        reply(c, "error out of memory");
        return;
    }
    for (char *line = text, *nl; *line && ok; line = nl + 1) {
        if ((nl = strchr(line, '\n')))
            *nl = 0;
        reply(c, "| %s", line);
        if (!nl)
            break;
    }
    if (ok)
        reply(c, "ok");
    else
        reply(c, "error %.*s", (int)strcspn(text, "\n"), text);
    free(text);
}

/*
 * gdb [PORT]: the gdb stub on this running instance (PORT 0 or none: a free
 * one, said in the reply). Its debugger is attached from now on, and the
 * stub's connection stops the machine; hartvm's main loop then hands it
 * to gdb_run (debugger_main), never from here.
 */
static void gdb_command(struct machine *m, const char *arg)
{
    struct control *c = m->control;
    struct debugger *d = session_debugger(&c->mon);
    char dev[300], err[400], where[200];
    if (!d) {
        reply(c, "error out of memory");
        return;
    }
    if (d->gdb) {
        reply(c, "| gdb: already listening on %s", gdb_where(d, where, sizeof where));
        reply(c, "ok");
        return;
    }
    if (!*arg)
        snprintf(dev, sizeof dev, "tcp::0");
    else if (strspn(arg, "0123456789") == strlen(arg) && strlen(arg) <= 5 && atoi(arg) < 65536)
        snprintf(dev, sizeof dev, "tcp::%s", arg);
    else
        snprintf(dev, sizeof dev, "%s", arg);
    if (!m->dbg)
        dbg_attach(d);
    if (gdb_open(d, dev, err, sizeof err)) {
        reply(c, "error %s", err);
        return;
    }
    reply(c, "| gdb: listening on %s (gdb-multiarch -ex 'target remote %s')",
          gdb_where(d, where, sizeof where), where);
    reply(c, "ok");
}

static void command(struct machine *m, char *line)
{
    struct control *c = m->control;
    char *arg = line + strcspn(line, " \t");
    if (*arg)
        *arg++ = 0;
    arg += strspn(arg, " \t");
    if (!strcmp(line, "stats")) {
        reply(c, "stats insns=%llu state=%s harts=%d", (unsigned long long)m->icount,
              run_state(m), m->nharts);
    } else if (!strcmp(line, "pause")) {
        c->paused = true;
        reply(c, "ok paused insns=%llu", (unsigned long long)m->icount);   /* the count it stands at */
    } else if (!strcmp(line, "resume")) {
        c->paused = false;
        reply(c, "ok running");
    } else if (!strcmp(line, "quit")) {
        c->paused = false;
        machine_request_exit(m, 0, "stopped by the fleet supervisor");
        reply(c, "ok quitting");
    } else if (!strcmp(line, "monitor")) {
        monitor_command(m, arg);
    } else if (!strcmp(line, "gdb")) {
        gdb_command(m, arg);
    } else if (*line) {
        reply(c, "error unknown control command '%s'", line);
    }
}

/* Read what has arrived and run each complete line. */
static void read_commands(struct machine *m)
{
    struct control *c = m->control;
    for (;;) {
        ssize_t n = recv(c->fd, c->in + c->inlen, sizeof c->in - 1 - c->inlen, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            /* The supervisor is gone: an orphaned instance has nobody to
             * serve its console, so it ends. */
            c->gone = true;
            c->paused = false;
            machine_request_exit(m, 1, "fleet supervisor gone");
            return;
        }
        if (n < 0)
            return;
        c->inlen += (size_t)n;
        char *nl;
        while ((nl = memchr(c->in, '\n', c->inlen))) {
            *nl = 0;
            command(m, c->in);
            size_t used = (size_t)(nl + 1 - c->in);
            memmove(c->in, nl + 1, c->inlen - used);
            c->inlen -= used;
        }
        if (c->inlen == sizeof c->in - 1) {             /* an endless line */
            reply(c, "error command line too long");
            c->inlen = 0;
        }
    }
}

/* Read and answer pending commands (at most every CONTROL_POLL_NS). */
static void control_service(void *ctx)
{
    struct machine *m = ctx;
    struct control *c = m->control;
    uint64_t t = mono_ns();
    if (c->gone || t - c->last_ns < CONTROL_POLL_NS)
        return;
    c->last_ns = t;
    read_commands(m);
    if (!c->paused)
        return;
    if (m->uart.out)
        fflush(m->uart.out);
    while (c->paused && !c->gone) {
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        if (poll(&p, 1, -1) > 0)
            read_commands(m);
    }
    m->start_ns += mono_ns() - t;       /* guest time stood still */
}

/* The socket an idle machine waits on (-1: gone). */
static int control_wait_fd(void *ctx, short *events)
{
    const struct control *c = ((struct machine *)ctx)->control;
    *events = POLLIN;
    return c && !c->gone ? c->fd : -1;
}

/* Woken from an idle sleep: read at once, without waiting for the slot. */
static void control_kick(void *ctx)
{
    struct machine *m = ctx;
    m->control->last_ns = 0;
}

void control_close(struct machine *m, int status)
{
    struct control *c = m->control;
    if (!c)
        return;
    if (!c->gone)
        reply(c, "exit status=%d insns=%llu reason=%s", status, (unsigned long long)m->icount,
              m->exit_reason ? m->exit_reason : status == 124 ? "timeout"
              : status == 125 ? "instruction limit" : "error");
    ev_remove(&m->events, "fleet control");
    close(c->fd);
    session_free(&c->mon);
    free(c);
    m->control = NULL;
}

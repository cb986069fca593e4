/*
 * The fleet supervisor's process side (overview in fleet.h): a run
 * directory, one child process per instance, and one poll loop that reads
 * every console pipe and control socket, reaps children (signalfd), and
 * keeps the clocks: per-instance timeouts, the grace before SIGKILL,
 * restart back-off, the once-a-second statistics.
 *
 * Isolation: an instance is a separate process in its own process group,
 * with its own pipes and socket; the supervisor never blocks on one (all
 * its descriptors are non-blocking), so a guest that spins, floods its
 * console or dies leaves the others alone. Children get SIGTERM if the
 * supervisor dies (PR_SET_PDEATHSIG), and end when their control socket
 * closes, so no orphan outlives it.
 */
#define _GNU_SOURCE
#include "fleet.h"
#include "../machine/option_table.h"
#include "../machine/stuck.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#define STOP_GRACE 3.0          /* seconds between "quit" and SIGKILL */
#define BACKOFF_FIRST 1.0       /* on-failure: wait 1, 2, 4 ... seconds */
#define BACKOFF_MAX 60.0
#define BACKOFF_RESET 60.0      /* a run this long starts the back-off afresh */

double fleet_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

void fleet_note(struct fleet *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (f->note_hook)
        f->note_hook(f, buf);
    else
        fprintf(stderr, "%s\n", buf);
}

bool fleet_alive(const struct instance *in)
{
    return in->pid > 0;
}

int fleet_running(const struct fleet *f)
{
    int k = 0;
    for (int i = 0; i < f->n; i++)
        k += fleet_alive(&f->inst[i]);
    return k;
}

struct instance *fleet_find(struct fleet *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->inst[i].cfg.name, name))
            return &f->inst[i];
    return NULL;
}

const char *fleet_result_word(enum result r)
{
    static const char *const w[] = { "-", "passed", "failed", "crashed", "timeout", "stopped", "stuck" };
    return w[r];
}

const char *fleet_result_text(const struct instance *in, char *buf, size_t len)
{
    switch (in->result) {
    case RES_PASSED: return "exit 0";
    case RES_FAILED: snprintf(buf, len, "exit %d", in->code); return buf;
    case RES_CRASHED: {
        const char *abbrev = sigabbrev_np(in->sig);
        if (abbrev)
            snprintf(buf, len, "signal SIG%s", abbrev);
        else
            snprintf(buf, len, "signal %d", in->sig);
        return buf;
    }
    case RES_TIMEOUT: return "timeout";
    case RES_STOPPED: return "stopped";
    case RES_STUCK: return in->code == EXIT_TRAP_LOOP ? "trap loop" : "dead wait";
    default: return "-";
    }
}

const char *fleet_state(const struct fleet *f, const struct instance *in, char *buf, size_t len)
{
    if (fleet_alive(in)) {
        if (in->stop_requested || in->timed_out)
            return "stopping";
        if (in->paused)
            return "paused";
        return in->guest_idle ? "idle" : "running";
    }
    if (in->restart_at > 0) {
        snprintf(buf, len, "restart in %.0fs", in->restart_at - fleet_now() + 0.5);
        return buf;
    }
    if (in->result == RES_NONE)
        return f->batch ? "queued" : "down";
    return fleet_result_word(in->result);
}

/* ---- console output: ring, log file, attached terminal ---------------- */

static void log_open(struct fleet *f, struct instance *in, bool truncate)
{
    snprintf(in->log_path, sizeof in->log_path, "%s/%s.log", f->logdir, in->cfg.name);
    in->log_fd = open(in->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
                      (truncate ? O_TRUNC : 0), 0600);
    in->log_bytes = 0;
    struct stat st;
    if (in->log_fd >= 0 && fstat(in->log_fd, &st) == 0)
        in->log_bytes = (uint64_t)st.st_size;
}

/* The log is bounded: past log_max it moves to NAME.log.1 (replacing the
 * older one) and a new NAME.log begins, so an instance keeps at most twice
 * log_max on disk. */
static void log_write(struct fleet *f, struct instance *in, const char *p, size_t len)
{
    if (in->log_fd < 0)
        return;
    if (in->log_bytes + len > f->log_max) {
        char old[sizeof in->log_path + 4];
        snprintf(old, sizeof old, "%s.1", in->log_path);
        close(in->log_fd);
        rename(in->log_path, old);
        log_open(f, in, true);
        if (in->log_fd < 0)
            return;
    }
    while (len > 0) {
        ssize_t w = write(in->log_fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        p += w;
        len -= (size_t)w;
        in->log_bytes += (uint64_t)w;
    }
}

static void console_output(struct fleet *f, struct instance *in, const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        in->ring[(in->ring_head + i) % FLEET_RING] = p[i];
    in->ring_head += len;
    log_write(f, in, p, len);
    if (f->attached == in) {
        size_t o = 0;
        while (o < len) {
            ssize_t w = write(STDOUT_FILENO, p + o, len - o);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            o += (size_t)w;
        }
    }
}

char *fleet_tail(const struct instance *in, int n)
{
    size_t have = in->ring_head < FLEET_RING ? in->ring_head : FLEET_RING;
    size_t start = in->ring_head - have, from = in->ring_head;
    /* a final line without its newline counts as a line */
    if (from > start && in->ring[(from - 1) % FLEET_RING] == '\n')
        from--;
    int lines = 0;
    while (from > start) {
        if (in->ring[(from - 1) % FLEET_RING] == '\n' && ++lines == n)
            break;
        from--;
    }
    size_t len = in->ring_head - from;
    char *s = malloc(len + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < len; i++)
        s[i] = in->ring[(from + i) % FLEET_RING];
    s[len] = 0;
    return s;
}

/* Read what the instance printed; false at end of file. */
static bool read_console(struct fleet *f, struct instance *in)
{
    char buf[16384];
    for (int rounds = 0; rounds < 16; rounds++) {      /* then let the others have a turn */
        ssize_t n = read(in->out_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return true;
        if (n <= 0)
            return false;
        console_output(f, in, buf, (size_t)n);
    }
    return true;
}

/* ---- control channel --------------------------------------------------- */

static bool ctl_send(struct instance *in, const char *line)
{
    if (in->ctl_fd < 0)
        return false;
    char buf[1100];
    int n = snprintf(buf, sizeof buf, "%s\n", line);
    if (n < 0 || (size_t)n >= sizeof buf)
        return false;
    return send(in->ctl_fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n;
}

static const char *field(const char *line, const char *key, char *buf, size_t len)
{
    const char *p = strstr(line, key);
    if (!p)
        return NULL;
    p += strlen(key);
    size_t n = strcspn(p, " ");
    if (n >= len)
        n = len - 1;
    memcpy(buf, p, n);
    buf[n] = 0;
    return buf;
}

static void ctl_line(struct instance *in, const char *line)
{
    char v[64];
    if (!strncmp(line, "stats ", 6)) {
        double t = fleet_now();
        if (field(line, "insns=", v, sizeof v)) {
            uint64_t insns = strtoull(v, NULL, 10);
            if (in->sample_t > 0 && t > in->sample_t && insns >= in->sample_insns)
                in->mips = (double)(insns - in->sample_insns) / (t - in->sample_t) / 1e6;
            in->insns = in->sample_insns = insns;
            in->sample_t = t;
        }
        if (field(line, "state=", v, sizeof v))
            in->guest_idle = !strcmp(v, "idle");    /* paused: the console's pause/resume keep it */
    } else if (!strncmp(line, "exit ", 5)) {
        in->exit_reported = true;
        if (field(line, "insns=", v, sizeof v))
            in->insns = strtoull(v, NULL, 10);
    } else if (!strncmp(line, "| ", 2) || !strcmp(line, "|")) {
        const char *s = line[1] ? line + 2 : "";
        size_t len = strlen(s);
        char *o = realloc(in->monitor_out, in->monitor_len + len + 2);
        if (o) {
            memcpy(o + in->monitor_len, s, len);
            in->monitor_len += len;
            o[in->monitor_len++] = '\n';
            o[in->monitor_len] = 0;
            in->monitor_out = o;
        }
    } else if (!strncmp(line, "ok", 2) || !strncmp(line, "error", 5)) {
        if (!strncmp(line, "ok", 2) && field(line, "insns=", v, sizeof v)) {
            /* "ok paused insns=N": exact, where a stats reply in flight may be older */
            in->insns = in->sample_insns = strtoull(v, NULL, 10);
            in->sample_t = fleet_now();
        }
        if (in->want_reply) {
            size_t len = strnlen(line, sizeof in->reply - 1);
            memcpy(in->reply, line, len);
            in->reply[len] = 0;
            in->got_reply = true;
            in->want_reply = false;
        }
    }
    /* "hello pid=N" and anything else: nothing to do */
}

/* false when the socket has closed */
static bool read_control(struct instance *in)
{
    for (;;) {
        ssize_t n = recv(in->ctl_fd, in->ctl_in + in->ctl_inlen,
                         sizeof in->ctl_in - 1 - in->ctl_inlen, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n <= 0)
            return false;
        in->ctl_inlen += (size_t)n;
        char *nl;
        while ((nl = memchr(in->ctl_in, '\n', in->ctl_inlen))) {
            *nl = 0;
            ctl_line(in, in->ctl_in);
            size_t used = (size_t)(nl + 1 - in->ctl_in);
            memmove(in->ctl_in, nl + 1, in->ctl_inlen - used);
            in->ctl_inlen -= used;
        }
        if (in->ctl_inlen == sizeof in->ctl_in - 1)
            in->ctl_inlen = 0;          /* a line that never ends: drop it */
    }
}

/* The instance connects to its socket: take the connection if it really
 * is that instance (SO_PEERCRED), then the listening socket goes. */
static void accept_control(struct instance *in)
{
    int fd = accept4(in->ctl_listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0)
        return;
    struct ucred cr;
    socklen_t len = sizeof cr;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) || cr.pid != in->pid) {
        close(fd);
        return;
    }
    in->ctl_fd = fd;
    close(in->ctl_listen);
    in->ctl_listen = -1;
    unlink(in->ctl_path);
}

/* ---- starting, stopping, reaping -------------------------------------- */

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static int listen_control(struct instance *in, char *err, size_t errlen)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strcpy(sa.sun_path, in->ctl_path);
    unlink(in->ctl_path);
    in->ctl_listen = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (in->ctl_listen < 0 || bind(in->ctl_listen, (struct sockaddr *)&sa, sizeof sa) ||
        listen(in->ctl_listen, 1)) {
        snprintf(err, errlen, "%s: control socket %s: %s", in->cfg.name, in->ctl_path,
                 strerror(errno));
        close_fd(&in->ctl_listen);
        return -1;
    }
    return 0;
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child_exec(struct fleet *f, struct instance *in, int in_r, int out_w, pid_t parent)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    setpgid(0, 0);                      /* the terminal's Ctrl-C is not for instances */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(126);
    if (dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(out_w, 2) < 0)
        _exit(126);
    if (chdir(f->dir)) {
        static const char msg[] = "hartvm fleet: cannot enter the fleet file's directory\n";
        ssize_t r = write(2, msg, sizeof msg - 1);
        (void)r;
        _exit(126);
    }
    execv("/proc/self/exe", in->argv);
    static const char msg[] = "hartvm fleet: cannot run /proc/self/exe\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    _exit(127);
}

int fleet_start(struct fleet *f, struct instance *in, char *err, size_t errlen)
{
    if (fleet_alive(in)) {
        snprintf(err, errlen, "%s is already running (pid %d)", in->cfg.name, (int)in->pid);
        return -1;
    }
    int inp[2] = { -1, -1 }, outp[2] = { -1, -1 };
    if (fleet_config_argv(in, err, errlen) || listen_control(in, err, errlen))
        return -1;
    if (pipe2(inp, O_CLOEXEC) || pipe2(outp, O_CLOEXEC)) {
        snprintf(err, errlen, "%s: pipe: %s", in->cfg.name, strerror(errno));
        goto fail;
    }
    if (in->log_fd < 0)
        log_open(f, in, false);
    in->runs++;
    char mark[128];
    int n = snprintf(mark, sizeof mark, "--- hartvm fleet: %s, run %d ---\n", in->cfg.name, in->runs);
    log_write(f, in, mark, (size_t)n);

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "%s: fork: %s", in->cfg.name, strerror(errno));
        goto fail;
    }
    if (pid == 0)
        child_exec(f, in, inp[0], outp[1], parent);
    close(inp[0]);
    close(outp[1]);
    in->pid = pid;
    in->in_fd = inp[1];
    in->out_fd = outp[0];
    fcntl(in->in_fd, F_SETFL, O_NONBLOCK);
    fcntl(in->out_fd, F_SETFL, O_NONBLOCK);
    in->ctl_fd = -1;
    in->ctl_inlen = 0;
    in->started = fleet_now();
    in->ended = 0;
    in->paused = in->guest_idle = false;
    in->paused_total = in->paused_since = 0;
    in->stop_requested = in->timed_out = in->exit_reported = false;
    in->kill_at = in->restart_at = 0;
    in->insns = in->sample_insns = 0;
    in->mips = in->cpu_pct = 0;
    in->sample_t = in->sample_cpu_t = 0;
    in->sample_ticks = 0;
    in->rss_kb = 0;
    in->result = RES_NONE;
    return 0;
fail:
    for (int i = 0; i < 2; i++) {
        close_fd(&inp[i]);
        close_fd(&outp[i]);
    }
    close_fd(&in->ctl_listen);
    unlink(in->ctl_path);
    return -1;
}

void fleet_stop(struct fleet *f, struct instance *in, double grace)
{
    (void)f;
    if (!fleet_alive(in))
        return;
    in->stop_requested = true;
    if (!ctl_send(in, "quit"))
        kill(in->pid, SIGTERM);         /* not connected (yet): the plain way */
    double at = fleet_now() + grace;
    if (!in->kill_at || at < in->kill_at)
        in->kill_at = at;
}

void fleet_kill(struct fleet *f, struct instance *in)
{
    (void)f;
    if (!fleet_alive(in))
        return;
    in->stop_requested = true;
    kill(in->pid, SIGKILL);
}

/* The process ended: read what is left, classify, maybe schedule a restart. */
static void on_exit_status(struct fleet *f, struct instance *in, int status)
{
    /* bounded: a descendant holding the pipe open must not hang us here */
    for (int k = 0; k < 64 && in->out_fd >= 0 && read_console(f, in); k++)
        ;
    if (in->ctl_fd >= 0)
        read_control(in);
    close_fd(&in->out_fd);
    close_fd(&in->in_fd);
    close_fd(&in->ctl_fd);
    close_fd(&in->ctl_listen);
    unlink(in->ctl_path);
    in->pid = 0;
    in->ended = fleet_now();
    in->kill_at = 0;
    if (in->paused)
        in->paused_total += in->ended - in->paused_since;
    in->paused = false;
    in->code = in->sig = 0;
    if (in->timed_out) {
        in->result = RES_TIMEOUT;
    } else if (WIFSIGNALED(status)) {
        in->sig = WTERMSIG(status);
        in->result = in->stop_requested ? RES_STOPPED : RES_CRASHED;
    } else {
        in->code = WEXITSTATUS(status);
        in->result = in->stop_requested ? RES_STOPPED
                   : in->code == EXIT_TRAP_LOOP || in->code == EXIT_DEAD_WAIT ? RES_STUCK
                   : in->code ? RES_FAILED : RES_PASSED;
    }
    /* f->attached stays: the console sees the instance is gone and detaches */

    char rbuf[64], *last = NULL;
    if (in->result == RES_FAILED || in->result == RES_CRASHED || in->result == RES_STUCK)
        last = fleet_tail(in, 1);
    if (last) {
        last[strcspn(last, "\r\n")] = 0;
    }
    in->stuck_msg[0] = 0;
    if (in->result == RES_STUCK && last)    /* "hartvm: hart 0: ... loops (...)" */
        snprintf(in->stuck_msg, sizeof in->stuck_msg, "%s",
                 strncmp(last, "hartvm: ", 8) ? last : last + 8);
    double secs = in->ended - in->started;
    fleet_note(f, "[%s] %s after %.2f s%s%s%s", in->cfg.name, fleet_result_text(in, rbuf, sizeof rbuf),
               secs, in->result == RES_CRASHED ? " (the emulator process was killed by a signal)" : "",
               last && *last ? ": " : "", last && *last ? last : "");
    free(last);

    bool failure = in->result == RES_FAILED || in->result == RES_CRASHED || in->result == RES_TIMEOUT ||
                   in->result == RES_STUCK;
    if (failure && in->cfg.restart == RESTART_ON_FAILURE && !f->batch && !f->quitting &&
        !in->stop_requested) {
        if (secs >= BACKOFF_RESET || in->backoff <= 0)
            in->backoff = BACKOFF_FIRST;
        else
            in->backoff = in->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : in->backoff * 2;
        in->restart_at = in->ended + in->backoff;
        fleet_note(f, "[%s] restart on failure in %.0f s", in->cfg.name, in->backoff);
    }
}

static void reap(struct fleet *f)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < f->n; i++)
            if (f->inst[i].pid == pid) {
                on_exit_status(f, &f->inst[i], status);
                break;
            }
    }
}

/* ---- statistics --------------------------------------------------------- */

/* utime + stime of pid in clock ticks, and its resident set in KiB. */
static int proc_usage(pid_t pid, unsigned long long *ticks, long *rss_kb)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')');        /* the name may hold spaces */
    if (!p)
        return -1;
    unsigned long long ut, st;
    long rss;
    /* fields 3..: state ppid pgrp session tty tpgid flags minflt cminflt
     * majflt cmajflt utime stime cutime cstime priority nice threads
     * itrealvalue starttime vsize rss */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d "
               "%*d %*u %*u %ld", &ut, &st, &rss) != 3)
        return -1;
    *ticks = ut + st;
    *rss_kb = rss * (sysconf(_SC_PAGESIZE) / 1024);
    return 0;
}

void fleet_sample(struct fleet *f)
{
    double t = fleet_now();
    long hz = sysconf(_SC_CLK_TCK);
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        if (!fleet_alive(in))
            continue;
        ctl_send(in, "stats");
        unsigned long long ticks;
        long rss;
        if (proc_usage(in->pid, &ticks, &rss))
            continue;
        if (in->sample_cpu_t > 0 && t > in->sample_cpu_t)
            in->cpu_pct = (double)(ticks - in->sample_ticks) / hz / (t - in->sample_cpu_t) * 100;
        in->sample_ticks = ticks;
        in->sample_cpu_t = t;
        in->rss_kb = rss;
    }
}

/* ---- the loop ---------------------------------------------------------- */

static double active_secs(const struct instance *in, double t)
{
    double paused = in->paused_total + (in->paused ? t - in->paused_since : 0);
    return t - in->started - paused;
}

/* Timeouts, SIGKILL after grace, restarts, samples; the next deadline. */
static double run_timers(struct fleet *f)
{
    double t = fleet_now(), next = t + 3600;
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        if (fleet_alive(in)) {
            if (in->cfg.timeout > 0 && !in->timed_out && !in->stop_requested) {
                double left = in->cfg.timeout - active_secs(in, t);
                if (left <= 0) {
                    in->timed_out = true;
                    fleet_stop(f, in, STOP_GRACE);
                } else if (!in->paused && t + left < next) {
                    next = t + left;
                }
            }
            if (in->kill_at > 0) {
                if (t >= in->kill_at) {
                    kill(in->pid, SIGKILL);
                    in->kill_at = 0;
                } else if (in->kill_at < next) {
                    next = in->kill_at;
                }
            }
        } else if (in->restart_at > 0) {
            if (f->quitting) {
                in->restart_at = 0;
            } else if (t >= in->restart_at) {
                char err[256];
                in->restart_at = 0;
                in->restarts++;
                if (fleet_start(f, in, err, sizeof err))
                    fleet_note(f, "[%s] restart failed: %s", in->cfg.name, err);
            } else if (in->restart_at < next) {
                next = in->restart_at;
            }
        }
    }
    if (t >= f->next_sample) {
        fleet_sample(f);
        f->next_sample = t + f->sample_period;
    }
    if (f->next_sample < next)
        next = f->next_sample;
    return next;
}

static void handle_signals(struct fleet *f)
{
    struct signalfd_siginfo si;
    while (read(f->sigfd, &si, sizeof si) == sizeof si) {
        switch (si.ssi_signo) {
        case SIGCHLD: reap(f); break;
        case SIGINT: f->interrupted = true; break;
        case SIGWINCH: f->winch = true; break;
        default: f->terminate = true; break;       /* SIGTERM, SIGHUP */
        }
    }
}

void fleet_step(struct fleet *f, double max_secs)
{
    double next = run_timers(f), t = fleet_now();
    double wait = next - t < max_secs ? next - t : max_secs;
    int ms = wait <= 0 ? 0 : (int)(wait * 1000) + 1;

    struct pollfd *p = calloc((size_t)f->n * 2 + 2, sizeof *p);
    struct instance **who = calloc((size_t)f->n * 2 + 2, sizeof *who);
    if (!p || !who) {
        free(p);
        free(who);
        return;
    }
    int np = 0;
    p[np++] = (struct pollfd){ .fd = f->sigfd, .events = POLLIN };
    int stdin_slot = -1;
    if (f->want_stdin && f->stdin_open && f->stdin_ready) {
        stdin_slot = np;
        p[np++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
    }
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        if (in->out_fd >= 0) {
            who[np] = in;
            p[np++] = (struct pollfd){ .fd = in->out_fd, .events = POLLIN };
        }
        int cfd = in->ctl_fd >= 0 ? in->ctl_fd : in->ctl_listen;
        if (cfd >= 0) {
            who[np] = in;
            p[np++] = (struct pollfd){ .fd = cfd, .events = POLLIN };
        }
    }
    int r = poll(p, (nfds_t)np, ms);
    if (r > 0) {
        for (int k = 1; k < np; k++) {
            struct instance *in = who[k];
            if (!p[k].revents || !in)
                continue;
            if (p[k].fd == in->out_fd) {
                if (!read_console(f, in))
                    close_fd(&in->out_fd);
            } else if (p[k].fd == in->ctl_listen) {
                accept_control(in);
            } else if (p[k].fd == in->ctl_fd) {
                if (!read_control(in))
                    close_fd(&in->ctl_fd);
            }
        }
        if (p[0].revents)
            handle_signals(f);
        if (stdin_slot >= 0 && p[stdin_slot].revents)
            f->stdin_ready(f);
    }
    free(p);
    free(who);
    run_timers(f);
}

int fleet_request(struct fleet *f, struct instance *in, const char *cmd, double secs,
                  char *err, size_t errlen)
{
    if (!fleet_alive(in)) {
        snprintf(err, errlen, "%s is not running", in->cfg.name);
        return -1;
    }
    double end = fleet_now() + secs;
    /* a just-started instance may not have connected yet */
    while (in->ctl_fd < 0 && fleet_alive(in) && fleet_now() < end)
        fleet_step(f, 0.05);
    free(in->monitor_out);
    in->monitor_out = NULL;
    in->monitor_len = 0;
    in->want_reply = true;
    in->got_reply = false;
    if (!ctl_send(in, cmd)) {
        in->want_reply = false;
        snprintf(err, errlen, "%s: no control connection", in->cfg.name);
        return -1;
    }
    bool saved = f->want_stdin;
    f->want_stdin = false;
    while (!in->got_reply && fleet_alive(in) && fleet_now() < end)
        fleet_step(f, end - fleet_now());
    f->want_stdin = saved;
    in->want_reply = false;
    if (!in->got_reply) {
        snprintf(err, errlen, "%s: no answer to '%s'%s", in->cfg.name, cmd,
                 fleet_alive(in) ? "" : " (it ended)");
        return -1;
    }
    if (!strncmp(in->reply, "ok", 2))
        return 0;
    snprintf(err, errlen, "%s", !strncmp(in->reply, "error ", 6) ? in->reply + 6 : in->reply);
    return -1;
}

/* ---- setup and teardown ------------------------------------------------- */

static int make_rundir(struct fleet *f, char *err, size_t errlen)
{
    const char *base = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (!base || base[0] != '/' || stat(base, &st) || !S_ISDIR(st.st_mode) ||
        access(base, W_OK | X_OK) || strlen(base) > 80)
        base = "/tmp";
    snprintf(f->rundir, sizeof f->rundir, "%s/hartvm-fleet-XXXXXX", base);
    if (!mkdtemp(f->rundir)) {                  /* mkdtemp makes it mode 0700 */
        snprintf(err, errlen, "cannot create a run directory in %s: %s", base, strerror(errno));
        f->rundir[0] = 0;
        return -1;
    }
    chmod(f->rundir, 0700);
    return 0;
}

static void remove_rundir(struct fleet *f)
{
    if (!f->rundir[0])
        return;
    DIR *d = opendir(f->rundir);
    if (d) {
        struct dirent *e;
        char path[600];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", f->rundir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(f->rundir);
}

/* Four descriptors per instance (console in/out, control, log): lift the
 * soft limit on open files to the hard one for large fleets. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int setup_signals(struct fleet *f, char *err, size_t errlen)
{
    raise_fd_limit();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);           /* an instance's stdin pipe may close under us */
    f->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (f->sigfd < 0) {
        snprintf(err, errlen, "signalfd: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Stop every instance and wait until all are gone (SIGKILL after grace). */
static void stop_all(struct fleet *f)
{
    f->quitting = true;
    for (int i = 0; i < f->n; i++) {
        fleet_stop(f, &f->inst[i], STOP_GRACE);
        f->inst[i].restart_at = 0;
    }
    double end = fleet_now() + STOP_GRACE + 2;
    while (fleet_running(f) && fleet_now() < end)
        fleet_step(f, 0.1);
}

static void free_fleet(struct fleet *f)
{
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        close_fd(&in->log_fd);
        free(in->argv);
        free(in->monitor_out);
        struct inst_config *c = &in->cfg;
        free(c->bios); free(c->kernel); free(c->initrd); free(c->append);
        free(c->disk); free(c->memory); free(c->drive);
        if (c->optv)
            free(c->optv[0]);
        free(c->optv);
    }
    free(f->inst);
    free(f->stdin_buf);
    if (f->sigfd >= 0)
        close(f->sigfd);
}

/* Instances, run directory, log directory. */
static int setup(struct fleet *f, struct inst_config *cfg, int n, const char *logdir,
                 char *err, size_t errlen)
{
    char real[PATH_MAX];
    if (!realpath(f->file, real)) {
        snprintf(err, errlen, "%s: %s", f->file, strerror(errno));
        return -1;
    }
    snprintf(f->dir, sizeof f->dir, "%s", dirname(real));
    f->inst = calloc((size_t)n, sizeof *f->inst);
    if (!f->inst) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    f->n = n;
    for (int i = 0; i < n; i++) {
        struct instance *in = &f->inst[i];
        in->cfg = cfg[i];
        in->out_fd = in->in_fd = in->ctl_fd = in->ctl_listen = in->log_fd = -1;
    }
    if (make_rundir(f, err, errlen))
        return -1;
    for (int i = 0; i < n; i++) {
        struct instance *in = &f->inst[i];
        size_t len = (size_t)snprintf(in->ctl_path, sizeof in->ctl_path, "%s/%s.ctl", f->rundir,
                                      in->cfg.name);
        if (len >= sizeof in->ctl_path) {
            snprintf(err, errlen, "%s: socket path too long in %s", in->cfg.name, f->rundir);
            return -1;
        }
    }
    if (logdir) {
        if (mkdir(logdir, 0700) && errno != EEXIST) {
            snprintf(err, errlen, "--log-dir %s: %s", logdir, strerror(errno));
            return -1;
        }
        if (!realpath(logdir, f->logdir)) {
            snprintf(err, errlen, "--log-dir %s: %s", logdir, strerror(errno));
            return -1;
        }
    } else {
        snprintf(f->logdir, sizeof f->logdir, "%s", f->rundir);
        f->logs_in_rundir = true;
    }
    for (int i = 0; i < n; i++) {
        log_open(f, &f->inst[i], true);
        if (f->inst[i].log_fd < 0) {
            snprintf(err, errlen, "%.400s: %s", f->inst[i].log_path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int fleet_main(int argc, char **argv)
{
    struct fleet_args args;
    char err[600];
    int r = fleet_args_parse(argc, argv, &args, stdout, err, sizeof err);
    if (r == OPT_EXIT)
        return 0;
    if (r) {
        fprintf(stderr, "hartvm fleet: %s\n", err);
        return 2;
    }
    if (!args.file) {
        opt_help(&fleet_options, stderr);
        return 2;
    }
    struct fleet fl = { .sigfd = -1, .log_max = args.log_max, .sample_period = 1.0,
                        .file = args.file, .batch = args.batch };
    struct fleet *f = &fl;
    struct inst_config *cfg;
    int n;
    if (fleet_config_load(f->file, &cfg, &n, err, sizeof err)) {
        fprintf(stderr, "hartvm fleet: %s\n", err);
        return 2;
    }
    int status;
    if (setup(f, cfg, n, args.logdir, err, sizeof err) || setup_signals(f, err, sizeof err)) {
        fprintf(stderr, "hartvm fleet: %s\n", err);
        status = 1;
        if (!f->inst)
            fleet_config_free(cfg, n);
        else
            free(cfg);
        cfg = NULL;
    } else {
        free(cfg);                      /* the strings now belong to the instances */
        status = f->batch ? fleet_batch(f, (int)args.jobs, args.json) : fleet_console(f);
        stop_all(f);
    }
    remove_rundir(f);
    free_fleet(f);
    return status;
}

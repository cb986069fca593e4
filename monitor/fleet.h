/*
 * The fleet supervisor: many guests at once, each in its own hartvm
 * process, so one guest's crash or hang never touches another.
 *
 *   hartvm fleet FILE                interactive console (fleet_console.c)
 *   hartvm fleet --batch FILE -j N   run all to completion (fleet_batch.c)
 *
 *                       supervisor (one process, one poll loop)
 *          +--------------------------------------------------------------+
 *          | fleet file (fleet_config.c)   instances[]   readline console  |
 *          +--------------------------------------------------------------+
 *            | fork + exec /proc/self/exe, one per instance
 *            v
 *   hartvm -nographic ... --control RUN/NAME.ctl
 *     stdin  <- pipe <- supervisor (attach: the user's keystrokes)
 *     stdout -> pipe -> supervisor -> RUN/NAME.log (bounded) + ring + attach
 *     stderr -> same pipe
 *     control: UNIX socket RUN/NAME.ctl (protocol in control.h)
 *
 * RUN is a private directory (mode 0700) under $XDG_RUNTIME_DIR or /tmp,
 * removed at exit. No network port is ever opened.
 *
 * fleet.c holds the process side: starting, stopping, reaping, reading
 * the pipes and sockets, timeouts, restart back-off, statistics;
 * fleet_options.c the supervisor's own command line (an option table).
 */
#ifndef MONITOR_FLEET_H
#define MONITOR_FLEET_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <termios.h>

#define FLEET_NAME_MAX 40
#define FLEET_RING (64 * 1024)          /* recent console output kept in memory */

enum restart_policy { RESTART_NEVER, RESTART_ON_FAILURE };

/* One [section] of the fleet file. */
struct inst_config {
    char name[FLEET_NAME_MAX + 16];     /* valid names are shorter: room for "-NNN" */
    int line;                           /* of its [section] header */
    char *bios, *kernel, *initrd, *append, *disk, *memory, *options;
    int harts;                          /* 0: hartvm's default */
    double timeout;                     /* seconds, 0 = none */
    enum restart_policy restart;
    int count;                          /* copies NAME-1..NAME-count (0/1: one) */
    char **optv;                        /* options, split into words */
    int optc;
    char *drive;                        /* -drive argument made from disk */
};

/* How an instance's last run ended. */
enum result {
    RES_NONE,           /* never ran */
    RES_PASSED,         /* exit status 0 */
    RES_FAILED,         /* non-zero exit status (code) */
    RES_CRASHED,        /* killed by a signal nobody here sent (sig) */
    RES_TIMEOUT,        /* ran past its timeout and was stopped */
    RES_STOPPED,        /* stopped or killed on request */
    RES_STUCK,          /* ended itself: a trap loop or a dead wait (machine/stuck.h) */
};

struct instance {
    struct inst_config cfg;
    char **argv;                        /* the command line of the instance */
    int argc;

    /* the process; pid 0 when there is none */
    pid_t pid;
    int out_fd, in_fd;                  /* its console: stdout+stderr, stdin */
    int ctl_listen, ctl_fd;             /* control socket: listening, then connected */
    char ctl_path[108];
    char ctl_in[4096];
    size_t ctl_inlen;

    /* console output */
    char ring[FLEET_RING];
    size_t ring_head;                   /* total bytes ever written */
    int log_fd;
    char log_path[4200];
    uint64_t log_bytes;

    /* times (seconds on the monotonic clock) */
    double started, ended;
    double paused_since, paused_total;
    double kill_at;                     /* SIGKILL if still alive then (0: none) */
    double restart_at;                  /* on-failure back-off ends (0: none) */
    double backoff;
    int restarts, runs;

    /* requests */
    bool stop_requested;                /* stop/kill/quit: the end is not a failure */
    bool timed_out;
    bool paused;

    /* statistics: from the control channel and /proc */
    uint64_t insns;
    char stuck_msg[200];                /* RES_STUCK: why, from its last line */
    bool guest_idle;
    double mips, cpu_pct;
    long rss_kb;
    uint64_t sample_insns;
    double sample_t, sample_cpu_t;
    unsigned long long sample_ticks;

    /* the last run's end */
    enum result result;
    int code, sig;
    bool exit_reported;                 /* the instance sent its exit line */

    /* a command waiting for its reply (fleet_request) */
    bool want_reply;
    bool got_reply;
    char reply[1100];
    char *monitor_out;                  /* "| " lines of a monitor command */
    size_t monitor_len;
};

struct fleet {
    const char *file;                   /* the fleet file */
    char dir[4096];                     /* its directory: instances run there */
    struct instance *inst;
    int n;
    char rundir[256];
    char logdir[4096];                  /* --log-dir, or rundir */
    bool logs_in_rundir;
    uint64_t log_max;                   /* bytes per log file before rotation */
    int sigfd;                          /* signalfd: SIGCHLD, SIGINT, SIGTERM, SIGHUP */
    bool batch;
    bool quitting;                      /* quit: stop all, no restarts */
    bool interrupted;                   /* SIGINT arrived */
    bool terminate;                     /* SIGTERM or SIGHUP arrived: quit */
    bool winch;                         /* the terminal changed size */
    double next_sample;
    double sample_period;

    /* the console (fleet_console.c) */
    bool interactive;                   /* readline on a terminal */
    bool quit;                          /* leave the console */
    bool in_attach;                     /* attached to f->attached (which may have ended) */
    bool tty_raw;
    struct termios saved_tty;
    bool stdin_open;
    struct instance *attached;
    bool want_stdin;                    /* poll stdin in this loop turn */
    char *stdin_buf;                    /* non-terminal input: a partial line */
    size_t stdin_len;
    void (*stdin_ready)(struct fleet *f);
    void (*note_hook)(struct fleet *f, const char *text);
};

/* fleet_options.c: the command line of `hartvm fleet` */
struct fleet_args {
    const char *file;                   /* NULL: none given (print the usage) */
    bool batch;
    long jobs;                          /* -j */
    const char *json, *logdir;
    uint64_t log_max;
};
struct opt_table;
extern const struct opt_table fleet_options;
/* argv[1..]: 0, OPT_EXIT (after --help) or -1 with err (exit status 2). */
int fleet_args_parse(int argc, char **argv, struct fleet_args *a, FILE *out, char *err,
                     size_t errlen);

/* fleet.c */
int fleet_main(int argc, char **argv);
double fleet_now(void);
int fleet_start(struct fleet *f, struct instance *in, char *err, size_t errlen);
/* A clean stop: "quit" on the control channel, SIGKILL after grace seconds. */
void fleet_stop(struct fleet *f, struct instance *in, double grace);
void fleet_kill(struct fleet *f, struct instance *in);
/* Send a command and wait up to secs for "ok"/"error": 0, or -1 with err. */
int fleet_request(struct fleet *f, struct instance *in, const char *cmd, double secs,
                  char *err, size_t errlen);
/* One turn of the event loop: wait at most max_secs for something. */
void fleet_step(struct fleet *f, double max_secs);
struct instance *fleet_find(struct fleet *f, const char *name);
bool fleet_alive(const struct instance *in);
int fleet_running(const struct fleet *f);
/* "running", "idle", "paused", "stopping", "passed", "exit 3", ... */
const char *fleet_state(const struct fleet *f, const struct instance *in, char *buf, size_t len);
/* "exit 0", "exit 3", "signal SIGSEGV", "timeout", "stopped", "trap loop", "-" */
const char *fleet_result_text(const struct instance *in, char *buf, size_t len);
const char *fleet_result_word(enum result r);
/* A message for the user (keeps the readline prompt intact). */
void fleet_note(struct fleet *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Last n lines of the console output into a malloc'd string. */
char *fleet_tail(const struct instance *in, int n);
void fleet_sample(struct fleet *f);

/* fleet_config.c: parse FILE; 0, or -1 with "FILE:LINE: reason" in err. */
int fleet_config_load(const char *path, struct inst_config **out, int *n, char *err, size_t errlen);
void fleet_config_free(struct inst_config *c, int n);
/* Build the instance's argv (pointers into cfg and ctl_path). */
int fleet_config_argv(struct instance *in, char *err, size_t errlen);

/* fleet_console.c */
int fleet_console(struct fleet *f);
/* fleet_batch.c */
int fleet_batch(struct fleet *f, int jobs, const char *json_path);

#endif

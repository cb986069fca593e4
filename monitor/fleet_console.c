/*
 * The fleet's interactive console: `hartvm fleet FILE`.
 *
 * On a terminal, GNU readline in its callback mode reads the commands, so
 * the one poll loop of fleet.c keeps serving every instance while a line
 * is being typed; messages about instances are printed above the prompt.
 * Without a terminal (a pipe, a script), commands are read line by line,
 * and the end of input quits.
 *
 * attach NAME: the terminal goes raw and the keystrokes go to the
 * instance's stdin; its console output comes to the screen. Ctrl-] (0x1d,
 * as telnet) comes back to the prompt.
 */
#define _GNU_SOURCE
#include "fleet.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>

#define DETACH 0x1d             /* Ctrl-] */
#define PROMPT "fleet> "

/* readline's callbacks (line handler, completion) carry no user data:
 * this pointer is how they find the fleet. Set once by fleet_console(). */
static struct fleet *rl_fleet;

static const char help_text[] =
    "  list | status [NAME]      state, uptime, instructions, MIPS, CPU %, RSS, last exit\n"
    "  start NAME|all            start an instance that is down\n"
    "  stop NAME|all             stop cleanly (SIGKILL if it does not end in 3 s)\n"
    "  kill NAME                 SIGKILL now\n"
    "  restart NAME              stop, then start again\n"
    "  pause NAME | resume NAME  freeze and thaw its harts (guest time stands still)\n"
    "  attach NAME               its console, interactive; Ctrl-] returns here\n"
    "  log NAME [N]              its last N console lines (default 20)\n"
    "  monitor NAME CMD...       a debugger command run inside the instance\n"
    "  gdb NAME [PORT]           the gdb stub in the instance (default: a free port, printed)\n"
    "  wait NAME [SECS]          until it ends (scripts)      sleep SECS\n"
    "  quit                      stop every instance and leave (also Ctrl-D)\n";

static const char *const commands[] = {
    "list", "status", "start", "stop", "kill", "restart", "pause", "resume", "attach", "log",
    "monitor", "gdb", "wait", "sleep", "help", "quit", NULL,
};

/* ---- printing around the prompt --------------------------------------- */

static void note_hook(struct fleet *f, const char *text)
{
    if (f->in_attach) {
        printf("\r\n[fleet] %s\r\n", text);
        fflush(stdout);
        return;
    }
    if (!f->interactive || !f->want_stdin) {
        printf("%s\n", text);
        fflush(stdout);
        return;
    }
    /* clear the line being edited, print, then redraw prompt and line */
    char *saved = rl_copy_text(0, rl_end);
    int point = rl_point;
    rl_save_prompt();
    rl_replace_line("", 0);
    rl_redisplay();
    printf("%s\n", text);
    rl_restore_prompt();
    rl_replace_line(saved, 0);
    rl_point = point;
    rl_redisplay();
    free(saved);
}

/* ---- list / status ------------------------------------------------------ */

static void fmt_rss(long kb, char *buf, size_t len)
{
    if (kb <= 0)
        snprintf(buf, len, "-");
    else if (kb < 10240)
        snprintf(buf, len, "%ldK", kb);
    else
        snprintf(buf, len, "%.1fM", kb / 1024.0);
}

static void list(struct fleet *f)
{
    int w = 4;
    for (int i = 0; i < f->n; i++) {
        int l = (int)strlen(f->inst[i].cfg.name);
        w = l > w ? l : w;
    }
    double t = fleet_now();
    printf("%-*s  %-15s %7s %8s %14s %8s %6s %7s  %s\n", w, "NAME", "STATE", "PID", "UPTIME",
           "INSTRUCTIONS", "MIPS", "CPU%", "RSS", "LAST EXIT");
    for (int i = 0; i < f->n; i++) {
        struct instance *in = &f->inst[i];
        char sbuf[32], rbuf[64], rss[16], pid[16], up[16];
        bool alive = fleet_alive(in);
        fmt_rss(alive ? in->rss_kb : 0, rss, sizeof rss);
        snprintf(pid, sizeof pid, alive ? "%d" : "-", (int)in->pid);
        snprintf(up, sizeof up, alive ? "%.1fs" : "-", t - in->started);
        const char *last = in->result == RES_NONE ? "-" : fleet_result_text(in, rbuf, sizeof rbuf);
        printf("%-*s  %-15s %7s %8s %14llu %8.2f %6.1f %7s  %s\n", w, in->cfg.name,
               fleet_state(f, in, sbuf, sizeof sbuf), pid, up, (unsigned long long)in->insns,
               alive ? in->mips : 0.0, alive ? in->cpu_pct : 0.0, rss, last);
    }
}

static void status_one(struct fleet *f, struct instance *in)
{
    char sbuf[32], rbuf[64], rss[16];
    double t = fleet_now();
    printf("%s: %s", in->cfg.name, fleet_state(f, in, sbuf, sizeof sbuf));
    if (fleet_alive(in))
        printf(", pid %d, up %.1f s", (int)in->pid, t - in->started);
    printf("\n");
    fmt_rss(in->rss_kb, rss, sizeof rss);
    printf("  instructions %llu, %.2f MIPS, CPU %.1f%%, RSS %s\n", (unsigned long long)in->insns,
           fleet_alive(in) ? in->mips : 0.0, fleet_alive(in) ? in->cpu_pct : 0.0, rss);
    if (in->result != RES_NONE)
        printf("  last exit: %s after %.2f s\n", fleet_result_text(in, rbuf, sizeof rbuf),
               in->ended - in->started);
    printf("  runs %d, restarts %d (restart = %s), timeout %s\n", in->runs, in->restarts,
           in->cfg.restart == RESTART_ON_FAILURE ? "on-failure" : "never",
           in->cfg.timeout > 0 ? (snprintf(rbuf, sizeof rbuf, "%g s", in->cfg.timeout), rbuf) : "none");
    printf("  log %s\n", in->log_path);
    if (in->argv) {
        printf("  command");
        for (int i = 0; i < in->argc; i++)
            printf(" %s", in->argv[i]);
        printf("\n");
    }
}

/* ---- attach ----------------------------------------------------------- */

static void tty_raw(struct fleet *f)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &f->saved_tty))
        return;
    struct termios t = f->saved_tty;
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;                  /* output processing stays: "\n" still returns */
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
        f->tty_raw = true;
}

static void tty_restore(struct fleet *f)
{
    if (f->tty_raw)
        tcsetattr(STDIN_FILENO, TCSANOW, &f->saved_tty);
    f->tty_raw = false;
}

static void line_handler(char *line);

static void detach(struct fleet *f, const char *why)
{
    struct instance *was = f->attached;
    f->attached = NULL;
    f->in_attach = false;
    tty_restore(f);
    printf("\n[%s%s%s]\n", why, was ? " " : "", was ? was->cfg.name : "");
    fflush(stdout);
    if (f->interactive)
        rl_callback_handler_install(PROMPT, line_handler);
}

/* Bytes typed while attached: to the instance, until Ctrl-]. Returns how
 * many were used (the rest, after a detach, are commands again). */
static size_t attach_bytes(struct fleet *f, const char *p, size_t len)
{
    size_t i = 0;
    for (; i < len && f->in_attach; ) {
        const char *stop = memchr(p + i, DETACH, len - i);
        size_t n = stop ? (size_t)(stop - (p + i)) : len - i;
        if (n && f->attached && f->attached->in_fd >= 0) {
            ssize_t w = write(f->attached->in_fd, p + i, n);
            if (w < 0 && errno == EAGAIN)
                fleet_note(f, "%s is not reading its input: %zu bytes dropped", f->attached->cfg.name, n);
        }
        i += n;
        if (stop) {
            i++;
            detach(f, "detached from");
        }
    }
    return i;
}

static void attach(struct fleet *f, struct instance *in)
{
    if (!fleet_alive(in) || in->in_fd < 0) {
        printf("attach: %s is not running\n", in->cfg.name);
        return;
    }
    if (f->interactive)
        rl_callback_handler_remove();
    printf("[attached to %s: Ctrl-] returns to the fleet console]\n", in->cfg.name);
    char *tail = fleet_tail(in, 10);    /* what the screen would show */
    if (tail) {
        fputs(tail, stdout);
        free(tail);
    }
    fflush(stdout);
    tty_raw(f);
    f->attached = in;
    f->in_attach = true;
}

/* ---- commands --------------------------------------------------------- */

static struct instance *need(struct fleet *f, const char *cmd, const char *name)
{
    if (!name || !*name) {
        printf("%s: which instance?\n", cmd);
        return NULL;
    }
    struct instance *in = fleet_find(f, name);
    if (!in)
        printf("%s: no instance named '%s' (list shows them)\n", cmd, name);
    return in;
}

static void start_one(struct fleet *f, struct instance *in)
{
    char err[512];
    in->restart_at = 0;
    if (fleet_start(f, in, err, sizeof err))
        printf("start: %s\n", err);
    else
        printf("[%s] started, pid %d\n", in->cfg.name, (int)in->pid);
}

static void do_pause(struct fleet *f, struct instance *in, bool pause)
{
    char err[256];
    const char *cmd = pause ? "pause" : "resume";
    if (pause == in->paused && fleet_alive(in)) {
        printf("%s: %s is already %s\n", cmd, in->cfg.name, pause ? "paused" : "running");
        return;
    }
    if (fleet_request(f, in, cmd, 3.0, err, sizeof err)) {
        printf("%s: %s\n", cmd, err);
        return;
    }
    double t = fleet_now();
    if (pause) {
        in->paused = true;
        in->paused_since = t;
    } else {
        in->paused_total += t - in->paused_since;
        in->paused = false;
    }
    printf("[%s] %s\n", in->cfg.name, pause ? "paused" : "resumed");
}

static void wait_end(struct fleet *f, struct instance *in, double secs)
{
    double end = fleet_now() + secs;
    bool saved = f->want_stdin;
    f->want_stdin = false;
    while (fleet_alive(in) && fleet_now() < end && !f->terminate && !f->interrupted)
        fleet_step(f, end - fleet_now());
    f->want_stdin = saved;
    if (fleet_alive(in))
        printf("wait: %s still running after %g s\n", in->cfg.name, secs);
}

static void do_monitor(struct fleet *f, struct instance *in, const char *cmd)
{
    char err[512], line[1100];
    if (!*cmd) {
        printf("monitor: which command? (monitor NAME CMD)\n");
        return;
    }
    snprintf(line, sizeof line, "monitor %s", cmd);
    int r = fleet_request(f, in, line, 10.0, err, sizeof err);
    if (in->monitor_out)
        fputs(in->monitor_out, stdout);
    if (r)
        printf("monitor: %s\n", err);
}

static void execute(struct fleet *f, char *line)
{
    char *save = NULL;
    char *cmd = strtok_r(line, " \t", &save);
    if (!cmd)
        return;
    char *arg = strtok_r(NULL, " \t", &save);
    char *rest = save ? save + strspn(save, " \t") : (char *)"";
    struct instance *in;
    if (!strcmp(cmd, "help") || !strcmp(cmd, "?")) {
        fputs(help_text, stdout);
    } else if (!strcmp(cmd, "list") || (!strcmp(cmd, "status") && !arg)) {
        list(f);
    } else if (!strcmp(cmd, "status")) {
        if ((in = need(f, cmd, arg)))
            status_one(f, in);
    } else if (!strcmp(cmd, "start") || !strcmp(cmd, "stop")) {
        bool start = cmd[2] == 'a';
        if (arg && !strcmp(arg, "all")) {
            for (int i = 0; i < f->n; i++) {
                if (start && !fleet_alive(&f->inst[i]))
                    start_one(f, &f->inst[i]);
                else if (!start) {
                    f->inst[i].restart_at = 0;
                    fleet_stop(f, &f->inst[i], 3.0);
                }
            }
        } else if ((in = need(f, cmd, arg))) {
            if (start)
                start_one(f, in);
            else if (!fleet_alive(in)) {
                in->restart_at = 0;
                printf("stop: %s is not running\n", in->cfg.name);
            } else
                fleet_stop(f, in, 3.0);
        }
    } else if (!strcmp(cmd, "kill")) {
        if ((in = need(f, cmd, arg))) {
            in->restart_at = 0;
            if (fleet_alive(in))
                fleet_kill(f, in);
            else
                printf("kill: %s is not running\n", in->cfg.name);
        }
    } else if (!strcmp(cmd, "restart")) {
        if ((in = need(f, cmd, arg))) {
            if (fleet_alive(in)) {
                fleet_stop(f, in, 3.0);
                wait_end(f, in, 6.0);
            }
            if (!fleet_alive(in))
                start_one(f, in);
        }
    } else if (!strcmp(cmd, "pause") || !strcmp(cmd, "resume")) {
        if ((in = need(f, cmd, arg)))
            do_pause(f, in, cmd[0] == 'p');
    } else if (!strcmp(cmd, "attach")) {
        if ((in = need(f, cmd, arg)))
            attach(f, in);
    } else if (!strcmp(cmd, "log")) {
        if ((in = need(f, cmd, arg))) {
            int n = *rest ? atoi(rest) : 20;
            char *tail = fleet_tail(in, n > 0 ? n : 20);
            if (tail) {
                fputs(tail, stdout);
                if (*tail && tail[strlen(tail) - 1] != '\n')
                    putchar('\n');
                free(tail);
            }
            printf("(full log: %s)\n", in->log_path);
        }
    } else if (!strcmp(cmd, "monitor")) {
        if ((in = need(f, cmd, arg)))
            do_monitor(f, in, rest);
    } else if (!strcmp(cmd, "gdb")) {
        if ((in = need(f, cmd, arg))) {
            char req[64], err[512];
            snprintf(req, sizeof req, "gdb %s", *rest ? rest : "");
            int r = fleet_request(f, in, req, 10.0, err, sizeof err);
            if (in->monitor_out)
                fputs(in->monitor_out, stdout);
            if (r)
                printf("gdb: %s\n", err);
        }
    } else if (!strcmp(cmd, "wait")) {
        if ((in = need(f, cmd, arg)))
            wait_end(f, in, *rest ? atof(rest) : 3600);
    } else if (!strcmp(cmd, "sleep")) {
        double end = fleet_now() + (arg ? atof(arg) : 1);
        bool saved = f->want_stdin;
        f->want_stdin = false;
        while (fleet_now() < end && !f->terminate && !f->interrupted)
            fleet_step(f, end - fleet_now());
        f->want_stdin = saved;
    } else if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit") || !strcmp(cmd, "q")) {
        f->quit = true;
    } else {
        printf("unknown command '%s' (help lists them)\n", cmd);
    }
    fflush(stdout);
}

/* ---- input -------------------------------------------------------------- */

static void line_handler(char *line)
{
    struct fleet *f = rl_fleet;
    if (!line) {                        /* Ctrl-D */
        printf("quit\n");
        f->quit = true;
        rl_callback_handler_remove();
        return;
    }
    if (*line)
        add_history(line);
    execute(f, line);
    free(line);
    if (f->quit || f->in_attach)
        rl_callback_handler_remove();
}

/* Terminal input while attached goes to the instance; else to readline. */
static void tty_input(struct fleet *f)
{
    if (!f->in_attach) {
        rl_callback_read_char();
        return;
    }
    char buf[1024];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) {
        if (n == 0)
            f->stdin_open = false;
        return;
    }
    size_t used = attach_bytes(f, buf, (size_t)n);
    for (ssize_t i = (ssize_t)used; i < n; i++) {  /* typed ahead after Ctrl-] */
        rl_stuff_char((unsigned char)buf[i]);
    }
    if (used < (size_t)n)
        rl_callback_read_char();
}

/* Input from a pipe: lines are commands; while attached, bytes go to the
 * instance until a Ctrl-] byte. */
static void pipe_input(struct fleet *f)
{
    char *b = realloc(f->stdin_buf, f->stdin_len + 4096 + 1);
    if (!b)
        return;
    f->stdin_buf = b;
    ssize_t n = read(STDIN_FILENO, b + f->stdin_len, 4096);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            f->stdin_open = false;
            if (f->in_attach)
                detach(f, "end of input: detached from");
            f->quit = true;             /* the script ended */
        }
        return;
    }
    f->stdin_len += (size_t)n;
    size_t off = 0;
    while (off < f->stdin_len && !f->quit) {
        if (f->in_attach) {
            off += attach_bytes(f, b + off, f->stdin_len - off);
            continue;
        }
        char *nl = memchr(b + off, '\n', f->stdin_len - off);
        if (!nl)
            break;
        *nl = 0;
        printf("%s%s\n", PROMPT, b + off);
        char *line = b + off;
        off = (size_t)(nl + 1 - b);
        execute(f, line);
    }
    memmove(b, b + off, f->stdin_len - off);
    f->stdin_len -= off;
}

/* ---- completion ------------------------------------------------------- */

/* Commands first, then instance names. The match list is built here
 * rather than by a readline generator, which would need static state. */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    struct fleet *f = rl_fleet;
    rl_attempted_completion_over = 1;
    size_t len = strlen(text), n = 0;
    char **m = calloc((size_t)f->n + sizeof commands / sizeof *commands + 2, sizeof *m);
    if (!m)
        return NULL;
    if (start == 0) {
        for (int i = 0; commands[i]; i++)
            if (!strncmp(commands[i], text, len))
                m[++n] = strdup(commands[i]);
    } else {
        for (int i = 0; i < f->n; i++)
            if (!strncmp(f->inst[i].cfg.name, text, len))
                m[++n] = strdup(f->inst[i].cfg.name);
    }
    if (n == 0) {
        free(m);
        return NULL;
    }
    /* m[0]: what replaces text, the longest prefix all matches share */
    size_t common = strlen(m[1]);
    for (size_t k = 2; k <= n; k++) {
        size_t c = 0;
        while (c < common && m[k][c] == m[1][c])
            c++;
        common = c;
    }
    m[0] = strndup(m[1], common);
    return m;
}

/* ---- the console -------------------------------------------------------- */

int fleet_console(struct fleet *f)
{
    rl_fleet = f;
    f->note_hook = note_hook;
    f->interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    f->stdin_open = true;
    int started = 0;
    for (int i = 0; i < f->n; i++) {
        char err[512];
        if (fleet_start(f, &f->inst[i], err, sizeof err))
            printf("start: %s\n", err);
        else
            started++;
    }
    printf("hartvm fleet: %d of %d instances started from %s\n", started, f->n, f->file);
    printf("run directory %s (removed at exit); logs in %s\n", f->rundir, f->logdir);
    printf("'help' lists the commands\n");
    fflush(stdout);
    if (f->interactive) {
        rl_readline_name = "hartvm-fleet";
        rl_attempted_completion_function = complete;
        rl_catch_signals = 0;           /* signals arrive through the signalfd */
        rl_catch_sigwinch = 0;
        f->stdin_ready = tty_input;
        rl_callback_handler_install(PROMPT, line_handler);
    } else {
        f->stdin_ready = pipe_input;
    }
    while (!f->quit && !f->terminate) {
        f->want_stdin = true;
        fleet_step(f, 1.0);
        f->want_stdin = false;
        if (f->in_attach && (!f->attached || !fleet_alive(f->attached)))
            detach(f, "the instance ended; detached from");
        if (f->winch) {
            f->winch = false;
            if (f->interactive)
                rl_resize_terminal();
        }
        if (f->interrupted) {
            f->interrupted = false;
            if (!f->interactive) {
                f->quit = true;
            } else if (!f->in_attach) {     /* Ctrl-C at the prompt: a fresh line */
                rl_replace_line("", 0);
                printf("^C\n");
                rl_on_new_line();
                rl_redisplay();
            }
        }
        if (!f->stdin_open && !f->quit)
            f->quit = true;
    }
    if (f->in_attach)
        detach(f, "quitting: detached from");
    if (f->interactive)
        rl_callback_handler_remove();
    tty_restore(f);
    int alive = fleet_running(f);
    if (alive)
        printf("stopping %d instance%s...\n", alive, alive == 1 ? "" : "s");
    fflush(stdout);
    f->note_hook = NULL;
    return 0;
}

/*
 * The debugger's command loop and execution control.
 *
 * The machine is either running (inside machine_run) or stopped at the
 * prompt; all harts stop together. machine_run returns MACHINE_STOPPED
 * when m->stop_requested is set: by a breakpoint or watchpoint hook, by
 * C-a c on the guest console, or by Ctrl-C when the console is elsewhere.
 * Harts are only ever stopped between instructions, with their state in
 * struct hart, so every command sees (and may change) a consistent machine.
 *
 * Input, in order: the --debug-script file, then stdin — through GNU
 * readline on a terminal (editing, history, Tab completion), as plain
 * lines otherwise (echoed after the prompt, so a transcript reads as a
 * session). When the commands run out and the machine still runs, it is
 * let go to its end with breakpoints removed (a batch job's natural end).
 *
 * Terminal sharing: when the guest console is on the same terminal, it is
 * in raw mode only while the machine runs; the prompt gets it back cooked.
 */
#define _GNU_SOURCE
#include "dbg.h"
#include <poll.h>
#include <readline/readline.h>
#include <readline/history.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROMPT "(hartvm) "
#define DEFAULT_BIOS_ELF "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf"

/* Ctrl-C while the machine runs with the console elsewhere. A signal
 * handler can reach no machine, so this flag is the one global. */
static volatile sig_atomic_t ctrl_c;

static void on_sigint(int sig)
{
    (void)sig;
    ctrl_c = 1;
}

bool dbg_running_allowed(struct debugger *d, const char *cmd)
{
    if (d->exited) {
        dbg_error(d, cmd, "the machine has exited (status %d); nothing to run", d->exit_status);
        return false;
    }
    return true;
}

void dbg_show_location(struct debugger *d, struct hart *h)
{
    char line[256];
    int len;
    dbg_disasm_line(d, h, h->pc, true, line, sizeof line, &len);
    if (d->m->nharts > 1)
        dbg_printf(d, "[hart %u %s] ", h->id, priv_name(h->priv));
    dbg_printf(d, "%s\n", line);
}

/* ---- running ------------------------------------------------------------ */

static bool brk_at_pc(struct debugger *d, struct hart *h)
{
    for (int i = 0; i < DBG_MAX_BREAKS; i++)
        if (d->brk[i].num && d->brk[i].va == h->pc)
            return true;
    return false;
}

/* Before resuming: step over a breakpoint the selected (or stopping)
 * hart sits on, as gdb does; forget the last stop. */
void dbg_prepare_resume(struct debugger *d)
{
    struct machine *m = d->m;
    for (int i = 0; i < m->nharts; i++)
        d->skip[i] = false;
    int who[2] = { d->cur, d->stop_hart };
    for (int k = 0; k < 2; k++) {
        struct hart *h = &m->harts[who[k]];
        if (brk_at_pc(d, h)) {
            d->skip[h->id] = true;
            d->skip_pc[h->id] = h->pc;
        }
    }
    d->stop = STOP_NONE;
    d->stop_brk = NULL;
    d->stop_msg[0] = 0;
    m->stuck_msg[0] = 0;
    m->stop_requested = false;
}

/* machine_run with the terminal handed to the guest (or Ctrl-C armed). */
int dbg_run_machine(struct debugger *d)
{
    struct machine *m = d->m;
    struct sigaction sa = { .sa_handler = on_sigint }, old;
    fflush(stdout);
    if (d->console_tty) {
        console_open(&m->console, 0);
        m->console.monitor_ok = true;
    }
    ctrl_c = 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    int st = machine_run(m);
    sigaction(SIGINT, &old, NULL);
    if (d->console_tty)
        console_close(&m->console);
    if (m->uart.out)
        fflush(m->uart.out);
    return st;
}

static const char *exit_text(struct machine *m, int st)
{
    if (m->exit_requested && m->exit_reason)
        return m->exit_reason;
    switch (st) {
    case 124: return "timeout";
    case 125: return "instruction limit";
    default: return "error";
    }
}

/* After machine_run (or a step) returned st: report why it stopped. */
static void after_run(struct debugger *d, int st)
{
    struct machine *m = d->m;
    brk_delete_internal(d);
    if (st != MACHINE_STOPPED) {
        d->exited = true;
        d->exit_status = st;
        d->stop = STOP_EXITED;
        dbg_printf(d, "[machine exited: status %d, %s]\n", st, exit_text(m, st));
        return;
    }
    d->stops++;
    if (d->stop == STOP_NONE) {
        d->stop = STOP_USER;
        d->stop_hart = d->cur;
        if (m->stuck_msg[0])        /* the machine stopped itself (machine/stuck.h) */
            snprintf(d->stop_msg, sizeof d->stop_msg, "Stuck: %s.", m->stuck_msg);
    }
    d->cur = d->stop_hart;
    struct hart *h = dbg_hart(d);
    const struct breakpoint *b = d->stop_brk;
    if (d->stop == STOP_BREAK && b && b->num > 0) {
        char sym[96];
        sym_format(&d->syms, h->pc, sym, sizeof sym);
        if (d->stop_msg[0])
            dbg_printf(d, "%s\n", d->stop_msg);
        dbg_printf(d, "%s %d, hart %u at 0x%llx%s%s%s\n", b->temp ? "Temporary breakpoint" : "Breakpoint",
                   b->num, h->id, (unsigned long long)h->pc, sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
        if (b->temp)
            brk_delete(d, b->num);
        d->stop_brk = NULL;
    } else if (d->stop == STOP_WATCH || d->stop == STOP_USER) {
        dbg_printf(d, "%s\n", d->stop_msg[0] ? d->stop_msg : "Stopped.");
    }
    dbg_show_location(d, h);
}

int dbg_continue(struct debugger *d)
{
    if (!dbg_running_allowed(d, "continue"))
        return -1;
    dbg_prepare_resume(d);
    after_run(d, dbg_run_machine(d));
    return 0;
}

int dbg_run_to(struct debugger *d, const char *cmd, uint64_t va)
{
    char err[200];
    if (!dbg_running_allowed(d, cmd))
        return -1;
    if (brk_add(d, va, BRK_INTERNAL, d->cur, NULL, err, sizeof err) < 0) {
        dbg_error(d, cmd, "%s", err);
        return -1;
    }
    return dbg_continue(d);
}

/* Single-step the selected hart n instructions (the others stay still). */
int dbg_step(struct debugger *d, uint64_t n, bool show)
{
    struct machine *m = d->m;
    if (!dbg_running_allowed(d, "step"))
        return -1;
    dbg_prepare_resume(d);
    struct hart *h = dbg_hart(d);
    for (uint64_t i = 0; i < n; i++) {
        if (h->wfi && !(h->mip & h->mie)) {
            dbg_printf(d, "step: hart %u is waiting for an interrupt (wfi); 'continue' lets time pass\n",
                       h->id);
            break;
        }
        uint64_t before = m->icount, mcause = h->mcause, scause = h->scause;
        uint64_t mepc = h->mepc, sepc = h->sepc;
        d->stepping = true;
        machine_step(m, h);
        d->stepping = false;
        d->steps++;
        if (m->icount == before && (h->mcause != mcause || h->scause != scause || h->mepc != mepc ||
                                    h->sepc != sepc || h->pc == (h->priv == PRV_M ? h->mtvec : h->stvec))) {
            uint64_t c = h->priv == PRV_M ? h->mcause : h->scause;
            dbg_printf(d, "hart %u took a trap: %s (cause %llu), now in %s-mode\n", h->id, hart_cause_name(c),
                       (unsigned long long)(c & ~(1ull << 63)), priv_name(h->priv));
        }
        if (m->exit_requested || m->reset_requested) {
            m->stop_requested = true;   /* let the run loop finish or reboot, run nothing */
            after_run(d, machine_run(m));
            return 0;
        }
        if (m->stop_requested)          /* a watchpoint */
            break;
    }
    m->stop_requested = false;
    if (d->stop == STOP_WATCH)
        dbg_printf(d, "%s\n", d->stop_msg);
    else
        d->stop = STOP_STEP;
    d->stop_hart = d->cur;
    if (show)
        dbg_show_location(d, h);
    return 0;
}

/* ---- hooks from the run loop -------------------------------------------- */

/*
 * The debugger as an event source of the run loop: C-a c arrives with
 * console input, Ctrl-C as a signal; a Ctrl-C that lands between this
 * poll and the idle ppoll is seen within DBG_IDLE_NS.
 */
#define DBG_IDLE_NS 100000000ull
static uint64_t dbg_max_sleep(void *ctx) { (void)ctx; return DBG_IDLE_NS; }

static void dbg_poll(void *ctx)
{
    struct machine *m = ctx;
    struct debugger *d = m->dbg;
    const char *why = NULL;
    if (!d)
        return;
    if (ctrl_c) {
        ctrl_c = 0;
        why = "Ctrl-C";
    }
    if (m->console.monitor) {
        m->console.monitor = false;
        why = "C-a c";
    }
    if (why && !m->stop_requested) {
        d->stop = STOP_USER;
        d->stop_hart = d->cur;
        snprintf(d->stop_msg, sizeof d->stop_msg, "Stopped (%s).", why);
        m->stop_requested = true;
    }
}

/* ---- input -------------------------------------------------------------- */

/* Readline completion: command names first, then registers, CSRs and
 * symbols. Readline's callbacks take no context: the debugger being
 * completed for is kept here for the duration of one readline() call. */
static struct debugger *completing;

static char *complete_word(const char *text, int state)
{
    static int index, phase;
    static size_t sym_i;
    if (!state) {
        index = phase = 0;
        sym_i = 0;
    }
    size_t len = strlen(text);
    const char *prefix = text[0] == '$' ? text + 1 : text;
    size_t plen = strlen(prefix);
    char buf[128];
    for (; phase < 3; phase++, index = 0) {
        while (phase == 0 && index < 32) {
            const char *r = dbg_xreg_names[index++];
            if (!strncmp(r, prefix, plen)) {
                snprintf(buf, sizeof buf, "%s%s", text[0] == '$' ? "$" : "", r);
                return strdup(buf);
            }
        }
        while (phase == 1 && index < 4096) {
            const char *c = csr_name((unsigned)index++);
            if (c && !strncmp(c, prefix, plen)) {
                snprintf(buf, sizeof buf, "%s%s", text[0] == '$' ? "$" : "", c);
                return strdup(buf);
            }
        }
        while (phase == 2 && completing && sym_i < completing->syms.n) {
            const char *s = completing->syms.v[sym_i++].name;
            if (!strncmp(s, text, len))
                return strdup(s);
        }
    }
    return NULL;
}

static char *complete_command(const char *text, int state)
{
    static int st;
    if (!state)
        st = 0;
    const char *name = cmd_complete_name(0, text, &st);
    return name ? strdup(name) : NULL;
}

static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;       /* never file names */
    int i = 0;
    while (i < start && rl_line_buffer[i] == ' ')
        i++;
    if (i == start)
        return rl_completion_matches(text, complete_command);
    return rl_completion_matches(text, complete_word);
}

/*
 * One line at the prompt through readline's callback interface, so that
 * while it waits the monitors on sockets and QMP are served (a `quit` from
 * one ends the wait). NULL at the end of input.
 */
#define PROMPT_POLL_MS 50
/* The handler readline's callback interface calls has no context pointer,
 * so the line comes back through these two: mutable globals, the house
 * rule's exception, as readline's own state is one per process (one
 * prompt reads at a time, like `completing` above). */
static char *prompt_line_got;
static bool prompt_line_done;

static void prompt_line_handler(char *line)
{
    prompt_line_got = line;
    prompt_line_done = true;
    rl_callback_handler_remove();
}

static char *prompt_line(struct debugger *d)
{
    struct machine *m = d->m;
    struct pollfd p[EV_MAX_SOURCES + 1];
    prompt_line_got = NULL;
    prompt_line_done = false;
    rl_callback_handler_install(PROMPT, prompt_line_handler);
    while (!prompt_line_done) {
        p[0] = (struct pollfd){ .fd = fileno(rl_instream ? rl_instream : stdin), .events = POLLIN };
        int n = 1 + ev_stopped_fds(&m->events, p + 1, EV_MAX_SOURCES);
        uint64_t ns = ev_stopped_max_sleep(&m->events);   /* a migration's pages: 0 */
        int ms = ns < PROMPT_POLL_MS * 1000000ull ? (int)(ns / 1000000) : PROMPT_POLL_MS;
        if (poll(p, (nfds_t)n, ms) > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            rl_callback_read_char();
        if (prompt_line_done)
            break;
        ev_service_stopped(&m->events);
        if (m->exit_requested) {    /* a monitor's quit */
            rl_callback_handler_remove();
            putchar('\n');
            d->quit = true;
            return NULL;
        }
    }
    return prompt_line_got;
}

/* The next command line (malloc'd), or NULL when input has run out. */
static char *read_command(struct debugger *d)
{
    char *line = NULL;
    size_t cap = 0;
    for (;;) {
        FILE *f = d->script ? d->script : d->stdin_cmds && !d->interactive ? stdin : NULL;
        if (f) {
            ssize_t n = getline(&line, &cap, f);
            if (n < 0) {
                if (f == d->script) {
                    fclose(d->script);
                    d->script = NULL;
                } else {
                    d->stdin_cmds = false;
                }
                continue;
            }
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                line[--n] = 0;
            printf("%s%s\n", PROMPT, line);     /* the transcript shows what ran */
            return line;
        }
        free(line);
        if (!d->stdin_cmds)
            return NULL;
        fflush(stdout);
        completing = d;
        line = prompt_line(d);
        completing = NULL;
        if (!line && d->quit)
            return NULL;
        if (!line) {
            d->stdin_cmds = false;
            putchar('\n');
            return NULL;
        }
        if (line[strspn(line, " \t")])
            add_history(line);
        return line;
    }
}

/* ---- setup ---------------------------------------------------------------- */

static void load_symbols(struct debugger *d, const char *path, bool quiet)
{
    char err[300];
    int n = sym_load(&d->syms, path, 0, err, sizeof err);
    if (n >= 0 && !quiet)
        dbg_printf(d, "Loaded %d symbols from %s\n", n, path);
}

/* Symbols of -bios and -kernel, when they are ELF files; Debian's default
 * firmware image has an ELF twin beside it. */
static void autoload_symbols(struct debugger *d, bool quiet)
{
    const struct options *o = &d->m->opt;
    const char *bios = o->bios ? o->bios : "default";
    if (!strcmp(bios, "default")) {
        if (access(DEFAULT_BIOS_ELF, R_OK) == 0)
            load_symbols(d, DEFAULT_BIOS_ELF, quiet);
    } else if (strcmp(bios, "none")) {
        load_symbols(d, bios, quiet);
    }
    if (o->kernel)
        load_symbols(d, o->kernel, quiet);
}

static void add_debugger_source(struct machine *m)
{
    ev_add(&m->events, &(struct ev_source){
        .name = "debugger", .ctx = m, .service = dbg_poll, .period_ns = EV_POLL_NS,
        .max_sleep_ns = dbg_max_sleep });
}

/* The end of a session: breakpoints, symbols, the event source and the
 * hooks go with the debugger. */
static void debugger_free(struct debugger *d)
{
    struct machine *m = d->m;
    brk_delete_all(d);
    sym_free(&d->syms);
    ev_remove(&m->events, "debugger");
    dbg_detach(d);
    free(d);
    fflush(stdout);
}

/* gdb drives the machine (the console debugger's commands reach it
 * through gdb's `monitor`); C-a c and Ctrl-C on hartvm's own terminal stop
 * it and gdb hears of the stop. */
static int gdb_main(struct debugger *d, bool console_tty)
{
    struct machine *m = d->m;
    char err[300];
    int status = 1;
    d->console_tty = console_tty;
    m->console.monitor_ok = true;
    if (d->console_tty)
        console_close(&m->console);
    autoload_symbols(d, true);
    if (gdb_open(d, m->opt.gdb, err, sizeof err))
        fprintf(stderr, "hartvm: %s\n", err);
    else
        status = gdb_run(d, m->opt.freeze, false);
    gdb_close(d);
    debugger_free(d);
    return status;
}

int debugger_main(struct machine *m)
{
    const struct options *o = &m->opt;
    bool gdb = o->gdb != NULL;
    bool frozen = o->debug || o->debug_script || (o->freeze && !gdb);  /* -S alone: the prompt */
    bool wanted = frozen || o->monitor_stdio;
    bool tty = isatty(0);
    bool console_on_stdin = !o->serial_file && m->console.fd == 0;
    if (!wanted && !gdb && !(tty && console_on_stdin)) {
        int st = machine_run(m);        /* nothing could ever reach a prompt */
        /* ... but the fleet's `gdb NAME` may have started the stub (control.c):
         * its connection stopped the machine, and gdb drives it from here */
        if (st == MACHINE_STOPPED && m->dbg && m->dbg->gdb)
            st = gdb_run(m->dbg, false, false);
        return st;
    }

    struct debugger *d = calloc(1, sizeof *d);
    if (!d) {
        fprintf(stderr, "hartvm: out of memory\n");
        return 1;
    }
    d->m = m;
    dbg_attach(d);
    add_debugger_source(m);
    if (gdb)
        return gdb_main(d, tty && console_on_stdin);
    if (o->debug_script && !(d->script = fopen(o->debug_script, "r"))) {
        fprintf(stderr, "hartvm: --debug-script %s: cannot open\n", o->debug_script);
        debugger_free(d);
        return 2;
    }
    /* Commands from stdin: always on a terminal; from a pipe or file only
     * when asked for a debugger (not for C-a c alone). */
    d->stdin_cmds = tty || wanted;
    d->interactive = tty;
    d->console_tty = tty && console_on_stdin;
    m->console.monitor_ok = true;
    if (console_on_stdin && !tty && d->stdin_cmds)
        m->console.fd = -1;             /* stdin carries commands, not guest input */
    console_close(&m->console);         /* cooked terminal for the prompt */
    rl_readline_name = "hartvm";
    rl_attempted_completion_function = complete;

    autoload_symbols(d, !wanted);
    if (frozen) {
        d->stop = STOP_USER;
        dbg_printf(d, "hartvm debugger: machine stopped at reset; 'help' lists the commands\n");
        dbg_show_location(d, dbg_hart(d));
    } else {
        dbg_continue(d);
    }
    while (!d->quit && !(d->exited && !wanted)) {
        char *line = read_command(d);
        if (!line)
            break;
        cmd_execute(d, line);
        free(line);
        fflush(stdout);
    }
    if (!d->quit && !d->exited) {
        /* Commands ran out: let the machine go to its end. */
        if (wanted)
            dbg_printf(d, "[end of commands: the machine runs on]\n");
        brk_delete_all(d);
        trace_stop(d);
        d->console_tty = tty && console_on_stdin;
        dbg_continue(d);
        while (!d->exited && !d->quit) /* only C-a c / Ctrl-C stop it now */
            dbg_continue(d);
    }
    int status = d->exited ? d->exit_status : 0;
    trace_stop(d);
    debugger_free(d);
    return status;
}

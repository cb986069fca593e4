/* Debugger commands for front ends that do not drive the machine (session.h). */
#define _GNU_SOURCE             /* open_memstream */
#include "session.h"
#include "dbg.h"
#include <stdlib.h>
#include <string.h>

/* Commands that look at or set state: they need no run loop of their own. */
static const char *const allowed[] = {
    "info", "i", "print", "p", "set", "x", "xp", "disassemble", "disas", "dis", "backtrace",
    "bt", "where", "hart", "thread", "vtop", "pagetable", "pt", "mode", "symbols", "sym",
    "symbol-file", "stats", "help", "h", "?", "screendump", "commit", "migrate", "migrate_cancel",
    "set_link", NULL,
};

static bool listed(const char *const *names, const char *cmd, size_t n)
{
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == n && !strncmp(cmd, names[i], n))
            return true;
    return false;
}

struct debugger *session_debugger(struct mon_session *s)
{
    if (s->d)
        return s->d;
    struct debugger *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->m = s->m;                        /* not attached: m->dbg is not this one */
    d->stop = STOP_USER;
    char err[256];
    const char *bios = s->m->opt.bios;
    if (bios && strcmp(bios, "none") && strcmp(bios, "default"))
        sym_load(&d->syms, bios, 0, err, sizeof err);
    if (s->m->opt.kernel)
        sym_load(&d->syms, s->m->opt.kernel, 0, err, sizeof err);
    s->d = d;
    return d;
}

/* QEMU's run-state commands; false when cmd is none of them. */
static bool run_state(struct mon_session *s, const char *cmd, size_t n)
{
    struct machine *m = s->m;
    static const char *const resume[] = { "cont", "c", "continue", NULL };
    static const char *const quit[] = { "quit", "q", NULL };
    if (n == 4 && !strncmp(cmd, "stop", 4))
        machine_pause(m, true);
    else if (listed(resume, cmd, n))
        machine_pause(m, false);
    else if (n == 12 && !strncmp(cmd, "system_reset", 12))
        machine_request_reset(m);
    else if (listed(quit, cmd, n))
        machine_request_exit(m, 0, SESSION_QUIT_REASON);
    else
        return false;
    return true;
}

char *session_run(struct mon_session *s, const char *line, bool *ok)
{
    char *text = NULL, *cmd = strdup(line);
    size_t len = 0;
    FILE *f = cmd ? open_memstream(&text, &len) : NULL;
    *ok = false;
    if (!f) {
        free(cmd);
        return NULL;
    }
    char *c = cmd + strspn(cmd, " \t");
    size_t n = strcspn(c, " \t/");
    struct debugger *d = session_debugger(s);
    if (!n) {
        *ok = true;
    } else if (s->run_state && run_state(s, c, n)) {
        *ok = true;
    } else if (!cmd_known(c, n)) {
        fprintf(f, "unknown command: '%.*s' (help lists them)\n", (int)n, c);
    } else if (!listed(allowed, c, n)) {
        fprintf(f, "'%.*s' runs or stops the machine: not available here "
                "(use hartvm --debug or -monitor stdio for that)\n", (int)n, c);
    } else if (!d) {
        fprintf(f, "out of memory\n");
    } else {
        d->out = f;
        cmd_execute(d, c);
        d->out = NULL;
        *ok = true;
    }
    fclose(f);
    free(cmd);
    return text;
}

void session_free(struct mon_session *s)
{
    struct debugger *d = s->d;
    if (!d)
        return;
    gdb_close(d);
    if (s->m->dbg == d)
        dbg_detach(d);
    brk_delete_all(d);
    sym_free(&d->syms);
    free(d);
    s->d = NULL;
}

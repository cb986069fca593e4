/*
 * The line monitor on a socket or pty (monitors.h): QEMU's monitor shape
 * with the debugger's commands (session.h). A greeting and the prompt,
 * then for each line its text and the prompt again; lines end in CR LF
 * as QEMU's monitor writes them, and either LF or CR LF is taken.
 */
#include "monitors.h"
#include <stdlib.h>
#include <string.h>

#define PROMPT "(hartvm) "

static void put(struct mon_front *f, const char *s, size_t n)
{
    chr_write(f->chr, s, n);
}

/* text with each "\n" sent as "\r\n" */
static void put_lines(struct mon_front *f, const char *text)
{
    for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
        put(f, text, (size_t)(nl - text));
        put(f, "\r\n", 2);
    }
    put(f, text, strlen(text));
}

void hmp_greet(struct mon_front *f)
{
    put_lines(f, "hartvm monitor - type 'help' for more information\n" PROMPT);
}

void hmp_prompt(struct mon_front *f)
{
    put_lines(f, "\n" PROMPT);
}

static void run_line(struct mon_front *f, char *line)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = 0;
    bool ok;
    char *text = session_run(&f->s, line, &ok);
    put_lines(f, text ? text : "out of memory\n");
    free(text);
    put(f, PROMPT, strlen(PROMPT));
}

void hmp_input(struct mon_front *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\n') {
            if (f->inlen < sizeof f->in - 1)
                f->in[f->inlen++] = p[i];
            else
                f->overflow = true;
            continue;
        }
        f->in[f->inlen] = 0;
        if (f->overflow)
            put_lines(f, "the line is too long: ignored\n" PROMPT);
        else
            run_line(f, f->in);
        f->inlen = 0;
        f->overflow = false;
        if (f->chr->fd < 0 || (f->mux && !f->m->console.mux_monitor))
            return;             /* the client went while we answered, or C-a c */
    }
}

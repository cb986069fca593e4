/*
 * The debugger's output and its selected hart: apart from the command
 * loop (debugger.c, GNU readline), so that the pieces that only print
 * (breakpoints, expressions, the trace) link without readline.
 */
#include "dbg.h"
#include <stdarg.h>

void dbg_printf(struct debugger *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d && d->out ? d->out : stdout, fmt, ap);
    va_end(ap);
}

void dbg_error(struct debugger *d, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    FILE *f = d && d->out ? d->out : stdout;
    fflush(stdout);
    fprintf(f, "%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

struct hart *dbg_hart(struct debugger *d)
{
    return &d->m->harts[d->cur];
}

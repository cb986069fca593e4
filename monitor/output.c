/*
 * The debugger's output and its selected hart: apart from the command
 * loop (debugger.c, GNU readline), so that the pieces that only print
 * (breakpoints, expressions, the trace) link without readline.
 */
#include "dbg.h"
#include <stdarg.h>

void dbg_printf(struct debugger *d, const char *fmt, ...)
{
    (void)d;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

void dbg_error(struct debugger *d, const char *cmd, const char *fmt, ...)
{
    (void)d;
    va_list ap;
    fflush(stdout);
    printf("%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    putchar('\n');
}

struct hart *dbg_hart(struct debugger *d)
{
    return &d->m->harts[d->cur];
}

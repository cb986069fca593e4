/*
 * The debugger's side of the core's hooks (cpu/hooks.h): attaching fills
 * them in with the debugger as their context, detaching empties them, so
 * the core never calls into a debugger that is gone. The control channel's
 * debugger (monitor/control.c) runs commands without attaching: it stops
 * nothing.
 */
#include "dbg.h"

void dbg_attach(struct debugger *d)
{
    struct core_hooks *k = &d->m->core.hooks;
    d->m->dbg = d;
    k->dbg = d;
    k->break_at = dbg_break_at;
    k->break_hit = dbg_break_hit;
    k->watch_page = dbg_watch_page;
    k->watch_access = dbg_watch_access;
    k->trace_before = dbg_trace_before;
    k->trace_after = dbg_trace_after;
    k->translation_changed = dbg_translation_changed;
}

void dbg_detach(struct debugger *d)
{
    struct core_hooks *k = &d->m->core.hooks;
    d->m->dbg = NULL;
    *k = (struct core_hooks){ .board = k->board, .mtime = k->mtime };   /* the board's stay */
}

/*
 * savevm FILE and loadvm FILE at the debugger prompt (QEMU's monitor
 * names): the whole machine to a snapshot file and back
 * (machine/snapshot.h). loadvm checks everything before it changes
 * anything; after it the machine is at the saved instruction, stopped.
 */
#include "dbg.h"
#include "../machine/snapshot.h"
#include <ctype.h>
#include <string.h>
#include <time.h>

static const char *file_arg(struct debugger *d, const char *name, char *args)
{
    while (isspace((unsigned char)*args))
        args++;
    if (!*args) {
        dbg_error(d, name, "need a file name");
        return NULL;
    }
    return args;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* savevm or loadvm FILE, timed. */
static bool file_cmd(struct debugger *d, const char *name, char *args, bool load)
{
    const char *file = file_arg(d, name, args);
    char err[512];
    if (!file)
        return false;
    double t0 = now_s();
    if ((load ? snapshot_read_file : snapshot_write_file)(d->m, file, err, sizeof err)) {
        dbg_error(d, name, "%s", err);
        return false;
    }
    dbg_printf(d, load ? "Snapshot %s loaded (%.3f s).\n" : "Snapshot written to %s (%.3f s).\n",
               file, now_s() - t0);
    return true;
}

void cmd_savevm(struct debugger *d, const char *name, char *args)
{
    file_cmd(d, name, args, false);
}

void cmd_loadvm(struct debugger *d, const char *name, char *args)
{
    if (!file_cmd(d, name, args, true))
        return;
    d->exited = false;          /* a machine that had ended runs again */
    d->stop = STOP_USER;
    d->stop_brk = NULL;
    dbg_show_location(d, dbg_hart(d));
}

/*
 * savevm FILE and loadvm FILE at the debugger prompt (QEMU's monitor
 * names): the whole machine to a snapshot file and back
 * (machine/snapshot.h). loadvm checks everything before it changes
 * anything; after it the machine is at the saved instruction, stopped.
 * migrate URI, migrate_cancel and info migrate drive a live migration
 * (machine/migrate.h); migrate file:FILE is savevm FILE.
 */
#include "dbg.h"
#include "../machine/snapshot.h"
#include "../machine/migrate.h"
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

void cmd_migrate(struct debugger *d, const char *name, char *args)
{
    const char *uri = file_arg(d, name, args);
    char err[512];
    if (!uri)
        return;
    if (!strncmp(uri, "file:", 5)) {
        file_cmd(d, name, (char *)uri + 5, false);
        return;
    }
    if (!strncmp(uri, "-d ", 3))        /* QEMU's detach flag: ours never waits */
        uri = file_arg(d, name, (char *)uri + 3);
    if (!uri)
        return;
    if (migrate_start(d->m, uri, err, sizeof err)) {
        dbg_error(d, name, "%s", err);
        return;
    }
    dbg_printf(d, "Migrating to %s ('info migrate' shows how far; it goes on while the machine "
               "runs or waits here).\n", uri);
}

void cmd_migrate_cancel(struct debugger *d, const char *name, char *args)
{
    (void)args;
    if (migrate_cancel(d->m))
        dbg_error(d, name, "no migration is running");
}

void info_migrate(struct debugger *d)
{
    char buf[1024];
    migrate_info(d->m, buf, sizeof buf);
    dbg_printf(d, "%s", buf);
}

/*
 * The monitors of -monitor, -qmp and -mon on a character device other than
 * stdio (stdio's is the debugger console, monitor/debugger.c). Each is an
 * event source of the run loop (machine/events.h): its client's bytes are
 * read between turns and each complete command runs there (session.h), so
 * the guest never waits for a client and a client that floods, stalls or
 * hangs up only loses its own output.
 *
 *   line monitor (hmp.c)  a greeting and "(hartvm) ", then one debugger
 *                         command per line, its text after it
 *   QMP (qmp.c)           QEMU's greeting, qmp_capabilities, commands and
 *                         events as JSON objects, one a line
 */
#ifndef MONITOR_MONITORS_H
#define MONITOR_MONITORS_H
#include <stdbool.h>
#include <stddef.h>
#include "../machine/machine.h"
#include "session.h"

#define MON_IN_MAX 65536        /* a command line or QMP object at most this long */

struct mon_front {
    struct machine *m;
    struct chardev *chr;        /* own_chr, or the serial port's (mux=on) */
    struct chardev own_chr;
    bool mux;                   /* shares the serial port's device: input from the console */
    bool greeted;
    struct mon_session s;
    bool qmp;
    char name[24];              /* the event source's: "monitor0" */
    char label[CHR_ID_LEN + 16];    /* the device's, as QEMU names it: "compat_monitor0" or its id */
    char in[MON_IN_MAX];        /* what arrived of the next command */
    size_t inlen;
    bool overflow;              /* the current line outgrew in[]: skip to its end */
    /* QMP */
    bool negotiated;            /* qmp_capabilities done */
    bool was_paused;            /* the run state the client last heard of (STOP, RESUME) */
    int depth;                  /* framing: open braces and brackets */
    bool in_str, esc;           /* ... inside a string, after a backslash */
};

struct monitors {
    struct mon_front *f[CHR_MAX];
    int n;
};

/* Open every monitor the options name (a waiting server takes its client
 * now); -1 with err. With -S (and no gdb or debugger) the machine starts
 * paused: a monitor's cont starts it. */
int monitors_open(struct machine *m, char *err, size_t errlen);
/* The run ended with status: QMP clients hear SHUTDOWN; all close. */
void monitors_close(struct machine *m, int status);

/* hmp.c: the line monitor */
void hmp_greet(struct mon_front *f);
void hmp_input(struct mon_front *f, const char *p, size_t n);
void hmp_prompt(struct mon_front *f);
/* qmp.c */
void qmp_greet(struct mon_front *f);
void qmp_input(struct mon_front *f, const char *p, size_t n);
/* STOP or RESUME if the run state changed since the client last heard. */
void qmp_sync_events(struct mon_front *f);
void qmp_shutdown(struct mon_front *f, bool guest);
/* A client hung up: its half-read command goes. */
void mon_reset_input(struct mon_front *f);
#endif

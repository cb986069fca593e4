/*
 * A monitor session: debugger commands run between turns of the run loop
 * for a front end that does not drive the machine (a -monitor socket, QMP's
 * human-monitor-command, the fleet's `monitor`). Its debugger is never
 * attached (no breakpoints); QEMU's run-state commands act on the machine:
 *
 *   stop            machine_pause: nothing runs, time stands still
 *   cont, c         resume
 *   system_reset    reboot (with -no-reboot: the end, as QEMU's)
 *   quit, q         end the run, status 0
 *   info status     "VM status: running" or "paused"
 *
 * Commands that run the machine under the debugger's own loop (step,
 * next, break, ...) are refused with a reason.
 */
#ifndef MONITOR_SESSION_H
#define MONITOR_SESSION_H
#include <stdbool.h>

/* The exit reason of a monitor's quit (QMP said SHUTDOWN already). */
#define SESSION_QUIT_REASON "quit from a monitor"

struct machine;
struct debugger;

struct mon_session {
    struct machine *m;
    struct debugger *d;         /* made on first use, with the images' symbols */
    bool run_state;             /* stop, cont, system_reset, quit allowed (not for the fleet) */
};

/* The text of one command line (malloc'd, "" for none; NULL when out of
 * memory); *ok false when the command was refused or unknown. */
char *session_run(struct mon_session *s, const char *line, bool *ok);
void session_free(struct mon_session *s);
/* The session's debugger (made now if need be), or NULL when out of memory. */
struct debugger *session_debugger(struct mon_session *s);
#endif

/*
 * The control channel of one hartvm instance run by the fleet supervisor
 * (monitor/fleet*.c). With --control SOCKET the instance connects to the
 * supervisor's UNIX socket and answers one-line commands, read between
 * turns of the run loop:
 *
 *   supervisor -> instance         instance -> supervisor
 *   stats                          stats insns=N state=running|idle|paused harts=N
 *   pause                          ok paused insns=N (the run loop blocks until resume)
 *   resume                         ok running
 *   quit                           ok quitting      (the run ends, exit status 0)
 *   monitor CMD                    "| line" of output..., then ok / error REASON
 *                                  (debugger commands that inspect or set state;
 *                                  those that run the machine are refused)
 *   gdb [PORT]                     "| gdb: listening on :PORT ...", then ok (PORT 0 or
 *                                  none: a free port); gdb drives the instance from then on
 *   (anything else)                error REASON
 *                                  hello pid=N      once, on connecting
 *                                  exit status=N insns=N reason=TEXT   once, at the end
 *
 * Without --control, m->control is NULL and the run loop has no such source.
 */
#ifndef MONITOR_CONTROL_H
#define MONITOR_CONTROL_H
#include <stddef.h>
#include "../machine/machine.h"

/* Connect m to the supervisor's socket at path; -1 with err set. */
int control_open(struct machine *m, const char *path, char *err, size_t errlen);
/* Once open, the channel is an event source of the run loop (events.h):
 * commands are read between turns, and an idle machine wakes on the
 * socket for a command or the supervisor's end. */
/* The run ended with process exit status: report it and close. */
void control_close(struct machine *m, int status);

#endif

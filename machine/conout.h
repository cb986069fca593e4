/*
 * Console output that never blocks the emulator.
 *
 * The UART (and HTIF's putchar) write to a FILE; conout_open wraps an output
 * file descriptor in one (fopencookie) that:
 *   - never blocks on a pipe, FIFO or socket nobody drains: such an fd is
 *     reopened non-blocking (a new open file description, so the shell's
 *     flags are untouched) and what it cannot take waits in a bounded
 *     buffer (CONOUT_RING bytes); beyond that, output is dropped and
 *     counted, and hartvm says so once on stderr. --timeout, the debugger
 *     and the fleet supervisor keep working while the guest floods;
 *   - counts every byte the guest sends and, past --serial-limit, ends the
 *     instance (machine_request_exit with EXIT_SERIAL_LIMIT).
 * Regular files are written as they are (they do not block forever).
 */
#ifndef MACHINE_CONOUT_H
#define MACHINE_CONOUT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct machine;
struct conout;
#define CONOUT_RING (1u << 20)
#define EXIT_SERIAL_LIMIT 123       /* --serial-limit exceeded */

/* A FILE for output to fd (which stays the caller's); limit 0 = unlimited.
 * NULL on error. *state: the wrapper, for the calls below (NULL with a
 * NULL FILE; freed by fclose). */
FILE *conout_open(struct machine *m, int fd, uint64_t limit, struct conout **state);
/* Held-back output is sent only when the guest writes again or the run
 * loop asks: conout_drain sends what the fd takes now (never blocks), and
 * conout_wait_fd is the fd an idle machine waits on for POLLOUT while
 * output is held back (-1: nothing held back, or c NULL). A reader that
 * has gone (write error) loses the held-back bytes, counted as dropped. */
void conout_drain(struct conout *c);
/* A FILE for a connection that comes and goes (a socket client, a pty's
 * reader, machine/chardev.h): output goes to the fd conout_set_fd names
 * (non-blocking, owned by the caller) and is dropped while it is -1, as
 * QEMU drops what a disconnected chardev is sent. */
FILE *conout_open_switched(struct machine *m, uint64_t limit, struct conout **state);
void conout_set_fd(struct conout *c, int fd);
/* C-a t: each line the guest writes from now on starts with the time
 * since the first stamped line, "[HH:MM:SS.mmm] " as QEMU's mux writes it
 * (c NULL: nothing). */
void conout_timestamps(struct conout *c, bool on);
int conout_wait_fd(const struct conout *c);
#endif

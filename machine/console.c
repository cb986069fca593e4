/*
 * Console input. stdin is read without blocking from the run loop; on a
 * terminal it is switched to raw mode (no echo, no line editing, no
 * signals: Ctrl-C goes to the guest) and restored when the console is
 * closed. Output post-processing stays on, as QEMU keeps it. A pipe works
 * too; at its end input simply stops.
 *
 * Escapes, as QEMU's -nographic console: Ctrl-A x quits, Ctrl-A h prints
 * help, Ctrl-A b sends a break, Ctrl-A s flushes the disks, Ctrl-A t
 * toggles timestamps on the guest's lines, Ctrl-A Ctrl-A sends a Ctrl-A to
 * the guest (console_events.c acts on the flags).
 */
#include "console.h"
#include "dev/uart.h"
#include <poll.h>
#include <stdio.h>
#include <unistd.h>
#include <errno.h>

#define CTRL_A 0x01

void console_open(struct console *c, int fd)
{
    *c = (struct console){ .fd = fd };
    if (fd < 0 || !isatty(fd) || tcgetattr(fd, &c->saved))
        return;
    struct termios t = c->saved;
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB)) | CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &t) == 0)
        c->raw = true;
}

void console_close(struct console *c)
{
    if (c->raw)
        tcsetattr(c->fd, TCSANOW, &c->saved);
    c->raw = false;
}

/* One byte from the host: an escape, or for the guest. */
static void host_byte(struct console *c, uint8_t b)
{
    if (c->no_escapes) {
        ;                       /* a chardev without mux=on: every byte is the guest's */
    } else if (c->escape) {
        c->escape = false;
        switch (b) {
        case 'x': case 'X':
            fprintf(stderr, "\r\nhartvm: terminated (C-a x)\r\n");
            c->quit = true;
            return;
        case 'h': case 'H': case '?':
            c->help = true;
            return;
        case 'b': case 'B':
            c->send_break = true;
            return;
        case 's': case 'S':
            c->flush_disks = true;
            return;
        case 't': case 'T':
            c->stamps = !c->stamps;
            return;
        case 'c':               /* to the debugger (monitor/debugger.c) */
            if (c->mux_input) {
                c->mux_monitor = !c->mux_monitor;
                c->mux_focus(c->mux_ctx, c->mux_monitor);
            } else if (c->monitor_ok)
                c->monitor = true;
            else
                fprintf(stderr, "\r\nhartvm: no monitor in this run\r\n");
            return;
        case CTRL_A:
            break;          /* send one C-a */
        default:
            return;
        }
    } else if (b == CTRL_A) {
        c->escape = true;
        return;
    }
    if (c->mux_monitor) {
        c->mux_input(c->mux_ctx, &b, 1);
        return;
    }
    c->buf[(c->head + c->count) % sizeof c->buf] = b;
    c->count++;
}

void console_input(struct console *c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        host_byte(c, p[i]);
}

int console_take(struct console *c)
{
    if (!c->count)
        return -1;
    int b = c->buf[c->head];
    c->head = (c->head + 1) % sizeof c->buf;
    c->count--;
    return b;
}

void console_feed(struct console *c, struct uart *u)
{
    while (c->count && !c->hold && uart_rx_room(u))
        uart_receive(u, (uint8_t)console_take(c));
}

void console_poll(struct console *c, struct uart *u)
{
    if (c->fd >= 0 && c->count < sizeof c->buf) {
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        if (poll(&p, 1, 0) > 0) {
            uint8_t tmp[sizeof c->buf];
            ssize_t n = read(c->fd, tmp, sizeof c->buf - c->count);
            if (n > 0)
                console_input(c, tmp, (size_t)n);
            else if (n == 0 || (errno != EAGAIN && errno != EINTR))
                c->fd = c->raw ? c->fd : -1;    /* end of a pipe or file */
        }
    }
    console_feed(c, u);
}

int console_wait_fd(const struct console *c, const struct uart *u)
{
    if (c->fd < 0 || c->count >= sizeof c->buf)
        return -1;
    (void)u;
    return c->fd;
}

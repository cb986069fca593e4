#ifndef MACHINE_CONSOLE_H
#define MACHINE_CONSOLE_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <termios.h>
struct uart;

/* The host side of the serial console: stdin in raw mode (when it is a
 * terminal) feeding the UART, with QEMU's Ctrl-A escapes. */
struct console {
    int fd;                     /* input, -1 when none or at end of file */
    bool raw;                   /* terminal settings changed: restore them */
    struct termios saved;
    bool no_escapes;            /* a -serial device without mux: Ctrl-A is a byte too */
    bool escape;                /* the previous byte was Ctrl-A */
    bool quit;                  /* Ctrl-A x */
    bool help;                  /* Ctrl-A h: the escapes listed on the console, once */
    bool send_break;            /* Ctrl-A b: a break to the UART, once */
    bool flush_disks;           /* Ctrl-A s: the drives to their files, once */
    bool stamps;                /* Ctrl-A t: timestamps on the guest's lines */
    bool monitor_ok;            /* a debugger listens (monitor/) */
    bool monitor;               /* Ctrl-A c: switch to the debugger */
    /* mux=on on a socket or pty: C-a c hands the input to a monitor that
     * shares the device (monitor/monitors.c) and back */
    void (*mux_input)(void *ctx, const uint8_t *p, size_t n);   /* NULL: none */
    void (*mux_focus)(void *ctx, bool monitor);                 /* after each switch */
    void *mux_ctx;
    bool mux_monitor;           /* input goes to the monitor now */
    bool hold;                  /* semihosting's SYS_READC waits: keep input from the UART */
    uint8_t buf[256];           /* read, not yet accepted by the UART */
    unsigned head, count;
};
/* fd: the input descriptor (0 for stdin) or -1 for none. */
void console_open(struct console *c, int fd);
void console_close(struct console *c);
/* Read what is available without blocking and hand it to the UART. */
void console_poll(struct console *c, struct uart *u);
/* Bytes from the host (escapes taken out), and handing them to the UART:
 * console_poll's halves, for input that comes another way (chardev.h). */
void console_input(struct console *c, const uint8_t *p, size_t n);
void console_feed(struct console *c, struct uart *u);
/* The oldest byte not yet handed to the UART, or -1 (semihosting's SYS_READC). */
int console_take(struct console *c);
/* The descriptor to wait on while idle, or -1. */
int console_wait_fd(const struct console *c, const struct uart *u);
#endif

/*
 * The console as two event sources (events.h): input from the host
 * terminal or pipe into the UART, and output a full pipe held back.
 */
#include "machine_priv.h"
#include "conout.h"
#include <poll.h>

/* C-a h: on the console itself, as QEMU's mux writes it. */
static void help(FILE *out)
{
    fputs("\r\nC-a h    print this help\r\n"
          "C-a x    exit emulator\r\n"
          "C-a s    save disk data back to file (if -snapshot)\r\n"
          "C-a t    toggle console timestamps\r\n"
          "C-a b    send break (magic SysRq)\r\n"
          "C-a c    switch to the debugger prompt (continue returns)\r\n"
          "C-a C-a  sends C-a\r\n", out);
    fflush(out);
}

/* What the escapes asked for (console.c sets the flags). */
static void escapes(struct machine *m)
{
    struct console *c = &m->console;
    if (c->help && m->uart.out)
        help(m->uart.out);
    if (c->quit)
        machine_request_exit(m, 0, "C-a x");
    if (c->send_break)
        uart_break(&m->uart);
    char err[1024];
    if (c->flush_disks && blk_commit(m, "all", err, sizeof err))
        fprintf(stderr, "\r\nhartvm: %s\r\n", err);
    c->help = c->send_break = c->flush_disks = false;
    conout_timestamps(m->conout, c->stamps);
}

static void console_in_service(void *ctx)
{
    struct machine *m = ctx;
    console_poll(&m->console, &m->uart);
    escapes(m);
}

static int console_in_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    *events = POLLIN;
    return console_wait_fd(&m->console, &m->uart);
}

/* Input that waits for room the UART now has: no sleep at all (the next
 * service hands it over). */
static uint64_t console_in_max_sleep(void *ctx)
{
    struct machine *m = ctx;
    return m->console.count && uart_rx_room(&m->uart) ? 0 : EV_NONE;
}

/* Input still to come: the UART may raise its receive interrupt. */
static unsigned console_in_may_wake(void *ctx)
{
    struct machine *m = ctx;
    return m->console.fd >= 0 || m->console.count ? EV_WAKE_IRQ : 0;
}

static void console_out_flush(void *ctx)
{
    struct machine *m = ctx;
    if (m->uart.out)
        fflush(m->uart.out);
    conout_drain(m->conout);    /* output a full pipe held back, once it has room */
}

static int console_out_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    *events = POLLOUT;
    return conout_wait_fd(m->conout);
}

/* -serial on a socket or pty (chardev.h): a client comes, its input goes
 * to the UART, the guest's output to it; output with nobody there is dropped. */
static void serial_chr_service(void *ctx)
{
    struct machine *m = ctx;
    struct chardev *c = m->serial_chr;
    struct console *con = &m->console;
    chr_accept(c);
    uint8_t buf[sizeof con->buf];
    ssize_t n = chr_read(c, buf, sizeof con->buf - con->count);
    if (n > 0)
        console_input(con, buf, (size_t)n);
    conout_set_fd(m->conout, c->fd >= 0 && !c->hup ? c->fd : -1);
    console_feed(con, &m->uart);
    escapes(m);
}

static int serial_chr_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    *events = POLLIN;
    return m->console.count < sizeof m->console.buf ? chr_wait_fd(m->serial_chr) : -1;
}

/* A pty nobody has open has no descriptor to wait on: look again later. */
static uint64_t serial_chr_max_sleep(void *ctx)
{
    struct machine *m = ctx;
    if (m->console.count && uart_rx_room(&m->uart))
        return 0;
    return m->serial_chr->hup ? CHR_PTY_RECHECK_NS : EV_NONE;
}

/* A client may come (or is there) and type. */
static unsigned serial_chr_may_wake(void *ctx)
{
    (void)ctx;
    return EV_WAKE_IRQ;
}

void add_console_source(struct machine *m)
{
    if (m->serial_chr) {
        ev_add(&m->events, &(struct ev_source){
            .name = "console input", .ctx = m, .service = serial_chr_service,
            .period_ns = EV_POLL_NS, .wait_fd = serial_chr_fd,
            .max_sleep_ns = serial_chr_max_sleep, .may_wake = serial_chr_may_wake });
        ev_add(&m->events, &(struct ev_source){
            .name = "console output", .ctx = m, .service = console_out_flush, .period_ns = EV_POLL_NS,
            .wait_fd = console_out_fd, .before_sleep = console_out_flush });
        return;
    }
    ev_add(&m->events, &(struct ev_source){
        .name = "console input", .ctx = m, .service = console_in_service, .period_ns = EV_POLL_NS,
        .wait_fd = console_in_fd, .max_sleep_ns = console_in_max_sleep,
        .may_wake = console_in_may_wake });
    ev_add(&m->events, &(struct ev_source){
        .name = "console output", .ctx = m, .service = console_out_flush, .period_ns = EV_POLL_NS,
        .wait_fd = console_out_fd, .before_sleep = console_out_flush });
}

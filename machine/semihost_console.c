/*
 * The semihosting console: where SYS_WRITEC and SYS_WRITE0 write and where
 * SYS_READC reads, as QEMU 7.2 routes them.
 *
 *   no chardev=            output to standard error, input from standard input
 *                           (QEMU 7.2 has no input there: its SYS_READC waits
 *                           for ever)
 *   chardev=ID, the UART's  the same stream as the UART (its file, socket or
 *                           terminal); input taken from the console before
 *                           the UART gets it: what a waiting SYS_READC
 *                           read stays the semihosting console's until taken
 *   chardev=ID, stdio       standard output (with the UART's if that is there too)
 *   chardev=ID, file        that file;  null: nothing
 *   chardev=ID, socket/pty  a device of its own
 *
 * SYS_READC waits for a byte: the call is not finished until one came, so
 * the hart stays on the ebreak and asks again on its next turn, after the
 * run loop has serviced its sources (a short poll in between keeps an idle
 * wait from spinning).
 */
#include "semihost.h"
#include "machine_priv.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READC_WAIT_MS 10        /* one poll of a waiting SYS_READC */

static int find_chardev(const struct options *o, const char *id)
{
    for (int k = 0; k < o->nchr; k++)
        if (o->chr[k].be != CHR_REF && !strcmp(o->chr[k].id, id))
            return k;
    return -1;
}

static bool uart_on_stdio(const struct machine *m)
{
    return m->opt.serial_chr < 0 && !m->opt.serial_file && !m->opt.serial_none;
}

/* The chardev's own device (socket, pty). */
static int open_own(struct machine *m, const struct chr_spec *spec, char *err, size_t errlen)
{
    struct semihost *s = &m->semihost;
    if (!(s->chr = malloc(sizeof *s->chr))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (chr_open(s->chr, spec, spec->id, err, errlen)) {
        free(s->chr);
        s->chr = NULL;
        return -1;
    }
    s->out = SH_CON_OWN;
    return 0;
}

int semihost_console_open(struct machine *m, char *err, size_t errlen)
{
    struct semihost *s = &m->semihost;
    const struct options *o = &m->opt;
    const char *id = o->semihost.chardev;
    s->out = SH_CON_STDERR;
    if (!id[0])
        return 0;
    int k = find_chardev(o, id);
    if (k < 0) {
        snprintf(err, errlen, "-semihosting-config chardev=%s: chardev '%s' not found", id, id);
        return -1;
    }
    const struct chr_spec *c = &o->chr[k];
    switch (c->be) {
    case CHR_NONE: case CHR_NULL:
        s->out = SH_CON_NULL;
        return 0;
    case CHR_STDIO:
        s->out = uart_on_stdio(m) ? SH_CON_UART : SH_CON_STDOUT;
        return 0;
    case CHR_FILE:
        if (o->serial_file && !strcmp(o->serial_file, c->path)) {
            s->out = SH_CON_UART;           /* the UART's file: one stream, in order */
            return 0;
        }
        if (!(s->file = fopen(c->path, "w"))) {
            snprintf(err, errlen, "-chardev file,path=%s: %s", c->path, strerror(errno));
            return -1;
        }
        s->out = SH_CON_FILE;
        return 0;
    default:
        if (o->serial_chr == k) {
            s->out = SH_CON_UART;
            return 0;
        }
        return open_own(m, c, err, errlen);
    }
}

void semihost_console_close(struct semihost *s)
{
    if (s->file)
        fclose(s->file);
    s->file = NULL;
    if (s->chr) {
        chr_close(s->chr);
        free(s->chr);
    }
    s->chr = NULL;
}

void semihost_console_write(struct machine *m, const void *p, size_t n)
{
    struct semihost *s = &m->semihost;
    switch (s->out) {
    case SH_CON_STDERR:
        fwrite(p, 1, n, stderr);
        break;
    case SH_CON_UART:               /* after what the UART wrote before */
        if (m->con_out) {
            fwrite(p, 1, n, m->con_out);
            fflush(m->con_out);
        }
        break;
    case SH_CON_STDOUT:
        fwrite(p, 1, n, stdout);
        fflush(stdout);
        break;
    case SH_CON_FILE:
        fwrite(p, 1, n, s->file);
        fflush(s->file);
        break;
    case SH_CON_OWN:
        chr_accept(s->chr);
        chr_write(s->chr, p, n);
        break;
    case SH_CON_NULL:
        break;
    }
}

/* A byte the console holds back from the UART for us, or -1. */
static int from_console(struct machine *m)
{
    struct console *c = &m->console;
    c->hold = true;             /* console_feed gives the UART nothing meanwhile */
    if (m->serial_chr) {
        uint8_t buf[64];
        chr_accept(m->serial_chr);
        ssize_t n = chr_read(m->serial_chr, buf, sizeof buf < sizeof c->buf - c->count
                             ? sizeof buf : sizeof c->buf - c->count);
        if (n > 0)
            console_input(c, buf, (size_t)n);
    } else {
        console_poll(c, &m->uart);
    }
    int b = console_take(c);
    if (!c->count)
        c->hold = false;        /* what came with the byte stays ours; later input is the UART's */
    return b;
}

/* One byte of fd if it has one now: the byte, SH_READC_WAIT for none yet,
 * SH_READC_EOF at its end. */
static int from_fd(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    uint8_t b;
    if (poll(&p, 1, 0) <= 0)
        return SH_READC_WAIT;
    ssize_t n = read(fd, &b, 1);
    return n == 1 ? b : n == 0 || (errno != EAGAIN && errno != EINTR) ? SH_READC_EOF : SH_READC_WAIT;
}

enum readc_source { FROM_NOTHING, FROM_OWN, FROM_CONSOLE, FROM_STDIN };

static enum readc_source readc_source(const struct machine *m)
{
    switch (m->semihost.out) {
    case SH_CON_NULL: case SH_CON_FILE: return FROM_NOTHING;
    case SH_CON_OWN: return FROM_OWN;
    case SH_CON_UART: return FROM_CONSOLE;
    default: return uart_on_stdio(m) ? FROM_CONSOLE : FROM_STDIN;
    }
}

/* Nothing yet: wait a little on fd (or just a little), then ask again. */
static int wait_for(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (fd < 0 || poll(&p, 1, READC_WAIT_MS) < 0)
        usleep(READC_WAIT_MS * 1000);
    return SH_READC_WAIT;
}

int semihost_console_readc(struct machine *m)
{
    struct semihost *s = &m->semihost;
    struct console *c = &m->console;
    uint8_t byte;
    int b;
    switch (readc_source(m)) {
    case FROM_OWN:                          /* a client that went: the next one may type */
        chr_accept(s->chr);
        return chr_read(s->chr, &byte, 1) == 1 ? byte : wait_for(chr_wait_fd(s->chr));
    case FROM_CONSOLE:
        if ((b = from_console(m)) >= 0)
            return b;
        if (m->serial_chr)
            return wait_for(chr_wait_fd(m->serial_chr));
        return c->fd < 0 ? SH_READC_EOF : wait_for(c->fd);     /* a pipe's end: -1 */
    case FROM_STDIN:
        b = from_fd(STDIN_FILENO);
        return b == SH_READC_WAIT ? wait_for(STDIN_FILENO) : b;
    default:
        return SH_READC_EOF;                /* no input on a file or null */
    }
}

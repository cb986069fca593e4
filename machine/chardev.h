/*
 * Host character devices, as QEMU's -chardev and the short forms of
 * -serial, -monitor and -qmp name them:
 *
 *   null | none            nothing (output dropped, no input)
 *   stdio                  hartvm's own terminal or pipes
 *   file:PATH              output to a file
 *   pty                    a new pseudo-terminal (its name said on stdout, as QEMU's)
 *   tcp:[HOST]:PORT[,server][,nowait]  telnet:...   unix:PATH[,server][,nowait]
 *   chardev:ID             one declared by -chardev BACKEND,id=ID,...
 *
 * A spec (struct chr_spec) is parsed with the options and holds no
 * resources; chr_open makes the device (struct chardev). Sockets and the
 * pty never block the run loop: they are non-blocking, a server takes one
 * client at a time and the next once it hangs up, and output with nobody to
 * read it is dropped (as QEMU's are). A server socket that waits (QEMU's
 * default without nowait / wait=off) takes its first client in chr_open.
 * An empty HOST listens on loopback only, as -gdb does (QEMU's listens on
 * every address).
 */
#ifndef MACHINE_CHARDEV_H
#define MACHINE_CHARDEV_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum chr_backend { CHR_NONE, CHR_NULL, CHR_STDIO, CHR_FILE, CHR_PTY, CHR_SOCKET, CHR_REF };
#define CHR_ID_LEN 32
#define CHR_PATH_LEN 256
#define CHR_MAX 8               /* -chardev, -serial, -monitor, -qmp, -mon */

struct chr_spec {
    enum chr_backend be;
    char id[CHR_ID_LEN];        /* -chardev id=; CHR_REF: the one referred to (chardev:ID) */
    char path[CHR_PATH_LEN];    /* file, unix socket */
    char host[64], port[8];     /* tcp */
    bool is_unix, server, wait, telnet, nodelay;
    bool mux;                   /* mux=on, mon: shared by the serial port and a monitor */
    bool signal;                /* stdio: Ctrl-C stops hartvm (signal=on, the default) */
};

/* A spec in -serial/-monitor/-qmp's short form; 0, or -1 with why. */
int chr_parse_short(const char *s, struct chr_spec *out, char *why, size_t whylen);
/* -chardev BACKEND,id=ID[,...]; 0, or -1 with why. */
int chr_parse_opts(const char *s, struct chr_spec *out, char *why, size_t whylen);
/* "tcp:127.0.0.1:4444,server=on" (QEMU's name of a socket), for messages. */
void chr_describe(const struct chr_spec *s, char *buf, size_t len);

struct chardev {
    struct chr_spec s;
    const char *label;          /* "serial0", "compat_monitor0": messages */
    int lfd;                    /* server: the listening socket, else -1 */
    int fd;                     /* the connection, the pty's master, the file; -1: none */
    bool hup;                   /* pty: nobody has it open (output dropped) */
    unsigned char iac[3];       /* telnet: a command being skipped */
    int iac_len;
};

/* Make the device of s; a waiting server takes its first client here.
 * -1 with err (exit status 1). */
int chr_open(struct chardev *c, const struct chr_spec *s, const char *label, char *err,
             size_t errlen);
void chr_close(struct chardev *c);
/* A server without a client takes one if it waits; a pty notices a
 * reader. True when a new connection began (a monitor greets it). */
bool chr_accept(struct chardev *c);
/* Up to n bytes that have arrived: >0, 0 for none now, -1 when the
 * client went (the server takes the next one later). */
ssize_t chr_read(struct chardev *c, void *buf, size_t n);
/* Write what the connection takes now; the rest is dropped. */
void chr_write(struct chardev *c, const void *p, size_t n);
/* The descriptor an idle machine waits on for input or a client, or -1. */
int chr_wait_fd(const struct chardev *c);
/* A pty nobody has open is looked at again after this long. */
#define CHR_PTY_RECHECK_NS 250000000ull
#endif

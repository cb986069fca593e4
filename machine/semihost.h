/*
 * RISC-V semihosting (-semihosting, -semihosting-config), as QEMU 7.2 does
 * it: the three-instruction sequence of the RISC-V semihosting spec
 *
 *     slli zero, zero, 0x1f     0x01f01013
 *     ebreak                    0x00100073
 *     srai zero, zero, 7        0x40705013
 *
 * all uncompressed and in one page, is a call instead of a breakpoint
 * (cpu/trap.c asks the board through core_semihost). a0 is the ARM
 * semihosting call number, a1 its argument (mostly the address of a block
 * of XLEN words); the result goes to a0 and the hart goes on at the srai.
 * From U-mode only with userspace=on; without semihosting the ebreak is an
 * ordinary breakpoint.
 *
 * Files stay inside one host directory (--semihosting-root DIR, default
 * the current one): a path is resolved beneath it, so an absolute path,
 * a "..", or a symlink leading out is refused (errno EXDEV, SYS_ERRNO).
 * ":tt" is host standard input, output or error by mode, as QEMU 7.2 opens
 * it. SYS_WRITEC, SYS_WRITE0 and SYS_READC use the semihosting console
 * (semihost_console.c): standard error and input, or chardev=ID's device.
 * SYS_TMPNAM names a file beneath the root. SYS_SYSTEM, which QEMU hands to
 * the host's shell, is refused (EPERM): a guest never runs host commands.
 */
#ifndef MACHINE_SEMIHOST_H
#define MACHINE_SEMIHOST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct machine;
struct hart;
struct chardev;

struct semihost_opts {
    bool enabled;               /* -semihosting, -semihosting-config enable=on */
    bool userspace;             /* userspace=on: calls from U-mode too */
    char chardev[64];           /* chardev=ID: the console's device, or "" */
    const char *root;           /* --semihosting-root DIR; NULL: the current directory */
    bool have_args;             /* arg= given: args is the command line */
    char args[512];             /* the arg= values joined by spaces */
};

#define SEMIHOST_FILES 32

struct semihost {
    int fd[SEMIHOST_FILES];     /* guest handle -> host fd, -1: free; handle 0 is never given */
    int root;                   /* the root directory (O_PATH), -1 when off */
    int err;                    /* host errno of the last failed call (SYS_ERRNO) */
    char cmdline[1024];         /* SYS_GET_CMDLINE */
    enum sh_console {           /* where the console writes (semihost_console.c) */
        SH_CON_STDERR, SH_CON_STDOUT, SH_CON_UART, SH_CON_FILE, SH_CON_OWN, SH_CON_NULL,
    } out;
    FILE *file;                 /* SH_CON_FILE */
    struct chardev *chr;        /* SH_CON_OWN: a socket or pty of its own */
};

/* Parse -semihosting-config's value into o: 0, or -1 with the reason in why. */
int semihost_parse_config(const char *v, struct semihost_opts *o, char *why, size_t whylen);
/* No descriptors: before anything else (machine_init). */
void semihost_init(struct semihost *s);
/* Open the root and build the command line (before the first call): 0, or
 * -1 with the reason in err. Harmless when semihosting is off. */
int semihost_open(struct machine *m, char *err, size_t errlen);
/* Close the guest's files (reset), and the root too (free). */
void semihost_reset(struct semihost *s);
void semihost_close(struct semihost *s);
/* The board's hook: hart h hit an ebreak; true if it was a semihosting
 * call, now done (a0 holds its result, pc moved past the sequence). */
bool semihost_call(struct machine *m, struct hart *h);

/* The console (semihost_console.c): chardev= resolved, opened; 0, or -1
 * with err (an unknown ID, a file that cannot be made). */
int semihost_console_open(struct machine *m, char *err, size_t errlen);
void semihost_console_close(struct semihost *s);
void semihost_console_write(struct machine *m, const void *p, size_t n);
/* SYS_READC: a byte, SH_READC_WAIT (none yet: ask again), SH_READC_EOF. */
#define SH_READC_WAIT (-1)
#define SH_READC_EOF (-2)
int semihost_console_readc(struct machine *m);

/* File calls (semihost_files.c): block holds the call's argument words;
 * each returns the value for a0, setting s->err on failure. */
int64_t semihost_file_call(struct machine *m, struct hart *h, unsigned op, const uint64_t *block);
/* The number of argument words each call reads (0: a1 is not a block). */
unsigned semihost_file_args(unsigned op);
/* Guest memory through hart h's translation: 0, or -1 (not mapped). */
int semihost_read(struct hart *h, uint64_t va, void *buf, size_t len);
int semihost_write(struct hart *h, uint64_t va, const void *buf, size_t len);
#endif

/*
 * Semihosting calls (semihost.h): the sequence check, the console, exit,
 * time, the command line and the heap; files are in semihost_files.c.
 * Call numbers and blocks are the ARM semihosting spec's (v2), which the
 * RISC-V semihosting spec adopts with XLEN-wide words.
 */
#define _GNU_SOURCE             /* O_PATH */
#include "semihost.h"
#include "machine_priv.h"
#include "board.h"
#include "keyval.h"
#include "../cpu/log.h"
#include "../mmu/mmu.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_READC = 0x07, SYS_ISERROR = 0x08,
    SYS_TMPNAM = 0x0d, SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_SYSTEM = 0x12, SYS_ERRNO = 0x13,
    SYS_GET_CMDLINE = 0x15, SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20,
    SYS_ELAPSED = 0x30, SYS_TICKFREQ = 0x31,
};
#define APP_EXIT 0x20026        /* ADP_Stopped_ApplicationExit */

/* One property of -semihosting-config: 0, or -1 if not understood. */
static int config_prop(struct semihost_opts *o, const char *key, const char *val)
{
    bool on = !strcmp(val, "on"), off = !strcmp(val, "off");
    size_t used = strlen(o->args);
    if (!strcmp(key, "enable") && (on || off))
        o->enabled = on;
    else if (!strcmp(key, "userspace") && (on || off))
        o->userspace = on;
    else if (!strcmp(key, "target") && (!strcmp(val, "native") || !strcmp(val, "auto")))
        ;                       /* calls are always served here */
    else if (!strcmp(key, "chardev") && val[0] && strlen(val) < sizeof o->chardev)
        memcpy(o->chardev, val, strlen(val) + 1);      /* fits: checked above */
    else if (!strcmp(key, "arg") && used + strlen(val) + 2 <= sizeof o->args) {
        /* the arg= values, space separated, are the command line */
        snprintf(o->args + used, sizeof o->args - used, "%s%s", o->have_args ? " " : "", val);
        o->have_args = true;
    } else
        return -1;
    return 0;
}

int semihost_parse_config(const char *v, struct semihost_opts *o, char *why, size_t whylen)
{
    struct kv kv;
    o->enabled = true;          /* QEMU: enable defaults to on */
    while (keyval_next(&v, &kv))
        if (kv.overflow || config_prop(o, kv.key, kv.val)) {
            snprintf(why, whylen, "'%s=%.40s' is not understood (enable=on|off, target=native|"
                     "auto, chardev=ID, userspace=on|off, arg=STR; target=gdb is not supported)",
                     kv.key, kv.val);
            return -1;
        }
    return 0;
}

/* QEMU's fallback without arg=: the kernel's path, then -append's words. */
static void build_cmdline(struct machine *m)
{
    const struct options *o = &m->opt;
    char *c = m->semihost.cmdline;
    size_t size = sizeof m->semihost.cmdline, len;
    if (o->semihost.have_args) {
        snprintf(c, size, "%s", o->semihost.args);
        return;
    }
    snprintf(c, size, "%s", o->kernel ? o->kernel : "");
    for (const char *a = o->append ? o->append : ""; *a; ) {
        a += strspn(a, " ");
        size_t n = strcspn(a, " ");
        if (n && (len = strlen(c)) < size)
            snprintf(c + len, size - len, "%s%.*s", len ? " " : "", (int)n, a);
        a += n;
    }
}

int semihost_open(struct machine *m, char *err, size_t errlen)
{
    struct semihost *s = &m->semihost;
    const char *root = m->opt.semihost.root ? m->opt.semihost.root : ".";
    if (!m->opt.semihost.enabled)
        return 0;
    if ((s->root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
        snprintf(err, errlen, "--semihosting-root %s: %s", root, strerror(errno));
        return -1;
    }
    build_cmdline(m);
    return semihost_console_open(m, err, errlen);
}

void semihost_init(struct semihost *s)
{
    for (int i = 0; i < SEMIHOST_FILES; i++)
        s->fd[i] = -1;
    s->root = -1;
}

void semihost_reset(struct semihost *s)
{
    for (int i = 0; i < SEMIHOST_FILES; i++) {
        if (s->fd[i] >= 0)
            close(s->fd[i]);
        s->fd[i] = -1;
    }
    s->err = 0;
}

void semihost_close(struct semihost *s)
{
    semihost_reset(s);
    semihost_console_close(s);
    if (s->root >= 0)
        close(s->root);
    s->root = -1;
}

/* The instruction words at va, va+4 and va-4... through the fetch translation. */
static bool word_at(struct hart *h, uint64_t va, uint32_t want)
{
    uint64_t pa;
    uint32_t w;
    return !mmu_translate_debug(h, va, ACC_FETCH, &pa) && !bus_read_mem(h->core->bus, pa, &w, 4) &&
           w == want;
}

static bool is_sequence(struct hart *h)
{
    uint64_t pc = h->pc;
    return ((pc - 4) >> 12) == ((pc + 4) >> 12) && word_at(h, pc, 0x00100073) &&
           word_at(h, pc - 4, 0x01f01013) && word_at(h, pc + 4, 0x40705013);
}

/* Guest memory a page at a time, through the data translation. */
static int guest_mem(struct hart *h, uint64_t va, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    while (len) {
        uint64_t pa;
        size_t n = 4096 - (va & 0xfff);
        n = n < len ? n : len;
        if (mmu_translate_debug(h, va, write ? ACC_STORE : ACC_LOAD, &pa) ||
            (write ? bus_write_mem(h->core->bus, pa, p, n) : bus_read_mem(h->core->bus, pa, p, n)))
            return -1;
        va += n, p += n, len -= n;
    }
    return 0;
}

int semihost_read(struct hart *h, uint64_t va, void *buf, size_t len)
{
    return guest_mem(h, va, buf, len, false);
}

int semihost_write(struct hart *h, uint64_t va, const void *buf, size_t len)
{
    return guest_mem(h, va, (void *)buf, len, true);
}

/* SYS_WRITE0: the string at va, to its NUL, a chunk at a time. */
static int64_t write0(struct machine *m, struct hart *h, uint64_t va)
{
    char buf[256];
    for (;;) {
        size_t n = 0;
        while (n < sizeof buf && !semihost_read(h, va + n, &buf[n], 1) && buf[n])
            n++;
        semihost_console_write(m, buf, n);
        if (n < sizeof buf)
            return 0;
        va += n;
    }
}

/* SYS_TMPNAM { buffer, id, length }: a name for file id (0..255), beneath
 * the root like every file (QEMU's is in the host's /tmp). */
static int64_t tmpnam_call(struct machine *m, struct hart *h, const uint64_t *a)
{
    char name[64];
    int n = snprintf(name, sizeof name, "hartvm-tmp-%x%02x", (unsigned)getpid(),
                     (unsigned)(a[1] & 0xff));
    if ((uint64_t)n + 1 > a[2] || semihost_write(h, a[0], name, (size_t)n + 1)) {
        m->semihost.err = (uint64_t)n + 1 > a[2] ? ENAMETOOLONG : EFAULT;
        return -1;
    }
    return 0;
}

static void do_exit(struct machine *m, uint64_t reason, uint64_t code)
{
    /* another reason than application exit is a failure (QEMU: status 1) */
    int status = reason == APP_EXIT ? (int)code : 1;
    fflush(stderr);
    machine_request_exit(m, status, "semihosting exit");
}

static int64_t get_cmdline(struct machine *m, struct hart *h, uint64_t blk, const uint64_t *a)
{
    const char *c = m->semihost.cmdline;
    uint64_t n = strlen(c);
    if (n + 1 > a[1]) {
        m->semihost.err = E2BIG;
        return -1;
    }
    if (semihost_write(h, a[0], c, n + 1) || semihost_write(h, blk + 8, &n, 8)) {
        m->semihost.err = EFAULT;
        return -1;
    }
    return 0;
}

/* SYS_HEAPINFO as QEMU answers it: the largest part of RAM no image (firmware,
 * kernel, initrd, device tree, loader) holds is the heap, and the stack
 * comes down from its top: { heap base, heap limit, stack base, stack limit }. */
static int64_t heapinfo(struct machine *m, struct hart *h, uint64_t arg)
{
    struct boot_image im[BOOT_MAX_IMAGES];
    int n = 0;
    for (int i = 0; i < m->nimages; i++) {      /* by start address */
        int k = n++;
        for (; k > 0 && im[k - 1].lo > m->images[i].lo; k--)
            im[k] = im[k - 1];
        im[k] = m->images[i];
    }
    uint64_t at = m->ram_base, end = m->ram_base + m->ram_size, best = at, best_end = at;
    for (int i = 0; i <= n; i++) {
        uint64_t next = i < n && im[i].lo < end ? im[i].lo : end;
        if (next > at && next - at > best_end - best)
            best = at, best_end = next;
        if (i < n && im[i].hi > at)
            at = im[i].hi;
    }
    uint64_t block, v[4] = { best, best_end, best_end, best };
    if (semihost_read(h, arg, &block, 8) || semihost_write(h, block, v, sizeof v)) {
        m->semihost.err = EFAULT;
        return -1;
    }
    return 0;
}

static int64_t dispatch(struct machine *m, struct hart *h, uint64_t op, uint64_t arg)
{
    uint64_t a[4] = { 0 };
    unsigned nargs = op == SYS_GET_CMDLINE || op == SYS_EXIT || op == SYS_EXIT_EXTENDED ? 2
                   : op == SYS_TMPNAM ? 3 : op == SYS_ISERROR ? 1
                   : op < 0x100 ? semihost_file_args((unsigned)op) : 0;
    if (nargs && semihost_read(h, arg, a, 8 * nargs)) {
        m->semihost.err = EFAULT;
        return -1;
    }
    char c;
    switch (op) {
    case SYS_WRITEC:
        if (!semihost_read(h, arg, &c, 1))
            semihost_console_write(m, &c, 1);
        return 0;
    case SYS_WRITE0: return write0(m, h, arg);
    case SYS_TMPNAM: return tmpnam_call(m, h, a);
    case SYS_SYSTEM:
        qlog_printf(m->core.log, LOG_GUEST_ERROR, "semihosting: SYS_SYSTEM refused\n");
        m->semihost.err = EPERM;
        return -1;
    case SYS_ISERROR: return (int64_t)a[0] < 0;
    case SYS_CLOCK: return (int64_t)(machine_mtime(m) / (TIMEBASE_HZ / 100));
    case SYS_TIME: return (int64_t)time(NULL);
    case SYS_ERRNO: return m->semihost.err;
    case SYS_GET_CMDLINE: return get_cmdline(m, h, arg, a);
    case SYS_HEAPINFO: return heapinfo(m, h, arg);
    case SYS_EXIT: case SYS_EXIT_EXTENDED: do_exit(m, a[0], a[1]); return 0;
    case SYS_ELAPSED: {
        uint64_t t = machine_mtime(m);
        return semihost_write(h, arg, &t, 8) ? -1 : 0;
    }
    case SYS_TICKFREQ: return TIMEBASE_HZ;
    }
    if (nargs)
        return semihost_file_call(m, h, (unsigned)op, a);
    qlog_printf(m->core.log, LOG_UNIMP, "semihosting: call 0x%" PRIx64 " is not implemented\n", op);
    m->semihost.err = ENOSYS;
    return -1;
}

bool semihost_call(struct machine *m, struct hart *h)
{
    if ((h->priv == PRV_U && !m->opt.semihost.userspace) || !is_sequence(h))
        return false;
    if (h->x[10] == SYS_READC) {
        int b = semihost_console_readc(m);
        if (b == SH_READC_WAIT)
            return true;        /* still on the ebreak: asked again next turn */
        h->x[10] = (uint64_t)(int64_t)(b == SH_READC_EOF ? -1 : b);
        h->pc += 4;
        return true;
    }
    h->x[10] = (uint64_t)dispatch(m, h, h->x[10], h->x[11]);
    h->pc += 4;                 /* on at the srai */
    return true;
}

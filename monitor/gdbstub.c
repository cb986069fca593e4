/*
 * The gdb remote stub: gdb-multiarch drives the machine over TCP or a Unix
 * socket with the GDB remote serial protocol (GDB manual, appendix "GDB
 * Remote Serial Protocol"), in all-stop mode, every hart a thread (id =
 * hart + 1).
 *
 * It is a front end like the console debugger and shares its state
 * (struct debugger): breakpoints are the debugger's decoded-slot marks
 * (break.c), watchpoints its slow-path checks, memory goes through
 * mmu_translate_debug (mem.c: no A/D update, no TLB fill, no trap; a
 * fault is an E reply), and `monitor CMD` (qRcmd) runs a debugger
 * command. So breakpoints set from either side are the same objects; the
 * stub remembers which are gdb's (Z/z) and only ever deletes those.
 *
 * The run loop never calls the stub: while the guest runs, two event
 * sources (machine/events.h) watch the listening socket (a connection
 * stops the guest, as on QEMU; a second one is refused) and the client
 * (0x03 is an interrupt; a hang-up lets the guest run on). While the
 * machine is stopped, gdb_run waits in poll() for packets; a resume packet
 * makes it call machine_run again.
 */
#define _GNU_SOURCE
#include "dbg.h"
#include "gdb_packet.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Register numbers as gdb's RISC-V target description uses them (gdb
 * riscv-tdep.h): x0-x31, pc, f0-f31, then CSR n at 65 + n, and the
 * virtual "priv" register after the 4096 CSRs. */
#define REG_PC 32
#define REG_F0 33
#define REG_CSR0 65
#define REG_PRIV (REG_CSR0 + 4096)
#define NZ 64                   /* breakpoints and watchpoints gdb may have set */

struct zrec {
    int num, num2;              /* the debugger's numbers (Z4: one read, one write watch); 0: free */
    int type;                   /* 0..4 as in the Z packet */
    uint64_t addr, len;
};

struct gdbstub {
    struct debugger *d;
    int lfd, cfd;
    char *unix_path;            /* unlinked at close */
    struct gdb_rx rx;
    bool noack;                 /* QStartNoAckMode */
    char *last;                 /* the last packet sent, for a '-' */
    size_t last_len;
    char *xml;                  /* target.xml */
    size_t xml_len;
    struct zrec z[NZ];
    int gthread;                /* Hg: registers and memory (a hart) */
    bool resumed;               /* gdb resumed the guest: a stop owes it a stop reply */
    bool intr;                  /* the stop was gdb's 0x03 */
    bool held;                  /* a packet arrived while running: rx.buf holds it */
    bool absorb_step;           /* a watchpoint stop was reported after its access (stop_reply) */
    uint64_t shown_pc;          /* meanwhile gdb sees this pc for the stopped hart */
    uint32_t run_mask;          /* the harts a continue resumes (vCont;c:TID: some only) */
    char out[2 * GDB_PKT_MAX + 8];      /* framing buffer */
};

/* ---- the socket ----------------------------------------------------------- */

static void client_gone(struct gdbstub *g);

/* Send a whole buffer; a client that went away is closed. */
static void send_raw(struct gdbstub *g, const char *p, size_t n)
{
    while (n && g->cfd >= 0) {
        ssize_t w = send(g->cfd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pf = { .fd = g->cfd, .events = POLLOUT };
            if (poll(&pf, 1, 5000) <= 0) {
                client_gone(g);         /* not reading for 5 s: never hang the guest on it */
                return;
            }
            continue;
        }
        if (w <= 0) {
            client_gone(g);
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void reply_bin(struct gdbstub *g, const void *payload, size_t len)
{
    size_t n = gdb_frame(g->out, sizeof g->out, payload, len);
    if (!n)
        n = gdb_frame(g->out, sizeof g->out, "E01", 3);
    char *copy = realloc(g->last, n);
    if (copy) {
        memcpy(copy, g->out, n);
        g->last = copy;
        g->last_len = n;
    }
    send_raw(g, g->out, n);
}

static void reply(struct gdbstub *g, const char *s)
{
    reply_bin(g, s, strlen(s));
}

static void reply_err(struct gdbstub *g, int e)
{
    char b[8];
    snprintf(b, sizeof b, "E%02x", e & 0xff);
    reply(g, b);
}

/* Forget what gdb set: its breakpoints and watchpoints go, the console's stay. */
static void drop_gdb_points(struct gdbstub *g)
{
    for (int i = 0; i < NZ; i++) {
        if (!g->z[i].num)
            continue;
        brk_delete(g->d, g->z[i].num);
        if (g->z[i].num2)
            brk_delete(g->d, g->z[i].num2);
        g->z[i].num = g->z[i].num2 = 0;
    }
    brk_flush_tlbs(g->d->m);
}

static void client_gone(struct gdbstub *g)
{
    if (g->cfd < 0)
        return;
    close(g->cfd);
    g->cfd = -1;
    g->resumed = g->held = g->intr = false;
    g->noack = false;
    gdb_rx_init(&g->rx);
    drop_gdb_points(g);
}

/* A connection on the listening socket: the first client is taken, any
 * other while one is attached is closed at once (one debugger at a time,
 * as QEMU's chardev allows). */
static bool accept_client(struct gdbstub *g)
{
    int fd = accept4(g->lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return false;
    if (g->cfd >= 0) {
        close(fd);
        return false;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);    /* fails harmlessly on Unix sockets */
    g->cfd = fd;
    g->noack = false;
    g->gthread = g->d->cur;
    gdb_rx_init(&g->rx);
    return true;
}

/* ---- while the guest runs: event sources -------------------------------- */

static void request_stop(struct gdbstub *g)
{
    struct debugger *d = g->d;
    if (d->m->stop_requested)
        return;
    d->stop = STOP_USER;
    d->stop_hart = d->cur;
    snprintf(d->stop_msg, sizeof d->stop_msg, "Stopped (gdb).");
    d->m->stop_requested = true;
}

static void listen_service(void *ctx)
{
    struct gdbstub *g = ctx;
    if (accept_client(g)) {
        g->resumed = false;     /* gdb starts by asking '?' */
        request_stop(g);        /* QEMU stops the guest when gdb connects */
    }
}

static int listen_fd(void *ctx, short *events)
{
    struct gdbstub *g = ctx;
    *events = POLLIN;
    return g->lfd;
}

static void client_service(void *ctx)
{
    struct gdbstub *g = ctx;
    uint8_t buf[512];
    while (g->cfd >= 0 && !g->held) {
        ssize_t n = recv(g->cfd, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {           /* hung up while running: the guest runs on */
            client_gone(g);
            return;
        }
        for (ssize_t i = 0; i < n; i++) {
            enum gdb_rx_event e = gdb_rx_byte(&g->rx, buf[i]);
            if (e == GDB_RX_INTR) {
                g->intr = true;
                request_stop(g);
            } else if (e == GDB_RX_PACKET && !g->held) {
                /* all-stop gdb sends nothing but 0x03 while the target runs;
                 * keep one packet for after the stop, and stop */
                g->held = true;
                if (!g->noack)
                    send_raw(g, "+", 1);
                request_stop(g);
            } else if (e == GDB_RX_BADSUM && !g->noack) {
                send_raw(g, "-", 1);
            }
        }
    }
}

static int client_fd(void *ctx, short *events)
{
    struct gdbstub *g = ctx;
    *events = POLLIN;
    return g->held ? -1 : g->cfd;
}

/* ---- opening ---------------------------------------------------------------- */

static const char *const fnames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
    "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Is CSR n one of the hart's (readable on hart 0, and not an FP CSR,
 * which the fpu feature holds)? */
static bool csr_listed(struct machine *m, unsigned n)
{
    uint64_t v;
    return n > 3 && csr_name(n) && csr_read_raw(&m->harts[0], n, &v);
}

/* One target description with the four features gdb's RISC-V support
 * looks for (GDB manual, "RISC-V Features"): cpu, fpu, csr, virtual.
 * Explicit regnums give the p/P numbers. */
static int build_xml(struct gdbstub *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
               "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
               "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++)
        fprintf(f, "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n", dbg_xreg_names[i],
                i == 1 ? "code_ptr" : (i == 2 || i == 8) ? "data_ptr" : "int", i);
    fprintf(f, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"%d\"/>\n</feature>\n", REG_PC);
    fprintf(f, "<feature name=\"org.gnu.gdb.riscv.fpu\">\n<union id=\"riscv_double\">"
               "<field name=\"float\" type=\"ieee_single\"/><field name=\"double\" type=\"ieee_double\"/>"
               "</union>\n");
    for (int i = 0; i < 32; i++)
        fprintf(f, "<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" regnum=\"%d\"/>\n", fnames[i],
                REG_F0 + i);
    fprintf(f, "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
               "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
               "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n</feature>\n",
            REG_CSR0 + 1, REG_CSR0 + 2, REG_CSR0 + 3);
    fprintf(f, "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (unsigned n = 0; n < 4096; n++)
        if (csr_listed(g->d->m, n))
            fprintf(f, "<reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>\n", csr_name(n),
                    REG_CSR0 + n);
    fprintf(f, "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
               "<reg name=\"priv\" bitsize=\"64\" type=\"int\" regnum=\"%d\"/>\n</feature>\n</target>\n",
            REG_PRIV);
    if (fclose(f))
        return -1;
    g->xml = buf;
    g->xml_len = len;
    return 0;
}

static int listen_tcp(const char *spec, char *err, size_t errlen)
{
    /* tcp:[HOST]:PORT; an empty host is loopback (QEMU's is every address:
     * a stub that can write guest memory should not face the network
     * unless asked) */
    char host[256], port[32];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof host || strlen(colon + 1) >= sizeof port ||
        !colon[1]) {
        snprintf(err, errlen, "-gdb tcp:%s: need tcp:[HOST]:PORT", spec);
        return -1;
    }
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = 0;
    strcpy(port, colon + 1);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
    struct addrinfo *res;
    int r = getaddrinfo(host[0] ? host : "127.0.0.1", port, &hints, &res);
    if (r) {
        snprintf(err, errlen, "-gdb tcp:%s: %s", spec, gai_strerror(r));
        return -1;
    }
    int fd = -1, e = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) || listen(fd, 1)) {
            e = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        snprintf(err, errlen, "-gdb tcp:%s: cannot listen: %s", spec, strerror(e ? e : EINVAL));
    return fd;
}

static int listen_unix(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (!path[0] || strlen(path) >= sizeof a.sun_path) {
        snprintf(err, errlen, "-gdb unix:%s: need a socket path of at most %zu bytes", path,
                 sizeof a.sun_path - 1);
        return -1;
    }
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1)) {
        snprintf(err, errlen, "-gdb unix:%s: cannot listen: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int gdb_open(struct debugger *d, const char *dev, char *err, size_t errlen)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->d = d;
    g->cfd = -1;
    g->run_mask = ~0u;
    g->lfd = -1;
    gdb_rx_init(&g->rx);
    /* the device as QEMU's -gdb takes it: the chardev options that only
     * restate what a gdb socket is (server, no wait) are dropped */
    char spec[512];
    snprintf(spec, sizeof spec, "%s", dev);
    char *opts = strchr(spec, ',');
    if (opts) {
        *opts++ = 0;
        for (char *o = strtok(opts, ","); o; o = strtok(NULL, ","))
            if (strcmp(o, "server") && strcmp(o, "server=on") && strcmp(o, "nowait") &&
                strcmp(o, "wait=off") && strcmp(o, "nodelay") && strcmp(o, "nodelay=on")) {
                snprintf(err, errlen, "-gdb %s: option %s is not supported", dev, o);
                free(g);
                return -1;
            }
    }
    if (!strncmp(spec, "tcp:", 4)) {
        g->lfd = listen_tcp(spec + 4, err, errlen);
    } else if (!strncmp(spec, "unix:", 5)) {
        g->lfd = listen_unix(spec + 5, err, errlen);
        if (g->lfd >= 0)
            g->unix_path = strdup(spec + 5);
    } else {
        snprintf(err, errlen, "-gdb %s: need tcp:[HOST]:PORT or unix:PATH,server", dev);
    }
    if (g->lfd < 0 || build_xml(g)) {
        if (g->lfd >= 0)
            close(g->lfd);
        free(g->unix_path);
        free(g);
        return -1;
    }
    fcntl(g->lfd, F_SETFL, fcntl(g->lfd, F_GETFL) | O_NONBLOCK);
    d->gdb = g;
    struct machine *m = d->m;
    ev_add(&m->events, &(struct ev_source){ .name = "gdb-listen", .ctx = g, .service = listen_service,
                                             .period_ns = EV_POLL_NS, .wait_fd = listen_fd });
    ev_add(&m->events, &(struct ev_source){ .name = "gdb-client", .ctx = g, .service = client_service,
                                             .period_ns = EV_POLL_NS, .wait_fd = client_fd });
    return 0;
}

const char *gdb_where(struct debugger *d, char *buf, size_t len)
{
    struct gdbstub *g = d->gdb;
    struct sockaddr_storage a;
    socklen_t alen = sizeof a;
    char host[128], port[16];
    if (!g)
        snprintf(buf, len, "nowhere");
    else if (g->unix_path)
        snprintf(buf, len, "%s", g->unix_path);
    else if (getsockname(g->lfd, (struct sockaddr *)&a, &alen) ||
             getnameinfo((struct sockaddr *)&a, alen, host, sizeof host, port, sizeof port,
                         NI_NUMERICHOST | NI_NUMERICSERV))
        snprintf(buf, len, "?");
    else
        snprintf(buf, len, "%s:%s", strcmp(host, "127.0.0.1") ? host : "", port);
    return buf;
}

void gdb_close(struct debugger *d)
{
    struct gdbstub *g = d->gdb;
    if (!g)
        return;
    ev_remove(&d->m->events, "gdb-listen");
    ev_remove(&d->m->events, "gdb-client");
    client_gone(g);
    close(g->lfd);
    if (g->unix_path)
        unlink(g->unix_path);
    free(g->unix_path);
    free(g->xml);
    free(g->last);
    free(g);
    d->gdb = NULL;
}

/* ---- registers ---------------------------------------------------------- */

static struct hart *ghart(struct gdbstub *g)
{
    return &g->d->m->harts[g->gthread];
}

static uint64_t shown_pc(struct gdbstub *g, struct hart *h)
{
    return g->absorb_step && (int)h->id == g->d->stop_hart ? g->shown_pc : h->pc;
}

/* Register n of h: its size in bytes (0: no such register). */
static unsigned reg_get(struct gdbstub *g, struct hart *h, unsigned long n, uint64_t *v)
{
    if (n < 32) {
        *v = n ? h->x[n] : 0;
        return 8;
    }
    if (n == REG_PC) {
        *v = shown_pc(g, h);
        return 8;
    }
    if (n >= REG_F0 && n < REG_F0 + 32) {
        *v = h->f[n - REG_F0];
        return 8;
    }
    if (n >= REG_CSR0 + 1 && n <= REG_CSR0 + 3) {
        /* from the hart's fields: readable whatever mstatus.FS says */
        *v = n == REG_CSR0 + 1 ? h->fflags : n == REG_CSR0 + 2 ? h->frm : (h->frm << 5 | h->fflags);
        return 4;
    }
    if (n >= REG_CSR0 && n < REG_PRIV)
        return csr_listed(g->d->m, (unsigned)(n - REG_CSR0)) && csr_read_raw(h, (unsigned)(n - REG_CSR0), v)
                   ? 8 : 0;
    if (n == REG_PRIV) {
        *v = (uint64_t)h->priv;
        return 8;
    }
    return 0;
}

static bool reg_set(struct gdbstub *g, struct hart *h, unsigned long n, const char *hex)
{
    uint64_t v, old;
    unsigned size = reg_get(g, h, n, &old);
    if (!size || !gdb_parse_le(hex, size, &v))
        return false;
    if (n < 32) {
        if (n)
            h->x[n] = v;
    } else if (n == REG_PC) {
        h->pc = v;
        g->absorb_step = false;     /* gdb moves the hart itself */
    } else if (n < REG_F0 + 32) {
        h->f[n - REG_F0] = v;
    } else if (n <= REG_CSR0 + 3) {
        if (n != REG_CSR0 + 2)
            h->fflags = (uint32_t)v & 0x1f;
        if (n != REG_CSR0 + 1)
            h->frm = (uint32_t)(n == REG_CSR0 + 2 ? v : v >> 5) & 7;
    } else if (n == REG_PRIV) {
        if (v != PRV_U && v != PRV_S && v != PRV_M)
            return false;
        h->priv = (int)v;
        mmu_flush_all(h);
    } else {
        return csr_write_raw(h, (unsigned)(n - REG_CSR0), v);
    }
    return true;
}

/* ---- stop replies ------------------------------------------------------- */

static struct zrec *z_of_num(struct gdbstub *g, int num)
{
    for (int i = 0; i < NZ; i++)
        if (g->z[i].num && (g->z[i].num == num || g->z[i].num2 == num))
            return &g->z[i];
    return NULL;
}

/* "Stop Reply Packets": T05 (SIGTRAP) for a breakpoint, a step or a
 * watchpoint (with watch/rwatch/awatch:ADDR, the watched address as QEMU
 * reports it), T02 (SIGINT) for gdb's interrupt; thread: the hart that stopped. */
static void stop_reply(struct gdbstub *g)
{
    struct debugger *d = g->d;
    char b[96];
    int sig = g->intr ? 2 : 5, n;
    n = snprintf(b, sizeof b, "T%02xthread:%x;", sig, d->stop_hart + 1);
    if (d->stop == STOP_WATCH && d->stop_watch >= 0 && d->stop_watch < DBG_MAX_WATCHES) {
        const struct watchpoint *w = &d->wat[d->stop_watch];
        const struct zrec *z = z_of_num(g, w->num);
        const char *kind = z && z->type == 4 ? "awatch" : w->reads ? "rwatch" : "watch";
        snprintf(b + n, sizeof b - (size_t)n, "%s:%llx;", kind,
                 (unsigned long long)(z ? z->addr : w->addr));
    }
    g->intr = false;
    /* gdb's RISC-V target takes watchpoints as reported before the access
     * (QEMU's are: the pc is the accessing instruction's), so it steps the
     * hart over that instruction before it tells the user: a step, or
     * (software single-step) breakpoints on the next instructions and a
     * continue. Ours stop just after the access. So gdb is shown the
     * accessing instruction's pc, and its step over it, already done, is
     * answered at once (gdb_run): gdb then sees what it would on QEMU. */
    g->absorb_step = d->stop == STOP_WATCH;
    g->shown_pc = d->stop_pc;
    reply(g, b);
}

static void exit_reply(struct gdbstub *g, int status)
{
    char b[16];
    snprintf(b, sizeof b, "W%02x", status & 0xff);
    reply(g, b);
}

/* ---- packets ------------------------------------------------------------ */

enum action { ACT_NONE, ACT_CONTINUE, ACT_STEP, ACT_DETACH, ACT_KILL };

static void z_packet(struct gdbstub *g, bool set, const char *args)
{
    struct debugger *d = g->d;
    struct gdb_z z;
    char err[200];
    if (gdb_parse_z(args, &z)) {
        reply_err(g, 22);
        return;
    }
    int i;
    for (i = 0; i < NZ; i++)
        if (g->z[i].num && g->z[i].type == z.type && g->z[i].addr == z.addr &&
            (z.type < 2 ? true : g->z[i].len == z.kind))
            break;
    if (!set) {
        if (i < NZ) {
            brk_delete(d, g->z[i].num);
            if (g->z[i].num2)
                brk_delete(d, g->z[i].num2);
            memset(&g->z[i], 0, sizeof g->z[i]);
            if (z.type >= 2)
                brk_flush_tlbs(d->m);
        }
        reply(g, "OK");         /* removing what is not there is not an error */
        return;
    }
    if (i < NZ) {               /* already set: gdb may re-insert */
        reply(g, "OK");
        return;
    }
    for (i = 0; i < NZ && g->z[i].num; i++)
        ;
    if (i == NZ) {
        reply_err(g, 28);
        return;
    }
    int saved = d->cur, num, num2 = 0;
    d->cur = g->gthread;        /* translated through the selected hart */
    if (z.type < 2) {
        /* gdb inserts its breakpoints on every resume, a kernel's too
         * while the MMU is still off: those wait for their mapping */
        num = brk_add_pending(d, z.addr, err, sizeof err);
    } else {
        num = watch_add(d, z.addr, z.kind, false, z.type == 3, err, sizeof err);
        if (num > 0 && z.type == 4 && (num2 = watch_add(d, z.addr, z.kind, false, true, err, sizeof err)) < 0) {
            brk_delete(d, num);
            num = -1;
        }
    }
    d->cur = saved;
    if (num <= 0) {
        reply_err(g, 14);
        return;
    }
    g->z[i] = (struct zrec){ .num = num, .num2 = num2, .type = z.type, .addr = z.addr, .len = z.kind };
    reply(g, "OK");
}

static void read_memory(struct gdbstub *g, const char *args)
{
    uint64_t addr, len;
    char err[200];
    static uint8_t buf[GDB_PKT_MAX / 2];
    if (gdb_parse_addr_len(args, &addr, &len, NULL)) {
        reply_err(g, 22);
        return;
    }
    if (len > sizeof buf)
        len = sizeof buf;       /* a shorter reply is allowed ("m" packet) */
    int saved = g->d->cur;
    g->d->cur = g->gthread;
    int r = dbg_read_virt(g->d, addr, buf, len, err, sizeof err);
    g->d->cur = saved;
    if (r) {
        reply_err(g, 14);       /* EFAULT: never a trap in the guest */
        return;
    }
    static char hex[GDB_PKT_MAX + 1];
    gdb_hex_encode(hex, buf, len);
    reply(g, hex);
}

static void write_memory(struct gdbstub *g, const uint8_t *data, uint64_t addr, size_t len)
{
    char err[200];
    int saved = g->d->cur;
    g->d->cur = g->gthread;
    int r = len ? dbg_write_virt(g->d, addr, data, len, err, sizeof err) : 0;
    g->d->cur = saved;
    if (r)
        reply_err(g, 14);
    else
        reply(g, "OK");
}

/* qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH ("General Query Packets"). */
static void xfer_reply(struct gdbstub *g, const char *data, size_t size, const char *range)
{
    uint64_t off, len;
    static char b[GDB_PKT_MAX];
    if (gdb_parse_addr_len(range, &off, &len, NULL)) {
        reply_err(g, 22);
        return;
    }
    if (len > sizeof b - 1)
        len = sizeof b - 1;
    if (off >= size) {
        reply(g, "l");
        return;
    }
    size_t n = size - off < len ? size - off : len;
    b[0] = off + n < size ? 'm' : 'l';
    memcpy(b + 1, data + off, n);
    reply_bin(g, b, n + 1);
}

static void threads_xml(struct gdbstub *g, const char *range)
{
    char b[1024];
    int n = snprintf(b, sizeof b, "<?xml version=\"1.0\"?>\n<threads>\n");
    for (int i = 0; i < g->d->m->nharts; i++)
        n += snprintf(b + n, sizeof b - (size_t)n, "<thread id=\"%x\" core=\"%d\" name=\"hart %d\"/>\n",
                      i + 1, i, i);
    n += snprintf(b + n, sizeof b - (size_t)n, "</threads>\n");
    xfer_reply(g, b, (size_t)n, range);
}

/* Commands that run the machine would leave gdb's view of it behind:
 * gdb's own continue, step and so on do that. */
static bool runs_machine(const char *cmd)
{
    static const char *const names[] = { "c", "continue", "s", "step", "stepi", "si", "n", "next",
                                         "finish", "until", "u", "quit", "q", "kill", "reset",
                                         "gdbserver", NULL };
    size_t len = strcspn(cmd, " \t");
    for (int i = 0; names[i]; i++)
        if (strlen(names[i]) == len && !strncmp(cmd, names[i], len))
            return true;
    return false;
}

/* qRcmd,HEX: `monitor CMD` runs a debugger command; its output goes back
 * as O packets ("console output") and the command ends with OK. */
static void monitor_cmd(struct gdbstub *g, const char *hex)
{
    struct debugger *d = g->d;
    static char line[GDB_PKT_MAX / 2 + 1];
    long n = gdb_hex_decode(hex, strlen(hex), (uint8_t *)line, sizeof line - 1);
    if (n < 0) {
        reply_err(g, 22);
        return;
    }
    line[n] = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        reply_err(g, 12);
        return;
    }
    char *cmd = line + strspn(line, " \t");
    if (runs_machine(cmd)) {
        fprintf(f, "monitor %s: use gdb's own command to run the machine\n", cmd);
    } else {
        d->cur = g->gthread;            /* the command sees gdb's Hg hart */
        d->out = f;
        cmd_execute(d, line);
        d->out = NULL;
        g->gthread = d->cur;            /* and `monitor hart N` selects for gdb too */
    }
    fclose(f);
    static char pkt[GDB_PKT_MAX];
    for (size_t off = 0; off < len;) {
        size_t chunk = len - off < (sizeof pkt - 2) / 2 ? len - off : (sizeof pkt - 2) / 2;
        pkt[0] = 'O';
        gdb_hex_encode(pkt + 1, text + off, chunk);
        reply(g, pkt);
        off += chunk;
    }
    free(text);
    reply(g, "OK");
}

static bool tid_hart(struct gdbstub *g, int64_t tid, int *hart)
{
    if (tid == GDB_TID_ANY || tid == GDB_TID_ALL) {
        *hart = g->gthread;
        return true;
    }
    if (tid < 1 || tid > g->d->m->nharts)
        return false;
    *hart = (int)tid - 1;
    return true;
}

/* One packet (NUL-terminated at buf[len]); what it asks the machine to do. */
static enum action handle(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    struct debugger *d = g->d;
    struct machine *m = d->m;
    static char b[GDB_PKT_MAX + 1];
    uint64_t a, l;
    int64_t tid;
    int hart;
    const char *s;
    switch (p[0]) {
    case '?':
        g->intr = false;
        stop_reply(g);
        return ACT_NONE;
    case 'g': {
        struct hart *h = ghart(g);
        for (unsigned i = 0; i < 33; i++)
            gdb_hex_le(b + 16 * i, i == 32 ? shown_pc(g, h) : i ? h->x[i] : 0, 8);
        reply(g, b);
        return ACT_NONE;
    }
    case 'G': {
        struct hart *h = ghart(g);
        uint64_t v[33];
        if (len - 1 < 33 * 16) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        for (unsigned i = 0; i < 33; i++) {
            char w[17];
            memcpy(w, p + 1 + 16 * i, 16);
            w[16] = 0;
            if (!gdb_parse_le(w, 8, &v[i])) {
                reply_err(g, 22);
                return ACT_NONE;
            }
        }
        for (unsigned i = 1; i < 32; i++)
            h->x[i] = v[i];
        if (v[32] != shown_pc(g, h)) {
            h->pc = v[32];
            g->absorb_step = false;
        }
        reply(g, "OK");
        return ACT_NONE;
    }
    case 'p': {
        s = p + 1;
        unsigned size;
        if (!gdb_parse_hex(&s, &a) || *s || !(size = reg_get(g, ghart(g), a, &l))) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        gdb_hex_le(b, l, size);
        reply(g, b);
        return ACT_NONE;
    }
    case 'P':
        s = p + 1;
        if (!gdb_parse_hex(&s, &a) || *s++ != '=' || !reg_set(g, ghart(g), a, s))
            reply_err(g, 22);
        else
            reply(g, "OK");
        return ACT_NONE;
    case 'm':
        read_memory(g, p + 1);
        return ACT_NONE;
    case 'M': {
        static uint8_t data[GDB_PKT_MAX / 2];
        long n;
        if (gdb_parse_addr_len(p + 1, &a, &l, &s) || *s++ != ':' ||
            (n = gdb_hex_decode(s, strlen(s), data, sizeof data)) < 0 || (uint64_t)n != l) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        write_memory(g, data, a, (size_t)n);
        return ACT_NONE;
    }
    case 'X': {
        /* binary data: the length given must match what the escapes leave */
        char *colon = memchr(p, ':', len);
        if (!colon) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        *colon = 0;
        size_t n = gdb_unescape(colon + 1, len - (size_t)(colon + 1 - p));
        if (gdb_parse_addr_len(p + 1, &a, &l, NULL) || l != n) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        write_memory(g, (uint8_t *)colon + 1, a, n);
        return ACT_NONE;
    }
    case 'Z': case 'z':
        z_packet(g, p[0] == 'Z', p + 1);
        return ACT_NONE;
    case 'c': case 's':
        /* c [ADDR], s [ADDR]: resume at ADDR if given */
        s = p + 1;
        if (*s && (!gdb_parse_hex(&s, &a) || *s)) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        if (p[1]) {
            ghart(g)->pc = a;
            g->absorb_step = false;
        }
        *step_hart = g->gthread;
        g->run_mask = ~0u;
        return p[0] == 'c' ? ACT_CONTINUE : ACT_STEP;
    case 'H':
        s = p + 2;
        if ((p[1] != 'g' && p[1] != 'c') || gdb_parse_tid(&s, &tid) || *s || !tid_hart(g, tid, &hart)) {
            reply_err(g, 22);
            return ACT_NONE;
        }
        if (p[1] == 'g')
            g->gthread = hart;
        reply(g, "OK");         /* Hc: vCont names its threads; c/s use the Hg one */
        return ACT_NONE;
    case 'T':
        s = p + 1;
        if (gdb_parse_tid(&s, &tid) || *s || tid < 1 || tid > m->nharts)
            reply_err(g, 22);
        else
            reply(g, "OK");
        return ACT_NONE;
    case 'D':
        reply(g, "OK");
        return ACT_DETACH;
    case 'k':
        return ACT_KILL;        /* no reply ("Packets": k) */
    case 'v':
        if (!strcmp(p, "vCont?")) {
            reply(g, "vCont;c;C;s;S;t");
            return ACT_NONE;
        }
        if (!strncmp(p, "vCont;", 6)) {
            struct gdb_vcont act[GDB_VCONT_MAX];
            int n = gdb_parse_vcont(p + 5, act, GDB_VCONT_MAX);
            if (n < 0) {
                reply_err(g, 22);
                return ACT_NONE;
            }
            /* Each hart takes the leftmost action naming it, else the
             * leftmost without a thread ("Packets", vCont); a hart with
             * none stays stopped. A step steps that hart alone (the others
             * stay stopped whatever their action). Otherwise the harts
             * whose action is c resume together (all-stop: the first stop
             * stops them all). */
            uint32_t run = 0;
            for (int h = 0; h < m->nharts; h++) {
                char op = 0;
                for (int i = 0; i < n && !op; i++)
                    if (act[i].tid == h + 1)
                        op = act[i].op;
                for (int i = 0; i < n && !op; i++)
                    if (act[i].tid == GDB_TID_ALL || act[i].tid == GDB_TID_ANY)
                        op = act[i].op;
                if (op == 's') {
                    *step_hart = h;
                    return ACT_STEP;
                }
                if (op == 'c')
                    run |= 1u << h;
            }
            for (int i = 0; i < n; i++)
                if (act[i].tid > m->nharts) {
                    reply_err(g, 22);
                    return ACT_NONE;
                }
            if (run) {
                g->run_mask = run;
                return ACT_CONTINUE;
            }
            reply(g, "OK");     /* t only: every hart is stopped already */
            return ACT_NONE;
        }
        if (!strncmp(p, "vKill", 5)) {
            reply(g, "OK");
            return ACT_KILL;
        }
        reply(g, "");           /* vMustReplyEmpty and the rest: not supported */
        return ACT_NONE;
    case 'q':
        if (!strncmp(p, "qSupported", 10)) {
            snprintf(b, sizeof b, "PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;"
                     "vContSupported+;QStartNoAckMode+", GDB_PKT_MAX);
            reply(g, b);
        } else if (!strncmp(p, "qXfer:features:read:target.xml:", 31)) {
            xfer_reply(g, g->xml, g->xml_len, p + 31);
        } else if (!strncmp(p, "qXfer:features:read:", 20)) {
            reply_err(g, 0);    /* no other annex */
        } else if (!strncmp(p, "qXfer:threads:read::", 20)) {
            threads_xml(g, p + 20);
        } else if (!strcmp(p, "qC")) {
            snprintf(b, sizeof b, "QC%x", g->gthread + 1);
            reply(g, b);
        } else if (!strcmp(p, "qfThreadInfo")) {
            int n = snprintf(b, sizeof b, "m");
            for (int i = 0; i < m->nharts; i++)
                n += snprintf(b + n, sizeof b - (size_t)n, "%s%x", i ? "," : "", i + 1);
            reply(g, b);
        } else if (!strcmp(p, "qsThreadInfo")) {
            reply(g, "l");
        } else if (!strncmp(p, "qAttached", 9)) {
            reply(g, "1");      /* attached to an existing process: D, not k, on quit */
        } else if (!strcmp(p, "qOffsets")) {
            reply(g, "Text=0;Data=0;Bss=0");
        } else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
            s = p + 17;
            if (gdb_parse_tid(&s, &tid) || *s || !tid_hart(g, tid, &hart)) {
                reply_err(g, 22);
            } else {
                char t[32];
                snprintf(t, sizeof t, "hart %d", hart);
                gdb_hex_encode(b, t, strlen(t));
                reply(g, b);
            }
        } else if (!strncmp(p, "qRcmd,", 6)) {
            monitor_cmd(g, p + 6);
        } else if (!strncmp(p, "qSymbol", 7)) {
            reply(g, "OK");     /* no symbols wanted */
        } else {
            reply(g, "");
        }
        return ACT_NONE;
    case 'Q':
        if (!strcmp(p, "QStartNoAckMode")) {
            reply(g, "OK");     /* acked as usual; no acks from here on */
            g->noack = true;
        } else {
            reply(g, "");
        }
        return ACT_NONE;
    default:
        reply(g, "");           /* unsupported: the empty reply ("Overview") */
        return ACT_NONE;
    }
}

/* Handle what the rx state machine produced for byte c; an action, if any. */
static enum action rx_event(struct gdbstub *g, enum gdb_rx_event e, int *step_hart)
{
    switch (e) {
    case GDB_RX_PACKET:
        if (!g->noack)
            send_raw(g, "+", 1);
        return handle(g, g->rx.buf, g->rx.len, step_hart);
    case GDB_RX_BADSUM:
        if (!g->noack)
            send_raw(g, "-", 1);
        return ACT_NONE;
    case GDB_RX_OVERFLOW:
        if (!g->noack)
            send_raw(g, "+", 1);
        reply_err(g, 22);       /* larger than the PacketSize we announced */
        return ACT_NONE;
    case GDB_RX_NACK:
        if (g->last && !g->noack)
            send_raw(g, g->last, g->last_len);
        return ACT_NONE;
    default:
        return ACT_NONE;        /* '+', a 0x03 while stopped, noise */
    }
}

/* Stopped: wait for gdb (a connection, packets) until it asks for the
 * machine to move. With no client the machine stays stopped only when
 * `wait` says so (-S, or a connection stopped it). */
static enum action serve_stopped(struct gdbstub *g, bool wait, int *step_hart)
{
    if (g->held) {
        g->held = false;
        int dummy = 0;
        enum action a = handle(g, g->rx.buf, g->rx.len, step_hart ? step_hart : &dummy);
        if (a != ACT_NONE)
            return a;
    }
    for (;;) {
        if (g->cfd < 0 && !wait)
            return ACT_DETACH;          /* gdb went away: the guest runs on */
        struct pollfd pf[2] = { { .fd = g->lfd, .events = POLLIN }, { .fd = g->cfd, .events = POLLIN } };
        int r = poll(pf, g->cfd >= 0 ? 2 : 1, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return ACT_KILL;
        if (pf[0].revents & POLLIN) {
            bool was = g->cfd >= 0;
            if (accept_client(g) && !was)
                wait = true;            /* a connection holds the machine for gdb */
        }
        if (g->cfd < 0 || !(pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        uint8_t buf[4096];
        ssize_t n = recv(g->cfd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            client_gone(g);
            wait = false;               /* disconnected (mid-packet or not): run on */
            continue;
        }
        for (ssize_t i = 0; i < n; i++) {
            enum action a = rx_event(g, gdb_rx_byte(&g->rx, buf[i]), step_hart);
            if (a != ACT_NONE) {
                /* bytes after a resume packet are kept for the next stop:
                 * feed them to the running-state reader */
                for (ssize_t k = i + 1; k < n; k++) {
                    enum gdb_rx_event e = gdb_rx_byte(&g->rx, buf[k]);
                    if (e == GDB_RX_INTR)
                        g->intr = true;
                    else if (e == GDB_RX_PACKET)
                        g->held = true;
                }
                return a;
            }
            if (g->cfd < 0)
                break;
        }
    }
}

/* Has gdb a breakpoint (Z0, Z1) at va? */
static bool gdb_break_at(struct gdbstub *g, uint64_t va)
{
    for (int i = 0; i < NZ; i++)
        if (g->z[i].num && g->z[i].type < 2 && g->z[i].addr == va)
            return true;
    return false;
}

/* One instruction of hart i alone (breakpoints ignored, as gdb steps off
 * them itself); 0, or the exit status when the machine ended. */
static int step_one(struct gdbstub *g, int i)
{
    struct debugger *d = g->d;
    struct machine *m = d->m;
    struct hart *h = &m->harts[i];
    d->cur = i;
    dbg_prepare_resume(d);
    d->stop_watch = -1;
    d->stepping = true;
    machine_step(m, h);
    d->stepping = false;
    d->steps++;
    if (m->exit_requested || m->reset_requested) {
        m->stop_requested = true;       /* let the run loop finish or reboot, run nothing */
        int st = machine_run(m);
        if (st != MACHINE_STOPPED)
            return st;
    }
    m->stop_requested = false;
    if (d->stop != STOP_WATCH)
        d->stop = STOP_STEP;
    d->stop_hart = i;
    return -1;
}

int gdb_run(struct debugger *d, bool frozen, bool console)
{
    struct gdbstub *g = d->gdb;
    bool stopped = frozen;
    int status = 0, step_hart = 0;
    d->stop = STOP_USER;
    d->stop_hart = d->cur;
    d->stop_watch = -1;
    for (;;) {
        /* a packet that came with the connection's stop (or behind a
         * resume) is served before anything runs: nothing else would
         * stop the machine for it */
        if (!stopped && g->held && g->cfd >= 0 && !g->resumed)
            stopped = true;
        if (!stopped) {
            dbg_prepare_resume(d);
            d->stop_watch = -1;
            if (g->intr)
                request_stop(g);        /* a 0x03 behind the resume packet */
            d->m->held = ~g->run_mask;
            d->m->first_turn = g->gthread;
            int st = dbg_run_machine(d);
            d->m->held = 0;
            g->run_mask = ~0u;
            brk_delete_internal(d);
            if (st != MACHINE_STOPPED) {
                d->exited = true;
                d->exit_status = status = st;
                if (g->cfd >= 0)
                    exit_reply(g, st);
                break;
            }
            if (d->stop == STOP_NONE) {         /* stuck, or stopped by another front end */
                d->stop = STOP_USER;
                d->stop_hart = d->cur;
            }
            d->cur = g->gthread = d->stop_hart;
            if (g->cfd < 0 && !console && d->m->stuck_msg[0] && d->m->stuck_code) {
                /* stuck (machine/stuck.h) with no gdb to show it: end as
                 * without a debugger, not stop and resume for ever */
                fprintf(stderr, "hartvm: %s\n", d->m->stuck_msg);
                status = d->m->stuck_code;
                break;
            }
            if (g->cfd < 0 && !console && !strncmp(d->stop_msg, "Stopped (Ctrl-C)", 16)) {
                /* SIGINT with no gdb to tell: end as an untrapped SIGINT would */
                fprintf(stderr, "hartvm: interrupted\n");
                d->quit = true;
                status = 130;
                break;
            }
            if (g->cfd >= 0 && g->resumed)
                stop_reply(g);
            g->resumed = false;
            stopped = true;
        }
        enum action a = serve_stopped(g, frozen || g->cfd >= 0, &step_hart);
        frozen = false;
        if (a == ACT_KILL) {
            fprintf(stderr, "hartvm: killed by gdb\n");
            d->quit = true;
            status = 0;
            break;
        }
        if (a == ACT_DETACH && console) {
            client_gone(g);
            d->stop = STOP_USER;        /* back to the prompt, stopped where gdb left it */
            snprintf(d->stop_msg, sizeof d->stop_msg, "gdb detached.");
            break;
        }
        if (a == ACT_DETACH) {
            client_gone(g);
            stopped = false;
            continue;
        }
        bool absorb = a == ACT_STEP && g->absorb_step && step_hart == d->stop_hart;
        if (a == ACT_CONTINUE && g->absorb_step && gdb_break_at(g, d->m->harts[d->stop_hart].pc))
            absorb = true;
        g->absorb_step = false;
        if (a == ACT_CONTINUE && absorb) {
            d->stop = STOP_BREAK;
            stop_reply(g);
            continue;
        }
        if (a == ACT_STEP && absorb) {
            d->stop = STOP_STEP;
            stop_reply(g);
            continue;
        }
        if (a == ACT_STEP) {
            int st = step_one(g, step_hart);
            if (st >= 0) {
                d->exited = true;
                d->exit_status = status = st;
                exit_reply(g, st);
                break;
            }
            d->cur = g->gthread = step_hart;
            stop_reply(g);
            continue;
        }
        /* continue: every hart resumes from where it is */
        d->cur = g->gthread;
        g->resumed = true;
        stopped = false;
    }
    return status;
}

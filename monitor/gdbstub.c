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
 * sources watch the sockets (gdb_conn.c). While the machine is stopped,
 * gdb_run waits in poll() for packets (gdb_packets.c); a resume packet
 * makes it call machine_run again. This file holds the stop replies and
 * that loop; gdb_priv.h lists the others.
 */
#define _GNU_SOURCE
#include "gdb_priv.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* ---- stop replies ------------------------------------------------------- */

struct zrec *stub_z_of_num(struct gdbstub *g, int num)
{
    for (int i = 0; i < NZ; i++)
        if (g->z[i].num && (g->z[i].num == num || g->z[i].num2 == num))
            return &g->z[i];
    return NULL;
}

/* "Stop Reply Packets": T05 (SIGTRAP) for a breakpoint, a step or a
 * watchpoint (with watch/rwatch/awatch:ADDR, the watched address as QEMU
 * reports it), T02 (SIGINT) for gdb's interrupt; thread: the hart that stopped. */
void stub_stop_reply(struct gdbstub *g)
{
    struct debugger *d = g->d;
    char b[96];
    int sig = g->intr ? 2 : 5, n;
    n = snprintf(b, sizeof b, "T%02xthread:%x;", sig, d->stop_hart + 1);
    if (d->stop == STOP_WATCH && d->stop_watch >= 0 && d->stop_watch < DBG_MAX_WATCHES) {
        const struct watchpoint *w = &d->wat[d->stop_watch];
        const struct zrec *z = stub_z_of_num(g, w->num);
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
    stub_reply(g, b);
}

static void exit_reply(struct gdbstub *g, int status)
{
    char b[16];
    snprintf(b, sizeof b, "W%02x", status & 0xff);
    stub_reply(g, b);
}


/* Handle what the rx state machine produced for byte c; an action, if any. */
static enum action rx_event(struct gdbstub *g, enum gdb_rx_event e, int *step_hart)
{
    switch (e) {
    case GDB_RX_PACKET:
        if (!g->noack)
            stub_send(g, "+", 1);
        return stub_handle(g, g->rx.buf, g->rx.len, step_hart);
    case GDB_RX_BADSUM:
        if (!g->noack)
            stub_send(g, "-", 1);
        return ACT_NONE;
    case GDB_RX_OVERFLOW:
        if (!g->noack)
            stub_send(g, "+", 1);
        stub_reply_err(g, 22);       /* larger than the PacketSize we announced */
        return ACT_NONE;
    case GDB_RX_NACK:
        if (g->last && !g->noack)
            stub_send(g, g->last, g->last_len);
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
        enum action a = stub_handle(g, g->rx.buf, g->rx.len, step_hart ? step_hart : &dummy);
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
            if (stub_accept(g) && !was)
                wait = true;            /* a connection holds the machine for gdb */
        }
        if (g->cfd < 0 || !(pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        uint8_t buf[4096];
        ssize_t n = recv(g->cfd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            stub_client_gone(g);
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
                stub_request_stop(g);        /* a 0x03 behind the resume packet */
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
                stub_stop_reply(g);
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
            stub_client_gone(g);
            d->stop = STOP_USER;        /* back to the prompt, stopped where gdb left it */
            snprintf(d->stop_msg, sizeof d->stop_msg, "gdb detached.");
            break;
        }
        if (a == ACT_DETACH) {
            stub_client_gone(g);
            stopped = false;
            continue;
        }
        bool absorb = a == ACT_STEP && g->absorb_step && step_hart == d->stop_hart;
        if (a == ACT_CONTINUE && g->absorb_step && gdb_break_at(g, d->m->harts[d->stop_hart].pc))
            absorb = true;
        g->absorb_step = false;
        if (a == ACT_CONTINUE && absorb) {
            d->stop = STOP_BREAK;
            stub_stop_reply(g);
            continue;
        }
        if (a == ACT_STEP && absorb) {
            d->stop = STOP_STEP;
            stub_stop_reply(g);
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
            stub_stop_reply(g);
            continue;
        }
        /* continue: every hart resumes from where it is */
        d->cur = g->gthread;
        g->resumed = true;
        stopped = false;
    }
    return status;
}

/*
 * The packets gdb sends (GDB manual, "Packets" and "General Query
 * Packets"), one function each; stub_handle dispatches on the first
 * letter. A packet gdb knows this stub does not support gets the empty
 * reply ("Overview"). Replies go out from here; what the machine must do
 * next (continue, step, detach, kill) goes back to gdb_run.
 */
#define _GNU_SOURCE
#include "gdb_priv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void z_packet(struct gdbstub *g, bool set, const char *args)
{
    struct debugger *d = g->d;
    struct gdb_z z;
    char err[200];
    if (gdb_parse_z(args, &z)) {
        stub_reply_err(g, 22);
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
        stub_reply(g, "OK");         /* removing what is not there is not an error */
        return;
    }
    if (i < NZ) {               /* already set: gdb may re-insert */
        stub_reply(g, "OK");
        return;
    }
    for (i = 0; i < NZ && g->z[i].num; i++)
        ;
    if (i == NZ) {
        stub_reply_err(g, 28);
        return;
    }
    /* Z1 (hardware) is the same mark as Z0: neither patches guest memory,
     * and both cost nothing until the marked instruction runs (QEMU too
     * treats the two kinds alike). */
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
        stub_reply_err(g, 14);
        return;
    }
    g->z[i] = (struct zrec){ .num = num, .num2 = num2, .type = z.type, .addr = z.addr, .len = z.kind };
    stub_reply(g, "OK");
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
    char *line = (char *)g->bytes;
    long n = gdb_hex_decode(hex, strlen(hex), g->bytes, sizeof g->bytes - 1);
    if (n < 0) {
        stub_reply_err(g, 22);
        return;
    }
    line[n] = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        stub_reply_err(g, 12);
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
    char *pkt = g->text;
    for (size_t off = 0; off < len;) {
        size_t chunk = len - off < (GDB_PKT_MAX - 2) / 2 ? len - off : (GDB_PKT_MAX - 2) / 2;
        pkt[0] = 'O';
        gdb_hex_encode(pkt + 1, text + off, chunk);
        stub_reply(g, pkt);
        off += chunk;
    }
    free(text);
    stub_reply(g, "OK");
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

/* p N: one register. */
static enum action pkt_p(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    const char *s = p + 1;
    uint64_t n, v;
    unsigned size;
    if (!gdb_parse_hex(&s, &n) || *s || !(size = stub_reg_get(g, stub_hart(g), n, &v))) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
    gdb_hex_le(g->text, v, size);
    stub_reply(g, g->text);
    return ACT_NONE;
}

/* P N=VALUE */
static enum action pkt_P(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    const char *s = p + 1;
    uint64_t n;
    if (!gdb_parse_hex(&s, &n) || *s++ != '=' || !stub_reg_set(g, stub_hart(g), n, s))
        stub_reply_err(g, 22);
    else
        stub_reply(g, "OK");
    return ACT_NONE;
}

static enum action pkt_g(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)p, (void)len, (void)step_hart;
    stub_regs_read(g);
    return ACT_NONE;
}

static enum action pkt_G(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)step_hart;
    stub_regs_write(g, p + 1, len - 1);
    return ACT_NONE;
}

static enum action pkt_m(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    stub_read_memory(g, p + 1);
    return ACT_NONE;
}

/* M ADDR,LEN:HEX */
static enum action pkt_M(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    uint64_t a, l;
    const char *s;
    long n;
    if (gdb_parse_addr_len(p + 1, &a, &l, &s) || *s++ != ':' ||
        (n = gdb_hex_decode(s, strlen(s), g->bytes, GDB_PKT_MAX / 2)) < 0 || (uint64_t)n != l) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
    stub_write_memory(g, g->bytes, a, (size_t)n);
    return ACT_NONE;
}

/* X ADDR,LEN:BINARY: the length given must match what the escapes leave. */
static enum action pkt_X(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)step_hart;
    uint64_t a, l;
    char *colon = memchr(p, ':', len);
    if (!colon) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
    *colon = 0;
    size_t n = gdb_unescape(colon + 1, len - (size_t)(colon + 1 - p));
    if (gdb_parse_addr_len(p + 1, &a, &l, NULL) || l != n) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
    stub_write_memory(g, (uint8_t *)colon + 1, a, n);
    return ACT_NONE;
}

static enum action pkt_Z(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    z_packet(g, p[0] == 'Z', p + 1);
    return ACT_NONE;
}

/* c [ADDR], s [ADDR]: resume the Hg hart at ADDR if given. */
static enum action pkt_resume(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len;
    const char *s = p + 1;
    uint64_t a = 0;
    if (*s && (!gdb_parse_hex(&s, &a) || *s)) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
    if (p[1]) {
        stub_hart(g)->pc = a;
        g->absorb_step = false;
    }
    *step_hart = g->gthread;
    g->run_mask = ~0u;
    return p[0] == 'c' ? ACT_CONTINUE : ACT_STEP;
}

/* Hg TID selects registers' and memory's hart; Hc is accepted (vCont
 * names its threads; c/s use the Hg one). */
static enum action pkt_H(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    const char *s = p + 2;
    int64_t tid;
    int hart;
    if ((p[1] != 'g' && p[1] != 'c') || gdb_parse_tid(&s, &tid) || *s || !tid_hart(g, tid, &hart)) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
    if (p[1] == 'g')
        g->gthread = hart;
    stub_reply(g, "OK");
    return ACT_NONE;
}

/* T TID: is the thread alive? */
static enum action pkt_T(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    const char *s = p + 1;
    int64_t tid;
    if (gdb_parse_tid(&s, &tid) || *s || tid < 1 || tid > g->d->m->nharts)
        stub_reply_err(g, 22);
    else
        stub_reply(g, "OK");
    return ACT_NONE;
}

static enum action pkt_stop_reason(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)p, (void)len, (void)step_hart;
    g->intr = false;
    stub_stop_reply(g);
    return ACT_NONE;
}

static enum action pkt_D(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)p, (void)len, (void)step_hart;
    stub_reply(g, "OK");
    return ACT_DETACH;
}

static enum action pkt_k(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)g, (void)p, (void)len, (void)step_hart;
    return ACT_KILL;            /* no reply ("Packets": k) */
}

/* vCont;ACTION[:TID]...: each hart takes the leftmost action naming it,
 * else the leftmost without a thread ("Packets", vCont); a hart with none
 * stays stopped. A step steps that hart alone (the others stay stopped
 * whatever their action). Otherwise the harts whose action is c resume
 * together (all-stop: the first stop stops them all). */
static enum action vcont(struct gdbstub *g, const char *args, int *step_hart)
{
    struct machine *m = g->d->m;
    struct gdb_vcont act[GDB_VCONT_MAX];
    int n = gdb_parse_vcont(args, act, GDB_VCONT_MAX);
    if (n < 0) {
        stub_reply_err(g, 22);
        return ACT_NONE;
    }
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
            stub_reply_err(g, 22);
            return ACT_NONE;
        }
    if (run) {
        g->run_mask = run;
        return ACT_CONTINUE;
    }
    stub_reply(g, "OK");        /* t only: every hart is stopped already */
    return ACT_NONE;
}

static enum action pkt_v(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len;
    if (!strcmp(p, "vCont?")) {
        stub_reply(g, "vCont;c;C;s;S;t");
        return ACT_NONE;
    }
    if (!strncmp(p, "vCont;", 6))
        return vcont(g, p + 5, step_hart);
    if (!strncmp(p, "vKill", 5)) {
        stub_reply(g, "OK");
        return ACT_KILL;
    }
    stub_reply(g, "");          /* vMustReplyEmpty and the rest: not supported */
    return ACT_NONE;
}

static void thread_list(struct gdbstub *g)
{
    int n = snprintf(g->text, sizeof g->text, "m");
    for (int i = 0; i < g->d->m->nharts; i++)
        n += snprintf(g->text + n, sizeof g->text - (size_t)n, "%s%x", i ? "," : "", i + 1);
    stub_reply(g, g->text);
}

static void thread_extra_info(struct gdbstub *g, const char *s)
{
    int64_t tid;
    int hart;
    if (gdb_parse_tid(&s, &tid) || *s || !tid_hart(g, tid, &hart)) {
        stub_reply_err(g, 22);
        return;
    }
    char t[32];
    snprintf(t, sizeof t, "hart %d", hart);
    gdb_hex_encode(g->text, t, strlen(t));
    stub_reply(g, g->text);
}

static enum action pkt_q(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    if (!strncmp(p, "qSupported", 10)) {
        snprintf(g->text, sizeof g->text, "PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;"
                 "vContSupported+;QStartNoAckMode+", GDB_PKT_MAX);
        stub_reply(g, g->text);
    } else if (!strncmp(p, "qXfer:features:read:target.xml:", 31)) {
        stub_xfer(g, g->xml, g->xml_len, p + 31);
    } else if (!strncmp(p, "qXfer:features:read:", 20)) {
        stub_reply_err(g, 0);   /* no other annex */
    } else if (!strncmp(p, "qXfer:threads:read::", 20)) {
        stub_threads_xml(g, p + 20);
    } else if (!strcmp(p, "qC")) {
        snprintf(g->text, sizeof g->text, "QC%x", g->gthread + 1);
        stub_reply(g, g->text);
    } else if (!strcmp(p, "qfThreadInfo")) {
        thread_list(g);
    } else if (!strcmp(p, "qsThreadInfo")) {
        stub_reply(g, "l");
    } else if (!strncmp(p, "qAttached", 9)) {
        stub_reply(g, "1");     /* attached to an existing process: D, not k, on quit */
    } else if (!strcmp(p, "qOffsets")) {
        stub_reply(g, "Text=0;Data=0;Bss=0");
    } else if (!strncmp(p, "qThreadExtraInfo,", 17)) {
        thread_extra_info(g, p + 17);
    } else if (!strncmp(p, "qRcmd,", 6)) {
        monitor_cmd(g, p + 6);
    } else if (!strncmp(p, "qSymbol", 7)) {
        stub_reply(g, "OK");    /* no symbols wanted */
    } else {
        stub_reply(g, "");
    }
    return ACT_NONE;
}

static enum action pkt_Q(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    (void)len, (void)step_hart;
    if (!strcmp(p, "QStartNoAckMode")) {
        stub_reply(g, "OK");    /* acked as usual; no acks from here on */
        g->noack = true;
    } else {
        stub_reply(g, "");
    }
    return ACT_NONE;
}

typedef enum action (*packet_fn)(struct gdbstub *g, char *p, size_t len, int *step_hart);

static const packet_fn packets[128] = {
    ['?'] = pkt_stop_reason, ['g'] = pkt_g, ['G'] = pkt_G, ['p'] = pkt_p, ['P'] = pkt_P,
    ['m'] = pkt_m, ['M'] = pkt_M, ['X'] = pkt_X, ['Z'] = pkt_Z, ['z'] = pkt_Z,
    ['c'] = pkt_resume, ['s'] = pkt_resume, ['H'] = pkt_H, ['T'] = pkt_T, ['D'] = pkt_D,
    ['k'] = pkt_k, ['v'] = pkt_v, ['q'] = pkt_q, ['Q'] = pkt_Q,
};

enum action stub_handle(struct gdbstub *g, char *p, size_t len, int *step_hart)
{
    unsigned char c = (unsigned char)p[0];
    if (c < 128 && packets[c])
        return packets[c](g, p, len, step_hart);
    stub_reply(g, "");          /* unsupported: the empty reply ("Overview") */
    return ACT_NONE;
}

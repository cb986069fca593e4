/*
 * The debugger's commands: one table (name, gdb-like aliases, handler,
 * usage, help) drives dispatch, `help` and Tab completion. Every handler
 * checks its arguments before touching the machine, and reports a problem
 * as "COMMAND: what is wrong" without changing anything.
 */
#define _GNU_SOURCE
#include "dbg.h"
#include "../machine/stuck.h"
#include "../machine/board.h"
#include "../machine/net.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef void cmd_fn(struct debugger *d, const char *name, char *args);

struct command {
    const char *name;
    const char *aliases;        /* space-separated */
    cmd_fn *fn;
    const char *usage;
    const char *help;
};

static const struct command commands[];

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

/* Evaluate an expression argument, reporting failure under the command's name. */
static bool eval(struct debugger *d, const char *cmd, const char *s, uint64_t *v)
{
    char err[200];
    if (!*s) {
        dbg_error(d, cmd, "an address or expression is needed");
        return false;
    }
    if (expr_eval(d, s, v, err, sizeof err)) {
        dbg_error(d, cmd, "%s", err);
        return false;
    }
    return true;
}

/* Split off the next whitespace-separated word. */
static char *word(char **s)
{
    char *p = *s;
    while (isspace((unsigned char)*p))
        p++;
    char *w = p;
    while (*p && !isspace((unsigned char)*p))
        p++;
    if (*p)
        *p++ = 0;
    *s = p;
    return w;
}

/* ---- execution ------------------------------------------------------------ */

static void c_continue(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    dbg_continue(d);
}

static void c_step(struct debugger *d, const char *name, char *args)
{
    uint64_t n = 1;
    args = trim(args);
    if (*args && !eval(d, name, args, &n))
        return;
    if (n == 0 || n > 100000000) {
        dbg_error(d, name, "count %llu: need 1 to 100000000", (unsigned long long)n);
        return;
    }
    dbg_step(d, n, true);
}

/* Is the instruction at pc a call (jal/jalr writing a link register)? */
static bool is_call(struct debugger *d, struct hart *h, uint64_t pc, int *len)
{
    uint32_t bits;
    struct dinsn di;
    if (dbg_fetch_insn(d, h, pc, &bits))
        return false;
    memset(&di, 0, sizeof di);
    *len = insn_decode(bits, &di);
    return (di.op == OP_jal || di.op == OP_jalr) && di.rd != X_SINK && di.rd != 0;
}

static void c_next(struct debugger *d, const char *name, char *args)
{
    (void)args;
    int len;
    struct hart *h = dbg_hart(d);
    if (!dbg_running_allowed(d, name))
        return;
    if (is_call(d, h, h->pc, &len))
        dbg_run_to(d, name, h->pc + (uint64_t)len);
    else
        dbg_step(d, 1, true);
}

/* Does a call instruction end just before a? (a is a return address) */
static bool after_call(struct debugger *d, struct hart *h, uint64_t a)
{
    int len;
    if (a & 1)
        return false;
    return (is_call(d, h, a - 4, &len) && len == 4) || (is_call(d, h, a - 2, &len) && len == 2);
}

/* The caller's frame with frame pointers (s0 = the frame's CFA; ra at
 * fp-8, the caller's fp at fp-16); a leaf saves only s0 (at fp-8) and
 * keeps its return address in ra. Candidates are accepted only when a
 * call instruction precedes them. */
static bool return_address(struct debugger *d, struct hart *h, uint64_t *ra, uint64_t *next_fp)
{
    char err[160];
    uint64_t fp = h->x[8], v = 0, off;
    const struct symbol *s = sym_by_addr(&d->syms, h->pc, &off);
    *next_fp = 0;
    if (s && off == 0 && after_call(d, h, h->x[1])) {       /* at the entry: nothing pushed yet */
        *ra = h->x[1];
        *next_fp = fp;
        return true;
    }
    if (fp && !(fp & 7) && !dbg_read_virt(d, fp - 8, &v, 8, err, sizeof err) && after_call(d, h, v)) {
        *ra = v;
        dbg_read_virt(d, fp - 16, next_fp, 8, err, sizeof err);
        return true;
    }
    if (after_call(d, h, h->x[1])) {                        /* a leaf */
        *ra = h->x[1];
        if (fp && !(fp & 7))
            dbg_read_virt(d, fp - 8, next_fp, 8, err, sizeof err);
        return true;
    }
    return false;
}

static void c_finish(struct debugger *d, const char *name, char *args)
{
    (void)args;
    uint64_t ra, fp;
    if (!dbg_running_allowed(d, name))
        return;
    if (!return_address(d, dbg_hart(d), &ra, &fp)) {
        dbg_error(d, name, "cannot find the return address (no frame pointer, and ra follows no call)");
        return;
    }
    char sym[96];
    dbg_printf(d, "Run till exit: return to 0x%llx %s\n", (unsigned long long)ra,
               sym_format(&d->syms, ra, sym, sizeof sym));
    dbg_run_to(d, name, ra);
}

static void c_until(struct debugger *d, const char *name, char *args)
{
    uint64_t va;
    if (eval(d, name, trim(args), &va))
        dbg_run_to(d, name, va);
}

/* ---- breakpoints ------------------------------------------------------------ */

static void add_break(struct debugger *d, const char *name, char *args, enum brk_kind kind)
{
    char *cond = NULL, *s = trim(args), err[200];
    char *p = strstr(s, " if ");
    if (p) {
        *p = 0;
        cond = trim(p + 4);
        uint64_t test;
        if (!*cond) {
            dbg_error(d, name, "'if' needs a condition");
            return;
        }
        if (expr_eval(d, cond, &test, err, sizeof err)) {
            dbg_error(d, name, "condition: %s", err);
            return;
        }
    }
    uint64_t va = dbg_hart(d)->pc;
    if (*trim(s) && !eval(d, name, trim(s), &va))
        return;
    int num = brk_add(d, va, kind, -1, cond, err, sizeof err);
    if (num < 0) {
        dbg_error(d, name, "%s", err);
        return;
    }
    char sym[96];
    sym_format(&d->syms, va, sym, sizeof sym);
    dbg_printf(d, "%s %d at 0x%llx%s%s%s\n", kind == BRK_TEMP ? "Temporary breakpoint" : "Breakpoint",
               num, (unsigned long long)va, sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
}

static void c_break(struct debugger *d, const char *name, char *args)
{
    add_break(d, name, args, BRK_NORMAL);
}

static void c_tbreak(struct debugger *d, const char *name, char *args)
{
    add_break(d, name, args, BRK_TEMP);
}

static void c_delete(struct debugger *d, const char *name, char *args)
{
    char *w;
    bool any = false;
    while (*(w = word(&args))) {
        char *end;
        long n = strtol(w, &end, 10);
        any = true;
        if (*end || n <= 0) {
            dbg_error(d, name, "'%s' is not a breakpoint number", w);
            continue;
        }
        if (!brk_delete(d, (int)n))
            dbg_error(d, name, "no breakpoint or watchpoint number %ld", n);
    }
    if (!any) {
        brk_delete_all(d);
        dbg_printf(d, "Deleted all breakpoints and watchpoints.\n");
    }
}

static void add_watch(struct debugger *d, const char *name, char *args, bool reads)
{
    char *s = trim(args), err[200];
    bool phys = false;
    if (!strncmp(s, "-p ", 3) || !strncmp(s, "-p\t", 3)) {
        phys = true;
        s = trim(s + 3);
    }
    /* ADDR [LEN]: the length is the last word when there are two */
    uint64_t addr, len = 8;
    char *sp = strrchr(s, ' ');
    if (sp) {
        uint64_t l;
        if (expr_eval(d, trim(sp + 1), &l, err, sizeof err) == 0 && strlen(trim(sp + 1))) {
            *sp = 0;
            len = l;
        }
    }
    if (!eval(d, name, trim(s), &addr))
        return;
    int num = watch_add(d, addr, len, phys, reads, err, sizeof err);
    if (num < 0) {
        dbg_error(d, name, "%s", err);
        return;
    }
    dbg_printf(d, "%s %d: %s 0x%llx, %llu byte%s\n", reads ? "Read watchpoint" : "Watchpoint", num,
               phys ? "physical" : "virtual", (unsigned long long)addr, (unsigned long long)len,
               len == 1 ? "" : "s");
}

static void c_watch(struct debugger *d, const char *name, char *args)
{
    add_watch(d, name, args, false);
}

static void c_rwatch(struct debugger *d, const char *name, char *args)
{
    add_watch(d, name, args, true);
}

/* ---- looking ------------------------------------------------------------------ */

static void info_harts(struct debugger *d)
{
    char sym[96];
    for (int i = 0; i < d->m->nharts; i++) {
        struct hart *h = &d->m->harts[i];
        sym_format(&d->syms, h->pc, sym, sizeof sym);
        dbg_printf(d, "%c hart %d  %s-mode  pc 0x%016llx%s%s%s  %s  instret %llu\n", i == d->cur ? '*' : ' ',
                   i, priv_name(h->priv), (unsigned long long)h->pc, sym[0] ? " <" : "", sym,
                   sym[0] ? ">" : "", h->wfi ? "wfi" : "runnable", (unsigned long long)hart_instret(h));
        char why[200];
        stuck_describe(d->m, h, why, sizeof why);  /* what it waits for, or its trap loop */
        if (strcmp(why, "running"))
            dbg_printf(d, "    %s\n", why);
    }
    if (d->m->stuck_msg[0])
        dbg_printf(d, "stuck: %s\n", d->m->stuck_msg);
}

/* QEMU's info status: a debugger at its prompt holds the machine stopped;
 * one that does not drive it (a monitor socket, QMP) sees it run unless paused. */
static void info_status(struct debugger *d)
{
    bool running = d->m->dbg != d && !d->m->paused && !d->exited;
    dbg_printf(d, "VM status: %s\n", running ? "running" : d->m->icount ? "paused"
               : "paused (prelaunch)");     /* before the first instruction (-S) */
}

/* QEMU's info cpus: one line per hart, the selected one starred; every
 * hart runs on hartvm's one thread. */
static void info_cpus(struct debugger *d)
{
    for (int i = 0; i < d->m->nharts; i++)
        dbg_printf(d, "%c CPU #%d: thread_id=%d\n", i == d->cur ? '*' : ' ', i, (int)getpid());
}

/* QEMU's info mtree: the system address space, region by region. */
static void info_mtree(struct debugger *d)
{
    struct bus *b = &d->m->bus;
    dbg_printf(d, "address-space: memory\n  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n");
    for (int i = 0; i < b->n; i++) {
        const struct region *r = &b->r[i];
        dbg_printf(d, "    %016llx-%016llx (prio 0, %s): %s\n", (unsigned long long)r->base,
                   (unsigned long long)(r->base + r->size - 1),
                   r->host ? (r->readonly ? "rom" : "ram") : "i/o", r->name);
    }
}

/* QEMU's info qtree: the board's devices (its table, board.c) on one bus. */
static void info_qtree(struct debugger *d)
{
    struct machine *m = d->m;
    dbg_printf(d, "bus: main-system-bus\n  type System\n");
    for (int i = 0; i < m->ndevs; i++) {
        const struct dev_inst *v = &m->devs[i];
        dbg_printf(d, "  dev: %s, id \"\"\n", v->cls->name);
        if (v->row && v->row->size)
            dbg_printf(d, "    mmio %016llx/%016llx\n",
                       (unsigned long long)(v->row->base + (uint64_t)v->n * v->row->size),
                       (unsigned long long)v->row->size);
    }
}

static void info_devices(struct debugger *d)
{
    struct bus *b = &d->m->bus;
    for (int i = 0; i < b->n; i++) {
        const struct region *r = &b->r[i];
        dbg_printf(d, "0x%010llx-0x%010llx  %-14s %s\n", (unsigned long long)r->base,
                   (unsigned long long)(r->base + r->size - 1), r->name,
                   r->host ? (r->readonly ? "ROM" : "RAM") : "device");
    }
}

/* QEMU's info network: each NIC with its queues and counters, then the
 * back ends (machine/net.c writes it). */
static void info_network(struct debugger *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    net_info(d->m, f);
    fclose(f);
    dbg_printf(d, "%s", buf);
    free(buf);
}

/* QEMU's set_link NAME on|off: the NIC on netdev NAME reports its link
 * down (or up again) to the driver, with a configuration interrupt. */
static void c_set_link(struct debugger *d, const char *name, char *args)
{
    char *id = word(&args), *state = word(&args);
    bool up = !strcmp(state, "on");
    if (!*id || (!up && strcmp(state, "off"))) {
        dbg_error(d, name, "need NAME on|off (NAME: a -netdev id)");
        return;
    }
    if (net_set_link(d->m, id, up))
        dbg_error(d, name, "no NIC on a netdev '%s' (info network lists them)", id);
}

/* Physical address of a host pointer into bus memory, or ~0. */
static uint64_t host_to_pa(struct debugger *d, uintptr_t host)
{
    const uint8_t *p = (const uint8_t *)host;
    const struct region *r = bus_region_of_host(&d->m->bus, p);
    return r ? r->base + (uint64_t)(p - r->host) : ~0ull;
}

static void info_tlb(struct debugger *d)
{
    struct hart *h = dbg_hart(d);
    static const char *const kind[2] = { "load ", "store" };
    unsigned n = 0;
    dbg_printf(d, "hart %u, TLBs of the current regime (%s-mode data, %s-mode fetch):\n", h->id,
               priv_name(h->tlb_ld == h->tlb[REGIME_M][0] ? PRV_M : h->tlb_ld == h->tlb[REGIME_U][0] ? PRV_U : PRV_S),
               priv_name(h->priv));
    for (int i = 0; i < TLB_SIZE; i++) {
        const struct tlb_fetch_entry *f = &h->tlb_fe[i];
        if (f->tag != TLB_EMPTY && f->dp) {
            dbg_printf(d, "fetch [%3d] va 0x%016llx -> pa 0x%llx\n", i, (unsigned long long)f->tag,
                       (unsigned long long)host_to_pa(d, (uintptr_t)dcache_host(f->dp)));
            n++;
        }
    }
    for (int k = 0; k < 2; k++) {
        const struct tlb_entry *t = k ? h->tlb_st : h->tlb_ld;
        for (int i = 0; i < TLB_SIZE; i++) {
            if (t[i].tag == TLB_EMPTY)
                continue;
            uint64_t va = t[i].tag & ~0xfffull;
            dbg_printf(d, "%s [%3d] va 0x%016llx -> pa 0x%llx\n", kind[k], i, (unsigned long long)va,
                       (unsigned long long)host_to_pa(d, t[i].addend + va));
            n++;
        }
    }
    dbg_printf(d, "%u entries\n", n);
}

/* info symbol ADDR (as gdb): which symbol, and how far into it, ADDR is. */
static void info_symbol(struct debugger *d, const char *name, const char *expr)
{
    uint64_t v;
    char buf[160];
    if (!eval(d, name, expr, &v))
        return;
    if (*sym_format(&d->syms, v, buf, sizeof buf))
        dbg_printf(d, "0x%llx is %s\n", (unsigned long long)v, buf);
    else
        dbg_printf(d, "No symbol matches 0x%llx.\n", (unsigned long long)v);
}

static void c_info(struct debugger *d, const char *name, char *args)
{
    char *what = word(&args);
    size_t n = strlen(what);
    struct hart *h = dbg_hart(d);
#define IS(full, min) (n >= (min) && !strncmp(what, full, n))
    if (IS("breakpoints", 1) || IS("watchpoints", 2))
        brk_list(d);
    else if (IS("registers", 1) || !strcmp(what, "regs"))
        regs_info(d, h);
    else if (IS("fregs", 1) || IS("float", 2))
        regs_fregs(d, h);
    else if (IS("csrs", 1))
        !strcmp(trim(args), "all") ? regs_csrs_all(d, h) : regs_csrs(d, h);
    else if (IS("harts", 1) || IS("threads", 2))
        info_harts(d);
    else if (IS("devices", 1))
        info_devices(d);
    else if (IS("status", 2))
        info_status(d);
    else if (IS("cpus", 2))
        info_cpus(d);
    else if (IS("mtree", 1))
        info_mtree(d);
    else if (IS("qtree", 1))
        info_qtree(d);
    else if (IS("tlb", 2))
        info_tlb(d);
    else if (IS("migrate", 2))
        info_migrate(d);
    else if (IS("network", 1))
        info_network(d);
    else if (IS("symbols", 2) && !*trim(args))
        dbg_printf(d, "%zu symbols loaded\n", d->syms.n);
    else if (IS("symbols", 2))
        info_symbol(d, name, trim(args));
    else
        dbg_error(d, name, "'%s': need break, regs, fregs, csrs [all], harts, devices, tlb,"
                  " status, cpus, mtree, qtree, migrate or network", what);
#undef IS
}

static void c_print(struct debugger *d, const char *name, char *args)
{
    char fmt = 'x';
    if (*args == '/') {
        fmt = args[1];
        if (!strchr("xdutoc", fmt) || !fmt) {
            dbg_error(d, name, "format '/%c': need x, d, u, t, o or c", fmt ? fmt : ' ');
            return;
        }
        args += 2;
    }
    char *e = trim(args);
    uint64_t v;
    if (!eval(d, name, e, &v))
        return;
    int num = ++d->value_num;
    switch (fmt) {
    case 'd': dbg_printf(d, "$%d = %lld\n", num, (long long)v); return;
    case 'u': dbg_printf(d, "$%d = %llu\n", num, (unsigned long long)v); return;
    case 'o': dbg_printf(d, "$%d = 0%llo\n", num, (unsigned long long)v); return;
    case 'c': dbg_printf(d, "$%d = %llu '%c'\n", num, (unsigned long long)v, isprint((int)(v & 0xff)) ? (int)v : '?'); return;
    case 't': {
        char bits[65];
        int i = 64;
        bits[i] = 0;
        do { bits[--i] = '0' + (v & 1); v >>= 1; } while (v);
        dbg_printf(d, "$%d = 0b%s\n", num, bits + i);
        return;
    }
    }
    char sym[96], fields[200] = "";
    sym_format(&d->syms, v, sym, sizeof sym);
    const char *n = e[0] == '$' ? e + 1 : e;
    int csr = expr_reg(n) < 0 ? expr_csr(n) : -1;
    if (csr >= 0)
        regs_csr_fields((unsigned)csr, v, fields, sizeof fields);
    dbg_printf(d, "$%d = 0x%llx (%lld)%s%s%s\n", num, (unsigned long long)v, (long long)v,
               sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
    if (fields[0]) {
        /* mstatus.MPP=S mstatus.MIE=1 ... */
        dbg_printf(d, "  ");
        for (char *f = fields, *tok; (tok = strtok_r(f, " ", &f));)
            dbg_printf(d, strchr(tok, '=') ? "%s.%s " : "%s ", n, tok);
        dbg_printf(d, "\n");
    }
}

static void c_set(struct debugger *d, const char *name, char *args)
{
    unsigned size = 8;
    if (*args == '/') {
        const char *sz = "bhwg";
        const char *p = args[1] ? strchr(sz, args[1]) : NULL;
        if (!p) {
            dbg_error(d, name, "size '/%c': need b, h, w or g", args[1] ? args[1] : ' ');
            return;
        }
        size = 1u << (p - sz);
        args += 2;
    }
    /* the first '=' that is not part of ==, !=, <=, >= */
    char *eq = NULL;
    for (char *p = args; *p; p++)
        if (*p == '=' && p[1] != '=' && (p == args || !strchr("=!<>", p[-1]))) {
            eq = p;
            break;
        }
    if (!eq) {
        dbg_error(d, name, "need REG = VALUE, CSR = VALUE or *ADDR = VALUE");
        return;
    }
    *eq = 0;
    char *lhs = trim(args), *rhs = trim(eq + 1), err[200];
    uint64_t v;
    if (!eval(d, name, rhs, &v))
        return;
    struct hart *h = dbg_hart(d);
    if (*lhs == '*') {
        uint64_t addr;
        if (!eval(d, name, trim(lhs + 1), &addr))
            return;
        if (dbg_write_virt(d, addr, &v, size, err, sizeof err))
            dbg_error(d, name, "%s", err);
        return;
    }
    const char *n = *lhs == '$' ? lhs + 1 : lhs;
    int r = expr_reg(n);
    if (r == 32) {
        if (v & 1) {
            dbg_error(d, name, "pc 0x%llx: instructions are 2-byte aligned", (unsigned long long)v);
            return;
        }
        h->pc = v;
    } else if (r == 0) {
        dbg_error(d, name, "x0 is hard-wired to zero");
    } else if (r > 0) {
        h->x[r] = v;
    } else if ((r = expr_csr(n)) >= 0) {
        if (!csr_write_raw(h, (unsigned)r, v))
            dbg_error(d, name, "CSR %s cannot be written", n);
    } else {
        dbg_error(d, name, "no register or CSR named '%s' (memory: set *ADDR = VALUE)", lhs);
    }
}

/* x/Nfu and xp/Nfu: N units of size u (b h w g) in format f (x d u o t c i s). */
static void examine(struct debugger *d, const char *name, char *args, bool physical)
{
    uint64_t count = 1;
    char fmt = 'x', size = 'w';
    if (*args == '/') {
        char *p = args + 1;
        if (isdigit((unsigned char)*p))
            count = strtoull(p, &p, 10);
        while (*p && !isspace((unsigned char)*p)) {
            if (strchr("xduotcis", *p))
                fmt = *p;
            else if (strchr("bhwg", *p))
                size = *p;
            else {
                dbg_error(d, name, "'/%s': format is x d u o t c i s, size b h w g", args + 1);
                return;
            }
            p++;
        }
        args = p;
        if (fmt == 'c' && !strchr(args - 1, 'b'))
            size = 'b';
    }
    if (count == 0 || count > 4096) {
        dbg_error(d, name, "count %llu: need 1 to 4096", (unsigned long long)count);
        return;
    }
    uint64_t a;
    char *e = trim(args);
    if (!*e) {
        dbg_error(d, name, "an address is needed");
        return;
    }
    if (!eval(d, name, e, &a))
        return;
    char err[200], sym[96];
    if (fmt == 'i') {
        if (physical) {
            dbg_error(d, name, "format i needs a virtual address (use x/i or disassemble)");
            return;
        }
        for (uint64_t i = 0; i < count; i++) {
            char line[256];
            int len;
            dbg_disasm_line(d, dbg_hart(d), a, a == dbg_hart(d)->pc, line, sizeof line, &len);
            dbg_printf(d, "%s\n", line);
            a += (uint64_t)len;
        }
        return;
    }
    if (fmt == 's') {
        char buf[4097];
        size_t n = 0;
        for (; n < sizeof buf - 1; n++) {
            int r = physical ? dbg_read_phys(d, a + n, &buf[n], 1, err, sizeof err)
                             : dbg_read_virt(d, a + n, &buf[n], 1, err, sizeof err);
            if (r) {
                if (!n) {
                    dbg_error(d, name, "%s", err);
                    return;
                }
                break;
            }
            if (!buf[n])
                break;
        }
        buf[n] = 0;
        dbg_printf(d, "0x%llx: \"", (unsigned long long)a);
        for (size_t i = 0; i < n; i++)
            dbg_printf(d, isprint((unsigned char)buf[i]) ? "%c" : "\\x%02x", (unsigned char)buf[i]);
        dbg_printf(d, "\"\n");
        return;
    }
    unsigned bytes = size == 'b' ? 1 : size == 'h' ? 2 : size == 'w' ? 4 : 8;
    unsigned per_line = size == 'g' ? 2 : size == 'w' ? 4 : 8;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t v = 0, at = a + i * bytes;
        int r = physical ? dbg_read_phys(d, at, &v, bytes, err, sizeof err)
                         : dbg_read_virt(d, at, &v, bytes, err, sizeof err);
        if (r) {
            if (i % per_line)
                dbg_printf(d, "\n");
            dbg_error(d, name, "%s", err);
            return;
        }
        if (i % per_line == 0) {
            sym_format(&d->syms, at, sym, sizeof sym);
            dbg_printf(d, "%s0x%016llx%s%s%s:", i ? "\n" : "", (unsigned long long)at,
                       sym[0] && !physical ? " <" : "", physical ? "" : sym, sym[0] && !physical ? ">" : "");
        }
        int64_t sv = bytes == 8 ? (int64_t)v : (int64_t)(v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
        switch (fmt) {
        case 'x': dbg_printf(d, "  0x%0*llx", (int)bytes * 2, (unsigned long long)v); break;
        case 'd': dbg_printf(d, "  %lld", (long long)sv); break;
        case 'u': dbg_printf(d, "  %llu", (unsigned long long)v); break;
        case 'o': dbg_printf(d, "  0%llo", (unsigned long long)v); break;
        case 'c': dbg_printf(d, "  '%c'", isprint((int)v) ? (int)v : '.'); break;
        case 't':
            dbg_printf(d, "  ");
            for (int b = (int)bytes * 8 - 1; b >= 0; b--)
                dbg_printf(d, "%c", (int)((v >> b) & 1) + '0');
            break;
        }
    }
    dbg_printf(d, "\n");
}

static void c_x(struct debugger *d, const char *name, char *args)
{
    examine(d, name, args, false);
}

static void c_xp(struct debugger *d, const char *name, char *args)
{
    examine(d, name, args, true);
}

static void c_disassemble(struct debugger *d, const char *name, char *args)
{
    struct hart *h = dbg_hart(d);
    uint64_t a = h->pc, n = 8;
    char *as = word(&args), *ns = word(&args);
    if (*as && !eval(d, name, as, &a))
        return;
    if (*ns && !eval(d, name, ns, &n))
        return;
    if (n == 0 || n > 4096) {
        dbg_error(d, name, "count %llu: need 1 to 4096", (unsigned long long)n);
        return;
    }
    for (uint64_t i = 0; i < n; i++) {
        char line[256];
        int len;
        dbg_disasm_line(d, h, a, a == h->pc, line, sizeof line, &len);
        dbg_printf(d, "%s\n", line);
        a += (uint64_t)len;
    }
}

static void c_backtrace(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    struct hart *h = dbg_hart(d);
    char sym[96], err[160];
    dbg_printf(d, "#0  0x%016llx %s\n", (unsigned long long)h->pc, sym_format(&d->syms, h->pc, sym, sizeof sym));
    uint64_t ra, fp;
    if (!return_address(d, h, &ra, &fp))
        return;
    for (int level = 1; level < 64; level++) {
        dbg_printf(d, "#%-2d 0x%016llx %s\n", level, (unsigned long long)ra, sym_format(&d->syms, ra, sym, sizeof sym));
        uint64_t nra, nfp;
        if (!fp || (fp & 7) || dbg_read_virt(d, fp - 8, &nra, 8, err, sizeof err) || !after_call(d, h, nra) ||
            dbg_read_virt(d, fp - 16, &nfp, 8, err, sizeof err))
            return;
        if (nfp && nfp <= fp)           /* frames must go up the stack */
            return;
        ra = nra;
        fp = nfp;
    }
}

static void c_hart(struct debugger *d, const char *name, char *args)
{
    char *s = trim(args);
    if (!*s) {
        dbg_printf(d, "Current hart is %d.\n", d->cur);
        return;
    }
    char *end;
    long n = strtol(s, &end, 0);
    if (*end || n < 0 || n >= d->m->nharts) {
        dbg_error(d, name, "'%s': harts are 0 to %d", s, d->m->nharts - 1);
        return;
    }
    d->cur = (int)n;
    dbg_printf(d, "[Switching to hart %ld]\n", n);
    dbg_show_location(d, dbg_hart(d));
}

static void c_vtop(struct debugger *d, const char *name, char *args)
{
    uint64_t va;
    if (eval(d, name, trim(args), &va))
        pw_vtop(d, dbg_hart(d), va);
}

static void c_pagetable(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    pw_pagetable(d, dbg_hart(d));
}

static void c_mode(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    regs_mode(d, dbg_hart(d));
}

static void c_trace(struct debugger *d, const char *name, char *args)
{
    char *what = word(&args), *file = trim(args), err[300];
    if (!strcmp(what, "off")) {
        if (d->trace)
            dbg_printf(d, "Trace to %s stopped.\n", d->trace_path);
        trace_stop(d);
    } else if (!strcmp(what, "on")) {
        if (!*file) {
            dbg_error(d, name, "on needs a file ('-' for the console)");
            return;
        }
        if (trace_start(d, file, err, sizeof err))
            dbg_error(d, name, "%s", err);
        else
            dbg_printf(d, "Tracing every instruction to %s.\n", file);
    } else {
        dbg_error(d, name, "need 'on FILE' or 'off'");
    }
}

/* The gdb stub on a machine the console drives: gdb takes over until it
 * detaches (the prompt comes back, the machine stopped), kills it or the
 * machine ends. */
static void c_gdbserver(struct debugger *d, const char *name, char *args)
{
    char dev[300], err[400];
    uint64_t port;
    args = trim(args);
    if (!dbg_running_allowed(d, name))
        return;
    if (!*args)
        snprintf(dev, sizeof dev, "tcp::1234");
    else if (!expr_eval(d, args, &port, err, sizeof err) && port > 0 && port < 65536 &&
             strspn(args, "0123456789") == strlen(args))
        snprintf(dev, sizeof dev, "tcp::%llu", (unsigned long long)port);
    else if (!strncmp(args, "tcp:", 4) || !strncmp(args, "unix:", 5))
        snprintf(dev, sizeof dev, "%s", args);
    else {
        dbg_error(d, name, "'%s': need a port, tcp:[HOST]:PORT or unix:PATH", args);
        return;
    }
    if (gdb_open(d, dev, err, sizeof err)) {
        dbg_error(d, name, "%s", err);
        return;
    }
    dbg_printf(d, "Waiting for gdb on %s (gdb: target remote %s)\n", dev,
               !strncmp(dev, "unix:", 5) ? dev + 5 : strrchr(dev, ':'));
    fflush(stdout);
    gdb_run(d, true, true);
    gdb_close(d);
    if (d->exited)
        dbg_printf(d, "[machine exited: status %d]\n", d->exit_status);
    else if (!d->quit) {
        dbg_printf(d, "%s\n", d->stop_msg);
        dbg_show_location(d, dbg_hart(d));
    }
}

static void c_symbols(struct debugger *d, const char *name, char *args)
{
    char *file = word(&args), *off = trim(args), err[300];
    uint64_t offset = 0;
    if (!*file) {
        dbg_error(d, name, "need an ELF file");
        return;
    }
    if (*off && !eval(d, name, off, &offset))
        return;
    int n = sym_load(&d->syms, file, offset, err, sizeof err);
    if (n < 0)
        dbg_error(d, name, "%s", err);
    else
        dbg_printf(d, "Loaded %d symbols from %s\n", n, file);
}

/* screendump FILE: the framebuffer as a PPM, as QEMU's monitor does */
static void c_screendump(struct debugger *d, const char *name, char *args)
{
    char *file = trim(args), err[300];
    if (!*file) {
        dbg_error(d, name, "need a file name (FILE.ppm)");
        return;
    }
    if (fb_screendump(d->m, file, err, sizeof err))
        dbg_error(d, name, "%s", err);
    else
        dbg_printf(d, "Screen written to %s (%ux%u).\n", file, d->m->fb.width, d->m->fb.height);
}

static void c_stats(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    struct machine *m = d->m;
    unsigned long pages, live;
    dcache_count(&m->bus, &pages, &live);
    dbg_printf(d, "instructions retired: %llu\n", (unsigned long long)m->icount);
    for (int i = 0; i < m->nharts; i++)
        dbg_printf(d, "  hart %d: %llu\n", i, (unsigned long long)hart_instret(&m->harts[i]));
    dbg_printf(d, "decoded pages: %lu (%lu live)\n", pages, live);
    dbg_printf(d, "debugger: %llu stops, %llu steps, %llu breakpoint hits, %llu watchpoint hits\n",
               (unsigned long long)d->stops, (unsigned long long)d->steps,
               (unsigned long long)d->break_hits, (unsigned long long)d->watch_hits);
    dbg_printf(d, "set: %u breakpoints, %u watchpoints; trace %s\n", m->core.nbreak, m->core.nwatch,
               d->trace ? d->trace_path : "off");
}

/* QEMU's commit: a snapshot=on drive's changes into its image. */
static void c_commit(struct debugger *d, const char *name, char *args)
{
    char *what = trim(args), err[1200];
    if (!*what)
        dbg_error(d, name, "need a drive name or 'all'");
    else if (blk_commit(d->m, what, err, sizeof err))
        dbg_printf(d, "%s\n", err);
}

/* QEMU's stop: at the prompt the machine is stopped already. */
static void c_stop(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    (void)d;
}

/* QEMU's system_reset: reboot now and stay stopped; with -no-reboot the
 * machine ends instead (at the next continue). */
static void c_system_reset(struct debugger *d, const char *name, char *args)
{
    struct machine *m = d->m;
    (void)args;
    if (!dbg_running_allowed(d, name))
        return;
    machine_request_reset(m);
    if (!m->reset_requested) {
        dbg_printf(d, "-no-reboot: the machine ends at the next continue\n");
        return;
    }
    m->reset_requested = false;
    if (machine_reset(m)) {
        dbg_error(d, name, "the images could not be loaded again");
        return;
    }
    dbg_show_location(d, dbg_hart(d));
}

static void c_quit(struct debugger *d, const char *name, char *args)
{
    (void)name;
    (void)args;
    d->quit = true;
}

static void c_help(struct debugger *d, const char *name, char *args);

static const struct command commands[] = {
    { "continue", "c cont", c_continue, "continue",
      "Run all harts until a breakpoint, a watchpoint, C-a c (Ctrl-C with the console elsewhere) or the end." },
    { "step", "s si stepi", c_step, "step [N]",
      "Execute N instructions (default 1) on the selected hart; the other harts stay still." },
    { "next", "n ni nexti", c_next, "next", "Step one instruction, running through calls (jal/jalr with a link)." },
    { "finish", "fin", c_finish, "finish", "Run until the current function returns (return address from ra or the frame)." },
    { "until", "u advance", c_until, "until ADDR", "Run until the selected hart reaches ADDR." },
    { "break", "b br", c_break, "break [ADDR|SYMBOL] [if EXPR]",
      "Stop when an instruction at ADDR is about to run (and EXPR is non-zero)." },
    { "tbreak", "tb", c_tbreak, "tbreak [ADDR|SYMBOL] [if EXPR]", "A breakpoint that is deleted when hit." },
    { "delete", "d del", c_delete, "delete [N...]", "Delete breakpoints/watchpoints N, or all of them." },
    { "watch", "wa", c_watch, "watch [-p] ADDR [LEN]",
      "Stop after a store to LEN bytes (default 8) at ADDR: virtual, or physical with -p." },
    { "rwatch", "rw", c_rwatch, "rwatch [-p] ADDR [LEN]", "Stop after a load from LEN bytes at ADDR." },
    { "info", "i", c_info, "info break|regs|fregs|csrs [all]|harts|devices|tlb|symbol [ADDR]|...",
      "Show breakpoints, registers, FP registers, CSRs (decoded), harts, the bus, the TLBs,\n"
      "  the symbol at ADDR (without ADDR: how many symbols are loaded); as QEMU's monitor:\n"
      "  registers, status, cpus, mtree (the bus), qtree (the board's devices), network\n"
      "  (NICs, their queues and counters, the back ends)." },
    { "print", "p", c_print, "print[/xdutoc] EXPR",
      "Evaluate EXPR: registers, CSRs by name, symbols, numbers, C operators, *ADDR (8 bytes)." },
    { "set", "", c_set, "set REG|CSR = VALUE, set[/bhwg] *ADDR = VALUE",
      "Change a register, a CSR or memory (virtual address)." },
    { "x", "", c_x, "x/NFU ADDR", "Examine memory at a virtual address (through the selected hart's translation):\n"
      "  N count, F format x d u o t c i s, U size b h w g." },
    { "xp", "", c_xp, "xp/NFU ADDR", "Examine physical memory." },
    { "disassemble", "disas dis", c_disassemble, "disassemble [ADDR [N]]",
      "Disassemble N instructions (default 8) from ADDR (default pc)." },
    { "backtrace", "bt where", c_backtrace, "backtrace", "Show the call chain, following frame pointers (s0)." },
    { "hart", "thread", c_hart, "hart [N]", "Select hart N (or show the selected one)." },
    { "vtop", "", c_vtop, "vtop VA", "Walk the page table for VA: each level, the PTE, the result or fault." },
    { "pagetable", "pt", c_pagetable, "pagetable", "List all mappings of the current satp as ranges." },
    { "mode", "", c_mode, "mode", "Show the privilege level and what put the hart there." },
    { "trace", "", c_trace, "trace on FILE|off", "Write one line per retired instruction to FILE ('-': stdout)." },
    { "gdbserver", "", c_gdbserver, "gdbserver [PORT|tcp:[HOST]:PORT|unix:PATH]",
      "Serve gdb (default tcp::1234, loopback) until it detaches: gdb drives the machine meanwhile." },
    { "symbols", "sym symbol-file", c_symbols, "symbols FILE [OFFSET]", "Load the symbols of an ELF file, moved by OFFSET." },
    { "stats", "", c_stats, "stats", "Show instruction counts and debugger statistics." },
    { "screendump", "", c_screendump, "screendump FILE.ppm",
      "Write the framebuffer (-display sdl or --fb) to FILE as a binary PPM." },
    { "savevm", "", cmd_savevm, "savevm FILE",
      "Write a snapshot of the whole machine to FILE (hartvm -incoming file:FILE resumes it)." },
    { "loadvm", "", cmd_loadvm, "loadvm FILE",
      "Put the machine in the state of the snapshot in FILE (same command line), stopped." },
    { "migrate", "", cmd_migrate, "migrate tcp:[HOST]:PORT|unix:PATH|file:FILE",
      "Move the machine live to a hartvm started with -incoming URI (the same command line); this one "
      "stays paused after." },
    { "migrate_cancel", "", cmd_migrate_cancel, "migrate_cancel", "Stop a running migration; the guest runs on." },
    { "commit", "", c_commit, "commit ID|all",
      "Write what the guest wrote to a snapshot=on (or -snapshot) drive into its image\n"
      "  (ID: the drive's id=, or virtioN), and empty the overlay; other drives are flushed." },
    { "stop", "", c_stop, "stop", "QEMU's stop (the machine is stopped at this prompt)." },
    { "set_link", "", c_set_link, "set_link NAME on|off",
      "The link of the NIC on -netdev NAME up or down, as the guest's driver sees it." },
    { "system_reset", "", c_system_reset, "system_reset",
      "Reboot: fresh RAM, images and devices, harts at the reset vector (still stopped)." },
    { "quit", "q exit", c_quit, "quit", "Leave hartvm (exit status: the guest's if it has exited, else 0)." },
    { "help", "h ?", c_help, "help [COMMAND]", "List the commands, or explain one." },
    { NULL, NULL, NULL, NULL, NULL },
};

static bool has_alias(const struct command *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = c->aliases; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && !strncmp(p, name, n))
            return true;
        p += len;
        while (*p == ' ')
            p++;
    }
    return false;
}

static const struct command *find(const char *name)
{
    for (const struct command *c = commands; c->name; c++)
        if (!strcmp(c->name, name) || has_alias(c, name))
            return c;
    return NULL;
}

static void c_help(struct debugger *d, const char *name, char *args)
{
    char *what = trim(args);
    if (*what) {
        const struct command *c = find(what);
        if (!c) {
            dbg_error(d, name, "no command '%s'", what);
            return;
        }
        dbg_printf(d, "%s\n  %s\n", c->usage, c->help);
        if (c->aliases[0])
            dbg_printf(d, "  aliases: %s\n", c->aliases);
        return;
    }
    for (const struct command *c = commands; c->name; c++)
        dbg_printf(d, "  %-48s %s\n", c->usage, c->aliases);
    dbg_printf(d, "C-a c switches between the guest console and this prompt; 'help CMD' explains one.\n");
}

/* Command names starting with prefix, one per call (for completion). */
const char *cmd_complete_name(int index, const char *prefix, int *state)
{
    (void)index;
    size_t n = strlen(prefix);
    for (; commands[*state].name; (*state)++)
        if (!strncmp(commands[*state].name, prefix, n))
            return commands[(*state)++].name;
    return NULL;
}

bool cmd_known(const char *name, size_t n)
{
    char buf[32];
    if (n >= sizeof buf)
        return false;
    memcpy(buf, name, n);
    buf[n] = 0;
    return find(buf) != NULL;
}

void cmd_execute(struct debugger *d, char *line)
{
    char *s = trim(line);
    if (!*s || *s == '#')
        return;
    /* the name ends at a space or at '/' (x/4x, p/x, set/w) */
    size_t n = strcspn(s, " \t/");
    char name[32];
    if (n >= sizeof name) {
        dbg_error(d, s, "unknown command; try 'help'");
        return;
    }
    memcpy(name, s, n);
    name[n] = 0;
    const struct command *c = find(name);
    if (!c) {
        dbg_error(d, name, "unknown command; try 'help'");
        return;
    }
    char *args = s + n;
    if (*args != '/')
        args = trim(args);
    /* "info r" style keeps its own words; the rest get the argument text */
    c->fn(d, name, args);
}

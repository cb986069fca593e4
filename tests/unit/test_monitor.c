/*
 * The debugger's pieces (monitor/): the expression evaluator, symbol
 * lookup, and breakpoints and watchpoints as the interpreter sees them —
 * stop before the instruction, step over once, survive re-decoding of the
 * page, watch a store, and cost nothing once removed.
 *
 * The guest is four instructions at 0x8000_0000 (encodings written from
 * the ISA manual's base formats):
 *   0x00: auipc t0, 0          00000297
 *   0x04: addi  a0, a0, 1      00150513   <- loop
 *   0x08: sd    a0, 256(t0)    10a2b023   (to 0x8000_0100)
 *   0x0c: j     loop           ff9ff06f
 */
#include "unit.h"
#include "../../monitor/dbg.h"
#include "../../machine/options.h"
#include <string.h>
#include <unistd.h>

#define RAM 0x80000000ull

static struct machine *m;
static struct debugger *d;

static void setup(void)
{
    static const uint32_t prog[] = { 0x00000297, 0x00150513, 0x10a2b023, 0xff9ff06f };
    char path[] = "/tmp/hartvm-mon-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, prog, sizeof prog), (ssize_t)sizeof prog);
    close(fd);
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", path, "-m", "16M", "-serial", "file:/dev/null", NULL };
    struct options opt;
    char err[256];
    ck_assert_msg(options_parse(9, argv, &opt, stdout, err, sizeof err) == PARSE_OK, "%s", err);
    m = calloc(1, sizeof *m);
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    m->opt.kernel = NULL;
    d = calloc(1, sizeof *d);
    d->m = m;
    dbg_attach(d);
}

static void teardown(void)
{
    brk_delete_all(d);
    sym_free(&d->syms);
    dbg_detach(d);
    free(d);
    machine_free(m);
    free(m);
}

static uint64_t ev(const char *s)
{
    uint64_t v = 0;
    char err[200];
    ck_assert_msg(expr_eval(d, s, &v, err, sizeof err) == 0, "'%s': %s", s, err);
    return v;
}

static void ev_fails(const char *s, const char *why)
{
    uint64_t v;
    char err[200] = "";
    ck_assert_msg(expr_eval(d, s, &v, err, sizeof err) != 0, "'%s' should fail", s);
    ck_assert_msg(strstr(err, why), "'%s': message '%s' lacks '%s'", s, err, why);
}

START_TEST(expr_arithmetic)
{
    ck_assert_uint_eq(ev("1+2*3"), 7);
    ck_assert_uint_eq(ev("(1+2)*3"), 9);
    ck_assert_uint_eq(ev("1<<4|1"), 17);
    ck_assert_uint_eq(ev("10/3"), 3);
    ck_assert_uint_eq(ev("10%3"), 1);
    ck_assert_uint_eq(ev("-1"), ~0ull);
    ck_assert_uint_eq(ev("~0xff & 0x1ff"), 0x100);
    ck_assert_uint_eq(ev("!0"), 1);
    ck_assert_uint_eq(ev("3>2 && 2>3"), 0);
    ck_assert_uint_eq(ev("3>=3 || 0"), 1);
    ck_assert_uint_eq(ev("1 == 1 != 0"), 1);
    ck_assert_uint_eq(ev("'A'"), 65);
    ck_assert_uint_eq(ev("0b101 ^ 1"), 4);
    ck_assert_uint_eq(ev("0x10 - 1"), 15);
}
END_TEST

START_TEST(expr_state)
{
    struct hart *h = &m->harts[0];
    h->x[10] = 42;
    h->x[8] = 7;
    ck_assert_uint_eq(ev("a0"), 42);
    ck_assert_uint_eq(ev("$a0 + x10"), 84);
    ck_assert_uint_eq(ev("fp"), 7);          /* s0 */
    ck_assert_uint_eq(ev("zero"), 0);
    ck_assert_uint_eq(ev("$pc"), 0x1000);    /* reset vector */
    ck_assert_uint_eq(ev("priv"), PRV_M);
    ck_assert_uint_eq(ev("mhartid"), 0);
    h->mscratch = 0x1234;
    ck_assert_uint_eq(ev("$mscratch >> 4"), 0x123);
    /* *ADDR reads 8 bytes through the translation (M-mode: physical) */
    uint64_t word = 0x1122334455667788ull;
    ck_assert_int_eq(bus_write_mem(&m->bus, RAM + 0x800, &word, 8), 0);
    ck_assert_uint_eq(ev("*0x80000800"), word);
}
END_TEST

START_TEST(expr_errors)
{
    ev_fails("1/0", "division by zero");
    ev_fails("5%0", "division by zero");
    ev_fails("nosuch + 1", "nosuch");
    ev_fails("1+", "expected");
    ev_fails("(1", "')'");
    ev_fails("1 2", "unexpected");
    ev_fails("*0x10", "0x10");                /* not memory */
}
END_TEST

START_TEST(symbols_lookup)
{
    struct symbol v[] = {
        { 0x80000000, 0x10, strdup("start") },
        { 0x80000010, 0, strdup("label") },
        { 0x80000100, 8, strdup("datum") },
    };
    d->syms.v = malloc(sizeof v);
    memcpy(d->syms.v, v, sizeof v);
    d->syms.n = d->syms.cap = 3;
    uint64_t off;
    const struct symbol *s = sym_by_addr(&d->syms, 0x80000004, &off);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->name, "start");
    ck_assert_uint_eq(off, 4);
    s = sym_by_addr(&d->syms, 0x80000020, &off);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->name, "label");     /* sizeless: nearest below */
    ck_assert_uint_eq(off, 0x10);
    ck_assert_ptr_null(sym_by_addr(&d->syms, 0x7fffffff, &off));
    char buf[64];
    ck_assert_str_eq(sym_format(&d->syms, 0x80000104, buf, sizeof buf), "datum+0x4");
    ck_assert_str_eq(sym_format(&d->syms, 0x80000100, buf, sizeof buf), "datum");
    ck_assert_uint_eq(ev("datum + 8"), 0x80000108);
    ck_assert_uint_eq(ev("&start"), 0x80000000);
    char err[200];
    ck_assert_int_lt(sym_load(&d->syms, "/dev/null", 0, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(err, "/dev/null"));
}
END_TEST

/* Run until the debugger stops the machine; fail on anything else. */
static void run_to_stop(int n)
{
    m->opt.max_insns = 100000;
    int st = machine_run(m);
    ck_assert_msg(st == MACHINE_STOPPED, "case %d: run ended with %d, not a stop", n, st);
}

static void resume_over(struct hart *h)
{
    d->skip[h->id] = true;
    d->skip_pc[h->id] = h->pc;
    d->stop = STOP_NONE;
}

START_TEST(breakpoint_stops_before)
{
    struct hart *h = &m->harts[0];
    char err[200];
    ck_assert_int_eq(brk_add(d, RAM + 4, BRK_NORMAL, -1, NULL, err, sizeof err), 1);
    run_to_stop(1);
    ck_assert_uint_eq(h->pc, RAM + 4);
    ck_assert_uint_eq(h->x[10], 0);         /* the addi has not run */
    ck_assert_int_eq(d->stop, STOP_BREAK);
    resume_over(h);
    run_to_stop(2);
    ck_assert_uint_eq(h->pc, RAM + 4);
    ck_assert_uint_eq(h->x[10], 1);         /* one loop iteration */
    /* the page is re-decoded after a write to it: the breakpoint stays */
    uint32_t same = 0x00150513;
    ck_assert_int_eq(bus_write_mem(&m->bus, RAM + 4, &same, 4), 0);
    resume_over(h);
    run_to_stop(3);
    ck_assert_uint_eq(h->x[10], 2);
    ck_assert_uint_eq(d->brk[0].hits, 3);
}
END_TEST

START_TEST(breakpoint_condition_and_removal)
{
    struct hart *h = &m->harts[0];
    char err[200];
    ck_assert_int_gt(brk_add(d, RAM + 8, BRK_NORMAL, -1, "a0 == 5", err, sizeof err), 0);
    run_to_stop(1);
    ck_assert_uint_eq(h->pc, RAM + 8);
    ck_assert_uint_eq(h->x[10], 5);
    ck_assert(brk_delete(d, d->brk[0].num));
    ck_assert_uint_eq(m->core.nbreak, 0);
    /* nothing set: the run goes to its instruction limit */
    m->opt.max_insns = 3000;
    ck_assert_int_eq(machine_run(m), 125);
    ck_assert_uint_eq(h->x[10], 5 + 1000);  /* 3 instructions per iteration */
    /* an address that is not executable is refused and changes nothing */
    ck_assert_int_lt(brk_add(d, 0x10, BRK_NORMAL, -1, NULL, err, sizeof err), 0);
    ck_assert_uint_eq(m->core.nbreak, 0);
}
END_TEST

START_TEST(watchpoint_store)
{
    struct hart *h = &m->harts[0];
    char err[200];
    /* run one iteration first so the store's TLB entry exists */
    m->opt.max_insns = 10;
    ck_assert_int_eq(machine_run(m), 125);
    uint64_t a0 = h->x[10];
    ck_assert_int_gt(watch_add(d, RAM + 0x100, 8, true, false, err, sizeof err), 0);
    run_to_stop(1);
    ck_assert_int_eq(d->stop, STOP_WATCH);
    ck_assert_uint_eq(h->pc, RAM + 0xc);    /* stopped after the sd */
    ck_assert_uint_eq(h->x[10], a0 + 1);
    ck_assert_ptr_nonnull(strstr(d->stop_msg, "store of 8 bytes"));
    uint64_t mem;
    ck_assert_int_eq(bus_read_mem(&m->bus, RAM + 0x100, &mem, 8), 0);
    ck_assert_uint_eq(mem, a0 + 1);         /* the store happened */
    /* a load watchpoint does not fire on stores */
    brk_delete_all(d);
    ck_assert_int_gt(watch_add(d, RAM + 0x100, 8, true, true, err, sizeof err), 0);
    d->stop = STOP_NONE;
    m->opt.max_insns = 300;
    ck_assert_int_eq(machine_run(m), 125);
    ck_assert_int_eq(watch_add(d, RAM, 0, false, false, err, sizeof err), -1);
}
END_TEST

static Suite *monitor_suite(void)
{
    Suite *s = suite_create("monitor");
    TCase *t = tcase_create("debugger");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, expr_arithmetic);
    tcase_add_test(t, expr_state);
    tcase_add_test(t, expr_errors);
    tcase_add_test(t, symbols_lookup);
    tcase_add_test(t, breakpoint_stops_before);
    tcase_add_test(t, breakpoint_condition_and_removal);
    tcase_add_test(t, watchpoint_store);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(monitor_suite)

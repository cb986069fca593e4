/*
 * The run loop's event sources (machine/events.h): periods, the idle sleep's
 * bound and wakeups, removal by name, the running notification; and an
 * idle machine whose run only a registered source can end.
 */
#include "guest_machine.h"
#include "../../machine/events.h"
#include "../../machine/machine.h"
#include "../../machine/options.h"
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

struct probe {
    int serviced, woken, before, running, fd;
    uint64_t bound;
    bool last_running;
};

static void p_service(void *ctx) { ((struct probe *)ctx)->serviced++; }
static void p_woken(void *ctx) { ((struct probe *)ctx)->woken++; }
static void p_before(void *ctx) { ((struct probe *)ctx)->before++; }
static uint64_t p_bound(void *ctx) { return ((struct probe *)ctx)->bound; }
static int p_fd(void *ctx, short *events)
{
    *events = POLLIN;
    return ((struct probe *)ctx)->fd;
}
static void p_running(void *ctx, bool running)
{
    struct probe *p = ctx;
    p->running++;
    p->last_running = running;
}

static struct ev_source probe_source(const char *name, struct probe *p, uint64_t period)
{
    return (struct ev_source){ .name = name, .ctx = p, .service = p_service, .period_ns = period,
                               .wait_fd = p_fd, .max_sleep_ns = p_bound, .before_sleep = p_before,
                               .woken = p_woken, .running = p_running };
}

START_TEST(period_zero_runs_every_turn_and_long_periods_wait)
{
    struct event_loop l = { 0 };
    struct probe every = { .fd = -1, .bound = EV_NONE }, hourly = { .fd = -1, .bound = EV_NONE };
    ck_assert_int_eq(ev_add(&l, &(struct ev_source){ .name = "every", .ctx = &every,
                                                     .service = p_service }), 0);
    ck_assert_int_eq(ev_add(&l, &(struct ev_source){ .name = "hourly", .ctx = &hourly,
                                                     .service = p_service,
                                                     .period_ns = 3600e9 }), 1);
    for (int i = 0; i < 5; i++)
        ev_service(&l);
    ck_assert_int_eq(every.serviced, 5);
    ck_assert_int_eq(hourly.serviced, 1);       /* due at once, then not for an hour */
    ev_sleep(&l, 0);                            /* after a sleep every source is due */
    ev_service(&l);
    ck_assert_int_eq(hourly.serviced, 2);
}
END_TEST

START_TEST(max_sleep_is_the_smallest_bound)
{
    struct event_loop l = { 0 };
    ck_assert_uint_eq(ev_max_sleep(&l), EV_NONE);
    struct probe a = { .fd = -1, .bound = 5000 }, b = { .fd = -1, .bound = 300 };
    ev_add(&l, &(struct ev_source){ .name = "none", .ctx = &a });   /* no bound callback */
    ck_assert_uint_eq(ev_max_sleep(&l), EV_NONE);
    struct ev_source sa = probe_source("a", &a, 0), sb = probe_source("b", &b, 0);
    ev_add(&l, &sa);
    ev_add(&l, &sb);
    ck_assert_uint_eq(ev_max_sleep(&l), 300);
    ev_remove(&l, "b");
    ck_assert_uint_eq(ev_max_sleep(&l), 5000);
    ck_assert_int_eq(l.n, 2);
}
END_TEST

START_TEST(sleep_wakes_on_a_ready_descriptor)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    struct event_loop l = { 0 };
    struct probe p = { .fd = fds[0], .bound = EV_NONE };
    struct ev_source s = probe_source("pipe", &p, 0);
    ev_add(&l, &s);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    uint64_t t0 = ev_now_ns();
    ev_sleep(&l, 5000000000ull);                /* would be 5 s without the byte */
    ck_assert_msg(ev_now_ns() - t0 < 2000000000ull, "the ready pipe did not end the sleep");
    ck_assert_int_eq(p.before, 1);
    ck_assert_int_eq(p.woken, 1);
    /* no byte: the sleep runs its length */
    char c;
    ck_assert_int_eq(read(fds[0], &c, 1), 1);
    t0 = ev_now_ns();
    ev_sleep(&l, 20000000ull);
    ck_assert_msg(ev_now_ns() - t0 >= 20000000ull, "the sleep ended early");
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(running_reaches_every_source_and_the_table_is_bounded)
{
    struct event_loop l = { 0 };
    struct probe p[EV_MAX_SOURCES];
    char names[EV_MAX_SOURCES][8];
    for (int i = 0; i < EV_MAX_SOURCES; i++) {
        p[i] = (struct probe){ .fd = -1, .bound = EV_NONE };
        snprintf(names[i], sizeof names[i], "s%d", i);
        struct ev_source s = probe_source(names[i], &p[i], 0);
        ck_assert_int_eq(ev_add(&l, &s), i);
    }
    struct probe extra = { .fd = -1 };
    struct ev_source s = probe_source("extra", &extra, 0);
    ck_assert_int_eq(ev_add(&l, &s), -1);
    ev_running(&l, true);
    ev_running(&l, false);
    for (int i = 0; i < EV_MAX_SOURCES; i++)
        ck_assert(p[i].running == 2 && !p[i].last_running);
    ev_remove(&l, "s3");
    ev_service(&l);
    ck_assert_int_eq(p[3].serviced, 0);
    ck_assert_int_eq(p[4].serviced, 1);
}
END_TEST

/* A guest that sleeps in wfi for ever with only external interrupts
 * enabled and no timer armed: only a source of the run loop can end the
 * run, and without a source that may wake it, it is a dead wait. */
struct ender {
    struct machine *m;
    int calls;
};
static void ender_service(void *ctx)
{
    struct ender *e = ctx;
    if (++e->calls == 3)
        machine_request_exit(e->m, 7, "source");
}
static uint64_t ender_bound(void *ctx) { (void)ctx; return 1000000; }
static unsigned ender_may_wake(void *ctx) { (void)ctx; return EV_WAKE_IRQ; }

/* A machine running the guest, with or without a source that may wake it;
 * returns the run's status and how often the source was serviced. */
static int run_idle_guest(bool may_wake, int *calls)
{
    /* lui t0, 1; addi t0, t0, -2048 (t0 = mie.MEIE); csrw mie, t0; wfi; j .-4 */
    const uint32_t wfi_loop[] = { 0x000012b7, 0x80028293, 0x30429073, 0x10500073, 0xffdff06f };
    char *args[] = { "-serial", "file:/dev/null", "--timeout", "20", NULL };
    struct machine *m = guest_machine(wfi_loop, sizeof wfi_loop / sizeof *wfi_loop, args);
    struct ender e = { .m = m };
    ck_assert_int_ge(ev_add(&m->events, &(struct ev_source){
        .name = "ender", .ctx = &e, .service = ender_service, .period_ns = 1000,
        .max_sleep_ns = ender_bound, .may_wake = may_wake ? ender_may_wake : NULL }), 0);
    uint64_t t0 = ev_now_ns();
    int st = machine_run(m);
    ck_assert_msg(ev_now_ns() - t0 < 5000000000ull, "the idle sleep ignored the source's bound");
    ck_assert(m->harts[0].wfi);
    machine_free(m);
    free(m);
    *calls = e.calls;
    return st;
}

START_TEST(an_idle_machine_is_ended_by_its_source)
{
    int calls;
    int st = run_idle_guest(true, &calls);
    ck_assert_msg(st == 7, "exit status %d: the source did not end the run", st);
    ck_assert_int_eq(calls, 3);
}
END_TEST

START_TEST(without_a_source_that_may_wake_it_is_a_dead_wait)
{
    int calls;
    int st = run_idle_guest(false, &calls);
    /* The source alone would end the run with 7 on its third call; how many
     * calls come first depends on host speed (its period is 1 us). */
    ck_assert_msg(st == 121, "exit status %d, expected the dead wait's 121", st);
    ck_assert_int_ge(calls, 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("sources");
    tcase_add_test(tc, period_zero_runs_every_turn_and_long_periods_wait);
    tcase_add_test(tc, max_sleep_is_the_smallest_bound);
    tcase_add_test(tc, sleep_wakes_on_a_ready_descriptor);
    tcase_add_test(tc, running_reaches_every_source_and_the_table_is_bounded);
    tcase_add_test(tc, an_idle_machine_is_ended_by_its_source);
    tcase_add_test(tc, without_a_source_that_may_wake_it_is_a_dead_wait);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(suite)

/*
 * What `info harts` says of a hart in wfi (machine/stuck.h): woken by an
 * armed timer, by an IPI while another hart runs, or by nothing at all.
 */
#include "guest_machine.h"
#include "../../machine/stuck.h"
#include <string.h>

static struct machine *two_harts(void)
{
    static const uint32_t spin[] = { 0x0000006f };      /* j . */
    char *args[] = { "-smp", "2", "-serial", "file:/dev/null", NULL };
    return guest_machine(spin, 1, args);
}

static const char *describe(struct machine *m, int hart)
{
    static char buf[200];
    stuck_describe(m, &m->harts[hart], buf, sizeof buf);
    return buf;
}

START_TEST(an_ipi_from_a_running_hart_can_wake_a_waiting_one)
{
    struct machine *m = two_harts();
    struct hart *h1 = &m->harts[1];
    h1->wfi = true;
    h1->mie = 1u << 3;                          /* MSIE only: an IPI through the CLINT */
    ck_assert_str_eq(describe(m, 0), "running");
    ck_assert_msg(strstr(describe(m, 1), "another hart sends it an IPI"), "%s", describe(m, 1));
    /* the other hart waits too, with nothing enabled: no IPI can come */
    m->harts[0].wfi = true;
    m->harts[0].mie = 0;
    ck_assert_msg(strstr(describe(m, 1), "no enabled interrupt can come"), "%s", describe(m, 1));
    /* software interrupts disabled: a running hart cannot wake it either */
    m->harts[0].wfi = false;
    h1->mie = 0;
    ck_assert_msg(strstr(describe(m, 1), "no enabled interrupt can come"), "%s", describe(m, 1));
    machine_free(m);
    free(m);
}
END_TEST

START_TEST(an_armed_timer_wakes_before_anything_else_is_asked)
{
    struct machine *m = two_harts();
    struct hart *h1 = &m->harts[1];
    h1->wfi = true;
    h1->mie = 1u << 7 | 1u << 3;                /* MTIE and MSIE */
    m->clint.mtimecmp[1] = 12345;
    ck_assert_str_eq(describe(m, 1), "in wfi, woken by the timer (mtimecmp)");
    machine_free(m);
    free(m);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("stuck");
    TCase *tc = tcase_create("describe");
    tcase_add_test(tc, an_ipi_from_a_running_hart_can_wake_a_waiting_one);
    tcase_add_test(tc, an_armed_timer_wakes_before_anything_else_is_asked);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(suite)

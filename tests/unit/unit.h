/* Shared scaffolding for the Check unit suites: one binary per test_*.c. */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H
#include <check.h>
#include <stdlib.h>

/* Define main() running the suite built by suite_fn. */
#define UNIT_MAIN(suite_fn)                                     \
    int main(void)                                              \
    {                                                           \
        SRunner *sr = srunner_create(suite_fn());               \
        srunner_run_all(sr, CK_NORMAL);                         \
        int failed = srunner_ntests_failed(sr);                 \
        srunner_free(sr);                                       \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;            \
    }
#endif

/*
 * A machine running a few instruction words of a test's own: the words go
 * to a temporary file loaded with -bios none -kernel, the rest of the
 * command line is the caller's (NULL-terminated, after "-m 16M").
 * Check's assertions fail the test when anything goes wrong.
 */
#ifndef TESTS_UNIT_GUEST_MACHINE_H
#define TESTS_UNIT_GUEST_MACHINE_H
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/options.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline struct machine *guest_machine(const uint32_t *words, size_t n, char *const *extra)
{
    char path[] = "/tmp/hartvm-unit-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, words, n * sizeof *words), (ssize_t)(n * sizeof *words));
    close(fd);
    char *argv[32] = { "hartvm", "-bios", "none", "-kernel", path, "-m", "16M" };
    int argc = 7;
    for (; extra && *extra && argc < 31; extra++)
        argv[argc++] = *extra;
    argv[argc] = NULL;
    struct options opt;
    char err[256];
    ck_assert_msg(options_parse(argc, argv, &opt, stdout, err, sizeof err) == PARSE_OK, "%s", err);
    struct machine *m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    return m;
}
#endif

/*
 * Command-line parsing (machine/options.c): the QEMU spellings that
 * tutorials use are accepted with QEMU's meaning, our --long options work,
 * and anything unknown or out of range is an error whose message names
 * the option (design.md §2).
 */
#include "unit.h"
#include "../../machine/options.h"
#include "../../mmu/mmu.h"
#include <string.h>

#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct parsed {
    enum parse_result r;
    struct options opt;
    char err[256];
    char out[4096];
};

/* Parse a NULL-terminated list of arguments (argv[0] is supplied). */
static void parse_v(struct parsed *p, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"hartvm";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    memset(p, 0, sizeof *p);
    FILE *out = fmemopen(p->out, sizeof p->out - 1, "w");
    ck_assert_ptr_nonnull(out);
    p->r = options_parse(argc, argv, &p->opt, out, p->err, sizeof p->err);
    fclose(out);
}
#define PARSE(p, ...) parse_v(p, (const char *const[]){ __VA_ARGS__, NULL })

START_TEST(defaults)
{
    struct parsed p;
    PARSE(&p, "-nographic");
    ck_assert_int_eq(p.r, PARSE_OK);
    ck_assert_uint_eq(p.opt.ram_size, 128 * MiB);
    ck_assert_int_eq(p.opt.smp, 1);
    ck_assert_int_eq(p.opt.mmu_max, SATP_SV48);
    ck_assert(p.opt.timeout == 0);
    ck_assert_uint_eq(p.opt.max_insns, 0);
    ck_assert(!p.opt.stats);
    ck_assert_ptr_null(p.opt.bios);
    ck_assert_ptr_null(p.opt.kernel);
}
END_TEST

/* The line a teaching OS's Makefile passes to QEMU. */
START_TEST(qemu_line)
{
    struct parsed p;
    PARSE(&p, "-machine", "virt", "-bios", "none", "-kernel", "kernel/kernel", "-m", "128M",
          "-smp", "3", "-nographic", "--timeout", "2.5", "--max-insns", "1000000", "--stats",
          "--mmu", "sv39");
    ck_assert_msg(p.r == PARSE_OK, "error: %s", p.err);
    ck_assert_str_eq(p.opt.bios, "none");
    ck_assert_str_eq(p.opt.kernel, "kernel/kernel");
    ck_assert_uint_eq(p.opt.ram_size, 128 * MiB);
    ck_assert_int_eq(p.opt.smp, 3);
    ck_assert(p.opt.timeout == 2.5);
    ck_assert_uint_eq(p.opt.max_insns, 1000000);
    ck_assert(p.opt.stats);
    ck_assert_int_eq(p.opt.mmu_max, SATP_SV39);

    PARSE(&p, "-M", "virt", "--mmu", "sv48", "-bios", "default");
    ck_assert_msg(p.r == PARSE_OK, "error: %s", p.err);
    ck_assert_int_eq(p.opt.mmu_max, SATP_SV48);
    ck_assert_str_eq(p.opt.bios, "default");

}
END_TEST

/* -m: QEMU reads a bare number as MiB and accepts K/M/G suffixes. */
static const struct { const char *arg; uint64_t bytes; } good_mem[] = {
    { "128M", 128 * MiB }, { "256", 256 * MiB }, { "1G", GiB }, { "1g", GiB },
    { "2048k", 2 * MiB }, { "512MiB", 512 * MiB }, { "64M", 64 * MiB }, { "1", MiB },
    { "64G", 64 * GiB }, { "010M", 10 * MiB }, { "08", 8 * MiB }, { "0x10M", 16 * MiB },
};

START_TEST(mem_sizes)
{
    const char *arg = good_mem[_i].arg;
    struct parsed p;
    PARSE(&p, "-m", arg);
    ck_assert_msg(p.r == PARSE_OK, "case %d: -m %s: %s", _i, arg, p.err);
    ck_assert_msg(p.opt.ram_size == good_mem[_i].bytes, "case %d: -m %s gave %llu", _i, arg,
                  (unsigned long long)p.opt.ram_size);
}
END_TEST

static const char *const bad_mem[] = {
    "0", "512k", "65G", "abc", "", "-1", "1X", "1MBx", "12M3", "99999999999999999999", "4095k",
};

START_TEST(mem_bad)
{
    struct parsed p;
    PARSE(&p, "-m", bad_mem[_i]);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: -m '%s' accepted", _i, bad_mem[_i]);
    ck_assert_msg(strstr(p.err, "-m"), "case %d: message '%s' does not name -m", _i, p.err);
}
END_TEST

START_TEST(smp_range)
{
    char n[16];
    struct parsed p;
    for (int k = 1; k <= 8; k++) {
        snprintf(n, sizeof n, "%d", k);
        PARSE(&p, "-smp", n);
        ck_assert_msg(p.r == PARSE_OK && p.opt.smp == k, "case %d: -smp %s", k, n);
    }
    PARSE(&p, "-smp", "cpus=4");
    ck_assert_msg(p.r == PARSE_OK && p.opt.smp == 4, "-smp cpus=4: %s", p.err);
    static const char *const bad[] = { "0", "9", "-1", "x", "", "2x", "cpus=", "100" };
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        PARSE(&p, "-smp", bad[k]);
        ck_assert_msg(p.r == PARSE_ERROR, "case %u: -smp '%s' accepted", k, bad[k]);
        ck_assert_msg(strstr(p.err, "-smp"), "case %u: '%s' does not name -smp", k, p.err);
    }
}
END_TEST

/* Our own options with bad values: the message names the option. */
static const struct { const char *opt, *val; } bad_values[] = {
    { "--timeout", "0" }, { "--timeout", "-1" }, { "--timeout", "abc" }, { "--timeout", "1x" },
    { "--timeout", "nan" }, { "--timeout", "" }, { "--max-insns", "0" }, { "--max-insns", "-5" },
    { "--max-insns", "ten" }, { "--max-insns", "1e3" }, { "--mmu", "sv57" }, { "--mmu", "" },
    { "--mmu", "SV39x" }, { "-machine", "sifive_u" }, { "-machine", "virtual" },
    { "-M", "spike" }, { "-display", "gtk-nonexistent" }, { "-serial", "tcp::1234x" },
};

START_TEST(values_bad)
{
    struct parsed p;
    PARSE(&p, bad_values[_i].opt, bad_values[_i].val);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: %s '%s' accepted", _i, bad_values[_i].opt,
                  bad_values[_i].val);
    /* -M is the short spelling of -machine: either name will do. */
    const char *name = strcmp(bad_values[_i].opt, "-M") ? bad_values[_i].opt : "-machine";
    ck_assert_msg(strstr(p.err, name), "case %d: '%s' does not name %s", _i, p.err, name);
}
END_TEST

static const char *const unknown[] = { "--bogus", "-foo", "kernel.elf", "-", "--", "-kernelx",
                                       "--timeout=5", "-nographics" };

START_TEST(unknown_option)
{
    struct parsed p;
    PARSE(&p, "-nographic", unknown[_i]);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: '%s' accepted", _i, unknown[_i]);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "'%s'", unknown[_i]);
    ck_assert_msg(strstr(p.err, quoted), "case %d: '%s' does not name %s", _i, p.err, quoted);
}
END_TEST

/* An option that needs a value, given last. */
static const char *const need_value[] = { "-kernel", "-bios", "-m", "-smp", "-machine",
                                          "--timeout", "--max-insns", "--mmu" };

START_TEST(missing_value)
{
    struct parsed p;
    PARSE(&p, "-nographic", need_value[_i]);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: bare %s accepted", _i, need_value[_i]);
    ck_assert_msg(strstr(p.err, need_value[_i]), "case %d: '%s' does not name %s", _i, p.err,
                  need_value[_i]);
}
END_TEST

START_TEST(help_version)
{
    struct parsed p;
    PARSE(&p, "--help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(strstr(p.out, "usage") && strstr(p.out, "--timeout") && strstr(p.out, "-kernel"),
                  "help text: %s", p.out);
    PARSE(&p, "-bios", "none", "--version");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(strncmp(p.out, "hartvm ", 7) == 0, "version text: %s", p.out);
    /* An error before --help wins: the line is wrong whatever follows. */
    PARSE(&p, "--bogus", "--help");
    ck_assert_int_eq(p.r, PARSE_ERROR);
}
END_TEST

/* parse_size on its own: suffixes, bytes, overflow. */
static const struct { const char *s; int ok; uint64_t v; } sizes[] = {
    { "0", 1, 0 }, { "1", 1, MiB }, { "1K", 1, 1024 }, { "1k", 1, 1024 }, { "2M", 1, 2 * MiB },
    { "3G", 1, 3 * GiB }, { "4096B", 1, 4096 }, { "4096b", 1, 4096 }, { "1MiB", 1, MiB },
    { "1MB", 1, MiB }, { "1GiB", 1, GiB }, { "17592186044415", 1, ((1ull << 44) - 1) << 20 },
    { "17592186044416", 0, 0 }, { "18446744073709551615B", 1, ~0ull },
    { "18446744073709551616B", 0, 0 }, { "17179869184G", 0, 0 }, { "", 0, 0 }, { "M", 0, 0 },
    { "-1", 0, 0 }, { "1X", 0, 0 }, { "1MiBB", 0, 0 }, { "1 M", 0, 0 }, { "0x", 0, 0 },
    { "09", 1, 9 * MiB }, { "0x10", 1, 16 * MiB }, { "0x1000", 1, 4 * GiB }, { " -1B", 0, 0 }, { "+5M", 0, 0 },
};

START_TEST(parse_size_cases)
{
    uint64_t v = 0xdeadbeef;
    int r = parse_size(sizes[_i].s, &v);
    if (sizes[_i].ok) {
        ck_assert_msg(r == 0, "case %d: '%s' rejected", _i, sizes[_i].s);
        ck_assert_msg(v == sizes[_i].v, "case %d: '%s' gave %llu", _i, sizes[_i].s,
                      (unsigned long long)v);
    } else {
        ck_assert_msg(r != 0, "case %d: '%s' accepted as %llu", _i, sizes[_i].s,
                      (unsigned long long)v);
    }
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *t = tcase_create("options");
    tcase_add_test(t, defaults);
    tcase_add_test(t, qemu_line);
    tcase_add_loop_test(t, mem_sizes, 0, sizeof good_mem / sizeof good_mem[0]);
    tcase_add_loop_test(t, mem_bad, 0, sizeof bad_mem / sizeof bad_mem[0]);
    tcase_add_test(t, smp_range);
    tcase_add_loop_test(t, values_bad, 0, sizeof bad_values / sizeof bad_values[0]);
    tcase_add_loop_test(t, unknown_option, 0, sizeof unknown / sizeof unknown[0]);
    tcase_add_loop_test(t, missing_value, 0, sizeof need_value / sizeof need_value[0]);
    tcase_add_test(t, help_version);
    tcase_add_loop_test(t, parse_size_cases, 0, sizeof sizes / sizeof sizes[0]);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(options_suite)

/*
 * The fleet supervisor's command line (`hartvm fleet ...`): its own rows,
 * read by the same table code as hartvm's options (machine/option_table.h).
 */
#include "fleet.h"
#include "../machine/options.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARGS(p) ((struct fleet_args *)(p)->target)

static int set_jobs(struct opt_parse *p, const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || end == v || n < 1 || n > 1024)
        return opt_bad(p, "need 1 to 1024");
    ARGS(p)->jobs = n;
    return 0;
}

static int set_log_max(struct opt_parse *p, const char *v)
{
    uint64_t sz;
    if (parse_size(v, &sz) || sz < 4096)
        return opt_bad(p, "need a size of at least 4K");
    ARGS(p)->log_max = sz;
    return 0;
}

/* The one word that is not an option: the fleet file. */
static int set_file(struct opt_parse *p, const char *v)
{
    if (ARGS(p)->file)
        return opt_error(p, "one fleet file only ('%s', '%s')", ARGS(p)->file, v);
    ARGS(p)->file = v;
    return 0;
}

#define F(field) offsetof(struct fleet_args, field)

static const struct opt_spec rows[] = {
    { .kind = OPT_HEADING, .help = "options:" },
    { .kind = OPT_FLAG, .names = { "--batch" }, .field = F(batch),
      .help = "run all to completion, print a table" },
    { .kind = OPT_CALL, .names = { "-j" }, .arg = "N", .fn = set_jobs, .attached = true,
      .sample = "2", .help = "batch: run N instances at a time (default: number of CPUs)" },
    { .kind = OPT_STRING, .names = { "--json" }, .arg = "FILE", .field = F(json),
      .sample = "results.json", .help = "batch: write the results as JSON" },
    { .kind = OPT_STRING, .names = { "--log-dir" }, .arg = "DIR", .field = F(logdir),
      .sample = "logs", .help = "keep console logs in DIR (default: the run directory, removed at exit)" },
    { .kind = OPT_CALL, .names = { "--log-max" }, .arg = "SIZE", .fn = set_log_max,
      .sample = "64K", .help = "rotate a console log past SIZE (default 1M; one older file is kept)" },
    { .kind = OPT_CALL, .names = { "--help", "-h" }, .fn = opt_help_fn, .help = "this text" },
};
_Static_assert(sizeof rows / sizeof rows[0] <= OPT_MAX_ROWS, "opt_parse.seen has a bit per row");

const struct opt_table fleet_options = {
    .prog = "hartvm fleet",
    .usage = "usage: hartvm fleet [options] FILE            interactive console\n"
             "       hartvm fleet --batch [options] FILE    run all to completion, print a table\n",
    .footer = "FILE is INI: one [name] section per instance with bios, kernel, initrd, append, disk,\n"
              "memory, harts, options, timeout, restart = never|on-failure, count.\n"
              "Batch exit status: 0 when every instance exited 0, 1 otherwise, 2 for a usage error.\n",
    .width = 16,
    .opts = rows,
    .n = sizeof rows / sizeof rows[0],
    .unknown = "unknown option or missing value: '%s' (see --help)",
    .missing = "unknown option or missing value: '%s' (see --help)",
    .positional = set_file,
};

int fleet_args_parse(int argc, char **argv, struct fleet_args *a, FILE *out, char *err,
                     size_t errlen)
{
    *a = (struct fleet_args){ .jobs = sysconf(_SC_NPROCESSORS_ONLN), .log_max = 1 << 20 };
    struct opt_parse p = { .t = &fleet_options, .target = a, .out = out, .err = err,
                           .errlen = errlen };
    int r = opt_parse_args(&p, argc, argv);
    if (r == 0 && a->file && (opt_seen(&p, "-j") || opt_seen(&p, "--json")) && !a->batch)
        r = opt_error(&p, "-j and --json go with --batch");
    return r;
}

/*
 * Command-line options as one table. A row names an option (and its QEMU
 * aliases), says whether it takes a value and how --help shows it, and
 * where the value goes: a field by offset, or a handler. The parser,
 * --help and the unit test all read the same rows, so adding an option is
 * one row (plus a handler when a field will not do).
 *
 * hartvm's own table is in options.c, the fleet supervisor's in
 * monitor/fleet_options.c; both go through the code here.
 */
#ifndef MACHINE_OPTION_TABLE_H
#define MACHINE_OPTION_TABLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_kind {
    OPT_HEADING,        /* not an option: a line of --help (.help) */
    OPT_FLAG,           /* no value: sets the bool at .field */
    OPT_STRING,         /* the value is kept in the const char * at .field */
    OPT_CALL,           /* .fn takes it (with a value when .arg is set) */
    OPT_IGNORED,        /* accepted as QEMU spells it, not honoured: warns with .why */
};

struct opt_parse;
/* 0, OPT_EXIT (stop here with success: --help) or -1 after opt_bad/opt_error. */
typedef int opt_fn(struct opt_parse *p, const char *value);
#define OPT_EXIT 1
#define OPT_NAMES 4
#define OPT_MAX_ROWS 128               /* opt_parse.seen has a bit per row */

struct opt_spec {
    enum opt_kind kind;
    const char *names[OPT_NAMES];       /* names[0] is the one messages use */
    const char *arg;                    /* value syntax for --help; NULL: takes no value */
    const char *help;                   /* '\n' starts a continuation line */
    size_t field;                       /* OPT_FLAG, OPT_STRING: offsetof in the target */
    opt_fn *fn;                         /* OPT_CALL */
    const char *why;                    /* OPT_IGNORED: the reason given */
    const char *sample;                 /* a valid value: the unit test parses each row with it */
    bool attached;                      /* the value may also be glued on: -j4 */
    bool supervisor;                    /* set by the fleet supervisor, refused in fleet files */
};

struct opt_table {
    const char *prog;                   /* names warnings: "hartvm" */
    const char *usage;                  /* --help: before the rows */
    const char *footer;                 /* --help: after them */
    int width;                          /* --help: column of the help text, less 1 */
    const struct opt_spec *opts;
    size_t n;
    const char *unknown;                /* message format, one %s: the word */
    const char *missing;                /* message format, one %s: the option */
    opt_fn *positional;                 /* a word not starting with '-'; NULL: unknown */
    bool double_dash;                   /* QEMU's rule: --opt is -opt for any -opt row */
};

/* One parse in progress: what handlers see. */
struct opt_parse {
    const struct opt_table *t;
    void *target;                       /* .field offsets and handlers write here */
    FILE *out;                          /* --help and --version write here */
    char *err;
    size_t errlen;
    size_t reason_at;                   /* err + reason_at: the reason without "NAME VALUE: " */
    const struct opt_spec *cur;         /* the row being parsed */
    const char *value;
    bool glued;                         /* the value came glued on: -j4 */
    uint64_t seen[OPT_MAX_ROWS / 64];   /* bit i: row i was given */
};

/* Parse argv[1..argc-1] into p->target: 0, OPT_EXIT, or -1 with p->err. */
int opt_parse_args(struct opt_parse *p, int argc, char **argv);
/* Check one value as the row named name takes it, into p->target: 0, or -1
 * with the reason alone in why (for callers with their own message). */
int opt_check(struct opt_parse *p, const char *name, const char *value, char *why, size_t whylen);
/* "NAME VALUE: reason" for the row being parsed; returns -1. */
int opt_bad(struct opt_parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A whole message; returns -1. */
int opt_error(struct opt_parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "PROG: warning: WHAT accepted but not honoured (WHY)" on stderr. */
void opt_not_honoured(const struct opt_parse *p, const char *what, const char *why);
/* Was the option named name given? */
bool opt_seen(const struct opt_parse *p, const char *name);
/* The row with this name or alias, or NULL. */
const struct opt_spec *opt_find(const struct opt_table *t, const char *name);
/* --help: usage, the rows in table order, footer. */
void opt_help(const struct opt_table *t, FILE *out);
/* Handlers any table may use: --help (opt_help to p->out, then OPT_EXIT),
 * and a row whose presence alone matters (opt_seen). */
opt_fn opt_help_fn, opt_noted;
#endif

/* The parser and --help printer behind every option table (option_table.h). */
#include "option_table.h"
#include <stdarg.h>
#include <string.h>

static bool is_option(const struct opt_spec *o)
{
    return o->kind != OPT_HEADING;
}

const struct opt_spec *opt_find(const struct opt_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        for (int k = 0; k < OPT_NAMES && is_option(&t->opts[i]) && t->opts[i].names[k]; k++)
            if (!strcmp(t->opts[i].names[k], name))
                return &t->opts[i];
    return NULL;
}

/* A row whose value may be glued on (-j4): the row, with *value after the name. */
static const struct opt_spec *find_attached(const struct opt_table *t, const char *word,
                                            const char **value)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct opt_spec *o = &t->opts[i];
        for (int k = 0; k < OPT_NAMES && o->attached && o->names[k]; k++) {
            size_t len = strlen(o->names[k]);
            if (!strncmp(word, o->names[k], len) && word[len]) {
                *value = word + len;
                return o;
            }
        }
    }
    return NULL;
}

bool opt_seen(const struct opt_parse *p, const char *name)
{
    const struct opt_spec *o = opt_find(p->t, name);
    size_t i = o ? (size_t)(o - p->t->opts) : OPT_MAX_ROWS;
    return i < OPT_MAX_ROWS && (p->seen[i / 64] >> i % 64 & 1);
}

int opt_bad(struct opt_parse *p, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errlen, "%s%s%s: ", p->cur->names[0], p->glued ? "" : " ",
                     p->value);
    p->reason_at = n > 0 && (size_t)n < p->errlen ? (size_t)n : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + p->reason_at, p->errlen - p->reason_at, fmt, ap);
    va_end(ap);
    return -1;
}

int opt_error(struct opt_parse *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
    p->reason_at = 0;
    return -1;
}

void opt_not_honoured(const struct opt_parse *p, const char *what, const char *why)
{
    fprintf(stderr, "%s: warning: %s accepted but not honoured (%s)\n", p->t->prog, what, why);
}

/* Act on one row with its value (NULL for a row without one). */
static int apply(struct opt_parse *p, const struct opt_spec *o, const char *value, bool glued)
{
    size_t i = (size_t)(o - p->t->opts);
    if (i < OPT_MAX_ROWS)
        p->seen[i / 64] |= 1ull << i % 64;
    p->cur = o;
    p->value = value;
    p->glued = glued;
    char *field = (char *)p->target + o->field;
    switch (o->kind) {
    case OPT_FLAG:
        *(bool *)field = true;
        return 0;
    case OPT_STRING:
        *(const char **)field = value;
        return 0;
    case OPT_CALL:
        return o->fn(p, value);
    case OPT_IGNORED:
        opt_not_honoured(p, o->names[0], o->why);
        return 0;
    case OPT_HEADING:
        break;
    }
    return opt_error(p, "internal: '%s' is a heading", o->names[0]);
}

/* One word at argv[*i] (and its value after it): 0, OPT_EXIT or -1. */
static int parse_word(struct opt_parse *p, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *value = NULL;
    if (a[0] != '-' && p->t->positional) {
        p->cur = NULL;
        p->value = a;
        return p->t->positional(p, a);
    }
    const struct opt_spec *o = opt_find(p->t, a);
    if (!o && p->t->double_dash && a[0] == '-' && a[1] == '-' && a[2] != '-')
        o = opt_find(p->t, a + 1);      /* --no-reboot: QEMU's -no-reboot */
    if (o && (!o->arg || *i + 1 < argc)) {
        if (o->arg)
            value = argv[++*i];
        return apply(p, o, value, false);
    }
    const struct opt_spec *row = find_attached(p->t, a, &value);
    if (row)
        return apply(p, row, value, true);
    if (!o && p->t->double_dash && a[0] == '-' && a[1] != '-') {
        char longer[64];                /* QEMU's one dash on one of our --options */
        snprintf(longer, sizeof longer, "-%s", a);
        if (opt_find(p->t, longer))
            return opt_error(p, "unknown option '%s' (hartvm's own options take two dashes: %s)",
                             a, longer);
    }
    return opt_error(p, o ? p->t->missing : p->t->unknown, a);
}

int opt_parse_args(struct opt_parse *p, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int r = parse_word(p, argc, argv, &i);
        if (r)
            return r;
    }
    return 0;
}

int opt_check(struct opt_parse *p, const char *name, const char *value, char *why, size_t whylen)
{
    const struct opt_spec *o = opt_find(p->t, name);
    char err[256];
    p->err = err;
    p->errlen = sizeof err;
    int r = o ? apply(p, o, value, false) : opt_error(p, p->t->unknown, name);
    if (r < 0)
        snprintf(why, whylen, "%s", err + p->reason_at);
    p->err = NULL;                      /* err is ours and ends here */
    p->errlen = 0;
    return r < 0 ? -1 : 0;
}

/* Lines of a help text after the first, indented to the help column. */
static void help_lines(const char *h, int col, FILE *out)
{
    for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
        fprintf(out, "%.*s\n%*s", (int)(nl - h), h, col, "");
    fputs(h, out);
}

/* "NAME ARG   help (also ALIAS, ...)": the option at the start of its line,
 * as QEMU's -help has it, so that a script grepping QEMU's help for '^-gdb'
 * finds ours; the synopsis on a line of its own when it reaches into the
 * help column. */
static void help_row(const struct opt_table *t, const struct opt_spec *o, FILE *out)
{
    char syn[128];
    snprintf(syn, sizeof syn, "%s%s%s", o->names[0], o->arg ? " " : "", o->arg ? o->arg : "");
    int col = t->width + 1;
    if ((int)strlen(syn) >= t->width + 1)
        fprintf(out, "%s\n%*s", syn, col, "");
    else
        fprintf(out, "%-*s ", t->width, syn);
    help_lines(o->help, col, out);
    for (int k = 1; k < OPT_NAMES && o->names[k]; k++)
        fprintf(out, "%s%s", k == 1 ? " (also " : ", ", o->names[k]);
    fputs(o->names[1] ? ")" : "", out);
    if (o->kind == OPT_IGNORED)
        fprintf(out, "\n%*saccepted, not honoured (%s)", col, "", o->why);
    fputc('\n', out);
}

void opt_help(const struct opt_table *t, FILE *out)
{
    fputs(t->usage, out);
    for (size_t i = 0; i < t->n; i++) {
        if (is_option(&t->opts[i]))
            help_row(t, &t->opts[i], out);
        else
            fprintf(out, "%s\n", t->opts[i].help);
    }
    fputs(t->footer, out);
}

int opt_help_fn(struct opt_parse *p, const char *value)
{
    (void)value;
    opt_help(p->t, p->out);
    return OPT_EXIT;
}

int opt_noted(struct opt_parse *p, const char *value)
{
    (void)p;
    (void)value;
    return 0;
}

/*
 * The fleet file: INI, read with Debian's libinih. One section per
 * instance; the section header is the instance's name.
 *
 *   ; comment                          # comment
 *   [web]                              name: letters, digits, - _ .
 *   bios    = default | none | FILE    firmware (default: OpenSBI)
 *   kernel  = FILE                     initrd = FILE    append = TEXT
 *   disk    = FILE                     raw image on virtio-blk
 *   memory  = 64M                      harts = 1..8
 *   options = -icount shift=3 --mmu sv39   more hartvm options (quotes work)
 *   timeout = 30                       seconds; past it the instance is stopped
 *   restart = never | on-failure       on-failure: again after 1, 2, 4 ... 60 s
 *   count   = 4                        four copies named web-1 .. web-4
 *
 * Relative paths are relative to the fleet file's directory: instances
 * run there. Every error names the file, the line and the reason.
 *
 * inih calls us once per key but does not pass a line number, so the
 * reader below counts lines and also notes each [section] header with its
 * line: empty sections and duplicate names are caught that way too.
 */
#include "fleet.h"
#include "../machine/options.h"
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <errno.h>

struct parse {
    const char *path;
    FILE *file;
    int line;                           /* lines read so far */
    struct inst_config *v;
    int n, cap;
    int err_line;                       /* first error found by us (0: none) */
    char err[256];
};

static void perr(struct parse *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void perr(struct parse *p, int line, const char *fmt, ...)
{
    if (p->err_line && p->err_line <= line)
        return;                         /* keep the first */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, sizeof p->err, fmt, ap);
    va_end(ap);
    p->err_line = line;
}

static bool valid_name(const char *s)
{
    if (!*s || strlen(s) > FLEET_NAME_MAX - 4)  /* room for "-NNN" copies */
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

/* A [section] header: a new instance. */
static void header(struct parse *p, char *s)
{
    char *end = strchr(s, ']');
    if (!end)
        return;                         /* inih reports the syntax error */
    *end = 0;
    while (*s == ' ' || *s == '\t')
        s++;
    for (char *e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); )
        *--e = 0;
    if (!valid_name(s)) {
        perr(p, p->line, "bad instance name '%s' (1 to %d letters, digits, '-', '_', '.')", s,
             FLEET_NAME_MAX - 4);
        return;
    }
    for (int i = 0; i < p->n; i++)
        if (!strcmp(p->v[i].name, s)) {
            perr(p, p->line, "instance '%s' defined twice (first on line %d)", s, p->v[i].line);
            return;
        }
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 16;
        struct inst_config *v = realloc(p->v, (size_t)cap * sizeof *v);
        if (!v) {
            perr(p, p->line, "out of memory");
            return;
        }
        p->v = v;
        p->cap = cap;
    }
    struct inst_config *c = &p->v[p->n++];
    memset(c, 0, sizeof *c);
    strcpy(c->name, s);
    c->line = p->line;
}

/* fgets for inih that counts lines, notes headers and refuses long lines. */
static char *reader(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (!fgets(str, num, p->file))
        return NULL;
    p->line++;
    size_t len = strlen(str);
    if (len == (size_t)num - 1 && str[len - 1] != '\n' && !feof(p->file)) {
        int ch;
        while ((ch = fgetc(p->file)) != EOF && ch != '\n')
            ;
        perr(p, p->line, "line longer than %d characters", num - 3);
        strcpy(str, "\n");              /* inih sees an empty line */
        return str;
    }
    char *s = str + strspn(str, " \t");
    if (*s == '[') {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", s + 1);
        header(p, copy);
    }
    return str;
}

/* Split options into words: blanks separate, '...' and "..." quote,
 * backslash escapes one character. */
static int split_words(const char *s, char ***out, int *outc, char *why, size_t whylen)
{
    size_t cap = strlen(s) + 1;
    char *buf = malloc(cap);
    char **v = calloc(cap / 2 + 2, sizeof *v);
    int n = 0;
    size_t o = 0;
    if (!buf || !v) {
        free(buf);
        free(v);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        v[n++] = buf + o;
        char q = 0;
        for (; *s && (q || (*s != ' ' && *s != '\t')); s++) {
            if (q && *s == q)
                q = 0;
            else if (!q && (*s == '\'' || *s == '"'))
                q = *s;
            else if (*s == '\\' && q != '\'' && s[1])
                buf[o++] = *++s;
            else
                buf[o++] = *s;
        }
        buf[o++] = 0;
        if (q) {
            snprintf(why, whylen, "unterminated %c quote in options", q);
            free(buf);
            free(v);
            return -1;
        }
    }
    if (n == 0)
        free(buf);                      /* v[0] == NULL: nothing to free */
    *out = v;
    *outc = n;
    return 0;
}

/* A key of the fleet file: those with .option are hartvm options under
 * another name, checked by hartvm's own row (machine/options.c) and passed
 * on by fleet_config_argv; the rest are the supervisor's. */
struct key {
    const char *name;
    const char *option;                 /* hartvm's option, or NULL */
    size_t field;                       /* a char * in inst_config; 0: .set does it all */
    int (*set)(struct parse *p, const struct key *k, struct inst_config *c, const char *value);
    const char *hint;                   /* after hartvm's reason */
    bool empty_ok;
};

static int set_string(struct parse *p, const struct key *k, struct inst_config *c,
                      const char *value)
{
    char **field = (char **)((char *)c + k->field);
    if (*field) {
        perr(p, p->line, "'%s' given twice (or continued on an indented line)", k->name);
        return 0;
    }
    if (!*value && !k->empty_ok) {
        perr(p, p->line, "'%s' needs a value", k->name);
        return 0;
    }
    *field = strdup(value);
    return 1;
}

/* hartvm's row for k->option refuses what it would refuse on a command line. */
static bool option_ok(struct parse *p, const struct key *k, const char *value, struct options *o)
{
    char why[200];
    if (!k->option || !options_check(k->option, value, o, why, sizeof why))
        return true;
    perr(p, p->line, "%s '%s': %s%s", k->name, value, why, k->hint ? k->hint : "");
    return false;
}

static int set_disk(struct parse *p, const struct key *k, struct inst_config *c,
                    const char *value)
{
    if (strchr(value, ',')) {
        perr(p, p->line, "%s '%s': a ',' in the file name cannot be passed to -drive", k->name,
             value);
        return 0;
    }
    size_t len = strlen(value) + 64;
    c->drive = malloc(len);
    snprintf(c->drive, len, "file=%s,if=none,format=raw,id=disk0", value);
    return 1;
}

static int set_harts(struct parse *p, const struct key *k, struct inst_config *c,
                     const char *value)
{
    struct options o;
    if (!option_ok(p, k, value, &o))
        return 0;
    c->harts = o.smp;
    return 1;
}

static int set_count(struct parse *p, const struct key *k, struct inst_config *c,
                     const char *value)
{
    char *end;
    long count = strtol(value, &end, 10);
    if (end == value || *end || count < 1 || count > 999) {
        perr(p, p->line, "%s '%s': need 1 to 999", k->name, value);
        return 0;
    }
    c->count = (int)count;
    return 1;
}

static int set_timeout(struct parse *p, const struct key *k, struct inst_config *c,
                       const char *value)
{
    char *end;
    double t = strtod(value, &end);
    if (end == value || *end || !(t >= 0) || t > 1e7) {
        perr(p, p->line, "%s '%s': need seconds (0 = none)", k->name, value);
        return 0;
    }
    c->timeout = t;
    return 1;
}

static int set_restart(struct parse *p, const struct key *k, struct inst_config *c,
                       const char *value)
{
    if (!strcmp(value, "never"))
        c->restart = RESTART_NEVER;
    else if (!strcmp(value, "on-failure"))
        c->restart = RESTART_ON_FAILURE;
    else {
        perr(p, p->line, "%s '%s': need never or on-failure", k->name, value);
        return 0;
    }
    return 1;
}

/* More hartvm options, split into words; those the supervisor sets itself
 * (options_table's .supervisor rows) are refused. */
static int set_options(struct parse *p, const struct key *k, struct inst_config *c,
                       const char *value)
{
    char why[128];
    if (c->optv) {
        perr(p, p->line, "'%s' given twice (or continued on an indented line)", k->name);
        return 0;
    }
    if (split_words(value, &c->optv, &c->optc, why, sizeof why)) {
        perr(p, p->line, "%s", why);
        return 0;
    }
    for (int i = 0; i < c->optc; i++) {
        const struct opt_spec *o = opt_find(&options_table, c->optv[i]);
        if (o && o->supervisor) {
            perr(p, p->line, "%s: %s is the supervisor's own", k->name, o->names[0]);
            return 0;
        }
    }
    return 1;
}

#define C(field) offsetof(struct inst_config, field)

/* In the order the unknown-key message lists them. */
static const struct key keys[] = {
    { .name = "bios", .option = "-bios", .field = C(bios) },
    { .name = "kernel", .option = "-kernel", .field = C(kernel) },
    { .name = "initrd", .option = "-initrd", .field = C(initrd) },
    { .name = "append", .option = "-append", .field = C(append), .empty_ok = true },
    { .name = "disk", .field = C(disk), .set = set_disk },
    { .name = "memory", .option = "-m", .field = C(memory), .hint = " (like 64M or 1G)" },
    { .name = "harts", .option = "-smp", .set = set_harts },
    { .name = "options", .set = set_options },
    { .name = "timeout", .set = set_timeout },
    { .name = "restart", .set = set_restart },
    { .name = "count", .set = set_count },
    { .name = NULL },
};

static const struct key *find_key(const char *name)
{
    const struct key *k = keys;
    while (k->name && strcmp(k->name, name))
        k++;
    return k->name ? k : NULL;
}

static void unknown_key(struct parse *p, const char *key)
{
    char list[256];
    size_t o = 0;
    for (const struct key *k = keys; k->name && o < sizeof list; k++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", k->name);
    perr(p, p->line, "unknown key '%s' (%s)", key, list);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
    struct parse *p = user;
    if (!*section) {
        perr(p, p->line, "'%s' outside any [instance] section", key);
        return 0;
    }
    if (p->n == 0 || strcmp(p->v[p->n - 1].name, section))
        return 0;                       /* its header was refused: reported already */
    struct inst_config *c = &p->v[p->n - 1];
    const struct key *k = find_key(key);
    if (!k) {
        unknown_key(p, key);
        return 0;
    }
    struct options o;
    if (k->field && (!option_ok(p, k, value, &o) || !set_string(p, k, c, value)))
        return 0;
    return k->set ? k->set(p, k, c, value) : 1;
}

static void free_one(struct inst_config *c)
{
    free(c->bios);
    free(c->kernel);
    free(c->initrd);
    free(c->append);
    free(c->disk);
    free(c->memory);
    free(c->drive);
    if (c->optv)
        free(c->optv[0]);
    free(c->optv);
}

void fleet_config_free(struct inst_config *c, int n)
{
    for (int i = 0; i < n; i++)
        free_one(&c[i]);
    free(c);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A deep copy of c named NAME-k. */
static void copy_config(struct inst_config *to, const struct inst_config *c, int k)
{
    *to = *c;
    snprintf(to->name, sizeof to->name, "%.36s-%d", c->name, k % 1000);    /* count <= 999 */
    to->bios = dup_or_null(c->bios);
    to->kernel = dup_or_null(c->kernel);
    to->initrd = dup_or_null(c->initrd);
    to->append = dup_or_null(c->append);
    to->disk = dup_or_null(c->disk);
    to->memory = dup_or_null(c->memory);
    to->drive = dup_or_null(c->drive);
    to->optv = NULL;
    if (c->optv) {                      /* the words share one buffer, as split_words makes */
        size_t len = 1, o = 0;
        for (int i = 0; i < c->optc; i++)
            len += strlen(c->optv[i]) + 1;
        char *buf = malloc(len);
        to->optv = calloc((size_t)c->optc + 1, sizeof *to->optv);
        for (int i = 0; buf && to->optv && i < c->optc; i++) {
            to->optv[i] = strcpy(buf + o, c->optv[i]);
            o += strlen(c->optv[i]) + 1;
        }
        if (!to->optv || c->optc == 0)
            free(buf);
    }
}

/* Expand count = N into N instances. */
static int expand_counts(struct parse *p)
{
    int total = 0;
    for (int i = 0; i < p->n; i++)
        total += p->v[i].count > 1 ? p->v[i].count : 1;
    if (total == p->n)
        return 0;
    struct inst_config *v = calloc((size_t)total, sizeof *v);
    if (!v)
        return -1;
    int o = 0;
    for (int i = 0; i < p->n; i++) {
        struct inst_config *c = &p->v[i];
        if (c->count <= 1) {
            v[o++] = *c;
            continue;
        }
        for (int k = 1; k <= c->count; k++)
            copy_config(&v[o++], c, k);
        free_one(c);
    }
    free(p->v);
    p->v = v;
    p->n = p->cap = total;
    return 0;
}

/* Checks that need a whole section: something to run, unique names. */
static void check_sections(struct parse *p)
{
    for (int i = 0; i < p->n; i++) {
        struct inst_config *c = &p->v[i];
        bool no_fw = c->bios && !strcmp(c->bios, "none");
        if (!c->kernel && (!c->bios || no_fw))
            perr(p, c->line, "instance '%s' has nothing to run (set kernel, or bios to a file)",
                 c->name);
        for (int j = 0; j < i; j++)
            if (!strcmp(p->v[j].name, c->name))
                perr(p, c->line, "instance name '%s' is used twice (count makes NAME-1, NAME-2, ...)",
                     c->name);
    }
}

int fleet_config_load(const char *path, struct inst_config **out, int *n, char *err, size_t errlen)
{
    struct parse p = { .path = path };
    p.file = fopen(path, "r");
    if (!p.file) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int r = ini_parse_stream(reader, &p, handler, &p);
    fclose(p.file);
    if (r > 0 && (!p.err_line || r < p.err_line)) {
        p.err_line = r;
        snprintf(p.err, sizeof p.err, "syntax error: expected [name] or key = value");
    } else if (r < 0) {
        p.err_line = 1;
        snprintf(p.err, sizeof p.err, "cannot read the file (%d)", r);
    }
    if (!p.err_line && p.n == 0)
        perr(&p, p.line ? p.line : 1, "no instances: add a [name] section with a kernel");
    if (!p.err_line && expand_counts(&p))
        perr(&p, 1, "out of memory");
    if (!p.err_line)
        check_sections(&p);
    if (p.err_line) {
        snprintf(err, errlen, "%s:%d: %s", path, p.err_line, p.err);
        fleet_config_free(p.v, p.n);
        return -1;
    }
    *out = p.v;
    *n = p.n;
    return 0;
}

int fleet_config_argv(struct instance *in, char *err, size_t errlen)
{
    const struct inst_config *c = &in->cfg;
    int max = 24 + c->optc;
    char **v = calloc((size_t)max, sizeof *v);
    int n = 0;
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    static const char hv[] = "hartvm";
    static const char ng[] = "-nographic";
    v[n++] = (char *)hv;
    v[n++] = (char *)ng;
#define ARG2(opt, val) do { if (val) { v[n++] = (char *)(opt); v[n++] = (char *)(val); } } while (0)
    for (const struct key *k = keys; k->name; k++)
        if (k->option && k->field)
            ARG2(k->option, *(char *const *)((const char *)c + k->field));
    if (c->drive) {
        ARG2("-drive", c->drive);
        ARG2("-device", "virtio-blk-device,drive=disk0");
    }
    static const char *const smp[] = { "1", "2", "3", "4", "5", "6", "7", "8" };
    if (c->harts)
        ARG2(find_key("harts")->option, smp[c->harts - 1]);
    for (int i = 0; i < c->optc; i++)
        v[n++] = c->optv[i];
    ARG2("--control", in->ctl_path);
#undef ARG2
    v[n] = NULL;
    free(in->argv);
    in->argv = v;
    in->argc = n;
    return 0;
}

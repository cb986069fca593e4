/*
 * Expressions of the debugger: print, break ... if, x, set, ...
 *
 *   primary: number (0x.., 0b.., 0.., decimal) | 'c' | name | $name | ( expr ) | &symbol
 *   name:    register (x0..x31, ABI names, fp, pc), CSR (mstatus, satp, ...),
 *            priv (current privilege, 0/1/3), symbol (its address)
 *   unary:   - ~ ! *   (* reads 8 bytes at a virtual address)
 *   binary:  * / %  + -  << >>  < <= > >=  == !=  &  ^  |  &&  ||  (C precedence)
 *
 * All arithmetic is on 64-bit unsigned values, as the hardware sees them;
 * comparisons are unsigned. Division by zero is an error, not a crash.
 */
#include "dbg.h"
#include <ctype.h>
#include <string.h>
#include <stdlib.h>

const char *const dbg_xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
};

int expr_reg(const char *name)
{
    if (!strcmp(name, "pc"))
        return 32;
    if (!strcmp(name, "fp"))
        return 8;
    for (int i = 0; i < 32; i++)
        if (!strcmp(name, dbg_xreg_names[i]))
            return i;
    if (name[0] == 'x' && isdigit((unsigned char)name[1])) {
        char *end;
        long n = strtol(name + 1, &end, 10);
        if (!*end && n >= 0 && n < 32)
            return (int)n;
    }
    return -1;
}

int expr_csr(const char *name)
{
    for (unsigned n = 0; n < 4096; n++) {
        const char *s = csr_name(n);
        if (s && !strcmp(s, name))
            return (int)n;
    }
    return -1;
}

struct parser {
    struct debugger *d;
    const char *p;
    char *err;
    size_t errlen;
    bool failed;
};

static void fail(struct parser *ps, const char *fmt, const char *arg)
{
    if (!ps->failed)
        snprintf(ps->err, ps->errlen, fmt, arg);
    ps->failed = true;
}

static void skip_ws(struct parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

/* Does the input continue with operator op (and not a longer one)? */
static bool accept(struct parser *ps, const char *op)
{
    skip_ws(ps);
    size_t n = strlen(op);
    if (strncmp(ps->p, op, n))
        return false;
    /* "<" must not take "<<" or "<=", "&" not "&&", ... */
    if (n == 1 && (ps->p[1] == op[0] || (ps->p[1] == '=' && strchr("<>!=", op[0]))) &&
        strchr("<>&|=", op[0]))
        return false;
    ps->p += n;
    return true;
}

static uint64_t name_value(struct parser *ps, const char *name, bool address_of)
{
    struct debugger *d = ps->d;
    struct hart *h = dbg_hart(d);
    if (!address_of) {
        int r = expr_reg(name);
        if (r == 32)
            return h->pc;
        if (r >= 0)
            return r ? h->x[r] : 0;
        if (!strcmp(name, "priv"))
            return (uint64_t)h->priv;
        int c = expr_csr(name);
        if (c >= 0) {
            uint64_t v;
            if (csr_read_raw(h, (unsigned)c, &v))
                return v;
            fail(ps, "CSR %s cannot be read now", name);
            return 0;
        }
    }
    const struct symbol *s = sym_by_name(&d->syms, name);
    if (s)
        return s->addr;
    fail(ps, "no register, CSR or symbol named '%s'", name);
    return 0;
}

static uint64_t expr_or(struct parser *ps);

static uint64_t primary(struct parser *ps)
{
    skip_ws(ps);
    const char *p = ps->p;
    if (*p == '(') {
        ps->p++;
        uint64_t v = expr_or(ps);
        if (!accept(ps, ")"))
            fail(ps, "missing ')'%s", "");
        return v;
    }
    if (*p == '\'' && p[1] && p[2] == '\'') {
        ps->p += 3;
        return (unsigned char)p[1];
    }
    if (isdigit((unsigned char)*p)) {
        char *end;
        uint64_t v;
        if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
            v = strtoull(p + 2, &end, 2);
        else
            v = strtoull(p, &end, 0);
        if (isalnum((unsigned char)*end) || *end == '_') {
            fail(ps, "bad number near '%.12s'", p);
            return 0;
        }
        ps->p = end;
        return v;
    }
    bool addr = false;
    if (*p == '&') {
        addr = true;
        p++;
    }
    if (*p == '$')
        p++;
    if (isalpha((unsigned char)*p) || *p == '_' || *p == '.') {
        char name[128];
        size_t n = 0;
        while ((isalnum((unsigned char)*p) || *p == '_' || *p == '.') && n < sizeof name - 1)
            name[n++] = *p++;
        name[n] = 0;
        ps->p = p;
        return name_value(ps, name, addr);
    }
    fail(ps, *p ? "unexpected '%.8s'" : "expression expected%s", *p ? p : "");
    return 0;
}

static uint64_t unary(struct parser *ps)
{
    skip_ws(ps);
    char c = *ps->p;
    if (c == '-' || c == '~' || c == '!' || c == '*') {
        ps->p++;
        uint64_t v = unary(ps);
        if (c == '-') return -v;
        if (c == '~') return ~v;
        if (c == '!') return !v;
        uint64_t m = 0;
        char err[160];
        if (!ps->failed && dbg_read_virt(ps->d, v, &m, 8, err, sizeof err))
            fail(ps, "%s", err);
        return m;
    }
    return primary(ps);
}

static uint64_t mul(struct parser *ps)
{
    uint64_t v = unary(ps);
    for (;;) {
        if (accept(ps, "*")) v *= unary(ps);
        else if (accept(ps, "/") || accept(ps, "%")) {
            bool div = ps->p[-1] == '/';
            uint64_t r = unary(ps);
            if (!r) {
                fail(ps, "division by zero%s", "");
                return 0;
            }
            v = div ? v / r : v % r;
        } else return v;
    }
}

static uint64_t add(struct parser *ps)
{
    uint64_t v = mul(ps);
    for (;;) {
        if (accept(ps, "+")) v += mul(ps);
        else if (accept(ps, "-")) v -= mul(ps);
        else return v;
    }
}

static uint64_t shift(struct parser *ps)
{
    uint64_t v = add(ps);
    for (;;) {
        if (accept(ps, "<<")) { uint64_t s = add(ps); v = s > 63 ? 0 : v << s; }
        else if (accept(ps, ">>")) { uint64_t s = add(ps); v = s > 63 ? 0 : v >> s; }
        else return v;
    }
}

static uint64_t rel(struct parser *ps)
{
    uint64_t v = shift(ps);
    for (;;) {
        if (accept(ps, "<=")) v = v <= shift(ps);
        else if (accept(ps, ">=")) v = v >= shift(ps);
        else if (accept(ps, "<")) v = v < shift(ps);
        else if (accept(ps, ">")) v = v > shift(ps);
        else return v;
    }
}

static uint64_t eq(struct parser *ps)
{
    uint64_t v = rel(ps);
    for (;;) {
        if (accept(ps, "==")) v = v == rel(ps);
        else if (accept(ps, "!=")) v = v != rel(ps);
        else return v;
    }
}

static uint64_t band(struct parser *ps)
{
    uint64_t v = eq(ps);
    while (accept(ps, "&")) v &= eq(ps);
    return v;
}

static uint64_t bxor(struct parser *ps)
{
    uint64_t v = band(ps);
    while (accept(ps, "^")) v ^= band(ps);
    return v;
}

static uint64_t bor(struct parser *ps)
{
    uint64_t v = bxor(ps);
    while (accept(ps, "|")) v |= bxor(ps);
    return v;
}

static uint64_t land(struct parser *ps)
{
    uint64_t v = bor(ps);
    while (accept(ps, "&&")) { uint64_t r = bor(ps); v = v && r; }
    return v;
}

static uint64_t expr_or(struct parser *ps)
{
    uint64_t v = land(ps);
    while (accept(ps, "||")) { uint64_t r = land(ps); v = v || r; }
    return v;
}

int expr_eval(struct debugger *d, const char *s, uint64_t *out, char *err, size_t errlen)
{
    struct parser ps = { d, s, err, errlen, false };
    uint64_t v = expr_or(&ps);
    skip_ws(&ps);
    if (!ps.failed && *ps.p)
        fail(&ps, "unexpected '%.16s'", ps.p);
    if (ps.failed)
        return -1;
    *out = v;
    return 0;
}

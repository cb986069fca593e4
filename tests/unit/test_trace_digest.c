/*
 * Instruction-trace digests (cpu/trace_digest.c) and their options:
 * the running hash depends on every input and on their order, the register
 * hash sees every architectural register but not the x0 write sink, lines
 * come every N instructions with the count and the hash they claim, and
 * --no-fast-paths / --trace-digest / --trace-file parse as documented.
 * Also the live-page bounds that keep the reference mode's whole-memory
 * invalidation before every instruction cheap (mmu/mmu.c).
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/options.h"
#include "../../mmu/mmu.h"
#include <stdio.h>
#include <unistd.h>
#include <string.h>

START_TEST(fold_inputs)
{
    uint64_t h0 = trace_digest_fold(0, 0, 0x80000000, 0x13);
    ck_assert_msg(h0 == trace_digest_fold(0, 0, 0x80000000, 0x13), "case 1: deterministic");
    ck_assert_msg(h0 != trace_digest_fold(0, 1, 0x80000000, 0x13), "case 2: hart");
    ck_assert_msg(h0 != trace_digest_fold(0, 0, 0x80000002, 0x13), "case 3: pc");
    ck_assert_msg(h0 != trace_digest_fold(0, 0, 0x80000000, 0x93), "case 4: bits");
    ck_assert_msg(h0 != trace_digest_fold(1, 0, 0x80000000, 0x13), "case 5: running hash");
    /* every single-bit change of pc or bits moves the result */
    for (int b = 0; b < 64; b++)
        ck_assert_msg(h0 != trace_digest_fold(0, 0, 0x80000000 ^ (1ull << b), 0x13), "case 6: pc bit %d", b);
    for (int b = 0; b < 32; b++)
        ck_assert_msg(h0 != trace_digest_fold(0, 0, 0x80000000, 0x13 ^ (1u << b)), "case 7: bits bit %d", b);
    /* the order of two instructions matters */
    uint64_t ab = trace_digest_fold(trace_digest_fold(0, 0, 0x1000, 1), 0, 0x1004, 2);
    uint64_t ba = trace_digest_fold(trace_digest_fold(0, 0, 0x1004, 2), 0, 0x1000, 1);
    ck_assert_msg(ab != ba, "case 8: order");
}
END_TEST

START_TEST(regs_hash)
{
    static struct hart h;
    memset(&h, 0, sizeof h);
    uint64_t base = trace_digest_regs(&h);
    h.x[X_SINK] = 123;                      /* the write sink is not state */
    ck_assert_msg(trace_digest_regs(&h) == base, "case 1: x0 sink ignored");
    for (int i = 1; i < 32; i++) {
        h.x[i] = 1;
        ck_assert_msg(trace_digest_regs(&h) != base, "case 2: x%d", i);
        h.x[i] = 0;
    }
    for (int i = 0; i < 32; i++) {
        h.f[i] = 1ull << 63;
        ck_assert_msg(trace_digest_regs(&h) != base, "case 3: f%d", i);
        h.f[i] = 0;
    }
    h.fflags = 1;
    ck_assert_msg(trace_digest_regs(&h) != base, "case 4: fflags");
    h.fflags = 0;
    h.frm = 2;
    ck_assert_msg(trace_digest_regs(&h) != base, "case 5: frm");
    h.frm = 0;
    h.priv = PRV_S;
    ck_assert_msg(trace_digest_regs(&h) != base, "case 6: privilege");
    h.priv = 0;
    /* the same value in two different registers is two different states */
    h.x[5] = 7;
    uint64_t a = trace_digest_regs(&h);
    h.x[5] = 0;
    h.x[6] = 7;
    ck_assert_msg(trace_digest_regs(&h) != a, "case 7: register position");
}
END_TEST

/* Feed 7 instructions with a line every 3: lines at 3 and 6, then "end 7";
 * each line's hash is the fold of the instructions up to it. */
START_TEST(lines_every_n)
{
    static struct machine m;
    memset(&m, 0, sizeof m);
    char path[] = "/tmp/hartvm-trace-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[128];
    ck_assert_int_eq(trace_digest_open(&m.trace, path, 3, err, sizeof err), 0);
    struct hart *h = &m.harts[0];
    machine_core_init(&m);
    h->core = &m.core;
    h->id = 0;
    uint64_t want[8], hash = 0;
    for (int i = 1; i <= 7; i++) {
        struct dinsn d;
        insn_decode(0x00100093 + ((uint32_t)i << 20), &d);  /* addi ra, zero, i+1 */
        uint64_t pc = 0x80000000 + 4 * (uint64_t)i;
        hash = trace_digest_fold(hash, 0, pc, d.bits);
        want[i] = hash;
        trace_digest_insn(h, pc, &d);
    }
    trace_digest_close(&m.trace);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    int n = 0;
    unsigned long long count, got, pc;
    while (fgets(line, sizeof line, f)) {
        n++;
        if (n <= 2) {
            ck_assert_msg(sscanf(line, "%llu h0 pc=%llx insn=%*x hash=%llx", &count, &pc, &got) == 3,
                          "case 1: line %d: %s", n, line);
            ck_assert_msg(count == 3ull * n, "case 2: line %d counts %llu", n, count);
            ck_assert_msg(pc == 0x80000000 + 4 * count, "case 3: line %d pc", n);
            ck_assert_msg(got == want[count], "case 4: line %d hash", n);
            ck_assert_msg(strstr(line, "addi") || strstr(line, "li\t"), "case 5: disassembly: %s", line);
        } else {
            ck_assert_msg(sscanf(line, "end %llu hash=%llx", &count, &got) == 2, "case 6: %s", line);
            ck_assert_msg(count == 7 && got == want[7], "case 7: end line");
        }
    }
    fclose(f);
    unlink(path);
    ck_assert_msg(n == 3, "case 8: %d lines", n);
}
END_TEST

START_TEST(off_by_default)
{
    struct trace_digest t;
    char err[128];
    ck_assert_int_eq(trace_digest_open(&t, NULL, 0, err, sizeof err), 0);
    ck_assert_ptr_null(t.out);
    trace_digest_close(&t);                 /* harmless */
    ck_assert_int_eq(trace_digest_open(&t, "/nonexistent-dir/x", 5, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "--trace-file"), "the error names the option: %s", err);
}
END_TEST

static enum parse_result parse(struct options *o, char *err, const char *const *args)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)"hartvm";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    return options_parse(argc, argv, o, stdout, err, 256);
}
#define PARSE(o, err, ...) parse(o, err, (const char *const[]){ __VA_ARGS__, NULL })

START_TEST(options)
{
    static struct options o;
    char err[256];
    ck_assert_int_eq(PARSE(&o, err, "-nographic"), PARSE_OK);
    ck_assert_msg(!o.no_fast_paths && o.trace_every == 0 && !o.trace_file, "case 1: defaults");
    ck_assert_int_eq(PARSE(&o, err, "--no-fast-paths", "--trace-digest", "1000", "--trace-file", "t.txt"),
                     PARSE_OK);
    ck_assert_msg(o.no_fast_paths && o.trace_every == 1000 && !strcmp(o.trace_file, "t.txt"), "case 2");
    ck_assert_int_eq(PARSE(&o, err, "--trace-digest", "0"), PARSE_ERROR);
    ck_assert_msg(strstr(err, "--trace-digest"), "case 3: %s", err);
    ck_assert_int_eq(PARSE(&o, err, "--trace-digest", "x"), PARSE_ERROR);
    ck_assert_int_eq(PARSE(&o, err, "--trace-file", "t.txt"), PARSE_ERROR);
    ck_assert_msg(strstr(err, "--trace-digest"), "case 4: %s", err);
}
END_TEST

/* A decoded page of region r at page pn, one slot decoded, made live. */
static struct dpage *live_page(struct machine *m, struct region *r, uint64_t pn)
{
    static const void *const no_compressed[OP__COUNT];
    struct dpage *dp = dcache_page(&m->core, r, pn << 12);
    dcache_decode(&m->core, dp, 10, no_compressed);     /* slot 5 */
    ck_assert(dp->live && dp->ins[5].op != OP__DECODE);
    return dp;
}
static bool dead(const struct dpage *dp) { return !dp->live && dp->ins[5].op == OP__DECODE; }

START_TEST(live_bounds)
{
    static struct machine m;
    memset(&m, 0, sizeof m);
    uint8_t *ram = calloc(1, 16 << 12);
    ck_assert_ptr_nonnull(ram);
    ck_assert_int_eq(bus_add_memory(&m.bus, "ram", 0x80000000, 16 << 12, ram, false), 0);
    machine_core_init(&m);
    struct region *r = bus_find(&m.bus, 0x80000000, 1);
    ck_assert_ptr_nonnull(r);
    /* a whole-region invalidation kills the live page, and then finds none */
    struct dpage *a = live_page(&m, r, 3);
    dcache_invalidate(r, 0, r->size);
    ck_assert_msg(dead(a), "case 1");
    ck_assert_msg(r->live_lo > r->live_hi, "case 2: bounds empty after a full invalidation");
    /* two live pages; a store into one leaves the other live */
    a = live_page(&m, r, 2);
    struct dpage *b = live_page(&m, r, 9);
    dcache_invalidate(r, (9 << 12) + 0x10, 4);
    ck_assert_msg(dead(b) && a->live, "case 3");
    dcache_invalidate(r, 0, r->size);
    ck_assert_msg(dead(a), "case 4: the page outside the store is still found");
    /* the first and last pages of the region */
    a = live_page(&m, r, 0);
    b = live_page(&m, r, 15);
    dcache_invalidate(r, 15 << 12, 4096);
    ck_assert_msg(dead(b) && a->live, "case 5");
    dcache_invalidate(r, 0, 1);
    ck_assert_msg(dead(a), "case 6");
    bus_free(&m.bus);
    free(ram);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("trace_digest");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, fold_inputs);
    tcase_add_test(tc, regs_hash);
    tcase_add_test(tc, lines_every_n);
    tcase_add_test(tc, off_by_default);
    tcase_add_test(tc, options);
    tcase_add_test(tc, live_bounds);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(suite)

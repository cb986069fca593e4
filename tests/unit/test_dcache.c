/*
 * The bounded decoded-instruction cache (mmu/dcache.c, DCACHE_PAGES): a guest
 * whose code spans more pages than the cache holds runs correctly while
 * pages are recycled, including code it rewrites, a breakpoint on a
 * recycled page, and a second hart whose page is recycled under it.
 *
 * The guest is built here, one 4 KiB page at a time (RAM at 0x8000_0000,
 * M-mode, no translation), from the ISA manual's base formats:
 *
 *   page 0      hart 0: s0 = &page 1, t3 = &page N-1, t1 = the word of
 *               "addi a0, a0, 0", a1 = ROUNDS; other harts go to page N+1
 *   page 1      addi a0, a0, v1                   <- rewritten (below)
 *               j page 2
 *   page 2      addi a0, a0, 2
 *               first visit: v1 += 100 by a store to page 1, back to page 1
 *               second visit: on to page 3
 *   page k      addi a0, a0, vk  (vk = k; v(N-1) is rewritten), j page k+1
 *   page N      addi a0, a0, N; s1++; v1 = 1 + s1; v(N-1) = N-1 + s1;
 *               another round until s1 = ROUNDS; then the test finisher
 *   page N+1    other harts: s4++ forever
 *
 * Page 2's store hits page 1 while it is decoded (it runs again at once);
 * page N's store finds page 1 recycled, so the store TLB may take its page,
 * which must be dropped again when page 1 is next decoded. expected() runs
 * the same program in C. A failing check names its case number.
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/options.h"
#include "../../monitor/dbg.h"
#include "../../mmu/mmu.h"
#include "../../mmu/bus.h"
#include <string.h>
#include <unistd.h>

#define RAM 0x80000000ull
#define PAGE 4096u

enum { ZERO = 0, T0 = 5, T1 = 6, T2 = 7, S0 = 8, S1 = 9, A0 = 10, A1 = 11,
       S2 = 18, S3 = 19, S4 = 20, T3 = 28 };

static uint32_t i_type(unsigned op, unsigned rd, unsigned f3, unsigned rs1, int32_t imm)
{
    return (uint32_t)imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}
static uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) { return i_type(0x13, rd, 0, rs1, imm); }
static uint32_t slli(unsigned rd, unsigned rs1, unsigned sh) { return i_type(0x13, rd, 1, rs1, (int32_t)sh); }
static uint32_t lw(unsigned rd, unsigned rs1, int32_t imm) { return i_type(0x03, rd, 2, rs1, imm); }
static uint32_t jalr0(unsigned rs1) { return i_type(0x67, ZERO, 0, rs1, 0); }
static uint32_t csrr(unsigned rd, unsigned csr) { return i_type(0x73, rd, 2, 0, (int32_t)csr); }
static uint32_t lui(unsigned rd, uint32_t imm20) { return imm20 << 12 | rd << 7 | 0x37; }
static uint32_t auipc(unsigned rd, uint32_t imm20) { return imm20 << 12 | rd << 7 | 0x17; }
static uint32_t r_type(unsigned f3, unsigned rd, unsigned rs1, unsigned rs2)
{
    return rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x33;
}
static uint32_t add(unsigned rd, unsigned rs1, unsigned rs2) { return r_type(0, rd, rs1, rs2); }
static uint32_t or_(unsigned rd, unsigned rs1, unsigned rs2) { return r_type(6, rd, rs1, rs2); }
static uint32_t sw(unsigned rs2, unsigned rs1, int32_t imm)
{
    return (uint32_t)(imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | 2 << 12 | (uint32_t)(imm & 31) << 7 | 0x23;
}
static uint32_t branch(unsigned f3, unsigned rs1, unsigned rs2, int32_t off)
{
    uint32_t o = (uint32_t)off;
    return ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
           ((o >> 1) & 0xf) << 8 | ((o >> 11) & 1) << 7 | 0x63;
}
static uint32_t jal0(int32_t off)
{
    uint32_t o = (uint32_t)off;
    return ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 | ((o >> 11) & 1) << 20 |
           ((o >> 12) & 0xff) << 12 | 0x6f;
}
#define FENCE_I 0x0000100fu
#define BEQ 0
#define BNE 1

struct prog {
    unsigned npages;        /* N: code pages 1..N, park page N+1 */
    unsigned rounds;
    uint32_t *w;            /* (N + 2) pages of words */
};

/* Write word v at page p, byte offset off. */
static void put(struct prog *g, unsigned p, unsigned off, uint32_t v) { g->w[(p * PAGE + off) / 4] = v; }

static void build(struct prog *g, unsigned n, unsigned rounds)
{
    ck_assert(n >= 5 && rounds + n + 100 < 2048);       /* immediates fit addi */
    g->npages = n;
    g->rounds = rounds;
    g->w = calloc(n + 2, PAGE);
    ck_assert_ptr_nonnull(g->w);
    static const uint32_t nop = 0x00000013;
    /* page 0 */
    uint32_t p0[] = {
        auipc(S2, 0), csrr(T0, 0xf14), lui(T2, n + 1), add(T2, T2, S2),
        branch(BEQ, T0, ZERO, 8), jalr0(T2),                    /* other harts: park */
        lui(S0, 1), add(S0, S0, S2), addi(A1, ZERO, (int32_t)rounds), addi(A0, ZERO, 0),
        addi(S1, ZERO, 0), addi(S3, ZERO, 0), lui(T1, 0x50), addi(T1, T1, 0x513),
        lui(T3, n - 2), add(T3, T3, S0), jalr0(S0),
    };
    ck_assert_uint_eq((0x50u << 12) + 0x513, addi(A0, A0, 0));  /* t1: lui + addi build the template */
    for (unsigned i = 0; i < sizeof p0 / 4; i++)
        put(g, 0, i * 4, p0[i]);
    /* pages 1..N-1: addi and a jump to the next page */
    for (unsigned k = 1; k < n; k++) {
        put(g, k, 0, addi(A0, A0, (int32_t)k));
        put(g, k, 4, jal0((int32_t)PAGE - 4));
        put(g, k, 8, nop);                  /* decoded only if a jump goes wrong */
    }
    /* page 2: the first visit rewrites page 1 and runs it again */
    uint32_t p2[] = {
        addi(A0, A0, 2), branch(BNE, S3, ZERO, 0x20), addi(S3, ZERO, 1),
        lw(T0, S0, 0), lui(T2, 100 << 8), add(T0, T0, T2), sw(T0, S0, 0), FENCE_I, jalr0(S0),
        addi(S3, ZERO, 0), jal0((int32_t)PAGE - 0x28),
    };
    for (unsigned i = 0; i < sizeof p2 / 4; i++)
        put(g, 2, i * 4, p2[i]);
    /* page N: rewrite pages 1 and N-1, loop or finish */
    uint32_t pn[] = {
        addi(A0, A0, (int32_t)n), addi(S1, S1, 1),
        addi(T0, S1, 1), slli(T0, T0, 20), or_(T0, T0, T1), sw(T0, S0, 0),
        addi(T0, S1, (int32_t)n - 1), slli(T0, T0, 20), or_(T0, T0, T1), sw(T0, T3, 0),
        FENCE_I, branch(BEQ, S1, A1, 8), jalr0(S0),
        lui(T0, 0x100), lui(T2, 5), addi(T2, T2, 0x555), sw(T2, T0, 0), jal0(0),
    };
    for (unsigned i = 0; i < sizeof pn / 4; i++)
        put(g, n, i * 4, pn[i]);
    /* page N+1: the other harts' loop */
    put(g, n + 1, 0, addi(S4, S4, 1));
    put(g, n + 1, 4, jal0(-4));
}

/* a0 of hart 0 when the finisher is written: the program above, in C. */
static uint64_t expected(const struct prog *g)
{
    unsigned n = g->npages;
    uint64_t a0 = 0, v1 = 1, vb = n - 1;
    for (unsigned s1 = 1; s1 <= g->rounds; s1++) {
        a0 += v1 + 2;               /* pages 1 and 2 */
        v1 += 100;
        a0 += v1 + 2;               /* again, page 1 rewritten */
        for (unsigned k = 3; k <= n; k++)
            a0 += k == n - 1 ? vb : k;
        v1 = 1 + s1;
        vb = n - 1 + s1;
    }
    return a0;
}

static struct machine *m;
static struct debugger *dbg;

/* A machine running g on harts harts, with a cache of cap pages (0: the default). */
static void boot(struct prog *g, const char *harts, unsigned cap)
{
    char path[] = "/tmp/hartvm-dcache-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t len = (g->npages + 2) * (size_t)PAGE;
    ck_assert_int_eq(write(fd, g->w, len), (ssize_t)len);
    close(fd);
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", path, "-m", "16M", "-smp", (char *)harts,
                     "-serial", "file:/dev/null", NULL };
    struct options opt;
    char err[256];
    ck_assert_msg(options_parse(11, argv, &opt, stdout, err, sizeof err) == PARSE_OK, "%s", err);
    m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    m->opt.kernel = NULL;
    m->opt.max_insns = 50000000;      /* a guest gone wrong ends with 125 */
    ck_assert_ptr_null(m->bus.dc.pool);     /* nothing fetched yet: the bound may change */
    if (cap)
        m->bus.dc.cap = cap;
    free(g->w);
    g->w = NULL;
}

static void shut(void)
{
    if (dbg) {
        brk_delete_all(dbg);
        dbg_detach(dbg);
        free(dbg);
        dbg = NULL;
    }
    machine_free(m);
    free(m);
}

START_TEST(recycled_pages_run_rewritten_code)
{
    static const struct { unsigned pages, rounds, cap; } cases[] = {
        { 24, 40, 8 },
        { 24, 40, 1 },              /* every fetch of a new page recycles the only one */
        { DCACHE_PAGES + 40, 3, 0 },     /* the real bound */
    };
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct prog g;
        build(&g, cases[c].pages, cases[c].rounds);
        uint64_t want = expected(&g);
        boot(&g, "1", cases[c].cap);
        int st = machine_run(m);
        unsigned cap = cases[c].cap ? cases[c].cap : DCACHE_PAGES;
        ck_assert_msg(st == 0, "case %u: exit status %d (pc 0x%llx)", c, st,
                      (unsigned long long)m->harts[0].pc);
        ck_assert_msg(m->harts[0].x[A0] == want, "case %u: a0 %llu, expected %llu", c,
                      (unsigned long long)m->harts[0].x[A0], (unsigned long long)want);
        ck_assert_msg(m->bus.dc.used == cap && m->bus.dc.cap == cap, "case %u: %u pages in use, cap %u",
                      c, m->bus.dc.used, m->bus.dc.cap);
        /* each round fetches every page at least once more than the cache holds */
        ck_assert_msg(m->bus.dc.recycled >= (uint64_t)(cases[c].pages - cap) * (cases[c].rounds - 1),
                      "case %u: only %llu pages recycled", c, (unsigned long long)m->bus.dc.recycled);
        unsigned held = 0;          /* guest pages (RAM and boot ROM) with a decoded page */
        for (int i = 0; i < m->bus.n; i++)
            for (uint64_t p = 0; m->bus.r[i].dpages && p < m->bus.r[i].size / PAGE; p++)
                held += m->bus.r[i].dpages[p] != NULL;
        ck_assert_msg(held == cap, "case %u: %u pages point to decoded pages", c, held);
        shut();
    }
}
END_TEST

/* Hart 1 spins in page N+1 while hart 0 recycles every page, its own too:
 * turns alternate every 16384 instructions, so hart 1 comes back to a
 * fetch TLB whose decoded page served other code in between. */
START_TEST(recycling_drops_other_harts_entries)
{
    struct prog g;
    build(&g, 24, 1500);            /* ~80 instructions a round: several turns */
    uint64_t want = expected(&g);
    unsigned n = g.npages;
    boot(&g, "2", 8);
    int st = machine_run(m);
    struct hart *h1 = &m->harts[1];
    uint64_t park = RAM + (uint64_t)(n + 1) * PAGE;
    ck_assert_msg(st == 0, "case 1: exit status %d", st);
    ck_assert_msg(m->harts[0].x[A0] == want, "case 2: hart 0 a0 %llu, expected %llu",
                  (unsigned long long)m->harts[0].x[A0], (unsigned long long)want);
    ck_assert_msg(h1->x[A0] == 1, "case 3: hart 1 ran other code (a0 %llu)", (unsigned long long)h1->x[A0]);
    ck_assert_msg(h1->pc >= park && h1->pc < park + 8, "case 4: hart 1 pc 0x%llx", (unsigned long long)h1->pc);
    ck_assert_msg(h1->x[S4] > 16384 / 2, "case 5: hart 1 ran %llu loops, less than a turn",
                  (unsigned long long)h1->x[S4]);
    ck_assert_msg(m->bus.dc.recycled > 1500, "case 6: %llu recycled", (unsigned long long)m->bus.dc.recycled);
    shut();
}
END_TEST

/* A breakpoint on page 3 stops every round, although the page is recycled
 * and decoded afresh in between: the decoder marks the slot again. */
START_TEST(breakpoint_survives_recycling)
{
    struct prog g;
    build(&g, 24, 6);
    uint64_t want = expected(&g);
    boot(&g, "1", 8);
    dbg = calloc(1, sizeof *dbg);
    ck_assert_ptr_nonnull(dbg);
    dbg->m = m;
    dbg_attach(dbg);
    struct hart *h = &m->harts[0];
    uint64_t bp = RAM + 3 * PAGE;
    char err[200];
    ck_assert_int_eq(brk_add(dbg, bp, BRK_NORMAL, -1, NULL, err, sizeof err), 1);
    struct region *r = bus_find(&m->bus, bp, 2);
    for (unsigned round = 1; round <= g.rounds; round++) {
        int st = machine_run(m);
        ck_assert_msg(st == MACHINE_STOPPED, "case %u.1: run ended with %d", round, st);
        ck_assert_msg(h->pc == bp && dbg->stop == STOP_BREAK, "case %u.2: stopped at 0x%llx", round,
                      (unsigned long long)h->pc);
        ck_assert_msg(dbg->brk[0].hits == round, "case %u.3: %llu hits", round,
                      (unsigned long long)dbg->brk[0].hits);
        /* page 3 was decoded afresh this round: its jump (slot 2) not yet */
        struct dpage *dp = r->dpages[(bp - r->base) / PAGE];
        ck_assert_msg(dp && dp->ins[0].op == OP__BREAK && dp->ins[2].op == OP__DECODE,
                      "case %u.4: page 3 was not recycled and marked again", round);
        dbg->skip[0] = true;        /* resume over the breakpoint */
        dbg->skip_pc[0] = h->pc;
        dbg->stop = STOP_NONE;
        m->stop_requested = false;
    }
    ck_assert(brk_delete(dbg, 1));
    int st = machine_run(m);
    ck_assert_msg(st == 0, "case 7: exit status %d", st);
    ck_assert_msg(h->x[A0] == want, "case 8: a0 %llu, expected %llu", (unsigned long long)h->x[A0],
                  (unsigned long long)want);
    shut();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dcache");
    TCase *tc = tcase_create("recycling");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, recycled_pages_run_rewritten_code);
    tcase_add_test(tc, recycling_drops_other_harts_entries);
    tcase_add_test(tc, breakpoint_survives_recycling);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(suite)

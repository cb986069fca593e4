/*
 * Address translation and PMP (mmu/mmu.c, mmu/pmp.c): page tables are
 * built in guest RAM of a hand-made machine (RAM at 0x8000_0000, a counting
 * device at 0x1000_0000) and every rule of privileged spec ch. 4 and 3.7 is
 * checked through the slow paths the interpreter calls on a TLB miss:
 * results, fault causes and mtval, A/D updates in memory, and what the
 * software TLBs keep after fills and fences.
 *
 * A failing check names its case number (and the mode / level in loops).
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../mmu/mmu.h"
#include "../../mmu/bus.h"
#include <string.h>

#define RAM_BASE  0x80000000ull
#define RAM_SIZE  (16ull << 20)
#define PT_BASE   (RAM_BASE + 0x100000)     /* page tables are allocated here */
#define DATA_PA   (RAM_BASE + 0x400000)     /* 2 MiB aligned target of mappings */
#define MMIO_BASE 0x10000000ull
#define HOLE_PA   0x40000000ull             /* nothing on the bus */

#define PTE_V (1ull << 0)
#define PTE_R (1ull << 1)
#define PTE_W (1ull << 2)
#define PTE_X (1ull << 3)
#define PTE_U (1ull << 4)
#define PTE_G (1ull << 5)
#define PTE_A (1ull << 6)
#define PTE_D (1ull << 7)
#define RWX   (PTE_R | PTE_W | PTE_X)
#define AD    (PTE_A | PTE_D)

enum { CSR_SATP = 0x180, CSR_MSTATUS = 0x300, CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0 };
enum { P_OFF = 0, P_TOR = 0x08, P_NA4 = 0x10, P_NAPOT = 0x18, P_L = 0x80 };
#define NO_TRAP (~0ull)

struct counter { unsigned reads, writes; };

static int dev_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    (void)size;
    ((struct counter *)dev)->reads++;
    *val = 0x1000 + off;
    return 0;
}

static int dev_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    (void)off, (void)size, (void)val;
    ((struct counter *)dev)->writes++;
    return 0;
}

static const struct device_ops counting_ops = { dev_read, dev_write };

struct env {
    struct machine *m;
    struct hart *h;
    struct counter dev;
    uint64_t next_pt, root;
    int levels;
};

static uint8_t *host(struct env *e, uint64_t pa)
{
    ck_assert(pa >= RAM_BASE && pa < RAM_BASE + RAM_SIZE);
    return e->m->ram + (pa - RAM_BASE);
}

static uint64_t rd64(struct env *e, uint64_t pa)
{
    uint64_t v;
    memcpy(&v, host(e, pa), 8);
    return v;
}

static void wr64(struct env *e, uint64_t pa, uint64_t v)
{
    memcpy(host(e, pa), &v, 8);
}

static void csrw(struct env *e, unsigned csr, uint64_t v)
{
    ck_assert(csr_write_raw(e->h, csr, v));
}

static uint64_t csrr(struct env *e, unsigned csr)
{
    uint64_t v;
    ck_assert(csr_read_raw(e->h, csr, &v));
    return v;
}

static uint64_t pt_alloc(struct env *e)
{
    uint64_t pa = e->next_pt;
    e->next_pt += 4096;
    ck_assert(e->next_pt <= DATA_PA);
    memset(host(e, pa), 0, 4096);
    return pa;
}

/* A machine with RAM, the counting device, one hart in M, PMP entry 15
 * granting S and U everything (tests use the lower entries), and an empty
 * root table for mode (SATP_BARE: satp stays 0). */
static void env_init(struct env *e, int mode)
{
    memset(e, 0, sizeof *e);
    e->m = calloc(1, sizeof *e->m);
    ck_assert_ptr_nonnull(e->m);
    e->m->opt.mmu_max = SATP_SV48;
    e->m->nharts = 1;
    e->m->ram = calloc(1, RAM_SIZE);
    ck_assert_ptr_nonnull(e->m->ram);
    ck_assert_int_eq(bus_add_memory(&e->m->bus, "ram", RAM_BASE, RAM_SIZE, e->m->ram, false), 0);
    ck_assert_int_eq(bus_add_device(&e->m->bus, "count", MMIO_BASE, 0x1000, &counting_ops, &e->dev), 0);
    e->h = &e->m->harts[0];
    machine_core_init(e->m);
    hart_reset(e->h, &e->m->core, 0, RAM_BASE);
    csrw(e, CSR_PMPADDR0 + 15, ~0ull);
    csrw(e, CSR_PMPCFG0 + 2, (uint64_t)(P_NAPOT | 7) << 56);
    e->next_pt = PT_BASE;
    e->levels = mode == SATP_SV48 ? 4 : 3;
    if (mode != SATP_BARE) {
        e->root = pt_alloc(e);
        csrw(e, CSR_SATP, (uint64_t)mode << 60 | e->root >> 12);
        ck_assert_uint_eq(csrr(e, CSR_SATP) >> 60, (unsigned)mode);
    }
}

static void env_free(struct env *e)
{
    bus_free(&e->m->bus);
    free(e->m->ram);
    free(e->m);
}

static unsigned vpn(uint64_t va, int i)
{
    return (va >> (12 + 9 * i)) & 0x1ff;
}

/* Map va by a leaf at level (0 = 4 KiB) with the given PTE bits and PPN
 * from pa; returns the leaf's physical address. */
static uint64_t map(struct env *e, uint64_t va, uint64_t pa, int level, uint64_t bits)
{
    uint64_t table = e->root;
    for (int i = e->levels - 1; i > level; i--) {
        uint64_t a = table + vpn(va, i) * 8, pte = rd64(e, a);
        if (!(pte & PTE_V)) {
            pte = (pt_alloc(e) >> 12) << 10 | PTE_V;
            wr64(e, a, pte);
        }
        table = (pte >> 10) << 12;
    }
    uint64_t a = table + vpn(va, level) * 8;
    wr64(e, a, (pa >> 12) << 10 | bits);
    return a;
}

/* One access at privilege priv (mstatus as it is). Returns NO_TRAP or the
 * cause; a fault must report tval (va unless told otherwise). */
static uint64_t access_tv(struct env *e, int priv, enum access acc, uint64_t va,
                          uint64_t *val, uint64_t tval)
{
    struct hart *h = e->h;
    uint64_t mpp = h->mstatus & MSTATUS_MPP;
    hart_set_priv(h, priv);
    h->mcause = NO_TRAP;
    h->mtval = 0xbad;
    uint64_t scratch = 0;
    if (!val)
        val = &scratch;
    int rc;
    switch (acc) {
    case ACC_LOAD:  rc = mmu_load_slow(h, va, 8, val); break;
    case ACC_STORE: rc = mmu_store_slow(h, va, 8, *val); break;
    default:        rc = mmu_fetch_fill(h, va) ? 0 : -1; break;
    }
    uint64_t cause = h->mcause;
    if (rc == 0) {
        ck_assert_uint_eq(cause, NO_TRAP);
    } else {
        ck_assert_uint_ne(cause, NO_TRAP);
        ck_assert_uint_eq(h->mtval, tval);
    }
    /* The trap (if any) moved the hart to M and rewrote MPP: restore. */
    h->mstatus = (h->mstatus & ~MSTATUS_MPP) | mpp;
    hart_set_priv(h, PRV_M);
    return cause;
}

static uint64_t access(struct env *e, int priv, enum access acc, uint64_t va, uint64_t *val)
{
    return access_tv(e, priv, acc, va, val, va);
}

static void set_mstatus(struct env *e, uint64_t set, uint64_t clear)
{
    csrw(e, CSR_MSTATUS, (csrr(e, CSR_MSTATUS) & ~clear) | set);
}

/* Host page the fetch TLB entry for va runs from (after mmu_fetch_fill). */
static uint8_t *fetch_host(struct env *e, uint64_t va)
{
    return e->h->tlbf[e->h->priv == PRV_M ? REGIME_M : e->h->priv == PRV_S ? REGIME_S : REGIME_U]
               [(va >> 12) % TLB_SIZE].dp->host;
}

/* ---- permission rules, every mode and page size ------------------------ */

struct perm_case {
    uint64_t bits;          /* leaf PTE bits (V added unless noted) */
    int priv;
    uint64_t mstatus;       /* SUM / MXR */
    enum access acc;
    uint64_t cause;         /* NO_TRAP or the expected page fault */
};

#define LP EXC_LOAD_PAGE
#define SP EXC_STORE_PAGE
#define IP EXC_INSN_PAGE
static const struct perm_case perm_cases[] = {
    /* 0..8: S-mode on supervisor pages */
    { RWX | AD, PRV_S, 0, ACC_LOAD, NO_TRAP },
    { RWX | AD, PRV_S, 0, ACC_STORE, NO_TRAP },
    { RWX | AD, PRV_S, 0, ACC_FETCH, NO_TRAP },
    { PTE_R | AD, PRV_S, 0, ACC_STORE, SP },
    { PTE_R | AD, PRV_S, 0, ACC_FETCH, IP },
    { PTE_R | PTE_W | AD, PRV_S, 0, ACC_FETCH, IP },
    { PTE_X | AD, PRV_S, 0, ACC_LOAD, LP },
    { PTE_X | AD, PRV_S, 0, ACC_STORE, SP },
    { PTE_R | AD, PRV_S, 0, ACC_LOAD, NO_TRAP },
    /* 9..11: MXR makes execute-only pages readable, never writable */
    { PTE_X | AD, PRV_S, MSTATUS_MXR, ACC_LOAD, NO_TRAP },
    { PTE_X | AD, PRV_S, MSTATUS_MXR, ACC_STORE, SP },
    { PTE_X | AD, PRV_U, MSTATUS_MXR, ACC_LOAD, LP },       /* not a U page */
    /* 12..17: W without R is reserved, whatever else is set */
    { PTE_W | AD, PRV_S, 0, ACC_LOAD, LP },
    { PTE_W | AD, PRV_S, 0, ACC_STORE, SP },
    { PTE_W | PTE_X | AD, PRV_S, 0, ACC_FETCH, IP },
    { PTE_W | PTE_X | AD, PRV_S, MSTATUS_MXR, ACC_LOAD, LP },
    { PTE_W | PTE_U | AD, PRV_U, 0, ACC_STORE, SP },
    { PTE_W | PTE_X | PTE_U | AD, PRV_U, 0, ACC_FETCH, IP },
    /* 18..24: U pages from S: never executed, data only with SUM */
    { RWX | PTE_U | AD, PRV_S, 0, ACC_FETCH, IP },
    { RWX | PTE_U | AD, PRV_S, MSTATUS_SUM, ACC_FETCH, IP },
    { RWX | PTE_U | AD, PRV_S, 0, ACC_LOAD, LP },
    { RWX | PTE_U | AD, PRV_S, 0, ACC_STORE, SP },
    { RWX | PTE_U | AD, PRV_S, MSTATUS_SUM, ACC_LOAD, NO_TRAP },
    { RWX | PTE_U | AD, PRV_S, MSTATUS_SUM, ACC_STORE, NO_TRAP },
    { PTE_X | PTE_U | AD, PRV_S, MSTATUS_SUM | MSTATUS_MXR, ACC_LOAD, NO_TRAP },
    /* 25..33: U mode: U pages only; SUM is irrelevant */
    { RWX | AD, PRV_U, 0, ACC_LOAD, LP },
    { RWX | AD, PRV_U, MSTATUS_SUM, ACC_STORE, SP },
    { RWX | AD, PRV_U, 0, ACC_FETCH, IP },
    { RWX | PTE_U | AD, PRV_U, 0, ACC_LOAD, NO_TRAP },
    { RWX | PTE_U | AD, PRV_U, 0, ACC_STORE, NO_TRAP },
    { RWX | PTE_U | AD, PRV_U, 0, ACC_FETCH, NO_TRAP },
    { PTE_X | PTE_U | AD, PRV_U, 0, ACC_LOAD, LP },
    { PTE_X | PTE_U | AD, PRV_U, MSTATUS_MXR, ACC_LOAD, NO_TRAP },
    { PTE_R | PTE_U | AD, PRV_U, 0, ACC_FETCH, IP },
    /* 34..45: reserved bits 63:54 (N, PBMT, reserved) and V = 0 */
    { RWX | AD | 1ull << 54, PRV_S, 0, ACC_LOAD, LP },
    { RWX | AD | 1ull << 57, PRV_S, 0, ACC_STORE, SP },
    { RWX | AD | 1ull << 60, PRV_S, 0, ACC_FETCH, IP },
    { RWX | AD | 1ull << 61, PRV_S, 0, ACC_LOAD, LP },
    { RWX | AD | 1ull << 62, PRV_S, 0, ACC_STORE, SP },
    { RWX | AD | 1ull << 63, PRV_S, 0, ACC_FETCH, IP },
    { RWX | AD | PTE_U | 1ull << 63, PRV_U, 0, ACC_LOAD, LP },
    { 0x100 | 0x200 | RWX | AD, PRV_S, 0, ACC_LOAD, NO_TRAP },      /* RSW is free */
    { PTE_G | RWX | AD, PRV_S, 0, ACC_STORE, NO_TRAP },
    { 0, PRV_S, 0, ACC_LOAD, LP },                                   /* V = 0 below */
    { 0, PRV_S, 0, ACC_STORE, SP },
    { 0, PRV_U, 0, ACC_FETCH, IP },
};
#define N_PERM (sizeof perm_cases / sizeof perm_cases[0])
#define FIRST_INVALID (N_PERM - 3)

/* Virtual base of the test mapping at level: aligned to its page size. */
static uint64_t test_va(int level)
{
    return level == 3 ? 1ull << 39 : 5ull << 30;
}

/* Physical base of a level-sized page holding DATA_PA. */
static uint64_t page_pa(int level)
{
    return DATA_PA & ~((1ull << (12 + 9 * level)) - 1);
}

static void run_perm_table(int mode, int level)
{
    struct env e;
    env_init(&e, mode);
    uint64_t va = test_va(level) + (DATA_PA - page_pa(level));
    for (unsigned n = 0; n < N_PERM; n++) {
        const struct perm_case *c = &perm_cases[n];
        uint64_t bits = c->bits | (n < FIRST_INVALID ? PTE_V : 0);
        map(&e, test_va(level), page_pa(level), level, bits);
        set_mstatus(&e, c->mstatus, MSTATUS_SUM | MSTATUS_MXR);
        uint64_t marker = 0x1234567800000000ull | n << 8 | level;
        wr64(&e, DATA_PA, marker);
        uint64_t val = c->acc == ACC_STORE ? ~marker : 0;
        uint64_t cause = access(&e, c->priv, c->acc, va, &val);
        ck_assert_msg(cause == c->cause, "mode %d level %d case %u: cause %lld, expected %lld",
                      mode, level, n, (long long)cause, (long long)c->cause);
        if (cause != NO_TRAP)
            continue;
        switch (c->acc) {
        case ACC_LOAD:
            ck_assert_msg(val == marker, "mode %d level %d case %u: loaded %llx", mode, level, n,
                          (unsigned long long)val);
            break;
        case ACC_STORE:
            ck_assert_msg(rd64(&e, DATA_PA) == ~marker, "mode %d level %d case %u: store lost",
                          mode, level, n);
            break;
        default:
            hart_set_priv(e.h, c->priv);
            ck_assert_msg(fetch_host(&e, va) == host(&e, DATA_PA), "mode %d level %d case %u: fetch page",
                          mode, level, n);
            hart_set_priv(e.h, PRV_M);
        }
    }
    env_free(&e);
}

START_TEST(perm_sv39)
{
    run_perm_table(SATP_SV39, _i);
}
END_TEST

START_TEST(perm_sv48)
{
    run_perm_table(SATP_SV48, _i);
}
END_TEST

/* ---- superpage alignment, non-leaf rules, walk shape --------------------- */

START_TEST(misaligned_superpage)
{
    /* _i: 0 = Sv39 2M, 1 = Sv39 1G, 2 = Sv48 2M, 3 = Sv48 1G, 4 = Sv48 512G */
    static const int modes[] = { SATP_SV39, SATP_SV39, SATP_SV48, SATP_SV48, SATP_SV48 };
    static const int levels[] = { 1, 2, 1, 2, 3 };
    struct env e;
    env_init(&e, modes[_i]);
    int level = levels[_i];
    uint64_t va = test_va(level) + (DATA_PA - page_pa(level));
    /* The aligned mapping works... */
    map(&e, test_va(level), page_pa(level), level, RWX | AD | PTE_V);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, va, NULL), NO_TRAP);
    /* ...and each nonzero low PPN field makes every access fault. */
    for (int k = 0; k < level; k++) {
        uint64_t bad = page_pa(level) + (0x1000ull << (9 * k));
        map(&e, test_va(level), bad, level, RWX | AD | PTE_V);
        ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_PAGE, "case %d field %d load", (int)_i, k);
        ck_assert_msg(access(&e, PRV_S, ACC_STORE, va, NULL) == EXC_STORE_PAGE, "case %d field %d store", (int)_i, k);
        ck_assert_msg(access(&e, PRV_S, ACC_FETCH, va, NULL) == EXC_INSN_PAGE, "case %d field %d fetch", (int)_i, k);
    }
    env_free(&e);
}
END_TEST

START_TEST(nonleaf_rules)
{
    int mode = _i ? SATP_SV48 : SATP_SV39;
    struct env e;
    env_init(&e, mode);
    uint64_t va = 0x12345000;
    uint64_t leaf = map(&e, va, DATA_PA, 0, RWX | AD | PTE_V);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, va, NULL), NO_TRAP);
    /* 1..4: D, A, U or a reserved bit in the pointer to the leaf table */
    uint64_t ptr_addr = 0;
    {
        uint64_t table = e.root;
        for (int i = e.levels - 1; i > 0; i--) {
            ptr_addr = table + vpn(va, i) * 8;
            table = (rd64(&e, ptr_addr) >> 10) << 12;
        }
    }
    uint64_t ptr = rd64(&e, ptr_addr);
    static const uint64_t bad[] = { PTE_D, PTE_A, PTE_U, 1ull << 61 };
    for (unsigned n = 0; n < 4; n++) {
        wr64(&e, ptr_addr, ptr | bad[n]);
        ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_PAGE, "case %u", n + 1);
        ck_assert_msg(access(&e, PRV_S, ACC_FETCH, va, NULL) == EXC_INSN_PAGE, "case %u", n + 1);
    }
    /* 5: G in a non-leaf is allowed */
    wr64(&e, ptr_addr, ptr | PTE_G);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == NO_TRAP, "case 5");
    wr64(&e, ptr_addr, ptr);
    /* 6: a pointer at level 0 (no leaf found) faults */
    wr64(&e, leaf, (pt_alloc(&e) >> 12) << 10 | PTE_V);
    ck_assert_msg(access(&e, PRV_S, ACC_STORE, va, NULL) == EXC_STORE_PAGE, "case 6");
    /* 7: an invalid pointer at the root */
    wr64(&e, e.root + vpn(va, e.levels - 1) * 8, 0);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_PAGE, "case 7");
    env_free(&e);
}
END_TEST

/* All leaf sizes at once, with the physical address each produces. */
START_TEST(page_sizes)
{
    int mode = _i ? SATP_SV48 : SATP_SV39;
    struct env e;
    env_init(&e, mode);
    for (int level = 0; level < e.levels; level++) {
        uint64_t base = level == 3 ? 1ull << 39 : (uint64_t)(level + 1) << 30;
        for (uint64_t k = 0; k < (level ? 1 : 3); k++)
            map(&e, base + k * 0x1000, page_pa(level) + k * 0x1000, level, RWX | AD | PTE_V);
        for (uint64_t off = 0; off < 0x3000; off += 0x1008) {
            uint64_t va = base + (DATA_PA - page_pa(level)) + off, pa;
            e.h->priv = PRV_S;
            mmu_update_regime(e.h);
            ck_assert_msg(mmu_translate_debug(e.h, va, ACC_LOAD, &pa) == 0, "level %d off %llx", level,
                          (unsigned long long)off);
            ck_assert_msg(pa == DATA_PA + off, "level %d off %llx: pa %llx", level, (unsigned long long)off,
                          (unsigned long long)pa);
            hart_set_priv(e.h, PRV_M);
            wr64(&e, DATA_PA + off, 0xabc0 + off + level);
            uint64_t v;
            ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, va, &v), NO_TRAP);
            ck_assert_uint_eq(v, 0xabc0 + off + level);
        }
    }
    env_free(&e);
}
END_TEST

START_TEST(non_canonical)
{
    int mode = _i ? SATP_SV48 : SATP_SV39;
    int vabits = mode == SATP_SV48 ? 48 : 39;
    struct env e;
    env_init(&e, mode);
    /* These would all index the mapped entry if the upper bits were ignored. */
    map(&e, 0x1000, DATA_PA, 0, RWX | PTE_U | AD | PTE_V);
    ck_assert_uint_eq(access(&e, PRV_U, ACC_LOAD, 0x1000, NULL), NO_TRAP);
    const uint64_t bad[] = { 0x1000 | 1ull << vabits, 0x1000 | 1ull << 63, 0x1000 | 1ull << (vabits - 1),
                             0x1000 | ((~0ull << vabits) & ~(1ull << 63)) };
    for (unsigned n = 0; n < 4; n++) {
        ck_assert_msg(access(&e, PRV_U, ACC_LOAD, bad[n], NULL) == EXC_LOAD_PAGE, "case %u", n);
        ck_assert_msg(access(&e, PRV_U, ACC_STORE, bad[n], NULL) == EXC_STORE_PAGE, "case %u", n);
        ck_assert_msg(access(&e, PRV_U, ACC_FETCH, bad[n], NULL) == EXC_INSN_PAGE, "case %u", n);
    }
    /* The upper half of the address space is reachable when canonical. */
    uint64_t hi = ~0ull << (vabits - 1) | 0x5000;
    map(&e, hi, DATA_PA, 0, PTE_R | AD | PTE_V);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, hi, NULL) == NO_TRAP, "case 4");
    env_free(&e);
}
END_TEST

/* ---- A and D ------------------------------------------------------------ */

START_TEST(accessed_dirty)
{
    int mode = _i ? SATP_SV48 : SATP_SV39;
    struct env e;
    env_init(&e, mode);
    uint64_t va = 0x7000, pa;
    uint64_t leaf = map(&e, va, DATA_PA, 0, RWX | PTE_V);
    uint64_t clean = rd64(&e, leaf);
    /* 1: the debug walk has no side effects */
    e.h->priv = PRV_S;
    mmu_update_regime(e.h);
    ck_assert_msg(mmu_translate_debug(e.h, va, ACC_STORE, &pa) == 0 && pa == DATA_PA, "case 1");
    hart_set_priv(e.h, PRV_M);
    ck_assert_msg(rd64(&e, leaf) == clean, "case 1: PTE changed");
    /* 2: a load sets A only */
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, va, NULL), NO_TRAP);
    ck_assert_msg(rd64(&e, leaf) == (clean | PTE_A), "case 2: %llx", (unsigned long long)rd64(&e, leaf));
    /* 3: a store sets D (and keeps A) */
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, va, NULL), NO_TRAP);
    ck_assert_msg(rd64(&e, leaf) == (clean | AD), "case 3");
    /* 4: a fetch sets A only */
    wr64(&e, leaf, clean);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_FETCH, va, NULL), NO_TRAP);
    ck_assert_msg(rd64(&e, leaf) == (clean | PTE_A), "case 4");
    /* 5: a store on a clean page sets both at once */
    wr64(&e, leaf, clean);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, va, NULL), NO_TRAP);
    ck_assert_msg(rd64(&e, leaf) == (clean | AD), "case 5");
    /* 6: a faulting access updates nothing */
    wr64(&e, leaf, (clean & ~PTE_W));
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, va, NULL), EXC_STORE_PAGE);
    ck_assert_msg(rd64(&e, leaf) == (clean & ~PTE_W), "case 6");
    /* 7: superpage leaf: A/D land in the level-1 PTE */
    uint64_t sleaf = map(&e, 0x40000000, page_pa(1), 1, RWX | PTE_V);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, 0x40000000 + (DATA_PA - page_pa(1)), NULL), NO_TRAP);
    ck_assert_msg((rd64(&e, sleaf) & AD) == AD, "case 7");
    /* 8: a misaligned superpage faults before any update */
    uint64_t mis = map(&e, 0x40000000, page_pa(1) + 0x1000, 1, RWX | PTE_V);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, 0x40000000, NULL), EXC_LOAD_PAGE);
    ck_assert_msg(!(rd64(&e, mis) & PTE_A), "case 8");
    env_free(&e);
}
END_TEST

/* ---- MPRV ------------------------------------------------------------- */

START_TEST(mprv)
{
    struct env e;
    env_init(&e, SATP_SV39);
    uint64_t va = 0x3000;
    map(&e, va, DATA_PA, 0, PTE_R | PTE_W | AD | PTE_V);
    map(&e, 0x4000, DATA_PA + 0x1000, 0, PTE_R | PTE_W | PTE_U | AD | PTE_V);
    wr64(&e, DATA_PA, 0x1111);
    wr64(&e, DATA_PA + 0x1000, 0x2222);
    wr64(&e, RAM_BASE + 0x3000, 0x3333);
    uint64_t v;
    /* 1: M without MPRV: physical */
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, RAM_BASE + 0x3000, &v) == NO_TRAP && v == 0x3333, "case 1");
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, va, &v) == EXC_LOAD_ACCESS, "case 1b");
    /* 2: MPRV with MPP = S: loads and stores translate as S */
    set_mstatus(&e, MSTATUS_MPRV | (uint64_t)PRV_S << 11, MSTATUS_MPP);
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, va, &v) == NO_TRAP && v == 0x1111, "case 2");
    v = 0x4444;
    ck_assert_msg(access(&e, PRV_M, ACC_STORE, va, &v) == NO_TRAP && rd64(&e, DATA_PA) == 0x4444, "case 2b");
    /* 3: ... with S's U-page rule, and SUM */
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, 0x4000, &v) == EXC_LOAD_PAGE, "case 3");
    set_mstatus(&e, MSTATUS_SUM, 0);
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, 0x4000, &v) == NO_TRAP && v == 0x2222, "case 3b");
    set_mstatus(&e, 0, MSTATUS_SUM);
    /* 4: fetches ignore MPRV: M fetches physical */
    ck_assert_msg(access(&e, PRV_M, ACC_FETCH, RAM_BASE + 0x3000, NULL) == NO_TRAP, "case 4");
    ck_assert_msg(fetch_host(&e, RAM_BASE + 0x3000) == host(&e, RAM_BASE + 0x3000), "case 4b");
    /* 5: MPP = U: U pages only */
    set_mstatus(&e, (uint64_t)PRV_U << 11, MSTATUS_MPP);
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, 0x4000, &v) == NO_TRAP && v == 0x2222, "case 5");
    ck_assert_msg(access(&e, PRV_M, ACC_STORE, va, &v) == EXC_STORE_PAGE, "case 5b");
    /* 6: MPP = M: physical again */
    set_mstatus(&e, (uint64_t)PRV_M << 11, MSTATUS_MPP);
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, RAM_BASE + 0x3000, &v) == NO_TRAP && v == 0x3333, "case 6");
    /* 7: MPRV has no effect below M */
    set_mstatus(&e, (uint64_t)PRV_U << 11, MSTATUS_MPP);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, &v) == NO_TRAP && v == 0x4444, "case 7");
    env_free(&e);
}
END_TEST

/* ---- access faults: nothing behind an address, PMP on the walk ------------ */

START_TEST(access_faults)
{
    int mode = _i ? SATP_SV48 : SATP_SV39;
    struct env e;
    env_init(&e, mode);
    uint64_t va = 0x9000;
    /* 1: leaf pointing at a hole */
    map(&e, va, HOLE_PA, 0, RWX | AD | PTE_V);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_ACCESS, "case 1");
    ck_assert_msg(access(&e, PRV_S, ACC_STORE, va, NULL) == EXC_STORE_ACCESS, "case 1b");
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, va, NULL) == EXC_INSN_ACCESS, "case 1c");
    /* 2: fetch from a device page */
    map(&e, va, MMIO_BASE, 0, RWX | AD | PTE_V);
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, va, NULL) == EXC_INSN_ACCESS, "case 2");
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va + 8, NULL) == NO_TRAP, "case 2b");
    /* 3: a non-leaf pointing at a hole: the walk itself faults */
    uint64_t root_pte = e.root + vpn(va, e.levels - 1) * 8, saved = rd64(&e, root_pte);
    wr64(&e, root_pte, (HOLE_PA >> 12) << 10 | PTE_V);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_ACCESS, "case 3");
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, va, NULL) == EXC_INSN_ACCESS, "case 3b");
    wr64(&e, root_pte, saved);
    /* 4: PMP denies reading the page tables (entry 0 over them, no R):
     * access fault, even from M with MPRV (the walk is an S access). */
    map(&e, va, DATA_PA, 0, RWX | AD | PTE_V);
    csrw(&e, CSR_PMPADDR0, (PT_BASE >> 2) | ((0x100000 >> 3) - 1));   /* NAPOT 1 MiB */
    csrw(&e, CSR_PMPCFG0, P_NAPOT);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_ACCESS, "case 4");
    ck_assert_msg(access(&e, PRV_S, ACC_STORE, va, NULL) == EXC_STORE_ACCESS, "case 4b");
    ck_assert_msg(access(&e, PRV_U, ACC_FETCH, va, NULL) == EXC_INSN_ACCESS, "case 4c");
    set_mstatus(&e, MSTATUS_MPRV | (uint64_t)PRV_S << 11, MSTATUS_MPP);
    ck_assert_msg(access(&e, PRV_M, ACC_LOAD, va, NULL) == EXC_LOAD_ACCESS, "case 4d");
    set_mstatus(&e, 0, MSTATUS_MPRV);
    /* 5: readable but not writable tables: walks work while A/D are set,
     * an A/D update is a store and faults */
    csrw(&e, CSR_PMPCFG0, P_NAPOT | 1);
    ck_assert_msg(access(&e, PRV_S, ACC_STORE, va, NULL) == NO_TRAP, "case 5");
    uint64_t leaf = map(&e, va, DATA_PA, 0, RWX | PTE_V);
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == EXC_LOAD_ACCESS, "case 5b");
    ck_assert_msg(!(rd64(&e, leaf) & PTE_A), "case 5c");
    /* 6: the final physical address is checked at the data privilege */
    csrw(&e, CSR_PMPCFG0, P_NAPOT | 7);
    map(&e, va, DATA_PA, 0, RWX | AD | PTE_V);
    csrw(&e, CSR_PMPADDR0 + 1, (DATA_PA >> 2) | ((0x1000 >> 3) - 1));  /* NAPOT 4 KiB, R */
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_NAPOT | 1) << 8 | (P_NAPOT | 7));
    ck_assert_msg(access(&e, PRV_S, ACC_LOAD, va, NULL) == NO_TRAP, "case 6");
    ck_assert_msg(access(&e, PRV_S, ACC_STORE, va, NULL) == EXC_STORE_ACCESS, "case 6b");
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, va, NULL) == EXC_INSN_ACCESS, "case 6c");
    env_free(&e);
}
END_TEST

/* ---- satp ----------------------------------------------------------------- */

START_TEST(satp_modes)
{
    struct env e;
    env_init(&e, SATP_BARE);
    uint64_t root = PT_BASE >> 12;
    /* 1: each supported mode is accepted with its ASID and PPN */
    csrw(&e, CSR_SATP, (uint64_t)SATP_SV39 << 60 | 0x5ull << 44 | root);
    ck_assert_msg(csrr(&e, CSR_SATP) == ((uint64_t)SATP_SV39 << 60 | 0x5ull << 44 | root), "case 1");
    csrw(&e, CSR_SATP, (uint64_t)SATP_SV48 << 60 | root);
    ck_assert_msg(csrr(&e, CSR_SATP) >> 60 == SATP_SV48, "case 1b");
    /* 2: Sv57 and reserved modes leave satp unchanged */
    uint64_t before = csrr(&e, CSR_SATP);
    static const unsigned bad[] = { 1, 2, 7, SATP_SV57, 11, 15 };
    for (unsigned n = 0; n < 6; n++) {
        csrw(&e, CSR_SATP, (uint64_t)bad[n] << 60 | 7);
        ck_assert_msg(csrr(&e, CSR_SATP) == before, "case 2.%u", n);
    }
    /* 3: --mmu sv39 caps the mode */
    e.m->core.mmu_max = SATP_SV39;
    csrw(&e, CSR_SATP, 0);
    csrw(&e, CSR_SATP, (uint64_t)SATP_SV48 << 60 | root);
    ck_assert_msg(csrr(&e, CSR_SATP) == 0, "case 3");
    csrw(&e, CSR_SATP, (uint64_t)SATP_SV39 << 60 | root);
    ck_assert_msg(csrr(&e, CSR_SATP) >> 60 == SATP_SV39, "case 3b");
    env_free(&e);
}
END_TEST

/* ---- PMP ------------------------------------------------------------------ */

/* Load/store/fetch of size bytes at pa (physical) at priv: a bit per
 * access allowed (1 R, 2 W, 4 X). Fetches are 2 bytes. */
static int pmp_try(struct env *e, int priv, uint64_t pa, unsigned size)
{
    struct hart *h = e->h;
    int ok = 0;
    uint64_t v = 0;
    mmu_flush_all(h);
    for (int k = 0; k < 3; k++) {
        hart_set_priv(h, priv);
        h->mcause = NO_TRAP;
        int rc = k == 0 ? mmu_load_slow(h, pa, size, &v)
               : k == 1 ? mmu_store_slow(h, pa, size, v)
               : !mmu_fetch_fill(h, pa);
        static const uint64_t af[] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS, EXC_INSN_ACCESS };
        if (rc == 0)
            ok |= 1 << k;
        else
            ck_assert_msg(h->mcause == af[k] && h->mtval == pa, "pa %llx kind %d: cause %lld",
                          (unsigned long long)pa, k, (long long)h->mcause);
        hart_set_priv(h, PRV_M);
    }
    return ok;
}

/* Entry 15 (catch-all for S/U) off: only entries under test remain. */
static void pmp_clear(struct env *e)
{
    for (unsigned i = 0; i < 16; i++)
        e->h->pmp[i].cfg = 0, e->h->pmp[i].addr = 0;
}

START_TEST(pmp_rules)
{
    struct env e;
    env_init(&e, SATP_BARE);
    pmp_clear(&e);
    uint64_t a = RAM_BASE + 0x10000;
    /* 1: no entry matches: M may, S and U may not */
    ck_assert_msg(pmp_try(&e, PRV_M, a, 8) == 7, "case 1");
    ck_assert_msg(pmp_try(&e, PRV_S, a, 8) == 0, "case 1b");
    ck_assert_msg(pmp_try(&e, PRV_U, a, 8) == 0, "case 1c");
    /* 2: TOR [a, a+0x100) with entry 0 as the bottom, R+X */
    csrw(&e, CSR_PMPADDR0, a >> 2);
    csrw(&e, CSR_PMPADDR0 + 1, (a + 0x100) >> 2);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_TOR | 5) << 8);
    ck_assert_msg(pmp_try(&e, PRV_S, a, 8) == 5, "case 2");
    ck_assert_msg(pmp_try(&e, PRV_U, a + 0xf8, 8) == 5, "case 2b");
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x100, 8) == 0, "case 2c");
    ck_assert_msg(pmp_try(&e, PRV_S, a - 8, 8) == 0, "case 2d");
    /* 3: TOR in entry 0 starts at address 0 (not at any other entry's) */
    csrw(&e, CSR_PMPADDR0 + 15, (a - 0x100) >> 2);
    csrw(&e, CSR_PMPCFG0, P_TOR | 1);
    ck_assert_msg(pmp_try(&e, PRV_S, a - 8, 8) == 1, "case 3");
    ck_assert_msg(pmp_try(&e, PRV_S, a - 0x1000, 8) == 1, "case 3c");
    ck_assert_msg(pmp_try(&e, PRV_S, RAM_BASE, 8) == 1, "case 3d");
    ck_assert_msg(pmp_try(&e, PRV_S, a, 8) == 0, "case 3b");
    /* 4: TOR with top <= bottom matches nothing */
    csrw(&e, CSR_PMPADDR0, (a + 0x200) >> 2);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_TOR | 7) << 8);
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x100, 8) == 0, "case 4");
    /* 5: NA4: 4-byte accesses inside; an 8-byte one half inside fails, for M too */
    csrw(&e, CSR_PMPADDR0, (a + 4) >> 2);
    csrw(&e, CSR_PMPCFG0, P_NA4 | 3);
    ck_assert_msg(pmp_try(&e, PRV_S, a + 4, 4) == 3, "case 5");
    ck_assert_msg(pmp_try(&e, PRV_S, a, 4) == 0, "case 5b");
    ck_assert_msg(pmp_try(&e, PRV_S, a + 8, 4) == 0, "case 5c");
    ck_assert_msg((pmp_try(&e, PRV_S, a, 8) & 3) == 0, "case 5d");
    ck_assert_msg((pmp_try(&e, PRV_M, a, 8) & 3) == 0, "case 5e");
    ck_assert_msg((pmp_try(&e, PRV_M, a + 8, 8) & 3) == 3, "case 5f");
    /* 6: NAPOT sizes 8 B and 4 KiB with their edges */
    csrw(&e, CSR_PMPADDR0, a >> 2);                        /* 8 bytes at a */
    csrw(&e, CSR_PMPCFG0, P_NAPOT | 1);
    ck_assert_msg(pmp_try(&e, PRV_S, a, 8) == 1, "case 6");
    ck_assert_msg(pmp_try(&e, PRV_S, a + 8, 4) == 0, "case 6b");
    csrw(&e, CSR_PMPADDR0, (a >> 2) | 0x1ff);              /* 4 KiB at a */
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0xff8, 8) == 1, "case 6c");
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x1000, 8) == 0, "case 6d");
    ck_assert_msg(pmp_try(&e, PRV_S, a - 4, 4) == 0, "case 6e");
    /* 7: priority: the lowest-numbered matching entry decides */
    csrw(&e, CSR_PMPADDR0 + 1, ~0ull);                     /* everything, RWX */
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_NAPOT | 7) << 8 | (P_NAPOT | 1));
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x800, 8) == 1, "case 7");
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x1000, 8) == 7, "case 7b");
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_NAPOT | 1) << 8 | (P_NAPOT | 7));
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x800, 8) == 7, "case 7c");
    ck_assert_msg(pmp_try(&e, PRV_S, a + 0x2000, 8) == 1, "case 7d");
    /* 8: partial overlap with the higher-priority entry fails even if a
     * lower-priority one covers everything */
    csrw(&e, CSR_PMPADDR0, (a + 4) >> 2);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_NAPOT | 7) << 8 | (P_NA4 | 7));
    ck_assert_msg((pmp_try(&e, PRV_S, a, 8) & 3) == 0, "case 8");
    ck_assert_msg((pmp_try(&e, PRV_S, a + 8, 8) & 3) == 3, "case 8b");
    /* 9: R=0 W=1 is reserved: W reads back 0 */
    csrw(&e, CSR_PMPCFG0, P_NAPOT | 2);
    ck_assert_msg((csrr(&e, CSR_PMPCFG0) & 0xff) == P_NAPOT, "case 9");
    csrw(&e, CSR_PMPCFG0, 0x60 | P_NAPOT | 3);              /* bits 6:5 read 0 */
    ck_assert_msg((csrr(&e, CSR_PMPCFG0) & 0xff) == (P_NAPOT | 3), "case 9b");
    env_free(&e);
}
END_TEST

START_TEST(pmp_lock)
{
    struct env e;
    env_init(&e, SATP_BARE);
    pmp_clear(&e);
    uint64_t a = RAM_BASE + 0x20000;
    /* 1: an unlocked entry does not bind M */
    csrw(&e, CSR_PMPADDR0 + 2, (a >> 2) | 0x1ff);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_NAPOT | 1) << 16);
    ck_assert_msg(pmp_try(&e, PRV_M, a, 8) == 7, "case 1");
    /* 2: locked, it binds M */
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_L | P_NAPOT | 1) << 16);
    ck_assert_msg(pmp_try(&e, PRV_M, a, 8) == 1, "case 2");
    ck_assert_msg(pmp_try(&e, PRV_M, a + 0x1000, 8) == 7, "case 2b");
    /* 3: locked entries ignore writes to cfg and addr */
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_NAPOT | 7) << 16);
    ck_assert_msg(((csrr(&e, CSR_PMPCFG0) >> 16) & 0xff) == (P_L | P_NAPOT | 1), "case 3");
    csrw(&e, CSR_PMPADDR0 + 2, 0);
    ck_assert_msg(csrr(&e, CSR_PMPADDR0 + 2) == ((a >> 2) | 0x1ff), "case 3b");
    ck_assert_msg(pmp_try(&e, PRV_M, a, 8) == 1, "case 3c");
    /* 4: a locked TOR entry locks the address of the entry below it */
    csrw(&e, CSR_PMPADDR0 + 3, (a + 0x2000) >> 2);
    csrw(&e, CSR_PMPADDR0 + 4, (a + 0x3000) >> 2);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_L | P_TOR) << 32);
    csrw(&e, CSR_PMPADDR0 + 3, 0);
    ck_assert_msg(csrr(&e, CSR_PMPADDR0 + 3) == (a + 0x2000) >> 2, "case 4");
    ck_assert_msg(pmp_try(&e, PRV_M, a + 0x2800, 8) == 0, "case 4b");
    /* ... but a locked non-TOR entry does not */
    csrw(&e, CSR_PMPADDR0 + 1, 0x1234);
    ck_assert_msg(csrr(&e, CSR_PMPADDR0 + 1) == 0x1234, "case 4c");
    /* 5: the lock survives a write of the whole register (entry 2 kept) */
    csrw(&e, CSR_PMPCFG0, 0);
    ck_assert_msg(((csrr(&e, CSR_PMPCFG0) >> 16) & 0xff) == (P_L | P_NAPOT | 1), "case 5");
    env_free(&e);
}
END_TEST

/* pmp_page_perms: uniform pages give their permissions, split ones -1. */
START_TEST(pmp_page_uniformity)
{
    struct env e;
    env_init(&e, SATP_BARE);
    pmp_clear(&e);
    uint64_t a = RAM_BASE + 0x30000;
    csrw(&e, CSR_PMPADDR0, (a + 0x800) >> 2);
    csrw(&e, CSR_PMPADDR0 + 1, (a + 0x1000) >> 2);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_TOR | 5) << 8);
    ck_assert_msg(pmp_page_perms(e.h, a, PRV_S) == -1, "case 1");
    ck_assert_msg(pmp_page_perms(e.h, a + 0x1000, PRV_S) == 0, "case 2");
    ck_assert_msg(pmp_page_perms(e.h, a + 0x1000, PRV_M) == 7, "case 3");
    csrw(&e, CSR_PMPADDR0, a >> 2);
    ck_assert_msg(pmp_page_perms(e.h, a, PRV_S) == 5, "case 4");
    env_free(&e);
}
END_TEST

/* ---- the TLBs ----------------------------------------------------------- */

static bool ld_cached(struct env *e, int regime, uint64_t va)
{
    return e->h->tlb[regime][0][(va >> 12) % TLB_SIZE].tag == (va & ~0xfffull);
}

static bool st_cached(struct env *e, int regime, uint64_t va)
{
    return e->h->tlb[regime][1][(va >> 12) % TLB_SIZE].tag == (va & ~0xfffull);
}

static bool fe_cached(struct env *e, int regime, uint64_t va)
{
    return e->h->tlbf[regime][(va >> 12) % TLB_SIZE].tag == (va & ~0xfffull);
}

START_TEST(tlb_fill_rules)
{
    struct env e;
    env_init(&e, SATP_BARE);
    uint64_t v;
    /* 1: RAM loads and stores fill their TLB, with the right host address */
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, DATA_PA + 8, &v), NO_TRAP);
    ck_assert_msg(ld_cached(&e, REGIME_S, DATA_PA), "case 1");
    struct tlb_entry *t = &e.h->tlb[REGIME_S][0][(DATA_PA >> 12) % TLB_SIZE];
    ck_assert_msg((uint8_t *)(t->addend + DATA_PA + 8) == host(&e, DATA_PA + 8), "case 1b");
    ck_assert_msg(!st_cached(&e, REGIME_S, DATA_PA), "case 1c");
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, DATA_PA + 8, &v), NO_TRAP);
    ck_assert_msg(st_cached(&e, REGIME_S, DATA_PA), "case 1d");
    /* 2: MMIO is never cached: every access reaches the device */
    for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, MMIO_BASE + 0x10, &v), NO_TRAP);
        ck_assert_uint_eq(v, 0x1010);
        ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, MMIO_BASE + 0x10, &v), NO_TRAP);
    }
    ck_assert_msg(e.dev.reads == 3 && e.dev.writes == 3, "case 2");
    ck_assert_msg(!ld_cached(&e, REGIME_S, MMIO_BASE) && !st_cached(&e, REGIME_S, MMIO_BASE), "case 2b");
    /* 3: a RAM page partly covered by a device stays on the slow path */
    uint64_t shared = RAM_BASE + 0x50000;
    ck_assert_int_eq(bus_add_device(&e.m->bus, "overlay", shared + 0x800, 8, &counting_ops, &e.dev), 0);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, shared, &v), NO_TRAP);
    ck_assert_msg(!ld_cached(&e, REGIME_S, shared), "case 3");
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, shared + 0x800, &v), NO_TRAP);
    ck_assert_msg(v == 0x1000 && e.dev.reads == 4, "case 3b");
    /* 4: a page PMP splits is not cached for data */
    uint64_t split = RAM_BASE + 0x60000;
    csrw(&e, CSR_PMPADDR0, (split + 0x800) >> 2);
    csrw(&e, CSR_PMPCFG0, P_NA4 | 0);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, split, &v), NO_TRAP);
    ck_assert_msg(!ld_cached(&e, REGIME_S, split), "case 4");
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, split + 0x800, &v), EXC_LOAD_ACCESS);
    /* 5: a read-only PMP page caches loads but not stores */
    csrw(&e, CSR_PMPADDR0, (split >> 2) | 0x1ff);
    csrw(&e, CSR_PMPCFG0, P_NAPOT | 1);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, split, &v), NO_TRAP);
    ck_assert_msg(ld_cached(&e, REGIME_S, split), "case 5");
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, split, &v), EXC_STORE_ACCESS);
    ck_assert_msg(!st_cached(&e, REGIME_S, split), "case 5b");
    /* 6: a store to a page holding live decoded code is not cached, and
     * invalidates the decoded instructions */
    uint64_t code = RAM_BASE + 0x70000;
    ck_assert_uint_eq(access(&e, PRV_S, ACC_FETCH, code, NULL), NO_TRAP);
    static const void *const no_compressed[OP__COUNT];
    struct dpage *dp = e.h->tlbf[REGIME_S][(code >> 12) % TLB_SIZE].dp;
    dcache_decode(&e.m->core, dp, 8, no_compressed);    /* as the interpreter does */
    ck_assert_msg(dp->ins[4].op != OP__DECODE && dp->live, "case 6a");
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, code + 0x100, &v), NO_TRAP);
    ck_assert_msg(dp->ins[4].op == OP__DECODE && !dp->live, "case 6");
    /* the page is dead now: the next store may be cached... */
    ck_assert_msg(st_cached(&e, REGIME_S, code), "case 6b");
    /* ...until the page goes live again, which drops that entry */
    dcache_decode(&e.m->core, dp, 8, no_compressed);
    ck_assert_msg(!st_cached(&e, REGIME_S, code), "case 6c");
    env_free(&e);
}
END_TEST

/* Fetches from a code page that PMP splits are checked one by one. */
START_TEST(fetch_pmp_split)
{
    struct env e;
    env_init(&e, SATP_BARE);
    uint64_t page = RAM_BASE + 0x80000;
    /* entry 0: [page + 0x800, page + 0x1000) not executable by S */
    csrw(&e, CSR_PMPADDR0, (page + 0x800) >> 2);
    csrw(&e, CSR_PMPADDR0 + 1, (page + 0x1000) >> 2);
    csrw(&e, CSR_PMPCFG0, (uint64_t)(P_TOR | 3) << 8);
    /* 32-bit nop at 0x7fc and 0x7fe; compressed nop at 0x7fa */
    uint32_t nop = 0x00000013;
    memcpy(host(&e, page + 0x7fc), &nop, 4);
    memcpy(host(&e, page + 0x7fe), &nop, 2);
    memcpy(host(&e, page + 0x800), &nop, 2);
    uint16_t cnop = 0x0001;
    memcpy(host(&e, page + 0x7fa), &cnop, 2);
    /* 1: the allowed half runs, but from the private page, never cached */
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, page + 0x7fc, NULL) == NO_TRAP, "case 1");
    ck_assert_msg(!fe_cached(&e, REGIME_S, page), "case 1b");
    struct tlb_fetch_entry *fe = &e.h->tlbf[REGIME_S][(page >> 12) % TLB_SIZE];
    ck_assert_msg(fe->dp == &e.h->split_dp && fe->dp->host == host(&e, page), "case 1c");
    ck_assert_msg(fe->dp->ins[0x7fc >> 1].op == OP__DECODE, "case 1d");
    ck_assert_msg(fe->dp->ins[0x7fe >> 1].op == OP__PAGE_END && fe->dp->ins[0].op == OP__PAGE_END, "case 1e");
    /* 2: the denied half faults */
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, page + 0x800, NULL) == EXC_INSN_ACCESS, "case 2");
    /* 3: a 32-bit instruction whose upper half is denied: tval = that half */
    ck_assert_msg(access_tv(&e, PRV_S, ACC_FETCH, page + 0x7fe, NULL, page + 0x800) == EXC_INSN_ACCESS,
                  "case 3");
    /* 4: a 16-bit one just below the boundary is fine; the previous slot
     * went back to a page end */
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, page + 0x7fa, NULL) == NO_TRAP, "case 4");
    ck_assert_msg(fe->dp->ins[0x7fa >> 1].op == OP__DECODE && fe->dp->ins[0x7fc >> 1].op == OP__PAGE_END,
                  "case 4b");
    /* 5: M is not bound by the unlocked entry, but one access may still
     * straddle its edge (and fail): M runs the page checked too */
    ck_assert_msg(access(&e, PRV_M, ACC_FETCH, page + 0x800, NULL) == NO_TRAP, "case 5");
    ck_assert_msg(!fe_cached(&e, REGIME_M, page), "case 5b");
    /* 6: a page entirely inside one entry is cached as usual */
    ck_assert_msg(access(&e, PRV_S, ACC_FETCH, page + 0x1000, NULL) == NO_TRAP, "case 6");
    ck_assert_msg(fe_cached(&e, REGIME_S, page + 0x1000), "case 6b");
    env_free(&e);
}
END_TEST

/* Fill load, store and fetch entries for va at S. */
static void touch(struct env *e, uint64_t va)
{
    ck_assert_uint_eq(access(e, PRV_S, ACC_LOAD, va, NULL), NO_TRAP);
    ck_assert_uint_eq(access(e, PRV_S, ACC_STORE, va, NULL), NO_TRAP);
    ck_assert_uint_eq(access(e, PRV_S, ACC_FETCH, va, NULL), NO_TRAP);
}

static bool cached(struct env *e, uint64_t va)
{
    return ld_cached(e, REGIME_S, va) && st_cached(e, REGIME_S, va) && fe_cached(e, REGIME_S, va);
}

static bool gone(struct env *e, uint64_t va)
{
    return !ld_cached(e, REGIME_S, va) && !st_cached(e, REGIME_S, va) && !fe_cached(e, REGIME_S, va);
}

START_TEST(sfence_by_address)
{
    struct env e;
    env_init(&e, SATP_SV39);
    uint64_t a = 0x10000, b = 0x11000, sp = 0x40000000;
    map(&e, a, DATA_PA, 0, RWX | AD | PTE_V);
    map(&e, b, DATA_PA + 0x1000, 0, RWX | AD | PTE_V);
    touch(&e, a);
    touch(&e, b);
    /* 1: a fence for a drops a only */
    mmu_sfence_vma(e.h, true, a + 0x123, false, 0);
    ck_assert_msg(gone(&e, a) && cached(&e, b), "case 1");
    /* 2: entries from a 2 MiB page: a fence for one 4 KiB part of it drops
     * the others, and leaves unrelated small pages alone */
    map(&e, sp, page_pa(1), 1, RWX | AD | PTE_V);
    uint64_t s1 = sp + 0x3000, s2 = sp + 0x1ff000;
    touch(&e, s1);
    touch(&e, s2);
    touch(&e, a);
    mmu_sfence_vma(e.h, true, s1, false, 0);
    ck_assert_msg(gone(&e, s1) && gone(&e, s2), "case 2");
    ck_assert_msg(cached(&e, a) && cached(&e, b), "case 2b");
    /* 3: with superpages around, a fence outside them is still precise */
    touch(&e, s1);
    mmu_sfence_vma(e.h, true, b, false, 0);
    ck_assert_msg(gone(&e, b) && cached(&e, a) && cached(&e, s1), "case 3");
    /* 4: a fence of all addresses drops everything translated... */
    hart_set_priv(e.h, PRV_M);
    uint64_t v;
    ck_assert_uint_eq(mmu_load_slow(e.h, RAM_BASE, 8, &v), 0);
    ck_assert_msg(ld_cached(&e, REGIME_M, RAM_BASE), "case 4");
    mmu_sfence_vma(e.h, false, 0, false, 0);
    ck_assert_msg(gone(&e, a) && gone(&e, s1), "case 4b");
    /* ...but not M's untranslated entries */
    ck_assert_msg(ld_cached(&e, REGIME_M, RAM_BASE), "case 4c");
    /* 5: a PTE changed after a fence is seen */
    touch(&e, a);
    map(&e, a, DATA_PA + 0x2000, 0, PTE_R | AD | PTE_V);
    mmu_sfence_vma(e.h, true, a, false, 0);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, a, NULL), EXC_STORE_PAGE);
    env_free(&e);
}
END_TEST

START_TEST(sfence_by_asid)
{
    struct env e;
    env_init(&e, SATP_SV48);
    csrw(&e, CSR_SATP, (uint64_t)SATP_SV48 << 60 | 5ull << 44 | e.root >> 12);
    uint64_t a = 0x10000;
    map(&e, a, DATA_PA, 0, RWX | AD | PTE_V);
    touch(&e, a);
    /* 1: another ASID, all addresses or just a: nothing of ours goes */
    mmu_sfence_vma(e.h, false, 0, true, 7);
    ck_assert_msg(cached(&e, a), "case 1");
    mmu_sfence_vma(e.h, true, a, true, 7);
    ck_assert_msg(cached(&e, a), "case 1b");
    /* 2: our ASID at another address keeps a; at a drops it */
    mmu_sfence_vma(e.h, true, a + 0x1000, true, 5);
    ck_assert_msg(cached(&e, a), "case 2");
    mmu_sfence_vma(e.h, true, a, true, 5);
    ck_assert_msg(gone(&e, a), "case 2b");
    /* 3: our ASID, all addresses */
    touch(&e, a);
    mmu_sfence_vma(e.h, false, 0, true, 5);
    ck_assert_msg(gone(&e, a), "case 3");
    /* 4: switching satp (new ASID) drops the old address space */
    touch(&e, a);
    csrw(&e, CSR_SATP, (uint64_t)SATP_SV48 << 60 | 7ull << 44 | e.root >> 12);
    ck_assert_msg(gone(&e, a), "case 4");
    env_free(&e);
}
END_TEST

START_TEST(regime_switches)
{
    struct env e;
    env_init(&e, SATP_SV39);
    uint64_t u = 0x20000, x = 0x21000;
    map(&e, u, DATA_PA, 0, RWX | PTE_U | AD | PTE_V);
    map(&e, x, DATA_PA + 0x1000, 0, PTE_X | AD | PTE_V);
    /* 1: S with SUM fills the S+SUM tables; clearing SUM does not let S
     * reach the U page through them */
    set_mstatus(&e, MSTATUS_SUM, 0);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, u, NULL), NO_TRAP);
    ck_assert_msg(ld_cached(&e, REGIME_S_SUM, u), "case 1");
    set_mstatus(&e, 0, MSTATUS_SUM);
    hart_set_priv(e.h, PRV_S);
    ck_assert_msg(e.h->tlb_ld == e.h->tlb[REGIME_S][0], "case 1b");
    hart_set_priv(e.h, PRV_M);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, u, NULL), EXC_LOAD_PAGE);
    /* 2: ... and setting SUM again finds the old entry (no flush) */
    set_mstatus(&e, MSTATUS_SUM, 0);
    ck_assert_msg(ld_cached(&e, REGIME_S_SUM, u), "case 2");
    /* 3: MXR entries do not outlive MXR */
    set_mstatus(&e, MSTATUS_MXR, 0);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, x, NULL), NO_TRAP);
    ck_assert_msg(ld_cached(&e, REGIME_S_SUM, x), "case 3");
    set_mstatus(&e, 0, MSTATUS_MXR);
    ck_assert_msg(!ld_cached(&e, REGIME_S_SUM, x), "case 3b");
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, x, NULL), EXC_LOAD_PAGE);
    /* 4: MPRV picks the regime of MPP for M's loads */
    set_mstatus(&e, MSTATUS_MPRV | (uint64_t)PRV_U << 11, MSTATUS_MPP);
    hart_set_priv(e.h, PRV_M);
    ck_assert_msg(e.h->tlb_ld == e.h->tlb[REGIME_U][0] && e.h->tlb_fe == e.h->tlbf[REGIME_M], "case 4");
    env_free(&e);
}
END_TEST

/* The straddling fetch helper faults on the second page with its address. */
START_TEST(fetch_half)
{
    struct env e;
    env_init(&e, SATP_SV39);
    map(&e, 0x5000, DATA_PA, 0, PTE_X | AD | PTE_V);
    uint16_t half;
    wr64(&e, DATA_PA, 0x12345678);
    hart_set_priv(e.h, PRV_S);
    e.h->mcause = NO_TRAP;
    ck_assert_msg(mmu_fetch_half(e.h, 0x5000, &half) == 0 && half == 0x5678, "case 1");
    hart_set_priv(e.h, PRV_S);
    ck_assert_msg(mmu_fetch_half(e.h, 0x6000, &half) == -1, "case 2");
    ck_assert_msg(e.h->mcause == EXC_INSN_PAGE && e.h->mtval == 0x6000, "case 2b");
    env_free(&e);
}
END_TEST

/* ---- misaligned accesses (mmu/misaligned.c) ---------------------------- */

/* A device that logs each access it gets; a read returns the bytes
 * 0x40 + offset, one per address, and sizes in refuse fail. */
struct piece_log {
    unsigned n, refuse;
    struct { uint64_t off, val; unsigned size; bool write; } a[8];
};

static int log_access(void *dev, uint64_t off, unsigned size, uint64_t *val, bool write)
{
    struct piece_log *l = dev;
    if (l->refuse & size)
        return -1;
    if (!write) {
        *val = 0;
        for (unsigned i = 0; i < size; i++)
            *val |= (0x40 + off + i) << (8 * i);
    }
    ck_assert_uint_lt(l->n, 8);
    l->a[l->n].off = off;
    l->a[l->n].size = size;
    l->a[l->n].val = *val;
    l->a[l->n++].write = write;
    return 0;
}
static int log_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    return log_access(dev, off, size, val, false);
}
static int log_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    return log_access(dev, off, size, &val, true);
}
static const struct device_ops log_ops = { log_read, log_write };

static void expect_piece(const struct piece_log *l, unsigned i, uint64_t off, unsigned size,
                         uint64_t val)
{
    ck_assert_msg(i < l->n && l->a[i].off == off && l->a[i].size == size && l->a[i].val == val,
                  "piece %u: want off %llu size %u val %#llx", i, (unsigned long long)off, size,
                  (unsigned long long)val);
}

/* A device takes a misaligned access as naturally aligned pieces, lowest
 * address first; a piece it refuses is an access fault at the address. */
START_TEST(misaligned_mmio)
{
    struct env e;
    env_init(&e, SATP_BARE);
    struct piece_log l = { 0 };
    uint64_t base = MMIO_BASE + 0x10000;
    ck_assert_int_eq(bus_add_device(&e.m->bus, "log", base, 0x1000, &log_ops, &l), 0);
    uint64_t v = 0;
    /* 1: 8 bytes at offset 3: 1 + 4 + 2 + 1 */
    ck_assert_int_eq(mmu_load_slow(e.h, base + 3, 8, &v), 0);
    ck_assert_uint_eq(v, 0x4a49484746454443ull);
    ck_assert_uint_eq(l.n, 4);
    expect_piece(&l, 0, 3, 1, 0x43);
    expect_piece(&l, 1, 4, 4, 0x47464544);
    expect_piece(&l, 2, 8, 2, 0x4948);
    expect_piece(&l, 3, 10, 1, 0x4a);
    /* 2: a 4-byte store at offset 5: 1 + 2 + 1 */
    l.n = 0;
    ck_assert_int_eq(mmu_store_slow(e.h, base + 5, 4, 0xddccbbaa), 0);
    ck_assert_uint_eq(l.n, 3);
    expect_piece(&l, 0, 5, 1, 0xaa);
    expect_piece(&l, 1, 6, 2, 0xccbb);
    expect_piece(&l, 2, 8, 1, 0xdd);
    /* 3: a refused piece: access fault, tval the access's address */
    l.n = 0;
    l.refuse = 2;
    e.h->mcause = NO_TRAP;
    ck_assert_int_eq(mmu_load_slow(e.h, base + 6, 4, &v), -1);
    ck_assert_uint_eq(e.h->mcause, EXC_LOAD_ACCESS);
    ck_assert_uint_eq(e.h->mtval, base + 6);
    hart_set_priv(e.h, PRV_M);
    env_free(&e);
}
END_TEST

/* Across a page boundary both translations are checked before anything is
 * written; the fault names the page that caused it (privileged spec
 * 3.1.16: tval = the virtual address of the faulting portion). */
START_TEST(misaligned_pages)
{
    struct env e;
    env_init(&e, _i ? SATP_SV48 : SATP_SV39);
    uint8_t *a_end = host(&e, DATA_PA + 0x3ff8), *b = host(&e, DATA_PA);
    uint8_t *a_next = host(&e, DATA_PA + 0x4000), *b_end = host(&e, DATA_PA + 0xff8);
    /* page A (0x7000) and page B above it map to physical pages in the
     * other order; C is read-only; 0xa000 and 0x6000 are unmapped */
    map(&e, 0x7000, DATA_PA + 0x3000, 0, RWX | AD | PTE_V);
    map(&e, 0x8000, DATA_PA, 0, RWX | AD | PTE_V);
    map(&e, 0x9000, DATA_PA + 0x5000, 0, PTE_R | AD | PTE_V);
    for (int i = 0; i < 8; i++) {
        a_end[i] = (uint8_t)(0xa0 + i);
        b[i] = (uint8_t)(0xb0 + i);
        a_next[i] = b_end[i] = 0xee;
    }
    /* 1: a load across A and B: the bytes of both physical pages */
    uint64_t v = 0;
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, 0x7ffc, &v), NO_TRAP);
    ck_assert_uint_eq(v, 0xb3b2b1b0a7a6a5a4ull);
    /* 2: a store across them writes B's page, not A's physical neighbour */
    v = 0x1122334455667788ull;
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, 0x7ffc, &v), NO_TRAP);
    ck_assert_uint_eq(a_end[4] | a_end[7] << 8 | b[0] << 16 | b[3] << 24, 0x11445588);
    ck_assert_uint_eq(a_next[0], 0xee);
    /* 3: a store from B into read-only C: page fault at C, B unchanged */
    ck_assert_uint_eq(access_tv(&e, PRV_S, ACC_STORE, 0x8ffc, &v, 0x9000), EXC_STORE_PAGE);
    ck_assert_uint_eq(b_end[4] & b_end[7], 0xee);
    /* 4: a load from C into nothing: page fault at the second page */
    ck_assert_uint_eq(access_tv(&e, PRV_S, ACC_LOAD, 0x9ffc, &v, 0xa000), EXC_LOAD_PAGE);
    /* 5: from nothing into A: the first part faults, tval the address */
    ck_assert_uint_eq(access_tv(&e, PRV_S, ACC_LOAD, 0x6ffc, &v, 0x6ffc), EXC_LOAD_PAGE);
    /* 6: inside C, misaligned: loads work, stores fault at the address */
    ck_assert_uint_eq(access(&e, PRV_S, ACC_LOAD, 0x9003, &v), NO_TRAP);
    ck_assert_uint_eq(access(&e, PRV_S, ACC_STORE, 0x9003, &v), EXC_STORE_PAGE);
    env_free(&e);
}
END_TEST

static Suite *mmu_suite(void)
{
    Suite *s = suite_create("mmu");
    TCase *t = tcase_create("translate");
    tcase_add_loop_test(t, perm_sv39, 0, 3);
    tcase_add_loop_test(t, perm_sv48, 0, 4);
    tcase_add_loop_test(t, misaligned_superpage, 0, 5);
    tcase_add_loop_test(t, nonleaf_rules, 0, 2);
    tcase_add_loop_test(t, page_sizes, 0, 2);
    tcase_add_loop_test(t, non_canonical, 0, 2);
    tcase_add_loop_test(t, accessed_dirty, 0, 2);
    tcase_add_test(t, mprv);
    tcase_add_loop_test(t, access_faults, 0, 2);
    tcase_add_test(t, satp_modes);
    suite_add_tcase(s, t);
    TCase *p = tcase_create("pmp");
    tcase_add_test(p, pmp_rules);
    tcase_add_test(p, pmp_lock);
    tcase_add_test(p, pmp_page_uniformity);
    suite_add_tcase(s, p);
    TCase *l = tcase_create("tlb");
    tcase_add_test(l, tlb_fill_rules);
    tcase_add_test(l, fetch_pmp_split);
    tcase_add_test(l, sfence_by_address);
    tcase_add_test(l, sfence_by_asid);
    tcase_add_test(l, regime_switches);
    tcase_add_test(l, fetch_half);
    suite_add_tcase(s, l);
    TCase *m = tcase_create("misaligned");
    tcase_add_test(m, misaligned_mmio);
    tcase_add_loop_test(m, misaligned_pages, 0, 2);
    suite_add_tcase(s, m);
    return s;
}

UNIT_MAIN(mmu_suite)

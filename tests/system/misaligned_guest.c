/*
 * Guest for tests/system/misaligned.sh: the misaligned-access matrix.
 *
 *   width x offset x page crossing x privilege x translation
 *
 * Every load and store form of RV64GC and Zfhmin that can be misaligned
 * (lh ... ld, flh/flw/fld, sh ... sd, fsh/fsw/fsd and their compressed
 * forms, the sp-based ones too) runs at every offset inside a page and at every offset that crosses
 * into the next page, over seven pages whose attributes differ, in five
 * configurations: M, and S and U without translation, and S and U under
 * Sv39 (the access made with mstatus.MPRV and MPP, so only the access
 * itself runs at that privilege; SUM is set for S).
 *
 *   page  bare (physical)         Sv39 (virtual -> physical)
 *   0     R0                       R0, RW
 *   1     R1                       R2, RW (not R0's neighbour)
 *   2     R2                       invalid PTE
 *   3     R3: PMP read-only (S/U)  R1, read-only PTE
 *   4     R4                       R4, RW
 *   5     R5: PMP no access (S/U)  R5, RW (PMP: access fault)
 *   6     -                        R3, RW (PMP: read-only)
 *
 * Expected results come from a model of the rules, not from the emulator:
 * a misaligned access is done as one part per page (Zicclsm); each part is
 * translated and checked in address order, the first that fails raises a
 * page fault (PTE) or access fault (PMP) with tval = that part's virtual
 * address (privileged spec 3.1.16, "mtval"), and then nothing is written
 * and rd keeps its value. A load returns the bytes at each part's physical
 * address, little-endian, read back here one byte at a time.
 *
 * QEMU 7.2 checks PMP over the physical range that starts at the first
 * part's address, even where the second part is on another page, and
 * fails an access that only partly matches an entry, in M too (privileged
 * spec 3.7.1 allows either, as it allows misaligned accesses to be split
 * into parts). Built with -DPMP_PAGES=0, R3 and R5 are plain memory and
 * the results no longer depend on that choice.
 *
 * -DONLY_CONFIG=N runs configuration N alone (a shorter run).
 *
 * The UART gets one line per configuration and instruction with an FNV-1a
 * hash of every case's result (value, cause, tval and the bytes around a
 * store), so that the same binary on qemu-system-riscv64 can be compared
 * line by line, and the first failing case of each line in full. The test finisher
 * ends the run: 0x5555, or (failures << 16) | 0x3333.
 */
#include <stdint.h>

#define UART     ((volatile uint8_t *)0x10000000ul)
#define FINISHER ((volatile uint32_t *)0x100000ul)
#define MPRV     (1ul << 17)
#define SUM      (1ul << 18)
#define MPP      (3ul << 11)
#define NO_TRAP  (~0ull)
#define SENTINEL 0x5a5a5a5a5a5a5a5aull
#define VBASE    0x40000000ul
#define PAGES    7
#ifndef PMP_PAGES
#define PMP_PAGES 1     /* 0: one PMP entry allows everything (see above) */
#endif

static uint8_t region[6][4096] __attribute__((aligned(4096)));
static uint64_t pt_root[512] __attribute__((aligned(4096)));
static uint64_t pt_l1[512] __attribute__((aligned(4096)));
static uint64_t pt_l0[512] __attribute__((aligned(4096)));

/* Filled by trap_entry: cause, tval; resume is where it returns to. */
struct { uint64_t cause, tval, resume, save; } trap_rec;

#define CSR_SET(csr, v)   __asm__ volatile("csrs " #csr ", %0" :: "r"(v) : "memory")
#define CSR_CLEAR(csr, v) __asm__ volatile("csrc " #csr ", %0" :: "r"(v) : "memory")
#define CSR_WRITE(csr, v) __asm__ volatile("csrw " #csr ", %0" :: "r"(v) : "memory")

/* ---- the accesses: rs1 = a0, rd/rs2 = a1 (compressible registers) ---- */
#define ACCESS(name, pre, body, post) \
    static uint64_t name(uint64_t addr, uint64_t v) { \
        register uint64_t a0 __asm__("a0") = addr; \
        register uint64_t a1 __asm__("a1") = v; \
        __asm__ volatile("la t0, 1f\n\tsd t0, %[res]\n\t" pre "\n\t" \
                         "csrs mstatus, %[mprv]\n\t" body "\n" \
                         "1:\tcsrc mstatus, %[mprv]\n\t" post \
                         : "+r"(a1) : "r"(a0), [mprv] "r"(MPRV), [res] "m"(trap_rec.resume) \
                         : "t0", "t1", "fa0", "memory"); \
        return a1; }
#define RVC(i)  ".option push\n\t.option rvc\n\t" i "\n\t.option pop"
#define SP_IN   "mv t1, sp\n\tmv sp, a0"
#define SP_OUT  "mv sp, t1"

ACCESS(do_lh,  "", "lh a1, 0(a0)", "")
ACCESS(do_lhu, "", "lhu a1, 0(a0)", "")
ACCESS(do_lw,  "", "lw a1, 0(a0)", "")
ACCESS(do_lwu, "", "lwu a1, 0(a0)", "")
ACCESS(do_ld,  "", "ld a1, 0(a0)", "")
ACCESS(do_flh, "", "flh fa0, 0(a0)\n\tfmv.x.d a1, fa0", "")
ACCESS(do_flw, "", "flw fa0, 0(a0)\n\tfmv.x.d a1, fa0", "")
ACCESS(do_fld, "", "fld fa0, 0(a0)\n\tfmv.x.d a1, fa0", "")
ACCESS(do_clw, "", RVC("c.lw a1, 0(a0)"), "")
ACCESS(do_cld, "", RVC("c.ld a1, 0(a0)"), "")
ACCESS(do_cfld, "", RVC("c.fld fa0, 0(a0)") "\n\tfmv.x.d a1, fa0", "")
ACCESS(do_clwsp, SP_IN, RVC("c.lwsp a1, 0(sp)"), SP_OUT)
ACCESS(do_cldsp, SP_IN, RVC("c.ldsp a1, 0(sp)"), SP_OUT)
ACCESS(do_cfldsp, SP_IN, RVC("c.fldsp fa0, 0(sp)") "\n\tfmv.x.d a1, fa0", SP_OUT)
ACCESS(do_sh,  "", "sh a1, 0(a0)", "")
ACCESS(do_sw,  "", "sw a1, 0(a0)", "")
ACCESS(do_sd,  "", "sd a1, 0(a0)", "")
ACCESS(do_fsh, "fmv.d.x fa0, a1", "fsh fa0, 0(a0)", "")
ACCESS(do_fsw, "fmv.d.x fa0, a1", "fsw fa0, 0(a0)", "")
ACCESS(do_fsd, "fmv.d.x fa0, a1", "fsd fa0, 0(a0)", "")
ACCESS(do_csw, "", RVC("c.sw a1, 0(a0)"), "")
ACCESS(do_csd, "", RVC("c.sd a1, 0(a0)"), "")
ACCESS(do_cfsd, "fmv.d.x fa0, a1", RVC("c.fsd fa0, 0(a0)"), "")
ACCESS(do_cswsp, SP_IN, RVC("c.swsp a1, 0(sp)"), SP_OUT)
ACCESS(do_csdsp, SP_IN, RVC("c.sdsp a1, 0(sp)"), SP_OUT)
ACCESS(do_cfsdsp, "fmv.d.x fa0, a1\n\t" SP_IN, RVC("c.fsdsp fa0, 0(sp)"), SP_OUT)

enum ext { ZEXT, SEXT, BOX };       /* BOX: NaN-boxed into an f register */
static const struct insn {
    const char *name;
    unsigned w;
    int store;
    enum ext ext;
    uint64_t (*fn)(uint64_t, uint64_t);
} insns[] = {
    { "lh", 2, 0, SEXT, do_lh }, { "lhu", 2, 0, ZEXT, do_lhu }, { "lw", 4, 0, SEXT, do_lw },
    { "lwu", 4, 0, ZEXT, do_lwu }, { "ld", 8, 0, ZEXT, do_ld }, { "flw", 4, 0, BOX, do_flw },
    { "fld", 8, 0, ZEXT, do_fld }, { "c.lw", 4, 0, SEXT, do_clw }, { "c.ld", 8, 0, ZEXT, do_cld },
    { "c.fld", 8, 0, ZEXT, do_cfld }, { "c.lwsp", 4, 0, SEXT, do_clwsp },
    { "c.ldsp", 8, 0, ZEXT, do_cldsp }, { "c.fldsp", 8, 0, ZEXT, do_cfldsp },
    { "sh", 2, 1, ZEXT, do_sh }, { "sw", 4, 1, ZEXT, do_sw }, { "sd", 8, 1, ZEXT, do_sd },
    { "fsw", 4, 1, ZEXT, do_fsw }, { "fsd", 8, 1, ZEXT, do_fsd }, { "c.sw", 4, 1, ZEXT, do_csw },
    { "c.sd", 8, 1, ZEXT, do_csd }, { "c.fsd", 8, 1, ZEXT, do_cfsd },
    { "c.swsp", 4, 1, ZEXT, do_cswsp }, { "c.sdsp", 8, 1, ZEXT, do_csdsp },
    { "c.fsdsp", 8, 1, ZEXT, do_cfsdsp }, { "flh", 2, 0, BOX, do_flh }, { "fsh", 2, 1, ZEXT, do_fsh },
};

static const struct config {
    const char *name;
    unsigned mpp;
    int sv39;
} configs[] = {
    { "M", 3, 0 }, { "S", 1, 0 }, { "U", 0, 0 }, { "S-sv39", 1, 1 }, { "U-sv39", 0, 1 },
};

/* ---- the model ---- */
struct page { int valid, r, w; uintptr_t pa; };

static uintptr_t rpage(int i) { return (uintptr_t)region[i]; }

static struct page page_of(const struct config *c, unsigned k)
{
    static const struct { int r, valid, rd, wr; } sv39[PAGES] = {
        { 0, 1, 1, 1 }, { 2, 1, 1, 1 }, { 0, 0, 0, 0 }, { 1, 1, 1, 0 },
        { 4, 1, 1, 1 }, { 5, 1, 1, 1 }, { 3, 1, 1, 1 },
    };
    struct page p = { 1, 1, 1, rpage(k < 6 ? k : 0) };
    if (c->sv39)
        p = (struct page){ sv39[k].valid, sv39[k].rd, sv39[k].wr, rpage(sv39[k].r) };
    return p;
}

/* PMP for S and U (M ignores unlocked entries): R3 read-only, R5 none. */
static int pmp_allows(const struct config *c, uintptr_t pa, int store)
{
    if (c->mpp == 3 || !PMP_PAGES)
        return 1;
    uintptr_t pg = pa & ~0xffful;
    if (pg == rpage(5))
        return 0;
    return !(store && pg == rpage(3));
}

static uint8_t pattern(uintptr_t pa) { return (uint8_t)((pa ^ (pa >> 7) ^ (pa >> 12)) * 0x9d + 0x3b); }

static uint64_t vbase(const struct config *c) { return c->sv39 ? VBASE : rpage(0); }

/* Physical address of va (mapped by the model), or 0. */
static uintptr_t model_pa(const struct config *c, uint64_t va)
{
    uint64_t k = (va - vbase(c)) >> 12;
    struct page p = page_of(c, (unsigned)k);
    return p.valid ? p.pa + (va & 0xfff) : 0;
}

struct result { uint64_t val, cause, tval; };

static struct result model(const struct config *c, const struct insn *in, uint64_t va, uint64_t v)
{
    struct result r = { in->store ? v : SENTINEL, NO_TRAP, 0 };
    unsigned first = 0x1000 - (unsigned)(va & 0xfff);
    uint64_t parts[2] = { va, va + first };
    int np = in->w > first ? 2 : 1;
    for (int i = 0; i < np; i++) {
        struct page p = page_of(c, (unsigned)((parts[i] - vbase(c)) >> 12));
        if (!p.valid || !(in->store ? p.w : p.r)) {
            r.cause = in->store ? 15 : 13;
            r.tval = parts[i];
            return r;
        }
        if (!pmp_allows(c, p.pa, in->store)) {
            r.cause = in->store ? 7 : 5;
            r.tval = parts[i];
            return r;
        }
    }
    if (in->store)
        return r;
    uint64_t x = 0;
    for (unsigned i = 0; i < in->w; i++)
        x |= (uint64_t)*(volatile uint8_t *)model_pa(c, va + i) << (8 * i);
    if (in->ext == SEXT)
        x = (uint64_t)((int64_t)(x << (64 - 8 * in->w)) >> (64 - 8 * in->w));
    else if (in->ext == BOX)
        x |= ~0ull << (8 * in->w);
    r.val = x;
    return r;
}

/* ---- output ---- */
static void putc_(char ch)
{
    while (!(UART[5] & 0x20))
        ;
    UART[0] = (uint8_t)ch;
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 15]);
}
static void putdec(unsigned v)
{
    char b[12];
    int n = 0;
    do b[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n)
        putc_(b[--n]);
}

static uint64_t fnv_byte(uint64_t h, uint8_t b) { return (h ^ b) * 0x100000001b3ull; }

static uint64_t fnv(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        h = fnv_byte(h, (uint8_t)v);
    return h;
}

/* ---- setup ---- */
static void fill_pattern(void)
{
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 4096; j++)
            region[i][j] = pattern(rpage(i) + j);
}

static uint64_t pte(uintptr_t pa, unsigned flags) { return (pa >> 12) << 10 | flags; }

static void setup_paging(void)
{
    enum { V = 1, R = 2, W = 4, U = 16, A = 64, D = 128 };
    pt_root[VBASE >> 30] = pte((uintptr_t)pt_l1, V);
    pt_l1[0] = pte((uintptr_t)pt_l0, V);
    for (unsigned k = 0; k < PAGES; k++) {
        struct config c = { "", 1, 1 };
        struct page p = page_of(&c, k);
        if (p.valid)
            pt_l0[k] = pte(p.pa, V | R | (p.w ? W : 0) | U | A | D);
    }
}

static void setup_pmp(void)
{
    if (!PMP_PAGES) {
        CSR_WRITE(pmpaddr0, ~0ul);
        CSR_WRITE(pmpcfg0, 0x1ful);
        return;
    }
    /* entry 0: R5, no access; 1: R3, read-only; 2: everything, RWX (NAPOT) */
    CSR_WRITE(pmpaddr0, rpage(5) >> 2 | 0x1ff);
    CSR_WRITE(pmpaddr1, rpage(3) >> 2 | 0x1ff);
    CSR_WRITE(pmpaddr2, ~0ul);
    CSR_WRITE(pmpcfg0, 0x18ul | 0x19ul << 8 | 0x1ful << 16);
}

static void use_config(const struct config *c)
{
    uint64_t satp = c->sv39 ? 8ull << 60 | (uintptr_t)pt_root >> 12 : 0;
    CSR_WRITE(satp, satp);
    __asm__ volatile("sfence.vma" ::: "memory");
    CSR_SET(mstatus, SUM);
}

/* ---- one case ---- */
static unsigned failures;

/* Bytes around each part of a store: what was written where the model
 * says, and the pattern everywhere else (pass 0); then the pattern is put
 * back (pass 1). */
static uint64_t check_store(const struct config *c, const struct insn *in, uint64_t va,
                            const struct result *want, int *bad)
{
    uint64_t h = 0xcbf29ce484222325ull;
    uintptr_t at[8] = { 0 };                /* where byte i of the value goes */
    for (unsigned i = 0; i < in->w && want->cause == NO_TRAP; i++)
        at[i] = model_pa(c, va + i);
    for (int pass = 0; pass < 2; pass++)
        for (unsigned part = 0; part < 2; part++) {
            uintptr_t pa = model_pa(c, part ? (va & ~0xfffull) + 0x1000 : va);
            for (int d = -16; pa && d < 24; d++) {
                uintptr_t q = pa + d;
                volatile uint8_t *m = (volatile uint8_t *)q;
                if (q < rpage(0) || q >= rpage(0) + sizeof region)
                    continue;
                if (pass) {
                    *m = pattern(q);
                    continue;
                }
                uint8_t exp = pattern(q);
                for (unsigned i = 0; i < in->w; i++)
                    if (at[i] == q)
                        exp = (uint8_t)(want->val >> (8 * i));
                *bad |= *m != exp;
                h = fnv_byte(h, *m);
            }
        }
    return h;
}

static void report(const struct config *c, const struct insn *in, uint64_t va,
                   const struct result *got, const struct result *want)
{
    puts_("FAIL ");
    puts_(c->name);
    puts_(" ");
    puts_(in->name);
    puts_(" va ");
    puthex(va);
    puts_(": got ");
    puthex(got->val); puts_(" cause "); puthex(got->cause); puts_(" tval "); puthex(got->tval);
    puts_(", want ");
    puthex(want->val); puts_(" cause "); puthex(want->cause); puts_(" tval "); puthex(want->tval);
    puts_("\n");
}

static uint64_t one(const struct config *c, const struct insn *in, uint64_t va, uint64_t *h,
                    unsigned line_bad)
{
    uint64_t v = 0xf1e2d3c4b5a69788ull + va * 0x0101010101010101ull;
    struct result want = model(c, in, va, v), got;
    trap_rec.cause = NO_TRAP;
    trap_rec.tval = 0;
    CSR_CLEAR(mstatus, MPP);
    CSR_SET(mstatus, (uint64_t)c->mpp << 11);
    got.val = in->fn(va, in->store ? v : SENTINEL);
    got.cause = trap_rec.cause;
    got.tval = got.cause == NO_TRAP ? 0 : trap_rec.tval;
    if (in->store)
        got.val = v;        /* a store's rs2 is unchanged: compare memory */
    int bad = got.val != want.val || got.cause != want.cause || got.tval != want.tval;
    *h = fnv(fnv(fnv(*h, got.val), got.cause), got.tval);
    if (in->store)
        *h = fnv(*h, check_store(c, in, va, &want, &bad));
    if (bad && !line_bad)
        report(c, in, va, &got, &want);
    failures += bad;
    return bad;
}

static void run(const struct config *c, const struct insn *in)
{
    uint64_t h = 0xcbf29ce484222325ull, base = vbase(c);
    unsigned pages = c->sv39 ? PAGES : 6, cases = 0, bad = 0;
    for (unsigned k = 0; k < pages; k++) {
        for (unsigned o = 0; o < in->w; o++, cases++)          /* inside page k */
            bad += one(c, in, base + k * 4096 + 0x800 + o, &h, bad);
        for (unsigned j = 1; k + 1 < pages && j < in->w; j++, cases++)  /* into k + 1 */
            bad += one(c, in, base + (k + 1) * 4096 - j, &h, bad);
    }
    puts_(c->name);
    puts_(" ");
    puts_(in->name);
    puts_(" cases ");
    putdec(cases);
    puts_(" hash ");
    puthex(h);
    puts_(bad ? " FAILED " : " ok ");
    putdec(bad);
    puts_("\n");
}

void trap_entry(void);

int main(void)
{
    CSR_WRITE(mtvec, (uintptr_t)trap_entry);
    CSR_SET(mstatus, 1ul << 13);            /* FS = Initial */
    fill_pattern();
    setup_paging();
    setup_pmp();
    for (unsigned i = 0; i < sizeof configs / sizeof configs[0]; i++) {
#ifdef ONLY_CONFIG
        if (i != ONLY_CONFIG)
            continue;
#endif
        use_config(&configs[i]);
        for (unsigned j = 0; j < sizeof insns / sizeof insns[0]; j++)
            run(&configs[i], &insns[j]);
    }
    CSR_WRITE(satp, 0ul);
    puts_(failures ? "misaligned: FAILED\n" : "misaligned: all cases ok\n");
    *FINISHER = failures ? (failures > 0xfff ? 0xfff : failures) << 16 | 0x3333 : 0x5555;
    for (;;)
        ;
}

/* trap_entry: record mcause and mtval, resume at trap_rec.resume in M. It
 * runs with MPP = M, so its own accesses are untranslated even with MPRV. */
__asm__(".pushsection .text\n"
        ".balign 4\n"
        ".globl trap_entry\n"
        "trap_entry:\n"
        "    csrw mscratch, t0\n"
        "    la t0, trap_rec\n"
        "    sd t1, 24(t0)\n"
        "    csrr t1, mcause\n"
        "    sd t1, 0(t0)\n"
        "    csrr t1, mtval\n"
        "    sd t1, 8(t0)\n"
        "    ld t1, 16(t0)\n"
        "    csrw mepc, t1\n"
        "    li t1, 3 << 11\n"
        "    csrs mstatus, t1\n"
        "    ld t1, 24(t0)\n"
        "    csrr t0, mscratch\n"
        "    mret\n"
        ".popsection\n");

#include "guest_start.h"

/*
 * PLIC at 0x0c00_0000 (SiFive / RISC-V PLIC spec 1.0.0), as on QEMU virt.
 *
 *   +0x000000 + 4*s          priority of source s (1..95; 0 = never)
 *   +0x001000 + 4*w          pending bits 32w..32w+31 (read-only)
 *   +0x002000 + 0x80*c + 4*w enable bits of context c
 *   +0x200000 + 0x1000*c     threshold of context c
 *   +0x200004 + 0x1000*c     claim (read) / complete (write) of context c
 *
 * Context 2h drives mip.MEIP of hart h, context 2h+1 its mip.SEIP.
 *
 * Sources are level-triggered. The gateway forwards a high line as a
 * pending bit unless the source is claimed; a claim clears the pending bit
 * and holds the gateway closed until complete, after which a line still
 * high becomes pending again. A line that drops clears its pending bit.
 */
#include "plic.h"
#include "../state.h"
#include "../fdt.h"
#include "../../cpu/hart.h"
#include "../../mmu/bus.h"
#include <libfdt.h>

#define BIT(s) (1u << ((s) & 31))
#define WORD(s) ((s) >> 5)

static void plic_attach(void *dev, const struct dev_env *env)
{
    struct plic *p = dev;
    p->harts = env->harts;
    p->ncontexts = 2 * env->nharts;
}

/* Every priority, enable and threshold 0; no line pending or claimed. */
static void plic_reset(void *dev)
{
    struct plic *p = dev;
    *p = (struct plic){ .harts = p->harts, .ncontexts = p->ncontexts };
}

/* Highest-priority pending and enabled source above the threshold of
 * context c (ties go to the lowest id), or 0. */
static int best_source(const struct plic *p, int c)
{
    int best = 0;
    uint32_t best_prio = p->threshold[c];
    for (int w = 0; w < PLIC_WORDS; w++) {
        uint32_t bits = p->pending[w] & p->enable[c][w];
        while (bits) {
            int s = 32 * w + __builtin_ctz(bits);
            bits &= bits - 1;
            if (p->priority[s] > best_prio) {
                best_prio = p->priority[s];
                best = s;
            }
        }
    }
    return best;
}

static void update(struct plic *p)
{
    for (int c = 0; c < p->ncontexts; c++)
        hart_set_irq(&p->harts[c / 2], (c & 1) ? IRQ_SEI : IRQ_MEI, best_source(p, c) != 0);
}

/* The gateway: a high line of an unclaimed source becomes pending. */
static void gateway(struct plic *p, int s)
{
    if ((p->level[WORD(s)] & BIT(s)) && !(p->claimed[WORD(s)] & BIT(s)))
        p->pending[WORD(s)] |= BIT(s);
}

void plic_set_irq(void *ctrl, int src, bool level)
{
    struct plic *p = ctrl;
    if (src <= 0 || src >= PLIC_SOURCES)
        return;
    if (level) {
        p->level[WORD(src)] |= BIT(src);
    } else {
        /* A request withdrawn before it is claimed goes away (as QEMU's
         * virt PLIC does): pending follows the line. */
        p->level[WORD(src)] &= ~BIT(src);
        p->pending[WORD(src)] &= ~BIT(src);
    }
    gateway(p, src);
    update(p);
}

static uint32_t claim(struct plic *p, int c)
{
    int s = best_source(p, c);
    if (s) {
        p->pending[WORD(s)] &= ~BIT(s);
        p->claimed[WORD(s)] |= BIT(s);
    }
    update(p);
    return s;
}

static void complete(struct plic *p, int c, uint32_t s)
{
    /* A completion for a source not enabled for the context is ignored. */
    if (s == 0 || s >= PLIC_SOURCES || !(p->enable[c][WORD(s)] & BIT(s)))
        return;
    p->claimed[WORD(s)] &= ~BIT(s);
    gateway(p, s);
    update(p);
}

static int plic_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    struct plic *p = dev;
    *val = 0;
    if (size != 4 || (off & 3))
        return 0;
    if (off < 4 * PLIC_SOURCES) {
        *val = p->priority[off / 4];
    } else if (off >= 0x1000 && off < 0x1000 + 4 * PLIC_WORDS) {
        *val = p->pending[(off - 0x1000) / 4];
    } else if (off >= 0x2000 && off < 0x200000) {
        unsigned c = (off - 0x2000) / 0x80, w = (off & 0x7f) / 4;
        if (c < (unsigned)p->ncontexts && w < PLIC_WORDS)
            *val = p->enable[c][w];
    } else if (off >= 0x200000) {
        unsigned c = (off - 0x200000) / 0x1000, r = off & 0xfff;
        if (c < (unsigned)p->ncontexts && r == 0)
            *val = p->threshold[c];
        else if (c < (unsigned)p->ncontexts && r == 4)
            *val = claim(p, c);
    }
    return 0;
}

static int plic_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct plic *p = dev;
    uint32_t v = (uint32_t)val;
    if (size != 4 || (off & 3))
        return 0;
    if (off < 4 * PLIC_SOURCES) {
        if (off)
            p->priority[off / 4] = v & 7;       /* 7 levels, as QEMU virt */
    } else if (off >= 0x2000 && off < 0x200000) {
        unsigned c = (off - 0x2000) / 0x80, w = (off & 0x7f) / 4;
        if (c < (unsigned)p->ncontexts && w < PLIC_WORDS)
            p->enable[c][w] = w ? v : v & ~1u;  /* source 0 does not exist */
    } else if (off >= 0x200000) {
        unsigned c = (off - 0x200000) / 0x1000, r = off & 0xfff;
        if (c < (unsigned)p->ncontexts && r == 0)
            p->threshold[c] = v & 7;
        else if (c < (unsigned)p->ncontexts && r == 4)
            complete(p, c, v);
    }
    update(p);
    return 0;
}

static const struct device_ops plic_ops = { plic_read, plic_write };

static void put_words(struct state_out *o, const uint32_t *w, int n)
{
    for (int i = 0; i < n; i++)
        state_put_u32(o, w[i]);
}

static void get_words(struct state_in *in, uint32_t *w, int n)
{
    for (int i = 0; i < n; i++)
        w[i] = state_get_u32(in);
}

static void plic_save(const void *dev, struct state_out *o)
{
    const struct plic *p = dev;
    state_put_u32(o, PLIC_SOURCES);
    state_put_u32(o, (uint32_t)p->ncontexts);
    put_words(o, p->priority, PLIC_SOURCES);
    put_words(o, p->level, PLIC_WORDS);
    put_words(o, p->pending, PLIC_WORDS);
    put_words(o, p->claimed, PLIC_WORDS);
    for (int c = 0; c < p->ncontexts; c++) {
        put_words(o, p->enable[c], PLIC_WORDS);
        state_put_u32(o, p->threshold[c]);
    }
}

/* The mip bits it drives are the harts' (saved with them); update() makes
 * them agree all the same, in case the harts came first. */
static int plic_restore(void *dev, struct state_in *in)
{
    struct plic *p = dev;
    if (state_get_u32(in) != PLIC_SOURCES || state_get_u32(in) != (uint32_t)p->ncontexts)
        return state_reject(in, "sources or contexts differ");
    get_words(in, p->priority, PLIC_SOURCES);
    get_words(in, p->level, PLIC_WORDS);
    get_words(in, p->pending, PLIC_WORDS);
    get_words(in, p->claimed, PLIC_WORDS);
    for (int c = 0; c < p->ncontexts; c++) {
        get_words(in, p->enable[c], PLIC_WORDS);
        p->threshold[c] = state_get_u32(in);
    }
    if (!in->bad)
        update(p);
    return 0;
}

#define TRY(x) do { int r_ = (x); if (r_ < 0) return r_; } while (0)

/* Context 2h is hart h's M-mode (MEI), 2h+1 its S-mode (SEI). */
static int plic_fdt(struct fdt_ctx *c, const struct dev_node *n)
{
    TRY(fdt_dev_begin(c, n));
    TRY(fdt_property_u32(c->fdt, "#address-cells", 0));
    TRY(fdt_property_u32(c->fdt, "#interrupt-cells", 1));
    TRY(fdt_property(c->fdt, "interrupt-controller", NULL, 0));
    TRY(fdt_property_u32(c->fdt, "riscv,ndev", PLIC_SOURCES));
    TRY(fdt_dev_hart_irqs(c, IRQ_MEI, IRQ_SEI));
    TRY(fdt_property_u32(c->fdt, "phandle", c->plic_phandle));
    return fdt_dev_end(c);
}

const struct dev_class plic_class = {
    .name = "plic",
    .node = "plic",
    DEV_COMPAT("sifive,plic-1.0.0\0riscv,plic0"),
    .needs = DEV_NEEDS_HARTS,
    .state_size = sizeof(struct plic),
    .ops = &plic_ops,
    .attach = plic_attach,
    .reset = plic_reset,
    .fdt_node = plic_fdt,
    .state_version = 1,
    .save = plic_save,
    .restore = plic_restore,
};

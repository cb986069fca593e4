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
#include "machine.h"

#define BIT(s) (1u << ((s) & 31))
#define WORD(s) ((s) >> 5)

void plic_reset(struct plic *p, struct machine *m)
{
    *p = (struct plic){ .m = m, .ncontexts = 2 * m->nharts };
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
        hart_set_irq(&p->m->harts[c / 2], (c & 1) ? IRQ_SEI : IRQ_MEI, best_source(p, c) != 0);
}

/* The gateway: a high line of an unclaimed source becomes pending. */
static void gateway(struct plic *p, int s)
{
    if ((p->level[WORD(s)] & BIT(s)) && !(p->claimed[WORD(s)] & BIT(s)))
        p->pending[WORD(s)] |= BIT(s);
}

void plic_set_irq(struct plic *p, int src, bool level)
{
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

const struct device_ops plic_ops = { plic_read, plic_write };

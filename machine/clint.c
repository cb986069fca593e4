/*
 * CLINT (SiFive core-local interruptor), as on QEMU virt at 0x0200_0000.
 *
 *   +0x0000 + 4*h   msip[h]      bit 0 drives mip.MSIP of hart h
 *   +0x4000 + 8*h   mtimecmp[h]  mip.MTIP of hart h = (mtime >= mtimecmp[h])
 *   +0xbff8         mtime        10 MHz, read-only here
 */
#include "machine.h"

void clint_reset(struct clint *c, struct machine *m)
{
    c->m = m;
    for (int i = 0; i < 8; i++)
        c->mtimecmp[i] = ~0ull;
}

void clint_update(struct clint *c, uint64_t mtime)
{
    for (int i = 0; i < c->m->nharts; i++)
        hart_set_irq(&c->m->harts[i], IRQ_MTI, mtime >= c->mtimecmp[i]);
}

uint64_t clint_next_deadline(const struct clint *c, uint64_t now)
{
    uint64_t t = ~0ull;
    for (int i = 0; i < c->m->nharts; i++)
        if (c->mtimecmp[i] > now && c->mtimecmp[i] < t)
            t = c->mtimecmp[i];
    return t;
}

/* Read or write bytes [off, off+size) of a 64-bit register. */
static uint64_t part(uint64_t reg, uint64_t off, unsigned size)
{
    uint64_t v = reg >> (8 * (off & 7));
    return size == 8 ? v : v & ((1ull << (8 * size)) - 1);
}
static uint64_t merge(uint64_t reg, uint64_t off, unsigned size, uint64_t val)
{
    unsigned sh = 8 * (off & 7);
    uint64_t mask = (size == 8 ? ~0ull : (1ull << (8 * size)) - 1) << sh;
    return (reg & ~mask) | ((val << sh) & mask);
}

static int clint_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    struct clint *c = dev;
    int n = c->m->nharts;
    if (off < 0x4000) {
        unsigned h = off / 4;
        *val = (h < (unsigned)n && (off & 3) == 0) ? (c->m->harts[h].mip >> IRQ_MSI) & 1 : 0;
    } else if (off >= 0x4000 && off < 0x4000 + 8u * n) {
        *val = part(c->mtimecmp[(off - 0x4000) / 8], off, size);
    } else if (off >= 0xbff8 && off < 0xc000) {
        *val = part(machine_mtime(c->m), off, size);
    } else {
        *val = 0;
    }
    return 0;
}

static int clint_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct clint *c = dev;
    int n = c->m->nharts;
    if (off < 0x4000) {
        unsigned h = off / 4;
        if (h < (unsigned)n && (off & 3) == 0)
            hart_set_irq(&c->m->harts[h], IRQ_MSI, val & 1);
    } else if (off >= 0x4000 && off < 0x4000 + 8u * n) {
        unsigned h = (off - 0x4000) / 8;
        c->mtimecmp[h] = merge(c->mtimecmp[h], off, size, val);
        clint_update(c, machine_mtime(c->m));
    }
    return 0;
}

const struct device_ops clint_ops = { clint_read, clint_write };

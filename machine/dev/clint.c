/*
 * CLINT (SiFive core-local interruptor), as on QEMU virt at 0x0200_0000.
 *
 *   +0x0000 + 4*h   msip[h]      bit 0 drives mip.MSIP of hart h
 *   +0x4000 + 8*h   mtimecmp[h]  mip.MTIP of hart h = (mtime >= mtimecmp[h])
 *   +0xbff8         mtime        10 MHz, read-only here
 */
#include "clint.h"
#include "../state.h"
#include "../fdt.h"
#include "../../cpu/hart.h"
#include "../../mmu/bus.h"

static void clint_attach(void *dev, const struct dev_env *env)
{
    struct clint *c = dev;
    c->harts = env->harts;
    c->nharts = env->nharts;
    c->mtime = env->mtime;
}

/* mtimecmp resets to "never" (QEMU's virt does the same). */
static void clint_reset(void *dev)
{
    struct clint *c = dev;
    for (int i = 0; i < CLINT_HARTS; i++)
        c->mtimecmp[i] = ~0ull;
}

static uint64_t mtime_now(const struct clint *c)
{
    return c->mtime.now ? c->mtime.now(c->mtime.ctx) : 0;
}

void clint_update(struct clint *c, uint64_t mtime)
{
    for (int i = 0; i < c->nharts; i++)
        hart_set_irq(&c->harts[i], IRQ_MTI, mtime >= c->mtimecmp[i]);
}

uint64_t clint_next_deadline(const struct clint *c, uint64_t now)
{
    uint64_t t = ~0ull;
    for (int i = 0; i < c->nharts; i++)
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
    int n = c->nharts;
    if (off < 0x4000) {
        unsigned h = off / 4;
        *val = (h < (unsigned)n && (off & 3) == 0) ? (c->harts[h].mip >> IRQ_MSI) & 1 : 0;
    } else if (off >= 0x4000 && off < 0x4000 + 8u * n) {
        *val = part(c->mtimecmp[(off - 0x4000) / 8], off, size);
    } else if (off >= 0xbff8 && off < 0xc000) {
        *val = part(mtime_now(c), off, size);
    } else {
        *val = 0;
    }
    return 0;
}

static int clint_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct clint *c = dev;
    int n = c->nharts;
    if (off < 0x4000) {
        unsigned h = off / 4;
        if (h < (unsigned)n && (off & 3) == 0)
            hart_set_irq(&c->harts[h], IRQ_MSI, val & 1);
    } else if (off >= 0x4000 && off < 0x4000 + 8u * n) {
        unsigned h = (off - 0x4000) / 8;
        c->mtimecmp[h] = merge(c->mtimecmp[h], off, size, val);
        clint_update(c, mtime_now(c));
    }
    return 0;
}

static const struct device_ops clint_ops = { clint_read, clint_write };

static void clint_timer_update(void *dev, uint64_t mtime)
{
    clint_update(dev, mtime);
}

static uint64_t clint_timer_deadline(const void *dev, uint64_t now)
{
    return clint_next_deadline(dev, now);
}

/* msip lives in the harts' mip (saved with them); mtime is the board's. */
static void clint_save(const void *dev, struct state_out *o)
{
    const struct clint *c = dev;
    state_put_u32(o, CLINT_HARTS);
    for (int i = 0; i < CLINT_HARTS; i++)
        state_put_u64(o, c->mtimecmp[i]);
}

static int clint_restore(void *dev, struct state_in *in)
{
    struct clint *c = dev;
    if (state_get_u32(in) != CLINT_HARTS)
        return state_reject(in, "hart count differs");
    for (int i = 0; i < CLINT_HARTS; i++)
        c->mtimecmp[i] = state_get_u64(in);
    return 0;
}

/* interrupts-extended: each hart's MSI and MTI. */
static int clint_fdt(struct fdt_ctx *c, const struct dev_node *n)
{
    int r = fdt_dev_begin(c, n);
    if (r >= 0)
        r = fdt_dev_hart_irqs(c, IRQ_MSI, IRQ_MTI);
    return r < 0 ? r : fdt_dev_end(c);
}

const struct dev_class clint_class = {
    .name = "clint",
    .node = "clint",
    DEV_COMPAT("sifive,clint0\0riscv,clint0"),
    .needs = DEV_NEEDS_HARTS | DEV_NEEDS_MTIME,
    .state_size = sizeof(struct clint),
    .ops = &clint_ops,
    .attach = clint_attach,
    .reset = clint_reset,
    .timer_update = clint_timer_update,
    .timer_deadline = clint_timer_deadline,
    .fdt_node = clint_fdt,
    .state_version = 1,
    .save = clint_save,
    .restore = clint_restore,
};

/*
 * SiFive test finisher at 0x10_0000 (QEMU's sifive_test): a 32-bit write of
 *   0x5555            pass: exit 0
 *   code<<16 | 0x3333 fail with code
 *   0x7777            reset (reboot; with -no-reboot: exit 0)
 * The device tree's syscon-poweroff and syscon-reboot nodes write 0x5555
 * and 0x7777 here. It has no state of its own: its stream section is empty.
 */
#include "finisher.h"
#include "../fdt.h"
#include "../../mmu/bus.h"
#include <libfdt.h>

static void fin_attach(void *dev, const struct dev_env *env)
{
    struct finisher *f = dev;
    f->power = env->power;
}

static void fin_reset(void *dev)
{
    (void)dev;
}

static int fin_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    (void)dev; (void)off; (void)size;
    *val = 0;
    return 0;
}

static int fin_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    const struct dev_power *p = &((struct finisher *)dev)->power;
    (void)size;
    if (off != 0 || !p->exit)
        return 0;
    switch (val & 0xffff) {
    case 0x5555: p->exit(p->ctx, 0, "test finisher: pass"); break;
    case 0x3333: p->exit(p->ctx, (int)((val >> 16) & 0xffff), "test finisher: fail"); break;
    case 0x7777: p->reset(p->ctx); break;
    }
    return 0;
}

static const struct device_ops fin_ops = { fin_read, fin_write };

static void fin_save(const void *dev, struct state_out *o)
{
    (void)dev; (void)o;
}

static int fin_restore(void *dev, struct state_in *in)
{
    (void)dev; (void)in;
    return 0;
}

/* The syscon nodes (fdt.c) refer to it by this phandle. */
static int fin_fdt(struct fdt_ctx *c, const struct dev_node *n)
{
    int r = fdt_dev_begin(c, n);
    if (r >= 0)
        r = fdt_property_u32(c->fdt, "phandle", c->test_phandle);
    return r < 0 ? r : fdt_dev_end(c);
}

const struct dev_class finisher_class = {
    .name = "test-finisher",
    .node = "test",
    DEV_COMPAT("sifive,test1\0sifive,test0\0syscon"),
    .needs = DEV_NEEDS_POWER,
    .state_size = sizeof(struct finisher),
    .ops = &fin_ops,
    .attach = fin_attach,
    .reset = fin_reset,
    .fdt_node = fin_fdt,
    .state_version = 1,
    .save = fin_save,
    .restore = fin_restore,
};

/*
 * SiFive test finisher at 0x10_0000 (QEMU's sifive_test): a 32-bit write of
 *   0x5555            pass: exit 0
 *   code<<16 | 0x3333 fail with code
 *   0x7777            reset (reboot; with -no-reboot: exit 0)
 * The device tree's syscon-poweroff and syscon-reboot nodes write 0x5555
 * and 0x7777 here.
 */
#include "machine.h"
#include "finisher.h"

static int fin_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    (void)dev; (void)off; (void)size;
    *val = 0;
    return 0;
}

static int fin_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct machine *m = dev;
    (void)size;
    if (off != 0)
        return 0;
    switch (val & 0xffff) {
    case 0x5555: machine_request_exit(m, 0, "test finisher: pass"); break;
    case 0x3333: machine_request_exit(m, (int)((val >> 16) & 0xffff), "test finisher: fail"); break;
    case 0x7777: machine_request_reset(m); break;
    }
    return 0;
}

const struct device_ops finisher_ops = { fin_read, fin_write };

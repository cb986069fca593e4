/*
 * HTIF, as Spike and QEMU honour it when an ELF defines tohost/fromhost.
 * A write to tohost is a command: device = bits 63:56, command = 55:48.
 *   device 0, command 0, bit 0 set:   exit with code payload >> 1
 *   device 0, command 0, bit 0 clear: payload points to a syscall frame
 *                                     (riscv-tests' printf: only write)
 *   device 1, command 1:              putchar(payload & 0xff)
 */
#include "htif.h"
#include "../state.h"
#include "../../mmu/bus.h"
#include <unistd.h>

#define SYS_WRITE 64

static void htif_syscall(struct htif *t, uint64_t frame_pa)
{
    uint64_t f[4];
    int64_t ret = -1;
    FILE *out = t->console ? t->console : stdout;
    if (bus_read_mem(t->dma, frame_pa, f, sizeof f) == 0 && f[0] == SYS_WRITE &&
        (f[1] == 1 || f[1] == 2) && f[3] <= (1u << 20)) {
        void *p = bus_mem_ptr(t->dma, f[2], f[3]);
        if (p) {
            fwrite(p, 1, f[3], out);
            fflush(out);
            ret = f[3];
        }
    }
    bus_dma_write(t->dma, frame_pa, &ret, sizeof ret);    /* never into ROM */
    t->fromhost = 1;
}

static void htif_command(struct htif *t, uint64_t v)
{
    unsigned dev = v >> 56, cmd = (v >> 48) & 0xff;
    uint64_t payload = v & ((1ull << 48) - 1);
    if (dev == 0 && cmd == 0) {
        if ((payload & 1) && t->power.exit)
            t->power.exit(t->power.ctx, (int)(payload >> 1), "HTIF exit");
        else if (payload)
            htif_syscall(t, payload);
    } else if (dev == 1 && cmd == 1) {
        FILE *out = t->console ? t->console : stdout;
        fputc((int)(payload & 0xff), out);
        fflush(out);
        t->fromhost = (1ull << 56) | (1ull << 48);
    }
}

static int word_read(uint64_t w, uint64_t off, unsigned size, uint64_t *val)
{
    *val = w >> (8 * off);
    if (size < 8)
        *val &= (1ull << (8 * size)) - 1;
    return 0;
}

static int tohost_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    return word_read(((struct htif *)dev)->tohost, off, size, val);
}
static int fromhost_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    return word_read(((struct htif *)dev)->fromhost, off, size, val);
}

/* A 32-bit guest writes the low word, then the high word; act on the high. */
static int tohost_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct htif *t = dev;
    if (size == 8) {
        t->tohost = val;
    } else if (off == 0 && size == 4) {
        t->tohost = (t->tohost & ~0xffffffffull) | (uint32_t)val;
        if (t->tohost >> 32 || !(val & 1))
            return 0;
    } else if (off == 4 && size == 4) {
        t->tohost = (t->tohost & 0xffffffffull) | val << 32;
    } else {
        return 0;
    }
    if (t->tohost) {
        uint64_t v = t->tohost;
        t->tohost = 0;
        htif_command(t, v);
    }
    return 0;
}

static int fromhost_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct htif *t = dev;
    if (size == 8 && off == 0)
        t->fromhost = val;
    else if (size == 4)
        t->fromhost = off ? (t->fromhost & 0xffffffffull) | val << 32
                          : (t->fromhost & ~0xffffffffull) | (uint32_t)val;
    return 0;
}

const struct device_ops htif_tohost_ops = { tohost_read, tohost_write };
const struct device_ops htif_fromhost_ops = { fromhost_read, fromhost_write };

static void htif_attach(void *dev, const struct dev_env *env)
{
    struct htif *t = dev;
    t->dma = env->dma;
    t->console = env->console;
    t->power = env->power;
}

static void htif_save(const void *dev, struct state_out *o)
{
    const struct htif *t = dev;
    state_put_u64(o, t->tohost_addr);
    state_put_u64(o, t->fromhost_addr);
    state_put_u64(o, t->tohost);
    state_put_u64(o, t->fromhost);
}

/* The words' addresses come from the loaded ELF: they must agree. */
static int htif_restore(void *dev, struct state_in *in)
{
    struct htif *t = dev;
    if (state_get_u64(in) != t->tohost_addr || state_get_u64(in) != t->fromhost_addr)
        return state_reject(in, "tohost/fromhost at other addresses");
    t->tohost = state_get_u64(in);
    t->fromhost = state_get_u64(in);
    return 0;
}

const struct dev_class htif_class = {
    .name = "htif",
    .needs = DEV_NEEDS_DMA | DEV_NEEDS_CONSOLE | DEV_NEEDS_POWER,
    .state_size = sizeof(struct htif),
    .attach = htif_attach,
    .state_version = 1,
    .save = htif_save,
    .restore = htif_restore,
};

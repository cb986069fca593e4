/*
 * A device class: everything the board needs to know about one kind of
 * device, in one record. The board table (machine/board.c) lists rows of
 * {class, base, size, irq, count}; from them alone come the memory map,
 * the device tree, the reset order, the interrupt wiring and the order of
 * the save/restore stream (machine/state.h).
 *
 * A device never sees struct machine. At attach it is handed what its
 * class says it needs (dev_env below): an interrupt line, the harts'
 * interrupt inputs, a clock, a DMA handle to guest memory, the console,
 * the board's power controls. It keeps what it uses; reset leaves those
 * handles alone and returns the registers to their power-on values.
 *
 *     board row ──► class ──► attach(state, env)   once, at machine_init
 *                         ├─► reset(state)         power-on and reboot
 *                         ├─► ops (bus MMIO)       one region per instance
 *                         ├─► fdt_node(ctx, node)  one node per instance
 *                         └─► save / restore       one stream section each
 */
#ifndef MACHINE_DEV_DEVICE_H
#define MACHINE_DEV_DEVICE_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct bus;
struct hart;
struct device_ops;
struct fdt_ctx;
struct state_out;
struct state_in;
struct qlog;

/* One interrupt line into the interrupt controller (a PLIC source). A
 * line with no controller (set == NULL) goes nowhere: unit tests. */
struct irq_line {
    void (*set)(void *ctrl, int src, bool level);
    void *ctrl;
    int src;
};
static inline void irq_line_set(const struct irq_line *l, bool level)
{
    if (l->set)
        l->set(l->ctrl, l->src, level);
}
/* The same with the (void *ctx, bool level) shape the virtio transport
 * takes: ctx is a struct irq_line. */
void irq_line_drive(void *line, bool level);

/* A clock: mtime (10 MHz) for the CLINT, nanoseconds since the epoch for
 * the RTC. now == NULL: the host's clock of that kind. */
struct dev_clock {
    uint64_t (*now)(void *ctx);
    void *ctx;
};

/* What the guest may ask of the board itself (test finisher, syscon). */
struct dev_power {
    void (*exit)(void *ctx, int code, const char *why);
    void (*reset)(void *ctx);
    void *ctx;
};

/* What a class may need; the board fills only those fields of dev_env. */
enum {
    DEV_NEEDS_IRQ     = 1 << 0,     /* env.irq: the row's irq + instance */
    DEV_NEEDS_HARTS   = 1 << 1,     /* env.harts, env.nharts: mip inputs */
    DEV_NEEDS_MTIME   = 1 << 2,     /* env.mtime */
    DEV_NEEDS_WALL    = 1 << 3,     /* env.wall (deterministic under -icount) */
    DEV_NEEDS_DMA     = 1 << 4,     /* env.dma: guest memory */
    DEV_NEEDS_CONSOLE = 1 << 5,     /* env.console: where output goes */
    DEV_NEEDS_POWER   = 1 << 6,     /* env.power */
};

struct dev_env {
    struct irq_line irq;
    struct hart *harts;
    int nharts;
    struct dev_clock mtime, wall;
    struct bus *dma;
    FILE *console;
    struct dev_power power;
    bool virtio_legacy;             /* -global virtio-mmio.force-legacy */
    struct qlog *log;               /* -d guest_errors, unimp (cpu/log.h), or NULL */
};

/* One instance, as the device-tree writer sees it. */
struct dev_node {
    const struct dev_class *cls;
    uint64_t base, size;
    int irq;                        /* PLIC source, 0 for none */
    const void *state;
};

struct dev_class {
    const char *name;               /* class and stream section name */
    const char *node;               /* device-tree node name (node@base) */
    const char *compatible;         /* NUL-separated list ... */
    size_t compatible_len;          /* ... with its last NUL */
    unsigned needs;                 /* DEV_NEEDS_* */
    size_t state_size;              /* bytes of one instance */
    const struct device_ops *ops;   /* MMIO; NULL: the class maps itself or is memory */
    void (*attach)(void *dev, const struct dev_env *env);
    void (*reset)(void *dev);
    /* Timers: re-evaluate lines that depend on mtime; the next mtime after
     * now at which one fires (~0: none). Either may be NULL. */
    void (*timer_update)(void *dev, uint64_t mtime);
    uint64_t (*timer_deadline)(const void *dev, uint64_t now);
    int (*fdt_node)(struct fdt_ctx *c, const struct dev_node *n);
    /* The stream section (machine/state.h); restore returns 0, or -1 with
     * a message in the reader for a value out of range. */
    uint32_t state_version;
    void (*save)(const void *dev, struct state_out *o);
    int (*restore)(void *dev, struct state_in *in);
};

#define DEV_COMPAT(s) .compatible = s, .compatible_len = sizeof(s)
#endif

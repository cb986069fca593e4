/*
 * Device instances from the board table. The board is the only place that
 * knows struct machine and the devices at once: it builds each device's
 * dev_env (an interrupt line into the PLIC, the harts, clocks, the bus as
 * a DMA handle, the console, the power controls) from what the class asks
 * for, and walks the instances for reset, mapping, timers and the tree.
 */
#include "devices.h"
#include "machine.h"
#include "fdt.h"
#include <stdlib.h>
#include <string.h>

static uint64_t mtime_clock(void *ctx)
{
    return machine_mtime(ctx);
}

/* The RTC's clock (-rtc, clock.c); without -rtc or -icount it reads the host's. */
static uint64_t rtc_wall_clock(void *ctx)
{
    return rtc_clock_now(ctx);
}

static void power_exit(void *ctx, int code, const char *why)
{
    machine_request_exit(ctx, code, why);
}

static void power_reset(void *ctx)
{
    machine_request_reset(ctx);
}

/* The guest's console: the non-blocking wrapper, the -serial file or stdout. */
static FILE *console_file(const struct machine *m)
{
    return m->con_out ? m->con_out : m->serial_out ? m->serial_out : stdout;
}

static struct dev_env env_for(struct machine *m, const struct board_row *r, int n)
{
    struct dev_env e = devices_env(m, r->cls);
    if ((r->cls->needs & DEV_NEEDS_IRQ) && r->irq)
        e.irq = (struct irq_line){ plic_set_irq, &m->plic, r->irq + n };
    return e;
}

struct dev_env devices_env(struct machine *m, const struct dev_class *cls)
{
    unsigned need = cls->needs;
    struct dev_env e = { .virtio_legacy = m->opt.force_legacy, .log = m->core.log };
    if (need & DEV_NEEDS_HARTS) {
        e.harts = m->harts;
        e.nharts = m->nharts;
    }
    if (need & DEV_NEEDS_MTIME)
        e.mtime = (struct dev_clock){ mtime_clock, m };
    if ((need & DEV_NEEDS_WALL) && (m->opt.icount_shift >= 0 || m->opt.rtc.given))
        e.wall = (struct dev_clock){ rtc_wall_clock, m };
    if (need & DEV_NEEDS_DMA)
        e.dma = &m->bus;
    if (need & DEV_NEEDS_CONSOLE)
        e.console = console_file(m);
    if (need & DEV_NEEDS_POWER)
        e.power = (struct dev_power){ power_exit, power_reset, m };
    return e;
}

static int add_instance(struct machine *m, const struct board_row *r, int n)
{
    const struct dev_class *c = r->cls;
    struct dev_inst *d = &m->devs[m->ndevs];
    if (m->ndevs == BOARD_MAX_DEVS)
        return -1;
    *d = (struct dev_inst){ .row = r, .cls = c, .n = n };
    if (r->in_machine) {
        d->state = (char *)m + r->state_off + (size_t)n * r->state_stride;
    } else {
        d->state = calloc(1, c->state_size);
        d->owned = true;
        if (!d->state)
            return -1;
    }
    m->ndevs++;
    if (c->attach) {
        struct dev_env env = env_for(m, r, n);
        c->attach(d->state, &env);
    }
    return 0;
}

int devices_create(struct machine *m, char *err, size_t errlen)
{
    for (int i = 0; i < board_nrows; i++) {
        const struct board_row *r = &board_rows[i];
        if (!r->cls->state_size)
            continue;               /* memory: machine.c maps it */
        for (int n = 0; n < board_row_count(r); n++)
            if (add_instance(m, r, n)) {
                snprintf(err, errlen, "cannot create device %s %d", r->cls->name, n);
                return -1;
            }
    }
    return 0;
}

void devices_free(struct machine *m)
{
    for (int i = 0; i < m->ndevs; i++)
        if (m->devs[i].owned)
            free(m->devs[i].state);
    m->ndevs = 0;
}

void devices_reset(struct machine *m)
{
    for (int i = 0; i < m->ndevs; i++)
        if (m->devs[i].cls->reset)
            m->devs[i].cls->reset(m->devs[i].state);
}

static uint64_t inst_base(const struct dev_inst *d)
{
    return d->row->base + (uint64_t)d->n * d->row->size;
}

int devices_map(struct machine *m)
{
    for (int i = 0; i < m->ndevs; i++) {
        const struct dev_inst *d = &m->devs[i];
        if (d->cls->ops && bus_add_device(&m->bus, d->cls->node, inst_base(d), d->row->size,
                                          d->cls->ops, d->state))
            return -1;
    }
    return 0;
}

void devices_timer_update(struct machine *m, uint64_t mtime)
{
    for (int i = 0; i < m->ndevs; i++)
        if (m->devs[i].cls->timer_update)
            m->devs[i].cls->timer_update(m->devs[i].state, mtime);
}

uint64_t devices_timer_deadline(struct machine *m, uint64_t now)
{
    uint64_t dl = ~0ull;
    for (int i = 0; i < m->ndevs; i++) {
        const struct dev_inst *d = &m->devs[i];
        uint64_t t = d->cls->timer_deadline ? d->cls->timer_deadline(d->state, now) : ~0ull;
        dl = t < dl ? t : dl;
    }
    return dl;
}

int devices_fdt(struct machine *m, struct fdt_ctx *c)
{
    for (int i = 0; i < m->ndevs; i++) {
        const struct dev_inst *d = &m->devs[i];
        if (!d->cls->fdt_node)
            continue;
        struct dev_node n = { .cls = d->cls, .base = inst_base(d), .size = d->row->size,
                              .irq = d->row->irq ? d->row->irq + d->n : 0, .state = d->state };
        int r = d->cls->fdt_node(c, &n);
        if (r < 0)
            return r;
    }
    return 0;
}

struct dev_inst *devices_find(struct machine *m, const char *name, uint32_t n)
{
    for (int i = 0; i < m->ndevs; i++)
        if ((uint32_t)m->devs[i].n == n && !strcmp(m->devs[i].cls->name, name))
            return &m->devs[i];
    return NULL;
}

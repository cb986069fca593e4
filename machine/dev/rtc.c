/*
 * Goldfish RTC at 0x0010_1000 (google,goldfish-rtc), PLIC source 11.
 * Time is the host's wall clock in nanoseconds since the Unix epoch (under
 * -icount a virtual clock the board supplies: see rtc.clock).
 *
 *   0x00 TIME_LOW     read: low 32 bits of now; latches TIME_HIGH
 *   0x04 TIME_HIGH    read: high 32 bits latched by TIME_LOW
 *                     (a write of TIME_LOW after TIME_HIGH sets the clock)
 *   0x08 ALARM_LOW    write: arm the alarm at ALARM_HIGH:value
 *   0x0c ALARM_HIGH   high 32 bits of the next alarm
 *   0x10 IRQ_ENABLED  bit 0
 *   0x14 CLEAR_ALARM  write: disarm
 *   0x18 ALARM_STATUS read: 1 while armed
 *   0x1c CLEAR_INTERRUPT write: lower the line
 */
#include "rtc.h"
#include "../state.h"
#include "../fdt.h"
#include "../../mmu/bus.h"
#include "../../cpu/log.h"
#include <time.h>

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void rtc_attach(void *dev, const struct dev_env *env)
{
    struct rtc *r = dev;
    r->irq = env->irq;
    r->clock = env->wall;
    r->log = env->log;
}

/* -d guest_errors, worded as QEMU's goldfish RTC words it */
static void bad_offset(const struct rtc *r, const char *fn, uint64_t off)
{
    qlog_printf(r->log, LOG_GUEST_ERROR, "%s: offset 0x%x is UNIMP.\n", fn, (unsigned)off);
}

/* The clock runs on at the time source's time; no alarm, no interrupt. */
static void rtc_reset(void *dev)
{
    struct rtc *r = dev;
    *r = (struct rtc){ .irq = r->irq, .clock = r->clock, .log = r->log };
}

static uint64_t base_ns(const struct rtc *r)
{
    return r->clock.now ? r->clock.now(r->clock.ctx) : host_ns();
}

uint64_t rtc_now(const struct rtc *r)
{
    return base_ns(r) + r->offset_ns;
}

uint64_t rtc_alarm_in_ns(const struct rtc *r)
{
    if (!r->alarm_armed)
        return ~0ull;
    uint64_t now = rtc_now(r);
    return r->alarm_ns > now ? r->alarm_ns - now : 0;
}

static void update_irq(struct rtc *r)
{
    irq_line_set(&r->irq, r->irq_pending && r->irq_enabled);
}

void rtc_update(struct rtc *r)
{
    if (r->alarm_armed && rtc_now(r) >= r->alarm_ns) {
        r->alarm_armed = false;
        r->irq_pending = true;
        update_irq(r);
    }
}

static int rtc_read(void *dev, uint64_t off, unsigned size, uint64_t *val)
{
    struct rtc *r = dev;
    uint64_t now;
    (void)size;
    switch (off) {
    case 0x00: now = rtc_now(r); r->time_high = now >> 32; *val = (uint32_t)now; break;
    case 0x04: *val = r->time_high; break;
    case 0x08: *val = (uint32_t)r->alarm_ns; break;
    case 0x0c: *val = r->alarm_ns >> 32; break;
    case 0x10: *val = r->irq_enabled; break;
    case 0x18: *val = r->alarm_armed; break;
    default: *val = 0; bad_offset(r, "goldfish_rtc_read", off);
    }
    return 0;
}

static int rtc_write(void *dev, uint64_t off, unsigned size, uint64_t val)
{
    struct rtc *r = dev;
    uint32_t v = (uint32_t)val;
    (void)size;
    switch (off) {
    case 0x00:      /* set the clock: TIME_HIGH was written first */
        r->offset_ns = (int64_t)(((uint64_t)r->time_high << 32 | v) - base_ns(r));
        break;
    case 0x04: r->time_high = v; break;
    case 0x08:
        r->alarm_ns = (uint64_t)r->alarm_high << 32 | v;
        r->alarm_armed = true;
        rtc_update(r);
        break;
    case 0x0c: r->alarm_high = v; break;
    case 0x10: r->irq_enabled = v & 1; update_irq(r); break;
    case 0x14: r->alarm_armed = false; break;
    case 0x1c: r->irq_pending = false; update_irq(r); break;
    default: bad_offset(r, "goldfish_rtc_write", off);
    }
    return 0;
}

static const struct device_ops rtc_ops = { rtc_read, rtc_write };

static void rtc_timer_update(void *dev, uint64_t mtime)
{
    (void)mtime;                    /* the alarm is in the RTC's own time */
    rtc_update(dev);
}

/* The guest's time is saved as its offset from the time source, so a
 * restored guest's clock goes on from the source's present time. */
static void rtc_save(const void *dev, struct state_out *o)
{
    const struct rtc *r = dev;
    state_put_u64(o, (uint64_t)r->offset_ns);
    state_put_u32(o, r->time_high);
    state_put_u32(o, r->alarm_high);
    state_put_u64(o, r->alarm_ns);
    state_put_u8(o, r->alarm_armed);
    state_put_u8(o, r->irq_enabled);
    state_put_u8(o, r->irq_pending);
}

static int rtc_restore(void *dev, struct state_in *in)
{
    struct rtc *r = dev;
    r->offset_ns = (int64_t)state_get_u64(in);
    r->time_high = state_get_u32(in);
    r->alarm_high = state_get_u32(in);
    r->alarm_ns = state_get_u64(in);
    r->alarm_armed = state_get_bool(in);
    r->irq_enabled = state_get_bool(in);
    r->irq_pending = state_get_bool(in);
    return 0;
}

const struct dev_class rtc_class = {
    .name = "rtc",
    .node = "rtc",
    DEV_COMPAT("google,goldfish-rtc"),
    .needs = DEV_NEEDS_IRQ | DEV_NEEDS_WALL,
    .state_size = sizeof(struct rtc),
    .ops = &rtc_ops,
    .attach = rtc_attach,
    .reset = rtc_reset,
    .timer_update = rtc_timer_update,
    .fdt_node = fdt_dev_plain,
    .state_version = 1,
    .save = rtc_save,
    .restore = rtc_restore,
};

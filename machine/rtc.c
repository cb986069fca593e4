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
#include "plic.h"
#include "../mmu/bus.h"
#include <time.h>

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void rtc_reset(struct rtc *r, struct plic *plic, int irq)
{
    *r = (struct rtc){ .plic = plic, .irq = irq };
}

static uint64_t base_ns(const struct rtc *r)
{
    return r->clock ? r->clock(r->clock_ctx) : host_ns();
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
    if (r->plic)
        plic_set_irq(r->plic, r->irq, r->irq_pending && r->irq_enabled);
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
    default: *val = 0;
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
    }
    return 0;
}

const struct device_ops rtc_ops = { rtc_read, rtc_write };

#ifndef MACHINE_RTC_H
#define MACHINE_RTC_H
#include <stdint.h>
#include <stdbool.h>
struct device_ops;
struct plic;

/* Goldfish RTC: nanoseconds since the epoch, one alarm. */
struct rtc {
    struct plic *plic;
    int irq;
    int64_t offset_ns;          /* guest time = host clock + offset (set by writes) */
    uint32_t time_high;         /* latched by a TIME_LOW read */
    uint32_t alarm_high;
    uint64_t alarm_ns;
    bool alarm_armed, irq_enabled, irq_pending;
    /* The time source: NULL = the host's wall clock; the board sets a
     * virtual one under -icount so that runs stay deterministic. */
    uint64_t (*clock)(void *ctx);
    void *clock_ctx;
};
extern const struct device_ops rtc_ops;
void rtc_reset(struct rtc *r, struct plic *plic, int irq);
/* Fire the alarm if its time has come; now_ns is the guest's time of day. */
void rtc_update(struct rtc *r);
/* The guest's wall-clock time in ns since the epoch. */
uint64_t rtc_now(const struct rtc *r);
/* Guest nanoseconds until the armed alarm fires (0: due now), ~0 when none
 * is armed: the run loop's idle sleep ends there (machine.c idle_wait). */
uint64_t rtc_alarm_in_ns(const struct rtc *r);
#endif

#ifndef MACHINE_DEV_RTC_H
#define MACHINE_DEV_RTC_H
#include <stdint.h>
#include <stdbool.h>
#include "device.h"

/* Goldfish RTC: nanoseconds since the epoch, one alarm. */
struct rtc {
    struct irq_line irq;
    int64_t offset_ns;          /* guest time = host clock + offset (set by writes) */
    uint32_t time_high;         /* latched by a TIME_LOW read */
    uint32_t alarm_high;
    uint64_t alarm_ns;
    bool alarm_armed, irq_enabled, irq_pending;
    /* The time source: now == NULL is the host's wall clock; the board
     * gives a virtual one under -icount so that runs stay deterministic. */
    struct dev_clock clock;
    struct qlog *log;           /* -d guest_errors: offsets the RTC does not have */
};
extern const struct dev_class rtc_class;
/* Fire the alarm if its time has come; now_ns is the guest's time of day. */
void rtc_update(struct rtc *r);
/* The guest's wall-clock time in ns since the epoch. */
uint64_t rtc_now(const struct rtc *r);
/* Guest nanoseconds until the armed alarm fires (0: due now), ~0 when none
 * is armed: the run loop's idle sleep ends there (machine.c idle_wait). */
uint64_t rtc_alarm_in_ns(const struct rtc *r);
#endif

/*
 * Values of QEMU options whose syntax is a key=value list with rules of
 * their own: -smp (QEMU's topology rules), -m, -icount, -rtc, -accel.
 * Each parser fills its result, or returns -1 with QEMU's message (and,
 * where it helps, hartvm's spelling) in why.
 */
#ifndef MACHINE_OPTION_VALUES_H
#define MACHINE_OPTION_VALUES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* -smp [cpus=]N[,sockets=,dies=,clusters=,cores=,threads=,maxcpus=]:
 * *cpus the harts to create, at most max_harts. *warn: QEMU's warning
 * for a zero parameter (the line is still accepted), or "". */
int smp_parse(const char *v, int max_harts, int *cpus, char *warn, size_t warnlen,
              char *why, size_t whylen);

/* -m [size=]S[,slots=N,maxmem=S]: *size 0 when none was given (the default). */
int mem_parse(const char *v, uint64_t *size, char *why, size_t whylen);

/* -icount [shift=]N|auto[,align=on|off][,sleep=on|off] */
struct icount_opts {
    int shift;                  /* 0..10, or -1 for shift=auto */
    bool sleep;                 /* idle waits take real time (QEMU's default) */
    bool align;
};
int icount_parse(const char *v, struct icount_opts *ic, char *why, size_t whylen);

/* -rtc [base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none|slew] */
enum rtc_base { RTC_BASE_UTC, RTC_BASE_LOCALTIME, RTC_BASE_DATE };
enum rtc_clock { RTC_CLOCK_DEFAULT, RTC_CLOCK_HOST, RTC_CLOCK_RT, RTC_CLOCK_VM };
struct rtc_opts {
    bool given;                 /* -rtc was on the command line */
    enum rtc_base base;
    int64_t date_s;             /* RTC_BASE_DATE: seconds since the epoch, UTC */
    enum rtc_clock clock;       /* DEFAULT: host, or vm under -icount */
};
int rtc_parse(const char *v, struct rtc_opts *rtc, char *why, size_t whylen);

/* -accel tcg[,thread=single|multi][,tb-size=N]: the only accelerator
 * QEMU has here; hartvm's interpreter stands in for it. */
int accel_parse(const char *v, char *why, size_t whylen);
#endif

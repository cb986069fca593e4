/* The key=value option values with rules of their own (option_values.h),
 * checked as QEMU 7.2 checks them and worded as its messages are. */
#define _GNU_SOURCE             /* timegm */
#include "option_values.h"
#include "keyval.h"
#include "options.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)
#define QEMU_VIRT_MAX_CPUS 512          /* hw/riscv/virt.c: VIRT_CPUS_MAX */

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s)
        return -1;
    *out = strtoull(s, &end, 0);
    return errno || *end ? -1 : 0;
}

/* ---- -smp: hw/core/machine-smp.c's rules --------------------------- */

enum { CPUS, SOCKETS, DIES, CLUSTERS, CORES, THREADS, MAXCPUS, NTOPO };
static const char *const topo_key[NTOPO] = {
    "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus",
};

/* Missing counts from the given ones; 0 is "not given". Since 6.2 QEMU
 * fills cores before sockets, and threads last. */
static void smp_fill(uint64_t t[NTOPO])
{
    uint64_t mid = t[DIES] * t[CLUSTERS];
    if (!t[CPUS] && !t[MAXCPUS]) {
        t[SOCKETS] = t[SOCKETS] ? t[SOCKETS] : 1;
        t[CORES] = t[CORES] ? t[CORES] : 1;
        t[THREADS] = t[THREADS] ? t[THREADS] : 1;
    } else {
        t[MAXCPUS] = t[MAXCPUS] ? t[MAXCPUS] : t[CPUS];
        if (!t[CORES]) {
            t[SOCKETS] = t[SOCKETS] ? t[SOCKETS] : 1;
            t[THREADS] = t[THREADS] ? t[THREADS] : 1;
            t[CORES] = t[MAXCPUS] / (t[SOCKETS] * mid * t[THREADS]);
        } else if (!t[SOCKETS]) {
            t[THREADS] = t[THREADS] ? t[THREADS] : 1;
            t[SOCKETS] = t[MAXCPUS] / (mid * t[CORES] * t[THREADS]);
        }
        if (!t[THREADS])
            t[THREADS] = t[MAXCPUS] / (t[SOCKETS] * mid * t[CORES]);
    }
    uint64_t product = t[SOCKETS] * mid * t[CORES] * t[THREADS];
    t[MAXCPUS] = t[MAXCPUS] ? t[MAXCPUS] : product;
    t[CPUS] = t[CPUS] ? t[CPUS] : t[MAXCPUS];
}

int smp_parse(const char *v, int max_harts, int *cpus, char *warn, size_t warnlen,
              char *why, size_t whylen)
{
    uint64_t t[NTOPO] = { 0 };
    struct kv kv;
    bool first = true;
    warn[0] = 0;
    while (keyval_next_implied(&v, &kv, "cpus", &first)) {
        int k = 0;
        while (k < NTOPO && strcmp(kv.key, topo_key[k]))
            k++;
        if (k == NTOPO)
            return WHY("Parameter 'smp.%s' is unexpected", kv.key);
        if (parse_count(kv.val, &t[k]))
            return WHY("Parameter 'smp.%s' expects integer", kv.key);
        if (!t[k])
            snprintf(warn, warnlen, "Deprecated CPU topology (considered invalid): "
                     "CPU topology parameters must be greater than zero");
    }
    if (t[DIES] > 1)
        return WHY("dies not supported by this machine's CPU topology");
    if (t[CLUSTERS] > 1)
        return WHY("clusters not supported by this machine's CPU topology");
    t[DIES] = t[CLUSTERS] = 1;
    smp_fill(t);
    char topo[128];
    snprintf(topo, sizeof topo, "sockets (%llu) * cores (%llu) * threads (%llu)",
             (unsigned long long)t[SOCKETS], (unsigned long long)t[CORES],
             (unsigned long long)t[THREADS]);
    if (t[SOCKETS] * t[CORES] * t[THREADS] != t[MAXCPUS])
        return WHY("Invalid CPU topology: product of the hierarchy must match maxcpus: "
                   "%s != maxcpus (%llu)", topo, (unsigned long long)t[MAXCPUS]);
    if (t[MAXCPUS] < t[CPUS])
        return WHY("Invalid CPU topology: maxcpus must be equal to or greater than smp: "
                   "%s == maxcpus (%llu) < smp_cpus (%llu)", topo,
                   (unsigned long long)t[MAXCPUS], (unsigned long long)t[CPUS]);
    if (t[MAXCPUS] > QEMU_VIRT_MAX_CPUS)
        return WHY("Invalid SMP CPUs %d. The max CPUs supported by machine 'virt' is %d",
                   (int)t[MAXCPUS], QEMU_VIRT_MAX_CPUS);
    if (t[CPUS] > (uint64_t)max_harts)
        return WHY("Invalid SMP CPUs %d. hartvm models at most %d harts (QEMU's virt: %d)",
                   (int)t[CPUS], max_harts, QEMU_VIRT_MAX_CPUS);
    *cpus = (int)t[CPUS];
    return 0;
}

/* ---- -m: softmmu/vl.c parse_memory_options, hw/core/machine.c ------- */

#define SIZE_SUFFIXES "\nOptional suffix k, M, G, T, P or E means kilo-, mega-, giga-, " \
                      "tera-, peta-\nand exabytes, respectively."

int mem_parse(const char *v, uint64_t *size, char *why, size_t whylen)
{
    uint64_t maxmem = 0, slots = 0;
    bool have_max = false, have_slots = false, first = true;
    struct kv kv;
    *size = 0;
    while (keyval_next_implied(&v, &kv, "size", &first)) {
        if (!strcmp(kv.key, "size") || !strcmp(kv.key, "maxmem")) {
            uint64_t *to = kv.key[0] == 's' ? size : &maxmem;
            if (parse_size(kv.val, to))
                return WHY("Parameter '%s' expects a non-negative number below 2^64"
                           SIZE_SUFFIXES, kv.key);
            have_max |= to == &maxmem;
        } else if (!strcmp(kv.key, "slots")) {
            if (parse_count(kv.val, &slots))
                return WHY("Parameter 'slots' expects a number");
            have_slots = true;
        } else {
            return WHY("Invalid parameter '%s'", kv.key);
        }
    }
    uint64_t ram = *size ? *size : 128ull << 20;
    if (have_max && maxmem < ram)
        return WHY("invalid value of maxmem: maximum memory size (0x%llx) must be at least "
                   "the initial memory size (0x%llx)", (unsigned long long)maxmem,
                   (unsigned long long)ram);
    if (have_max && have_slots && slots && maxmem == ram)
        return WHY("invalid value of maxmem: memory slots were specified but maximum memory "
                   "size (0x%llx) is equal to the initial memory size (0x%llx)",
                   (unsigned long long)maxmem, (unsigned long long)ram);
    if (have_slots && !have_max)
        return WHY("slots specified but no max-size");
    return 0;
}

/* ---- -icount: accel/tcg icount_configure ---------------------------- */

int icount_parse(const char *v, struct icount_opts *ic, char *why, size_t whylen)
{
    const char *shift = NULL;
    char shift_buf[sizeof ((struct kv *)0)->val];
    bool first = true, align_given = false;
    struct kv kv;
    *ic = (struct icount_opts){ .shift = -1, .sleep = true };
    while (keyval_next_implied(&v, &kv, "shift", &first)) {
        bool *b = !strcmp(kv.key, "sleep") ? &ic->sleep : !strcmp(kv.key, "align") ? &ic->align : NULL;
        if (!strcmp(kv.key, "shift")) {
            shift = strcpy(shift_buf, kv.val);
        } else if (!b && strcmp(kv.key, "rr") && strcmp(kv.key, "rrfile") &&
                   strcmp(kv.key, "rrsnapshot")) {
            return WHY("Invalid parameter '%s'", kv.key);
        } else if (!b) {
            return WHY("%s=: record/replay is not supported", kv.key);
        } else if (keyval_bool(kv.val, b)) {
            return WHY("Parameter '%s' expects 'on' or 'off'", kv.key);
        }
        align_given |= b == &ic->align;
    }
    if (!shift)
        return align_given ? WHY("Please specify shift option when using align")
                           : WHY("need shift=N (0 to 10) or shift=auto");
    if (ic->align && !ic->sleep)
        return WHY("align=on and sleep=off are incompatible");
    if (strcmp(shift, "auto")) {
        uint64_t n;
        if (*shift == '-' || parse_count(shift, &n) || n > 10)
            return WHY("icount: Invalid shift value");
        ic->shift = (int)n;
    }
    return 0;
}

/* ---- -rtc: softmmu/rtc.c configure_rtc ------------------------------ */

/* "2006-06-17T16:01:21" or "2006-06-17", UTC. */
static int rtc_date(const char *s, int64_t *out)
{
    struct tm tm = { 0 };
    int n = 0;
    if (sscanf(s, "%d-%d-%dT%d:%d:%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) != 6 || s[n]) {
        n = 0;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        if (sscanf(s, "%d-%d-%d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) != 3 || s[n])
            return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *out = (int64_t)timegm(&tm);
    return 0;
}

int rtc_parse(const char *v, struct rtc_opts *rtc, char *why, size_t whylen)
{
    struct kv kv;
    rtc->given = true;
    while (keyval_next(&v, &kv)) {
        const char *x = kv.val;
        if (!strcmp(kv.key, "base")) {
            if (!strcmp(x, "utc")) rtc->base = RTC_BASE_UTC;
            else if (!strcmp(x, "localtime")) rtc->base = RTC_BASE_LOCALTIME;
            else if (!rtc_date(x, &rtc->date_s)) rtc->base = RTC_BASE_DATE;
            else return WHY("invalid datetime format\nvalid formats: '2006-06-17T16:01:21' or "
                            "'2006-06-17'");
        } else if (!strcmp(kv.key, "clock")) {
            if (!strcmp(x, "host")) rtc->clock = RTC_CLOCK_HOST;
            else if (!strcmp(x, "rt")) rtc->clock = RTC_CLOCK_RT;
            else if (!strcmp(x, "vm")) rtc->clock = RTC_CLOCK_VM;
            else return WHY("invalid option value '%s' (host, rt or vm)", x);
        } else if (!strcmp(kv.key, "driftfix")) {
            /* slew re-injects lost ticks of x86's mc146818 only */
            if (strcmp(x, "none") && strcmp(x, "slew"))
                return WHY("invalid option value '%s' (none or slew)", x);
        } else {
            return WHY("Invalid parameter '%s'", kv.key);
        }
    }
    return 0;
}

/* ---- -accel --------------------------------------------------------- */

int accel_parse(const char *v, char *why, size_t whylen)
{
    struct kv kv;
    bool first = true;
    while (keyval_next_implied(&v, &kv, "accel", &first)) {
        if (!strcmp(kv.key, "accel")) {
            if (strcmp(kv.val, "tcg"))
                return WHY("invalid accelerator %s (hartvm interprets every instruction: "
                           "tcg is the one accepted)", kv.val);
        } else if (!strcmp(kv.key, "thread")) {
            if (strcmp(kv.val, "single") && strcmp(kv.val, "multi"))
                return WHY("Invalid 'thread' setting %s", kv.val);
        } else if (strcmp(kv.key, "tb-size") && strcmp(kv.key, "split-wx")) {
            return WHY("Property 'tcg-accel.%s' not found", kv.key);
        }
    }
    return 0;
}

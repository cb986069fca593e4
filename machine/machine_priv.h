/* What the files of the machine (machine.c, boot.c, clock.c, run.c,
 * console_events.c) share and nothing else needs. */
#ifndef HARTVM_MACHINE_PRIV_H
#define HARTVM_MACHINE_PRIV_H
#include "machine.h"

#define MiB (1ull << 20)

/* boot.c: load firmware, kernel, initrd and device tree; build the boot ROM. */
int boot_load(struct machine *m, char *err, size_t errlen);

/* clock.c: the next mtime after now at which a timer interrupt becomes
 * pending, or the RTC alarm too (idle_deadline); ~0: none. */
uint64_t next_deadline(struct machine *m, uint64_t now);
uint64_t idle_deadline(struct machine *m, uint64_t now);
/* -icount: the instruction count from which mtime >= t. */
uint64_t icount_reaching(const struct machine *m, uint64_t t);

/* clock.c: the RTC's base and clock from -rtc, at start-up. */
void rtc_clock_start(struct machine *m);

/* console_events.c: console input and output as event sources. */
void add_console_source(struct machine *m);


#endif

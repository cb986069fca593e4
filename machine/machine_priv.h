/* What the files of the machine (machine.c, boot.c, clock.c, run.c,
 * console_events.c) share and nothing else needs. */
#ifndef HARTVM_MACHINE_PRIV_H
#define HARTVM_MACHINE_PRIV_H
#include "machine.h"

#define MiB (1ull << 20)

/* boot.c: load firmware, kernel, initrd and device tree; build the boot ROM. */
int boot_load(struct machine *m, char *err, size_t errlen);
struct loaded_image;
/* Note [lo, hi) in m->images, refusing an overlap with one of the same
 * kind there (loader: a -device loader image; QEMU's ROM check): 0, or -1
 * with a message. */
int boot_add_image(struct machine *m, const char *name, uint64_t lo, uint64_t hi, bool loader,
                   char *err, size_t errlen);
/* Map HTIF's words when the image defines tohost (first image only): 0 or -1. */
int boot_add_htif(struct machine *m, const struct loaded_image *img);
/* loader_device.c: the -device loader images, values and start PCs, after
 * the kernel: 0, or -1 with a message. */
int loader_devices_load(struct machine *m, char *err, size_t errlen);

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

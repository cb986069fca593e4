#ifndef MACHINE_DEV_CLINT_H
#define MACHINE_DEV_CLINT_H
#include <stdint.h>
#include "device.h"

#define CLINT_HARTS 8

/* Core-local interruptor: software and timer interrupts for each hart. */
struct clint {
    struct hart *harts;             /* whose mip.MSIP / mip.MTIP it drives */
    int nharts;
    struct dev_clock mtime;
    uint64_t mtimecmp[CLINT_HARTS];
};
extern const struct dev_class clint_class;
/* Drive MTIP of every hart from mtime and mtimecmp. */
void clint_update(struct clint *c, uint64_t mtime);
/* The earliest mtimecmp of any hart after now (~0 if none): deadlines
 * already passed raise nothing new. */
uint64_t clint_next_deadline(const struct clint *c, uint64_t now);
#endif

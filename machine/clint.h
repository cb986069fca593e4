#ifndef MACHINE_CLINT_H
#define MACHINE_CLINT_H
#include <stdint.h>
struct machine;
struct device_ops;

/* Core-local interruptor: software and timer interrupts for each hart. */
struct clint {
    struct machine *m;
    uint64_t mtimecmp[8];
};
extern const struct device_ops clint_ops;
void clint_reset(struct clint *c, struct machine *m);
/* Drive MTIP of every hart from mtime and mtimecmp. */
void clint_update(struct clint *c, uint64_t mtime);
/* The earliest mtimecmp of any hart after now (~0 if none): deadlines
 * already passed raise nothing new. */
uint64_t clint_next_deadline(const struct clint *c, uint64_t now);
#endif

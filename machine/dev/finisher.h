#ifndef MACHINE_DEV_FINISHER_H
#define MACHINE_DEV_FINISHER_H
#include "device.h"

/* The SiFive test finisher: the guest's way to end or reboot the board. */
struct finisher {
    struct dev_power power;
};
extern const struct dev_class finisher_class;
#endif

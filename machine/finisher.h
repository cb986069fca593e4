#ifndef MACHINE_FINISHER_H
#define MACHINE_FINISHER_H
struct device_ops;
extern const struct device_ops finisher_ops;
#endif

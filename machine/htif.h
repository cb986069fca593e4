#ifndef MACHINE_HTIF_H
#define MACHINE_HTIF_H
#include <stdint.h>
#include <stdbool.h>
struct machine;
struct device_ops;

/* Host-target interface of Spike and riscv-tests: the tohost/fromhost words. */
struct htif {
    struct machine *m;
    uint64_t tohost_addr, fromhost_addr;    /* 0 when the ELF has none */
    uint64_t tohost, fromhost;
};
extern const struct device_ops htif_tohost_ops, htif_fromhost_ops;
#endif

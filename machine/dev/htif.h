#ifndef MACHINE_DEV_HTIF_H
#define MACHINE_DEV_HTIF_H
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "device.h"

/* Host-target interface of Spike and riscv-tests: the tohost/fromhost words. */
struct htif {
    struct bus *dma;                /* syscall frames and buffers */
    FILE *console;                  /* putchar and write(1/2, ...) */
    struct dev_power power;         /* exit */
    uint64_t tohost_addr, fromhost_addr;    /* 0 when the ELF has none */
    uint64_t tohost, fromhost;
};
extern const struct device_ops htif_tohost_ops, htif_fromhost_ops;
/* Not a board row: the loader finds the words in an ELF (machine.c maps
 * them). The class gives the stream its section. */
extern const struct dev_class htif_class;
#endif

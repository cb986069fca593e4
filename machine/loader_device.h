/*
 * QEMU's generic loader, -device loader, in its three forms:
 *   loader,file=F[,addr=A][,cpu-num=N][,force-raw=on]   an ELF at its own
 *       addresses (addr ignored), anything else (or force-raw=on) raw at A;
 *       with cpu-num, hart N starts at the entry (ELF) or at A instead of
 *       the reset vector
 *   loader,addr=A,data=V,data-len=L[,data-be=on][,cpu-num=N]   L (1..8)
 *       bytes of V at A, little-endian; data-be=on: the first L bytes of V
 *       as a big-endian 64-bit number, as QEMU 7.2 writes them
 *   loader,addr=A,cpu-num=N      hart N starts at A
 * Images are loaded after -bios and -kernel, in command-line order, at every
 * reset, and may overwrite them (QEMU 7.2 loads them into the hart's address
 * space and compares them only with each other); two that overlap are
 * refused (machine/boot.c).
 */
#ifndef MACHINE_LOADER_DEVICE_H
#define MACHINE_LOADER_DEVICE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_LOADERS 8

struct loader_opt {
    char file[256];             /* "" for a value or a start address */
    uint64_t addr, data;
    bool has_addr, has_data, has_data_len, force_raw, data_be;
    unsigned data_len;          /* bytes of data= to write, 1..8 */
    int cpu;                    /* cpu-num, -1: none */
};
struct loader_opts {
    struct loader_opt l[MAX_LOADERS];
    int n;
};

/* One -device loader's properties (after "loader"): 0, or -1 with a message. */
int loader_parse(struct loader_opts *o, const char *props, char *err, size_t errlen);
#endif

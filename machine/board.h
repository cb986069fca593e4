/*
 * The virt board's memory map, as QEMU 7.2 lays it out (design.md §1).
 * One table: the bus is populated from it (and, later, the device tree).
 *
 *   0x0000_1000  boot ROM          reset vector, fw_dynamic info
 *   0x0010_0000  test finisher     sifive,test1
 *   0x0200_0000  CLINT             msip / mtimecmp / mtime
 *   0x1000_0000  UART0             ns16550a
 *   0x8000_0000  DRAM              -m bytes
 */
#ifndef MACHINE_BOARD_H
#define MACHINE_BOARD_H
#include <stdint.h>

enum board_dev { DEV_BOOTROM, DEV_FINISHER, DEV_CLINT, DEV_UART0, DEV_DRAM, DEV_COUNT };

struct board_entry {
    const char *name;
    uint64_t base, size;
    int irq;                    /* PLIC source, 0 for none */
    const char *compatible;
};

extern const struct board_entry board_map[DEV_COUNT];

#define RESET_VECTOR   0x1000
#define KERNEL_OFFSET  0x200000     /* -kernel at DRAM + 2 MiB behind firmware */
#endif

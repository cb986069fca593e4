/*
 * The virt board's memory map, as QEMU 7.2 lays it out (design.md §1).
 * One table: the bus is populated from it and the device tree is
 * generated from it (machine/fdt.c).
 *
 *   0x0000_1000  boot ROM          reset vector, fw_dynamic info
 *   0x0010_0000  test finisher     sifive,test1 + syscon (poweroff/reboot)
 *   0x0010_1000  RTC               google,goldfish-rtc          PLIC irq 11
 *   0x0200_0000  CLINT             msip / mtimecmp / mtime
 *   0x0400_0000  framebuffer       simple-framebuffer (optional; see fb.h)
 *   0x0c00_0000  PLIC              96 sources, 2 contexts per hart
 *   0x1000_0000  UART0             ns16550a                      PLIC irq 10
 *   0x1000_1000  virtio-mmio 0..7  one 4 KiB slot each           PLIC irq 1..8
 *   0x8000_0000  DRAM              -m bytes
 */
#ifndef MACHINE_BOARD_H
#define MACHINE_BOARD_H
#include <stdint.h>
#include <stddef.h>

struct device_ops;
struct fdt_ctx;
struct board_entry;

enum board_dev {
    DEV_BOOTROM, DEV_FINISHER, DEV_RTC, DEV_CLINT, DEV_PLIC, DEV_UART0, DEV_VIRTIO,
    DEV_FB,                     /* issue 10: machine/fb.h, only with -display sdl / --fb */
    DEV_DRAM, DEV_COUNT
};

/* Writes the device's node(s) under /soc (or wherever it belongs). */
typedef int (*fdt_node_fn)(struct fdt_ctx *c, const struct board_entry *e);

struct board_entry {
    const char *name;           /* node name: name@base */
    uint64_t base, size;
    int irq;                    /* PLIC source of instance 0, 0 for none */
    int count;                  /* instances, size apart, irq + n each */
    const char *compatible;     /* NUL-separated list ... */
    size_t compatible_len;      /* ... and its length including the last NUL */
    const struct device_ops *ops;   /* NULL: memory or registered by hand */
    size_t state_off;           /* offsetof(struct machine, device state) */
    size_t state_size;          /* bytes between instances' states */
    fdt_node_fn fdt_node;       /* NULL: no node */
};

extern const struct board_entry board_map[DEV_COUNT];

#define RESET_VECTOR   0x1000
#define KERNEL_OFFSET  0x200000     /* -kernel at DRAM + 2 MiB behind firmware */
#define TIMEBASE_HZ    10000000     /* mtime: 10 MHz */
#define UART_CLOCK_HZ  3686400
#define PLIC_SOURCES   96           /* riscv,ndev; source 0 does not exist */
#define VIRTIO_SLOTS   8
#endif

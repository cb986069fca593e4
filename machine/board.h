/*
 * The virt board's parts, as QEMU 7.2 lays them out (design.md §1). One
 * table (board.c) of {class, base, size, irq, count} rows: the bus is
 * populated from it, the device tree is generated from it, devices are
 * reset, wired to the PLIC and saved in its order (machine/devices.c).
 *
 *   0x0000_1000  boot ROM          reset vector, fw_dynamic info
 *   0x0010_0000  test finisher     sifive,test1 + syscon (poweroff/reboot)
 *   0x0010_1000  RTC               google,goldfish-rtc          PLIC irq 11
 *   0x0200_0000  CLINT             msip / mtimecmp / mtime
 *   0x0400_0000  framebuffer       simple-framebuffer (optional; see dev/fb.h)
 *   0x0c00_0000  PLIC              96 sources, 2 contexts per hart
 *   0x1000_0000  UART0             ns16550a                      PLIC irq 10
 *   0x1000_1000  virtio-mmio 0..7  one 4 KiB slot each           PLIC irq 1..8
 *   0x8000_0000  DRAM              -m bytes
 *
 * Adding a device: its file in machine/dev/ (a struct dev_class, see
 * dev/device.h) and a row here.
 */
#ifndef MACHINE_BOARD_H
#define MACHINE_BOARD_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "dev/device.h"

struct board_row {
    const struct dev_class *cls;
    uint64_t base, size;
    int irq;                        /* PLIC source of instance 0 (n: irq + n), 0 for none */
    int count;                      /* instances, size apart (0 means 1) */
    /* Where instance 0 lives when the board itself talks to the device by
     * name (the console to the UART, the timers to the CLINT and RTC):
     * a field of struct machine, instances stride bytes apart. Otherwise
     * (in_machine false) the instance is allocated from cls->state_size. */
    bool in_machine;
    size_t state_off, state_stride;
};

extern const struct board_row board_rows[];
extern const int board_nrows;
/* The first row of class cls, or NULL. */
const struct board_row *board_find(const struct dev_class *cls);
static inline int board_row_count(const struct board_row *r)
{
    return r->count ? r->count : 1;
}

/* Memory, not devices: rows for the map, mapped by machine.c. */
extern const struct dev_class bootrom_class, dram_class;

#define RESET_VECTOR   0x1000
#define KERNEL_OFFSET  0x200000     /* -kernel at DRAM + 2 MiB behind firmware */
#define TIMEBASE_HZ    10000000     /* mtime: 10 MHz */
#define VIRTIO_SLOTS   8
#endif

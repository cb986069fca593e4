/* The board table (see board.h for the picture). Row order is the order
 * of the device tree's /soc nodes, of resets and of the state stream. */
#include "board.h"
#include "machine.h"
#include "dev/finisher.h"
#include <stddef.h>

#define IN_MACHINE(field) .in_machine = true, .state_off = offsetof(struct machine, field), \
                          .state_stride = sizeof(((struct machine *)0)->field)

const struct dev_class bootrom_class = { .name = "mrom" };
const struct dev_class dram_class = { .name = "memory" };

const struct board_row board_rows[] = {
    { .cls = &bootrom_class,  .base = 0x00001000, .size = 0x0000f000 },
    { .cls = &finisher_class, .base = 0x00100000, .size = 0x00001000 },
    { .cls = &rtc_class,      .base = 0x00101000, .size = 0x00001000, .irq = 11, IN_MACHINE(rtc) },
    { .cls = &clint_class,    .base = 0x02000000, .size = 0x00010000, IN_MACHINE(clint) },
    { .cls = &plic_class,     .base = 0x0c000000, .size = 0x00600000, IN_MACHINE(plic) },
    { .cls = &uart_class,     .base = 0x10000000, .size = 0x00000100, .irq = 10, IN_MACHINE(uart) },
    { .cls = &vslot_class,    .base = 0x10001000, .size = 0x00001000, .irq = 1,
      .count = VIRTIO_SLOTS, IN_MACHINE(vslot[0]) },
    /* memory, mapped by fb_attach() when wanted; the node only then */
    { .cls = &fb_class,       .base = FB_WINDOW_BASE, .size = FB_WINDOW_SIZE, IN_MACHINE(fb) },
    { .cls = &dram_class,     .base = 0x80000000 },
};
const int board_nrows = sizeof board_rows / sizeof board_rows[0];

const struct board_row *board_find(const struct dev_class *cls)
{
    for (int i = 0; i < board_nrows; i++)
        if (board_rows[i].cls == cls)
            return &board_rows[i];
    return NULL;
}

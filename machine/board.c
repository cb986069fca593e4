/* The memory map table (see board.h for the picture). */
#include "board.h"
#include "fdt.h"
#include "machine.h"
#include "finisher.h"
#include "fb.h"
#include <stddef.h>

#define COMPAT(s) s, sizeof(s)
#define STATE(field) offsetof(struct machine, field), sizeof(((struct machine *)0)->field)

const struct board_entry board_map[DEV_COUNT] = {
    [DEV_BOOTROM]  = { "mrom", 0x00001000, 0x0000f000, 0, 1, NULL, 0, NULL, 0, 0, NULL },
    [DEV_FINISHER] = { "test", 0x00100000, 0x00001000, 0, 1,
                       COMPAT("sifive,test1\0sifive,test0\0syscon"),
                       &finisher_ops, 0, 0, fdt_node_test },
    [DEV_RTC]      = { "rtc", 0x00101000, 0x00001000, 11, 1, COMPAT("google,goldfish-rtc"),
                       &rtc_ops, STATE(rtc), fdt_node_plain },
    [DEV_CLINT]    = { "clint", 0x02000000, 0x00010000, 0, 1,
                       COMPAT("sifive,clint0\0riscv,clint0"),
                       &clint_ops, STATE(clint), fdt_node_clint },
    [DEV_PLIC]     = { "plic", 0x0c000000, 0x00600000, 0, 1,
                       COMPAT("sifive,plic-1.0.0\0riscv,plic0"),
                       &plic_ops, STATE(plic), fdt_node_plic },
    [DEV_UART0]    = { "serial", 0x10000000, 0x00000100, 10, 1, COMPAT("ns16550a"),
                       &uart_ops, STATE(uart), fdt_node_uart },
    [DEV_VIRTIO]   = { "virtio_mmio", 0x10001000, 0x00001000, 1, VIRTIO_SLOTS,
                       COMPAT("virtio,mmio"),
                       &vslot_ops, STATE(vslot[0]), fdt_node_plain },
    /* memory, registered by fb_attach() when wanted; the node only then */
    [DEV_FB]       = { "framebuffer", FB_WINDOW_BASE, FB_WINDOW_SIZE, 0, 1,
                       COMPAT("simple-framebuffer"), NULL, 0, 0, fb_fdt_node },
    [DEV_DRAM]     = { "memory", 0x80000000, 0, 0, 1, NULL, 0, NULL, 0, 0, NULL },
};

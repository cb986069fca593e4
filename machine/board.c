#include "board.h"
#include <stddef.h>

const struct board_entry board_map[DEV_COUNT] = {
    [DEV_BOOTROM]  = { "mrom",  0x00001000, 0x0000f000, 0,  NULL },
    [DEV_FINISHER] = { "test",  0x00100000, 0x00001000, 0,  "sifive,test1" },
    [DEV_CLINT]    = { "clint", 0x02000000, 0x00010000, 0,  "sifive,clint0" },
    [DEV_UART0]    = { "uart",  0x10000000, 0x00000100, 10, "ns16550a" },
    [DEV_DRAM]     = { "memory", 0x80000000, 0,         0,  NULL },
};

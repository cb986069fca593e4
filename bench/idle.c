/*
 * An idle bare-metal guest: M-mode, the machine timer at HZ (100) per
 * second, and wfi between ticks with interrupts enabled in mie but not in
 * mstatus, so wfi wakes on the pending timer and no trap is taken (the
 * privileged spec's wfi: resume when an enabled interrupt is pending,
 * whatever mstatus.MIE says). Each tick moves mtimecmp one period on.
 * It prints a '.' every HZ ticks (once a guest second), so the script can
 * see the guest's clock keep pace; with TICKS = 0 (the default) it runs
 * until bench/idle.sh has read the emulator's CPU time over its window and
 * ends the process, else it reports the ticks after TICKS and exits.
 *
 *  0x0200_4000  CLINT mtimecmp (hart 0)   0x0200_bff8  CLINT mtime (10 MHz)
 */
#include "bench.h"

#ifndef HZ
#define HZ 100
#endif
#ifndef TICKS
#define TICKS 0                         /* 0: forever */
#endif
#define TIMEBASE 10000000               /* mtime ticks per second on virt */
#define MIP_MTIP (1u << 7)

uint64_t bench_main(void)
{
    volatile uint64_t *mtimecmp = (volatile uint64_t *)CLINT_MTIMECMP;
    volatile uint64_t *mtime = (volatile uint64_t *)CLINT_MTIME;
    uint64_t next = *mtime + TIMEBASE / HZ, ticks = 0;
    *mtimecmp = next;
    CSR_WRITE(mie, MIP_MTIP);
    for (;;) {
#if TICKS
        if (ticks == TICKS)
            break;
#endif
        __asm__ volatile("wfi");
        if (CSR_READ(mip) & MIP_MTIP) {
            ticks++;
            next += TIMEBASE / HZ;
            *mtimecmp = next;           /* clears MTIP until the next period */
            if (ticks % HZ == 0)
                put_str(".");
        }
    }
    return ticks;
}

uint64_t bench_user_main(void) { return 0; }

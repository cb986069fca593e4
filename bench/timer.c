/*
 * Trap-heavy, part 2: machine timer interrupts back to back. U-mode spins
 * (u_spin) while m_trap takes IRQS timer interrupts: each one reads mtime
 * and writes it to mtimecmp, so the next interrupt is pending as soon as
 * mret returns to U. Both emulators take it before the next U instruction,
 * so the spin count (the result) is 0 and the instruction count is exact.
 */
#include "bench.h"

#ifndef IRQS
#define IRQS 5000000
#endif

uint64_t bench_main(void)
{
    vm_setup();
    irq_target = IRQS;
    irq_count = 0;
    *(volatile uint64_t *)CLINT_MTIMECMP = 0;   /* pending at once */
    CSR_WRITE(mie, 1 << 7);                     /* MTIE */
    enter_mode(0);
}

uint64_t bench_user_main(void) { return u_spin(); }

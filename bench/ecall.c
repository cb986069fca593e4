/*
 * Trap-heavy, part 1: system-call round trips from U to S. U ecalls are
 * delegated (medeleg bit 8) to s_trap (bench/start.S), which saves two
 * registers on its stack, steps sepc, returns a0 + 1 and srets. Sv39 with
 * 4 KiB pages; the S handler's pages are mapped without U.
 */
#include "bench.h"

#ifndef CALLS
#define CALLS 5000000
#endif

extern char s_trap[], s_stack_top[];

static inline uint64_t sys_call(uint64_t arg)
{
    register uint64_t a0 __asm__("a0") = arg;
    register uint64_t a7 __asm__("a7") = 0;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

uint64_t bench_main(void)
{
    vm_setup();
    CSR_WRITE(medeleg, 1 << 8);         /* ecall from U -> S */
    CSR_WRITE(stvec, s_trap);
    CSR_WRITE(sscratch, s_stack_top);
    enter_mode(0);
}

uint64_t bench_user_main(void)
{
    uint64_t acc = 0;
    for (uint64_t i = 0; i < CALLS; i++)
        acc += sys_call(i);
    return acc;
}

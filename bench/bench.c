/* Shared helpers of the benchmark workloads: UART, exit, Sv39 set-up. */
#include "bench.h"

#ifndef MAP_MB
#define MAP_MB 16               /* identity-mapped RAM for U/S, in MiB */
#endif
#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_A 0x40
#define PTE_D 0x80
#define PAGES (MAP_MB * 256)

extern char __super_start[], __super_end[];

/* Sv39: root -> one level-1 table (the GiB at 0x8000_0000) -> level-0 tables. */
static uint64_t pt_root[512] __attribute__((aligned(4096)));
static uint64_t pt_l1[512] __attribute__((aligned(4096)));
static uint64_t pt_l0[PAGES / 512][512] __attribute__((aligned(4096)));

void put_str(const char *s)
{
    volatile uint8_t *thr = (volatile uint8_t *)UART_THR;
    while (*s)
        *thr = (uint8_t)*s++;
}

void put_dec(uint64_t v)
{
    char buf[24], *p = buf + sizeof buf - 1;
    *p = 0;
    do { *--p = (char)('0' + v % 10); v /= 10; } while (v);
    put_str(p);
}

void put_hex(uint64_t v)
{
    char buf[19] = "0x", *p = buf + 2;
    for (int i = 60; i >= 0; i -= 4)
        *p++ = "0123456789abcdef"[(v >> i) & 15];
    *p = 0;
    put_str(buf);
}

void bench_report(uint64_t insns, uint64_t result)
{
    put_str("bench: " BENCH_NAME " insns=");
    put_dec(insns);
    put_str(" result=");
    put_hex(result);
    put_str("\n");
}

void bench_exit(unsigned code)
{
    *(volatile uint32_t *)FINISHER = code ? (code << 16) | 0x3333 : 0x5555;
    for (;;)
        ;
}

/* Called by m_trap for every exception: an ecall from U or S ends the run. */
__attribute__((noreturn)) void m_exception(uint64_t result, uint64_t insns, uint64_t cause,
                                           uint64_t epc, uint64_t tval)
{
    if (cause == 8 || cause == 9) {
        bench_report(insns, result);
        bench_exit(0);
    }
    put_str("bench: " BENCH_NAME " unexpected trap cause=");
    put_dec(cause);
    put_str(" epc=");
    put_hex(epc);
    put_str(" tval=");
    put_hex(tval);
    put_str("\n");
    bench_exit(1);
}

void vm_setup(void)
{
    uint64_t lo = (uint64_t)__super_start, hi = (uint64_t)__super_end;
    pt_root[2] = ((uint64_t)pt_l1 >> 12) << 10 | PTE_V;        /* VPN[2] of 0x8000_0000 */
    for (int t = 0; t < PAGES / 512; t++)
        pt_l1[t] = ((uint64_t)pt_l0[t] >> 12) << 10 | PTE_V;
    for (uint64_t i = 0; i < PAGES; i++) {
        uint64_t pa = RAM_BASE + (i << 12);
        uint64_t u = (pa >= lo && pa < hi) ? 0 : PTE_U;
        pt_l0[i / 512][i % 512] = (pa >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | u;
    }
    /* PMP entry 0: NAPOT over all of memory, RWX, for S and U. */
    CSR_WRITE(pmpaddr0, -1);
    CSR_WRITE(pmpcfg0, 0x1f);
    CSR_WRITE(satp, 8ull << 60 | (uint64_t)pt_root >> 12);
    __asm__ volatile("sfence.vma" ::: "memory");
}

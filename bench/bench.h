/*
 * Shared helpers of the benchmark workloads (the .c files of bench/), built freestanding
 * for rv64imac and run bare-metal on hartvm and on qemu-system-riscv64 -M
 * virt alike. A workload reports one line on the UART,
 *     bench: NAME insns=N result=0xR
 * (N = minstret delta read inside the guest, R = a checksum of the work,
 * which must agree between emulators) and exits through the test finisher.
 *
 *  0x0010_0000  test finisher  write 0x5555 = pass, (code << 16) | 0x3333 = fail
 *  0x0200_4000  CLINT mtimecmp of hart 0     0x0200_bff8  CLINT mtime
 *  0x1000_0000  UART0 THR (ns16550a; both emulators accept bytes at once)
 */
#ifndef BENCH_H
#define BENCH_H
#ifndef __ASSEMBLER__
#include <stdint.h>

#endif
#define RAM_BASE      0x80000000
#define FINISHER      0x100000
#define UART_THR      0x10000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME   0x200bff8

#ifndef __ASSEMBLER__
#define CSR_READ(name) ({ uint64_t v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define CSR_WRITE(name, v) __asm__ volatile("csrw " #name ", %0" :: "r"((uint64_t)(v)) : "memory")

/* UART output and the exit (M-mode only: the devices are not mapped for U). */
void put_str(const char *s);
void put_dec(uint64_t v);
void put_hex(uint64_t v);
void bench_report(uint64_t insns, uint64_t result);
__attribute__((noreturn)) void bench_exit(unsigned code);

/* Sv39 identity map of [RAM_BASE, RAM_BASE + MAP_MB MiB) with 4 KiB pages, U
 * except the .super.text/.super.data pages; PMP opened for S and U; satp set. */
void vm_setup(void);

/* M-mode: read minstret, then mret into mode mpp (0 = U, 1 = S) at u_start
 * (bench/start.S), which calls bench_user_main(), then ecalls with a0 = its
 * result. The M trap handler reports insns since the entry and exits. */
__attribute__((noreturn)) void enter_mode(unsigned mpp);

/* Each workload defines one of these. */
uint64_t bench_main(void);        /* M-mode: runs everything itself */
uint64_t bench_user_main(void);   /* run in U (or S) by enter_mode */

/* Timer workload: the M handler takes this many interrupts, then resumes U
 * at u_irq_done (bench/start.S), which ecalls with a0 = u_spin()'s count. */
extern uint64_t irq_target, irq_count;
uint64_t u_spin(void);
#endif

#endif

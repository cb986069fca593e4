/*
 * Start-up and trap entry of the benchmark workloads.
 *
 *  _start      M-mode: stacks, mtvec, then bench_main() (C); its result is
 *              reported with the instructions it took (minstret delta).
 *  enter_mode  M-mode: mret into U or S at u_start, which runs
 *              bench_user_main() and ecalls with a0 = its result (a7 = 1).
 *  m_trap      M trap vector: an ecall ends the run (m_exception, in C); a
 *              machine timer interrupt re-arms the timer (timer workload).
 *  s_trap      S trap vector for delegated U ecalls (ecall workload): a7 = 0
 *              is a "system call" returning a0 + 1; a7 = 1 ends the run.
 */
#include "bench.h"

    .section .text.init, "ax"
    .globl _start
_start:
    la sp, m_stack_top
    la t0, m_trap_stack_top
    csrw mscratch, t0
    la t0, m_trap
    csrw mtvec, t0
    csrr s0, minstret
    call bench_main
    csrr t0, minstret
    mv a1, a0                   /* result */
    sub a0, t0, s0              /* insns */
    call bench_report
    li a0, 0
    call bench_exit

    .text
    .globl enter_mode
enter_mode:                     /* a0 = mode to enter (0 = U, 1 = S) */
    li t0, 3 << 11
    csrc mstatus, t0            /* MPP */
    slli a0, a0, 11
    csrs mstatus, a0
    la t0, u_start
    csrw mepc, t0
    la sp, u_stack_top
    csrr t0, minstret           /* last thing before the workload starts */
    la t1, start_insns
    sd t0, 0(t1)
    mret

u_start:
    call bench_user_main
    li a7, 1
    ecall
1:  j 1b

    .globl u_spin
u_spin:                         /* count until the M handler moves us on */
    li a0, 0
1:  addi a0, a0, 1
    j 1b
u_irq_done:
    li a7, 1
    ecall
2:  j 2b

    .balign 4
m_trap:
    csrrw sp, mscratch, sp
    sd t0, 0(sp)
    sd t1, 8(sp)
    csrr t0, mcause
    bltz t0, m_irq
    csrr a1, minstret
    la t0, start_insns
    ld t0, 0(t0)
    sub a1, a1, t0
    csrr a2, mcause
    csrr a3, mepc
    csrr a4, mtval
    call m_exception            /* (result, insns, cause, epc, tval): no return */
m_irq:
    la t0, irq_count
    ld t1, 0(t0)
    addi t1, t1, 1
    sd t1, 0(t0)
    la t0, irq_target
    ld t0, 0(t0)
    bgeu t1, t0, 2f
    li t0, CLINT_MTIME
    ld t1, 0(t0)
    li t0, CLINT_MTIMECMP
    sd t1, 0(t0)                /* mtimecmp = mtime: pending again at once */
    j 3f
2:  li t0, CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)                /* done: disarm, resume at u_irq_done */
    la t0, u_irq_done
    csrw mepc, t0
3:  ld t0, 0(sp)
    ld t1, 8(sp)
    csrrw sp, mscratch, sp
    mret

    .section .super.text, "ax"
    .globl s_trap
    .balign 4
s_trap:
    csrrw sp, sscratch, sp
    sd t0, 0(sp)
    sd t1, 8(sp)
    csrr t0, sepc
    addi t0, t0, 4
    csrw sepc, t0
    bnez a7, 1f
    addi a0, a0, 1
    ld t0, 0(sp)
    ld t1, 8(sp)
    csrrw sp, sscratch, sp
    sret
1:  ecall                       /* S -> M: the end, a0 = result */

    .section .super.data, "aw"
    .balign 16
    .space 256
    .globl s_stack_top
s_stack_top:

    .data
    .balign 8
    .globl irq_target, irq_count
irq_target: .dword 0
irq_count:  .dword 0
start_insns: .dword 0

    .bss
    .balign 16
    .space 65536
m_stack_top:
    .space 1024
m_trap_stack_top:
    .space 65536
u_stack_top:

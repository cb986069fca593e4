/*
 * Small bare-metal guests for the fleet tests (tests/system/fleet_*.sh),
 * one source built in several behaviours with -DGUEST_<name>:
 *
 *   GUEST_echo    print "fleet-echo: ready", then echo every byte that
 *                 arrives on the UART as "<X>"; 'q' ends the run with
 *                 success, '!' with code 9. Between bytes it sleeps in wfi
 *                 with a 10 ms CLINT timer, so an idle instance costs
 *                 little host CPU.
 *   GUEST_spin    print "fleet-spin: spinning" and loop forever.
 *   GUEST_fail    print a line and fail through the test finisher with
 *                 FAIL_CODE (default 3).
 *   GUEST_chatty  print CHATTY_LINES lines of 64 bytes (default 4096),
 *                 then pass: fills a console log to test its bound.
 *
 *   UART0 (ns16550a)  0x1000_0000: +0 THR/RBR, +5 LSR (bit 0: data ready)
 *   CLINT             0x0200_0000: +0x4000 mtimecmp (hart 0), +0xbff8 mtime
 *   test finisher     0x0010_0000: 0x5555 pass, (code << 16) | 0x3333 fail
 */
#define UART     0x10000000
#define MTIMECMP 0x02004000
#define MTIME    0x0200bff8
#define FINISHER 0x100000
#ifndef FAIL_CODE
#define FAIL_CODE 3
#endif
#ifndef CHATTY_LINES
#define CHATTY_LINES 4096
#endif

    .section .text.init
    .globl _start
_start:
    li s0, UART
    la a0, banner
    call puts

#if defined(GUEST_echo)
    li t0, 0x80                 /* mie.MTIE: wfi wakes on the timer; */
    csrw mie, t0                /* mstatus.MIE stays 0, so no trap is taken */
echo_loop:
    lbu t0, 5(s0)               /* LSR */
    andi t0, t0, 1
    beqz t0, echo_sleep
    lbu a1, 0(s0)               /* RBR */
    li t0, 'q'
    beq a1, t0, pass
    li t0, '!'
    beq a1, t0, echo_fail
    li t0, '<'
    sb t0, 0(s0)
    sb a1, 0(s0)
    li t0, '>'
    sb t0, 0(s0)
    j echo_loop
echo_sleep:
    li t0, MTIME
    ld t1, 0(t0)
    li t2, 100000               /* 10 ms at the 10 MHz timebase */
    add t1, t1, t2
    li t0, MTIMECMP
    sd t1, 0(t0)
    wfi
    j echo_loop
echo_fail:
    li a0, 9
    j fail

#elif defined(GUEST_spin)
1:  addi a1, a1, 1
    j 1b

#elif defined(GUEST_fail)
    li a0, FAIL_CODE
    j fail

#elif defined(GUEST_chatty)
    li s1, 0                    /* line number */
    li s2, CHATTY_LINES
chatty_line:
    la a0, chatty_text
    call puts
    mv a0, s1                   /* the number in 8 hex digits, then a newline */
    li s3, 28
1:  srl t0, a0, s3
    andi t0, t0, 15
    la t1, hexdigits
    add t1, t1, t0
    lbu t0, 0(t1)
    sb t0, 0(s0)
    addi s3, s3, -4
    bgez s3, 1b
    li t0, '\n'
    sb t0, 0(s0)
    addi s1, s1, 1
    blt s1, s2, chatty_line
    j pass
#else
#error "build with -DGUEST_echo, -DGUEST_spin, -DGUEST_fail or -DGUEST_chatty"
#endif

pass:
    li t0, 0x5555
    li t1, FINISHER
    sw t0, 0(t1)
1:  j 1b

/* a0 = code */
fail:
    slli t0, a0, 16
    li t1, 0x3333
    or t0, t0, t1
    li t1, FINISHER
    sw t0, 0(t1)
1:  j 1b

/* Print the NUL-terminated string at a0 (s0 = UART). */
puts:
1:  lbu t0, 0(a0)
    beqz t0, 2f
    sb t0, 0(s0)
    addi a0, a0, 1
    j 1b
2:  ret

    .section .rodata
banner:
#if defined(GUEST_echo)
    .asciz "fleet-echo: ready\n"
#elif defined(GUEST_spin)
    .asciz "fleet-spin: spinning\n"
#elif defined(GUEST_fail)
    .asciz "fleet-fail: failing on purpose\n"
#else
    .asciz "fleet-chatty: talking\n"
chatty_text:
    /* 55 characters + 8 hex digits + newline = 64 bytes a line */
    .asciz "fleet-chatty: a line of console output to fill the log "
hexdigits:
    .ascii "0123456789abcdef"
#endif

/* A first guest: print a greeting on the UART and report success. */
    .section .text.init
    .globl _start
_start:
    la a0, msg
    li a1, 0x10000000           /* UART0 THR */
1:  lbu a2, 0(a0)
    beqz a2, 2f
    sb a2, 0(a1)
    addi a0, a0, 1
    j 1b
2:  li a0, 0x5555               /* test finisher: pass */
    li a1, 0x100000
    sw a0, 0(a1)
3:  j 3b
    .section .rodata
msg:
    .asciz "Hello from hartvm: an RV64 guest running on the emulated virt board.\n"

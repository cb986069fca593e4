/*
 * HTIF console and syscall proxy (as Spike's front end serves riscv-tests):
 *   tohost = (1 << 56) | (1 << 48) | c   device 1 (console), command 1:
 *       putchar(c); the host answers in fromhost with device 1, command 1.
 *   tohost = address of { 64 (SYS_write), fd, buf, len }   device 0,
 *       command 0, bit 0 clear: the host writes buf and stores the result
 *       (len) in the frame's first word, then sets fromhost.
 * After each command tohost reads 0 again (consumed). The text goes to
 * hartvm's stdout; this program checks the protocol, not the text.
 */
#include "harness.h"

/* Wait (bounded) for fromhost != 0: value in a0, 0 on timeout. */
#define WAIT_FROMHOST                       \
    li t1, 100000;                          \
77: ld a0, 0(a2);                           \
    bnez a0, 78f;                           \
    addi t1, t1, -1;                        \
    bnez t1, 77b;                           \
78:

TEST_BEGIN
    la a1, tohost
    la a2, fromhost

    /* 1..n: putchar each byte of msg; fromhost answers device 1, cmd 1 */
    li gp, 1
    la s1, msg
1:  lbu s2, 0(s1)
    beqz s2, 3f
    li t0, (1 << 56) | (1 << 48)
    or t0, t0, s2
    sd t0, 0(a1)
    WAIT_FROMHOST
    srli a0, a0, 48
    EXPECT_EQ(a0, 0x101)
    ld a0, 0(a1)                    /* the command was consumed */
    EXPECT_EQ(a0, 0)
    sd zero, 0(a2)                  /* acknowledge */
    addi s1, s1, 1
    j 1b

    /* 2: a SYS_write syscall frame */
3:  li gp, 2
    la s1, frame
    li t0, 64
    sd t0, 0(s1)
    li t0, 1
    sd t0, 8(s1)
    la t0, msg2
    sd t0, 16(s1)
    la t1, msg2_end
    sub s3, t1, t0                  /* len */
    sd s3, 24(s1)
    sd s1, 0(a1)
    WAIT_FROMHOST
    beqz a0, fail
    sd zero, 0(a2)
    ld a0, 0(s1)                    /* the result: bytes written */
    EXPECT_REG(a0, s3)
    ld a0, 0(a1)
    EXPECT_EQ(a0, 0)

    /* 3: exit with code 0 through HTIF */
    li gp, 3
    li t0, 1
    sd t0, 0(a1)
    li t1, 1000000
2:  addi t1, t1, -1
    bnez t1, 2b
    j fail
TEST_END

    .data
msg:
    .asciz "htif_putchar: console putchar\n"
msg2:
    .ascii "htif_putchar: syscall write\n"
msg2_end:
    .balign 64
frame:
    .zero 64

    .section .tohost, "aw", @progbits
    .balign 64
    .globl tohost
tohost: .dword 0
    .balign 64
    .globl fromhost
fromhost: .dword 0

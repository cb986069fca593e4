/*
 * HTIF exit with a failure code: writing (5 << 1) | 1 to tohost must end
 * the run with exit status 5. Being a "must_fail" program, run.sh counts
 * it as passed only when hartvm exits with the status named here:
 * expect-fail: 5 (the line below is what run.sh reads)
 */
# expect-fail: 5
#include "harness.h"

TEST_BEGIN
    li gp, 1
    la a1, tohost
    li t0, (5 << 1) | 1
    sd t0, 0(a1)
    li t1, 1000000                  /* HTIF should have stopped us */
2:  addi t1, t1, -1
    bnez t1, 2b
    j fail                          /* finisher: exit status 1, not 5 */
TEST_END

    .section .tohost, "aw", @progbits
    .balign 64
    .globl tohost
tohost: .dword 0
    .balign 64
    .globl fromhost
fromhost: .dword 0

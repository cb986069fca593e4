/*
 * The PMU's TLB-miss events, as the device tree maps them (SBI PMU cache
 * events: 0x10019 DTLB read miss, 0x1001b DTLB write miss, 0x10021 ITLB
 * miss), counted in M:
 *   1. loads from 4 pages never touched miss (4 or more read misses),
 *      and are no write misses
 *   2. stores to 2 fresh pages: 2 or more write misses
 *   3. a call into a code page not run before: an ITLB miss or more
 *   4. the same 4 pages loaded again, the same call again: no more misses
 * Reference mode (--no-fast-paths) has no TLB, so every access misses
 * there and case 4 fails; tests/system/refmode_trace.sh expects that:
 */
# refmode-expect-fail: 4
#include "harness.h"

#define PAGE 4096

/* a load from each of the 4 pages at base (a2 = PAGE) */
#define LOAD4(base)                         \
    la a1, base;                            \
    ld t1, 0(a1);                           \
    add a1, a1, a2;                         \
    ld t1, 0(a1);                           \
    add a1, a1, a2;                         \
    ld t1, 0(a1);                           \
    add a1, a1, a2;                         \
    ld t1, 0(a1);

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL
    csrw mcountinhibit, zero
    li t0, 0x10019
    csrw mhpmevent3, t0
    li t0, 0x1001b
    csrw mhpmevent4, t0
    li t0, 0x10021
    csrw mhpmevent5, t0
    li a2, PAGE

    CASE(1)
    csrw mhpmcounter3, zero
    csrw mhpmcounter4, zero
    LOAD4(pages)
    csrr a0, mhpmcounter3
    csrr a3, mhpmcounter4
    li t0, 4
    bltu a0, t0, fail
    EXPECT_EQ(a3, 0)

    CASE(2)
    la a1, pages + 4 * PAGE
    sd zero, 0(a1)
    add a1, a1, a2
    sd zero, 0(a1)
    csrr a2, mhpmcounter4
    li t0, 2
    bltu a2, t0, fail

    CASE(3)
    csrw mhpmcounter5, zero
    la t0, far_code
    jalr t0
    csrr a0, mhpmcounter5
    beqz a0, fail

    CASE(4)
    csrr s0, mhpmcounter3
    LOAD4(pages)
    csrr a0, mhpmcounter3
    EXPECT_REG(a0, s0)
    csrr s1, mhpmcounter5
    la t0, far_code
    jalr t0
    csrr a1, mhpmcounter5
    EXPECT_REG(a1, s1)

    j pass
TEST_END
CATCH_HANDLERS

    .balign PAGE
far_code:                   /* a code page of its own */
    ret

    .data
    .balign PAGE
pages:
    .space 6 * PAGE

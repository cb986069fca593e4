/*
 * Illegal-instruction exceptions (cause 2) and their mtval (privileged
 * spec 3.1.16: mtval holds the faulting instruction, the shortest of the
 * instruction, ILEN or MXLEN bits -- so 16 bits for a compressed one,
 * zero-extended), from opcodes, CSR accesses (Zicsr; privileged spec 2.1
 * "CSR Address Mapping Conventions": csr[11:10] = 3 is read-only, csr[9:8]
 * the lowest privilege allowed) and the virtualization traps of 3.1.6.5
 * (TVM, TW, TSR) plus WFI in U.
 */
#include "harness.h"

/* t1 = the 32-bit (lw32) or 16-bit (lh16) encoding at t0; instructions are
 * only 2-byte aligned, so a 32-bit one is read as two halfwords (a
 * misaligned lw works on hartvm, but need not on every hart). */
#define lw32(rd, mem)                       \
    lhu rd, mem;                            \
    lhu t2, 2+mem;                          \
    slli t2, t2, 16;                        \
    or rd, rd, t2
#define lh16(rd, mem) lhu rd, mem
/* Expect the instruction at label to have raised illegal instruction with
 * mtval = its encoding. */
#define EXPECT_ILLEGAL(label, ldop)         \
    EXPECT_EQ(s2, 2);                       \
    EXPECT_ADDR(s3, label);                 \
    la t0, label;                           \
    ldop(t1, 0(t0));                        \
    EXPECT_REG(s4, t1)

TEST_BEGIN
    CATCH_INIT
    PMP_ALLOW_ALL

    /* 1: a reserved 32-bit major opcode (0x6b), with high bits set so a
     * sign-extended mtval would differ from the zero-extended one */
    li gp, 1
    la s11, 1f
i1: .word 0xdead006b
    j fail
1:  EXPECT_ILLEGAL(i1, lw32)

    /* 2: 16-bit reserved encodings: c.lui with imm 0 (0x6081); the
     * following halfword must not leak into mtval */
    li gp, 2
    la s11, 1f
i2: .half 0x6081
    .half 0xffff
    j fail
1:  EXPECT_ILLEGAL(i2, lh16)
    EXPECT_EQ(s4, 0x6081)
    /* 3: c.addi4spn with nzuimm 0 (0x0004) */
    li gp, 3
    la s11, 1f
i3: .half 0x0004
    .half 0x0000
    j fail
1:  EXPECT_ILLEGAL(i3, lh16)
    /* 4: the all-zeros halfword is defined illegal: mtval = 0 */
    li gp, 4
    li t0, -1
    csrw mtval, t0
    la s11, 1f
i4: .half 0x0000
    .half 0x0000
    j fail
1:  EXPECT_ILLEGAL(i4, lh16)
    EXPECT_EQ(s4, 0)

    /* 5: a CSR that does not exist (0x0ff, user read/write space) */
    li gp, 5
    la s11, 1f
i5: csrr a0, 0x0ff
    j fail
1:  EXPECT_ILLEGAL(i5, lw32)
    /* 6: another: 0x8ff */
    li gp, 6
    la s11, 1f
i6: csrw 0x8ff, a0
    j fail
1:  EXPECT_ILLEGAL(i6, lw32)

    /* 7: writing read-only mvendorid (csr[11:10] = 3) */
    li gp, 7
    la s11, 1f
i7: csrw mvendorid, zero
    j fail
1:  EXPECT_ILLEGAL(i7, lw32)
    /* 8: csrrs/csrrc with rs1 = x0 do not write: reading is legal */
    li gp, 8
    csrrs a0, mvendorid, zero
    csrrc a0, mhartid, zero
    csrrsi a0, cycle, 0
    /* 9: csrrs with a nonzero rs1 (even if its value is 0) writes: illegal */
    li gp, 9
    li a1, 0
    la s11, 1f
i9: csrrs a0, mimpid, a1
    j fail
1:  EXPECT_ILLEGAL(i9, lw32)
    /* 10: csrw cycle: read-only user counter */
    li gp, 10
    la s11, 1f
i10: csrw cycle, zero
    j fail
1:  EXPECT_ILLEGAL(i10, lw32)
    /* 11: csrrwi instret (always writes) */
    li gp, 11
    la s11, 1f
i11: csrrwi a0, instret, 0
    j fail
1:  EXPECT_ILLEGAL(i11, lw32)
    /* 12: rd must be unchanged by a faulting CSR read */
    li gp, 12
    li a0, 0x77
    la s11, 1f
    csrrw a0, mhartid, a0
    j fail
1:  EXPECT_EQ(s2, 2)
    EXPECT_EQ(a0, 0x77)

    /* 13: an M CSR from S: csrw mscratch */
    li gp, 13
    la s11, 1f
    ENTER_MODE(1, i13)
i13: csrw mscratch, zero
    j fail
1:  EXPECT_ILLEGAL(i13, lw32)
    EXPECT_BITS(s5, 3 << 11, 1 << 11)
    /* 14: csrr mstatus from S */
    li gp, 14
    la s11, 1f
    ENTER_MODE(1, i14)
i14: csrr a0, mstatus
    j fail
1:  EXPECT_ILLEGAL(i14, lw32)
    /* 15: an S CSR from U: csrr sscratch */
    li gp, 15
    la s11, 1f
    ENTER_MODE(0, i15)
i15: csrr a0, sscratch
    j fail
1:  EXPECT_ILLEGAL(i15, lw32)
    EXPECT_BITS(s5, 3 << 11, 0)
    /* 16: S CSRs are accessible from S: csrw sscratch, then ecall */
    li gp, 16
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  li a0, 0x5a5a
    csrw sscratch, a0
    csrr a1, sscratch
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    EXPECT_EQ(a1, 0x5a5a)

    /* 17: mret from S is illegal */
    li gp, 17
    la s11, 1f
    ENTER_MODE(1, i17)
i17: mret
    j fail
1:  EXPECT_ILLEGAL(i17, lw32)
    /* 18: mret from U */
    li gp, 18
    la s11, 1f
    ENTER_MODE(0, i18)
i18: mret
    j fail
1:  EXPECT_ILLEGAL(i18, lw32)
    /* 19: sret from U */
    li gp, 19
    la s11, 1f
    ENTER_MODE(0, i19)
i19: sret
    j fail
1:  EXPECT_ILLEGAL(i19, lw32)

    /* 20: TSR=1: sret in S is illegal (3.1.6.5) */
    li gp, 20
    li t0, 1 << 22
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(1, i20)
i20: sret
    j fail
1:  EXPECT_ILLEGAL(i20, lw32)
    /* 21: ... but sret in M is still legal with TSR=1: it goes to S */
    li gp, 21
    li t0, 1 << 8
    csrs mstatus, t0                            /* SPP = S */
    la t0, 2f
    csrw sepc, t0
    la s11, 1f
    sret
    j fail
2:  ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    li t0, 1 << 22
    csrc mstatus, t0

    /* 22: TW=1: wfi in S is illegal */
    li gp, 22
    li t0, 1 << 21
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(1, i22)
i22: wfi
    j fail
1:  EXPECT_ILLEGAL(i22, lw32)
    li t0, 1 << 21
    csrc mstatus, t0
    /* 23: wfi in U is illegal (TW=0) */
    li gp, 23
    la s11, 1f
    ENTER_MODE(0, i23)
i23: wfi
    j fail
1:  EXPECT_ILLEGAL(i23, lw32)

    /* 24: TVM=0: satp and sfence.vma are legal in S */
    li gp, 24
    la s11, 1f
    ENTER_MODE(1, 2f)
2:  csrr a0, satp
    csrw satp, zero
    sfence.vma
    sfence.vma a0, zero
    ecall
    j fail
1:  EXPECT_EQ(s2, 9)
    /* 25: TVM=1: csrr satp in S is illegal */
    li gp, 25
    li t0, 1 << 20
    csrs mstatus, t0
    la s11, 1f
    ENTER_MODE(1, i25)
i25: csrr a0, satp
    j fail
1:  EXPECT_ILLEGAL(i25, lw32)
    /* 26: TVM=1: csrw satp in S */
    li gp, 26
    la s11, 1f
    ENTER_MODE(1, i26)
i26: csrw satp, zero
    j fail
1:  EXPECT_ILLEGAL(i26, lw32)
    /* 27: TVM=1: sfence.vma in S */
    li gp, 27
    la s11, 1f
    ENTER_MODE(1, i27)
i27: sfence.vma
    j fail
1:  EXPECT_ILLEGAL(i27, lw32)
    /* 28: TVM=1 does not affect M */
    li gp, 28
    csrr a0, satp
    csrw satp, a0
    sfence.vma
    li t0, 1 << 20
    csrc mstatus, t0
    /* 29: sfence.vma in U is illegal */
    li gp, 29
    la s11, 1f
    ENTER_MODE(0, i29)
i29: sfence.vma
    j fail
1:  EXPECT_ILLEGAL(i29, lw32)

    /* 30: an unknown SYSTEM instruction (funct12 0x7ff, not a CSR op) */
    li gp, 30
    la s11, 1f
i30: .word 0x7ff00073
    j fail
1:  EXPECT_ILLEGAL(i30, lw32)

    j pass
TEST_END
CATCH_HANDLERS

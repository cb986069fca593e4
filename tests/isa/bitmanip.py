#!/usr/bin/env python3
"""Write tests/isa's self-checking program for Zbc, Zbkb, Zbkc, Zbkx, Zimop,
Zcb, Zcmop and Zihintntl (run with -cpu max) to stdout.

The expected values come from the unprivileged spec's pseudo-code, written
out again below in Python ("Bit-manipulation" and "Scalar Cryptography"
chapters for clmul*, pack*, brev8, xperm*; "Zcb" for the compressed forms;
"May-Be-Operations" for mop.*), over edge operands and a fixed-seed random
sample. binutils 2.40 assembles the Zb* mnemonics; Zcb, Zcmop and Zimop it
does not know, so their encodings are built here from the spec's tables.
"""
import random
import sys

M64 = (1 << 64) - 1


def sext(v, bits):
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >> (bits - 1) else v


def u64(v):
    return v & M64


# ---- reference semantics (spec pseudo-code) --------------------------------
def clmul(a, b):
    x = 0
    for i in range(64):
        if (b >> i) & 1:
            x ^= a << i
    return u64(x)


def clmulh(a, b):
    x = 0
    for i in range(1, 64):
        if (b >> i) & 1:
            x ^= a >> (64 - i)
    return u64(x)


def clmulr(a, b):
    x = 0
    for i in range(64):
        if (b >> i) & 1:
            x ^= a >> (63 - i)
    return u64(x)


def pack(a, b):
    return u64((a & 0xffffffff) | (b & 0xffffffff) << 32)


def packh(a, b):
    return (a & 0xff) | (b & 0xff) << 8


def packw(a, b):
    return u64(sext((a & 0xffff) | (b & 0xffff) << 16, 32))


def brev8(a):
    r = 0
    for byte in range(8):
        v = (a >> (8 * byte)) & 0xff
        rev = int(format(v, "08b")[::-1], 2)
        r |= rev << (8 * byte)
    return r


def xperm(src, idx, width):
    r = 0
    n = 64 // width
    for i in range(n):
        k = (idx >> (i * width)) & ((1 << width) - 1)
        if k < n:
            r |= ((src >> (k * width)) & ((1 << width) - 1)) << (i * width)
    return r


R_OPS = {
    "clmul": clmul, "clmulr": clmulr, "clmulh": clmulh, "pack": pack, "packh": packh,
    "packw": packw, "xperm4": lambda a, b: xperm(a, b, 4), "xperm8": lambda a, b: xperm(a, b, 8),
}

# ---- encodings (spec tables) -----------------------------------------------
A0, A1, A2 = 10, 11, 12


def mop_r(n, rd, rs1):
    return (1 << 31 | (n >> 4 & 1) << 30 | (n >> 2 & 3) << 26 | 0b0111 << 22 | (n & 3) << 20 |
            rs1 << 15 | 0b100 << 12 | rd << 7 | 0b1110011)


def mop_rr(n, rd, rs1, rs2):
    return (1 << 31 | (n >> 2 & 1) << 30 | (n & 3) << 26 | 1 << 25 | rs2 << 20 | rs1 << 15 |
            0b100 << 12 | rd << 7 | 0b1110011)


def c_ls(funct6, rs1p, imm6, imm5, rdp):
    """Zcb loads/stores: funct6 rs1' [6] [5] rd'/rs2' 00."""
    return funct6 << 10 | rs1p << 7 | imm6 << 6 | imm5 << 5 | rdp << 2


def c_unary(rdp, sub):
    return 0b100111 << 10 | rdp << 7 | 0b11 << 5 | sub << 2 | 0b01


def c_mul(rdp, rs2p):
    return 0b100111 << 10 | rdp << 7 | 0b10 << 5 | rs2p << 2 | 0b01


def c_mop(n):
    return 0b011 << 13 | n << 7 | 0b01


# ---- cases -------------------------------------------------------------------
EDGE = [0, 1, M64, 1 << 63, 0x8000000000000001, 0x0123456789abcdef, 0xfedcba9876543210,
        0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x00000000ffffffff, 0xffffffff00000000,
        0x0f0f0f0f0f0f0f0f, 0x76543210fedcba98]
BUF = bytes((i * 0x9d + 0x3b) & 0xff for i in range(32))
BUF_OFF = 8                         # a1 = buf + BUF_OFF for the Zcb loads


def main():
    # --zbk: the Zbc and Zbk* cases alone, which QEMU 7.2 also runs
    # (tests/system/cpu_options.sh runs them on both)
    zbk_only = "--zbk" in sys.argv[1:]
    rnd = random.Random(21)
    out = []
    n = [0]

    def case():
        n[0] += 1
        return n[0]

    def rr(op, a, b):
        out.append("    T_RR(%d, %s, 0x%x, 0x%x, 0x%x)" % (case(), op, R_OPS[op](a, b), a, b))

    pairs = [(a, b) for a in EDGE[:6] for b in EDGE[:6]]
    pairs += [(rnd.getrandbits(64), rnd.getrandbits(64)) for _ in range(24)]
    for op in R_OPS:
        idx_pairs = pairs
        if op.startswith("xperm"):           # indexes in range and out of it
            width = int(op[5])
            lim = 64 // width
            idx_pairs = pairs + [(a, sum(rnd.randrange(min(lim + 3, 1 << width)) << (i * width)
                                         for i in range(64 // width))) for a, _ in pairs[:16]]
        for a, b in idx_pairs:
            rr(op, a, b)
    for a in EDGE + [rnd.getrandbits(64) for _ in range(8)]:
        out.append("    T_R1(%d, brev8, 0x%x, 0x%x)" % (case(), brev8(a), a))
        out.append("    T_RR(%d, packw, 0x%x, 0x%x, 0)" % (case(), packw(a, 0), a))   # zext.h

    if zbk_only:
        print(HEADER.replace("-cpu max", "-cpu rv64,zbkb=true,zbkc=true,zbkx=true"))
        print("\n".join(out))
        print(FOOTER % ", ".join("0x%02x" % b for b in BUF))
        return

    # Zimop: every mop.r.N and mop.rr.N writes 0 to rd
    for k in range(32):
        out.append("    T_WORD(%d, 0x%08x, 0)        /* mop.r.%d a0, a1 */" % (case(), mop_r(k, A0, A1), k))
    for k in range(8):
        out.append("    T_WORD(%d, 0x%08x, 0)        /* mop.rr.%d a0, a1, a2 */"
                   % (case(), mop_rr(k, A0, A1, A2), k))

    # Zcb loads: a1 = buf + BUF_OFF + k (k odd: misaligned halves too)
    for k in range(4):
        for u in range(4):
            addr = BUF_OFF + k + u
            out.append("    T_CLOAD(%d, 0x%04x, 0x%x, %d)   /* c.lbu a0, %d(a1) */"
                       % (case(), c_ls(0b100000, 3, u & 1, u >> 1, 2), BUF[addr], BUF_OFF + k, u))
        for u in (0, 2):
            addr = BUF_OFF + k + u
            half = BUF[addr] | BUF[addr + 1] << 8
            out.append("    T_CLOAD(%d, 0x%04x, 0x%x, %d)   /* c.lhu a0, %d(a1) */"
                       % (case(), c_ls(0b100001, 3, 0, u >> 1, 2), half, BUF_OFF + k, u))
            out.append("    T_CLOAD(%d, 0x%04x, 0x%x, %d)   /* c.lh a0, %d(a1) */"
                       % (case(), c_ls(0b100001, 3, 1, u >> 1, 2), u64(sext(half, 16)), BUF_OFF + k, u))
    # Zcb stores into a zeroed doubleword pair: the first doubleword after
    for u in range(4):
        v = rnd.getrandbits(64)
        out.append("    T_CSTORE(%d, 0x%04x, 0x%x, 0x%x)   /* c.sb a0, %d(a1) */"
                   % (case(), c_ls(0b100010, 3, u & 1, u >> 1, 2), v, (v & 0xff) << (8 * u), u))
    for u in (0, 2):
        v = rnd.getrandbits(64)
        out.append("    T_CSTORE(%d, 0x%04x, 0x%x, 0x%x)   /* c.sh a0, %d(a1) */"
                   % (case(), c_ls(0b100011, 3, 0, u >> 1, 2), v, (v & 0xffff) << (8 * u), u))
    # Zcb arithmetic on a0 (x10 = rd' 2); c.mul a0, a1
    unary = [("c.zext.b", 0, lambda a: a & 0xff), ("c.sext.b", 1, lambda a: u64(sext(a, 8))),
             ("c.zext.h", 2, lambda a: a & 0xffff), ("c.sext.h", 3, lambda a: u64(sext(a, 16))),
             ("c.zext.w", 4, lambda a: a & 0xffffffff), ("c.not", 5, lambda a: a ^ M64)]
    for name, sub, f in unary:
        for a in EDGE[:8] + [rnd.getrandbits(64) for _ in range(4)]:
            out.append("    T_C1(%d, 0x%04x, 0x%x, 0x%x)   /* %s a0 */" % (case(), c_unary(2, sub), f(a), a, name))
    for a, b in pairs[:12]:
        out.append("    T_C2(%d, 0x%04x, 0x%x, 0x%x, 0x%x)   /* c.mul a0, a1 */"
                   % (case(), c_mul(2, 3), u64(a * b), a, b))
    # Zcmop: c.mop.N does not write xN; Zihintntl hints change nothing
    for k in range(1, 16, 2):
        out.append("    T_CMOP(%d, 0x%04x, x%d)   /* c.mop.%d */" % (case(), c_mop(k), k, k))
    for name, rs2 in (("ntl.p1", 2), ("ntl.pall", 3), ("ntl.s1", 4), ("ntl.all", 5)):
        out.append("    T_HINT(%d, 0x%08x)   /* %s */" % (case(), rs2 << 20 | 0b0110011, name))
        out.append("    T_HINT16(%d, 0x%04x)   /* c.%s */" % (case(), 0b1001 << 12 | rs2 << 2 | 0b10, name))

    print(HEADER)
    print("\n".join(out))
    print(FOOTER % ", ".join("0x%02x" % b for b in BUF))


HEADER = r'''/* Generated by tests/isa/bitmanip.py: do not edit. Runs with -cpu max:
# hartvm-args: -cpu max
 */
#include "harness.h"
    .option norvc
    .option arch, +zba, +zbb, +zbc, +zbkb, +zbkc, +zbkx

/* a0 = the 32-bit word (a Zimop instruction) with a0 = -1, a1, a2 set */
#define T_WORD(n, word, expected)           \
    CASE(n)                                 \
    li a0, -1;                              \
    li a1, 0x1234;                          \
    li a2, 0x5678;                          \
    .4byte word;                            \
    EXPECT(a0, expected)
/* a0 = the 16-bit load with a1 = buf + off */
#define T_CLOAD(n, half, expected, off)     \
    CASE(n)                                 \
    la a1, buf + off;                       \
    .2byte half;                            \
    .2byte 0x0001;                          \
    EXPECT(a0, expected)
/* the 16-bit store of v with a1 = scratch; the scratch doubleword must then
 * hold expected, and the next one stay 0 */
#define T_CSTORE(n, half, v, expected)      \
    CASE(n)                                 \
    la a1, scratch;                         \
    sd zero, 0(a1);                         \
    sd zero, 8(a1);                         \
    li a0, v;                               \
    .2byte half;                            \
    .2byte 0x0001;                          \
    ld a0, 0(a1);                           \
    EXPECT(a0, expected)                    \
    ld a0, 8(a1);                           \
    EXPECT(a0, 0)
/* a0 = op(a0) and a0 = op(a0, a1) for 16-bit ops */
#define T_C1(n, half, expected, v)          \
    CASE(n)                                 \
    li a0, v;                               \
    .2byte half;                            \
    .2byte 0x0001;                          \
    EXPECT(a0, expected)
#define T_C2(n, half, expected, v1, v2)     \
    CASE(n)                                 \
    li a0, v1;                              \
    li a1, v2;                              \
    .2byte half;                            \
    .2byte 0x0001;                          \
    EXPECT(a0, expected)
/* c.mop.N leaves xN as it was (xN is never t6) */
#define T_CMOP(n, half, reg)                \
    CASE(n)                                 \
    mv s2, reg;                             \
    .2byte half;                            \
    .2byte 0x0001;                          \
    bne s2, reg, fail;
/* a hint runs and leaves a0 alone */
#define T_HINT(n, word)                     \
    CASE(n)                                 \
    li a0, 0x77;                            \
    .4byte word;                            \
    EXPECT(a0, 0x77)
#define T_HINT16(n, half)                   \
    CASE(n)                                 \
    li a0, 0x77;                            \
    .2byte half;                            \
    .2byte 0x0001;                          \
    EXPECT(a0, 0x77)

TEST_BEGIN'''

FOOTER = r'''    j pass
TEST_END

    .data
    .balign 8
buf:
    .byte %s
    .balign 8
scratch:
    .zero 16'''

if __name__ == "__main__":
    main()

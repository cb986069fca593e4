/* Zba, Zbb, Zbs, Zicond, Zbc, Zbkb, Zbkx and Zimop bodies (helpers: bitperm.h). */

#define SHAMT6(v) ((v) & 63)

OPL(add_uw):    RD = RS2 + (uint32_t)RS1; NEXT();
OPL(sh1add):    RD = RS2 + (RS1 << 1); NEXT();
OPL(sh2add):    RD = RS2 + (RS1 << 2); NEXT();
OPL(sh3add):    RD = RS2 + (RS1 << 3); NEXT();
OPL(sh1add_uw): RD = RS2 + ((uint64_t)(uint32_t)RS1 << 1); NEXT();
OPL(sh2add_uw): RD = RS2 + ((uint64_t)(uint32_t)RS1 << 2); NEXT();
OPL(sh3add_uw): RD = RS2 + ((uint64_t)(uint32_t)RS1 << 3); NEXT();
OPL(slli_uw):   RD = (uint64_t)(uint32_t)RS1 << d->imm; NEXT();

OPL(andn):   RD = RS1 & ~RS2; NEXT();
OPL(orn):    RD = RS1 | ~RS2; NEXT();
OPL(xnor):   RD = ~(RS1 ^ RS2); NEXT();
OPL(clz):    RD = RS1 ? __builtin_clzll(RS1) : 64; NEXT();
OPL(clzw):   RD = (uint32_t)RS1 ? __builtin_clz((uint32_t)RS1) : 32; NEXT();
OPL(ctz):    RD = RS1 ? __builtin_ctzll(RS1) : 64; NEXT();
OPL(ctzw):   RD = (uint32_t)RS1 ? __builtin_ctz((uint32_t)RS1) : 32; NEXT();
OPL(cpop):   RD = __builtin_popcountll(RS1); NEXT();
OPL(cpopw):  RD = __builtin_popcount((uint32_t)RS1); NEXT();
OPL(max):    RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2; NEXT();
OPL(maxu):   RD = RS1 > RS2 ? RS1 : RS2; NEXT();
OPL(min):    RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2; NEXT();
OPL(minu):   RD = RS1 < RS2 ? RS1 : RS2; NEXT();
OPL(sext_b): RD = (int64_t)(int8_t)RS1; NEXT();
OPL(sext_h): RD = (int64_t)(int16_t)RS1; NEXT();
OPL(zext_h): RD = (uint16_t)RS1; NEXT();
OPL(rol):    RD = ror64(RS1, 64 - SHAMT6(RS2)); NEXT();
OPL(rolw):   RD = sext32(ror32(RS1, 32 - (RS2 & 31))); NEXT();
OPL(ror):    RD = ror64(RS1, SHAMT6(RS2)); NEXT();
OPL(rori):   RD = ror64(RS1, d->imm); NEXT();
OPL(roriw):  RD = sext32(ror32(RS1, d->imm)); NEXT();
OPL(rorw):   RD = sext32(ror32(RS1, RS2 & 31)); NEXT();
OPL(orc_b): {
        uint64_t v = RS1, r = 0;
        for (int i = 0; i < 64; i += 8)
            if ((v >> i) & 0xff)
                r |= 0xffull << i;
        RD = r;
        NEXT();
    }
OPL(rev8):   RD = __builtin_bswap64(RS1); NEXT();

OPL(bclr):   RD = RS1 & ~(1ull << SHAMT6(RS2)); NEXT();
OPL(bclri):  RD = RS1 & ~(1ull << d->imm); NEXT();
OPL(bext):   RD = (RS1 >> SHAMT6(RS2)) & 1; NEXT();
OPL(bexti):  RD = (RS1 >> d->imm) & 1; NEXT();
OPL(binv):   RD = RS1 ^ (1ull << SHAMT6(RS2)); NEXT();
OPL(binvi):  RD = RS1 ^ (1ull << d->imm); NEXT();
OPL(bset):   RD = RS1 | (1ull << SHAMT6(RS2)); NEXT();
OPL(bseti):  RD = RS1 | (1ull << d->imm); NEXT();

OPL(czero_eqz): RD = RS2 == 0 ? 0 : RS1; NEXT();
OPL(czero_nez): RD = RS2 != 0 ? 0 : RS1; NEXT();

OPL(clmul):  RD = clmul_lo(RS1, RS2); NEXT();
OPL(clmulh): RD = clmul_hi(RS1, RS2); NEXT();
OPL(clmulr): RD = clmul_rev(RS1, RS2); NEXT();

OPL(pack):   RD = (uint32_t)RS1 | RS2 << 32; NEXT();
OPL(packh):  RD = (uint8_t)RS1 | (uint64_t)(uint8_t)RS2 << 8; NEXT();
OPL(packw):  RD = sext32((uint16_t)RS1 | (uint32_t)(uint16_t)RS2 << 16); NEXT();
OPL(brev8):  RD = brev8(RS1); NEXT();

OPL(xperm4): RD = xperm4(RS1, RS2); NEXT();
OPL(xperm8): RD = xperm8(RS1, RS2); NEXT();

/* May-be-operations: until something redefines them, rd = 0 */
OPL(mop_r):  RD = 0; NEXT();
OPL(mop_rr): RD = 0; NEXT();

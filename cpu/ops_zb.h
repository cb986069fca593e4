/* Zba, Zbb, Zbs and Zicond bodies. */

#define SHAMT6(v) ((v) & 63)

L_add_uw:    RD = RS2 + (uint32_t)RS1; NEXT();
L_sh1add:    RD = RS2 + (RS1 << 1); NEXT();
L_sh2add:    RD = RS2 + (RS1 << 2); NEXT();
L_sh3add:    RD = RS2 + (RS1 << 3); NEXT();
L_sh1add_uw: RD = RS2 + ((uint64_t)(uint32_t)RS1 << 1); NEXT();
L_sh2add_uw: RD = RS2 + ((uint64_t)(uint32_t)RS1 << 2); NEXT();
L_sh3add_uw: RD = RS2 + ((uint64_t)(uint32_t)RS1 << 3); NEXT();
L_slli_uw:   RD = (uint64_t)(uint32_t)RS1 << d->imm; NEXT();

L_andn:   RD = RS1 & ~RS2; NEXT();
L_orn:    RD = RS1 | ~RS2; NEXT();
L_xnor:   RD = ~(RS1 ^ RS2); NEXT();
L_clz:    RD = RS1 ? __builtin_clzll(RS1) : 64; NEXT();
L_clzw:   RD = (uint32_t)RS1 ? __builtin_clz((uint32_t)RS1) : 32; NEXT();
L_ctz:    RD = RS1 ? __builtin_ctzll(RS1) : 64; NEXT();
L_ctzw:   RD = (uint32_t)RS1 ? __builtin_ctz((uint32_t)RS1) : 32; NEXT();
L_cpop:   RD = __builtin_popcountll(RS1); NEXT();
L_cpopw:  RD = __builtin_popcount((uint32_t)RS1); NEXT();
L_max:    RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2; NEXT();
L_maxu:   RD = RS1 > RS2 ? RS1 : RS2; NEXT();
L_min:    RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2; NEXT();
L_minu:   RD = RS1 < RS2 ? RS1 : RS2; NEXT();
L_sext_b: RD = (int64_t)(int8_t)RS1; NEXT();
L_sext_h: RD = (int64_t)(int16_t)RS1; NEXT();
L_zext_h: RD = (uint16_t)RS1; NEXT();
L_rol:    RD = ror64(RS1, 64 - SHAMT6(RS2)); NEXT();
L_rolw:   RD = sext32(ror32(RS1, 32 - (RS2 & 31))); NEXT();
L_ror:    RD = ror64(RS1, SHAMT6(RS2)); NEXT();
L_rori:   RD = ror64(RS1, d->imm); NEXT();
L_roriw:  RD = sext32(ror32(RS1, d->imm)); NEXT();
L_rorw:   RD = sext32(ror32(RS1, RS2 & 31)); NEXT();
L_orc_b: {
        uint64_t v = RS1, r = 0;
        for (int i = 0; i < 64; i += 8)
            if ((v >> i) & 0xff)
                r |= 0xffull << i;
        RD = r;
        NEXT();
    }
L_rev8:   RD = __builtin_bswap64(RS1); NEXT();

L_bclr:   RD = RS1 & ~(1ull << SHAMT6(RS2)); NEXT();
L_bclri:  RD = RS1 & ~(1ull << d->imm); NEXT();
L_bext:   RD = (RS1 >> SHAMT6(RS2)) & 1; NEXT();
L_bexti:  RD = (RS1 >> d->imm) & 1; NEXT();
L_binv:   RD = RS1 ^ (1ull << SHAMT6(RS2)); NEXT();
L_binvi:  RD = RS1 ^ (1ull << d->imm); NEXT();
L_bset:   RD = RS1 | (1ull << SHAMT6(RS2)); NEXT();
L_bseti:  RD = RS1 | (1ull << d->imm); NEXT();

L_czero_eqz: RD = RS2 == 0 ? 0 : RS1; NEXT();
L_czero_nez: RD = RS2 != 0 ? 0 : RS1; NEXT();

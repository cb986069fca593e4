/* M extension bodies. Division by zero and overflow follow the spec's
 * table (unprivileged spec, "Division Operations"): no traps. */

OPL(mul):    RD = RS1 * RS2; NEXT();
OPL(mulh):   RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64); NEXT();
OPL(mulhsu): RD = (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(unsigned __int128)RS2) >> 64); NEXT();
OPL(mulhu):  RD = (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64); NEXT();
OPL(div): {
        int64_t a = RS1, b = RS2;
        RD = b == 0 ? -1 : (a == INT64_MIN && b == -1) ? a : a / b;
        NEXT();
    }
OPL(divu): { uint64_t a = RS1, b = RS2; RD = b == 0 ? ~0ull : a / b; NEXT(); }
OPL(rem): {
        int64_t a = RS1, b = RS2;
        RD = b == 0 ? a : (a == INT64_MIN && b == -1) ? 0 : a % b;
        NEXT();
    }
OPL(remu): { uint64_t a = RS1, b = RS2; RD = b == 0 ? a : a % b; NEXT(); }
OPL(mulw): RD = sext32((uint32_t)RS1 * (uint32_t)RS2); NEXT();
OPL(divw): {
        int32_t a = RS1, b = RS2;
        RD = b == 0 ? -1 : (a == INT32_MIN && b == -1) ? a : a / b;
        NEXT();
    }
OPL(divuw): { uint32_t a = RS1, b = RS2; RD = sext32(b == 0 ? ~0u : a / b); NEXT(); }
OPL(remw): {
        int32_t a = RS1, b = RS2;
        RD = b == 0 ? a : (a == INT32_MIN && b == -1) ? 0 : a % b;
        NEXT();
    }
OPL(remuw): { uint32_t a = RS1, b = RS2; RD = sext32(b == 0 ? a : a % b); NEXT(); }

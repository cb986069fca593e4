/* A extension bodies. The reservation is the host address of the reserved
 * word; aq/rl need nothing more in a single host thread. */

#define LR(type) do { type *p_; ATOMIC_PTR(p_, ld, sizeof(type), false); \
        h->resv = (uintptr_t)p_; RD = *p_; NEXT(); } while (0)
#define SC(type) do { type *p_; ATOMIC_PTR(p_, st, sizeof(type), true); \
        if (h->resv == (uintptr_t)p_) { *p_ = (type)RS2; RD = 0; } else RD = 1; \
        h->resv = 0; NEXT(); } while (0)

OPL(lr_w): LR(int32_t);
OPL(lr_d): LR(uint64_t);
OPL(sc_w): SC(int32_t);
OPL(sc_d): SC(uint64_t);

OPL(amoswap_w): AMO(int32_t, b_);
OPL(amoadd_w):  AMO(int32_t, (int32_t)((uint32_t)a_ + (uint32_t)b_));
OPL(amoxor_w):  AMO(int32_t, a_ ^ b_);
OPL(amoand_w):  AMO(int32_t, a_ & b_);
OPL(amoor_w):   AMO(int32_t, a_ | b_);
OPL(amomin_w):  AMO(int32_t, a_ < b_ ? a_ : b_);
OPL(amomax_w):  AMO(int32_t, a_ > b_ ? a_ : b_);
OPL(amominu_w): AMO(int32_t, (uint32_t)a_ < (uint32_t)b_ ? a_ : b_);
OPL(amomaxu_w): AMO(int32_t, (uint32_t)a_ > (uint32_t)b_ ? a_ : b_);
OPL(amoswap_d): AMO(uint64_t, b_);
OPL(amoadd_d):  AMO(uint64_t, a_ + b_);
OPL(amoxor_d):  AMO(uint64_t, a_ ^ b_);
OPL(amoand_d):  AMO(uint64_t, a_ & b_);
OPL(amoor_d):   AMO(uint64_t, a_ | b_);
OPL(amomin_d):  AMO(uint64_t, (int64_t)a_ < (int64_t)b_ ? a_ : b_);
OPL(amomax_d):  AMO(uint64_t, (int64_t)a_ > (int64_t)b_ ? a_ : b_);
OPL(amominu_d): AMO(uint64_t, a_ < b_ ? a_ : b_);
OPL(amomaxu_d): AMO(uint64_t, a_ > b_ ? a_ : b_);

/* Zacas: the loaded value replaces rd; memory takes rs2 when it equalled
 * rd (x0 compares as 0). Store permission is needed either way (Zacas:
 * "as an AMO"), so the store TLB gives the pointer. */
#define CAS(type) do { type *p_; ATOMIC_PTR(p_, st, sizeof(type), true); \
        type a_ = *p_, c_ = d->rd == X_SINK ? 0 : (type)RD; \
        if (a_ == c_) { *p_ = (type)RS2; } \
        RD = a_; NEXT(); } while (0)
OPL(amocas_w): CAS(int32_t);
OPL(amocas_d): CAS(uint64_t);
/* amocas.q: rd/rd+1 and rs2/rs2+1 hold the low/high halves; an odd
 * register number is reserved; x0 as a pair reads 0 and keeps nothing. */
OPL(amocas_q): {
        unsigned rd_ = (d->bits >> 7) & 31, rs2_ = d->rs2;
        if ((rd_ | rs2_) & 1)
            ILLEGAL();
        uint64_t *p_;
        ATOMIC_PTR(p_, st, 16, true);
        uint64_t lo_ = p_[0], hi_ = p_[1];
        if (lo_ == (rd_ ? x[rd_] : 0) && hi_ == (rd_ ? x[rd_ + 1] : 0)) {
            p_[0] = rs2_ ? x[rs2_] : 0;
            p_[1] = rs2_ ? x[rs2_ + 1] : 0;
        }
        if (rd_) {
            x[rd_] = lo_;
            x[rd_ + 1] = hi_;
        }
        NEXT();
    }

/*
 * The interpreter: direct-threaded dispatch over pre-decoded instructions.
 *
 * The current page's decoded instructions (cpu/dcache.h) are reached
 * through the fetch TLB; sequential execution steps through the page's
 * slots and runs into a sentinel at the end. Slots are read here, through
 * the cache's inline accessors, and written only by the cache (mmu/dcache.c).
 * Interrupts are not polled here: the loop runs until its instruction
 * budget is spent or an instruction asks to yield (a CSR write, xRET,
 * MMIO, ...), and the caller checks interrupts between runs.
 */
#include "hart.h"
#include "fpu.h"
#include "core.h"
#include "isa.h"
#include "dcache.h"
#include "mem.h"
#include "log.h"
#include "bitperm.h"
#include <string.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static inline int64_t sext32(uint64_t v) { return (int32_t)v; }
static inline uint64_t ror64(uint64_t v, unsigned s) { s &= 63; return s ? v >> s | v << (64 - s) : v; }
static inline uint32_t ror32(uint32_t v, unsigned s) { s &= 31; return s ? v >> s | v << (32 - s) : v; }

/* Reference mode (see struct hart): forget every translation and every
 * decoded instruction, so the next one takes the slow paths. */
static void ref_mode_flush(struct hart *h)
{
    mmu_flush_all(h);
    dcache_invalidate_all(h->core->bus);
}

/* Decode into h->tmp, followed by sentinels, for an instruction executed
 * outside the page cache (straddling or behind a breakpoint). */
static inline struct dinsn *side_decode(struct hart *h, uint32_t bits)
{
    insn_decode(bits, &h->tmp[0]);
    isa_gate(&h->tmp[0], h->core->isa_off);
    h->tmp[1].op = h->tmp[2].op = OP__PAGE_END;
    return &h->tmp[0];
}

/* cpu/exec_trace.c compiles this file a second time as hart_run_trace,
 * with TRACE_HOOK() recording every instruction as it is dispatched. */
#ifndef HART_RUN_NAME
#define HART_RUN_NAME hart_run
#endif
#ifndef TRACE_HOOK
#define TRACE_HOOK() ((void)0)
#endif

/* FP exception flags the host left in MXCSR (cpu/fpu.h) into fflags. Out
 * of line and cold: inlined, it changed register allocation across the loop
 * (one more host instruction per load and store). */
static __attribute__((noinline, cold)) void hart_fp_fold(struct hart *h)
{
#ifdef FPU_HOST
    h->fflags |= fpu_host_fold();
#else
    (void)h;
#endif
}

/* -d in_asm: the decoded-instruction cache just decoded the slot at pc
 * (cpu/log.h). Cold: reached only while a log is open. */
static __attribute__((noinline, cold)) void log_decoded(struct hart *h, uint64_t pc,
                                                        const struct dpage *dp)
{
    if (qlog_on(h->core->log, LOG_IN_ASM))
        qlog_decoded(h, pc, dcache_host(dp), pc & 0xfff);
}

int64_t HART_RUN_NAME(struct hart *h, int64_t n)
{
    /* Ops, then their compressed forms (see the end of this function). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"   /* CINSN names an op many times */
    static const void *const labels[2 * OP__COUNT] = {
#define INSN(op, mn, match, mask, fmt) [OP_##op] = &&L_##op,
#include "insn_table.def"
        [OP__DECODE] = &&L__DECODE, [OP__PAGE_END] = &&L__PAGE_END,
        [OP__ILLEGAL] = &&L__ILLEGAL, [OP__STRADDLE] = &&L__STRADDLE,
        [OP__BREAK] = &&L__BREAK,
        [OP__BEQ_LOCAL] = &&L__BEQ_LOCAL, [OP__BNE_LOCAL] = &&L__BNE_LOCAL,
        [OP__BLT_LOCAL] = &&L__BLT_LOCAL, [OP__BGE_LOCAL] = &&L__BGE_LOCAL,
        [OP__BLTU_LOCAL] = &&L__BLTU_LOCAL, [OP__BGEU_LOCAL] = &&L__BGEU_LOCAL,
        [OP__JAL_LOCAL] = &&L__JAL_LOCAL,
#define CINSN(id, mn, match, mask, cfmt, op) [OP__COUNT + OP_##op] = &&LC_##op,
#include "insn_table.def"
        [OP__COUNT + OP__BEQ_LOCAL] = &&LC__BEQ_LOCAL,
        [OP__COUNT + OP__BNE_LOCAL] = &&LC__BNE_LOCAL,
        [OP__COUNT + OP__JAL_LOCAL] = &&LC__JAL_LOCAL,
    };
#pragma GCC diagnostic pop
    uint64_t *const x = h->x;
    uint64_t pc = h->pc;                /* valid only on the way to refetch/out */
    int64_t budget;
    const struct dinsn *d;
    struct dpage *dp = NULL;
    uint64_t page = TLB_EMPTY;          /* virtual page of dp */
    uint64_t pcd = 0;                   /* CUR_PC = ((uintptr_t)d >> 3) + pcd */

    if (unlikely(h->ref_mode) && n > 0) {  /* once per call, never per instruction */
        n = 1;
        ref_mode_flush(h);
    }
    /* Armed execute or icount triggers (cpu/trigger.h): one instruction
     * per call, its pc looked at first. */
    bool triggers = unlikely(h->trig.exec || h->trig.icount) && n > 0;
    if (triggers) {
        n = 1;
        if (trig_before_insn(h))
            return 0;
    }
    if (unlikely(h->pmu.armed))         /* end the run where a counter overflows */
        n = pmu_clip(h, n);
    budget = n;
    h->run_len = n;
    h->budget = n;
    h->uncounted = 0;
    if (n <= 0)
        return 0;
#ifdef FPU_HOST
    fpu_host_reset();                   /* no host flags pending (FP_FOLD) */
#endif

#define RD   x[d->rd]
#define RS1  x[d->rs1]
#define RS2  x[d->rs2]
#define IMM  ((int64_t)d->imm)
/* The pc is implicit: slot i of a decoded page (16 bytes each) holds the
 * instruction at page + 2*i, so pc = page + (d - ins) * 2, which is
 * (d >> 3) plus a per-page constant. Sequential execution never updates it. */
#define CUR_PC (((uintptr_t)d >> 3) + pcd)
#define SYNC() (h->pc = CUR_PC, h->budget = budget)
#define FP_FOLD() hart_fp_fold(h)
/* After a helper: leave the loop after this instruction if it asked to. */
#define AFTER_HELPER() do { if (unlikely(h->yield)) { h->yield = false; \
        h->run_len -= budget - 1; budget = 1; } } while (0)
#define DISPATCH() do { TRACE_HOOK(); goto *labels[d->op]; } while (0)
/* Step over ILEN bytes of guest code = ILEN/2 slots of 16 bytes (ILEN is
 * a constant in each copy of the bodies, see the end of this function). */
#define NEXT() do { d = (const struct dinsn *)((const char *)d + ILEN * (sizeof *d / 2)); \
        if (unlikely(--budget <= 0)) goto out_here; else DISPATCH(); } while (0)
#define JUMP(target) do { uint64_t t_ = (target); \
        if (unlikely(--budget <= 0)) { pc = t_; goto out; } \
        else if (likely((t_ & ~0xfffull) == page)) { d = dcache_slot(dp, t_ & 0xfff); DISPATCH(); } \
        else { pc = t_; goto refetch; } } while (0)
/* A compressed instruction runs the LC_ copy of its op's body. */
#define COMPRESSED_FORM(w) do { struct dinsn *w_ = (w); \
        if (w_->len == 2 && labels[OP__COUNT + w_->op]) w_->op += OP__COUNT; } while (0)
/* A taken branch to a slot of the same decoded page (OP__*_LOCAL). */
#define JUMP_LOCAL() do { d = (const struct dinsn *)((const char *)d + d->imm); \
        if (unlikely(--budget <= 0)) goto out_here; else DISPATCH(); } while (0)
#define TRAP(cause, tval) do { SYNC(); hart_exception(h, cause, tval); goto trapped; } while (0)
#define ILLEGAL() TRAP(EXC_ILLEGAL, d->bits)

/* Loads and stores: a TLB hit is a compare and an add; the low bits of the
 * compared value make misaligned accesses miss. */
#define TLB_HIT(e, va, size) ((e)->tag == ((va) & (~0xfffull | ((size) - 1))))
#define LOAD(type) do { uint64_t va_ = RS1 + IMM; \
        const struct tlb_entry *e_ = &h->tlb_ld[(va_ >> 12) % TLB_SIZE]; \
        if (likely(TLB_HIT(e_, va_, sizeof(type)))) { type v_; \
            memcpy(&v_, (void *)(e_->addend + va_), sizeof v_); RD = v_; } \
        else { uint64_t v_; SYNC(); \
            if (mmu_load_slow(h, va_, sizeof(type), &v_)) goto trapped; \
            RD = (type)v_; AFTER_HELPER(); } \
        NEXT(); } while (0)
#define STORE(type) do { uint64_t va_ = RS1 + IMM; \
        const struct tlb_entry *e_ = &h->tlb_st[(va_ >> 12) % TLB_SIZE]; \
        if (likely(TLB_HIT(e_, va_, sizeof(type)))) { type v_ = RS2; \
            memcpy((void *)(e_->addend + va_), &v_, sizeof v_); } \
        else { SYNC(); \
            if (mmu_store_slow(h, va_, sizeof(type), RS2)) goto trapped; \
            AFTER_HELPER(); } \
        NEXT(); } while (0)
/* Host pointer for an AMO/SC (store TLB) or LR (load TLB). */
#define ATOMIC_PTR(p, kind, size, store) do { uint64_t va_ = RS1; \
        const struct tlb_entry *e_ = &h->tlb_##kind[(va_ >> 12) % TLB_SIZE]; \
        if (likely(TLB_HIT(e_, va_, size))) p = (void *)(e_->addend + va_); \
        else { SYNC(); p = mmu_atomic_ptr(h, va_, size, store); if (!p) goto trapped; } \
    } while (0)
#define AMO(type, expr) do { type *p_; ATOMIC_PTR(p_, st, sizeof(type), true); \
        type a_ = *p_, b_ = (type)RS2; (void)b_; *p_ = (expr); RD = a_; \
        NEXT(); } while (0)
#define CSR(opk, src, writes) do { uint64_t old_; SYNC(); FP_FOLD(); \
        if (csr_access(h, d->imm, opk, src, writes, &old_, d->bits)) goto trapped; \
        RD = old_; AFTER_HELPER(); NEXT(); } while (0)

/* dp is only ever replaced here, from the fill: a fill may recycle a
 * decoded page (mmu/dcache.c, the pool), so no dp survives one. */
refetch: {
        const struct tlb_fetch_entry *e = &h->tlb_fe[(pc >> 12) % TLB_SIZE];
        if (unlikely(e->tag != (pc & ~0xfffull))) {
            h->pc = pc;             /* d is not this instruction yet */
            h->budget = budget;
            if (!mmu_fetch_fill(h, pc))
                goto trapped;
            e = &h->tlb_fe[(pc >> 12) % TLB_SIZE];
        }
        dp = e->dp;
        page = pc & ~0xfffull;
        pcd = page - ((uintptr_t)dcache_slot(dp, 0) >> 3);
        d = dcache_slot(dp, pc & 0xfff);
        DISPATCH();
    }

trapped:
    pc = h->pc;
    h->uncounted++;
    if (--budget <= 0)
        goto out;
    if (unlikely(h->yield)) {       /* a trap loop to judge, or an exit */
        h->yield = false;
        goto out;
    }
    goto refetch;

out_here:
    pc = CUR_PC;
out:
    FP_FOLD();
    h->pc = pc;
    h->budget = budget;
    if (unlikely(triggers))
        trig_retired(h, hart_run_retired(h));
    return hart_run_retired(h);

/* ---- internal ops ------------------------------------------------------ */
/* The cache decodes the slot (and marks its page live): it comes back as
 * the op to run, or as OP__BREAK / OP__STRADDLE. Its compressed forms are
 * those this function has bodies for. */
L__DECODE:
    d = dcache_decode(h->core, dp, CUR_PC & 0xfff, labels + OP__COUNT);
    if (unlikely(h->core->log != NULL))
        log_decoded(h, CUR_PC, dp);
    DISPATCH();
L__STRADDLE: {
        uint16_t hi;
        const uint8_t *p = dcache_host(dp) + 0xffe;
        uint32_t lo = p[0] | p[1] << 8;
        SYNC();
        pc = h->pc;
        if (mmu_fetch_half(h, pc + 2, &hi))
            goto trapped;
        d = side_decode(h, lo | (uint32_t)hi << 16);    /* 32-bit: no compressed form */
        pcd = pc - ((uintptr_t)d >> 3);
        page = TLB_EMPTY;
        DISPATCH();
    }
/* A debugger breakpoint (monitor/break.c): stop before the instruction
 * (nothing retired), or run it decoded on the side as L__STRADDLE does. */
L__BREAK: {
        unsigned off = CUR_PC & 0xfff;
        const uint8_t *p = dcache_host(dp) + off;
        bool straddle;
        SYNC();
        pc = h->pc;
        if (core_break_hit(h->core, h, pc, p))
            goto out;
        uint32_t bits = dcache_bits(p, off, &straddle);
        if (straddle)
            goto L__STRADDLE;
        COMPRESSED_FORM(side_decode(h, bits));
        d = &h->tmp[0];
        pcd = pc - ((uintptr_t)d >> 3);
        page = TLB_EMPTY;
        DISPATCH();
    }
L__PAGE_END:
    pc = CUR_PC;
    goto refetch;
L__ILLEGAL:
    ILLEGAL();

/* The bodies, twice: for 32-bit instructions (L_op) and for compressed
 * ones (LC_op, op + OP__COUNT in a decoded slot), so NEXT() steps by a
 * constant. Only the compressed bodies the table refers to are kept. */
#define ILEN 4
#define OPL(name) L_##name
#include "ops_all.h"
#undef ILEN
#undef OPL
#define ILEN 2
#define OPL(name) LC_##name
#include "ops_all.h"
#undef ILEN
#undef OPL
}

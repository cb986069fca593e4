/*
 * Sdtrig: the trigger module a hart's own software programs through
 * tselect/tdata1-3/tinfo/tcontrol (RISC-V Debug Specification 1.0,
 * "Sdtrig"), with mcontrol6 address/data match triggers on execute, load
 * and store, icount, chains, and action 0 (a breakpoint exception; there
 * is no Debug Mode, so dmode is 0 and action 1 is not offered).
 *
 * Triggers cost nothing until one is armed: an armed execute or icount
 * trigger makes hart_run take one instruction per call and look at the pc
 * first (trig_before_insn); an armed load/store trigger keeps the data
 * TLBs empty, so every access reaches the slow paths, which ask
 * trig_access / trig_load_value. Fired triggers raise the exception
 * before the instruction retires (hit = 1, "before"): xepc is the
 * matching instruction, xtval the instruction's or the access's virtual
 * address, as the spec's mcontrol text and the privileged spec's
 * breakpoint tval rule say.
 */
#ifndef CPU_TRIGGER_H
#define CPU_TRIGGER_H
#include <stdbool.h>
#include <stdint.h>

#define TRIG_COUNT 4
enum { CSR_TSELECT = 0x7a0, CSR_TDATA1, CSR_TDATA2, CSR_TDATA3, CSR_TINFO, CSR_TCONTROL };

struct trigger {
    uint64_t tdata1, tdata2, tdata3;
};

struct triggers {
    struct trigger t[TRIG_COUNT];
    uint64_t tselect, tcontrol;
    /* derived from t[] on every write: which kinds are armed */
    bool exec, data, icount;
    /* icount: the mode the current instruction was fetched in, and
     * whether it matched already (once per instruction) */
    int fetch_priv;
    bool counted;
};

struct hart;

void trig_reset(struct triggers *tr);
/* tselect..tcontrol (0x7a0-0x7a5): false if csr is not one of them or
 * the access is not allowed (the caller raises illegal instruction). */
bool trig_csr_read(struct hart *h, unsigned csr, uint64_t *v);
bool trig_csr_write(struct hart *h, unsigned csr, uint64_t v);
/* A restored module (tselect, tcontrol, t[]): false if no writes could
 * have left it so. */
bool trig_set_state(struct hart *h, const struct triggers *in);
/* Recompute the armed flags after t[] changed (csr writes, a restore). */
void trig_rearm(struct hart *h);

/* Before the instruction at h->pc runs (only while exec or icount is
 * armed): true when a trigger fired and the exception was raised. */
bool trig_before_insn(struct hart *h);
/* After hart_run retired n instructions one at a time (icount). */
void trig_retired(struct hart *h, int64_t n);
/* A load or store of size bytes at va about to be performed (store: val is
 * the data): true when a trigger fired (the exception is raised). */
bool trig_access(struct hart *h, uint64_t va, unsigned size, bool store, uint64_t val);
/* An LR (store false) or an AMO/SC (a load and a store): address
 * triggers only, the data is not known when the host pointer is taken. */
bool trig_atomic(struct hart *h, uint64_t va, unsigned size, bool store);
/* A load's value, for triggers that match loaded data (select = 1). */
bool trig_load_value(struct hart *h, uint64_t va, unsigned size, uint64_t val);
/* A trap taken from mode from_priv (icount matches traps too). */
void trig_trap(struct hart *h, int from_priv);
/* tcontrol.mte/mpte on a trap into M and on mret. */
void trig_enter_m(struct hart *h);
void trig_mret(struct hart *h);
#endif

/*
 * A hart's architectural state in the save/restore stream (state.h):
 * integer and FP registers, pc, privilege, every CSR struct hart holds,
 * PMP, the LR reservation (as a guest-physical address), pending
 * interrupts (mip) and whether it waits in wfi. Not in it: TLBs, decoded
 * pages and the interpreter's bookkeeping, which restore rebuilds by
 * flushing. Lives in machine/ because cpu/ knows nothing of the stream.
 */
#ifndef MACHINE_HART_STATE_H
#define MACHINE_HART_STATE_H
#include <stdint.h>

struct hart;
struct bus;
struct state_out;
struct state_in;

#define HART_STATE_VERSION 3     /* 2: Sdtrig triggers; 3: hpm counters, events, cfgs */
void hart_state_save(const struct hart *h, struct bus *b, struct state_out *o);
/* 0, or -1 with the reason in the reader (a privilege that does not
 * exist, a reservation outside memory). */
int hart_state_restore(struct hart *h, struct bus *b, struct state_in *in);
#endif

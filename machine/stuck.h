/*
 * Runs that can never go on: a hart in a trap loop that nothing can
 * break, or every hart waiting in wfi for an interrupt nothing can raise.
 * A bounded run (a grader's batch, a fleet) must end instead of spinning
 * or sleeping for ever; a guest that can still be woken or still retries
 * after a fault that may change is never stopped. Both checks are
 * conservative: "stuck" means provably stuck.
 *
 *   exit status   EXIT_TRAP_LOOP  (122)  e.g. "hart 0: instruction access
 *                                         fault at 0x0 loops (mtvec 0x0
 *                                         points at no memory)"
 *                 EXIT_DEAD_WAIT  (121)  every hart waits in wfi and no
 *                                         enabled interrupt can come
 * Under the debugger the machine stops at its prompt instead.
 */
#ifndef MACHINE_STUCK_H
#define MACHINE_STUCK_H
#include <stdbool.h>
#include <stddef.h>

struct machine;
struct hart;

#define EXIT_DEAD_WAIT 121
#define EXIT_TRAP_LOOP 122

/* h repeated a trap at its own vector (h->repeat.suspect): true, with a
 * message in msg, when nothing outside h can ever change the outcome. */
bool stuck_trap_loop(struct machine *m, struct hart *h, char *msg, size_t len);
/* Every hart is in wfi: true, with a message, when no interrupt any hart
 * has enabled can still become pending. */
bool stuck_dead_wait(struct machine *m, char *msg, size_t len);
/* Why hart h waits or is stuck, for the debugger's `info harts` ("" when
 * it runs). */
void stuck_describe(struct machine *m, struct hart *h, char *buf, size_t len);
#endif

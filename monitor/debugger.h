/*
 * The debugger console (monitor/): what the rest of hartvm sees of it.
 *
 * main() hands the machine to debugger_main(), which either runs it
 * straight through (no debugger wanted) or drives it from a prompt. The
 * interpreter, the MMU and the run loop call the hooks below, and only
 * when the machine's counters say something is set (m->nbreak, m->nwatch,
 * m->single_insn), so a run without breakpoints pays nothing:
 *
 *   cpu/exec.c     L__DECODE  dbg_break_at    re-mark a re-decoded slot OP__BREAK
 *                  L__BREAK   dbg_break_hit   stop here, or run the real insn
 *   mmu/mmu.c      tlb_fill   dbg_watch_page  keep watched pages off the fast path
 *                  slow paths dbg_watch_access check a load/store against watchpoints
 *   machine.c      run_turn   dbg_trace_before/after  one line per instruction
 *   machine/events.h  a source: C-a c, Ctrl-C stop it at the next turn
 */
#ifndef MONITOR_DEBUGGER_H
#define MONITOR_DEBUGGER_H
#include <stdint.h>
#include <stdbool.h>

struct machine;
struct hart;
struct options;

/* Run the machine under the debugger (or plainly when none is wanted);
 * returns the process exit status. */
int debugger_main(struct machine *m);

/* Is there a breakpoint on the instruction whose bytes are at host? */
bool dbg_break_at(struct machine *m, const uint8_t *host);
/* Hart h reached a breakpoint slot at pc (bytes at host): true to stop
 * before executing it. */
bool dbg_break_hit(struct hart *h, uint64_t pc, const uint8_t *host);
/* Must the page (virtual va, physical pa) stay out of the data TLBs? */
bool dbg_watch_page(struct machine *m, uint64_t va, uint64_t pa);
/* A slow-path data access; stores are reported before memory changes. */
void dbg_watch_access(struct hart *h, uint64_t va, uint64_t pa, unsigned size, bool store,
                      uint64_t val);
/* Around each one-instruction run while m->single_insn is set. */
void dbg_trace_before(struct machine *m, struct hart *h);
void dbg_trace_after(struct machine *m, struct hart *h, int64_t retired);

#endif

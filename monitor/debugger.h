/*
 * The debugger console (monitor/): what the rest of hartvm sees of it.
 *
 * main() hands the machine to debugger_main(), which either runs it
 * straight through (no debugger wanted) or drives it from a prompt. While
 * it does, the debugger is attached to the machine's core (monitor/hooks.c
 * fills in cpu/hooks.h): the interpreter, the MMU and the run loop call it
 * through those hooks, and only when the core's counters say something is
 * set (core.nbreak, core.nwatch) or the run loop traces (m->single_insn),
 * so a run without breakpoints pays nothing:
 *
 *   mmu/dcache.c   decoding   break_at      re-mark a re-decoded slot OP__BREAK
 *   cpu/exec.c     L__BREAK   break_hit     stop here, or run the real insn
 *   mmu/mmu.c      tlb_fill   watch_page    keep watched pages off the fast path
 *                  slow paths watch_access  check a load/store against watchpoints
 *   machine.c      run_turn   trace_before/after  one line per instruction
 *   machine/events.h  a source: C-a c, Ctrl-C stop it at the next turn
 */
#ifndef MONITOR_DEBUGGER_H
#define MONITOR_DEBUGGER_H
#include <stdint.h>
#include <stdbool.h>

struct machine;

/* Run the machine under the debugger (or plainly when none is wanted);
 * returns the process exit status. */
int debugger_main(struct machine *m);

#endif

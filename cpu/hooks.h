/*
 * What the core (cpu/, mmu/) asks of, or tells, the world above it, in
 * one place. The core includes nothing from the board (machine/), the
 * debugger (monitor/) or the window (ui/); they fill these in instead:
 *
 *   the board (machine/core_wiring.c)
 *     mtime         the time CSR (csr.c)
 *     semihost      an ebreak that may be a semihosting call (hart_ebreak); NULL
 *                   without -semihosting
 *   the debugger (monitor/hooks.c), while attached
 *     break_at      re-mark a re-decoded slot OP__BREAK (dcache.c)
 *     break_hit     stop at a breakpoint slot, or run the instruction (exec.c)
 *     watch_page    keep watched pages out of the data TLBs (mmu.c)
 *     watch_access  a slow-path load or store against the watchpoints (mmu.c)
 *     trace_before/after  around each one-instruction run (the run loop)
 *     translation_changed  satp, a global fence or the privilege changed (mmu.c):
 *                   retry breakpoints whose address had no translation yet
 *
 * The debugger's hooks are NULL while none is attached, and the core calls
 * them only while struct core's counters (nbreak, nwatch) say something
 * is set: the test is a plain load, so a run without breakpoints pays
 * nothing. The inline wrappers in core.h do both tests.
 */
#ifndef CPU_HOOKS_H
#define CPU_HOOKS_H
#include <stdint.h>
#include <stdbool.h>

struct hart;

struct core_hooks {
    void *board;                /* handed to the board's hooks */
    uint64_t (*mtime)(void *board);
    /* Hart h is at an ebreak: true if the board served it as a semihosting
     * call (h->pc then past the sequence), false for a breakpoint trap. */
    bool (*semihost)(void *board, struct hart *h);

    void *dbg;                  /* handed to the debugger's hooks */
    /* Is there a breakpoint on the instruction whose bytes are at host? */
    bool (*break_at)(void *dbg, const uint8_t *host);
    /* Hart h reached a breakpoint slot at pc (bytes at host): true to stop
     * before executing it. */
    bool (*break_hit)(void *dbg, struct hart *h, uint64_t pc, const uint8_t *host);
    /* Must the page (virtual va, physical pa) stay out of the data TLBs? */
    bool (*watch_page)(void *dbg, uint64_t va, uint64_t pa);
    /* A slow-path data access; stores are reported before memory changes. */
    void (*watch_access)(void *dbg, struct hart *h, uint64_t va, uint64_t pa, unsigned size,
                         bool store, uint64_t val);
    /* Around each one-instruction run of the debugger's trace. */
    void (*trace_before)(void *dbg, struct hart *h);
    void (*trace_after)(void *dbg, struct hart *h, int64_t retired);
    /* Hart h's translation may now map what it did not (a satp write, a
     * global sfence.vma, a privilege change); only while core.npending. */
    void (*translation_changed)(void *dbg, struct hart *h);
};

#endif

/*
 * The traced interpreter: cpu/exec.c compiled a second time as
 * hart_run_trace, with a hook in DISPATCH() that hands every instruction
 * to trace_digest_insn() (cpu/trace_digest.c). The instruction bodies and
 * the fast paths are the same source as hart_run's; hart_run itself
 * carries no hook. The machine runs this one under --trace-digest, in
 * the fast mode and in the reference mode (--no-fast-paths) alike, and
 * for -d cpu (cpu/log.c).
 *
 * DISPATCH() is also reached for the executor's internal ops, which are
 * not instructions: a slot still to decode (OP__DECODE, which dispatches
 * again once decoded), the page-end sentinel, the straddle and breakpoint
 * detours (each dispatches the real instruction afterwards). These are
 * skipped. OP__ILLEGAL is kept: an illegal encoding is fetched and traps
 * in both modes, like an ecall or a faulting load, and is traced like one.
 */
#include "trace_digest.h"
#include "hart.h"
#include "core.h"
#include "log.h"

#define TRACE_SKIPPED(op) ((op) == OP__DECODE || (op) == OP__PAGE_END || \
                           (op) == OP__STRADDLE || (op) == OP__BREAK)
#define HART_RUN_NAME hart_run_trace

/* The digest (--trace-digest) and -d cpu (cpu/log.c), whichever is on. */
static void traced(struct hart *h, uint64_t pc, const struct dinsn *d)
{
    if (h->core->trace->out)
        trace_digest_insn(h, pc, d);
    if (qlog_on(h->core->log, LOG_TRACED))
        qlog_exec(h, pc, d);
}
/* FP_FOLD: the digest hashes fflags, which the RNE fast path leaves in
 * the host's MXCSR until a fold (cpu/fpu.h). */
#define TRACE_HOOK() do { if (!TRACE_SKIPPED(d->op)) { FP_FOLD(); traced(h, CUR_PC, d); } } while (0)
#include "exec.c"

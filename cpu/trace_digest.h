/*
 * Instruction-trace digests (--trace-digest N, --trace-file F).
 *
 * The traced interpreter (cpu/exec_trace.c: cpu/exec.c compiled a second
 * time as hart_run_trace) calls trace_digest_insn() for every instruction
 * it dispatches, in the fast mode and in the reference mode
 * (--no-fast-paths) alike. Each one is folded into a running 64-bit hash:
 *
 *     hash = fold(hash, hart id, pc, raw encoding)
 *
 * An instruction that traps (illegal, page fault, ecall) is counted like
 * any other: it was fetched and dispatched in both modes. Every N
 * instructions, counted over the whole machine in execution order, one
 * line is written:
 *
 *     <count> h<hart> pc=<pc> insn=<bits> hash=<running> regs=<state> <disassembly>
 *
 * count is the number of traced instructions so far (this one included);
 * regs hashes the hart's architectural state before the instruction
 * executes (x1..x31, f0..f31, fflags, frm, privilege). When the machine is
 * freed a last line "end <count> hash=<running>" follows. Every interrupt
 * taken adds a line, whatever N:
 *
 *     irq <count> h<hart> cause=<xcause> epc=<interrupted pc>
 *
 * count being the instructions traced before it. Two runs execute the same
 * instructions with the same state, interrupted at the same points, when
 * their files are identical; N = 1 is a full instruction trace.
 */
#ifndef CPU_TRACE_DIGEST_H
#define CPU_TRACE_DIGEST_H
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>
#include <stdbool.h>

struct hart;
struct dinsn;

struct trace_digest {
    FILE *out;                  /* NULL: tracing off */
    bool own;                   /* out was opened here (not stderr) */
    uint64_t every;             /* a line every `every` instructions */
    uint64_t count;             /* instructions traced so far */
    uint64_t next;              /* count at which the next line is due */
    uint64_t hash;              /* running hash of (hart, pc, bits) */
};

/* The running hash after one more instruction. */
static inline uint64_t trace_digest_fold(uint64_t hash, unsigned hart, uint64_t pc, uint32_t bits)
{
    /* Two rounds of multiply-xorshift: every input bit reaches every
     * output bit, and the order of instructions matters. */
    hash = (hash ^ pc) * 0x9e3779b97f4a7c15ull;
    hash ^= hash >> 29;
    hash = (hash ^ ((uint64_t)hart << 32 | bits)) * 0xbf58476d1ce4e5b9ull;
    hash ^= hash >> 32;
    return hash;
}

/* Start tracing to path (NULL or "-": stderr), a line every `every`
 * instructions. 0, or -1 with the reason in err. */
int trace_digest_open(struct trace_digest *t, const char *path, uint64_t every,
                      char *err, size_t errlen);
/* The closing line, then the file is closed. Harmless when off. */
void trace_digest_close(struct trace_digest *t);
/* Hash of hart h's architectural register state (x, f, fcsr, privilege). */
uint64_t trace_digest_regs(const struct hart *h);
/* Hart h has just taken an interrupt (the run loop, machine/machine.c). */
void trace_digest_irq(struct hart *h);
/* One dispatched instruction d at pc on hart h (the hook of exec_trace.c). */
void trace_digest_insn(struct hart *h, uint64_t pc, const struct dinsn *d);

/* The traced interpreter: hart_run with trace_digest_insn called for
 * every instruction (cpu/exec_trace.c). */
int64_t hart_run_trace(struct hart *h, int64_t n);

#endif

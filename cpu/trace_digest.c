/*
 * Instruction-trace digests: the running hash and the lines of
 * --trace-digest N (format in trace_digest.h). The reference-mode test
 * (tests/system/refmode_trace.sh) compares these files between a run
 * through the fast paths and one with --no-fast-paths.
 */
#include "trace_digest.h"
#include "hart.h"
#include "core.h"
#include <errno.h>
#include <string.h>

int trace_digest_open(struct trace_digest *t, const char *path, uint64_t every,
                      char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (!every)
        return 0;
    if (path && strcmp(path, "-")) {
        t->out = fopen(path, "w");
        if (!t->out) {
            snprintf(err, errlen, "--trace-file %s: %s", path, strerror(errno));
            return -1;
        }
        t->own = true;
    } else {
        t->out = stderr;
    }
    t->every = every;
    t->next = every;
    return 0;
}

void trace_digest_close(struct trace_digest *t)
{
    if (!t->out)
        return;
    fprintf(t->out, "end %llu hash=%016llx\n", (unsigned long long)t->count,
            (unsigned long long)t->hash);
    if (t->own)
        fclose(t->out);
    else
        fflush(t->out);
    t->out = NULL;
}

uint64_t trace_digest_regs(const struct hart *h)
{
    uint64_t r = trace_digest_fold(0, h->id, (uint64_t)h->priv, h->fflags | h->frm << 5);
    for (int i = 1; i < 32; i++)        /* x0 is zero; x[32] is the write sink */
        r = trace_digest_fold(r, 0, h->x[i], (uint32_t)i);
    for (int i = 0; i < 32; i++)
        r = trace_digest_fold(r, 1, h->f[i], (uint32_t)i);
    return r;
}

void trace_digest_irq(struct hart *h)
{
    struct trace_digest *t = h->core->trace;
    bool m_mode = h->priv == PRV_M;     /* where the trap went */
    fprintf(t->out, "irq %llu h%u cause=%016llx epc=%016llx\n", (unsigned long long)t->count,
            h->id, (unsigned long long)(m_mode ? h->mcause : h->scause),
            (unsigned long long)(m_mode ? h->mepc : h->sepc));
}

/* Called for every traced instruction; a line only every t->every. */
void trace_digest_insn(struct hart *h, uint64_t pc, const struct dinsn *d)
{
    struct trace_digest *t = h->core->trace;
    t->hash = trace_digest_fold(t->hash, h->id, pc, d->bits);
    if (++t->count < t->next)
        return;
    t->next += t->every;
    /* d may be a rewritten form (a same-page branch, a compressed body):
     * the disassembly comes from the raw bits. */
    struct dinsn raw;
    char text[96];
    insn_decode(d->bits, &raw);
    insn_disasm(&raw, pc, text, sizeof text);
    fprintf(t->out, "%llu h%u pc=%016llx insn=%08x hash=%016llx regs=%016llx %s\n",
            (unsigned long long)t->count, h->id, (unsigned long long)pc, d->bits,
            (unsigned long long)t->hash, (unsigned long long)trace_digest_regs(h), text);
}

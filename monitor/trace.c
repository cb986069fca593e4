/*
 * Instruction trace: one line per retired instruction while on.
 *
 *   hart privilege pc bits disassembly [register written = value]
 *   0 M 0x0000000080000004 00000297 auipc t0,0x0 t0=0x0000000080000004
 *
 * While tracing, the run loop gives each hart runs of one instruction
 * (m->single_insn) and calls dbg_trace_before/after around each; a run
 * that retires nothing took a trap, printed as such. Slow, and only paid
 * while the trace is on.
 */
#include "dbg.h"
#include <stdlib.h>
#include <string.h>

int trace_start(struct debugger *d, const char *path, char *err, size_t errlen)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
    if (!f) {
        snprintf(err, errlen, "%s: cannot open for writing", path);
        return -1;
    }
    trace_stop(d);
    d->trace = f;
    d->trace_path = strdup(path);
    d->m->single_insn = true;
    return 0;
}

void trace_stop(struct debugger *d)
{
    if (d->trace && d->trace != stdout)
        fclose(d->trace);
    else if (d->trace)
        fflush(stdout);
    d->trace = NULL;
    free(d->trace_path);
    d->trace_path = NULL;
    d->m->single_insn = false;
}

void dbg_trace_before(void *ctx, struct hart *h)
{
    struct debugger *d = ctx;
    if (!d->trace)
        return;
    d->trace_pc = h->pc;
    d->trace_priv = h->priv;
    d->trace_fetched = dbg_fetch_insn(d, h, h->pc, &d->trace_bits) == 0;
}

/* The integer or FP register the instruction writes, if any. */
static void written(const struct dinsn *di, struct hart *h, char *buf, size_t len)
{
    static const char *const fname[32] = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
        "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };
    buf[0] = 0;
    if (di->op >= OP__DECODE)
        return;
    enum insn_format f = insn_table[di->op].fmt;
    switch (f) {
    case F_R: case F_I: case F_SH: case F_L: case F_U: case F_J: case F_JALR: case F_CSR:
    case F_CSRI: case F_AMO: case F_LR: case F_R1: case F_FX: case F_FCMP:
        if (di->rd != 0 && di->rd != X_SINK)
            snprintf(buf, len, " %s=0x%016llx", dbg_xreg_names[di->rd], (unsigned long long)h->x[di->rd]);
        break;
    case F_FL: case F_FR: case F_FR2: case F_FR1: case F_FR4: case F_XF:
        snprintf(buf, len, " %s=0x%016llx", fname[di->rd & 31], (unsigned long long)h->f[di->rd & 31]);
        break;
    default:
        break;
    }
}

void dbg_trace_after(void *ctx, struct hart *h, int64_t retired)
{
    struct debugger *d = ctx;
    if (!d->trace)
        return;
    char text[96] = "<cannot fetch>", reg[64] = "", hex[12] = "????????";
    if (d->trace_fetched) {
        struct dinsn di;
        memset(&di, 0, sizeof di);
        int len = insn_decode(d->trace_bits, &di);
        insn_disasm(&di, d->trace_pc, text, sizeof text);
        dbg_untab(text, sizeof text);
        snprintf(hex, sizeof hex, len == 2 ? "%04x" : "%08x", len == 2 ? d->trace_bits & 0xffff : d->trace_bits);
        if (retired > 0)
            written(&di, h, reg, sizeof reg);
    }
    fprintf(d->trace, "%u %s 0x%016llx %-8s %s%s", h->id, priv_name(d->trace_priv),
            (unsigned long long)d->trace_pc, hex, text, reg);
    if (retired <= 0)
        fprintf(d->trace, " -> trap to %s-mode, cause 0x%llx", priv_name(h->priv),
                (unsigned long long)(h->priv == PRV_M ? h->mcause : h->scause));
    fputc('\n', d->trace);
}

/*
 * The guest log (-d ITEM,..., -D FILE): the items, and the lines whose
 * format follows QEMU 7.2's riscv target (cpu_helper.c's trap line,
 * translator's "IN:" blocks, cpu.c's register dump). What calls each
 * item is listed in log.h.
 */
#include "log.h"
#include "hart.h"
#include "core.h"
#include "insn.h"
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
    const char *help;
} items[] = {
    { "in_asm", LOG_IN_ASM, "show target assembly code for each decoded code range" },
    { "int", LOG_INT, "show interrupts/exceptions in short format" },
    { "exec", LOG_EXEC, "show trace before each executed code range (lots of logs)" },
    { "cpu", LOG_CPU, "show CPU registers before entering a code range (lots of logs)" },
    { "fpu", LOG_FPU, "include FPU registers in the 'cpu' logging" },
    { "mmu", LOG_MMU, "log MMU-related activities" },
    { "unimp", LOG_UNIMP, "log unimplemented functionality" },
    { "guest_errors", LOG_GUEST_ERROR, "log when the guest OS does something invalid (eg accessing a\n"
                                       "non-existent register)" },
    { "nochain", LOG_NOCHAIN, "accepted: code ranges are never chained, so 'exec' and 'cpu'\n"
                              "show complete traces" },
    /* QEMU's items with no meaning in an interpreter of a whole system:
     * accepted, not honoured (bit 0) */
    { "out_asm", 0, "accepted, not honoured: no host code is generated" },
    { "op", 0, "accepted, not honoured: no TCG micro ops" },
    { "op_opt", 0, "accepted, not honoured: no TCG micro ops" },
    { "op_ind", 0, "accepted, not honoured: no TCG micro ops" },
    { "pcall", 0, "accepted, not honoured: x86 only" },
    { "cpu_reset", LOG_CPU_RESET, "show CPU state before CPU resets" },
    { "page", 0, "accepted, not honoured: user mode only" },
    { "strace", 0, "accepted, not honoured: user mode only" },
    { "plugin", 0, "accepted, not honoured: no TCG plugins" },
};
#define NITEMS (sizeof items / sizeof items[0])

int qlog_parse(const char *s, unsigned *mask, char *why, size_t whylen)
{
    int r = 0;
    *mask = 0;
    why[0] = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        size_t i = 0;
        while (i < NITEMS && (strlen(items[i].name) != len || strncmp(items[i].name, s, len)))
            i++;
        if (i == NITEMS) {
            snprintf(why, whylen, "unknown log item '%.*s' ('-d help' lists them)", (int)len, s);
            return -1;
        }
        *mask |= items[i].bit;
        if (!items[i].bit) {            /* named in why, comma separated */
            size_t used = strlen(why);
            snprintf(why + used, whylen - used, "%s%s", r ? "," : "", items[i].name);
            r = 1;
        }
        s += len + (s[len] == ',');
    }
    return r;
}

void qlog_help(FILE *out)
{
    fputs("Log items (comma separated):\n", out);
    for (size_t i = 0; i < NITEMS; i++)
        fprintf(out, "%-15s %s\n", items[i].name, items[i].help);
}

int qlog_open(struct qlog *l, unsigned mask, const char *path, char *err, size_t errlen)
{
    *l = (struct qlog){ .out = stderr, .mask = mask };
    if (!path)
        return 0;
    /* QEMU opens -D FILE even with nothing to log */
    if (!(l->out = fopen(path, "w"))) {
        snprintf(err, errlen, "-D %s: %s", path, strerror(errno));
        return -1;
    }
    l->own = true;
    /* fully buffered, written out at exit (qlog_close): a line at a time,
     * -d cpu would spend more in write(2) than in the guest */
    setvbuf(l->out, NULL, _IOFBF, 1 << 16);
    return 0;
}

void qlog_close(struct qlog *l)
{
    if (l->own && l->out)
        fclose(l->out);
    else if (l->out)
        fflush(l->out);
    l->out = NULL;
    l->mask = 0;
}

void qlog_printf(struct qlog *l, unsigned item, const char *fmt, ...)
{
    if (!qlog_on(l, item))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(l->out, fmt, ap);
    va_end(ap);
}

/* QEMU's names of the causes (riscv_excp_names, riscv_intr_names). */
static const char *trap_name(uint64_t code, bool irq)
{
    static const char *const exc[16] = {
        "misaligned_fetch", "fault_fetch", "illegal_instruction", "breakpoint",
        "misaligned_load", "fault_load", "misaligned_store", "fault_store", "user_ecall",
        "supervisor_ecall", "hypervisor_ecall", "machine_ecall", "exec_page_fault",
        "load_page_fault", "reserved", "store_page_fault",
    };
    /* QEMU 7.2's table ends with 12..15 "reserved": LCOFI (13) is one */
    static const char *const intr[16] = {
        "u_software", "s_software", "vs_software", "m_software", "u_timer", "s_timer",
        "vs_timer", "m_timer", "u_external", "s_external", "vs_external", "m_external",
        "reserved", "reserved", "reserved", "reserved",
    };
    if (irq)
        return code < 16 ? intr[code] : "(unknown)";
    return code < 16 ? exc[code] : "(unknown)";
}

void qlog_trap(struct hart *h, uint64_t cause, uint64_t tval)
{
    bool irq = cause >> 63;
    uint64_t code = cause & ~(1ull << 63);
    fprintf(h->core->log->out, "riscv_cpu_do_interrupt: hart:%u, async:%d, cause:%016" PRIx64
            ", epc:0x%016" PRIx64 ", tval:0x%016" PRIx64 ", desc=%s\n", h->id, irq, code, h->pc,
            tval, trap_name(code, irq));
}

bool qlog_ends_block(uint32_t bits)
{
    if ((bits & 3) == 3) {
        unsigned opc = bits & 0x7f;     /* BRANCH, JAL, JALR, SYSTEM, MISC-MEM (fence.i) */
        return opc == 0x63 || opc == 0x6f || opc == 0x67 || opc == 0x73 ||
               (opc == 0x0f && ((bits >> 12) & 7) == 1);
    }
    unsigned q = bits & 3, f3 = (bits >> 13) & 7;
    if (q == 1)                         /* c.j, c.beqz, c.bnez */
        return f3 == 5 || f3 == 6 || f3 == 7;
    /* c.jr, c.jalr, c.ebreak: funct3 4, rs2 0 */
    return q == 2 && f3 == 4 && ((bits >> 2) & 0x1f) == 0;
}

/* "mnemonic\toperands" (the disassembler's) in QEMU's columns. */
static void print_insn(FILE *out, uint64_t pc, const struct dinsn *d)
{
    char text[96], hex[12];
    insn_disasm(d, pc, text, sizeof text);
    char *ops = strchr(text, '\t');
    if (ops)
        *ops++ = 0;
    snprintf(hex, sizeof hex, d->len == 2 ? "%04x" : "%08x", d->bits);
    fprintf(out, "0x%016" PRIx64 ":  %-18s%-24s%s\n", pc, hex, text, ops ? ops : "");
}

void qlog_decoded(struct hart *h, uint64_t pc, const uint8_t *page, unsigned off)
{
    if (pc >= h->log_lo && pc < h->log_hi)
        return;
    FILE *out = h->core->log->out;
    fprintf(out, "----------------\nIN: \nPriv: %d; Virt: 0\n", h->priv);
    h->log_lo = pc;
    /* to the first control transfer, or the last whole instruction of the page */
    while (off + 2 <= 4096) {
        uint32_t bits = page[off] | page[off + 1] << 8;
        int len = insn_length(bits);
        if (off + len > 4096)
            break;
        if (len == 4)
            bits |= (uint32_t)(page[off + 2] | page[off + 3] << 8) << 16;
        struct dinsn d;
        insn_decode(bits, &d);
        print_insn(out, pc, &d);
        pc += len;
        off += len;
        if (qlog_ends_block(bits) || d.op == OP__ILLEGAL)   /* it traps */
            break;
    }
    h->log_hi = pc;
    fputc('\n', out);
}

/* The registers as QEMU's riscv_cpu_dump_state prints them for a hart
 * without H. */
static void dump_regs(const struct hart *h, uint64_t pc, bool fpu, FILE *out)
{
    static const char *const abi[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
        "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
        "t3", "t4", "t5", "t6",
    };
    static const char *const fabi[32] = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
        "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };
    const struct { const char *name; uint64_t v; } csr[] = {
        { "pc", pc }, { "mhartid", h->id }, { "mstatus", h->mstatus }, { "mip", h->mip },
        { "mie", h->mie }, { "mideleg", h->mideleg }, { "medeleg", h->medeleg },
        { "mtvec", h->mtvec }, { "stvec", h->stvec }, { "mepc", h->mepc }, { "sepc", h->sepc },
        { "mcause", h->mcause }, { "scause", h->scause }, { "mtval", h->mtval },
        { "stval", h->stval }, { "mscratch", h->mscratch }, { "sscratch", h->sscratch },
        { "satp", h->satp },
    };
    for (size_t i = 0; i < sizeof csr / sizeof csr[0]; i++)
        fprintf(out, " %-8s %016" PRIx64 "\n", csr[i].name, csr[i].v);
    for (int i = 0; i < 32; i++) {
        char name[24];
        snprintf(name, sizeof name, "x%d/%s", i, abi[i]);
        fprintf(out, " %-8s %016" PRIx64 "%s", name, i ? h->x[i] : 0, i % 4 == 3 ? "\n" : "");
    }
    for (int i = 0; fpu && i < 32; i++) {
        char name[24];
        snprintf(name, sizeof name, "f%d/%s", i, fabi[i]);
        fprintf(out, " %-8s %016" PRIx64 "%s", name, h->f[i], i % 4 == 3 ? "\n" : "");
    }
}

void qlog_cpu_reset(struct qlog *l, const struct hart *h, unsigned id)
{
    fprintf(l->out, "CPU Reset (CPU %u)\n", id);
    dump_regs(h, h->pc, l->mask & LOG_FPU, l->out);
}

void qlog_exec(struct hart *h, uint64_t pc, const struct dinsn *d)
{
    const struct qlog *l = h->core->log;
    /* exec: QEMU's "Trace cpu: tb [cs_base/pc/flags/cflags]"; the decoded
     * slot stands for the translation block, the privilege for its flags */
    if (pc != h->log_next && (l->mask & LOG_EXEC))
        fprintf(l->out, "Trace %u: %p [%016" PRIx64 "/%016" PRIx64 "/%08x/%08x] \n", h->id,
                (const void *)d, (uint64_t)0, pc, (unsigned)h->priv, 0u);
    if (pc != h->log_next && (l->mask & LOG_CPU))
        dump_regs(h, pc, l->mask & LOG_FPU, l->out);
    h->log_next = qlog_ends_block(d->bits) ? ~0ull : pc + d->len;
}

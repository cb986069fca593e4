/*
 * The guest log of -d ITEM,... and -D FILE, with QEMU's item names and,
 * where QEMU has one, its line format. Every item hangs off a slow path
 * or the traced interpreter, never the fast loop:
 *
 *   int           a line per trap taken (cpu/trap.c), QEMU's riscv format
 *   guest_errors  accesses to no device, accesses a device refuses (mmu/),
 *                 unimplemented CSRs (cpu/csr.c), bad device registers
 *   unimp         device features the board does not model (machine/dev/)
 *   in_asm        an "IN:" block per decoded code range: when the decoded-
 *                 instruction cache first decodes an instruction outside
 *                 the hart's last block, the range from it to the next
 *                 control transfer or the page end (cpu/exec.c, L__DECODE)
 *   cpu           the registers before each executed block (the traced
 *                 interpreter, cpu/exec_trace.c); fpu adds the F registers
 *   exec          a "Trace" line before each executed block (the same)
 *   nochain       accepted: our blocks are never chained, so cpu and exec
 *                 see every one
 *   mmu           each translation the slow paths make (mmu/mmu.c)
 *   cpu_reset     the registers of each hart before it is reset (machine.c)
 *
 * The core reaches it through struct core's log pointer; NULL or a zero
 * mask is off.
 */
#ifndef CPU_LOG_H
#define CPU_LOG_H
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

enum {
    LOG_INT = 1 << 0, LOG_GUEST_ERROR = 1 << 1, LOG_UNIMP = 1 << 2,
    LOG_IN_ASM = 1 << 3, LOG_CPU = 1 << 4, LOG_MMU = 1 << 5,
    LOG_EXEC = 1 << 6, LOG_FPU = 1 << 7, LOG_NOCHAIN = 1 << 8, LOG_CPU_RESET = 1 << 9,
    LOG_TRACED = LOG_CPU | LOG_EXEC,    /* the items that need the traced interpreter */
};

struct hart;
struct dinsn;

struct qlog {
    FILE *out;                  /* stderr unless -D FILE */
    bool own;
    unsigned mask;              /* LOG_* items on */
};

static inline bool qlog_on(const struct qlog *l, unsigned item)
{
    return l && (l->mask & item);
}

/* "int,cpu" into *mask: 0; 1 when items QEMU has but hartvm cannot honour
 * were named (listed in why, comma separated); -1 with the reason in why. */
int qlog_parse(const char *items, unsigned *mask, char *why, size_t whylen);
/* -d help: the items, as QEMU lists them. */
void qlog_help(FILE *out);
/* Open -D path (NULL: stderr) for mask: 0, or -1 with the reason in err. */
int qlog_open(struct qlog *l, unsigned mask, const char *path, char *err, size_t errlen);
void qlog_close(struct qlog *l);
/* One line, when item is on. */
void qlog_printf(struct qlog *l, unsigned item, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* int: hart h takes trap cause at h->pc with tval (before entering it). */
void qlog_trap(struct hart *h, uint64_t cause, uint64_t tval);
/* in_asm: the instruction at pc (bytes at host, page offset off) was just
 * decoded; print its block unless the hart's last one holds it. */
void qlog_decoded(struct hart *h, uint64_t pc, const uint8_t *page, unsigned off);
/* cpu_reset: hart number id is about to be reset (h may be all zero). */
void qlog_cpu_reset(struct qlog *l, const struct hart *h, unsigned id);
/* cpu, exec: the traced interpreter dispatches d at pc. */
void qlog_exec(struct hart *h, uint64_t pc, const struct dinsn *d);
/* Does the instruction with these bits end a block (branch, jump, system)? */
bool qlog_ends_block(uint32_t bits);

#endif

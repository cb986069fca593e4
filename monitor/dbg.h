/*
 * The debugger's own state and the helpers its files share. One struct
 * debugger per machine (m->dbg); nothing global but the Ctrl-C flag that
 * a signal handler must be able to reach (debugger.c).
 */
#ifndef MONITOR_DBG_H
#define MONITOR_DBG_H
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "debugger.h"
#include "../machine/machine.h"
#include "../mmu/mmu.h"

/* ---- symbols (symbols.c) ---------------------------------------------- */
struct symbol {
    uint64_t addr, size;
    char *name;
};
struct symtab {
    struct symbol *v;           /* sorted by address */
    size_t n, cap;
};
/* Add the ELF symbols of path, moved by offset; returns how many, or -1
 * with err set. */
int sym_load(struct symtab *t, const char *path, uint64_t offset, char *err, size_t errlen);
void sym_free(struct symtab *t);
const struct symbol *sym_by_name(const struct symtab *t, const char *name);
/* The symbol containing addr (or the nearest below it within 64 KiB when
 * sizes are unknown); *off = addr - symbol. NULL if none. */
const struct symbol *sym_by_addr(const struct symtab *t, uint64_t addr, uint64_t *off);
/* "name" or "name+0x10" for addr into buf; "" if no symbol. */
const char *sym_format(const struct symtab *t, uint64_t addr, char *buf, size_t len);

/* ---- breakpoints and watchpoints ---------------------------------------- */
#define DBG_MAX_BREAKS 64
#define DBG_MAX_WATCHES 16

struct breakpoint {
    int num;                    /* 0: free slot */
    uint64_t va;                /* compared with pc */
    uint64_t pa;
    const uint8_t *host;        /* bytes of the instruction: the decoded slot's identity */
    bool temp;                  /* tbreak, or internal (num < 0: next/finish/until) */
    bool pending;               /* va has no translation yet: no pa, no host, no mark */
    int hart;                   /* only this hart stops, -1 any */
    char *cond;                 /* stop only when this expression is non-zero */
    uint64_t hits;
};

struct watchpoint {
    int num;
    bool physical;              /* addr is physical (xp-style), else virtual */
    bool reads;                 /* rwatch: loads; watch: stores */
    uint64_t addr, len;
    uint64_t pa;                /* physical address of addr (virtual watches: at set time) */
    uint64_t hits;
};

/* Why the machine stopped last. */
enum stop_kind { STOP_NONE, STOP_BREAK, STOP_WATCH, STOP_USER, STOP_STEP, STOP_EXITED };

/* ---- the debugger ------------------------------------------------------ */
struct debugger {
    struct machine *m;
    int cur;                    /* selected hart */
    struct symtab syms;
    struct breakpoint brk[DBG_MAX_BREAKS];
    struct watchpoint wat[DBG_MAX_WATCHES];
    int next_num;               /* numbers of breakpoints and watchpoints, shared as gdb does */
    bool skip[MAX_HARTS];       /* resume past the breakpoint at skip_pc once */
    uint64_t skip_pc[MAX_HARTS];
    bool stepping;              /* single steps ignore breakpoints */

    /* the last stop */
    enum stop_kind stop;
    int stop_hart;
    const struct breakpoint *stop_brk;
    char stop_msg[256];

    /* the machine ended: no more running */
    bool exited;
    int exit_status;
    bool quit;                  /* leave the command loop */

    /* input */
    bool interactive;           /* readline on a terminal */
    FILE *script;               /* --debug-script FILE, until its end */
    bool stdin_cmds;            /* then commands from stdin */
    bool console_tty;           /* the guest console reads the same terminal */
    int value_num;              /* $N of print */

    /* trace */
    FILE *trace;
    char *trace_path;
    uint64_t trace_pc;
    int trace_priv;
    uint32_t trace_bits;
    bool trace_fetched;

    /* output of commands: NULL for stdout (the gdb stub's qRcmd captures it) */
    FILE *out;
    int stop_watch;             /* the watchpoint (index in wat) of a STOP_WATCH */
    uint64_t stop_pc;           /* ... and the pc of the instruction that made the access */
    struct gdbstub *gdb;        /* the gdb remote stub (gdbstub.c), or NULL */

    /* stats */
    uint64_t stops, steps, break_hits, watch_hits;
};

/* debugger.c: execution control */
void dbg_printf(struct debugger *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dbg_error(struct debugger *d, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct hart *dbg_hart(struct debugger *d);
int dbg_continue(struct debugger *d);
int dbg_step(struct debugger *d, uint64_t n, bool show);
void dbg_show_location(struct debugger *d, struct hart *h);
bool dbg_running_allowed(struct debugger *d, const char *cmd);
/* Before resuming: step over a breakpoint under the selected hart, forget the last stop. */
void dbg_prepare_resume(struct debugger *d);
/* machine_run with the terminal handed to the guest and Ctrl-C armed. */
int dbg_run_machine(struct debugger *d);
/* internal breakpoints for next/finish/until: a one-shot stop at va */
int dbg_run_to(struct debugger *d, const char *cmd, uint64_t va);

/* breakpoints (break.c) */
/* Returns the new breakpoint's number (0 for an internal one), or -1 with err. */
enum brk_kind { BRK_NORMAL, BRK_TEMP, BRK_INTERNAL };
int brk_add(struct debugger *d, uint64_t va, enum brk_kind kind, int hart, const char *cond,
            char *err, size_t errlen);
/* The same, but a va with no translation yet (a kernel's before its MMU is
 * on) becomes a pending breakpoint, set when a translation change maps it. */
int brk_add_pending(struct debugger *d, uint64_t va, char *err, size_t errlen);
void brk_delete_internal(struct debugger *d);
bool brk_delete(struct debugger *d, int num);
void brk_delete_all(struct debugger *d);
int watch_add(struct debugger *d, uint64_t addr, uint64_t len, bool physical, bool reads,
              char *err, size_t errlen);
void brk_list(struct debugger *d);
void brk_flush_tlbs(struct machine *m);

/* commands.c */
void cmd_execute(struct debugger *d, char *line);
/* Is the n bytes at name a command or an alias? */
bool cmd_known(const char *name, size_t n);
const char *cmd_complete_name(int index, const char *prefix, int *state);

/* expr.c: registers, CSRs, symbols, numbers, C operators, *ADDR (8 bytes). */
int expr_eval(struct debugger *d, const char *s, uint64_t *out, char *err, size_t errlen);
/* A register name (x5, t0, fp, pc) -> 0..31, 32 = pc; -1 if none. */
int expr_reg(const char *name);
/* A CSR name -> number, -1 if none. */
int expr_csr(const char *name);
extern const char *const dbg_xreg_names[32];

/* memory through the selected hart (mem.c) */
int dbg_read_virt(struct debugger *d, uint64_t va, void *buf, size_t len, char *err, size_t errlen);
int dbg_write_virt(struct debugger *d, uint64_t va, const void *buf, size_t len, char *err, size_t errlen);
int dbg_read_phys(struct debugger *d, uint64_t pa, void *buf, size_t len, char *err, size_t errlen);
/* Fetch the instruction at va: bits and length, 0 or -1. */
int dbg_fetch_insn(struct debugger *d, struct hart *h, uint64_t va, uint32_t *bits);
void dbg_untab(char *text, size_t size);
void dbg_disasm_line(struct debugger *d, struct hart *h, uint64_t va, bool mark, char *buf, size_t len,
                     int *insn_len);

/* gdbstub.c: the gdb remote stub on dev ("tcp::PORT", "tcp:HOST:PORT",
 * "unix:PATH[,server]"), listening from gdb_open; gdb_run drives the
 * machine from gdb's packets (frozen: stopped until gdb resumes it) until
 * it exits or gdb kills it (d->quit) and returns the exit status; with
 * console, also when gdb detaches or goes away, the machine stopped. */
int gdb_open(struct debugger *d, const char *dev, char *err, size_t errlen);
int gdb_run(struct debugger *d, bool frozen, bool console);
void gdb_close(struct debugger *d);
/* Where the stub listens, as gdb's target remote takes it (":PORT", "HOST:PORT", "PATH"). */
const char *gdb_where(struct debugger *d, char *buf, size_t len);

/* vmstate.c: savevm FILE, loadvm FILE */
void cmd_savevm(struct debugger *d, const char *name, char *args);
void cmd_loadvm(struct debugger *d, const char *name, char *args);
void cmd_migrate(struct debugger *d, const char *name, char *args);
void cmd_migrate_cancel(struct debugger *d, const char *name, char *args);
void info_migrate(struct debugger *d);

/* pagewalk.c */
void pw_vtop(struct debugger *d, struct hart *h, uint64_t va);
void pw_pagetable(struct debugger *d, struct hart *h);

/* regs.c: printing state */
void regs_info(struct debugger *d, struct hart *h);
void regs_fregs(struct debugger *d, struct hart *h);
void regs_csrs(struct debugger *d, struct hart *h);
void regs_csrs_all(struct debugger *d, struct hart *h);
/* The decoded fields of CSR csr holding v ("MPP=S MIE=1 ..."); "" if not decoded. */
const char *regs_csr_fields(unsigned csr, uint64_t v, char *buf, size_t len);
void regs_mode(struct debugger *d, struct hart *h);
const char *priv_name(int priv);

/* trace.c */
int trace_start(struct debugger *d, const char *path, char *err, size_t errlen);
void trace_stop(struct debugger *d);

/* hooks.c: d becomes m->dbg and the core's hooks call it, until detached. */
void dbg_attach(struct debugger *d);
void dbg_detach(struct debugger *d);
/* The core's hooks (cpu/hooks.h says what each does); ctx is the debugger. */
bool dbg_break_at(void *ctx, const uint8_t *host);                              /* break.c */
bool dbg_break_hit(void *ctx, struct hart *h, uint64_t pc, const uint8_t *host);
bool dbg_watch_page(void *ctx, uint64_t va, uint64_t pa);
void dbg_watch_access(void *ctx, struct hart *h, uint64_t va, uint64_t pa, unsigned size,
                      bool store, uint64_t val);
void dbg_translation_changed(void *ctx, struct hart *h);
void dbg_trace_before(void *ctx, struct hart *h);                               /* trace.c */
void dbg_trace_after(void *ctx, struct hart *h, int64_t retired);

#endif

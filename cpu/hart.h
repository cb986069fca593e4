/*
 * The state of one RV64 hart: registers, CSRs, its TLBs and what the
 * interpreter needs to run it. Everything is reached through struct hart,
 * which points to the core it shares with the other harts (cpu/core.h).
 */
#ifndef CPU_HART_H
#define CPU_HART_H
#include <stdint.h>
#include <stdbool.h>
#include "insn.h"
#include "dcache.h"          /* struct dpage: split_dp */
#include "trigger.h"
#include "pmu.h"

struct core;

enum { PRV_U = 0, PRV_S = 1, PRV_M = 3 };

/* Exception causes (privileged spec, Table 3.6). */
enum {
    EXC_INSN_MISALIGNED = 0, EXC_INSN_ACCESS = 1, EXC_ILLEGAL = 2, EXC_BREAKPOINT = 3,
    EXC_LOAD_MISALIGNED = 4, EXC_LOAD_ACCESS = 5, EXC_STORE_MISALIGNED = 6,
    EXC_STORE_ACCESS = 7, EXC_ECALL_U = 8, EXC_ECALL_S = 9, EXC_ECALL_M = 11,
    EXC_INSN_PAGE = 12, EXC_LOAD_PAGE = 13, EXC_STORE_PAGE = 15,
};
/* Interrupt numbers = bit positions in mip/mie. */
enum { IRQ_SSI = 1, IRQ_MSI = 3, IRQ_STI = 5, IRQ_MTI = 7, IRQ_SEI = 9, IRQ_MEI = 11,
       IRQ_LCOFI = 13 /* Sscofpmf: local count overflow */ };

/* mstatus fields */
#define MSTATUS_SIE   (1ull << 1)
#define MSTATUS_MIE   (1ull << 3)
#define MSTATUS_SPIE  (1ull << 5)
#define MSTATUS_UBE   (1ull << 6)
#define MSTATUS_MPIE  (1ull << 7)
#define MSTATUS_SPP   (1ull << 8)
#define MSTATUS_VS    (3ull << 9)
#define MSTATUS_MPP   (3ull << 11)
#define MSTATUS_FS    (3ull << 13)
#define MSTATUS_XS    (3ull << 15)
#define MSTATUS_MPRV  (1ull << 17)
#define MSTATUS_SUM   (1ull << 18)
#define MSTATUS_MXR   (1ull << 19)
#define MSTATUS_TVM   (1ull << 20)
#define MSTATUS_TW    (1ull << 21)
#define MSTATUS_TSR   (1ull << 22)
#define MSTATUS_UXL   (3ull << 32)
#define MSTATUS_SXL   (3ull << 34)
#define MSTATUS_SBE   (1ull << 36)
#define MSTATUS_MBE   (1ull << 37)
#define MSTATUS_SD    (1ull << 63)
#define MSTATUS_UXL_64 (2ull << 32)
#define MSTATUS_SXL_64 (2ull << 34)
/* menvcfg.ADUE (Svadu): hardware updates of PTE A/D bits */
#define MENVCFG_ADUE (1ull << 61)

/*
 * Software TLB. Each translation regime (privilege, plus S with SUM set)
 * has its own tables, so privilege changes and Linux's frequent SUM
 * toggles cost no flush. A data entry maps a virtual page to a host
 * pointer (host = va + addend); a hit is one compare and one add. Tags
 * hold the page address; a misaligned access never matches (the low bits
 * of the compared value are nonzero) and takes the slow path.
 */
#define TLB_SIZE 256
#define TLB_EMPTY (~0ull)
enum { REGIME_U, REGIME_S, REGIME_S_SUM, REGIME_M, REGIME_COUNT };

struct tlb_entry {
    uint64_t tag;
    uintptr_t addend;
};
struct tlb_fetch_entry {
    uint64_t tag;
    struct dpage *dp;
};

/*
 * A trap whose handler is the instruction that raised it: the vector holds
 * an instruction that traps again with the same cause and tval, for ever
 * unless something outside the hart changes. trap.c counts the repeats;
 * after TRAP_REPEATS it sets suspect and asks the run loop to look
 * (machine/stuck.c decides whether anything could still change).
 */
struct trap_repeat {
    uint64_t cause, pc, tval;
    uint32_t n;
    bool suspect;
};
#define TRAP_REPEATS 16

struct pmp_entry {
    uint8_t cfg;
    uint64_t addr;
};
#define PMP_COUNT 16

struct hart {
    uint64_t x[33];             /* x[32] swallows writes to x0 */
    uint64_t pc;
    uint64_t f[32];             /* F/D registers; singles NaN-boxed (cpu/fpu.h) */
    uint32_t fflags, frm;       /* fcsr = frm << 5 | fflags */
    int priv;
    unsigned id;
    struct core *core;

    /* CSRs */
    uint64_t mstatus, misa, medeleg, mideleg, mie, mip;
    uint64_t mtvec, stvec, mepc, sepc, mcause, scause, mtval, stval;
    uint64_t mscratch, sscratch, satp, menvcfg, senvcfg;
    uint64_t stimecmp;          /* Sstc: the board drives mip.STIP from it when menvcfg.STCE */
    uint64_t mstateen[4];       /* Smstateen (csr.c): what S and U may reach */
    uint32_t mcounteren, scounteren, mcountinhibit;
    struct pmu pmu;             /* mcycle, minstret, hpm counters (cpu/pmu.h) */
    struct pmp_entry pmp[PMP_COUNT];
    /* TLB entries filled from superpages lie in [super_lo, super_hi]; the
     * largest such page is 1 << super_shift bytes (0: none). mmu.c */
    uint64_t super_lo, super_hi;
    unsigned super_shift;

    /* interpreter */
    int64_t budget;             /* instructions left in this run */
    int64_t run_len;            /* budget at the start of this run */
    int64_t uncounted;          /* traps taken in this run (not retired) */
    bool in_insn;               /* a CSR instruction is writing a counter */
    bool yield;                 /* leave the loop after this instruction */
    bool wfi;                   /* waiting for an interrupt */
    struct trap_repeat repeat;  /* the same trap at its own vector (above) */
    /* Reference mode (--no-fast-paths, fuzz/fuzz_guest.c): hart_run executes one
     * instruction per call with every TLB and decoded page dropped first,
     * so every access takes the slow path and every instruction is decoded
     * afresh; the fast paths are checked against it. Tested once per call. */
    bool ref_mode;
    uintptr_t resv;             /* LR reservation: host address, 0 = none */
    struct triggers trig;       /* Sdtrig (cpu/trigger.h) */
    struct dinsn tmp[3];        /* a straddling instruction + 2 sentinels */

    /* TLBs for the current regime, and all of them */
    struct tlb_entry *tlb_ld, *tlb_st;
    struct tlb_fetch_entry *tlb_fe;
    struct tlb_entry tlb[REGIME_COUNT][2][TLB_SIZE];
    struct tlb_fetch_entry tlbf[REGIME_COUNT][TLB_SIZE];
    /* A code page that PMP splits runs one checked instruction per fetch
     * from this private page (dcache_split_page); split_slot is its live slot. */
    struct dpage split_dp;
    unsigned split_slot;
    /* -d in_asm, cpu, exec (cpu/log.c): the last block printed, [log_lo,
     * log_hi), and the pc a traced block would continue at (~0: none) */
    uint64_t log_lo, log_hi, log_next;
};

void hart_reset(struct hart *h, struct core *c, unsigned id, uint64_t pc);

/* Instructions the current run has retired (as of h->budget): what the
 * counters (cpu/pmu.h) and -icount time follow. */
static inline int64_t hart_run_retired(const struct hart *h)
{
    return h->run_len - h->budget - h->uncounted;
}

/* Run up to n instructions (cpu/exec.c); returns the number retired. */
int64_t hart_run(struct hart *h, int64_t n);
/* After hart_run: the counters take in what the run retired (cpu/pmu.h)
 * and the run's count starts afresh. Returns the run's steps: instructions
 * retired and traps taken, at least 1 (a run that did neither still used
 * its budget). */
uint64_t hart_end_run(struct hart *h);

/* Interrupt lines driven by devices (CLINT, PLIC): set or clear a mip bit. */
void hart_set_irq(struct hart *h, int irq, bool level);

/* Traps (cpu/trap.c). hart_exception takes the trap at h->pc. */
void hart_exception(struct hart *h, uint64_t cause, uint64_t tval);
/* ebreak at h->pc: a breakpoint trap, or a semihosting call the board serves. */
void hart_ebreak(struct hart *h);
bool hart_take_interrupt(struct hart *h);    /* true if one was taken */
uint64_t hart_pending_irqs(const struct hart *h);
void hart_mret(struct hart *h);
void hart_sret(struct hart *h);
void hart_set_priv(struct hart *h, int priv);
/* The privileged spec's name of an mcause/scause value (table 3.6). */
const char *hart_cause_name(uint64_t cause);

/* Zicbom/Zicboz (cpu/cmo.c): op is OP_cbo_*; 0, or -1 after a trap.
 * The envcfg bits they add, and their WARL rule. */
int hart_cbo(struct hart *h, unsigned op, uint64_t va, uint32_t bits);
uint64_t cmo_envcfg_mask(const struct hart *h);
uint64_t cmo_envcfg_legal(uint64_t v);

/* CSRs (cpu/csr.c). Return 0, or -1 after raising illegal instruction. */
enum csr_op { CSR_RW, CSR_RS, CSR_RC };
int csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t src,
               bool write, uint64_t *old, uint32_t insn_bits);
/* Debugger/test access without privilege checks; false if no such CSR. */
bool csr_read_raw(struct hart *h, unsigned csr, uint64_t *val);
bool csr_write_raw(struct hart *h, unsigned csr, uint64_t val);
const char *csr_name(unsigned csr);
/* The same under privileged spec version v (110, 111, 112) (cpu/csr_names.c). */
#define CSR_NAMES_CURRENT_SPEC 112
const char *csr_name_spec(unsigned csr, int v);
uint64_t hart_instret(const struct hart *h);

#endif

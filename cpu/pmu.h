/*
 * Counters: mcycle, minstret and mhpmcounter3..31 (Zicntr, Zihpm), their
 * filters (mcountinhibit; Smcntrpmf's mcyclecfg/minstretcfg; Sscofpmf's
 * mhpmevent OF and xINH bits) and the count-overflow interrupt (LCOFI).
 *
 * Nothing is counted per instruction. hartvm retires one instruction a
 * cycle, so cycles, instructions and the hpm events 1 and 2 all follow the
 * interpreter's own count of retired instructions (hart.h run_len, budget,
 * uncounted): a counter is its value at the last sync plus, while it
 * counts, what retired since (the mark). A sync happens where what counts
 * can change: a counter CSR write, a privilege change while a filter tells
 * modes apart, the end of each run. An overflow that could interrupt is a
 * deadline: hart_run's run ends exactly at the instruction that wraps the
 * counter (pmu_clip). TLB-miss events (QEMU's) are counted where the slow
 * paths walk the page table, never on a TLB hit.
 *
 *   mhpmeventN:  63 OF | 62 MINH | 61 SINH | 60 UINH | 59..58 VSINH VUINH (0, no H)
 *                19:0 the event: SBI PMU event index, as QEMU 7.2 reads it
 */
#ifndef CPU_PMU_H
#define CPU_PMU_H
#include <stdbool.h>
#include <stdint.h>

struct hart;

#define PMU_OF   (1ull << 63)
#define PMU_MINH (1ull << 62)
#define PMU_SINH (1ull << 61)
#define PMU_UINH (1ull << 60)
#define PMU_INH  (PMU_MINH | PMU_SINH | PMU_UINH)
#define PMU_EVENT_MASK 0xfffffull

/* Events (SBI spec, PMU extension: hardware and cache event indexes). */
enum {
    PMU_EV_CYCLES = 0x1, PMU_EV_INSTRUCTIONS = 0x2,
    PMU_EV_DTLB_READ_MISS = 0x10019, PMU_EV_DTLB_WRITE_MISS = 0x1001b,
    PMU_EV_ITLB_MISS = 0x10021,
};
enum pmu_tlb { PMU_TLB_LOAD, PMU_TLB_STORE, PMU_TLB_FETCH, PMU_TLB_KINDS };

struct pmu {
    uint64_t ctr[32];           /* as of mark: [0] mcycle, [2] minstret, [3..] hpm */
    uint64_t cfg[32];           /* [0] mcyclecfg, [2] minstretcfg, [3..] mhpmeventN */
    int64_t mark;               /* retired instructions of this run at the last sync */
    uint32_t live;              /* counters counting retired instructions now */
    uint32_t armed;             /* live hpm counters whose overflow interrupts (OF clear) */
    uint32_t tlb[PMU_TLB_KINDS]; /* counters counting each TLB miss now */
    bool filtered;              /* some counter's mode filter tells modes apart */
};

/* A counter's value now. */
uint64_t pmu_read(const struct hart *h, unsigned i);
/* Writes of mcycle/minstret/mhpmcounterN (i), mhpmeventN and the cfgs,
 * mcountinhibit: CSR semantics, no checks of privilege. */
void pmu_write_counter(struct hart *h, unsigned i, uint64_t v);
void pmu_write_cfg(struct hart *h, unsigned i, uint64_t v);
void pmu_write_inhibit(struct hart *h, uint32_t v);
/* scountovf: OF of each hpm counter (bit N for counter N). */
uint32_t pmu_overflowed(const struct hart *h);
/* The mcountinhibit bits that exist: CY, IR and the implemented hpm counters. */
uint32_t pmu_inhibit_mask(const struct hart *h);
/* The privilege becomes priv; retiring: the instruction making the change
 * retires (xRET, counted in the mode it came from; Smcntrpmf "Counter
 * Behavior"). Called only while pmu.filtered. */
void pmu_priv_change(struct hart *h, int priv, int retiring);
/* The end of a run (hart_end_run): the counters take in what it retired. */
void pmu_end_run(struct hart *h);
/* The longest run (at most n) that ends at or before the next overflow. */
int64_t pmu_clip(const struct hart *h, int64_t n);
/* A TLB miss of kind k, counted while pmu.tlb[k] (a slow path only). */
void pmu_tlb_miss(struct hart *h, enum pmu_tlb k);
/* A restored state: every cfg, counter and mcountinhibit bit one that
 * writes could leave (WARL; counters that are not there hold 0). */
bool pmu_state_ok(const struct hart *h);
/* Recompute live/armed/tlb/filtered after a reset or a restore. */
void pmu_refresh(struct hart *h);

#endif

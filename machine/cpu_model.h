/*
 * -cpu MODEL[,PROP=VALUE,...]: QEMU's RISC-V CPU models and properties, as
 * QEMU 7.2 spells them, reduced to what hartvm's harts can be. The result
 * goes into the core (cpu/core.h: extensions off, no MMU, no PMP, the ID
 * CSRs) and into the device tree's riscv,isa string.
 */
#ifndef MACHINE_CPU_MODEL_H
#define MACHINE_CPU_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cpu_model {
    uint64_t isa_off;           /* cpu/isa.h bits (an isa_set) */
    bool no_mmu, no_pmp;
    bool short_isa;             /* short-isa-string=true: single letters only */
    int priv_spec;              /* 110, 111, 112 */
    unsigned pmu_num;           /* pmu-num: mhpmcounter3.. that exist (0..29) */
    uint64_t mvendorid, marchid, mimpid;
};

/* The hpm counters that exist, as mhpmcounter bits (3 up). */
static inline uint32_t cpu_model_hpm_mask(const struct cpu_model *m)
{
    return ((1u << m->pmu_num) - 1) << 3;
}

/* The default: QEMU's rv64 as far as hartvm implements it. */
void cpu_model_default(struct cpu_model *m);
/* Parse a -cpu value into m (from the default): 0, or -1 with the reason
 * in err. Warnings (what priv_spec turns off) go to warn when not NULL. */
int cpu_model_parse(const char *spec, struct cpu_model *m, char *err, size_t errlen,
                    FILE *warn);
/* -cpu help: the models, one a line, as QEMU lists them. */
void cpu_model_help(FILE *out);
/* The devicetree riscv,isa string for m. */
void cpu_model_isa_string(const struct cpu_model *m, char *buf, size_t len);
/* The devicetree riscv,isa-extensions list for m: its names, each ended by
 * a NUL, in buf; returns the length, or -1 if len is too small. */
int cpu_model_extensions(const struct cpu_model *m, char *buf, size_t len);
#endif

/*
 * One emulated machine: its harts, its physical bus and devices, and the
 * options it was started with. Everything of an instance hangs off this
 * struct; two machines can live in one process.
 */
#ifndef MACHINE_MACHINE_H
#define MACHINE_MACHINE_H
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "../cpu/hart.h"
#include "../mmu/bus.h"
#include "clint.h"
#include "uart.h"
#include "htif.h"

#define MAX_HARTS 8

struct options {
    const char *bios;           /* NULL = default firmware, "none" */
    const char *kernel;
    uint64_t ram_size;
    int smp;
    double timeout;             /* seconds, 0 = none */
    uint64_t max_insns;         /* 0 = unlimited */
    bool stats;
    int mmu_max;                /* highest satp mode accepted (SATP_SV39/48) */
};

struct machine {
    struct options opt;
    struct hart harts[MAX_HARTS];
    int nharts;
    struct bus bus;
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    uint8_t rom[0x1000];        /* boot ROM at 0x1000: reset vector */

    struct clint clint;
    struct uart uart;
    struct htif htif;

    /* how the run ends */
    bool exit_requested;
    int exit_code;              /* guest's status as reported */
    const char *exit_reason;
    uint64_t start_ns;
};

int machine_init(struct machine *m, const struct options *opt, char *err, size_t errlen);
void machine_free(struct machine *m);
/* Run until the guest exits, a limit is reached or an error; returns the
 * process exit status (design.md §2). */
int machine_run(struct machine *m);
/* A device asks the run loop to stop with a guest exit code. */
void machine_request_exit(struct machine *m, int code, const char *reason);
/* mtime: 10 MHz from the host monotonic clock. */
uint64_t machine_mtime(struct machine *m);
/* Re-evaluate the interrupt lines that depend on time. */
void machine_update_timers(struct machine *m);

#endif

/*
 * The board's side of the core (cpu/core.h): the core sees the bus, the
 * harts and the trace digest through pointers into struct machine, and
 * the board's hooks get the machine back. The debugger adds its own hooks
 * while it is attached (monitor/hooks.c).
 */
#include "machine.h"

static uint64_t board_mtime(void *board)
{
    return machine_mtime(board);
}

static bool board_semihost(void *board, struct hart *h)
{
    return semihost_call(board, h);
}

void machine_core_init(struct machine *m)
{
    m->core = (struct core){
        .bus = &m->bus,
        .harts = m->harts,
        .nharts = m->nharts,
        .mmu_max = m->opt.mmu_max,
        .isa_off = m->opt.cpu.isa_off,
        .no_mmu = m->opt.cpu.no_mmu,
        .no_pmp = m->opt.cpu.no_pmp,
        .mvendorid = m->opt.cpu.mvendorid,
        .marchid = m->opt.cpu.marchid,
        .mimpid = m->opt.cpu.mimpid,
        .hpm_mask = cpu_model_hpm_mask(&m->opt.cpu),
        .trace = &m->trace,
        .hooks = { .board = m, .mtime = board_mtime,
                   .semihost = m->opt.semihost.enabled ? board_semihost : NULL },
    };
}

/* Hart save/restore (see hart_state.h). Field order is the stream's. */
#include "hart_state.h"
#include "state.h"
#include "../cpu/hart.h"
#include "../cpu/core.h"
#include "../mmu/mmu.h"
#include "../mmu/bus.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* offsetof a field of exactly n bytes (a type change breaks the build,
 * not the stream) */
#define FIELD(field, n) (offsetof(struct hart, field) + \
                         0 * sizeof(char[sizeof(((struct hart *)0)->field) == (n) ? 1 : -1]))
#define F(field) FIELD(field, 8)
static const size_t u64_fields[] = {
    F(pc), F(mstatus), F(misa), F(medeleg), F(mideleg), F(mie), F(mip), F(mtvec), F(stvec),
    F(mepc), F(sepc), F(mcause), F(scause), F(mtval), F(stval), F(mscratch), F(sscratch),
    F(satp), F(menvcfg), F(senvcfg), F(stimecmp),
    F(mstateen[0]), F(mstateen[1]), F(mstateen[2]), F(mstateen[3]),
};
#undef F
#define F(field) FIELD(field, 4)
static const size_t u32_fields[] = {
    F(fflags), F(frm), F(mcounteren), F(scounteren), F(mcountinhibit),
};
#undef F
#define N(a) (sizeof a / sizeof a[0])

/* The guest-physical address of a host pointer into guest memory (0: none). */
static uint64_t host_to_pa(struct bus *b, uintptr_t p)
{
    for (int i = 0; p && i < b->n; i++) {
        const struct region *r = &b->r[i];
        if (r->host && p >= (uintptr_t)r->host && p - (uintptr_t)r->host < r->size)
            return r->base + (p - (uintptr_t)r->host);
    }
    return 0;
}

void hart_state_save(const struct hart *h, struct bus *b, struct state_out *o)
{
    const char *base = (const char *)h;
    for (int i = 0; i < 32; i++)
        state_put_u64(o, h->x[i]);
    for (int i = 0; i < 32; i++)
        state_put_u64(o, h->f[i]);
    for (size_t i = 0; i < N(u64_fields); i++)
        state_put_u64(o, *(const uint64_t *)(base + u64_fields[i]));
    for (size_t i = 0; i < N(u32_fields); i++)
        state_put_u32(o, *(const uint32_t *)(base + u32_fields[i]));
    state_put_u8(o, (uint8_t)h->priv);
    for (int i = 0; i < PMP_COUNT; i++) {
        state_put_u8(o, h->pmp[i].cfg);
        state_put_u64(o, h->pmp[i].addr);
    }
    state_put_u64(o, host_to_pa(b, h->resv));
    state_put_u8(o, h->wfi);
    state_put_u64(o, h->trig.tselect);
    state_put_u64(o, h->trig.tcontrol);
    for (int i = 0; i < TRIG_COUNT; i++) {
        state_put_u64(o, h->trig.t[i].tdata1);
        state_put_u64(o, h->trig.t[i].tdata2);
        state_put_u64(o, h->trig.t[i].tdata3);
    }
    for (int i = 0; i < 32; i++) {
        state_put_u64(o, h->pmu.ctr[i]);
        state_put_u64(o, h->pmu.cfg[i]);
    }
}

/* CSRs whose fields only hold what a write leaves there (WARL, privileged
 * spec 2.3): a legal value written over 0 reads back the same; anything
 * else (an unsupported satp mode, MPP = 2, a bit that does not exist) is
 * a stream no hart could have produced. (mip is not here: devices drive
 * bits of it that no CSR write can set.) */
static const struct { unsigned csr; size_t off, size; } warl_csrs[] = {
#define W(n, field) { n, offsetof(struct hart, field), sizeof(((struct hart *)0)->field) }
    W(0x300, mstatus), W(0x302, medeleg), W(0x303, mideleg), W(0x304, mie), W(0x305, mtvec),
    W(0x306, mcounteren), W(0x30a, menvcfg), W(0x320, mcountinhibit), W(0x341, mepc),
    W(0x105, stvec), W(0x106, scounteren), W(0x10a, senvcfg), W(0x141, sepc), W(0x180, satp),
    W(0x30c, mstateen[0]), W(0x30d, mstateen[1]), W(0x30e, mstateen[2]), W(0x30f, mstateen[3]),
#undef W
};

static uint64_t field_of(const struct hart *h, size_t off, size_t size)
{
    const char *p = (const char *)h + off;
    return size == 4 ? *(const uint32_t *)p : *(const uint64_t *)p;
}

static int check_warl(struct hart *h, struct state_in *in)
{
    for (size_t i = 0; i < N(warl_csrs); i++) {
        uint64_t v = field_of(h, warl_csrs[i].off, warl_csrs[i].size);
        memset((char *)h + warl_csrs[i].off, 0, warl_csrs[i].size);  /* some keep the old value */
        csr_write_raw(h, warl_csrs[i].csr, v);
        if (field_of(h, warl_csrs[i].off, warl_csrs[i].size) != v) {
            char why[80];
            snprintf(why, sizeof why, "%s holds a value no write can leave there",
                     csr_name(warl_csrs[i].csr));
            return state_reject(in, why);
        }
    }
    /* SSI MSI STI MTI SEI MEI, LCOFI with Sscofpmf */
    const uint64_t irq_bits = 0xaaa | (core_has_ext(h->core, ISA_SSCOFPMF) ? 1u << IRQ_LCOFI : 0);
    if ((h->mip & ~irq_bits) || h->fflags > 0x1f || h->frm > 7)
        return state_reject(in, "mip, fflags or frm out of range");
    if (!pmu_state_ok(h))
        return state_reject(in, "a counter or its event holds what no write can leave there");
    return 0;
}

/* Caches and the interpreter's per-run counters start afresh. */
static void after_restore(struct hart *h)
{
    h->budget = h->run_len = h->uncounted = 0;
    h->in_insn = h->yield = false;
    pmu_refresh(h);
    mmu_flush_all(h);
    mmu_update_regime(h);
}

int hart_state_restore(struct hart *h, struct bus *b, struct state_in *in)
{
    char *base = (char *)h;
    for (int i = 0; i < 32; i++)
        h->x[i] = state_get_u64(in);
    for (int i = 0; i < 32; i++)
        h->f[i] = state_get_u64(in);
    for (size_t i = 0; i < N(u64_fields); i++)
        *(uint64_t *)(base + u64_fields[i]) = state_get_u64(in);
    for (size_t i = 0; i < N(u32_fields); i++)
        *(uint32_t *)(base + u32_fields[i]) = state_get_u32(in);
    int priv = state_get_u8(in);
    for (int i = 0; i < PMP_COUNT; i++) {
        h->pmp[i].cfg = state_get_u8(in);
        h->pmp[i].addr = state_get_u64(in);
    }
    uint64_t resv = state_get_u64(in);
    h->wfi = state_get_bool(in);
    struct triggers tr = { .tselect = state_get_u64(in), .tcontrol = state_get_u64(in) };
    for (int i = 0; i < TRIG_COUNT; i++) {
        tr.t[i].tdata1 = state_get_u64(in);
        tr.t[i].tdata2 = state_get_u64(in);
        tr.t[i].tdata3 = state_get_u64(in);
    }
    for (int i = 0; i < 32; i++) {
        h->pmu.ctr[i] = state_get_u64(in);
        h->pmu.cfg[i] = state_get_u64(in);
    }
    if (priv != PRV_U && priv != PRV_S && priv != PRV_M)
        return state_reject(in, "no such privilege level");
    for (int i = 0; i < PMP_COUNT; i++)
        if (h->pmp[i].addr >> 54)   /* pmpaddr holds address bits 55:2 only (priv. spec 3.7.1) */
            return state_reject(in, "pmpaddr holds bits no write can set");
    h->priv = priv;
    h->resv = resv ? (uintptr_t)bus_mem_ptr(b, resv, 4) : 0;
    if (resv && !h->resv)
        return state_reject(in, "reservation outside guest memory");
    if (!in->bad && !trig_set_state(h, &tr))
        return state_reject(in, "a trigger (tselect, tcontrol or tdata1) no write can leave so");
    h->x[0] = 0;
    after_restore(h);
    return in->bad ? -1 : check_warl(h, in);
}

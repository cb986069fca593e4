/*
 * Fuzz harness: guest code.
 *
 * The input becomes the initial hart state, a set of page-table entries and
 * the contents of guest RAM. The same machine is then built twice and run
 * for at most MAX_STEPS instructions: once through the fast paths (TLB hits,
 * the decoded-page cache, long runs) and once in reference mode (one
 * instruction per hart_run, every TLB and decoded page dropped before each,
 * see struct hart). Neither may crash or trip a sanitizer, and both must end
 * in the same architectural state (x/f registers, pc, privilege, every CSR,
 * RAM, wfi, the guest's exit request): any difference aborts with a report.
 *
 * Input layout:
 *   0   .. 31   header (struct fields read by the cursor below, in order)
 *   32  .. 95   8 page-table records (see place_pte)
 *   96  ..      guest RAM from 0x8000_0000 (at most RAM_SIZE bytes)
 *
 * Physical map of the harness machine (the board's devices at their usual
 * addresses, minus the RTC, which reads host time):
 *   0x0010_0000  test finisher   (write 0x5555 / code<<16|0x3333: the run ends)
 *   0x0200_0000  CLINT           mtime = instructions retired (-icount 0)
 *   0x0c00_0000  PLIC
 *   0x1000_0000  UART0           output to /dev/null
 *   0x1000_1000  virtio-mmio     empty slots
 *   0x8000_0000  RAM             RAM_SIZE bytes
 *   0x8001_0000  page tables     PT_PAGES pages, read-only memory
 *
 * Why the page tables are read-only: without sfence.vma the fast path may
 * legitimately keep a stale translation (or skip an A/D update) that the
 * reference mode's fresh walk would not, so a guest that edits its own
 * tables could make the two differ without a bug. With the tables in ROM a
 * translation never changes under the TLB; a walk that needs to set A or D
 * takes an access fault in both modes.
 *
 * Interrupts never depend on host time: mtime follows the instruction count
 * and the timer lines are re-evaluated only where a device does it itself
 * (a CLINT write), at the same instruction in both modes.
 */
#include "../machine/machine.h"
#include "../machine/board.h"
#include "../mmu/mmu.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE  0x80000000ull
#define RAM_SIZE  0x10000ull
#define PT_BASE   (RAM_BASE + RAM_SIZE)
#define PT_PAGES  4
#define MAX_STEPS 5000        /* both modes; the reference mode costs ~7 us per instruction */
#define HDR_LEN   32
#define PTE_RECS  8
#define DATA_OFF  (HDR_LEN + 8 * PTE_RECS)

struct cursor { const uint8_t *p; size_t n; };

static uint64_t take(struct cursor *c, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++, c->n ? (c->p++, c->n--) : 0)
        v |= (uint64_t)(c->n ? *c->p : 0) << (8 * i);
    return v;
}

struct rig {
    struct machine m;
    uint8_t pt[PT_PAGES * 4096];
    uint8_t pt0[PT_PAGES * 4096];   /* as placed: ROM must never change */
};

static FILE *devnull(void)
{
    /* One handle for the process: the UART's output goes nowhere. */
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

/*
 * A page-table record (8 bytes): slot (u16: bits 0-8 index, 9-10 table),
 * low PTE bits (u16: V R W X U G A D and RSW), target (u8), high (u8).
 * target bit 7 set: a pointer to table (target & 3) of the page-table ROM;
 * else bit 6: the UART page; else RAM page (target & 15). The PPN is placed
 * so that valid-looking entries point somewhere real; high bit 0 sets a
 * reserved bit (63) so that case is reached too.
 */
static void place_pte(struct rig *r, struct cursor *c)
{
    unsigned slot = (unsigned)take(c, 2), flags = (unsigned)take(c, 2);
    unsigned target = (unsigned)take(c, 1), high = (unsigned)take(c, 1);
    take(c, 2);
    uint64_t ppn;
    if (target & 0x80)
        ppn = (PT_BASE >> 12) + (target & 3);
    else if (target & 0x40)
        ppn = board_find(&uart_class)->base >> 12;
    else
        ppn = (RAM_BASE >> 12) + (target & 15);
    uint64_t pte = ppn << 10 | (flags & 0x3ff) | (uint64_t)(high & 1) << 63;
    unsigned table = (slot >> 9) & (PT_PAGES - 1), index = slot & 0x1ff;
    memcpy(&r->pt[table * 4096 + index * 8], &pte, 8);
}

/* Every device of the board but the RTC (its time is the host's). */
static void map_board(struct machine *m)
{
    for (int i = 0; i < m->ndevs; i++) {
        const struct dev_inst *d = &m->devs[i];
        if (!d->cls->ops || d->cls == &rtc_class)
            continue;
        bus_add_device(&m->bus, d->cls->node, d->row->base + (uint64_t)d->n * d->row->size,
                       d->row->size, d->cls->ops, d->state);
    }
}

static void rig_build(struct rig *r, const uint8_t *data, size_t size)
{
    struct machine *m = &r->m;
    struct cursor c = { data, size };
    memset(r, 0, sizeof *r);
    m->opt.mmu_max = SATP_SV48;
    m->opt.icount_shift = 0;
    m->opt.smp = m->nharts = 1;
    m->ram_base = RAM_BASE;
    m->ram_size = RAM_SIZE;
    m->console.fd = -1;
    m->ram = calloc(1, RAM_SIZE);
    if (size > DATA_OFF)
        memcpy(m->ram, data + DATA_OFF, size - DATA_OFF < RAM_SIZE ? size - DATA_OFF : RAM_SIZE);
    struct hart *h = &m->harts[0];
    machine_core_init(m);
    hart_reset(h, &m->core, 0, RAM_BASE);
    h->stimecmp = ~0ull;
    char err[128];
    if (devices_create(m, err, sizeof err))
        abort();
    devices_reset(m);
    m->uart.out = devnull();

    /* header */
    unsigned priv = (unsigned)take(&c, 1) & 3;
    unsigned satp = (unsigned)take(&c, 1);
    unsigned fl = (unsigned)take(&c, 1), fl2 = (unsigned)take(&c, 1);
    uint64_t mie = take(&c, 2), mip = take(&c, 2);
    uint64_t medeleg = take(&c, 2), mideleg = take(&c, 2);
    uint64_t mtvec = take(&c, 2), stvec = take(&c, 2);
    unsigned pmpcfg = (unsigned)take(&c, 2);
    uint64_t pmpaddr0 = take(&c, 4);
    unsigned counteren = (unsigned)take(&c, 1), frm = (unsigned)take(&c, 1);
    uint64_t menvcfg = take(&c, 1);
    take(&c, HDR_LEN - 25);

    for (int i = 0; i < PTE_RECS; i++)
        place_pte(r, &c);
    memcpy(r->pt0, r->pt, sizeof r->pt);

    /* The whole bus is built before any CSR is written (satp checks RAM). */
    bus_add_memory(&m->bus, "dram", RAM_BASE, RAM_SIZE, m->ram, false);
    bus_add_memory(&m->bus, "pt", PT_BASE, sizeof r->pt, r->pt, true);
    map_board(m);

    static const unsigned modes[4] = { SATP_BARE, SATP_SV39, SATP_SV48, SATP_SV39 };
    uint64_t mstatus = (uint64_t)(fl & 3) << 13 | (uint64_t)((fl >> 2) & 1) << 19 |
                       (uint64_t)((fl >> 3) & 1) << 18 | (uint64_t)((fl >> 4) & 1) << 17 |
                       (uint64_t)((fl >> 5) & 7) << 20 | (uint64_t)(fl2 & 1) << 3 |
                       (uint64_t)((fl2 >> 1) & 1) << 1 | (uint64_t)((fl2 >> 2) & 3) << 11 |
                       (uint64_t)((fl2 >> 4) & 1) << 8;
    csr_write_raw(h, 0x300, mstatus);
    csr_write_raw(h, 0x304, mie);
    csr_write_raw(h, 0x344, mip);
    csr_write_raw(h, 0x302, medeleg);
    csr_write_raw(h, 0x303, mideleg);
    csr_write_raw(h, 0x305, RAM_BASE + mtvec * 4 % RAM_SIZE + ((fl2 >> 7) & 1));
    csr_write_raw(h, 0x105, RAM_BASE + stvec * 4 % RAM_SIZE + ((fl2 >> 7) & 1));
    csr_write_raw(h, 0x3b0, pmpaddr0 | (uint64_t)(RAM_BASE >> 2));
    csr_write_raw(h, 0x3bf, ~0ull);                     /* entry 15: everything, RWX */
    csr_write_raw(h, 0x3a2, (uint64_t)0x1f << 56);
    csr_write_raw(h, 0x3a0, pmpcfg & 0x7f);            /* entry 0 from the input, unlocked */
    csr_write_raw(h, 0x306, counteren);
    csr_write_raw(h, 0x106, counteren >> 4);
    csr_write_raw(h, 0x002, frm);
    csr_write_raw(h, 0x30a, (menvcfg & 1) | (menvcfg & 2) << 62);
    csr_write_raw(h, 0x180, (uint64_t)modes[satp & 3] << 60 | (uint64_t)((satp >> 4) & 1) << 44 |
                             ((PT_BASE >> 12) + ((satp >> 2) & 3)));
    /* mtimecmp 0 (timer pending from the start) or never */
    m->clint.mtimecmp[0] = (fl2 & 0x20) ? 0 : ~0ull;
    clint_update(&m->clint, 0);
    for (int i = 1; i < 32; i++)
        h->x[i] = RAM_BASE + (uint64_t)i * 0x400;
    hart_set_priv(h, priv == 2 ? PRV_M : (int)priv);
}

static void rig_free(struct rig *r)
{
    bus_free(&r->m.bus);
    devices_free(&r->m);
    free(r->m.ram);
}

/* As machine.c's run_turn does it, without host time and for one hart. */
static void rig_run(struct rig *r, bool ref)
{
    struct machine *m = &r->m;
    struct hart *h = &m->harts[0];
    int64_t steps = 0;
    h->ref_mode = ref;
    while (steps < MAX_STEPS && !m->exit_requested && !m->reset_requested) {
        if (h->wfi && (h->mip & h->mie))
            h->wfi = false;
        if (h->wfi)
            break;
        hart_take_interrupt(h);
        h->yield = false;
        m->running = h;
        int64_t n = hart_run(h, MAX_STEPS - steps);
        m->running = NULL;
        steps += (int64_t)hart_end_run(h);
        m->icount += n;
    }
}

static void diverged(const char *what, unsigned idx, uint64_t fast, uint64_t ref)
{
    fprintf(stderr, "fuzz_guest: fast path and reference mode differ: %s[%#x]: fast %#llx, reference %#llx\n",
            what, idx, (unsigned long long)fast, (unsigned long long)ref);
    abort();
}

static void compare(struct rig *a, struct rig *b)
{
    struct hart *ha = &a->m.harts[0], *hb = &b->m.harts[0];
    for (unsigned i = 0; i < 32; i++) {
        if (ha->x[i] != hb->x[i])
            diverged("x", i, ha->x[i], hb->x[i]);
        if (ha->f[i] != hb->f[i])
            diverged("f", i, ha->f[i], hb->f[i]);
    }
    if (ha->pc != hb->pc)
        diverged("pc", 0, ha->pc, hb->pc);
    if (ha->priv != hb->priv)
        diverged("priv", 0, ha->priv, hb->priv);
    if (ha->wfi != hb->wfi)
        diverged("wfi", 0, ha->wfi, hb->wfi);
    if (a->m.exit_requested != b->m.exit_requested || a->m.exit_code != b->m.exit_code)
        diverged("exit", a->m.exit_requested, a->m.exit_code, b->m.exit_code);
    if (a->m.icount != b->m.icount)
        diverged("icount", 0, a->m.icount, b->m.icount);
    for (unsigned csr = 0; csr < 4096; csr++) {
        uint64_t va, vb;
        bool oka = csr_read_raw(ha, csr, &va), okb = csr_read_raw(hb, csr, &vb);
        if (oka != okb || (oka && va != vb))
            diverged("csr", csr, va, vb);
    }
    for (unsigned i = 0; i < RAM_SIZE; i += 8) {
        uint64_t va, vb;
        memcpy(&va, a->m.ram + i, 8);
        memcpy(&vb, b->m.ram + i, 8);
        if (va != vb)
            diverged("ram", i, va, vb);
    }
    /* containment: read-only memory stays read-only (A/D updates included) */
    for (unsigned i = 0; i < sizeof a->pt; i++)
        if (a->pt[i] != a->pt0[i] || b->pt[i] != b->pt0[i])
            diverged("page-table ROM written (fast, reference)", i, a->pt[i], b->pt[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rig fast, ref;
    rig_build(&fast, data, size);
    rig_build(&ref, data, size);
    rig_run(&fast, false);
    rig_run(&ref, true);
    compare(&fast, &ref);
    rig_free(&fast);
    rig_free(&ref);
    return 0;
}

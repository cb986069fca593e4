/*
 * Device tree generation with libfdt's sequential-write API. The shape
 * follows QEMU 7.2's virt machine so that firmware and kernels find what
 * they expect:
 *
 *   /                 #address-cells = #size-cells = 2, model riscv-virtio,qemu
 *   /chosen           bootargs, stdout-path, linux,initrd-start/end
 *   /poweroff /reboot syscon-poweroff / syscon-reboot on the test finisher
 *   /memory@80000000
 *   /pmu              riscv,pmu: OpenSBI's map of SBI PMU events to counters
 *   /cpus             timebase-frequency; cpu@N with riscv,isa (and the newer
 *                     binding's riscv,isa-base and riscv,isa-extensions), mmu-type and
 *                     an interrupt-controller (riscv,cpu-intc); cpu-map
 *   /soc              simple-bus: one node per device instance of the board
 *                     table, written by its class (dev/device.h)
 *
 * Phandles are fixed before writing: cpu h = 1+2h, its intc = 2+2h, then
 * the PLIC and the test finisher.
 */
#include "fdt.h"
#include "machine.h"
#include "../mmu/mmu.h"
#include "../cpu/isa.h"
#include "../cpu/pmu.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#define FDT_BUF (64 * 1024)
#define TRY(x) do { int r_ = (x); if (r_ < 0) return r_; } while (0)

/* reg = <base size> in two-cell form. */
static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
    fdt64_t v[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
    return fdt_property(fdt, "reg", v, sizeof v);
}

static int begin_node(void *fdt, const char *name, uint64_t base)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s@%llx", name, (unsigned long long)base);
    return fdt_begin_node(fdt, buf);
}

/* Common to every /soc device: reg, compatible and the PLIC line. */
int fdt_dev_begin(struct fdt_ctx *c, const struct dev_node *n)
{
    TRY(begin_node(c->fdt, n->cls->node, n->base));
    TRY(prop_reg(c->fdt, n->base, n->size));
    TRY(fdt_property(c->fdt, "compatible", n->cls->compatible, n->cls->compatible_len));
    if (n->irq) {
        TRY(fdt_property_u32(c->fdt, "interrupt-parent", c->plic_phandle));
        TRY(fdt_property_u32(c->fdt, "interrupts", n->irq));
    }
    return 0;
}

int fdt_dev_end(struct fdt_ctx *c)
{
    return fdt_end_node(c->fdt);
}

int fdt_dev_plain(struct fdt_ctx *c, const struct dev_node *n)
{
    TRY(fdt_dev_begin(c, n));
    return fdt_dev_end(c);
}

int fdt_dev_hart_irqs(struct fdt_ctx *c, int irq_a, int irq_b)
{
    int n = c->nharts;
    fdt32_t v[4 * MAX_HARTS];
    for (int h = 0; h < n; h++) {
        v[4 * h + 0] = cpu_to_fdt32(c->intc_phandle[h]);
        v[4 * h + 1] = cpu_to_fdt32(irq_a);
        v[4 * h + 2] = cpu_to_fdt32(c->intc_phandle[h]);
        v[4 * h + 3] = cpu_to_fdt32(irq_b);
    }
    return fdt_property(c->fdt, "interrupts-extended", v, 16 * n);
}


/* The cpus binding's mmu-type for the highest satp mode the harts take. */
static const char *mmu_type(const struct machine *m)
{
    if (m->opt.cpu.no_mmu)
        return "riscv,none";
    return m->opt.mmu_max == SATP_SV39 ? "riscv,sv39" : m->opt.mmu_max == SATP_SV57 ? "riscv,sv57"
                                                                                   : "riscv,sv48";
}
static int cpus_node(struct fdt_ctx *c)
{
    void *fdt = c->fdt;
    char isa[1024], exts[1024], name[32];
    cpu_model_isa_string(&c->m->opt.cpu, isa, sizeof isa);
    int exts_len = cpu_model_extensions(&c->m->opt.cpu, exts, sizeof exts);
    if (exts_len < 0)
        return -FDT_ERR_NOSPACE;
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    TRY(fdt_property_u32(fdt, "timebase-frequency", TIMEBASE_HZ));
    for (int h = 0; h < c->m->nharts; h++) {
        snprintf(name, sizeof name, "cpu@%x", h);
        TRY(fdt_begin_node(fdt, name));
        TRY(fdt_property_u32(fdt, "phandle", c->cpu_phandle[h]));
        TRY(fdt_property_string(fdt, "device_type", "cpu"));
        TRY(fdt_property_u32(fdt, "reg", h));
        TRY(fdt_property_string(fdt, "status", "okay"));
        TRY(fdt_property_string(fdt, "compatible", "riscv"));
        TRY(fdt_property_string(fdt, "riscv,isa", isa));
        TRY(fdt_property_string(fdt, "riscv,isa-base", "rv64i"));
        TRY(fdt_property(fdt, "riscv,isa-extensions", exts, exts_len));
        TRY(fdt_property_string(fdt, "mmu-type", mmu_type(c->m)));
        /* the cpus binding's CMO block sizes (Zicbom, Zicboz: 64 bytes) */
        if (!(c->m->opt.cpu.isa_off & ISA_BIT(ISA_ZICBOM)))
            TRY(fdt_property_u32(fdt, "riscv,cbom-block-size", 64));
        if (!(c->m->opt.cpu.isa_off & ISA_BIT(ISA_ZICBOZ)))
            TRY(fdt_property_u32(fdt, "riscv,cboz-block-size", 64));
        TRY(fdt_begin_node(fdt, "interrupt-controller"));
        TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
        TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
        TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
        TRY(fdt_property_u32(fdt, "phandle", c->intc_phandle[h]));
        TRY(fdt_end_node(fdt));
        TRY(fdt_end_node(fdt));
    }
    TRY(fdt_begin_node(fdt, "cpu-map"));
    TRY(fdt_begin_node(fdt, "cluster0"));
    for (int h = 0; h < c->m->nharts; h++) {
        snprintf(name, sizeof name, "core%d", h);
        TRY(fdt_begin_node(fdt, name));
        TRY(fdt_property_u32(fdt, "cpu", c->cpu_phandle[h]));
        TRY(fdt_end_node(fdt));
    }
    TRY(fdt_end_node(fdt));
    TRY(fdt_end_node(fdt));
    return fdt_end_node(fdt);
}

/*
 * The pmu node OpenSBI's generic platform reads (its docs, "pmu_support"):
 * riscv,event-to-mhpmcounters is <first last counter-mask> triples. As QEMU
 * 7.2's virt: cycles and instructions on their fixed counter or any hpm
 * counter, the TLB-miss cache events (SBI event type 1: DTLB read, DTLB
 * write, ITLB read misses) on any hpm counter; QEMU writes the 15 cells in
 * a 20-cell array, so the last five are zero. No counters (pmu-num=0): no
 * node (QEMU writes one naming counters that do not exist).
 */
static int pmu_node(struct fdt_ctx *c)
{
    uint32_t any = cpu_model_hpm_mask(&c->m->opt.cpu);
    if (!any)
        return 0;
    const uint32_t map[20] = {
        PMU_EV_CYCLES, PMU_EV_CYCLES, any | 1u << 0,
        PMU_EV_INSTRUCTIONS, PMU_EV_INSTRUCTIONS, any | 1u << 2,
        PMU_EV_DTLB_READ_MISS, PMU_EV_DTLB_READ_MISS, any,
        PMU_EV_DTLB_WRITE_MISS, PMU_EV_DTLB_WRITE_MISS, any,
        PMU_EV_ITLB_MISS, PMU_EV_ITLB_MISS, any,
    };
    fdt32_t cells[20];
    for (int i = 0; i < 20; i++)
        cells[i] = cpu_to_fdt32(map[i]);
    TRY(fdt_begin_node(c->fdt, "pmu"));
    TRY(fdt_property(c->fdt, "riscv,event-to-mhpmcounters", cells, sizeof cells));
    TRY(fdt_property_string(c->fdt, "compatible", "riscv,pmu"));
    return fdt_end_node(c->fdt);
}

/* A 32-bit cell when the value fits (as QEMU writes it), else 64 bits. */
static int prop_addr(void *fdt, const char *name, uint64_t v)
{
    return v >> 32 ? fdt_property_u64(fdt, name, v) : fdt_property_u32(fdt, name, (uint32_t)v);
}

static int chosen_node(struct fdt_ctx *c)
{
    struct machine *m = c->m;
    const struct board_row *u = board_find(&uart_class);
    char path[64];
    TRY(fdt_begin_node(c->fdt, "chosen"));
    if (m->opt.append)
        TRY(fdt_property_string(c->fdt, "bootargs", m->opt.append));
    snprintf(path, sizeof path, "/soc/%s@%llx", u->cls->node, (unsigned long long)u->base);
    TRY(fdt_property_string(c->fdt, "stdout-path", path));
    if (m->initrd_end) {
        TRY(prop_addr(c->fdt, "linux,initrd-start", m->initrd_start));
        TRY(prop_addr(c->fdt, "linux,initrd-end", m->initrd_end));
    }
    return fdt_end_node(c->fdt);
}

/* syscon-poweroff / syscon-reboot: a write of value to the finisher. */
static int syscon_node(struct fdt_ctx *c, const char *name, uint32_t value)
{
    TRY(fdt_begin_node(c->fdt, name));
    TRY(fdt_property_u32(c->fdt, "value", value));
    TRY(fdt_property_u32(c->fdt, "offset", 0));
    TRY(fdt_property_u32(c->fdt, "regmap", c->test_phandle));
    TRY(fdt_property_string(c->fdt, "compatible", name[0] == 'p' ? "syscon-poweroff" : "syscon-reboot"));
    return fdt_end_node(c->fdt);
}

static int build(struct fdt_ctx *c)
{
    void *fdt = c->fdt;
    struct machine *m = c->m;
    TRY(fdt_create(fdt, FDT_BUF));
    TRY(fdt_finish_reservemap(fdt));
    TRY(fdt_begin_node(fdt, ""));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property_string(fdt, "compatible", "riscv-virtio"));
    TRY(fdt_property_string(fdt, "model", "riscv-virtio,qemu"));
    TRY(chosen_node(c));
    TRY(syscon_node(c, "poweroff", 0x5555));
    TRY(syscon_node(c, "reboot", 0x7777));
    TRY(pmu_node(c));

    TRY(begin_node(fdt, "memory", m->ram_base));
    TRY(fdt_property_string(fdt, "device_type", "memory"));
    TRY(prop_reg(fdt, m->ram_base, m->ram_size));
    TRY(fdt_end_node(fdt));

    TRY(cpus_node(c));

    TRY(fdt_begin_node(fdt, "soc"));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
    TRY(fdt_property(fdt, "ranges", NULL, 0));
    TRY(devices_fdt(m, c));
    TRY(fdt_end_node(fdt));

    TRY(fdt_end_node(fdt));
    return fdt_finish(fdt);
}

void *fdt_build(struct machine *m, size_t *len, char *err, size_t errlen)
{
    struct fdt_ctx c = { .m = m, .nharts = m->nharts };
    int n = m->nharts;
    for (int h = 0; h < n; h++) {
        c.cpu_phandle[h] = 1 + 2 * h;
        c.intc_phandle[h] = 2 + 2 * h;
    }
    c.plic_phandle = 2 * n + 1;
    c.test_phandle = 2 * n + 2;
    c.fdt = calloc(1, FDT_BUF);
    if (!c.fdt) {
        snprintf(err, errlen, "out of memory for the device tree");
        return NULL;
    }
    int r = build(&c);
    if (r < 0) {
        snprintf(err, errlen, "device tree: %s", fdt_strerror(r));
        free(c.fdt);
        return NULL;
    }
    *len = fdt_totalsize(c.fdt);
    return c.fdt;
}

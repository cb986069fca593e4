/*
 * Device registers of the virt board, driven through their bus callbacks
 * on a bare struct machine (no firmware): PLIC, UART, CLINT, RTC, the
 * empty virtio-mmio slots and the generated device tree.
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/board.h"
#include "../../machine/fdt.h"
#include "dev_rig.h"
#include <libfdt.h>
#include <string.h>
#include <time.h>

#define MIP(m, h, irq) (((m)->harts[h].mip >> (irq)) & 1)

static struct machine *new_machine(int nharts)
{
    struct machine *m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    m->nharts = nharts;
    m->opt.smp = nharts;
    m->opt.icount_shift = 0;            /* 1 ns an instruction: mtime = m->icount / 100, no host clock */
    m->opt.mmu_max = 9;
    m->ram_base = 0x80000000;
    m->ram_size = 128u << 20;
    machine_core_init(m);
    for (int i = 0; i < nharts; i++)
        hart_reset(&m->harts[i], &m->core, i, 0x1000);
    rig_attach(m, &clint_class, &m->clint, 0, NULL);
    rig_attach(m, &plic_class, &m->plic, 0, NULL);
    return m;
}

static uint32_t rd(const struct device_ops *ops, void *dev, uint64_t off, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    ck_assert_int_eq(ops->read(dev, off, size, &v), 0);
    return (uint32_t)v;
}
static void wr(const struct device_ops *ops, void *dev, uint64_t off, unsigned size, uint64_t v)
{
    ck_assert_int_eq(ops->write(dev, off, size, v), 0);
}
#define PR(off)      rd(plic_class.ops, &m->plic, off, 4)
#define PW(off, v)   wr(plic_class.ops, &m->plic, off, 4, v)
#define ENABLE(c)    (0x2000 + 0x80 * (c))
#define THRESH(c)    (0x200000 + 0x1000 * (c))
#define CLAIM(c)     (0x200004 + 0x1000 * (c))

/* ---- PLIC -------------------------------------------------------------- */
START_TEST(plic_priority_regs)
{
    struct machine *m = new_machine(1);
    PW(4 * 5, 3);
    PW(4 * 95, 0xffffffff);
    PW(0, 7);                                   /* source 0 does not exist */
    ck_assert_uint_eq(PR(4 * 5), 3);
    ck_assert_uint_eq(PR(4 * 95), 7);           /* 3 priority bits */
    ck_assert_uint_eq(PR(0), 0);
    PW(ENABLE(0), 0xffffffff);
    ck_assert_uint_eq(PR(ENABLE(0)), 0xfffffffe);   /* bit 0: source 0 */
    ck_assert_uint_eq(PR(ENABLE(2)), 0);        /* context 2 needs a second hart */
    free(m);
}
END_TEST

START_TEST(plic_pending_and_threshold)
{
    struct machine *m = new_machine(1);
    plic_set_irq(&m->plic, 10, true);
    ck_assert_uint_eq(PR(0x1000), 1u << 10);    /* pending even if disabled */
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 0);
    PW(ENABLE(0), 1u << 10);
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 0);    /* priority 0: never */
    PW(4 * 10, 2);
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 1);
    PW(THRESH(0), 2);                           /* must exceed the threshold */
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 0);
    ck_assert_uint_eq(PR(THRESH(0)), 2);
    PW(THRESH(0), 1);
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 1);
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 0);    /* context 1 has nothing enabled */
    free(m);
}
END_TEST

START_TEST(plic_claim_complete)
{
    struct machine *m = new_machine(1);
    PW(4 * 3, 1);
    PW(4 * 40, 5);
    PW(4 * 41, 5);
    PW(ENABLE(1), 1u << 3);
    PW(ENABLE(1) + 4, 3u << 8);                 /* sources 40, 41 */
    plic_set_irq(&m->plic, 3, true);
    plic_set_irq(&m->plic, 41, true);
    plic_set_irq(&m->plic, 40, true);
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 1);    /* context 1 = S of hart 0 */
    ck_assert_uint_eq(PR(CLAIM(1)), 40);        /* highest priority, lowest id */
    ck_assert_uint_eq(PR(0x1000 + 4) & (1u << 8), 0);
    ck_assert_uint_eq(PR(CLAIM(1)), 41);
    ck_assert_uint_eq(PR(CLAIM(1)), 3);
    ck_assert_uint_eq(PR(CLAIM(1)), 0);         /* nothing left */
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 0);
    /* Line still high while claimed: not pending until complete. */
    ck_assert_uint_eq(PR(0x1000 + 4), 0);
    PW(CLAIM(1), 40);
    ck_assert_uint_eq(PR(0x1000 + 4), 1u << 8);
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 1);
    /* Line dropped before complete: nothing comes back. */
    plic_set_irq(&m->plic, 41, false);
    PW(CLAIM(1), 41);
    ck_assert_uint_eq(PR(0x1000 + 4), 1u << 8);
    free(m);
}
END_TEST

START_TEST(plic_contexts_per_hart)
{
    struct machine *m = new_machine(3);
    PW(4 * 7, 1);
    PW(ENABLE(4), 1u << 7);                     /* hart 2, M */
    PW(ENABLE(3), 1u << 7);                     /* hart 1, S */
    plic_set_irq(&m->plic, 7, true);
    static const int want[3][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 } };
    for (int h = 0; h < 3; h++) {
        ck_assert_msg(MIP(m, h, IRQ_MEI) == (uint64_t)want[h][0], "case %d: MEIP", h);
        ck_assert_msg(MIP(m, h, IRQ_SEI) == (uint64_t)want[h][1], "case %d: SEIP", h);
    }
    ck_assert_uint_eq(PR(ENABLE(6)), 0);        /* no hart 3 */
    free(m);
}
END_TEST

/* ---- UART -------------------------------------------------------------- */
#define UR(off)     rd(uart_class.ops, &m->uart, off, 1)
#define UW(off, v)  wr(uart_class.ops, &m->uart, off, 1, v)

static struct machine *uart_machine(char *buf, size_t len, FILE **out)
{
    struct machine *m = new_machine(1);
    *out = fmemopen(buf, len, "w");
    ck_assert_ptr_nonnull(*out);
    rig_attach(m, &uart_class, &m->uart, 10, *out);
    PW(4 * 10, 1);
    PW(ENABLE(1), 1u << 10);                    /* UART to hart 0's S context */
    return m;
}

START_TEST(uart_transmit_and_lsr)
{
    char buf[64] = { 0 };
    FILE *out;
    struct machine *m = uart_machine(buf, sizeof buf, &out);
    ck_assert_uint_eq(UR(5), 0x60);             /* THRE | TEMT, no data */
    UW(0, 'o');
    UW(0, 'k');
    fflush(out);
    ck_assert_str_eq(buf, "ok");
    UW(7, 0x5a);
    ck_assert_uint_eq(UR(7), 0x5a);             /* scratch */
    fclose(out);
    free(m);
}
END_TEST

START_TEST(uart_receive_fifo)
{
    char buf[16];
    FILE *out;
    struct machine *m = uart_machine(buf, sizeof buf, &out);
    for (int i = 0; i < UART_FIFO + 2; i++)
        uart_receive(&m->uart, 'a' + i);
    ck_assert_uint_eq(uart_rx_room(&m->uart), 0);
    ck_assert_uint_eq(UR(5), 0x63);             /* DR | OE | THRE | TEMT */
    ck_assert_uint_eq(UR(5), 0x61);             /* OE clears on read */
    for (int i = 0; i < UART_FIFO; i++)
        ck_assert_msg(UR(0) == (uint32_t)('a' + i), "case %d: byte out of order", i);
    ck_assert_uint_eq(UR(5) & 1, 0);
    ck_assert_uint_eq(uart_rx_room(&m->uart), UART_FIFO);
    fclose(out);
    free(m);
}
END_TEST

START_TEST(uart_interrupts)
{
    char buf[16];
    FILE *out;
    struct machine *m = uart_machine(buf, sizeof buf, &out);
    ck_assert_uint_eq(UR(2), 0x01);             /* nothing pending, FIFOs off */
    UW(2, 0x07);                                /* FIFOs on, clear both */
    ck_assert_uint_eq(UR(2), 0xc1);
    uart_receive(&m->uart, 'x');
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 0);    /* ERBFI off */
    UW(1, 0x01);
    ck_assert_uint_eq(UR(2), 0xc4);             /* received data available */
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 1);
    ck_assert_uint_eq(PR(CLAIM(1)), 10);
    ck_assert_uint_eq(UR(0), 'x');
    PW(CLAIM(1), 10);
    ck_assert_uint_eq(UR(2), 0xc1);
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 0);
    /* THR empty: raised when enabled, acknowledged by reading IIR, raised
     * again by the next transmission. */
    UW(1, 0x02);
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 1);
    ck_assert_uint_eq(UR(2), 0xc2);
    ck_assert_uint_eq(UR(2), 0xc1);
    PW(CLAIM(1), PR(CLAIM(1)));
    ck_assert_int_eq(MIP(m, 0, IRQ_SEI), 0);
    UW(0, '!');
    ck_assert_uint_eq(UR(2), 0xc2);
    /* Received data outranks THR empty. */
    UW(1, 0x03);
    uart_receive(&m->uart, 'y');
    ck_assert_uint_eq(UR(2), 0xc4);
    fclose(out);
    free(m);
}
END_TEST

START_TEST(uart_divisor_latch_and_loopback)
{
    char buf[16] = { 0 };
    FILE *out;
    struct machine *m = uart_machine(buf, sizeof buf, &out);
    UW(1, 0x05);
    UW(3, 0x83);                                /* DLAB, 8N1 */
    UW(0, 0x01);
    UW(1, 0x02);
    ck_assert_uint_eq(UR(0), 0x01);
    ck_assert_uint_eq(UR(1), 0x02);
    UW(3, 0x03);
    ck_assert_uint_eq(UR(1), 0x05);             /* IER unchanged by DLM writes */
    ck_assert_uint_eq(UR(3), 0x03);
    UW(4, 0x10);                                /* loopback: THR -> RBR */
    UW(0, 'L');
    ck_assert_uint_eq(UR(5) & 1, 1);
    ck_assert_uint_eq(UR(0), 'L');
    fflush(out);
    ck_assert_str_eq(buf, "");
    fclose(out);
    free(m);
}
END_TEST

/* ---- CLINT ------------------------------------------------------------- */
#define CR(off, size)     rd(clint_class.ops, &m->clint, off, size)
#define CW(off, size, v)  wr(clint_class.ops, &m->clint, off, size, v)

START_TEST(clint_msip)
{
    struct machine *m = new_machine(2);
    CW(4, 4, 1);
    ck_assert_int_eq(MIP(m, 1, IRQ_MSI), 1);
    ck_assert_int_eq(MIP(m, 0, IRQ_MSI), 0);
    ck_assert_uint_eq(CR(4, 4), 1);
    CW(4, 4, 0);
    ck_assert_int_eq(MIP(m, 1, IRQ_MSI), 0);
    CW(8, 4, 1);                                /* no hart 2: ignored */
    ck_assert_uint_eq(CR(8, 4), 0);
    free(m);
}
END_TEST

START_TEST(clint_timer)
{
    struct machine *m = new_machine(2);
    ck_assert_uint_eq(CR(0x4008, 4), 0xffffffff);   /* reset: never */
    CW(0x4008, 8, 0x123456789aull);
    ck_assert_uint_eq(CR(0x4008, 4), 0x3456789a);
    ck_assert_uint_eq(CR(0x400c, 4), 0x12);
    CW(0x400c, 4, 0);                           /* high word alone */
    ck_assert_uint_eq(CR(0x400c, 4), 0);
    ck_assert_uint_eq(CR(0x4008, 4), 0x3456789a);
    m->icount = 100000;                         /* mtime = (icount << 0) / 100 ns a tick */
    ck_assert_uint_eq(CR(0xbff8, 4), 1000);
    ck_assert_uint_eq(CR(0xbffc, 4), 0);
    CW(0x4000, 8, 1000);
    ck_assert_int_eq(MIP(m, 0, IRQ_MTI), 1);    /* mtime >= mtimecmp */
    ck_assert_int_eq(MIP(m, 1, IRQ_MTI), 0);
    CW(0x4000, 8, 1001);
    ck_assert_int_eq(MIP(m, 0, IRQ_MTI), 0);
    m->icount = 100099;                         /* still 1000 */
    clint_update(&m->clint, machine_mtime(m));
    ck_assert_int_eq(MIP(m, 0, IRQ_MTI), 0);
    m->icount = 100100;
    clint_update(&m->clint, machine_mtime(m));
    ck_assert_int_eq(MIP(m, 0, IRQ_MTI), 1);
    ck_assert_uint_eq(clint_next_deadline(&m->clint, 1000), 1001);
    ck_assert_uint_eq(clint_next_deadline(&m->clint, 1001), 0x3456789a);  /* hart 0: passed */
    free(m);
}
END_TEST

/* ---- RTC, virtio slots ------------------------------------------------- */
START_TEST(rtc_time_and_alarm)
{
    struct machine *m = new_machine(1);
    rig_attach(m, &rtc_class, &m->rtc, 11, NULL);
    PW(4 * 11, 1);
    PW(ENABLE(0), 1u << 11);
    uint64_t lo = rd(rtc_class.ops, &m->rtc, 0, 4), hi = rd(rtc_class.ops, &m->rtc, 4, 4);
    uint64_t secs = (hi << 32 | lo) / 1000000000ull;
    uint64_t host = (uint64_t)time(NULL);
    ck_assert_msg(secs + 2 >= host && secs <= host + 2, "rtc %llu, host %llu",
                  (unsigned long long)secs, (unsigned long long)host);
    wr(rtc_class.ops, &m->rtc, 0x10, 4, 1);          /* irq enabled */
    wr(rtc_class.ops, &m->rtc, 0x0c, 4, hi);
    wr(rtc_class.ops, &m->rtc, 0x08, 4, lo);         /* alarm in the past: fires */
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 1);
    ck_assert_uint_eq(rd(rtc_class.ops, &m->rtc, 0x18, 4), 0);
    wr(rtc_class.ops, &m->rtc, 0x1c, 4, 1);
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 0);
    wr(rtc_class.ops, &m->rtc, 0x0c, 4, hi + 100);   /* far future: armed */
    wr(rtc_class.ops, &m->rtc, 0x08, 4, 0);
    ck_assert_uint_eq(rd(rtc_class.ops, &m->rtc, 0x18, 4), 1);
    ck_assert_int_eq(MIP(m, 0, IRQ_MEI), 0);
    free(m);
}
END_TEST

START_TEST(virtio_empty_slot)
{
    struct vslot v = { .legacy = false };
    ck_assert_uint_eq(rd(vslot_class.ops, &v, 0, 4), 0x74726976);
    ck_assert_uint_eq(rd(vslot_class.ops, &v, 4, 4), 2);
    ck_assert_uint_eq(rd(vslot_class.ops, &v, 8, 4), 0);     /* no device */
    ck_assert_uint_eq(rd(vslot_class.ops, &v, 0xc, 4), 0x554d4551);
    v.legacy = true;
    ck_assert_uint_eq(rd(vslot_class.ops, &v, 4, 4), 1);
}
END_TEST

/* ---- device tree ------------------------------------------------------- */
START_TEST(fdt_shape)
{
    struct machine *m = new_machine(3);
    m->opt.append = "console=ttyS0";
    char err[128];
    size_t len;
    ck_assert_int_eq(devices_create(m, err, sizeof err), 0);
    void *fdt = fdt_build(m, &len, err, sizeof err);
    ck_assert_msg(fdt != NULL, "%s", err);
    ck_assert_int_eq(fdt_check_header(fdt), 0);
    ck_assert_uint_eq(len, fdt_totalsize(fdt));
    for (int h = 0; h < 4; h++) {
        char path[32];
        snprintf(path, sizeof path, "/cpus/cpu@%x", h);
        ck_assert_msg((fdt_path_offset(fdt, path) >= 0) == (h < 3), "case %d: cpu node", h);
    }
    int plic = fdt_path_offset(fdt, "/soc/plic@c000000");
    ck_assert_int_ge(plic, 0);
    int l;
    const fdt32_t *ie = fdt_getprop(fdt, plic, "interrupts-extended", &l);
    ck_assert_int_eq(l, 3 * 16);
    ck_assert_uint_eq(fdt32_to_cpu(ie[1]), IRQ_MEI);
    ck_assert_uint_eq(fdt32_to_cpu(ie[3]), IRQ_SEI);
    for (int n = 0; n < VIRTIO_SLOTS; n++) {
        char path[40];
        snprintf(path, sizeof path, "/soc/virtio_mmio@%x", 0x10001000 + 0x1000 * n);
        int off = fdt_path_offset(fdt, path);
        ck_assert_msg(off >= 0, "case %d: no %s", n, path);
        const fdt32_t *irq = fdt_getprop(fdt, off, "interrupts", &l);
        ck_assert_msg(irq && fdt32_to_cpu(*irq) == (uint32_t)(1 + n), "case %d: irq", n);
    }
    const char *args = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", &l);
    ck_assert_str_eq(args, "console=ttyS0");
    free(fdt);
    devices_free(m);
    free(m);
}
END_TEST

/* ---- the board table ---------------------------------------------------- */
/* Rows do not overlap; every device class has what the board walks
 * (reset, a node writer, save and restore, a section version), a PLIC
 * line in range for each instance, and a state where the row says. */
START_TEST(board_table_consistent)
{
    for (int i = 0; i < board_nrows; i++) {
        const struct board_row *r = &board_rows[i];
        const struct dev_class *c = r->cls;
        uint64_t end = r->base + r->size * (uint64_t)board_row_count(r);
        ck_assert_msg(c && c->name, "row %d: no class", i);
        for (int j = 0; j < i; j++) {
            const struct board_row *q = &board_rows[j];
            uint64_t qend = q->base + q->size * (uint64_t)board_row_count(q);
            ck_assert_msg(end <= q->base || qend <= r->base || !r->size || !q->size,
                          "rows %s and %s overlap", c->name, q->cls->name);
        }
        if (!c->state_size)
            continue;               /* memory */
        ck_assert_msg(c->node && c->compatible && c->reset && c->fdt_node && c->save &&
                      c->restore && c->state_version, "class %s incomplete", c->name);
        ck_assert_msg(r->irq + board_row_count(r) - 1 < PLIC_SOURCES, "%s: irq", c->name);
        ck_assert_msg(!(c->needs & DEV_NEEDS_IRQ) || r->irq, "%s needs a line", c->name);
        ck_assert_msg(!r->in_machine || r->state_stride == c->state_size, "%s: state", c->name);
    }
}
END_TEST

/* devices_create makes one instance per row and count, in table order. */
START_TEST(board_instances_in_order)
{
    struct machine *m = new_machine(2);
    char err[128];
    ck_assert_int_eq(devices_create(m, err, sizeof err), 0);
    int k = 0;
    for (int i = 0; i < board_nrows; i++) {
        if (!board_rows[i].cls->state_size)
            continue;
        for (int n = 0; n < board_row_count(&board_rows[i]); n++, k++) {
            ck_assert_int_lt(k, m->ndevs);
            ck_assert_ptr_eq(m->devs[k].cls, board_rows[i].cls);
            ck_assert_int_eq(m->devs[k].n, n);
        }
    }
    ck_assert_int_eq(k, m->ndevs);
    ck_assert_ptr_eq(devices_find(m, "virtio-mmio", 3)->state, &m->vslot[3]);
    ck_assert_ptr_eq(devices_find(m, "uart", 0)->state, &m->uart);
    ck_assert_int_eq(m->vslot[3].irq.src, 4);           /* PLIC source 1 + n */
    ck_assert_ptr_eq(m->vslot[3].irq.ctrl, &m->plic);
    ck_assert_ptr_null(devices_find(m, "uart", 1));
    devices_free(m);
    free(m);
}
END_TEST

static Suite *devices_suite(void)
{
    Suite *s = suite_create("devices");
    TCase *t = tcase_create("devices");
    tcase_add_test(t, plic_priority_regs);
    tcase_add_test(t, plic_pending_and_threshold);
    tcase_add_test(t, plic_claim_complete);
    tcase_add_test(t, plic_contexts_per_hart);
    tcase_add_test(t, uart_transmit_and_lsr);
    tcase_add_test(t, uart_receive_fifo);
    tcase_add_test(t, uart_interrupts);
    tcase_add_test(t, uart_divisor_latch_and_loopback);
    tcase_add_test(t, clint_msip);
    tcase_add_test(t, clint_timer);
    tcase_add_test(t, rtc_time_and_alarm);
    tcase_add_test(t, virtio_empty_slot);
    tcase_add_test(t, fdt_shape);
    tcase_add_test(t, board_table_consistent);
    tcase_add_test(t, board_instances_in_order);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(devices_suite)

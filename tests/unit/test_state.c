/*
 * The save/restore stream (machine/state.h, snapshot.h). For every device
 * and the harts: put it in a state unlike reset, save it, restore into a
 * fresh machine, save again: the two streams must be byte-identical, and
 * differ from the fresh machine's own. Damaged streams (another format or
 * section version, a wrong CRC, truncated, an unknown section, a short
 * payload) are refused with -1 and a message.
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/options.h"
#include "../../machine/state.h"
#include "../../machine/snapshot.h"
#include "../../machine/hart_state.h"
#include "../../disk/virtio_blk.h"
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <zlib.h>

/* A machine with every kind of device: smp harts, a disk, the framebuffer
 * with keyboard and tablet; time from the instruction count; prog (n
 * words) at the start of RAM. */
static struct machine *boot_with(const uint32_t *prog, size_t n, char *smp)
{
    char kernel_path[] = "/tmp/hartvm-state-kXXXXXX", disk_path[] = "/tmp/hartvm-state-dXXXXXX";
    int k = mkstemp(kernel_path), d = mkstemp(disk_path);
    ck_assert(k >= 0 && d >= 0);
    ck_assert_int_eq(write(k, prog, 4 * n), (ssize_t)(4 * n));
    ck_assert_int_eq(ftruncate(d, 1 << 20), 0);
    close(k);
    close(d);
    char drive[128];
    snprintf(drive, sizeof drive, "file=%s,if=virtio,format=raw", disk_path);
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", kernel_path, "-m", "16M", "-smp", smp,
                     "-serial", "file:/dev/null", "-icount", "shift=7", "-drive", drive,
                     "--fb", "64x64", NULL };
    struct options opt;
    char err[256];
    int argc = sizeof argv / sizeof argv[0] - 1;
    ck_assert_msg(options_parse(argc, argv, &opt, stdout, err, sizeof err) == PARSE_OK, "%s", err);
    struct machine *m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(kernel_path);
    unlink(disk_path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    return m;
}

static struct machine *boot(void)
{
    static const uint32_t loop[] = { 0x0000006f };     /* j . */
    return boot_with(loop, 1, "2");
}

static void shut(struct machine *m)
{
    machine_free(m);
    free(m);
}

static void wr(struct machine *m, uint64_t pa, unsigned size, uint64_t v)
{
    struct region *r = bus_find(&m->bus, pa, size);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_nonnull(r->ops);
    ck_assert_int_eq(r->ops->write(r->dev, pa - r->base, size, v), 0);
}

static uint64_t rd(struct machine *m, uint64_t pa, unsigned size)
{
    struct region *r = bus_find(&m->bus, pa, size);
    uint64_t v = 0;
    ck_assert_int_eq(r->ops->read(r->dev, pa - r->base, size, &v), 0);
    return v;
}

/* ---- non-trivial states, one per device -------------------------------- */
static void stir_uart(struct machine *m)
{
    wr(m, 0x10000001, 1, 0x07);             /* IER */
    wr(m, 0x10000007, 1, 0x5a);             /* SCR */
    wr(m, 0x10000003, 1, 0x80);             /* DLAB */
    wr(m, 0x10000000, 1, 0x03);             /* DLL */
    wr(m, 0x10000003, 1, 0x03);
    for (int i = 0; i < 5; i++)
        uart_receive(&m->uart, 'a' + i);
    rd(m, 0x10000000, 1);                   /* FIFO head moves */
}

static void stir_plic(struct machine *m)
{
    wr(m, 0x0c000000 + 4 * 10, 4, 3);       /* priorities */
    wr(m, 0x0c000000 + 4 * 5, 4, 6);
    wr(m, 0x0c002000 + 0x80 * 1, 4, 1u << 10 | 1u << 5);
    wr(m, 0x0c201000, 4, 1);                /* context 1 threshold */
    plic_set_irq(&m->plic, 5, true);
    plic_set_irq(&m->plic, 10, true);
    ck_assert_uint_eq(rd(m, 0x0c201004, 4), 5);     /* claim: 5 claimed, 10 pending */
}

static void stir_clint(struct machine *m)
{
    wr(m, 0x02004000, 8, 0x123456789ull);
    wr(m, 0x02004008, 8, 77);
    wr(m, 0x02000004, 4, 1);                /* msip of hart 1 (in its mip) */
}

static void stir_rtc(struct machine *m)
{
    wr(m, 0x00101010, 4, 1);                /* irq enabled */
    wr(m, 0x0010100c, 4, 0x7fffffff);       /* alarm far ahead: armed */
    wr(m, 0x00101008, 4, 0x1234);
    wr(m, 0x00101004, 4, 0x10);             /* set the clock */
    wr(m, 0x00101000, 4, 0x20);
}

/* The disk's transport half set up, as a driver leaves it mid-probe. */
static void stir_vblk(struct machine *m)
{
    uint64_t b = 0x10001000 + 0x1000 * 7;
    ck_assert_uint_eq(rd(m, b + 8, 4), 2);  /* virtio-blk */
    wr(m, b + 0x070, 4, 3);                 /* ACK | DRIVER */
    wr(m, b + 0x024, 4, 0);
    wr(m, b + 0x020, 4, 1u << 9);
    wr(m, b + 0x030, 4, 0);
    wr(m, b + 0x038, 4, 64);
    wr(m, b + 0x028, 4, 4096);              /* legacy page size */
    wr(m, b + 0x040, 4, 0x80100);           /* legacy PFN */
}

static void stir_vinput(struct machine *m)
{
    uint64_t b = 0x10001000 + 0x1000 * 6;
    ck_assert_uint_eq(rd(m, b + 8, 4), 18); /* virtio-input */
    wr(m, b + 0x100, 1, 0x11);              /* select EV_BITS */
    wr(m, b + 0x101, 1, 0x01);              /* EV_KEY */
    wr(m, b + 0x070, 4, 1);
}

static void stir_htif(struct machine *m)
{
    m->htif.fromhost = 0x0101000000000000ull;
}

static void stir_harts(struct machine *m)
{
    for (int h = 0; h < m->nharts; h++) {
        struct hart *t = &m->harts[h];
        for (int i = 1; i < 32; i++)
            t->x[i] = 0x1111111111111111ull * (uint64_t)i + h;
        for (int i = 0; i < 32; i++)
            t->f[i] = ~(uint64_t)i << h;
        t->pc = 0x80001234 + 4 * h;
        t->mstatus = MSTATUS_MPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_SPIE;
        t->mtvec = 0x80000100;
        t->stvec = 0x80000200;
        t->mepc = 0x1000 + 2 * h;
        t->mideleg = 0x222;
        t->mie = 0xaaa;
        t->satp = 8ull << 60 | 0x80123;
        t->stimecmp = 999;
        t->fflags = 0x1f;
        t->frm = 3;
        t->mcounteren = 7;
        t->pmu.ctr[2] = 123456;
        t->pmu.ctr[3] = 77 + h;
        t->pmu.cfg[3] = 2;
        t->pmp[3] = (struct pmp_entry){ 0x1f, 0x20001000 };
        t->priv = PRV_S;
        t->resv = (uintptr_t)(m->ram + 0x1008);
        t->wfi = h == 1;
    }
    m->icount = 4242;
}

/* ---- the round trip ---------------------------------------------------- */
static uint8_t *save(struct machine *m, size_t *len)
{
    uint8_t *buf;
    char err[256];
    ck_assert_msg(machine_save_state(m, &buf, len, err, sizeof err) == 0, "%s", err);
    return buf;
}

/* The section name/instance of the fresh stream differs in content from
 * the stirred one (the stirring did something), and the round trip is
 * byte-identical. */
static uint32_t section_crc(const uint8_t *buf, size_t len, const char *name, uint32_t inst)
{
    struct state_in in;
    char err[256];
    ck_assert_int_eq(state_in_open(&in, buf, len, err, sizeof err), 0);
    while (state_in_next(&in, err, sizeof err) > 0)
        if (!strcmp(in.sec.name, name) && in.sec.instance == inst)
            return (uint32_t)crc32(0L, buf + in.sec.at, in.sec.len);
    ck_abort_msg("no section %s %u", name, inst);
    return 0;
}

static void round_trip(void (*stir)(struct machine *), const char *name, uint32_t inst)
{
    struct machine *a = boot(), *b = boot();
    size_t fresh_len, la, lb;
    uint8_t *fresh = save(b, &fresh_len);
    stir(a);
    uint8_t *sa = save(a, &la);
    char err[256];
    ck_assert_msg(machine_restore_state(b, sa, la, err, sizeof err) == 0, "%s", err);
    uint8_t *sb = save(b, &lb);
    ck_assert_msg(la == lb && memcmp(sa, sb, la) == 0, "stirred %s %u: the streams differ after restore",
                  name, inst);
    ck_assert_msg(section_crc(fresh, fresh_len, name, inst) != section_crc(sa, la, name, inst),
                  "%s %u: stirring changed nothing", name, inst);
    free(fresh);
    free(sa);
    free(sb);
    shut(a);
    shut(b);
}

START_TEST(uart_round_trip) { round_trip(stir_uart, "uart", 0); }
END_TEST
START_TEST(plic_round_trip) { round_trip(stir_plic, "plic", 0); }
END_TEST
START_TEST(clint_round_trip) { round_trip(stir_clint, "clint", 0); }
END_TEST
START_TEST(rtc_round_trip) { round_trip(stir_rtc, "rtc", 0); }
END_TEST
START_TEST(vblk_round_trip) { round_trip(stir_vblk, "virtio-mmio", 7); }
END_TEST
START_TEST(vinput_round_trip) { round_trip(stir_vinput, "virtio-mmio", 6); }
END_TEST
START_TEST(htif_round_trip) { round_trip(stir_htif, "htif", 0); }
END_TEST
START_TEST(hart_round_trip) { round_trip(stir_harts, "hart", 1); }
END_TEST

/* Everything at once, and the restored machine reads back what was set. */
static void stir_all(struct machine *m)
{
    stir_uart(m); stir_plic(m); stir_clint(m); stir_rtc(m);
    stir_vblk(m); stir_vinput(m); stir_htif(m); stir_harts(m);
}

START_TEST(machine_round_trip)
{
    round_trip(stir_all, "timebase", 0);
    struct machine *a = boot(), *b = boot();
    stir_all(a);
    size_t len;
    uint8_t *s = save(a, &len);
    char err[256];
    ck_assert_msg(machine_restore_state(b, s, len, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b->harts[1].x[5], a->harts[1].x[5]);
    ck_assert_uint_eq(b->harts[0].priv, PRV_S);
    ck_assert(b->harts[1].wfi);
    ck_assert_ptr_eq((void *)b->harts[0].resv, b->ram + 0x1008);   /* its own RAM */
    ck_assert_uint_eq(b->clint.mtimecmp[0], 0x123456789ull);
    ck_assert_uint_eq(rd(b, 0x10000007, 1), 0x5a);
    ck_assert_uint_eq(b->icount, 4242);
    /* the counters, and what they count from here (event 2: instructions) */
    ck_assert_uint_eq(hart_instret(&b->harts[1]), 123456);
    ck_assert_uint_eq(b->harts[1].pmu.ctr[3], 78);
    ck_assert_uint_eq(b->harts[1].pmu.cfg[3], 2);
    ck_assert_uint_eq(b->harts[1].pmu.live & (1u << 3), 1u << 3);
    free(s);
    shut(a);
    shut(b);
}
END_TEST

/* The finisher and the empty slots have no state: still a section each. */
START_TEST(stateless_sections)
{
    struct machine *m = boot();
    size_t len;
    uint8_t *s = save(m, &len);
    section_crc(s, len, "test-finisher", 0);
    section_crc(s, len, "virtio-mmio", 0);
    section_crc(s, len, "framebuffer", 0);
    free(s);
    shut(m);
}
END_TEST

/* ---- damaged streams ---------------------------------------------------- */
static void fix_crc(uint8_t *buf, size_t len)
{
    uint32_t c = (uint32_t)crc32(0L, buf, (uInt)(len - 4));
    for (int i = 0; i < 4; i++)
        buf[len - 4 + i] = (uint8_t)(c >> (8 * i));
}

static void refused(struct machine *m, const uint8_t *buf, size_t len, const char *want)
{
    char err[256] = "";
    ck_assert_msg(machine_restore_state(m, buf, len, err, sizeof err) == -1, "accepted (%s)", want);
    ck_assert_msg(strstr(err, want), "message '%s' lacks '%s'", err, want);
}

START_TEST(damaged_streams)
{
    struct machine *m = boot();
    size_t len;
    uint8_t *good = save(m, &len), *s = malloc(len + 64);
    /* another format version */
    memcpy(s, good, len);
    s[8] = 2;
    fix_crc(s, len);
    refused(m, s, len, "format version 2");
    /* a flipped bit anywhere */
    for (size_t at = 0; at < len; at += len / 7) {
        memcpy(s, good, len);
        s[at] ^= 0x10;
        char err[256];
        ck_assert_msg(machine_restore_state(m, s, len, err, sizeof err) == -1, "flip at %zu", at);
    }
    memcpy(s, good, len);
    s[len / 2] ^= 1;
    refused(m, s, len, "checksum");
    /* truncated, at every length */
    for (size_t n = 0; n < len; n++) {
        char err[256];
        ck_assert_msg(machine_restore_state(m, good, n, err, sizeof err) == -1, "length %zu", n);
    }
    /* the first section renamed: unknown to this machine */
    memcpy(s, good, len);
    ck_assert(!memcmp(s + 18, "hart", 4));
    s[19] = 'x';
    fix_crc(s, len);
    refused(m, s, len, "unknown section hxrt 0");
    /* the first section's version */
    memcpy(s, good, len);
    s[18 + 4 + 4] = 9;
    fix_crc(s, len);
    refused(m, s, len, "version 9");
    free(good);
    free(s);
    shut(m);
}
END_TEST

/* Hand-built streams through the writer: a short payload, a missing part,
 * a duplicate, trailing garbage. */
static uint8_t *stream_of(struct machine *m, const char *skip, const char *dup, int cut, size_t *len)
{
    size_t full_len;
    uint8_t *full = save(m, &full_len);
    struct state_in in;
    struct state_out o;
    char err[256];
    state_in_open(&in, full, full_len, err, sizeof err);
    state_out_init(&o);
    while (state_in_next(&in, err, sizeof err) > 0) {
        const struct state_section *sec = &in.sec;
        bool is_dup = dup && !strcmp(sec->name, dup) && sec->instance == 0;
        if (skip && !strcmp(sec->name, skip) && sec->instance == 0)
            continue;
        for (int k = 0; k < 1 + is_dup; k++) {
            state_begin(&o, sec->name, sec->instance, sec->version);
            uint32_t n = sec->len;
            if (cut && !strcmp(sec->name, "uart"))
                n = n > (uint32_t)cut ? n - (uint32_t)cut : 0;
            state_put_bytes(&o, full + sec->at, n);
            state_end(&o);
        }
    }
    free(full);
    uint8_t *buf;
    ck_assert_int_eq(state_out_finish(&o, &buf, len, err, sizeof err), 0);
    return buf;
}

START_TEST(malformed_sections)
{
    struct machine *m = boot();
    size_t len;
    uint8_t *s = stream_of(m, NULL, NULL, 0, &len);
    char err[256];
    ck_assert_msg(machine_restore_state(m, s, len, err, sizeof err) == 0, "%s", err);  /* the control */
    free(s);
    s = stream_of(m, NULL, NULL, 3, &len);
    refused(m, s, len, "section uart 0: payload too short");
    free(s);
    s = stream_of(m, "rtc", NULL, 0, &len);
    refused(m, s, len, "no section for rtc 0");
    free(s);
    s = stream_of(m, NULL, "clint", 0, &len);
    refused(m, s, len, "section clint 0 twice");
    free(s);
    shut(m);
}
END_TEST

/* A value no device could hold is refused with the section named. */
START_TEST(values_out_of_range)
{
    struct machine *m = boot();
    size_t len;
    uint8_t *s = save(m, &len);
    struct state_in in;
    char err[256];
    state_in_open(&in, s, len, err, sizeof err);
    while (state_in_next(&in, err, sizeof err) > 0 && strcmp(in.sec.name, "uart"))
        ;
    s[in.sec.at + UART_FIFO] = UART_FIFO;           /* rx_head past the FIFO */
    fix_crc(s, len);
    refused(m, s, len, "section uart 0: receive FIFO index out of range");
    free(s);
    shut(m);
}
END_TEST

/*
 * A guest that touches what a hart holds (integer and FP registers, fflags,
 * LR/SC, a timer interrupt every 777 ticks (~600 instructions at -icount
 * shift=7: 1.28 ticks each), UART output):
 *
 *       la t0, handler; csrw mtvec, t0
 *       li t1, 0x02004000; li t2, 0x0200bff8    mtimecmp, mtime
 *       ld t3, 0(t2); addi t3, t3, 500; sd t3, 0(t1)
 *       li t0, 0x80; csrs mie, t0; li t0, 0x2008; csrs mstatus, t0
 *       li s0, 0; li s1, 0x80010000; li s2, 0x10000000
 *   loop: addi s0, s0, 1; andi t0, s0, 1023; slli t4, t0, 3; add t4, t4, s1
 *       ld t5, 0(t4); add t5, t5, s0; sd t5, 0(t4)
 *       fcvt.d.l ft0, s0; fadd.d ft1, ft1, ft0
 *       lr.d t6, (s1); addi t6, t6, 3; sc.d a0, t6, (s1)
 *       andi t0, s0, 2047; bnez t0, loop; sb s0, 0(s2); j loop
 *   handler: addi s3, s3, 1; ld t3, 0(t2); addi t3, t3, 777; sd t3, 0(t1); mret
 */
static const uint32_t busy_guest[] = {
    0x00000297, 0x08c28293, 0x30529073, 0x02004337, 0x0200c3b7, 0xff83839b,
    0x0003be03, 0x1f4e0e13, 0x01c33023, 0x08000293, 0x3042a073, 0x000022b7,
    0x0082829b, 0x3002a073, 0x00000413, 0x000084b7, 0x0014849b, 0x01049493,
    0x10000937, 0x00140413, 0x3ff47293, 0x00329e93, 0x009e8eb3, 0x000ebf03,
    0x008f0f33, 0x01eeb023, 0xd2247053, 0x0200f0d3, 0x1004bfaf, 0x003f8f93,
    0x19f4b52f, 0x7ff47293, 0xfc0296e3, 0x00890023, 0xfc5ff06f, 0x00198993,
    0x0003be03, 0x309e0e13, 0x01c33023, 0x30200073,
};

static int run_for(struct machine *m, uint64_t n)
{
    m->opt.max_insns = n;
    return machine_run(m);
}

/* a and b run on 250001 steps: to the same state (as saver writes it)
 * and the same RAM. Both are freed. */
static void run_on_alike(struct machine *a, struct machine *b, uint8_t *(*saver)(struct machine *, size_t *))
{
    size_t la, lb;
    ck_assert_int_eq(run_for(a, 250001), 125);
    ck_assert_int_eq(run_for(b, 250001), 125);
    ck_assert_uint_gt(a->harts[0].x[19], 100);          /* s3: timer interrupts taken */
    ck_assert_uint_gt(a->harts[0].x[8], 10000);         /* s0: loop iterations */
    uint8_t *sa = saver(a, &la), *sb = saver(b, &lb);
    ck_assert_msg(la == lb && !memcmp(sa, sb, la), "states differ after running on");
    ck_assert_msg(!memcmp(a->ram, b->ram, a->ram_size), "RAM differs after running on");
    free(sa);
    free(sb);
    shut(a);
    shut(b);
}

/* Run a guest, save it (and copy its RAM), restore into a fresh machine:
 * both then run on in lockstep, to the same state and the same RAM. A
 * part of the hart or a device that the stream missed would show here.
 * With two harts both run the guest (hart 1 without timer interrupts:
 * its mtimecmp stays "never") and share its memory. */
START_TEST(restored_guest_runs_on_identically)
{
    size_t n = sizeof busy_guest / sizeof busy_guest[0];
    char *smp = _i ? "2" : "1";
    struct machine *a = boot_with(busy_guest, n, smp), *b = boot_with(busy_guest, n, smp);
    ck_assert_int_eq(run_for(a, 100003), 125);          /* stopped by the limit */
    size_t len;
    uint8_t *s = save(a, &len);
    char err[256];
    ck_assert_int_eq(bus_write_mem(&b->bus, b->ram_base, a->ram, a->ram_size), 0);
    ck_assert_msg(machine_restore_state(b, s, len, err, sizeof err) == 0, "%s", err);
    free(s);
    run_on_alike(a, b, save);
}
END_TEST

/* Register values no hart could hold (a satp mode we do not implement, a
 * reserved MPP, an interrupt bit that does not exist) are refused. */
START_TEST(impossible_hart_values)
{
    static const struct { size_t off; uint64_t v; const char *want; } cases[] = {
        { offsetof(struct hart, satp), 5ull << 60, "satp holds" },
        { offsetof(struct hart, mstatus), 2ull << 11, "mstatus holds" },
        { offsetof(struct hart, mie), 1ull << 13, "mie holds" },
        { offsetof(struct hart, mip), 1ull << 2, "mip, fflags or frm" },
        /* rv64 (QEMU's default): no Sscofpmf, so no LCOFIP, no OF bit;
         * pmu-num=16: no mhpmcounter19 */
        { offsetof(struct hart, mip), 1ull << 13, "mip, fflags or frm" },
        { offsetof(struct hart, pmu.cfg[3]), 1ull << 63 | 2, "a counter or its event" },
        { offsetof(struct hart, pmu.ctr[19]), 1, "a counter or its event" },
        { offsetof(struct hart, pmu.cfg[2]), 1ull << 62, "a counter or its event" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct machine *a = boot(), *b = boot();
        memcpy((char *)&a->harts[1] + cases[i].off, &cases[i].v, 8);
        size_t len;
        uint8_t *s = save(a, &len);
        refused(b, s, len, cases[i].want);
        free(s);
        shut(a);
        shut(b);
    }
}
END_TEST

/* ---- snapshots (machine_snapshot_save/restore) ---------------------------- */

/* A machine for snapshots: busy_guest, the disk at disk_path (snapshot=on
 * when cow, else read-only: two machines share it), smp harts. */
static struct machine *snap_machine(const char *disk_path, bool cow, char *smp)
{
    char kernel_path[] = "/tmp/hartvm-snap-kXXXXXX", drive[160];
    int k = mkstemp(kernel_path);
    ck_assert(k >= 0);
    ck_assert_int_eq(write(k, busy_guest, sizeof busy_guest), (ssize_t)sizeof busy_guest);
    close(k);
    snprintf(drive, sizeof drive, "file=%s,if=virtio,format=raw%s", disk_path,
             cow ? ",snapshot=on" : ",readonly=on");
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", kernel_path, "-m", "16M", "-smp", smp,
                     "-serial", "file:/dev/null", "-icount", "shift=7", "-drive", drive, NULL };
    struct options opt;
    char err[256];
    ck_assert_msg(options_parse(sizeof argv / sizeof argv[0] - 1, argv, &opt, stdout, err, sizeof err) ==
                  PARSE_OK, "%s", err);
    struct machine *m = calloc(1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(kernel_path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    return m;
}

static char *scratch_disk(char *path)
{
    int d = mkstemp(path);
    ck_assert(d >= 0);
    ck_assert_int_eq(ftruncate(d, 1 << 20), 0);
    close(d);
    return path;
}

static uint8_t *snap(struct machine *m, size_t *len)
{
    uint8_t *buf;
    char err[256];
    ck_assert_msg(machine_snapshot_save(m, &buf, len, err, sizeof err) == 0, "%s", err);
    return buf;
}

/* Saved after 100003 steps, restored into a fresh machine with garbage in
 * a page the guest never wrote: both run on to the same state and RAM;
 * the snapshot is sparse. */
START_TEST(snapshot_resumes_identically)
{
    char disk[] = "/tmp/hartvm-snap-dXXXXXX";
    scratch_disk(disk);
    struct machine *a = snap_machine(disk, false, "1"), *b = snap_machine(disk, false, "1");
    ck_assert_int_eq(run_for(a, 100003), 125);
    memset(b->ram + (8 << 20), 0xa5, 4096);
    size_t len;
    uint8_t *s = snap(a, &len);
    char err[256];
    ck_assert_msg(machine_snapshot_restore(b, s, len, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b->ram[(8 << 20) + 100], 0);
    ck_assert_msg(len < (64u << 10), "a 16 MiB machine's snapshot is %zu bytes", len);
    free(s);
    a->resume_turn = true;      /* a goes on as b does: the turn its stop cut short first */
    run_on_alike(a, b, snap);
    unlink(disk);
}
END_TEST

/* snapshot=on: the overlay travels in the snapshot and replaces the one
 * of the machine restored into; the image itself is never written. */
START_TEST(snapshot_carries_the_overlay)
{
    char disk[] = "/tmp/hartvm-snap-dXXXXXX";
    scratch_disk(disk);
    struct machine *a = snap_machine(disk, true, "1"), *b = snap_machine(disk, true, "1");
    struct image *ia = &a->blk[7].dev->img, *ib = &b->blk[7].dev->img;
    uint8_t sec[SECTOR_SIZE], back[SECTOR_SIZE];
    memset(sec, 0x3c, sizeof sec);
    ck_assert_int_eq(image_write(ia, 5 * SECTOR_SIZE, sec, SECTOR_SIZE), 0);
    ck_assert_int_eq(image_write(ia, 200 * SECTOR_SIZE, sec, SECTOR_SIZE), 0);
    memset(back, 0x77, sizeof back);
    ck_assert_int_eq(image_write(ib, 1000 * SECTOR_SIZE, back, SECTOR_SIZE), 0); /* to be forgotten */
    size_t len;
    uint8_t *s = snap(a, &len);
    char err[256];
    ck_assert_msg(machine_snapshot_restore(b, s, len, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(image_read(ib, 200 * SECTOR_SIZE, back, SECTOR_SIZE), 0);
    ck_assert(!memcmp(back, sec, SECTOR_SIZE));
    /* the overlay holds 64 KiB clusters: sector 1000 is in another than 5 and 200 */
    ck_assert(image_overlay_has(ib, 5) && !image_overlay_has(ib, 1000));
    ck_assert_int_eq(image_read(ib, 1000 * SECTOR_SIZE, back, SECTOR_SIZE), 0);
    ck_assert_uint_eq(back[0], 0);
    free(s);
    shut(a);
    shut(b);
    unlink(disk);
}
END_TEST

/* Another shape or a changed disk: refused, saying what differs. */
START_TEST(snapshot_refuses_another_machine)
{
    char disk[] = "/tmp/hartvm-snap-dXXXXXX", other[] = "/tmp/hartvm-snap-dXXXXXX";
    scratch_disk(disk);
    scratch_disk(other);
    struct machine *a = snap_machine(disk, false, "1");
    size_t len;
    uint8_t *s = snap(a, &len);
    char err[300] = "";
    struct machine *b = snap_machine(disk, false, "2");
    ck_assert_int_eq(machine_snapshot_restore(b, s, len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "-smp is 1 in the snapshot, 2 here"), "%s", err);
    shut(b);
    b = snap_machine(other, false, "1");
    ck_assert_int_eq(machine_snapshot_restore(b, s, len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "the disk in virtio-mmio slot 7 is") && strstr(err, other), "%s", err);
    shut(b);
    b = snap_machine(disk, false, "1");
    FILE *f = fopen(disk, "r+");
    ck_assert(f && fseek(f, 3 * SECTOR_SIZE, SEEK_SET) == 0 && fputc(1, f) == 1 && fclose(f) == 0);
    ck_assert_int_eq(machine_snapshot_restore(b, s, len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "has changed since the snapshot was taken"), "%s", err);
    /* a device-state stream is not a snapshot */
    free(s);
    s = save(a, &len);
    ck_assert_int_eq(machine_snapshot_restore(b, s, len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "config"), "%s", err);
    free(s);
    shut(a);
    shut(b);
    unlink(disk);
    unlink(other);
}
END_TEST

/* A disk that cannot be read: no snapshot, and the reason. */
START_TEST(snapshot_of_an_unreadable_disk)
{
    char disk[] = "/tmp/hartvm-snap-dXXXXXX";
    scratch_disk(disk);
    struct machine *a = snap_machine(disk, false, "1");
    int dir = open("/tmp", O_RDONLY);
    ck_assert(dir >= 0 && dup2(dir, a->blk[7].dev->img.fd) >= 0);    /* reads fail: EISDIR */
    close(dir);
    uint8_t *buf = NULL;
    size_t len;
    char err[256] = "";
    ck_assert_int_eq(machine_snapshot_save(a, &buf, &len, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "cannot read a disk image"), "%s", err);
    ck_assert_ptr_null(buf);
    shut(a);
    unlink(disk);
}
END_TEST

static Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *t = tcase_create("state");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, uart_round_trip);
    tcase_add_test(t, plic_round_trip);
    tcase_add_test(t, clint_round_trip);
    tcase_add_test(t, rtc_round_trip);
    tcase_add_test(t, vblk_round_trip);
    tcase_add_test(t, vinput_round_trip);
    tcase_add_test(t, htif_round_trip);
    tcase_add_test(t, hart_round_trip);
    tcase_add_test(t, machine_round_trip);
    tcase_add_test(t, stateless_sections);
    tcase_add_test(t, damaged_streams);
    tcase_add_test(t, malformed_sections);
    tcase_add_test(t, values_out_of_range);
    tcase_add_loop_test(t, restored_guest_runs_on_identically, 0, 2);
    tcase_add_test(t, impossible_hart_values);
    tcase_add_test(t, snapshot_resumes_identically);
    tcase_add_test(t, snapshot_carries_the_overlay);
    tcase_add_test(t, snapshot_refuses_another_machine);
    tcase_add_test(t, snapshot_of_an_unreadable_disk);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(state_suite)

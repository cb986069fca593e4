/*
 * Building the board from its map, booting it and running it.
 *
 * Boot, as QEMU's virt machine does it:
 *   firmware (-bios)   at 0x8000_0000
 *   kernel (-kernel)   at 0x8020_0000 behind firmware, or its ELF entry /
 *                      0x8000_0000 with -bios none
 *   initrd (-initrd)   at kernel + min(RAM/2, 128 MiB)
 *   device tree        at the top of the first 3 GiB of DRAM, 2 MiB aligned
 *   boot ROM           at 0x1000: a0 = hartid, a1 = DTB, a2 = fw_dynamic info
 *
 * Run loop: the harts take turns of QUANTUM instructions in one host
 * thread, so a run is a deterministic function of its input when time
 * comes from the instruction count (-icount). Interrupts are taken at the
 * start of a turn; timers are re-evaluated after each turn.
 */
#define _GNU_SOURCE             /* ppoll */
#include "machine.h"
#include "board.h"
#include "fdt.h"
#include "loader.h"
#include "conout.h"
#include "stuck.h"
#include "../mmu/mmu.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define QUANTUM 16384               /* instructions per hart per turn */
#define MiB (1ull << 20)

static void add_console_source(struct machine *m);

/* Instructions retired so far, counting the running hart's current turn. */
static uint64_t icount_now(const struct machine *m)
{
    const struct hart *h = m->running;
    return m->icount + (h ? (uint64_t)(h->run_len - h->budget - h->uncounted) : 0);
}

uint64_t machine_mtime(struct machine *m)
{
    if (m->opt.icount_shift >= 0)
        return icount_now(m) << m->opt.icount_shift;
    return (ev_now_ns() - m->start_ns) / (1000000000 / TIMEBASE_HZ);
}

void machine_update_timers(struct machine *m)
{
    uint64_t t = machine_mtime(m);
    devices_timer_update(m, t);     /* CLINT, RTC alarm */
    /* Sstc: with menvcfg.STCE, mip.STIP is (time >= stimecmp). */
    for (int i = 0; i < m->nharts; i++) {
        struct hart *h = &m->harts[i];
        if (h->menvcfg >> 63)
            hart_set_irq(h, IRQ_STI, t >= h->stimecmp);
    }
}

/* The next mtime after now at which a timer interrupt becomes pending
 * (~0: none). */
static uint64_t next_deadline(struct machine *m, uint64_t now)
{
    uint64_t dl = devices_timer_deadline(m, now);
    for (int i = 0; i < m->nharts; i++) {
        const struct hart *h = &m->harts[i];
        if ((h->menvcfg >> 63) && h->stimecmp > now && h->stimecmp < dl)
            dl = h->stimecmp;
    }
    return dl;
}

static void stop_harts(struct machine *m)
{
    for (int i = 0; i < m->nharts; i++)
        m->harts[i].yield = true;
}

void machine_request_exit(struct machine *m, int code, const char *reason)
{
    if (m->exit_requested)
        return;
    m->exit_requested = true;
    m->exit_code = code;
    m->exit_reason = reason;
    stop_harts(m);
}

void machine_request_reset(struct machine *m)
{
    if (m->opt.no_reboot) {
        machine_request_exit(m, 0, "reboot with -no-reboot");
        return;
    }
    m->reset_requested = true;
    stop_harts(m);
}

/* Emit an I-type instruction word for the boot ROM. */
static uint32_t enc_i(unsigned op, unsigned rd, unsigned f3, unsigned rs1, int imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

/*
 * The reset vector, as QEMU's virt machine lays it out:
 *   0x1000: auipc t0, 0; addi a2, t0, 40; csrr a0, mhartid;
 *           ld a1, 32(t0); ld t0, 24(t0); jr t0
 *   0x1018: start address   0x1020: DTB address
 *   0x1028: fw_dynamic info { magic, version 2, next_addr, next_mode S, options, boot_hart }
 */
static void build_boot_rom(struct machine *m, uint64_t start, uint64_t fdt, uint64_t next)
{
    enum { T0 = 5, A0 = 10, A1 = 11, A2 = 12 };
    uint32_t code[6] = {
        0x00000297,                             /* auipc t0, 0 */
        enc_i(0x13, A2, 0, T0, 40),             /* addi a2, t0, 40 */
        enc_i(0x73, A0, 2, 0, 0xf14),           /* csrr a0, mhartid */
        enc_i(0x03, A1, 3, T0, 32),             /* ld a1, 32(t0) */
        enc_i(0x03, T0, 3, T0, 24),             /* ld t0, 24(t0) */
        enc_i(0x67, 0, 0, T0, 0),               /* jr t0 */
    };
    /* boot_hart = -1: any hart may win OpenSBI's cold-boot lottery. */
    uint64_t data[8] = { start, fdt, 0x4942534f, 2, next, 1, 0, ~0ull };
    memset(m->rom, 0, sizeof m->rom);
    memcpy(m->rom, code, sizeof code);
    memcpy(m->rom + 0x18, data, sizeof data);
}

static int add_htif(struct machine *m, const struct loaded_image *img)
{
    if (!img->tohost || m->htif.tohost_addr)
        return 0;
    struct dev_env env = devices_env(m, &htif_class);
    htif_class.attach(&m->htif, &env);
    m->htif.tohost_addr = img->tohost;
    m->htif.fromhost_addr = img->fromhost;
    if (bus_add_device(&m->bus, "htif-tohost", img->tohost, 8, &htif_tohost_ops, &m->htif))
        return -1;
    if (img->fromhost && bus_add_device(&m->bus, "htif-fromhost", img->fromhost, 8,
                                        &htif_fromhost_ops, &m->htif))
        return -1;
    return 0;
}

/* RAM, the boot ROM and every device of the board table on the bus. */
static int map_devices(struct machine *m)
{
    struct bus *b = &m->bus;
    if (bus_add_memory(b, "dram", m->ram_base, m->ram_size, m->ram, false) ||
        bus_add_memory(b, "mrom", board_find(&bootrom_class)->base, sizeof m->rom, m->rom, true))
        return -1;
    return devices_map(m);
}

/* The device tree: -dtb FILE with /chosen updated, or generated. */
static int make_fdt(struct machine *m, char *err, size_t errlen)
{
    free(m->fdt);
    m->fdt = NULL;
    if (!m->opt.dtb) {
        m->fdt = fdt_build(m, &m->fdt_len, err, errlen);
        return m->fdt ? 0 : -1;
    }
    size_t len;
    uint8_t *file = load_file(m->opt.dtb, &len, 16 * MiB, err, errlen);
    if (!file)
        return -1;
    size_t room = len + 4096;
    m->fdt = calloc(1, room);
    int r = -FDT_ERR_NOSPACE, off = 0;
    /* fdt_check_full: the header's sizes must lie inside the file (issue 12) */
    if (m->fdt && (r = fdt_check_full(file, len)) == 0 && (r = fdt_open_into(file, m->fdt, room)) == 0) {
        off = fdt_path_offset(m->fdt, "/chosen");
        if (off < 0)
            off = fdt_add_subnode(m->fdt, 0, "chosen");
        if (off >= 0 && m->opt.append)
            off = fdt_setprop_string(m->fdt, off, "bootargs", m->opt.append) ? -1 : off;
        if (off >= 0 && m->initrd_end)
            off = fdt_setprop_u64(m->fdt, off, "linux,initrd-start", m->initrd_start) ||
                  fdt_setprop_u64(m->fdt, off, "linux,initrd-end", m->initrd_end) ? -1 : off;
        r = off < 0 ? off : fdt_pack(m->fdt);
    }
    free(file);
    if (r) {
        snprintf(err, errlen, "%s: bad device tree (%s)", m->opt.dtb, fdt_strerror(r));
        return -1;
    }
    m->fdt_len = fdt_totalsize(m->fdt);
    return 0;
}

/* Firmware and kernel. *start: where the boot ROM jumps; *next: the
 * kernel's address handed to the firmware (fw_dynamic next_addr). */
static int load_images(struct machine *m, uint64_t *start, uint64_t *next,
                       char *err, size_t errlen)
{
    const struct options *opt = &m->opt;
    struct loaded_image fw = { 0 }, kern = { 0 };
    const char *bios = opt->bios ? opt->bios : "default";
    bool have_fw = strcmp(bios, "none") != 0;
    *start = m->ram_base;
    *next = m->ram_base + KERNEL_OFFSET;
    if (have_fw) {
        const char *path = strcmp(bios, "default") ? bios : DEFAULT_BIOS;
        if (load_image(&m->bus, path, m->ram_base, &fw, err, errlen))
            return -1;
        *start = fw.entry;
        if (add_htif(m, &fw))
            goto map_full;
    }
    if (opt->kernel) {
        /* Without firmware a raw image runs from the start of DRAM. */
        uint64_t at = have_fw ? *next : m->ram_base;
        if (load_image(&m->bus, opt->kernel, at, &kern, err, errlen))
            return -1;
        *next = kern.is_elf ? kern.entry : at;
        if (!have_fw) {
            *start = *next;
            if (add_htif(m, &kern))
                goto map_full;
        }
    } else if (!have_fw) {
        snprintf(err, errlen, "-bios none needs -kernel");
        return -1;
    }
    return 0;
map_full:
    snprintf(err, errlen, "cannot map the HTIF words");
    return -1;
}

/* -initrd at kernel + min(RAM/2, 128 MiB), as QEMU puts it. */
static int load_initrd(struct machine *m, uint64_t kernel, char *err, size_t errlen)
{
    const struct options *opt = &m->opt;
    size_t len;
    m->initrd_start = m->initrd_end = 0;
    if (!opt->initrd)
        return 0;
    if (!opt->kernel) {
        snprintf(err, errlen, "-initrd needs -kernel");
        return -1;
    }
    uint8_t *buf = load_file(opt->initrd, &len, m->ram_size, err, errlen);
    if (!buf)
        return -1;
    uint64_t at = kernel + (m->ram_size / 2 < 128 * MiB ? m->ram_size / 2 : 128 * MiB);
    int r = at + len <= m->ram_base + m->ram_size ? bus_write_mem(&m->bus, at, buf, len) : -1;
    free(buf);
    if (r) {
        snprintf(err, errlen, "%s: does not fit in RAM at 0x%llx", opt->initrd,
                 (unsigned long long)at);
        return -1;
    }
    m->initrd_start = at;
    m->initrd_end = at + len;
    return 0;
}

/* The device tree at the top of DRAM below 3 GiB, 2 MiB aligned (QEMU). */
static int place_fdt(struct machine *m, char *err, size_t errlen)
{
    uint64_t ram_end = m->ram_base + m->ram_size;
    uint64_t top = ram_end < 0xc0000000ull ? ram_end : 0xc0000000ull;
    if (make_fdt(m, err, errlen))
        return -1;
    if (top < m->ram_base + m->fdt_len) {
        snprintf(err, errlen, "no room for the device tree in RAM");
        return -1;
    }
    m->fdt_addr = (top - m->fdt_len) & ~(2 * MiB - 1);
    if (m->fdt_addr < m->ram_base)
        m->fdt_addr = m->ram_base;
    if (m->initrd_end > m->fdt_addr) {
        snprintf(err, errlen, "the initrd overlaps the device tree at 0x%llx",
                 (unsigned long long)m->fdt_addr);
        return -1;
    }
    if (bus_write_mem(&m->bus, m->fdt_addr, m->fdt, m->fdt_len)) {
        snprintf(err, errlen, "cannot place the device tree");
        return -1;
    }
    return 0;
}

/* Load firmware, kernel, initrd and device tree; build the boot ROM. */
static int boot_load(struct machine *m, char *err, size_t errlen)
{
    uint64_t start, next;
    if (load_images(m, &start, &next, err, errlen) || load_initrd(m, next, err, errlen) ||
        place_fdt(m, err, errlen))
        return -1;
    build_boot_rom(m, start, m->fdt_addr, next);
    return 0;
}

static void reset_harts(struct machine *m)
{
    for (int i = 0; i < m->nharts; i++) {
        hart_reset(&m->harts[i], &m->core, i, RESET_VECTOR);
        m->harts[i].stimecmp = ~0ull;
        m->harts[i].ref_mode = m->opt.no_fast_paths;    /* --no-fast-paths (issue 11) */
    }
}

int machine_init(struct machine *m, const struct options *opt, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->opt = *opt;
    m->nharts = opt->smp;
    machine_core_init(m);
    m->ram_base = board_find(&dram_class)->base;
    m->ram_size = opt->ram_size;
    m->console.fd = -1;
    m->ram = calloc(1, m->ram_size);
    if (!m->ram) {
        snprintf(err, errlen, "cannot allocate %llu bytes of guest RAM", (unsigned long long)m->ram_size);
        return -1;
    }
    if (opt->serial_file && !(m->serial_out = fopen(opt->serial_file, "w"))) {
        snprintf(err, errlen, "-serial file:%s: %s", opt->serial_file, strerror(errno));
        return -1;
    }
    /* a full pipe never blocks us; --serial-limit (machine/conout.c, issue 12) */
    m->con_out = conout_open(m, m->serial_out ? fileno(m->serial_out) : STDOUT_FILENO, opt->serial_limit,
                             &m->conout);
    if (trace_digest_open(&m->trace, opt->trace_file, opt->trace_every, err, errlen))
        return -1;
    m->start_ns = ev_now_ns();
    reset_harts(m);             /* misa is read for the device tree */
    if (devices_create(m, err, errlen))
        return -1;
    devices_reset(m);
    if (map_devices(m)) {
        snprintf(err, errlen, "cannot build the memory map");
        return -1;
    }
    /* disks first (their bus= slots are explicit), then framebuffer and
     * virtio-input (issue 10); all before the device tree */
    if (blk_attach(m, err, errlen))
        return -1;
    if (fb_attach(m, err, errlen) || vinput_attach(m, err, errlen))
        return -1;
    if (boot_load(m, err, errlen))
        return -1;
    /* Console input only when the UART is on stdio and there is no dump. */
    if (!opt->serial_file && !opt->dump_dtb)
        console_open(&m->console, 0);
    add_console_source(m);
    return 0;
}

int machine_dump_dtb(struct machine *m, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(m->fdt, 1, m->fdt_len, f) != m->fdt_len || fclose(f)) {
        snprintf(err, errlen, "--dump-dtb %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void machine_free(struct machine *m)
{
    console_close(&m->console);
    if (m->uart.out)
        fflush(m->uart.out);
    if (m->con_out)
        fclose(m->con_out);     /* before the file it writes to */
    m->con_out = NULL;
    m->conout = NULL;           /* freed with con_out */
    if (m->serial_out)
        fclose(m->serial_out);
    m->serial_out = NULL;
    trace_digest_close(&m->trace);
    bus_free(&m->bus);
    blk_free(m);
    devices_free(m);
    fb_free(&m->fb);
    free(m->ram);
    free(m->fdt);
    m->ram = NULL;
    m->fdt = NULL;
}

/* Reboot: fresh RAM, images and devices, harts at the reset vector. */
static int machine_reset(struct machine *m)
{
    char err[256];
    m->reset_requested = false;
    struct region *dram = bus_find(&m->bus, m->ram_base, 1);
    if (dram)                   /* decoded instructions of the old RAM go too */
        dcache_invalidate(dram, 0, m->ram_size);
    memset(m->ram, 0, m->ram_size);
    devices_reset(m);
    reset_harts(m);
    if (boot_load(m, err, sizeof err)) {
        fprintf(stderr, "hartvm: reboot failed: %s\n", err);
        return -1;
    }
    return 0;
}

/* -icount: the instruction count from which mtime >= t, i.e. ceil(t / 2^N)
 * (no overflow for t near 2^64). */
static uint64_t icount_reaching(const struct machine *m, uint64_t t)
{
    int s = m->opt.icount_shift;
    return (t >> s) + ((t & ((1ull << s) - 1)) != 0);
}

/*
 * Idle: every hart waits in wfi, and the host thread sleeps in one ppoll
 * over the event sources' descriptors (events.h) until whichever comes
 * first:
 *   - the next timer deadline (CLINT, Sstc) or the RTC alarm;
 *   - a source's descriptor: console input (C-a c for the debugger comes
 *     this way too), room in a pipe that holds console output back, a
 *     command from the fleet supervisor or its end;
 *   - a signal (the debugger's Ctrl-C when the console is not a terminal);
 *   - the longest sleep a source allows for what has no descriptor (the
 *     window's input queue, a Ctrl-C between the debugger's poll and the
 *     ppoll);
 *   - --timeout, and at most IDLE_MAX_NS.
 * An idle tickless guest thus costs a few wakeups a second, in a fleet and
 * with piped output alike.
 */
#define IDLE_MAX_NS 1000000000ull

/* The next mtime at which a timer interrupt or the RTC alarm is due (~0:
 * none). Under -icount the RTC's clock is mtime too, so the conversion
 * lands on the instruction at which the alarm fires. */
static uint64_t idle_deadline(struct machine *m, uint64_t now)
{
    const uint64_t tick = 1000000000 / TIMEBASE_HZ;
    uint64_t dl = next_deadline(m, now), ns = rtc_alarm_in_ns(&m->rtc);
    if (ns != ~0ull) {
        uint64_t at = now + ns / tick + (ns % tick != 0);
        if (at >= now && at < dl)       /* (at < now: wrapped, never) */
            dl = at;
    }
    return dl;
}

/* The longest sleep: --timeout (deadline in ev_now_ns() time, 0: none) and
 * what the event sources allow. */
static uint64_t idle_max_ns(const struct machine *m, uint64_t deadline)
{
    uint64_t ns = ev_max_sleep(&m->events), t = ev_now_ns();
    if (ns > IDLE_MAX_NS)
        ns = IDLE_MAX_NS;
    if (deadline)
        ns = deadline <= t ? 0 : deadline - t < ns ? deadline - t : ns;
    return ns;
}

/* ---- the console as two event sources: input and held-back output ---- */

static void console_in_service(void *ctx)
{
    struct machine *m = ctx;
    console_poll(&m->console, &m->uart);
    if (m->console.quit)
        machine_request_exit(m, 0, "C-a x");
}

static int console_in_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    *events = POLLIN;
    return console_wait_fd(&m->console, &m->uart);
}

/* Input that waits for room the UART now has: no sleep at all (the next
 * service hands it over). */
static uint64_t console_in_max_sleep(void *ctx)
{
    struct machine *m = ctx;
    return m->console.count && uart_rx_room(&m->uart) ? 0 : EV_NONE;
}

/* Input still to come: the UART may raise its receive interrupt. */
static unsigned console_in_may_wake(void *ctx)
{
    struct machine *m = ctx;
    return m->console.fd >= 0 || m->console.count ? EV_WAKE_IRQ : 0;
}

static void console_out_flush(void *ctx)
{
    struct machine *m = ctx;
    if (m->uart.out)
        fflush(m->uart.out);
    conout_drain(m->conout);    /* output a full pipe held back, once it has room */
}

static int console_out_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    *events = POLLOUT;
    return conout_wait_fd(m->conout);
}

static void add_console_source(struct machine *m)
{
    ev_add(&m->events, &(struct ev_source){
        .name = "console input", .ctx = m, .service = console_in_service, .period_ns = EV_POLL_NS,
        .wait_fd = console_in_fd, .max_sleep_ns = console_in_max_sleep,
        .may_wake = console_in_may_wake });
    ev_add(&m->events, &(struct ev_source){
        .name = "console output", .ctx = m, .service = console_out_flush, .period_ns = EV_POLL_NS,
        .wait_fd = console_out_fd, .before_sleep = console_out_flush });
}

/*
 * Every hart waits in wfi. With host time, sleep until the next deadline
 * (idle_deadline) or a wakeup (idle_sleep). With -icount, time stands
 * still while no instruction runs: jump it to the deadline at once
 * (deterministic), or with none, wait for a wakeup.
 */
static void idle_wait(struct machine *m, uint64_t deadline)
{
    uint64_t now = machine_mtime(m), dl = idle_deadline(m, now);
    uint64_t ns = idle_max_ns(m, deadline);
    if (m->opt.icount_shift >= 0 && dl != ~0ull) {
        uint64_t target = icount_reaching(m, dl);
        if (target > m->icount)
            m->icount = target;
        return;
    }
    if (dl != ~0ull) {
        uint64_t left = dl > now ? (dl - now) * (1000000000 / TIMEBASE_HZ) : 0;
        ns = left < ns ? left : ns;
    }
    ev_sleep(&m->events, ns);
}

static int guest_status(struct machine *m)
{
    int code = m->exit_code;
    if (code == 0)
        return 0;
    fprintf(stderr, "hartvm: guest reported failure code %d (%s)\n", code, m->exit_reason);
    /* A non-zero code must never exit 0: codes that are multiples of 256 exit 1. */
    return (code & 0xff) ? (code & 0xff) : 1;
}

static void print_stats(struct machine *m, uint64_t insns, double secs)
{
    fprintf(stderr, "hartvm: %llu instructions in %.3f s, %.1f MIPS\n",
            (unsigned long long)insns, secs, secs > 0 ? insns / secs / 1e6 : 0.0);
    for (int i = 0; i < m->nharts; i++)
        fprintf(stderr, "hartvm: hart %d: %llu instructions retired\n", i,
                (unsigned long long)hart_instret(&m->harts[i]));
    /* absolute times too, so a script can add the time from its exec */
    if (m->main_rt_ns && m->first_run_rt_ns)
        fprintf(stderr, "hartvm: start-up: main() at %.6f, first guest instruction at %.6f "
                "(CLOCK_REALTIME s): %.3f ms\n", m->main_rt_ns / 1e9, m->first_run_rt_ns / 1e9,
                (m->first_run_rt_ns - m->main_rt_ns) / 1e6);
}

/* The length of the next run, at most n. Under -icount a run ends exactly
 * at the instruction where the next timer deadline is reached, so the
 * interrupt is taken after the same instruction however long the runs are
 * (in reference mode they are one instruction long): exact timer delivery,
 * and traces that do not depend on the fast paths. */
static int64_t run_length(struct machine *m, uint64_t n)
{
    if (m->opt.icount_shift < 0)
        return (int64_t)n;
    uint64_t dl = next_deadline(m, machine_mtime(m));
    if (dl != ~0ull) {
        uint64_t at = icount_reaching(m, dl);
        if (at > m->icount && at - m->icount < n)
            n = at - m->icount;
    }
    return (int64_t)n;
}

/* The run can never go on (stuck.h): end it with status, or stop it for
 * the debugger, saying why. */
static void machine_stuck(struct machine *m, int status, const char *msg)
{
    snprintf(m->stuck_msg, sizeof m->stuck_msg, "%s", msg);
    if (m->dbg) {
        m->stop_requested = true;
        return;
    }
    machine_request_exit(m, status, m->stuck_msg);
    m->stuck_status = status;
}

static void judge_trap_loop(struct machine *m, struct hart *h)
{
    char msg[sizeof m->stuck_msg];
    if (stuck_trap_loop(m, h, msg, sizeof msg))
        machine_stuck(m, EXIT_TRAP_LOOP, msg);
}

/*
 * One turn of hart h: up to limit instructions (a quantum). The hart's run
 * stops early when an instruction asks to yield (MMIO, a CSR write that
 * may unmask an interrupt, xRET): timers and interrupts are then looked at
 * and the same hart continues, so every hart gets whole quanta and the
 * schedule depends only on instruction counts.
 */
static uint64_t run_turn(struct machine *m, struct hart *h, uint64_t limit)
{
    /* Another hart ran since this one's last turn and may have stored to
     * its reserved address: a reservation never survives a switch. */
    if (m->nharts > 1)
        h->resv = 0;
    uint64_t done = 0, quantum = limit < QUANTUM ? limit : QUANTUM;
    while (done < quantum && !h->wfi && !m->exit_requested && !m->reset_requested &&
           !m->stop_requested) {
        if (hart_take_interrupt(h) && m->trace.out)
            trace_digest_irq(h);        /* --trace-digest: interrupts in the trace */
        h->yield = false;
        m->running = h;
        /* debugger trace: runs of one instruction, each reported */
        bool one = m->single_insn;
        if (one)
            core_trace_before(&m->core, h);
        int64_t len = one ? 1 : run_length(m, quantum - done);
        /* --trace-digest: the same interpreter with a per-instruction hook */
        int64_t r = m->trace.out ? hart_run_trace(h, len) : hart_run(h, len);
        if (one)
            core_trace_after(&m->core, h, r);
        m->running = NULL;
        h->minstret += (h->mcountinhibit & 4) ? 0 : r;
        h->mcycle += (h->mcountinhibit & 1) ? 0 : r;
        /* Steps: instructions retired and traps taken (as Spike counts
         * them), so a trap storm spends --max-insns too. A run that did
         * neither still used its budget. */
        done += h->run_len - h->budget > 0 ? (uint64_t)(h->run_len - h->budget) : 1;
        h->run_len = h->budget = h->uncounted = 0;
        m->icount += r;
        if (h->repeat.suspect)
            judge_trap_loop(m, h);
        machine_update_timers(m);
        if (h->mip & h->mie)
            h->wfi = false;
    }
    return done;
}

void machine_step(struct machine *m, struct hart *h)
{
    run_turn(m, h, 1);
}

/* The status of a run the guest asked to end, or that was stuck. */
static int exit_status(struct machine *m)
{
    if (!m->stuck_status)
        return guest_status(m);
    fprintf(stderr, "hartvm: %s\n", m->stuck_msg);
    return m->stuck_status;
}

int machine_run(struct machine *m)
{
    uint64_t total = 0, steps = 0, t0 = ev_now_ns();
    char msg[sizeof m->stuck_msg];
    if (!m->first_run_rt_ns) {  /* --stats start-up: the first call only */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        m->first_run_rt_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    }
    uint64_t deadline = m->opt.timeout > 0 ? t0 + (uint64_t)(m->opt.timeout * 1e9) : 0;
    int status = -1;
    ev_running(&m->events, true);
    while (status < 0) {
        bool idle = true;
        for (int i = 0; i < m->nharts && !m->exit_requested && !m->reset_requested &&
                        !m->stop_requested; i++) {
            struct hart *h = &m->harts[i];
            if (h->mip & h->mie)        /* wfi ends on a pending enabled interrupt */
                h->wfi = false;
            if (h->wfi)
                continue;
            idle = false;
            uint64_t limit = m->opt.max_insns ? m->opt.max_insns - steps : QUANTUM;
            uint64_t before = m->icount;
            steps += run_turn(m, h, limit);
            total += m->icount - before;
        }
        ev_service(&m->events); /* console, debugger, fleet channel, window (events.h) */
        if (m->reset_requested && !m->exit_requested && machine_reset(m))
            status = 1;
        else if (m->exit_requested)
            status = exit_status(m);
        else if (m->stop_requested) {   /* the debugger's turn */
            m->stop_requested = false;
            status = MACHINE_STOPPED;
        }
        else if (m->opt.max_insns && steps >= m->opt.max_insns) {
            fprintf(stderr, "hartvm: instruction limit of %llu reached\n",
                    (unsigned long long)m->opt.max_insns);
            status = 125;
        } else if (deadline && ev_now_ns() >= deadline) {
            fprintf(stderr, "hartvm: timeout after %g s\n", m->opt.timeout);
            status = 124;
        } else if (idle && stuck_dead_wait(m, msg, sizeof msg)) {
            machine_stuck(m, EXIT_DEAD_WAIT, msg);
        } else if (idle) {
            idle_wait(m, deadline);
            machine_update_timers(m);   /* the deadline may have passed: wake wfi */
        }
    }
    if (m->uart.out)
        fflush(m->uart.out);
    ev_running(&m->events, false);
    if (m->opt.stats)
        print_stats(m, total, (ev_now_ns() - t0) / 1e9);
    return status;
}

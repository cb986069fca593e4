/* Building the board from its map, booting it and running it. */
#include "machine.h"
#include "board.h"
#include "finisher.h"
#include "loader.h"
#include "../mmu/mmu.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define QUANTUM 16384               /* instructions per hart per turn */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t machine_mtime(struct machine *m)
{
    return (now_ns() - m->start_ns) / 100;      /* 10 MHz */
}

void machine_update_timers(struct machine *m)
{
    clint_update(&m->clint, machine_mtime(m));
}

void machine_request_exit(struct machine *m, int code, const char *reason)
{
    if (m->exit_requested)
        return;
    m->exit_requested = true;
    m->exit_code = code;
    m->exit_reason = reason;
    for (int i = 0; i < m->nharts; i++)
        m->harts[i].yield = true;
}

/* Emit an I-type or U-type instruction word for the boot ROM. */
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
    uint64_t data[8] = { start, fdt, 0x4942534f, 2, next, 1, 0, 0 };
    memset(m->rom, 0, sizeof m->rom);
    memcpy(m->rom, code, sizeof code);
    memcpy(m->rom + 0x18, data, sizeof data);
}

static int add_htif(struct machine *m, const struct loaded_image *img)
{
    if (!img->tohost)
        return 0;
    m->htif.m = m;
    m->htif.tohost_addr = img->tohost;
    m->htif.fromhost_addr = img->fromhost;
    if (bus_add_device(&m->bus, "htif-tohost", img->tohost, 8, &htif_tohost_ops, &m->htif))
        return -1;
    if (img->fromhost && bus_add_device(&m->bus, "htif-fromhost", img->fromhost, 8,
                                        &htif_fromhost_ops, &m->htif))
        return -1;
    return 0;
}

int machine_init(struct machine *m, const struct options *opt, char *err, size_t errlen)
{
    const struct board_entry *map = board_map;
    memset(m, 0, sizeof *m);
    m->opt = *opt;
    m->nharts = opt->smp;
    m->ram_base = map[DEV_DRAM].base;
    m->ram_size = opt->ram_size;
    m->ram = calloc(1, m->ram_size);
    if (!m->ram) {
        snprintf(err, errlen, "cannot allocate %llu bytes of guest RAM", (unsigned long long)m->ram_size);
        return -1;
    }
    m->start_ns = now_ns();
    clint_reset(&m->clint, m);
    uart_reset(&m->uart, stdout);

    struct bus *b = &m->bus;
    if (bus_add_memory(b, "dram", m->ram_base, m->ram_size, m->ram, false) ||
        bus_add_memory(b, "mrom", map[DEV_BOOTROM].base, sizeof m->rom, m->rom, true) ||
        bus_add_device(b, "test", map[DEV_FINISHER].base, map[DEV_FINISHER].size, &finisher_ops, m) ||
        bus_add_device(b, "clint", map[DEV_CLINT].base, map[DEV_CLINT].size, &clint_ops, &m->clint) ||
        bus_add_device(b, "uart", map[DEV_UART0].base, map[DEV_UART0].size, &uart_ops, &m->uart)) {
        snprintf(err, errlen, "cannot build the memory map");
        return -1;
    }

    /* Firmware and kernel, as QEMU's virt machine loads them. */
    struct loaded_image fw = { 0 }, kern = { 0 };
    const char *bios = opt->bios ? opt->bios : "default";
    bool have_fw = strcmp(bios, "none") != 0;
    uint64_t start = m->ram_base, next = m->ram_base + KERNEL_OFFSET;
    if (have_fw) {
        const char *path = strcmp(bios, "default") ? bios : DEFAULT_BIOS;
        if (load_image(b, path, m->ram_base, &fw, err, errlen))
            return -1;
        start = fw.entry;
        if (add_htif(m, &fw))
            goto map_full;
    }
    if (opt->kernel) {
        if (load_image(b, opt->kernel, next, &kern, err, errlen))
            return -1;
        if (have_fw) {
            next = kern.is_elf ? kern.entry : next;
        } else {
            start = kern.entry;
            if (add_htif(m, &kern))
                goto map_full;
        }
    } else if (!have_fw) {
        snprintf(err, errlen, "-bios none needs -kernel");
        return -1;
    }
    build_boot_rom(m, start, 0, next);
    for (int i = 0; i < m->nharts; i++)
        hart_reset(&m->harts[i], m, i, RESET_VECTOR);
    return 0;
map_full:
    snprintf(err, errlen, "cannot map the HTIF words");
    return -1;
}

void machine_free(struct machine *m)
{
    bus_free(&m->bus);
    free(m->ram);
    m->ram = NULL;
}

/* Sleep until the next timer deadline (at most 10 ms): every hart waits. */
static void idle_wait(struct machine *m)
{
    uint64_t now = machine_mtime(m), dl = clint_next_deadline(&m->clint);
    uint64_t ticks = dl > now ? dl - now : 0;
    if (ticks > 100000)
        ticks = 100000;
    struct timespec ts = { 0, (long)ticks * 100 };
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
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
}

int machine_run(struct machine *m)
{
    uint64_t total = 0, t0 = now_ns();
    uint64_t deadline = m->opt.timeout > 0 ? t0 + (uint64_t)(m->opt.timeout * 1e9) : 0;
    int status = -1;
    while (status < 0) {
        bool idle = true;
        for (int i = 0; i < m->nharts && !m->exit_requested; i++) {
            struct hart *h = &m->harts[i];
            if (h->mip & h->mie)
                h->wfi = false;
            if (h->wfi)
                continue;
            idle = false;
            hart_take_interrupt(h);
            int64_t n = QUANTUM;
            if (m->opt.max_insns && m->opt.max_insns - total < (uint64_t)n)
                n = m->opt.max_insns - total;
            h->yield = false;
            int64_t r = hart_run(h, n);
            h->minstret += (h->mcountinhibit & 4) ? 0 : r;
            h->mcycle += (h->mcountinhibit & 1) ? 0 : r;
            h->run_len = h->budget = h->uncounted = 0;
            total += r;
        }
        machine_update_timers(m);
        if (m->exit_requested) {
            status = guest_status(m);
        } else if (m->opt.max_insns && total >= m->opt.max_insns) {
            fprintf(stderr, "hartvm: instruction limit of %llu reached\n",
                    (unsigned long long)m->opt.max_insns);
            status = 125;
        } else if (deadline && now_ns() >= deadline) {
            fprintf(stderr, "hartvm: timeout after %g s\n", m->opt.timeout);
            status = 124;
        } else if (idle) {
            idle_wait(m);
        }
    }
    fflush(stdout);
    if (m->opt.stats)
        print_stats(m, total, (now_ns() - t0) / 1e9);
    return status;
}

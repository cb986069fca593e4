/*
 * The machine: RAM, the board's devices on the bus, the harts, and
 * their reset. Booting is in boot.c, time in clock.c, the run loop in
 * run.c, the console's event sources in console_events.c.
 */
#include "machine_priv.h"
#include "migrate.h"
#include "pidfile.h"
#include "board.h"
#include "conout.h"
#include "../mmu/mmu.h"
#include "net.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

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

/* RAM, the boot ROM and every device of the board table on the bus. */
static int map_devices(struct machine *m)
{
    struct bus *b = &m->bus;
    if (bus_add_memory(b, "dram", m->ram_base, m->ram_size, m->ram, false) ||
        bus_add_memory(b, "mrom", board_find(&bootrom_class)->base, sizeof m->rom, m->rom, true))
        return -1;
    return devices_map(m);
}

static void reset_harts(struct machine *m)
{
    for (int i = 0; i < m->nharts; i++) {
        if (qlog_on(m->core.log, LOG_CPU_RESET))
            qlog_cpu_reset(m->core.log, &m->harts[i], (unsigned)i);
        hart_reset(&m->harts[i], &m->core, i, RESET_VECTOR);
        m->harts[i].stimecmp = ~0ull;
        m->harts[i].ref_mode = m->opt.no_fast_paths;    /* --no-fast-paths */
    }
}

/* -serial on a socket or pty: its device (a waiting server takes its
 * client now, as QEMU's does before the guest starts). */
static int serial_chr_open(struct machine *m, char *err, size_t errlen)
{
    const struct chr_spec *s = &m->opt.chr[m->opt.serial_chr];
    if (!m->con_out || !(m->serial_chr = malloc(sizeof *m->serial_chr))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (chr_open(m->serial_chr, s, s->id[0] ? s->id : "serial0", err, errlen)) {   /* QEMU's labels */
        free(m->serial_chr);
        m->serial_chr = NULL;
        return -1;
    }
    m->console.no_escapes = !s->mux;
    if (m->serial_chr->fd >= 0)     /* a waiting server's client sees the first byte */
        conout_set_fd(m->conout, m->serial_chr->fd);
    return 0;
}

/* A chardev:ID that names no -chardev (options.c keeps it a reference). */
static int chardev_missing(const struct options *o, char *err, size_t errlen)
{
    for (int i = -1; i < o->nmon; i++) {
        int k = i < 0 ? o->serial_chr : o->mon[i].chr;
        if (k >= 0 && o->chr[k].be == CHR_REF) {
            snprintf(err, errlen, "%s chardev:%s: chardev '%s' not found", i < 0 ? "-serial"
                     : o->mon[i].qmp ? "-qmp" : "-monitor", o->chr[k].id, o->chr[k].id);
            return -1;
        }
    }
    return 0;
}

int machine_init(struct machine *m, const struct options *opt, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    semihost_init(&m->semihost);    /* no descriptors yet, whatever fails below */
    m->opt = *opt;
    if (chardev_missing(opt, err, errlen))
        return -1;
    m->nharts = opt->smp;
    machine_core_init(m);
    m->ram_base = board_find(&dram_class)->base;
    m->ram_size = opt->ram_size;
    m->console.fd = -1;
    m->pidfile_fd = -1;
    if (opt->pidfile && (m->pidfile_fd = pidfile_open(opt->pidfile, err, errlen)) < 0)
        return -1;
    m->ram = calloc(1, m->ram_size);
    if (!m->ram) {
        snprintf(err, errlen, "cannot allocate %llu bytes of guest RAM", (unsigned long long)m->ram_size);
        return -1;
    }
    if (opt->serial_file && !(m->serial_out = fopen(opt->serial_file, "w"))) {
        snprintf(err, errlen, "-serial file:%s: %s", opt->serial_file, strerror(errno));
        return -1;
    }
    /* -nodefaults without -serial: QEMU's UART then has no backend */
    if (opt->serial_none && !(m->serial_out = fopen("/dev/null", "w"))) {
        snprintf(err, errlen, "/dev/null: %s", strerror(errno));
        return -1;
    }
    /* a full pipe never blocks us; --serial-limit (machine/conout.c) */
    if (opt->serial_chr >= 0)
        m->con_out = conout_open_switched(m, opt->serial_limit, &m->conout);
    else
        m->con_out = conout_open(m, m->serial_out ? fileno(m->serial_out) : STDOUT_FILENO,
                                 opt->serial_limit, &m->conout);
    if (trace_digest_open(&m->trace, opt->trace_file, opt->trace_every, err, errlen) ||
        qlog_open(&m->log, opt->log_mask, opt->log_file, err, errlen))
        return -1;
    m->core.log = opt->log_mask ? &m->log : NULL;   /* NULL: the core tests nothing more */
    if (semihost_open(m, err, errlen))
        return -1;
    m->start_ns = ev_now_ns();
    rtc_clock_start(m);
    reset_harts(m);             /* misa is read for the device tree */
    if (devices_create(m, err, errlen))
        return -1;
    devices_reset(m);
    if (map_devices(m)) {
        snprintf(err, errlen, "cannot build the memory map");
        return -1;
    }
    /* disks first (their bus= slots are explicit), then NICs, framebuffer
     * and virtio-input; all before the device tree */
    if (blk_attach(m, err, errlen) || net_attach(m, err, errlen))
        return -1;
    if (fb_attach(m, err, errlen) || vinput_attach(m, err, errlen))
        return -1;
    if (boot_load(m, err, errlen))
        return -1;
    /* Console input only when the UART is on stdio and there is no dump. */
    if (opt->serial_chr >= 0 && !opt->dump_dtb) {
        if (serial_chr_open(m, err, errlen))
            return -1;
    } else if (!opt->serial_file && !opt->serial_none && !opt->dump_dtb) {
        console_open(&m->console, 0);
    }
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
    blk_drain_all(m);           /* completions write guest memory through the bus */
    migrate_free(m);
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
    if (m->serial_chr)
        chr_close(m->serial_chr);
    free(m->serial_chr);
    m->serial_chr = NULL;
    trace_digest_close(&m->trace);
    qlog_close(&m->log);
    semihost_close(&m->semihost);
    pidfile_close(m->opt.pidfile, m->pidfile_fd);
    m->pidfile_fd = -1;
    bus_free(&m->bus);
    blk_free(m);
    net_free(m);
    devices_free(m);
    fb_free(&m->fb);
    free(m->ram);
    free(m->fdt);
    m->ram = NULL;
    m->fdt = NULL;
}

/* Reboot: fresh RAM, images and devices, harts at the reset vector. */
int machine_reset(struct machine *m)
{
    char err[256];
    m->reset_requested = false;
    struct region *dram = bus_find(&m->bus, m->ram_base, 1);
    if (dram)                   /* decoded instructions of the old RAM go too */
        dcache_invalidate(dram, 0, m->ram_size);
    memset(m->ram, 0, m->ram_size);
    devices_reset(m);
    reset_harts(m);
    semihost_reset(&m->semihost);
    if (boot_load(m, err, sizeof err)) {
        fprintf(stderr, "hartvm: reboot failed: %s\n", err);
        return -1;
    }
    return 0;
}

/*
 * hartvm's command line: QEMU's spellings with QEMU's meaning (design.md
 * §2), and our own --long options. One table below drives parsing and
 * --help (option_table.h); a row with a handler has it just above.
 */
#include "options.h"
#include "migrate.h"
#include "option_values.h"
#include "../mmu/mmu.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define HARTVM_VERSION "0.1.0"
#define OPTS(p) ((struct options *)(p)->target)

/* ",prop=value,..." after -machine virt: accel=tcg, and dumpdtb=FILE last. */
static int machine_props(const char *s, struct options *opt)
{
    while (*s == ',') {
        s++;
        if (!strncmp(s, "accel=tcg", 9) && (!s[9] || s[9] == ',')) {
            s += 9;
            continue;
        }
        if (strncmp(s, "dumpdtb=", 8) || !s[8])
            return -1;
        opt->dump_dtb = s + 8;          /* runs to the end: file names may hold ',' */
        return 0;
    }
    return *s ? -1 : 0;
}

int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    /* Decimal, or hex after 0x: QEMU reads "010M" as 10 MiB, not octal. */
    int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || end == s || *s < '0' || *s > '9')    /* strtoull takes " -1" */
        return -1;
    double frac = 0;                            /* "1.5G", as QEMU's qemu_strtosz */
    if (*end == '.' && base == 10) {
        char *f;
        frac = strtod(end, &f);
        if (f == end || !*f || *f == 'b' || *f == 'B')      /* a fraction of what? */
            return -1;
        end = f;
    }
    unsigned shift = 20;                        /* bare number: MiB */
    switch (*end) {
    case 0: break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    case 'b': case 'B': shift = 0; end++; break;
    default: return -1;
    }
    if (*end == 'i' || *end == 'B')             /* "MiB", "MB" */
        end++;
    if (*end == 'B')
        end++;
    if (*end || v > (~0ull >> shift) || (v << shift) > ~0ull - (uint64_t)(frac * (double)(1ull << shift)))
        return -1;
    *out = (v << shift) + (uint64_t)(frac * (double)(1ull << shift));
    return 0;
}

static int parse_uint(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

/* "4096", "64K", "10M", "1G": bytes (--serial-limit). */
static int parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    uint64_t n = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10, end++;
    else if (*end == 'M' || *end == 'm') shift = 20, end++;
    else if (*end == 'G' || *end == 'g') shift = 30, end++;
    if (errno || *end || n > (UINT64_MAX >> shift))
        return -1;
    *out = n << shift;
    return 0;
}

/* ---- handlers: each checks its value, then sets the fields ---------- */

/* -machine help, as QEMU lists its boards (name padded to 20, then what it
 * is); QEMU's "none" board is not modelled, so only virt. */
static int set_machine(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "help") || !strcmp(v, "?")) {
        fprintf(p->out, "Supported machines are:\n%-20s RISC-V VirtIO board (default)\n", "virt");
        return OPT_EXIT;
    }
    if (strcmp(v, "virt") && strncmp(v, "virt,", 5))
        return opt_bad(p, "only 'virt' is emulated");
    if (machine_props(v + 4, OPTS(p)))
        return opt_bad(p, "unknown property (only accel=tcg and dumpdtb=FILE)");
    return 0;
}

/* -cpu MODEL[,PROP=VALUE...] (cpu_model.c words its own messages) */
static int set_cpu(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "help") || !strcmp(v, "?")) {
        cpu_model_help(p->out);
        return OPT_EXIT;
    }
    char why[200];
    if (cpu_model_parse(v, &OPTS(p)->cpu, why, sizeof why, stderr))
        return opt_bad(p, "%s", why);
    return 0;
}

/* -m [size=]S[,slots=N,maxmem=S]: QEMU's checks (option_values.c), then
 * hartvm's range. No memory hotplug on this board, as on QEMU's virt:
 * maxmem and slots are checked and otherwise unused. */
static int set_ram(struct opt_parse *p, const char *v)
{
    char why[300];
    uint64_t n;
    if (mem_parse(v, &n, why, sizeof why))
        return opt_bad(p, "%s", why);
    if (n == 0)                     /* QEMU: size 0 is the default */
        return 0;
    n = (n + 8191) & ~8191ull;      /* QEMU rounds RAM up to 8 KiB */
    if (n < (1u << 20) || n > (64ull << 30))
        return opt_bad(p, "need a size from 1M to 64G");
    OPTS(p)->ram_size = n;
    return 0;
}

/* -smp with QEMU's topology rules (option_values.c); hartvm makes the
 * harts, the topology itself has no effect on virt (QEMU's cpu-map
 * follows NUMA nodes, not sockets). */
static int set_smp(struct opt_parse *p, const char *v)
{
    char warn[160], why[300];
    if (smp_parse(v, MAX_HARTS, &OPTS(p)->smp, warn, sizeof warn, why, sizeof why))
        return opt_bad(p, "%s", why);
    if (warn[0])
        fprintf(stderr, "%s: warning: %s\n", p->t->prog, warn);
    return 0;
}

static int set_display(struct opt_parse *p, const char *v)
{
    if (strcmp(v, "sdl") && strcmp(v, "none"))
        return opt_bad(p, "not supported (sdl or none)");
    OPTS(p)->display_sdl = !strcmp(v, "sdl");      /* the window (ui/) */
    return 0;
}

static int set_name(struct opt_parse *p, const char *v)
{
    OPTS(p)->name = strncmp(v, "guest=", 6) ? v : v + 6;
    return 0;
}

/* A character device in short form (-serial, -monitor, -qmp) or -chardev's
 * (declared: may be named by chardev:ID): its index in opt->chr, or -1. */
static int add_chardev(struct opt_parse *p, const char *v, bool declared)
{
    struct options *o = OPTS(p);
    char why[200];
    if (o->nchr == CHR_MAX)
        return opt_bad(p, "at most %d character devices", CHR_MAX), -1;
    struct chr_spec *c = &o->chr[o->nchr];
    if (declared ? chr_parse_opts(v, c, why, sizeof why) : chr_parse_short(v, c, why, sizeof why))
        return opt_bad(p, "%s", why), -1;
    for (int i = 0; declared && i < o->nchr; i++)
        if (!strcmp(o->chr[i].id, c->id))
            return opt_bad(p, "duplicate chardev id '%s'", c->id), -1;
    return o->nchr++;
}

static int add_monitor(struct opt_parse *p, int chr, bool qmp);

/* -serial DEV; mon:DEV shares DEV with a monitor, as QEMU's (on stdio: the
 * debugger, through C-a c). */
static int set_serial(struct opt_parse *p, const char *v)
{
    int i = add_chardev(p, v, false);
    OPTS(p)->serial_chr = i;
    if (i >= 0 && !strncmp(v, "mon:", 4) && OPTS(p)->chr[i].be != CHR_STDIO)
        return add_monitor(p, i, false);
    return i < 0 ? -1 : 0;
}

static int set_chardev(struct opt_parse *p, const char *v)
{
    return add_chardev(p, v, true) < 0 ? -1 : 0;
}

static int add_monitor(struct opt_parse *p, int chr, bool qmp)
{
    struct options *o = OPTS(p);
    if (chr < 0)
        return -1;
    if (o->nmon == CHR_MAX)
        return opt_bad(p, "at most %d monitors", CHR_MAX);
    o->mon[o->nmon++] = (struct mon_opt){ .chr = chr, .qmp = qmp };
    return 0;
}

/* -monitor DEV: the debugger console (stdio) or its line protocol (sockets,
 * pty); none: no monitor. */
static int set_monitor(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "none"))
        return 0;
    return add_monitor(p, add_chardev(p, v, false), false);
}

static int set_qmp(struct opt_parse *p, const char *v)
{
    return add_monitor(p, add_chardev(p, v, false), true);
}

/* -mon chardev=ID[,mode=readline|control][,pretty=on|off] */
static int set_mon(struct opt_parse *p, const char *v)
{
    char buf[160], *save, *id = NULL;
    bool qmp = false;
    snprintf(buf, sizeof buf, "%s", v);
    for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
        if (!strncmp(k, "chardev=", 8) && k[8])
            id = k + 8;
        else if (!strcmp(k, "mode=readline") || !strcmp(k, "mode=control"))
            qmp = k[5] == 'c';
        else if (strncmp(k, "pretty=", 7))
            return opt_bad(p, "unknown option '%s' (chardev=ID, mode=readline|control)", k);
    }
    if (!id)
        return opt_bad(p, "Parameter 'chardev' is missing");
    char ref[CHR_ID_LEN + 9];
    snprintf(ref, sizeof ref, "chardev:%s", id);
    return add_monitor(p, add_chardev(p, ref, false), qmp);
}

/* -icount: shift=N makes time the instruction count; sleep=on (QEMU's
 * default) lets an idle wait take the real time it stands for. */
static int set_icount(struct opt_parse *p, const char *v)
{
    struct icount_opts ic;
    char why[200];
    if (icount_parse(v, &ic, why, sizeof why))
        return opt_bad(p, "%s", why);
    OPTS(p)->icount_shift = ic.shift;
    OPTS(p)->icount_sleep = ic.sleep;
    OPTS(p)->icount_align = ic.align;
    if (ic.shift < 0)
        opt_not_honoured(p, "-icount shift=auto", "time follows the host clock, the real time "
                         "QEMU's adaptive shift tracks");
    return 0;
}

static int set_rtc(struct opt_parse *p, const char *v)
{
    char why[200];
    if (rtc_parse(v, &OPTS(p)->rtc, why, sizeof why))
        return opt_bad(p, "%s", why);
    return 0;
}

static int set_accel(struct opt_parse *p, const char *v)
{
    char why[200];
    if (accel_parse(v, why, sizeof why))
        return opt_bad(p, "%s", why);
    return 0;
}

/* -hda FILE: QEMU's -drive file=FILE,index=0,media=disk on the board's
 * default interface (virtio on virt); a ',' in FILE is written ",,". */
static int set_hda(struct opt_parse *p, const char *v)
{
    char arg[600];
    size_t n = (size_t)snprintf(arg, sizeof arg, "file=");
    for (; *v && n + 2 < sizeof arg - 24; v++) {
        if (*v == ',')
            arg[n++] = ',';
        arg[n++] = *v;
    }
    if (*v)
        return opt_bad(p, "file name too long");
    snprintf(arg + n, sizeof arg - n, ",index=0,media=disk");
    p->reason_at = 0;
    return drives_parse_drive(&OPTS(p)->drives, arg, p->err, p->errlen);
}

/* -net (the old syntax): none is no network; other values create no NIC,
 * with a warning, as QEMU 7.2's virt says "requested NIC was not
 * created" for them: -netdev with -device, or -nic, make one. */
static int set_net(struct opt_parse *p, const char *v)
{
    if (strcmp(v, "none"))
        fprintf(stderr, "%s: warning: -net %s: no NIC was created (use -nic TYPE,... or -netdev "
                "with -device virtio-net-device)\n", p->t->prog, v);
    return 0;
}

/* net_opts.c words these messages */
static int set_netdev(struct opt_parse *p, const char *v)
{
    p->reason_at = 0;
    return net_parse_netdev(&OPTS(p)->net, v, p->err, p->errlen);
}

static int set_nic(struct opt_parse *p, const char *v)
{
    p->reason_at = 0;
    return net_parse_nic(&OPTS(p)->net, v, p->err, p->errlen);
}

static int set_object(struct opt_parse *p, const char *v)
{
    p->reason_at = 0;
    return net_parse_object(&OPTS(p)->net, v, p->err, p->errlen);
}

/* -vga: the virt board has no VGA; QEMU warns for anything but none. */
static int set_vga(struct opt_parse *p, const char *v)
{
    if (strcmp(v, "none"))
        fprintf(stderr, "%s: warning: A -vga option was passed but this machine type does not "
                "use that option; No VGA device has been created\n", p->t->prog);
    return 0;
}

/* -L DIR: where -bios names (and the default firmware's QEMU name) are
 * looked for when not found as given, as QEMU's data directories. */
static int set_data_dir(struct opt_parse *p, const char *v)
{
    struct options *o = OPTS(p);
    if (o->ndata_dirs >= MAX_DATA_DIRS)
        return opt_bad(p, "at most %d -L directories", MAX_DATA_DIRS);
    o->data_dirs[o->ndata_dirs++] = v;
    return 0;
}

static int set_global(struct opt_parse *p, const char *v)
{
    if (!strncmp(v, "virtio-mmio.force-legacy=", 25)) {
        const char *b = v + 25;
        if (!strcmp(b, "true") || !strcmp(b, "on") || !strcmp(b, "yes")) OPTS(p)->force_legacy = true;
        else if (!strcmp(b, "false") || !strcmp(b, "off") || !strcmp(b, "no")) OPTS(p)->force_legacy = false;
        else return opt_bad(p, "need on/off, true/false or yes/no");
    } else {
        return opt_bad(p, "only virtio-mmio.force-legacy is known");
    }
    return 0;
}

/* drives.c words its own messages */
static int set_drive(struct opt_parse *p, const char *v)
{
    p->reason_at = 0;
    return drives_parse_drive(&OPTS(p)->drives, v, p->err, p->errlen);
}

/* -device help: the devices -device accepts, in QEMU's format (a heading
 * per category, then name "N", bus B). The board's own devices come from
 * its table (board.c) and are not -device options. */
static int set_device(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "help") || !strcmp(v, "?")) {
        fprintf(p->out, "Storage devices:\nname \"virtio-blk-device\", bus virtio-bus\n\n"
                        "Network devices:\nname \"virtio-net-device\", bus virtio-bus\n\n"
                        "Misc devices:\nname \"loader\", desc \"Generic Loader\"\n");
        return OPT_EXIT;
    }
    p->reason_at = 0;
    if (!strncmp(v, "loader", 6) && (!v[6] || v[6] == ','))    /* loader_device.c */
        return loader_parse(&OPTS(p)->loaders, v + 6, p->err, p->errlen);
    if (!strncmp(v, "virtio-net-device", 17) && (!v[17] || v[17] == ','))
        return net_parse_device(&OPTS(p)->net, v, p->err, p->errlen);
    return drives_parse_device(&OPTS(p)->drives, v, p->err, p->errlen);
}

/* -gdb DEV as QEMU's: tcp:[HOST]:PORT or unix:PATH, with chardev options
 * the stub checks when it opens (monitor/gdbstub.c); none: no stub. */
static int set_gdb(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "none")) {
        OPTS(p)->gdb = NULL;
        return 0;
    }
    if (strncmp(v, "tcp:", 4) && strncmp(v, "unix:", 5))
        return opt_bad(p, "need tcp:[HOST]:PORT, unix:PATH,server or none");
    OPTS(p)->gdb = v;
    return 0;
}

static int set_gdb_default(struct opt_parse *p, const char *v)
{
    (void)v;
    OPTS(p)->gdb = "tcp::1234";
    return 0;
}

static int set_timeout(struct opt_parse *p, const char *v)
{
    char *end;
    double t = strtod(v, &end);
    if (end == v || *end || !(t > 0) || t > 1e9)
        return opt_bad(p, "need a positive number of seconds");
    OPTS(p)->timeout = t;
    return 0;
}

static int set_max_insns(struct opt_parse *p, const char *v)
{
    uint64_t n;
    if (parse_uint(v, &n) || n == 0)
        return opt_bad(p, "need a positive count");
    OPTS(p)->max_insns = n;
    return 0;
}

static int set_serial_limit(struct opt_parse *p, const char *v)
{
    uint64_t n;
    if (parse_bytes(v, &n) || n == 0)
        return opt_bad(p, "need a positive byte count (suffix K, M or G allowed)");
    OPTS(p)->serial_limit = n;
    return 0;
}

static int set_mmu(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "sv39")) OPTS(p)->mmu_max = SATP_SV39;
    else if (!strcmp(v, "sv48")) OPTS(p)->mmu_max = SATP_SV48;
    else if (!strcmp(v, "sv57")) OPTS(p)->mmu_max = SATP_SV57;
    else return opt_bad(p, "need sv39, sv48 or sv57");
    return 0;
}

static int set_fb(struct opt_parse *p, const char *v)
{
    if (fb_parse_size(v, &OPTS(p)->fb_width, &OPTS(p)->fb_height))
        return opt_bad(p, "need WIDTHxHEIGHT, %d..%d a side, at most %llu MiB",
                       FB_MIN_DIM, FB_MAX_DIM, FB_WINDOW_SIZE >> 20);
    return 0;
}

/* cpu/trace_digest.h */
static int set_trace_digest(struct opt_parse *p, const char *v)
{
    uint64_t n;
    if (parse_uint(v, &n) || n == 0)
        return opt_bad(p, "need a positive instruction count");
    OPTS(p)->trace_every = n;
    return 0;
}

/* -incoming file:FILE (a snapshot), tcp:[HOST]:PORT or unix:PATH (a
 * migration, machine/migrate.h); QEMU's exec: and defer are not taken */
static int set_incoming(struct opt_parse *p, const char *v)
{
    if (!strncmp(v, "file:", 5) && v[5])
        OPTS(p)->incoming = v + 5;
    else if (migrate_uri_ok(v))
        OPTS(p)->incoming_uri = v;
    else
        return opt_bad(p, "file:FILE (a snapshot written by savevm), tcp:[HOST]:PORT or unix:PATH "
                       "(a migration)");
    return 0;
}

/* -d ITEM[,ITEM...] | help (cpu/log.c has the items) */
static int set_log(struct opt_parse *p, const char *v)
{
    if (!strcmp(v, "help") || !strcmp(v, "?")) {
        qlog_help(p->out);
        return OPT_EXIT;
    }
    char why[160], what[200];
    int r = qlog_parse(v, &OPTS(p)->log_mask, why, sizeof why);
    if (r < 0)
        return opt_bad(p, "%s", why);
    snprintf(what, sizeof what, "-d %s", why);
    if (r > 0)
        opt_not_honoured(p, what, "hartvm interprets: no translated or host code, no user mode");
    return 0;
}

static int set_semihosting(struct opt_parse *p, const char *v)
{
    (void)v;
    OPTS(p)->semihost.enabled = true;
    return 0;
}

/* semihost.c words its own messages */
static int set_semihosting_config(struct opt_parse *p, const char *v)
{
    char why[200];
    if (semihost_parse_config(v, &OPTS(p)->semihost, why, sizeof why))
        return opt_bad(p, "%s", why);
    return 0;
}

static int show_version(struct opt_parse *p, const char *v)
{
    (void)v;
    fprintf(p->out, "hartvm %s\n", HARTVM_VERSION);
    return OPT_EXIT;
}

/* ---- the table: --help shows the rows in this order ------------------ */

#define F(field) offsetof(struct options, field)

static const struct opt_spec rows[] = {
    { .kind = OPT_HEADING, .help = "QEMU-compatible options:" },
    { .kind = OPT_CALL, .names = { "-machine", "-M" }, .arg = "virt[,accel=tcg][,dumpdtb=FILE]|help",
      .fn = set_machine, .sample = "virt,dumpdtb=virt.dtb",
      .help = "the board, the only one ('-machine help' lists it)" },
    { .kind = OPT_CALL, .names = { "-cpu" }, .arg = "rv64[,EXT=on|off,...]|help", .fn = set_cpu,
      .sample = "rv64,zba=false,c=on,pmp=off",
      .help = "the harts: rv64 (default), any or max, each with QEMU's\n"
              "properties (zba=, c=, sstc=, sscofpmf=, pmu-num=, mmu=,\n"
              "pmp=, priv_spec=, mvendorid=...); '-cpu help' lists the models" },
    { .kind = OPT_STRING, .names = { "-bios" }, .arg = "FILE|none|default", .field = F(bios),
      .sample = "none", .help = "firmware at 0x80000000 (default: Debian's OpenSBI fw_dynamic)" },
    { .kind = OPT_STRING, .names = { "-kernel" }, .arg = "FILE", .field = F(kernel),
      .sample = "kernel.elf", .help = "ELF or raw image; run directly with -bios none" },
    { .kind = OPT_CALL, .names = { "-m" }, .arg = "[size=]SIZE[,slots=N,maxmem=SIZE]", .fn = set_ram,
      .sample = "256M",
      .help = "guest RAM (default 128M; a bare number is MiB, 1.5G works,\n"
              "rounded up to 8K); slots and maxmem are checked as QEMU\n"
              "does, no memory hotplug here" },
    { .kind = OPT_CALL, .names = { "-smp" },
      .arg = "[cpus=]N[,maxcpus=N][,sockets=N][,cores=N][,threads=N]", .fn = set_smp,
      .sample = "4,sockets=2,cores=2",
      .help = "harts, 1..8, with QEMU's topology rules (the product of\n"
              "sockets, cores and threads is maxcpus)" },
    { .kind = OPT_CALL, .names = { "-nographic" }, .fn = opt_noted,
      .help = "no window; console on stdio" },
    { .kind = OPT_CALL, .names = { "-display" }, .arg = "sdl|none", .fn = set_display,
      .sample = "none",
      .help = "a window showing the framebuffer, keyboard and mouse to\n"
              "the guest (virtio-input); none: no window" },
    { .kind = OPT_CALL, .names = { "-name" }, .arg = "NAME", .fn = set_name,
      .sample = "guest=web", .help = "instance name (window title)" },
    { .kind = OPT_CALL, .names = { "-serial" }, .arg = "dev", .fn = set_serial,
      .sample = "file:console.log",
      .help = "where the UART goes: stdio, mon:stdio, null, none, pty,\n"
              "file:PATH, tcp:[HOST]:PORT[,server][,nowait], telnet:...,\n"
              "unix:PATH[,server][,nowait] or chardev:ID" },
    { .kind = OPT_CALL, .names = { "-chardev" }, .arg = "backend,id=ID[,...]", .fn = set_chardev,
      .sample = "socket,id=c0,port=4444,server=on,wait=off",
      .help = "a character device: null, stdio, file,path=P, pty,\n"
              "socket,path=P|host=H,port=N[,server=on][,wait=off][,telnet=on];\n"
              "mux=on: the serial port and a monitor share it, C-a c\n"
              "switches; signal= is accepted (Ctrl-C goes to the guest)" },
    { .kind = OPT_STRING, .names = { "-initrd" }, .arg = "FILE", .field = F(initrd),
      .sample = "initrd.img", .help = "initial ramdisk, named in /chosen" },
    { .kind = OPT_STRING, .names = { "-append" }, .arg = "STR", .field = F(append),
      .sample = "console=ttyS0", .help = "kernel command line (/chosen bootargs)" },
    { .kind = OPT_STRING, .names = { "-dtb" }, .arg = "FILE", .field = F(dtb),
      .sample = "board.dtb", .help = "use this device tree instead of the generated one" },
    { .kind = OPT_CALL, .names = { "-icount" }, .arg = "[shift=]N|auto[,align=on|off][,sleep=on|off]",
      .fn = set_icount, .sample = "shift=3,sleep=off",
      .help = "an instruction is 2^N ns of guest time: deterministic runs;\n"
              "with sleep=on (the default) a wait in wfi takes its real\n"
              "time, with sleep=off none; align=on: never ahead of the\n"
              "host's clock; without -rtc the RTC starts at 2025-01-01\n"
              "and follows; shift=auto: the host clock" },
    { .kind = OPT_CALL, .names = { "-rtc" },
      .arg = "[base=utc|localtime|DATE][,clock=host|rt|vm][,driftfix=none|slew]",
      .fn = set_rtc, .sample = "base=2006-06-17T16:01:21,clock=vm",
      .help = "the goldfish RTC's start (DATE: 2006-06-17[T16:01:21], UTC)\n"
              "and the clock it follows: host (default), rt (host\n"
              "monotonic), vm (guest time; the default under -icount);\n"
              "driftfix concerns x86's RTC only" },
    { .kind = OPT_FLAG, .names = { "-no-reboot" }, .field = F(no_reboot),
      .help = "exit instead of rebooting" },
    { .kind = OPT_CALL, .names = { "-global" }, .arg = "virtio-mmio.force-legacy=on|off",
      .fn = set_global, .sample = "virtio-mmio.force-legacy=off",
      .help = "virtio-mmio version 1 (legacy: on, the default as in\n"
              "QEMU 7.2) or 2 (modern: off); input devices are always modern" },
    { .kind = OPT_CALL, .names = { "-monitor" }, .arg = "dev", .fn = set_monitor,
      .sample = "unix:mon.sock,server,nowait",
      .help = "the debugger console: stdio (C-a c or Ctrl-C stops the guest),\n"
              "none, or its commands line by line on a device as -serial's" },
    { .kind = OPT_CALL, .names = { "-qmp" }, .arg = "dev", .fn = set_qmp,
      .sample = "unix:qmp.sock,server,nowait",
      .help = "QMP on a device as -serial's (unix:PATH,server,nowait,\n"
              "tcp:...): query-status, stop, cont, system_reset, quit,\n"
              "human-monitor-command" },
    { .kind = OPT_CALL, .names = { "-mon" }, .arg = "chardev=ID[,mode=readline|control]",
      .fn = set_mon, .sample = "chardev=c0,mode=control",
      .help = "a monitor on -chardev ID: readline (the debugger's commands)\n"
              "or control (QMP)" },
    { .kind = OPT_CALL, .names = { "-drive" },
      .arg = "file=F,if=none|virtio,format=raw|qcow2,id=ID[,readonly=on][,snapshot=on]"
             "[,cache=C][,discard=D][,aio=A][,media=M][,index=N]",
      .fn = set_drive, .sample = "file=disk.img,if=none,format=raw,id=d0,cache=unsafe",
      .help = "a raw or qcow2 disk image for virtio-blk; cache=writeback\n"
              "(default), writethrough (flushes each write), none, directsync\n"
              "(these two: O_DIRECT), unsafe (the guest's flushes are\n"
              "ignored); aio=threads|native (I/O threads) or io_uring;\n"
              "discard=unmap punches holes, ignore (default) drops\n"
              "discards; media=cdrom is read-only" },
    { .kind = OPT_CALL, .names = { "-hda" }, .arg = "FILE", .fn = set_hda, .sample = "disk.img",
      .help = "a virtio-blk disk: -drive file=FILE,index=0,media=disk" },
    { .kind = OPT_FLAG, .names = { "-snapshot" }, .field = F(drives.snapshot_all),
      .help = "every disk without a snapshot= of its own as with\n"
              "snapshot=on: writes go to a temporary qcow2 overlay\n"
              "(C-a s or the monitor's commit writes them back)" },
    { .kind = OPT_CALL, .names = { "-device" },
      .arg = "driver[,prop=value][,...]", .fn = set_device,
      .sample = "virtio-blk-device,drive=d0",
      .help = "virtio-blk-device,drive=ID[,bus=virtio-mmio-bus.N][,num-queues=Q]:\n"
              "the virtio-blk device of drive ID (in virtio-mmio slot N,\n"
              "with Q queues, 1 to 4);\n"
              "loader,file=F[,addr=A][,cpu-num=N][,force-raw=on] or\n"
              "loader,addr=A,data=V,data-len=L[,data-be=on] or\n"
              "loader,addr=A,cpu-num=N: QEMU's generic loader;\n"
              "virtio-net-device,netdev=ID[,mac=MAC][,bus=virtio-mmio-bus.N]:\n"
              "a NIC on -netdev ID;\n"
              "'-device help' lists the devices" },
    { .kind = OPT_CALL, .names = { "-gdb" }, .arg = "dev", .fn = set_gdb, .sample = "tcp::1234",
      .help = "a gdb remote stub listening on dev: tcp:[HOST]:PORT (loopback\n"
              "when HOST is empty) or unix:PATH,server; the guest runs\n"
              "at once unless -S is given too" },
    { .kind = OPT_CALL, .names = { "-s" }, .fn = set_gdb_default,
      .help = "the same as -gdb tcp::1234" },
    { .kind = OPT_FLAG, .names = { "-S" }, .field = F(freeze),
      .help = "harts stopped at the reset vector until gdb continues (without\n"
              "-gdb: until the debugger prompt's continue)" },
    { .kind = OPT_CALL, .names = { "-incoming" }, .arg = "file:FILE|tcp:[HOST]:PORT|unix:PATH",
      .fn = set_incoming, .sample = "file:vm.snap",
      .help = "start from the snapshot in FILE (debugger savevm), or wait\n"
              "for a migration (migrate) on a socket, instead of at reset;\n"
              "the rest of the command line as the source's" },
    { .kind = OPT_CALL, .names = { "-d" }, .arg = "item1,...", .fn = set_log, .sample = "int,in_asm",
      .help = "log the items (int, guest_errors, unimp, in_asm, exec, cpu,\n"
              "fpu, mmu, nochain); '-d help' lists them" },
    { .kind = OPT_STRING, .names = { "-D" }, .arg = "logfile", .field = F(log_file),
      .sample = "qemu.log", .help = "the -d log goes to logfile (default stderr)" },
    { .kind = OPT_CALL, .names = { "-semihosting" }, .fn = set_semihosting,
      .help = "semihosting calls (the slli/ebreak/srai sequence) from M and S" },
    { .kind = OPT_CALL, .names = { "-semihosting-config" },
      .arg = "[enable=on|off][,target=native|auto][,chardev=ID][,userspace=on|off][,arg=STR[,...]]",
      .fn = set_semihosting_config, .sample = "enable=on,userspace=on,arg=prog,arg=x",
      .help = "semihosting: userspace=on serves U-mode too; arg= builds the\n"
              "command line (default: the -kernel path and -append); files\n"
              "stay in --semihosting-root; chardev=ID: the console's device" },
    { .kind = OPT_CALL, .names = { "-accel" }, .arg = "tcg[,thread=single|multi]", .fn = set_accel,
      .sample = "tcg,thread=multi",
      .help = "tcg, the only accelerator QEMU has here: hartvm's\n"
              "interpreter stands in for it (harts share one host thread)" },
    { .kind = OPT_STRING, .names = { "-pidfile" }, .arg = "FILE", .field = F(pidfile),
      .sample = "hartvm.pid", .help = "write the process id to FILE, removed at exit" },
    { .kind = OPT_FLAG, .names = { "-no-shutdown" }, .field = F(no_shutdown),
      .help = "no effect on virt, as on QEMU 7.2: its poweroff (the test\n"
              "device, syscon-poweroff) ends the run all the same" },
    { .kind = OPT_FLAG, .names = { "-nodefaults" }, .field = F(nodefaults),
      .help = "no default devices: without -serial the UART is connected\n"
              "to nothing" },
    { .kind = OPT_CALL, .names = { "-L" }, .arg = "DIR", .fn = set_data_dir, .sample = "/usr/share/qemu",
      .help = "look for -bios files (and the default firmware by QEMU's\n"
              "name, opensbi-riscv64-generic-fw_dynamic.bin) in DIR" },
    { .kind = OPT_CALL, .names = { "-netdev" },
      .arg = "user|socket|stream|dgram|tap,id=ID[,...]", .fn = set_netdev,
      .sample = "user,id=n0,hostfwd=tcp::2222-:22",
      .help = "a network back end for -device virtio-net-device,netdev=ID:\n"
              "user (libslirp: DHCP 10.0.2.15, host 10.0.2.2, DNS 10.0.2.3;\n"
              "net=, host=, dhcpstart=, dns=, restrict=on, hostname=,\n"
              "hostfwd=tcp|udp:[HOSTADDR]:HPORT-[GUESTADDR]:GPORT (127.0.0.1\n"
              "when HOSTADDR is empty), guestfwd=tcp:ADDR:PORT-cmd:CMD);\n"
              "socket,listen=|connect=[HOST]:PORT|mcast=MADDR:PORT[,localaddr=]\n"
              "|udp=HOST:PORT,localaddr=HOST:PORT (QEMU's LAN between\n"
              "emulators); stream,server=on|off,addr.type=inet|unix,addr.host=,\n"
              "addr.port=|addr.path=; dgram,remote.type=,remote.host=,\n"
              "remote.port=[,local.*=]; tap,ifname=NAME,script=no,downscript=no" },
    { .kind = OPT_CALL, .names = { "-nic" }, .arg = "none|TYPE[,mac=MAC][,model=virtio-net-device][,...]",
      .fn = set_nic, .sample = "user,hostfwd=tcp::8080-:80,mac=52:54:00:12:34:60",
      .help = "a virtio-net NIC and its back end in one: TYPE and options as\n"
              "-netdev's; none: no network" },
    { .kind = OPT_CALL, .names = { "-object" }, .arg = "filter-dump,id=ID,netdev=ID,file=FILE[,maxlen=N]",
      .fn = set_object, .sample = "filter-dump,id=f0,netdev=n0,file=net.pcap",
      .help = "write the frames of -netdev ID, both ways, to FILE (pcap)" },
    { .kind = OPT_CALL, .names = { "-net" }, .arg = "none", .fn = set_net, .sample = "none",
      .help = "no network; other values of QEMU's old syntax create no\n"
              "NIC (with a warning): use -nic or -netdev" },
    { .kind = OPT_CALL, .names = { "-vga" }, .arg = "none", .fn = set_vga, .sample = "none",
      .help = "virt has no VGA: other types give QEMU's warning" },
    { .kind = OPT_CALL, .names = { "-k" }, .arg = "LANG", .fn = opt_noted, .sample = "en-us",
      .help = "keyboard layout of QEMU's VNC server; there is none here" },
    { .kind = OPT_FLAG, .names = { "-usb" }, .field = F(usb),
      .help = "QEMU's USB switch; virt has no USB controller, so as on\n"
              "QEMU it adds nothing (and -device usb-* is refused)" },
    { .kind = OPT_HEADING, .help = "hartvm options:" },
    { .kind = OPT_CALL, .names = { "--timeout" }, .arg = "SECS", .fn = set_timeout,
      .sample = "2.5", .help = "stop after SECS seconds of running (exit 124; time\n"
                                                  "paused or at the debugger prompt does not count)" },
    { .kind = OPT_CALL, .names = { "--max-insns" }, .arg = "N", .fn = set_max_insns,
      .sample = "1000000", .help = "stop after N instructions or traps (exit 125)" },
    { .kind = OPT_CALL, .names = { "--serial-limit" }, .arg = "BYTES", .fn = set_serial_limit,
      .sample = "64K",
      .help = "stop once the guest has written BYTES to the console\n"
              "(suffix K, M, G; exit 123)" },
    { .kind = OPT_FLAG, .names = { "--stats" }, .field = F(stats),
      .help = "print instruction counts and MIPS on exit" },
    { .kind = OPT_FLAG, .names = { "--debug" }, .field = F(debug),
      .help = "start stopped at reset with the debugger prompt" },
    { .kind = OPT_STRING, .names = { "--debug-script" }, .arg = "FILE", .field = F(debug_script),
      .sample = "commands.txt",
      .help = "run debugger commands from FILE (then from stdin if not a terminal)" },
    { .kind = OPT_CALL, .names = { "--mmu" }, .arg = "sv39|sv48|sv57", .fn = set_mmu,
      .sample = "sv39",
      .help = "highest translation mode the harts accept (-cpu rv64,mmu=false:\n"
              "none, satp stays Bare)" },
    { .kind = OPT_CALL, .names = { "--fb" }, .arg = "WxH", .fn = set_fb, .sample = "640x480",
      .help = "framebuffer size (default 1024x768 with -display sdl;\n"
              "with -display none: a framebuffer for screendump only)" },
    { .kind = OPT_STRING, .names = { "--dump-dtb" }, .arg = "FILE", .field = F(dump_dtb),
      .sample = "virt.dtb",
      .help = "write the device tree and exit (also -machine virt,dumpdtb=FILE)" },
    { .kind = OPT_STRING, .names = { "--control" }, .arg = "SOCKET", .field = F(control),
      .sample = "web.ctl", .supervisor = true,
      .help = "answer the fleet supervisor on this UNIX socket" },
    { .kind = OPT_FLAG, .names = { "--no-fast-paths" }, .field = F(no_fast_paths),
      .help = "reference mode: every instruction decoded afresh and every\n"
              "access translated by a page walk (slow; for comparison)" },
    { .kind = OPT_CALL, .names = { "--trace-digest" }, .arg = "N", .fn = set_trace_digest,
      .sample = "1000",
      .help = "hash every instruction (hart, pc, encoding) into a running\n"
              "digest; every N instructions write a line with it and a\n"
              "hash of the registers, and a line per interrupt taken\n"
              "(N=1: a full instruction trace)" },
    { .kind = OPT_STRING, .names = { "--trace-file" }, .arg = "FILE", .field = F(trace_file),
      .sample = "trace.txt", .help = "where --trace-digest writes (default stderr)" },
    { .kind = OPT_STRING, .names = { "--semihosting-root" }, .arg = "DIR",
      .field = F(semihost.root), .sample = "guest-files",
      .help = "semihosting files are opened beneath DIR only (default: the\n"
              "current directory); '..', absolute paths and symlinks out are\n"
              "refused" },
    { .kind = OPT_CALL, .names = { "--help", "-help", "-h" }, .fn = opt_help_fn,
      .help = "this text" },
    { .kind = OPT_CALL, .names = { "--version", "-version" }, .fn = show_version,
      .help = "the version" },
};
_Static_assert(sizeof rows / sizeof rows[0] <= OPT_MAX_ROWS, "opt_parse.seen has a bit per row");

const struct opt_table options_table = {
    .prog = "hartvm",
    .usage = "usage: hartvm [options]\n",
    .footer = "hartvm fleet [--batch] FILE ...: run many instances (hartvm fleet --help)\n"
              "Exit status: the guest's own (test finisher, HTIF), 124 on --timeout,\n"
              "125 on --max-insns (traps count as steps), 123 on --serial-limit, 122 for a trap\n"
              "loop and 121 for a dead wait (the run cannot go on), 2 for a usage error, 1 for\n"
              "other errors.\n",
    .width = 15,                        /* help text at column 16, as QEMU's */
    .opts = rows,
    .n = sizeof rows / sizeof rows[0],
    .unknown = "unknown option '%s' (see --help)",
    .missing = "option '%s' needs a value",
    .double_dash = true,
};

/* chardev:ID to the -chardev it names (its index); one nobody declared
 * stays a reference, an error when the machine is made (exit 1, as QEMU's). */
static int resolve_ref(const struct options *o, int i)
{
    for (int k = 0; o->chr[i].be == CHR_REF && k < o->nchr; k++)
        if (o->chr[k].be != CHR_REF && !strcmp(o->chr[k].id, o->chr[i].id))
            return k;
    return i;
}

/* Who uses which character device: -serial's and the monitors' references
 * resolved; the debugger on stdio; a device used twice must be mux=on. */
static int resolve_chardevs(struct opt_parse *p, struct options *o)
{
    int users[CHR_MAX] = { 0 }, stdio = 0;
    if (o->serial_chr >= 0) {
        o->serial_chr = resolve_ref(o, o->serial_chr);
        const struct chr_spec *c = &o->chr[o->serial_chr];
        users[o->serial_chr]++;
        stdio += c->be == CHR_STDIO;
        if (c->be == CHR_FILE)
            o->serial_file = c->path;   /* the plain file path (machine.c) */
        else if (c->be == CHR_NONE || c->be == CHR_NULL)
            o->serial_file = "/dev/null";
        if (c->be == CHR_STDIO || c->be == CHR_FILE || c->be == CHR_NONE || c->be == CHR_NULL)
            o->serial_chr = -1;
    } else {
        stdio++;                        /* the default: the console on stdio */
    }
    int k = 0;
    for (int i = 0; i < o->nmon; i++) {
        struct mon_opt mo = o->mon[i];
        mo.chr = resolve_ref(o, mo.chr);
        const struct chr_spec *c = &o->chr[mo.chr];
        if (users[mo.chr]++ && !c->mux)
            return opt_error(p, "chardev '%s' is used twice: give it mux=on", c->id);
        if (c->be == CHR_NONE || c->be == CHR_NULL)
            continue;
        if (c->be == CHR_STDIO && !mo.qmp) {
            o->monitor_stdio = !c->mux;         /* mux: C-a c reaches the debugger */
            continue;
        }
        if (c->be == CHR_STDIO && stdio++)
            return opt_error(p, "-qmp stdio: stdio is the console's: give -serial another device");
        if (c->mux && mo.qmp)
            return opt_error(p, "chardev '%s': QMP cannot share a mux device", c->id);
        o->mon[k++] = mo;
    }
    o->nmon = k;
    return 0;
}

/* Checks between options, once all are in. */
static int after_parse(struct opt_parse *p, struct options *opt)
{
    if (resolve_chardevs(p, opt))
        return -1;
    /* --mmu caps the satp modes of an MMU; mmu=false says there is none */
    if (opt->cpu.no_mmu && opt_seen(p, "--mmu"))
        return opt_error(p, "--mmu names a translation mode, but -cpu ...,mmu=false leaves"
                            " the harts without an MMU (satp Bare only)");
    if (opt->trace_file && !opt->trace_every)
        return opt_error(p, "--trace-file needs --trace-digest N");
    /* QEMU refuses -nographic with -display sdl */
    if (opt_seen(p, "-nographic") && opt->display_sdl)
        return opt_error(p, "-nographic cannot be used with -display sdl");
    /* -nodefaults drops QEMU's default serial: the UART is connected to nothing */
    opt->serial_none = opt->nodefaults && !opt_seen(p, "-serial");
    p->reason_at = 0;
    if (net_check(&opt->net, true, p->err, p->errlen))
        return -1;
    if (opt->display_sdl && !opt->fb_width) {       /* the window shows a framebuffer */
        opt->fb_width = FB_DEFAULT_W;
        opt->fb_height = FB_DEFAULT_H;
    }
    return 0;
}

static void set_defaults(struct options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->ram_size = 128ull << 20;
    opt->smp = 1;
    opt->mmu_max = SATP_SV48;
    cpu_model_default(&opt->cpu);
    opt->icount_shift = -1;
    opt->icount_sleep = true;
    opt->force_legacy = true;   /* QEMU 7.2's virtio-mmio force-legacy default */
    opt->serial_chr = -1;
}

enum parse_result options_parse(int argc, char **argv, struct options *opt, FILE *out,
                                char *err, size_t errlen)
{
    set_defaults(opt);
    struct opt_parse p = { .t = &options_table, .target = opt, .out = out, .err = err,
                           .errlen = errlen };
    int r = opt_parse_args(&p, argc, argv);
    if (r == 0)
        r = after_parse(&p, opt);
    return r == 0 ? PARSE_OK : r == OPT_EXIT ? PARSE_EXIT_OK : PARSE_ERROR;
}

int options_check(const char *name, const char *value, struct options *opt, char *why,
                  size_t whylen)
{
    set_defaults(opt);
    struct opt_parse p = { .t = &options_table, .target = opt, .out = stdout };
    return opt_check(&p, name, value, why, whylen);
}

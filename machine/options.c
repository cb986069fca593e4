/* Command-line options: QEMU's spellings with QEMU's meaning (design.md §2). */
#include "options.h"
#include "../mmu/mmu.h"
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define HARTVM_VERSION "0.1.0"

static const char usage[] =
    "usage: hartvm [options]\n"
    "QEMU-compatible options:\n"
    "  -machine virt           the board (the only one)\n"
    "  -bios FILE|none|default firmware at 0x80000000 (default: Debian's OpenSBI fw_dynamic)\n"
    "  -kernel FILE            ELF or raw image; run directly with -bios none\n"
    "  -m SIZE                 guest RAM (default 128M)\n"
    "  -smp N                  harts, 1..8\n"
    "  -nographic              no window; console on stdio\n"
    "  -display sdl|none       a window showing the framebuffer, keyboard and mouse to\n"
    "                          the guest (virtio-input); none: no window\n"
    "  -name NAME              instance name (window title)\n"
    "  -serial stdio|file:PATH where the UART goes\n"
    "  -initrd FILE            initial ramdisk, named in /chosen\n"
    "  -append STR             kernel command line (/chosen bootargs)\n"
    "  -dtb FILE               use this device tree instead of the generated one\n"
    "  -icount shift=N         time = instructions << N: deterministic runs (waits in wfi\n"
    "                          take no time; the RTC starts at 2025-01-01)\n"
    "  -no-reboot              exit instead of rebooting\n"
    "  -global virtio-mmio.force-legacy=on|off\n"
    "  -monitor stdio          the debugger console on stdio (C-a c or Ctrl-C stops the guest)\n"
    "  -drive file=F,if=none|virtio,format=raw,id=ID[,readonly=on][,snapshot=on]\n"
    "  -device virtio-blk-device,drive=ID[,bus=virtio-mmio-bus.N]\n"
    "  accepted, not honoured yet: -s, -S, -gdb\n"
    "hartvm options:\n"
    "  --timeout SECS          stop after SECS seconds of wall time (exit 124)\n"
    "  --max-insns N           stop after N instructions (exit 125)\n"
    "  --serial-limit BYTES    stop once the guest has written BYTES to the console\n"
    "                          (suffix K, M, G; exit 123)\n"
    "  --stats                 print instruction counts and MIPS on exit\n"
    "  --debug                 start stopped at reset with the debugger prompt\n"
    "  --debug-script FILE     run debugger commands from FILE (then from stdin if not a terminal)\n"
    "  --mmu sv39|sv48         highest translation mode the harts accept\n"
    "  --fb WxH                framebuffer size (default 1024x768 with -display sdl;\n"
    "                          with -display none: a framebuffer for screendump only)\n"
    "  --dump-dtb FILE         write the device tree and exit (also -machine virt,dumpdtb=FILE)\n"
    "  --control SOCKET        answer the fleet supervisor on this UNIX socket\n"
    "  --no-fast-paths         reference mode: every instruction decoded afresh and every\n"
    "                          access translated by a page walk (slow; for comparison)\n"
    "  --trace-digest N        hash every instruction (hart, pc, encoding) into a running\n"
    "                          digest; every N instructions write a line with it and a\n"
    "                          hash of the registers, and a line per interrupt taken\n"
    "                          (N=1: a full instruction trace)\n"
    "  --trace-file FILE       where --trace-digest writes (default stderr)\n"
    "  --help, --version\n"
    "hartvm fleet [--batch] FILE ...: run many instances (hartvm fleet --help)\n"
    "Exit status: the guest's own (test finisher, HTIF), 124 on --timeout,\n"
    "125 on --max-insns, 123 on --serial-limit, 2 for a usage error, 1 for other errors.\n";

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), PARSE_ERROR)

/* An option we accept for compatibility but cannot act on yet says so. */
static void not_honoured(const char *what, const char *why)
{
    fprintf(stderr, "hartvm: warning: %s accepted but not honoured (%s)\n", what, why);
}

/* ",prop=value,..." after -machine virt: only dumpdtb=FILE. */
static int machine_props(const char *s, struct options *opt)
{
    while (*s == ',') {
        s++;
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
    unsigned shift = 20;                        /* bare number: MiB */
    switch (*end) {
    case 0: break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 'b': case 'B': shift = 0; end++; break;
    default: return -1;
    }
    if (*end == 'i' || *end == 'B')             /* "MiB", "MB" */
        end++;
    if (*end == 'B')
        end++;
    if (*end || v > (~0ull >> shift))
        return -1;
    *out = v << shift;
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

enum parse_result options_parse(int argc, char **argv, struct options *opt, FILE *out,
                                char *err, size_t errlen)
{
    memset(opt, 0, sizeof *opt);
    opt->ram_size = 128ull << 20;
    opt->smp = 1;
    opt->mmu_max = SATP_SV48;
    opt->icount_shift = -1;
    bool nographic = false;     /* QEMU refuses -nographic with -display sdl */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* Options without a value. */
        if (!strcmp(a, "--help") || !strcmp(a, "-help") || !strcmp(a, "-h")) {
            fputs(usage, out);
            return PARSE_EXIT_OK;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
            fprintf(out, "hartvm %s\n", HARTVM_VERSION);
            return PARSE_EXIT_OK;
        }
        if (!strcmp(a, "-nographic")) { nographic = true; continue; }
        if (!strcmp(a, "--stats")) { opt->stats = true; continue; }
        if (!strcmp(a, "--debug")) { opt->debug = true; continue; }
        if (!strcmp(a, "-no-reboot")) { opt->no_reboot = true; continue; }
        if (!strcmp(a, "--no-fast-paths")) { opt->no_fast_paths = true; continue; }
        if (!strcmp(a, "-s") || !strcmp(a, "-S")) { not_honoured(a, "no gdb stub yet"); continue; }

        /* Options with a value. */
        static const char *const with_value[] = {
            "-machine", "-M", "-bios", "-kernel", "-m", "-smp", "-display", "-serial",
            "--timeout", "--max-insns", "--serial-limit", "--mmu", "-initrd", "-append", "-dtb", "--dump-dtb",
            "-icount", "-global", "-drive", "-device", "-monitor", "-gdb", "--debug-script", "--control",
            "-name", "--fb", "--trace-digest", "--trace-file", NULL,
        };
        int k;
        for (k = 0; with_value[k] && strcmp(a, with_value[k]); k++)
            ;
        if (!with_value[k])
            return ERR("unknown option '%s' (see --help)", a);
        if (i + 1 >= argc)
            return ERR("option '%s' needs a value", a);
        const char *v = argv[++i];
        uint64_t n;
        if (!strcmp(a, "-machine") || !strcmp(a, "-M")) {
            if (strcmp(v, "virt") && strncmp(v, "virt,", 5))
                return ERR("-machine %s: only 'virt' is emulated", v);
            if (machine_props(v + 4, opt))
                return ERR("-machine %s: unknown property (only dumpdtb=FILE)", v);
        } else if (!strcmp(a, "-bios")) {
            opt->bios = v;
        } else if (!strcmp(a, "-kernel")) {
            opt->kernel = v;
        } else if (!strcmp(a, "-m")) {
            if (parse_size(v, &n) || n < (1u << 20) || n > (64ull << 30) || (n & 0xfff))
                return ERR("-m %s: need a size from 1M to 64G", v);
            opt->ram_size = n;
        } else if (!strcmp(a, "-smp")) {
            /* "N" or "cpus=N" */
            const char *s = strncmp(v, "cpus=", 5) ? v : v + 5;
            if (parse_uint(s, &n) || n < 1 || n > MAX_HARTS)
                return ERR("-smp %s: need 1 to %d harts", v, MAX_HARTS);
            opt->smp = (int)n;
        } else if (!strcmp(a, "-display")) {
            if (!strcmp(v, "sdl"))
                opt->display_sdl = true;        /* the window (ui/) */
            else if (!strcmp(v, "none"))
                opt->display_sdl = false;
            else
                return ERR("-display %s: not supported (sdl or none)", v);
        } else if (!strcmp(a, "-serial")) {
            if (!strncmp(v, "file:", 5) && v[5])
                opt->serial_file = v + 5;
            else if (strcmp(v, "stdio") && strcmp(v, "mon:stdio"))
                return ERR("-serial %s: not supported (stdio or file:PATH)", v);
            else
                opt->serial_file = NULL;
        } else if (!strcmp(a, "--timeout")) {
            char *end;
            double t = strtod(v, &end);
            if (end == v || *end || !(t > 0) || t > 1e9)
                return ERR("--timeout %s: need a positive number of seconds", v);
            opt->timeout = t;
        } else if (!strcmp(a, "--max-insns")) {
            if (parse_uint(v, &n) || n == 0)
                return ERR("--max-insns %s: need a positive count", v);
            opt->max_insns = n;
        } else if (!strcmp(a, "--serial-limit")) {     /* issue 12: console log size */
            if (parse_bytes(v, &n) || n == 0)
                return ERR("--serial-limit %s: need a positive byte count (suffix K, M or G allowed)", v);
            opt->serial_limit = n;
        } else if (!strcmp(a, "--mmu")) {
            if (!strcmp(v, "sv39")) opt->mmu_max = SATP_SV39;
            else if (!strcmp(v, "sv48")) opt->mmu_max = SATP_SV48;
            else return ERR("--mmu %s: need sv39 or sv48", v);
        } else if (!strcmp(a, "-initrd")) {
            opt->initrd = v;
        } else if (!strcmp(a, "-append")) {
            opt->append = v;
        } else if (!strcmp(a, "-dtb")) {
            opt->dtb = v;
        } else if (!strcmp(a, "--dump-dtb")) {
            opt->dump_dtb = v;
        } else if (!strcmp(a, "-icount")) {
            /* "N" or "shift=N[,...]"; QEMU's shift=auto needs a host-speed
             * estimate and is not deterministic: refused. */
            const char *s = strncmp(v, "shift=", 6) ? v : v + 6;
            char num[8];
            size_t len = strcspn(s, ",");
            if (len == 0 || len >= sizeof num)
                return ERR("-icount %s: need shift=N with N from 0 to 10", v);
            memcpy(num, s, len);
            num[len] = 0;
            if (parse_uint(num, &n) || n > 10)
                return ERR("-icount %s: need shift=N with N from 0 to 10", v);
            opt->icount_shift = (int)n;
            if (s[len])
                not_honoured("-icount sub-options after shift", "ignored");
        } else if (!strcmp(a, "-global")) {
            if (!strncmp(v, "virtio-mmio.force-legacy=", 25)) {
                const char *b = v + 25;
                if (!strcmp(b, "true") || !strcmp(b, "on")) opt->force_legacy = true;
                else if (!strcmp(b, "false") || !strcmp(b, "off")) opt->force_legacy = false;
                else return ERR("-global %s: need true/false/on/off", v);
            } else {
                return ERR("-global %s: only virtio-mmio.force-legacy is known", v);
            }
        } else if (!strcmp(a, "-drive")) {
            if (drives_parse_drive(&opt->drives, v, err, errlen))
                return PARSE_ERROR;
        } else if (!strcmp(a, "-device")) {
            if (drives_parse_device(&opt->drives, v, err, errlen))
                return PARSE_ERROR;
        } else if (!strcmp(a, "-monitor")) {
            if (strcmp(v, "stdio") && strcmp(v, "none"))
                return ERR("-monitor %s: only stdio or none", v);
            opt->monitor_stdio = !strcmp(v, "stdio");     /* the debugger (monitor/) */
        } else if (!strcmp(a, "--debug-script")) {
            opt->debug_script = v;      /* debugger commands from FILE (monitor/) */
        } else if (!strcmp(a, "--control")) {
            opt->control = v;           /* the fleet supervisor's socket (monitor/control.c) */
        } else if (!strcmp(a, "-gdb")) {
            not_honoured(a, "no gdb stub yet");
        } else if (!strcmp(a, "-name")) {
            opt->name = strncmp(v, "guest=", 6) ? v : v + 6;
        } else if (!strcmp(a, "--trace-digest")) {     /* issue 11: cpu/trace_digest.h */
            if (parse_uint(v, &n) || n == 0)
                return ERR("--trace-digest %s: need a positive instruction count", v);
            opt->trace_every = n;
        } else if (!strcmp(a, "--trace-file")) {
            opt->trace_file = v;
        } else if (!strcmp(a, "--fb")) {
            if (fb_parse_size(v, &opt->fb_width, &opt->fb_height))
                return ERR("--fb %s: need WIDTHxHEIGHT, %d..%d a side, at most %llu MiB", v,
                           FB_MIN_DIM, FB_MAX_DIM, FB_WINDOW_SIZE >> 20);
        }
    }
    if (opt->trace_file && !opt->trace_every)
        return ERR("--trace-file needs --trace-digest N");
    /* graphics (issue 10): -display sdl implies a framebuffer */
    if (nographic && opt->display_sdl)
        return ERR("-nographic cannot be used with -display sdl");
    if (opt->display_sdl && !opt->fb_width) {
        opt->fb_width = FB_DEFAULT_W;
        opt->fb_height = FB_DEFAULT_H;
    }
    return PARSE_OK;
}

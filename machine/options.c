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
    "  -display none           no window\n"
    "  -serial stdio|file:PATH where the UART goes\n"
    "hartvm options:\n"
    "  --timeout SECS          stop after SECS seconds of wall time (exit 124)\n"
    "  --max-insns N           stop after N instructions (exit 125)\n"
    "  --stats                 print instruction counts and MIPS on exit\n"
    "  --mmu sv39|sv48         highest translation mode the harts accept\n"
    "  --help, --version\n"
    "Exit status: the guest's own (test finisher, HTIF), 124 on --timeout,\n"
    "125 on --max-insns, 2 for a usage error, 1 for other errors.\n";

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), PARSE_ERROR)

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

enum parse_result options_parse(int argc, char **argv, struct options *opt, FILE *out,
                                char *err, size_t errlen)
{
    memset(opt, 0, sizeof *opt);
    opt->ram_size = 128ull << 20;
    opt->smp = 1;
    opt->mmu_max = SATP_SV48;
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
        if (!strcmp(a, "-nographic")) continue;
        if (!strcmp(a, "--stats")) { opt->stats = true; continue; }

        /* Options with a value. */
        static const char *const with_value[] = {
            "-machine", "-M", "-bios", "-kernel", "-m", "-smp", "-display", "-serial",
            "--timeout", "--max-insns", "--mmu", NULL,
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
            if (strcmp(v, "none"))
                return ERR("-display %s: not supported yet (only 'none')", v);
        } else if (!strcmp(a, "-serial")) {
            if (strcmp(v, "stdio") && strcmp(v, "mon:stdio"))
                return ERR("-serial %s: not supported yet (only 'stdio')", v);
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
        } else if (!strcmp(a, "--mmu")) {
            if (!strcmp(v, "sv39")) opt->mmu_max = SATP_SV39;
            else if (!strcmp(v, "sv48")) opt->mmu_max = SATP_SV48;
            else return ERR("--mmu %s: need sv39 or sv48", v);
        }
    }
    return PARSE_OK;
}

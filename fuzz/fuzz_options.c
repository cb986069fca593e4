/*
 * Fuzz harness: the command line and the fleet file.
 *
 *   byte 0 even: the rest, split at NUL bytes (at most MAX_ARGS words), is
 *                argv[1..] for options_parse (machine/options.c);
 *   byte 0 odd:  the rest is a fleet file for fleet_config_load
 *                (monitor/fleet_config.c); every instance it yields is turned
 *                into its hartvm command line (fleet_config_argv), which must
 *                parse or be refused with a message, never crash.
 *
 * Nothing is run; --help output goes to /dev/null.
 */
#include "../machine/options.h"
#include "../monitor/fleet.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ARGS 64

static FILE *devnull(void)
{
    static FILE *f;             /* one handle for the process */
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

static void parse_argv(int argc, char **argv)
{
    struct options opt;
    char err[512];
    memset(&opt, 0, sizeof opt);
    err[0] = 0;
    if (options_parse(argc, argv, &opt, devnull(), err, sizeof err) == PARSE_ERROR && !err[0]) {
        fprintf(stderr, "fuzz_options: refused without a message\n");
        abort();
    }
}

static void fuzz_argv(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *argv[MAX_ARGS + 2];
    int argc = 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    argv[argc++] = "hartvm";
    for (char *p = buf; p <= buf + size && argc <= MAX_ARGS; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    parse_argv(argc, argv);
    free(buf);
}

static void fuzz_fleet(const uint8_t *data, size_t size)
{
    static char path[64];       /* one scratch file for the process */
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/hartvm-fuzz-fleet-%d.ini", (int)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    struct inst_config *cfg = NULL;
    int n = 0;
    char err[512];
    if (fleet_config_load(path, &cfg, &n, err, sizeof err) == 0) {
        for (int i = 0; i < n; i++) {
            struct instance in;
            memset(&in, 0, sizeof in);
            in.cfg = cfg[i];
            strcpy(in.ctl_path, "/tmp/ctl");
            if (fleet_config_argv(&in, err, sizeof err) == 0)
                parse_argv(in.argc, in.argv);
            free(in.argv);
        }
        fleet_config_free(cfg, n);
    }
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        fuzz_fleet(data + 1, size - 1);
    else
        fuzz_argv(data + 1, size - 1);
    return 0;
}

/*
 * Fuzz harness: the snapshot loader (machine_snapshot_restore, the stream
 * of machine/state.h with the parts of machine/snap_parts.h).
 *
 *   byte 0, bit 0: set the stream's CRC-32 trailer to match, so that
 *                  inputs get past the checksum into the sections;
 *           bit 1: after a restore that succeeds, run the machine for up
 *                  to 20000 steps (the restored state must be runnable);
 *           bit 2: the rest is XORed over the machine's own snapshot (made
 *                  once, at start) rather than taken as it is: inputs stay
 *                  close to a valid stream whatever the format becomes, so
 *                  the seed 0x07 never goes stale.
 *   the rest:      the snapshot (or the XOR difference).
 *
 * The machine is built once: -bios none, 16 MiB of RAM, 2 harts, -icount,
 * a 64 KiB disk with snapshot=on (so overlays are read) at a fixed path
 * (a snapshot names its disk's path), and a framebuffer. A restore either
 * succeeds or fails with a message; what it must never do is crash,
 * hang or read out of bounds. With FUZZ_SNAPSHOT_SEED=FILE in the
 * environment the machine's own snapshot is written to FILE first (the
 * corpus seed, after a 0x03 flags byte is put before it).
 */
#include "../machine/machine.h"
#include "../machine/snapshot.h"
#include "../machine/options.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define DISK "/tmp/hartvm-fuzz-snapshot.img"
#define KERNEL "/tmp/hartvm-fuzz-snapshot.kernel"

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
}

static uint8_t *own;                /* the machine's snapshot at start */
static size_t own_len;

static struct machine *machine(void)
{
    static struct machine m;
    static bool built;
    static const uint32_t loop[] = { 0x00150513, 0xffdff06f };     /* addi a0,a0,1; j .-4 */
    static uint8_t disk[64 << 10];
    if (built)
        return &m;
    write_file(KERNEL, loop, sizeof loop);
    write_file(DISK, disk, sizeof disk);
    struct options opt;
    char err[512];
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", KERNEL, "-m", "16M", "-smp", "2",
                     "-icount", "shift=0,sleep=off", "-serial", "file:/dev/null", "--fb", "64x64",
                     "-drive", "file=" DISK ",if=virtio,format=raw,snapshot=on", NULL };
    if (options_parse(sizeof argv / sizeof argv[0] - 1, argv, &opt, stdout, err, sizeof err) !=
            PARSE_OK || machine_init(&m, &opt, err, sizeof err)) {
        fprintf(stderr, "fuzz_snapshot: %s\n", err);
        abort();
    }
    built = true;
    if (machine_snapshot_save(&m, &own, &own_len, err, sizeof err)) {
        fprintf(stderr, "fuzz_snapshot: %s\n", err);
        abort();
    }
    const char *seed = getenv("FUZZ_SNAPSHOT_SEED");
    if (seed && snapshot_write_file(&m, seed, err, sizeof err)) {
        fprintf(stderr, "fuzz_snapshot: %s\n", err);
        abort();
    }
    return &m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct machine *m = machine();
    char err[512];
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    size_t len = size - 1;
    if ((flags & 4) && len < own_len)
        len = own_len;
    uint8_t *s = calloc(1, len ? len : 1);
    memcpy(s, data + 1, size - 1);
    for (size_t i = 0; (flags & 4) && i < own_len; i++)
        s[i] ^= own[i];
    if ((flags & 1) && len >= 4) {
        uint32_t c = (uint32_t)crc32_z(0L, s, len - 4);
        for (int i = 0; i < 4; i++)
            s[len - 4 + i] = (uint8_t)(c >> (8 * i));
    }
    err[0] = 0;
    int r = machine_snapshot_restore(m, s, len, err, sizeof err);
    if (r && !err[0]) {
        fprintf(stderr, "fuzz_snapshot: refused without a message\n");
        abort();
    }
    if (!r && (flags & 2)) {
        m->opt.max_insns = 20000;
        machine_run(m);
    }
    free(s);
    return 0;
}

/*
 * Fuzz harness: the loaders.
 *
 *   byte 0 % 4 == 0: the rest is an ELF for load_elf_buffer (machine/loader.c)
 *                    onto a bus of RAM plus a ROM page that must not change;
 *                 1: the rest is the -kernel file of a whole machine_init with
 *                    -bios none (ELF or raw image, HTIF symbols);
 *                 2: the rest is a -dtb file (machine.c make_fdt), with -append;
 *                 3: the rest is an -initrd file.
 * Modes 1-3 build a small machine (2 MiB of RAM) from files in a scratch
 * directory, boot-load it and free it; nothing is run.
 */
#include "../machine/machine.h"
#include "../machine/loader.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (2u << 20)

static void buffer_load(const uint8_t *data, size_t size)
{
    static uint8_t rom[4096];
    struct bus b;
    struct loaded_image img;
    char err[256];
    uint8_t *ram = calloc(1, RAM_SIZE);
    memset(&b, 0, sizeof b);
    memset(rom, 0x5a, sizeof rom);
    bus_add_memory(&b, "ram", RAM_BASE, RAM_SIZE, ram, false);
    bus_add_memory(&b, "rom", 0x1000, sizeof rom, rom, true);
    memset(&img, 0, sizeof img);
    if (load_elf_buffer(&b, data, size, &img, err, sizeof err) && !err[0])
        abort();
    bus_free(&b);
    free(ram);
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
}

static void machine_load(int mode, const uint8_t *data, size_t size)
{
    static char dir[64], kernel[96], file[96];      /* scratch files for the process */
    static struct machine m;
    static const uint8_t nop_kernel[4] = { 0x13, 0, 0, 0 };
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/hartvm-fuzz-loader-%d", (int)getpid());
        snprintf(kernel, sizeof kernel, "%s.kernel", dir);
        snprintf(file, sizeof file, "%s.file", dir);
    }
    struct options opt;
    char err[512];
    memset(&opt, 0, sizeof opt);
    opt.bios = "none";
    opt.kernel = kernel;
    opt.ram_size = RAM_SIZE;
    opt.smp = 1;
    opt.mmu_max = 9;
    opt.icount_shift = -1;
    opt.serial_file = "/dev/null";
    if (mode == 1) {
        write_file(kernel, data, size);
    } else {
        write_file(kernel, nop_kernel, sizeof nop_kernel);
        write_file(file, data, size);
        if (mode == 2) {
            opt.dtb = file;
            opt.append = "console=ttyS0";
        } else {
            opt.initrd = file;
        }
    }
    err[0] = 0;
    if (machine_init(&m, &opt, err, sizeof err) && !err[0]) {
        fprintf(stderr, "fuzz_loader: machine_init failed without a message\n");
        abort();
    }
    machine_free(&m);
    unlink(kernel);
    unlink(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] % 4 == 0)
        buffer_load(data + 1, size - 1);
    else
        machine_load(data[0] % 4, data + 1, size - 1);
    return 0;
}

/*
 * Booting the board as QEMU's virt machine does it:
 *   firmware (-bios)   at 0x8000_0000
 *   kernel (-kernel)   at 0x8020_0000 behind firmware, or its ELF entry /
 *                      0x8000_0000 with -bios none
 *   initrd (-initrd)   at kernel + min(RAM/2, 128 MiB)
 *   device tree        at the top of the first 3 GiB of DRAM, 2 MiB aligned
 *   boot ROM           at 0x1000: a0 = hartid, a1 = DTB, a2 = fw_dynamic info
 */
#include "machine_priv.h"
#include "board.h"
#include "fdt.h"
#include "loader.h"
#include "../cpu/insn.h"
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define QEMU_BIOS_NAME "opensbi-riscv64-generic-fw_dynamic.bin"   /* QEMU's default */
#define QEMU_DATA_DIR "/usr/share/qemu"

/* The firmware file, found as QEMU finds it (qemu_find_file): a name as
 * given, else in each -L directory and then QEMU's own data directory;
 * the default firmware by QEMU's name in the -L directories only, else
 * Debian's OpenSBI. */
static const char *find_bios(const struct options *opt, const char *bios, char *buf, size_t len)
{
    bool dflt = !strcmp(bios, "default");
    if (!dflt && (strchr(bios, '/') || access(bios, R_OK) == 0))
        return bios;
    const char *name = dflt ? QEMU_BIOS_NAME : bios;
    for (int i = 0; i <= opt->ndata_dirs; i++) {
        const char *dir = i < opt->ndata_dirs ? opt->data_dirs[i] : dflt ? NULL : QEMU_DATA_DIR;
        if (!dir)
            break;
        snprintf(buf, len, "%s/%s", dir, name);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    return dflt ? DEFAULT_BIOS : bios;
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

int boot_add_htif(struct machine *m, const struct loaded_image *img)
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
    /* fdt_check_full: the header's sizes must lie inside the file */
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

/* Two images whose written ranges share a byte: the later one overwrote
 * the other, which QEMU's loader refuses rather than boot half of each.
 * An ELF's range spans all its segments (QEMU compares each segment). */
static bool overlap(const struct loaded_image *a, const struct loaded_image *b)
{
    return a->low < a->high && b->low < b->high && a->low < b->high && b->low < a->high;
}

/* Note an image in m->images; -1 with a message when it overlaps one
 * already there, as QEMU's ROM check refuses it. That check compares the
 * images of one address space: -device loader's (the hart's) with each
 * other, the board's (firmware, kernel, initrd, tree) with each other, so
 * a loader image may overwrite the firmware, as on QEMU 7.2. */
int boot_add_image(struct machine *m, const char *name, uint64_t lo, uint64_t hi, bool loader,
                   char *err, size_t errlen)
{
    struct loaded_image a = { .low = lo, .high = hi };
    for (int i = 0; i < m->nimages; i++) {
        struct loaded_image b = { .low = m->images[i].lo, .high = m->images[i].hi };
        if (m->images[i].loader == loader && overlap(&a, &b)) {
            snprintf(err, errlen, "%s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx), as QEMU's "
                     "ROM check refuses too", name, (unsigned long long)lo, (unsigned long long)hi,
                     m->images[i].name, (unsigned long long)b.low, (unsigned long long)b.high);
            return -1;
        }
    }
    if (m->nimages == BOOT_MAX_IMAGES) {
        snprintf(err, errlen, "%s: more than %d images", name, BOOT_MAX_IMAGES);
        return -1;
    }
    m->images[m->nimages++] = (struct boot_image){ name, lo, hi, loader };
    return 0;
}

/* The first CODE_PROBE instructions of a raw kernel all decode: true for
 * any binary whose entry is its start, rarely for other data (about a
 * third of random words are illegal encodings). */
#define CODE_PROBE 8
static bool starts_with_code(struct machine *m, const struct loaded_image *k)
{
    uint64_t pc = k->low;
    for (int i = 0; i < CODE_PROBE; i++) {
        const uint8_t *p = bus_mem_ptr(&m->bus, pc, 4);
        struct dinsn d;
        if (!p || pc + 2 > k->high)
            return i > 0;
        uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        pc += (uint64_t)insn_decode(w, &d);
        if (d.op == OP__ILLEGAL)
            return false;
    }
    return true;
}

/* What QEMU does not check: a RISC-V Image's header must agree with the
 * file and with RAM. A kernel of neither kind is loaded raw, as QEMU
 * loads it, with a warning when it does not start with instructions: a
 * wrong file would run as code (behind firmware, with no end). */
static int check_kernel(struct machine *m, const struct loaded_image *k, char *err,
                        size_t errlen)
{
    const char *f = m->opt.kernel;
    uint64_t file = k->high - k->low, ram_end = m->ram_base + m->ram_size;
    if (k->is_elf)
        return 0;
    if (!k->riscv_image) {
        if (!m->raw_kernel_checked && !starts_with_code(m, k))
            fprintf(stderr, "hartvm: warning: -kernel %s is neither an ELF nor a RISC-V Image, "
                    "and does not start with RISC-V instructions: loaded as a raw binary at "
                    "0x%llx all the same, as QEMU does\n", f, (unsigned long long)k->low);
        m->raw_kernel_checked = true;   /* once, not at every reboot */
        return 0;
    }
    if (k->image_size < file)
        return snprintf(err, errlen, "-kernel %s: RISC-V Image header gives image_size %llu, "
                        "less than the file's %llu bytes: not a whole Image", f,
                        (unsigned long long)k->image_size, (unsigned long long)file), -1;
    if (k->image_size > ram_end - k->low)
        return snprintf(err, errlen, "-kernel %s: the RISC-V Image needs %llu bytes from 0x%llx "
                        "(its image_size), more than RAM has there: give a larger -m", f,
                        (unsigned long long)k->image_size, (unsigned long long)k->low), -1;
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
    char found[4096];
    const char *path = have_fw ? find_bios(opt, bios, found, sizeof found) : bios;
    *start = m->ram_base;
    *next = m->ram_base + KERNEL_OFFSET;
    if (have_fw) {
        if (load_image(&m->bus, path, m->ram_base, &fw, err, errlen) ||
            boot_add_image(m, path, fw.low, fw.high, false, err, errlen))
            return -1;
        *start = fw.entry;
        if (boot_add_htif(m, &fw))
            goto map_full;
    }
    if (opt->kernel) {
        /* Without firmware a raw image runs from the start of DRAM. */
        uint64_t at = have_fw ? *next : m->ram_base;
        if (load_image(&m->bus, opt->kernel, at, &kern, err, errlen) ||
            check_kernel(m, &kern, err, errlen))
            return -1;
        *next = kern.is_elf ? kern.entry : at;
        if (have_fw && overlap(&fw, &kern)) {
            snprintf(err, errlen, "-kernel %s [0x%llx, 0x%llx) overlaps the firmware %s "
                     "[0x%llx, 0x%llx), as QEMU refuses too: link the kernel elsewhere, "
                     "or give -bios none", opt->kernel, (unsigned long long)kern.low,
                     (unsigned long long)kern.high, path, (unsigned long long)fw.low,
                     (unsigned long long)fw.high);
            return -1;
        }
        if (boot_add_image(m, opt->kernel, kern.low, kern.high, false, err, errlen))
            return -1;
        if (!have_fw) {
            *start = *next;
            if (boot_add_htif(m, &kern))
                goto map_full;
        }
    } else if (!have_fw && !opt->loaders.n) {
        snprintf(err, errlen, "-bios none needs -kernel (or -device loader)");
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
    return boot_add_image(m, opt->initrd, at, at + len, false, err, errlen);
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
    return boot_add_image(m, "the device tree", m->fdt_addr, m->fdt_addr + m->fdt_len, false,
                          err, errlen);
}

/* Load firmware, kernel, initrd and device tree; build the boot ROM. */
int boot_load(struct machine *m, char *err, size_t errlen)
{
    uint64_t start, next;
    m->nimages = 0;
    if (load_images(m, &start, &next, err, errlen) || loader_devices_load(m, err, errlen) ||
        load_initrd(m, next, err, errlen) || place_fdt(m, err, errlen))
        return -1;
    build_boot_rom(m, start, m->fdt_addr, next);
    return 0;
}

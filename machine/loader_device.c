/*
 * -device loader (loader_device.h): its properties, checked as QEMU checks
 * them, and what it does at each reset.
 */
#include "loader_device.h"
#include "machine_priv.h"
#include "loader.h"
#include "keyval.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

/* QEMU's integer properties: decimal, or hex after 0x. */
static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return !errno && end != s && !*end && *s != '-';
}


static bool is_prop(const char *key)
{
    static const char *const names[] = { "file", "addr", "data", "data-len", "cpu-num",
                                         "force-raw", "data-be" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(key, names[i]))
            return true;
    return false;
}

static int set_prop(struct loader_opt *l, const char *key, const char *val, char *err, size_t errlen)
{
    uint64_t n;
    if (!strcmp(key, "file"))
        snprintf(l->file, sizeof l->file, "%s", val);
    else if (!strcmp(key, "addr") && parse_u64(val, &l->addr))
        l->has_addr = true;
    else if (!strcmp(key, "data") && parse_u64(val, &l->data))
        l->has_data = true;
    else if (!strcmp(key, "data-len") && parse_u64(val, &n) && n <= 8) {
        l->data_len = (unsigned)n;
        l->has_data_len = true;
    } else if (!strcmp(key, "cpu-num") && parse_u64(val, &n) && n < 1024)
        l->cpu = (int)n;
    else if (!(!strcmp(key, "force-raw") && !keyval_bool(val, &l->force_raw)) &&
             !(!strcmp(key, "data-be") && !keyval_bool(val, &l->data_be)))
        return ERR("%s=%.40s: %s (file=, addr=, cpu-num=, force-raw=, data=, data-len=1..8,"
                   " data-be=)", key, val, is_prop(key) ? "bad value" : "no such property");
    return 0;
}

int loader_parse(struct loader_opts *o, const char *props, char *err, size_t errlen)
{
    struct kv kv;
    char e[200];
    if (o->n == MAX_LOADERS)
        return ERR("-device loader: at most %d loaders", MAX_LOADERS);
    struct loader_opt *l = &o->l[o->n];
    *l = (struct loader_opt){ .cpu = -1 };
    if (*props == ',')
        props++;
    while (keyval_next(&props, &kv)) {
        if (kv.overflow)
            return ERR("-device loader: '%s' is too long", kv.key);
        if (set_prop(l, kv.key, kv.val, e, sizeof e))
            return ERR("-device loader: %s", e);
    }
    /* the checks QEMU's generic loader makes */
    if (l->has_data && l->file[0])
        return ERR("-device loader: specifying a file is not supported when loading memory values");
    if (l->has_data != l->has_data_len || (l->has_data && !l->data_len))
        return ERR("-device loader: both data and data-len (1 to 8) must be specified");
    if (l->has_data && !l->has_addr)
        return ERR("-device loader: data= needs addr=");
    if (!l->has_data && !l->file[0] && (!l->has_addr || l->cpu < 0))
        return ERR("-device loader: need file=, data= with data-len=, or addr= with cpu-num=");
    if (l->force_raw && !l->has_addr)
        return ERR("-device loader: force-raw=on needs addr=");
    o->n++;
    return 0;
}

/* The bytes of a data loader: the first data_len of the value as a 64-bit
 * number, little- or big-endian (QEMU 7.2 swaps all 8 bytes for data-be,
 * so data=0x1234,data-len=2,data-be=on writes two zeros). */
static void data_bytes(const struct loader_opt *l, uint8_t *b)
{
    for (unsigned i = 0; i < l->data_len; i++)
        b[i] = (uint8_t)(l->data >> (l->data_be ? 56 - 8 * i : 8 * i));
}

/* One file loader: 0, or -1. *entry: where its hart would start. */
static int load_one(struct machine *m, const struct loader_opt *l, uint64_t *entry,
                    char *err, size_t errlen)
{
    struct loaded_image img;
    char e[256], magic[4] = { 0 };
    FILE *f = l->has_addr ? NULL : fopen(l->file, "rb");
    bool elf = f && fread(magic, 1, 4, f) == 4 && is_elf((const uint8_t *)magic, 4);
    if (f)
        fclose(f);
    if (f && !elf)              /* QEMU would load it at 0 */
        return ERR("-device loader,file=%s: not an ELF file, so addr= is needed", l->file);
    int r = l->force_raw ? load_raw(&m->bus, l->file, l->addr, &img, e, sizeof e)
                         : load_image(&m->bus, l->file, l->addr, &img, e, sizeof e);
    if (r)
        return ERR("-device loader: %s", e);
    *entry = img.entry;
    if (boot_add_image(m, l->file, img.low, img.high, true, err, errlen))
        return -1;
    if (boot_add_htif(m, &img))
        return ERR("-device loader,file=%s: cannot map the HTIF words", l->file);
    return 0;
}

int loader_devices_load(struct machine *m, char *err, size_t errlen)
{
    for (int i = 0; i < m->opt.loaders.n; i++) {
        const struct loader_opt *l = &m->opt.loaders.l[i];
        uint64_t pc = l->addr;
        uint8_t b[8];
        if (l->cpu >= m->nharts)
            return ERR("-device loader: specified boot CPU#%d is nonexistent (-smp %d)", l->cpu,
                       m->nharts);
        if (l->file[0] && load_one(m, l, &pc, err, errlen))
            return -1;
        if (l->has_data) {
            data_bytes(l, b);
            if (bus_write_mem(&m->bus, l->addr, b, l->data_len))
                return ERR("-device loader: no memory at 0x%llx for data=",
                           (unsigned long long)l->addr);
        } else if (l->cpu >= 0) {
            m->harts[l->cpu].pc = pc;       /* instead of the reset vector */
        }
    }
    return 0;
}

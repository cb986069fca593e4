/*
 * Guest memory in a snapshot, sparse: a section's payload is
 *
 *   u64 length   bitmap (a bit per 4 KiB page, set: the page is not all
 *                zero)   the bytes of each set page, in address order
 *
 * so untouched (all-zero) pages cost an eighth of a byte each. RAM is cut
 * into sections of 1 GiB (a section's length is a u32).
 *
 * Host pages the guest never touched are zero without looking: the
 * kernel's page map (/proc/self/pagemap: neither present nor swapped)
 * says which they are, and reading them would fault each one in, which
 * costs more than the rest of a save. Restoring zeroes a page only if it
 * is not zero already, so a fresh machine's untouched RAM stays
 * untouched (not resident) on the host.
 */
#include "snap_parts.h"
#include "machine.h"
#include "state.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096u
#define RAM_SECTION (1ull << 30)
#define PM_PRESENT (1ull << 63)
#define PM_SWAPPED (1ull << 62)

static bool page_zero(const uint8_t *p, size_t n)
{
    const uint64_t *w = (const uint64_t *)p;
    for (size_t i = 0; i < n / 8; i++)
        if (w[i])
            return false;
    for (size_t i = n & ~(size_t)7; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static uint64_t npages(uint64_t len) { return (len + PAGE - 1) / PAGE; }
static size_t page_len(uint64_t len, uint64_t i) { return len - i * PAGE < PAGE ? len - i * PAGE : PAGE; }

/* Per page of [p, p+len): may it hold anything but zeros (a host page
 * under it present or swapped)? NULL when the page map cannot tell. */
uint8_t *snap_touched_pages(const uint8_t *p, uint64_t len)
{
    int fd = sysconf(_SC_PAGESIZE) == PAGE ? open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC) : -1;
    uint64_t first = (uintptr_t)p / PAGE, last = ((uintptr_t)p + len - 1) / PAGE, n = npages(len);
    uint64_t *ent = fd >= 0 ? malloc((last - first + 1) * 8) : NULL;
    uint8_t *t = ent ? calloc(1, n) : NULL;
    size_t want = (last - first + 1) * 8;
    if (!t || pread(fd, ent, want, (off_t)(first * 8)) != (ssize_t)want) {
        free(t);
        t = NULL;
    }
    for (uint64_t i = 0; t && i < n; i++) {
        uint64_t a = ((uintptr_t)p + i * PAGE) / PAGE - first;
        uint64_t b = ((uintptr_t)p + i * PAGE + page_len(len, i) - 1) / PAGE - first;
        for (uint64_t k = a; k <= b; k++)
            t[i] |= (ent[k] & (PM_PRESENT | PM_SWAPPED)) != 0;
    }
    free(ent);
    if (fd >= 0)
        close(fd);
    return t;
}

bool snap_page_zero(const uint8_t *p, uint64_t len, uint64_t i, const uint8_t *touched)
{
    return (touched && !touched[i]) || page_zero(p + i * PAGE, page_len(len, i));
}

void snap_mem_save(struct state_out *o, const uint8_t *p, uint64_t len)
{
    uint64_t n = npages(len);
    uint8_t *map = calloc(1, (n + 7) / 8 + 1), *touched = snap_touched_pages(p, len);
    if (!map) {
        free(touched);
        o->oom = true;
        return;
    }
    for (uint64_t i = 0; i < n; i++)
        if (!snap_page_zero(p, len, i, touched))
            map[i / 8] |= 1u << (i % 8);
    free(touched);
    state_put_u64(o, len);
    state_put_bytes(o, map, (n + 7) / 8);
    for (uint64_t i = 0; i < n; i++)
        if (map[i / 8] >> (i % 8) & 1)
            state_put_bytes(o, p + i * PAGE, page_len(len, i));
    free(map);
}

/* The bitmap, read and checked: the length is ours, no bit past the end,
 * and the pages it names are the rest of the payload. NULL when bad. */
static const uint8_t *read_map(struct state_in *in, uint64_t len)
{
    if (state_get_u64(in) != len) {
        state_reject(in, "memory size differs");
        return NULL;
    }
    uint64_t n = npages(len), bytes = (n + 7) / 8, want = 0;
    if (in->bad || bytes > in->end - in->rd) {
        state_reject(in, "payload too short");
        return NULL;
    }
    const uint8_t *map = in->buf + in->rd;
    in->rd += bytes;
    for (uint64_t i = 0; i < bytes * 8; i++) {
        bool set = map[i / 8] >> (i % 8) & 1;
        if (set && i >= n) {
            state_reject(in, "page bitmap runs past the memory");
            return NULL;
        }
        want += set ? page_len(len, i) : 0;
    }
    if (want != in->end - in->rd) {
        state_reject(in, "page data does not match the page bitmap");
        return NULL;
    }
    return map;
}

int snap_mem_check(struct state_in *in, uint64_t len)
{
    if (!read_map(in, len))
        return -1;
    in->rd = in->end;
    return 0;
}

void snap_mem_restore(struct state_in *in, uint8_t *p, uint64_t len)
{
    const uint8_t *map = read_map(in, len);
    uint8_t *touched = map ? snap_touched_pages(p, len) : NULL;
    for (uint64_t i = 0; map && i < npages(len); i++) {
        uint8_t *page = p + i * PAGE;
        size_t n = page_len(len, i);
        if (map[i / 8] >> (i % 8) & 1)
            state_get_bytes(in, page, n);
        else if (!snap_page_zero(p, len, i, touched))
            memset(page, 0, n);
    }
    free(touched);
}

/* ---- the parts -------------------------------------------------------- */

static uint64_t ram_at(const struct machine *m, uint32_t inst, uint8_t **p)
{
    uint64_t off = (uint64_t)inst * RAM_SECTION, left = m->ram_size - off;
    *p = m->ram + off;
    return left < RAM_SECTION ? left : RAM_SECTION;
}

static uint32_t ram_count(const struct machine *m)
{
    return (uint32_t)((m->ram_size + RAM_SECTION - 1) / RAM_SECTION);
}

static void ram_save(struct machine *m, uint32_t inst, struct state_out *o)
{
    uint8_t *p;
    uint64_t len = ram_at(m, inst, &p);
    snap_mem_save(o, p, len);
}

static int ram_check(struct machine *m, uint32_t inst, struct state_in *in, char *err, size_t errlen)
{
    uint8_t *p;
    (void)err;
    (void)errlen;
    return snap_mem_check(in, ram_at(m, inst, &p));
}

static int ram_restore(struct machine *m, uint32_t inst, struct state_in *in)
{
    uint8_t *p;
    uint64_t len = ram_at(m, inst, &p);
    snap_mem_restore(in, p, len);
    return in->bad ? -1 : 0;
}

const struct snap_part snap_ram_part = {
    .name = "ram", .version = 1, .count = ram_count,
    .save = ram_save, .check = ram_check, .restore = ram_restore,
};

/* The boot ROM and the framebuffer: one area each, the same encoding. */
static uint8_t *area(struct machine *m, bool rom, uint64_t *len)
{
    *len = rom ? sizeof m->rom : m->fb.size;
    return rom ? m->rom : m->fb.mem;
}

static void area_save(struct machine *m, bool rom, struct state_out *o)
{
    uint64_t len;
    uint8_t *p = area(m, rom, &len);
    snap_mem_save(o, p, len);
}

static int area_restore(struct machine *m, bool rom, struct state_in *in)
{
    uint64_t len;
    uint8_t *p = area(m, rom, &len);
    snap_mem_restore(in, p, len);
    return in->bad ? -1 : 0;
}

static int area_check(struct machine *m, bool rom, struct state_in *in)
{
    uint64_t len;
    area(m, rom, &len);
    return snap_mem_check(in, len);
}

static int rom_check(struct machine *m, uint32_t i, struct state_in *in, char *e, size_t n)
{
    (void)i; (void)e; (void)n;
    return area_check(m, true, in);
}

static int fb_check(struct machine *m, uint32_t i, struct state_in *in, char *e, size_t n)
{
    (void)i; (void)e; (void)n;
    return area_check(m, false, in);
}

static void rom_save(struct machine *m, uint32_t i, struct state_out *o) { (void)i; area_save(m, true, o); }
static int rom_restore(struct machine *m, uint32_t i, struct state_in *in) { (void)i; return area_restore(m, true, in); }
static void fb_save(struct machine *m, uint32_t i, struct state_out *o) { (void)i; area_save(m, false, o); }
static int fb_restore(struct machine *m, uint32_t i, struct state_in *in) { (void)i; return area_restore(m, false, in); }
static int fb_present(const struct machine *m, uint32_t i) { (void)i; return m->fb.mem != NULL; }

const struct snap_part snap_rom_part = {
    .name = "mrom", .version = 1, .save = rom_save, .check = rom_check, .restore = rom_restore,
};
const struct snap_part snap_fbmem_part = {
    .name = "fbmem", .version = 1, .present = fb_present, .save = fb_save,
    .check = fb_check, .restore = fb_restore,
};

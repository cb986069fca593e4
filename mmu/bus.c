/* The physical bus: region lookup and coherent physical memory access. */
#include "bus.h"
#include <string.h>

static bool overlaps(const struct region *r, uint64_t pa, uint64_t len)
{
    return pa < r->base + r->size && r->base < pa + len;
}

/* Widen memory region m's overlay hull to cover device d if they meet. */
static void note_overlay(struct region *m, const struct region *d)
{
    if (!overlaps(m, d->base, d->size))
        return;
    if (m->ov_lo >= m->ov_hi) {
        m->ov_lo = d->base;
        m->ov_hi = d->base + d->size;
        return;
    }
    if (d->base < m->ov_lo)
        m->ov_lo = d->base;
    if (d->base + d->size > m->ov_hi)
        m->ov_hi = d->base + d->size;
}

static int add_region(struct bus *b, struct region r)
{
    if (b->n >= BUS_MAX_REGIONS)
        return -1;
    struct region *n = &b->r[b->n++];
    *n = r;
    for (int i = 0; i < b->n - 1; i++) {
        struct region *o = &b->r[i];
        if (n->host && !o->host)
            note_overlay(n, o);
        else if (!n->host && o->host)
            note_overlay(o, n);
    }
    b->hot = NULL;
    return 0;
}

int bus_add_memory(struct bus *b, const char *name, uint64_t base, uint64_t size,
                   uint8_t *host, bool readonly)
{
    struct region r = { .name = name, .base = base, .size = size, .host = host,
                        .readonly = readonly };
    if (dcache_region_init(&r))
        return -1;
    if (add_region(b, r)) {
        dcache_region_free(&r);
        return -1;
    }
    return 0;
}

int bus_add_device(struct bus *b, const char *name, uint64_t base, uint64_t size,
                   const struct device_ops *ops, void *dev)
{
    return add_region(b, (struct region){ .name = name, .base = base, .size = size,
                                          .ops = ops, .dev = dev });
}

void bus_free(struct bus *b)
{
    for (int i = 0; i < b->n; i++)
        dcache_region_free(&b->r[i]);
    dcache_free(&b->dc);
    b->n = 0;
    b->hot = NULL;
}

static bool contains(const struct region *r, uint64_t pa, uint64_t len)
{
    return pa >= r->base && len <= r->size && pa - r->base <= r->size - len;
}

/* [pa, pa+len) lies in the hot memory region, clear of its overlays. */
static struct region *hot_hit(struct bus *b, uint64_t pa, uint64_t len)
{
    struct region *r = b->hot;
    if (r && contains(r, pa, len) && (pa + len <= r->ov_lo || pa >= r->ov_hi))
        return r;
    return NULL;
}

struct region *bus_find(struct bus *b, uint64_t pa, uint64_t len)
{
    struct region *mem = hot_hit(b, pa, len);
    if (mem)
        return mem;
    for (int i = 0; i < b->n; i++) {
        struct region *r = &b->r[i];
        if (!contains(r, pa, len))
            continue;
        if (!r->host)
            return r;
        mem = r;
    }
    if (mem)
        b->hot = mem;
    return mem;
}

struct region *bus_find_page_memory(struct bus *b, uint64_t pa)
{
    uint64_t page = pa & ~0xfffull;
    struct region *mem = hot_hit(b, page, 4096);
    if (mem)
        return mem;
    for (int i = 0; i < b->n; i++) {
        struct region *r = &b->r[i];
        if (!r->host && overlaps(r, page, 4096))
            return NULL;
        if (r->host && contains(r, page, 4096))
            mem = r;
    }
    return mem;
}

struct region *bus_region_of_host(struct bus *b, const uint8_t *host)
{
    for (int i = 0; i < b->n; i++) {
        struct region *r = &b->r[i];
        if (r->host && host >= r->host && (uint64_t)(host - r->host) < r->size)
            return r;
    }
    return NULL;
}

void *bus_mem_ptr(struct bus *b, uint64_t pa, size_t len)
{
    struct region *r = bus_find(b, pa, len);
    return r && r->host ? r->host + (pa - r->base) : NULL;
}

int bus_read_mem(struct bus *b, uint64_t pa, void *buf, size_t len)
{
    void *p = bus_mem_ptr(b, pa, len);
    if (!p)
        return -1;
    memcpy(buf, p, len);
    return 0;
}

int bus_write_mem(struct bus *b, uint64_t pa, const void *buf, size_t len)
{
    struct region *r = bus_find(b, pa, len);
    if (!r || !r->host)
        return -1;
    memcpy(r->host + (pa - r->base), buf, len);
    dcache_invalidate(r, pa - r->base, len);
    return 0;
}

int bus_dma_write(struct bus *b, uint64_t pa, const void *buf, size_t len)
{
    struct region *r = bus_find(b, pa, len);
    if (!r || !r->host || r->readonly)
        return -1;
    return bus_write_mem(b, pa, buf, len);
}

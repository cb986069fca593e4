/*
 * The physical bus: a list of regions, each either memory (RAM or ROM,
 * backed by a host buffer) or a device (read/write callbacks). The board
 * (machine/) registers regions from its memory map; the bus knows nothing
 * of any particular device.
 */
#ifndef MMU_BUS_H
#define MMU_BUS_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "../cpu/dcache.h"

/* A device's callbacks. off is relative to the region base; size is 1, 2, 4
 * or 8. Return 0 on success, -1 for an access the device rejects (the hart
 * then raises an access fault). */
struct device_ops {
    int (*read)(void *dev, uint64_t off, unsigned size, uint64_t *val);
    int (*write)(void *dev, uint64_t off, unsigned size, uint64_t val);
};

struct region {
    const char *name;
    uint64_t base, size;
    uint8_t *host;              /* memory: host buffer; NULL for devices */
    bool readonly;              /* ROM: guest stores fault */
    const struct device_ops *ops;
    void *dev;
    /* memory: the decoded-instruction cache's (mmu/dcache.c; nothing else
     * touches them): a decoded page per guest page, or NULL; page numbers
     * [live_lo, live_hi] bound the live ones (empty if live_lo > live_hi),
     * so invalidating a whole region, as the reference mode does before
     * every instruction, scans only those */
    struct dpage **dpages;
    uint64_t live_lo, live_hi;
    /* memory: hull [ov_lo, ov_hi) of the devices overlaying it (empty if
     * ov_lo >= ov_hi); addresses outside it are plain memory */
    uint64_t ov_lo, ov_hi;
    /* memory, while a migration runs (machine/migrate.c): a byte per page,
     * set by every write that does not go through a store TLB entry (the
     * slow paths, DMA) and by the fill of a store entry, the first store
     * to a page since the store TLBs were dropped; NULL otherwise */
    uint8_t *dirty;
};

/* Mark [off, off+len) of r written, if a migration tracks it. */
static inline void region_mark_dirty(struct region *r, uint64_t off, uint64_t len)
{
    if (__builtin_expect(r->dirty != NULL, 0) && len)
        for (uint64_t pn = off >> 12; pn <= (off + len - 1) >> 12; pn++)
            r->dirty[pn] = 1;
}

#define BUS_MAX_REGIONS 32

struct bus {
    struct region r[BUS_MAX_REGIONS];
    int n;
    struct region *hot;         /* memory region last found (lookup cache) */
    struct dcache dc;           /* the decoded pages of all its memory (cpu/dcache.h) */
};

int bus_add_memory(struct bus *b, const char *name, uint64_t base, uint64_t size,
                   uint8_t *host, bool readonly);
int bus_add_device(struct bus *b, const char *name, uint64_t base, uint64_t size,
                   const struct device_ops *ops, void *dev);
void bus_free(struct bus *b);

/* The region holding [pa, pa+len), or NULL. Devices take precedence over
 * memory, so a device may overlay part of RAM (HTIF's tohost). */
struct region *bus_find(struct bus *b, uint64_t pa, uint64_t len);

/* Whole 4 KiB page pa lies in one memory region with no device over it. */
struct region *bus_find_page_memory(struct bus *b, uint64_t pa);

/* The memory region whose host buffer holds the byte at host, or NULL
 * (the way back from a TLB entry or a decoded page to guest memory). */
struct region *bus_region_of_host(struct bus *b, const uint8_t *host);

/* Physical accesses for devices (DMA), loaders and the debugger. They keep
 * the decoded-instruction cache coherent. Return 0 or -1 if not memory. */
int bus_read_mem(struct bus *b, uint64_t pa, void *buf, size_t len);
int bus_write_mem(struct bus *b, uint64_t pa, const void *buf, size_t len);
/* The same for a write the guest directs (DMA, HTIF frames, page-table
 * A/D updates): read-only memory (ROM) refuses it with -1 too, as the
 * guest may change its ROM by DMA or a page walk no more than by a store. */
int bus_dma_write(struct bus *b, uint64_t pa, const void *buf, size_t len);
/* Host pointer to [pa, pa+len) if it lies entirely in one memory region. */
void *bus_mem_ptr(struct bus *b, uint64_t pa, size_t len);

#endif

/*
 * Misaligned loads and stores, performed by the hart (Zicclsm, which the
 * RVA22 and RVA23 profiles require; QEMU performs them too). A misaligned
 * address never matches a TLB tag (cpu/exec.c, TLB_HIT), so the
 * interpreter's fast path sends it to mmu_load_slow / mmu_store_slow,
 * which pass it on here; aligned accesses keep their one-compare hit.
 *
 * An access that crosses a page boundary is two parts, one per page:
 *
 *        va           page end
 *   ... [ part 0 ......) [ part 1 ... )
 *
 * Both parts are translated and checked (PMP, ROM) before either is
 * performed, page 0 first, so a store that faults on page 1 writes
 * nothing; the fault's tval is the virtual address of the part that
 * caused it (privileged spec 3.1.16, "mtval"). Atomicity (Zama16b: within
 * a 16-byte granule, privileged spec "Misaligned Atomicity Granule PMA")
 * comes for free: harts run one instruction at a time in one host thread.
 * AMOs and LR/SC still require natural alignment (mmu_atomic_ptr), though
 * that PMA would let an AMO within the granule proceed.
 * A device region takes the access as naturally aligned pieces, lowest
 * address first.
 */
#include "mmu.h"
#include "bus.h"
#include "../cpu/core.h"
#include <string.h>

struct part {
    uint64_t va, pa;
    unsigned n;             /* bytes */
    int level;
    struct region *r;
};

static int check_part(struct hart *h, struct part *p, enum access acc, int *priv)
{
    p->r = mmu_data_access(h, p->va, p->n, acc, &p->pa, &p->level, priv);
    if (!p->r)
        return -1;
    if (acc == ACC_STORE && p->r->host && p->r->readonly) {
        hart_exception(h, EXC_STORE_ACCESS, p->va);
        return -1;
    }
    return 0;
}

/* The largest naturally aligned piece at off of at most n bytes. */
static unsigned piece_size(uint64_t off, unsigned n)
{
    unsigned s = 8;
    while (s > n || (off & (s - 1)))
        s >>= 1;
    return s;
}

/* A device part, piece by piece; bytes are little-endian. */
static int mmio_part(struct hart *h, const struct part *p, bool store, uint8_t *bytes)
{
    const struct device_ops *ops = p->r->ops;
    h->yield = true;
    for (unsigned done = 0; done < p->n; ) {
        uint64_t off = p->pa - p->r->base + done, v = 0;
        unsigned s = piece_size(off, p->n - done);
        int bad;
        if (store) {
            memcpy(&v, bytes + done, s);
            bad = !ops->write || ops->write(p->r->dev, off, s, v);
        } else {
            bad = !ops->read || ops->read(p->r->dev, off, s, &v);
            memcpy(bytes + done, &v, s);
        }
        if (bad) {
            hart_exception(h, store ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, p->va);
            return -1;
        }
        done += s;
    }
    return 0;
}

static int do_part(struct hart *h, const struct part *p, enum access acc, int priv,
                   uint8_t *bytes)
{
    bool store = acc == ACC_STORE;
    uint64_t v = 0;
    if (store)
        memcpy(&v, bytes, p->n);
    core_watch_access(h->core, h, p->va, p->pa, p->n, store, v);
    if (!p->r->host)
        return mmio_part(h, p, store, bytes);
    uint8_t *host = p->r->host + (p->pa - p->r->base);
    if (store) {
        memcpy(host, bytes, p->n);
        dcache_invalidate(p->r, p->pa - p->r->base, p->n);
    } else {
        memcpy(bytes, host, p->n);
    }
    mmu_tlb_fill(h, p->r, p->va, p->pa, p->level, acc, priv);
    return 0;
}

/* *val to or from host memory, size 2, 4 or 8: constant sizes, so the
 * host's own unaligned moves rather than a call to memcpy. */
static inline void copy_le(void *host, uint64_t *val, unsigned size, bool store)
{
    uint16_t v16;
    uint32_t v32;
    switch (size | (store ? 16 : 0)) {
    case 2:  memcpy(&v16, host, 2); *val = v16; break;
    case 4:  memcpy(&v32, host, 4); *val = v32; break;
    case 8:  memcpy(val, host, 8); break;
    case 18: v16 = (uint16_t)*val; memcpy(host, &v16, 2); break;
    case 20: v32 = (uint32_t)*val; memcpy(host, &v32, 4); break;
    case 24: memcpy(host, val, 8); break;
    }
}

/* The general case: one or two parts, each translated and checked. */
static __attribute__((noinline)) int by_parts(struct hart *h, uint64_t va, unsigned size,
                                              enum access acc, uint64_t *val)
{
    unsigned in_page = 0x1000 - (unsigned)(va & 0xfff);
    uint8_t bytes[8];
    bool store = acc == ACC_STORE;
    /* an address trigger first, as for an aligned access (mmu.c); armed
     * load/store triggers keep every page out of the TLB, so the TLB hit
     * in mmu_misaligned never bypasses them */
    if (h->trig.data && trig_access(h, va, size, store, store ? *val : 0))
        return -1;
    if (store)
        memcpy(bytes, val, size);
    struct part p[2] = { { .va = va, .n = size < in_page ? size : in_page } };
    p[1].va = va + p[0].n;
    p[1].n = size - p[0].n;
    int np = p[1].n ? 2 : 1, priv;
    for (int i = 0; i < np; i++)
        if (check_part(h, &p[i], acc, &priv))
            return -1;
    for (int i = 0, off = 0; i < np; off += p[i].n, i++)
        if (do_part(h, &p[i], acc, priv, bytes + off))
            return -1;
    if (store)
        return 0;
    *val = 0;
    memcpy(val, bytes, size);
    return h->trig.data && trig_load_value(h, va, size, *val) ? -1 : 0;
}

int mmu_misaligned(struct hart *h, uint64_t va, unsigned size, enum access acc, uint64_t *val)
{
    /* Within a mapped page: the TLB entry the aligned access would hit. */
    const struct tlb_entry *e = &(acc == ACC_STORE ? h->tlb_st : h->tlb_ld)[(va >> 12) % TLB_SIZE];
    if ((va & 0xfff) + size <= 0x1000 && e->tag == (va & ~0xfffull)) {
        copy_le((void *)(e->addend + va), val, size, acc == ACC_STORE);
        return 0;
    }
    return by_parts(h, va, size, acc, val);
}

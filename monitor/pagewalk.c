/*
 * Looking at page tables as the hart walks them (privileged spec 4.3.2
 * "Virtual Address Translation Process"; Sv39 4.4, Sv48 4.5):
 *
 *   vtop VA    the walk for VA level by level: table address, index, PTE
 *              address and value, its flags, and the result or the fault
 *   pagetable  every leaf of the current satp, contiguous ones with equal
 *              permissions merged into ranges
 *
 *   PTE: 63 N | 62:61 PBMT | 60:54 reserved | 53:10 PPN | 9:8 RSW |
 *        7 D | 6 A | 5 G | 4 U | 3 X | 2 W | 1 R | 0 V
 *
 * Tables are read from physical memory without side effects (A and D are
 * left alone). The final permission check per access kind is the MMU's
 * own (mmu_translate_debug), so what is printed is what the hart would do.
 */
#include "dbg.h"
#include <string.h>

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
#define PPN(pte) (((pte) >> 10) & ((1ull << 44) - 1))
#define SATP_ROOT(satp) (((satp) & ((1ull << 44) - 1)) << 12)

static void flags_text(uint64_t pte, char *buf)
{
    static const char letters[] = "VRWXUGAD";
    for (int i = 0; i < 8; i++)
        buf[i] = (pte >> i) & 1 ? letters[i] : '-';
    buf[8] = 0;
}

static const char *size_text(int level)
{
    static const char *const s[4] = { "4 KiB", "2 MiB", "1 GiB", "512 GiB" };
    return s[level];
}

static int levels_of(uint64_t satp)
{
    unsigned mode = (unsigned)(satp >> 60);
    return mode == SATP_SV39 ? 3 : mode == SATP_SV48 ? 4 : 0;
}

/* Why a PTE stops the walk with a page fault, or NULL if it does not. */
static const char *pte_problem(uint64_t pte, int level)
{
    if (!(pte & PTE_V))
        return "V=0: invalid entry";
    if ((pte & PTE_W) && !(pte & PTE_R))
        return "W=1 with R=0 is reserved";
    if (pte >> 54)
        return "bits 63:54 set (N/PBMT/reserved not implemented)";
    if (!(pte & (PTE_R | PTE_X))) {
        if (pte & (PTE_D | PTE_A | PTE_U))
            return level == 0 ? "pointer at the last level" : "non-leaf with D, A or U set";
        if (level == 0)
            return "pointer at the last level";
        return NULL;
    }
    if (PPN(pte) & ((1ull << (9 * level)) - 1))
        return "misaligned superpage (low PPN bits not zero)";
    return NULL;
}

static void check_access(struct debugger *d, struct hart *h, uint64_t va)
{
    static const char *const kind[3] = { "fetch", "load", "store" };
    dbg_printf(d, "  as hart %u in %s-mode now:", h->id, priv_name(h->priv));
    for (int a = ACC_FETCH; a <= ACC_STORE; a++) {
        uint64_t pa;
        int cause = mmu_translate_debug(h, va, (enum access)a, &pa);
        if (cause)
            dbg_printf(d, " %s: %s (cause %d);", kind[a],
                       cause == EXC_INSN_PAGE || cause == EXC_LOAD_PAGE || cause == EXC_STORE_PAGE ?
                       "page fault" : "access fault", cause);
        else
            dbg_printf(d, " %s: ok;", kind[a]);
    }
    dbg_printf(d, "\n");
}

void pw_vtop(struct debugger *d, struct hart *h, uint64_t va)
{
    int levels = levels_of(h->satp);
    dbg_printf(d, "vtop 0x%llx on hart %u (%s-mode, satp 0x%llx)\n", (unsigned long long)va, h->id,
               priv_name(h->priv), (unsigned long long)h->satp);
    if (!levels) {
        dbg_printf(d, "  satp.MODE=Bare: no translation, physical = 0x%llx\n", (unsigned long long)va);
        check_access(d, h, va);
        return;
    }
    if (h->priv == PRV_M)
        dbg_printf(d, "  (M-mode fetches are untranslated; loads/stores too unless mstatus.MPRV)\n");
    int vabits = 12 + 9 * levels;
    if (((int64_t)(va << (64 - vabits)) >> (64 - vabits)) != (int64_t)va) {
        dbg_printf(d, "  => page fault: not a canonical %d-bit address (bits 63:%d must equal bit %d)\n",
                   vabits, vabits - 1, vabits - 1);
        return;
    }
    uint64_t table = SATP_ROOT(h->satp);
    for (int i = levels - 1; i >= 0; i--) {
        unsigned idx = (unsigned)((va >> (12 + 9 * i)) & 0x1ff);
        uint64_t pte_addr = table + idx * 8, pte;
        char fl[9];
        if (bus_read_mem(&d->m->bus, pte_addr, &pte, 8)) {
            dbg_printf(d, "  level %d: table 0x%llx [%u]: PTE address 0x%llx is not memory\n"
                       "  => access fault\n", i, (unsigned long long)table, idx,
                       (unsigned long long)pte_addr);
            return;
        }
        flags_text(pte, fl);
        dbg_printf(d, "  level %d: table 0x%llx [%3u] pte@0x%llx = 0x%016llx  %s  ppn 0x%llx\n", i,
                   (unsigned long long)table, idx, (unsigned long long)pte_addr,
                   (unsigned long long)pte, fl, (unsigned long long)PPN(pte));
        const char *why = pte_problem(pte, i);
        if (why) {
            dbg_printf(d, "  => page fault: %s\n", why);
            return;
        }
        if (pte & (PTE_R | PTE_X)) {
            uint64_t mask = (1ull << (12 + 9 * i)) - 1;
            uint64_t pa = ((PPN(pte) << 12) & ~mask) | (va & mask);
            dbg_printf(d, "  => physical 0x%llx (%s page, %c%c%c %s%s%s%s)\n", (unsigned long long)pa,
                       size_text(i), pte & PTE_R ? 'r' : '-', pte & PTE_W ? 'w' : '-',
                       pte & PTE_X ? 'x' : '-', pte & PTE_U ? "user" : "supervisor",
                       pte & PTE_G ? " global" : "", pte & PTE_A ? "" : ", A=0: first access faults",
                       (pte & PTE_W) && !(pte & PTE_D) ? ", D=0: first store faults" : "");
            check_access(d, h, va);
            return;
        }
        table = PPN(pte) << 12;
    }
}

/* ---- pagetable: leaves merged into ranges --------------------------------- */

struct range {
    uint64_t va, pa, len;
    uint64_t flags;             /* R W X U G bits (A, D ignored for merging) */
    bool open;
};

struct walk {
    struct debugger *d;
    struct range cur;
    unsigned ranges, leaves;
    int levels;
    bool truncated;
};

static void flush_range(struct walk *w)
{
    struct range *r = &w->cur;
    if (!r->open)
        return;
    r->open = false;
    if (w->ranges++ >= 2000) {
        w->truncated = true;
        return;
    }
    uint64_t f = r->flags;
    dbg_printf(w->d, "0x%016llx-0x%016llx -> 0x%010llx-0x%010llx %c%c%c%c%c  %llu KiB\n",
               (unsigned long long)r->va, (unsigned long long)(r->va + r->len - 1),
               (unsigned long long)r->pa, (unsigned long long)(r->pa + r->len - 1),
               f & PTE_R ? 'r' : '-', f & PTE_W ? 'w' : '-', f & PTE_X ? 'x' : '-',
               f & PTE_U ? 'u' : '-', f & PTE_G ? 'g' : '-', (unsigned long long)(r->len >> 10));
}

static void leaf(struct walk *w, uint64_t va, uint64_t pa, uint64_t len, uint64_t pte)
{
    uint64_t flags = pte & (PTE_R | PTE_W | PTE_X | PTE_U | PTE_G);
    struct range *r = &w->cur;
    w->leaves++;
    if (r->open && r->va + r->len == va && r->pa + r->len == pa && r->flags == flags) {
        r->len += len;
        return;
    }
    flush_range(w);
    *r = (struct range){ va, pa, len, flags, true };
}

static void walk_table(struct walk *w, uint64_t table, int level, uint64_t va_base)
{
    for (unsigned i = 0; i < 512; i++) {
        uint64_t pte;
        if (bus_read_mem(&w->d->m->bus, table + i * 8, &pte, 8))
            return;
        if (!(pte & PTE_V) || pte_problem(pte, level)) {
            flush_range(w);             /* a hole ends a range */
            continue;
        }
        uint64_t va = va_base | (uint64_t)i << (12 + 9 * level);
        if (level == w->levels - 1) {   /* sign-extend the top bit */
            int vabits = 12 + 9 * w->levels;
            va = (uint64_t)((int64_t)(va << (64 - vabits)) >> (64 - vabits));
        }
        if (pte & (PTE_R | PTE_X))
            leaf(w, va, PPN(pte) << 12, 1ull << (12 + 9 * level), pte);
        else
            walk_table(w, PPN(pte) << 12, level - 1, va);
    }
}

void pw_pagetable(struct debugger *d, struct hart *h)
{
    struct walk w = { .d = d, .levels = levels_of(h->satp) };
    if (!w.levels) {
        dbg_printf(d, "pagetable: hart %u has satp.MODE=Bare: no page table\n", h->id);
        return;
    }
    uint64_t root = SATP_ROOT(h->satp);
    dbg_printf(d, "hart %u, %s, root table 0x%llx (r w x u g; merged ranges)\n", h->id,
               w.levels == 3 ? "Sv39" : "Sv48", (unsigned long long)root);
    walk_table(&w, root, w.levels - 1, 0);
    flush_range(&w);
    if (w.truncated)
        dbg_printf(d, "... (only the first 2000 ranges shown)\n");
    dbg_printf(d, "%u leaf entries in %u ranges\n", w.leaves, w.ranges);
}

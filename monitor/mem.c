/*
 * Memory as the debugger sees it: virtual addresses go through the
 * selected hart's current translation (mmu_translate_debug: no A/D
 * update, no TLB fill), page by page; physical addresses go straight to
 * the bus. Only memory is read or written: a device register read can
 * have side effects (a UART's receive buffer), so the debugger refuses.
 */
#include "dbg.h"
#include <string.h>

static const char *cause_text(int cause)
{
    switch (cause) {
    case EXC_INSN_PAGE: case EXC_LOAD_PAGE: case EXC_STORE_PAGE: return "page fault";
    default: return "access fault";
    }
}

static int access_virt(struct debugger *d, uint64_t va, void *buf, size_t len, bool write,
                       enum access acc, char *err, size_t errlen)
{
    struct hart *h = dbg_hart(d);
    uint8_t *p = buf;
    while (len) {
        size_t chunk = 4096 - (va & 0xfff);
        if (chunk > len)
            chunk = len;
        uint64_t pa;
        int cause = mmu_translate_debug(h, va, acc, &pa);
        if (cause) {
            snprintf(err, errlen, "cannot access 0x%llx: %s (cause %d)", (unsigned long long)va,
                     cause_text(cause), cause);
            return -1;
        }
        int r = write ? bus_write_mem(&d->m->bus, pa, p, chunk) : bus_read_mem(&d->m->bus, pa, p, chunk);
        if (r) {
            snprintf(err, errlen, "cannot access 0x%llx (physical 0x%llx): not memory",
                     (unsigned long long)va, (unsigned long long)pa);
            return -1;
        }
        va += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

int dbg_read_virt(struct debugger *d, uint64_t va, void *buf, size_t len, char *err, size_t errlen)
{
    return access_virt(d, va, buf, len, false, ACC_LOAD, err, errlen);
}

int dbg_write_virt(struct debugger *d, uint64_t va, const void *buf, size_t len, char *err, size_t errlen)
{
    return access_virt(d, va, (void *)buf, len, true, ACC_STORE, err, errlen);
}

int dbg_read_phys(struct debugger *d, uint64_t pa, void *buf, size_t len, char *err, size_t errlen)
{
    if (bus_read_mem(&d->m->bus, pa, buf, len)) {
        snprintf(err, errlen, "cannot access physical 0x%llx: not memory", (unsigned long long)pa);
        return -1;
    }
    return 0;
}

/* The halfword at va as hart h would fetch it (its own privilege). */
static int fetch_half(struct debugger *d, struct hart *h, uint64_t va, uint16_t *out)
{
    uint64_t pa;
    if (mmu_translate_debug(h, va, ACC_FETCH, &pa))
        return -1;
    return bus_read_mem(&d->m->bus, pa, out, 2);
}

int dbg_fetch_insn(struct debugger *d, struct hart *h, uint64_t va, uint32_t *bits)
{
    uint16_t lo, hi;
    if (fetch_half(d, h, va, &lo))
        return -1;
    *bits = lo;
    if ((lo & 3) != 3)
        return 0;
    if (fetch_half(d, h, va + 2, &hi))
        return -1;
    *bits |= (uint32_t)hi << 16;
    return 0;
}

/* objdump's "mnemonic<TAB>operands" with the operands in column 9. */
void dbg_untab(char *text, size_t size)
{
    char *tab = strchr(text, '\t');
    if (!tab)
        return;
    char ops[96];
    size_t mn = (size_t)(tab - text);
    snprintf(ops, sizeof ops, "%s", tab + 1);
    snprintf(tab, size - mn, "%*s%s", mn < 8 ? (int)(8 - mn) : 1, "", ops);
}

/* "=> 0x80000010 <name+4>:  00a50533      add     a0,a0,a0" */
void dbg_disasm_line(struct debugger *d, struct hart *h, uint64_t va, bool mark, char *buf, size_t len,
                     int *insn_len)
{
    char sym[96], text[96];
    uint32_t bits;
    sym_format(&d->syms, va, sym, sizeof sym);
    const char *m = mark ? "=> " : "   ";
    if (dbg_fetch_insn(d, h, va, &bits)) {
        snprintf(buf, len, "%s0x%016llx%s%s%s:  <cannot fetch>", m, (unsigned long long)va,
                 sym[0] ? " <" : "", sym, sym[0] ? ">" : "");
        *insn_len = 2;
        return;
    }
    struct dinsn di;
    memset(&di, 0, sizeof di);
    *insn_len = insn_decode(bits, &di);
    insn_disasm(&di, va, text, sizeof text);
    dbg_untab(text, sizeof text);
    char hex[12];
    if (*insn_len == 2)
        snprintf(hex, sizeof hex, "%04x", bits & 0xffff);
    else
        snprintf(hex, sizeof hex, "%08x", bits);
    snprintf(buf, len, "%s0x%016llx%s%s%s:  %-8s  %s", m, (unsigned long long)va,
             sym[0] ? " <" : "", sym, sym[0] ? ">" : "", hex, text);
}

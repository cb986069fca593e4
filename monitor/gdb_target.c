/*
 * What gdb reads and writes (gdb_priv.h): the target description, the
 * registers of the Hg hart, and guest memory through the current
 * translation (mmu_translate_debug via dbg_read_virt: no A/D update, no
 * TLB fill, no trap; a fault is an E reply).
 */
#define _GNU_SOURCE
#include "gdb_priv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- target.xml --------------------------------------------------------- */
static const char *const fnames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
    "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Is CSR n one of the hart's (readable on hart 0, and not an FP CSR,
 * which the fpu feature holds)? */
static bool csr_listed(struct machine *m, unsigned n)
{
    uint64_t v;
    return n > 3 && csr_name(n) && csr_read_raw(&m->harts[0], n, &v);
}

/* One target description with the four features gdb's RISC-V support
 * looks for (GDB manual, "RISC-V Features"): cpu, fpu, csr, virtual.
 * Explicit regnums give the p/P numbers. */
int stub_build_xml(struct gdbstub *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -1;
    fprintf(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
               "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
               "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++)
        fprintf(f, "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n", dbg_xreg_names[i],
                i == 1 ? "code_ptr" : (i == 2 || i == 8) ? "data_ptr" : "int", i);
    fprintf(f, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"%d\"/>\n</feature>\n", REG_PC);
    fprintf(f, "<feature name=\"org.gnu.gdb.riscv.fpu\">\n<union id=\"riscv_double\">"
               "<field name=\"float\" type=\"ieee_single\"/><field name=\"double\" type=\"ieee_double\"/>"
               "</union>\n");
    for (int i = 0; i < 32; i++)
        fprintf(f, "<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" regnum=\"%d\"/>\n", fnames[i],
                REG_F0 + i);
    fprintf(f, "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
               "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n"
               "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"%d\"/>\n</feature>\n",
            REG_CSR0 + 1, REG_CSR0 + 2, REG_CSR0 + 3);
    fprintf(f, "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (unsigned n = 0; n < 4096; n++)
        if (csr_listed(g->d->m, n))
            fprintf(f, "<reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>\n", csr_name(n),
                    REG_CSR0 + n);
    fprintf(f, "</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n"
               "<reg name=\"priv\" bitsize=\"64\" type=\"int\" regnum=\"%d\"/>\n</feature>\n</target>\n",
            REG_PRIV);
    if (fclose(f))
        return -1;
    g->xml = buf;
    g->xml_len = len;
    return 0;
}

/* ---- registers ---------------------------------------------------------- */

struct hart *stub_hart(struct gdbstub *g)
{
    return &g->d->m->harts[g->gthread];
}

uint64_t stub_pc(struct gdbstub *g, struct hart *h)
{
    return g->absorb_step && (int)h->id == g->d->stop_hart ? g->shown_pc : h->pc;
}

unsigned stub_reg_get(struct gdbstub *g, struct hart *h, unsigned long n, uint64_t *v)
{
    if (n < 32) {
        *v = n ? h->x[n] : 0;
        return 8;
    }
    if (n == REG_PC) {
        *v = stub_pc(g, h);
        return 8;
    }
    if (n >= REG_F0 && n < REG_F0 + 32) {
        *v = h->f[n - REG_F0];
        return 8;
    }
    if (n >= REG_CSR0 + 1 && n <= REG_CSR0 + 3) {
        /* from the hart's fields: readable whatever mstatus.FS says */
        *v = n == REG_CSR0 + 1 ? h->fflags : n == REG_CSR0 + 2 ? h->frm : (h->frm << 5 | h->fflags);
        return 4;
    }
    if (n >= REG_CSR0 && n < REG_PRIV)
        return csr_listed(g->d->m, (unsigned)(n - REG_CSR0)) && csr_read_raw(h, (unsigned)(n - REG_CSR0), v)
                   ? 8 : 0;
    if (n == REG_PRIV) {
        *v = (uint64_t)h->priv;
        return 8;
    }
    return 0;
}

bool stub_reg_set(struct gdbstub *g, struct hart *h, unsigned long n, const char *hex)
{
    uint64_t v, old;
    unsigned size = stub_reg_get(g, h, n, &old);
    if (!size || !gdb_parse_le(hex, size, &v))
        return false;
    if (n < 32) {
        if (n)
            h->x[n] = v;
    } else if (n == REG_PC) {
        h->pc = v;
        g->absorb_step = false;     /* gdb moves the hart itself */
    } else if (n < REG_F0 + 32) {
        h->f[n - REG_F0] = v;
    } else if (n <= REG_CSR0 + 3) {
        if (n != REG_CSR0 + 2)
            h->fflags = (uint32_t)v & 0x1f;
        if (n != REG_CSR0 + 1)
            h->frm = (uint32_t)(n == REG_CSR0 + 2 ? v : v >> 5) & 7;
    } else if (n == REG_PRIV) {
        if (v != PRV_U && v != PRV_S && v != PRV_M)
            return false;
        h->priv = (int)v;
        mmu_flush_all(h);
    } else {
        return csr_write_raw(h, (unsigned)(n - REG_CSR0), v);
    }
    return true;
}

/* g: x0-x31 and pc, as gdb's RISC-V 'g' packet orders them. */
void stub_regs_read(struct gdbstub *g)
{
    struct hart *h = stub_hart(g);
    for (unsigned i = 0; i < 33; i++)
        gdb_hex_le(g->text + 16 * i, i == 32 ? stub_pc(g, h) : i ? h->x[i] : 0, 8);
    stub_reply(g, g->text);
}

/* G: the same registers, all or nothing. */
void stub_regs_write(struct gdbstub *g, const char *hex, size_t len)
{
    struct hart *h = stub_hart(g);
    uint64_t v[33];
    if (len < 33 * 16) {
        stub_reply_err(g, 22);
        return;
    }
    for (unsigned i = 0; i < 33; i++) {
        char w[17];
        memcpy(w, hex + 16 * i, 16);
        w[16] = 0;
        if (!gdb_parse_le(w, 8, &v[i])) {
            stub_reply_err(g, 22);
            return;
        }
    }
    for (unsigned i = 1; i < 32; i++)
        h->x[i] = v[i];
    if (v[32] != stub_pc(g, h)) {
        h->pc = v[32];
        g->absorb_step = false;
    }
    stub_reply(g, "OK");
}

/* ---- memory ------------------------------------------------------------- */

void stub_read_memory(struct gdbstub *g, const char *args)
{
    uint64_t addr, len;
    char err[200];
    uint8_t *buf = g->bytes;
    if (gdb_parse_addr_len(args, &addr, &len, NULL)) {
        stub_reply_err(g, 22);
        return;
    }
    if (len > GDB_PKT_MAX / 2)
        len = GDB_PKT_MAX / 2;       /* a shorter reply is allowed ("m" packet) */
    int saved = g->d->cur;
    g->d->cur = g->gthread;
    int r = dbg_read_virt(g->d, addr, buf, len, err, sizeof err);
    g->d->cur = saved;
    if (r) {
        stub_reply_err(g, 14);       /* EFAULT: never a trap in the guest */
        return;
    }
    gdb_hex_encode(g->text, buf, len);
    stub_reply(g, g->text);
}

void stub_write_memory(struct gdbstub *g, const uint8_t *data, uint64_t addr, size_t len)
{
    char err[200];
    int saved = g->d->cur;
    g->d->cur = g->gthread;
    int r = len ? dbg_write_virt(g->d, addr, data, len, err, sizeof err) : 0;
    g->d->cur = saved;
    if (r)
        stub_reply_err(g, 14);
    else
        stub_reply(g, "OK");
}

/* qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH ("General Query Packets"). */
void stub_xfer(struct gdbstub *g, const char *data, size_t size, const char *range)
{
    uint64_t off, len;
    char *b = g->text;
    if (gdb_parse_addr_len(range, &off, &len, NULL)) {
        stub_reply_err(g, 22);
        return;
    }
    if (len > GDB_PKT_MAX - 1)
        len = GDB_PKT_MAX - 1;
    if (off >= size) {
        stub_reply(g, "l");
        return;
    }
    size_t n = size - off < len ? size - off : len;
    b[0] = off + n < size ? 'm' : 'l';
    memcpy(b + 1, data + off, n);
    stub_reply_bin(g, b, n + 1);
}

void stub_threads_xml(struct gdbstub *g, const char *range)
{
    char b[1024];
    int n = snprintf(b, sizeof b, "<?xml version=\"1.0\"?>\n<threads>\n");
    for (int i = 0; i < g->d->m->nharts; i++)
        n += snprintf(b + n, sizeof b - (size_t)n, "<thread id=\"%x\" core=\"%d\" name=\"hart %d\"/>\n",
                      i + 1, i, i);
    n += snprintf(b + n, sizeof b - (size_t)n, "</threads>\n");
    stub_xfer(g, b, (size_t)n, range);
}

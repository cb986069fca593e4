/*
 * Printing hart state: integer and FP registers, CSRs with their fields
 * decoded (privileged spec ch. 3 "Machine-Level ISA" and ch. 4 "Supervisor-
 * Level ISA" give the layouts), and the privilege level with its reasons.
 *
 *  mstatus (RV64): 63 SD | 35:34 SXL | 33:32 UXL | 22 TSR | 21 TW | 20 TVM |
 *   19 MXR | 18 SUM | 17 MPRV | 16:15 XS | 14:13 FS | 12:11 MPP | 10:9 VS |
 *   8 SPP | 7 MPIE | 5 SPIE | 3 MIE | 1 SIE
 *  satp (RV64): 63:60 MODE | 59:44 ASID | 43:0 PPN
 *  xtvec: 63:2 BASE | 1:0 MODE        xcause: 63 Interrupt | 62:0 code
 */
#include "dbg.h"
#include <stdarg.h>
#include <string.h>

const char *priv_name(int priv)
{
    switch (priv) {
    case PRV_U: return "U";
    case PRV_S: return "S";
    case PRV_M: return "M";
    default: return "?";
    }
}

/* Appends to a fixed buffer, silently truncating. */
struct sbuf {
    char *p;
    size_t len, used;
};

static void add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct sbuf *b, const char *fmt, ...)
{
    if (b->used >= b->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->used, b->len - b->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->used += (size_t)n;
}

static unsigned bit(uint64_t v, int n) { return (v >> n) & 1; }

static void status_fields(struct sbuf *b, uint64_t v, bool machine)
{
    static const char *const fs[4] = { "Off", "Initial", "Clean", "Dirty" };
    add(b, "SD=%u ", bit(v, 63));
    if (machine)
        add(b, "TSR=%u TW=%u TVM=%u ", bit(v, 22), bit(v, 21), bit(v, 20));
    add(b, "MXR=%u SUM=%u ", bit(v, 19), bit(v, 18));
    if (machine)
        add(b, "MPRV=%u ", bit(v, 17));
    add(b, "FS=%s ", fs[(v >> 13) & 3]);
    if (machine)
        add(b, "MPP=%s ", priv_name((int)((v >> 11) & 3)));
    add(b, "SPP=%s ", priv_name((int)bit(v, 8)));
    if (machine)
        add(b, "MPIE=%u ", bit(v, 7));
    add(b, "SPIE=%u ", bit(v, 5));
    if (machine)
        add(b, "MIE=%u ", bit(v, 3));
    add(b, "SIE=%u", bit(v, 1));
}

/* Interrupt bits: "SSIP MTIP" (suffix P for xip, E for xie, none for xideleg). */
static void irq_bits(struct sbuf *b, uint64_t v, const char *suffix)
{
    static const char *const name[12] = { NULL, "SS", NULL, "MS", NULL, "ST", NULL, "MT",
                                          NULL, "SE", NULL, "ME" };
    bool any = false;
    for (int i = 0; i < 12; i++)
        if (name[i] && bit(v, i)) {
            add(b, "%s%s%s", any ? " " : "", name[i], suffix);
            any = true;
        }
    if (!any)
        add(b, "none");
}

static void cause_fields(struct sbuf *b, uint64_t v)
{
    static const char *const exc[16] = {
        "insn misaligned", "insn access fault", "illegal insn", "breakpoint", "load misaligned",
        "load access fault", "store misaligned", "store access fault", "ecall from U",
        "ecall from S", "reserved", "ecall from M", "insn page fault", "load page fault",
        "reserved", "store page fault",
    };
    static const char *const irq[12] = { "?", "S software", "?", "M software", "?", "S timer", "?",
                                         "M timer", "?", "S external", "?", "M external" };
    uint64_t code = v & ~(1ull << 63);
    if (v >> 63)
        add(b, "Interrupt=1 code=%llu (%s interrupt)", (unsigned long long)code,
            code < 12 ? irq[code] : "?");
    else
        add(b, "Interrupt=0 code=%llu (%s)", (unsigned long long)code, code < 16 ? exc[code] : "?");
}

const char *regs_csr_fields(unsigned csr, uint64_t v, char *buf, size_t len)
{
    struct sbuf b = { buf, len, 0 };
    buf[0] = 0;
    switch (csr) {
    case 0x300: status_fields(&b, v, true); break;              /* mstatus */
    case 0x100: status_fields(&b, v, false); break;             /* sstatus */
    case 0x344: case 0x144: irq_bits(&b, v, "IP"); break;       /* mip, sip */
    case 0x304: case 0x104: irq_bits(&b, v, "IE"); break;       /* mie, sie */
    case 0x303: irq_bits(&b, v, "I"); break;                    /* mideleg */
    case 0x342: case 0x142: cause_fields(&b, v); break;         /* mcause, scause */
    case 0x305: case 0x105:                                     /* mtvec, stvec */
        add(&b, "BASE=0x%llx MODE=%s", (unsigned long long)(v & ~3ull),
            (v & 3) == 0 ? "Direct" : (v & 3) == 1 ? "Vectored" : "reserved");
        break;
    case 0x180: {                                               /* satp */
        unsigned mode = (unsigned)(v >> 60);
        add(&b, "MODE=%s ASID=%llu PPN=0x%llx", mode == SATP_BARE ? "Bare" : mode == SATP_SV39 ? "Sv39" :
            mode == SATP_SV48 ? "Sv48" : mode == SATP_SV57 ? "Sv57" : "reserved",
            (unsigned long long)((v >> 44) & 0xffff), (unsigned long long)(v & ((1ull << 44) - 1)));
        break;
    }
    case 0x302: {                                               /* medeleg */
        bool any = false;
        add(&b, "causes");
        for (int i = 0; i < 16; i++)
            if (bit(v, i)) {
                add(&b, " %d", i);
                any = true;
            }
        if (!any)
            add(&b, " none");
        break;
    }
    case 0x003:                                                 /* fcsr */
        add(&b, "frm=%u NV=%u DZ=%u OF=%u UF=%u NX=%u", (unsigned)(v >> 5) & 7, bit(v, 4), bit(v, 3),
            bit(v, 2), bit(v, 1), bit(v, 0));
        break;
    case 0x30a:                                                 /* menvcfg */
        add(&b, "STCE=%u PBMTE=%u CBZE=%u CBCFE=%u CBIE=%u FIOM=%u", bit(v, 63), bit(v, 62),
            bit(v, 7), bit(v, 6), (unsigned)(v >> 4) & 3, bit(v, 0));
        break;
    case 0x306: case 0x106:                                     /* counteren */
        add(&b, "CY=%u TM=%u IR=%u", bit(v, 0), bit(v, 1), bit(v, 2));
        break;
    default:
        break;
    }
    return buf;
}

void regs_info(struct debugger *d, struct hart *h)
{
    char sym[96];
    sym_format(&d->syms, h->pc, sym, sizeof sym);
    dbg_printf(d, "hart %u, %s-mode\n", h->id, priv_name(h->priv));
    dbg_printf(d, "%-5s0x%016llx%s%s%s\n", "pc", (unsigned long long)h->pc, sym[0] ? "  <" : "", sym,
               sym[0] ? ">" : "");
    for (int i = 1; i < 32; i++) {
        uint64_t v = h->x[i];
        sym_format(&d->syms, v, sym, sizeof sym);
        if (sym[0])
            dbg_printf(d, "%-5s0x%016llx  %-20lld<%s>\n", dbg_xreg_names[i], (unsigned long long)v,
                       (long long)v, sym);
        else
            dbg_printf(d, "%-5s0x%016llx  %lld\n", dbg_xreg_names[i], (unsigned long long)v, (long long)v);
    }
}

void regs_fregs(struct debugger *d, struct hart *h)
{
    static const char *const fname[32] = {
        "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
        "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
    };
    if (!(h->mstatus & MSTATUS_FS))
        dbg_printf(d, "(mstatus.FS=Off: the FP unit is disabled for the guest)\n");
    for (int i = 0; i < 32; i++) {
        uint64_t v = h->f[i];
        double dv;
        memcpy(&dv, &v, 8);
        dbg_printf(d, "%-5s0x%016llx  double %-14.8g", fname[i], (unsigned long long)v, dv);
        if ((v >> 32) == 0xffffffffu) {          /* NaN-boxed single */
            float fv;
            uint32_t lo = (uint32_t)v;
            memcpy(&fv, &lo, 4);
            dbg_printf(d, "  single %.8g", (double)fv);
        }
        dbg_printf(d, "\n");
    }
    dbg_printf(d, "%-5s0x%02x  frm=%u fflags=0x%02x\n", "fcsr", (h->frm << 5) | h->fflags, h->frm, h->fflags);
}

static void print_csr(struct debugger *d, struct hart *h, unsigned csr)
{
    uint64_t v;
    char fields[200];
    if (!csr_read_raw(h, csr, &v))
        return;
    regs_csr_fields(csr, v, fields, sizeof fields);
    dbg_printf(d, "%-14s0x%016llx%s%s\n", csr_name(csr), (unsigned long long)v, fields[0] ? "  " : "",
               fields);
}

void regs_csrs(struct debugger *d, struct hart *h)
{
    static const unsigned list[] = {
        0x300, 0x301, 0x302, 0x303, 0x304, 0x344, 0x305, 0x340, 0x341, 0x342, 0x343, 0x306, 0x30a,
        0x320, 0xb00, 0xb02, 0xf14, 0x100, 0x104, 0x144, 0x105, 0x140, 0x141, 0x142, 0x143, 0x106,
        0x10a, 0x14d, 0x180, 0x003, 0x3a0, 0x3b0,
    };
    for (size_t i = 0; i < sizeof list / sizeof *list; i++)
        print_csr(d, h, list[i]);
}


void regs_csrs_all(struct debugger *d, struct hart *h)
{
    for (unsigned c = 0; c < 4096; c++)
        if (csr_name(c))
            print_csr(d, h, c);
}

/* The privilege level, and what put the hart there or would move it. */
void regs_mode(struct debugger *d, struct hart *h)
{
    static const char *const long_name[4] = { "user", "supervisor", "?", "machine" };
    uint64_t ms;
    char f[200];
    csr_read_raw(h, 0x300, &ms);
    dbg_printf(d, "hart %u: %s-mode (%s)\n", h->id, priv_name(h->priv), long_name[h->priv & 3]);
    if (h->priv != PRV_M && (h->mcause || h->mepc))
        dbg_printf(d, "  entered from M by mret to 0x%llx (mstatus.MPP was %s), or by sret\n",
                   (unsigned long long)h->mepc, h->priv == PRV_S ? "S" : "U");
    if (h->mcause || h->mepc)
        dbg_printf(d, "  last trap into M: mcause %s at mepc 0x%llx, mtval 0x%llx\n",
                   regs_csr_fields(0x342, h->mcause, f, sizeof f), (unsigned long long)h->mepc,
                   (unsigned long long)h->mtval);
    else if (h->priv == PRV_M)
        dbg_printf(d, "  no trap taken yet: M-mode since reset\n");
    if (h->scause || h->sepc)
        dbg_printf(d, "  last trap into S: scause %s at sepc 0x%llx, stval 0x%llx\n",
                   regs_csr_fields(0x142, h->scause, f, sizeof f), (unsigned long long)h->sepc,
                   (unsigned long long)h->stval);
    dbg_printf(d, "  mret would go to %s-mode (mstatus.MPP), sret to %s-mode (sstatus.SPP)\n",
               priv_name((int)((ms >> 11) & 3)), priv_name((int)((ms >> 8) & 1)));
    int dp = (h->priv == PRV_M && (ms & MSTATUS_MPRV)) ? (int)((ms >> 11) & 3) : h->priv;
    dbg_printf(d, "  loads and stores run as %s-mode%s\n", priv_name(dp),
               dp != h->priv ? " (mstatus.MPRV=1 takes MPP)" : "");
    unsigned mode = (unsigned)(h->satp >> 60);
    if (h->priv == PRV_M || mode == SATP_BARE)
        dbg_printf(d, "  instruction fetch is untranslated (%s)\n",
                   h->priv == PRV_M ? "M-mode" : "satp.MODE=Bare");
    else
        dbg_printf(d, "  addresses are translated: %s\n", regs_csr_fields(0x180, h->satp, f, sizeof f));
    dbg_printf(d, "  interrupts: mstatus.MIE=%u SIE=%u, pending %s",
               (unsigned)bit(ms, 3), (unsigned)bit(ms, 1), regs_csr_fields(0x344, h->mip, f, sizeof f));
    dbg_printf(d, ", enabled %s%s\n", regs_csr_fields(0x304, h->mie, f, sizeof f),
               h->wfi ? "; waiting in wfi" : "");
}

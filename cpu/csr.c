/*
 * Control and status registers (privileged spec ch. 2 and 3, Zicsr,
 * Zicntr). csr_access applies the access rules: the privilege encoded in
 * csr[9:8], read-only csr[11:10] = 3, counter enables, TVM. Field-level
 * WARL behaviour lives in csr_write.
 */
#include "hart.h"
#include "mem.h"
#include "core.h"
#include "isa.h"
#include "log.h"
#include <inttypes.h>

enum {
    CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
    CSR_SSTATUS = 0x100, CSR_SIE = 0x104, CSR_STVEC = 0x105, CSR_SCOUNTEREN = 0x106,
    CSR_SENVCFG = 0x10a, CSR_SSTATEEN0 = 0x10c, CSR_SSCRATCH = 0x140, CSR_SEPC = 0x141, CSR_SCAUSE = 0x142,
    CSR_STVAL = 0x143, CSR_SIP = 0x144, CSR_STIMECMP = 0x14d, CSR_SATP = 0x180,
    CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MEDELEG = 0x302, CSR_MIDELEG = 0x303,
    CSR_MIE = 0x304, CSR_MTVEC = 0x305, CSR_MCOUNTEREN = 0x306, CSR_MENVCFG = 0x30a, CSR_MSTATEEN0 = 0x30c,
    CSR_MCOUNTINHIBIT = 0x320, CSR_MCYCLECFG = 0x321, CSR_MINSTRETCFG = 0x322,
    CSR_MHPMEVENT3 = 0x323, CSR_MHPMEVENT31 = 0x33f, CSR_SCOUNTOVF = 0xda0, CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341, CSR_MCAUSE = 0x342,
    CSR_MTVAL = 0x343, CSR_MIP = 0x344,
    CSR_PMPCFG0 = 0x3a0, CSR_PMPADDR0 = 0x3b0,
    CSR_MCYCLE = 0xb00, CSR_MINSTRET = 0xb02,
    CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02,
    CSR_MVENDORID = 0xf11, CSR_MARCHID = 0xf12, CSR_MIMPID = 0xf13, CSR_MHARTID = 0xf14,
    CSR_MCONFIGPTR = 0xf15,
};

/* Writable fields (RV64). FS tracks F/D state for lazy context switching. */
#define MSTATUS_WMASK (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                       MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                       MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_RMASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | \
                       MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WMASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)
#define MIP_WMASK   ((1u << IRQ_SSI) | (1u << IRQ_STI) | (1u << IRQ_SEI))
#define MIE_WMASK   (MIP_WMASK | (1u << IRQ_MSI) | (1u << IRQ_MTI) | (1u << IRQ_MEI))
/* Every exception but ecall from M (read-only 0) and the reserved 10, 14. */
#define MEDELEG_WMASK 0xb3ffull

static isa_set isa_off(const struct hart *h)
{
    return core_isa_off(h->core);
}

static bool has_ext(const struct hart *h, enum isa_ext e)
{
    return core_has_ext(h->core, e);
}

/* Without F (and so without D) mstatus.FS is read-only zero (privileged
 * spec 3.1.6.6), which also makes fflags/frm/fcsr illegal below. */
static uint64_t mstatus_wmask(const struct hart *h)
{
    return has_ext(h, ISA_F) ? MSTATUS_WMASK : MSTATUS_WMASK & ~MSTATUS_FS;
}

/* LCOFI (Sscofpmf): pending, enable and delegation bit 13, writable in
 * mip, mie, mideleg (and sip/sie when delegated) when the hart has it. */
static uint64_t lcofi(const struct hart *h)
{
    return has_ext(h, ISA_SSCOFPMF) ? 1ull << IRQ_LCOFI : 0;
}

static bool has_pmp(const struct hart *h)
{
    return !h->core || !h->core->no_pmp;
}

uint64_t hart_instret(const struct hart *h)
{
    return pmu_read(h, 2);
}

/* mhpmcounterN / hpmcounterN (N >= 3): 0 when not implemented */
static uint64_t hpm_read(const struct hart *h, unsigned n)
{
    return (pmu_inhibit_mask(h) >> n) & 1 ? pmu_read(h, n) : 0;
}

static uint64_t mstatus_read(const struct hart *h)
{
    uint64_t s = h->mstatus | MSTATUS_UXL_64 | MSTATUS_SXL_64;
    if ((s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_XS) == MSTATUS_XS || (s & MSTATUS_VS) == MSTATUS_VS)
        s |= MSTATUS_SD;
    return s;
}

static void mstatus_write(struct hart *h, uint64_t val)
{
    uint64_t old = h->mstatus;
    if (((val >> 11) & 3) == 2)                 /* MPP = H is reserved: keep */
        val = (val & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    uint64_t wmask = mstatus_wmask(h);
    h->mstatus = (old & ~wmask) | (val & wmask);
    if ((old ^ h->mstatus) & MSTATUS_MXR)
        mmu_flush_all(h);
    mmu_update_regime(h);
    h->yield = true;
}

static bool counter_enabled(const struct hart *h, unsigned idx)
{
    if (h->priv < PRV_M && !((h->mcounteren >> idx) & 1))
        return false;
    if (h->priv < PRV_S && !((h->scounteren >> idx) & 1))
        return false;
    return true;
}

/* Smstateen/Ssstateen (privileged spec, "Smstateen"): mstateenN bit 63
 * (SE) opens sstateenN to S, mstateen0 bit 62 (ENVCFG) senvcfg. hartvm
 * has none of the state sstateen0's low bits guard (custom, FCSR with
 * Zfinx, JVT with Zcmt), so sstateenN read 0 and ignore writes. */
#define STATEEN_SE (1ull << 63)
#define STATEEN0_ENVCFG (1ull << 62)

/* May the current mode reach the CSR, as mstateen says? */
static bool stateen_allows(const struct hart *h, unsigned csr)
{
    if (h->priv == PRV_M || !has_ext(h, ISA_SMSTATEEN))
        return true;
    if (csr >= CSR_SSTATEEN0 && csr <= CSR_SSTATEEN0 + 3)
        return h->mstateen[csr - CSR_SSTATEEN0] & STATEEN_SE;
    if (csr == CSR_SENVCFG)
        return h->mstateen[0] & STATEEN0_ENVCFG;
    return true;
}

static bool stateen_csr(const struct hart *h, unsigned csr)
{
    return has_ext(h, ISA_SMSTATEEN) &&
           ((csr >= CSR_MSTATEEN0 && csr <= CSR_MSTATEEN0 + 3) || (csr >= CSR_SSTATEEN0 && csr <= CSR_SSTATEEN0 + 3));
}

static bool csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
    if (!stateen_allows(h, csr))
        return false;
    if (stateen_csr(h, csr)) {
        *v = csr >= CSR_MSTATEEN0 ? h->mstateen[csr - CSR_MSTATEEN0] : 0;
        return true;
    }
    if (csr >= CSR_TSELECT && csr <= CSR_TCONTROL)
        return trig_csr_read(h, csr, v);
    if (csr >= CSR_CYCLE && csr <= CSR_CYCLE + 31) {
        unsigned idx = csr - CSR_CYCLE;
        if (!counter_enabled(h, idx))
            return false;
        *v = idx == 1 ? core_mtime(h->core) : hpm_read(h, idx);
        return true;
    }
    if (csr >= CSR_MCYCLE && csr <= CSR_MCYCLE + 31 && csr != CSR_MCYCLE + 1) {
        *v = hpm_read(h, csr - CSR_MCYCLE);
        return true;
    }
    if (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31) {
        *v = h->pmu.cfg[csr - CSR_MCOUNTINHIBIT];
        return true;
    }
    if ((csr == CSR_MCYCLECFG || csr == CSR_MINSTRETCFG) && has_ext(h, ISA_SMCNTRPMF)) {
        *v = h->pmu.cfg[csr == CSR_MCYCLECFG ? 0 : 2];
        return true;
    }
    if (csr == CSR_SCOUNTOVF && has_ext(h, ISA_SSCOFPMF)) {
        /* S sees the bits mcounteren lets it see (Sscofpmf, "scountovf") */
        *v = pmu_overflowed(h) & (h->priv == PRV_M ? ~0u : h->mcounteren);
        return true;
    }
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPADDR0 + 63 && !has_pmp(h))
        return false;                           /* pmp=false: no PMP CSRs at all */
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG0 + 15) {
        if (csr & 1)
            return false;                       /* odd pmpcfg: RV32 only */
        *v = pmp_read_cfg(h, csr - CSR_PMPCFG0);
        return true;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR0 + 63) {
        *v = pmp_read_addr(h, csr - CSR_PMPADDR0);
        return true;
    }
    if (csr >= CSR_FFLAGS && csr <= CSR_FCSR) {
        if (!(h->mstatus & MSTATUS_FS))         /* FS = Off: FP CSRs are illegal */
            return false;
        *v = csr == CSR_FFLAGS ? h->fflags : csr == CSR_FRM ? h->frm : h->frm << 5 | h->fflags;
        return true;
    }
    switch (csr) {
    case CSR_SSTATUS:    *v = mstatus_read(h) & SSTATUS_RMASK; break;
    case CSR_SIE:        *v = h->mie & h->mideleg; break;
    case CSR_STVEC:      *v = h->stvec; break;
    case CSR_SCOUNTEREN: *v = h->scounteren; break;
    case CSR_SENVCFG:    *v = h->senvcfg; break;
    case CSR_SSCRATCH:   *v = h->sscratch; break;
    case CSR_SEPC:       *v = h->sepc & isa_epc_mask(isa_off(h)); break;
    case CSR_SCAUSE:     *v = h->scause; break;
    case CSR_STVAL:      *v = h->stval; break;
    case CSR_SIP:        *v = h->mip & h->mideleg; break;
    case CSR_STIMECMP:   /* Sstc: S needs menvcfg.STCE and mcounteren.TM */
        if (!has_ext(h, ISA_SSTC))
            return false;
        if (h->priv < PRV_M && (!(h->menvcfg >> 63) || !(h->mcounteren & 2)))
            return false;
        *v = h->stimecmp;
        break;
    case CSR_SATP:
        if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
            return false;
        *v = h->satp;
        break;
    case CSR_MSTATUS:    *v = mstatus_read(h); break;
    case CSR_MISA:       *v = isa_misa(isa_off(h)); break;
    case CSR_MEDELEG:    *v = h->medeleg; break;
    case CSR_MIDELEG:    *v = h->mideleg; break;
    case CSR_MIE:        *v = h->mie; break;
    case CSR_MTVEC:      *v = h->mtvec; break;
    case CSR_MCOUNTEREN: *v = h->mcounteren; break;
    case CSR_MENVCFG:    *v = h->menvcfg; break;
    case CSR_MCOUNTINHIBIT: *v = h->mcountinhibit; break;
    case CSR_MSCRATCH:   *v = h->mscratch; break;
    case CSR_MEPC:       *v = h->mepc & isa_epc_mask(isa_off(h)); break;
    case CSR_MCAUSE:     *v = h->mcause; break;
    case CSR_MTVAL:      *v = h->mtval; break;
    case CSR_MIP:        *v = h->mip; break;
    case CSR_MVENDORID:  *v = h->core ? h->core->mvendorid : 0; break;
    case CSR_MARCHID:    *v = h->core ? h->core->marchid : 0; break;
    case CSR_MIMPID:     *v = h->core ? h->core->mimpid : 0; break;
    case CSR_MCONFIGPTR: *v = 0; break;
    case CSR_MHARTID:    *v = h->id; break;
    default:
        return false;
    }
    return true;
}

static bool satp_mode_ok(const struct hart *h, unsigned mode)
{
    int max = h->core ? h->core->mmu_max : SATP_SV48;
    if (h->core && h->core->no_mmu)             /* mmu=false: Bare only (spec 4.1.11) */
        return mode == SATP_BARE;
    return mode == SATP_BARE || mode == SATP_SV39 || (mode == SATP_SV48 && max >= SATP_SV48) ||
           (mode == SATP_SV57 && max >= SATP_SV57);
}

static bool csr_write(struct hart *h, unsigned csr, uint64_t v)
{
    if (stateen_csr(h, csr)) {
        if (csr >= CSR_MSTATEEN0)
            h->mstateen[csr - CSR_MSTATEEN0] = v & (STATEEN_SE | (csr == CSR_MSTATEEN0 ? STATEEN0_ENVCFG : 0));
        return true;
    }
    if (csr >= CSR_TSELECT && csr <= CSR_TCONTROL)
        return trig_csr_write(h, csr, v);
    if (csr >= CSR_MCYCLE && csr <= CSR_MCYCLE + 31 && csr != CSR_MCYCLE + 1) {
        if ((pmu_inhibit_mask(h) >> (csr - CSR_MCYCLE)) & 1)
            pmu_write_counter(h, csr - CSR_MCYCLE, v);
        return true;                            /* one that is not there: read-only 0 */
    }
    if (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31) {
        if ((pmu_inhibit_mask(h) >> (csr - CSR_MCOUNTINHIBIT)) & 1)
            pmu_write_cfg(h, csr - CSR_MCOUNTINHIBIT, v);
        return true;
    }
    if ((csr == CSR_MCYCLECFG || csr == CSR_MINSTRETCFG) && has_ext(h, ISA_SMCNTRPMF)) {
        pmu_write_cfg(h, csr == CSR_MCYCLECFG ? 0 : 2, v);
        return true;
    }
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPADDR0 + 63 && !has_pmp(h))
        return false;
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG0 + 15) {
        if (csr & 1)
            return false;
        pmp_write_cfg(h, csr - CSR_PMPCFG0, v);
        mmu_flush_all(h);
        return true;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR0 + 63) {
        pmp_write_addr(h, csr - CSR_PMPADDR0, v);
        mmu_flush_all(h);
        return true;
    }
    if (csr >= CSR_FFLAGS && csr <= CSR_FCSR) {
        if (csr != CSR_FRM)
            h->fflags = v & 0x1f;
        if (csr != CSR_FFLAGS)
            h->frm = (csr == CSR_FRM ? v : v >> 5) & 7;
        h->mstatus |= MSTATUS_FS;               /* FP state written: Dirty */
        return true;
    }
    switch (csr) {
    case CSR_SSTATUS:
        mstatus_write(h, (h->mstatus & ~SSTATUS_WMASK) | (v & SSTATUS_WMASK));
        break;
    case CSR_SIE:
        h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg & (MIE_WMASK | lcofi(h)));
        h->yield = true;
        break;
    case CSR_STVEC:
        if ((v & 3) < 2) h->stvec = v;
        break;
    case CSR_SCOUNTEREN: h->scounteren = (uint32_t)v; break;
    case CSR_SENVCFG:    h->senvcfg = cmo_envcfg_legal(v & (1 | cmo_envcfg_mask(h))); break;
    case CSR_SSCRATCH:   h->sscratch = v; break;
    case CSR_SEPC:       h->sepc = v & ~1ull; break;
    case CSR_SCAUSE:     h->scause = v; break;
    case CSR_STVAL:      h->stval = v; break;
    case CSR_SIP: {
        uint64_t m = h->mideleg & ((1u << IRQ_SSI) | lcofi(h));
        h->mip = (h->mip & ~m) | (v & m);
        h->yield = true;
        break;
    }
    case CSR_STIMECMP:
        if (!has_ext(h, ISA_SSTC))
            return false;
        h->stimecmp = v;
        h->yield = true;                        /* board re-evaluates STIP */
        break;
    case CSR_SATP:
        if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))
            return false;
        /* An unsupported mode leaves satp unchanged (spec 4.1.11). */
        if (!satp_mode_ok(h, v >> 60))
            break;
        h->satp = v & ((0xfull << 60) | (0xffffull << 44) | ((1ull << 44) - 1));
        mmu_flush_translated(h);
        h->yield = true;
        break;
    case CSR_MSTATUS:    mstatus_write(h, v); break;
    case CSR_MISA:       break;                 /* read-only (WARL) */
    case CSR_MEDELEG:    h->medeleg = v & MEDELEG_WMASK; break;
    case CSR_MIDELEG:    h->mideleg = v & (MIP_WMASK | lcofi(h)); h->yield = true; break;
    case CSR_MIE:        h->mie = v & (MIE_WMASK | lcofi(h)); h->yield = true; break;
    case CSR_MTVEC:
        if ((v & 3) < 2) h->mtvec = v;
        break;
    case CSR_MCOUNTEREN: h->mcounteren = (uint32_t)v; break;
    case CSR_MENVCFG:    /* FIOM; STCE with Sstc, PBMTE with Svpbmt, ADUE with Svadu,
                          * CBIE/CBCFE/CBZE with Zicbo* */
        h->menvcfg = cmo_envcfg_legal(v & (1 | (has_ext(h, ISA_SSTC) ? 1ull << 63 : 0) |
                                           (has_ext(h, ISA_SVPBMT) ? 1ull << 62 : 0) |
                                           (has_ext(h, ISA_SVADU) ? MENVCFG_ADUE : 0) |
                                           cmo_envcfg_mask(h)));
        mmu_flush_translated(h);                /* PBMTE, ADUE change what a PTE may hold */
        break;
    case CSR_MCOUNTINHIBIT: pmu_write_inhibit(h, (uint32_t)v); break;
    case CSR_MSCRATCH:   h->mscratch = v; break;
    case CSR_MEPC:       h->mepc = v & ~1ull; break;
    case CSR_MCAUSE:     h->mcause = v; break;
    case CSR_MTVAL:      h->mtval = v; break;
    case CSR_MIP:
        h->mip = (h->mip & ~(MIP_WMASK | lcofi(h))) | (v & (MIP_WMASK | lcofi(h)));
        h->yield = true;
        break;
    default:
        return false;
    }
    return true;
}

int csr_access(struct hart *h, unsigned csr, enum csr_op op, uint64_t src,
               bool write, uint64_t *old, uint32_t insn_bits)
{
    uint64_t v = 0;
    if (h->priv < (int)((csr >> 8) & 3) || (write && (csr >> 10) == 3) || !csr_read(h, csr, &v))
        goto illegal;
    if (write) {
        uint64_t nv = op == CSR_RW ? src : op == CSR_RS ? v | src : v & ~src;
        h->in_insn = true;
        bool ok = csr_write(h, csr, nv);
        h->in_insn = false;
        if (!ok)
            goto illegal;
    }
    *old = v;
    return 0;
illegal:
    if (h->core && qlog_on(h->core->log, LOG_GUEST_ERROR) && !csr_read_raw(h, csr, &v))
        qlog_printf(h->core->log, LOG_GUEST_ERROR, "hart %u: access to unimplemented CSR 0x%03x "
                    "at pc 0x%016" PRIx64 "\n", h->id, csr, h->pc);
    hart_exception(h, EXC_ILLEGAL, insn_bits);
    return -1;
}

bool csr_read_raw(struct hart *h, unsigned csr, uint64_t *val)
{
    int priv = h->priv;
    h->priv = PRV_M;
    bool ok = csr_read(h, csr, val);
    h->priv = priv;
    return ok;
}

bool csr_write_raw(struct hart *h, unsigned csr, uint64_t val)
{
    int priv = h->priv;
    h->priv = PRV_M;
    bool ok = csr_write(h, csr, val);
    h->priv = priv;
    mmu_update_regime(h);
    return ok;
}

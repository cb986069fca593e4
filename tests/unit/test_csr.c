/*
 * CSRs (cpu/csr.c) against the privileged spec (ch. 3 "Machine-Level
 * ISA", ch. 4 "Supervisor-Level ISA", Zicntr): the WARL fields of each
 * register, the sstatus/sie/sip views of their machine registers, satp
 * modes, and the access rules (privilege in csr[9:8], read-only
 * csr[11:10] = 3, counter enables, TVM).
 *
 * Expected values are written from the spec's field lists below, not read
 * back from the implementation.
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../mmu/mmu.h"
#include "../../machine/options.h"
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define BIT(n) (1ull << (n))

/* CSR numbers (privileged spec, Tables 2.2-2.5). */
enum {
    SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106, SSCRATCH = 0x140, SEPC = 0x141,
    SIP = 0x144, SATP = 0x180, MSTATUS = 0x300, MISA = 0x301, MEDELEG = 0x302, MIDELEG = 0x303,
    MIE = 0x304, MTVEC = 0x305, MCOUNTEREN = 0x306, MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342,
    MTVAL = 0x343, MIP = 0x344, CYCLE = 0xc00, TIME = 0xc01, INSTRET = 0xc02, HPMCOUNTER3 = 0xc03,
    HPMCOUNTER31 = 0xc1f, MVENDORID = 0xf11, MHARTID = 0xf14,
};

/* mstatus fields for RV64 with S, U and F state (spec 3.1.6). */
#define F_SIE   BIT(1)
#define F_MIE   BIT(3)
#define F_SPIE  BIT(5)
#define F_MPIE  BIT(7)
#define F_SPP   BIT(8)
#define F_MPP   (3ull << 11)
#define F_FS    (3ull << 13)
#define F_MPRV  BIT(17)
#define F_SUM   BIT(18)
#define F_MXR   BIT(19)
#define F_TVM   BIT(20)
#define F_TW    BIT(21)
#define F_TSR   BIT(22)
#define F_UXL64 (2ull << 32)
#define F_SXL64 (2ull << 34)
#define F_SD    BIT(63)
#define M_WRITABLE (F_SIE | F_MIE | F_SPIE | F_MPIE | F_SPP | F_MPP | F_FS | F_MPRV | F_SUM | F_MXR | \
                    F_TVM | F_TW | F_TSR)
#define S_VISIBLE  (F_SIE | F_SPIE | F_SPP | F_FS | F_SUM | F_MXR)   /* + UXL, SD */
/* Interrupt bits: SSI 1, MSI 3, STI 5, MTI 7, SEI 9, MEI 11. */
#define S_IRQS (BIT(1) | BIT(5) | BIT(9))
#define M_IRQS (BIT(3) | BIT(7) | BIT(11))

#define INSN 0x12345073u        /* stands for the CSR instruction in mtval */

/* A machine booted from a tiny raw kernel, as hartvm builds it. */
static struct machine *new_machine(int mmu_max)
{
    static const uint32_t loop = 0x0000006f;    /* j . */
    char path[] = "/tmp/hartvm-csr-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, &loop, sizeof loop), (ssize_t)sizeof loop);
    close(fd);
    /* Parsed like a real command line, so every option has its default. */
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", path, "-m", "16M", "--mmu",
                     mmu_max == SATP_SV39 ? "sv39" : "sv48", NULL };
    struct options opt;
    char perr[256];
    ck_assert_msg(options_parse(9, argv, &opt, stdout, perr, sizeof perr) == PARSE_OK, "%s", perr);
    struct machine *m = calloc(1, sizeof *m);
    char err[256];
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    m->opt.kernel = NULL;                       /* path is gone */
    return m;
}

static void free_machine(struct machine *m)
{
    machine_free(m);
    free(m);
}

static uint64_t rd(struct hart *h, unsigned csr)
{
    uint64_t v;
    ck_assert_msg(csr_read_raw(h, csr, &v), "csr 0x%x not readable", csr);
    return v;
}

static void wr(struct hart *h, unsigned csr, uint64_t v)
{
    ck_assert_msg(csr_write_raw(h, csr, v), "csr 0x%x not writable", csr);
}

/* An access through the instruction path at privilege priv. Returns true
 * if it was allowed; a refused one must have trapped to M as illegal
 * instruction with the instruction bits in mtval. */
static bool access_at(struct hart *h, int priv, unsigned csr, enum csr_op op, uint64_t src, bool write,
                      uint64_t *old)
{
    uint64_t o = 0xdead;
    wr(h, MEDELEG, 0);
    wr(h, MCAUSE, 0);
    hart_set_priv(h, priv);
    h->pc = RAM_BASE + 0x400;
    if (csr_access(h, csr, op, src, write, &o, INSN) == 0) {
        ck_assert_int_eq(h->priv, priv);
        if (old)
            *old = o;
        return true;
    }
    ck_assert_int_eq(h->priv, PRV_M);
    ck_assert_uint_eq(rd(h, MCAUSE), EXC_ILLEGAL);
    ck_assert_uint_eq(rd(h, MTVAL), INSN);
    ck_assert_uint_eq(rd(h, MEPC), RAM_BASE + 0x400);
    return false;
}

START_TEST(mstatus_warl)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    wr(h, MSTATUS, ~0ull);
    ck_assert_uint_eq(rd(h, MSTATUS), M_WRITABLE | F_UXL64 | F_SXL64 | F_SD);
    wr(h, MSTATUS, 0);
    ck_assert_uint_eq(rd(h, MSTATUS), F_UXL64 | F_SXL64);
    /* SD follows FS = dirty only. */
    wr(h, MSTATUS, 2ull << 13);
    ck_assert_uint_eq(rd(h, MSTATUS) & F_SD, 0);
    wr(h, MSTATUS, 3ull << 13);
    ck_assert_uint_eq(rd(h, MSTATUS) & F_SD, F_SD);
    /* MPP = 2 (H) is not a supported mode: whatever is kept is legal. */
    for (uint64_t prev = 0; prev < 4; prev++) {
        if (prev == 2)
            continue;
        wr(h, MSTATUS, prev << 11);
        wr(h, MSTATUS, 2ull << 11);
        uint64_t mpp = (rd(h, MSTATUS) >> 11) & 3;
        ck_assert_msg(mpp != 2, "case %llu: MPP reads 2", (unsigned long long)prev);
    }
    free_machine(m);
}
END_TEST

START_TEST(sstatus_view)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    wr(h, MSTATUS, ~0ull);
    ck_assert_uint_eq(rd(h, SSTATUS), S_VISIBLE | F_UXL64 | F_SD);
    /* Writing sstatus changes only the S fields of mstatus. */
    wr(h, MSTATUS, 0);
    wr(h, SSTATUS, ~0ull);
    ck_assert_uint_eq(rd(h, MSTATUS), S_VISIBLE | F_UXL64 | F_SXL64 | F_SD);
    wr(h, MSTATUS, ~0ull);
    wr(h, SSTATUS, 0);
    ck_assert_uint_eq(rd(h, MSTATUS), (M_WRITABLE & ~S_VISIBLE) | F_UXL64 | F_SXL64);
    /* From S through the instruction path, too. */
    uint64_t old;
    wr(h, MSTATUS, F_MIE | F_MPP);
    ck_assert(access_at(h, PRV_S, SSTATUS, CSR_RS, F_SIE | F_SUM | F_MIE | F_TSR, true, &old));
    ck_assert_uint_eq(old, F_UXL64);
    ck_assert_uint_eq(rd(h, MSTATUS) & M_WRITABLE, F_MIE | F_MPP | F_SIE | F_SUM);
    free_machine(m);
}
END_TEST

START_TEST(interrupt_enables)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    wr(h, MIE, ~0ull);
    ck_assert_uint_eq(rd(h, MIE), S_IRQS | M_IRQS);
    wr(h, MIDELEG, ~0ull);
    ck_assert_uint_eq(rd(h, MIDELEG), S_IRQS);
    /* sie is mie restricted to delegated bits. */
    ck_assert_uint_eq(rd(h, SIE), S_IRQS);
    wr(h, MIDELEG, BIT(5));
    ck_assert_uint_eq(rd(h, SIE), BIT(5));
    wr(h, MIE, M_IRQS);
    wr(h, SIE, ~0ull);
    ck_assert_uint_eq(rd(h, MIE), M_IRQS | BIT(5));
    wr(h, SIE, 0);
    ck_assert_uint_eq(rd(h, MIE), M_IRQS);
    wr(h, MIDELEG, 0);
    wr(h, SIE, ~0ull);
    ck_assert_uint_eq(rd(h, MIE), M_IRQS);
    ck_assert_uint_eq(rd(h, SIE), 0);
    free_machine(m);
}
END_TEST

START_TEST(interrupt_pending)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    /* M-mode software may set SSIP, STIP, SEIP; MSIP/MTIP/MEIP come from devices. */
    wr(h, MIP, ~0ull);
    ck_assert_uint_eq(rd(h, MIP), S_IRQS);
    hart_set_irq(h, IRQ_MTI, true);
    wr(h, MIP, 0);
    ck_assert_uint_eq(rd(h, MIP), BIT(7));
    hart_set_irq(h, IRQ_MTI, false);
    ck_assert_uint_eq(rd(h, MIP), 0);
    /* sip: only SSIP is writable, and only when delegated. */
    wr(h, MIDELEG, 0);
    wr(h, SIP, ~0ull);
    ck_assert_uint_eq(rd(h, MIP), 0);
    wr(h, MIDELEG, S_IRQS);
    wr(h, SIP, ~0ull);
    ck_assert_uint_eq(rd(h, MIP), BIT(1));
    wr(h, MIP, S_IRQS);
    wr(h, SIP, 0);
    ck_assert_uint_eq(rd(h, MIP), BIT(5) | BIT(9));
    /* sip reads mip masked by mideleg. */
    wr(h, MIDELEG, BIT(5));
    ck_assert_uint_eq(rd(h, SIP), BIT(5));
    wr(h, MIDELEG, 0);
    ck_assert_uint_eq(rd(h, SIP), 0);
    free_machine(m);
}
END_TEST

START_TEST(delegation_masks)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    /* Delegable exceptions (spec Table 3.6): 0-9, 12, 13, 15. ecall from M
     * (11) is read-only zero; 10 and 14 are reserved. */
    static const int codes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15 };
    uint64_t want = 0;
    for (unsigned k = 0; k < sizeof codes / sizeof codes[0]; k++)
        want |= BIT(codes[k]);
    wr(h, MEDELEG, ~0ull);
    ck_assert_uint_eq(rd(h, MEDELEG), want);
    wr(h, MEDELEG, BIT(11) | BIT(8));
    ck_assert_uint_eq(rd(h, MEDELEG), BIT(8));
    wr(h, MEDELEG, 0);
    ck_assert_uint_eq(rd(h, MEDELEG), 0);
    free_machine(m);
}
END_TEST

START_TEST(trap_vectors)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    unsigned csrs[2] = { MTVEC, STVEC };
    for (int k = 0; k < 2; k++) {
        unsigned c = csrs[k];
        wr(h, c, RAM_BASE + 0x1000);           /* direct */
        ck_assert_uint_eq(rd(h, c), RAM_BASE + 0x1000);
        wr(h, c, RAM_BASE + 0x2001);           /* vectored */
        ck_assert_uint_eq(rd(h, c), RAM_BASE + 0x2001);
        /* Modes 2 and 3 are reserved: the register keeps a legal value. */
        wr(h, c, RAM_BASE + 0x3002);
        ck_assert_msg((rd(h, c) & 3) < 2, "case %d: mode 2 stored", k);
        wr(h, c, RAM_BASE + 0x3003);
        ck_assert_msg((rd(h, c) & 3) < 2, "case %d: mode 3 stored", k);
    }
    /* xepc: bit 0 is always zero; with C, bit 1 is writable. */
    wr(h, MEPC, RAM_BASE + 3);
    ck_assert_uint_eq(rd(h, MEPC), RAM_BASE + 2);
    wr(h, SEPC, ~0ull);
    ck_assert_uint_eq(rd(h, SEPC), ~1ull);
    free_machine(m);
}
END_TEST

static uint64_t satp_val(uint64_t mode, uint64_t asid, uint64_t ppn)
{
    return mode << 60 | asid << 44 | ppn;
}

START_TEST(satp_modes)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    uint64_t sv39 = satp_val(8, 0x1234, 0x80123), sv48 = satp_val(9, 0xffff, 0xfffffffffffull);
    wr(h, SATP, sv39);
    ck_assert_uint_eq(rd(h, SATP), sv39);
    wr(h, SATP, sv48);
    ck_assert_uint_eq(rd(h, SATP), sv48);
    /* Sv57 and the reserved modes: the write is ignored (spec 4.1.11). */
    static const uint64_t bad_modes[] = { 1, 5, 7, 10, 11, 15 };
    for (unsigned k = 0; k < sizeof bad_modes / sizeof bad_modes[0]; k++) {
        wr(h, SATP, sv39);
        wr(h, SATP, satp_val(bad_modes[k], 1, 0x80000));
        ck_assert_msg(rd(h, SATP) == sv39, "case %u: mode %llu changed satp", k,
                      (unsigned long long)bad_modes[k]);
    }
    wr(h, SATP, 0);
    ck_assert_uint_eq(rd(h, SATP), 0);
    free_machine(m);

    /* --mmu sv39: Sv48 is refused like an unsupported mode. */
    m = new_machine(SATP_SV39);
    h = &m->harts[0];
    wr(h, SATP, sv39);
    wr(h, SATP, sv48);
    ck_assert_uint_eq(rd(h, SATP), sv39);
    free_machine(m);
}
END_TEST

START_TEST(satp_tvm)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    uint64_t v = satp_val(8, 3, 0x80100), old;
    ck_assert(access_at(h, PRV_S, SATP, CSR_RW, v, true, &old));
    ck_assert_uint_eq(rd(h, SATP), v);
    wr(h, MSTATUS, F_TVM);
    ck_assert(!access_at(h, PRV_S, SATP, CSR_RS, 0, false, &old));
    ck_assert(!access_at(h, PRV_S, SATP, CSR_RW, 0, true, &old));
    ck_assert_uint_eq(rd(h, SATP), v);
    wr(h, MSTATUS, F_TVM);
    ck_assert(access_at(h, PRV_M, SATP, CSR_RW, 0, true, &old));   /* TVM binds S only */
    ck_assert_uint_eq(old, v);
    free_machine(m);
}
END_TEST

/* Privilege and read-only rules: csr[9:8] is the lowest privilege that
 * may access, csr[11:10] = 3 is read-only (spec 2.1). */
static const struct {
    int priv; unsigned csr; bool write; bool ok;
} access_cases[] = {
    { PRV_S, MSTATUS, false, false }, { PRV_S, MSCRATCH, true, false }, { PRV_S, MEPC, false, false },
    { PRV_S, MIE, true, false }, { PRV_S, MCOUNTEREN, true, false }, { PRV_S, MHARTID, false, false },
    { PRV_U, SSTATUS, false, false }, { PRV_U, SSCRATCH, true, false }, { PRV_U, SATP, false, false },
    { PRV_U, MSCRATCH, false, false },
    { PRV_S, SSCRATCH, true, true }, { PRV_S, SSTATUS, false, true }, { PRV_S, SCOUNTEREN, true, true },
    { PRV_M, SSCRATCH, true, true }, { PRV_M, MSCRATCH, true, true },
    { PRV_M, MHARTID, false, true }, { PRV_M, MHARTID, true, false }, { PRV_M, MVENDORID, true, false },
    { PRV_M, CYCLE, false, true }, { PRV_M, CYCLE, true, false }, { PRV_M, INSTRET, true, false },
    { PRV_M, TIME, true, false },
    { PRV_M, 0x7c0, false, false }, { PRV_M, 0x5a5, false, false }, { PRV_M, 0xfff, false, false },
    { PRV_M, MISA, true, true },        /* WARL: accepted, nothing changes */
};

START_TEST(privilege)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    wr(h, MCOUNTEREN, ~0ull);
    wr(h, SCOUNTEREN, ~0ull);
    wr(h, MSCRATCH, 0x5151);
    wr(h, SSCRATCH, 0x7171);
    unsigned c = access_cases[_i].csr;
    uint64_t before = 0, old;
    bool readable = csr_read_raw(h, c, &before);
    bool ok = access_at(h, access_cases[_i].priv, c, CSR_RW, 0x77, access_cases[_i].write, &old);
    ck_assert_msg(ok == access_cases[_i].ok, "case %d: csr 0x%x at priv %d %s: %s", _i, c,
                  access_cases[_i].priv, access_cases[_i].write ? "write" : "read",
                  ok ? "allowed" : "refused");
    if (ok)
        ck_assert_msg(old == before, "case %d: old value 0x%llx, was 0x%llx", _i, (unsigned long long)old,
                      (unsigned long long)before);
    /* A refused write changes nothing. */
    uint64_t after;
    if (!ok && readable && c != MSTATUS && c != MEPC && c != TIME && c != CYCLE && c != INSTRET) {
        ck_assert(csr_read_raw(h, c, &after));
        ck_assert_msg(after == before, "case %d: refused access changed csr 0x%x", _i, c);
    }
    free_machine(m);
}
END_TEST

START_TEST(misa_readonly)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    uint64_t v = rd(h, MISA);
    ck_assert_uint_eq(v >> 62, 2);                      /* MXL = 64 */
    const char *need = "IMACSU";
    for (const char *p = need; *p; p++)
        ck_assert_msg(v & BIT(*p - 'A'), "misa lacks %c", *p);
    uint64_t old;
    ck_assert(access_at(h, PRV_M, MISA, CSR_RW, 0, true, &old));
    ck_assert_uint_eq(rd(h, MISA), v);
    ck_assert_uint_eq(rd(h, MHARTID), 0);
    free_machine(m);
}
END_TEST

/* Counter enables (Zicntr, spec 3.1.11 and 4.1.5): S needs the mcounteren
 * bit; U needs the mcounteren and the scounteren bit; M always reads. */
static const unsigned counters[] = { CYCLE, TIME, INSTRET, HPMCOUNTER3, HPMCOUNTER31 };

START_TEST(counter_enables)
{
    unsigned c = counters[_i], bit = c - CYCLE;
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    for (int combo = 0; combo < 4; combo++) {
        bool men = combo & 1, sen = combo & 2;
        /* The other bits set, so only this counter's bit decides. */
        uint64_t others = ~BIT(bit) & 0xffffffffull;
        for (int priv = 0; priv <= 3; priv++) {
            if (priv == 2)
                continue;
            wr(h, MCOUNTEREN, others | (men ? BIT(bit) : 0));
            wr(h, SCOUNTEREN, others | (sen ? BIT(bit) : 0));
            bool want = priv == PRV_M || (priv == PRV_S && men) || (priv == PRV_U && men && sen);
            bool got = access_at(h, priv, c, CSR_RS, 0, false, NULL);
            ck_assert_msg(got == want, "counter 0x%x, mcounteren %d scounteren %d, priv %d: %s", c, men, sen,
                          priv, got ? "allowed" : "refused");
        }
    }
    free_machine(m);
}
END_TEST

/* The counters count: instret and cycle advance as the hart runs. */
START_TEST(counters_advance)
{
    struct machine *m = new_machine(SATP_SV48);
    struct hart *h = &m->harts[0];
    uint64_t i0 = rd(h, INSTRET);
    int64_t n = hart_run(h, 1000);
    hart_end_run(h);        /* machine_run's bookkeeping after a run */
    ck_assert_int_eq(n, 1000);
    ck_assert_uint_eq(rd(h, INSTRET) - i0, 1000);
    wr(h, 0xb02, 5);                                    /* minstret */
    ck_assert_uint_eq(rd(h, INSTRET), 5);
    free_machine(m);
}
END_TEST

static Suite *csr_suite(void)
{
    Suite *s = suite_create("csr");
    TCase *t = tcase_create("csr");
    tcase_add_test(t, mstatus_warl);
    tcase_add_test(t, sstatus_view);
    tcase_add_test(t, interrupt_enables);
    tcase_add_test(t, interrupt_pending);
    tcase_add_test(t, delegation_masks);
    tcase_add_test(t, trap_vectors);
    tcase_add_test(t, satp_modes);
    tcase_add_test(t, satp_tvm);
    tcase_add_loop_test(t, privilege, 0, sizeof access_cases / sizeof access_cases[0]);
    tcase_add_test(t, misa_readonly);
    tcase_add_loop_test(t, counter_enables, 0, sizeof counters / sizeof counters[0]);
    tcase_add_test(t, counters_advance);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(csr_suite)

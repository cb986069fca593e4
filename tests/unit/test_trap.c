/*
 * Traps (cpu/trap.c) against the privileged spec: exception delegation
 * through medeleg (3.1.8), interrupt enables, delegation and priority
 * (3.1.9), vectored xtvec (3.1.7), and the mstatus stack on trap entry and
 * on mret/sret (3.1.6.1, 3.3.2). The last tests run real instructions
 * (ecall, mret, sret, wfi) from guest RAM through the interpreter.
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../mmu/mmu.h"
#include "../../machine/options.h"
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define CODE     (RAM_BASE + 0x10000)
#define MVEC     (RAM_BASE + 0x20000)
#define SVEC     (RAM_BASE + 0x30000)
#define BIT(n)   (1ull << (n))
#define IRQ(n)   (BIT(63) | (n))

#define F_SIE   BIT(1)
#define F_MIE   BIT(3)
#define F_SPIE  BIT(5)
#define F_MPIE  BIT(7)
#define F_SPP   BIT(8)
#define F_MPP   (3ull << 11)
#define F_MPRV  BIT(17)
#define F_TW    BIT(21)
#define F_TSR   BIT(22)

enum { MSTATUS = 0x300, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305, MEPC = 0x341,
       MCAUSE = 0x342, MTVAL = 0x343, MIP = 0x344, STVEC = 0x105, SEPC = 0x141, SCAUSE = 0x142,
       STVAL = 0x143 };

static struct machine *new_machine(void)
{
    static const uint32_t loop = 0x0000006f;    /* j . */
    char path[] = "/tmp/hartvm-trap-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, &loop, sizeof loop), (ssize_t)sizeof loop);
    close(fd);
    /* Parsed like a real command line, so every option has its default. */
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", path, "-m", "16M", NULL };
    struct options opt;
    char perr[256];
    ck_assert_msg(options_parse(7, argv, &opt, stdout, perr, sizeof perr) == PARSE_OK, "%s", perr);
    struct machine *m = calloc(1, sizeof *m);
    char err[256];
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    m->opt.kernel = NULL;
    struct hart *h = &m->harts[0];
    /* Handlers are self-loops, so a stray run stays put. */
    bus_write_mem(&m->bus, MVEC, &loop, 4);
    bus_write_mem(&m->bus, SVEC, &loop, 4);
    csr_write_raw(h, MTVEC, MVEC);
    csr_write_raw(h, STVEC, SVEC);
    /* S and U may touch nothing without a PMP entry: open all memory. */
    csr_write_raw(h, 0x3b0, ~0ull);             /* pmpaddr0: NAPOT, everything */
    csr_write_raw(h, 0x3a0, 0x1f);              /* pmp0cfg: NAPOT | X | W | R */
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
    ck_assert(csr_read_raw(h, csr, &v));
    return v;
}

static void wr(struct hart *h, unsigned csr, uint64_t v)
{
    ck_assert(csr_write_raw(h, csr, v));
}

/* ---- exceptions ------------------------------------------------------- */

static const uint64_t exc_causes[] = { EXC_ILLEGAL, EXC_BREAKPOINT, EXC_LOAD_PAGE, EXC_STORE_ACCESS, EXC_ECALL_U };

/* Case number = (cause index * 3 + privilege index) * 2 + delegated. */
START_TEST(exception_delegation)
{
    static const int privs[3] = { PRV_U, PRV_S, PRV_M };
    int deleg = _i & 1, priv = privs[(_i >> 1) % 3];
    uint64_t cause = exc_causes[_i / 6];
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    /* Vectored tvecs: exceptions still go to the base. */
    wr(h, MTVEC, MVEC | 1);
    wr(h, STVEC, SVEC | 1);
    wr(h, MEDELEG, deleg ? BIT(cause) : 0);
    /* Interrupt enables set, previous-enables clear: entry must move them. */
    wr(h, MSTATUS, F_MIE | F_SIE);
    wr(h, MEPC, 0x1110);
    wr(h, SEPC, 0x2220);
    hart_set_priv(h, priv);
    h->pc = CODE + 0x44;
    hart_exception(h, cause, 0xabcd);

    bool to_s = deleg && priv != PRV_M;       /* traps never go to a lower privilege */
    uint64_t s = rd(h, MSTATUS);
    if (to_s) {
        ck_assert_msg(h->priv == PRV_S && h->pc == SVEC, "case %d: priv %d pc 0x%llx", _i, h->priv,
                      (unsigned long long)h->pc);
        ck_assert_uint_eq(rd(h, SCAUSE), cause);
        ck_assert_uint_eq(rd(h, SEPC), CODE + 0x44);
        ck_assert_uint_eq(rd(h, STVAL), 0xabcd);
        ck_assert_msg(!!(s & F_SPP) == (priv == PRV_S), "case %d: SPP", _i);
        ck_assert_msg((s & F_SPIE) && !(s & F_SIE), "case %d: SPIE/SIE 0x%llx", _i, (unsigned long long)s);
        ck_assert_msg((s & F_MIE) && rd(h, MEPC) == 0x1110, "case %d: M state touched", _i);
    } else {
        ck_assert_msg(h->priv == PRV_M && h->pc == MVEC, "case %d: priv %d pc 0x%llx", _i, h->priv,
                      (unsigned long long)h->pc);
        ck_assert_uint_eq(rd(h, MCAUSE), cause);
        ck_assert_uint_eq(rd(h, MEPC), CODE + 0x44);
        ck_assert_uint_eq(rd(h, MTVAL), 0xabcd);
        ck_assert_msg(((s >> 11) & 3) == (uint64_t)priv, "case %d: MPP %llu", _i,
                      (unsigned long long)((s >> 11) & 3));
        ck_assert_msg((s & F_MPIE) && !(s & F_MIE), "case %d: MPIE/MIE 0x%llx", _i, (unsigned long long)s);
        ck_assert_msg((s & F_SIE) && rd(h, SEPC) == 0x2220, "case %d: S state touched", _i);
    }
    free_machine(m);
}
END_TEST

/* xPIE takes the old xIE, which may be 0. */
START_TEST(exception_pie_clear)
{
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MSTATUS, F_MPIE | F_SPIE);
    hart_set_priv(h, PRV_S);
    hart_exception(h, EXC_ILLEGAL, 0);
    ck_assert_uint_eq(rd(h, MSTATUS) & (F_MPIE | F_MIE), 0);
    wr(h, MEDELEG, BIT(EXC_ILLEGAL));
    hart_set_priv(h, PRV_U);
    hart_exception(h, EXC_ILLEGAL, 0);
    ck_assert_int_eq(h->priv, PRV_S);
    ck_assert_uint_eq(rd(h, MSTATUS) & (F_SPIE | F_SIE | F_SPP), 0);
    free_machine(m);
}
END_TEST

/* ---- interrupts ------------------------------------------------------- */

static const struct irq_case {
    int priv;
    uint64_t mstatus, mideleg, mie, mip;
    int irq;            /* expected interrupt, -1 for none */
    int target;         /* privilege it is taken into */
} irq_cases[] = {
    /* M-level (not delegated) interrupts */
    { PRV_M, 0,      0, BIT(7), BIT(7), -1, 0 },                /* MIE clear in M */
    { PRV_M, F_MIE,  0, BIT(7), BIT(7), IRQ_MTI, PRV_M },
    { PRV_S, 0,      0, BIT(7), BIT(7), IRQ_MTI, PRV_M },       /* below M: always enabled */
    { PRV_U, 0,      0, BIT(7), BIT(7), IRQ_MTI, PRV_M },
    { PRV_M, F_MIE,  0, 0,      BIT(7), -1, 0 },                /* not in mie */
    { PRV_M, F_MIE,  0, BIT(7), 0,      -1, 0 },                /* not pending */
    { PRV_M, F_MIE,  0, BIT(5), BIT(5), IRQ_STI, PRV_M },       /* S interrupt kept in M */
    { PRV_S, F_SIE,  0, BIT(9), BIT(9), IRQ_SEI, PRV_M },
    { PRV_S, 0,      0, BIT(1), BIT(1), IRQ_SSI, PRV_M },
    /* delegated to S */
    { PRV_M, F_MIE | F_SIE, BIT(5), BIT(5), BIT(5), -1, 0 },    /* never taken in M */
    { PRV_S, 0,      BIT(5), BIT(5), BIT(5), -1, 0 },           /* SIE clear in S */
    { PRV_S, F_SIE,  BIT(5), BIT(5), BIT(5), IRQ_STI, PRV_S },
    { PRV_U, 0,      BIT(5), BIT(5), BIT(5), IRQ_STI, PRV_S },  /* below S: always enabled */
    { PRV_S, F_SIE | F_MIE, BIT(9), 0, BIT(9), -1, 0 },         /* not in mie */
    { PRV_U, 0,      BIT(1), BIT(1), BIT(1), IRQ_SSI, PRV_S },
    /* both levels pending: M-level first, whatever the S state */
    { PRV_S, F_SIE,  BIT(9), BIT(9) | BIT(7), BIT(9) | BIT(7), IRQ_MTI, PRV_M },
    { PRV_U, 0,      BIT(5), BIT(5) | BIT(3), BIT(5) | BIT(3), IRQ_MSI, PRV_M },
    /* M-level pending but disabled in M; S-level delegated not takeable in M */
    { PRV_M, F_SIE,  BIT(5), BIT(5) | BIT(7), BIT(5) | BIT(7), -1, 0 },
};

START_TEST(interrupt_rules)
{
    const struct irq_case *c = &irq_cases[_i];
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MSTATUS, c->mstatus);
    wr(h, MIDELEG, c->mideleg);
    wr(h, MIE, c->mie);
    /* M-level lines come from devices; S-level ones are writable in mip. */
    for (int b = 0; b < 12; b++)
        if (c->mip & BIT(b))
            hart_set_irq(h, b, true);
    hart_set_priv(h, c->priv);
    h->pc = CODE;
    bool taken = hart_take_interrupt(h);
    ck_assert_msg(taken == (c->irq >= 0), "case %d: %s", _i, taken ? "taken" : "not taken");
    if (!taken) {
        ck_assert_msg(h->priv == c->priv && h->pc == CODE, "case %d: state changed", _i);
    } else if (c->target == PRV_M) {
        ck_assert_msg(h->priv == PRV_M && rd(h, MCAUSE) == IRQ(c->irq) && rd(h, MEPC) == CODE,
                      "case %d: mcause 0x%llx priv %d", _i, (unsigned long long)rd(h, MCAUSE), h->priv);
    } else {
        ck_assert_msg(h->priv == PRV_S && rd(h, SCAUSE) == IRQ(c->irq) && rd(h, SEPC) == CODE,
                      "case %d: scause 0x%llx priv %d", _i, (unsigned long long)rd(h, SCAUSE), h->priv);
    }
    free_machine(m);
}
END_TEST

/* Priority within a level (spec 3.1.9): MEI, MSI, MTI, SEI, SSI, STI. */
START_TEST(interrupt_priority)
{
    static const int order[] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MIE, ~0ull);
    for (int b = 1; b < 12; b += 2)
        hart_set_irq(h, b, true);
    for (unsigned k = 0; k < 6; k++) {
        wr(h, MSTATUS, F_MIE);
        ck_assert_msg(hart_take_interrupt(h), "case %u: nothing taken", k);
        ck_assert_msg(rd(h, MCAUSE) == IRQ(order[k]), "case %u: took %llu, expected %d", k,
                      (unsigned long long)(rd(h, MCAUSE) & 63), order[k]);
        hart_set_irq(h, order[k], false);
    }
    wr(h, MSTATUS, F_MIE);
    ck_assert(!hart_take_interrupt(h));

    /* The same order among delegated interrupts, taken in S. */
    wr(h, MIDELEG, BIT(1) | BIT(5) | BIT(9));
    for (int b = 1; b < 12; b += 4)
        hart_set_irq(h, b, true);
    static const int s_order[] = { IRQ_SEI, IRQ_SSI, IRQ_STI };
    for (unsigned k = 0; k < 3; k++) {
        hart_set_priv(h, PRV_U);
        ck_assert_msg(hart_take_interrupt(h), "S case %u: nothing taken", k);
        ck_assert_msg(h->priv == PRV_S && rd(h, SCAUSE) == IRQ(s_order[k]), "S case %u: took %llu", k,
                      (unsigned long long)(rd(h, SCAUSE) & 63));
        hart_set_irq(h, s_order[k], false);
    }
    free_machine(m);
}
END_TEST

START_TEST(vectored)
{
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MTVEC, MVEC | 1);
    wr(h, MIE, ~0ull);
    wr(h, MSTATUS, F_MIE);
    hart_set_irq(h, IRQ_MTI, true);
    ck_assert(hart_take_interrupt(h));
    ck_assert_uint_eq(h->pc, MVEC + 4 * IRQ_MTI);
    hart_set_irq(h, IRQ_MTI, false);
    /* Direct mode: every interrupt goes to the base. */
    wr(h, MTVEC, MVEC);
    wr(h, MSTATUS, F_MIE);
    hart_set_irq(h, IRQ_MEI, true);
    ck_assert(hart_take_interrupt(h));
    ck_assert_uint_eq(h->pc, MVEC);
    hart_set_irq(h, IRQ_MEI, false);
    /* stvec vectored, delegated STI from U. */
    wr(h, STVEC, SVEC | 1);
    wr(h, MIDELEG, BIT(5));
    wr(h, MIP, BIT(5));
    hart_set_priv(h, PRV_U);
    ck_assert(hart_take_interrupt(h));
    ck_assert_int_eq(h->priv, PRV_S);
    ck_assert_uint_eq(h->pc, SVEC + 4 * IRQ_STI);
    free_machine(m);
}
END_TEST

/* A pending enabled interrupt ends wfi. */
START_TEST(wfi_wakeup)
{
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MIE, BIT(7));
    h->wfi = true;
    hart_set_irq(h, IRQ_MSI, true);         /* not enabled: still waiting */
    ck_assert(h->wfi);
    hart_set_irq(h, IRQ_MTI, true);
    ck_assert(!h->wfi);
    free_machine(m);
}
END_TEST

/* ---- xRET ------------------------------------------------------------- */

/* Case = MPP (0, 1, 3) x MPIE x MPRV. */
START_TEST(mret_state)
{
    static const int mpps[3] = { PRV_U, PRV_S, PRV_M };
    int mpp = mpps[_i % 3];
    bool mpie = (_i / 3) & 1, mprv = (_i / 6) & 1;
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MSTATUS, (uint64_t)mpp << 11 | (mpie ? F_MPIE : 0) | (mprv ? F_MPRV : 0) | F_SIE);
    wr(h, MEPC, CODE + 0x80);
    hart_mret(h);
    uint64_t s = rd(h, MSTATUS);
    ck_assert_msg(h->priv == mpp && h->pc == CODE + 0x80, "case %d: priv %d pc 0x%llx", _i, h->priv,
                  (unsigned long long)h->pc);
    ck_assert_msg(!!(s & F_MIE) == mpie, "case %d: MIE", _i);
    ck_assert_msg(s & F_MPIE, "case %d: MPIE not set", _i);
    ck_assert_msg((s & F_MPP) == 0, "case %d: MPP not U", _i);
    /* MPRV is cleared when leaving M (spec 3.1.6.3). */
    ck_assert_msg(!!(s & F_MPRV) == (mprv && mpp == PRV_M), "case %d: MPRV", _i);
    ck_assert_msg(s & F_SIE, "case %d: SIE touched", _i);
    free_machine(m);
}
END_TEST

/* Case = SPP x SPIE x MPRV. */
START_TEST(sret_state)
{
    bool spp = _i & 1, spie = (_i >> 1) & 1, mprv = (_i >> 2) & 1;
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    wr(h, MSTATUS, (spp ? F_SPP : 0) | (spie ? F_SPIE : 0) | (mprv ? F_MPRV : 0) | F_MIE | (1ull << 11));
    wr(h, SEPC, CODE + 0x90);
    hart_set_priv(h, PRV_S);
    hart_sret(h);
    uint64_t s = rd(h, MSTATUS);
    ck_assert_msg(h->priv == (spp ? PRV_S : PRV_U) && h->pc == CODE + 0x90, "case %d: priv %d", _i, h->priv);
    ck_assert_msg(!!(s & F_SIE) == spie, "case %d: SIE", _i);
    ck_assert_msg((s & F_SPIE) && !(s & F_SPP), "case %d: SPIE/SPP 0x%llx", _i, (unsigned long long)s);
    ck_assert_msg(!(s & F_MPRV), "case %d: MPRV kept", _i);
    ck_assert_msg((s & F_MIE) && ((s >> 11) & 3) == 1, "case %d: M fields touched", _i);
    free_machine(m);
}
END_TEST

/* ---- instructions through the interpreter ------------------------------ */

enum { ECALL = 0x00000073, MRET = 0x30200073, SRET = 0x10200073, WFI = 0x10500073, NOP = 0x00000013 };

/* Put insn at CODE, run one instruction at priv, return the hart. */
static struct hart *run_one(struct machine *m, int priv, uint32_t insn, uint64_t mstatus)
{
    struct hart *h = &m->harts[0];
    uint32_t code[2] = { insn, 0x0000006f };
    bus_write_mem(&m->bus, CODE, code, sizeof code);
    wr(h, MSTATUS, mstatus);
    wr(h, MCAUSE, 0);
    hart_set_priv(h, priv);
    h->pc = CODE;
    hart_run(h, 1);
    return h;
}

static const struct {
    int priv; uint32_t insn; uint64_t mstatus; int64_t cause;   /* -1: no trap */
} insn_cases[] = {
    { PRV_U, ECALL, 0, EXC_ECALL_U }, { PRV_S, ECALL, 0, EXC_ECALL_S }, { PRV_M, ECALL, 0, EXC_ECALL_M },
    { PRV_S, MRET, 0, EXC_ILLEGAL }, { PRV_U, MRET, 0, EXC_ILLEGAL },
    { PRV_U, SRET, 0, EXC_ILLEGAL }, { PRV_S, SRET, F_TSR, EXC_ILLEGAL },
    { PRV_S, SRET, F_SPP, -1 }, { PRV_M, SRET, F_TSR | F_SPP, -1 },       /* TSR binds S only */
    { PRV_U, WFI, 0, EXC_ILLEGAL }, { PRV_S, WFI, F_TW, EXC_ILLEGAL }, { PRV_M, WFI, F_TW, -1 },
    { PRV_S, WFI, 0, -1 },
};

START_TEST(privileged_insns)
{
    struct machine *m = new_machine();
    uint32_t insn = insn_cases[_i].insn;
    struct hart *h = run_one(m, insn_cases[_i].priv, insn, insn_cases[_i].mstatus);
    if (insn_cases[_i].cause >= 0) {
        ck_assert_msg(h->priv == PRV_M && h->pc == MVEC, "case %d: no trap (priv %d pc 0x%llx)", _i, h->priv,
                      (unsigned long long)h->pc);
        ck_assert_msg(rd(h, MCAUSE) == (uint64_t)insn_cases[_i].cause, "case %d: mcause %llu", _i,
                      (unsigned long long)rd(h, MCAUSE));
        ck_assert_msg(rd(h, MEPC) == CODE, "case %d: mepc", _i);
        if (insn_cases[_i].cause == EXC_ILLEGAL)
            ck_assert_msg(rd(h, MTVAL) == insn, "case %d: mtval 0x%llx", _i, (unsigned long long)rd(h, MTVAL));
    } else {
        ck_assert_msg(rd(h, MCAUSE) == 0 && h->pc != MVEC, "case %d: trapped, mcause %llu", _i,
                      (unsigned long long)rd(h, MCAUSE));
    }
    free_machine(m);
}
END_TEST

/* M drops to U with mret; U's ecall comes back to M at mtvec. */
START_TEST(round_trip)
{
    struct machine *m = new_machine();
    struct hart *h = &m->harts[0];
    uint32_t code[4] = { MRET, 0x0000006f, 0, 0 };
    uint32_t user[2] = { NOP, ECALL };
    bus_write_mem(&m->bus, CODE, code, sizeof code);
    bus_write_mem(&m->bus, CODE + 0x100, user, sizeof user);
    wr(h, MEPC, CODE + 0x100);
    wr(h, MSTATUS, F_MPIE);                   /* MPP = U */
    h->pc = CODE;
    hart_run(h, 1);
    ck_assert_int_eq(h->priv, PRV_U);
    ck_assert_uint_eq(h->pc, CODE + 0x100);
    ck_assert_uint_eq(rd(h, MSTATUS) & F_MIE, F_MIE);
    hart_run(h, 2);
    ck_assert_int_eq(h->priv, PRV_M);
    ck_assert_uint_eq(h->pc, MVEC);
    ck_assert_uint_eq(rd(h, MCAUSE), EXC_ECALL_U);
    ck_assert_uint_eq(rd(h, MEPC), CODE + 0x104);
    ck_assert_uint_eq((rd(h, MSTATUS) >> 11) & 3, PRV_U);
    ck_assert_uint_eq(rd(h, MSTATUS) & (F_MIE | F_MPIE), F_MPIE);
    free_machine(m);
}
END_TEST

static Suite *trap_suite(void)
{
    Suite *s = suite_create("trap");
    TCase *t = tcase_create("trap");
    tcase_add_loop_test(t, exception_delegation, 0, 6 * (int)(sizeof exc_causes / sizeof exc_causes[0]));
    tcase_add_test(t, exception_pie_clear);
    tcase_add_loop_test(t, interrupt_rules, 0, sizeof irq_cases / sizeof irq_cases[0]);
    tcase_add_test(t, interrupt_priority);
    tcase_add_test(t, vectored);
    tcase_add_test(t, wfi_wakeup);
    tcase_add_loop_test(t, mret_state, 0, 12);
    tcase_add_loop_test(t, sret_state, 0, 8);
    tcase_add_loop_test(t, privileged_insns, 0, sizeof insn_cases / sizeof insn_cases[0]);
    tcase_add_test(t, round_trip);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(trap_suite)

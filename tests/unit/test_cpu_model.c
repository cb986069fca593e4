/*
 * -cpu (machine/cpu_model.c): QEMU 7.2's model names and rv64 properties,
 * spelled as qemu-system-riscv64 spells them, give the device tree's
 * riscv,isa string; what hartvm lacks or QEMU refuses is an error naming
 * it; and a machine built from the result has harts without what was
 * taken away: the ops decode as illegal, misa (privileged spec 3.1.1)
 * loses the letter, the CSRs of the extension go.
 */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/options.h"
#include "../../cpu/isa.h"
#include "../../mmu/mmu.h"
#include <string.h>
#include <unistd.h>

/* rv64: what QEMU's rv64 turns on (machine/cpu_model.c); max: everything */
#define RV64 "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc"
/* max also names what the harts always are (cpu/isa.c), in the ISA
 * manual's canonical order: Zi*, Za*, Zc*, Zb*, Zk*, then S* by name */
#define MAX_ZI "zic64b_zicbom_zicbop_zicboz_ziccamoa_ziccif_zicclsm_ziccrse_zicntr_zicond" \
               "_zicsr_zifencei_zihintntl_zihintpause_zihpm_zimop"
#define MAX_S "_smcntrpmf_smstateen_ssccptr_sscofpmf_sscounterenw_sstc_sstvala_sstvecd_ssu64xl_svadu"
#define MAX_Z "rv64imafdc_" MAX_ZI "_za64rs_zacas_zawrs_zfa_zfh_zfhmin_zcb_zcmop_zba_zbb_zbc_zbkb_zbkc_zbkx_zbs_zkt" MAX_S
#define SV "_svinval_svnapot_svpbmt"
#define MAX MAX_Z SV

static const struct { const char *spec, *isa; } good[] = {
    { "rv64", RV64 },
    { "any", RV64 },
    { "max", MAX },
    { "max,svpbmt=false,zicbop=false,zawrs=off", "rv64imafdc_zic64b_zicbom_zicboz_ziccamoa_ziccif"
      "_zicclsm_ziccrse_zicntr_zicond_zicsr_zifencei_zihintntl_zihintpause_zihpm_zimop_za64rs_zacas_zfa_zfh_zfhmin"
      "_zcb_zcmop_zba_zbb_zbc_zbkb_zbkc_zbkx_zbs_zkt" MAX_S "_svinval_svnapot" },
    { "max,pmu-num=0,sscofpmf=false,svadu=false,smcntrpmf=false",
      "rv64imafdc_zic64b_zicbom_zicbop_zicboz_ziccamoa_ziccif_zicclsm_ziccrse_zicntr_zicond_zicsr_zifencei"
      "_zihintntl_zihintpause_zimop_za64rs_zacas_zawrs_zfa_zfh_zfhmin_zcb_zcmop_zba_zbb_zbc_zbkb_zbkc_zbkx_zbs_zkt"
      "_smstateen_ssccptr_sscounterenw_sstc_sstvala_sstvecd_ssu64xl" SV },
    { "rv64,sscofpmf=true,pmu-num=4",
      "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sscofpmf_sstc" },
    { "rv64,svadu=on,smcntrpmf=on", "rv64imafdc_zicond_zicsr_zifencei"
      "_zihintntl_zihintpause_zba_zbb_zbc_zbs_smcntrpmf_sstc_svadu" },
    { "rv64,zicboz=true",
      "rv64imafdc_zicboz_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc" },
    { "rv64,svinval=on,svnapot=true,svpbmt=yes", RV64 SV },
    { "rv64,svnapot=true", RV64 "_svnapot" },
    { "rv64,zba=false", "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zbb_zbc_zbs_sstc" },
    { "rv64,zba=off,zbb=no,zbs=false", "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zbc_sstc" },
    { "rv64,zba=false,zba=on", RV64 },
    { "rv64,c=false", "rv64imafd_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc" },
    { "rv64,m=false,a=false", "rv64ifdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc" },
    { "rv64,d=false", "rv64imafc_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc" },
    { "rv64,f=false,d=false", "rv64imac_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc" },
    { "rv64,f=false,d=false,Zicsr=false",
      "rv64imac_zicond_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs_sstc" },
    { "rv64,Zifencei=false,zihintpause=false", "rv64imafdc_zicond_zicsr_zihintntl_zba_zbb_zbc_zbs_sstc" },
    { "rv64,sstc=false,zicond=false", "rv64imafdc_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbs" },
    { "rv64,h=false,v=false,zbc=false,Zfh=false,svpbmt=off",
      "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbs_sstc" },
    /* Zfh implies Zfhmin (both named, as QEMU after 7.2 does); Zfa in max only */
    { "rv64,Zfh=true", "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zfh_zfhmin"
                       "_zba_zbb_zbc_zbs_sstc" },
    { "rv64,zfh=on,Zfhmin=false", "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zfh_zfhmin"
                                  "_zba_zbb_zbc_zbs_sstc" },
    { "rv64,Zfhmin=true", "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zfhmin"
                          "_zba_zbb_zbc_zbs_sstc" },
    { "rv64,zfa=true,d=false", "rv64imafc_zicond_zicsr_zifencei_zihintntl_zihintpause_zfa"
                               "_zba_zbb_zbc_zbs_sstc" },
    { "rv64,Zfh=true,priv_spec=v1.11.0", "rv64imafdc_zicsr_zifencei_zihintntl_zihintpause" },
    { "rv64,pmp=false,mmu=false,mvendorid=0x489,marchid=7,mimpid=0", RV64 },
    { "rv64,short-isa-string=true", "rv64imafdc" },
    { "rv64,priv_spec=v1.12.0", RV64 },
    { "rv64,priv_spec=v1.11.0", "rv64imafdc_zicsr_zifencei_zihintntl_zihintpause" },
    { "rv64,f=false,d=false,g=true", RV64 },
    { "rv64,vlen=128,elen=64,i=true,e=false,s=on,u=on,resetvec=0x1000,pmu-num=0", RV64 },
    { "rv64,,zba=false", "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zbb_zbc_zbs_sstc" },
    { "rv64,zbkb=true,zkt=true",
      "rv64imafdc_zicond_zicsr_zifencei_zihintntl_zihintpause_zba_zbb_zbc_zbkb_zbs_zkt_sstc" },
    { "rv64,zcb=true,zimop=on,Zihintntl=false",
      "rv64imafdc_zicond_zicsr_zifencei_zihintpause_zimop_zcb_zba_zbb_zbc_zbs_sstc" },
    /* Zcb and Zcmop are 16-bit encodings: they go with C */
    { "max,c=false", "rv64imafd_" MAX_ZI "_za64rs_zacas_zawrs_zfa_zfh_zfhmin"
                     "_zba_zbb_zbc_zbkb_zbkc_zbkx_zbs_zkt" MAX_S SV },
    { "max,priv_spec=v1.11.0",
      "rv64imafdc_zicbom_zicbop_zicboz_zicsr_zifencei_zihintntl_zihintpause_zacas_zawrs" },
    { "max,zbc=false,zbkc=false,zbkx=false,zkt=false,zcmop=false",
      "rv64imafdc_" MAX_ZI "_za64rs_zacas_zawrs_zfa_zfh_zfhmin_zcb_zba_zbb_zbkb_zbs" MAX_S SV },
};

static const struct { const char *spec, *why; } bad[] = {
    { "rv64,v=true", "V (vector)" },
    { "rv64,h=on", "H (hypervisor)" },
    { "rv64,Zfh=true,f=false,d=false", "Zfh/Zfhmin extensions require F extension" },
    { "rv64,Zfhmin=true,f=false,d=false", "Zfh/Zfhmin extensions require F extension" },
    { "rv64,zfa=true,f=false,d=false", "Zfa extension requires F extension" },
    { "rv64,zk=true", "Zk" },
    { "rv64,zbkb=maybe", "Parameter 'zbkb' expects 'on' or 'off'" },
    { "rv64,zba=maybe", "Parameter 'zba' expects 'on' or 'off'" },
    { "rv64,zba=1", "expects 'on' or 'off'" },
    { "rv64,zba", "Expected key=value format, found zba" },
    { "rv64,Zba=false", "Property 'Zba' not found" },
    { "rv64,bogus=true", "Property 'bogus' not found" },
    { "rv64,f=false", "D extension requires F extension" },
    { "rv64,Zicsr=false", "F extension requires Zicsr" },
    { "rv64,i=false", "Either I or E extension must be set" },
    { "rv64,e=true", "I and E extensions are incompatible" },
    { "rv64,u=false", "without U extension" },
    { "rv64,s=false", "S-mode" },
    { "rv64,priv_spec=1.12", "Unsupported privilege spec version '1.12'" },
    { "rv64,marchid=xyz", "expects uint64" },
    { "rv64,mvendorid=0x100000000", "expects uint32" },
    { "rv64,pmu-num=30", "at most 29" },
    { "max,zicntr=false", "Property 'zicntr' not found" },
    { "rv64,pmu-num=256", "Parameter 'pmu-num' expects uint8" },
    { "rv64,resetvec=0", "resetvec" },
    { "sifive-u54", "'sifive-u54' is QEMU's but not modelled" },
    { "x-rv128", "not modelled" },
    { "cortex-a53", "unable to find CPU model 'cortex-a53'" },
    { "rv64x", "unable to find CPU model 'rv64x'" },
    { "", "unable to find CPU model ''" },
};

START_TEST(good_lines)
{
    struct cpu_model m;
    char err[256] = "", isa[1024];
    ck_assert_msg(cpu_model_parse(good[_i].spec, &m, err, sizeof err, NULL) == 0, "%s: %s",
                  good[_i].spec, err);
    cpu_model_isa_string(&m, isa, sizeof isa);
    ck_assert_str_eq(isa, good[_i].isa);
}
END_TEST

START_TEST(bad_lines)
{
    struct cpu_model m;
    char err[256] = "";
    ck_assert_msg(cpu_model_parse(bad[_i].spec, &m, err, sizeof err, NULL) == -1,
                  "%s accepted", bad[_i].spec);
    ck_assert_msg(strstr(err, bad[_i].why), "%s: '%s' lacks '%s'", bad[_i].spec, err,
                  bad[_i].why);
}
END_TEST

START_TEST(properties)
{
    struct cpu_model m;
    char err[256];
    ck_assert_int_eq(cpu_model_parse("rv64", &m, err, sizeof err, NULL), 0);
    ck_assert(!m.no_mmu && !m.no_pmp && m.mvendorid == 0);
    ck_assert(!(m.isa_off & ISA_BIT(ISA_ZBC)) && (m.isa_off & ISA_BIT(ISA_ZBKB)));
    ck_assert_int_eq(cpu_model_parse("max", &m, err, sizeof err, NULL), 0);
    ck_assert_uint_eq(m.isa_off, 0);
    ck_assert_int_eq(cpu_model_parse("rv64,mmu=off,pmp=false,mvendorid=0x489,marchid=0x8000000000000007,"
                                     "mimpid=3", &m, err, sizeof err, NULL), 0);
    ck_assert(m.no_mmu && m.no_pmp);
    ck_assert_uint_eq(m.mvendorid, 0x489);
    ck_assert_uint_eq(m.marchid, 0x8000000000000007ull);
    ck_assert_uint_eq(m.mimpid, 3);
}
END_TEST

/* -cpu through the option table: help lists the models and exits 0; an
 * error names the option and the value. */
START_TEST(option_row)
{
    struct options opt;
    char err[256] = "", out[256] = "";
    FILE *f = fmemopen(out, sizeof out - 1, "w");
    char *help[] = { "hartvm", "-cpu", "help", NULL };
    ck_assert_int_eq(options_parse(3, help, &opt, f, err, sizeof err), PARSE_EXIT_OK);
    fclose(f);
    ck_assert_str_eq(out, "any\nmax\nrv64\n");
    char *v[] = { "hartvm", "-cpu", "rv64,v=true", NULL };
    ck_assert_int_eq(options_parse(3, v, &opt, stdout, err, sizeof err), PARSE_ERROR);
    ck_assert_msg(strstr(err, "-cpu rv64,v=true") && strstr(err, "V (vector)"), "%s", err);
    char *z[] = { "hartvm", "-cpu", "rv64,zba=false", NULL };
    ck_assert_int_eq(options_parse(3, z, &opt, stdout, err, sizeof err), PARSE_OK);
    struct cpu_model rv64;
    cpu_model_default(&rv64);
    ck_assert_uint_eq(opt.cpu.isa_off, rv64.isa_off | ISA_BIT(ISA_ZBA));
    /* --mmu caps an MMU that mmu=false says is not there */
    char *mm[] = { "hartvm", "-cpu", "rv64,mmu=false", "--mmu", "sv39", NULL };
    ck_assert_int_eq(options_parse(5, mm, &opt, stdout, err, sizeof err), PARSE_ERROR);
    ck_assert_msg(strstr(err, "--mmu") && strstr(err, "mmu=false"), "%s", err);
    char *m39[] = { "hartvm", "-cpu", "rv64,mmu=true", "--mmu", "sv39", NULL };
    ck_assert_int_eq(options_parse(5, m39, &opt, stdout, err, sizeof err), PARSE_OK);
    ck_assert_int_eq(opt.mmu_max, SATP_SV39);
    ck_assert(!opt.cpu.no_mmu);
}
END_TEST

/* A machine as hartvm builds it from a -cpu line. */
static struct machine *new_machine(const char *cpu)
{
    static const uint32_t loop = 0x0000006f;    /* j . */
    char path[] = "/tmp/hartvm-cpu-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, &loop, sizeof loop), (ssize_t)sizeof loop);
    close(fd);
    char *argv[] = { "hartvm", "-bios", "none", "-kernel", path, "-m", "16M", "-cpu",
                     (char *)cpu, NULL };
    struct options opt;
    char err[256];
    ck_assert_msg(options_parse(9, argv, &opt, stdout, err, sizeof err) == PARSE_OK, "%s", err);
    struct machine *m = calloc(1, sizeof *m);
    int r = machine_init(m, &opt, err, sizeof err);
    unlink(path);
    ck_assert_msg(r == 0, "machine_init: %s", err);
    m->opt.kernel = NULL;
    return m;
}

static void free_machine(struct machine *m)
{
    machine_free(m);
    free(m);
}

/* The op bits decodes to on this machine's harts. */
static unsigned op_of(const struct machine *m, uint32_t bits)
{
    struct dinsn d;
    insn_decode(bits, &d);
    isa_gate(&d, m->core.isa_off);
    return d.op;
}

static bool readable(struct hart *h, unsigned csr)
{
    uint64_t v;
    return csr_read_raw(h, csr, &v);
}

enum { SH1ADD = 0x20c5a533, ANDN = 0x40b57533, MUL = 0x02b50533, ADD = 0x00b50533,
       C_ADD = 0x95b2, FADD_S = 0x003100d3, FADD_D = 0x023100d3, CZERO = 0x0ec5d533,
       FENCE_I = 0x0000100f, CSRRS = 0x30002573 /* csrr a0, mstatus */ };

START_TEST(full_hart)
{
    struct machine *m = new_machine("rv64");
    struct hart *h = &m->harts[0];
    uint32_t words[] = { SH1ADD, ANDN, MUL, ADD, C_ADD, FADD_S, FADD_D, CZERO, FENCE_I, CSRRS };
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
        ck_assert_msg(op_of(m, words[i]) != OP__ILLEGAL, "0x%08x illegal", words[i]);
    uint64_t misa;
    ck_assert(csr_read_raw(h, 0x301, &misa));
    ck_assert_uint_eq(misa & 0x3ffffff, 0x14112d);      /* A C D F I M S U */
    ck_assert(readable(h, 0x14d) && readable(h, 0x3a0));
    uint64_t epc;                                       /* with C, mepc[1] stays */
    ck_assert(csr_write_raw(h, 0x341, 0x80000006));
    ck_assert(csr_read_raw(h, 0x341, &epc));
    ck_assert_uint_eq(epc, 0x80000006);
    free_machine(m);
}
END_TEST

START_TEST(taken_away)
{
    struct machine *m = new_machine("rv64,zba=false,zbb=false,m=false,c=false,f=false,d=false,"
                                    "zicond=false,Zifencei=false,sstc=false,pmp=false,mmu=false,"
                                    "mvendorid=0x489");
    struct hart *h = &m->harts[0];
    uint32_t gone[] = { SH1ADD, ANDN, MUL, C_ADD, FADD_S, FADD_D, CZERO, FENCE_I };
    for (unsigned i = 0; i < sizeof gone / sizeof gone[0]; i++)
        ck_assert_msg(op_of(m, gone[i]) == OP__ILLEGAL, "0x%08x still decodes", gone[i]);
    ck_assert_uint_ne(op_of(m, ADD), OP__ILLEGAL);
    ck_assert_uint_ne(op_of(m, CSRRS), OP__ILLEGAL);
    uint64_t v;
    ck_assert(csr_read_raw(h, 0x301, &v));
    ck_assert_uint_eq(v & 0x3ffffff, 0x140101);         /* A I S U */
    ck_assert_uint_eq(v >> 62, 2);                      /* MXL: 64 */
    ck_assert(!readable(h, 0x14d));                     /* stimecmp: Sstc */
    ck_assert(!readable(h, 0x3a0) && !readable(h, 0x3b0) && !readable(h, 0x3ef));  /* PMP */
    ck_assert(!readable(h, 0x003));                     /* fcsr */
    ck_assert(csr_write_raw(h, 0x300, 3ull << 13));     /* mstatus.FS: read-only 0 */
    ck_assert(csr_read_raw(h, 0x300, &v));
    ck_assert_uint_eq(v & (3ull << 13), 0);
    ck_assert(csr_write_raw(h, 0x30a, 1ull << 63));     /* menvcfg.STCE: read-only 0 */
    ck_assert(csr_read_raw(h, 0x30a, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(csr_write_raw(h, 0x180, 8ull << 60 | 0x80000));   /* satp Sv39: Bare only */
    ck_assert(csr_read_raw(h, 0x180, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(csr_read_raw(h, 0xf11, &v));
    ck_assert_uint_eq(v, 0x489);
    /* Without C, IALIGN = 32: mepc[1] reads as 0, and mret goes there
     * (privileged spec 3.1.14) */
    ck_assert(csr_write_raw(h, 0x341, 0x80000006));
    ck_assert(csr_read_raw(h, 0x341, &v));
    ck_assert_uint_eq(v, 0x80000004);
    ck_assert(csr_write_raw(h, 0x141, 0x8000000a));
    ck_assert(csr_read_raw(h, 0x141, &v));
    ck_assert_uint_eq(v, 0x80000008);
    hart_mret(h);
    ck_assert_uint_eq(h->pc, 0x80000004);
    /* No PMP: S and U reach memory though no entry grants it (spec 3.7.1). */
    ck_assert(pmp_check(h, 0x80000000, 4, ACC_LOAD, PRV_S));
    free_machine(m);
}
END_TEST

/* An op that two extensions share is there while either is; a Zcb
 * encoding needs Zcb, C and its expansion's extension; HINTs stay. */
enum { CLMUL = 0x0ac59533, CLMULR = 0x0ac5a533, PACK = 0x08c5c533, MOP_R0 = 0x81c5c573,
       C_LBU = 0x833c, C_MUL = 0x9dcd, C_MOP1 = 0x6081, NTL_P1 = 0x00200033, C_NTL_ALL = 0x9016,
       /* fadd.h f1,f2,f3; fcvt.s.h f1,f2; fcvt.d.h f1,f2; fli.{s,d,h} f1,1.0 (entry 16) */
       FADD_H = 0x043100d3, FCVT_S_H = 0x402100d3, FCVT_D_H = 0x422100d3, FLI_S = 0xf01800d3,
       FLI_D = 0xf21800d3, FLI_H = 0xf41800d3 };

static const struct { const char *cpu; uint32_t bits; bool legal; } shared[] = {
        { "rv64,zbb=false,zbkb=true", ANDN, true }, { "rv64,zbb=false", ANDN, false },
        { "rv64,zbkb=true", PACK, true }, { "rv64", PACK, false },
        { "rv64,zbc=false,zbkc=true", CLMUL, true }, { "rv64,zbc=false,zbkc=true", CLMULR, false },
        { "rv64", CLMULR, true }, { "rv64", MOP_R0, false }, { "max", MOP_R0, true },
        { "max", C_LBU, true }, { "rv64", C_LBU, false }, { "max", C_MUL, true },
        { "max,m=false", C_MUL, false }, { "max", C_MOP1, true }, { "max,zcmop=false", C_MOP1, false },
        { "rv64,zihintntl=false", NTL_P1, true }, { "rv64,zihintntl=false", C_NTL_ALL, true },
        /* Zfh implies Zfhmin; fcvt.d.h needs D too; Zfa's d forms need D, its h forms Zfh */
        { "rv64", FADD_H, false }, { "rv64", FCVT_S_H, false }, { "rv64", FLI_S, false },
        { "rv64,Zfhmin=true", FCVT_S_H, true }, { "rv64,Zfhmin=true", FCVT_D_H, true },
        { "rv64,Zfhmin=true", FADD_H, false }, { "rv64,Zfhmin=true,d=false", FCVT_S_H, true },
        { "rv64,Zfhmin=true,d=false", FCVT_D_H, false }, { "rv64,Zfh=true", FADD_H, true },
        { "rv64,Zfh=true", FCVT_S_H, true }, { "rv64,zfa=true", FLI_S, true },
        { "rv64,zfa=true", FLI_D, true }, { "rv64,zfa=true", FLI_H, false },
        { "rv64,zfa=true,Zfh=true", FLI_H, true }, { "rv64,zfa=true,Zfhmin=true", FLI_H, false },
        { "rv64,zfa=true,d=false", FLI_D, false }, { "rv64,zfa=true,d=false", FLI_S, true },
        { "max", FLI_H, true }, { "max", FADD_H, true }, { "max,zfa=false", FLI_S, false },
};

START_TEST(shared_ops)
{
    struct machine *m = new_machine(shared[_i].cpu);
    ck_assert_msg((op_of(m, shared[_i].bits) != OP__ILLEGAL) == shared[_i].legal, "%s: 0x%x %s",
                  shared[_i].cpu, shared[_i].bits, shared[_i].legal ? "illegal" : "legal");
    free_machine(m);
}
END_TEST

/* With PMP, S with no matching entry is refused: the check above can fail. */
START_TEST(pmp_present)
{
    struct machine *m = new_machine("rv64");
    ck_assert(!pmp_check(&m->harts[0], 0x80000000, 4, ACC_LOAD, PRV_S));
    free_machine(m);
}
END_TEST

static Suite *cpu_model_suite(void)
{
    Suite *s = suite_create("cpu_model");
    TCase *t = tcase_create("cpu_model");
    tcase_add_loop_test(t, good_lines, 0, sizeof good / sizeof good[0]);
    tcase_add_loop_test(t, shared_ops, 0, sizeof shared / sizeof shared[0]);
    tcase_add_loop_test(t, bad_lines, 0, sizeof bad / sizeof bad[0]);
    tcase_add_test(t, properties);
    tcase_add_test(t, option_row);
    tcase_add_test(t, full_hart);
    tcase_add_test(t, taken_away);
    tcase_add_test(t, pmp_present);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(cpu_model_suite)

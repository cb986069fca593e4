/*
 * -cpu (cpu_model.h). Property names are QEMU 7.2's for its rv64 CPU
 * (qemu-system-riscv64 -device rv64-riscv-cpu,help), spelling included:
 * 7.2 writes Zicsr, Zifencei and Zihintpause with a capital, zba in lower
 * case. The lower-case forms later QEMU versions use, and the extensions
 * 7.2 lacks under the names later versions give them (zicond, zcb, zcmop,
 * zimop, zihintntl, zfa), are accepted too. A property of an extension hartvm
 * does not implement may be turned off (it already is) but not on.
 *
 * rv64 (and any) has what QEMU's rv64 has on by default: of 7.2's
 * extensions those 7.2 turns on (zbc, not zbkb, zbkc, zbkx, zkt, Zfh,
 * Zfhmin), of the later ones those later versions turn on (zihintntl, not
 * zcb, zcmop, zimop; not zfa either, which 7.2 lacks: hartvm's rv64 is
 * 7.2's). max has everything hartvm implements.
 */
#include "cpu_model.h"
#include "../cpu/isa.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Models QEMU 7.2 offers on virt. hartvm models rv64 (QEMU's default) and
 * any; max is the name later QEMU versions give to "everything the
 * emulator implements". */
static const char *const models[] = { "any", "max", "rv64" };
static const char *const qemu_only_models[] = { "shakti-c", "sifive-e51", "sifive-u54", "x-rv128" };

enum prop_kind {
    P_EXT,          /* an extension hartvm has: .ext */
    P_LACKING,      /* an extension hartvm lacks: only =false */
    P_BOOL_NOOP,    /* a V knob: meaningful only with V, which is absent */
    P_NUM_NOOP,     /* likewise, a number (vlen=, elen=) */
    P_I, P_E, P_G, P_S, P_U, P_MMU, P_PMP, P_SHORT_ISA, P_PRIV_SPEC,
    P_MVENDORID, P_MARCHID, P_MIMPID, P_PMU_NUM, P_RESETVEC,
};

static const struct prop {
    const char *name;
    enum prop_kind kind;
    int ext;
    const char *what;   /* P_LACKING: the extension's name in messages */
} props[] = {
    { "m", P_EXT, ISA_M, NULL }, { "a", P_EXT, ISA_A, NULL }, { "f", P_EXT, ISA_F, NULL },
    { "d", P_EXT, ISA_D, NULL }, { "c", P_EXT, ISA_C, NULL },
    { "Zicsr", P_EXT, ISA_ZICSR, NULL }, { "zicsr", P_EXT, ISA_ZICSR, NULL },
    { "Zifencei", P_EXT, ISA_ZIFENCEI, NULL }, { "zifencei", P_EXT, ISA_ZIFENCEI, NULL },
    { "Zihintpause", P_EXT, ISA_ZIHINTPAUSE, NULL },
    { "zihintpause", P_EXT, ISA_ZIHINTPAUSE, NULL },
    { "zba", P_EXT, ISA_ZBA, NULL }, { "zbb", P_EXT, ISA_ZBB, NULL },
    { "zbs", P_EXT, ISA_ZBS, NULL }, { "zicond", P_EXT, ISA_ZICOND, NULL },
    { "sstc", P_EXT, ISA_SSTC, NULL },
    { "zbc", P_EXT, ISA_ZBC, NULL }, { "zbkb", P_EXT, ISA_ZBKB, NULL },
    { "zbkc", P_EXT, ISA_ZBKC, NULL }, { "zbkx", P_EXT, ISA_ZBKX, NULL },
    { "zkt", P_EXT, ISA_ZKT, NULL }, { "zcb", P_EXT, ISA_ZCB, NULL },
    { "zcmop", P_EXT, ISA_ZCMOP, NULL }, { "zimop", P_EXT, ISA_ZIMOP, NULL },
    { "zihintntl", P_EXT, ISA_ZIHINTNTL, NULL }, { "Zihintntl", P_EXT, ISA_ZIHINTNTL, NULL },
    { "zicbom", P_EXT, ISA_ZICBOM, NULL }, { "zicboz", P_EXT, ISA_ZICBOZ, NULL },
    { "zicbop", P_EXT, ISA_ZICBOP, NULL }, { "zacas", P_EXT, ISA_ZACAS, NULL },
    { "zawrs", P_EXT, ISA_ZAWRS, NULL }, { "smstateen", P_EXT, ISA_SMSTATEEN, NULL },
    { "i", P_I, 0, NULL }, { "e", P_E, 0, NULL }, { "g", P_G, 0, NULL },
    { "s", P_S, 0, NULL }, { "u", P_U, 0, NULL },
    { "mmu", P_MMU, 0, NULL }, { "pmp", P_PMP, 0, NULL },
    { "short-isa-string", P_SHORT_ISA, 0, NULL }, { "priv_spec", P_PRIV_SPEC, 0, NULL },
    { "mvendorid", P_MVENDORID, 0, NULL }, { "marchid", P_MARCHID, 0, NULL },
    { "mimpid", P_MIMPID, 0, NULL }, { "pmu-num", P_PMU_NUM, 0, NULL },
    { "resetvec", P_RESETVEC, 0, NULL },
    { "h", P_LACKING, 0, "H (hypervisor)" }, { "v", P_LACKING, 0, "V (vector)" },
    { "debug", P_EXT, ISA_SDTRIG, NULL },     /* Sdtrig: not in riscv,isa, as QEMU 7.2 */
    { "Zfh", P_EXT, ISA_ZFH, NULL }, { "zfh", P_EXT, ISA_ZFH, NULL },
    { "Zfhmin", P_EXT, ISA_ZFHMIN, NULL }, { "zfhmin", P_EXT, ISA_ZFHMIN, NULL },
    { "zfa", P_EXT, ISA_ZFA, NULL }, { "Zve32f", P_LACKING, 0, "Zve32f" },
    { "Zve64f", P_LACKING, 0, "Zve64f" },
    { "zk", P_LACKING, 0, "Zk" }, { "zkn", P_LACKING, 0, "Zkn" },
    { "zknd", P_LACKING, 0, "Zknd" }, { "zkne", P_LACKING, 0, "Zkne" },
    { "zknh", P_LACKING, 0, "Zknh" }, { "zkr", P_LACKING, 0, "Zkr" },
    { "zks", P_LACKING, 0, "Zks" }, { "zksed", P_LACKING, 0, "Zksed" },
    { "zksh", P_LACKING, 0, "Zksh" },
    { "zdinx", P_LACKING, 0, "Zdinx" }, { "zfinx", P_LACKING, 0, "Zfinx" },
    { "zhinx", P_LACKING, 0, "Zhinx" }, { "zhinxmin", P_LACKING, 0, "Zhinxmin" },
    { "zmmul", P_LACKING, 0, "Zmmul" }, { "svinval", P_EXT, ISA_SVINVAL, NULL },
    { "svnapot", P_EXT, ISA_SVNAPOT, NULL }, { "svpbmt", P_EXT, ISA_SVPBMT, NULL },
    { "sscofpmf", P_EXT, ISA_SSCOFPMF, NULL }, { "smcntrpmf", P_EXT, ISA_SMCNTRPMF, NULL },
    { "svadu", P_EXT, ISA_SVADU, NULL }, { "x-epmp", P_LACKING, 0, "ePMP (Smepmp)" },
    { "x-j", P_LACKING, 0, "J" }, { "x-smaia", P_LACKING, 0, "Smaia" },
    { "x-ssaia", P_LACKING, 0, "Ssaia" },
    { "xventanacondops", P_LACKING, 0, "XVentanaCondOps" },
    { "rvv_ma_all_1s", P_BOOL_NOOP, 0, NULL }, { "rvv_ta_all_1s", P_BOOL_NOOP, 0, NULL },
    { "vlen", P_NUM_NOOP, 0, NULL }, { "elen", P_NUM_NOOP, 0, NULL },
};

/* Extensions ratified after privileged spec 1.11, which QEMU turns off for
 * an older priv_spec (with a warning each). */
static const struct { int ext; const char *name; } after_1_11[] = {
    { ISA_ZFA, "zfa" }, { ISA_ZFH, "zfh" }, { ISA_ZFHMIN, "zfhmin" }, { ISA_ZBA, "zba" }, { ISA_ZBB, "zbb" }, { ISA_ZBS, "zbs" }, { ISA_ZICOND, "zicond" },
    { ISA_SSTC, "sstc" }, { ISA_ZBC, "zbc" }, { ISA_ZBKB, "zbkb" }, { ISA_ZBKC, "zbkc" },
    { ISA_ZBKX, "zbkx" }, { ISA_ZKT, "zkt" }, { ISA_ZCB, "zcb" }, { ISA_ZCMOP, "zcmop" },
    { ISA_ZIMOP, "zimop" }, { ISA_SVINVAL, "svinval" }, { ISA_SVNAPOT, "svnapot" },
    { ISA_SVPBMT, "svpbmt" }, { ISA_SMSTATEEN, "smstateen" }, { ISA_SSCOFPMF, "sscofpmf" },
    { ISA_SMCNTRPMF, "smcntrpmf" }, { ISA_SVADU, "svadu" },
};

/* Properties the harts always have, which QEMU 7.2's rv64 does not name
 * in riscv,isa: named for max only (cpu/isa.c says why each holds). No
 * -cpu property takes them away: later QEMU's zicntr=false would remove
 * the counters, which hartvm's harts always have. */
static const isa_set names_only = ISA_BIT(ISA_ZICNTR) | ISA_BIT(ISA_ZIHPM) | ISA_BIT(ISA_ZIC64B) |
    ISA_BIT(ISA_ZICCAMOA) | ISA_BIT(ISA_ZICCIF) | ISA_BIT(ISA_ZICCLSM) | ISA_BIT(ISA_ZICCRSE) |
    ISA_BIT(ISA_ZA64RS) | ISA_BIT(ISA_SSCCPTR) | ISA_BIT(ISA_SSCOUNTERENW) | ISA_BIT(ISA_SSTVALA) |
    ISA_BIT(ISA_SSTVECD) | ISA_BIT(ISA_SSU64XL);

/* What QEMU's rv64 (and any) leave off by default and max turns on (see
 * the top of this file). */
static const isa_set off_but_in_max = ISA_BIT(ISA_SVINVAL) | ISA_BIT(ISA_SVNAPOT) |
    ISA_BIT(ISA_SVPBMT) | ISA_BIT(ISA_ZICBOM) | ISA_BIT(ISA_ZICBOP) | ISA_BIT(ISA_ZICBOZ) |
    ISA_BIT(ISA_ZACAS) | ISA_BIT(ISA_ZAWRS) | ISA_BIT(ISA_ZBKB) | ISA_BIT(ISA_ZBKC) |
    ISA_BIT(ISA_ZBKX) | ISA_BIT(ISA_ZKT) | ISA_BIT(ISA_ZCB) | ISA_BIT(ISA_ZCMOP) | ISA_BIT(ISA_ZIMOP) |
    ISA_BIT(ISA_SMSTATEEN) | ISA_BIT(ISA_SSCOFPMF) | ISA_BIT(ISA_SMCNTRPMF) | ISA_BIT(ISA_SVADU) |
    ISA_BIT(ISA_ZFH) | ISA_BIT(ISA_ZFHMIN) | ISA_BIT(ISA_ZFA) | names_only;

void cpu_model_default(struct cpu_model *m)
{
    memset(m, 0, sizeof *m);
    m->priv_spec = 112;
    m->pmu_num = 16;            /* QEMU 7.2's default */
    m->isa_off = off_but_in_max;
}

static int parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes")) *out = true;
    else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no")) *out = false;
    else return -1;
    return 0;
}

static int parse_u64(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 0);
    if (errno || end == v || *end || *v == '-' || n > max)
        return -1;
    *out = n;
    return 0;
}

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

static int apply(const struct prop *p, const char *val, struct cpu_model *m, bool *g,
                 char *err, size_t errlen)
{
    bool b = false;
    uint64_t n;
    bool is_bool = p->kind <= P_BOOL_NOOP || (p->kind >= P_I && p->kind <= P_SHORT_ISA);
    if (is_bool && parse_bool(val, &b))
        return ERR("Parameter '%s' expects 'on' or 'off'", p->name);
    switch (p->kind) {
    case P_EXT:
        m->isa_off = b ? m->isa_off & ~ISA_BIT(p->ext) : m->isa_off | ISA_BIT(p->ext);
        return 0;
    case P_LACKING:
        return b ? ERR("hartvm does not implement the %s extension (%s=true)", p->what, p->name)
                 : 0;
    case P_BOOL_NOOP:
        return 0;
    case P_NUM_NOOP:
        return parse_u64(val, 0xffff, &n) ? ERR("Parameter '%s' expects uint16", p->name) : 0;
    case P_I:
        return b ? 0 : ERR("Either I or E extension must be set");
    case P_E:
        return b ? ERR("I and E extensions are incompatible") : 0;
    case P_G:
        *g = b;
        return 0;
    case P_S:
        return b ? 0 : ERR("hartvm's harts always have S-mode (s=false is not modelled)");
    case P_U:
        return b ? 0 : ERR("Setting S extension without U extension is illegal");
    case P_MMU:
        m->no_mmu = !b;
        return 0;
    case P_PMP:
        m->no_pmp = !b;
        return 0;
    case P_SHORT_ISA:
        m->short_isa = b;
        return 0;
    case P_PRIV_SPEC:
        if (!strcmp(val, "v1.12.0")) m->priv_spec = 112;
        else if (!strcmp(val, "v1.11.0")) m->priv_spec = 111;
        else if (!strcmp(val, "v1.10.0")) m->priv_spec = 110;
        else return ERR("Unsupported privilege spec version '%s'", val);
        return 0;
    case P_MVENDORID:
        return parse_u64(val, UINT32_MAX, &m->mvendorid)
               ? ERR("Parameter 'mvendorid' expects uint32") : 0;
    case P_MARCHID:
        return parse_u64(val, UINT64_MAX, &m->marchid) ? ERR("Parameter 'marchid' expects uint64")
                                                       : 0;
    case P_MIMPID:
        return parse_u64(val, UINT64_MAX, &m->mimpid) ? ERR("Parameter 'mimpid' expects uint64")
                                                      : 0;
    case P_PMU_NUM:
        if (parse_u64(val, 0xff, &n))
            return ERR("Parameter 'pmu-num' expects uint8");
        if (n > 29)             /* mhpmcounter3..31 */
            return ERR("pmu-num=%u: at most 29 programmable counters (mhpmcounter3..31)",
                       (unsigned)n);
        m->pmu_num = (unsigned)n;
        return 0;
    case P_RESETVEC:
        if (parse_u64(val, UINT64_MAX, &n))
            return ERR("Parameter 'resetvec' expects uint64");
        return n == 0x1000 ? 0 : ERR("the reset vector is the boot ROM at 0x1000 (resetvec=4096 only)");
    }
    return ERR("internal: property '%s'", p->name);
}

static int find_model(const char *name, size_t len, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strlen(models[i]) == len && !strncmp(models[i], name, len))
            return 0;
    for (size_t i = 0; i < sizeof qemu_only_models / sizeof qemu_only_models[0]; i++)
        if (strlen(qemu_only_models[i]) == len && !strncmp(qemu_only_models[i], name, len))
            return ERR("CPU model '%.*s' is QEMU's but not modelled by hartvm (any, max, rv64;"
                       " see -cpu help)", (int)len, name);
    return ERR("unable to find CPU model '%.*s' (see -cpu help)", (int)len, name);
}

int cpu_model_parse(const char *spec, struct cpu_model *m, char *err, size_t errlen, FILE *warn)
{
    cpu_model_default(m);
    size_t len = strcspn(spec, ",");
    if (find_model(spec, len, err, errlen))
        return -1;
    if (len == 3 && !strncmp(spec, "max", 3))
        m->isa_off &= ~off_but_in_max;
    bool g = false;
    for (const char *s = spec + len; *s == ','; ) {
        s++;
        size_t n = strcspn(s, ",");
        char item[128];
        if (n == 0)
            continue;
        if (n >= sizeof item)
            return ERR("property too long: %.40s...", s);
        memcpy(item, s, n);
        item[n] = 0;
        s += n;
        char *eq = strchr(item, '=');
        if (!eq)
            return ERR("Expected key=value format, found %s.", item);
        *eq = 0;
        const struct prop *p = NULL;
        for (size_t i = 0; i < sizeof props / sizeof props[0] && !p; i++)
            if (!strcmp(props[i].name, item))
                p = &props[i];
        if (!p)
            return ERR("Property '%s' not found (see -cpu help)", item);
        if (apply(p, eq + 1, m, &g, err, errlen))
            return -1;
    }
    if (g)                      /* G = IMAFD_Zicsr_Zifencei (unprivileged spec, ch. "RV32/64G") */
        m->isa_off &= ~(ISA_BIT(ISA_M) | ISA_BIT(ISA_A) | ISA_BIT(ISA_F) | ISA_BIT(ISA_D) |
                        ISA_BIT(ISA_ZICSR) | ISA_BIT(ISA_ZIFENCEI));
    /* The dependencies QEMU 7.2 checks, in its words: D needs F's registers
     * and F needs the fcsr (unprivileged spec, chapters "F" and "D"). */
    if ((m->isa_off & ISA_BIT(ISA_F)) && !(m->isa_off & ISA_BIT(ISA_D)))
        return ERR("D extension requires F extension");
    if ((m->isa_off & ISA_BIT(ISA_ZICSR)) && !(m->isa_off & ISA_BIT(ISA_F)))
        return ERR("F extension requires Zicsr");
    if ((m->isa_off & ISA_BIT(ISA_A)) && !(m->isa_off & ISA_BIT(ISA_ZACAS)))
        return ERR("Zacas extension requires A extension");
    const isa_set zfh_any = ISA_BIT(ISA_ZFH) | ISA_BIT(ISA_ZFHMIN);
    if ((m->isa_off & ISA_BIT(ISA_F)) && (~m->isa_off & zfh_any))
        return ERR("Zfh/Zfhmin extensions require F extension");
    if ((m->isa_off & ISA_BIT(ISA_F)) && !(m->isa_off & ISA_BIT(ISA_ZFA)))
        return ERR("Zfa extension requires F extension");
    /* Zcb and Zcmop are 16-bit encodings: nothing without C */
    if (m->isa_off & ISA_BIT(ISA_C))
        m->isa_off |= ISA_BIT(ISA_ZCB) | ISA_BIT(ISA_ZCMOP);
    if (!m->pmu_num)            /* no hpm counters: no Zihpm to name */
        m->isa_off |= ISA_BIT(ISA_ZIHPM);
    if (m->priv_spec < 112)     /* profile-era names: silently not named */
        m->isa_off |= names_only;
    if (m->priv_spec < 112)
        for (size_t i = 0; i < sizeof after_1_11 / sizeof after_1_11[0]; i++)
            if (!(m->isa_off & ISA_BIT(after_1_11[i].ext))) {
                m->isa_off |= ISA_BIT(after_1_11[i].ext);
                if (warn)
                    fprintf(warn, "hartvm: warning: disabling %s extension because privilege"
                                  " spec version does not match\n", after_1_11[i].name);
            }
    /* Zfh implies Zfhmin ("Zfh" chapter); QEMU 7.2 leaves zfhmin out of
     * riscv,isa then, later versions list it, as the devicetree does here */
    if (!(m->isa_off & ISA_BIT(ISA_ZFH)))
        m->isa_off &= ~ISA_BIT(ISA_ZFHMIN);
    return 0;
}

void cpu_model_help(FILE *out)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        fprintf(out, "%s\n", models[i]);
}

void cpu_model_isa_string(const struct cpu_model *m, char *buf, size_t len)
{
    /* The devicetree binding (riscv/cpus.yaml, riscv,isa) takes the ISA
     * manual's naming: single letters in canonical order, then multi-letter
     * extensions, each after an underscore (cpu/isa.c keeps the order). */
    size_t n = (size_t)snprintf(buf, len, "rv64");
    for (unsigned i = 0; i < isa_names_len && n < len; i++) {
        const char *name = isa_names[i].name;
        int e = isa_names[i].ext;
        if ((e >= 0 && (m->isa_off & ISA_BIT(e))) || (name[1] && m->short_isa))
            continue;
        n += (size_t)snprintf(buf + n, len - n, "%s%s", name[1] ? "_" : "", name);
    }
}

int cpu_model_extensions(const struct cpu_model *m, char *buf, size_t len)
{
    size_t n = 0;
    for (unsigned i = 0; i < isa_names_len; i++) {
        int e = isa_names[i].ext;
        size_t l = strlen(isa_names[i].name) + 1;
        if (e >= 0 && (m->isa_off & ISA_BIT(e)))
            continue;
        if (n + l > len)
            return -1;
        memcpy(buf + n, isa_names[i].name, l);
        n += l;
    }
    return (int)n;
}

/*
 * disasm-check: compares insn_disasm() with riscv64-unknown-elf-objdump -d.
 *
 *   disasm-check < DUMP     DUMP is objdump -d output, each file's part
 *                           preceded by a line "@file NAME" (tests/disasm/run.sh)
 *   disasm-check gen SEED   print an assembly file of ".insn" lines covering
 *                           every 16-bit encoding, random encodings of every
 *                           32-bit table entry and every CSR number
 *
 * Each objdump instruction line "ADDR:\tBITS\tTEXT" is decoded with
 * insn_decode() from BITS and printed with insn_disasm() at ADDR; TEXT,
 * without objdump's " <symbol+off>" suffix and "# comment", must equal ours.
 * Lines that objdump shows as data (.byte/.2byte/.4byte/.8byte/.word,
 * hex dumps, a truncated last word) are not instructions: they are counted
 * apart, and one where we decode a valid instruction is a mismatch unless
 * its mnemonic belongs to an extension objdump 2.40 does not know.
 *
 *   disasm-check llvm < DUMP  DUMP is llvm-objdump -d output (LLVM 19 knows
 *                           Zfa, which binutils 2.40 does not): every line
 *                           we decode as a Zfa instruction must read the
 *                           same, once LLVM's ", " is "," and fli's operand
 *                           is compared as a number (LLVM writes 1.0 where
 *                           objdump 2.41 writes 0x1p+0)
 *
 * Output: each mismatch (file, address, bits, objdump, ours), per-file
 * counts, then "disasm: P passed, F failed" and the skipped-line counts.
 */
#include "../../cpu/insn.h"
#include "../../cpu/isa.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Extensions we decode that binutils 2.40 has no encodings for. */
#define UNKNOWN_TO_OBJDUMP (ISA_BIT(ISA_ZICOND) | ISA_BIT(ISA_ZIMOP) | ISA_BIT(ISA_ZCB) | ISA_BIT(ISA_ZFA) | \
                            ISA_BIT(ISA_ZCMOP) | ISA_BIT(ISA_ZACAS) | ISA_BIT(ISA_ZAWRS))

/* Encodings the specs reserve, which we therefore do not decode, but which
 * objdump 2.40 shows as an instruction. */
static const struct { uint32_t bits; const char *why; } reserved[] = {
    { 0x6101, "c.addi16sp with nzimm=0 is reserved (RVC spec, C.ADDI16SP)" },
};

struct counts {
    long pass, fail;
    long data_agree;      /* objdump: data; ours: not an instruction either */
    long data_printed;    /* objdump: data; ours: decodes it but prints the same data */
    long reserved;        /* ours: reserved encoding; objdump: an instruction */
    long data_newer;      /* objdump: data; ours: an extension it lacks */
    long hints;           /* ours: a Zihintntl name; objdump: the add it is */
    long data_mapped;     /* objdump: data by mapping symbol; ours: an instruction */
    int mapped;           /* the file has $d mapping symbols (run.sh: @mapped) */
    int zfh;              /* the file's arch attribute has Zfh or Zfhmin (@arch) */
    long dump, truncated; /* hex dumps of data, words cut at a section end */
    int quiet;            /* do not print mismatches (the self-test's) */
};

/* Remove objdump's symbolic suffix " <...>" and comment " # ..." and
 * trailing blanks from an instruction's text, in place. */
static void strip_objdump_text(char *s)
{
    char *p = strstr(s, " #");
    if (p)
        *p = 0;
    p = strstr(s, " <");
    if (p && strchr(p, '>'))
        *p = 0;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
}

/* The comparison itself: kept apart so the self-test can exercise it. */
static int same_text(const char *objdump, const char *ours)
{
    return strcmp(objdump, ours) == 0;
}

/* objdump decodes what the ELF's Tag_RISCV_arch names (rv64gc without
 * one): Zfh and Zfhmin only in a file built for them (run.sh: @arch). */
static int known_to_objdump(const struct dinsn *d, int file_zfh)
{
    isa_set e = d->cop ? isa_cop_exts(d->cop - 1u) : isa_op_exts(d->op);
    isa_set zfh = ISA_BIT(ISA_ZFH) | ISA_BIT(ISA_ZFHMIN);
    return !(e & UNKNOWN_TO_OBJDUMP) && (file_zfh || !(e & zfh));
}

/* Zihintntl's hints, which objdump 2.40 prints as the add they are. */
static int ntl_renamed(const char *objdump, const char *ours)
{
    return !strncmp(ours, "ntl.", 4) &&
           (!strncmp(objdump, "add\tzero,zero,", 14) || !strncmp(objdump, "c.add\tzero,", 11));
}

static int is_hex_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_reserved(uint32_t bits)
{
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (reserved[i].bits == bits)
            return 1;
    return 0;
}

/* One objdump line "  ADDR:\tBITS   \tTEXT". Returns 0 if it is not an
 * instruction/data line at all (headers, blank lines). */
static int check_line(char *line, const char *file, int priv_spec, struct counts *c)
{
    char *colon = strchr(line, ':');
    if (!colon || colon[1] != '\t')
        return 0;
    char *s = line;
    while (*s == ' ')
        s++;
    if (s == colon || !is_hex_word(s, colon - s))
        return 0;
    unsigned long long addr = strtoull(s, NULL, 16);
    char *bytes = colon + 2;
    char *tab = strchr(bytes, '\t');
    char *text = tab ? tab + 1 : bytes + strlen(bytes);
    if (tab)
        *tab = 0;
    size_t nb = strcspn(bytes, " \n");
    /* trailing blanks pad the bit field; anything else after it is a hex dump */
    for (char *p = bytes + nb; *p; p++)
        if (!isspace((unsigned char)*p)) {
            c->dump++;
            return 1;
        }
    text[strcspn(text, "\n")] = 0;
    strip_objdump_text(text);
    if ((nb != 4 && nb != 8) || !is_hex_word(bytes, nb) || !*text) {
        c->truncated++;
        return 1;
    }
    uint32_t bits = (uint32_t)strtoul(bytes, NULL, 16);
    struct dinsn d;
    char ours[128];
    int len = insn_decode(bits, &d);
    if (text[0] == '.' && len != (int)nb / 2) { /* a data word, not a whole instruction */
        c->data_agree++;
        return 1;
    }
    if (len != (int)nb / 2) {
        printf("MISMATCH %s %llx: %0*x length: objdump %d bytes, ours %d\n",
               file, addr, (int)nb, bits, (int)nb / 2, d.len);
        c->fail++;
        return 1;
    }
    insn_disasm_spec(&d, addr, priv_spec, ours, sizeof ours);
    if (text[0] == '.') {                       /* objdump: not an instruction */
        if (d.op >= OP__DECODE)
            c->data_agree++;
        else if (same_text(text, ours))
            c->data_printed++;
        else if (!known_to_objdump(&d, c->zfh))
            c->data_newer++;
        else if (c->mapped)
            c->data_mapped++;
        else {
            if (!c->quiet)
                printf("MISMATCH %s %llx: %0*x objdump \"%s\" ours \"%s\"\n",
                       file, addr, (int)nb, bits, text, ours);
            c->fail++;
        }
        return 1;
    }
    if (same_text(text, ours)) {
        c->pass++;
    } else if (ntl_renamed(text, ours)) {
        c->hints++;
    } else if (d.op >= OP__DECODE && is_reserved(bits)) {
        c->reserved++;
    } else {
        if (!c->quiet)
            printf("MISMATCH %s %llx: %0*x objdump \"%s\" ours \"%s\"\n",
                   file, addr, (int)nb, bits, text, ours);
        c->fail++;
    }
    return 1;
}

/* Proves the checker can fail: the same objdump line, once right and once
 * with a deliberately wrong operand, must give one pass and one failure. */
static int self_test(void)
{
    char right[] = "    80001000:\t00a50533          \tadd\ta0,a0,a0";
    char wrong[] = "    80001000:\t00a50533          \tadd\ta0,a0,a1";
    struct counts c = { .quiet = 1 };
    check_line(right, "self-test (right)", 112, &c);
    int ok = c.pass == 1 && c.fail == 0;
    check_line(wrong, "self-test (deliberately wrong)", 112, &c);
    ok = ok && c.pass == 1 && c.fail == 1;
    printf("self-test: a deliberately wrong expectation is %s\n", ok ? "detected" : "NOT DETECTED");
    return ok;
}

static int check_dump(FILE *in)
{
    char line[4096], file[256] = "?";
    int priv_spec = 112;        /* objdump's default without an ELF attribute */
    struct counts total = {0}, cur = {0};
    int nfiles = 0;
    for (;;) {
        int eof = !fgets(line, sizeof line, in);
        if (eof || !strncmp(line, "@file ", 6)) {
            if (nfiles && cur.pass + cur.fail == 0) {
                printf("%s: no instructions to compare (missing file or objdump failed)\n", file);
                cur.fail++;
            }
            if (nfiles)
                printf("file %s: %ld match, %ld differ, %ld data, %ld instructions objdump lacks, "
                       "%ld reserved\n", file, cur.pass, cur.fail,
                       cur.data_agree + cur.data_printed + cur.data_mapped + cur.dump + cur.truncated,
                       cur.data_newer, cur.reserved);
            total.pass += cur.pass; total.fail += cur.fail;
            total.data_agree += cur.data_agree; total.data_newer += cur.data_newer;
            total.data_printed += cur.data_printed; total.reserved += cur.reserved;
            total.data_mapped += cur.data_mapped;
            total.hints += cur.hints;
            total.dump += cur.dump; total.truncated += cur.truncated;
            memset(&cur, 0, sizeof cur);
            if (eof)
                break;
            line[strcspn(line, "\n")] = 0;
            snprintf(file, sizeof file, "%.200s", line + 6);
            priv_spec = 112;
            nfiles++;
            continue;
        }
        if (!strncmp(line, "@priv ", 6)) {     /* from Tag_RISCV_priv_spec */
            priv_spec = atoi(line + 6);
            continue;
        }
        if (!strncmp(line, "@mapped", 7)) {
            cur.mapped = 1;
            continue;
        }
        if (!strncmp(line, "@arch ", 6)) {      /* from Tag_RISCV_arch */
            cur.zfh = strstr(line, "_zfh") != NULL;
            continue;
        }
        check_line(line, file, priv_spec, &cur);
    }
    if (!self_test())
        total.fail++;
    if (total.pass == 0) {                       /* no objdump output: a failure */
        printf("no instructions compared\n");
        total.fail++;
    }
    printf("disasm: %ld passed, %ld failed\n", total.pass, total.fail);
    printf("skipped: %ld objdump .byte/.2byte/.4byte/.word lines that are not instructions for us either\n",
           total.data_agree);
    printf("skipped: %ld lines objdump shows as data that we decode (reserved fields set) "
           "and print as the same data\n", total.data_printed);
    printf("skipped: %ld words our test sources put among instructions as data ($d mapping "
           "symbols), that we would decode\n", total.data_mapped);
    printf("skipped: %ld hex-dump lines of data in code sections\n", total.dump);
    printf("skipped: %ld words cut short at a section end\n", total.truncated);
    printf("skipped: %ld instructions of extensions objdump 2.40 lacks (shown by it as data)\n",
           total.data_newer);
    printf("skipped: %ld Zihintntl hints objdump 2.40 prints as add (we print ntl.*)\n", total.hints);
    printf("skipped: %ld reserved encodings that objdump 2.40 shows as instructions:\n", total.reserved);
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        printf("  0x%04x: %s\n", reserved[i].bits, reserved[i].why);
    return total.fail ? 1 : 0;
}

/* ---- coverage generator ----------------------------------------------- */

/* xorshift64*: a fixed seed gives the same file on every run. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12; *s ^= *s << 25; *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Random 32-bit word, with register and immediate fields often zero or
 * small so that aliases (rd=zero, rs=zero, imm=0, imm=1, imm=-1) turn up. */
static uint32_t rnd_word(uint64_t *s)
{
    uint32_t w = (uint32_t)rnd(s);
    static const struct { int lo, width; } field[] = { {7, 5}, {15, 5}, {20, 5}, {27, 5}, {20, 12}, {12, 3} };
    for (size_t i = 0; i < sizeof field / sizeof *field; i++) {
        uint32_t m = ((1u << field[i].width) - 1) << field[i].lo;
        switch (rnd(s) % 6) {
        case 0: w &= ~m; break;
        case 1: w = (w & ~m) | (1u << field[i].lo); break;
        case 2: w |= m; break;
        case 3: w = (w & ~m) | ((rnd(s) % 3) << field[i].lo & m); break;
        }
    }
    return w;
}

static void gen(uint64_t seed)
{
    uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
    struct dinsn d;
    printf("# generated by disasm-check gen %llu\n\t.text\n\t.option rvc\n", (unsigned long long)seed);
    for (uint32_t b = 0; b < 0x10000; b++)      /* every 16-bit encoding */
        if ((b & 3) != 3)
            printf("\t.insn 0x%04x\n", b);
    for (int i = 0; i < insn_table_len; i++) {
        int n = 0;
        for (int tries = 0; n < 400 && tries < 20000; tries++) {
            uint32_t w = (rnd_word(&s) & ~insn_table[i].mask) | insn_table[i].match;
            insn_decode(w, &d);
            if (d.op == i) {
                printf("\t.insn 0x%08x\n", w);
                n++;
            }
        }
    }
    for (uint32_t csr = 0; csr < 4096; csr++) { /* every CSR number, read and write */
        printf("\t.insn 0x%08x\n", csr << 20 | 10 << 7 | 2 << 12 | 0x73);   /* csrrs a0,csr,zero */
        printf("\t.insn 0x%08x\n", csr << 20 | 11 << 15 | 1 << 12 | 0x73);  /* csrrw zero,csr,a1 */
        printf("\t.insn 0x%08x\n", csr << 20 | 10 << 7 | 11 << 15 | 3 << 12 | 0x73); /* csrrc a0,csr,a1 */
    }
}

/* ---- Zfa against llvm-objdump ---------------------------------------- */

/* LLVM's operand list "a, b" as objdump's "a,b", in place. */
static void squeeze_commas(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(*r == ' ' && r > s && r[-1] == ','))
            *w++ = *r;
    *w = 0;
}

/* Equal texts, or equal but for fli's last operand written as another
 * spelling of the same number. */
static int same_zfa_text(const char *llvm, const char *ours, const struct dinsn *d)
{
    if (!strcmp(llvm, ours))
        return 1;
    if (insn_table[d->op].fmt != F_FLI)
        return 0;
    const char *lc = strrchr(llvm, ','), *oc = strrchr(ours, ',');
    if (!lc || !oc || lc - llvm != oc - ours || strncmp(llvm, ours, lc - llvm))
        return 0;
    char *le, *oe;
    double lv = strtod(lc + 1, &le), ov = strtod(oc + 1, &oe);
    return le != lc + 1 && oe != oc + 1 && !*le && !*oe && lv == ov;
}

static int check_llvm(FILE *in)
{
    char line[4096];
    long pass = 0, fail = 0, invalid_rm = 0;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = 0;
        char *colon = strchr(line, ':');
        if (!colon || colon[1] != ' ')
            continue;
        char *end;
        unsigned long long addr = strtoull(line, &end, 16);
        if (end != colon)
            continue;
        uint32_t bits = (uint32_t)strtoul(colon + 2, &end, 16);
        if (end != colon + 10 || *end != ' ')
            continue;
        char *text = strchr(end, '\t');
        if (!text)
            continue;
        text++;
        struct dinsn d;
        insn_decode(bits, &d);
        if (d.op >= OP__DECODE || !(isa_op_exts(d.op) & ISA_BIT(ISA_ZFA)))
            continue;
        char ours[128];
        insn_disasm(&d, addr, ours, sizeof ours);
        squeeze_commas(text);
        if (same_zfa_text(text, ours, &d)) {
            pass++;
        } else if (!strcmp(text, "<unknown>") && strstr(ours, ",unknown")) {
            invalid_rm++;       /* rm 5 or 6: reserved, an illegal instruction */
        } else {
            printf("MISMATCH zfa %llx: %08x llvm-objdump \"%s\" ours \"%s\"\n", addr, bits, text, ours);
            fail++;
        }
    }
    /* the comparison must be able to fail: fli.s fa0,1.0 against a wrong value */
    struct dinsn d;
    insn_decode(0xf0180553, &d);
    int self_ok = same_zfa_text("fli.s\tfa0,1.0", "fli.s\tfa0,0x1p+0", &d) &&
                  !same_zfa_text("fli.s\tfa0,1.25", "fli.s\tfa0,0x1p+0", &d);
    printf("zfa self-test: a deliberately wrong fli value is %s\n", self_ok ? "detected" : "NOT DETECTED");
    if (!self_ok || pass == 0)
        fail++;
    printf("zfa: %ld match llvm-objdump, %ld differ; %ld with a reserved rm, "
           "which both show as such\n", pass, fail, invalid_rm);
    return fail ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "llvm"))
        return check_llvm(stdin);
    if (argc >= 2 && !strcmp(argv[1], "gen")) {
        gen(argc >= 3 ? strtoull(argv[2], NULL, 0) : 1);
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s < objdump-output | %s llvm < llvm-objdump-output | %s gen [SEED]\n",
                argv[0], argv[0], argv[0]);
        return 2;
    }
    return check_dump(stdin);
}

/*
 * ELF and raw-image loading (machine/loader.c). Good files land at their
 * physical addresses with .bss zeroed; every kind of corrupt or foreign
 * file is a clear error, never a crash or a write outside guest RAM.
 *
 * The test ELF is built here, field by field:
 *
 *   0x000  Elf64_Ehdr
 *   0x040  Elf64_Phdr[2]   PT_LOAD text, PT_LOAD data (+ .bss)
 *   0x0b0  Elf64_Shdr[3]   null, .symtab, .strtab
 *   0x170  Elf64_Sym[3]    null, tohost, fromhost
 *   0x1b8  strtab          "\0tohost\0fromhost\0"
 *   0x200  text bytes (TEXT_LEN)
 *   0x300  data bytes (DATA_LEN), memsz DATA_MEM
 */
#include "unit.h"
#include "../../machine/loader.h"
#include "../../mmu/bus.h"
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (256u << 10)
#define FILL     0xa5           /* RAM contents before a load */

#define OFF_PH   0x40
#define OFF_SH   0xb0
#define OFF_SYM  0x170
#define OFF_STR  0x1b8
#define OFF_TEXT 0x200
#define OFF_DATA 0x300
#define ELF_LEN  0x340
#define TEXT_LEN 0x40
#define DATA_LEN 0x40
#define DATA_MEM 0x1000
#define TEXT_PA  (RAM_BASE + 0x1000)
#define DATA_PA  (RAM_BASE + 0x4000)
#define TOHOST   (RAM_BASE + 0x8000)

struct fixture {
    struct bus bus;
    uint8_t *ram;
    struct loaded_image img;
    char err[256];
};

static void setup(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->ram = malloc(RAM_SIZE);
    ck_assert_ptr_nonnull(f->ram);
    memset(f->ram, FILL, RAM_SIZE);
    ck_assert_int_eq(bus_add_memory(&f->bus, "ram", RAM_BASE, RAM_SIZE, f->ram, false), 0);
}

static void teardown(struct fixture *f)
{
    bus_free(&f->bus);
    free(f->ram);
}

static uint8_t text_byte(int k) { return (uint8_t)(0x11 * k + 3); }
static uint8_t data_byte(int k) { return (uint8_t)(0x5a ^ (7 * k)); }

/* A well-formed RV64 executable with two segments and HTIF symbols. */
static void make_elf(uint8_t *buf)
{
    memset(buf, 0, ELF_LEN);
    Elf64_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_entry = TEXT_PA + 8;
    eh.e_phoff = OFF_PH;
    eh.e_shoff = OFF_SH;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = 2;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 3;
    memcpy(buf, &eh, sizeof eh);

    Elf64_Phdr ph[2] = {
        { .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = OFF_TEXT, .p_vaddr = TEXT_PA,
          .p_paddr = TEXT_PA, .p_filesz = TEXT_LEN, .p_memsz = TEXT_LEN, .p_align = 0x1000 },
        { .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = OFF_DATA, .p_vaddr = DATA_PA,
          .p_paddr = DATA_PA, .p_filesz = DATA_LEN, .p_memsz = DATA_MEM, .p_align = 0x1000 },
    };
    memcpy(buf + OFF_PH, ph, sizeof ph);

    static const char strtab[] = "\0tohost\0fromhost";
    Elf64_Shdr sh[3] = {
        { 0 },
        { .sh_type = SHT_SYMTAB, .sh_offset = OFF_SYM, .sh_size = 3 * sizeof(Elf64_Sym),
          .sh_link = 2, .sh_entsize = sizeof(Elf64_Sym) },
        { .sh_type = SHT_STRTAB, .sh_offset = OFF_STR, .sh_size = sizeof strtab },
    };
    memcpy(buf + OFF_SH, sh, sizeof sh);
    Elf64_Sym sym[3] = {
        { 0 },
        { .st_name = 1, .st_value = TOHOST, .st_size = 8 },
        { .st_name = 8, .st_value = TOHOST + 0x40, .st_size = 8 },
    };
    memcpy(buf + OFF_SYM, sym, sizeof sym);
    memcpy(buf + OFF_STR, strtab, sizeof strtab);
    for (int k = 0; k < TEXT_LEN; k++)
        buf[OFF_TEXT + k] = text_byte(k);
    for (int k = 0; k < DATA_LEN; k++)
        buf[OFF_DATA + k] = data_byte(k);
}

/* Field access to the buffer without aliasing headaches. */
static Elf64_Ehdr get_eh(const uint8_t *b) { Elf64_Ehdr e; memcpy(&e, b, sizeof e); return e; }
static void put_eh(uint8_t *b, const Elf64_Ehdr *e) { memcpy(b, e, sizeof *e); }
static Elf64_Phdr get_ph(const uint8_t *b, int i)
{
    Elf64_Phdr p;
    memcpy(&p, b + OFF_PH + i * sizeof p, sizeof p);
    return p;
}
static void put_ph(uint8_t *b, int i, const Elf64_Phdr *p) { memcpy(b + OFF_PH + i * sizeof *p, p, sizeof *p); }

START_TEST(good_elf)
{
    struct fixture f;
    uint8_t buf[ELF_LEN];
    setup(&f);
    make_elf(buf);
    int r = load_elf_buffer(&f.bus, buf, sizeof buf, &f.img, f.err, sizeof f.err);
    ck_assert_msg(r == 0, "load failed: %s", f.err);
    ck_assert(f.img.is_elf);
    ck_assert_uint_eq(f.img.entry, TEXT_PA + 8);
    ck_assert_uint_eq(f.img.low, TEXT_PA);
    ck_assert_uint_eq(f.img.high, DATA_PA + DATA_MEM);
    ck_assert_uint_eq(f.img.tohost, TOHOST);
    ck_assert_uint_eq(f.img.fromhost, TOHOST + 0x40);
    const uint8_t *t = f.ram + (TEXT_PA - RAM_BASE), *d = f.ram + (DATA_PA - RAM_BASE);
    for (int k = 0; k < TEXT_LEN; k++)
        ck_assert_msg(t[k] == text_byte(k), "text byte %d", k);
    for (int k = 0; k < DATA_LEN; k++)
        ck_assert_msg(d[k] == data_byte(k), "data byte %d", k);
    for (int k = DATA_LEN; k < DATA_MEM; k++)
        ck_assert_msg(d[k] == 0, "bss byte %d not zeroed", k);
    /* Nothing but the two segments was written. */
    for (uint64_t a = 0; a < RAM_SIZE; a++) {
        uint64_t pa = RAM_BASE + a;
        bool in = (pa >= TEXT_PA && pa < TEXT_PA + TEXT_LEN) || (pa >= DATA_PA && pa < DATA_PA + DATA_MEM);
        if (!in)
            ck_assert_msg(f.ram[a] == FILL, "byte at 0x%llx written", (unsigned long long)pa);
    }
    teardown(&f);
}
END_TEST

/* A load that must fail; the message must contain want. */
static void expect_error(uint8_t *buf, size_t len, const char *want, int caseno)
{
    struct fixture f;
    setup(&f);
    f.err[0] = 0;
    int r = load_elf_buffer(&f.bus, buf, len, &f.img, f.err, sizeof f.err);
    ck_assert_msg(r == -1, "case %d: corrupt ELF loaded", caseno);
    ck_assert_msg(f.err[0], "case %d: no message", caseno);
    ck_assert_msg(strstr(f.err, want), "case %d: message '%s' lacks '%s'", caseno, f.err, want);
    teardown(&f);
}

START_TEST(truncated_header)
{
    uint8_t buf[ELF_LEN];
    make_elf(buf);
    /* Every length shorter than the ELF header, from a heap copy of exactly
     * that size so that ASan catches a read past it. */
    for (size_t len = 0; len < sizeof(Elf64_Ehdr); len++) {
        uint8_t *p = malloc(len ? len : 1);
        memcpy(p, buf, len);
        expect_error(p, len, "ELF", (int)len);
        free(p);
    }
}
END_TEST

enum mut {
    M_CLASS32, M_BIG_ENDIAN, M_X86, M_REL, M_PHENTSIZE, M_PHOFF_PAST, M_PHOFF_WRAP, M_PHNUM_HUGE,
    M_PH_TRUNC, M_SEG_OFF_PAST, M_SEG_OFF_WRAP, M_SEG_SIZE_PAST, M_FILESZ_GT_MEMSZ,
    M_SEG_BELOW_RAM, M_SEG_PAST_RAM_END, M_SEG_WRAP, M_MEMSZ_HUGE, M_NO_LOAD, M_NO_MAGIC,
    M_COUNT
};

/* Apply a corruption; returns the length to load and the expected text. */
static size_t mutate(uint8_t *b, enum mut m, const char **want)
{
    Elf64_Ehdr eh = get_eh(b);
    Elf64_Phdr p1 = get_ph(b, 1);
    size_t len = ELF_LEN;
    switch (m) {
    case M_CLASS32:     eh.e_ident[EI_CLASS] = ELFCLASS32; *want = "64-bit"; break;
    case M_BIG_ENDIAN:  eh.e_ident[EI_DATA] = ELFDATA2MSB; *want = "little-endian"; break;
    case M_X86:         eh.e_machine = EM_X86_64; *want = "RISC-V"; break;
    case M_REL:         eh.e_type = ET_REL; *want = "executable"; break;
    case M_PHENTSIZE:   eh.e_phentsize = 32; *want = "program header"; break;
    case M_PHOFF_PAST:  eh.e_phoff = ELF_LEN - 8; *want = "program header"; break;
    case M_PHOFF_WRAP:  eh.e_phoff = ~0ull - 8; *want = "program header"; break;
    case M_PHNUM_HUGE:  eh.e_phnum = 0xffff; *want = "program header"; break;
    case M_PH_TRUNC:    len = OFF_PH + sizeof(Elf64_Phdr) + 10; *want = "program header"; break;
    case M_SEG_OFF_PAST: p1.p_offset = ELF_LEN + 1; *want = "segment 1"; break;
    case M_SEG_OFF_WRAP: p1.p_offset = ~0ull - 4; *want = "segment 1"; break;
    case M_SEG_SIZE_PAST: p1.p_filesz = ELF_LEN; *want = "segment 1"; break;
    case M_FILESZ_GT_MEMSZ: p1.p_memsz = p1.p_filesz - 1; *want = "segment 1"; break;
    case M_SEG_BELOW_RAM: p1.p_paddr = RAM_BASE - 0x10; *want = "segment 1"; break;
    case M_SEG_PAST_RAM_END: p1.p_paddr = RAM_BASE + RAM_SIZE - 0x100; *want = "segment 1"; break;
    case M_SEG_WRAP:    p1.p_paddr = ~0ull - 0xfff; *want = "segment 1"; break;
    case M_MEMSZ_HUGE:  p1.p_memsz = 1ull << 62; *want = "segment 1"; break;
    case M_NO_LOAD:
        for (int i = 0; i < 2; i++) {
            Elf64_Phdr p = get_ph(b, i);
            p.p_type = PT_NOTE;
            put_ph(b, i, &p);
        }
        p1 = get_ph(b, 1);
        *want = "no loadable segment";
        break;
    case M_NO_MAGIC:    eh.e_ident[1] = 'X'; *want = "not an ELF"; break;
    case M_COUNT:       break;
    }
    put_eh(b, &eh);
    put_ph(b, 1, &p1);
    return len;
}

START_TEST(corrupt)
{
    uint8_t buf[ELF_LEN];
    const char *want = "";
    make_elf(buf);
    size_t len = mutate(buf, (enum mut)_i, &want);
    uint8_t *p = malloc(len);           /* exact size: ASan sees over-reads */
    memcpy(p, buf, len);
    expect_error(p, len, want, _i);
    free(p);
}
END_TEST

/* Misaligned header tables are legal to describe and must not be read
 * with misaligned pointer accesses (UBSan build) or past the buffer. */
START_TEST(misaligned_tables)
{
    struct fixture f;
    uint8_t buf[ELF_LEN + 16];
    make_elf(buf);
    /* Move the program headers up by 3 bytes and the symbol table by 1. */
    memmove(buf + OFF_PH + 3, buf + OFF_PH, 2 * sizeof(Elf64_Phdr));
    Elf64_Ehdr eh = get_eh(buf);
    eh.e_phoff = OFF_PH + 3;
    eh.e_shnum = 0;                      /* section table overwritten: ignore it */
    put_eh(buf, &eh);
    setup(&f);
    int r = load_elf_buffer(&f.bus, buf, ELF_LEN, &f.img, f.err, sizeof f.err);
    ck_assert_msg(r == 0, "misaligned phdrs: %s", f.err);
    ck_assert_uint_eq(f.img.entry, TEXT_PA + 8);
    ck_assert_uint_eq(f.ram[TEXT_PA - RAM_BASE + 5], text_byte(5));
    teardown(&f);
}
END_TEST

/* Broken symbol tables lose the HTIF symbols but never the load. */
START_TEST(bad_symbols)
{
    for (int c = 0; c < 6; c++) {
        struct fixture f;
        uint8_t buf[ELF_LEN];
        make_elf(buf);
        Elf64_Ehdr eh = get_eh(buf);
        Elf64_Shdr sh[3];
        memcpy(sh, buf + OFF_SH, sizeof sh);
        switch (c) {
        case 0: sh[1].sh_link = 7; break;                       /* strtab index past the table */
        case 1: sh[1].sh_offset = ELF_LEN; break;               /* symbols past the file */
        case 2: sh[2].sh_size = ~0ull; break;                   /* strtab larger than the file */
        case 3: eh.e_shnum = 0xffff; break;                     /* section table past the file */
        case 4: sh[2].sh_size = 4; break;                       /* names run off the strtab */
        case 5: eh.e_shoff = ~0ull - 0x20; break;               /* offset wraps */
        }
        memcpy(buf + OFF_SH, sh, sizeof sh);
        put_eh(buf, &eh);
        setup(&f);
        int r = load_elf_buffer(&f.bus, buf, sizeof buf, &f.img, f.err, sizeof f.err);
        ck_assert_msg(r == 0, "case %d: %s", c, f.err);
        ck_assert_msg(f.img.tohost == 0 || f.img.tohost == TOHOST, "case %d: tohost 0x%llx", c,
                      (unsigned long long)f.img.tohost);
        if (c == 4)
            ck_assert_msg(f.img.tohost == 0, "case %d: unterminated name matched", c);
        teardown(&f);
    }
}
END_TEST

/* A zero-sized PT_LOAD is skipped, not an error. */
START_TEST(empty_segment)
{
    struct fixture f;
    uint8_t buf[ELF_LEN];
    make_elf(buf);
    Elf64_Phdr p = get_ph(buf, 0);
    p.p_memsz = p.p_filesz = 0;
    p.p_paddr = 0x1234;                 /* would be outside RAM */
    put_ph(buf, 0, &p);
    setup(&f);
    ck_assert_msg(load_elf_buffer(&f.bus, buf, sizeof buf, &f.img, f.err, sizeof f.err) == 0,
                  "%s", f.err);
    ck_assert_uint_eq(f.img.low, DATA_PA);
    teardown(&f);
}
END_TEST

/* Random corruption of headers: an error with a message, or a load that
 * stayed inside RAM. Never a crash (run under SANITIZE=1 too). */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    return *s;
}

START_TEST(fuzz_headers)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    struct fixture f;
    setup(&f);                          /* one RAM for all: loads may overwrite it */
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t buf[ELF_LEN];
        make_elf(buf);
        int flips = 1 + rng_next(&seed) % 8;
        for (int k = 0; k < flips; k++) {
            /* Mostly inside the headers, where the interesting fields are. */
            unsigned at = rng_next(&seed) % (OFF_STR + 24);
            buf[at] = (uint8_t)rng_next(&seed);
        }
        size_t len = rng_next(&seed) % 4 ? ELF_LEN : rng_next(&seed) % ELF_LEN;
        uint8_t *p = malloc(len ? len : 1);
        memcpy(p, buf, len);
        f.err[0] = 0;
        int r = load_elf_buffer(&f.bus, p, len, &f.img, f.err, sizeof f.err);
        if (r)
            ck_assert_msg(f.err[0], "iteration %d: error without a message", iter);
        else
            ck_assert_msg(f.img.low >= RAM_BASE && f.img.high <= RAM_BASE + RAM_SIZE &&
                          f.img.low < f.img.high, "iteration %d: loaded [0x%llx, 0x%llx)", iter,
                          (unsigned long long)f.img.low, (unsigned long long)f.img.high);
        free(p);
    }
    teardown(&f);
}
END_TEST

/* Files through load_image: raw images, ELFs, and file errors. */
static char *temp_file(const void *data, size_t len)
{
    char *path = strdup("/tmp/hartvm-loader-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

START_TEST(raw_image)
{
    struct fixture f;
    uint8_t raw[300];
    for (unsigned k = 0; k < sizeof raw; k++)
        raw[k] = (uint8_t)(k * 13 + 1);
    raw[0] = 0x13;                       /* not ELF magic */
    char *path = temp_file(raw, sizeof raw);
    setup(&f);
    uint64_t at = RAM_BASE + 0x2000;
    int r = load_image(&f.bus, path, at, &f.img, f.err, sizeof f.err);
    ck_assert_msg(r == 0, "%s", f.err);
    ck_assert(!f.img.is_elf);
    ck_assert_uint_eq(f.img.entry, at);
    ck_assert_uint_eq(f.img.low, at);
    ck_assert_uint_eq(f.img.high, at + sizeof raw);
    ck_assert_mem_eq(f.ram + 0x2000, raw, sizeof raw);
    ck_assert_uint_eq(f.ram[0x2000 + sizeof raw], FILL);
    /* The same file too close to the end of RAM. */
    r = load_image(&f.bus, path, RAM_BASE + RAM_SIZE - 100, &f.img, f.err, sizeof f.err);
    ck_assert_int_eq(r, -1);
    ck_assert_msg(strstr(f.err, path) && strstr(f.err, "guest memory"), "message: %s", f.err);
    teardown(&f);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(file_errors)
{
    struct fixture f;
    setup(&f);
    char *empty = temp_file("", 0);
    ck_assert_int_eq(load_image(&f.bus, empty, RAM_BASE, &f.img, f.err, sizeof f.err), -1);
    ck_assert_msg(strstr(f.err, empty) && strstr(f.err, "empty"), "empty: %s", f.err);
    unlink(empty);
    free(empty);

    ck_assert_int_eq(load_image(&f.bus, "/nonexistent/k.elf", RAM_BASE, &f.img, f.err, sizeof f.err), -1);
    ck_assert_msg(strstr(f.err, "/nonexistent/k.elf"), "missing: %s", f.err);

    ck_assert_int_eq(load_image(&f.bus, "/tmp", RAM_BASE, &f.img, f.err, sizeof f.err), -1);
    ck_assert_msg(strstr(f.err, "/tmp") && strstr(f.err, "regular"), "directory: %s", f.err);

    /* A corrupt ELF file: the message names the file and the problem. */
    uint8_t buf[ELF_LEN];
    make_elf(buf);
    buf[EI_CLASS] = ELFCLASS32;
    char *bad = temp_file(buf, sizeof buf);
    ck_assert_int_eq(load_image(&f.bus, bad, RAM_BASE, &f.img, f.err, sizeof f.err), -1);
    ck_assert_msg(strstr(f.err, bad) && strstr(f.err, "64-bit"), "corrupt: %s", f.err);
    unlink(bad);
    free(bad);

    /* A good ELF file loads through the same path. */
    make_elf(buf);
    char *good = temp_file(buf, sizeof buf);
    ck_assert_msg(load_image(&f.bus, good, RAM_BASE, &f.img, f.err, sizeof f.err) == 0, "%s", f.err);
    ck_assert(f.img.is_elf);
    ck_assert_uint_eq(f.img.entry, TEXT_PA + 8);
    unlink(good);
    free(good);
    teardown(&f);
}
END_TEST

static Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *t = tcase_create("loader");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, good_elf);
    tcase_add_test(t, truncated_header);
    tcase_add_loop_test(t, corrupt, 0, M_COUNT);
    tcase_add_test(t, misaligned_tables);
    tcase_add_test(t, bad_symbols);
    tcase_add_test(t, empty_segment);
    tcase_add_test(t, fuzz_headers);
    tcase_add_test(t, raw_image);
    tcase_add_test(t, file_errors);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(loader_suite)

/*
 * ELF symbols for the debugger: names of functions and data, from
 * .symtab, or from .dynsym when the file was stripped (Debian's OpenSBI
 * keeps only the latter). Kept sorted by address for address -> name.
 *
 * Only ELF64 little-endian files are read (what riscv64 toolchains emit).
 * Section symbols, file symbols, undefined symbols, local labels (.L*) and
 * the mapping symbols $x/$d are left out: they name nothing a person asks for.
 */
#include "dbg.h"
#include "../machine/loader.h"
#include <elf.h>
#include <stdlib.h>
#include <string.h>

static int add(struct symtab *t, uint64_t addr, uint64_t size, const char *name)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct symbol *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    t->v[t->n++] = (struct symbol){ addr, size, copy };
    return 0;
}

static int by_addr(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* at one address prefer the sized symbol (a function over a label) */
    return (x->size < y->size) - (x->size > y->size);
}

static bool wanted(const Elf64_Sym *s, const char *name)
{
    int type = ELF64_ST_TYPE(s->st_info);
    if (s->st_shndx == SHN_UNDEF || !name[0] || name[0] == '$' || !strncmp(name, ".L", 2))
        return false;
    return type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE;
}

/* The symbols of one symbol-table section (and its string table). */
static int read_table(struct symtab *t, const uint8_t *buf, size_t len, const Elf64_Shdr *sh,
                      const Elf64_Shdr *str, uint64_t offset)
{
    if (sh->sh_offset > len || sh->sh_size > len - sh->sh_offset || str->sh_offset > len ||
        str->sh_size > len - str->sh_offset || sh->sh_entsize != sizeof(Elf64_Sym))
        return -1;
    const char *strs = (const char *)buf + str->sh_offset;
    int count = 0;
    for (uint64_t i = 0; i < sh->sh_size / sizeof(Elf64_Sym); i++) {
        Elf64_Sym s;
        memcpy(&s, buf + sh->sh_offset + i * sizeof s, sizeof s);
        if (s.st_name >= str->sh_size || !memchr(strs + s.st_name, 0, str->sh_size - s.st_name))
            continue;
        const char *name = strs + s.st_name;
        if (!wanted(&s, name))
            continue;
        if (add(t, s.st_value + offset, s.st_size, name))
            return -1;
        count++;
    }
    return count;
}

int sym_load(struct symtab *t, const char *path, uint64_t offset, char *err, size_t errlen)
{
    size_t len;
    uint8_t *buf = load_file(path, &len, (size_t)1 << 30, err, errlen);
    if (!buf)
        return -1;
    Elf64_Ehdr eh;
    int count = -1;
    if (len < sizeof eh || memcmp(buf, ELFMAG, SELFMAG)) {
        snprintf(err, errlen, "%s: not an ELF file", path);
        goto out;
    }
    memcpy(&eh, buf, sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > len ||
        (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > len - eh.e_shoff) {
        snprintf(err, errlen, "%s: not a 64-bit little-endian ELF with sections", path);
        goto out;
    }
    Elf64_Shdr *sh = malloc((eh.e_shnum ? eh.e_shnum : 1) * sizeof *sh);
    if (!sh) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    memcpy(sh, buf + eh.e_shoff, eh.e_shnum * sizeof *sh);
    /* .symtab if present, else .dynsym */
    int pick = -1;
    for (int pass = 0; pass < 2 && pick < 0; pass++)
        for (int i = 0; i < eh.e_shnum; i++)
            if (sh[i].sh_type == (pass ? SHT_DYNSYM : SHT_SYMTAB) && sh[i].sh_link < eh.e_shnum) {
                pick = i;
                break;
            }
    if (pick < 0) {
        snprintf(err, errlen, "%s: no symbol table", path);
    } else {
        count = read_table(t, buf, len, &sh[pick], &sh[sh[pick].sh_link], offset);
        if (count < 0)
            snprintf(err, errlen, "%s: bad symbol table", path);
    }
    free(sh);
    qsort(t->v, t->n, sizeof *t->v, by_addr);
out:
    free(buf);
    return count;
}

void sym_free(struct symtab *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].name);
    free(t->v);
    *t = (struct symtab){ 0 };
}

const struct symbol *sym_by_name(const struct symtab *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].name, name))
            return &t->v[i];
    return NULL;
}

const struct symbol *sym_by_addr(const struct symtab *t, uint64_t addr, uint64_t *off)
{
    size_t lo = 0, hi = t->n;           /* first symbol above addr */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->v[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Walk back over symbols at or below addr: the nearest one that
     * contains it, or a sizeless label near it. */
    for (size_t i = lo; i-- > 0;) {
        const struct symbol *s = &t->v[i];
        uint64_t d = addr - s->addr;
        if ((s->size && d < s->size) || (!s->size && d < 0x10000)) {
            /* a sized symbol that ends before addr at the same address is skipped */
            *off = d;
            return s;
        }
        if (d >= 0x10000)
            break;
    }
    return NULL;
}

const char *sym_format(const struct symtab *t, uint64_t addr, char *buf, size_t len)
{
    uint64_t off;
    const struct symbol *s = sym_by_addr(t, addr, &off);
    if (!s)
        buf[0] = 0;
    else if (off)
        snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)off);
    else
        snprintf(buf, len, "%s", s->name);
    return buf;
}

/*
 * Loaders for ELF64 RISC-V executables and raw images. An ELF is loaded
 * by its program headers at their physical addresses (as QEMU does); every
 * offset and size is checked against the file and the memory map, so a
 * corrupt or foreign file is an error, never a crash.
 */
#include "loader.h"
#include "../mmu/bus.h"
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

uint8_t *load_file(const char *path, size_t *len, size_t max, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        fclose(f);
        return NULL;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(err, errlen, "%s: too large (%lld bytes)", path, (long long)st.st_size);
        fclose(f);
        return NULL;
    }
    uint8_t *buf = malloc(st.st_size ? st.st_size : 1);
    if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
        snprintf(err, errlen, "%s: read error", path);
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = st.st_size;
    return buf;
}

bool is_elf(const uint8_t *buf, size_t len)
{
    return len >= 4 && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

static bool in_file(size_t len, uint64_t off, uint64_t size)
{
    return off <= len && size <= len - off;
}

/* Look up tohost/fromhost in the symbol table, if there is a valid one. */
static void find_htif_symbols(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh,
                              struct loaded_image *out)
{
    if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(len, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
        return;
    /* Tables may sit at any offset: copy entries out (memcpy) rather than
     * dereference possibly misaligned pointers into buf. */
    const uint8_t *shtab = buf + eh->e_shoff;
    for (int i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr sh, st;
        memcpy(&sh, shtab + i * sizeof sh, sizeof sh);
        if (sh.sh_type != SHT_SYMTAB || sh.sh_link >= eh->e_shnum)
            continue;
        memcpy(&st, shtab + sh.sh_link * sizeof st, sizeof st);
        if (!in_file(len, sh.sh_offset, sh.sh_size) || !in_file(len, st.sh_offset, st.sh_size))
            continue;
        const char *str = (const char *)(buf + st.sh_offset);
        for (uint64_t k = 0; k < sh.sh_size / sizeof(Elf64_Sym); k++) {
            Elf64_Sym sym;
            memcpy(&sym, buf + sh.sh_offset + k * sizeof sym, sizeof sym);
            uint32_t n = sym.st_name;
            if (n >= st.sh_size || !memchr(str + n, 0, st.sh_size - n))
                continue;
            if (!strcmp(str + n, "tohost"))
                out->tohost = sym.st_value;
            else if (!strcmp(str + n, "fromhost"))
                out->fromhost = sym.st_value;
        }
    }
}

int load_elf_buffer(struct bus *b, const uint8_t *buf, size_t len,
                    struct loaded_image *out, char *err, size_t errlen)
{
    Elf64_Ehdr ehdr;                    /* a copy: buf need not be aligned */
    const Elf64_Ehdr *eh = &ehdr;
    memset(out, 0, sizeof *out);
    out->low = ~0ull;
    if (len < sizeof *eh || !is_elf(buf, len))
        return ERR("not an ELF file");
    memcpy(&ehdr, buf, sizeof ehdr);
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return ERR("not a 64-bit ELF (hartvm runs RV64 only)");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return ERR("not a little-endian ELF");
    if (eh->e_machine != EM_RISCV)
        return ERR("not a RISC-V ELF (e_machine %u)", eh->e_machine);
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return ERR("not an executable ELF (e_type %u)", eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
        !in_file(len, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return ERR("program header table outside the file");
    int loaded = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, buf + eh->e_phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        uint64_t pa = ph.p_paddr, fsz = ph.p_filesz, msz = ph.p_memsz;
        if (fsz > msz)
            return ERR("segment %d: file size larger than memory size", i);
        if (!in_file(len, ph.p_offset, fsz))
            return ERR("segment %d: file range outside the file", i);
        uint8_t *dst = bus_mem_ptr(b, pa, msz);
        if (!dst || pa + msz < pa)
            return ERR("segment %d: [0x%llx, 0x%llx) is not in guest memory", i,
                       (unsigned long long)pa, (unsigned long long)(pa + msz));
        bus_write_mem(b, pa, buf + ph.p_offset, fsz);
        memset(dst + fsz, 0, msz - fsz);
        if (pa < out->low) out->low = pa;
        if (pa + msz > out->high) out->high = pa + msz;
        loaded++;
    }
    if (!loaded)
        return ERR("no loadable segment");
    out->entry = eh->e_entry;
    out->is_elf = true;
    find_htif_symbols(buf, len, eh, out);
    return 0;
}

/* Documentation/riscv/boot-image-header.rst: code0, code1, text_offset,
 * image_size at 16, flags, version, res1, res2, magic at 48, magic2 at 56. */
bool riscv_image_header(const uint8_t *buf, size_t len, uint64_t *image_size)
{
    if (len < 64 || (memcmp(buf + 48, "RISCV\0\0\0", 8) && memcmp(buf + 56, "RSC\x05", 4)))
        return false;
    uint64_t sz = 0;
    for (int i = 7; i >= 0; i--)
        sz = sz << 8 | buf[16 + i];
    *image_size = sz;
    return true;
}

/* The file's bytes as they are at addr. */
static int place_raw(struct bus *b, const char *path, const uint8_t *buf, size_t len,
                     uint64_t addr, struct loaded_image *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len == 0)
        return ERR("%s: empty file", path);
    if (!bus_mem_ptr(b, addr, len))
        return ERR("%s: %zu bytes at 0x%llx do not fit in guest memory", path, len,
                   (unsigned long long)addr);
    bus_write_mem(b, addr, buf, len);
    out->entry = out->low = addr;
    out->high = addr + len;
    out->riscv_image = riscv_image_header(buf, len, &out->image_size);
    return 0;
}

/* An ELF at its addresses unless raw, else the bytes at raw_addr. */
static int load_as(struct bus *b, const char *path, uint64_t raw_addr, bool raw,
                   struct loaded_image *out, char *err, size_t errlen)
{
    size_t len;
    char e[200];
    uint8_t *buf = load_file(path, &len, 1ull << 32, err, errlen);
    if (!buf)
        return -1;
    int r = 0;
    if (raw || !is_elf(buf, len))
        r = place_raw(b, path, buf, len, raw_addr, out, err, errlen);
    else if (load_elf_buffer(b, buf, len, out, e, sizeof e))
        r = ERR("%s: %s", path, e);
    free(buf);
    return r;
}

int load_image(struct bus *b, const char *path, uint64_t raw_addr,
               struct loaded_image *out, char *err, size_t errlen)
{
    return load_as(b, path, raw_addr, false, out, err, errlen);
}

int load_raw(struct bus *b, const char *path, uint64_t addr, struct loaded_image *out,
             char *err, size_t errlen)
{
    return load_as(b, path, addr, true, out, err, errlen);
}

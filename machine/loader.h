#ifndef MACHINE_LOADER_H
#define MACHINE_LOADER_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
struct bus;

struct loaded_image {
    uint64_t entry;
    uint64_t low, high;         /* physical range written */
    bool is_elf;
    bool riscv_image;           /* not ELF, with a Linux RISC-V Image header */
    uint64_t image_size;        /* riscv_image: the header's image_size (bss included) */
    uint64_t tohost, fromhost;  /* symbol addresses, 0 if absent */
};

/* Read a whole file; NULL with a message in err on failure. */
uint8_t *load_file(const char *path, size_t *len, size_t max, char *err, size_t errlen);

/* Load an ELF (if it is one) or a raw image at raw_addr into bus memory.
 * Returns 0, or -1 with a message in err naming the file and the problem. */
int load_image(struct bus *b, const char *path, uint64_t raw_addr,
               struct loaded_image *out, char *err, size_t errlen);
/* The file as it is at addr, ELF or not (-device loader,force-raw=on). */
int load_raw(struct bus *b, const char *path, uint64_t addr, struct loaded_image *out,
             char *err, size_t errlen);
/* The same from a buffer (for tests and fuzzing). */
int load_elf_buffer(struct bus *b, const uint8_t *buf, size_t len,
                    struct loaded_image *out, char *err, size_t errlen);
bool is_elf(const uint8_t *buf, size_t len);
/* A Linux RISC-V Image header (magic "RISCV\0\0\0" at 48 or "RSC\x05" at
 * 56): true, with its image_size. */
bool riscv_image_header(const uint8_t *buf, size_t len, uint64_t *image_size);
#endif

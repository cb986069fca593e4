/* The flattened device tree of the board, generated from board_map. */
#ifndef MACHINE_FDT_H
#define MACHINE_FDT_H
#include <stdint.h>
#include <stddef.h>
#include "board.h"

struct machine;

/* What node writers need: the tree under construction and the phandles
 * fixed in advance (the sequential-write API cannot patch them later). */
struct fdt_ctx {
    void *fdt;
    struct machine *m;
    uint32_t cpu_phandle[8], intc_phandle[8];
    uint32_t plic_phandle, test_phandle;
};

/* Build the tree for m into a malloc'd buffer; *len is its total size.
 * NULL with a message in err on failure. */
void *fdt_build(struct machine *m, size_t *len, char *err, size_t errlen);

/* Node writers referenced by board_map. */
int fdt_node_plain(struct fdt_ctx *c, const struct board_entry *e);
int fdt_node_uart(struct fdt_ctx *c, const struct board_entry *e);
int fdt_node_test(struct fdt_ctx *c, const struct board_entry *e);
int fdt_node_clint(struct fdt_ctx *c, const struct board_entry *e);
int fdt_node_plic(struct fdt_ctx *c, const struct board_entry *e);
#endif

/* The flattened device tree of the board, generated from the board table. */
#ifndef MACHINE_FDT_H
#define MACHINE_FDT_H
#include <stdint.h>
#include <stddef.h>
#include "dev/device.h"

struct machine;

/* What node writers need: the tree under construction and the phandles
 * fixed in advance (the sequential-write API cannot patch them later).
 * Device classes' writers use the fdt_dev_* helpers and never c->m. */
struct fdt_ctx {
    void *fdt;
    struct machine *m;
    int nharts;
    uint32_t cpu_phandle[8], intc_phandle[8];
    uint32_t plic_phandle, test_phandle;
};

/* Build the tree for m into a malloc'd buffer; *len is its total size.
 * NULL with a message in err on failure. */
void *fdt_build(struct machine *m, size_t *len, char *err, size_t errlen);

/* For device classes' node writers (libfdt error codes < 0):
 * begin writes node@base with reg, compatible and, for an instance with a
 * PLIC line, interrupt-parent and interrupts; plain is begin + end. */
int fdt_dev_begin(struct fdt_ctx *c, const struct dev_node *n);
int fdt_dev_end(struct fdt_ctx *c);
int fdt_dev_plain(struct fdt_ctx *c, const struct dev_node *n);
/* interrupts-extended: for each hart, <intc irq_a intc irq_b>. */
int fdt_dev_hart_irqs(struct fdt_ctx *c, int irq_a, int irq_b);
#endif

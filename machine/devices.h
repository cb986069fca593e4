/*
 * The board's device instances, made from the board table (board.h): one
 * instance per row and count, in row order, each with its class, state
 * and place. Everything below walks them in that order.
 */
#ifndef MACHINE_DEVICES_H
#define MACHINE_DEVICES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "board.h"

#define BOARD_MAX_DEVS 32

struct dev_inst {
    const struct board_row *row;
    const struct dev_class *cls;
    int n;                          /* instance within its row */
    void *state;
    bool owned;                     /* allocated here (not a field of struct machine) */
};

struct machine;
struct fdt_ctx;
struct state_out;
struct state_in;

/* Allocate and attach every instance, each given what its class needs.
 * 0, or -1 with a message. */
int devices_create(struct machine *m, char *err, size_t errlen);
void devices_free(struct machine *m);
/* Power-on / reboot, in table order. */
void devices_reset(struct machine *m);
/* Register every instance with MMIO on the bus; 0 or -1. */
int devices_map(struct machine *m);
/* Timer lines from mtime; the next deadline of any device (~0: none). */
void devices_timer_update(struct machine *m, uint64_t mtime);
uint64_t devices_timer_deadline(struct machine *m, uint64_t now);
/* Every instance's node under /soc. */
int devices_fdt(struct machine *m, struct fdt_ctx *c);
/* What class cls needs of m, but an interrupt line (for devices that are
 * not rows: HTIF). */
struct dev_env devices_env(struct machine *m, const struct dev_class *cls);
/* The instance of the class named name, number n, or NULL. */
struct dev_inst *devices_find(struct machine *m, const char *name, uint32_t n);
#endif

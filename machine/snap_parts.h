/*
 * The parts of a snapshot beyond the device state of machine_save_state
 * (snapshot.h): the machine's shape, guest memory, disks and what the host
 * side of a run holds. Each part is a section kind of the stream
 * (state.h) with its own save, check and restore:
 *
 *   config    shape of the machine (-m, -smp, -cpu, slots, framebuffer):
 *             checked first, so a different command line is told what
 *             differs before anything else is looked at (snap_config.c)
 *   ram N     guest RAM, 1 GiB per section, sparse (snap_mem.c)
 *   mrom      the boot ROM; fbmem: the framebuffer's memory (snap_mem.c)
 *   disk N    the disk in virtio-mmio slot N: identity, and with
 *             snapshot=on the overlay's sectors (snap_disk.c)
 *   console   input read from the host but not yet taken by the UART;
 *   trace     the --trace-digest count and hash;
 *   turn      the hart turn a stop cut short (snap_host.c)
 *
 * check reads a section's payload and applies nothing (every check passes
 * before any part is restored); restore applies it. Both read the payload
 * to its end.
 */
#ifndef MACHINE_SNAP_PARTS_H
#define MACHINE_SNAP_PARTS_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct machine;
struct state_out;
struct state_in;

struct snap_part {
    const char *name;
    uint32_t version;
    /* instances of this part in m (ram: one per GiB; disks: slot numbers
     * are instances, so count is the number of slots and present() says
     * which exist); NULL: one */
    uint32_t (*count)(const struct machine *m);
    int (*present)(const struct machine *m, uint32_t inst);
    void (*save)(struct machine *m, uint32_t inst, struct state_out *o);
    /* 0, or -1 with a message in err; NULL: nothing to check */
    int (*check)(struct machine *m, uint32_t inst, struct state_in *in, char *err, size_t errlen);
    /* 0, or -1 with state_reject's reason */
    int (*restore)(struct machine *m, uint32_t inst, struct state_in *in);
};

extern const struct snap_part snap_config_part, snap_ram_part, snap_rom_part, snap_fbmem_part,
    snap_disk_part, snap_console_part, snap_trace_part, snap_turn_part;

/* snap_mem.c: a memory area of len bytes at p as a sparse payload (length,
 * bitmap of non-zero pages, their bytes); its check and restore. */
void snap_mem_save(struct state_out *o, const uint8_t *p, uint64_t len);
/* Per 4 KiB page of [p, p+len): may it hold anything but zeros (a host
 * page under it present or swapped)? malloc'd; NULL when the kernel's
 * page map cannot tell. */
uint8_t *snap_touched_pages(const uint8_t *p, uint64_t len);
/* Page i of that area holds only zeros; touched from snap_touched_pages or NULL. */
bool snap_page_zero(const uint8_t *p, uint64_t len, uint64_t i, const uint8_t *touched);
int snap_mem_check(struct state_in *in, uint64_t len);
void snap_mem_restore(struct state_in *in, uint8_t *p, uint64_t len);
#endif

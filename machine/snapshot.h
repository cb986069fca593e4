/*
 * The whole machine's state as one stream (state.h): each hart, the
 * timebase, every device of the board table in its order, then HTIF.
 * Guest RAM is not in it; restoring needs a machine built with the same
 * options (harts, devices, disks), whose RAM the caller provides.
 */
#ifndef MACHINE_SNAPSHOT_H
#define MACHINE_SNAPSHOT_H
#include <stdint.h>
#include <stddef.h>

struct machine;
/* *buf is malloc'd (the caller frees). 0, or -1 with a message. */
int machine_save_state(struct machine *m, uint8_t **buf, size_t *len, char *err, size_t errlen);
/* The whole stream is checked (magic, version, CRC, that every section
 * names a part of m in a version we read, that every part has one)
 * before any of it is applied. 0, or -1 with a message. */
int machine_restore_state(struct machine *m, const void *buf, size_t len, char *err, size_t errlen);
#endif

/*
 * The whole machine's state as one stream (state.h): each hart, the
 * timebase, every device of the board table in its order, then HTIF.
 * Guest RAM is not in it; restoring needs a machine built with the same
 * options (harts, devices, disks), whose RAM the caller provides.
 *
 * A snapshot is the same stream with everything else (snap_parts.h): the
 * machine's shape first, then the device state, guest RAM (sparse), the
 * boot ROM and framebuffer memory, the disks' identity (and snapshot=on
 * overlays), the console's pending input and the trace digest. A machine
 * restored from it runs on as the saved one would have.
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

/* The same for a snapshot. Restoring checks the shape, the disks and every
 * section before applying any; m must have been built from the same
 * command line (a different one is told what differs). */
int machine_snapshot_save(struct machine *m, uint8_t **buf, size_t *len, char *err, size_t errlen);
int machine_snapshot_restore(struct machine *m, const void *buf, size_t len, char *err,
                             size_t errlen);

/* A migration's final state: a snapshot without RAM (machine/migrate.c
 * sends the pages before it). */
int machine_migrate_save(struct machine *m, uint8_t **buf, size_t *len, char *err, size_t errlen);
int machine_migrate_restore(struct machine *m, const void *buf, size_t len, char *err,
                            size_t errlen);

/* A snapshot file (savevm, -incoming file:): written to a temporary file
 * beside path and renamed over it, so path holds the old snapshot or the
 * new one, never part of one. 0, or -1 with a message. */
int snapshot_write_file(struct machine *m, const char *path, char *err, size_t errlen);
int snapshot_read_file(struct machine *m, const char *path, char *err, size_t errlen);
#endif

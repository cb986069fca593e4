/*
 * Live migration over a socket, as QEMU's `migrate tcp:HOST:PORT` and
 * `-incoming tcp:HOST:PORT` (also unix:PATH).
 *
 * The source keeps running while RAM goes over (pre-copy): first every
 * page that is not all zeros, then, round after round, the pages written
 * meanwhile. Writes are tracked only while a migration runs: the store
 * TLBs are dropped at each round, and the first store to a page fills an
 * entry again and marks it (mmu/bus.h region_mark_dirty), as do the slow
 * paths and DMA. When a round is small enough to send within the downtime
 * limit (or after MIGRATE_MAX_ROUNDS), the source pauses, sends the last
 * pages and the machine's state (a snapshot without RAM), and waits for the
 * target's answer: on success it stays paused (QEMU's postmigrate) or, with
 * no debugger or monitor to see it, ends with status 0; on any failure it
 * runs on as before.
 *
 * The stream:  "HVMIGRAT" u32 version u64 ram_size, then records
 *              u8 type, u8 0, u8 0, u8 0, u32 length, payload, u32 crc32
 *              (over type..payload): PAGES (u64 page number, 4096 bytes)...,
 *              STATE (machine_migrate_save's stream), END (empty).
 * The target answers one line: "OK\n" or "ERR reason\n".
 */
#ifndef MACHINE_MIGRATE_H
#define MACHINE_MIGRATE_H
#include <stddef.h>
#include <stdint.h>

struct machine;

#define MIGRATE_MAX_ROUNDS 30
#define MIGRATE_DOWNTIME_NS 300000000ull    /* QEMU's downtime-limit default, 300 ms */

/* Start sending m to uri (tcp:[HOST]:PORT, unix:PATH): 0, or -1 with err.
 * The rest happens in the run loop (and at the debugger's prompt). */
int migrate_start(struct machine *m, const char *uri, char *err, size_t errlen);
/* Stop the running migration (the guest runs on): 0, or -1 when none runs. */
int migrate_cancel(struct machine *m);
/* `info migrate`: status, times, pages, rounds, expected downtime. */
void migrate_info(struct machine *m, char *buf, size_t len);
/* The target: wait on uri for one stream and load it into m, answering
 * the source. 0, or -1 with err (nothing of m is to be trusted then). */
int migrate_incoming(struct machine *m, const char *uri, char *err, size_t errlen);
/* A uri migrate_start / migrate_incoming take (tcp: or unix:). */
int migrate_uri_ok(const char *uri);
void migrate_free(struct machine *m);
#endif

/*
 * Machine save/restore (see snapshot.h). The parts of a machine, in
 * stream order, are listed once (list_parts); saving writes a section per
 * part, restoring matches sections to parts by name and instance. A
 * snapshot adds the parts of snap_parts.h around the device state.
 */
#include "snapshot.h"
#include "machine.h"
#include "hart_state.h"
#include "snap_parts.h"
#include "state.h"
#include <string.h>

#define TIMEBASE_VERSION 1
#define MAX_RAM_SECTIONS 64         /* 1 GiB each: -m 64G */
#define MAX_PARTS (MAX_HARTS + 1 + BOARD_MAX_DEVS + 1 + MAX_RAM_SECTIONS + VIRTIO_SLOTS + 8)

enum part_kind { PART_HART, PART_TIMEBASE, PART_DEVICE, PART_SNAP };

struct part {
    enum part_kind kind;
    const char *name;
    uint32_t instance, version;
    const struct dev_class *cls;    /* PART_DEVICE */
    void *obj;                      /* the hart or the device's state */
    const struct snap_part *sp;     /* PART_SNAP */
};

/* Every instance of a snapshot part. */
static int add_snap(struct machine *m, const struct snap_part *sp, struct part *p)
{
    int n = 0;
    uint32_t count = sp->count ? sp->count(m) : 1;
    for (uint32_t i = 0; i < count; i++)
        if (!sp->present || sp->present(m, i))
            p[n++] = (struct part){ PART_SNAP, sp->name, i, sp->version, NULL, NULL, sp };
    return n;
}

/* What a stream holds: the device state alone, a snapshot (the machine's
 * shape first, then everything), or a migration's final state (a snapshot
 * without RAM, which went ahead page by page: machine/migrate.c). */
enum part_set { SET_STATE, SET_SNAPSHOT, SET_MIGRATE };

static int list_parts(struct machine *m, struct part *p, enum part_set set)
{
    bool full = set != SET_STATE;
    int n = 0;
    if (full)
        n += add_snap(m, &snap_config_part, p + n);
    for (int i = 0; i < m->nharts; i++)
        p[n++] = (struct part){ PART_HART, "hart", (uint32_t)i, HART_STATE_VERSION, NULL,
                                &m->harts[i], NULL };
    p[n++] = (struct part){ PART_TIMEBASE, "timebase", 0, TIMEBASE_VERSION, NULL, m, NULL };
    for (int i = 0; i < m->ndevs; i++) {
        const struct dev_inst *d = &m->devs[i];
        if (d->cls->save)
            p[n++] = (struct part){ PART_DEVICE, d->cls->name, (uint32_t)d->n,
                                    d->cls->state_version, d->cls, d->state, NULL };
    }
    p[n++] = (struct part){ PART_DEVICE, htif_class.name, 0, htif_class.state_version,
                            &htif_class, &m->htif, NULL };
    static const struct snap_part *const rest[] = { &snap_ram_part, &snap_rom_part,
        &snap_fbmem_part, &snap_disk_part, &snap_console_part, &snap_trace_part, &snap_turn_part };
    for (size_t i = 0; full && i < sizeof rest / sizeof rest[0]; i++)
        if (set != SET_MIGRATE || rest[i] != &snap_ram_part)
            n += add_snap(m, rest[i], p + n);
    return n;
}

/* mtime, and the instruction count it comes from under -icount. */
static void timebase_save(struct machine *m, struct state_out *o)
{
    state_put_u64(o, m->icount);
    state_put_u64(o, machine_mtime(m));
}

/* Under -icount time is the instruction count; with host time, mtime
 * goes on from the saved value. */
static void timebase_restore(struct machine *m, struct state_in *in)
{
    uint64_t icount = state_get_u64(in), mtime = state_get_u64(in);
    if (in->bad)
        return;
    m->icount = icount;
    if (m->opt.icount_shift < 0)
        m->start_ns += machine_mtime(m) * (1000000000 / TIMEBASE_HZ) -
                       mtime * (1000000000 / TIMEBASE_HZ);
}

static void save_part(struct machine *m, const struct part *p, struct state_out *o)
{
    state_begin(o, p->name, p->instance, p->version);
    if (p->kind == PART_HART)
        hart_state_save(p->obj, &m->bus, o);
    else if (p->kind == PART_TIMEBASE)
        timebase_save(m, o);
    else if (p->kind == PART_SNAP)
        p->sp->save(m, p->instance, o);
    else
        p->cls->save(p->obj, o);
    state_end(o);
}

static int save_parts(struct machine *m, enum part_set full, uint8_t **buf, size_t *len, char *err,
                      size_t errlen)
{
    struct part parts[MAX_PARTS];
    int n = list_parts(m, parts, full);
    struct state_out o;
    state_out_init(&o);
    for (int i = 0; i < n; i++)
        save_part(m, &parts[i], &o);
    return state_out_finish(&o, buf, len, err, errlen);
}

int machine_save_state(struct machine *m, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    return save_parts(m, SET_STATE, buf, len, err, errlen);
}

int machine_snapshot_save(struct machine *m, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    blk_drain_all(m);           /* no disk request half done in the stream (drives.h) */
    return save_parts(m, SET_SNAPSHOT, buf, len, err, errlen);
}

int machine_migrate_save(struct machine *m, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    blk_drain_all(m);
    return save_parts(m, SET_MIGRATE, buf, len, err, errlen);
}

static int find_part(const struct part *p, int n, const struct state_section *s)
{
    for (int i = 0; i < n; i++)
        if (p[i].instance == s->instance && !strcmp(p[i].name, s->name))
            return i;
    return -1;
}

/* A snapshot part's own check of its section (config: the machine's
 * shape, first in the stream; disks: their identity). */
static int check_payload(struct machine *m, const struct part *p, struct state_in *in, char *err,
                         size_t errlen)
{
    if (p->kind != PART_SNAP || !p->sp->check)
        return 0;
    if (p->sp->check(m, p->instance, in, err, errlen) && !in->bad)
        return -1;                  /* a message of its own */
    return state_in_done(in, err, errlen);
}

/* Pass 1: every section names a part in a version we read, once; every
 * part has its section. Nothing is applied. */
static int check_sections(struct machine *m, struct state_in *in, const struct part *p, int n,
                          char *err, size_t errlen)
{
    bool seen[MAX_PARTS] = { false };
    int r;
    while ((r = state_in_next(in, err, errlen)) > 0) {
        const struct state_section *s = &in->sec;
        int i = find_part(p, n, s);
        /* the machine's shape is told apart before its parts are */
        if (i < 0 && n && p[0].sp == &snap_config_part && !seen[0]) {
            snprintf(err, errlen, "state: no %s section first: not a snapshot", p[0].name);
            return -1;
        }
        if (i < 0) {
            snprintf(err, errlen, "state: unknown section %s %u (not a part of this machine)",
                     s->name, s->instance);
            return -1;
        }
        if (s->version != p[i].version) {
            snprintf(err, errlen, "state: section %s %u has version %u, this hartvm reads %u",
                     s->name, s->instance, s->version, p[i].version);
            return -1;
        }
        if (seen[i]) {
            snprintf(err, errlen, "state: section %s %u twice", s->name, s->instance);
            return -1;
        }
        seen[i] = true;
        if (check_payload(m, &p[i], in, err, errlen))
            return -1;
    }
    for (int i = 0; r == 0 && i < n; i++)
        if (!seen[i]) {
            snprintf(err, errlen, "state: no section for %s %u", p[i].name, p[i].instance);
            return -1;
        }
    return r;
}

static void restore_part(struct machine *m, const struct part *p, struct state_in *in)
{
    int r = 0;
    if (p->kind == PART_HART)
        r = hart_state_restore(p->obj, &m->bus, in);
    else if (p->kind == PART_TIMEBASE)
        timebase_restore(m, in);
    else if (p->kind == PART_SNAP)
        r = p->sp->restore(m, p->instance, in);
    else
        r = p->cls->restore(p->obj, in);
    if (r < 0)
        state_reject(in, "refused by the device");     /* keeps a reason already given */
}

static int restore_parts(struct machine *m, enum part_set full, const void *buf, size_t len, char *err,
                         size_t errlen)
{
    struct part parts[MAX_PARTS];
    int n = list_parts(m, parts, full);
    struct state_in in;
    if (state_in_open(&in, buf, len, err, errlen) || check_sections(m, &in, parts, n, err, errlen))
        return -1;
    state_in_open(&in, buf, len, err, errlen);
    while (state_in_next(&in, err, errlen) > 0) {
        restore_part(m, &parts[find_part(parts, n, &in.sec)], &in);
        if (state_in_done(&in, err, errlen))
            return -1;
    }
    return 0;
}

int machine_restore_state(struct machine *m, const void *buf, size_t len, char *err, size_t errlen)
{
    return restore_parts(m, SET_STATE, buf, len, err, errlen);
}

/* What was decoded from the old memory goes, and a run that had ended or
 * was about to stop is a run again. */
static void after_snapshot(struct machine *m)
{
    dcache_invalidate_all(&m->bus);
    m->exit_requested = m->reset_requested = m->stop_requested = false;
    m->exit_code = 0;
    m->exit_reason = NULL;
    m->stuck_status = m->stuck_code = 0;
    m->stuck_msg[0] = 0;
    machine_update_timers(m);
}

int machine_snapshot_restore(struct machine *m, const void *buf, size_t len, char *err,
                             size_t errlen)
{
    blk_drain_all(m);           /* no older request completes into the restored machine */
    if (restore_parts(m, SET_SNAPSHOT, buf, len, err, errlen))
        return -1;
    after_snapshot(m);
    return 0;
}

int machine_migrate_restore(struct machine *m, const void *buf, size_t len, char *err, size_t errlen)
{
    blk_drain_all(m);
    if (restore_parts(m, SET_MIGRATE, buf, len, err, errlen))
        return -1;
    after_snapshot(m);
    return 0;
}

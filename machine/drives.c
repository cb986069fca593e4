/* Parsing and slot assignment of -drive / -device (see drives.h). */
#include "drives.h"
#include "machine.h"
#include "board.h"
#include "keyval.h"
#include "../disk/virtio_blk.h"
#include "../disk/blk_io.h"
#include <poll.h>
#include "../disk/probe.h"
#include "../disk/image.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

static int on_off(const char *opt, const struct kv *kv, bool *out, char *err, size_t errlen)
{
    if (keyval_bool(kv->val, out))
        return ERR("%s: %s=%s: need on or off", opt, kv->key, kv->val);
    return 0;
}

/* cache=MODE as QEMU's blockdev.c spells it: writeback (the default),
 * writethrough (a flush after every write), none and directsync (also
 * O_DIRECT on QEMU), unsafe (flushes ignored). */
static int set_cache(struct drive_opt *d, const char *v)
{
    static const struct { const char *name; bool writethrough, direct, no_flush; } modes[] = {
        { "writeback", false, false, false }, { "writethrough", true, false, false },
        { "none", false, true, false }, { "directsync", true, true, false },
        { "unsafe", false, false, true },
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (!strcmp(v, modes[i].name)) {
            d->cache.writethrough = modes[i].writethrough;
            d->cache.direct = modes[i].direct;
            d->cache.no_flush = modes[i].no_flush;
            return 0;
        }
    return -1;
}

/* The -drive keys beyond file/id/format/if: 1 when key is not one of them. */
static int drive_extra(struct drive_opt *d, const struct kv *kv, char *err, size_t errlen)
{
    const char *key = kv->key, *val = kv->val;
    if (!strcmp(key, "readonly"))
        return on_off("-drive", kv, &d->readonly, err, errlen);
    if (!strcmp(key, "snapshot")) {
        d->snapshot_given = true;
        return on_off("-drive", kv, &d->snapshot, err, errlen);
    }
    if (!strcmp(key, "media")) {            /* QEMU: a CD-ROM is read-only */
        if (!strcmp(val, "cdrom"))
            d->readonly = true;
        else if (strcmp(val, "disk"))
            return ERR("-drive: '%s' invalid media", val);
        return 0;
    }
    if (!strcmp(key, "cache"))
        return set_cache(d, val) ? ERR("-drive: cache=%s: invalid cache option", val) : 0;
    if (!strcmp(key, "discard")) {
        if (!strcmp(val, "unmap") || !strcmp(val, "on")) d->cache.unmap = true;
        else if (!strcmp(val, "ignore") || !strcmp(val, "off")) d->cache.unmap = false;
        else return ERR("-drive: discard=%s: Invalid discard option", val);
        return 0;
    }
    if (!strcmp(key, "aio")) {
        if (strcmp(val, "threads") && strcmp(val, "native") && strcmp(val, "io_uring"))
            return ERR("-drive: aio=%s: invalid aio option", val);
        d->aio_native = !strcmp(val, "native");
        d->aio_uring = !strcmp(val, "io_uring");
        return 0;
    }
    if (!strcmp(key, "index")) {
        char *end;
        long n = strtol(val, &end, 10);
        if (end == val || *end || n < 0 || n > 1000)
            return ERR("-drive: index=%s: invalid index", val);
        d->index = (int)n;
        return 0;
    }
    return 1;
}

int drives_parse_drive(struct drive_opts *o, const char *arg, char *err, size_t errlen)
{
    struct kv kv;
    const char *key = kv.key, *val = kv.val;
    bool have_if = false;
    if (o->ndrives >= MAX_DRIVES)
        return ERR("-drive: at most %d drives", MAX_DRIVES);
    struct drive_opt *d = &o->drive[o->ndrives];
    memset(d, 0, sizeof *d);
    d->index = -1;
    d->format = IMAGE_PROBE;
    while (keyval_next(&arg, &kv)) {
        int r;
        if (kv.overflow)
            return ERR("-drive: '%s' is too long", key);
        if (!strcmp(key, "file")) {
            snprintf(d->file, sizeof d->file, "%s", val);
        } else if (!strcmp(key, "id")) {
            if (strlen(val) >= sizeof d->id)
                return ERR("-drive: id=%s is too long", val);
            strcpy(d->id, val);
        } else if (!strcmp(key, "format")) {
            int f = image_format_lookup(val);
            if (f < 0)
                return ERR("-drive: format=%s: unknown image format (hartvm reads raw and qcow2)", val);
            if (f != IMG_FMT_RAW && f != IMG_FMT_QCOW2)
                return ERR("-drive: format=%s is not supported: hartvm reads raw and qcow2 images "
                           "only (qemu-img convert -O qcow2 makes one)", val);
            d->format = f;
        } else if (!strcmp(key, "if")) {
            if (!strcmp(val, "virtio")) d->if_virtio = true;
            else if (strcmp(val, "none")) return ERR("-drive: if=%s: need none or virtio", val);
            have_if = true;
        } else if ((r = drive_extra(d, &kv, err, errlen)) < 0) {
            return -1;
        } else if (r) {
            return ERR("-drive: unknown property '%s'", key);
        }
    }
    if (!d->file[0])
        return ERR("-drive: needs file=IMAGE");
    if (d->aio_native && !d->cache.direct)
        return ERR("-drive: aio=native was specified, but it requires cache.direct=on, which "
                   "was not specified (cache=none or cache=directsync gives it)");
    if (!have_if)
        d->if_virtio = !d->id[0];       /* QEMU's default interface on virt is virtio */
    if (!d->if_virtio && !d->id[0])
        return ERR("-drive: if=none needs id=NAME for -device ...,drive=NAME");
    for (int i = 0; i < o->ndrives; i++) {
        if (d->id[0] && !strcmp(o->drive[i].id, d->id))
            return ERR("-drive: duplicate id '%s'", d->id);
        if (d->index >= 0 && o->drive[i].index == d->index && o->drive[i].if_virtio == d->if_virtio)
            return ERR("-drive: drive with bus=0, unit=%d (index=%d) exists", d->index, d->index);
    }
    o->ndrives++;
    return 0;
}

int drives_parse_device(struct drive_opts *o, const char *arg, char *err, size_t errlen)
{
    struct kv kv;
    const char *key = kv.key, *val = kv.val;
    if (o->ndevs >= MAX_DRIVES)
        return ERR("-device: at most %d block devices", MAX_DRIVES);
    struct blkdev_opt *b = &o->dev[o->ndevs];
    memset(b, 0, sizeof *b);
    b->slot = -1;
    if (!keyval_next(&arg, &kv) || kv.has_val || kv.overflow)
        return ERR("-device: needs a device name first");
    if (strcmp(key, "virtio-blk-device"))
        return ERR("-device %s: not supported (only virtio-blk-device)", key);
    while (keyval_next(&arg, &kv)) {
        if (kv.overflow)
            return ERR("-device: '%s' is too long", key);
        if (!strcmp(key, "drive")) {
            if (strlen(val) >= sizeof b->drive)
                return ERR("-device: drive=%s is too long", val);
            strcpy(b->drive, val);
        } else if (!strcmp(key, "num-queues")) {
            char *end;
            long n = strtol(val, &end, 10);
            if (end == val || *end || n < 1 || n > VIRTIO_MAX_QUEUES)
                return ERR("-device: num-queues=%s: hartvm serves 1 to %d queues", val, VIRTIO_MAX_QUEUES);
            b->num_queues = (int)n;
        } else if (!strcmp(key, "bus")) {
            char *end;
            if (strncmp(val, "virtio-mmio-bus.", 16))
                return ERR("-device: bus=%s: need virtio-mmio-bus.N", val);
            long n = strtol(val + 16, &end, 10);
            if (end == val + 16 || *end || n < 0 || n > 7)
                return ERR("-device: bus=%s: need virtio-mmio-bus.0 to .7", val);
            b->slot = (int)n;
        } else {
            return ERR("-device: unknown property '%s'", key);
        }
    }
    if (!b->drive[0])
        return ERR("-device virtio-blk-device: needs drive=ID");
    o->ndevs++;
    return 0;
}

static int highest_free(const int *slot_drive, int nslots)
{
    for (int s = nslots - 1; s >= 0; s--)
        if (slot_drive[s] < 0)
            return s;
    return -1;
}

int drives_assign(struct drive_opts *o, int nslots, int *slot_drive, char *err, size_t errlen)
{
    for (int s = 0; s < nslots; s++)
        slot_drive[s] = -1;
    /* Explicit buses first, so implicit ones cannot take them. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < o->ndevs; i++) {
            struct blkdev_opt *b = &o->dev[i];
            if ((b->slot >= 0) != (pass == 0))
                continue;
            int k;
            for (k = 0; k < o->ndrives && strcmp(o->drive[k].id, b->drive); k++)
                ;
            if (k == o->ndrives)
                return ERR("-device: no -drive with id=%s", b->drive);
            if (o->drive[k].used || o->drive[k].if_virtio)
                return ERR("-device: drive '%s' is already in use", b->drive);
            int s = b->slot >= 0 ? b->slot : highest_free(slot_drive, nslots);
            if (s < 0 || s >= nslots)
                return ERR("-device: no free virtio-mmio slot");
            if (slot_drive[s] >= 0)
                return ERR("-device: virtio-mmio-bus.%d is already in use", s);
            slot_drive[s] = k;
            o->drive[k].used = true;
            o->drive[k].num_queues = b->num_queues ? b->num_queues : 1;
        }
    }
    for (int k = 0; k < o->ndrives; k++) {
        if (o->drive[k].if_virtio) {
            int s = highest_free(slot_drive, nslots);
            if (s < 0)
                return ERR("-drive %s: no free virtio-mmio slot", o->drive[k].file);
            slot_drive[s] = k;
            o->drive[k].used = true;
            o->drive[k].num_queues = 1;
        } else if (!o->drive[k].used) {
            fprintf(stderr, "hartvm: warning: -drive id=%s is not attached to any -device\n", o->drive[k].id);
        }
    }
    return 0;
}

/* ---- board side: virtio-blk devices in their slots ------------------------ */

/* QEMU's name of drive k: its id=, else "virtio" and its unit: the index=
 * given, or the lowest unit no earlier if=virtio drive took (QEMU's drive_new). */
static void drive_name(const struct drive_opts *o, int k, char *out, size_t len)
{
    int unit[MAX_DRIVES];
    if (o->drive[k].id[0]) {
        snprintf(out, len, "%s", o->drive[k].id);
        return;
    }
    for (int i = 0; i <= k; i++) {
        unit[i] = o->drive[i].index;
        for (int j = 0; unit[i] < 0; j++) {
            bool taken = false;
            for (int e = 0; e < i; e++)
                taken |= o->drive[e].if_virtio && unit[e] == j;
            if (!taken)
                unit[i] = j;
        }
    }
    snprintf(out, len, "virtio%d", unit[k]);
}

/* The I/O threads' completions, taken on the machine's thread. */
static void io_service(void *ctx)
{
    struct machine *m = ctx;
    blk_io_poll(m->blk_io);
}

static void io_before_sleep(void *ctx)
{
    struct machine *m = ctx;
    blk_io_before_sleep(m->blk_io);
}

static int io_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    *events = POLLIN;
    return blk_io_fd(m->blk_io);
}

/* A request in flight will write guest memory and interrupt. */
static unsigned io_may_wake(void *ctx)
{
    struct machine *m = ctx;
    return blk_io_inflight(m->blk_io) ? EV_WAKE_IRQ | EV_WAKE_DMA : 0;
}

/* Disk requests run on I/O threads (aio=io_uring: raw reads, writes and
 * flushes through io_uring), except where the run must be the same every
 * time: under -icount, --no-fast-paths and --trace-digest each one runs
 * synchronously when the driver notifies, a deterministic point (so
 * aio=io_uring is accepted there and changes nothing). */
static int start_io(struct machine *m, char *err, size_t errlen)
{
    if (m->opt.icount_shift >= 0 || m->opt.no_fast_paths || m->opt.trace_every)
        return 0;
    bool uring = false;
    m->blk_io = blk_io_new(2, err, errlen);
    if (!m->blk_io)
        return -1;
    for (int n = 0; n < VIRTIO_SLOTS; n++)
        if (m->blk[n].dev) {
            m->blk[n].dev->io = m->blk_io;
            uring |= m->blk[n].dev->uring;
        }
    if (uring && blk_io_enable_uring(m->blk_io, err, errlen))
        return -1;
    ev_add(&m->events, &(struct ev_source){
        .name = "disk I/O", .ctx = m, .service = io_service, .wait_fd = io_fd,
        .before_sleep = io_before_sleep, .may_wake = io_may_wake });
    return 0;
}

int blk_attach(struct machine *m, char *err, size_t errlen)
{
    struct drive_opts *o = &m->opt.drives;
    int slot_drive[VIRTIO_SLOTS];
    bool any = false;
    if (drives_assign(o, VIRTIO_SLOTS, slot_drive, err, errlen))
        return -1;
    for (int n = 0; n < VIRTIO_SLOTS; n++) {
        if (slot_drive[n] < 0)
            continue;
        const struct drive_opt *d = &o->drive[slot_drive[n]];
        struct blk_slot *s = &m->blk[n];
        struct vslot *slot = &m->vslot[n];
        s->dev = calloc(1, sizeof *s->dev);
        s->file = d->file;
        drive_name(o, slot_drive[n], s->id, sizeof s->id);
        if (!s->dev)
            return ERR("out of memory for a disk");
        bool snapshot = d->snapshot_given ? d->snapshot : o->snapshot_all;
        if (vblk_init(s->dev, slot->dma, d->file, d->readonly, snapshot, d->format,
                      slot->legacy, irq_line_drive, &slot->irq, err, errlen))
            return -1;
        vblk_set_queues(s->dev, (unsigned)d->num_queues);
        s->dev->uring = d->aio_uring;
        any = true;
        /* QEMU's warning, in its words, for the same case: only a probed
         * raw image written in place has its sector 0 guarded. */
        if (s->dev->img.probed_raw)
            fprintf(stderr, "hartvm: warning: Image format was not specified for '%s' and probing "
                    "guessed raw.\n"
                    "         Automatically detecting the format is dangerous for raw images, "
                    "write operations on block 0 will be restricted.\n"
                    "         Specify the 'raw' format explicitly to remove the restrictions.\n",
                    d->file);
        s->dev->img.writethrough = d->cache.writethrough;
        s->dev->img.no_flush = d->cache.no_flush;
        s->dev->img.unmap = d->cache.unmap;
        if (d->cache.direct && image_set_direct(&s->dev->img, d->file, err, errlen))
            return -1;
        vslot_attach(slot, &s->dev->vdev);
    }
    return any ? start_io(m, err, errlen) : 0;
}

void blk_drain_all(struct machine *m)
{
    for (int n = 0; n < VIRTIO_SLOTS; n++)
        if (m->blk[n].dev)
            vblk_drain(m->blk[n].dev);
}

void blk_free(struct machine *m)
{
    blk_drain_all(m);
    for (int n = 0; n < VIRTIO_SLOTS; n++) {
        if (m->blk[n].dev) {
            vblk_close(m->blk[n].dev);
            free(m->blk[n].dev);
            m->blk[n].dev = NULL;
        }
    }
    if (m->blk_io) {
        ev_remove(&m->events, "disk I/O");
        blk_io_free(m->blk_io);
        m->blk_io = NULL;
    }
}

static int commit_one(struct blk_slot *s, char *err, size_t errlen)
{
    struct image *img = &s->dev->img;
    vblk_drain(s->dev);
    if (img->snapshot)
        return image_commit(img, err, errlen);
    if (image_flush(img))
        return snprintf(err, errlen, "%s: flushing the disk failed", s->file), -1;
    return 0;
}

int blk_commit(struct machine *m, const char *id, char *err, size_t errlen)
{
    char why[1024];
    bool all = !strcmp(id, "all"), found = false;
    int r = 0;
    for (int n = 0; n < VIRTIO_SLOTS; n++) {
        struct blk_slot *s = &m->blk[n];
        if (!s->dev || (!all && strcmp(s->id, id)))
            continue;
        found = true;
        if (commit_one(s, why, sizeof why) && !r) {     /* the first failure is told */
            snprintf(err, errlen, "'commit' error for '%s': %s", s->id, why);
            r = -1;
        }
    }
    if (!found && !all)
        return snprintf(err, errlen, "Device '%s' not found", id), -1;
    return r;
}

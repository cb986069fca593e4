/*
 * -drive and -device for virtio block devices, with QEMU's meaning:
 *   -drive file=F,if=none,format=raw|qcow2,id=ID[,readonly=on][,snapshot=on]
 *   -device virtio-blk-device,drive=ID[,bus=virtio-mmio-bus.N]
 *   -drive file=F,if=virtio[,...]      (a device of its own)
 *   -drive ...,cache=MODE,discard=ignore|unmap,aio=threads|native|io_uring,
 *          media=disk|cdrom,index=N   (QEMU's blockdev.c meanings)
 * Without format=, the image's format is probed (disk/probe.h), as QEMU does.
 * Devices without a bus= take the highest free virtio-mmio slot, as QEMU's
 * virt machine assigns them.
 */
#ifndef MACHINE_DRIVES_H
#define MACHINE_DRIVES_H
#include <stdbool.h>
#include <stddef.h>

#define MAX_DRIVES 8

struct drive_opt {
    char file[256], id[64];
    bool if_virtio, readonly, snapshot;
    bool snapshot_given;        /* snapshot= named: -snapshot does not change it */
    int format;                 /* IMG_FMT_RAW or _QCOW2 from format=, or IMAGE_PROBE */
    struct drive_cache {        /* cache= and discard= */
        bool writethrough;      /* every write flushed (writethrough, directsync) */
        bool direct;            /* O_DIRECT (none, directsync): image_set_direct */
        bool no_flush;          /* unsafe: guest flushes ignored */
        bool unmap;             /* discard=unmap: DISCARD punches a hole */
    } cache;
    bool aio_native;            /* aio=native: QEMU wants cache.direct with it (threads here) */
    bool aio_uring;             /* aio=io_uring: raw reads, writes, flushes through io_uring */
    int index;                  /* index=N, -1 if not given: duplicates are refused */
    bool used;                  /* claimed by a -device */
    int num_queues;             /* its device's num-queues (drives_assign) */
};
struct blkdev_opt {
    char drive[64];
    int slot;                   /* -1: highest free */
    int num_queues;             /* num-queues=N; 0: not given (1) */
};
struct drive_opts {
    struct drive_opt drive[MAX_DRIVES];
    int ndrives;
    struct blkdev_opt dev[MAX_DRIVES];
    int ndevs;
    bool snapshot_all;          /* -snapshot: snapshot=on where a drive does not say */
};

/* Parse one -drive / -device argument; 0 or -1 with a message in err. */
int drives_parse_drive(struct drive_opts *o, const char *arg, char *err, size_t errlen);
int drives_parse_device(struct drive_opts *o, const char *arg, char *err, size_t errlen);
/* Resolve devices to drives and slots (nslots virtio-mmio slots, used[]
 * marks slots already taken); fills slot_drive[slot] = drive index or -1.
 * 0, or -1 with a message. */
int drives_assign(struct drive_opts *o, int nslots, int *slot_drive, char *err, size_t errlen);

struct machine;
/* Open the images and put their devices in their slots (machine_init). */
int blk_attach(struct machine *m, char *err, size_t errlen);
void blk_free(struct machine *m);
/* Complete every disk request in flight (before a snapshot, a reset of
 * the machine, its end). */
void blk_drain_all(struct machine *m);
/* QEMU's commit: each snapshot=on drive's overlay is written into its
 * image (image_commit), the other drives are flushed. id names the drive
 * as QEMU does (its id=, or virtioN for the if=virtio drive of unit N), or
 * is "all" (C-a s, the monitor's 'commit all'). 0, or -1 with QEMU's
 * message in err (for "all": the first failure; the others are tried). */
int blk_commit(struct machine *m, const char *id, char *err, size_t errlen);
#endif

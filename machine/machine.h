/*
 * One emulated machine: its harts, its physical bus and devices, and the
 * options it was started with. Everything of an instance hangs off this
 * struct; two machines can live in one process.
 */
#ifndef MACHINE_MACHINE_H
#define MACHINE_MACHINE_H
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "../cpu/hart.h"
#include "../cpu/core.h"
#include "../mmu/bus.h"
#include "dev/clint.h"
#include "dev/plic.h"
#include "dev/uart.h"
#include "dev/rtc.h"
#include "dev/virtio.h"
#include "console.h"
#include "dev/htif.h"
#include "dev/fb.h"          /* framebuffer, virtio-input, window */
#include "dev/virtio_input.h"
#include "graphics.h"
#include "drives.h"
#include "cpu_model.h"
#include "option_values.h"
#include "events.h"
#include "chardev.h"
#include "devices.h"
#include "../cpu/trace_digest.h"
#include "../cpu/log.h"
#include "semihost.h"
#include "loader_device.h"
#include "net_opts.h"

#define MAX_HARTS 8
#define RUN_QUANTUM 16384           /* steps per hart per turn (run.c) */
#define MAX_DATA_DIRS 8         /* -L */

struct options {
    const char *bios;           /* NULL = default firmware, "none" */
    const char *kernel;
    uint64_t ram_size;
    int smp;
    double timeout;             /* seconds, 0 = none */
    uint64_t max_insns;         /* 0 = unlimited */
    uint64_t serial_limit;      /* --serial-limit: console bytes, 0 = unlimited (conout.h) */
    bool stats;
    int mmu_max;                /* highest satp mode accepted (SATP_SV39/48) */
    struct cpu_model cpu;       /* -cpu: extensions, mmu=, pmp=, ID CSRs (cpu_model.h) */
    const char *initrd, *append;
    const char *dtb;            /* -dtb: use this tree instead of ours */
    const char *dump_dtb;       /* --dump-dtb / -machine virt,dumpdtb=: write it and exit */
    const char *serial_file;    /* -serial file:PATH; NULL = stdio (or serial_chr) */
    /* character devices (chardev.h): -chardev's, and those -serial,
     * -monitor, -qmp name in short form */
    struct chr_spec chr[CHR_MAX];
    int nchr;
    int serial_chr;             /* the UART's, an index in chr; -1: stdio or serial_file */
    struct mon_opt {            /* -monitor, -qmp, -mon: a monitor on chr[chr] */
        int chr;
        bool qmp;               /* QMP (-qmp, -mon mode=control), else the line monitor */
    } mon[CHR_MAX];
    int nmon;
    int icount_shift;           /* -icount shift=N; -1 = time follows the host clock */
    bool icount_sleep;          /* -icount sleep=on (default): an idle wait takes real time */
    bool icount_align;          /* -icount align=on: virtual time never runs ahead of the host's */
    struct rtc_opts rtc;        /* -rtc base=,clock= (option_values.h) */
    bool no_reboot;
    bool force_legacy;          /* virtio-mmio version 1; -global virtio-mmio.force-legacy=false: 2 */
    bool debug;                 /* --debug: start stopped at the debugger prompt */
    const char *debug_script;   /* --debug-script FILE: debugger commands */
    bool monitor_stdio;         /* -monitor stdio: the debugger on stdio */
    const char *gdb;            /* -gdb DEV, -s: the gdb stub's socket (monitor/gdbstub.c) */
    bool freeze;                /* -S: harts stopped at reset until gdb (or the console) continues */
    const char *control;        /* --control SOCKET: fleet supervisor's channel (monitor/control.c) */
    /* graphics: the framebuffer exists when fb_width != 0 */
    bool display_sdl;           /* -display sdl: open the window (ui/) */
    uint32_t fb_width, fb_height;   /* --fb WxH, or the default with -display sdl */
    const char *name;           /* -name NAME: the window title */
    struct drive_opts drives;   /* -drive / -device: virtio block devices */
    struct net_opts net;        /* -netdev, -nic, -device virtio-net-device, -object filter-dump */
    bool nodefaults, serial_none;   /* -nodefaults; without -serial: UART to nothing */
    bool no_shutdown;           /* -no-shutdown: no effect on virt (its poweroff exits) */
    bool usb;                   /* -usb: QEMU's switch, no controller on virt */
    const char *pidfile;        /* -pidfile FILE */
    const char *data_dirs[MAX_DATA_DIRS];   /* -L DIR: where -bios files are looked for */
    int ndata_dirs;
    /* reference mode and trace digests (cpu/trace_digest.h) */
    bool no_fast_paths;         /* --no-fast-paths: every hart in reference mode */
    uint64_t trace_every;       /* --trace-digest N: a line every N instructions; 0 = off */
    const char *trace_file;     /* --trace-file F: where they go (default stderr) */
    const char *incoming;       /* -incoming file:FILE: start from this snapshot (snapshot.h) */
    const char *incoming_uri;   /* -incoming tcp:/unix:: wait for a migration (migrate.h) */
    unsigned log_mask;          /* -d ITEM,...: LOG_* (cpu/log.h) */
    const char *log_file;       /* -D FILE: where they go (default stderr) */
    struct semihost_opts semihost;  /* -semihosting, -semihosting-config, --semihosting-root */
    struct loader_opts loaders; /* -device loader,... (loader_device.h) */
};

/* What the loaders wrote to guest memory, as QEMU's ROM list has it: the
 * overlap check and SYS_HEAPINFO read it (boot.c). */
struct boot_image {
    const char *name;
    uint64_t lo, hi;            /* [lo, hi) */
    bool loader;                /* -device loader's (the hart's address space, in QEMU) */
};
#define BOOT_MAX_IMAGES 16

struct machine {
    struct options opt;
    struct hart harts[MAX_HARTS];
    int nharts;
    struct bus bus;
    struct core core;           /* what the harts see of all this (core_wiring.c) */
    uint8_t *ram;
    uint64_t ram_base, ram_size;
    uint8_t rom[0x1000];        /* boot ROM at 0x1000: reset vector */

    /* devices of the board table (board.c), in its order; those the board
     * talks to by name are fields here, the others devs[].state */
    struct dev_inst devs[BOARD_MAX_DEVS];
    int ndevs;
    struct clint clint;
    struct plic plic;
    struct uart uart;
    struct rtc rtc;
    struct vslot vslot[VIRTIO_SLOTS];
    struct console console;
    struct htif htif;
    /* graphics: fb.mem == NULL and ui == NULL when not wanted */
    struct fb fb;
    struct blk_slot {           /* virtio-blk devices by virtio-mmio slot (drives.c) */
        struct vblk *dev;
        const char *file;       /* its image, as -drive file= named it */
        char id[64];            /* QEMU's name of the drive (drives.c) */
    } blk[8];
    struct blk_io *blk_io;      /* their I/O threads (disk/blk_io.h), NULL: requests run at once */
    struct vinput kbd, tablet;  /* virtio-input in virtio-mmio slots (vslot[n].vdev) */
    struct netsys *net;         /* NICs and their back ends (net.h), or NULL */
    struct ui *ui;              /* the SDL window (ui/ui.h), or NULL */
    FILE *serial_out;           /* -serial file:PATH, owned */
    FILE *con_out;              /* non-blocking, limited wrapper of the UART's output, or NULL (conout.h) */
    struct conout *conout;      /* con_out's state, for the idle wait (conout.h), or NULL */
    struct chardev *serial_chr; /* -serial on a socket or pty (chardev.h), or NULL */

    /* what the boot ROM and the device tree tell the guest */
    void *fdt;
    size_t fdt_len;
    uint64_t fdt_addr, initrd_start, initrd_end;
    struct boot_image images[BOOT_MAX_IMAGES];
    int nimages;

    /* time: wall clock, or instructions << icount_shift */
    uint64_t icount;            /* instructions retired by finished turns (+ idle warps) */
    struct hart *running;       /* hart inside hart_run, for mtime mid-turn */
    bool reset_requested;
    bool paused;                /* QEMU's "stop" (monitors, QMP): no hart runs, time stands still */
    uint64_t paused_ns;         /* ... since this ev_now_ns() */
    uint64_t paused_total_ns;   /* all the paused time before that */
    uint64_t timeout_spent_ns;  /* --timeout: the running time of earlier machine_run calls */

    /* how the run ends */
    bool exit_requested;
    int exit_code;              /* guest's status as reported */
    const char *exit_reason;
    int stuck_status;           /* EXIT_TRAP_LOOP / EXIT_DEAD_WAIT, or 0 (stuck.h) */
    char stuck_msg[192];        /* why the run cannot go on, or "" */
    int stuck_code;             /* ... and the status it would end with (also under a debugger) */
    uint64_t start_ns;
    /* -rtc: the RTC's time is rtc_base_ns + (its clock now - rtc_clock0_ns) */
    enum rtc_clock rtc_clock;   /* resolved: HOST, RT or VM */
    uint64_t rtc_base_ns, rtc_clock0_ns;
    int pidfile_fd;             /* -pidfile: holds its lock; -1 when none */
    bool raw_kernel_checked;    /* a raw -kernel was looked at once (boot.c) */
    /* --stats start-up: CLOCK_REALTIME ns at main()'s entry (set by
     * main; 0 = unknown) and at the first machine_run, just before hart_run */
    uint64_t main_rt_ns, first_run_rt_ns;

    /* debugger (monitor/debugger.h); all zero when none is attached */
    struct debugger *dbg;
    bool stop_requested;        /* machine_run returns MACHINE_STOPPED between turns */
    bool single_insn;           /* runs of one instruction, with trace hooks */
    uint32_t held;              /* bit i: hart i stays stopped while the others run (a
                                 * debugger resuming some harts only, gdb's vCont;c:TID) */
    int first_turn;             /* the hart whose turn comes first in the next machine_run
                                 * (a debugger's selected hart; 0 otherwise) */
    /* a turn cut short by a stop (a debugger's, --max-insns): hart turn_hart
     * had turn_left steps of its quantum to go (0: none). A snapshot keeps it;
     * restored, the next machine_run finishes that turn and that round first,
     * as the run would have gone on (resume_turn) */
    int turn_hart;
    uint64_t turn_left;
    bool resume_turn;
    struct icount_align {       /* -icount align=on (run.c): since this pair... */
        uint64_t icount0, host0;    /* ...of m->icount and machine_running_ns */
        uint64_t late_said_ns;      /* the lateness last warned of */
    } align;

    struct event_loop events;   /* what the run loop services between turns (events.h) */
    struct control *control;    /* fleet supervisor's channel, or NULL (monitor/control.c) */
    struct migration *migration;    /* the last `migrate`, or NULL (migrate.h) */
    struct monitors *monitors;  /* -monitor/-qmp on sockets and ptys, or NULL (monitor/monitors.c) */
    struct trace_digest trace;  /* --trace-digest: harts run hart_run_trace (cpu/exec_trace.c) */
    struct qlog log;            /* -d / -D (cpu/log.h); -d cpu runs hart_run_trace too */
    struct semihost semihost;   /* semihosting's files and command line (semihost.h) */
};

int machine_init(struct machine *m, const struct options *opt, char *err, size_t errlen);
void machine_free(struct machine *m);
/* Run until the guest exits, a limit is reached or an error; returns the
 * process exit status (design.md §2). */
int machine_run(struct machine *m);
/* machine_run's status when the debugger stopped it (never an exit status). */
#define MACHINE_STOPPED 256
/* One run of one instruction on hart h, as a turn of machine_run does it
 * (interrupts, counters, timers): the debugger's single step. */
void machine_step(struct machine *m, struct hart *h);
/* A device asks the run loop to stop with a guest exit code. */
void machine_request_exit(struct machine *m, int code, const char *reason);
/* Point m->core at the bus, harts and trace digest, and give it the
 * board's hooks (machine/core_wiring.c): after m->opt and m->nharts are
 * set, before the harts are reset. */
void machine_core_init(struct machine *m);
/* mtime: 10 MHz from the host monotonic clock. */
uint64_t machine_mtime(struct machine *m);
/* The RTC's time of day (-rtc base= and clock=), ns since the epoch. */
uint64_t rtc_clock_now(struct machine *m);
/* Re-evaluate the interrupt lines that depend on time. */
void machine_update_timers(struct machine *m);
/* Stop or resume the whole machine as QEMU's stop and cont do: while
 * paused no hart runs, the event sources are still served, and guest time
 * (mtime) stands still. */
void machine_pause(struct machine *m, bool paused);
/* Host time (ev_now_ns) less the time paused: what --timeout counts. */
uint64_t machine_running_ns(const struct machine *m);
/* The guest asks for a reset (syscon-reboot, test finisher 0x7777). */
void machine_request_reset(struct machine *m);
/* Reboot now (fresh RAM, images, devices; harts at the reset vector):
 * the run loop's answer to machine_request_reset, and a stopped
 * debugger's system_reset. -1 when the images cannot be loaded again. */
int machine_reset(struct machine *m);
/* Write the device tree the guest gets to path (--dump-dtb). */
int machine_dump_dtb(struct machine *m, const char *path, char *err, size_t errlen);

#endif

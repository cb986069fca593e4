/* hartvm: parse the command line, build the machine, run it. */
#include "../machine/machine.h"
#include "../machine/options.h"
#include "../machine/snapshot.h"
#include "../machine/migrate.h"
#include "control.h"
#include "fleet.h"
#include "debugger.h"
#include "monitors.h"
#include "../ui/ui.h"
#include <string.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    struct timespec t_main;     /* --stats start-up: after exec and dynamic loading */
    clock_gettime(CLOCK_REALTIME, &t_main);
    struct options opt;
    char err[512];
    if (argc > 1 && !strcmp(argv[1], "fleet"))     /* the supervisor of many instances */
        return fleet_main(argc - 1, argv + 1);
    switch (options_parse(argc, argv, &opt, stdout, err, sizeof err)) {
    case PARSE_EXIT_OK:
        return 0;
    case PARSE_ERROR:
        fprintf(stderr, "hartvm: %s\n", err);
        return 2;
    case PARSE_OK:
        break;
    }
    struct machine *m = malloc(sizeof *m);
    if (!m) {
        fprintf(stderr, "hartvm: out of memory\n");
        return 1;
    }
    if (machine_init(m, &opt, err, sizeof err)) {
        fprintf(stderr, "hartvm: %s\n", err);
        machine_free(m);
        free(m);
        return 1;
    }
    m->main_rt_ns = (uint64_t)t_main.tv_sec * 1000000000ull + (uint64_t)t_main.tv_nsec;
    if (opt.incoming && snapshot_read_file(m, opt.incoming, err, sizeof err)) {
        fprintf(stderr, "hartvm: -incoming file:%s\n", err);
        machine_free(m);
        free(m);
        return 1;
    }
    if (opt.incoming_uri && migrate_incoming(m, opt.incoming_uri, err, sizeof err)) {
        fprintf(stderr, "hartvm: -incoming %s: migration failed: %s\n", opt.incoming_uri, err);
        machine_free(m);
        free(m);
        return 1;
    }
    if (opt.dump_dtb) {         /* QEMU's dumpdtb: write the tree, do not run */
        int r = machine_dump_dtb(m, opt.dump_dtb, err, sizeof err);
        if (r)
            fprintf(stderr, "hartvm: %s\n", err);
        machine_free(m);
        free(m);
        return r ? 1 : 0;
    }
    /* the front ends: each registers with the run loop (machine/events.h) */
    if ((opt.display_sdl && ui_open(m, err, sizeof err)) ||
        (opt.control && control_open(m, opt.control, err, sizeof err)) ||
        monitors_open(m, err, sizeof err)) {
        fprintf(stderr, "hartvm: %s\n", err);
        monitors_close(m, 1);
        control_close(m, 1);
        ui_close(m);
        machine_free(m);
        free(m);
        return 1;
    }
    int status = debugger_main(m);   /* machine_run, or under the debugger (monitor/) */
    control_close(m, status);   /* the fleet supervisor learns the end (monitor/control.c) */
    monitors_close(m, status);  /* QMP clients hear SHUTDOWN */
    ui_close(m);                /* before machine_free: the window reads the framebuffer */
    machine_free(m);
    free(m);
    return status;
}

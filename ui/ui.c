/*
 * The window, as hartvm sees it (ui.h): a thin front for the window module
 * (module.h), which hartvm loads with dlopen only when -display sdl asks
 * for a window. This file knows nothing of SDL; a run without a window
 * maps neither the module nor libSDL2 and the ~60 libraries behind it.
 *
 * Where the module is: beside the running executable (the directory of
 * /proc/self/exe, symbolic links resolved), so each build directory
 * (build/, build-debug/, build-san/) uses its own module.
 *
 * The module is never unmapped once loaded (RTLD_NODELETE): libSDL2 and
 * the X11/GL libraries it loads in turn are not made to be unloaded and
 * loaded again within one process, and a second machine's window finds
 * them ready.
 */
#include "ui.h"
#include "module.h"
#include "../machine/machine.h"
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ui {
    void *dl;                       /* the module (dlopen handle) */
    const struct ui_ops *ops;       /* its operations (const, in the module) */
    struct ui_window *win;          /* the module's state for this window */
};

/* path = the executable's directory + UI_MODULE_FILE */
static int module_path(char *path, size_t len, char *err, size_t errlen)
{
    ssize_t n = readlink("/proc/self/exe", path, len);
    if (n < 0 || (size_t)n >= len) {
        snprintf(err, errlen, "-display sdl: cannot find the hartvm executable (/proc/self/exe): %s",
                 n < 0 ? strerror(errno) : "path too long");
        return -1;
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    if (dir + sizeof UI_MODULE_FILE > len) {
        snprintf(err, errlen, "-display sdl: the window module's path is too long");
        return -1;
    }
    memcpy(path + dir, UI_MODULE_FILE, sizeof UI_MODULE_FILE);
    return 0;
}

/* Load the module and return its operations, or NULL with a message. */
static const struct ui_ops *module_load(void **dl, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (module_path(path, sizeof path, err, errlen))
        return NULL;
    *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!*dl) {                     /* names the file missing: the module or libSDL2 */
        snprintf(err, errlen, "-display sdl: cannot load the window module: %s; "
                 "use -display none or -nographic", dlerror());
        return NULL;
    }
    ui_module_entry *entry = (ui_module_entry *)dlsym(*dl, UI_MODULE_ENTRY);
    const struct ui_ops *ops = entry ? entry() : NULL;
    if (!ops || ops->abi != UI_MODULE_ABI) {
        snprintf(err, errlen, "-display sdl: %s is not a window module of this hartvm build", path);
        dlclose(*dl);
        return NULL;
    }
    return ops;
}

/*
 * The window as an event source of the run loop. Its input queue, filled
 * by the window's thread, has no descriptor to wait on: an idle machine
 * looks at it every UI_IDLE_NS (a key press is seen within 10 ms).
 */
#define UI_IDLE_NS 10000000ull
static void ui_service(void *ctx) { ui_poll(ctx); }
static uint64_t ui_max_sleep(void *ctx) { (void)ctx; return UI_IDLE_NS; }
static void ui_running(void *ctx, bool running) { ui_set_running(((struct machine *)ctx)->ui, running); }
/* Keys and pointer moves: virtio-input writes them into guest buffers and interrupts. */
static unsigned ui_may_wake(void *ctx) { (void)ctx; return EV_WAKE_IRQ | EV_WAKE_DMA; }

int ui_open(struct machine *m, char *err, size_t errlen)
{
    struct ui *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory for the window");
        return -1;
    }
    u->ops = module_load(&u->dl, err, errlen);
    if (u->ops)
        u->win = u->ops->open(&m->fb, m->opt.name ? m->opt.name : "", m->opt.stats, err, errlen);
    if (!u->win) {
        if (u->ops)
            dlclose(u->dl);
        free(u);
        return -1;
    }
    m->ui = u;
    ev_add(&m->events, &(struct ev_source){
        .name = "window", .ctx = m, .service = ui_service, .period_ns = EV_POLL_NS,
        .max_sleep_ns = ui_max_sleep, .running = ui_running,
        .may_wake = ui_may_wake });
    return 0;
}

void ui_poll(struct machine *m)
{
    struct ui *u = m->ui;
    if (!u)
        return;
    struct ui_input ev[UI_QUEUE];
    bool quit = false;
    unsigned n = u->ops->poll(u->win, ev, UI_QUEUE, &quit);
    for (unsigned i = 0; i < n; i++)
        vinput_event(ev[i].dev == UI_DEV_KBD ? &m->kbd : &m->tablet, ev[i].type, ev[i].code, ev[i].value);
    if (quit)
        machine_request_exit(m, 0, "window closed");
}

void ui_set_running(struct ui *u, bool running)
{
    if (u)
        u->ops->set_running(u->win, running);
}

bool ui_closed(const struct ui *u)
{
    return u && u->ops->closed(u->win);
}

void ui_close(struct machine *m)
{
    struct ui *u = m->ui;
    if (!u)
        return;
    ev_remove(&m->events, "window");
    u->ops->close(u->win);
    dlclose(u->dl);                 /* RTLD_NODELETE: stays mapped, see above */
    free(u);
    m->ui = NULL;
}

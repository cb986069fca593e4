/*
 * The window module's interface: what build/hartvm-ui-sdl.so offers the
 * hartvm binary, which loads it only for -display sdl (ui/ui.c).
 *
 *   hartvm                          hartvm-ui-sdl.so (ui/sdl.c, keymap.c)
 *   ------                          ----------------------------------------
 *   ui.c: dlopen(exe dir/MODULE) -> links libSDL2 (and through it X11,
 *         dlsym(UI_MODULE_ENTRY)    Wayland, PulseAudio, ...: ~60 libraries
 *         -> const struct ui_ops *  that a headless run never loads)
 *
 * Linking SDL into hartvm itself would cost every run, windowed or not,
 * those libraries' loading and relocation (tens of milliseconds before
 * main) and several MiB of resident memory.
 *
 * The module calls nothing in hartvm (it is linked with -z defs): it reads
 * the framebuffer it is given, and hands input events back through poll,
 * for ui.c to deliver to the virtio-input devices. Module and binary come
 * from the same build; UI_MODULE_ABI guards against a stale module.
 */
#ifndef UI_MODULE_H
#define UI_MODULE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fb;
struct ui_window;                   /* the module's state for one window */

#define UI_MODULE_FILE  "hartvm-ui-sdl.so"
#define UI_MODULE_ENTRY "hartvm_ui_sdl_ops"
#define UI_MODULE_ABI   1           /* bump when anything below changes */
#define UI_QUEUE        1024        /* input events held between two polls */

/* An input event for the keyboard or the tablet (Linux EV_*, codes). */
enum { UI_DEV_KBD, UI_DEV_TABLET };
struct ui_input {
    uint8_t dev;
    uint16_t type, code;
    int32_t value;
};

struct ui_ops {
    unsigned abi;                   /* UI_MODULE_ABI */
    /* Open a window showing fb (which must outlive it), titled with name
     * (may be ""); stats: print the window's figures at close. Returns
     * the window, or NULL with a message in err. */
    struct ui_window *(*open)(const struct fb *fb, const char *name, bool stats,
                              char *err, size_t errlen);
    /* Move up to max queued input events into ev; returns their number.
     * *quit becomes true once the user has closed the window. Cheap
     * when nothing happened. */
    unsigned (*poll)(struct ui_window *w, struct ui_input *ev, unsigned max, bool *quit);
    void (*set_running)(struct ui_window *w, bool running);
    bool (*closed)(const struct ui_window *w);
    void (*close)(struct ui_window *w);
};

/* The module's one exported symbol, named UI_MODULE_ENTRY. */
typedef const struct ui_ops *ui_module_entry(void);
ui_module_entry hartvm_ui_sdl_ops;
#endif

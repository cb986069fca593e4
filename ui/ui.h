/*
 * The SDL window (-display sdl): what the rest of hartvm sees of it. Only
 * ui/ includes SDL headers; nothing here needs them. The window itself is
 * the module hartvm-ui-sdl.so, loaded by ui_open from the directory of the
 * hartvm executable (module.h, ui.c): hartvm does not link SDL, so a run
 * without a window never loads it.
 *
 * Threads. All SDL calls happen on one thread of the window's own: it
 * pumps SDL events and, at most at the display's refresh rate, compares
 * the framebuffer with a shadow copy row by row and uploads only the rows
 * that changed. It only ever reads guest memory (the framebuffer), never
 * touches the machine otherwise, so the guest runs at full speed on the
 * run-loop thread however busy the screen is (a redraw under Xvfb costs
 * milliseconds: on the run-loop thread it would slow a guest that scrolls
 * its console by tens of percent). Input events cross to the run loop
 * through a small locked queue; ui_poll() (called by the run loop every
 * millisecond or so) hands them to the virtio-input devices, and turns a
 * closed window into a clean machine exit.
 *
 * The guest's stores into the framebuffer race with the window's reads by
 * design: a frame may show a half-drawn row, the next refresh shows the
 * rest (as on real hardware without page flipping).
 */
#ifndef UI_UI_H
#define UI_UI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct ui;

/* Load the window module, open the window for m's framebuffer and start
 * its thread; sets m->ui. Returns 0, or -1 with a message in err (module
 * or libSDL2 missing, no display, SDL failure). */
int ui_open(struct machine *m, char *err, size_t errlen);
/* Run-loop side: deliver queued input to m's devices; a closed window
 * requests the machine's exit (status 0). Cheap when nothing happened. */
void ui_poll(struct machine *m);
/* The title says whether the guest runs or is stopped in the debugger.
 * u may be NULL (no window). */
void ui_set_running(struct ui *u, bool running);
/* Has the user closed the window? (u may be NULL: false) */
bool ui_closed(const struct ui *u);
/* Close the window and stop its thread; m->ui becomes NULL. */
void ui_close(struct machine *m);

/* Linux input code (KEY_*) for an SDL scancode (its number is the USB HID
 * keyboard usage), 0 for keys that have none. Part of the module
 * (ui/keymap.c, a table: the unit tests link keymap.o directly). */
unsigned ui_keymap(unsigned sdl_scancode);
#endif

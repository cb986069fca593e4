/* The framebuffer and its input devices, created when the options want a
 * screen (-display sdl, --fb WxH): the board side of dev/fb.c and
 * dev/virtio_input.c. */
#ifndef MACHINE_GRAPHICS_H
#define MACHINE_GRAPHICS_H
#include <stddef.h>

struct machine;
/* Create and map m's framebuffer if m->opt.fb_width != 0. 0, or -1 with a
 * message in err when the size does not fit. */
int fb_attach(struct machine *m, char *err, size_t errlen);
/* With a framebuffer, put the keyboard and the tablet in the highest free
 * virtio-mmio slots (as QEMU places -device virtio-keyboard-device
 * -device virtio-tablet-device after any disks). 0, or -1 with a message. */
int vinput_attach(struct machine *m, char *err, size_t errlen);
/* The debugger's `screendump FILE`: m's framebuffer to a PPM file. */
int fb_screendump(struct machine *m, const char *path, char *err, size_t errlen);
#endif

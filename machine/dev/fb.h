/*
 * The simple framebuffer: a linear array of 32-bit pixels, plain memory on
 * the bus, described to the guest by a `simple-framebuffer` device-tree
 * node (compatible, reg, width, height, stride, format = "x8r8g8b8").
 *
 *   pixel (x, y) at base + y * stride + 4 * x, little-endian 0x00RRGGBB:
 *
 *     byte  +0      +1      +2      +3
 *         +-------+-------+-------+-------+
 *         |   B   |   G   |   R   |  (X)  |
 *         +-------+-------+-------+-------+
 *
 * Placement: 0x0400_0000, the 32 MiB window QEMU's virt machine keeps for
 * dynamically created sysbus devices (its platform-bus@4000000 node) and
 * leaves empty by default. A framebuffer is exactly such a device, so
 * software built for virt never expects anything else there; unlike a
 * carve-out at the top of DRAM it takes no guest RAM, needs no
 * /reserved-memory node and leaves the /memory node as QEMU writes it.
 * The window bounds the size (3840x2160 still fits).
 *
 * The framebuffer exists only when asked for (-display sdl or --fb WxH),
 * so a headless machine's device tree stays identical to QEMU's.
 */
#ifndef MACHINE_DEV_FB_H
#define MACHINE_DEV_FB_H
#include <stdint.h>
#include <stddef.h>
#include "device.h"

#define FB_WINDOW_BASE  0x04000000ull
#define FB_WINDOW_SIZE  0x02000000ull
#define FB_DEFAULT_W    1024
#define FB_DEFAULT_H    768
#define FB_MIN_DIM      16
#define FB_MAX_DIM      4096
#define FB_BPP          4           /* x8r8g8b8 */

struct fb {
    uint8_t *mem;                   /* host buffer; NULL: no framebuffer */
    uint64_t base, size;            /* guest-physical, size page-rounded */
    uint32_t width, height, stride; /* pixels, pixels, bytes per row */
};

/* Allocate a width x height framebuffer at FB_WINDOW_BASE (zeroed: black).
 * Returns 0, or -1 with a message in err when the size does not fit. */
int fb_init(struct fb *fb, uint32_t width, uint32_t height, char *err, size_t errlen);
void fb_free(struct fb *fb);

/* "WxH" (e.g. "1024x768") into *w, *h; 0 or -1 if malformed/out of range. */
int fb_parse_size(const char *s, uint32_t *w, uint32_t *h);

/* Write the framebuffer as a binary PPM (P6, 8 bits per channel).
 * Returns 0, or -1 with a message in err. */
int fb_write_ppm(const struct fb *fb, const char *path, char *err, size_t errlen);
/* The class: its state is a struct fb; no MMIO (the pixels are memory the
 * board maps when it creates the buffer, machine/graphics.c); a node
 * only when the buffer exists. Pixels are guest memory, as RAM is: the
 * stream holds the geometry only. */
extern const struct dev_class fb_class;
#endif

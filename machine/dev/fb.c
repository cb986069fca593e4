/*
 * The simple framebuffer (see fb.h for the pixel layout and why it lives
 * at 0x0400_0000). The guest writes pixels at RAM speed: the buffer is
 * registered on the bus as ordinary memory, so the TLB maps it like RAM.
 * Nobody traps writes; the window finds changes by comparing against a
 * shadow copy at refresh time (ui/), the screendump reads it whole.
 */
#include "fb.h"
#include "../fdt.h"
#include "../state.h"
#include <libfdt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fb_init(struct fb *fb, uint32_t width, uint32_t height, char *err, size_t errlen)
{
    memset(fb, 0, sizeof *fb);
    uint64_t stride = (uint64_t)width * FB_BPP;
    uint64_t size = (stride * height + 0xfff) & ~0xfffull;
    if (width < FB_MIN_DIM || height < FB_MIN_DIM || width > FB_MAX_DIM ||
        height > FB_MAX_DIM || size > FB_WINDOW_SIZE) {
        snprintf(err, errlen, "framebuffer %ux%u: need %u..%u pixels a side and at most %llu MiB",
                 width, height, FB_MIN_DIM, FB_MAX_DIM, FB_WINDOW_SIZE >> 20);
        return -1;
    }
    fb->mem = calloc(1, size);
    if (!fb->mem) {
        snprintf(err, errlen, "cannot allocate a %ux%u framebuffer", width, height);
        return -1;
    }
    fb->base = FB_WINDOW_BASE;
    fb->size = size;
    fb->width = width;
    fb->height = height;
    fb->stride = (uint32_t)stride;
    return 0;
}

void fb_free(struct fb *fb)
{
    free(fb->mem);
    memset(fb, 0, sizeof *fb);
}

int fb_parse_size(const char *s, uint32_t *w, uint32_t *h)
{
    char *end;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (errno || end == s || *s < '0' || *s > '9' || (*end != 'x' && *end != 'X'))
        return -1;
    const char *t = end + 1;
    unsigned long b = strtoul(t, &end, 10);
    if (errno || end == t || *t < '0' || *t > '9' || *end)
        return -1;
    if (a < FB_MIN_DIM || b < FB_MIN_DIM || a > FB_MAX_DIM || b > FB_MAX_DIM ||
        (((uint64_t)a * FB_BPP * b + 0xfff) & ~0xfffull) > FB_WINDOW_SIZE)
        return -1;
    *w = (uint32_t)a;
    *h = (uint32_t)b;
    return 0;
}

int fb_write_ppm(const struct fb *fb, const char *path, char *err, size_t errlen)
{
    if (!fb->mem) {
        snprintf(err, errlen, "no framebuffer (start with -display sdl or --fb WxH)");
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *row = malloc((size_t)fb->width * 3);
    int bad = !row || fprintf(f, "P6\n%u %u\n255\n", fb->width, fb->height) < 0;
    for (uint32_t y = 0; y < fb->height && !bad; y++) {
        const uint8_t *p = fb->mem + (size_t)y * fb->stride;
        for (uint32_t x = 0; x < fb->width; x++, p += FB_BPP) {
            row[3 * x + 0] = p[2];      /* R */
            row[3 * x + 1] = p[1];      /* G */
            row[3 * x + 2] = p[0];      /* B */
        }
        bad = fwrite(row, 3, fb->width, f) != fb->width;
    }
    free(row);
    if (fclose(f) || bad) {
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

#define TRY(x) do { int r_ = (x); if (r_ < 0) return r_; } while (0)

/* What Linux's simplefb / simpledrm read (bindings/display/simple-framebuffer.yaml). */
static int fb_fdt_node(struct fdt_ctx *c, const struct dev_node *n)
{
    const struct fb *fb = n->state;
    char name[48];
    if (!fb->mem)
        return 0;
    fdt64_t reg[2] = { cpu_to_fdt64(fb->base), cpu_to_fdt64(fb->size) };
    snprintf(name, sizeof name, "framebuffer@%llx", (unsigned long long)fb->base);
    TRY(fdt_begin_node(c->fdt, name));
    TRY(fdt_property_string(c->fdt, "compatible", "simple-framebuffer"));
    TRY(fdt_property(c->fdt, "reg", reg, sizeof reg));
    TRY(fdt_property_u32(c->fdt, "width", fb->width));
    TRY(fdt_property_u32(c->fdt, "height", fb->height));
    TRY(fdt_property_u32(c->fdt, "stride", fb->stride));
    TRY(fdt_property_string(c->fdt, "format", "x8r8g8b8"));
    TRY(fdt_property_string(c->fdt, "status", "okay"));
    return fdt_end_node(c->fdt);
}

static void fb_reset(void *dev)
{
    (void)dev;                      /* the picture stays, as on a real board */
}

static void fb_save(const void *dev, struct state_out *o)
{
    const struct fb *fb = dev;
    state_put_u8(o, fb->mem != NULL);
    state_put_u64(o, fb->base);
    state_put_u64(o, fb->size);
    state_put_u32(o, fb->width);
    state_put_u32(o, fb->height);
    state_put_u32(o, fb->stride);
}

static int fb_restore(void *dev, struct state_in *in)
{
    const struct fb *fb = dev;
    bool present = state_get_bool(in);
    uint64_t base = state_get_u64(in), size = state_get_u64(in);
    uint32_t w = state_get_u32(in), h = state_get_u32(in), stride = state_get_u32(in);
    if (present != (fb->mem != NULL) || base != fb->base || size != fb->size ||
        w != fb->width || h != fb->height || stride != fb->stride)
        return state_reject(in, "framebuffer geometry differs");
    return 0;
}

const struct dev_class fb_class = {
    .name = "framebuffer",
    .node = "framebuffer",
    DEV_COMPAT("simple-framebuffer"),
    .state_size = sizeof(struct fb),
    .reset = fb_reset,
    .fdt_node = fb_fdt_node,
    .state_version = 1,
    .save = fb_save,
    .restore = fb_restore,
};

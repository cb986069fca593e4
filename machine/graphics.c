/* The board side of the framebuffer and virtio-input (see graphics.h). */
#include "graphics.h"
#include "machine.h"
#include <stdio.h>

/* Plain memory on the bus (the TLB maps it like RAM): the guest writes
 * pixels at RAM speed and nobody traps them (dev/fb.c). */
int fb_attach(struct machine *m, char *err, size_t errlen)
{
    if (!m->opt.fb_width)
        return 0;
    if (fb_init(&m->fb, m->opt.fb_width, m->opt.fb_height, err, errlen))
        return -1;
    if (bus_add_memory(&m->bus, "framebuffer", m->fb.base, m->fb.size, m->fb.mem, false)) {
        snprintf(err, errlen, "cannot map the framebuffer");
        return -1;
    }
    return 0;
}

static int attach_one(struct machine *m, struct vinput *d, enum vinput_kind kind, char *err,
                      size_t errlen)
{
    for (int n = VIRTIO_SLOTS - 1; n >= 0; n--) {
        struct vslot *s = &m->vslot[n];
        if (s->vdev)
            continue;
        /* Always modern: Linux's virtio-input driver needs VIRTIO_F_VERSION_1,
         * which marks a device that is not legacy (virtio 1.2 §6). */
        vinput_init(d, kind, s->dma, false, &s->irq);
        vslot_attach(s, &d->vdev);
        return 0;
    }
    snprintf(err, errlen, "no free virtio-mmio slot for the %s", kind ? "tablet" : "keyboard");
    return -1;
}

int vinput_attach(struct machine *m, char *err, size_t errlen)
{
    if (!m->opt.fb_width)
        return 0;
    if (attach_one(m, &m->kbd, VINPUT_KEYBOARD, err, errlen) ||
        attach_one(m, &m->tablet, VINPUT_TABLET, err, errlen))
        return -1;
    return 0;
}

int fb_screendump(struct machine *m, const char *path, char *err, size_t errlen)
{
    return fb_write_ppm(&m->fb, path, err, errlen);
}

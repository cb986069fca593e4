/* The framebuffer (sizes, PPM dump, device-tree node), the virtio-input
 * keyboard and tablet driven through their registers and rings from the
 * test (no guest), and the SDL-scancode keymap. */
#include "unit.h"
#include "../../machine/machine.h"
#include "../../machine/fdt.h"
#include "../../machine/options.h"
#include "../../ui/ui.h"
#include <libfdt.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- framebuffer -------------------------------------------------------- */

START_TEST(fb_sizes)
{
    struct fb fb;
    char err[256];
    ck_assert_int_eq(fb_init(&fb, FB_DEFAULT_W, FB_DEFAULT_H, err, sizeof err), 0);
    ck_assert_uint_eq(fb.base, FB_WINDOW_BASE);
    ck_assert_uint_eq(fb.stride, FB_DEFAULT_W * 4);
    ck_assert_uint_eq(fb.size, FB_DEFAULT_W * 4 * FB_DEFAULT_H);
    fb_free(&fb);
    ck_assert_int_eq(fb_init(&fb, 100, 30, err, sizeof err), 0);
    ck_assert_uint_eq(fb.size, 12288);              /* 12000 rounded to pages */
    fb_free(&fb);
    ck_assert_int_eq(fb_init(&fb, 3840, 2160, err, sizeof err), 0);
    fb_free(&fb);
    ck_assert_int_eq(fb_init(&fb, 8, 100, err, sizeof err), -1);
    ck_assert_int_eq(fb_init(&fb, 4096, 4096, err, sizeof err), -1);   /* 64 MiB > window */
    ck_assert_ptr_null(fb.mem);
}
END_TEST

START_TEST(fb_parse)
{
    static const struct { const char *s; int ok; uint32_t w, h; } c[] = {
        { "1024x768", 1, 1024, 768 }, { "640X480", 1, 640, 480 }, { "3840x2160", 1, 3840, 2160 },
        { "x768", 0, 0, 0 }, { "1024x", 0, 0, 0 }, { "1024x768x", 0, 0, 0 }, { "-5x10", 0, 0, 0 },
        { "10x10", 0, 0, 0 }, { "4096x4096", 0, 0, 0 }, { "", 0, 0, 0 }, { "1024*768", 0, 0, 0 },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        uint32_t w = 0, h = 0;
        int r = fb_parse_size(c[i].s, &w, &h);
        ck_assert_msg((r == 0) == c[i].ok, "case %u (%s): %d", i, c[i].s, r);
        if (c[i].ok)
            ck_assert_msg(w == c[i].w && h == c[i].h, "case %u: %ux%u", i, w, h);
    }
}
END_TEST

START_TEST(fb_ppm)
{
    struct fb fb;
    char err[256], path[] = "/tmp/hartvm-fb-XXXXXX";
    ck_assert_int_eq(fb_init(&fb, 20, 16, err, sizeof err), 0);
    for (uint32_t y = 0; y < 16; y++)
        for (uint32_t x = 0; x < 20; x++) {
            uint32_t px = 0xff000000u | (x * 12) << 16 | (y * 15) << 8 | ((x + y) & 0xff);
            memcpy(fb.mem + y * fb.stride + 4 * x, &px, 4);
        }
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(fb_write_ppm(&fb, path, err, sizeof err), 0);
    FILE *f = fopen(path, "rb");
    char head[32] = { 0 };
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fread(head, 1, 13, f), 13);
    ck_assert_str_eq(head, "P6\n20 16\n255\n");
    uint8_t rgb[20 * 16 * 3];
    ck_assert_int_eq(fread(rgb, 1, sizeof rgb, f), sizeof rgb);
    ck_assert_int_eq(fgetc(f), EOF);
    fclose(f);
    unlink(path);
    for (uint32_t y = 0; y < 16; y++)
        for (uint32_t x = 0; x < 20; x++) {
            const uint8_t *p = rgb + 3 * (y * 20 + x);
            ck_assert_msg(p[0] == x * 12 && p[1] == y * 15 && p[2] == ((x + y) & 0xff),
                          "pixel %u,%u", x, y);
        }
    fb_free(&fb);
    ck_assert_int_eq(fb_write_ppm(&fb, path, err, sizeof err), -1);   /* no framebuffer */
}
END_TEST

/* Run the framebuffer class's node writer for m->fb into a minimal tree. */
static void *tree_with_fb(struct machine *m)
{
    struct fdt_ctx c = { .m = m, .fdt = calloc(1, 4096) };
    ck_assert_int_eq(fdt_create(c.fdt, 4096), 0);
    ck_assert_int_eq(fdt_finish_reservemap(c.fdt), 0);
    ck_assert_int_eq(fdt_begin_node(c.fdt, ""), 0);
    struct dev_node n = { .cls = &fb_class, .base = FB_WINDOW_BASE, .size = FB_WINDOW_SIZE,
                          .state = &m->fb };
    ck_assert_int_eq(fb_class.fdt_node(&c, &n), 0);
    ck_assert_int_eq(fdt_end_node(c.fdt), 0);
    ck_assert_int_eq(fdt_finish(c.fdt), 0);
    return c.fdt;
}

START_TEST(fb_device_tree)
{
    struct machine *m = calloc(1, sizeof *m);
    char err[256];
    void *fdt = tree_with_fb(m);                    /* no framebuffer: no node */
    ck_assert_int_lt(fdt_path_offset(fdt, "/framebuffer@4000000"), 0);
    free(fdt);
    ck_assert_int_eq(fb_init(&m->fb, 800, 600, err, sizeof err), 0);
    fdt = tree_with_fb(m);
    int off = fdt_path_offset(fdt, "/framebuffer@4000000");
    ck_assert_int_ge(off, 0);
    ck_assert_int_eq(fdt_node_check_compatible(fdt, off, "simple-framebuffer"), 0);
    const char *fmt = fdt_getprop(fdt, off, "format", NULL);
    ck_assert_str_eq(fmt, "x8r8g8b8");
    static const char *const cell[] = { "width", "height", "stride" };
    const uint32_t want[] = { 800, 600, 3200 };
    for (int i = 0; i < 3; i++) {
        int len;
        const fdt32_t *v = fdt_getprop(fdt, off, cell[i], &len);
        ck_assert_msg(v && len == 4 && fdt32_to_cpu(*v) == want[i], "%s", cell[i]);
    }
    int len;
    const void *regp = fdt_getprop(fdt, off, "reg", &len);
    fdt64_t reg[2];                                 /* properties are only 4-byte aligned */
    ck_assert_int_eq(len, 16);
    memcpy(reg, regp, sizeof reg);
    ck_assert_uint_eq(fdt64_to_cpu(reg[0]), FB_WINDOW_BASE);
    ck_assert_uint_eq(fdt64_to_cpu(reg[1]), (800 * 600 * 4 + 0xfff) & ~0xfff);   /* whole pages */
    free(fdt);
    fb_free(&m->fb);
    free(m);
}
END_TEST

/* ---- virtio-input through the transport ------------------------------- */

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1u << 20)
#define DESC  (RAM_BASE + 0x1000)
#define AVAIL (RAM_BASE + 0x2000)
#define USED  (RAM_BASE + 0x3000)
#define BUF   (RAM_BASE + 0x10000)
#define QN 16

struct rig {
    struct bus bus;
    uint8_t *ram;
    struct vinput dev;
    uint16_t avail_idx[2];
};

static uint32_t rd(struct rig *r, uint64_t off, unsigned size)
{
    uint64_t v;
    virtio_mmio_ops.read(&r->dev.vdev, off, size, &v);
    return (uint32_t)v;
}
static void wr(struct rig *r, uint64_t off, unsigned size, uint32_t v)
{
    virtio_mmio_ops.write(&r->dev.vdev, off, size, v);
}
static void *ram(struct rig *r, uint64_t pa) { return r->ram + (pa - RAM_BASE); }

static void rig_open(struct rig *r, enum vinput_kind kind)
{
    memset(r, 0, sizeof *r);
    r->ram = calloc(1, RAM_SIZE);
    bus_add_memory(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram, false);
    vinput_init(&r->dev, kind, &r->bus, false, NULL);
}

static void rig_close(struct rig *r)
{
    bus_free(&r->bus);
    free(r->ram);
}

/* Queue q's rings sit at DESC/AVAIL/USED + q * 0x400. */
static uint64_t qbase(int q, uint64_t ring) { return ring + 0x400ull * q; }

static void setup_queue(struct rig *r, int q)
{
    wr(r, 0x030, 4, q);
    ck_assert_uint_ge(rd(r, 0x034, 4), QN);
    wr(r, 0x038, 4, QN);
    wr(r, 0x080, 4, (uint32_t)qbase(q, DESC));  wr(r, 0x084, 4, 0);
    wr(r, 0x090, 4, (uint32_t)qbase(q, AVAIL)); wr(r, 0x094, 4, 0);
    wr(r, 0x0a0, 4, (uint32_t)qbase(q, USED));  wr(r, 0x0a4, 4, 0);
    wr(r, 0x044, 4, 1);
}

static void driver_init(struct rig *r)
{
    wr(r, 0x070, 4, 1 | 2);
    wr(r, 0x024, 4, 1); wr(r, 0x020, 4, 1);     /* VERSION_1 */
    wr(r, 0x070, 4, 1 | 2 | 8);
    ck_assert(rd(r, 0x070, 4) & 8);
    setup_queue(r, 0);
    setup_queue(r, 1);
    wr(r, 0x070, 4, 1 | 2 | 8 | 4);
}

/* Offer n one-event buffers (8 bytes each at BUF + 8*i) on queue q. */
static void offer(struct rig *r, int q, int n, uint32_t len)
{
    for (int i = 0; i < n; i++) {
        uint16_t slot = r->avail_idx[q] % QN;
        uint64_t addr = BUF + 0x100ull * q + 8ull * slot;
        uint8_t *d = ram(r, qbase(q, DESC) + 16 * slot);
        uint16_t flags = q == 0 ? 2 : 0, next = 0;      /* eventq: device-writable */
        memcpy(d, &addr, 8); memcpy(d + 8, &len, 4); memcpy(d + 12, &flags, 2); memcpy(d + 14, &next, 2);
        memcpy(ram(r, qbase(q, AVAIL) + 4 + 2 * slot), &slot, 2);
        r->avail_idx[q]++;
    }
    memcpy(ram(r, qbase(q, AVAIL) + 2), &r->avail_idx[q], 2);
    wr(r, 0x050, 4, q);
}

static uint16_t used_idx(struct rig *r, int q)
{
    uint16_t v;
    memcpy(&v, ram(r, qbase(q, USED) + 2), 2);
    return v;
}

/* The event the device wrote for used entry i of the eventq. */
static void used_event(struct rig *r, int i, uint16_t *type, uint16_t *code, uint32_t *value,
                       uint32_t *len)
{
    uint32_t id;
    memcpy(&id, ram(r, qbase(0, USED) + 4 + 8 * (i % QN)), 4);
    memcpy(len, ram(r, qbase(0, USED) + 8 + 8 * (i % QN)), 4);
    uint8_t *e = ram(r, BUF + 8ull * id);
    memcpy(type, e, 2); memcpy(code, e + 2, 2); memcpy(value, e + 4, 4);
}

/* Ask (select, subsel); returns the size, the answer in u. */
static unsigned ask(struct rig *r, uint8_t select, uint8_t subsel, uint8_t *u)
{
    wr(r, 0x100, 1, select);
    wr(r, 0x101, 1, subsel);
    ck_assert_uint_eq(rd(r, 0x100, 1), select);
    ck_assert_uint_eq(rd(r, 0x101, 1), subsel);
    unsigned size = rd(r, 0x102, 1);
    for (unsigned i = 0; i < 128; i++)
        u[i] = (uint8_t)rd(r, 0x108 + i, 1);
    return size;
}

static bool bit(const uint8_t *map, unsigned b) { return map[b / 8] >> (b % 8) & 1; }

START_TEST(input_identity)
{
    struct rig r;
    uint8_t u[128];
    for (int k = 0; k < 2; k++) {
        rig_open(&r, k ? VINPUT_TABLET : VINPUT_KEYBOARD);
        ck_assert_uint_eq(rd(&r, 0x000, 4), 0x74726976);
        ck_assert_uint_eq(rd(&r, 0x008, 4), 18);
        unsigned n = ask(&r, 0x01, 0, u);
        ck_assert_uint_gt(n, 0);
        ck_assert_msg(strstr((char *)u, k ? "tablet" : "keyboard"), "case %d: name %.*s", k, n, u);
        ck_assert_uint_eq(ask(&r, 0x03, 0, u), 8);
        ck_assert_uint_eq(u[0] | u[1] << 8, BUS_VIRTUAL);
        ck_assert_uint_eq(ask(&r, 0x00, 0, u), 0);          /* UNSET */
        ck_assert_uint_eq(ask(&r, 0x11, EV_SYN, u), 1);
        ck_assert(bit(u, SYN_REPORT));
        n = ask(&r, 0x11, EV_KEY, u);
        ck_assert_uint_gt(n, 0);
        if (!k) {
            ck_assert(bit(u, KEY_A) && bit(u, KEY_ENTER) && bit(u, KEY_F12) && bit(u, KEY_KP0));
            ck_assert_uint_le(n, BTN_MISC / 8);             /* no buttons: not a mouse */
            ck_assert_uint_eq(ask(&r, 0x11, EV_ABS, u), 0);
            ck_assert_uint_gt(ask(&r, 0x11, EV_REP, u), 0);
            ck_assert_uint_eq(ask(&r, 0x12, ABS_X, u), 0);
        } else {
            ck_assert(bit(u, BTN_LEFT) && bit(u, BTN_RIGHT) && bit(u, BTN_MIDDLE));
            ck_assert(!bit(u, KEY_A));
            ck_assert_uint_eq(ask(&r, 0x11, EV_ABS, u), 1);
            ck_assert(bit(u, ABS_X) && bit(u, ABS_Y));
            for (int a = ABS_X; a <= ABS_Y; a++) {
                ck_assert_uint_eq(ask(&r, 0x12, a, u), 20);
                uint32_t mn, mx;
                memcpy(&mn, u, 4); memcpy(&mx, u + 4, 4);
                ck_assert_msg(mn == 0 && mx == VINPUT_ABS_MAX, "axis %d: %u..%u", a, mn, mx);
            }
            ck_assert_uint_eq(ask(&r, 0x12, ABS_Z, u), 0);
            ck_assert_uint_eq(ask(&r, 0x11, EV_REP, u), 0);
        }
        /* a 2-byte write sets select and subsel at once */
        wr(&r, 0x100, 2, 0x11 | EV_KEY << 8);
        ck_assert_uint_eq(rd(&r, 0x101, 1), EV_KEY);
        rig_close(&r);
    }
}
END_TEST

START_TEST(input_events_delivered)
{
    struct rig r;
    rig_open(&r, VINPUT_KEYBOARD);
    vinput_event(&r.dev, EV_KEY, KEY_A, 1);             /* no driver yet: dropped */
    ck_assert_uint_eq(r.dev.dropped, 1);
    driver_init(&r);
    ck_assert(vinput_ready(&r.dev));
    offer(&r, 0, 8, 8);
    ck_assert_uint_eq(used_idx(&r, 0), 0);
    vinput_event(&r.dev, EV_KEY, KEY_B, 1);
    vinput_event(&r.dev, EV_SYN, SYN_REPORT, 0);
    vinput_event(&r.dev, EV_KEY, KEY_B, 0);
    vinput_event(&r.dev, EV_SYN, SYN_REPORT, 0);
    ck_assert_uint_eq(used_idx(&r, 0), 4);
    ck_assert_uint_eq(rd(&r, 0x060, 4) & 1, 1);          /* used-buffer interrupt */
    static const struct { uint16_t type, code; uint32_t value; } want[] = {
        { EV_KEY, KEY_B, 1 }, { EV_SYN, SYN_REPORT, 0 }, { EV_KEY, KEY_B, 0 }, { EV_SYN, SYN_REPORT, 0 },
    };
    for (int i = 0; i < 4; i++) {
        uint16_t type, code;
        uint32_t value, len;
        used_event(&r, i, &type, &code, &value, &len);
        ck_assert_msg(type == want[i].type && code == want[i].code && value == want[i].value &&
                      len == 8, "event %d: %u %u %u len %u", i, type, code, value, len);
    }
    rig_close(&r);
}
END_TEST

START_TEST(input_events_wait_for_buffers)
{
    struct rig r;
    rig_open(&r, VINPUT_TABLET);
    driver_init(&r);
    offer(&r, 0, 1, 8);
    vinput_event(&r.dev, EV_ABS, ABS_X, 100);
    vinput_event(&r.dev, EV_ABS, ABS_Y, 200);
    vinput_event(&r.dev, EV_SYN, SYN_REPORT, 0);
    ck_assert_uint_eq(used_idx(&r, 0), 1);              /* one buffer: one event */
    ck_assert_uint_eq(r.dev.count, 2);
    offer(&r, 0, 4, 8);                                 /* the notify delivers the rest */
    ck_assert_uint_eq(used_idx(&r, 0), 3);
    ck_assert_uint_eq(r.dev.count, 0);
    uint16_t type, code;
    uint32_t value, len;
    used_event(&r, 1, &type, &code, &value, &len);
    ck_assert(type == EV_ABS && code == ABS_Y && value == 200);
    used_event(&r, 2, &type, &code, &value, &len);
    ck_assert(type == EV_SYN);
    /* Nobody reads: the FIFO fills, the surplus is dropped and counted. */
    for (int i = 0; i < VINPUT_PENDING + 10; i++)
        vinput_event(&r.dev, EV_KEY, BTN_LEFT, i & 1);
    ck_assert_uint_eq(used_idx(&r, 0), 3);              /* no EV_SYN yet: nothing handed over */
    ck_assert_uint_eq(r.dev.count, VINPUT_PENDING);
    ck_assert_uint_eq(r.dev.dropped, 10);
    vinput_flush(&r.dev);
    ck_assert_uint_eq(used_idx(&r, 0), 5);              /* the 2 buffers left, then no more */
    ck_assert_uint_eq(r.dev.count, VINPUT_PENDING - 2);
    /* A reset forgets the queued events. */
    wr(&r, 0x070, 4, 0);
    ck_assert_uint_eq(r.dev.count, 0);
    ck_assert(!vinput_ready(&r.dev));
    rig_close(&r);
}
END_TEST

START_TEST(input_bad_buffers)
{
    struct rig r;
    rig_open(&r, VINPUT_KEYBOARD);
    driver_init(&r);
    offer(&r, 0, 1, 4);                                 /* too short for an event */
    vinput_event(&r.dev, EV_KEY, KEY_C, 1);
    vinput_event(&r.dev, EV_SYN, SYN_REPORT, 0);
    ck_assert(rd(&r, 0x070, 4) & VIRTIO_STATUS_NEEDS_RESET);
    ck_assert(!vinput_ready(&r.dev));
    rig_close(&r);

    rig_open(&r, VINPUT_KEYBOARD);                      /* buffer outside RAM */
    driver_init(&r);
    uint64_t addr = 0x1000;
    uint32_t len = 8;
    uint16_t flags = 2, z = 0;
    uint8_t *d = ram(&r, DESC);
    memcpy(d, &addr, 8); memcpy(d + 8, &len, 4); memcpy(d + 12, &flags, 2); memcpy(d + 14, &z, 2);
    memcpy(ram(&r, AVAIL + 4), &z, 2);
    uint16_t one = 1;
    memcpy(ram(&r, AVAIL + 2), &one, 2);
    wr(&r, 0x050, 4, 0);
    vinput_event(&r.dev, EV_KEY, KEY_C, 1);
    vinput_event(&r.dev, EV_SYN, SYN_REPORT, 0);
    ck_assert(rd(&r, 0x070, 4) & VIRTIO_STATUS_NEEDS_RESET);
    rig_close(&r);
}
END_TEST

START_TEST(input_statusq_consumed)
{
    struct rig r;
    rig_open(&r, VINPUT_KEYBOARD);
    driver_init(&r);
    uint8_t led[8] = { EV_LED, 0, LED_CAPSL, 0, 1, 0, 0, 0 };
    memcpy(ram(&r, BUF + 0x100), led, 8);
    offer(&r, 1, 1, 8);
    ck_assert_uint_eq(used_idx(&r, 1), 1);
    uint32_t len;
    memcpy(&len, ram(&r, qbase(1, USED) + 8), 4);
    ck_assert_uint_eq(len, 0);
    rig_close(&r);
}
END_TEST

/* ---- keymap ------------------------------------------------------------- */

START_TEST(keymap_layout)
{
    /* SDL scancodes are USB HID usages: 4 'a', 0x1e '1', 0x28 Enter,
     * 0x2c space, 0x3a F1, 0x4f Right, 0x53 NumLock, 0x59 KP1, 0x64 ISO \,
     * 0xe0 LCtrl, 0xe7 RGUI */
    static const struct { unsigned sc, key; } c[] = {
        { 0x04, KEY_A }, { 0x1d, KEY_Z }, { 0x1e, KEY_1 }, { 0x27, KEY_0 }, { 0x28, KEY_ENTER },
        { 0x29, KEY_ESC }, { 0x2c, KEY_SPACE }, { 0x3a, KEY_F1 }, { 0x45, KEY_F12 },
        { 0x4f, KEY_RIGHT }, { 0x53, KEY_NUMLOCK }, { 0x59, KEY_KP1 }, { 0x64, KEY_102ND },
        { 0xe0, KEY_LEFTCTRL }, { 0xe1, KEY_LEFTSHIFT }, { 0xe6, KEY_RIGHTALT }, { 0xe7, KEY_RIGHTMETA },
        { 0x00, 0 }, { 600, 0 }, { 100000, 0 },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++)
        ck_assert_msg(ui_keymap(c[i].sc) == c[i].key, "case %u: scancode 0x%x -> %u", i, c[i].sc,
                      ui_keymap(c[i].sc));
    /* Every letter, digit and F-key has its own code. */
    unsigned seen[KEY_CNT] = { 0 }, mapped = 0;
    for (unsigned sc = 0x04; sc <= 0x45; sc++) {
        if (sc == 0x32)                                 /* ISO '#': the AT backslash key */
            continue;
        unsigned k = ui_keymap(sc);
        ck_assert_msg(k && !seen[k], "scancode 0x%x -> %u (dup of 0x%x)", sc, k, seen[k]);
        seen[k] = sc;
    }
    /* Everything mapped is a key the keyboard device says it has. */
    struct rig r;
    uint8_t u[128];
    rig_open(&r, VINPUT_KEYBOARD);
    ask(&r, 0x11, EV_KEY, u);
    for (unsigned sc = 0; sc < 512; sc++) {
        unsigned k = ui_keymap(sc);
        if (!k)
            continue;
        mapped++;
        ck_assert_msg(k < BTN_MISC && bit(u, k), "scancode %u -> %u not advertised", sc, k);
    }
    ck_assert_uint_ge(mapped, 105);                     /* a full PC keyboard at least */
    rig_close(&r);
}
END_TEST

/* ---- command line ------------------------------------------------------- */

static enum parse_result parse(struct options *o, const char *const *args)
{
    char *argv[16], err[256];
    int argc = 0;
    argv[argc++] = (char *)"hartvm";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    FILE *null = fopen("/dev/null", "w");
    enum parse_result r = options_parse(argc, argv, o, null, err, sizeof err);
    fclose(null);
    return r;
}

START_TEST(options_display)
{
    static const struct {
        const char *args[6];
        enum parse_result r;
        bool sdl;
        uint32_t w, h;
    } c[] = {
        { { NULL }, PARSE_OK, false, 0, 0 },
        { { "-display", "sdl", NULL }, PARSE_OK, true, 1024, 768 },
        { { "-display", "sdl", "--fb", "640x480", NULL }, PARSE_OK, true, 640, 480 },
        { { "--fb", "800x600", "-display", "none", NULL }, PARSE_OK, false, 800, 600 },
        { { "-display", "sdl", "-display", "none", NULL }, PARSE_OK, false, 0, 0 },
        { { "-nographic", NULL }, PARSE_OK, false, 0, 0 },
        { { "-nographic", "-display", "sdl", NULL }, PARSE_ERROR, false, 0, 0 },
        { { "-display", "sdl", "-nographic", NULL }, PARSE_ERROR, false, 0, 0 },
        { { "--fb", "8x8", NULL }, PARSE_ERROR, false, 0, 0 },
        { { "--fb", NULL }, PARSE_ERROR, false, 0, 0 },
        { { "-display", "gtk", NULL }, PARSE_ERROR, false, 0, 0 },
    };
    for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct options o;
        enum parse_result r = parse(&o, c[i].args);
        ck_assert_msg(r == c[i].r, "case %u: result %d", i, r);
        if (r == PARSE_OK)
            ck_assert_msg(o.display_sdl == c[i].sdl && o.fb_width == c[i].w && o.fb_height == c[i].h,
                          "case %u: sdl %d fb %ux%u", i, o.display_sdl, o.fb_width, o.fb_height);
    }
    struct options o;
    static const char *const named[] = { "-name", "web-1", NULL }, *const guest[] = { "-name", "guest=db", NULL };
    ck_assert_int_eq(parse(&o, named), PARSE_OK);
    ck_assert_str_eq(o.name, "web-1");
    ck_assert_int_eq(parse(&o, guest), PARSE_OK);
    ck_assert_str_eq(o.name, "db");
}
END_TEST

static Suite *fb_input_suite(void)
{
    Suite *s = suite_create("fb_input");
    TCase *t = tcase_create("all");
    tcase_add_test(t, fb_sizes);
    tcase_add_test(t, fb_parse);
    tcase_add_test(t, fb_ppm);
    tcase_add_test(t, fb_device_tree);
    tcase_add_test(t, input_identity);
    tcase_add_test(t, input_events_delivered);
    tcase_add_test(t, input_events_wait_for_buffers);
    tcase_add_test(t, input_bad_buffers);
    tcase_add_test(t, input_statusq_consumed);
    tcase_add_test(t, keymap_layout);
    tcase_add_test(t, options_display);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(fb_input_suite)

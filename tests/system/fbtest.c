/*
 * Bare-metal guest for tests/system/window_*.sh (M-mode, -bios none).
 *
 *   1. draws a known pattern into the 1024x768 framebuffer at 0x0400_0000
 *      (fb_pattern(): colour bars, an x/y gradient, a grey band below),
 *      calls pattern_done() (a place for a breakpoint), prints
 *      "fbtest: ready" on the UART;
 *   2. drives the virtio-input keyboard and tablet it finds in the
 *      virtio-mmio slots (polled, no interrupts): every key press k
 *      (k = 0, 1, ...) fills cell k of the grey band with key_color(code)
 *      and prints "key CODE"; every left click draws a 9x9 orange square
 *      centred on the pointer and prints "click X Y"; after three key
 *      presses and a click it calls inputs_done() (another breakpoint).
 *
 * Built with -DHOST it is instead a host program writing the pattern of
 * step 1 as a PPM (the expected screendump): the same fb_pattern() both
 * ways, so the test checks the path guest store -> framebuffer -> dump.
 */
#include <stdint.h>

#define FB_W 1024
#define FB_H 768
#define CELL_Y 600
#define CELL_H 48
#define CELL_X(k) (16 + 64 * (k))
#define CELL_W 48
#define MARK 0xff8000u

static const uint32_t bars[8] = {
    0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000,
};

/* The known pattern, as 0x00RRGGBB. */
static uint32_t fb_pattern(unsigned x, unsigned y)
{
    if (y < 384)
        return bars[x / 128];
    if (y < 576)
        return (x & 0xff) << 16 | (y & 0xff) << 8 | ((x ^ y) & 0xff);
    return 0x202020;
}

static uint32_t key_color(unsigned code)
{
    return ((code * 53) & 0xff) << 16 | ((code * 97) & 0xff) << 8 | ((code * 151) & 0xff);
}

#ifdef HOST
#include <stdio.h>
int main(void)
{
    printf("P6\n%d %d\n255\n", FB_W, FB_H);
    for (unsigned y = 0; y < FB_H; y++)
        for (unsigned x = 0; x < FB_W; x++) {
            uint32_t p = fb_pattern(x, y);
            putchar(p >> 16 & 0xff);
            putchar(p >> 8 & 0xff);
            putchar(p & 0xff);
        }
    return key_color(0) != 0;          /* (keeps key_color used) */
}
#else

#define FB ((volatile uint32_t *)0x04000000)
#define UART ((volatile uint8_t *)0x10000000)
#define SLOT(n) (0x10001000ul + 0x1000ul * (n))
#define QN 16

__asm__(".pushsection .text.init\n"
        ".globl _start\n"
        "_start:\n"
        "    la sp, stack_top\n"
        "    call main\n"
        "1:  j 1b\n"
        ".popsection\n");

uint8_t fbtest_stack[8192] __attribute__((aligned(16)));
__asm__(".globl stack_top\n.set stack_top, fbtest_stack + 8192\n");

static void putc_(char c)
{
    while (!(UART[5] & 0x20))
        ;
    UART[0] = (uint8_t)c;
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void putu(unsigned v)
{
    char b[12];
    int n = 0;
    do b[n++] = (char)('0' + v % 10); while (v /= 10);
    while (n) putc_(b[--n]);
}

static void fill(unsigned x0, unsigned y0, unsigned w, unsigned h, uint32_t c)
{
    for (unsigned y = y0; y < y0 + h && y < FB_H; y++)
        for (unsigned x = x0; x < x0 + w && x < FB_W; x++)
            FB[y * FB_W + x] = c;
}

/* ---- a minimal polled virtio-input driver (virtio-mmio version 2) ------ */

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QN], used_event; };
struct used { uint16_t flags, idx; struct { uint32_t id, len; } ring[QN]; uint16_t avail_event; };

struct vdev {
    uintptr_t base;
    int tablet;
    uint16_t last_used;
    struct desc desc[QN] __attribute__((aligned(16)));
    struct avail avail __attribute__((aligned(4)));
    volatile struct used used __attribute__((aligned(4)));
    uint8_t ev[QN][8];
};

static struct vdev devs[2];
static int ndevs;

static uint32_t rd(uintptr_t a) { return *(volatile uint32_t *)a; }
static void wr(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static void vdev_start(struct vdev *d, uintptr_t base)
{
    d->base = base;
    wr(base + 0x070, 0);
    wr(base + 0x070, 1 | 2);
    wr(base + 0x024, 1); wr(base + 0x020, 1);      /* VERSION_1 */
    wr(base + 0x024, 0); wr(base + 0x020, 0);
    wr(base + 0x070, 1 | 2 | 8);
    /* a tablet answers EV_BITS for EV_ABS (3) */
    *(volatile uint8_t *)(base + 0x100) = 0x11;
    *(volatile uint8_t *)(base + 0x101) = 3;
    d->tablet = *(volatile uint8_t *)(base + 0x102) != 0;
    for (int i = 0; i < QN; i++) {
        d->desc[i] = (struct desc){ (uintptr_t)d->ev[i], 8, 2, 0 };
        d->avail.ring[i] = (uint16_t)i;
    }
    d->avail.idx = QN;
    wr(base + 0x030, 0);
    wr(base + 0x038, QN);
    wr(base + 0x080, (uint32_t)(uintptr_t)d->desc); wr(base + 0x084, 0);
    wr(base + 0x090, (uint32_t)(uintptr_t)&d->avail); wr(base + 0x094, 0);
    wr(base + 0x0a0, (uint32_t)(uintptr_t)&d->used); wr(base + 0x0a4, 0);
    wr(base + 0x044, 1);
    wr(base + 0x070, 1 | 2 | 4 | 8);
    wr(base + 0x050, 0);
}

static unsigned nkeys, nclicks, reported;
static unsigned abs_x, abs_y;

void __attribute__((noinline)) inputs_done(void)
{
    __asm__ volatile("" ::: "memory");
}

static void handle(struct vdev *d, const uint8_t *e)
{
    unsigned type = e[0] | e[1] << 8, code = e[2] | e[3] << 8;
    uint32_t value = e[4] | e[5] << 8 | e[6] << 16 | (uint32_t)e[7] << 24;
    if (!d->tablet && type == 1 && value == 1) {
        fill(CELL_X(nkeys % 15), CELL_Y, CELL_W, CELL_H, key_color(code));
        nkeys++;
        puts_("key "); putu(code); putc_('\n');
    } else if (d->tablet && type == 3) {
        if (code == 0) abs_x = value;
        if (code == 1) abs_y = value;
    } else if (d->tablet && type == 1 && code == 0x110 && value == 1) {
        unsigned x = (abs_x * (FB_W - 1) + 16383) / 32767, y = (abs_y * (FB_H - 1) + 16383) / 32767;
        fill(x >= 4 ? x - 4 : 0, y >= 4 ? y - 4 : 0, 9, 9, MARK);
        puts_("click "); putu(x); putc_(' '); putu(y); putc_('\n');
        nclicks++;
    } else {
        return;
    }
    if (!reported && nkeys >= 3 && nclicks >= 1) {
        reported = 1;
        inputs_done();
    }
}

static void vdev_poll(struct vdev *d)
{
    int got = 0;
    while (d->last_used != d->used.idx) {
        uint32_t id = d->used.ring[d->last_used % QN].id;
        handle(d, d->ev[id % QN]);
        d->avail.ring[d->avail.idx % QN] = (uint16_t)id;
        __sync_synchronize();
        d->avail.idx++;
        d->last_used++;
        got = 1;
    }
    if (got)
        wr(d->base + 0x050, 0);
}

void __attribute__((noinline)) pattern_done(void)
{
    __asm__ volatile("" ::: "memory");
}

int main(void)
{
    for (unsigned y = 0; y < FB_H; y++)
        for (unsigned x = 0; x < FB_W; x++)
            FB[y * FB_W + x] = fb_pattern(x, y);
    pattern_done();
    for (int n = 7; n >= 0 && ndevs < 2; n--)
        if (rd(SLOT(n)) == 0x74726976 && rd(SLOT(n) + 8) == 18)
            vdev_start(&devs[ndevs++], SLOT(n));
    puts_("fbtest: ready, ");
    putu((unsigned)ndevs);
    puts_(" input devices\n");
    for (;;)
        for (int i = 0; i < ndevs; i++)
            vdev_poll(&devs[i]);
}
#endif

/*
 * The SDL window (see ui.h for the threading), built as the module
 * hartvm-ui-sdl.so (module.h: the one exported symbol and its table of
 * operations; nothing here calls into hartvm). The window thread:
 *
 *   open  SDL_Init, window fb.width x fb.height (1:1, not resizable),
 *         renderer, a streaming XRGB8888 texture, a zeroed shadow copy
 *   loop  wait for SDL events until the next frame is due;
 *         key/mouse/wheel -> queue for the run loop (ui_poll);
 *         close -> ask the run loop to end the machine;
 *         every 1/refresh s (every 4th once the screen has been still
 *         for a second): title if the state changed; rows of the
 *         framebuffer that differ from the shadow are copied to it and
 *         uploaded as one band; present only if something changed
 *   close SDL torn down on the same thread
 *
 * Input: the keyboard sends EV_KEY press/release (SDL's own key repeats
 * are dropped: the guest repeats keys itself), the tablet EV_ABS X/Y
 * scaled to 0..VINPUT_ABS_MAX, buttons and the wheel, each batch closed
 * by EV_SYN. The run loop collects them with sdl_ui_poll (ui.c delivers
 * them to the virtio-input devices).
 */
#include "ui.h"
#include "module.h"
#include "../machine/dev/fb.h"
#include "../machine/dev/virtio_input.h"    /* VINPUT_ABS_MAX */
#include <SDL.h>
#include <linux/input.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_HZ 60
/* A screen unchanged for QUIET_FRAMES scans is scanned every QUIET_EVERY
 * frames only (an idle guest should cost next to nothing); any change or
 * input restores the full rate. */
#define QUIET_FRAMES 60
#define QUIET_EVERY 4

struct ui_window {
    const struct fb *fb;
    char name[64];
    bool stats;
    pthread_t thread;

    /* start-up handshake, and the input queue */
    pthread_mutex_t lock;
    pthread_cond_t started;
    int state;                      /* 0 starting, 1 open, -1 failed */
    char err[256];
    struct ui_input q[UI_QUEUE];
    unsigned qhead, qcount;
    uint64_t qdropped;

    atomic_bool pending;            /* the queue (or quit) has news */
    atomic_bool quit;               /* the user closed the window */
    atomic_bool stop;               /* ui_close: the thread should end */
    atomic_bool running;            /* the guest runs (title) */

    /* window thread only */
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *tex;
    uint8_t *shadow;
    int hz;
    bool title_running, titled, redraw;
    unsigned quiet, skipped;        /* scans without a change; frames skipped */
    uint64_t scans, presents, rows_uploaded;
};

/* ---- window thread ------------------------------------------------------- */

static void push(struct ui_window *u, uint8_t dev, uint16_t type, uint16_t code, int32_t value)
{
    pthread_mutex_lock(&u->lock);
    if (u->qcount < UI_QUEUE) {
        u->q[(u->qhead + u->qcount) % UI_QUEUE] = (struct ui_input){ dev, type, code, value };
        u->qcount++;
    } else {
        u->qdropped++;
    }
    pthread_mutex_unlock(&u->lock);
    atomic_store(&u->pending, true);
}

/* Window pixel -> 0..VINPUT_ABS_MAX */
static int32_t scale(int v, uint32_t extent)
{
    if (v < 0)
        v = 0;
    if ((uint32_t)v >= extent)
        v = (int)extent - 1;
    return (int32_t)((int64_t)v * VINPUT_ABS_MAX / (extent - 1));
}

static void push_position(struct ui_window *u, int x, int y)
{
    push(u, UI_DEV_TABLET, EV_ABS, ABS_X, scale(x, u->fb->width));
    push(u, UI_DEV_TABLET, EV_ABS, ABS_Y, scale(y, u->fb->height));
}

static unsigned button_code(Uint8 b)
{
    switch (b) {
    case SDL_BUTTON_LEFT: return BTN_LEFT;
    case SDL_BUTTON_RIGHT: return BTN_RIGHT;
    case SDL_BUTTON_MIDDLE: return BTN_MIDDLE;
    case SDL_BUTTON_X1: return BTN_SIDE;
    case SDL_BUTTON_X2: return BTN_EXTRA;
    default: return 0;
    }
}

static void handle_event(struct ui_window *u, const SDL_Event *e)
{
    u->quiet = 0;                   /* the guest may answer: watch closely */
    switch (e->type) {
    case SDL_QUIT:
        atomic_store(&u->quit, true);
        atomic_store(&u->pending, true);
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_CLOSE) {
            atomic_store(&u->quit, true);
            atomic_store(&u->pending, true);
        } else if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
                   e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            u->redraw = true;
        }
        break;
    case SDL_KEYDOWN:
    case SDL_KEYUP: {
        unsigned code = ui_keymap(e->key.keysym.scancode);
        if (!code || e->key.repeat)
            break;
        push(u, UI_DEV_KBD, EV_KEY, (uint16_t)code, e->type == SDL_KEYDOWN);
        push(u, UI_DEV_KBD, EV_SYN, SYN_REPORT, 0);
        break;
    }
    case SDL_MOUSEMOTION:
        push_position(u, e->motion.x, e->motion.y);
        push(u, UI_DEV_TABLET, EV_SYN, SYN_REPORT, 0);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
        unsigned code = button_code(e->button.button);
        if (!code)
            break;
        push_position(u, e->button.x, e->button.y);
        push(u, UI_DEV_TABLET, EV_KEY, (uint16_t)code, e->type == SDL_MOUSEBUTTONDOWN);
        push(u, UI_DEV_TABLET, EV_SYN, SYN_REPORT, 0);
        break;
    }
    case SDL_MOUSEWHEEL:
        if (e->wheel.y)
            push(u, UI_DEV_TABLET, EV_REL, REL_WHEEL, e->wheel.y);
        if (e->wheel.x)
            push(u, UI_DEV_TABLET, EV_REL, REL_HWHEEL, e->wheel.x);
        push(u, UI_DEV_TABLET, EV_SYN, SYN_REPORT, 0);
        break;
    default:
        break;
    }
}

static void update_title(struct ui_window *u)
{
    bool running = atomic_load(&u->running);
    if (u->titled && running == u->title_running)
        return;
    char title[128];
    snprintf(title, sizeof title, "%s%shartvm [%s]", u->name, *u->name ? " - " : "",
             running ? "running" : "stopped");
    SDL_SetWindowTitle(u->win, title);
    u->title_running = running;
    u->titled = true;
}

/* Copy the rows that changed since the last frame into the shadow and
 * upload them as one band; present when anything is new. */
static void refresh(struct ui_window *u)
{
    const struct fb *fb = u->fb;
    size_t row = (size_t)fb->width * FB_BPP;
    int lo = -1, hi = -1;
    update_title(u);
    u->scans++;
    for (uint32_t y = 0; y < fb->height; y++) {
        const uint8_t *src = fb->mem + (size_t)y * fb->stride;
        uint8_t *dst = u->shadow + (size_t)y * fb->stride;
        if (memcmp(src, dst, row) == 0)
            continue;
        memcpy(dst, src, row);
        if (lo < 0)
            lo = (int)y;
        hi = (int)y;
    }
    u->quiet = lo >= 0 ? 0 : u->quiet + 1;
    if (lo >= 0) {
        SDL_Rect band = { 0, lo, (int)fb->width, hi - lo + 1 };
        SDL_UpdateTexture(u->tex, &band, u->shadow + (size_t)lo * fb->stride, (int)fb->stride);
        u->rows_uploaded += (uint64_t)(hi - lo + 1);
    }
    if (lo >= 0 || u->redraw) {
        SDL_RenderCopy(u->ren, u->tex, NULL, NULL);
        SDL_RenderPresent(u->ren);
        u->presents++;
        u->redraw = false;
    }
}

static int refresh_hz(SDL_Window *win)
{
    SDL_DisplayMode mode;
    int d = SDL_GetWindowDisplayIndex(win);
    if (d >= 0 && SDL_GetCurrentDisplayMode(d, &mode) == 0 && mode.refresh_rate > 0)
        return mode.refresh_rate < 240 ? mode.refresh_rate : 240;
    return DEFAULT_HZ;
}

static int sdl_open(struct ui_window *u)
{
    const struct fb *fb = u->fb;
    /* Without a display SDL might settle for a dummy driver or the console:
     * refuse clearly instead. */
    if (!getenv("SDL_VIDEODRIVER") && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        snprintf(u->err, sizeof u->err,
                 "-display sdl: no display available (DISPLAY and WAYLAND_DISPLAY are unset); "
                 "use -display none or -nographic");
        return -1;
    }
    /* X11 only: no Wayland probe (and its complaints) without a compositor */
    if (!getenv("SDL_VIDEODRIVER") && !getenv("WAYLAND_DISPLAY"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11");
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");   /* Ctrl-C stays the debugger's */
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO)) {
        const char *dpy = getenv("WAYLAND_DISPLAY") ? getenv("WAYLAND_DISPLAY") : getenv("DISPLAY");
        snprintf(u->err, sizeof u->err, "-display sdl: cannot open display '%s': %s",
                 dpy ? dpy : "", SDL_GetError());
        return -1;
    }
    /* SDL falls back to drivers that show nothing when the display named
     * cannot be opened: that is no window either (unless asked for). */
    const char *drv = SDL_GetCurrentVideoDriver();
    if (!getenv("SDL_VIDEODRIVER") && drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy"))) {
        snprintf(u->err, sizeof u->err, "-display sdl: cannot open display '%s'",
                 getenv("DISPLAY") ? getenv("DISPLAY") : getenv("WAYLAND_DISPLAY"));
        return -1;
    }
    u->win = SDL_CreateWindow("hartvm", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED,
                              (int)fb->width, (int)fb->height, 0);
    if (u->win)
        u->ren = SDL_CreateRenderer(u->win, -1, 0);
    if (u->ren)
        u->tex = SDL_CreateTexture(u->ren, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING,
                                   (int)fb->width, (int)fb->height);
    u->shadow = calloc(1, (size_t)fb->stride * fb->height);
    if (!u->tex || !u->shadow) {
        snprintf(u->err, sizeof u->err, "-display sdl: cannot create the window: %s",
                 u->shadow ? SDL_GetError() : "out of memory");
        return -1;
    }
    /* The shadow starts black, as the texture must: upload it once. */
    SDL_UpdateTexture(u->tex, NULL, u->shadow, (int)fb->stride);
    u->hz = refresh_hz(u->win);
    u->redraw = true;
    return 0;
}

static void sdl_close(struct ui_window *u)
{
    if (u->tex)
        SDL_DestroyTexture(u->tex);
    if (u->ren)
        SDL_DestroyRenderer(u->ren);
    if (u->win)
        SDL_DestroyWindow(u->win);
    SDL_Quit();
    free(u->shadow);
    u->shadow = NULL;
}

static void *ui_thread(void *arg)
{
    struct ui_window *u = arg;
    int r = sdl_open(u);
    pthread_mutex_lock(&u->lock);
    u->state = r ? -1 : 1;
    pthread_cond_signal(&u->started);
    pthread_mutex_unlock(&u->lock);
    if (r) {
        sdl_close(u);
        return NULL;
    }
    /* rounded up: never more frames than the display shows */
    Uint64 period = (1000 + (Uint64)u->hz - 1) / (Uint64)u->hz, next = SDL_GetTicks64();
    while (!atomic_load(&u->stop)) {
        Uint64 now = SDL_GetTicks64();
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, next > now ? (int)(next - now) : 0)) {
            handle_event(u, &e);
            while (SDL_PollEvent(&e))
                handle_event(u, &e);
        }
        now = SDL_GetTicks64();
        if (now >= next) {
            if (u->quiet < QUIET_FRAMES || ++u->skipped >= QUIET_EVERY) {
                u->skipped = 0;
                refresh(u);
            }
            next = now + period;
        }
    }
    sdl_close(u);
    return NULL;
}

/* ---- run-loop side (module.h's operations) ------------------------------ */

static struct ui_window *sdl_ui_open(const struct fb *fb, const char *name, bool stats,
                                     char *err, size_t errlen)
{
    struct ui_window *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory for the window");
        return NULL;
    }
    u->fb = fb;
    u->stats = stats;
    snprintf(u->name, sizeof u->name, "%s", name);
    pthread_mutex_init(&u->lock, NULL);
    pthread_cond_init(&u->started, NULL);
    atomic_init(&u->pending, false);
    atomic_init(&u->quit, false);
    atomic_init(&u->stop, false);
    atomic_init(&u->running, false);
    if (pthread_create(&u->thread, NULL, ui_thread, u)) {
        snprintf(err, errlen, "cannot start the window thread");
        free(u);
        return NULL;
    }
    pthread_mutex_lock(&u->lock);
    while (u->state == 0)
        pthread_cond_wait(&u->started, &u->lock);
    pthread_mutex_unlock(&u->lock);
    if (u->state < 0) {
        pthread_join(u->thread, NULL);
        snprintf(err, errlen, "%s", u->err);
        free(u);
        return NULL;
    }
    return u;
}

static unsigned sdl_ui_poll(struct ui_window *u, struct ui_input *ev, unsigned max, bool *quit)
{
    if (!atomic_load_explicit(&u->pending, memory_order_relaxed))
        return 0;
    atomic_store(&u->pending, false);
    pthread_mutex_lock(&u->lock);
    unsigned n = u->qcount < max ? u->qcount : max;
    for (unsigned i = 0; i < n; i++)
        ev[i] = u->q[(u->qhead + i) % UI_QUEUE];
    u->qhead = (u->qhead + n) % UI_QUEUE;
    u->qcount -= n;
    if (u->qcount)                      /* the rest at the next poll */
        atomic_store(&u->pending, true);
    pthread_mutex_unlock(&u->lock);
    if (atomic_load(&u->quit))
        *quit = true;
    return n;
}

static void sdl_ui_set_running(struct ui_window *u, bool running)
{
    atomic_store(&u->running, running);
}

static bool sdl_ui_closed(const struct ui_window *u)
{
    return atomic_load(&((struct ui_window *)u)->quit);
}

static double thread_cpu_s(clockid_t id)
{
    struct timespec ts;
    return clock_gettime(id, &ts) ? 0.0 : (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sdl_ui_close(struct ui_window *u)
{
    /* --stats: CPU time of the window thread and of this (run-loop) thread,
     * the measure of what the window costs the guest */
    clockid_t wclock;
    double wcpu = pthread_getcpuclockid(u->thread, &wclock) ? 0.0 : thread_cpu_s(wclock);
    double mcpu = thread_cpu_s(CLOCK_THREAD_CPUTIME_ID);
    atomic_store(&u->stop, true);
    SDL_Event wake = { .type = SDL_USEREVENT };
    SDL_PushEvent(&wake);               /* thread-safe: ends the wait at once */
    pthread_join(u->thread, NULL);
    if (u->stats)
        fprintf(stderr, "hartvm: window: %d Hz, %llu scans, %llu frames presented, "
                "%llu rows uploaded, %llu input events dropped; CPU: window thread %.2f s, "
                "run-loop thread %.2f s\n", u->hz,
                (unsigned long long)u->scans, (unsigned long long)u->presents,
                (unsigned long long)u->rows_uploaded, (unsigned long long)u->qdropped, wcpu, mcpu);
    pthread_mutex_destroy(&u->lock);
    pthread_cond_destroy(&u->started);
    free(u);
}

static const struct ui_ops sdl_ui_ops = {
    .abi = UI_MODULE_ABI,
    .open = sdl_ui_open,
    .poll = sdl_ui_poll,
    .set_running = sdl_ui_set_running,
    .closed = sdl_ui_closed,
    .close = sdl_ui_close,
};

/* The module's entry (UI_MODULE_ENTRY); everything else in it is hidden
 * (-fvisibility=hidden), so the loader resolves one name. */
__attribute__((visibility("default"))) const struct ui_ops *hartvm_ui_sdl_ops(void)
{
    return &sdl_ui_ops;
}

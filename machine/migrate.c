/*
 * Migration, the source side (migrate.h): pre-copy rounds from an event
 * source of the run loop, then the stop-and-copy and the target's answer.
 */
#include "migrate_priv.h"
#include "machine.h"
#include "snapshot.h"
#include "snap_parts.h"
#include "conout.h"
#include "../mmu/mmu.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK_PAGES 64              /* pages a record carries; a turn's worth of sending */
#define ANSWER_TIMEOUT_MS 30000
#define SOURCE_NAME "migration"

enum mig_status { MIG_NONE, MIG_ACTIVE, MIG_COMPLETED, MIG_FAILED, MIG_CANCELLED };
static const char *const status_name[] = { "none", "active", "completed", "failed", "cancelled" };

struct migration {
    enum mig_status status;
    char uri[256], err[512];
    int fd;
    struct region *ram;
    uint8_t *todo;                  /* a byte per page: still to send this round */
    uint64_t npages, next, left;    /* scan position; pages to send in this round */
    int rounds;
    uint64_t pages_sent, bytes_sent, last_dirty;
    uint64_t t_start, t_end, downtime_ns;
    uint8_t *out;                   /* records not yet written */
    size_t olen, ooff, ocap;
};

/* ---- the dirty log ------------------------------------------------------ */

/* Tracking starts afresh: every store TLB entry dropped, so the first
 * store to a page marks it again; the round's scan from the start. */
static void track_afresh(struct machine *m, struct migration *g)
{
    memset(g->ram->dirty, 0, g->npages);
    mmu_drop_store_tlbs(&m->core);
    g->next = 0;
}

/* Pages written since the last call join the todo (the final round has
 * the last one's still), and tracking starts afresh. Their count. */
static uint64_t take_dirty(struct machine *m, struct migration *g)
{
    uint64_t n = 0;
    for (uint64_t i = 0; i < g->npages; i++) {
        g->todo[i] |= g->ram->dirty[i];
        n += g->todo[i];
    }
    track_afresh(m, g);
    return g->left = n;
}

/* Round 0: every page that holds anything (pages the host never gave
 * the guest are zero without a look: snap_touched_pages). */
static void first_round(struct machine *m, struct migration *g)
{
    uint8_t *touched = snap_touched_pages(m->ram, m->ram_size);
    g->left = 0;
    for (uint64_t i = 0; i < g->npages; i++)
        g->left += g->todo[i] = !snap_page_zero(m->ram, m->ram_size, i, touched);
    free(touched);
    track_afresh(m, g);
}

/* ---- sending ------------------------------------------------------------ */

/* What the socket takes now (block: all of it, waiting): 0, or -1 with g->err. */
static int flush_out(struct migration *g, bool block)
{
    while (g->ooff < g->olen) {
        /* MSG_NOSIGNAL: a target that went is an error here, not a SIGPIPE */
        ssize_t r = send(g->fd, g->out + g->ooff, g->olen - g->ooff, MSG_NOSIGNAL);
        if (r > 0) {
            g->ooff += (size_t)r;
            g->bytes_sent += (uint64_t)r;
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!block)
                return 0;
            struct pollfd p = { .fd = g->fd, .events = POLLOUT };
            if (poll(&p, 1, ANSWER_TIMEOUT_MS) == 0) {
                snprintf(g->err, sizeof g->err, "the target takes nothing");
                return -1;
            }
            continue;
        }
        snprintf(g->err, sizeof g->err, "the target went away (%s)", r ? strerror(errno) : "closed");
        return -1;
    }
    g->olen = g->ooff = 0;
    return 0;
}

/* Up to CHUNK_PAGES pages of the round into one record. */
static int add_chunk(struct machine *m, struct migration *g)
{
    uint8_t rec[CHUNK_PAGES * (8 + MIG_PAGE)];
    size_t n = 0;
    for (; g->next < g->npages && n < sizeof rec; g->next++) {
        if (!g->todo[g->next])
            continue;
        g->todo[g->next] = 0;
        memcpy(rec + n, &g->next, 8);
        memcpy(rec + n + 8, m->ram + g->next * MIG_PAGE, MIG_PAGE);
        n += 8 + MIG_PAGE;
        g->left--;
        g->pages_sent++;
    }
    if (n && mig_append(&g->out, &g->olen, &g->ocap, MIG_PAGES, rec, n)) {
        snprintf(g->err, sizeof g->err, "out of memory");
        return -1;
    }
    return 0;
}

/* Bytes a second so far (at least one page a second). */
static uint64_t bandwidth(const struct migration *g)
{
    uint64_t ns = ev_now_ns() - g->t_start;
    uint64_t bps = ns ? g->bytes_sent * 1000000000ull / ns : 0;
    return bps > MIG_PAGE ? bps : MIG_PAGE;
}

static uint64_t expected_downtime_ns(const struct migration *g, uint64_t pages)
{
    return pages * MIG_PAGE * 1000000000ull / bandwidth(g);
}

/* ---- the end ------------------------------------------------------------ */

static void stop_tracking(struct machine *m, struct migration *g)
{
    ev_remove(&m->events, SOURCE_NAME);
    if (g->ram) {
        free(g->ram->dirty);
        g->ram->dirty = NULL;
    }
    free(g->todo);
    g->todo = NULL;
    free(g->out);
    g->out = NULL;
    g->olen = g->ooff = g->ocap = 0;
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
    g->t_end = ev_now_ns();
}

static void target_reason(struct migration *g);

static void failed(struct machine *m, struct migration *g, bool paused_here)
{
    if (g->fd >= 0)
        target_reason(g);
    stop_tracking(m, g);
    g->status = MIG_FAILED;
    if (paused_here)
        machine_pause(m, false);        /* the guest runs on */
    fprintf(stderr, "hartvm: migration to %s failed: %s; the guest runs on\n", g->uri, g->err);
}

/* The target's line: 0 on "OK", else -1 with its reason in g->err. */
static int read_answer(struct migration *g, int timeout_ms)
{
    char line[600];
    size_t n = 0;
    while (n < sizeof line - 1 && (n == 0 || line[n - 1] != '\n')) {
        struct pollfd p = { .fd = g->fd, .events = POLLIN };
        if (poll(&p, 1, timeout_ms) <= 0) {
            snprintf(g->err, sizeof g->err, "no answer from the target");
            return -1;
        }
        ssize_t r = read(g->fd, line + n, sizeof line - 1 - n);
        if (r <= 0 && !(r < 0 && (errno == EAGAIN || errno == EINTR))) {
            snprintf(g->err, sizeof g->err, "the target closed the connection without an answer");
            return -1;
        }
        n += r > 0 ? (size_t)r : 0;
    }
    line[n] = 0;
    line[strcspn(line, "\n")] = 0;
    if (!strcmp(line, "OK"))
        return 0;
    snprintf(g->err, sizeof g->err, "the target refused: %.480s", strncmp(line, "ERR ", 4) ? line : line + 4);
    return -1;
}

/* The connection broke: the target's reason if it left one. */
static void target_reason(struct migration *g)
{
    char why[sizeof g->err];
    memcpy(why, g->err, sizeof why);
    if (read_answer(g, 500) == 0 || strncmp(g->err, "the target refused", 18))
        memcpy(g->err, why, sizeof why);
}

/* Stop-and-copy: paused, the last pages, the state, END, the answer. */
static void complete(struct machine *m, struct migration *g)
{
    uint64_t t0 = ev_now_ns();
    bool paused_here = !m->paused;
    machine_pause(m, true);
    if (m->con_out)
        fflush(m->con_out);             /* the console's bytes before the stop are out */
    uint8_t *state = NULL;
    size_t len;
    take_dirty(m, g);
    while (g->left && !add_chunk(m, g) && !flush_out(g, true))
        ;
    if (g->left || flush_out(g, true) ||
        machine_migrate_save(m, &state, &len, g->err, sizeof g->err) ||
        mig_append(&g->out, &g->olen, &g->ocap, MIG_STATE, state, len) ||
        mig_append(&g->out, &g->olen, &g->ocap, MIG_END, NULL, 0) || flush_out(g, true) ||
        read_answer(g, ANSWER_TIMEOUT_MS)) {
        if (!g->err[0])
            snprintf(g->err, sizeof g->err, "out of memory");
        free(state);
        failed(m, g, paused_here);
        return;
    }
    free(state);
    g->downtime_ns = ev_now_ns() - t0;
    stop_tracking(m, g);
    g->status = MIG_COMPLETED;
    fprintf(stderr, "hartvm: migration to %s completed: %llu pages in %d rounds, %.3f s, "
            "downtime %.1f ms\n", g->uri, (unsigned long long)g->pages_sent, g->rounds,
            (g->t_end - g->t_start) / 1e9, g->downtime_ns / 1e6);
    /* QEMU's source stays paused (postmigrate); with nobody to see it, the run ends */
    if (!m->dbg && !m->monitors)
        machine_request_exit(m, 0, "migrated");
}

/* ---- the event source --------------------------------------------------- */

static void migrate_service(void *ctx)
{
    struct machine *m = ctx;
    struct migration *g = m->migration;
    if (!g || g->status != MIG_ACTIVE)
        return;
    if (flush_out(g, false)) {
        failed(m, g, false);
        return;
    }
    if (g->olen)
        return;                         /* the socket is full: the guest runs on meanwhile */
    if (g->left) {
        if (add_chunk(m, g) || flush_out(g, false))
            failed(m, g, false);
        return;
    }
    g->rounds++;
    g->last_dirty = take_dirty(m, g);
    if (expected_downtime_ns(g, g->left) <= MIGRATE_DOWNTIME_NS || g->rounds >= MIGRATE_MAX_ROUNDS)
        complete(m, g);
}

static int migrate_fd(void *ctx, short *events)
{
    struct machine *m = ctx;
    struct migration *g = m->migration;
    *events = POLLOUT;
    return g && g->status == MIG_ACTIVE && g->olen ? g->fd : -1;
}

/* Pages still to go: no idle sleep meanwhile. */
static uint64_t migrate_max_sleep(void *ctx)
{
    struct machine *m = ctx;
    struct migration *g = m->migration;
    return g && g->status == MIG_ACTIVE && !g->olen ? 0 : EV_NONE;
}

int migrate_start(struct machine *m, const char *uri, char *err, size_t errlen)
{
    struct migration *g = m->migration;
    if (g && g->status == MIG_ACTIVE) {
        snprintf(err, errlen, "a migration to %s is already running", g->uri);
        return -1;
    }
    if (!g && !(g = m->migration = calloc(1, sizeof *g))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *g = (struct migration){ .fd = -1, .t_start = ev_now_ns() };
    snprintf(g->uri, sizeof g->uri, "%s", uri);
    g->ram = bus_find(&m->bus, m->ram_base, 1);
    g->npages = m->ram_size / MIG_PAGE;
    if (!g->ram || !(g->todo = calloc(1, g->npages)) || !(g->ram->dirty = calloc(1, g->npages))) {
        snprintf(err, errlen, "out of memory");
        stop_tracking(m, g);
        return -1;
    }
    uint8_t head[MIG_HEADER_LEN];
    uint32_t version = MIG_VERSION;
    memcpy(head, MIG_MAGIC, 8);
    memcpy(head + 8, &version, 4);
    memcpy(head + 12, &m->ram_size, 8);
    if ((g->fd = mig_socket(uri, false, err, errlen)) < 0 || !(g->out = malloc(g->ocap = 65536))) {
        stop_tracking(m, g);
        return -1;
    }
    memcpy(g->out, head, g->olen = sizeof head);
    first_round(m, g);
    g->status = MIG_ACTIVE;
    ev_add(&m->events, &(struct ev_source){
        .name = SOURCE_NAME, .ctx = m, .service = migrate_service, .wait_fd = migrate_fd,
        .max_sleep_ns = migrate_max_sleep, .while_stopped = true });
    return 0;
}

int migrate_cancel(struct machine *m)
{
    struct migration *g = m->migration;
    if (!g || g->status != MIG_ACTIVE)
        return -1;
    stop_tracking(m, g);
    g->status = MIG_CANCELLED;
    return 0;
}

void migrate_info(struct machine *m, char *buf, size_t len)
{
    const struct migration *g = m->migration;
    if (!g) {
        snprintf(buf, len, "Migration status: none\n");
        return;
    }
    uint64_t end = g->status == MIG_ACTIVE ? ev_now_ns() : g->t_end;
    int n = snprintf(buf, len, "Migration status: %s\n", status_name[g->status]);
    n += snprintf(buf + n, len - (size_t)n, "total time: %llu ms\n",
                  (unsigned long long)((end - g->t_start) / 1000000));
    if (g->status == MIG_COMPLETED)
        n += snprintf(buf + n, len - (size_t)n, "downtime: %llu ms\n",
                      (unsigned long long)(g->downtime_ns / 1000000));
    if (g->status == MIG_ACTIVE)
        n += snprintf(buf + n, len - (size_t)n, "expected downtime: %llu ms\n",
                      (unsigned long long)(expected_downtime_ns(g, g->left) / 1000000));
    n += snprintf(buf + n, len - (size_t)n,
                  "transferred ram: %llu kbytes\nremaining ram: %llu kbytes\ntotal ram: %llu kbytes\n"
                  "pages sent: %llu\ndirty pages in the last round: %llu\ndirty sync count: %d\n",
                  (unsigned long long)(g->bytes_sent / 1024),
                  (unsigned long long)(g->left * MIG_PAGE / 1024),
                  (unsigned long long)(m->ram_size / 1024), (unsigned long long)g->pages_sent,
                  (unsigned long long)g->last_dirty, g->rounds);
    if (g->status == MIG_FAILED && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "error: %s\n", g->err);
}

void migrate_free(struct machine *m)
{
    if (m->migration && m->migration->status == MIG_ACTIVE)
        stop_tracking(m, m->migration);
    free(m->migration);
    m->migration = NULL;
}

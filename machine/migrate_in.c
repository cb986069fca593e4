/*
 * Migration (migrate.h): the socket and record framing both sides use,
 * and the target, which takes one stream into a machine built from the
 * same command line and answers the source.
 */
#include "migrate_priv.h"
#include "chardev.h"
#include "machine.h"
#include "snapshot.h"
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#define MIG_READ_TIMEOUT_MS 30000   /* a source silent this long has gone */

int migrate_uri_ok(const char *uri)
{
    return !strncmp(uri, "tcp:", 4) || !strncmp(uri, "unix:", 5);
}

int mig_socket(const char *uri, bool listen, char *err, size_t errlen)
{
    char spec_text[CHR_PATH_LEN + 16], why[256];
    struct chr_spec spec;
    struct chardev c;
    if (!migrate_uri_ok(uri)) {
        snprintf(err, errlen, "%s: not a migration address (tcp:[HOST]:PORT, unix:PATH)", uri);
        return -1;
    }
    snprintf(spec_text, sizeof spec_text, "%s%s", uri, listen ? ",server=on,wait=on" : "");
    if (chr_parse_short(spec_text, &spec, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", uri, why);
        return -1;
    }
    if (chr_open(&c, &spec, "migration", err, errlen))
        return -1;
    int fd = dup(c.fd);
    chr_close(&c);              /* the listening socket goes, and its path */
    if (fd < 0)
        snprintf(err, errlen, "%s: %s", uri, strerror(errno));
    return fd;
}

uint32_t mig_crc(unsigned type, const uint8_t *payload, uint32_t n)
{
    uint8_t head[MIG_REC_HEAD] = { (uint8_t)type, 0, 0, 0 };
    memcpy(head + 4, &n, 4);
    uLong c = crc32(0, head, sizeof head);
    return n ? (uint32_t)crc32(c, payload, n) : (uint32_t)c;     /* crc32(c, NULL, 0) is 0, not c */
}

int mig_append(uint8_t **buf, size_t *len, size_t *cap, unsigned type, const void *payload, size_t n)
{
    size_t need = *len + MIG_REC_HEAD + n + 4;
    if (need > *cap) {
        size_t c = *cap ? *cap : 65536;
        while (c < need)
            c *= 2;
        uint8_t *b = realloc(*buf, c);
        if (!b)
            return -1;
        *buf = b, *cap = c;
    }
    uint32_t n32 = (uint32_t)n, crc = mig_crc(type, payload, n32);
    uint8_t *p = *buf + *len;
    p[0] = (uint8_t)type, p[1] = p[2] = p[3] = 0;
    memcpy(p + 4, &n32, 4);
    memcpy(p + MIG_REC_HEAD, payload, n);
    memcpy(p + MIG_REC_HEAD + n, &crc, 4);
    *len = need;
    return 0;
}

/* ---- the target ------------------------------------------------------------ */

/* Exactly n bytes (the socket is non-blocking): 0, or -1 with err. */
static int read_all(int fd, void *buf, size_t n, char *err, size_t errlen)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r > 0) {
            p += r, n -= (size_t)r;
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd pf = { .fd = fd, .events = POLLIN };
            if (poll(&pf, 1, MIG_READ_TIMEOUT_MS) == 0) {
                snprintf(err, errlen, "the source sent nothing for %d s", MIG_READ_TIMEOUT_MS / 1000);
                return -1;
            }
            continue;
        }
        snprintf(err, errlen, "the stream ended early (%s)", r ? strerror(errno) : "closed");
        return -1;
    }
    return 0;
}

static void answer(int fd, const char *err)
{
    char line[600];
    int n = err ? snprintf(line, sizeof line, "ERR %.580s\n", err) : snprintf(line, sizeof line, "OK\n");
    struct pollfd pf = { .fd = fd, .events = POLLOUT };
    poll(&pf, 1, 1000);
    if (send(fd, line, (size_t)n, MSG_NOSIGNAL) < 0)
        return;                 /* the source is gone: it finds out itself */
}

static int check_header(struct machine *m, int fd, char *err, size_t errlen)
{
    uint8_t h[MIG_HEADER_LEN];
    uint32_t version;
    uint64_t ram;
    if (read_all(fd, h, sizeof h, err, errlen))
        return -1;
    memcpy(&version, h + 8, 4);
    memcpy(&ram, h + 12, 8);
    if (memcmp(h, MIG_MAGIC, 8)) {
        snprintf(err, errlen, "not a hartvm migration stream");
        return -1;
    }
    if (version != MIG_VERSION) {
        snprintf(err, errlen, "stream version %u, this hartvm reads %u", version, MIG_VERSION);
        return -1;
    }
    if (ram != m->ram_size) {
        snprintf(err, errlen, "memory size differs: -m %lluM in the stream, %lluM here",
                 (unsigned long long)(ram >> 20), (unsigned long long)(m->ram_size >> 20));
        return -1;
    }
    return 0;
}

/* A PAGES record into RAM: every page number must lie in it. */
static int put_pages(struct machine *m, const uint8_t *p, uint32_t n, char *err, size_t errlen)
{
    if (n % (8 + MIG_PAGE)) {
        snprintf(err, errlen, "a page record of %u bytes", n);
        return -1;
    }
    struct region *r = bus_find(&m->bus, m->ram_base, 1);
    for (uint32_t at = 0; at < n; at += 8 + MIG_PAGE) {
        uint64_t pn;
        memcpy(&pn, p + at, 8);
        if (pn >= m->ram_size / MIG_PAGE) {
            snprintf(err, errlen, "page %llu is past the memory", (unsigned long long)pn);
            return -1;
        }
        memcpy(m->ram + pn * MIG_PAGE, p + at + 8, MIG_PAGE);
        if (r)
            dcache_invalidate(r, pn * MIG_PAGE, MIG_PAGE);
    }
    return 0;
}

/* One record: its type, or -1 with err. */
static int take_record(struct machine *m, int fd, uint8_t **payload, char *err, size_t errlen)
{
    uint8_t head[MIG_REC_HEAD];
    uint32_t n, crc;
    if (read_all(fd, head, sizeof head, err, errlen))
        return -1;
    memcpy(&n, head + 4, 4);
    if (head[0] < MIG_PAGES || head[0] > MIG_END || head[1] || head[2] || head[3] ||
        n > MIG_MAX_PAYLOAD) {
        snprintf(err, errlen, "a damaged record (type %u, %u bytes)", head[0], n);
        return -1;
    }
    uint8_t *p = realloc(*payload, n + 4);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *payload = p;
    if (read_all(fd, p, n + 4, err, errlen))
        return -1;
    memcpy(&crc, p + n, 4);
    if (crc != mig_crc(head[0], p, n)) {
        snprintf(err, errlen, "a record's checksum is wrong (type %u, %u bytes)", head[0], n);
        return -1;
    }
    if (head[0] == MIG_PAGES && put_pages(m, p, n, err, errlen))
        return -1;
    if (head[0] == MIG_STATE && machine_migrate_restore(m, p, n, err, errlen))
        return -1;
    return head[0];
}

int migrate_incoming(struct machine *m, const char *uri, char *err, size_t errlen)
{
    int fd = mig_socket(uri, true, err, errlen), type = 0;
    if (fd < 0)
        return -1;
    uint8_t *payload = NULL;
    bool state = false;
    if (check_header(m, fd, err, errlen) == 0)
        while ((type = take_record(m, fd, &payload, err, errlen)) > 0 && type != MIG_END)
            state |= type == MIG_STATE;
    if (type == MIG_END && !state) {
        snprintf(err, errlen, "the stream ended without the machine's state");
        type = -1;
    }
    answer(fd, type == MIG_END ? NULL : err);
    free(payload);
    close(fd);
    return type == MIG_END ? 0 : -1;
}

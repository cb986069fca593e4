/*
 * The save/restore stream (see state.h for the layout). Integers are
 * written byte by byte, little-endian, so a stream means the same on any
 * host.
 */
#include "state.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define HEADER_LEN (8 + 4 + 4)
#define TRAILER_LEN 4
#define SECTION_FIXED (2 + 4 + 4 + 4)

void state_out_init(struct state_out *o)
{
    memset(o, 0, sizeof *o);
    state_put_bytes(o, STATE_MAGIC, 8);
    state_put_u32(o, STATE_FORMAT_VERSION);
    state_put_u32(o, 0);                /* section count, set by finish */
}

void state_out_free(struct state_out *o)
{
    free(o->buf);
    memset(o, 0, sizeof *o);
}

static bool reserve(struct state_out *o, size_t n)
{
    if (o->oom)
        return false;
    if (o->len + n <= o->cap)
        return true;
    size_t cap = o->cap ? o->cap : 4096;
    while (cap < o->len + n)
        cap *= 2;
    uint8_t *p = realloc(o->buf, cap);
    if (!p) {
        o->oom = true;
        return false;
    }
    o->buf = p;
    o->cap = cap;
    return true;
}

void state_put_bytes(struct state_out *o, const void *p, size_t n)
{
    if (!reserve(o, n))
        return;
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static void put_le(struct state_out *o, uint64_t v, unsigned n)
{
    uint8_t b[8];
    for (unsigned i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    state_put_bytes(o, b, n);
}

void state_put_u8(struct state_out *o, uint8_t v) { put_le(o, v, 1); }
void state_put_u16(struct state_out *o, uint16_t v) { put_le(o, v, 2); }
void state_put_u32(struct state_out *o, uint32_t v) { put_le(o, v, 4); }
void state_put_u64(struct state_out *o, uint64_t v) { put_le(o, v, 8); }

static void set_le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

void state_begin(struct state_out *o, const char *name, uint32_t instance, uint32_t version)
{
    size_t n = strlen(name);
    state_put_u16(o, (uint16_t)n);
    state_put_bytes(o, name, n);
    state_put_u32(o, instance);
    state_put_u32(o, version);
    o->sec_len_at = o->len;
    state_put_u32(o, 0);                /* payload length, set by state_end */
}

void state_end(struct state_out *o)
{
    if (o->oom)
        return;
    set_le32(o->buf + o->sec_len_at, (uint32_t)(o->len - o->sec_len_at - 4));
    o->nsections++;
}

void state_fail(struct state_out *o, const char *why)
{
    if (!o->fail)
        o->fail = why;
    o->oom = true;                  /* nothing more is written */
}

int state_out_finish(struct state_out *o, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    if (!o->oom)
        set_le32(o->buf + 12, o->nsections);
    uint32_t crc = o->oom ? 0 : (uint32_t)crc32_z(0L, o->buf, o->len);
    state_put_u32(o, crc);
    if (o->oom) {
        snprintf(err, errlen, "state: %s", o->fail ? o->fail : "out of memory");
        state_out_free(o);
        return -1;
    }
    *buf = o->buf;
    *len = o->len;
    o->buf = NULL;
    return 0;
}

int state_in_open(struct state_in *in, const void *buf, size_t len, char *err, size_t errlen)
{
    memset(in, 0, sizeof *in);
    const uint8_t *p = buf;
    if (len < HEADER_LEN + TRAILER_LEN || memcmp(p, STATE_MAGIC, 8)) {
        snprintf(err, errlen, "state: not a hartvm state stream");
        return -1;
    }
    uint32_t version = (uint32_t)get_le(p + 8, 4);
    if (version != STATE_FORMAT_VERSION) {
        snprintf(err, errlen, "state: format version %u, this hartvm reads version %u",
                 version, STATE_FORMAT_VERSION);
        return -1;
    }
    size_t body = len - TRAILER_LEN;
    uint32_t want = (uint32_t)get_le(p + body, 4), got = (uint32_t)crc32_z(0L, p, body);
    if (want != got) {
        snprintf(err, errlen, "state: checksum mismatch (stream damaged or truncated)");
        return -1;
    }
    in->buf = p;
    in->len = body;
    in->nsections = (uint32_t)get_le(p + 12, 4);
    in->pos = HEADER_LEN;
    return 0;
}

int state_in_next(struct state_in *in, char *err, size_t errlen)
{
    if (in->next == in->nsections) {
        if (in->pos != in->len) {
            snprintf(err, errlen, "state: %zu bytes after the last section", in->len - in->pos);
            return -1;
        }
        return 0;
    }
    const uint8_t *p = in->buf + in->pos;
    size_t left = in->len - in->pos;
    size_t n = left >= 2 ? (size_t)get_le(p, 2) : 0;
    if (left < SECTION_FIXED || n == 0 || n > STATE_NAME_MAX || left - SECTION_FIXED < n) {
        snprintf(err, errlen, "state: section %u: malformed header", in->next);
        return -1;
    }
    struct state_section *s = &in->sec;
    memcpy(s->name, p + 2, n);
    s->name[n] = 0;
    s->instance = (uint32_t)get_le(p + 2 + n, 4);
    s->version = (uint32_t)get_le(p + 6 + n, 4);
    s->len = (uint32_t)get_le(p + 10 + n, 4);
    s->at = in->pos + SECTION_FIXED + n;
    if (s->len > in->len - s->at) {
        snprintf(err, errlen, "state: section %s %u runs past the end of the stream", s->name,
                 s->instance);
        return -1;
    }
    in->rd = s->at;
    in->end = s->at + s->len;
    in->pos = in->end;
    in->bad = false;
    in->why[0] = 0;
    in->next++;
    return 1;
}

static const uint8_t *take(struct state_in *in, size_t n)
{
    if (in->bad || n > in->end - in->rd) {
        if (!in->bad)
            snprintf(in->why, sizeof in->why, "payload too short");
        in->bad = true;
        return NULL;
    }
    const uint8_t *p = in->buf + in->rd;
    in->rd += n;
    return p;
}

static uint64_t get_n(struct state_in *in, unsigned n)
{
    const uint8_t *p = take(in, n);
    return p ? get_le(p, n) : 0;
}

uint8_t state_get_u8(struct state_in *in) { return (uint8_t)get_n(in, 1); }
uint16_t state_get_u16(struct state_in *in) { return (uint16_t)get_n(in, 2); }
uint32_t state_get_u32(struct state_in *in) { return (uint32_t)get_n(in, 4); }
uint64_t state_get_u64(struct state_in *in) { return get_n(in, 8); }

bool state_get_bool(struct state_in *in)
{
    uint8_t v = state_get_u8(in);
    if (v > 1)
        state_reject(in, "boolean neither 0 nor 1");
    return v == 1;
}

void state_get_bytes(struct state_in *in, void *p, size_t n)
{
    const uint8_t *s = take(in, n);
    if (s)
        memcpy(p, s, n);
    else
        memset(p, 0, n);
}

int state_reject(struct state_in *in, const char *why)
{
    if (!in->bad)
        snprintf(in->why, sizeof in->why, "%s", why);
    in->bad = true;
    return -1;
}

int state_in_done(struct state_in *in, char *err, size_t errlen)
{
    const struct state_section *s = &in->sec;
    if (!in->bad && in->rd != in->end)
        state_reject(in, "payload longer than this section version");
    if (in->bad) {
        snprintf(err, errlen, "state: section %s %u: %s", s->name, s->instance, in->why);
        return -1;
    }
    return 0;
}

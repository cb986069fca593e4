/*
 * The save/restore stream: the state of every hart and device of a
 * machine, in a versioned, self-describing, checksummed byte stream that
 * snapshots and migration build on. Guest RAM is not in it (yet), and host
 * pointers never are: what refers to guest memory is saved as a guest-
 * physical address.
 *
 * Layout (every integer little-endian):
 *
 *   header   "HVMSTATE"  u32 format version  u32 section count
 *   section  u16 name length, name bytes (the class name, no NUL)
 *            u32 instance    u32 section version    u32 payload length
 *            payload
 *   ...      (one section per hart, then per device in board order)
 *   trailer  u32 CRC-32 (zlib's) of every byte before it
 *
 * A reader checks, before anything is applied: the magic, the format
 * version, the CRC, that every section lies inside the stream, that each
 * names a part of this machine with the section version it knows. A
 * payload read past its section's end, or one that is not read to its end,
 * is an error too. Errors are a return code and a message, never a crash.
 */
#ifndef MACHINE_STATE_H
#define MACHINE_STATE_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#define STATE_MAGIC "HVMSTATE"
#define STATE_FORMAT_VERSION 1
#define STATE_NAME_MAX 64

/* Writer: a growing buffer. Errors (out of memory) are sticky and
 * reported by state_out_finish. */
struct state_out {
    uint8_t *buf;
    size_t len, cap;
    bool oom;
    const char *fail;               /* a part could not be saved (state_fail), or NULL */
    size_t sec_len_at;              /* where the open section's length goes */
    uint32_t nsections;
};
void state_out_init(struct state_out *o);
void state_out_free(struct state_out *o);
void state_begin(struct state_out *o, const char *name, uint32_t instance, uint32_t version);
void state_end(struct state_out *o);
void state_put_u8(struct state_out *o, uint8_t v);
void state_put_u16(struct state_out *o, uint16_t v);
void state_put_u32(struct state_out *o, uint32_t v);
void state_put_u64(struct state_out *o, uint64_t v);
void state_put_bytes(struct state_out *o, const void *p, size_t n);
/* A part cannot be saved (a disk that cannot be read): the stream is
 * refused by state_out_finish with why (a static string). */
void state_fail(struct state_out *o, const char *why);
/* Close the stream (count, CRC); *buf (malloc'd, the caller frees) and
 * *len. 0, or -1 with a message. */
int state_out_finish(struct state_out *o, uint8_t **buf, size_t *len, char *err, size_t errlen);

/* One section of a stream being read. */
struct state_section {
    char name[STATE_NAME_MAX + 1];
    uint32_t instance, version, len;
    size_t at;                      /* payload offset in the stream */
};

/* Reader over a whole stream. */
struct state_in {
    const uint8_t *buf;
    size_t len;                     /* without the trailer */
    uint32_t nsections, next;       /* sections in all / to come */
    size_t pos;                     /* next section header */
    /* the section being read */
    struct state_section sec;
    size_t rd, end;                 /* payload cursor and end */
    bool bad;                       /* read past the end, or a restore said so */
    char why[128];                  /* what was bad */
};
/* Check magic, version and CRC of [buf, buf+len). 0, or -1 with a message. */
int state_in_open(struct state_in *in, const void *buf, size_t len, char *err, size_t errlen);
/* The next section into in->sec: 1, 0 at the end, -1 malformed (message). */
int state_in_next(struct state_in *in, char *err, size_t errlen);
/* Readers of the current payload; past its end they set bad and give 0. */
uint8_t state_get_u8(struct state_in *in);
uint16_t state_get_u16(struct state_in *in);
uint32_t state_get_u32(struct state_in *in);
uint64_t state_get_u64(struct state_in *in);
void state_get_bytes(struct state_in *in, void *p, size_t n);
bool state_get_bool(struct state_in *in);
/* A restore rejects a value: mark the section bad with a reason; -1. */
int state_reject(struct state_in *in, const char *why);
/* After a section's restore: 0 if it was read exactly, or -1 (message). */
int state_in_done(struct state_in *in, char *err, size_t errlen);
#endif

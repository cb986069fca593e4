/*
 * The GDB remote serial protocol's framing and argument syntax, apart from
 * the stub (gdbstub.c) so that it can be unit tested and fuzzed without a
 * machine. Nothing here does I/O or touches a hart.
 *
 * GDB manual, "Remote Protocol" appendix, "Overview": a packet is
 *   $payload#cs     cs: two hex digits, the sum of the payload bytes mod 256
 * acknowledged with '+' (or '-': send it again) unless no-ack mode is on;
 * a lone 0x03 outside a packet is an interrupt request ("Interrupts").
 * Binary data (X, qXfer replies) escapes '#', '$', '}' and '*' as '}'
 * followed by the byte xor 0x20.
 */
#ifndef MONITOR_GDB_PACKET_H
#define MONITOR_GDB_PACKET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The PacketSize announced in qSupported: the largest payload gdb sends. */
#define GDB_PKT_MAX 16384

enum gdb_rx_event {
    GDB_RX_NONE,        /* byte consumed, nothing complete */
    GDB_RX_PACKET,      /* a packet with a good checksum: rx.buf[0, rx.len), NUL-terminated */
    GDB_RX_BADSUM,      /* a packet with a wrong or malformed checksum: answer '-' */
    GDB_RX_OVERFLOW,    /* a packet longer than GDB_PKT_MAX, dropped */
    GDB_RX_ACK,         /* '+' */
    GDB_RX_NACK,        /* '-': resend the last packet */
    GDB_RX_INTR,        /* 0x03 between packets */
};

struct gdb_rx {
    int state;
    size_t len;
    uint8_t sum, got;
    bool overflow;
    char buf[GDB_PKT_MAX + 1];
};

void gdb_rx_init(struct gdb_rx *rx);
/* Feed one received byte. */
enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c);

/* Frame payload[0, len) as $...#cs into out (escaping the bytes binary
 * data must not hold raw); the framed length, or 0 when it does not fit. */
size_t gdb_frame(char *out, size_t cap, const void *payload, size_t len);
/* Undo '}' escapes of binary data in place; the new length. A trailing
 * lone '}' is dropped. */
size_t gdb_unescape(char *buf, size_t len);

int gdb_hex_val(int c);                 /* 0..15, -1 if not a hex digit */
/* One to 16 hex digits at *p (advanced past them); false if none or too many. */
bool gdb_parse_hex(const char **p, uint64_t *v);
/* Exactly the hex digits of s[0, n) into out: n/2 bytes, or -1 (odd, not hex, too long). */
long gdb_hex_decode(const char *s, size_t n, uint8_t *out, size_t cap);
/* 2n hex digits and a NUL into out. */
void gdb_hex_encode(char *out, const void *in, size_t n);
/* Little-endian value of n bytes (register contents) as hex, and back. */
void gdb_hex_le(char *out, uint64_t v, unsigned bytes);
bool gdb_parse_le(const char *s, unsigned bytes, uint64_t *v);

/* "ADDR,LEN" at s, then *rest (may be NULL) past it; 0 or -1. */
int gdb_parse_addr_len(const char *s, uint64_t *addr, uint64_t *len, const char **rest);

/* Z/z packets ("Packets": Z0 software, Z1 hardware breakpoint, Z2 write,
 * Z3 read, Z4 access watchpoint): s is after the 'Z' or 'z'. */
struct gdb_z {
    int type;
    uint64_t addr, kind;
};
int gdb_parse_z(const char *s, struct gdb_z *z);

/* A thread id as gdb writes it in H, T, vCont: hex, "0" (any) or "-1" (all). */
#define GDB_TID_ANY 0
#define GDB_TID_ALL (-1)
int gdb_parse_tid(const char **p, int64_t *tid);

/* vCont;ACTION[:TID];... ("Packets", vCont): s is after "vCont". An action
 * is c, C sig, s, S sig, t or r start,end (r is refused: not announced). */
#define GDB_VCONT_MAX 16
struct gdb_vcont {
    char op;            /* 'c', 's' or 't' (C and S with their signal dropped) */
    int64_t tid;        /* GDB_TID_ALL when no thread was given */
};
/* The actions, at most max; -1 if malformed. */
int gdb_parse_vcont(const char *s, struct gdb_vcont *a, int max);
#endif

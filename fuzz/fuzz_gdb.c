/*
 * Fuzz harness: the gdb remote stub's packet layer (monitor/gdb_packet.c),
 * the bytes a gdb client (or anything that reaches its socket) sends.
 *
 * The input is the byte stream itself, fed one byte at a time to the
 * receiver (gdb_rx_byte). Each packet it completes is then given to every
 * argument parser the stub uses (addresses and lengths, Z/z, thread ids,
 * vCont, hex memory data, little-endian register values, X's binary
 * escapes), and checked for two properties:
 *   - a packet is never longer than GDB_PKT_MAX and is NUL-terminated;
 *   - framing it again (gdb_frame) and receiving that gives the same
 *     payload back with a good checksum.
 */
#include "../monitor/gdb_packet.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct gdb_rx rx, rx2;
static char framed[2 * GDB_PKT_MAX + 8];
static char copy[GDB_PKT_MAX + 1];
static uint8_t bytes[GDB_PKT_MAX];

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_gdb: %s\n", what);
    abort();
}

static void parse_all(const char *p, size_t len)
{
    uint64_t a, l, v;
    const char *rest;
    struct gdb_z z;
    struct gdb_vcont act[GDB_VCONT_MAX];
    int64_t tid;
    if (p[0] && !gdb_parse_addr_len(p + 1, &a, &l, &rest) && *rest == ':')
        gdb_hex_decode(rest + 1, strlen(rest + 1), bytes, sizeof bytes);
    if (p[0])
        gdb_parse_z(p + 1, &z);
    const char *t = p[0] ? p + 1 : p;
    gdb_parse_tid(&t, &tid);
    if (!strncmp(p, "vCont", 5))
        gdb_parse_vcont(p + 5, act, GDB_VCONT_MAX);
    for (unsigned n = 1; n <= 8; n++)
        gdb_parse_le(p, n, &v);
    const char *h = p;
    gdb_parse_hex(&h, &v);
    memcpy(copy, p, len);
    size_t n = gdb_unescape(copy, len);
    if (n > len)
        fail("unescape grew the data");
}

static void roundtrip(const char *p, size_t len)
{
    size_t n = gdb_frame(framed, sizeof framed, p, len);
    if (!n)
        fail("a packet that fits did not frame");
    gdb_rx_init(&rx2);
    enum gdb_rx_event e = GDB_RX_NONE;
    for (size_t i = 0; i < n; i++)
        e = gdb_rx_byte(&rx2, (uint8_t)framed[i]);
    if (e != GDB_RX_PACKET)
        fail("a framed packet was not received whole");
    memcpy(copy, rx2.buf, rx2.len);
    size_t m = gdb_unescape(copy, rx2.len);
    if (m != len || memcmp(copy, p, len))
        fail("frame + unescape changed the payload");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gdb_rx_init(&rx);
    for (size_t i = 0; i < size; i++) {
        enum gdb_rx_event e = gdb_rx_byte(&rx, data[i]);
        if (e != GDB_RX_PACKET)
            continue;
        if (rx.len > GDB_PKT_MAX || rx.buf[rx.len])
            fail("packet length or terminator");
        parse_all(rx.buf, rx.len);
        roundtrip(rx.buf, rx.len);
    }
    return 0;
}

/*
 * The gdb remote protocol's packet layer (monitor/gdb_packet.c): framing
 * and checksums, acks and interrupts, resynchronisation, oversized and
 * malformed packets, binary escapes, hex, and the argument syntax of m/M,
 * Z/z, H/T and vCont. Expected bytes are worked out from the GDB manual's
 * "Remote Protocol" appendix, never from the code under test.
 */
#include "unit.h"
#include "../../monitor/gdb_packet.h"
#include <stdio.h>
#include <string.h>

static struct gdb_rx rx;

/* Feed s; return the last event that is not GDB_RX_NONE (NONE if none). */
static enum gdb_rx_event feed(const char *s, size_t n)
{
    enum gdb_rx_event last = GDB_RX_NONE, e;
    for (size_t i = 0; i < n; i++)
        if ((e = gdb_rx_byte(&rx, (uint8_t)s[i])) != GDB_RX_NONE)
            last = e;
    return last;
}
#define FEED(lit) feed(lit, sizeof lit - 1)

START_TEST(rx_good_packet)
{
    gdb_rx_init(&rx);
    /* 'g' is 0x67: the manual's own example, $g#67 */
    ck_assert_int_eq(FEED("$g#67"), GDB_RX_PACKET);
    ck_assert_str_eq(rx.buf, "g");
    ck_assert_uint_eq(rx.len, 1);
    /* the checksum may come in upper case: "?" is 0x3f */
    ck_assert_int_eq(FEED("$?#3F"), GDB_RX_PACKET);
    ck_assert_str_eq(rx.buf, "?");
    ck_assert_int_eq(FEED("$#00"), GDB_RX_PACKET);      /* empty packet */
    ck_assert_uint_eq(rx.len, 0);
}
END_TEST

START_TEST(rx_bad_checksum_and_garbage)
{
    gdb_rx_init(&rx);
    ck_assert_int_eq(FEED("$g#68"), GDB_RX_BADSUM);
    ck_assert_int_eq(FEED("$g#6z"), GDB_RX_BADSUM);
    ck_assert_int_eq(FEED("$g#x7"), GDB_RX_BADSUM);
    /* noise between packets is skipped; the next packet still parses */
    ck_assert_int_eq(FEED("abc#12}}"), GDB_RX_NONE);
    ck_assert_int_eq(FEED("$g#67"), GDB_RX_PACKET);
}
END_TEST

START_TEST(rx_acks_and_interrupt)
{
    gdb_rx_init(&rx);
    ck_assert_int_eq(gdb_rx_byte(&rx, '+'), GDB_RX_ACK);
    ck_assert_int_eq(gdb_rx_byte(&rx, '-'), GDB_RX_NACK);
    ck_assert_int_eq(gdb_rx_byte(&rx, 0x03), GDB_RX_INTR);
    /* inside a packet 0x03, '+' and '-' are data */
    ck_assert_int_eq(FEED("$+-#58"), GDB_RX_PACKET);
    ck_assert_str_eq(rx.buf, "+-");
}
END_TEST

START_TEST(rx_restart_mid_packet)
{
    gdb_rx_init(&rx);
    /* a packet cut short by a new '$' (a client that gave up on it) */
    ck_assert_int_eq(FEED("$m1000,$g#67"), GDB_RX_PACKET);
    ck_assert_str_eq(rx.buf, "g");
}
END_TEST

START_TEST(rx_oversized_packet_is_dropped)
{
    static char big[GDB_PKT_MAX + 10];
    gdb_rx_init(&rx);
    memset(big, 'a', sizeof big);
    ck_assert_int_eq(gdb_rx_byte(&rx, '$'), GDB_RX_NONE);
    ck_assert_int_eq(feed(big, sizeof big), GDB_RX_NONE);
    uint8_t sum = (uint8_t)('a' * sizeof big);
    char tail[4];
    snprintf(tail, sizeof tail, "#%02x", sum);
    ck_assert_int_eq(feed(tail, 3), GDB_RX_OVERFLOW);
    ck_assert_uint_le(rx.len, GDB_PKT_MAX);
    /* and the stream goes on */
    ck_assert_int_eq(FEED("$g#67"), GDB_RX_PACKET);
}
END_TEST

START_TEST(frame_and_escape)
{
    char out[64];
    size_t n = gdb_frame(out, sizeof out, "OK", 2);
    ck_assert_uint_eq(n, 6);
    ck_assert(!memcmp(out, "$OK#9a", 6));
    /* '#', '$', '}' and '*' go as '}' and the byte xor 0x20; the checksum
     * covers the bytes sent: '}' 0x7d + 0x03 + '}' + 0x04 + 'a' 0x61 */
    n = gdb_frame(out, sizeof out, "#$a", 3);
    ck_assert_uint_eq(n, 1 + 5 + 3);
    ck_assert(!memcmp(out, "$}\x03}\x04" "a#", 7));
    uint8_t sum = (uint8_t)(0x7d + 0x03 + 0x7d + 0x04 + 0x61);
    char cs[3];
    snprintf(cs, sizeof cs, "%02x", sum);
    ck_assert(!memcmp(out + 7, cs, 2));
    /* too small a buffer: nothing */
    ck_assert_uint_eq(gdb_frame(out, 5, "OK", 2), 0);
    /* unescape undoes it; a trailing lone '}' is dropped */
    char b[] = "}\x03}\x04}]x}";
    ck_assert_uint_eq(gdb_unescape(b, sizeof b - 1), 4);
    ck_assert(!memcmp(b, "#$}x", 4));
}
END_TEST

START_TEST(hex_helpers)
{
    const char *p = "1aF,";
    uint64_t v;
    ck_assert(gdb_parse_hex(&p, &v));
    ck_assert_uint_eq(v, 0x1af);
    ck_assert_str_eq(p, ",");
    p = ",";
    ck_assert(!gdb_parse_hex(&p, &v));
    p = "11112222333344445";       /* 17 digits: more than 64 bits */
    ck_assert(!gdb_parse_hex(&p, &v));
    uint8_t b[4];
    ck_assert_int_eq(gdb_hex_decode("00ff7a", 6, b, sizeof b), 3);
    ck_assert_uint_eq(b[1], 0xff);
    ck_assert_int_eq(gdb_hex_decode("0", 1, b, sizeof b), -1);
    ck_assert_int_eq(gdb_hex_decode("zz", 2, b, sizeof b), -1);
    ck_assert_int_eq(gdb_hex_decode("0011223344", 10, b, sizeof b), -1);   /* too long */
    char h[20];
    gdb_hex_le(h, 0x80000000ull, 8);    /* registers go little-endian */
    ck_assert_str_eq(h, "0000008000000000");
    ck_assert(gdb_parse_le("0000008000000000", 8, &v));
    ck_assert_uint_eq(v, 0x80000000ull);
    ck_assert(!gdb_parse_le("00000080", 8, &v));
    gdb_hex_le(h, 0x61, 4);
    ck_assert_str_eq(h, "61000000");
}
END_TEST

START_TEST(arguments)
{
    uint64_t a, l;
    const char *rest;
    ck_assert_int_eq(gdb_parse_addr_len("80000000,4", &a, &l, NULL), 0);
    ck_assert_uint_eq(a, 0x80000000);
    ck_assert_uint_eq(l, 4);
    ck_assert_int_eq(gdb_parse_addr_len("80000000,4:ab", &a, &l, NULL), -1);
    ck_assert_int_eq(gdb_parse_addr_len("80000000,4:ab", &a, &l, &rest), 0);
    ck_assert_str_eq(rest, ":ab");
    ck_assert_int_eq(gdb_parse_addr_len("80000000", &a, &l, NULL), -1);
    ck_assert_int_eq(gdb_parse_addr_len(",4", &a, &l, NULL), -1);

    struct gdb_z z;
    ck_assert_int_eq(gdb_parse_z("0,80000012,2", &z), 0);
    ck_assert_int_eq(z.type, 0);
    ck_assert_uint_eq(z.addr, 0x80000012);
    ck_assert_uint_eq(z.kind, 2);
    ck_assert_int_eq(gdb_parse_z("4,80001018,8", &z), 0);
    ck_assert_int_eq(z.type, 4);
    ck_assert_int_eq(gdb_parse_z("5,0,4", &z), -1);
    ck_assert_int_eq(gdb_parse_z("0,1000,2;X2,0a", &z), -1);   /* conditions: not announced */
    ck_assert_int_eq(gdb_parse_z("0,1000", &z), -1);

    int64_t t;
    const char *p = "-1";
    ck_assert_int_eq(gdb_parse_tid(&p, &t), 0);
    ck_assert_int_eq(t, GDB_TID_ALL);
    p = "0";
    ck_assert_int_eq(gdb_parse_tid(&p, &t), 0);
    ck_assert_int_eq(t, GDB_TID_ANY);
    p = "a";
    ck_assert_int_eq(gdb_parse_tid(&p, &t), 0);
    ck_assert_int_eq(t, 10);
    p = "p1.2";
    ck_assert_int_eq(gdb_parse_tid(&p, &t), -1);
}
END_TEST

START_TEST(vcont)
{
    struct gdb_vcont a[GDB_VCONT_MAX];
    ck_assert_int_eq(gdb_parse_vcont(";c", a, GDB_VCONT_MAX), 1);
    ck_assert_int_eq(a[0].op, 'c');
    ck_assert_int_eq(a[0].tid, GDB_TID_ALL);
    ck_assert_int_eq(gdb_parse_vcont(";s:2;c", a, GDB_VCONT_MAX), 2);
    ck_assert_int_eq(a[0].op, 's');
    ck_assert_int_eq(a[0].tid, 2);
    ck_assert_int_eq(a[1].op, 'c');
    ck_assert_int_eq(gdb_parse_vcont(";C05:1;S0a", a, GDB_VCONT_MAX), 2);  /* signals dropped */
    ck_assert_int_eq(a[0].op, 'c');
    ck_assert_int_eq(a[1].op, 's');
    ck_assert_int_eq(gdb_parse_vcont("", a, GDB_VCONT_MAX), -1);
    ck_assert_int_eq(gdb_parse_vcont(";x", a, GDB_VCONT_MAX), -1);
    ck_assert_int_eq(gdb_parse_vcont(";r1000,2000", a, GDB_VCONT_MAX), -1);
    ck_assert_int_eq(gdb_parse_vcont(";c:", a, GDB_VCONT_MAX), -1);
    ck_assert_int_eq(gdb_parse_vcont(";c;c;c", a, 2), -1);             /* more than fit */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gdb-packet");
    TCase *t = tcase_create("core");
    tcase_add_test(t, rx_good_packet);
    tcase_add_test(t, rx_bad_checksum_and_garbage);
    tcase_add_test(t, rx_acks_and_interrupt);
    tcase_add_test(t, rx_restart_mid_packet);
    tcase_add_test(t, rx_oversized_packet_is_dropped);
    tcase_add_test(t, frame_and_escape);
    tcase_add_test(t, hex_helpers);
    tcase_add_test(t, arguments);
    tcase_add_test(t, vcont);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(suite)

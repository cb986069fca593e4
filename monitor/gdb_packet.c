/*
 * The GDB remote protocol's framing and argument syntax (gdb_packet.h).
 * Every parser takes untrusted bytes from a socket: lengths are checked
 * before each store, and a malformed argument is a -1, never a guess.
 */
#include "gdb_packet.h"
#include <string.h>

enum { RX_IDLE, RX_DATA, RX_SUM1, RX_SUM2 };

void gdb_rx_init(struct gdb_rx *rx)
{
    rx->state = RX_IDLE;
    rx->len = 0;
    rx->sum = rx->got = 0;
    rx->overflow = false;
    rx->buf[0] = 0;
}

int gdb_hex_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t c)
{
    int v;
    switch (rx->state) {
    case RX_IDLE:
        /* Between packets only acks, interrupts and a packet start mean
         * anything; other bytes (line noise, a stray '#') are skipped. */
        if (c == '$') {
            rx->state = RX_DATA;
            rx->len = 0;
            rx->sum = 0;
            rx->overflow = false;
        }
        return c == '+' ? GDB_RX_ACK : c == '-' ? GDB_RX_NACK : c == 0x03 ? GDB_RX_INTR : GDB_RX_NONE;
    case RX_DATA:
        if (c == '#') {
            rx->state = RX_SUM1;
            return GDB_RX_NONE;
        }
        if (c == '$') {         /* a new start: the previous packet was cut short */
            rx->len = 0;
            rx->sum = 0;
            rx->overflow = false;
            return GDB_RX_NONE;
        }
        rx->sum += c;
        if (rx->len < GDB_PKT_MAX)
            rx->buf[rx->len++] = (char)c;
        else
            rx->overflow = true;
        return GDB_RX_NONE;
    case RX_SUM1:
        v = gdb_hex_val(c);
        if (v < 0) {
            rx->state = RX_IDLE;
            return GDB_RX_BADSUM;
        }
        rx->got = (uint8_t)(v << 4);
        rx->state = RX_SUM2;
        return GDB_RX_NONE;
    default:
        rx->state = RX_IDLE;
        v = gdb_hex_val(c);
        rx->buf[rx->len] = 0;
        if (v < 0 || (uint8_t)(rx->got | v) != rx->sum)
            return GDB_RX_BADSUM;
        return rx->overflow ? GDB_RX_OVERFLOW : GDB_RX_PACKET;
    }
}

static const char hexd[] = "0123456789abcdef";

size_t gdb_frame(char *out, size_t cap, const void *payload, size_t len)
{
    const uint8_t *p = payload;
    size_t o = 0;
    uint8_t sum = 0;
    if (cap < 4)
        return 0;
    out[o++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        bool esc = c == '$' || c == '#' || c == '}' || c == '*';
        if (o + (esc ? 2 : 1) + 3 > cap)
            return 0;
        if (esc) {
            out[o++] = '}';
            sum += '}';
            c ^= 0x20;
        }
        out[o++] = (char)c;
        sum += c;
    }
    out[o++] = '#';
    out[o++] = hexd[sum >> 4];
    out[o++] = hexd[sum & 15];
    return o;
}

size_t gdb_unescape(char *buf, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '}') {
            if (++i == len)
                break;
            buf[o++] = (char)(buf[i] ^ 0x20);
        } else {
            buf[o++] = buf[i];
        }
    }
    return o;
}

bool gdb_parse_hex(const char **p, uint64_t *v)
{
    const char *s = *p;
    uint64_t x = 0;
    int n = 0, d;
    while ((d = gdb_hex_val((unsigned char)*s)) >= 0) {
        if (++n > 16)
            return false;
        x = x << 4 | (uint64_t)d;
        s++;
    }
    if (!n)
        return false;
    *v = x;
    *p = s;
    return true;
}

long gdb_hex_decode(const char *s, size_t n, uint8_t *out, size_t cap)
{
    if (n & 1 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = gdb_hex_val((unsigned char)s[i]), lo = gdb_hex_val((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

void gdb_hex_encode(char *out, const void *in, size_t n)
{
    const uint8_t *p = in;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexd[p[i] >> 4];
        out[2 * i + 1] = hexd[p[i] & 15];
    }
    out[2 * n] = 0;
}

void gdb_hex_le(char *out, uint64_t v, unsigned bytes)
{
    uint8_t b[8];
    for (unsigned i = 0; i < bytes && i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    gdb_hex_encode(out, b, bytes > 8 ? 8 : bytes);
}

bool gdb_parse_le(const char *s, unsigned bytes, uint64_t *v)
{
    uint8_t b[8];
    if (bytes > 8 || strlen(s) != 2 * bytes || gdb_hex_decode(s, 2 * bytes, b, sizeof b) < 0)
        return false;
    uint64_t x = 0;
    for (unsigned i = 0; i < bytes; i++)
        x |= (uint64_t)b[i] << (8 * i);
    *v = x;
    return true;
}

int gdb_parse_addr_len(const char *s, uint64_t *addr, uint64_t *len, const char **rest)
{
    if (!gdb_parse_hex(&s, addr) || *s++ != ',' || !gdb_parse_hex(&s, len))
        return -1;
    if (rest)
        *rest = s;
    else if (*s)
        return -1;
    return 0;
}

int gdb_parse_z(const char *s, struct gdb_z *z)
{
    /* Z TYPE,ADDR,KIND, possibly followed by ;cond_list;cmds (not announced: refused) */
    if (*s < '0' || *s > '4' || s[1] != ',')
        return -1;
    z->type = *s - '0';
    s += 2;
    if (gdb_parse_addr_len(s, &z->addr, &z->kind, &s) || *s)
        return -1;
    return 0;
}

int gdb_parse_tid(const char **p, int64_t *tid)
{
    const char *s = *p;
    uint64_t v;
    if (s[0] == '-' && s[1] == '1') {
        *tid = GDB_TID_ALL;
        *p = s + 2;
        return 0;
    }
    if (s[0] == 'p')            /* multiprocess syntax pPID.TID: not announced */
        return -1;
    if (!gdb_parse_hex(&s, &v) || v > 0x7fffffff)
        return -1;
    *tid = (int64_t)v;
    *p = s;
    return 0;
}

int gdb_parse_vcont(const char *s, struct gdb_vcont *a, int max)
{
    int n = 0;
    while (*s) {
        uint64_t sig;
        if (*s++ != ';' || n == max)
            return -1;
        char op = *s++;
        switch (op) {
        case 'C': case 'S':
            if (!gdb_parse_hex(&s, &sig) || sig > 0xff)
                return -1;
            op = op == 'C' ? 'c' : 's';
            break;
        case 'c': case 's': case 't':
            break;
        default:
            return -1;
        }
        a[n].op = op;
        a[n].tid = GDB_TID_ALL;
        if (*s == ':') {
            s++;
            if (gdb_parse_tid(&s, &a[n].tid))
                return -1;
        }
        n++;
    }
    return n ? n : -1;
}

/* virtio-net driven through the virtio-mmio registers and its rings from
 * the test (no guest): transmit with checksum offload, receive with and
 * without merged buffers, the control queue's filter, hostile rings, and
 * the device state in the save/restore stream. */
#include "unit.h"
#include "../../machine/dev/virtio_net.h"
#include "../../machine/dev/virtio.h"
#include "../../machine/state.h"
#include "../../mmu/bus.h"
#include <stdio.h>
#include <string.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1u << 20)
#define RING(q)  (RAM_BASE + 0x1000 + 0x3000ull * (q))      /* desc, +0x1000 avail, +0x2000 used */
#define BUF      (RAM_BASE + 0x20000)
#define QN 8

struct rig {
    struct bus bus;
    uint8_t *ram;
    struct vnet *n;
    uint16_t avail[3];
    uint8_t sent[2048];
    size_t sent_len;
    int nsent;
};

static void tx_hook(void *ctx, const uint8_t *f, size_t len)
{
    struct rig *r = ctx;
    r->nsent++;
    r->sent_len = len < sizeof r->sent ? len : sizeof r->sent;
    memcpy(r->sent, f, r->sent_len);
}

static uint32_t rd(struct rig *r, uint64_t off)
{
    uint64_t v;
    virtio_mmio_ops.read(&r->n->vdev, off, 4, &v);
    return (uint32_t)v;
}
static void wr(struct rig *r, uint64_t off, uint32_t v) { virtio_mmio_ops.write(&r->n->vdev, off, 4, v); }
static void *ram(struct rig *r, uint64_t pa) { return r->ram + (pa - RAM_BASE); }

static const uint8_t MAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static void rig_open(struct rig *r)
{
    memset(r, 0, sizeof *r);
    r->ram = calloc(1, RAM_SIZE);
    bus_add_memory(&r->bus, "ram", RAM_BASE, RAM_SIZE, r->ram, false);
    r->n = calloc(1, sizeof *r->n);
    vnet_init(r->n, MAC, &r->bus, false, NULL, NULL);
    r->n->tx = tx_hook;
    r->n->tx_ctx = r;
}

static void rig_close(struct rig *r)
{
    free(r->n);
    bus_free(&r->bus);
    free(r->ram);
}

/* §3.1.1 for the modern device, accepting features & mask. */
static void driver_init(struct rig *r, uint64_t mask)
{
    wr(r, 0x070, 0);
    wr(r, 0x070, 1);
    wr(r, 0x070, 1 | 2);
    wr(r, 0x014, 0); uint64_t f = rd(r, 0x010);
    wr(r, 0x014, 1); f |= (uint64_t)rd(r, 0x010) << 32;
    f &= mask;
    wr(r, 0x024, 0); wr(r, 0x020, (uint32_t)f);
    wr(r, 0x024, 1); wr(r, 0x020, (uint32_t)(f >> 32));
    wr(r, 0x070, 1 | 2 | 8);
    ck_assert(rd(r, 0x070) & 8);
    for (uint32_t q = 0; q < 3; q++) {
        wr(r, 0x030, q);
        wr(r, 0x038, QN);
        wr(r, 0x080, (uint32_t)RING(q));           wr(r, 0x084, 0);
        wr(r, 0x090, (uint32_t)(RING(q) + 0x1000)); wr(r, 0x094, 0);
        wr(r, 0x0a0, (uint32_t)(RING(q) + 0x2000)); wr(r, 0x0a4, 0);
        wr(r, 0x044, 1);
    }
    wr(r, 0x070, 1 | 2 | 8 | 4);
}

static void desc(struct rig *r, int q, int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *d = ram(r, RING(q) + 16 * i);
    memcpy(d, &addr, 8); memcpy(d + 8, &len, 4); memcpy(d + 12, &flags, 2); memcpy(d + 14, &next, 2);
}

/* Make head available on queue q; notify unless it is the receive queue. */
static void submit(struct rig *r, int q, uint16_t head)
{
    memcpy(ram(r, RING(q) + 0x1000 + 4 + 2 * (r->avail[q] % QN)), &head, 2);
    r->avail[q]++;
    memcpy(ram(r, RING(q) + 0x1000 + 2), &r->avail[q], 2);
    wr(r, 0x050, (uint32_t)q);
}

static uint16_t used_idx(struct rig *r, int q) { uint16_t v; memcpy(&v, ram(r, RING(q) + 0x2002), 2); return v; }
static uint32_t used_len(struct rig *r, int q, int e)
{
    uint32_t v;
    memcpy(&v, ram(r, RING(q) + 0x2004 + 8 * e + 4), 4);
    return v;
}

/* An ethernet frame to dst: 14 header bytes and a payload of len - 14. */
static void frame(uint8_t *f, size_t len, const uint8_t *dst)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, "\x52\x54\x00\xaa\xbb\xcc", 6);
    f[12] = 0x08; f[13] = 0x00;
    for (size_t i = 14; i < len; i++)
        f[i] = (uint8_t)(i * 7);
}

#define ALL ~0ull
enum { F_CSUM = 0, F_MRG = 15, F_CTRL_VQ = 17, F_CTRL_RX = 18 };

START_TEST(identity_config_and_feature_rules)
{
    struct rig r;
    rig_open(&r);
    ck_assert_uint_eq(rd(&r, 0x008), 1);
    wr(&r, 0x014, 0);
    uint32_t f = rd(&r, 0x010);
    ck_assert(f & (1u << 5));                   /* MAC */
    ck_assert(f & (1u << 16));                  /* STATUS */
    ck_assert(f & (1u << 15));                  /* MRG_RXBUF */
    uint64_t v;
    virtio_mmio_ops.read(&r.n->vdev, 0x100, 4, &v);
    ck_assert_uint_eq(v, 0x12005452);
    virtio_mmio_ops.read(&r.n->vdev, 0x106, 2, &v);
    ck_assert_uint_eq(v, 1);                    /* link up */
    vnet_set_link(r.n, false);
    virtio_mmio_ops.read(&r.n->vdev, 0x106, 2, &v);
    ck_assert_uint_eq(v, 0);
    vnet_set_link(r.n, true);
    /* CTRL_RX without CTRL_VQ: FEATURES_OK refused (§5.1.3.1) */
    wr(&r, 0x070, 1 | 2);
    wr(&r, 0x024, 0); wr(&r, 0x020, 1u << F_CTRL_RX);
    wr(&r, 0x024, 1); wr(&r, 0x020, 1);
    wr(&r, 0x070, 1 | 2 | 8);
    ck_assert(!(rd(&r, 0x070) & 8));
    rig_close(&r);
}
END_TEST

START_TEST(transmit_with_checksum_offload)
{
    struct rig r;
    rig_open(&r);
    driver_init(&r, ALL);
    /* an IPv4/UDP-like frame: checksum over [34, len) into offset 34+6 */
    uint8_t *h = ram(&r, BUF), *f = ram(&r, BUF + 0x100);
    memset(h, 0, 12);
    h[0] = 1;                                   /* NEEDS_CSUM */
    uint16_t start = 34, off = 6;
    memcpy(h + 6, &start, 2); memcpy(h + 8, &off, 2);
    frame(f, 60, MAC);
    f[40] = 0x12; f[41] = 0x34;                 /* the pseudo-header sum the driver left */
    desc(&r, 1, 0, BUF, 12, 1, 1);
    desc(&r, 1, 1, BUF + 0x100, 60, 0, 0);
    submit(&r, 1, 0);
    ck_assert_int_eq(r.nsent, 1);
    ck_assert_uint_eq(r.sent_len, 60);
    ck_assert_uint_eq(used_idx(&r, 1), 1);
    /* the range's sum with the filled checksum, plus the pseudo-header's,
     * is 0xffff (RFC 1071 verification) */
    uint32_t sum = 0x1234;
    for (size_t i = 34; i + 1 < 60; i += 2)
        sum += (uint32_t)r.sent[i] << 8 | r.sent[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    ck_assert_uint_eq(sum, 0xffff);
    /* a checksum range outside the frame: not sent, counted */
    start = 200;
    memcpy(h + 6, &start, 2);
    submit(&r, 1, 0);
    ck_assert_int_eq(r.nsent, 1);
    ck_assert_uint_eq(r.n->st.tx_errors, 1);
    ck_assert_uint_eq(used_idx(&r, 1), 2);      /* the buffer still comes back */
    rig_close(&r);
}
END_TEST

START_TEST(receive_single_and_merged)
{
    struct rig r;
    uint8_t f[300];
    rig_open(&r);
    driver_init(&r, ALL);
    frame(f, sizeof f, MAC);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, true), 0);     /* no buffer: dropped */
    ck_assert_uint_eq(r.n->st.rx_dropped, 1);
    /* three 128-byte buffers: header + 300 bytes take all three */
    for (int i = 0; i < 3; i++) {
        desc(&r, 0, i, BUF + 0x200 * i, 128, 2, 0);
        submit(&r, 0, (uint16_t)i);
    }
    ck_assert(vnet_can_receive(r.n));
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, true), 1);
    ck_assert_uint_eq(used_idx(&r, 0), 3);
    ck_assert_uint_eq(used_len(&r, 0, 0), 128);
    ck_assert_uint_eq(used_len(&r, 0, 2), 312 - 256);
    uint8_t *h = ram(&r, BUF);
    uint16_t nb;
    memcpy(&nb, h + 10, 2);
    ck_assert_uint_eq(nb, 3);
    ck_assert_uint_eq(h[0], 2);                 /* DATA_VALID */
    ck_assert(!memcmp(h + 12, f, 116));
    ck_assert(!memcmp(ram(&r, BUF + 0x200), f + 116, 128));
    /* two buffers left for a frame that needs three: none consumed */
    for (int i = 0; i < 2; i++) {
        desc(&r, 0, i, BUF + 0x200 * i, 128, 2, 0);
        submit(&r, 0, (uint16_t)i);
    }
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);
    ck_assert_uint_eq(used_idx(&r, 0), 3);
    ck_assert_int_eq(vnet_receive(r.n, f, 100, false), 1);         /* a small one fits */
    ck_assert_uint_eq(*(uint8_t *)ram(&r, BUF), 0);    /* not from a checking back end */
    rig_close(&r);

    /* without MRG_RXBUF: one chain per frame, 12-byte header (VERSION_1) */
    rig_open(&r);
    driver_init(&r, ~(1ull << F_MRG));
    desc(&r, 0, 0, BUF, 128, 2, 0);
    submit(&r, 0, 0);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);    /* too big for it */
    ck_assert_uint_eq(used_idx(&r, 0), 0);
    ck_assert_int_eq(vnet_receive(r.n, f, 116, false), 1);
    ck_assert_uint_eq(used_len(&r, 0, 0), 128);
    rig_close(&r);
}
END_TEST

/* A control command: class, cmd, data; returns the ack. */
static uint8_t ctrl(struct rig *r, uint8_t cls, uint8_t cmd, const void *data, uint32_t len)
{
    uint8_t *c = ram(r, BUF + 0x800);
    c[0] = cls; c[1] = cmd;
    memcpy(c + 2, data, len);
    *(uint8_t *)ram(r, BUF + 0x900) = 0xee;
    desc(r, 2, 0, BUF + 0x800, 2 + len, 1, 1);
    desc(r, 2, 1, BUF + 0x900, 1, 2, 0);
    submit(r, 2, 0);
    return *(uint8_t *)ram(r, BUF + 0x900);
}

START_TEST(control_queue_filter)
{
    struct rig r;
    uint8_t f[64], other[6] = { 0x52, 0x54, 0, 1, 2, 3 }, mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
    rig_open(&r);
    driver_init(&r, ALL);
    for (int i = 0; i < QN; i++)
        desc(&r, 0, i, BUF + 0x80 * i, 0x80, 2, 0);
    for (int i = 0; i < QN; i++)
        submit(&r, 0, (uint16_t)i);
    uint8_t off = 0;
    ck_assert_uint_eq(ctrl(&r, 0, 0, &off, 1), 0);                 /* promisc off */
    frame(f, sizeof f, other);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);
    ck_assert_uint_eq(r.n->st.rx_filtered, 1);
    frame(f, sizeof f, MAC);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 1);
    frame(f, sizeof f, mcast);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);    /* not in the table */
    uint8_t tbl[4 + 4 + 6] = { 0 };
    tbl[4] = 1;
    memcpy(tbl + 8, mcast, 6);
    ck_assert_uint_eq(ctrl(&r, 1, 0, tbl, sizeof tbl), 0);         /* MAC_TABLE_SET */
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 1);
    ck_assert_uint_eq(ctrl(&r, 1, 0, tbl, sizeof tbl - 1), 1);     /* short: refused */
    ck_assert_uint_eq(ctrl(&r, 9, 0, &off, 1), 1);                 /* unknown class */
    ck_assert_uint_eq(ctrl(&r, 1, 1, other, 6), 0);                /* MAC_ADDR_SET */
    ck_assert(!memcmp(r.n->mac, other, 6));
    frame(f, sizeof f, other);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 1);
    /* a reset gives back the configured address and promiscuous mode */
    wr(&r, 0x070, 0);
    ck_assert(!memcmp(r.n->mac, MAC, 6));
    ck_assert(r.n->rx_mode[VNET_RX_PROMISC]);
    rig_close(&r);
}
END_TEST

#define expect_reset(r) expect_reset_at(r, __LINE__)
static void expect_reset_at(struct rig *r, int line)
{
    ck_assert_msg(rd(r, 0x070) & VIRTIO_STATUS_NEEDS_RESET, "line %d: device did not ask for a reset", line);
    uint8_t f[64];
    frame(f, sizeof f, MAC);
    ck_assert_int_eq(vnet_receive(r->n, f, sizeof f, false), 0);
}

START_TEST(hostile_rings_need_reset)
{
    struct rig r;
    /* a descriptor loop on the transmit queue */
    rig_open(&r);
    driver_init(&r, ALL);
    desc(&r, 1, 0, BUF, 12, 1, 1);
    desc(&r, 1, 1, BUF, 12, 1, 0);
    submit(&r, 1, 0);
    expect_reset(&r);
    ck_assert_int_eq(r.nsent, 0);
    rig_close(&r);
    /* the avail index far ahead of the ring */
    rig_open(&r);
    driver_init(&r, ALL);
    uint16_t idx = 500;
    memcpy(ram(&r, RING(0) + 0x1002), &idx, 2);
    uint8_t f[64];
    frame(f, sizeof f, MAC);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);
    expect_reset(&r);
    rig_close(&r);
    /* a head out of range, a buffer outside RAM */
    rig_open(&r);
    driver_init(&r, ALL);
    desc(&r, 0, 0, 0x10, 1500, 2, 0);
    submit(&r, 0, 0);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);
    ck_assert_uint_eq(used_idx(&r, 0), 0);
    expect_reset(&r);
    rig_close(&r);
    rig_open(&r);
    driver_init(&r, ALL);
    submit(&r, 0, 77);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 0);
    expect_reset(&r);
    rig_close(&r);
    /* nested indirect descriptors on the control queue, a command without an ack byte */
    rig_open(&r);
    driver_init(&r, ALL);
    desc(&r, 2, 0, BUF + 0x800, 2, 1, 0);
    submit(&r, 2, 0);
    expect_reset(&r);
    rig_close(&r);
    rig_open(&r);
    driver_init(&r, ALL);
    uint8_t *ind = ram(&r, BUF + 0x400);
    uint64_t a = BUF + 0x400;
    uint32_t l = 16;
    uint16_t fl = 4, nx = 0;
    memcpy(ind, &a, 8); memcpy(ind + 8, &l, 4); memcpy(ind + 12, &fl, 2); memcpy(ind + 14, &nx, 2);
    desc(&r, 1, 0, BUF + 0x400, 16, 4, 0);
    submit(&r, 1, 0);
    expect_reset(&r);
    /* the driver's reset brings it back */
    driver_init(&r, ALL);
    ck_assert(!(rd(&r, 0x070) & VIRTIO_STATUS_NEEDS_RESET));
    desc(&r, 0, 0, BUF, 128, 2, 0);
    r.avail[0] = 0;
    submit(&r, 0, 0);
    ck_assert_int_eq(vnet_receive(r.n, f, sizeof f, false), 1);
    rig_close(&r);
}
END_TEST

/* The slot's section: transport and device state, restored into a fresh
 * device. */
START_TEST(state_round_trip)
{
    struct rig r, s;
    rig_open(&r);
    rig_open(&s);
    driver_init(&r, ALL);
    uint8_t off = 0, other[6] = { 0x52, 0x54, 0, 9, 9, 9 };
    ck_assert_uint_eq(ctrl(&r, 0, 0, &off, 1), 0);
    ck_assert_uint_eq(ctrl(&r, 1, 1, other, 6), 0);
    struct vslot a = { 0 }, b = { 0 };
    vslot_attach(&a, &r.n->vdev);
    vslot_attach(&b, &s.n->vdev);
    struct state_out o;
    uint8_t *buf;
    size_t len;
    char err[256];
    state_out_init(&o);
    state_begin(&o, "virtio-mmio", 0, 1);
    vslot_class.save(&a, &o);
    state_end(&o);
    ck_assert_int_eq(state_out_finish(&o, &buf, &len, err, sizeof err), 0);
    struct state_in in;
    ck_assert_int_eq(state_in_open(&in, buf, len, err, sizeof err), 0);
    ck_assert_int_eq(state_in_next(&in, err, sizeof err), 1);
    ck_assert_int_eq(vslot_class.restore(&b, &in), 0);
    ck_assert(!in.bad);
    ck_assert(!memcmp(s.n->mac, other, 6));
    ck_assert(!s.n->rx_mode[VNET_RX_PROMISC]);
    ck_assert_uint_eq(s.n->vdev.status, r.n->vdev.status);
    free(buf);
    rig_close(&r);
    rig_close(&s);
}
END_TEST

static Suite *vnet_suite(void)
{
    Suite *s = suite_create("virtio-net");
    TCase *t = tcase_create("device");
    tcase_add_test(t, identity_config_and_feature_rules);
    tcase_add_test(t, transmit_with_checksum_offload);
    tcase_add_test(t, receive_single_and_merged);
    tcase_add_test(t, control_queue_filter);
    tcase_add_test(t, hostile_rings_need_reset);
    tcase_add_test(t, state_round_trip);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(vnet_suite)

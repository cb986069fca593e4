/*
 * Guest for tests/system/virtio_xv6.sh: the virtio-blk disk in virtio-mmio
 * slot 0 (0x1000_1000, PLIC source 1) driven register by register as
 * xv6-riscv's kernel/virtio_disk.c drives it, in the two versions courses
 * use:
 *
 *   2022 (legacy):  checks MagicValue, Version == 1, DeviceID == 2 and
 *                   QEMU's VendorID; ACKNOWLEDGE, DRIVER, the low feature
 *                   word, FEATURES_OK and DRIVER_OK before any queue
 *                   exists; then GuestPageSize, QueueNum and QueuePFN of a
 *                   two-page ring (used ring on the second page).
 *   2024 (modern):  checks Version == 2; reset, ACKNOWLEDGE, DRIVER, writes
 *                   only the low feature word (DriverFeaturesSel stays 0,
 *                   so VIRTIO_F_VERSION_1 is never acknowledged), sets
 *                   FEATURES_OK and reads it back; QueueReady must read 0;
 *                   QueueDesc/Driver/Device Low/High, QueueReady, DRIVER_OK.
 *
 * The guest picks the driver that matches the Version register. With a
 * modern device it first plays a broken driver: it acknowledges a feature
 * bit the device did not offer, and reports whether FEATURES_OK was kept.
 * Requests are xv6's three-descriptor chains (header, data, status), each
 * completed by the device's interrupt: the hart waits in wfi with MEIE set
 * (MIE clear, so no trap is taken), claims source 1 at the PLIC, clears
 * InterruptStatus through InterruptACK, and completes the claim.
 *
 * It reads sector 1 (the test's image holds a known text there), writes
 * sector 2 and reads it back, prints what it saw on the UART, and ends
 * through the test finisher: 0x5555 when every step succeeded, else
 * (code << 16) | 0x3333. Everything printed is decided by the device, so the
 * same binary on qemu-system-riscv64 prints what QEMU's device decides.
 *
 * Built with -DPROBE_GUARD (tests/system/disk_probe.sh) it then writes
 * sector 0 twice, plain data and then a qcow2 header, and reports each
 * request's status: the second is refused on an image whose raw format was
 * probed rather than given, as QEMU refuses it.
 */
#include <stdint.h>

#define UART     0x10000000ul
#define FINISHER ((volatile uint32_t *)0x100000)
#define VIRTIO0  0x10001000ul
#define PLIC     0x0c000000ul
#define VIRTIO0_IRQ 1

#define R(off) ((volatile uint32_t *)(VIRTIO0 + (off)))
enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c,
    DEVICE_FEATURES = 0x010, DRIVER_FEATURES = 0x020, GUEST_PAGE_SIZE = 0x028,
    QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_PFN = 0x040,
    QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060,
    INTERRUPT_ACK = 0x064, STATUS = 0x070, QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084,
    DRIVER_DESC_LOW = 0x090, DRIVER_DESC_HIGH = 0x094, DEVICE_DESC_LOW = 0x0a0,
    DEVICE_DESC_HIGH = 0x0a4,
};
enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8 };
/* the bits xv6 clears from the device's offer */
enum { BLK_F_RO = 5, BLK_F_SCSI = 7, BLK_F_CONFIG_WCE = 11, BLK_F_MQ = 12, F_ANY_LAYOUT = 27,
       RING_F_INDIRECT_DESC = 28, RING_F_EVENT_IDX = 29 };

#define NUM 8                   /* xv6's queue size */
#define PGSIZE 4096

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[NUM], unused; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[NUM]; };
struct blk_req { uint32_t type, reserved; uint64_t sector; };
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

/* Legacy: one two-page block, as xv6 2022 lays it out (§2.7 legacy layout:
 * the used ring starts at the next QueueAlign = 4096 boundary). */
static uint8_t pages[2 * PGSIZE] __attribute__((aligned(PGSIZE)));
/* Modern: three separate allocations, as xv6 2024 kalloc()s them. */
static uint8_t mdesc[PGSIZE] __attribute__((aligned(PGSIZE)));
static uint8_t mavail[PGSIZE] __attribute__((aligned(PGSIZE)));
static uint8_t mused[PGSIZE] __attribute__((aligned(PGSIZE)));

static struct desc *desc;
static struct avail *avail;
static volatile struct used *used;
static uint16_t used_idx;
static struct blk_req req;
static volatile uint8_t req_status;
static uint8_t buf[512];
static int failures;

/* ---- console --------------------------------------------------------- */
static void putc_(char c)
{
    volatile uint8_t *u = (volatile uint8_t *)UART;
    while (!(u[5] & 0x20))
        ;
    u[0] = (uint8_t)c;
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void puthex(uint64_t v)
{
    puts_("0x");
    int started = 0;
    for (int i = 60; i >= 0; i -= 4) {
        int d = (v >> i) & 15;
        if (d || started || i == 0) {
            putc_("0123456789abcdef"[d]);
            started = 1;
        }
    }
}
static void line(const char *a, uint64_t v) { puts_(a); puthex(v); putc_('\n'); }
static void fail(const char *why) { puts_("FAIL "); puts_(why); putc_('\n'); failures++; }

static void zero(void *p, unsigned long n) { uint8_t *b = p; while (n--) *b++ = 0; }

/* ---- interrupt: wfi, claim, InterruptACK, complete ----------------------- */
#define PLIC_PRIORITY(irq) ((volatile uint32_t *)(PLIC + 4 * (irq)))
#define PLIC_MENABLE       ((volatile uint32_t *)(PLIC + 0x2000))      /* hart 0, M-mode */
#define PLIC_MTHRESHOLD    ((volatile uint32_t *)(PLIC + 0x200000))
#define PLIC_MCLAIM        ((volatile uint32_t *)(PLIC + 0x200004))

static void plic_init(void)
{
    *PLIC_PRIORITY(VIRTIO0_IRQ) = 1;
    *PLIC_MENABLE = 1u << VIRTIO0_IRQ;
    *PLIC_MTHRESHOLD = 0;
    __asm__ volatile("csrs mie, %0" :: "r"(1ul << 11));        /* MEIE; mstatus.MIE stays 0 */
}

static int wait_interrupt(void)
{
    for (long tries = 0; tries < 1000000; tries++) {
        uint32_t irq = *PLIC_MCLAIM;
        if (irq == VIRTIO0_IRQ) {
            /* xv6's virtio_disk_intr: acknowledge what InterruptStatus says */
            *R(INTERRUPT_ACK) = *R(INTERRUPT_STATUS) & 0x3;
            *PLIC_MCLAIM = irq;
            return 0;
        }
        if (irq)
            *PLIC_MCLAIM = irq;
        __asm__ volatile("wfi");
    }
    return -1;
}

/* ---- one request, xv6's three descriptors -------------------------------- */
/* The request's status byte (0 OK, 1 IOERR, 2 UNSUPP), or -1 when the
 * device never completed it. */
static int disk_rw(uint64_t sector, int write)
{
    req.type = write ? 1 : 0;           /* VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN */
    req.reserved = 0;
    req.sector = sector;
    req_status = 0xff;
    desc[0] = (struct desc){ (uintptr_t)&req, sizeof req, VRING_DESC_F_NEXT, 1 };
    desc[1] = (struct desc){ (uintptr_t)buf, 512,
                             (uint16_t)((write ? 0 : VRING_DESC_F_WRITE) | VRING_DESC_F_NEXT), 2 };
    desc[2] = (struct desc){ (uintptr_t)&req_status, 1, VRING_DESC_F_WRITE, 0 };
    avail->ring[avail->idx % NUM] = 0;
    __sync_synchronize();
    avail->idx += 1;
    __sync_synchronize();
    *R(QUEUE_NOTIFY) = 0;
    if (wait_interrupt()) {
        fail("no interrupt for the request");
        return -1;
    }
    __sync_synchronize();
    if (used->idx != (uint16_t)(used_idx + 1)) {
        fail("used ring did not advance");
        return -1;
    }
    used_idx = used->idx;
    if (used->ring[(used_idx - 1) % NUM].id != 0) {
        fail("used ring returned another chain");
        return -1;
    }
    return req_status;
}

/* A request that must succeed. */
static int disk_ok(uint64_t sector, int write)
{
    int st = disk_rw(sector, write);
    if (st > 0)
        fail("request status not OK");
    return st ? -1 : 0;
}

#ifdef PROBE_GUARD
/* Write sector 0 and report the request's status. */
static void write_sector0(const char *what)
{
    int st = disk_rw(0, 1);
    puts_("sector 0 ");
    puts_(what);
    line(" write: status ", (uint64_t)st);
}
#endif

/* ---- the two drivers -------------------------------------------------------- */
static uint32_t xv6_features(void)
{
    uint32_t f = *R(DEVICE_FEATURES);
    f &= ~(1u << BLK_F_RO);
    f &= ~(1u << BLK_F_SCSI);
    f &= ~(1u << BLK_F_CONFIG_WCE);
    f &= ~(1u << BLK_F_MQ);
    f &= ~(1u << F_ANY_LAYOUT);
    f &= ~(1u << RING_F_EVENT_IDX);
    f &= ~(1u << RING_F_INDIRECT_DESC);
    return f;
}

static int init_legacy(void)
{
    uint32_t status = 0;
    status |= S_ACK;
    *R(STATUS) = status;
    status |= S_DRIVER;
    *R(STATUS) = status;
    *R(DRIVER_FEATURES) = xv6_features();
    status |= S_FEATURES_OK;
    *R(STATUS) = status;
    status |= S_DRIVER_OK;              /* 2022 xv6: before the queue exists */
    *R(STATUS) = status;
    *R(GUEST_PAGE_SIZE) = PGSIZE;
    *R(QUEUE_SEL) = 0;
    uint32_t max = *R(QUEUE_NUM_MAX);
    line("queue num max ", max);
    if (max == 0 || max < NUM) {
        fail("virtio disk has no queue 0 / max queue too short");
        return -1;
    }
    *R(QUEUE_NUM) = NUM;
    zero(pages, sizeof pages);
    *R(QUEUE_PFN) = (uint32_t)((uintptr_t)pages >> 12);
    line("queue pfn ", *R(QUEUE_PFN));
    desc = (struct desc *)pages;
    avail = (struct avail *)(pages + NUM * sizeof(struct desc));
    used = (volatile struct used *)(pages + PGSIZE);
    return 0;
}

/* A driver breaking §2.2.1: it accepts a bit the device never offered. */
static void unoffered_feature(void)
{
    *R(STATUS) = 0;
    *R(STATUS) = S_ACK | S_DRIVER;
    uint32_t offered = *R(DEVICE_FEATURES), bit = 0;
    while (bit < 31 && (offered >> bit & 1))
        bit++;
    *R(DRIVER_FEATURES) = offered | 1u << bit;
    *R(STATUS) = S_ACK | S_DRIVER | S_FEATURES_OK;
    line("unoffered feature bit ", bit);
    puts_(*R(STATUS) & S_FEATURES_OK ? "unoffered feature: FEATURES_OK kept\n"
                                     : "unoffered feature: FEATURES_OK refused\n");
    *R(STATUS) = 0;
    line("status after reset ", *R(STATUS));
}

static int init_modern(void)
{
    uint32_t status = 0;
    *R(STATUS) = status;                /* reset */
    status |= S_ACK;
    *R(STATUS) = status;
    status |= S_DRIVER;
    *R(STATUS) = status;
    *R(DRIVER_FEATURES) = xv6_features();
    status |= S_FEATURES_OK;
    *R(STATUS) = status;
    status = *R(STATUS);
    line("status after FEATURES_OK ", status);
    if (!(status & S_FEATURES_OK)) {
        fail("virtio disk FEATURES_OK unset");
        return -1;
    }
    *R(QUEUE_SEL) = 0;
    if (*R(QUEUE_READY)) {
        fail("virtio disk should not be ready");
        return -1;
    }
    uint32_t max = *R(QUEUE_NUM_MAX);
    line("queue num max ", max);
    if (max == 0 || max < NUM) {
        fail("virtio disk has no queue 0 / max queue too short");
        return -1;
    }
    zero(mdesc, sizeof mdesc);
    zero(mavail, sizeof mavail);
    zero(mused, sizeof mused);
    *R(QUEUE_NUM) = NUM;
    *R(QUEUE_DESC_LOW) = (uint32_t)(uintptr_t)mdesc;
    *R(QUEUE_DESC_HIGH) = (uint32_t)((uint64_t)(uintptr_t)mdesc >> 32);
    *R(DRIVER_DESC_LOW) = (uint32_t)(uintptr_t)mavail;
    *R(DRIVER_DESC_HIGH) = (uint32_t)((uint64_t)(uintptr_t)mavail >> 32);
    *R(DEVICE_DESC_LOW) = (uint32_t)(uintptr_t)mused;
    *R(DEVICE_DESC_HIGH) = (uint32_t)((uint64_t)(uintptr_t)mused >> 32);
    *R(QUEUE_READY) = 1;
    status |= S_DRIVER_OK;
    *R(STATUS) = status;
    desc = (struct desc *)mdesc;
    avail = (struct avail *)mavail;
    used = (volatile struct used *)mused;
    return 0;
}

static void print_sector_text(void)
{
    puts_("sector text: ");
    for (int i = 0; i < 64 && buf[i] >= ' ' && buf[i] < 127; i++)
        putc_((char)buf[i]);
    putc_('\n');
}

int main(void)
{
    uint32_t magic = *R(MAGIC), version = *R(VERSION), id = *R(DEVICE_ID), vendor = *R(VENDOR_ID);
    line("magic ", magic);
    line("version ", version);
    line("device id ", id);
    line("vendor id ", vendor);
    /* the identification checks of both xv6 versions, reported, not enforced */
    int ident = magic == 0x74726976 && id == 2 && vendor == 0x554d4551;
    puts_(ident && version == 1 ? "xv6-2022 check: ok\n" : "xv6-2022 check: could not find virtio disk\n");
    puts_(ident && version == 2 ? "xv6-2024 check: ok\n" : "xv6-2024 check: could not find virtio disk\n");
    if (!ident || (version != 1 && version != 2)) {
        fail("no virtio disk in slot 0");
        goto out;
    }
    plic_init();
    if (version == 2)
        unoffered_feature();
    puts_(version == 1 ? "driver: legacy (QueuePFN)\n" : "driver: modern (QueueDescLow)\n");
    if (version == 1 ? init_legacy() : init_modern())
        goto out;
    if (disk_ok(1, 0))
        goto out;
    print_sector_text();
    for (int i = 0; i < 512; i++)
        buf[i] = (uint8_t)(i * 7 + version);
    const char *msg = "written by the xv6-style driver";
    for (int i = 0; msg[i]; i++)
        buf[i] = (uint8_t)msg[i];
    if (disk_ok(2, 1))
        goto out;
    zero(buf, sizeof buf);
    if (disk_ok(2, 0))
        goto out;
    int same = 1;
    for (int i = 0; msg[i]; i++)
        same &= buf[i] == (uint8_t)msg[i];
    for (int i = 64; i < 512; i++)
        same &= buf[i] == (uint8_t)(i * 7 + version);
    puts_(same ? "sector 2 reads back what was written\n" : "FAIL sector 2 differs\n");
    failures += !same;
#ifdef PROBE_GUARD
    zero(buf, sizeof buf);
    for (int i = 0; i < 16; i++)
        buf[i] = (uint8_t)"plain sector 0.."[i];
    write_sector0("plain");
    zero(buf, sizeof buf);
    buf[0] = 'Q'; buf[1] = 'F'; buf[2] = 'I'; buf[3] = 0xfb;
    buf[7] = 3;                         /* qcow2 version 3, big-endian */
    write_sector0("qcow2 header");
#endif
    uint32_t st = *R(STATUS);
    line("final status ", st);
    if (version == 2 && !(st & S_FEATURES_OK))
        fail("FEATURES_OK did not stay set");
out:
    puts_(failures ? "virtio_xv6: FAILED\n" : "virtio_xv6: all steps ok\n");
    *FINISHER = failures ? (uint32_t)failures << 16 | 0x3333 : 0x5555;
    for (;;)
        ;
}

#include "guest_start.h"

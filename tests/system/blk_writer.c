/*
 * Guest for the disk suites (tests/system/disk_commit.sh, disk_crash.sh):
 * writes patterned blocks through the first virtio-blk device it finds
 * (legacy virtio-mmio, QEMU 7.2's default), one request at a time, polling
 * the used ring, and says on the UART what it has done.
 *
 * Every 512-byte sector it writes holds 32 copies of the 16-byte record
 * { 'HVWR', epoch, seq, sector } (little-endian u32s), so a checker can
 * tell, sector by sector, which write left it there.
 *
 * Its orders are one 64-bit word at PARAMS, put there by the command line
 * (-device loader,addr=0x87f00000,data=0x...,data-len=8, on hartvm and
 * QEMU alike): magic 0xb1c0 in bits 63..48, the mode in 47..32, the epoch
 * in 31..0.
 *
 *   mode 1, crash:  writes forever: write seq (1, 2, ...) covers 1 to 8
 *                   4 KiB blocks at a place an xorshift generator seeded
 *                   with the epoch picks (tests/system/lib/crash_check.py
 *                   replays it); after every 4th write a FLUSH, then
 *                   "F <epoch> <seq>" in hex: every write up to seq is
 *                   on stable storage.
 *   mode 2, once:   writes sectors 8..15 (seq 1), FLUSHes, prints
 *                   "written", then spins (so the console stays open).
 *   mode 3, spin:   reads sector 0 while counting the turns of a loop
 *                   until the request completes; prints "turns <n>"
 *                   and "done" (a slow disk leaves the hart running).
 */
#include <stdint.h>
#include "guest_start.h"

#define UART   0x10000000ul
#define PARAMS ((volatile uint64_t *)0x87f00000ul)
#define FINISHER ((volatile uint32_t *)0x100000)

enum {
    MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, DEVICE_FEATURES = 0x010,
    DRIVER_FEATURES = 0x020, GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034,
    QUEUE_NUM = 0x038, QUEUE_PFN = 0x040, QUEUE_NOTIFY = 0x050, STATUS = 0x070, CONFIG = 0x100,
};
enum { S_ACK = 1, S_DRIVER = 2, S_DRIVER_OK = 4 };
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4 };
enum { F_FLUSH = 9 };

#define NUM 8
#define PGSIZE 4096
#define MAX_BLOCKS 8                    /* 4 KiB blocks per write */

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[NUM]; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[NUM]; };
struct blk_req { uint32_t type, reserved; uint64_t sector; };

static uint8_t pages[2 * PGSIZE] __attribute__((aligned(PGSIZE)));
static uint32_t data[MAX_BLOCKS * 4096 / 4];
static struct blk_req req;
static volatile uint8_t req_status;
static uintptr_t dev;
static uint16_t used_idx;

static volatile uint32_t *reg(unsigned off) { return (volatile uint32_t *)(dev + off); }

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
    int started = 0;
    for (int i = 60; i >= 0; i -= 4) {
        int d = (v >> i) & 15;
        if (d || started || i == 0) {
            putc_("0123456789abcdef"[d]);
            started = 1;
        }
    }
}
static void stop(int code)
{
    *FINISHER = code ? (uint32_t)code << 16 | 0x3333 : 0x5555;
    for (;;)
        ;
}
static void fail(const char *why) { puts_("FAIL "); puts_(why); putc_('\n'); stop(1); }

/* The first virtio-mmio slot with a block device, legacy, set up with one
 * queue of NUM entries. */
static void find_disk(void)
{
    for (uintptr_t a = 0x10001000ul; a <= 0x10008000ul && !dev; a += 0x1000)
        if (((volatile uint32_t *)a)[0] == 0x74726976 && ((volatile uint32_t *)a)[2] == 2)
            dev = a;
    if (!dev)
        fail("no virtio-blk device");
    if (*reg(VERSION) != 1)
        fail("not a legacy virtio-mmio device");
    *reg(STATUS) = 0;
    *reg(STATUS) = S_ACK | S_DRIVER;
    *reg(DRIVER_FEATURES) = *reg(DEVICE_FEATURES) & (1u << F_FLUSH);
    *reg(GUEST_PAGE_SIZE) = PGSIZE;
    *reg(QUEUE_SEL) = 0;
    if (*reg(QUEUE_NUM_MAX) < NUM)
        fail("queue too small");
    *reg(QUEUE_NUM) = NUM;
    *reg(QUEUE_PFN) = (uint32_t)((uintptr_t)pages / PGSIZE);
    *reg(STATUS) = S_ACK | S_DRIVER | S_DRIVER_OK;
}

static uint64_t capacity(void)
{
    return *reg(CONFIG) | (uint64_t)*reg(CONFIG + 4) << 32;
}

/* Submit one request (len data bytes, none for FLUSH); the turns of the
 * wait loop go to *turns. Status 0 or the device's error. */
static int request(uint32_t type, uint64_t sector, uint32_t len, uint64_t *turns)
{
    struct desc *desc = (struct desc *)pages;
    struct avail *avail = (struct avail *)(pages + NUM * sizeof(struct desc));
    volatile struct used *used = (volatile struct used *)(pages + PGSIZE);
    req = (struct blk_req){ type, 0, sector };
    req_status = 0xff;
    desc[0] = (struct desc){ (uintptr_t)&req, sizeof req, 1, 1 };
    desc[1] = (struct desc){ (uintptr_t)data, len, (uint16_t)(type == T_IN ? 3 : 1), 2 };
    desc[2] = (struct desc){ (uintptr_t)&req_status, 1, 2, 0 };
    if (!len)
        desc[0].next = 2;
    avail->ring[avail->idx % NUM] = 0;
    __sync_synchronize();
    avail->idx += 1;
    __sync_synchronize();
    *reg(QUEUE_NOTIFY) = 0;
    uint64_t n = 0;
    while (used->idx == used_idx)
        n++;
    __sync_synchronize();
    used_idx = used->idx;
    if (turns)
        *turns = n;
    return req_status;
}

static void pattern(uint32_t epoch, uint32_t seq, uint64_t sector, unsigned sectors)
{
    for (unsigned s = 0; s < sectors; s++)
        for (unsigned i = 0; i < 32; i++) {
            uint32_t *p = data + s * 128 + i * 4;
            p[0] = 0x52575648;          /* "HVWR" */
            p[1] = epoch;
            p[2] = seq;
            p[3] = (uint32_t)(sector + s);
        }
}

static uint64_t rng;
static uint64_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

static void crash_loop(uint32_t epoch)
{
    uint64_t blocks = capacity() / 8;
    rng = 0x9e3779b97f4a7c15ull * (epoch + 1ull);
    for (uint32_t seq = 1;; seq++) {
        uint64_t r = next();
        unsigned n = 1 + (unsigned)(r >> 61);
        uint64_t at = (r >> 8) % (blocks - n + 1);
        pattern(epoch, seq, at * 8, n * 8);
        if (request(T_OUT, at * 8, n * 4096, 0))
            fail("write");
        if (seq % 4 == 0) {
            if (request(T_FLUSH, 0, 0, 0))
                fail("flush");
            puts_("F ");
            puthex(epoch);
            putc_(' ');
            puthex(seq);
            putc_('\n');
        }
    }
}

int main(void)
{
    uint64_t p = *PARAMS, turns;
    if (p >> 48 != 0xb1c0)
        fail("no orders at 0x87f00000");
    find_disk();
    unsigned mode = (unsigned)(p >> 32) & 0xffff;
    uint32_t epoch = (uint32_t)p;
    if (mode == 1)
        crash_loop(epoch);
    if (mode == 2) {
        pattern(epoch, 1, 8, 8);
        if (request(T_OUT, 8, 4096, 0) || request(T_FLUSH, 0, 0, 0))
            fail("write");
        puts_("written\n");
        for (;;)
            __asm__ volatile("");
    }
    if (mode == 3) {
        if (request(T_IN, 0, 512, &turns))
            fail("read");
        puts_("turns ");
        puthex(turns);
        puts_("\ndone\n");
        stop(0);
    }
    fail("unknown mode");
    return 0;
}

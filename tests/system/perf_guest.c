/*
 * A Linux guest program for tests/system/linux_perf.sh: perf_event_open on
 * the SBI PMU (riscv_pmu_sbi), as `perf stat` and `perf record` use it.
 *   count    user-mode instructions of a loop of LOOPS iterations of two
 *            instructions (addi, bnez), enabled and disabled around it
 *   sample   the same loop with sample_period PERIOD: overflow interrupts
 *            write PERF_RECORD_SAMPLEs to the mmap'd ring buffer; each
 *            sample's ip should be in the loop
 * Prints one line per part for the script to judge; the expected values
 * (2 * LOOPS, 2 * LOOPS / PERIOD) are printed beside them.
 */
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOOPS 1000000L
#define PERIOD 100000
#define PAGES 8                 /* ring buffer data pages (a power of 2) */

/* n iterations of exactly two instructions */
void spin(long n);
extern const char spin_end[];
__asm__(".text\n.globl spin\n.type spin, @function\nspin:\n"
        "1: addi a0, a0, -1\n bnez a0, 1b\n ret\n.globl spin_end\nspin_end:\n");

static int open_event(uint64_t period)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_INSTRUCTIONS;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    if (period) {
        a.sample_period = period;
        a.sample_type = PERF_SAMPLE_IP;
        a.wakeup_events = 1;
    }
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static int count(void)
{
    int fd = open_event(0);
    if (fd < 0) {
        perror("perf: count: perf_event_open");
        return 1;
    }
    ioctl(fd, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    spin(LOOPS);
    ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    long long n = -1;
    if (read(fd, &n, sizeof n) != sizeof n)
        perror("perf: count: read");
    printf("perf: count %lld loop %ld\n", n, 2 * LOOPS);
    close(fd);
    return 0;
}

static int sample(void)
{
    int fd = open_event(PERIOD);
    if (fd < 0) {
        perror("perf: sample: perf_event_open");
        return 1;
    }
    long pg = sysconf(_SC_PAGESIZE);
    void *m = mmap(NULL, (size_t)(1 + PAGES) * (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        perror("perf: sample: mmap");
        return 1;
    }
    ioctl(fd, PERF_EVENT_IOC_RESET, 0);
    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
    spin(LOOPS);
    ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
    struct perf_event_mmap_page *mp = m;
    uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
    const char *data = (const char *)m + (mp->data_offset ? mp->data_offset : (uint64_t)pg);
    uint64_t size = mp->data_size ? mp->data_size : (uint64_t)PAGES * (uint64_t)pg;
    unsigned samples = 0, in_loop = 0;
    for (uint64_t off = 0; off < head && off < size; ) {
        const struct perf_event_header *hd = (const void *)(data + off);
        if (hd->size == 0)
            break;
        if (hd->type == PERF_RECORD_SAMPLE) {
            uint64_t ip;
            memcpy(&ip, hd + 1, sizeof ip);
            samples++;
            in_loop += ip >= (uint64_t)(uintptr_t)spin && ip < (uint64_t)(uintptr_t)spin_end;
        }
        off += hd->size;
    }
    printf("perf: samples %u in-loop %u expected %ld head %llu\n", samples, in_loop,
           2 * LOOPS / PERIOD, (unsigned long long)head);
    close(fd);
    return 0;
}

int main(void)
{
    int r = count();
    r |= sample();
    printf("perf: done %d\n", r);
    return r;
}

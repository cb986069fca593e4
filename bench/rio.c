/*
 * Random 4 KiB I/O inside the Linux guest (bench/disk.sh): rio r|w DEV N
 * does N preads or pwrites of 4 KiB at random 4 KiB-aligned offsets of
 * DEV (O_DIRECT, so every one reaches the device) and prints
 * "rio r|w N ops S seconds" by the guest's clock. Built static with
 * Debian's riscv64-linux-gnu-gcc and appended to the initramfs as a second
 * cpio archive.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (argv[1][0] != 'r' && argv[1][0] != 'w')) {
        fprintf(stderr, "usage: rio r|w DEV N\n");
        return 2;
    }
    int wr = argv[1][0] == 'w', fd = open(argv[2], (wr ? O_RDWR : O_RDONLY) | O_DIRECT);
    long n = atol(argv[3]);
    uint64_t size = 0, x = 88172645463325252ull;
    void *buf;
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) || size < 4096 || posix_memalign(&buf, 4096, 4096)) {
        perror(argv[2]);
        return 1;
    }
    for (int i = 0; i < 4096; i++)
        ((uint8_t *)buf)[i] = (uint8_t)i;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        off_t off = (off_t)(x % (size / 4096)) * 4096;
        if ((wr ? pwrite(fd, buf, 4096, off) : pread(fd, buf, 4096, off)) != 4096) {
            perror("rio");
            return 1;
        }
    }
    printf("rio %s %ld ops %.3f seconds\n", argv[1], n, now() - t0);
    return 0;
}

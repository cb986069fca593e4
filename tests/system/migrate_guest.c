/*
 * Guest for tests/system/migrate.sh: a line with a counter every
 * millisecond of guest time (0 to LINES-1, 4000 unless -DLINES=), and between lines it keeps
 * rewriting 256 KiB of memory, so every pre-copy round finds pages written
 * again. Ends with the test finisher: pass if the table still holds what
 * it wrote (the memory came over whole), fail 2 if not.
 */
#include "guest_start.h"
#define UART ((volatile unsigned char *)0x10000000)
#define FINISHER ((volatile unsigned int *)0x100000)
#define MTIME ((volatile unsigned long *)0x200bff8)
#ifndef LINES
#define LINES 4000
#endif
#define WORDS (256 * 1024 / 8)

static unsigned long table[WORDS];

static void num(unsigned long v)
{
    char b[24];
    int i = 0;
    do
        b[i++] = (char)('0' + v % 10);
    while (v /= 10);
    while (i)
        *UART = (unsigned char)b[--i];
    *UART = '\n';
}

int main(void)
{
    unsigned long next = *MTIME, w = 0;
    for (unsigned long n = 0; n < LINES; n++) {
        while (*MTIME < next) {             /* 1 ms of 10 MHz ticks between lines */
            table[w % WORDS] = w * 2654435761u;
            w++;
        }
        next += 10000;
        num(n);
    }
    for (unsigned long k = w > WORDS ? w - WORDS : 0; k < w; k++)
        if (table[k % WORDS] != k * 2654435761u) {
            *FINISHER = 2 << 16 | 0x3333;
            for (;;) {}
        }
    *FINISHER = 0x5555;
    for (;;) {}
}

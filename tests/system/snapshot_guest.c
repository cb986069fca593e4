/*
 * Guest for tests/system/snapshot.sh: 40 lines of output that depend on
 * everything a snapshot must carry: memory over many pages, FP registers,
 * a machine timer interrupt every 3000 ticks (whose count is printed, so
 * under -icount the exact instruction of each interrupt shows), and a
 * line printed half before and half after halfway() (a breakpoint there
 * saves mid-line). With -smp 2, hart 1 counts in `shared` with atomics
 * and LR/SC meanwhile, and each line shows the count: the turns the harts
 * took show in the output. Ends with the test finisher.
 */
#define UART ((volatile unsigned char *)0x10000000)
#define FINISHER ((volatile unsigned int *)0x100000)
#define MTIMECMP ((volatile unsigned long *)0x2004000)
#define MTIME ((volatile unsigned long *)0x200bff8)

int main(void);
void other(void);

/* 2 KiB of stack per hart; hart 0 runs main, hart 1 other */
void __attribute__((naked, section(".text.init"))) _start(void)
{
    __asm__ volatile("csrr t0, mhartid; la sp, stack_top; slli t1, t0, 11; sub sp, sp, t1\n"
                     "bnez t0, 2f; call main; 1: j 1b\n"
                     "2: call other; j 1b");
}

volatile unsigned long ticks, shared;
unsigned long table[8192];          /* 64 KiB: 16 pages */

void __attribute__((interrupt("machine"), aligned(4))) on_trap(void)
{
    ticks++;
    *MTIMECMP = *MTIME + 3000;
}

static void put(const char *s)
{
    while (*s)
        *UART = (unsigned char)*s++;
}

static void num(unsigned long v)
{
    char b[24];
    int i = 0;
    do
        b[i++] = (char)('0' + v % 10);
    while (v /= 10);
    while (i)
        *UART = (unsigned char)b[--i];
}

void other(void)
{
    for (;;) {
        unsigned long v, fail;
        __atomic_fetch_add(&shared, 1, __ATOMIC_RELAXED);
        __asm__ volatile("1: lr.d %0, (%2); addi %0, %0, 2; sc.d %1, %0, (%2); bnez %1, 1b"
                         : "=&r"(v), "=&r"(fail) : "r"(&shared) : "memory");
    }
}

void __attribute__((noinline)) halfway(void)
{
    __asm__ volatile("nop");
}

int main(void)
{
    unsigned long sum = 1;
    double acc = 0.5;
    __asm__ volatile("csrw mtvec, %0" ::"r"(on_trap));
    __asm__ volatile("csrs mstatus, %0" ::"r"(1ul << 13));      /* FS: FP on */
    *MTIMECMP = *MTIME + 3000;
    __asm__ volatile("csrs mie, %0" ::"r"(1ul << 7));           /* MTIE */
    __asm__ volatile("csrs mstatus, %0" ::"r"(1ul << 3));       /* MIE */
    for (unsigned long i = 0; i < 40; i++) {
        for (unsigned long j = 0; j < 8192; j += 7) {
            table[j] += i * j + sum;
            sum += table[j] >> 3;
        }
        acc = acc * 1.25 + (double)(sum & 0xffff);
        put("line ");
        num(i);
        put(": sum=");
        num(sum);
        if (i == 20)
            halfway();
        put(" fp=");
        num((unsigned long)acc % 1000000007ul);
        put(" ticks=");
        num(ticks);
        put(" shared=");
        num(shared);
        put("\n");
    }
    *FINISHER = 0x5555;
    for (;;)
        ;
}

unsigned char stack[4096] __attribute__((aligned(16)));
__asm__(".globl stack_top\n.set stack_top, stack + 4096\n");

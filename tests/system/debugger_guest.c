/*
 * Guest for tests/system/debugger_script.sh: a few calls deep with frame
 * pointers (for backtrace, finish, next), a watched store, then the test
 * finisher. Built with -O1 -fno-omit-frame-pointer -fno-inline.
 */
#define FINISHER ((volatile unsigned int *)0x100000)

unsigned long counter;
unsigned long results[4];

__asm__(".pushsection .text.init\n"
        ".globl _start\n"
        "_start:\n"
        "    la sp, stack_top\n"
        "    call main\n"
        "1:  j 1b\n"
        ".popsection\n");

unsigned long leaf(unsigned long x)
{
    return x * 3 + 1;
}

unsigned long middle(unsigned long x)
{
    unsigned long r = leaf(x) + 1;
    results[x & 3] = r;
    return r;
}

int main(void)
{
    for (unsigned long i = 0; i < 3; i++)
        counter += middle(i);
    /* 0+1+1 + 3+1+1 + 6+1+1 = 15 */
    *FINISHER = counter == 15 ? 0x5555 : (1u << 16) | 0x3333;
    for (;;)
        ;
}

unsigned char stack[4096] __attribute__((aligned(16)));
__asm__(".globl stack_top\n.set stack_top, stack + 4096\n");

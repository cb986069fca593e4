/*
 * The entry of the bare-metal C guests of tests/system (built with rv_cc,
 * linked at the start of DRAM by tests/isa/link.ld): hart 0 takes an 8 KiB
 * stack and calls main(); any other hart waits in wfi. Include it once, in
 * the guest's main file.
 */
__asm__(".pushsection .text.init\n"
        ".globl _start\n"
        "_start:\n"
        "    csrr t0, mhartid\n"
        "    bnez t0, 2f\n"
        "    la sp, stack_top\n"
        "    call main\n"
        "2:  wfi\n"
        "    j 2b\n"
        ".popsection\n");

unsigned char stack[8192] __attribute__((aligned(16)));
__asm__(".globl stack_top\n.set stack_top, stack + 8192\n");

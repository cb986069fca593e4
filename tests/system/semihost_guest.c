/*
 * A guest of RISC-V semihosting calls (tests/system/semihosting.sh): the
 * command line (SYS_GET_CMDLINE) names what to do, the results go to the
 * console through semihosting, so hartvm and QEMU can be compared byte for
 * byte. Built with -nostdlib; _start is below.
 */
#include <stdint.h>
#include <stddef.h>

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
    SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_TMPNAM = 0x0d,
    SYS_SYSTEM = 0x12, SYS_SEEK = 0x0a, SYS_FLEN = 0x0c,
    SYS_REMOVE = 0x0e, SYS_RENAME = 0x0f,
    SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20,
};
#define APP_EXIT 0x20026            /* ADP_Stopped_ApplicationExit */

/* The semihosting sequence (RISC-V semihosting spec): uncompressed, in
 * one page, so in a 16-byte aligned section of its own. */
long sh(long op, const void *arg);
asm(".section .text.semihost, \"ax\", @progbits\n.option push\n.option norvc\n.option norelax\n"
    ".balign 16\n.globl sh\nsh:\nslli zero, zero, 0x1f\nebreak\nsrai zero, zero, 7\nret\n"
    ".option pop\n.text\n");

static size_t len(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static void puts0(const char *s) { sh(SYS_WRITE0, s); }
static void putnum(long v)
{
    char b[24], *p = b + sizeof b;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
    *--p = 0;
    do *--p = '0' + u % 10; while (u /= 10);
    if (v < 0) *--p = '-';
    puts0(p);
}
static void puthex(uint64_t v)
{
    char b[19] = "0x";
    for (int i = 0; i < 16; i++) b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    b[18] = 0;
    puts0(b);
}
static void say(const char *what, long v) { puts0(what); puts0(" "); putnum(v); puts0("\n"); }
static int starts(const char *s, const char *p) { while (*p && *s == *p) s++, p++; return !*p; }

static long sh_open(const char *name, long mode)
{
    long a[3] = { (long)name, mode, (long)len(name) };
    return sh(SYS_OPEN, a);
}
static long sh_rw(long op, long fd, void *buf, long n)
{
    long a[3] = { fd, (long)buf, n };
    return sh(op, a);
}
static long sh1(long op, long v) { long a[1] = { v }; return sh(op, a); }

static void do_exit(long reason, long code, int extended)
{
    long a[2] = { reason, code };
    sh(extended ? SYS_EXIT_EXTENDED : SYS_EXIT, a);
    puts0("still running after exit\n");
}

static void console(void)
{
    char c = 'A';
    sh(SYS_WRITEC, &c);
    sh(SYS_WRITEC, "\n");
    puts0("write0\n");
    long out = sh_open(":tt", 4);
    say("tt handle >= 0", out >= 0);
    say("write left", sh_rw(SYS_WRITE, out, "tt write\n", 9));
    say("istty tt", sh1(SYS_ISTTY, out));
    say("close tt", sh1(SYS_CLOSE, out));
}

static void files(void)
{
    char buf[64];
    long fd = sh_open("data.txt", 0);
    say("open data.txt ok", fd >= 0);
    say("flen", sh1(SYS_FLEN, fd));
    say("istty file", sh1(SYS_ISTTY, fd));
    say("read 5 left", sh_rw(SYS_READ, fd, buf, 5));
    buf[5] = 0;
    puts0(buf);
    puts0("\n");
    long sk[2] = { fd, 10 };
    say("seek", sh(SYS_SEEK, sk));
    long left = sh_rw(SYS_READ, fd, buf, 60);
    say("read 60 left", left);
    buf[60 - left] = 0;
    puts0(buf);
    say("close", sh1(SYS_CLOSE, fd));
    say("close again", sh1(SYS_CLOSE, fd));
    fd = sh_open("out.txt", 4);
    say("open out.txt w ok", fd >= 0);
    say("write left", sh_rw(SYS_WRITE, fd, "written by the guest\n", 21));
    say("close", sh1(SYS_CLOSE, fd));
    fd = sh_open("out.txt", 8);
    say("append left", sh_rw(SYS_WRITE, fd, "appended\n", 9));
    sh1(SYS_CLOSE, fd);
    say("open missing", sh_open("missing.txt", 0));
    say("errno", sh(SYS_ERRNO, 0));
    say("iserror -1", sh1(SYS_ISERROR, -1));
    say("iserror 0", sh1(SYS_ISERROR, 0));
}

static long sh_remove(const char *name)
{
    long a[2] = { (long)name, (long)len(name) };
    return sh(SYS_REMOVE, a);
}
static long sh_rename(const char *from, const char *to)
{
    long a[4] = { (long)from, (long)len(from), (long)to, (long)len(to) };
    return sh(SYS_RENAME, a);
}

/* REMOVE and RENAME inside the directory */
static void names(void)
{
    long fd = sh_open("old.txt", 4);
    sh_rw(SYS_WRITE, fd, "renamed\n", 8);
    sh1(SYS_CLOSE, fd);
    say("rename", sh_rename("old.txt", "sub/new.txt"));
    say("open old", sh_open("old.txt", 0) >= 0);
    fd = sh_open("sub/new.txt", 0);
    say("flen new", sh1(SYS_FLEN, fd));
    sh1(SYS_CLOSE, fd);
    say("remove", sh_remove("sub/new.txt"));
    say("open removed", sh_open("sub/new.txt", 0) >= 0);
    say("remove missing", sh_remove("sub/new.txt"));
    say("errno", sh(SYS_ERRNO, 0));
}

/* Opens that would leave the directory, and some that stay inside: only
 * their success is printed. */
static void escape(void)
{
    static const char *const names[] = { "../outside.txt", "sub/../../outside.txt", "/etc/hostname",
                                         "link_out", "link_in", "sub/inner.txt", "sub/../data.txt",
                                         0 };
    for (int i = 0; names[i]; i++) {
        long fd = sh_open(names[i], 0);
        puts0(names[i]);
        puts0(fd >= 0 ? " opened\n" : " refused\n");
        if (fd >= 0)
            sh1(SYS_CLOSE, fd);
    }
    long fd = sh_open("../made.txt", 4);
    puts0(fd >= 0 ? "created outside\n" : "create outside refused\n");
    puts0(sh_remove("../outside.txt") ? "remove outside refused\n" : "removed outside\n");
    puts0(sh_rename("data.txt", "../stolen.txt") ? "rename out refused\n" : "renamed out\n");
    puts0(sh_rename("link_out", "sub/link") ? "rename of a link refused\n" : "link renamed inside\n");
}

static void heapinfo(void)
{
    uint64_t block[4];
    uint64_t *p = block;
    sh(SYS_HEAPINFO, &p);
    for (int i = 0; i < 4; i++) { puthex(block[i]); puts0("\n"); }
}

static void clock(void)
{
    long t = sh(SYS_TIME, 0);
    long c0 = sh(SYS_CLOCK, 0);
    for (volatile int i = 0; i < 2000000; i++) {}
    long c1 = sh(SYS_CLOCK, 0);
    say("time", t);
    say("clock runs", c0 >= 0 && c1 >= c0);
}

/* U-mode: a call from U (works only with userspace=on), then back to M by ecall. */
static void user_body(void)
{
    puts0("from U\n");
    asm volatile("ecall");
}

/* SYS_READC to the end of a line (or of the input), said back in one line. */
static void readc(void)
{
    char line[64];
    int n = 0;
    long c;
    while (n < (int)sizeof line - 1 && (c = sh(SYS_READC, 0)) != '\n' && c != -1)
        line[n++] = (char)c;
    line[n] = 0;
    puts0("readc [");
    puts0(line);
    puts0("]\n");
}

/* SYS_TMPNAM: a name, then a file of that name written and removed. */
static void tmpnam(void)
{
    char name[64];
    long a[3] = { (long)name, 7, sizeof name };
    say("tmpnam", sh(SYS_TMPNAM, a));
    puts0(name);
    puts0("\n");
    long fd = sh_open(name, 4);
    say("tmp written", fd > 0 && sh_rw(SYS_WRITE, fd, (void *)"tmp\n", 4) == 0);
    sh1(SYS_CLOSE, fd);
    long t[3] = { (long)name, 7, 4 };
    say("too small", sh(SYS_TMPNAM, t));
}

static void system_call(void)
{
    const char *cmd = "touch system-ran";
    long a[2] = { (long)cmd, (long)len(cmd) };
    say("system", sh(SYS_SYSTEM, a));
    say("errno", sh(SYS_ERRNO, 0));
}

extern char trap_entry[];
static char cmd[256];

void main(void)
{
    long a[2] = { (long)cmd, sizeof cmd };
    if (sh(SYS_GET_CMDLINE, a) != 0) {
        puts0("no command line\n");
        do_exit(APP_EXIT, 9, 0);
    }
    puts0("cmdline [");
    puts0(cmd);
    puts0("] ");
    putnum(a[1]);
    puts0("\n");
    /* the words after the program name */
    const char *w = cmd;
    while (*w && *w != ' ') w++;
    while (*w == ' ') w++;
    if (starts(w, "console")) console();
    else if (starts(w, "files")) files();
    else if (starts(w, "escape")) escape();
    else if (starts(w, "names")) names();
    else if (starts(w, "heapinfo")) heapinfo();
    else if (starts(w, "readc")) readc();
    else if (starts(w, "tmpnam")) tmpnam();
    else if (starts(w, "system")) system_call();
    else if (starts(w, "clock")) clock();
    else if (starts(w, "exit7")) do_exit(APP_EXIT, 7, 0);
    else if (starts(w, "exitext7")) do_exit(APP_EXIT, 7, 1);
    else if (starts(w, "fail")) do_exit(0x20023, 5, 0);
    else if (starts(w, "user")) {
        asm volatile("li t0, -1\ncsrw pmpaddr0, t0\nli t0, 0x1f\ncsrw pmpcfg0, t0\n"
                     "csrw mepc, %0\ncsrw mstatus, zero\nmret" : : "r"(user_body) : "t0");
    }
    else if (starts(w, "unknown")) { say("call 0x40", sh(0x40, 0)); say("errno", sh(SYS_ERRNO, 0)); }
    else if (starts(w, "small")) { long b[2] = { (long)cmd, 4 }; say("small buffer", sh(SYS_GET_CMDLINE, b)); }
    do_exit(APP_EXIT, 0, 0);
}

/* M-mode traps: a breakpoint (no semihosting) ends the run with the test
 * finisher's code 3; the user test's ecall comes back here too. */
void trap(void)
{
    unsigned long cause;
    asm volatile("csrr %0, mcause" : "=r"(cause));
    if (cause == 8) {
        puts0("back in M\n");
        do_exit(APP_EXIT, 0, 0);
    }
    *(volatile uint32_t *)0x100000 = (uint32_t)cause << 16 | 0x3333;
    for (;;) {}
}

asm(".section .text.init\n.globl _start\n_start:\n"
    "la sp, stack_top\nla t0, trap_entry\ncsrw mtvec, t0\ncall main\n1: j 1b\n"
    ".balign 4\ntrap_entry:\nla sp, stack_top\ncall trap\n2: j 2b\n"
    ".bss\n.balign 16\n.space 8192\nstack_top:\n.text\n");

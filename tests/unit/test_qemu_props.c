/*
 * The property parsers of the QEMU drop-in options: -d's items
 * (cpu/log.c), -semihosting-config (machine/semihost.c) and -device
 * loader (machine/loader_device.c), and the rule that ends an in_asm /
 * cpu block at a control transfer (cpu/log.c).
 */
#include "unit.h"
#include "../../cpu/log.h"
#include "../../machine/semihost.h"
#include "../../machine/loader_device.h"
#include <string.h>

START_TEST(log_items)
{
    unsigned mask;
    char why[128];
    ck_assert_int_eq(qlog_parse("int,in_asm,cpu", &mask, why, sizeof why), 0);
    ck_assert_uint_eq(mask, LOG_INT | LOG_IN_ASM | LOG_CPU);
    ck_assert_int_eq(qlog_parse("guest_errors,unimp,mmu,exec,fpu,nochain", &mask, why, sizeof why), 0);
    ck_assert_uint_eq(mask, LOG_GUEST_ERROR | LOG_UNIMP | LOG_MMU | LOG_EXEC | LOG_FPU | LOG_NOCHAIN);
    ck_assert_int_eq(qlog_parse("int,inasm", &mask, why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "'inasm'"));
    /* a prefix of an item is not the item */
    ck_assert_int_eq(qlog_parse("in", &mask, why, sizeof why), -1);
    ck_assert_int_eq(qlog_parse("int,", &mask, why, sizeof why), 0);
    ck_assert_uint_eq(mask, LOG_INT);
    /* QEMU's items without meaning here: accepted, named back */
    ck_assert_int_eq(qlog_parse("out_asm,int,op", &mask, why, sizeof why), 1);
    ck_assert_uint_eq(mask, LOG_INT);
    ck_assert_str_eq(why, "out_asm,op");
}
END_TEST

START_TEST(block_ends)
{
    ck_assert(qlog_ends_block(0x00000463));     /* beq */
    ck_assert(qlog_ends_block(0x0000006f));     /* jal */
    ck_assert(qlog_ends_block(0x00008067));     /* ret */
    ck_assert(qlog_ends_block(0x00000073));     /* ecall */
    ck_assert(qlog_ends_block(0x30529073));     /* csrw mtvec */
    ck_assert(qlog_ends_block(0x0000100f));     /* fence.i */
    ck_assert(!qlog_ends_block(0x0ff0000f));    /* fence */
    ck_assert(!qlog_ends_block(0x02828293));    /* addi */
    ck_assert(qlog_ends_block(0xa001));         /* c.j */
    ck_assert(qlog_ends_block(0xc119));         /* c.beqz */
    ck_assert(qlog_ends_block(0x8082));         /* c.jr ra */
    ck_assert(qlog_ends_block(0x9002));         /* c.ebreak */
    ck_assert(!qlog_ends_block(0x8526));        /* c.mv a0, s1 */
    ck_assert(!qlog_ends_block(0x450d));        /* c.li */
}
END_TEST

START_TEST(semihosting_config)
{
    struct semihost_opts o;
    char why[256];
    memset(&o, 0, sizeof o);
    ck_assert_int_eq(semihost_parse_config("userspace=on,arg=prog,arg=a b,target=native", &o, why,
                                           sizeof why), 0);
    ck_assert(o.enabled);               /* enable defaults to on, as in QEMU */
    ck_assert(o.userspace);
    ck_assert_str_eq(o.args, "prog a b");
    ck_assert_int_eq(semihost_parse_config("enable=off,chardev=ser0", &o, why, sizeof why), 0);
    ck_assert(!o.enabled);
    ck_assert_str_eq(o.chardev, "ser0");
    memset(&o, 0, sizeof o);            /* ",," is a comma inside a value, as in QEMU */
    ck_assert_int_eq(semihost_parse_config("arg=a,,b,arg=c", &o, why, sizeof why), 0);
    ck_assert_str_eq(o.args, "a,b c");
    ck_assert_int_eq(semihost_parse_config("target=gdb", &o, why, sizeof why), -1);
    ck_assert_int_eq(semihost_parse_config("enable=maybe", &o, why, sizeof why), -1);
    ck_assert_int_eq(semihost_parse_config("bogus", &o, why, sizeof why), -1);
}
END_TEST

START_TEST(loader_props)
{
    struct loader_opts o = { .n = 0 };
    char err[256];
    ck_assert_int_eq(loader_parse(&o, ",file=a.elf,cpu-num=1", err, sizeof err), 0);
    ck_assert_str_eq(o.l[0].file, "a.elf");
    ck_assert_int_eq(o.l[0].cpu, 1);
    ck_assert(!o.l[0].has_addr);
    ck_assert_int_eq(loader_parse(&o, ",addr=0x80001000,data=0x1234,data-len=2,data-be=on", err,
                                  sizeof err), 0);
    ck_assert_uint_eq(o.l[1].addr, 0x80001000);
    ck_assert_uint_eq(o.l[1].data, 0x1234);
    ck_assert_uint_eq(o.l[1].data_len, 2);
    ck_assert(o.l[1].data_be && o.l[1].has_data && o.l[1].cpu == -1);
    ck_assert_int_eq(loader_parse(&o, ",addr=4096,cpu-num=0", err, sizeof err), 0);
    ck_assert_uint_eq(o.l[2].addr, 4096);                   /* decimal without 0x */
    ck_assert_int_eq(o.n, 3);
    static const char *const bad[] = {
        ",addr=0x80000000,data=1",              /* no data-len */
        ",addr=0x80000000,data-len=4",          /* no data */
        ",addr=0x80000000,data=1,data-len=9",
        ",file=a.elf,data=1,data-len=1",
        ",addr=0x80000000",                     /* nothing to do */
        ",file=a.bin,force-raw=on",             /* raw needs addr */
        ",file=a.elf,bogus=1",
        ",addr=-1,cpu-num=0",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(loader_parse(&o, bad[i], err, sizeof err) == -1, "accepted '%s'", bad[i]);
    ck_assert_int_eq(o.n, 3);           /* refused ones take no slot */
}
END_TEST

static Suite *qemu_props_suite(void)
{
    Suite *s = suite_create("qemu-props");
    TCase *t = tcase_create("parse");
    tcase_add_test(t, log_items);
    tcase_add_test(t, block_ends);
    tcase_add_test(t, semihosting_config);
    tcase_add_test(t, loader_props);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(qemu_props_suite)

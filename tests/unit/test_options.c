/*
 * Command-line parsing (machine/options.c): the QEMU spellings that
 * tutorials use are accepted with QEMU's meaning, our --long options work,
 * and anything unknown or out of range is an error whose message names
 * the option (design.md §2). Every row of hartvm's and the fleet's option
 * tables parses with its sample value and is named by --help.
 */
#include "unit.h"
#include "../../machine/options.h"
#include "../../mmu/mmu.h"
#include "../../monitor/fleet.h"
#include <stdio.h>
#include <string.h>

#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct parsed {
    enum parse_result r;
    struct options opt;
    char err[256];
    char out[16384];
};

/* Parse a NULL-terminated list of arguments (argv[0] is supplied). */
static void parse_v(struct parsed *p, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"hartvm";
    for (; *args; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    memset(p, 0, sizeof *p);
    FILE *out = fmemopen(p->out, sizeof p->out - 1, "w");
    ck_assert_ptr_nonnull(out);
    p->r = options_parse(argc, argv, &p->opt, out, p->err, sizeof p->err);
    fclose(out);
}
#define PARSE(p, ...) parse_v(p, (const char *const[]){ __VA_ARGS__, NULL })

START_TEST(defaults)
{
    struct parsed p;
    PARSE(&p, "-nographic");
    ck_assert_int_eq(p.r, PARSE_OK);
    ck_assert_uint_eq(p.opt.ram_size, 128 * MiB);
    ck_assert_int_eq(p.opt.smp, 1);
    ck_assert_int_eq(p.opt.mmu_max, SATP_SV48);
    ck_assert(p.opt.timeout == 0);
    ck_assert_uint_eq(p.opt.max_insns, 0);
    ck_assert(!p.opt.stats);
    ck_assert_ptr_null(p.opt.bios);
    ck_assert_ptr_null(p.opt.kernel);
    ck_assert(p.opt.force_legacy);          /* QEMU 7.2: virtio-mmio version 1 */
}
END_TEST

/* -global virtio-mmio.force-legacy with QEMU's boolean spellings. */
START_TEST(virtio_mmio_version)
{
    struct parsed p;
    static const char *const off[] = { "false", "off", "no" }, *const on[] = { "true", "on", "yes" };
    char arg[64];
    for (int i = 0; i < 3; i++) {
        snprintf(arg, sizeof arg, "virtio-mmio.force-legacy=%s", off[i]);
        PARSE(&p, "-global", arg);
        ck_assert_msg(p.r == PARSE_OK, "%s: %s", arg, p.err);
        ck_assert(!p.opt.force_legacy);
        snprintf(arg, sizeof arg, "virtio-mmio.force-legacy=%s", on[i]);
        PARSE(&p, "-global", "virtio-mmio.force-legacy=off", "-global", arg);
        ck_assert_msg(p.r == PARSE_OK, "%s: %s", arg, p.err);
        ck_assert(p.opt.force_legacy);
    }
    PARSE(&p, "-global", "virtio-mmio.force-legacy=maybe");
    ck_assert_int_eq(p.r, PARSE_ERROR);
}
END_TEST

/* The line a teaching OS's Makefile passes to QEMU. */
START_TEST(qemu_line)
{
    struct parsed p;
    PARSE(&p, "-machine", "virt", "-bios", "none", "-kernel", "kernel/kernel", "-m", "128M",
          "-smp", "3", "-nographic", "--timeout", "2.5", "--max-insns", "1000000", "--stats",
          "--mmu", "sv39");
    ck_assert_msg(p.r == PARSE_OK, "error: %s", p.err);
    ck_assert_str_eq(p.opt.bios, "none");
    ck_assert_str_eq(p.opt.kernel, "kernel/kernel");
    ck_assert_uint_eq(p.opt.ram_size, 128 * MiB);
    ck_assert_int_eq(p.opt.smp, 3);
    ck_assert(p.opt.timeout == 2.5);
    ck_assert_uint_eq(p.opt.max_insns, 1000000);
    ck_assert(p.opt.stats);
    ck_assert_int_eq(p.opt.mmu_max, SATP_SV39);

    PARSE(&p, "-M", "virt", "--mmu", "sv48", "-bios", "default");
    ck_assert_msg(p.r == PARSE_OK, "error: %s", p.err);
    ck_assert_int_eq(p.opt.mmu_max, SATP_SV48);
    ck_assert_str_eq(p.opt.bios, "default");

}
END_TEST

/* -m: QEMU reads a bare number as MiB and accepts K/M/G suffixes. */
static const struct { const char *arg; uint64_t bytes; } good_mem[] = {
    { "128M", 128 * MiB }, { "256", 256 * MiB }, { "1G", GiB }, { "1g", GiB },
    { "2048k", 2 * MiB }, { "512MiB", 512 * MiB }, { "64M", 64 * MiB }, { "1", MiB },
    { "64G", 64 * GiB }, { "010M", 10 * MiB }, { "08", 8 * MiB }, { "0x10M", 16 * MiB },
    { "1.9G", 0x7999a000 }, { "4097k", 0x402000 }, { "100.5M", 0x6480000 }, { "0.5G", GiB / 2 },
    { "4095k", 4 * MiB },   /* QEMU rounds up to 8 KiB, as these five */
};

START_TEST(mem_sizes)
{
    const char *arg = good_mem[_i].arg;
    struct parsed p;
    PARSE(&p, "-m", arg);
    ck_assert_msg(p.r == PARSE_OK, "case %d: -m %s: %s", _i, arg, p.err);
    ck_assert_msg(p.opt.ram_size == good_mem[_i].bytes, "case %d: -m %s gave %llu", _i, arg,
                  (unsigned long long)p.opt.ram_size);
}
END_TEST

static const char *const bad_mem[] = {
    "512k", "65G", "abc", "-1", "1X", "1MBx", "12M3", "99999999999999999999", "1.5", "1.G", "64.1G",
};

START_TEST(mem_bad)
{
    struct parsed p;
    PARSE(&p, "-m", bad_mem[_i]);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: -m '%s' accepted", _i, bad_mem[_i]);
    ck_assert_msg(strstr(p.err, "-m"), "case %d: message '%s' does not name -m", _i, p.err);
}
END_TEST

START_TEST(smp_range)
{
    char n[16];
    struct parsed p;
    for (int k = 1; k <= 8; k++) {
        snprintf(n, sizeof n, "%d", k);
        PARSE(&p, "-smp", n);
        ck_assert_msg(p.r == PARSE_OK && p.opt.smp == k, "case %d: -smp %s", k, n);
    }
    PARSE(&p, "-smp", "cpus=4");
    ck_assert_msg(p.r == PARSE_OK && p.opt.smp == 4, "-smp cpus=4: %s", p.err);
    static const char *const bad[] = { "9", "-1", "x", "2x", "cpus=", "100" };
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        PARSE(&p, "-smp", bad[k]);
        ck_assert_msg(p.r == PARSE_ERROR, "case %u: -smp '%s' accepted", k, bad[k]);
        ck_assert_msg(strstr(p.err, "-smp"), "case %u: '%s' does not name -smp", k, p.err);
    }
}
END_TEST

/* -smp as QEMU 7.2 computes a topology (hw/core/machine-smp.c): missing
 * counts are filled cores first, the product must be maxcpus, and the
 * messages are QEMU's. */
static const struct { const char *arg; int cpus; const char *err; } smp_cases[] = {
    { "0", 1, NULL },                           /* QEMU: a deprecation warning, then 1 */
    { "4,sockets=2", 4, NULL }, { "sockets=2,cores=2,threads=2", 8, NULL },
    { "cores=2,threads=2", 4, NULL }, { "2,maxcpus=4", 2, NULL }, { "maxcpus=4", 4, NULL },
    { "cpus=3,sockets=1,cores=3,threads=1", 3, NULL }, { "2,dies=1,clusters=1", 2, NULL },
    { "4,sockets=3", 0, "sockets (3) * cores (1) * threads (1) != maxcpus (4)" },
    { "4,cores=3", 0, "product of the hierarchy must match maxcpus" },
    { "2,maxcpus=1", 0, "maxcpus (1) < smp_cpus (2)" },
    { "2,dies=2", 0, "dies not supported by this machine's CPU topology" },
    { "2,clusters=2", 0, "clusters not supported" },
    { "2,bogus=1", 0, "Parameter 'smp.bogus' is unexpected" },
    { "foo", 0, "Parameter 'smp.cpus' expects integer" },
    { "600", 0, "The max CPUs supported by machine 'virt' is 512" },
    { "9", 0, "hartvm models at most 8 harts" },
    { "2,maxcpus=600", 0, "Invalid SMP CPUs 600" },
};

START_TEST(smp_topology)
{
    struct parsed p;
    PARSE(&p, "-smp", smp_cases[_i].arg);
    if (!smp_cases[_i].err) {
        ck_assert_msg(p.r == PARSE_OK, "-smp %s: %s", smp_cases[_i].arg, p.err);
        ck_assert_int_eq(p.opt.smp, smp_cases[_i].cpus);
    } else {
        ck_assert_msg(p.r == PARSE_ERROR, "-smp %s accepted", smp_cases[_i].arg);
        ck_assert_msg(strstr(p.err, smp_cases[_i].err) && strstr(p.err, "-smp"),
                      "-smp %s: '%s' lacks '%s'", smp_cases[_i].arg, p.err, smp_cases[_i].err);
    }
}
END_TEST

/* -m [size=]S[,slots=,maxmem=], as QEMU checks them. */
static const struct { const char *arg; uint64_t size; const char *err; } mem_cases[] = {
    { "size=256M", 256 * MiB, NULL }, { "0", 128 * MiB, NULL },
    { "1G,slots=2,maxmem=2G", GiB, NULL }, { "512M,maxmem=1G", 512 * MiB, NULL },
    { "1G,slots=2", 0, "slots specified but no max-size" },
    { "1G,maxmem=512M", 0, "maximum memory size (0x20000000) must be at least the initial "
                           "memory size (0x40000000)" },
    { "1G,slots=2,maxmem=1G", 0, "memory slots were specified but maximum memory size" },
    { "1G,bogus=1", 0, "Invalid parameter 'bogus'" },
    { "lots", 0, "Parameter 'size' expects a non-negative number below 2^64" },
    { "1G,slots=x,maxmem=2G", 0, "Parameter 'slots' expects a number" },
    { "65G", 0, "1M to 64G" },
};

START_TEST(mem_options)
{
    struct parsed p;
    PARSE(&p, "-m", mem_cases[_i].arg);
    if (!mem_cases[_i].err) {
        ck_assert_msg(p.r == PARSE_OK, "-m %s: %s", mem_cases[_i].arg, p.err);
        ck_assert_uint_eq(p.opt.ram_size, mem_cases[_i].size);
    } else {
        ck_assert_msg(p.r == PARSE_ERROR, "-m %s accepted", mem_cases[_i].arg);
        ck_assert_msg(strstr(p.err, mem_cases[_i].err), "-m %s: '%s' lacks '%s'",
                      mem_cases[_i].arg, p.err, mem_cases[_i].err);
    }
}
END_TEST

/* Each value refused by opt, with words of QEMU's message. */
struct refusal { const char *arg, *err; };
static void refusals(const char *opt, const struct refusal *r, size_t n)
{
    struct parsed p;
    for (size_t k = 0; k < n; k++) {
        PARSE(&p, opt, r[k].arg);
        ck_assert_msg(p.r == PARSE_ERROR && strstr(p.err, r[k].err) && strstr(p.err, opt),
                      "%s %s: '%s' lacks '%s'", opt, r[k].arg, p.err, r[k].err);
    }
}
#define REFUSALS(opt, list) refusals(opt, list, sizeof list / sizeof list[0])

/* -icount, -rtc and -accel: what is kept, and QEMU's refusals. */
START_TEST(icount_rtc_accel)
{
    struct parsed p;
    PARSE(&p, "-icount", "3");
    ck_assert_msg(p.r == PARSE_OK && p.opt.icount_shift == 3 && p.opt.icount_sleep, "%s", p.err);
    PARSE(&p, "-icount", "shift=0,sleep=off");
    ck_assert_msg(p.r == PARSE_OK && p.opt.icount_shift == 0 && !p.opt.icount_sleep, "%s", p.err);
    PARSE(&p, "-icount", "auto");
    ck_assert_msg(p.r == PARSE_OK && p.opt.icount_shift == -1, "%s", p.err);
    static const struct refusal bad_icount[] = {
        { "shift=11", "icount: Invalid shift value" }, { "shift=-1", "Invalid shift value" },
        { "bogus", "Invalid shift value" }, { "align=on", "Please specify shift option" },
        { "shift=3,align=on,sleep=off", "align=on and sleep=off are incompatible" },
        { "shift=3,sleep=maybe", "Parameter 'sleep' expects 'on' or 'off'" },
        { "shift=3,bogus=1", "Invalid parameter 'bogus'" },
    };
    REFUSALS("-icount", bad_icount);
    PARSE(&p, "-rtc", "base=2006-06-17T16:01:21,clock=vm");
    ck_assert_msg(p.r == PARSE_OK, "%s", p.err);
    ck_assert(p.opt.rtc.given && p.opt.rtc.base == RTC_BASE_DATE && p.opt.rtc.clock == RTC_CLOCK_VM);
    ck_assert_int_eq(p.opt.rtc.date_s, 1150560081);
    PARSE(&p, "-rtc", "base=2006-06-17");
    ck_assert_int_eq(p.opt.rtc.date_s, 1150502400);
    PARSE(&p, "-rtc", "base=localtime,clock=rt,driftfix=slew");
    ck_assert(p.r == PARSE_OK && p.opt.rtc.base == RTC_BASE_LOCALTIME && p.opt.rtc.clock == RTC_CLOCK_RT);
    static const struct refusal bad_rtc[] = {
        { "base=bogus", "invalid datetime format" }, { "clock=bogus", "invalid option value 'bogus'" },
        { "utc", "Invalid parameter 'utc'" }, { "driftfix=x", "invalid option value 'x'" },
        { "base=2006-06-17T16:01", "invalid datetime format" },
    };
    REFUSALS("-rtc", bad_rtc);
    static const char *const good_accel[] = { "tcg", "tcg,thread=single", "tcg,thread=multi",
                                              "accel=tcg,tb-size=64" };
    for (unsigned k = 0; k < sizeof good_accel / sizeof good_accel[0]; k++) {
        PARSE(&p, "-accel", good_accel[k]);
        ck_assert_msg(p.r == PARSE_OK, "-accel %s: %s", good_accel[k], p.err);
    }
    static const struct refusal bad_accel[] = {
        { "kvm", "invalid accelerator kvm" }, { "tcg,thread=bogus", "Invalid 'thread' setting bogus" },
        { "tcg,bogus=1", "Property 'tcg-accel.bogus' not found" },
    };
    REFUSALS("-accel", bad_accel);
    PARSE(&p, "-machine", "virt,accel=tcg");
    ck_assert_msg(p.r == PARSE_OK, "%s", p.err);
}
END_TEST

/* -hda is an index-0 virtio disk, -snapshot applies to every drive given
 * before or after it, -nodefaults without -serial leaves the UART with
 * nothing, and -L directories are kept in order. */
START_TEST(drives_and_no_ops)
{
    struct parsed p;
    PARSE(&p, "-drive", "file=a.img,if=none,id=a", "-snapshot", "-hda", "b,c.img");
    ck_assert_msg(p.r == PARSE_OK, "%s", p.err);
    ck_assert_int_eq(p.opt.drives.ndrives, 2);
    ck_assert_str_eq(p.opt.drives.drive[1].file, "b,c.img");
    ck_assert(p.opt.drives.drive[1].if_virtio && p.opt.drives.drive[1].index == 0);
    /* -snapshot is applied when the drives are attached (drives.c) */
    ck_assert(p.opt.drives.snapshot_all && !p.opt.drives.drive[0].snapshot_given &&
              !p.opt.drives.drive[1].snapshot_given);
    PARSE(&p, "-snapshot", "-drive", "file=a.img,if=none,id=a,snapshot=off");
    ck_assert_msg(p.r == PARSE_OK && p.opt.drives.snapshot_all && p.opt.drives.drive[0].snapshot_given &&
                  !p.opt.drives.drive[0].snapshot, "%s", p.err);
    PARSE(&p, "-hda", "a.img", "-drive", "file=b.img,index=0");
    ck_assert_msg(p.r == PARSE_ERROR && strstr(p.err, "drive with bus=0, unit=0 (index=0) exists"),
                  "%s", p.err);
    PARSE(&p, "-nodefaults");
    ck_assert(p.r == PARSE_OK && p.opt.nodefaults && p.opt.serial_none);
    PARSE(&p, "-nodefaults", "-serial", "stdio");
    ck_assert(p.r == PARSE_OK && !p.opt.serial_none);
    PARSE(&p, "-L", "/a", "-L", "/b", "-pidfile", "x.pid", "-no-shutdown", "-usb", "-k", "de",
          "-net", "none", "-nic", "none", "-vga", "none");
    ck_assert_msg(p.r == PARSE_OK, "%s", p.err);
    ck_assert_int_eq(p.opt.ndata_dirs, 2);
    ck_assert_str_eq(p.opt.data_dirs[1], "/b");
    ck_assert_str_eq(p.opt.pidfile, "x.pid");
    ck_assert(p.opt.no_shutdown && p.opt.usb);
    /* QEMU takes any of its options with two dashes */
    PARSE(&p, "--no-reboot", "--m", "256M", "--nographic", "--bios", "none");
    ck_assert_msg(p.r == PARSE_OK, "%s", p.err);
    ck_assert(p.opt.no_reboot && p.opt.ram_size == 256 * MiB);
    ck_assert_str_eq(p.opt.bios, "none");
    PARSE(&p, "---no-reboot");
    ck_assert_int_eq(p.r, PARSE_ERROR);
    /* one dash on one of our own options: the message gives our spelling */
    PARSE(&p, "-timeout", "5");
    ck_assert_msg(p.r == PARSE_ERROR && strstr(p.err, "'-timeout'") && strstr(p.err, "--timeout"),
                  "%s", p.err);
}
END_TEST

/* -netdev, -nic, -device virtio-net-device and -object filter-dump as
 * QEMU 7.2 spells them; an empty forwarding host is loopback. */
START_TEST(network_options)
{
    struct parsed p;
    PARSE(&p, "-netdev", "user,id=n0,hostfwd=tcp::2222-:22,hostfwd=udp:0.0.0.0:5353-10.0.2.15:53,"
          "restrict=on,net=10.9.0.0/16,guestfwd=tcp:10.9.0.100:80-cmd:cat",
          "-device", "virtio-net-device,netdev=n0,mac=52:54:00:aa:bb:cc,bus=virtio-mmio-bus.3",
          "-object", "filter-dump,id=f0,netdev=n0,file=x.pcap,maxlen=128",
          "-netdev", "socket,id=s0,listen=:1234", "-netdev", "socket,id=s1,mcast=230.0.0.1:1234",
          "-netdev", "stream,id=s2,server=off,addr.type=unix,addr.path=/tmp/x",
          "-netdev", "dgram,id=s3,remote.type=inet,remote.host=127.0.0.1,remote.port=5000,"
          "local.type=inet,local.host=127.0.0.1,local.port=5001",
          "-nic", "user,model=virtio-net-device");
    ck_assert_msg(p.r == PARSE_OK, "%s", p.err);
    const struct net_opts *o = &p.opt.net;
    ck_assert_int_eq(o->nnetdevs, 6);
    ck_assert_int_eq(o->nnics, 2);
    const typeof(o->netdev[0].u.user) *u = &o->netdev[0].u.user;
    ck_assert_int_eq(u->nfwd, 2);
    ck_assert_uint_eq(u->fwd[0].host_ip, 0x7f000001);          /* loopback unless told */
    ck_assert_uint_eq(u->fwd[0].host_port, 2222);
    ck_assert_uint_eq(u->fwd[0].guest_port, 22);
    ck_assert(u->fwd[1].udp && u->fwd[1].host_ip == 0 && u->fwd[1].guest_ip == 0x0a00020f);
    ck_assert(u->restrict_);
    ck_assert_uint_eq(u->net, 0x0a090000);
    ck_assert_uint_eq(u->dhcp, 0x0a09000f);
    ck_assert_uint_eq(u->host, 0x0a090002);
    ck_assert_str_eq(u->gfwd[0].cmd, "cat");
    ck_assert(o->nic[0].mac_given && o->nic[0].mac[5] == 0xcc && o->nic[0].slot == 3);
    ck_assert_uint_eq(o->dump[0].maxlen, 128);
    ck_assert_uint_eq(o->netdev[1].u.sock.addr.ip, 0x7f000001);
    ck_assert(o->netdev[3].u.sock.addr.unix_path);
    ck_assert_int_eq(o->netdev[4].u.sock.mode, SOCK_UDP);
    uint8_t mac[6];
    net_default_mac(1, mac);
    ck_assert_uint_eq(mac[5], 0x57);
    PARSE(&p, "-nic", "none");
    ck_assert(p.r == PARSE_OK && p.opt.net.nic_none && p.opt.net.nnics == 0);
}
END_TEST

/* Malformed network lines: refused, and the message says what is wrong. */
static const struct { const char *opt, *val, *says; } bad_net[] = {
    { "-netdev", "user", "Parameter 'id' is missing" },
    { "-netdev", "bogus,id=a", "Parameter 'type' does not accept value 'bogus'" },
    { "-netdev", "user,id=a,hostfwd=tcp::22", "Invalid host forwarding rule 'tcp::22'" },
    { "-netdev", "user,id=a,hostfwd=icmp::1-:2", "Invalid host forwarding rule" },
    { "-netdev", "user,id=a,hostfwd=tcp::99999-:22", "Invalid host forwarding rule" },
    { "-netdev", "user,id=a,net=10.0.2.0/33", "net=" },
    { "-netdev", "user,id=a,host=192.168.1.1", "not in net=" },
    { "-netdev", "user,id=a,restrict=maybe", "on or off" },
    { "-netdev", "user,id=a,frob=1", "Invalid parameter 'frob'" },
    { "-netdev", "user,id=a,guestfwd=tcp:10.0.2.100:80-chardev0", "cmd:" },
    { "-netdev", "socket,id=a", "exactly one of" },
    { "-netdev", "socket,id=a,listen=:1,connect=:2", "exactly one of" },
    { "-netdev", "socket,id=a,mcast=10.0.0.1:5", "not a multicast" },
    { "-netdev", "socket,id=a,udp=127.0.0.1:5", "localaddr" },
    { "-netdev", "stream,id=a,addr.type=inet,addr.port=5", "server=" },
    { "-netdev", "stream,id=a,server=on,addr.type=tcp", "inet or unix" },
    { "-netdev", "dgram,id=a,remote.type=inet,remote.host=127.0.0.1,remote.port=1", "local" },
    { "-netdev", "tap,id=a", "ifname=" },
    { "-netdev", "tap,id=a,ifname=t0,script=/etc/qemu-ifup", "script=no" },
    { "-nic", "user,model=e1000", "model=" },
    { "-nic", "user,mac=52:54:00:12:34", "mac=" },
    { "-device", "virtio-net-device,netdev=n0,mac=01:00:00:00:00:01", "unicast" },
    { "-device", "virtio-net-device,netdev=n0,bus=virtio-mmio-bus.9", "bus=" },
    { "-device", "virtio-net-device,netdev=n0,speed=10", "unknown property 'speed'" },
    { "-object", "memory-backend-ram,id=m", "filter-dump" },
    { "-object", "filter-dump,id=f,netdev=n0", "file=" },
};

START_TEST(network_bad)
{
    struct parsed p;
    PARSE(&p, bad_net[_i].opt, bad_net[_i].val);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: %s '%s' accepted", _i, bad_net[_i].opt, bad_net[_i].val);
    ck_assert_msg(strstr(p.err, bad_net[_i].says), "case %d: '%s' does not say '%s'", _i, p.err,
                  bad_net[_i].says);
}
END_TEST

/* Our own options with bad values: the message names the option. */
static const struct { const char *opt, *val; } bad_values[] = {
    { "--timeout", "0" }, { "--timeout", "-1" }, { "--timeout", "abc" }, { "--timeout", "1x" },
    { "--timeout", "nan" }, { "--timeout", "" }, { "--max-insns", "0" }, { "--max-insns", "-5" },
    { "--max-insns", "ten" }, { "--max-insns", "1e3" }, { "--mmu", "sv64" }, { "--mmu", "" },
    { "--mmu", "SV39x" }, { "-machine", "sifive_u" }, { "-machine", "virtual" },
    { "-M", "spike" }, { "-display", "gtk-nonexistent" }, { "-serial", "tcp::1234x" },
};

START_TEST(values_bad)
{
    struct parsed p;
    PARSE(&p, bad_values[_i].opt, bad_values[_i].val);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: %s '%s' accepted", _i, bad_values[_i].opt,
                  bad_values[_i].val);
    /* -M is the short spelling of -machine: either name will do. */
    const char *name = strcmp(bad_values[_i].opt, "-M") ? bad_values[_i].opt : "-machine";
    ck_assert_msg(strstr(p.err, name), "case %d: '%s' does not name %s", _i, p.err, name);
}
END_TEST

static const char *const unknown[] = { "--bogus", "-foo", "kernel.elf", "-", "--", "-kernelx",
                                       "--timeout=5", "-nographics" };

START_TEST(unknown_option)
{
    struct parsed p;
    PARSE(&p, "-nographic", unknown[_i]);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: '%s' accepted", _i, unknown[_i]);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "'%s'", unknown[_i]);
    ck_assert_msg(strstr(p.err, quoted), "case %d: '%s' does not name %s", _i, p.err, quoted);
}
END_TEST

/* An option that needs a value, given last. */
static const char *const need_value[] = { "-kernel", "-bios", "-m", "-smp", "-machine",
                                          "--timeout", "--max-insns", "--mmu" };

START_TEST(missing_value)
{
    struct parsed p;
    PARSE(&p, "-nographic", need_value[_i]);
    ck_assert_msg(p.r == PARSE_ERROR, "case %d: bare %s accepted", _i, need_value[_i]);
    ck_assert_msg(strstr(p.err, need_value[_i]), "case %d: '%s' does not name %s", _i, p.err,
                  need_value[_i]);
}
END_TEST

START_TEST(help_version)
{
    struct parsed p;
    PARSE(&p, "--help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(strstr(p.out, "usage") && strstr(p.out, "--timeout") && strstr(p.out, "-kernel"),
                  "help text: %s", p.out);
    PARSE(&p, "-bios", "none", "--version");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(strncmp(p.out, "hartvm ", 7) == 0, "version text: %s", p.out);
    /* An error before --help wins: the line is wrong whatever follows. */
    PARSE(&p, "--bogus", "--help");
    ck_assert_int_eq(p.r, PARSE_ERROR);
    /* QEMU's own spellings print the same text. */
    char help[sizeof p.out];
    PARSE(&p, "--help");
    memcpy(help, p.out, sizeof help);
    PARSE(&p, "-help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_str_eq(p.out, help);
    PARSE(&p, "-h");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_str_eq(p.out, help);
}
END_TEST

/* -machine help, -device help and -cpu help list what each accepts, in
 * QEMU's formats, and exit 0. */
START_TEST(help_lists)
{
    struct parsed p;
    PARSE(&p, "-machine", "help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(!strncmp(p.out, "Supported machines are:\nvirt ", 29), "%s", p.out);
    ck_assert_msg(!strstr(p.out, "\nnone"), "lists QEMU's none board: %s", p.out);
    PARSE(&p, "-M", "help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    PARSE(&p, "-device", "help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(strstr(p.out, "name \"virtio-blk-device\", bus virtio-bus\n"), "%s", p.out);
    PARSE(&p, "-cpu", "help");
    ck_assert_int_eq(p.r, PARSE_EXIT_OK);
    ck_assert_msg(strstr(p.out, "rv64\n") && strstr(p.out, "max\n"), "%s", p.out);
}
END_TEST

/* parse_size on its own: suffixes, bytes, overflow. */
static const struct { const char *s; int ok; uint64_t v; } sizes[] = {
    { "0", 1, 0 }, { "1", 1, MiB }, { "1K", 1, 1024 }, { "1k", 1, 1024 }, { "2M", 1, 2 * MiB },
    { "3G", 1, 3 * GiB }, { "4096B", 1, 4096 }, { "4096b", 1, 4096 }, { "1MiB", 1, MiB },
    { "1MB", 1, MiB }, { "1GiB", 1, GiB }, { "17592186044415", 1, ((1ull << 44) - 1) << 20 },
    { "17592186044416", 0, 0 }, { "18446744073709551615B", 1, ~0ull },
    { "18446744073709551616B", 0, 0 }, { "17179869184G", 0, 0 }, { "", 0, 0 }, { "M", 0, 0 },
    { "-1", 0, 0 }, { "1X", 0, 0 }, { "1MiBB", 0, 0 }, { "1 M", 0, 0 }, { "0x", 0, 0 },
    { "09", 1, 9 * MiB }, { "0x10", 1, 16 * MiB }, { "1.5K", 1, 1536 }, { "2.25G", 1, 9 * GiB / 4 },
    { "1T", 1, 1ull << 40 }, { "1.5", 0, 0 }, { "1.5B", 0, 0 }, { "0x1.8M", 0, 0 }, { "0x1000", 1, 4 * GiB }, { " -1B", 0, 0 }, { "+5M", 0, 0 },
};

START_TEST(parse_size_cases)
{
    uint64_t v = 0xdeadbeef;
    int r = parse_size(sizes[_i].s, &v);
    if (sizes[_i].ok) {
        ck_assert_msg(r == 0, "case %d: '%s' rejected", _i, sizes[_i].s);
        ck_assert_msg(v == sizes[_i].v, "case %d: '%s' gave %llu", _i, sizes[_i].s,
                      (unsigned long long)v);
    } else {
        ck_assert_msg(r != 0, "case %d: '%s' accepted as %llu", _i, sizes[_i].s,
                      (unsigned long long)v);
    }
}
END_TEST

/* ---- every row of both option tables (machine/option_table.h) -------- */

/* Rows that only parse beside another option. */
static const struct { const char *opt; const char *need[2]; } prereqs[] = {
    { "--trace-file", { "--trace-digest", "1" } },
};

union target {
    struct options o;
    struct fleet_args f;
};

/* A table under test: how to run its parser on argv. */
struct tested {
    const struct opt_table *t;
    int (*parse)(int argc, char **argv, union target *u, FILE *out, char *err, size_t errlen);
    const char *lead[2];                /* words before the option */
};

static int hartvm_parse(int argc, char **argv, union target *u, FILE *out, char *err, size_t errlen)
{
    enum parse_result r = options_parse(argc, argv, &u->o, out, err, errlen);
    return r == PARSE_OK ? 0 : r == PARSE_EXIT_OK ? OPT_EXIT : -1;
}

static int fleet_parse(int argc, char **argv, union target *u, FILE *out, char *err, size_t errlen)
{
    return fleet_args_parse(argc, argv, &u->f, out, err, errlen);
}

static const struct tested tables[] = {
    { &options_table, hartvm_parse, { NULL } },
    { &fleet_options, fleet_parse, { "--batch", "fleet.ini" } },   /* -j, --json need both */
};

struct run {
    int r;
    union target u;
    char err[256];
    char out[16384];
};

/* Parse lead words, a prerequisite of name, name and value (if not NULL). */
static void run_row(struct run *run, const struct tested *tt, const char *name, const char *value)
{
    char *argv[8];
    int argc = 0;
    argv[argc++] = (char *)"prog";
    for (int k = 0; k < 2 && tt->lead[k]; k++)
        argv[argc++] = (char *)tt->lead[k];
    for (size_t k = 0; k < sizeof prereqs / sizeof prereqs[0]; k++)
        if (tt->t == &options_table && !strcmp(prereqs[k].opt, name)) {
            argv[argc++] = (char *)prereqs[k].need[0];
            argv[argc++] = (char *)prereqs[k].need[1];
        }
    argv[argc++] = (char *)name;
    if (value)
        argv[argc++] = (char *)value;
    argv[argc] = NULL;
    memset(run, 0, sizeof *run);
    FILE *out = fmemopen(run->out, sizeof run->out - 1, "w");
    ck_assert_ptr_nonnull(out);
    run->r = tt->parse(argc, argv, &run->u, out, run->err, sizeof run->err);
    fclose(out);
}

/* Each name of each row parses with the row's sample value, and lands
 * where the row says (a field), or runs its handler without complaint. */
START_TEST(every_row_parses)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct opt_table *tab = tables[t].t;
        ck_assert_msg(tab->n <= OPT_MAX_ROWS, "%s: more rows than opt_parse.seen has bits", tab->prog);
        if ((size_t)_i >= tab->n || tab->opts[_i].kind == OPT_HEADING)
            continue;
        const struct opt_spec *o = &tab->opts[_i];
        ck_assert_msg(!o->arg == !o->sample, "%s %s: a row with a value needs a sample, "
                      "one without none", tab->prog, o->names[0]);
        for (int k = 0; k < OPT_NAMES && o->names[k]; k++) {
            struct run run;
            run_row(&run, &tables[t], o->names[k], o->sample);
            bool exits = o->fn == opt_help_fn || !strcmp(o->names[0], "--version");
            ck_assert_msg(run.r == (exits ? OPT_EXIT : 0), "%s %s %s: %d, %s", tab->prog,
                          o->names[k], o->sample ? o->sample : "", run.r, run.err);
            char *field = (char *)&run.u + o->field;
            if (o->kind == OPT_FLAG)
                ck_assert_msg(*(bool *)field, "%s %s: flag not set", tab->prog, o->names[k]);
            if (o->kind == OPT_STRING)
                ck_assert_msg(*(const char **)field == o->sample, "%s %s: value not kept",
                              tab->prog, o->names[k]);
        }
    }
}
END_TEST

/* Each row with a value, given last without one: an error naming it. */
START_TEST(every_value_needed)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct opt_table *tab = tables[t].t;
        if ((size_t)_i >= tab->n || !tab->opts[_i].arg)
            continue;
        const struct opt_spec *o = &tab->opts[_i];
        struct run run;
        run_row(&run, &tables[t], o->names[0], NULL);
        ck_assert_msg(run.r == -1 && strstr(run.err, o->names[0]),
                      "%s: bare %s: %d, '%s'", tab->prog, o->names[0], run.r, run.err);
    }
}
END_TEST

/* w in text as a word of its own (names like -m occur inside others). */
static bool has_word(const char *text, const char *w)
{
    size_t len = strlen(w);
    for (const char *s = text; (s = strstr(s, w)); s++) {
        bool start = s == text || strchr(" (\n", s[-1]);
        if (start && strchr(" ,)\n", s[len]) && s[len])
            return true;
    }
    return false;
}

/* --help names every option and alias, shows each row's help text, and
 * says which options are accepted but not honoured. */
START_TEST(every_row_documented)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct opt_table *tab = tables[t].t;
        struct run run;
        run_row(&run, &tables[t], "--help", NULL);
        ck_assert_int_eq(run.r, OPT_EXIT);
        int ignored = 0, said = 0;
        for (size_t i = 0; i < tab->n; i++) {
            const struct opt_spec *o = &tab->opts[i];
            ck_assert_msg(o->help && o->help[0], "%s row %zu: no help", tab->prog, i);
            char first[40];
            snprintf(first, sizeof first, "%.*s", (int)strcspn(o->help, "\n"), o->help);
            ck_assert_msg(strstr(run.out, first), "%s: help lacks '%s'", tab->prog, first);
            for (int k = 0; k < OPT_NAMES && o->names[k]; k++)
                ck_assert_msg(has_word(run.out, o->names[k]), "%s --help does not name %s",
                              tab->prog, o->names[k]);
            /* As in QEMU's -help, the option starts its line: scripts
             * grep for '^-gdb'. */
            if (o->kind != OPT_HEADING) {
                char start[48];
                size_t n = strlen(o->names[0]);
                snprintf(start, sizeof start, "\n%s", o->names[0]);
                const char *at = strstr(run.out, start);
                while (at && at[1 + n] != ' ' && at[1 + n] != '\n')
                    at = strstr(at + 1, start);
                ck_assert_msg(at, "%s --help: no line starts with %s", tab->prog, o->names[0]);
            }
            ignored += o->kind == OPT_IGNORED;
        }
        for (const char *s = run.out; (s = strstr(s, "not honoured")); s++)
            said++;
        ck_assert_msg(said >= ignored, "%s: %d options not honoured, help says so %d times",
                      tab->prog, ignored, said);
    }
}
END_TEST

/* One name, one row: an alias used twice would shadow a row. */
START_TEST(names_unique)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        const struct opt_table *tab = tables[t].t;
        for (size_t i = 0; i < tab->n; i++)
            for (int k = 0; k < OPT_NAMES && tab->opts[i].names[k]; k++)
                ck_assert_msg(opt_find(tab, tab->opts[i].names[k]) == &tab->opts[i],
                              "%s: %s names two rows", tab->prog, tab->opts[i].names[k]);
    }
}
END_TEST

/* The fleet's own checks: -j glued or apart, -j/--json only with --batch. */
START_TEST(fleet_args)
{
    struct fleet_args a;
    char err[256] = "";
    char *glued[] = { "fleet", "--batch", "-j3", "f.ini", "--log-max", "8K", NULL };
    ck_assert_msg(fleet_args_parse(6, glued, &a, stdout, err, sizeof err) == 0, "%s", err);
    ck_assert(a.batch && a.jobs == 3 && a.log_max == 8192 && !strcmp(a.file, "f.ini"));
    char *zero[] = { "fleet", "--batch", "-j", "0", "f.ini", NULL };
    ck_assert_int_eq(fleet_args_parse(5, zero, &a, stdout, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "-j 0"), "%s", err);
    char *nobatch[] = { "fleet", "--json", "r.json", "f.ini", NULL };
    ck_assert_int_eq(fleet_args_parse(4, nobatch, &a, stdout, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "--batch"), "%s", err);
    char *two[] = { "fleet", "a.ini", "b.ini", NULL };
    ck_assert_int_eq(fleet_args_parse(3, two, &a, stdout, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "'a.ini', 'b.ini'"), "%s", err);
}
END_TEST

/* options_check: hartvm's row on one value, the reason without the name. */
START_TEST(check_one_value)
{
    struct options o;
    char why[128];
    ck_assert_int_eq(options_check("-smp", "cpus=4", &o, why, sizeof why), 0);
    ck_assert_int_eq(o.smp, 4);
    ck_assert_int_eq(options_check("-m", "12Q", &o, why, sizeof why), -1);
    ck_assert_msg(!strncmp(why, "Parameter 'size' expects a non-negative number", 46), "%s", why);
    ck_assert_int_eq(options_check("--bogus", "1", &o, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "'--bogus'"), "%s", why);
}
END_TEST

static Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *t = tcase_create("options");
    tcase_add_test(t, defaults);
    tcase_add_test(t, virtio_mmio_version);
    tcase_add_test(t, network_options);
    tcase_add_loop_test(t, network_bad, 0, sizeof bad_net / sizeof bad_net[0]);
    tcase_add_test(t, qemu_line);
    tcase_add_loop_test(t, mem_sizes, 0, sizeof good_mem / sizeof good_mem[0]);
    tcase_add_loop_test(t, mem_bad, 0, sizeof bad_mem / sizeof bad_mem[0]);
    tcase_add_test(t, smp_range);
    tcase_add_loop_test(t, smp_topology, 0, sizeof smp_cases / sizeof smp_cases[0]);
    tcase_add_loop_test(t, mem_options, 0, sizeof mem_cases / sizeof mem_cases[0]);
    tcase_add_test(t, icount_rtc_accel);
    tcase_add_test(t, drives_and_no_ops);
    tcase_add_loop_test(t, values_bad, 0, sizeof bad_values / sizeof bad_values[0]);
    tcase_add_loop_test(t, unknown_option, 0, sizeof unknown / sizeof unknown[0]);
    tcase_add_loop_test(t, missing_value, 0, sizeof need_value / sizeof need_value[0]);
    tcase_add_test(t, help_version);
    tcase_add_test(t, help_lists);
    tcase_add_loop_test(t, parse_size_cases, 0, sizeof sizes / sizeof sizes[0]);
    int rows = (int)(options_table.n > fleet_options.n ? options_table.n : fleet_options.n);
    tcase_add_loop_test(t, every_row_parses, 0, rows);
    tcase_add_loop_test(t, every_value_needed, 0, rows);
    tcase_add_test(t, every_row_documented);
    tcase_add_test(t, names_unique);
    tcase_add_test(t, fleet_args);
    tcase_add_test(t, check_one_value);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(options_suite)

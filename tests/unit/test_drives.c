/* -drive / -device parsing and QEMU's virtio-mmio slot assignment. */
#include "unit.h"
#include "../../machine/drives.h"
#include "../../disk/image.h"
#include "../../disk/probe.h"
#include <string.h>

static char err[256];

START_TEST(drive_properties)
{
    struct drive_opts o = { 0 };
    ck_assert_int_eq(drives_parse_drive(&o, "file=fs.img,if=none,format=raw,id=x0,readonly=on", err, sizeof err), 0);
    ck_assert_str_eq(o.drive[0].file, "fs.img");
    ck_assert_str_eq(o.drive[0].id, "x0");
    ck_assert(o.drive[0].readonly && !o.drive[0].if_virtio && !o.drive[0].snapshot);
    ck_assert_int_eq(drives_parse_drive(&o, "file=a,,b.img,if=virtio,snapshot=on", err, sizeof err), 0);
    ck_assert_str_eq(o.drive[1].file, "a,b.img");        /* ",," escapes a comma */
    ck_assert(o.drive[1].if_virtio && o.drive[1].snapshot);
    ck_assert_int_eq(o.drive[0].format, IMG_FMT_RAW);    /* format=raw: no probing */
    ck_assert_int_eq(o.drive[1].format, IMAGE_PROBE);    /* no format=: probed */
    ck_assert_int_eq(drives_parse_drive(&o, "file=c.qcow2,if=virtio,format=qcow2", err, sizeof err), 0);
    ck_assert_int_eq(o.drive[2].format, IMG_FMT_QCOW2);
    ck_assert(o.drive[1].snapshot_given && !o.drive[2].snapshot_given);   /* for -snapshot */
}
END_TEST

START_TEST(drive_errors_name_the_problem)
{
    static const struct { const char *arg, *needle; } bad[] = {
        { "if=none,id=x", "file=" },
        { "file=f,format=qed,id=x", "format=qed is not supported" },
        { "file=f,format=vmdk,id=x", "qemu-img convert -O qcow2" },
        { "file=f,format=bogus,id=x", "unknown image format" },
        { "file=f,if=scsi,id=x", "if=scsi" },
        { "file=f,if=none", "id=" },
        { "file=f,id=x,readonly=maybe", "readonly=maybe" },
        { "file=f,id=x,cache=bogus", "invalid cache option" },
        { "file=f,id=x,discard=bogus", "Invalid discard option" },
        { "file=f,id=x,aio=bogus", "invalid aio option" },
        { "file=f,id=x,aio=native", "requires cache.direct=on" },
        { "file=f,id=x,media=tape", "'tape' invalid media" },
        { "file=f,id=x,index=-1", "index=-1" },
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct drive_opts o = { 0 };
        ck_assert_msg(drives_parse_drive(&o, bad[i].arg, err, sizeof err) == -1, "case %u accepted", i);
        ck_assert_msg(strstr(err, bad[i].needle), "case %u: '%s' lacks '%s'", i, err, bad[i].needle);
    }
    struct drive_opts o = { 0 };
    ck_assert_int_eq(drives_parse_drive(&o, "file=f,id=x,if=none", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_drive(&o, "file=g,id=x,if=none", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "duplicate"));
}
END_TEST

/* cache= modes as QEMU's blockdev.c maps them, discard=, media=cdrom. */
START_TEST(drive_cache_modes)
{
    static const struct { const char *mode; bool wt, direct, noflush; } modes[] = {
        { "writeback", 0, 0, 0 }, { "writethrough", 1, 0, 0 }, { "none", 0, 1, 0 },
        { "directsync", 1, 1, 0 }, { "unsafe", 0, 0, 1 },
    };
    char arg[128];
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        struct drive_opts o = { 0 };
        snprintf(arg, sizeof arg, "file=f,id=x,cache=%s,aio=%s", modes[i].mode,
                 modes[i].direct ? "native" : "io_uring");
        ck_assert_msg(drives_parse_drive(&o, arg, err, sizeof err) == 0, "%s: %s", arg, err);
        const struct drive_cache *c = &o.drive[0].cache;
        ck_assert_msg(c->writethrough == modes[i].wt && c->direct == modes[i].direct &&
                      c->no_flush == modes[i].noflush, "%s", arg);
    }
    struct drive_opts o = { 0 };
    ck_assert_int_eq(drives_parse_drive(&o, "file=f,id=x,discard=unmap,media=cdrom,index=3", err, sizeof err), 0);
    ck_assert(o.drive[0].cache.unmap && o.drive[0].readonly && o.drive[0].index == 3);
    ck_assert_int_eq(drives_parse_drive(&o, "file=g,id=y,discard=ignore", err, sizeof err), 0);
    ck_assert(!o.drive[1].cache.unmap && !o.drive[1].readonly && o.drive[1].index == -1);
}
END_TEST

START_TEST(device_slots_as_qemu)
{
    struct drive_opts o = { 0 };
    int slots[8];
    ck_assert_int_eq(drives_parse_drive(&o, "file=a,if=none,id=a", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_drive(&o, "file=b,if=none,id=b", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_drive(&o, "file=c,if=virtio", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_device(&o, "virtio-blk-device,drive=a", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_device(&o, "virtio-blk-device,drive=b,bus=virtio-mmio-bus.7", err, sizeof err), 0);
    ck_assert_int_eq(drives_assign(&o, 8, slots, err, sizeof err), 0);
    /* bus.7 is taken explicitly, so 'a' gets the highest free (6), then if=virtio 5 */
    ck_assert_int_eq(slots[7], 1);
    ck_assert_int_eq(slots[6], 0);
    ck_assert_int_eq(slots[5], 2);
    ck_assert_int_eq(slots[0], -1);
}
END_TEST

START_TEST(device_errors)
{
    struct drive_opts o = { 0 };
    int slots[8];
    ck_assert_int_eq(drives_parse_device(&o, "virtio-net-device", err, sizeof err), -1);
    ck_assert_int_eq(drives_parse_device(&o, "virtio-blk-device,bus=virtio-mmio-bus.8,drive=a", err, sizeof err), -1);
    ck_assert_int_eq(drives_parse_device(&o, "virtio-blk-device", err, sizeof err), -1);
    ck_assert_int_eq(drives_parse_device(&o, "virtio-blk-device,drive=nope", err, sizeof err), 0);
    ck_assert_int_eq(drives_assign(&o, 8, slots, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "nope"));
    struct drive_opts p = { 0 };
    ck_assert_int_eq(drives_parse_drive(&p, "file=a,if=none,id=a", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_device(&p, "virtio-blk-device,drive=a,bus=virtio-mmio-bus.0", err, sizeof err), 0);
    ck_assert_int_eq(drives_parse_device(&p, "virtio-blk-device,drive=a", err, sizeof err), 0);
    ck_assert_int_eq(drives_assign(&p, 8, slots, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "in use"));
}
END_TEST

static Suite *drives_suite(void)
{
    Suite *s = suite_create("drives");
    TCase *t = tcase_create("options");
    tcase_add_test(t, drive_properties);
    tcase_add_test(t, drive_errors_name_the_problem);
    tcase_add_test(t, drive_cache_modes);
    tcase_add_test(t, device_slots_as_qemu);
    tcase_add_test(t, device_errors);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(drives_suite)

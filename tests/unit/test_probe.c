/* Image format probing (disk/probe.c) on headers built here from each
 * format's specification, and what image_open makes of it: formats other
 * than raw and qcow2 refused, probed raw images with their sector 0 guarded. */
#include "unit.h"
#include "../../disk/probe.h"
#include "../../disk/image.h"
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint8_t buf[PROBE_BYTES];

static void put_be32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

/* Probe a private copy of exactly len bytes, so that a read past len is
 * a read past the allocation (the sanitizer build catches it). */
static enum image_format probe_n(const uint8_t *b, size_t len, const char *name, char *detail)
{
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, b, len);
    enum image_format f = probe_format(copy, len, name, detail, detail ? 64 : 0);
    free(copy);
    return f;
}

struct sample {
    const char *what;
    enum image_format fmt;
    const char *detail;
    void (*make)(uint8_t *b);
};

static void qcow2_v3(uint8_t *b) { memcpy(b, "QFI\xfb", 4); put_be32(b + 4, 3); put_be32(b + 20, 16); }
static void qcow2_v2(uint8_t *b) { memcpy(b, "QFI\xfb", 4); put_be32(b + 4, 2); }
static void qcow2_v0(uint8_t *b) { memcpy(b, "QFI\xfb", 4); }
static void qcow2_v9(uint8_t *b) { memcpy(b, "QFI\xfb", 4); put_be32(b + 4, 9); }
static void qcow_v1(uint8_t *b) { memcpy(b, "QFI\xfb", 4); put_be32(b + 4, 1); }
static void qed(uint8_t *b) { memcpy(b, "QED\0", 4); b[8] = 1; }
static void vmdk4(uint8_t *b) { memcpy(b, "KDMV", 4); b[4] = 1; }
static void vmdk3(uint8_t *b) { memcpy(b, "COWD", 4); }
static void vmdk_text(uint8_t *b)
{
    strcpy((char *)b, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\ncreateType=\"monolithicFlat\"\n");
}
static void vmdk_text_crlf(uint8_t *b) { strcpy((char *)b, "  # comment\r\n\n\t version=3\r\nCID=1\r\n"); }
static void vdi(uint8_t *b)
{
    strcpy((char *)b, "<<< QEMU VM Virtual Disk Image >>>\n");
    b[0x40] = 0x7f; b[0x41] = 0x10; b[0x42] = 0xda; b[0x43] = 0xbe;
}
static void vhdx(uint8_t *b) { memcpy(b, "vhdxfileQ\0E\0M\0U\0", 16); }
static void vpc(uint8_t *b) { memcpy(b, "conectix\0\0\0\2", 12); }
static void luks1(uint8_t *b) { memcpy(b, "LUKS\xba\xbe\0\1aes", 11); }
static void luks2(uint8_t *b) { memcpy(b, "LUKS\xba\xbe\0\2", 8); }
static void luks7(uint8_t *b) { memcpy(b, "LUKS\xba\xbe\0\7", 8); }
static void parallels(uint8_t *b) { memcpy(b, "WithoutFreeSpace\2\0\0\0", 20); }
static void parallels_ext(uint8_t *b) { memcpy(b, "WithouFreSpacExt\2\0\0\0", 20); }
static void bochs(uint8_t *b) { strcpy((char *)b, "Bochs Virtual HD Image"); strcpy((char *)b + 32, "Redolog"); }
static void cloop(uint8_t *b)
{
    strcpy((char *)b, "#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop $1\n");
}
/* raw look-alikes */
static void zeros(uint8_t *b) { (void)b; }
static void mbr(uint8_t *b) { b[446] = 0x80; b[450] = 0x83; b[510] = 0x55; b[511] = 0xaa; }
static void vmdk_comment(uint8_t *b) { strcpy((char *)b, "#version=1\n# version=2\n"); }
static void vmdk_version4(uint8_t *b) { strcpy((char *)b, "version=4\nversion=12\nversion=1x\n"); }
static void vmdk_no_newline(uint8_t *b) { memset(b, 'x', PROBE_BYTES); memcpy(b + PROBE_BYTES - 10, "\nversion=1", 10); }
static void qfi_short(uint8_t *b) { memcpy(b, "QFI", 3); b[3] = 0xfa; }
static void vdi_misplaced(uint8_t *b) { b[0x41] = 0x7f; b[0x42] = 0x10; b[0x43] = 0xda; b[0x44] = 0xbe; }
static void shell(uint8_t *b) { strcpy((char *)b, "#!/bin/sh\necho hello\n"); }

static const struct sample samples[] = {
    { "qcow2 v3", IMG_FMT_QCOW2, "version 3", qcow2_v3 },
    { "qcow2 v2", IMG_FMT_QCOW2, "version 2", qcow2_v2 },
    { "qcow2 v0", IMG_FMT_QCOW2, "unknown version 0", qcow2_v0 },
    { "qcow2 v9", IMG_FMT_QCOW2, "unknown version 9", qcow2_v9 },
    { "qcow v1", IMG_FMT_QCOW, "", qcow_v1 },
    { "qed", IMG_FMT_QED, "", qed },
    { "vmdk4", IMG_FMT_VMDK, "", vmdk4 },
    { "vmdk3", IMG_FMT_VMDK, "", vmdk3 },
    { "vmdk text", IMG_FMT_VMDK, "text descriptor", vmdk_text },
    { "vmdk text crlf", IMG_FMT_VMDK, "text descriptor", vmdk_text_crlf },
    { "vdi", IMG_FMT_VDI, "", vdi },
    { "vhdx", IMG_FMT_VHDX, "", vhdx },
    { "vpc", IMG_FMT_VPC, "", vpc },
    { "luks1", IMG_FMT_LUKS, "LUKS1", luks1 },
    { "luks2", IMG_FMT_LUKS, "LUKS2", luks2 },
    { "luks7", IMG_FMT_LUKS, "unknown version 7", luks7 },
    { "parallels", IMG_FMT_PARALLELS, "", parallels },
    { "parallels ext", IMG_FMT_PARALLELS, "", parallels_ext },
    { "bochs", IMG_FMT_BOCHS, "", bochs },
    { "cloop", IMG_FMT_CLOOP, "", cloop },
    { "zeros", IMG_FMT_RAW, "", zeros },
    { "mbr", IMG_FMT_RAW, "", mbr },
    { "vmdk comment", IMG_FMT_RAW, "", vmdk_comment },
    { "vmdk version 4", IMG_FMT_RAW, "", vmdk_version4 },
    { "vmdk no newline", IMG_FMT_RAW, "", vmdk_no_newline },
    { "QFI\\xfa", IMG_FMT_RAW, "", qfi_short },
    { "vdi misplaced", IMG_FMT_RAW, "", vdi_misplaced },
    { "shell script", IMG_FMT_RAW, "", shell },
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

START_TEST(each_format)
{
    const struct sample *s = &samples[_i];
    char detail[64];
    memset(buf, 0, sizeof buf);
    s->make(buf);
    enum image_format f = probe_n(buf, sizeof buf, "disk.img", detail);
    ck_assert_msg(f == s->fmt, "%s: probed %s, expected %s", s->what, image_format_name(f),
                  image_format_name(s->fmt));
    ck_assert_msg(!strcmp(detail, s->detail), "%s: detail '%s', expected '%s'", s->what, detail,
                  s->detail);
    /* more bytes than the probe looks at change nothing */
    uint8_t big[PROBE_BYTES + 64];
    memcpy(big, buf, sizeof buf);
    memset(big + sizeof buf, 'Q', 64);
    ck_assert_int_eq(probe_format(big, sizeof big, NULL, NULL, 0), s->fmt);
}
END_TEST

/* Every truncation of every sample is probed within its length, and a
 * truncated magic is never a different format (but for qcow cut before
 * its version, which is qcow2 with a truncated header: the version tells
 * the two apart). */
START_TEST(every_prefix)
{
    const struct sample *s = &samples[_i];
    memset(buf, 0, sizeof buf);
    s->make(buf);
    for (size_t len = 0; len <= sizeof buf; len++) {
        char detail[64];
        enum image_format f = probe_n(buf, len, NULL, detail);
        bool qcow_cut = s->fmt == IMG_FMT_QCOW && f == IMG_FMT_QCOW2 && len < 8;
        ck_assert_msg(f == s->fmt || f == IMG_FMT_RAW || qcow_cut, "%s cut at %zu: probed %s",
                      s->what, len, image_format_name(f));
        ck_assert(strlen(detail) < 64);
    }
}
END_TEST

START_TEST(truncated_headers)
{
    char detail[64];
    memset(buf, 0, sizeof buf);
    qcow2_v3(buf);
    for (size_t len = 4; len < 8; len++) {
        ck_assert_int_eq(probe_n(buf, len, NULL, detail), IMG_FMT_QCOW2);
        ck_assert_str_eq(detail, "header truncated");
    }
    ck_assert_int_eq(probe_n(buf, 64, NULL, detail), IMG_FMT_QCOW2);
    ck_assert_str_eq(detail, "version 3, header truncated");
    ck_assert_int_eq(probe_n(buf, 104, NULL, detail), IMG_FMT_QCOW2);
    ck_assert_str_eq(detail, "version 3");
    qcow2_v2(buf);
    ck_assert_int_eq(probe_n(buf, 71, NULL, detail), IMG_FMT_QCOW2);
    ck_assert_str_eq(detail, "version 2, header truncated");
    memset(buf, 0, sizeof buf);
    luks1(buf);
    ck_assert_int_eq(probe_n(buf, 6, NULL, detail), IMG_FMT_LUKS);
    ck_assert_str_eq(detail, "header truncated");
    ck_assert_int_eq(probe_n(buf, 3, NULL, detail), IMG_FMT_RAW);
    ck_assert_int_eq(probe_n(buf, 0, NULL, detail), IMG_FMT_RAW);
    /* a detail buffer too small is cut, not overrun */
    char tiny[4] = "zzz";
    qcow2_v9(buf);
    ck_assert_int_eq(probe_format(buf, sizeof buf, NULL, tiny, 3), IMG_FMT_QCOW2);
    ck_assert_str_eq(tiny, "un");
}
END_TEST

START_TEST(dmg_by_name_only)
{
    char detail[64];
    memset(buf, 0, sizeof buf);
    ck_assert_int_eq(probe_n(buf, sizeof buf, "disk.dmg", detail), IMG_FMT_DMG);
    ck_assert_str_eq(detail, "by its name");
    ck_assert_int_eq(probe_n(buf, sizeof buf, "dmg", NULL), IMG_FMT_RAW);
    ck_assert_int_eq(probe_n(buf, sizeof buf, "disk.dmg.img", NULL), IMG_FMT_RAW);
    ck_assert_int_eq(probe_n(buf, sizeof buf, NULL, NULL), IMG_FMT_RAW);
    qcow2_v3(buf);                          /* content first, as QEMU scores it */
    ck_assert_int_eq(probe_n(buf, sizeof buf, "disk.dmg", NULL), IMG_FMT_QCOW2);
}
END_TEST

START_TEST(names)
{
    for (int f = 0; f < IMG_FMT_COUNT; f++)
        ck_assert_int_eq(image_format_lookup(image_format_name(f)), f);
    ck_assert_int_eq(image_format_lookup("raw"), IMG_FMT_RAW);
    ck_assert_int_eq(image_format_lookup("qcow2"), IMG_FMT_QCOW2);
    ck_assert_int_eq(image_format_lookup("QCOW2"), -1);
    ck_assert_int_eq(image_format_lookup("iso"), -1);
    ck_assert_int_eq(image_format_lookup(""), -1);
    ck_assert_str_eq(image_format_name(IMG_FMT_COUNT), "unknown");
}
END_TEST

/* ---- image_open with probing ------------------------------------------- */

static char path[64];

/* A 16-sector file whose sector 0 is made by make (NULL: zeros). */
static void make_file(void (*make)(uint8_t *b))
{
    uint8_t img[16 * 512] = { 0 };
    if (make)
        make(img);
    strcpy(path, "/tmp/hartvm-probe-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, img, sizeof img), (ssize_t)sizeof img);
    close(fd);
}

static void file_sector(int s, uint8_t *out)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_eq(pread(fd, out, 512, s * 512), 512);
    close(fd);
}

START_TEST(open_refuses_other_formats)
{
    struct image img;
    char err[512];
    make_file(vmdk4);
    ck_assert_int_ne(image_open(&img, path, false, false, true, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "finds a vmdk image; format vmdk is not supported"), "%s", err);
    ck_assert_msg(strstr(err, "qemu-img convert -O qcow2"), "%s", err);
    ck_assert_msg(strstr(err, "format=raw"), "%s", err);
    ck_assert_ptr_nonnull(strstr(err, path));
    /* read-only or snapshot: refused all the same */
    ck_assert_int_ne(image_open(&img, path, true, false, true, err, sizeof err), 0);
    ck_assert_int_ne(image_open(&img, path, false, true, true, err, sizeof err), 0);
    unlink(path);
    /* a qcow2 magic is read as qcow2: this header (no tables) is refused as
     * one, never attached as raw */
    make_file(qcow2_v3);
    ck_assert_int_ne(image_open(&img, path, false, false, true, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "invalid qcow2 image"), "%s", err);
    ck_assert_int_ne(image_open(&img, path, true, false, true, err, sizeof err), 0);
    /* format=raw given: the bytes as they are, without a guard */
    ck_assert_int_eq(image_open(&img, path, false, false, false, err, sizeof err), 0);
    ck_assert(!img.probed_raw);
    image_close(&img);
    unlink(path);
    /* a format's magic in a file of any size is named before the size is checked */
    strcpy(path, "/tmp/hartvm-probe-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_eq(write(fd, "vhdxfile", 8), 8);
    close(fd);
    ck_assert_int_ne(image_open(&img, path, false, false, true, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "finds a vhdx image; format vhdx is not supported"), "%s", err);
    ck_assert_int_ne(image_open(&img, path, false, false, false, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "multiple of 512"), "%s", err);
    unlink(path);
}
END_TEST

START_TEST(probed_raw_guards_sector_0)
{
    struct image img;
    char err[512];
    uint8_t sec[1024], back[512];
    make_file(NULL);
    ck_assert_int_eq(image_open(&img, path, false, false, true, err, sizeof err), 0);
    ck_assert(img.probed_raw);
    /* a qcow2 header over sector 0 is refused and nothing is written */
    memset(sec, 0, sizeof sec);
    qcow2_v3(sec);
    ck_assert_int_ne(image_write(&img, 0, sec, 1024), 0);
    ck_assert_int_ne(image_write(&img, 0, sec, 512), 0);
    file_sector(0, back);
    ck_assert_uint_eq(back[0], 0);
    /* the same bytes elsewhere, and ordinary data at sector 0, are fine */
    ck_assert_int_eq(image_write(&img, 512, sec, 512), 0);
    file_sector(1, back);
    ck_assert_int_eq(memcmp(back, "QFI\xfb", 4), 0);
    mbr(sec);
    memset(sec, 0x11, 4);
    ck_assert_int_eq(image_write(&img, 0, sec, 512), 0);
    ck_assert_int_eq(image_write_zeroes(&img, 0, 1024), 0);
    image_close(&img);
    /* read-only and snapshot opens write nothing in place: no guard */
    ck_assert_int_eq(image_open(&img, path, true, false, true, err, sizeof err), 0);
    ck_assert(!img.probed_raw);
    image_close(&img);
    ck_assert_int_eq(image_open(&img, path, false, true, true, err, sizeof err), 0);
    ck_assert(!img.probed_raw);
    qcow2_v3(sec);
    ck_assert_int_eq(image_write(&img, 0, sec, 512), 0);    /* into the overlay */
    image_close(&img);
    file_sector(0, back);
    ck_assert_uint_eq(back[0], 0);
    /* format=raw: the guest may write what it likes */
    ck_assert_int_eq(image_open(&img, path, false, false, false, err, sizeof err), 0);
    ck_assert_int_eq(image_write(&img, 0, sec, 512), 0);
    image_close(&img);
    file_sector(0, back);
    ck_assert_int_eq(memcmp(back, "QFI\xfb", 4), 0);
    /* and from then on the file probes as qcow2 */
    ck_assert_int_ne(image_open(&img, path, false, false, true, err, sizeof err), 0);
    unlink(path);
}
END_TEST

static Suite *probe_suite(void)
{
    Suite *s = suite_create("probe");
    TCase *t = tcase_create("probe");
    tcase_add_loop_test(t, each_format, 0, NSAMPLES);
    tcase_add_loop_test(t, every_prefix, 0, NSAMPLES);
    tcase_add_test(t, truncated_headers);
    tcase_add_test(t, dmg_by_name_only);
    tcase_add_test(t, names);
    tcase_add_test(t, open_refuses_other_formats);
    tcase_add_test(t, probed_raw_guards_sector_0);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(probe_suite)

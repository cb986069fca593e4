/*
 * Image format probing (see probe.h). Each format is recognised by what its
 * own specification puts at the start of the file:
 *
 *   qcow, qcow2   "QFI\xfb", then a big-endian version: 1 qcow, 2 and 3
 *                 qcow2 (QEMU docs/interop/qcow2.txt); any other version is
 *                 still reported as qcow2, never as raw
 *   qed           "QED\0" (QEMU's QED specification)
 *   vmdk          "KDMV" (hosted sparse extent), "COWD" (ESX sparse), or a
 *                 text descriptor with a "version=1|2|3" line (VMware's VMDK
 *                 specification)
 *   vdi           signature 0xbeda107f, little-endian, at byte 0x40
 *   vhdx          "vhdxfile" (VHDX specification, file type identifier)
 *   vpc           "conectix" (VHD specification, the footer copied at 0 in
 *                 dynamic disks; a fixed VHD has it only at the end and
 *                 probes as raw, as on QEMU)
 *   luks          "LUKS\xba\xbe", then a big-endian version, 1 or 2 (the LUKS
 *                 on-disk formats); another version is still luks, not raw
 *   parallels     "WithoutFreeSpace" or "WithouFreSpacExt"
 *   bochs         "Bochs Virtual HD Image"
 *   cloop         its shell-script header "#!/bin/sh\n#V2.0 Format\nmodprobe cloop"
 *   dmg           by name alone (*.dmg), which is how QEMU decides
 *
 * Anything else is raw. A magic followed by a version QEMU does not know
 * (qcow2 version 0, say) still names its format here where QEMU would fall
 * back to raw: such a file is never attached as a raw disk by accident.
 * Every test is bounded by len, so a short or corrupt header is simply a
 * shorter match, never an out-of-bounds read.
 */
#include "probe.h"
#include <stdio.h>
#include <string.h>

static const char *const names[IMG_FMT_COUNT] = {
    [IMG_FMT_RAW] = "raw", [IMG_FMT_QCOW2] = "qcow2", [IMG_FMT_QCOW] = "qcow",
    [IMG_FMT_QED] = "qed", [IMG_FMT_VMDK] = "vmdk", [IMG_FMT_VDI] = "vdi",
    [IMG_FMT_VHDX] = "vhdx", [IMG_FMT_VPC] = "vpc", [IMG_FMT_LUKS] = "luks",
    [IMG_FMT_PARALLELS] = "parallels", [IMG_FMT_BOCHS] = "bochs", [IMG_FMT_CLOOP] = "cloop",
    [IMG_FMT_DMG] = "dmg",
};

const char *image_format_name(enum image_format f)
{
    return (unsigned)f < IMG_FMT_COUNT ? names[f] : "unknown";
}

int image_format_lookup(const char *name)
{
    for (int f = 0; f < IMG_FMT_COUNT; f++)
        if (!strcmp(name, names[f]))
            return f;
    return -1;
}

/* buf holds the string s (without its NUL) at offset off. */
static int at(const uint8_t *buf, size_t len, size_t off, const char *s)
{
    size_t n = strlen(s);
    return off <= len && n <= len - off && !memcmp(buf + off, s, n);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[3] << 24 | p[2] << 16 | p[1] << 8 | p[0]; }

/* A VMDK text descriptor: among its leading lines, skipping blanks and '#'
 * comments, one reads "version=N" with N from 1 to 3. */
static int vmdk_descriptor(const uint8_t *buf, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
            i++;
        if (i < len && buf[i] != '#' && at(buf, len, i, "version=") && i + 9 < len &&
            buf[i + 8] >= '1' && buf[i + 8] <= '3' &&
            (buf[i + 9] == '\n' || (buf[i + 9] == '\r' && i + 10 < len && buf[i + 10] == '\n')))
            return 1;
        while (i < len && buf[i] != '\n')
            i++;
        i++;                            /* past the newline */
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

enum image_format probe_format(const uint8_t *buf, size_t len, const char *name, char *detail,
                               size_t detlen)
{
    char scratch[1];
    if (!detail) {
        detail = scratch;
        detlen = sizeof scratch;
    }
    if (detlen)
        detail[0] = 0;
    if (len > PROBE_BYTES)
        len = PROBE_BYTES;

    if (at(buf, len, 0, "QFI\xfb")) {
        if (len < 8) {
            snprintf(detail, detlen, "header truncated");
            return IMG_FMT_QCOW2;
        }
        uint32_t version = be32(buf + 4);
        if (version == 1)
            return IMG_FMT_QCOW;
        if (version == 2 || version == 3) {
            /* the fixed header is 72 bytes in version 2, 104 in 3 */
            if (len < (version == 2 ? 72u : 104u))
                snprintf(detail, detlen, "version %u, header truncated", (unsigned)version);
            else
                snprintf(detail, detlen, "version %u", (unsigned)version);
        } else {
            snprintf(detail, detlen, "unknown version %u", (unsigned)version);
        }
        return IMG_FMT_QCOW2;
    }
    if (at(buf, len, 0, "QED") && len >= 4 && buf[3] == 0)
        return IMG_FMT_QED;
    if (at(buf, len, 0, "KDMV") || at(buf, len, 0, "COWD"))
        return IMG_FMT_VMDK;
    if (len >= 0x44 && le32(buf + 0x40) == 0xbeda107f)
        return IMG_FMT_VDI;
    if (at(buf, len, 0, "vhdxfile"))
        return IMG_FMT_VHDX;
    if (at(buf, len, 0, "conectix"))
        return IMG_FMT_VPC;
    if (at(buf, len, 0, "LUKS\xba\xbe")) {
        unsigned v = len >= 8 ? (unsigned)buf[6] << 8 | buf[7] : 0;
        if (len < 8)
            snprintf(detail, detlen, "header truncated");
        else if (v == 1 || v == 2)
            snprintf(detail, detlen, "LUKS%u", v);
        else
            snprintf(detail, detlen, "unknown version %u", v);
        return IMG_FMT_LUKS;
    }
    if (at(buf, len, 0, "WithoutFreeSpace") || at(buf, len, 0, "WithouFreSpacExt"))
        return IMG_FMT_PARALLELS;
    if (at(buf, len, 0, "Bochs Virtual HD Image"))
        return IMG_FMT_BOCHS;
    if (at(buf, len, 0, "#!/bin/sh\n#V2.0 Format\nmodprobe cloop"))
        return IMG_FMT_CLOOP;
    if (vmdk_descriptor(buf, len)) {
        snprintf(detail, detlen, "text descriptor");
        return IMG_FMT_VMDK;
    }
    if (name && ends_with(name, ".dmg")) {
        snprintf(detail, detlen, "by its name");
        return IMG_FMT_DMG;
    }
    return IMG_FMT_RAW;
}

/*
 * Image format probing, for a -drive without format=. QEMU decides an
 * image's format from its first 512 bytes (and, for dmg only, its name);
 * hartvm recognises the same formats so that an image in one of them is
 * never attached as a raw disk, whose guest would overwrite its header.
 */
#ifndef DISK_PROBE_H
#define DISK_PROBE_H
#include <stddef.h>
#include <stdint.h>

#define PROBE_BYTES 512         /* what the probe looks at (QEMU's probe buffer) */

enum image_format {
    IMG_FMT_RAW,                /* nothing else recognised */
    IMG_FMT_QCOW2, IMG_FMT_QCOW, IMG_FMT_QED, IMG_FMT_VMDK, IMG_FMT_VDI, IMG_FMT_VHDX,
    IMG_FMT_VPC, IMG_FMT_LUKS, IMG_FMT_PARALLELS, IMG_FMT_BOCHS, IMG_FMT_CLOOP, IMG_FMT_DMG,
    IMG_FMT_COUNT
};

/*
 * The format of an image whose first len bytes (len may be less than
 * PROBE_BYTES for a short file) are buf. name, if not NULL, is the file's
 * name (QEMU takes a *.dmg name for dmg). detail, if not NULL, gets a
 * short note for the message ("version 3", "header truncated"), or "".
 */
enum image_format probe_format(const uint8_t *buf, size_t len, const char *name, char *detail,
                               size_t detlen);
/* QEMU's name of the format ("qcow2", "raw", ...). */
const char *image_format_name(enum image_format f);
/* The format QEMU calls name, or -1 for a name QEMU does not know. */
int image_format_lookup(const char *name);
#endif

/*
 * A new, empty qcow2 image (version 3, 64 KiB clusters, 16-bit
 * refcounts), laid out as qemu-img create lays one out:
 *
 *   cluster 0  header            cluster 1  refcount table (one cluster)
 *   cluster 2  refcount block 0  cluster 3  L1 table (as many clusters as it needs)
 *
 * Every cluster of the layout has refcount 1; the L1 table is empty. The
 * temporary overlay of snapshot=on is one of these (image.c).
 */
#include "qcow2.h"
#include "file_io.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

enum { CBITS = 16, CS = 1 << CBITS };

static void be32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = (uint8_t)v; }
static void be64(uint8_t *p, uint64_t v) { be32(p, (uint32_t)(v >> 32)); be32(p + 4, (uint32_t)v); }

/* The header fields (qcow2.txt "Header"); extensions: none (zeros end them). */
static void header(uint8_t *h, uint64_t size, uint32_t l1_size)
{
    memcpy(h, "QFI\xfb", 4);
    be32(h + 4, 3);
    be32(h + 20, CBITS);
    be64(h + 24, size);
    be32(h + 36, l1_size);
    be64(h + 40, 3ull * CS);
    be64(h + 48, 1ull * CS);
    be32(h + 56, 1);
    be32(h + 96, 4);                    /* refcount_order: 16 bits */
    be32(h + 100, 104);
}

int qcow2_format(int fd, uint64_t size, char *err, size_t errlen)
{
    uint64_t span = (uint64_t)CS * (CS / 8);            /* guest bytes per L1 entry */
    uint64_t l1_size = (size + span - 1) / span;
    uint64_t l1_clusters = (l1_size * 8 + CS - 1) / CS;
    if (l1_size * 8 > QCOW2_MAX_L1_BYTES || l1_clusters + 3 > CS / 2)
        return ERR("a disk of %llu bytes is too large for a qcow2 overlay", (unsigned long long)size);
    uint8_t *c = calloc(3, CS);
    if (!c)
        return ERR("out of memory");
    header(c, size, (uint32_t)l1_size);
    be64(c + CS, 2ull * CS);                            /* the table's one block */
    for (uint64_t k = 0; k < 3 + l1_clusters; k++)
        c[2 * CS + 2 * k + 1] = 1;                      /* big-endian 16-bit refcount 1 */
    int r = full_pwrite(fd, c, 3 * CS, 0) ||
            ftruncate(fd, (off_t)((3 + l1_clusters) * CS)) ? -1 : 0;
    free(c);
    return r ? ERR("cannot write the qcow2 image") : 0;
}

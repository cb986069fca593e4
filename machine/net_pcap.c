/*
 * -object filter-dump: frames in the classic libpcap file format (what
 * tcpdump -r and Wireshark read), little-endian, microsecond stamps:
 *
 *   file:   u32 magic 0xa1b2c3d4, u16 2, u16 4, i32 zone 0, u32 sigfigs 0,
 *           u32 snaplen, u32 link type 1 (Ethernet)
 *   frame:  u32 seconds, u32 microseconds, u32 bytes kept, u32 frame length
 */
#include "net.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

struct pcap_out {
    FILE *f;
    uint32_t maxlen;
};

struct pcap_out *pcap_open(const char *path, uint32_t maxlen, char *err, size_t errlen)
{
    struct pcap_out *p = calloc(1, sizeof *p);
    if (!p || !(p->f = fopen(path, "wb"))) {
        snprintf(err, errlen, "-object filter-dump: %s: %s", path, strerror(errno));
        free(p);
        return NULL;
    }
    p->maxlen = maxlen;
    const uint32_t hdr[6] = { 0xa1b2c3d4u, 2 | 4u << 16, 0, 0, maxlen, 1 };
    fwrite(hdr, sizeof hdr, 1, p->f);
    fflush(p->f);
    return p;
}

void pcap_write(struct pcap_out *p, const uint8_t *frame, size_t len)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    uint32_t keep = len < p->maxlen ? (uint32_t)len : p->maxlen;
    const uint32_t rec[4] = { (uint32_t)tv.tv_sec, (uint32_t)tv.tv_usec, keep, (uint32_t)len };
    fwrite(rec, sizeof rec, 1, p->f);
    fwrite(frame, 1, keep, p->f);
    fflush(p->f);
}

void pcap_close(struct pcap_out *p)
{
    if (p) {
        fclose(p->f);
        free(p);
    }
}

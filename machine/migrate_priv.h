/* What migrate.c (the source) and migrate_in.c (the target) share. */
#ifndef MACHINE_MIGRATE_PRIV_H
#define MACHINE_MIGRATE_PRIV_H
#include "migrate.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIG_MAGIC "HVMIGRAT"
#define MIG_VERSION 1u
#define MIG_PAGE 4096u
#define MIG_HEADER_LEN 20u          /* magic, u32 version, u64 ram size */
#define MIG_REC_HEAD 8u             /* u8 type, 3 zero bytes, u32 length */
#define MIG_MAX_PAYLOAD (256u << 20)
enum { MIG_PAGES = 1, MIG_STATE = 2, MIG_END = 3 };

/* A socket for uri: connected (source) or listening (target); -1 with err. */
int mig_socket(const char *uri, bool listen, char *err, size_t errlen);
/* The record's head and crc around payload, appended to *buf (grown). */
int mig_append(uint8_t **buf, size_t *len, size_t *cap, unsigned type, const void *payload,
               size_t n);
uint32_t mig_crc(unsigned type, const uint8_t *payload, uint32_t n);
#endif

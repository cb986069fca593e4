/* Whole transfers at a file offset: the image back ends' file access,
 * on plain and O_DIRECT descriptors alike. */
#ifndef DISK_FILE_IO_H
#define DISK_FILE_IO_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Transfer all len bytes at off, retrying short and interrupted calls:
 * 0, or -1 on an error or (reading) the end of the file. */
int full_pread(int fd, void *buf, size_t len, uint64_t off);
int full_pwrite(int fd, const void *buf, size_t len, uint64_t off);
/* Up to len bytes at off: the count read, short only at the end of the
 * file, or -1. */
ssize_t file_pread_upto(int fd, void *buf, size_t len, uint64_t off);
#endif

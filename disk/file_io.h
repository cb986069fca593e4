/* Whole transfers at a file offset: the image back ends' file access. */
#ifndef DISK_FILE_IO_H
#define DISK_FILE_IO_H
#include <stddef.h>
#include <stdint.h>

/* Transfer all len bytes at off, retrying short and interrupted calls:
 * 0, or -1 on an error or (reading) the end of the file. */
int full_pread(int fd, void *buf, size_t len, uint64_t off);
int full_pwrite(int fd, const void *buf, size_t len, uint64_t off);
#endif

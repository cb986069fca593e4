/*
 * Image locks as QEMU takes them (its block/file-posix.c scheme), so that
 * hartvm and QEMU see each other's: open-file-description (OFD) read locks
 * on single bytes of the image file,
 *
 *   byte 100 + p   "I use permission p"
 *   byte 200 + p   "I do not let others use permission p"
 *
 * for p = 0 consistent read, 1 write, 2 write unchanged, 3 resize. A writer
 * uses read, write and resize; every opener (writer or reader) shares
 * neither write nor resize. So a second writer is refused, and so is a
 * reader while a writer is there; readers share the file with each other.
 * The locks go when the descriptor is closed.
 */
#ifndef DISK_LOCK_H
#define DISK_LOCK_H
#include <stdbool.h>
#include <stddef.h>

/* Take the locks for a writer or a reader of fd, then check no one else's
 * conflict. Returns 0, or -1 with QEMU's message in err. */
int image_lock(int fd, bool writable, const char *path, char *err, size_t errlen);
#endif

/* -pidfile FILE, as QEMU keeps one: created and locked at start-up (a
 * second instance with the same file is refused), holding the process id,
 * removed at exit. */
#ifndef MACHINE_PIDFILE_H
#define MACHINE_PIDFILE_H
#include <stddef.h>

/* The descriptor holding the lock, or -1 with a message in err. */
int pidfile_open(const char *path, char *err, size_t errlen);
/* Remove the file and let go of the lock (fd < 0: nothing). */
void pidfile_close(const char *path, int fd);
#endif

#ifndef MACHINE_OPTIONS_H
#define MACHINE_OPTIONS_H
#include "machine.h"

enum parse_result { PARSE_OK, PARSE_EXIT_OK, PARSE_ERROR };

/* Parse a QEMU-style command line into opt. PARSE_EXIT_OK after --help or
 * --version; PARSE_ERROR with the reason in err (exit status 2). */
enum parse_result options_parse(int argc, char **argv, struct options *opt, FILE *out,
                                char *err, size_t errlen);
/* "128M", "1G", "512" (MiB, as QEMU reads a bare number). */
int parse_size(const char *s, uint64_t *out);
#endif

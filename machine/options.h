#ifndef MACHINE_OPTIONS_H
#define MACHINE_OPTIONS_H
#include "machine.h"
#include "option_table.h"

enum parse_result { PARSE_OK, PARSE_EXIT_OK, PARSE_ERROR };

/* Parse a QEMU-style command line into opt. PARSE_EXIT_OK after --help or
 * --version; PARSE_ERROR with the reason in err (exit status 2). */
enum parse_result options_parse(int argc, char **argv, struct options *opt, FILE *out,
                                char *err, size_t errlen);
/* hartvm's options, one row each (options.c). */
extern const struct opt_table options_table;
/* Parse VALUE as option NAME takes it (say "-m", "256M") into opt, from
 * the defaults: 0, or -1 with the reason alone in why ("need a size from
 * 1M to 64G"). For callers that pass options on (the fleet file). */
int options_check(const char *name, const char *value, struct options *opt, char *why,
                  size_t whylen);
/* "128M", "1G", "512" (MiB, as QEMU reads a bare number). */
int parse_size(const char *s, uint64_t *out);
#endif

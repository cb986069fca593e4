/* hartvm: parse the command line, build the machine, run it. */
#include "machine.h"
#include "options.h"
#include <stdlib.h>

int main(int argc, char **argv)
{
    struct options opt;
    char err[512];
    switch (options_parse(argc, argv, &opt, stdout, err, sizeof err)) {
    case PARSE_EXIT_OK:
        return 0;
    case PARSE_ERROR:
        fprintf(stderr, "hartvm: %s\n", err);
        return 2;
    case PARSE_OK:
        break;
    }
    struct machine *m = malloc(sizeof *m);
    if (!m) {
        fprintf(stderr, "hartvm: out of memory\n");
        return 1;
    }
    if (machine_init(m, &opt, err, sizeof err)) {
        fprintf(stderr, "hartvm: %s\n", err);
        machine_free(m);
        free(m);
        return 1;
    }
    int status = machine_run(m);
    machine_free(m);
    free(m);
    return status;
}

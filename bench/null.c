/* Nothing at all: the start-up and exit cost of each emulator, the baseline
 * against which the other rows' CPU seconds can be read. */
#include "bench.h"

uint64_t bench_main(void) { return 0; }
uint64_t bench_user_main(void) { return 0; }

/*
 * Proves that the harness can fail: case 3 expects a wrong sum, so this
 * program must stop with exit status 3. run.sh counts it as passed only
 * when it fails in exactly that case; cases 1 and 2 must pass first.
 * run.sh reads the expected case from the next line (it must start "#").
# expect-fail: 3
 */
#include "harness.h"

TEST_BEGIN
    T_RR(1, add, 5, 2, 3)
    T_RI(2, addi, 9, 4, 5)
    T_RR(3, add, 6, 2, 2)       /* wrong on purpose: 2 + 2 is 4 */
    T_RR(4, add, 8, 4, 4)
TEST_END

#!/bin/bash
# Short differential check of the FP core against GNU MPFR (tests/fp/):
# tests/system/fp_oracle.sh BUILD. Prints "fp-oracle: P passed, F failed".
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
make -s BUILD="$BUILD" "$BUILD/fp-oracle" || { echo "fp-oracle: 0 passed, 1 failed"; exit 1; }
"$BUILD/fp-oracle" -n 10000

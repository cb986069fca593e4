#!/bin/bash
# Short differential check of the FP core against GNU MPFR (tests/fp/):
# tests/system/fp_oracle.sh BUILD. Prints "fp-oracle: P passed, F failed".
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
NAME=fp-oracle
. tests/system/lib/check.sh
make -s BUILD="$BUILD" "$BUILD/fp-oracle" || give_up "cannot build $BUILD/fp-oracle"
"$BUILD/fp-oracle" -n 10000

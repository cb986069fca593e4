#!/bin/bash
# The virtio-net fuzz harness (fuzz/fuzz_vnet.c) as a test suite: regression
# inputs, seeds and a short libFuzzer run (FUZZ_SECONDS, default 30). $1 (the
# build directory) is unused: harnesses always build into build-fuzz/ with clang.
exec "$(dirname "$0")/../../fuzz/run.sh" vnet

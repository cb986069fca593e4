#!/bin/bash
# The long FP oracle run: tests/fp/long.sh FP_ORACLE VECTORS [SEED]
# Runs every operation (VECTORS per operation and rounding mode) with one
# process per CPU, then prints the mismatches and the totals.
set -u
oracle=$1 n=$2 seed=${3:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$oracle" -l | xargs -P "$(nproc)" -I{} sh -c '"$1" -n "$2" -s "$3" -o "$4" > "$5/$4.log"' _ "$oracle" "$n" "$seed" {} "$out"
cat "$out"/*.log | grep -v '^fp-oracle:' 
awk '/^fp-oracle: [0-9]+ vectors/ { v += $2; x = $4; gsub(/\(/, "", x); c += x }
     /^fp-oracle: [0-9]+ passed/ { p += $2; f += $4 }
     END { printf "fp-oracle-long: %d vectors, %d core comparisons\nfp-oracle: %d passed, %d failed\n", v, c, p, f;
           exit f != 0 || p == 0 }' "$out"/*.log

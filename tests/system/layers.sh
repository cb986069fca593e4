#!/bin/bash
# The source tree's layering, from its #include lines:
#   - the core (cpu/, mmu/, virtio/, disk/) includes nothing from the board
#     (machine/), the front ends (monitor/) or the window (ui/);
#   - between directories the include graph has no cycle;
#   - nothing but ui/ includes SDL headers, and only the monitor includes
#     readline and inih;
#   - the unit tests link the core library, not readline or inih;
#   - the checker itself sees a cycle and a core include planted in a copy.
# Usage: tests/system/layers.sh [BUILD_DIR]   (prints "layers: P passed, F failed")
set -u
cd "$(dirname "$0")/../.."
NAME=layers
show_passes=1
. tests/system/lib/check.sh
fail() { bad "$1"; }
DIRS="cpu mmu virtio disk machine monitor ui"

# edges ROOT: "from to" for every #include "../to/..." in ROOT/from (and
# machine/dev/ etc. count as their top directory).
edges() {
    local root=$1 d
    for d in $DIRS; do
        [ -d "$root/$d" ] || continue
        grep -rhoE '#include "(\.\./)+[a-z_]+/' --include='*.[ch]' --include='*.def' "$root/$d" |
            sed -E 's|#include "(\.\./)+||; s|/$||' | sort -u |
            while read -r to; do
                case " $DIRS " in *" $to "*) [ "$to" != "$d" ] && echo "$d $to" ;; esac
            done
    done | sort -u
}
# acyclic EDGES_FILE: tsort finds no loop (every directory is a node).
acyclic() { { cat "$1"; for d in $DIRS; do echo "$d $d"; done; } | tsort >/dev/null 2>"$tmp/tsort.err" &&
            ! grep -q loop "$tmp/tsort.err"; }
core_clean() { ! grep -qE '^(cpu|mmu|virtio|disk) (machine|monitor|ui)$' "$1"; }

edges . >"$tmp/edges"
echo "  include graph between directories:"; sed 's/^/    /' "$tmp/edges"
if core_clean "$tmp/edges"; then ok "cpu/, mmu/, virtio/ and disk/ include nothing from machine/, monitor/ or ui/"
else fail "the core includes from above: $(grep -E '^(cpu|mmu|virtio|disk) (machine|monitor|ui)$' "$tmp/edges" | tr '\n' ';')"
     grep -rnE '#include "(\.\./)+(machine|monitor|ui)/' cpu mmu virtio disk | sed 's/^/    /'; fi
if acyclic "$tmp/edges"; then ok "no cycle between directories"
else fail "a cycle between directories: $(cat "$tmp/tsort.err" | tr '\n' ' ')"; fi

sdl=$(grep -rlE '#include [<"]SDL' --include='*.[ch]' $DIRS | grep -v '^ui/')
if [ -z "$sdl" ]; then ok "only ui/ includes SDL"; else fail "SDL included by: $sdl"; fi
rl=$(grep -rlE '#include [<"](readline/|ini\.h)' --include='*.[ch]' $DIRS | grep -v '^monitor/')
if [ -z "$rl" ]; then ok "only monitor/ includes readline and inih"; else fail "readline/inih in: $rl"; fi

# The unit tests: the core library and libfdt/zlib, never the front ends'
# readline or inih (ldd lists what the dynamic linker would load).
BUILD=${1:-build}
if make -s BUILD="$BUILD" "$BUILD/libhartvm-core.a" $(ls tests/unit/test_*.c | sed "s|tests/unit/\(.*\)\.c|$BUILD/unit/\1|") >"$tmp/make.log" 2>&1; then
    n=0 linked=""
    for t in "$BUILD"/unit/test_*; do
        [ -x "$t" ] || continue
        n=$((n + 1))
        ldd "$t" | grep -qE 'libreadline|libinih' && linked="$linked $(basename "$t")"
    done
    check "$n unit test binaries, none linking readline or inih${linked:+ (linked:$linked)}" \
        test "$n" -gt 0 -a -z "$linked"
else
    fail "build the core library and the unit tests: $(tail -n 1 "$tmp/make.log")"
fi

# The checker must be able to fail: a copy of the tree with mmu/ including
# machine/ (a cycle, and the core reaching up).
mkdir -p "$tmp/tree"
for d in $DIRS; do [ -d "$d" ] && cp -r "$d" "$tmp/tree/"; done
echo '#include "../machine/machine.h"' >>"$tmp/tree/mmu/bus.h"
edges "$tmp/tree" >"$tmp/bad"
if ! core_clean "$tmp/bad"; then ok "a planted core include is seen"; else fail "a planted core include went unseen"; fi
if ! acyclic "$tmp/bad"; then ok "a planted cycle is seen"; else fail "a planted cycle went unseen"; fi

summary

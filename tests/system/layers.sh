#!/bin/bash
# The source tree's layering, from its #include lines:
#   - the core (cpu/, mmu/, virtio/, disk/) includes nothing from the board
#     (machine/), the front ends (monitor/) or the window (ui/);
#   - between directories the include graph has no cycle;
#   - nothing but ui/ includes SDL headers, and only the monitor includes
#     readline and inih;
#   - no object of the core calls a function defined above it (nm);
#   - the unit tests link the core library, not readline or inih;
#   - the checker itself sees a cycle and a core include planted in a copy.
# Usage: tests/system/layers.sh [BUILD_DIR]   (prints "layers: P passed, F failed")
set -u
cd "$(dirname "$0")/../.."
NAME=layers
show_passes=1
. tests/system/lib/check.sh
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
else bad "the core includes from above: $(grep -E '^(cpu|mmu|virtio|disk) (machine|monitor|ui)$' "$tmp/edges" | tr '\n' ';')"
     grep -rnE '#include "(\.\./)+(machine|monitor|ui)/' cpu mmu virtio disk | sed 's/^/    /'; fi
if acyclic "$tmp/edges"; then ok "no cycle between directories"
else bad "a cycle between directories: $(cat "$tmp/tsort.err" | tr '\n' ' ')"; fi

sdl=$(grep -rlE '#include [<"]SDL' --include='*.[ch]' $DIRS | grep -v '^ui/')
if [ -z "$sdl" ]; then ok "only ui/ includes SDL"; else bad "SDL included by: $sdl"; fi
rl=$(grep -rlE '#include [<"](readline/|ini\.h)' --include='*.[ch]' $DIRS | grep -v '^monitor/')
if [ -z "$rl" ]; then ok "only monitor/ includes readline and inih"; else bad "readline/inih in: $rl"; fi

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
    bad "build the core library and the unit tests: $(tail -n 1 "$tmp/make.log")"
fi

# Calls, not only includes: no symbol the core's objects need is defined by
# an object of machine/, monitor/ or ui/.
syms() { nm -P "$@" 2>/dev/null | awk -v want="$KIND" '$2 ~ want { print $1 }' | sort -u; }
core_objs=$(ls "$BUILD"/{cpu,mmu,virtio,disk}/*.o 2>/dev/null)
upper_objs=$(find "$BUILD"/machine "$BUILD"/monitor "$BUILD"/ui -name '*.o' 2>/dev/null)
if [ -n "$core_objs" ] && [ -n "$upper_objs" ]; then
    KIND='^U$' syms $core_objs >"$tmp/need"
    KIND='^[TDBR]$' syms $core_objs >"$tmp/have"
    KIND='^[TDBR]$' syms $upper_objs >"$tmp/upper"
    up=$(comm -23 "$tmp/need" "$tmp/have" | comm -12 - "$tmp/upper" | tr '\n' ' ')
    check "the core's objects call nothing defined above them${up:+ (they call: $up)}" test -z "$up"
    # and the check sees such a call: a core object that calls the run loop
    printf 'int machine_run(void *m);\nint layers_probe(void *m) { return machine_run(m); }\n' >"$tmp/probe.c"
    cc -c "$tmp/probe.c" -o "$tmp/probe.o"
    KIND='^U$' syms $core_objs "$tmp/probe.o" >"$tmp/need2"
    seen=$(comm -13 "$tmp/need" "$tmp/need2" | comm -23 - "$tmp/have" | comm -12 - "$tmp/upper")
    check "a planted upward call is seen ($seen)" test "$seen" = machine_run
else
    bad "no objects in $BUILD to check the calls of"
fi

# The checker must be able to fail: a copy of the tree with mmu/ including
# machine/ (a cycle, and the core reaching up).
mkdir -p "$tmp/tree"
for d in $DIRS; do [ -d "$d" ] && cp -r "$d" "$tmp/tree/"; done
echo '#include "../machine/machine.h"' >>"$tmp/tree/mmu/bus.h"
edges "$tmp/tree" >"$tmp/bad"
if ! core_clean "$tmp/bad"; then ok "a planted core include is seen"; else bad "a planted core include went unseen"; fi
if ! acyclic "$tmp/bad"; then ok "a planted cycle is seen"; else bad "a planted cycle went unseen"; fi

summary

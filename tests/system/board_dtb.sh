#!/bin/bash
# The generated device tree against QEMU's own (qemu-system-riscv64 -M
# virt,dumpdtb=F) for the same -m/-smp/-append/-initrd: every node we
# generate must exist in QEMU's tree with the same properties, byte for
# byte, except phandle numbers (compared by the node they point to) and
# riscv,isa (each emulator names its own extensions; riscv,isa-base and
# riscv,isa-extensions, the newer binding, are ours alone). QEMU's properties on
# those nodes must exist in ours too, but for rng-seed (not modelled).
# Usage: board_dtb.sh BUILD_DIR
set -u
BUILD=${1:-build}
HARTVM=$BUILD/hartvm
QEMU=qemu-system-riscv64
KERNEL=/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
NAME=board_dtb
. "$(dirname "$0")/lib/check.sh"
need $QEMU fdtget dtc

# Flatten a tree to "path<TAB>property<TAB>value" lines (one "path<TAB>{"
# line per node), phandle references replaced by the path they name.
flatten() {
    dtc -I dtb -O dts "$1" 2>/dev/null | awk -F'\t' '
    function path() { p = ""; for (i = 1; i <= depth; i++) p = p "/" stack[i]; return p == "" ? "/" : p }
    function parse(line) {
        sub(/^[ \t]+/, "", line); sub(/;$/, "", line)
        if (line ~ / [{]$/) { n = line; sub(/ [{]$/, "", n); if (n != "/") stack[++depth] = n; return "node" }
        if (line == "}") { if (depth > 0) depth--; return "end" }
        eq = index(line, " = ")
        if (eq) { prop = substr(line, 1, eq - 1); val = substr(line, eq + 3) } else { prop = line; val = "" }
        return "prop"
    }
    FNR == 1 { depth = 0 }
    NR == FNR {             # pass 1: phandles
        if (parse($0) == "prop" && prop == "phandle") { v = val; gsub(/[<>]/, "", v); ph[v] = path() }
        next
    }
    {
        t = parse($0)
        if (t == "node") { print path() "\t{"; next }
        if (t != "prop") next
        if (prop == "interrupt-parent" || prop == "regmap" || prop == "cpu" || prop == "interrupts-extended") {
            v = val; gsub(/[<>]/, "", v); k = split(v, w, " "); out = ""
            step = prop == "interrupts-extended" ? 2 : 1
            for (i = 1; i <= k; i += step)
                out = out ph[w[i]] (step == 2 ? ":" w[i + 1] : "") " "
            val = out
        }
        print path() "\t" prop "\t" val
    }' - <(dtc -I dtb -O dts "$1" 2>/dev/null)
}

# Compare our tree $1 with QEMU's $2; case label $3. Prints one line per
# difference; the exit status is the number of nodes compared clean.
compare() {
    flatten "$1" > "$tmp/ours.txt"; flatten "$2" > "$tmp/theirs.txt"
    awk -F'\t' -v label="$3" '
    NR == FNR { theirs[$1 "\t" $2] = $3; if ($2 == "{") tnode[$1] = 1; else tprops[$1] = tprops[$1] "\t" $2; next }
    $2 == "{" { nodes[++nn] = $1; next }
    { ours[$1 "\t" $2] = $3; oprops[$1] = oprops[$1] "\t" $2 }
    END {
        clean = 0
        for (i = 1; i <= nn; i++) {
            n = nodes[i]; bad = 0
            if (!(n in tnode)) { print "FAIL " label ": node " n " is not in QEMU'"'"'s tree"; continue }
            k = split(oprops[n], ps, "\t")
            for (j = 2; j <= k; j++) {
                p = ps[j]; if (p == "phandle" || p ~ /^riscv,isa/) continue
                if (!((n "\t" p) in theirs)) { print "FAIL " label ": " n " " p ": QEMU has none"; bad = 1 }
                else if (ours[n "\t" p] != theirs[n "\t" p]) {
                    print "FAIL " label ": " n " " p ": ours " ours[n "\t" p] ", QEMU " theirs[n "\t" p]; bad = 1 }
            }
            k = split(tprops[n], ps, "\t")
            for (j = 2; j <= k; j++)
                if (ps[j] != "rng-seed" && !((n "\t" ps[j]) in ours)) { print "FAIL " label ": " n ": no " ps[j]; bad = 1 }
            if (!bad) clean++
        }
        print "CLEAN " clean " " nn
    }' "$tmp/theirs.txt" "$tmp/ours.txt"
}

# Run compare and count: each clean node passes, each difference fails.
check_tree() {
    local out clean total
    out=$(compare "$@")
    while IFS= read -r l; do
        case $l in
        FAIL*) bad "${l#FAIL }" ;;
        CLEAN*) read -r _ clean total <<<"$l"
                for ((; clean > 0; clean--)); do ok; done
                [ "$total" -gt 20 ] || bad "$3: only $total nodes generated" ;;
        esac
    done <<<"$out"
}

echo initrd-contents > "$tmp/init-rd"
config=0
for args in "-m 128M -smp 1" "-m 128M -smp 4" "-m 256M -smp 8" "-m 1G -smp 2" \
            "-m 128M -smp 2 -kernel $KERNEL -append console=ttyS0~root=/dev/vda -initrd $tmp/init-rd" \
            "-m 128M -smp 1 -cpu rv64,pmu-num=4,sscofpmf=true" \
            "-m 128M -smp 1 -netdev user,id=n0 -device virtio-net-device,netdev=n0,bus=virtio-mmio-bus.2"; do
    config=$((config + 1))
    # Word-split the arguments; "~" in the -append value stands for a space.
    read -r -a a <<<"$args"
    for i in "${!a[@]}"; do a[$i]=${a[$i]//\~/ }; done
    if ! $HARTVM "${a[@]}" --dump-dtb "$tmp/ours.dtb" </dev/null; then
        bad "config $config: hartvm --dump-dtb failed for ${a[*]}"; continue
    fi
    if ! $QEMU -M "virt,dumpdtb=$tmp/qemu.dtb" "${a[@]}" -nographic >/dev/null 2>&1 </dev/null; then
        bad "config $config: qemu dumpdtb failed for ${a[*]}"; continue
    fi
    check_tree "$tmp/ours.dtb" "$tmp/qemu.dtb" "config $config (${a[*]})"
done

# --mmu sv39 is announced in every cpu node; -dtb FILE replaces the tree.
$HARTVM --mmu sv39 -smp 2 --dump-dtb "$tmp/sv39.dtb" </dev/null
if [ "$(fdtget "$tmp/sv39.dtb" /cpus/cpu@1 mmu-type 2>/dev/null)" = riscv,sv39 ]; then ok
else bad "--mmu sv39: mmu-type is not riscv,sv39"; fi
$HARTVM -dtb "$tmp/qemu.dtb" -append "from-dtb" --dump-dtb "$tmp/dtb.dtb" </dev/null
if [ "$(fdtget "$tmp/dtb.dtb" / model 2>/dev/null)" = "riscv-virtio,qemu" ] &&
   [ -n "$(fdtget -l "$tmp/dtb.dtb" /soc 2>/dev/null | grep pci@)" ] &&
   [ "$(fdtget "$tmp/dtb.dtb" /chosen bootargs 2>/dev/null)" = "from-dtb" ]; then ok
else bad "-dtb FILE: tree not taken from the file with bootargs set"; fi

summary

#!/bin/bash
# The gdb remote stub (monitor/gdbstub.c) driven by gdb-multiarch in batch
# mode, as an OS course drives QEMU: -S -gdb tcp::PORT, -s, -gdb unix:PATH,
# breakpoints at symbols, registers, steps, disassembly, watchpoints,
# threads with -smp 2, Ctrl-C, detach, kill, monitor commands; the same
# scripts against qemu-system-riscv64 must stop at the same addresses with
# the same register values and thread counts. Then the protocol's edges
# with a raw client: bad checksums, an oversized packet, a second client, a
# hang-up mid-packet. Expected values come from the guest's source and its
# symbols (nm), never from hartvm itself.
# Usage: tests/system/gdb_stub.sh BUILD_DIR
set -u
BUILD=${1:-build}
cd "$(dirname "$0")/../.."
HARTVM=$BUILD/hartvm
NAME=gdb_stub
. tests/system/lib/check.sh
. tests/system/lib/gdb.sh
need_hartvm
need gdb-multiarch riscv64-unknown-elf-gcc ss python3

G=$tmp/guest.elf
rv_cc "$G" tests/system/debugger_guest.c -g -O1 -fno-omit-frame-pointer -fno-inline || give_up "cannot build the guest"
S=$tmp/spin.elf
cat >"$tmp/spin.S" <<'ASM'
.globl _start
_start:
    csrr a0, mhartid
    li t0, 0
spin:
    addi t0, t0, 1
    j spin
ASM
rv_cc "$S" "$tmp/spin.S" -g || give_up "cannot build the spinning guest"
sym() { printf '0x%x' "$((16#$(riscv64-unknown-elf-nm "$1" | awk -v s="$2" '$3 == s { print $1 }')))"; }
LEAF=$(sym "$G" leaf)
QEMU=$(command -v qemu-system-riscv64 || true)

port=$((20000 + RANDOM % 20000))
# start NAME ARGS...: hartvm with ARGS in the background, its pid in $hv,
# output in $tmp/NAME.hv (started ... waits for it to listen)
start() {
    local n=$1; shift
    timeout 60 "$HARTVM" -nographic -bios none "$@" >"$tmp/$n.hv" 2>&1 &
    hv=$!
    at_exit "kill $hv 2>/dev/null"
}
started() { wait_pid=$hv wait_until 10 "$@"; }
# finish: hartvm's exit status in $st
finish() { st=0; wait "$hv" || st=$?; }
# gdbrun NAME TARGET CMD...: gdb-multiarch -batch on the guest file $elf
gdbrun() {
    local n=$1 target=$2; shift 2
    local args=() c
    for c in "$@"; do args+=(-ex "$c"); done
    timeout 60 gdb-multiarch -q -batch -ex "file $elf" -ex "target remote $target" "${args[@]}" \
        >"$tmp/$n.gdb" 2>&1 </dev/null
}

# ---- a session: reset, breakpoint, registers, steps, watchpoint, exit ------
elf=$G
SESSION=('p/x $pc' 'break leaf' 'continue' 'bt' 'p/x $pc' 'p/x $sp' 'p/x $ra' 'p $a0' 'p $priv'
         'stepi' 'p/x $pc' 'x/4i $pc' 'next' 'info registers pc' 'info registers mstatus'
         'delete' 'watch results[1]' 'continue' 'p/x $pc' 'p results[1]' 'delete'
         'x/x 0' 'set {long}&results[3] = 42' 'p results[3]' 'p/x $fcsr' 'info threads' 'continue')
port=$((port + 1))
start s -kernel "$G" -S -gdb "tcp::$port"
check "listens on tcp::$port" started listening $port
gdbrun s ":$port" "${SESSION[@]}"
finish
check "exit status 0 after gdb's continue to the end (got $st)" test "$st" = 0
like s.gdb '^Breakpoint 1, leaf \(x=x@entry=0\) at .*debugger_guest.c:[0-9]+'
like s.gdb '^#1 .* in middle \(x=x@entry=0\)'
like s.gdb '^#2 .* in main \(\)'
mapfile -t v < <(vals s.gdb)
check "stopped at the reset vector 0x1000 (got ${v[0]-})" test "${v[0]-}" = 0x1000
check "the breakpoint's pc is in leaf ($LEAF..+16: ${v[1]-})" \
    test "$((${v[1]:-0}))" -ge "$((LEAF))" -a "$((${v[1]:-0}))" -lt "$((LEAF + 16))"
check "a0 (x) is 0 at the first call (got ${v[4]-})" test "${v[4]-}" = 0
check "priv is M (got ${v[5]-})" test "${v[5]-}" = 3
check "stepi moved the pc by 2 or 4" test "$((${v[6]:-0} - ${v[1]:-0}))" -eq 2 -o "$((${v[6]:-0} - ${v[1]:-0}))" -eq 4
check "x/4i \$pc shows 4 instructions from the pc" \
    test "$(grep -cE '^(=>)? +0x[0-9a-f]+ <leaf\+[0-9]+>:' "$tmp/s.gdb")" -eq 4
like s.gdb '^=> 0x[0-9a-f]+ <leaf\+[0-9]+>:'
like s.gdb '^mstatus +0x'
like s.gdb '^Hardware watchpoint 2: results\[1\]'
has s.gdb 'Old value = 0'
has s.gdb 'New value = 5'
check "results[1] is 5 after the watchpoint (x*3+1+1, x=1; got ${v[8]-})" test "${v[8]-}" = 5
like s.gdb '^0x0:.*Cannot access memory at address 0x0'
check "memory written through M is read back (got ${v[9]-})" test "${v[9]-}" = 42
like s.gdb '^\* 1 +Thread 1 "hart 0"'
has s.gdb '[Inferior 1 (Remote target) exited normally]'

# the same session on QEMU: the same stops and values
if [ -n "$QEMU" ]; then
    port=$((port + 1))
    timeout 60 "$QEMU" -M virt -display none -serial null -monitor none -bios none -kernel "$G" \
        -S -gdb "tcp::$port" >"$tmp/q.out" 2>&1 &
    qpid=$!
    at_exit "kill $qpid 2>/dev/null"
    wait_pid=$qpid wait_until 10 listening $port
    gdbrun q ":$port" "${SESSION[@]}"
    wait "$qpid"
    mapfile -t q < <(vals q.gdb)
    # fcsr (the last) is missing from QEMU 7.2's description of this cpu: not compared
    for i in 0 1 2 3 4 5 6 7 8 9; do
        check "value $i as on QEMU (${v[i]-} vs ${q[i]-})" test "${v[i]-x}" = "${q[i]-y}"
    done
    check "the same stop lines as on QEMU" \
        cmp -s <(grep -E '^(Breakpoint|Hardware|Old|New|#[0-9])' "$tmp/s.gdb") \
               <(grep -E '^(Breakpoint|Hardware|Old|New|#[0-9])' "$tmp/q.gdb")
else
    bad "qemu-system-riscv64 missing: no comparison"
fi

# ---- read and access watchpoints stop where QEMU's do ---------------------
WATCH=('rwatch counter' 'continue' 'p/x $pc' 'delete' 'awatch results[2]' 'continue' 'p/x $pc' 'kill')
port=$((port + 1))
start w -kernel "$G" -S -gdb "tcp::$port"
started listening $port
gdbrun w ":$port" "${WATCH[@]}"
finish
like w.gdb '^Hardware read watchpoint 1: counter'
like w.gdb '^Hardware access \(read/write\) watchpoint 2: results\[2\]'
check "k ends hartvm with status 0 (got $st)" test "$st" = 0
like w.hv 'killed by gdb'
if [ -n "$QEMU" ]; then
    port=$((port + 1))
    timeout 60 "$QEMU" -M virt -display none -serial null -monitor none -bios none -kernel "$G" \
        -S -gdb "tcp::$port" >"$tmp/q.out" 2>&1 &
    qpid=$!
    wait_pid=$qpid wait_until 10 listening $port
    gdbrun qw ":$port" "${WATCH[@]}"
    wait "$qpid"
    check "watchpoint stops as on QEMU ($(vals w.gdb | xargs) vs $(vals qw.gdb | xargs))" \
        test "$(vals w.gdb | xargs)" = "$(vals qw.gdb | xargs)"
fi

# ---- two harts: threads, Ctrl-C, stepping one hart ------------------------
elf=$S
SMP=('continue' 'info threads' 'thread 2' 'p $a0' 'p $t0 > 0' 'stepi' 'stepi' 'p/x $pc' 'info threads'
     'monitor info harts' 'detach')
port=$((port + 1))
start t -kernel "$S" -smp 2 -gdb "tcp::$port" --timeout 20
check "-gdb without -S: listens while the guest runs" started listening $port
# gdb gets SIGINT during its continue, as from Ctrl-C, and sends 0x03
ctrl_c t.gdb -ex "file $S" -ex "target remote :$port" "${SMP[@]/#/-ex=}"
like t.gdb 'received signal SIGINT, Interrupt\.'
like t.gdb '^\* 1 +Thread 1 "hart 0" spin'
like t.gdb '^  2 +Thread 2 "hart 1" spin'
mapfile -t v < <(vals t.gdb)
check "thread 2 is hart 1 (a0 = mhartid = ${v[0]-})" test "${v[0]-}" = 1
check "the spinning guest ran before the interrupt" test "${v[1]-}" = 1
check "two stepi of hart 1 came back to spin (got ${v[2]-})" test "${v[2]-}" = "$(sym "$S" spin)"
like t.gdb '^\* hart 1 .*runnable'
like t.gdb 'Remote target\) detached'
finish
check "detached, the guest ran on to --timeout (124, got $st)" test "$st" = 124
if [ -n "$QEMU" ]; then
    port=$((port + 1))
    timeout 60 "$QEMU" -M virt -display none -serial null -monitor none -bios none -kernel "$S" \
        -smp 2 -S -gdb "tcp::$port" >"$tmp/q.out" 2>&1 &
    qpid=$!
    wait_pid=$qpid wait_until 10 listening $port
    timeout 20 gdb-multiarch -q -batch -ex "file $S" -ex "target remote :$port" -ex 'info threads' \
        -ex kill >"$tmp/qt.gdb" 2>&1 </dev/null
    wait "$qpid"
    check "as many threads as QEMU" test "$(grep -cE '^[* ] +[0-9]+ +Thread ' "$tmp/qt.gdb")" = \
        "$(grep -c '^[* ] [0-9] *Thread' "$tmp/t.gdb" | awk '{ print $1 / 2 }')"
fi

# ---- -s, unix sockets, monitor commands, detach at a breakpoint ------------
elf=$G
if ! listening 1234; then
    timeout 60 "$HARTVM" -nographic -bios none -kernel "$G" -S -s >"$tmp/d.hv" 2>&1 &
    hv=$!
    at_exit "kill $hv 2>/dev/null"
    check "-s listens on tcp::1234" started listening 1234
    # a breakpoint of the console's (monitor break) stops gdb's continue too
    gdbrun d ":1234" 'break middle' 'continue' 'monitor info regs' 'monitor hart 7' 'monitor continue' \
        'delete' 'monitor break leaf' 'continue' 'p/x $pc' 'monitor info break' 'detach'
    finish
    like d.gdb '^Breakpoint 1, middle'
    like d.gdb '^pc +0x[0-9a-f]+ +<middle'
    like d.gdb 'use gdb.s own command'
    like d.gdb "^hart: '7': harts are 0 to 0"
    like d.gdb 'received signal SIGTRAP'
    check "the console's breakpoint stopped at leaf ($LEAF)" test "$(vals d.gdb)" = "$LEAF"
    like d.gdb '^[0-9]+ +breakpoint +0x0*'"${LEAF#0x}"' +<leaf>'
    check "detached at a breakpoint: the guest ran on and passed (got $st)" test "$st" = 0
else
    bad "port 1234 is taken: -s not tested"
fi
# a breakpoint where nothing is mapped yet (a kernel's, before its MMU is
# on) is accepted and waits: the guest runs to its end
port=$((port + 1))
start p -kernel "$G" -S -gdb "tcp::$port"
started listening $port
gdbrun p ":$port" 'set breakpoint always-inserted on' 'break *0xffffffff80001000' 'monitor info break' 'continue'
finish
like p.gdb '^Breakpoint 1 at 0xffffffff80001000'
like p.gdb '^1 +breakpoint +0xffffffff80001000 .*pending'
has p.gdb '[Inferior 1 (Remote target) exited normally]'
check "a pending breakpoint: the guest ran to its end (got $st)" test "$st" = 0
start u -kernel "$G" -S -gdb "unix:$tmp/gdb.sock,server"
check "-gdb unix:PATH,server makes the socket" started test -S "$tmp/gdb.sock"
gdbrun u "$tmp/gdb.sock" 'break leaf' 'continue' 'p $a0' 'continue' 'p $a0' 'delete' 'continue'
finish
check "unix socket session to the end (got $st)" test "$st" = 0
check "the second hit of leaf has x=1" test "$(vals u.gdb | xargs)" = "0 1"
check "the socket is gone after the run" test ! -e "$tmp/gdb.sock"

# ---- the console's gdbserver: gdb drives until it detaches, then the prompt --
port=$((port + 1))
printf 'gdbserver %s\ninfo regs\ncontinue\n' "$port" >"$tmp/gs.cmds"
start gs -kernel "$G" --debug-script "$tmp/gs.cmds" </dev/null
check "gdbserver PORT listens" started listening $port
gdbrun gs ":$port" 'break leaf' 'continue' 'detach'
finish
like gs.gdb '^Breakpoint 1, leaf'
like gs.hv "^Waiting for gdb on tcp::$port"
has gs.hv 'gdb detached.'
like gs.hv '^pc +0x0*'"${LEAF#0x}"' +<leaf>'
check "the prompt's continue after gdb detached runs to the end (got $st)" test "$st" = 0

# ---- the fleet: gdb NAME starts the stub in a running instance -------------
cp "$S" "$tmp/fspin.elf"
printf '[spin]\nbios = none\nkernel = fspin.elf\nharts = 2\n' >"$tmp/f.ini"
# the console's next command once gdb has detached ($tmp/f.done)
( cd "$tmp" && { echo 'gdb spin'; for _ in $(seq 300); do [ -e f.done ] && break; sleep 0.2; done
                 echo 'monitor spin info harts'; echo quit; } |
    timeout 60 "$ROOT/$HARTVM" fleet f.ini >"$tmp/f.out" 2>&1 ) &
fl=$!
at_exit "kill $fl 2>/dev/null"
fgrep_port() { sed -n "s/.*target remote :\([0-9]*\)'.*/\1/p" "$tmp/f.out" 2>/dev/null | head -1 | grep .; }
check "fleet: gdb NAME prints the port it listens on" wait_until 10 fgrep_port >/dev/null
fport=$(fgrep_port)
elf=$S
ctrl_c f.gdb -ex "file $S" -ex "target remote :$fport" -ex 'info threads' \
    -ex continue -ex 'p $t0 > 0' -ex detach
touch "$tmp/f.done"
wait "$fl"
like f.gdb '^  2 +Thread 2 "hart 1" spin'
like f.gdb 'received signal SIGINT, Interrupt\.'
check "fleet: the instance's guest ran under gdb" test "$(vals f.gdb)" = 1
like f.gdb 'Remote target\) detached'
like f.out '^[* ] hart 1 +M-mode .*runnable'
like f.out '^\[spin\] stopped after'

# ---- SIGINT to hartvm with no gdb attached ends it (130), as without -gdb ---
port=$((port + 1))
start i -kernel "$S" -gdb "tcp::$port" </dev/null
started listening $port
kill -INT "$hv"
finish
check "SIGINT with no client: exit 130 (got $st)" test "$st" = 130

# ---- a guest stuck for good with no gdb attached ends as without -gdb (121) ---
printf '.globl _start\n_start:\n    wfi\n    j _start\n' >"$tmp/wfi.S"
rv_cc "$tmp/wfi.elf" "$tmp/wfi.S"
port=$((port + 1))
timeout 20 "$HARTVM" -nographic -bios none -kernel "$tmp/wfi.elf" -gdb "tcp::$port" </dev/null >"$tmp/wfi.out" 2>&1
st=$?
check "a dead wait with the stub listening exits 121 (got $st)" test "$st" = 121
like wfi.out 'every hart waits in wfi'

# ---- -S without -gdb: the debugger prompt's continue starts it --------------
printf 'info regs\ncontinue\n' | timeout 20 "$HARTVM" -nographic -bios none -kernel "$G" -S >"$tmp/S.out" 2>&1
st=$?
check "-S alone: stopped at reset, continue runs to the end (got $st)" test "$st" = 0
like S.out 'stopped at reset'
like S.out 'machine exited: status 0'

# ---- the protocol's edges, with a raw client -------------------------------
port=$((port + 1))
start r -kernel "$G" -S -gdb "tcp::$port"
started listening $port
python3 - "$port" >"$tmp/raw.out" 2>&1 <<'PY'
import socket, sys, time
port = int(sys.argv[1])
def pkt(p):
    b = p.encode('latin1')
    return b'$' + b + b'#%02x' % (sum(b) % 256)
def recv(s, want=1):
    s.settimeout(5)
    data = b''
    try:
        while True:
            data += s.recv(65536)
            if data.count(b'#') >= want and len(data) >= data.rfind(b'#') + 3:
                return data
    except socket.timeout:
        return data
a = socket.create_connection(("127.0.0.1", port))
a.sendall(b'$g#00')
print("badsum", a.recv(1))                      # b'-': resend
a.sendall(pkt('?'))
print("stop", recv(a))
b = socket.create_connection(("127.0.0.1", port))
b.settimeout(5)
try:
    print("second", b.recv(16))                # b'': refused, closed at once
except Exception as e:
    print("second", repr(e))
big = 'm' + '0' * 20000
a.sendall(pkt(big))
print("big", recv(a))
a.sendall(pkt('m0,8'))
print("fault", recv(a))
a.sendall(pkt('Z0,1,2'))
print("odd", recv(a))
a.sendall(pkt('p1041'))
print("priv", recv(a))
a.sendall(pkt('qRcmd,696e666f2068617274'))   # "info hart": output then OK
print("rcmd", recv(a, 2))
a.sendall(pkt('vCont;c'))
time.sleep(0.1)
a.sendall(b'$m80000000,')                      # gone mid-packet
a.close()
PY
finish
like raw.out "^badsum b'-'"
like raw.out "^stop b'\\+\\\$T05thread:1;#"
like raw.out "^second b''"
like raw.out "^big b'\\+\\\$E16#"
like raw.out "^fault b'\\+\\\$E0e#"
like raw.out "^odd b'\\+\\\$E0e#"
like raw.out "^priv b'\\+\\\$0300000000000000#"
like raw.out "^rcmd b'\\+\\\$O[0-9a-f]+#..\\\$OK#"
check "a client gone mid-packet: the guest ran on to its end (got $st)" test "$st" = 0

summary

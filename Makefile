# hartvm: one entry point for building, testing and running.
#   make            build build/hartvm (optimised)
#   make DEBUG=1    build build-debug/hartvm (-O0, assertions)
#   make SANITIZE=1 build build-san/hartvm (ASan + UBSan)
#   make deps       install the Debian packages the project needs
#   make test       every test; make run: boot the default guest

CC      ?= gcc
CFLAGS_BASE := -std=gnu11 -Wall -Wextra -Wshadow -Wno-unused-label -g -MMD -MP
ifeq ($(SANITIZE),1)
  BUILD  ?= build-san
  CFLAGS_MODE := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS_MODE := -fsanitize=address,undefined
else ifeq ($(DEBUG),1)
  BUILD  ?= build-debug
  CFLAGS_MODE := -O0 -DHARTVM_DEBUG
else
  BUILD  ?= build
  CFLAGS_MODE := -O2
endif
CFLAGS  += $(CFLAGS_BASE) $(CFLAGS_MODE)
LDFLAGS += $(LDFLAGS_MODE)

# Debian packages: build tools, libraries, cross toolchain, guest firmware.
DEB_PACKAGES := gcc make pkg-config check \
    gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf \
    opensbi u-boot-qemu libmpfr-dev libfdt-dev device-tree-compiler qemu-system-misc \
    linux-source-6.1 gcc-riscv64-linux-gnu flex bison bc libssl-dev libelf-dev cpio \
    e2fsprogs dpkg-dev xz-utils
LIBS := -lfdt
# the save/restore stream's CRC-32 (machine/state.c), qcow2 compressed clusters (disk/qcow2.c)
DEB_PACKAGES += zlib1g-dev
LIBS += -lz
# fleet supervisor (monitor/fleet*.c): INI fleet files, readline console
DEB_PACKAGES += libinih-dev libreadline-dev tmux
# tests/system/linux_uboot.sh: sfdisk partitions the extlinux boot disk
DEB_PACKAGES += fdisk
# tests/system/disk_probe.sh: qemu-img makes an image in each format probed
DEB_PACKAGES += qemu-utils
# tests/system/gdb_stub.sh: gdb drives the stub (and QEMU's, to compare); ss sees it listen
DEB_PACKAGES += gdb-multiarch iproute2
# tests/system/chardev.sh, qmp.sh: a scripted socket and pty client (tests/system/lib/sockclient.py)
DEB_PACKAGES += python3
# tests/system/qemu_options.sh: strace counts a disk's fdatasync calls
DEB_PACKAGES += strace
# tests/disasm/run.sh: LLVM 19's disassembler knows Zfa (binutils 2.40 does not)
DEB_PACKAGES += llvm-19
LIBS += -linih -lreadline
# aio=io_uring (disk/blk_io_uring.c)
DEB_PACKAGES += liburing-dev
LIBS += -luring
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEPS_STAMP := $(BUILD)/.deps

# The core library: harts, memory, disks and the board (cpu/, mmu/, virtio/, disk/,
# machine/): nothing of monitor/ or ui/, so no readline, inih or
# fleet supervisor. The unit tests link it; hartvm adds the rest.
LIB_SRCS := $(wildcard cpu/*.c mmu/*.c virtio/*.c disk/*.c) $(wildcard machine/*.c)
LIB_SRCS += $(wildcard machine/dev/*.c)
LIB_LIBS := -lfdt -lz -lpthread -lm -luring
# networking (machine/net*.c): -netdev user is libslirp
DEB_PACKAGES += libslirp-dev
LIB_LIBS += -lslirp
LIBS += -lslirp
CORE_LIB := $(BUILD)/libhartvm-core.a
CORE_SRCS := $(LIB_SRCS)
# fleet supervisor and the instance's control channel; sort drops duplicates
CORE_SRCS := $(sort $(CORE_SRCS) $(wildcard monitor/fleet*.c) monitor/control.c)
# debugger console (monitor/): GNU readline, linked above
DBG_SRCS  := debugger break commands expr hooks mem output pagewalk regs symbols trace gdbstub gdb_conn gdb_packets gdb_target gdb_packet vmstate
# monitors on sockets (monitor/monitors.c): QMP's JSON through jansson
DBG_SRCS  += session monitors hmp qmp
DEB_PACKAGES += libjansson-dev
LIBS += -ljansson
CORE_SRCS := $(sort $(CORE_SRCS) $(DBG_SRCS:%=monitor/%.c))
# SDL window (ui/): only ui/ sees SDL headers; the window tests
# need an X server (Xvfb), xdotool and ImageMagick's import. The window is
# a module beside hartvm, loaded (ui/ui.c) for -display sdl only: hartvm
# links no SDL, so a headless run loads none of it (faster start-up, smaller RSS).
DEB_PACKAGES += libsdl2-dev libx11-dev xvfb xdotool imagemagick
UI_MOD_SRCS := ui/sdl.c ui/keymap.c
UI_MOD_OBJS := $(UI_MOD_SRCS:%.c=$(BUILD)/%.o)
UI_MODULE   := $(BUILD)/hartvm-ui-sdl.so
CORE_SRCS := $(sort $(CORE_SRCS) $(filter-out $(UI_MOD_SRCS),$(wildcard ui/*.c)))
LIBS += -lpthread
$(UI_MOD_OBJS): CFLAGS += -fPIC -fvisibility=hidden $(shell pkg-config --cflags sdl2 2>/dev/null)
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
HARTVM    := $(BUILD)/hartvm

.PHONY: all deps test soak unit isa disasm-check run hello linux clean fp-oracle fp-oracle-long
all: $(HARTVM) $(UI_MODULE)

$(DEPS_STAMP): Makefile
	@mkdir -p $(@D)
	@missing=$$(for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    $(SUDO) apt-get update -q && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing || exit 1; \
	fi
	@touch $@
deps: $(DEPS_STAMP)

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(HARTVM): $(CORE_OBJS) $(BUILD)/monitor/main.o
	$(CC) $(LDFLAGS) $^ $(LIBS) -o $@
$(CORE_LIB): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
# -z defs: the module needs nothing from hartvm (ui/module.h)
$(UI_MODULE): $(UI_MOD_OBJS)
	$(CC) $(LDFLAGS) -shared -Wl,-z,defs $^ $(shell pkg-config --libs sdl2 2>/dev/null || echo -lSDL2) -lpthread -o $@

# ---- tests ------------------------------------------------------------
# One Check binary per tests/unit/test_*.c, linked with the core library
# and, for a test of their pieces, exactly the monitor/ or ui/ objects it
# needs: never readline or inih.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)
$(BUILD)/unit/%: $(BUILD)/tests/unit/%.o $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(CORE_LIB) $(LIB_LIBS) $$(pkg-config --libs check) -o $@
$(BUILD)/unit/test_fb_input: $(BUILD)/ui/keymap.o     # ui_keymap, a table of the window module
# breakpoints, expressions and symbols (printing through monitor/output.c)
UNIT_DBG_OBJS := $(addprefix $(BUILD)/monitor/,break.o expr.o hooks.o mem.o output.o regs.o symbols.o trace.o)
$(BUILD)/unit/test_monitor $(BUILD)/unit/test_dcache: $(UNIT_DBG_OBJS)
$(BUILD)/unit/test_options: $(BUILD)/monitor/fleet_options.o     # the fleet's option table
$(BUILD)/unit/test_gdb_packet: $(BUILD)/monitor/gdb_packet.o      # the gdb stub's packet layer

.SECONDARY: $(UNIT_SRCS:%.c=$(BUILD)/%.o)      # kept (see .SECONDARY below)
unit: $(UNIT_BINS)
	tests/unit/run.sh $(UNIT_BINS)

RV_CC    := riscv64-unknown-elf-gcc
RV_FLAGS := -march=rv64gc_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static \
            -mcmodel=medany -Wl,--no-relax -T tests/isa/link.ld -I tests/isa
ISA_SRCS := $(wildcard tests/isa/*.S)
ISA_ELFS := $(ISA_SRCS:%.S=$(BUILD)/%.elf)
$(BUILD)/tests/isa/%.elf: tests/isa/%.S tests/isa/harness.h tests/isa/link.ld | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(RV_FLAGS) $< -o $@

# Zfh needs the assembler told (binutils 2.40 has no Zfa: zfa.S uses .insn)
$(BUILD)/tests/isa/zfh.elf $(BUILD)/tests/isa/zfa.elf: RV_FLAGS += -march=rv64gc_zfh_zicsr_zifencei
# mmu_sv48.S and mmu_sv57.S are mmu_sv39.S with four and five levels
$(BUILD)/tests/isa/mmu_sv48.elf $(BUILD)/tests/isa/mmu_sv57.elf: tests/isa/mmu_sv39.S
# bitmanip.S is generated: its expected values come from the spec's pseudo-code in Python
ISA_ELFS += $(BUILD)/tests/isa/bitmanip.elf
$(BUILD)/tests/isa/bitmanip.S: tests/isa/bitmanip.py | $(DEPS_STAMP)
	@mkdir -p $(@D)
	python3 $< > $@
$(BUILD)/tests/isa/bitmanip.elf: $(BUILD)/tests/isa/bitmanip.S tests/isa/harness.h tests/isa/link.ld
	$(RV_CC) $(RV_FLAGS) $< -o $@

isa: $(HARTVM) $(ISA_ELFS)
	tests/isa/run.sh $(HARTVM) $(ISA_ELFS)

DISASM_BIN := $(BUILD)/disasm-check
$(DISASM_BIN): tests/disasm/disasm_check.c $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(CORE_LIB) $(LIB_LIBS) -o $@
disasm-check: $(DISASM_BIN)
	tests/disasm/run.sh $(DISASM_BIN)

# FP core vs GNU MPFR (tests/fp): a short run in make test, a long one on demand.
FP_ORACLE := $(BUILD)/fp-oracle
$(FP_ORACLE): tests/fp/fp_oracle.c cpu/fpu.h $(BUILD)/cpu/fpu.o $(BUILD)/cpu/fpu_zfa.o
	$(CC) $(CFLAGS) -Icpu tests/fp/fp_oracle.c $(BUILD)/cpu/fpu.o $(BUILD)/cpu/fpu_zfa.o -lmpfr -lgmp -o $@
fp-oracle: $(FP_ORACLE)
	$(FP_ORACLE) -n 3000
fp-oracle-long: $(FP_ORACLE)
	tests/fp/long.sh $(FP_ORACLE) 1000000

test: all
	tests/run-all.sh $(BUILD)

# Long runs kept out of make test: the crash-safety loop with 250 kills per
# image form (tests/system/disk_crash.sh; make test does 15).
soak: all
	CRASH_KILLS=250 tests/system/disk_crash.sh $(BUILD)

# The default guest: Debian's OpenSBI, Linux 6.1 and a busybox shell, with an
# ext4 disk on /dev/vda (roms/linux/build.sh; cached, so a second run starts
# in seconds). `poweroff` ends it with status 0; Ctrl-A x quits at any time.
LINUX_DIR := $(BUILD)/roms/linux
LINUX_ARTEFACTS := $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio $(LINUX_DIR)/disk.img
$(LINUX_ARTEFACTS) &: roms/linux/build.sh roms/linux/config.fragment roms/linux/init roms/linux/udhcpc.script | $(DEPS_STAMP)
	roms/linux/build.sh $(LINUX_DIR)
linux: $(LINUX_ARTEFACTS)
LINUX_ARGS = -m 256M -smp 2 -kernel $(LINUX_DIR)/Image -initrd $(LINUX_DIR)/initramfs.cpio \
    -append "console=ttyS0" -drive file=$(LINUX_DIR)/disk.img,if=none,format=raw,id=hd0 \
    -device virtio-blk-device,drive=hd0
# the guest's eth0 on QEMU's user network: 10.0.2.2 is the host's 127.0.0.1
# (wget http://10.0.2.2:PORT/ reaches a server there)
RUN_NET_ARGS = -netdev user,id=n0 -device virtio-net-device,netdev=n0
run: $(HARTVM) $(LINUX_ARTEFACTS)
	$(HARTVM) -nographic $(LINUX_ARGS) $(RUN_NET_ARGS)

# The first guest program, kept as the smallest example of a bare-metal run.
hello: $(HARTVM) $(BUILD)/roms/hello.elf
	$(HARTVM) -bios none -kernel $(BUILD)/roms/hello.elf -nographic

$(BUILD)/roms/%.elf: roms/%.S tests/isa/link.ld | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(RV_FLAGS) $< -o $@

# ---- benchmarks -------------------------------------------------------
# Bare-metal workloads (bench/*.c + start.S) run on hartvm and on QEMU side
# by side: `make bench` prints the table (bench/run.sh; REPS=n to change the
# repetitions). Never part of `make test`: timings assert nothing.
BENCH_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -nostdlib -nostartfiles -static \
                -mcmodel=medany -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
                -O2 -Wall -Wextra -Wl,--no-relax -T bench/link.ld
BENCH_COMMON := bench/start.S bench/bench.c
# GNU time: peak RSS (ru_maxrss) in bench/run.sh
DEB_PACKAGES += time valgrind   # peak RSS; host instructions per guest instruction
BENCH_NAMES  := null int-m int-u mem-u misal-u ecall timer nbody matmul idle
BENCH_ELFS   := $(BENCH_NAMES:%=$(BUILD)/bench/%.elf)
BENCH_SRC_null  := bench/null.c
BENCH_SRC_int-m := bench/int.c
BENCH_SRC_int-u := bench/int.c
BENCH_SRC_mem-u := bench/mem.c
BENCH_SRC_misal-u := bench/misaligned.c
BENCH_SRC_ecall := bench/ecall.c
BENCH_SRC_timer := bench/timer.c
BENCH_SRC_nbody := bench/nbody.c bench/fp.h
BENCH_SRC_matmul := bench/matmul.c bench/fp.h
BENCH_SRC_idle  := bench/idle.c
BENCH_DEF_int-u := -DUSER
BENCH_DEF_mem-u := -DMAP_MB=144
BENCH_DEF_nbody := -march=rv64imafdc_zicsr_zifencei
BENCH_DEF_matmul := -march=rv64imafdc_zicsr_zifencei
$(foreach n,$(BENCH_NAMES),$(eval $(BUILD)/bench/$(n).elf: $(BENCH_SRC_$(n))))
$(BUILD)/bench/%.elf: $(BENCH_COMMON) bench/bench.h bench/link.ld | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(BENCH_CFLAGS) $(BENCH_DEF_$*) -DBENCH_NAME='"$*"' $(BENCH_COMMON) $(filter %.c,$(BENCH_SRC_$*)) -o $@
# start-up probe: its first instruction exits (bench/startup.sh)
$(BUILD)/bench/first.elf: bench/first.S bench/link.ld | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(RV_CC) $(BENCH_CFLAGS) bench/first.S -o $@
bench: $(HARTVM) $(BENCH_ELFS) $(BUILD)/bench/first.elf $(LINUX_ARTEFACTS)
	bench/run.sh $(HARTVM) $(BUILD)/bench
	bench/startup.sh $(HARTVM) $(BUILD)/bench $(LINUX_DIR)
	bench/idle.sh $(HARTVM) $(BUILD)/bench $(LINUX_DIR)
	bench/linux.sh $(HARTVM) $(LINUX_DIR)
	bench/disk.sh $(HARTVM) $(LINUX_DIR)
	bench/net.sh $(HARTVM) $(LINUX_DIR)
	bench/fleet.sh $(BUILD)
# TCP throughput both ways and ping round trip on -netdev user, beside QEMU
bench-net: $(HARTVM) $(LINUX_ARTEFACTS)
	bench/net.sh $(HARTVM) $(LINUX_DIR)
# idle CPU of a bare-metal wfi guest and of Linux at its shell, beside QEMU
bench-idle: $(HARTVM) $(BUILD)/bench/idle.elf $(LINUX_ARTEFACTS)
	bench/idle.sh $(HARTVM) $(BUILD)/bench $(LINUX_DIR)
# disk throughput in Linux (seq 1M and random 4K, raw and qcow2) beside QEMU
bench-disk: $(HARTVM) $(LINUX_ARTEFACTS)
	bench/disk.sh $(HARTVM) $(LINUX_DIR)
# 16 Linux guests under one fleet supervisor: boot time, RSS, idle CPU
bench-fleet: $(HARTVM) $(LINUX_ARTEFACTS)
	bench/fleet.sh $(BUILD)
.PHONY: bench bench-fleet bench-idle bench-disk bench-net

clean:
	rm -rf build build-debug build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- fuzzing (fuzz/) --------------------------------------------------
# libFuzzer harnesses, one per surface, built with clang into build-fuzz/:
#   make fuzz-build            build them
#   make fuzz FUZZ_SECONDS=N   run each for N s (default 300) after replaying
#                              its seeds and regression inputs
# make test runs a short pass of each through tests/system/fuzz_*.sh.
FUZZ_BUILD   := build-fuzz
FUZZ_CC      := clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(CFLAGS_BASE) -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_CFLAGS  += -fsanitize-coverage-ignorelist=fuzz/coverage_ignore.txt
FUZZ_NAMES   := guest vblk vnet loader options gdb qcow2 snapshot
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_OBJS    := $(CORE_SRCS:%.c=$(FUZZ_BUILD)/%.o)
DEB_PACKAGES += clang libclang-rt-14-dev
$(FUZZ_BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $^ $(LIBS) -o $@
# Objects reached only through pattern rules are intermediate to make, which
# would delete them after each harness and rebuild them for the next.
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz/fuzz_%.o)
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS)
	@st=0; for s in tests/system/fuzz_*.sh; do FUZZ_SECONDS=$${FUZZ_SECONDS:-300} $$s $(BUILD) || st=1; done; exit $$st
.PHONY: fuzz fuzz-build
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

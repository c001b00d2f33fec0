# SPDX-License-Identifier: MIT
# accel: top-level build. 'make' builds the module (with BTF), the BPF
# objects and skeletons, libaccel and the three tools. See README.md.

include mk/config.mk

.PHONY: all kernel bpf lib cli progs deps ensure-deps check check-debug stress fuzz demo shell bench clean help

all: kernel bpf lib cli progs

kernel:
	$(MAKE) -C kernel

bpf:
	$(MAKE) -C bpf

lib: bpf
	$(MAKE) -C lib

cli: lib bpf
	$(MAKE) -C cli

# Programs the guest test suites run (tests/progs).
progs:
	@if [ -f tests/progs/Makefile ]; then $(MAKE) -C tests/progs; fi

DEPS_SH ?= scripts/deps.sh

deps:
	@$(DEPS_SH)

# Every entry point the README names starts here: it installs what is
# missing (quietly when nothing is), so each works on a brand-new machine.
ensure-deps:
	@$(DEPS_SH) --check-only >/dev/null 2>&1 || $(DEPS_SH)

# The README's test command: deps (when missing), host unit tests, host
# bats suites, then the guest suites under QEMU. One summary line at the end.
check: ensure-deps
	@$(MAKE) --no-print-directory all
	@tests/check.sh

# The debug lane alone with every guest suite on the debug kernel (about
# 4x slower than the stock one under TCG), in DEBUG_VMS guests side by
# side (2). make check runs the same lane beside the other suites.
check-debug: ensure-deps
	@$(MAKE) --no-print-directory all
	@SUITES=debug DEBUG_SUITES="$${DEBUG_SUITES:-all}" \
		DEBUG_TIMEOUT="$${DEBUG_TIMEOUT:-10800}" tests/check.sh

# tests/stress/run in a guest: STRESS_DURATION seconds (60; 1800 for the
# soak), STRESS_PROCS workers, STRESS_KERNEL=normal|debug. See
# tests/stress/README.md.
stress: ensure-deps
	@$(MAKE) --no-print-directory all
	@tests/stress/vm-run

# libFuzzer harnesses of every libaccel parser, FUZZ_SECONDS (60) each.
fuzz: ensure-deps
	@$(MAKE) --no-print-directory -C tests/fuzz run

# The benchmarks of bench/README.md: boots the guest once, prints the table
# and writes bench/results.json. Not part of 'make check'.
bench: ensure-deps
	@$(MAKE) --no-print-directory -s all
	@bench/run

demo: ensure-deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

shell: ensure-deps
	@$(MAKE) --no-print-directory all
	@tests/vm/run --interactive -- bash -l

# install, uninstall, modules_install, dkms-install, dkms-uninstall, dist
include mk/install.mk

clean:
	@if [ -f tests/progs/Makefile ]; then $(MAKE) -C tests/progs clean; fi
	$(MAKE) -C kernel clean
	$(MAKE) -C bpf clean
	$(MAKE) -C lib clean
	$(MAKE) -C cli clean
	@if [ -f tests/unit/Makefile ]; then $(MAKE) -C tests/unit clean; fi
	$(MAKE) -C bench clean
	rm -rf build

help:
	@echo "make            build the module, BTF, BPF objects, lib and tools"
	@echo "make deps       install the Debian packages the project needs"
	@echo "make check      run the unit, host, guest and debug-kernel suites, and the"
	@echo "                driver suites on Debian's 6.12 kernel (SUITES=k612 alone)"
	@echo "make check-debug  the debug-kernel lane alone (make check runs it beside the rest)"
	@echo "make stress     the stress run in a guest; STRESS_DURATION=1800 is the soak,"
	@echo "                STRESS_KERNEL=debug runs it on the debug kernel"
	@echo "make fuzz       fuzz every libaccel parser, FUZZ_SECONDS=60 each"
	@echo "make bench      boot the guest, run the benchmarks, print the table and"
	@echo "                write bench/results.json (BENCH_ROUNDS=5; bench/README.md)"
	@echo "make demo       boot the guest with a workload and show the tools"
	@echo "make shell      boot the guest and open a shell on its console"
	@echo "make install    install the tools, man pages, completions, UAPI header,"
	@echo "                example health.conf, systemd units and monitoring examples"
	@echo "make uninstall  remove what make install installed"
	@echo "make modules_install  install accelsim.ko for KVER and run depmod"
	@echo "make dkms-install     register, build and install accelsim with DKMS"
	@echo "make dkms-uninstall   remove accelsim from DKMS and /usr/src"
	@echo "make dkms-source      only stage the DKMS sources (DESTDIR, for packagers)"
	@echo "make dist       release tarball build/accel-VERSION.tar.gz (git HEAD)"
	@echo "Variables: KVER=<release> (KVER=\$$(scripts/kver.sh 6.12) for 6.12)"
	@echo "  KDIR=<headers tree> WERROR=0|1"
	@echo "  PREFIX=/usr/local DESTDIR= BINDIR MANDIR INCLUDEDIR SYSCONFDIR=/etc"

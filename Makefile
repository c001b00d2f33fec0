# SPDX-License-Identifier: MIT
# accel: top-level build. 'make' builds the module (with BTF), the BPF
# objects and skeletons, libaccel and the three tools. See README.md.

include mk/config.mk

.PHONY: all kernel bpf lib cli deps check check-host check-guest unit bats \
	guest demo shell clean help

all: kernel bpf lib cli

kernel:
	$(MAKE) -C kernel

bpf: kernel
	$(MAKE) -C bpf

lib:
	$(MAKE) -C lib

cli: lib bpf
	$(MAKE) -C cli

deps:
	@scripts/deps.sh

# The README's test command: deps (when missing), host unit tests, host
# bats suites, then the guest suites under QEMU. One summary line at the end.
check:
	@scripts/deps.sh --check-only >/dev/null 2>&1 || scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/check.sh

demo: all
	@scripts/demo.sh

shell: all
	@tests/vm/run --interactive -- bash -l

clean:
	$(MAKE) -C kernel clean
	$(MAKE) -C bpf clean
	$(MAKE) -C lib clean
	$(MAKE) -C cli clean
	$(MAKE) -C tests/unit clean
	rm -rf build

help:
	@echo "make            build the module, BTF, BPF objects, lib and tools"
	@echo "make deps       install the Debian packages the project needs"
	@echo "make check      run the host and guest test suites"
	@echo "make demo       boot the guest with a workload and show the tools"
	@echo "make shell      boot the guest and open a shell on its console"
	@echo "Variables: KVER=<release> KDIR=<headers tree> WERROR=0|1"

# SPDX-License-Identifier: MIT
# accel: top-level build. 'make' builds the module (with BTF), the BPF
# objects and skeletons, libaccel and the three tools. See README.md.

include mk/config.mk

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
INCLUDEDIR ?= $(PREFIX)/include
BASHCOMPDIR ?= $(shell $(PKG_CONFIG) --variable=completionsdir bash-completion 2>/dev/null || echo /usr/share/bash-completion/completions)
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
TOOLS := accelstat acceltop accelctl

.PHONY: all kernel bpf lib cli progs deps check check-debug demo shell install \
	modules_install uninstall clean help

all: kernel bpf lib cli progs

kernel:
	$(MAKE) -C kernel

bpf: kernel
	$(MAKE) -C bpf

lib:
	$(MAKE) -C lib

cli: lib bpf
	$(MAKE) -C cli

# Programs the guest test suites run (tests/progs).
progs:
	@if [ -f tests/progs/Makefile ]; then $(MAKE) -C tests/progs; fi

deps:
	@scripts/deps.sh

# The README's test command: deps (when missing), host unit tests, host
# bats suites, then the guest suites under QEMU. One summary line at the end.
check:
	@scripts/deps.sh --check-only >/dev/null 2>&1 || scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@tests/check.sh

# The debug-kernel lane alone (make check runs it too).
check-debug:
	@scripts/deps.sh --check-only >/dev/null 2>&1 || scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@SUITES=debug tests/check.sh

demo: all
	@scripts/demo.sh

shell: all
	@tests/vm/run --interactive -- bash -l

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR)/linux
	install -m 0755 $(addprefix cli/,$(TOOLS)) $(DESTDIR)$(BINDIR)/
	install -m 0644 kernel/uapi/accelsim.h $(DESTDIR)$(INCLUDEDIR)/linux/
	@for m in man/*.[1-9]; do [ -f "$$m" ] || continue; \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s; \
		echo install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; \
		install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	@for t in $(TOOLS); do \
		if [ -f completions/$$t ]; then install -d $(DESTDIR)$(BASHCOMPDIR); \
			install -m 0644 completions/$$t $(DESTDIR)$(BASHCOMPDIR)/; fi; \
		if [ -f completions/_$$t ]; then install -d $(DESTDIR)$(ZSHCOMPDIR); \
			install -m 0644 completions/_$$t $(DESTDIR)$(ZSHCOMPDIR)/; fi; \
	done

# Installs accelsim.ko into /lib/modules/$(KVER)/updates and runs depmod.
modules_install: kernel
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel INSTALL_MOD_DIR=updates modules_install

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/accelsim.h
	@for m in man/*.[1-9]; do [ -f "$$m" ] || continue; \
		s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(ZSHCOMPDIR)/_,$(TOOLS))

clean:
	@if [ -f tests/progs/Makefile ]; then $(MAKE) -C tests/progs clean; fi
	$(MAKE) -C kernel clean
	$(MAKE) -C bpf clean
	$(MAKE) -C lib clean
	$(MAKE) -C cli clean
	@if [ -f tests/unit/Makefile ]; then $(MAKE) -C tests/unit clean; fi
	rm -rf build

help:
	@echo "make            build the module, BTF, BPF objects, lib and tools"
	@echo "make deps       install the Debian packages the project needs"
	@echo "make check      run the unit, host, guest and debug-kernel suites"
	@echo "make check-debug  run only the debug-kernel lane"
	@echo "make demo       boot the guest with a workload and show the tools"
	@echo "make shell      boot the guest and open a shell on its console"
	@echo "make install    install the tools, man pages, completions, UAPI header"
	@echo "make modules_install  install accelsim.ko for KVER and run depmod"
	@echo "Variables: KVER=<release> KDIR=<headers tree> WERROR=0|1"

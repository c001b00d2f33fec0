# SPDX-License-Identifier: MIT
# Installing on a real machine: make install / uninstall, modules_install,
# DKMS (dkms-install / dkms-uninstall) and the release tarball (dist).
# Included by the top-level Makefile, after mk/config.mk. See README.md,
# "Installing on a real machine".
#
# Layout (PREFIX=/usr/local by default; DESTDIR stages the whole tree):
#   $(BINDIR)           accelstat acceltop accelctl
#   $(MANDIR)/manN      man/*.N (accelsim.4, accel-vocabulary.7 and the tools'
#                       section 8 pages)
#   $(BASHCOMPDIR)      bash completions, loaded on demand by bash-completion
#   $(ZSHCOMPDIR)       zsh completions (_accelstat ...)
#   $(INCLUDEDIR)/linux/accelsim.h   the char-device UAPI (#include <linux/accelsim.h>)
#   $(SYSCONFDIR)/accel/health.conf.example
#                       thresholds for accelstat --check; the tools read
#                       /etc/accel/health.conf whatever the prefix, so
#                       SYSCONFDIR is /etc. health.conf itself is the
#                       operator's and is never installed or removed.
#   $(SYSTEMDUNITDIR)   accel-health.service and .timer (installed, not enabled)
#   $(EXAMPLESDIR)      cron.d/accel, nagios/accel.cfg, icinga2/accel.conf,
#                       udev/70-accelsim.rules (copy them into place by hand)
# Files that name the tools (units, cron, Nagios, Icinga) are written with
# /usr/local/bin replaced by $(BINDIR). install builds only what it installs
# (the tools: cli, and through it lib, bpf and kernel), not tests/progs.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
INCLUDEDIR ?= $(PREFIX)/include
SYSCONFDIR ?= /etc
DOCDIR ?= $(DATADIR)/doc/accel
EXAMPLESDIR ?= $(DOCDIR)/examples
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
ZSHCOMPDIR ?= $(DATADIR)/zsh/site-functions
# bash-completion's own directory for this prefix. Debian's .pc file spells
# datadir out as /usr/share, so redefine it too: a /usr/local install then
# lands in /usr/local/share/bash-completion/completions, which
# bash-completion searches (via XDG_DATA_DIRS) and loads on first <Tab>.
BASHCOMPDIR ?= $(shell $(PKG_CONFIG) --define-variable=prefix=$(PREFIX) \
	--define-variable=datadir=$(DATADIR) --variable=completionsdir \
	bash-completion 2>/dev/null || echo $(DATADIR)/bash-completion/completions)

INSTALL ?= install
TOOLS := accelstat acceltop accelctl

# Man pages and completions are installed by pattern, so pages still being
# written are picked up when they land; uninstall also removes the names
# the project ships, whether or not they are in this tree.
MAN_SHIPPED := accelsim.4 accel-vocabulary.7 accelstat.8 acceltop.8 accelctl.8
MAN_PAGES := $(notdir $(wildcard man/*.[1-9]))
MAN_ALL := $(sort $(MAN_PAGES) $(MAN_SHIPPED))
BASH_COMPS := $(filter $(TOOLS),$(notdir $(wildcard completions/*)))
ZSH_COMPS := $(filter $(addprefix _,$(TOOLS)),$(notdir $(wildcard completions/_*)))
UNITS := accel-health.service accel-health.timer accelctl-monitor.service
EXAMPLES := cron.d/accel nagios/accel.cfg icinga2/accel.conf udev/70-accelsim.rules

.PHONY: install uninstall modules_install dkms-source dkms-install dkms-uninstall dist

install: cli
	$(INSTALL) -d $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 0755 $(foreach t,$(TOOLS),cli/$(t)/$(t)) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/linux
	$(INSTALL) -m 0644 kernel/uapi/accelsim.h $(DESTDIR)$(INCLUDEDIR)/linux/
	@set -e; for m in $(MAN_PAGES); do \
		d=$(DESTDIR)$(MANDIR)/man$${m##*.}; \
		echo "$(INSTALL) -m 0644 man/$$m $$d/"; \
		$(INSTALL) -d $$d; $(INSTALL) -m 0644 man/$$m $$d/; \
	done
ifneq ($(BASH_COMPS),)
	$(INSTALL) -d $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0644 $(addprefix completions/,$(BASH_COMPS)) $(DESTDIR)$(BASHCOMPDIR)/
endif
ifneq ($(ZSH_COMPS),)
	$(INSTALL) -d $(DESTDIR)$(ZSHCOMPDIR)
	$(INSTALL) -m 0644 $(addprefix completions/,$(ZSH_COMPS)) $(DESTDIR)$(ZSHCOMPDIR)/
endif
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/accel
	$(INSTALL) -m 0644 contrib/health.conf.example $(DESTDIR)$(SYSCONFDIR)/accel/
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR)
	@set -e; for f in $(UNITS); do \
		echo "install contrib/systemd/$$f $(DESTDIR)$(SYSTEMDUNITDIR)/"; \
		sed 's|/usr/local/bin/|$(BINDIR)/|g' contrib/systemd/$$f \
			>$(DESTDIR)$(SYSTEMDUNITDIR)/$$f; \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$f; \
	done
	@set -e; for f in $(EXAMPLES); do \
		d=$(DESTDIR)$(EXAMPLESDIR)/$$(dirname $$f); \
		echo "install contrib/$$f $$d/"; \
		$(INSTALL) -d $$d; \
		sed 's|/usr/local/bin/|$(BINDIR)/|g' contrib/$$f >$$d/$$(basename $$f); \
		chmod 0644 $$d/$$(basename $$f); \
	done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOLS))
	rm -f $(DESTDIR)$(INCLUDEDIR)/linux/accelsim.h
	@for m in $(MAN_ALL); do \
		echo "rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m"; \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m; \
	done
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(TOOLS))
	rm -f $(addprefix $(DESTDIR)$(ZSHCOMPDIR)/_,$(TOOLS))
	rm -f $(DESTDIR)$(SYSCONFDIR)/accel/health.conf.example
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(UNITS))
	rm -f $(addprefix $(DESTDIR)$(EXAMPLESDIR)/,$(EXAMPLES))
	@# Only the directories that are ours alone, and only when empty
	@# (/etc/accel keeps an operator's health.conf).
	@for d in $(sort $(dir $(EXAMPLES))) ; do \
		rmdir $(DESTDIR)$(EXAMPLESDIR)/$$d 2>/dev/null || true; done
	@rmdir $(DESTDIR)$(EXAMPLESDIR) $(DESTDIR)$(DOCDIR) \
		$(DESTDIR)$(SYSCONFDIR)/accel 2>/dev/null || true

# accelsim.ko into /lib/modules/$(KVER)/updates, then depmod. For a module
# that follows kernel upgrades, use dkms-install instead.
modules_install: kernel
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel INSTALL_MOD_DIR=updates modules_install

# DKMS: the module sources (kernel/*.c, *.h, Kbuild, uapi/) and dkms.conf
# go to $(DKMS_SOURCETREE)/accelsim-$(VERSION); then dkms add, build and
# install for $(KVER) (default: the running kernel's release when it has a
# headers tree, else scripts/kver.sh). DKMS_SOURCETREE, DKMS_TREE and
# DKMS_INSTALLTREE point dkms at other trees (the tests use scratch ones).
DKMS ?= dkms
DKMS_NAME := accelsim
DKMS_SOURCETREE ?= /usr/src
DKMS_TREE ?=
DKMS_INSTALLTREE ?=
DKMS_FLAGS ?=
DKMS_SRC = $(DESTDIR)$(DKMS_SOURCETREE)/$(DKMS_NAME)-$(VERSION)
DKMS_KVER = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(shell \
	r=$$(uname -r); if [ -d /lib/modules/$$r/build ]; then echo $$r; \
	else $(TOP)/scripts/kver.sh; fi))
DKMS_OPTS = -m $(DKMS_NAME) -v $(VERSION) \
	$(if $(DKMS_TREE),--dkmstree $(DKMS_TREE)) \
	--sourcetree $(DESTDIR)$(DKMS_SOURCETREE) \
	$(if $(DKMS_INSTALLTREE),--installtree $(DKMS_INSTALLTREE)) $(DKMS_FLAGS)
DKMS_FILES = $(filter-out %.mod.c,$(wildcard kernel/*.c)) $(wildcard kernel/*.h) kernel/Kbuild

# The DKMS source tree alone (for packagers: DESTDIR=... make dkms-source,
# and let the package's postinst run dkms).
dkms-source:
	$(INSTALL) -d $(DKMS_SRC)/uapi
	$(INSTALL) -m 0644 $(DKMS_FILES) $(DKMS_SRC)/
	$(INSTALL) -m 0644 kernel/uapi/accelsim.h $(DKMS_SRC)/uapi/
	$(INSTALL) -m 0755 contrib/dkms/btf.sh scripts/vmlinux-btf.sh $(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf

dkms-install:
	@command -v $(DKMS) >/dev/null || { echo "dkms-install: dkms is not installed (apt-get install dkms)" >&2; exit 1; }
	@$(MAKE) --no-print-directory dkms-uninstall
	@$(MAKE) --no-print-directory dkms-source
	$(DKMS) add $(DKMS_OPTS)
	$(DKMS) build $(DKMS_OPTS) -k $(DKMS_KVER)
	$(DKMS) install $(DKMS_OPTS) -k $(DKMS_KVER)

# Removes accelsim-$(VERSION) from DKMS for every kernel, and its sources.
dkms-uninstall:
	@if $(DKMS) status $(DKMS_OPTS) 2>/dev/null | grep -q .; then \
		echo "$(DKMS) remove $(DKMS_OPTS) --all"; \
		$(DKMS) remove $(DKMS_OPTS) --all; \
	fi
	rm -rf $(DKMS_SRC)

# Release tarball of HEAD (committed files only), build/accel-$(VERSION).tar.gz.
DIST := accel-$(VERSION)
dist:
	@[ "$$(git -C $(TOP) rev-parse --show-toplevel 2>/dev/null)" = "$(TOP)" ] || \
		{ echo "dist: needs a git checkout of accel (this is not one)" >&2; exit 1; }
	@mkdir -p $(BUILD)
	git -C $(TOP) archive --format=tar.gz --prefix=$(DIST)/ -o $(BUILD)/$(DIST).tar.gz HEAD
	@if [ -n "$$(git -C $(TOP) status --porcelain --untracked-files=no)" ]; then \
		echo "dist: note: uncommitted changes are not in the tarball"; fi
	@echo "dist: $(BUILD)/$(DIST).tar.gz ($$(git -C $(TOP) rev-parse --short HEAD))"

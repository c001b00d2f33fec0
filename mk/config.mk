# SPDX-License-Identifier: MIT
# Shared build configuration: the guest kernel version, compilers and flags.
# Included by the top-level Makefile and by every sub-directory Makefile.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

# The kernel we build the module for: the version of the installed
# linux-image-amd64 package, never the host's running kernel.
KVER ?= $(shell $(TOP)/scripts/kver.sh)
KDIR ?= /usr/src/linux-headers-$(KVER)
VMLINUZ ?= /boot/vmlinuz-$(KVER)

BUILD := $(TOP)/build
VMLINUX_BTF = $(BUILD)/vmlinux-$(KVER).btf

VERSION := $(shell cat $(TOP)/VERSION)

CC ?= cc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
PKG_CONFIG ?= pkg-config

WERROR ?= 1
CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARNFLAGS += -Werror
endif
ACCEL_CPPFLAGS := -D_GNU_SOURCE -DACCEL_VERSION='"$(VERSION)"' \
	-I$(TOP)/lib -I$(TOP)/kernel/uapi -I$(TOP)/bpf

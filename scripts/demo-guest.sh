#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo, as it runs inside the guest (see scripts/demo.sh).
set -uo pipefail

step() {
	printf '\n### %s\n' "$*"
}

step "accelsim.ko is loaded"
lsmod | grep '^accelsim '
dmesg | grep 'accelsim:' || true

step "Devices the driver created (debugfs)"
ls /sys/kernel/debug/accelsim/

step "Device geometry: /sys/kernel/debug/accelsim/afu0/info"
cat /sys/kernel/debug/accelsim/afu0/info

step "accelstat"
accelstat

step "Tracepoints in system accelsim"
ls /sys/kernel/tracing/events/accelsim/

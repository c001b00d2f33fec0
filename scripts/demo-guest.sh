#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo, as it runs inside the guest (see scripts/demo.sh): a workload
# faults and invalidates while the operator's tools look at it, then a
# support bundle is written and read back.
set -uo pipefail

step() {
	printf '\n### %s\n' "$*"
}

step "accelsim.ko is loaded"
lsmod | grep '^accelsim '
dmesg | grep 'accelsim:' || true

step "Devices (accelctl device list)"
accelctl device list

step "Start a workload: 2 contexts copying into fresh memory, with munmap churn"
accelctl run --device afu0 --contexts 2 --fresh --churn --size 8M \
	--duration 20 >/tmp/run.out 2>&1 &
run_pid=$!
sleep 4

step "accelctl list"
accelctl list

step "accelstat (snapshot)"
accelstat

step "accelstat --contexts"
accelstat --contexts

step "accelstat --check (the cron and monitoring health check)"
accelstat --check
echo "(exit status $?)"

step "acceltop -b -n 3 (batch mode of the live view)"
acceltop -b -n 3 -i 1

step "A held fault makes the health check critical"
echo 1 >/sys/bus/accelsim/devices/afu0/inject/hold_faults
sleep 6
accelstat --faults | head -n 5
accelstat --check
echo "(exit status $?)"
echo 0 >/sys/bus/accelsim/devices/afu0/inject/hold_faults

wait "$run_pid"
step "The workload's summary (accelctl run)"
cat /tmp/run.out

step "Collect a support bundle, then read it back offline"
accelctl dump -o /tmp/accel-demo.tar.gz
accelctl dump --inspect /tmp/accel-demo.tar.gz

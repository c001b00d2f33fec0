#!/bin/bash
# SPDX-License-Identifier: MIT
# textpoke-load.sh [SECONDS]: run in the guest by tests/host/vm_harness.bats.
# Switches every accelsim trace event on and off for SECONDS (default 30)
# while a fault, TLBI and IRQ workload runs and debugfs is read in a loop.
# Each switch rewrites kernel text on a running CPU (text_poke_bp, for the
# tracepoints and for trace_sched_switch in __schedule). Under QEMU 7.2's
# multi-threaded TCG this hung the guest within 50 switches (see
# tests/vm/run). Prints "switches=N"; fails if none went through or if the
# workload failed, so that a passing run had the load it claims.
set -u
T=/sys/kernel/tracing
D=/sys/kernel/debug/accelsim
end=$((SECONDS + ${1:-30}))

while [ $SECONDS -lt $end ]; do
	if ! accelctl run --fresh --churn --irq -c 2 --fork -s 2M -t 5 >/dev/null 2>&1; then
		echo "textpoke-load: accelctl run failed" >&2
		exit 1
	fi
done &
work=$!
while [ $SECONDS -lt $end ]; do
	cat "$D"/afu0/* >/dev/null 2>&1
done &
reader=$!

n=0
while [ $SECONDS -lt $end ]; do
	echo 1 >"$T/events/accelsim/enable" || exit 1
	echo 0 >"$T/events/accelsim/enable" || exit 1
	n=$((n + 1))
done
wait "$reader"
wait "$work" || exit 1
echo "switches=$n"
[ "$n" -gt 0 ]

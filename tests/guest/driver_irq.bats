#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: IRQ ranges. The budget, the irqs view, eventfds counting
# completions exactly, inject/irq and the irq_* tracepoints. The checks are
# in tests/progs/asim_irq.c; each prints "ok GROUP: what" or "not ok ...".
# Runs in the guest.

load helpers

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

setup() {
	echo 0 >$TR/tracing_on
	echo >$TR/trace
	echo 0 >$TR/events/enable
}

teardown() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 1 >$TR/tracing_on
	echo 7 >$SYSFS/del_device 2>/dev/null || true
}

stat_value() {
	awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' "$D/afu$2/stats"
}

@test "budget: exhaust gives ENOSPC, free and allocate again; info and irqs at each step" {
	echo "7 16 64" >$SYSFS/new_device
	run asim_irq budget 7
	refute_output --partial "not ok"
	assert_success
	assert_line "ok budget: budget exhausted: ENOSPC"
	assert_line "ok budget: allocate again, other context"
	[ "$(grep -c '^ok budget: ' <<<"$output")" -ge 30 ]
	run cat $D/afu7/irqs
	assert_output "pe pasid hwirq count eventfds fired"
}

@test "irq_alloc and irq_free tracepoints pair, with the contract's fields" {
	echo "7 16 64" >$SYSFS/new_device
	echo 1 >$TR/events/accelsim/irq_alloc/enable
	echo 1 >$TR/events/accelsim/irq_free/enable
	echo 1 >$TR/tracing_on
	run asim_irq budget 7
	assert_success
	echo 0 >$TR/tracing_on
	allocs=$(grep -c ' irq_alloc: ' $TR/trace)
	frees=$(grep -c ' irq_free: ' $TR/trace)
	# 4, rest, 4 (other context), the whole budget.
	[ "$allocs" -eq 4 ]
	[ "$frees" -eq "$allocs" ]
	grep -q -E ' irq_alloc: dev=7 pe=[0-9]+ pasid=[0-9]+ hwirq=0 count=64$' $TR/trace
	grep -q -E ' irq_free: dev=7 pe=[0-9]+ pasid=[0-9]+ hwirq=4 count=60$' $TR/trace
}

@test "an eventfd bound to an IRQ counts N completions exactly; inject/irq fires too" {
	echo 1 >$TR/events/accelsim/irq_fire/enable
	before=$(stat_value irqs_fired 0)
	echo 1 >$TR/tracing_on
	run asim_irq count 0 300
	echo 0 >$TR/tracing_on
	refute_output --partial "not ok"
	assert_success
	assert_line "ok count: eventfd counts N completions"
	assert_line "ok count: inject/irq signals the eventfd once"
	assert_line "ok count: inject/irq unallocated: ENOENT"
	assert_line "ok count: irqs fired counts injected and unbound"
	assert_line "ok count: spa irqs counts the IRQs fired for the PE"
	after=$(stat_value irqs_fired 0)
	[ $((after - before)) -eq 303 ]
	[ "$(grep -c ' irq_fire: dev=0 ' $TR/trace)" -eq 303 ]
	hw=$(sed -n 's/^hwirq \([0-9]*\) .*/\1/p' <<<"$output")
	[ "$(grep -c " irq_fire: dev=0 pe=[0-9]* pasid=[0-9]* hwirq=$((hw + 1))$" $TR/trace)" -eq 302 ]
}

@test "inject/irq: bad input is EINVAL, an unallocated hwirq ENOENT" {
	run sh -c "echo junk >$SYSFS/devices/afu0/inject/irq"
	assert_failure
	assert_output --partial "Invalid argument"
	run sh -c "echo 2047 >$SYSFS/devices/afu0/inject/irq"
	assert_failure
	assert_output --partial "No such file"
	run stat -c %a $SYSFS/devices/afu0/inject/irq $D/afu0/irqs
	assert_output $'200\n400'
}

@test "ranges are freed with their context: nothing left, module state clean" {
	run asim_irq count 0 50
	assert_success
	run cat $D/afu0/irqs
	assert_output "pe pasid hwirq count eventfds fired"
	run awk 'NR == 2 { print $11 }' $D/afu0/info
	assert_output 0
}

@test "a range freed under in-flight work keeps its hwirqs until the work ends, and is mute" {
	echo 1 >$TR/events/accelsim/irq_fire/enable
	echo 1 >$TR/events/accelsim/irq_free/enable
	echo 1 >$TR/tracing_on
	run asim_irq inflight 0
	echo 0 >$TR/tracing_on
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	refute_output --partial "not ok"
	assert_success
	assert_line "ok inflight: hwirqs stay allocated"
	assert_line "ok inflight: hwirqs released after the work"
	[ "$(grep -c ' irq_fire: ' $TR/trace)" -eq 0 ]
	# The range and the probe range of one hwirq.
	[ "$(grep -c ' irq_free: dev=0 ' $TR/trace)" -eq 2 ]
}

# The last use of a range (a completing SUBMIT_IRQ) frees it: IRQ_FREE must
# not touch it after dropping irq_lock. On the debug kernel KASAN reports a
# use after free (the taint check below and the lane's splat check fail);
# with slub_debug=P the poisoned count oopses any kernel.
@test "IRQ_FREE of a whole-budget range while its last work completes: no use after free" {
	echo "7 16 65536" >$SYSFS/new_device
	run asim_irq teardown 7 40
	refute_output --partial "not ok"
	assert_success
	assert_line "ok teardown: the budget is whole again after each round"
	assert_kernel_untainted
}

@test "IRQ_ALLOC into read-only memory fails EFAULT and leaves no range allocated" {
	echo "7 16 64" >$SYSFS/new_device
	run asim_irq efault 7
	refute_output --partial "not ok"
	assert_success
	assert_line "ok efault: IRQ_ALLOC into read-only memory: EFAULT"
	assert_line "ok efault: irqs_used unchanged"
	assert_line "ok efault: irqs view unchanged"
}

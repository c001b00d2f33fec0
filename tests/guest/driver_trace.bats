#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko tracepoints: the fields of doc/contract.md, key=value output,
# and trace-cmd (libtraceevent) parses every event. Runs in the guest.

load helpers

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

# event: fields, as in doc/contract.md
EVENTS=(
	"device_add:dev max_pe"
	"device_del:dev max_pe"
	"context_attach:dev pe pasid pid kernel"
	"context_detach:dev pe pasid pid kernel"
	"pasid_alloc:pasid pid"
	"pasid_free:pasid pid"
	"fault:id dev pe pasid addr access"
	"fault_ack:id dev pe pasid addr resp lat_ns"
	"tlbi_start:id dev pasid start end"
	"tlbi_done:id dev pasid start end entries lat_ns"
	"work_submit:id dev pe pasid op len tag"
	"work_done:id dev pe pasid status bytes"
	"irq_alloc:dev pe pasid hwirq count"
	"irq_free:dev pe pasid hwirq count"
	"irq_fire:dev pe pasid hwirq"
	"afu_error:dev pe pasid code"
)

# Produce every event once at least.
workload() {
	echo 5 >$SYSFS/new_device
	echo 5 >$SYSFS/del_device
	asim_copy -s 256K >/dev/null
	asim_copy -u -s 4K >/dev/null
	asim_irq count 0 2 >/dev/null
	asim_attach -w >"$BATS_TEST_TMPDIR/a" &
	local p=$!
	for _ in $(seq 1 100); do
		grep -q ready "$BATS_TEST_TMPDIR/a" && break
		sleep 0.05
	done
	pe=$(sed -n 's/.* pe=\([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/a")
	echo "$pe 7" >$SYSFS/devices/afu0/inject/afu_error
	kill "$p"
	wait "$p"
	sleep 0.5
}

@test "each event's format has exactly the contract's fields" {
	for e in "${EVENTS[@]}"; do
		name=${e%%:*}
		want=$(tr ' ' '\n' <<<"${e#*:}" | sort)
		got=$(sed -n 's/^\tfield:[^;]* \([a-z_]*\);.*/\1/p' \
			$TR/events/accelsim/$name/format | grep -v '^common_' | sort)
		assert_equal "$got" "$want"
	done
}

@test "each event prints its fields as key=value" {
	echo 1 >$TR/events/accelsim/enable
	workload
	echo 0 >$TR/events/accelsim/enable
	for e in "${EVENTS[@]}"; do
		name=${e%%:*}
		re=" $name:"
		for f in ${e#*:}; do
			re="$re $f=[0-9a-fx_a-z]+"
		done
		run grep -E -m1 "$re\$" $TR/trace
		assert_success
	done
	run grep -E ' fault_ack: .* resp=(restart|address_error) ' $TR/trace
	assert_success
	run grep -E 'afu_error: dev=0 pe=[0-9]+ pasid=[0-9]+ code=7$' $TR/trace
	assert_success
	echo >$TR/trace
}

@test "trace-cmd records and parses every event" {
	cd "$BATS_TEST_TMPDIR"
	trace-cmd record -q -e accelsim -o t.dat bash -c "$(declare -f workload); SYSFS=$SYSFS BATS_TEST_TMPDIR=$BATS_TEST_TMPDIR workload" >/dev/null 2>&1
	run trace-cmd report -i t.dat
	assert_success
	refute_output --partial "FAILED TO PARSE"
	for e in "${EVENTS[@]}"; do
		name=${e%%:*}
		fields=${e#*:}
		assert_output --regexp " $name: +${fields%% *}="
	done
	assert_output --regexp " fault_ack: +id=[0-9]+ dev=0 pe=[0-9]+ pasid=[0-9]+ addr=0x[0-9a-f]+ resp=(restart|address_error) lat_ns=[0-9]+"
}

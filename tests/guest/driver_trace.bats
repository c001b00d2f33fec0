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

# The flight recorder: tracefs instance accelsim, events on from load.
FR=$TR/instances/accelsim

# count_dev0 EVENT FILE: the EVENT lines of device 0 in a trace file.
count_dev0() {
	grep -c -E " $1: (id=[0-9]+ )?dev=0 " "$2"
}

@test "flight recorder: a workload run with tracing off is in accelctl dump, and inspect shows it" {
	module_reload
	[ "$(cat $TR/events/accelsim/enable)" = 0 ]
	[ "$(cat $FR/events/accelsim/enable)" = 1 ]
	accelctl run --fresh --irq --churn -s 1M -n 3 >/dev/null
	wait_empty
	# the top-level trace saw nothing of it
	run grep -c -E ' (work_submit|fault|context_attach):' $TR/trace
	assert_output 0
	cd "$BATS_TEST_TMPDIR"
	run accelctl dump --timeout 60 -o b.tar.gz
	assert_success
	mkdir x
	tar -xzf b.tar.gz -C x
	X=$(echo x/*)
	# every event of the workload, as many as the driver counted
	assert_equal "$(count_dev0 context_attach "$X/trace.txt")" "$(stat_of attaches)"
	assert_equal "$(count_dev0 fault "$X/trace.txt")" "$(stat_of faults_raised)"
	assert_equal "$(count_dev0 work_submit "$X/trace.txt")" "$(stat_of work_submitted)"
	assert_equal "$(count_dev0 work_done "$X/trace.txt")" "$(($(stat_of work_done) + $(stat_of work_failed)))"
	assert_equal "$(count_dev0 irq_fire "$X/trace.txt")" "$(stat_of irqs_fired)"
	[ "$(stat_of work_submitted)" -gt 0 ]
	[ "$(stat_of faults_raised)" -gt 0 ]
	[ "$(stat_of irqs_fired)" -gt 0 ]
	grep -q ' device_add: dev=0 max_pe=512$' "$X/trace.txt"
	# the manifest says where they come from and how far back they go
	m=$X/manifest.json
	jq -e '.trace_reach.source == "instances/accelsim"' "$m"
	jq -e '.trace_reach.overwritten == 0 and .trace_reach.dropped == 0' "$m"
	jq -e '.trace_reach.buffer_size_kb > 0' "$m"
	jq -e '.trace_reach.reach_s > 0 and .trace_reach.oldest_s <= .trace_reach.first_s' "$m"
	jq -e ".trace_reach.events == $(wc -l <"$X/trace.txt")" "$m"
	# inspect shows them
	run accelctl inspect b.tar.gz
	assert_success
	assert_line "trace events:"
	assert_line --regexp "^  $(wc -l <"$X/trace.txt") events from instances/accelsim, whose oldest is [0-9.]+ s old, none overwritten\$"
	assert_output --regexp "(^|, )work_submit $(stat_of work_submitted)(,|\$)"
	run accelctl --json inspect b.tar.gz
	assert_success
	assert_equal "$(jq '.trace.by_event.fault' <<<"$output")" "$(stat_of faults_raised)"
	# the dump did not consume the recorder: a second one holds them too
	run accelctl dump --timeout 60 -o c.tar.gz
	assert_success
	mkdir y
	tar -xzf c.tar.gz -C y
	assert_equal "$(count_dev0 work_submit y/*/trace.txt)" "$(stat_of work_submitted)"
}

@test "flight recorder: --since keeps only the last seconds" {
	module_reload
	accelctl run -s 256K >/dev/null
	wait_empty
	# the first run's events are 8 s old when the dump begins, the
	# second run's younger than 5 s (its run time, on the debug kernel)
	sleep 8
	before=$(stat_of work_submitted)
	accelctl run -s 256K -n 2 >/dev/null
	cd "$BATS_TEST_TMPDIR"
	run accelctl dump --since 5 --timeout 60 -o s.tar.gz
	assert_success
	mkdir x
	tar -xzf s.tar.gz -C x
	X=$(echo x/*)
	assert_equal "$(count_dev0 work_submit "$X/trace.txt")" "$(($(stat_of work_submitted) - before))"
	run grep -c ' device_add: ' "$X/trace.txt"
	assert_output 0
	jq -e '.since_s == 5 and .trace_reach.source == "instances/accelsim"' "$X/manifest.json"
	jq -e ".trace_reach.events == $(wc -l <"$X/trace.txt")" "$X/manifest.json"
}

@test "flight recorder: rmdir is refused while loaded; unload with a reader open neither hangs nor splats" {
	module_reload
	run rmdir $FR
	assert_failure
	[ -d $FR ]
	accelctl run -s 256K >/dev/null
	grep -q ' work_done: ' $FR/trace
	cat $FR/trace_pipe >/dev/null &
	reader=$!
	sleep 0.5
	rmmod accelsim
	run module_loaded
	assert_failure
	kill "$reader"
	wait "$reader" || true
	# left to the reader; gone with an rmdir
	rmdir $FR
	[ ! -e $FR ]
	insmod "$ACCEL_MODULE"
	[ "$(cat $FR/events/accelsim/enable)" = 1 ]
	# a reload after a plain unload starts an empty recorder
	accelctl run -s 256K >/dev/null
	module_reload
	run grep -c ' work_done: ' $FR/trace
	assert_output 0
	assert_kernel_untainted
}

@test "flight recorder: flight_recorder=0 leaves it off, and dump reads the top-level trace" {
	module_reload flight_recorder=0
	[ ! -e $FR ]
	dmesg | grep -q 'accelsim: flight recorder off: flight_recorder=0'
	cd "$BATS_TEST_TMPDIR"
	run accelctl dump --timeout 60 -o n.tar.gz
	assert_success
	mkdir x
	tar -xzf n.tar.gz -C x
	jq -e '.trace_reach.source == "top-level"' x/*/manifest.json
	module_reload
	[ -d $FR ]
}

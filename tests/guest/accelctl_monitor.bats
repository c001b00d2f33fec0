#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl monitor against the real driver: every fault (and with
# --invalidations every TLBI) the driver traces is one JSON line, as many
# as the driver's stats count; SIGTERM ends it with exit 0 and removes its
# tracefs instance; a missing source is named and the rest goes on.

load helpers
bats_require_minimum_version 1.5.0

setup() {
	module_loaded || insmod "$ACCEL_MODULE"
	MON=
	LOG=$BATS_TEST_TMPDIR/monitor.jsonl
	ERR=$BATS_TEST_TMPDIR/monitor.err
}

teardown() {
	if [ -n "$MON" ]; then
		kill -KILL "$MON" 2>/dev/null || true
		wait "$MON" 2>/dev/null || true
	fi
	module_loaded || insmod "$ACCEL_MODULE"
}

# start_monitor ARGS: accelctl monitor --log $LOG ARGS in the background,
# until its start line is written; MON is its pid.
start_monitor() {
	accelctl monitor --log "$LOG" "$@" 2>"$ERR" &
	MON=$!
	wait_until grep -q '"monitor":"start"' "$LOG"
}

# stop_monitor: SIGTERM; it must exit 0 within 10 s.
stop_monitor() {
	local rc=0
	kill -TERM "$MON"
	finishes "$MON" 10
	wait "$MON" || rc=$?
	MON=
	assert_equal "$rc" 0
}

# events EXPR: how many event lines (not the start and stop lines) of $LOG
# satisfy the jq expression EXPR.
events() {
	jq -s "[.[] | select(has(\"monitor\") | not) | select($1)] | length" "$LOG"
}

no_instance() {
	run ls "$TRACEFS/instances"
	assert_success
	refute_output --partial accelctl-monitor-
}

@test "monitor --invalidations: one line per fault, ack and TLBI, as many as the driver counts; SIGTERM exits 0 and removes the instance" {
	local f0 r0 e0 t0 f a t n
	f0=$(stat_of faults_raised)
	r0=$(stat_of faults_acked_restart)
	e0=$(stat_of faults_acked_address_error)
	t0=$(stat_of tlbis)
	start_monitor --invalidations
	head -n 1 "$LOG" | jq -e '.clock == "monotonic" and
		(.sources.accelsim.events | index("accelsim:fault") != null) and
		(.sources.accelsim.events | index("accelsim:tlbi_done") != null) and
		.sources.kmsg.events == ["/dev/kmsg"]'
	ls "$TRACEFS/instances/accelctl-monitor-$MON"
	run --separate-stderr accelctl -j run --fresh --churn --size 2M -n 2
	assert_success
	stop_monitor
	no_instance
	# Every line is one JSON object; the last one says how many events.
	run jq -e 'type == "object"' "$LOG"
	assert_success
	tail -n 1 "$LOG" | jq -e '.monitor == "stop"'
	n=$(events true)
	tail -n 1 "$LOG" | jq -e ".events == $n"
	f=$(($(stat_of faults_raised) - f0))
	a=$(($(stat_of faults_acked_restart) - r0 + $(stat_of faults_acked_address_error) - e0))
	t=$(($(stat_of tlbis) - t0))
	[ "$f" -gt 0 ]
	[ "$t" -gt 0 ]
	assert_equal "$(events '.event == "fault"')" "$f"
	assert_equal "$(events '.event == "fault_ack"')" "$a"
	assert_equal "$(events '.event == "tlbi_done"')" "$t"
	assert_equal "$(events '.event == "tlbi_start"')" "$t"
	# Each has its device, PASID and address, and the record's fields.
	assert_equal "$(events '.source == "accelsim" and .device == "afu0" and
		(.pasid | type == "number") and
		(.address | test("^0x[0-9a-f]+$")) and
		(.ts | type == "number") and (.fields.id | type == "number")')" "$n"
	assert_equal "$(events '.event == "fault" and .kind == "fault" and
		(.fields.pe | type == "number")')" "$f"
	assert_equal "$(events '.event == "tlbi_done" and .kind == "invalidation"')" "$t"
}

@test "monitor: no TLBIs without --invalidations; --events keeps what it names" {
	local f0 f
	f0=$(stat_of faults_raised)
	start_monitor --events accelsim:fault
	head -n 1 "$LOG" | jq -e '.sources == {"accelsim": {"events": ["accelsim:fault"]}}'
	run --separate-stderr accelctl -j run --fresh --churn --size 1M -n 2
	assert_success
	stop_monitor
	f=$(($(stat_of faults_raised) - f0))
	[ "$f" -gt 0 ]
	assert_equal "$(events true)" "$f"
	assert_equal "$(events '.event == "fault"')" "$f"
	# Everything but invalidations by default (--log appends: a new file).
	LOG=$LOG.2
	start_monitor
	run --separate-stderr accelctl -j run --fresh --churn --size 1M -n 2
	assert_success
	stop_monitor
	[ "$(events '.event == "fault"')" -gt 0 ]
	assert_equal "$(events '.kind == "invalidation"')" 0
	head -n 1 "$LOG" | jq -e '.sources.accelsim.events == ["accelsim:fault", "accelsim:fault_ack"]'
}

@test "monitor without the driver: accelsim is named missing, the rest goes on" {
	wait_empty
	rmmod accelsim
	start_monitor
	head -n 1 "$LOG" | jq -e '.sources.accelsim.missing == ["accelsim:fault", "accelsim:fault_ack"] and
		(.sources.accelsim.reason | type == "string") and
		(.sources.accelsim | has("events") | not) and
		.sources.kmsg.events == ["/dev/kmsg"]'
	run grep -x 'accelctl: warning: monitor: source accelsim unavailable' "$ERR"
	assert_success
	sleep 0.5
	kill -0 "$MON"
	stop_monitor
	no_instance
	tail -n 1 "$LOG" | jq -e '.monitor == "stop" and .events == 0'
}

@test "monitor: SIGHUP reopens the log; SIGINT ends it like SIGTERM" {
	local rc=0
	start_monitor
	mv "$LOG" "$LOG.1"
	kill -HUP "$MON"
	wait_until test -e "$LOG"
	run --separate-stderr accelctl -j run --fresh --size 1M -n 1
	assert_success
	kill -INT "$MON"
	finishes "$MON" 10
	wait "$MON" || rc=$?
	MON=
	assert_equal "$rc" 0
	no_instance
	run jq -r '.monitor // .event' "$LOG.1"
	assert_output start
	[ "$(events '.event == "fault"')" -gt 0 ]
	tail -n 1 "$LOG" | jq -e '.monitor == "stop"'
}

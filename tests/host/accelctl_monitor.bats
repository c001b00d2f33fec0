#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl monitor on the host: options and their errors, and a machine
# without any source (no tracefs where ACCEL_TRACEFS points, no kmsg asked
# for): the start line names each missing source, and the exit status is 3.
# The stream itself is tested in the guest (tests/guest/accelctl_monitor.bats)
# and the records and DMAR lines in tests/unit/test_monitor.c.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load completion_helpers
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
TOP="$BATS_TEST_DIRNAME/../.."

@test "monitor --help: usage, options, exit 0" {
	run "$CTL" monitor --help
	assert_success
	assert_line --index 0 "Usage: accelctl monitor [OPTION...]"
	assert_output --partial "--log=FILE"
	assert_output --partial "--events=LIST"
	assert_output --partial "--invalidations"
	run "$CTL" mon --help
	assert_success
}

@test "monitor: an unknown event, an operand, a missing argument are usage errors" {
	run --separate-stderr "$CTL" monitor --events iommu,nope
	assert_failure 2
	assert_equal "$stderr" "$(printf '%s\n' "accelctl: unknown event or source 'nope' in --events" "Try 'accelctl monitor --help'.")"
	run --separate-stderr "$CTL" monitor --events ''
	assert_failure 2
	run --separate-stderr "$CTL" monitor extra
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "accelctl: unexpected argument 'extra'"
	run --separate-stderr "$CTL" monitor --log
	assert_failure 2
	run --separate-stderr "$CTL" -j monitor -e iommu:fault
	assert_failure 2
	echo "$output" | jq -e '.error == "unknown event or source '"'"'iommu:fault'"'"' in --events"'
}

@test "monitor: no source available is exit 3, each one named" {
	run --separate-stderr env ACCEL_TRACEFS=/nonexistent-tracefs "$CTL" \
		monitor --events accelsim,iommu --invalidations
	assert_failure 3
	jq -e '.monitor == "start" and .clock == "monotonic" and
		.sources.accelsim.missing == ["accelsim:fault", "accelsim:fault_ack", "accelsim:tlbi_start", "accelsim:tlbi_done"] and
		.sources.accelsim.reason == "no tracefs at /nonexistent-tracefs" and
		.sources.iommu.missing == ["iommu:io_page_fault"] and
		(.sources | has("kmsg") | not) and (.sources | has("intel_iommu") | not)' <<<"$output"
	assert_equal "$(grep -c . <<<"$output")" 1
	assert_line --index 0 --partial '"monitor":"start"'
	grep -qx 'accelctl: warning: monitor: source accelsim unavailable' <<<"$stderr"
	grep -qx 'accelctl: monitor: no source of events is available' <<<"$stderr"
}

@test "monitor --log: an unwritable file is exit 1 before anything starts" {
	run --separate-stderr "$CTL" monitor --log /nonexistent-dir/monitor.jsonl
	assert_failure 1
	assert_equal "$stderr" "accelctl: monitor: /nonexistent-dir/monitor.jsonl: No such file or directory"
	assert_equal "$output" ""
}

@test "bash completion: monitor's options, --events' sources after a comma" {
	run complete_words accelctl monitor --
	assert_line -- --events
	assert_line -- --invalidations
	assert_line -- --log
	run complete_words accelctl monitor --events i
	assert_output "$(printf 'intel_iommu\niommu')"
	run complete_words accelctl monitor --events accelsim,k
	assert_output "accelsim,kmsg"
}

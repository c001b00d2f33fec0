#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The guest itself: module load and unload, debugfs, tracefs, BTF, BPF.

load helpers

@test "module is loaded and debugfs info has a header and one row" {
	run module_loaded
	assert_success
	run cat "$DEBUGFS/afu0/info"
	assert_success
	assert_line --index 0 --regexp '^dev version max_pe '
	assert_line --index 1 --regexp '^afu0 [0-9.]+ 512 '
	assert_equal "${#lines[@]}" 2
}

@test "module BTF is loaded" {
	[ -e /sys/kernel/btf/accelsim ]
	run bpftool btf dump file /sys/kernel/btf/accelsim
	assert_success
	assert_output --partial "btf_trace_device_add"
}

@test "tracepoint device_add exists in system accelsim" {
	run cat "$TRACEFS/events/accelsim/device_add/format"
	assert_success
	assert_output --partial "field:u32 dev;"
	assert_output --partial 'print fmt: "dev=%u max_pe=%u"'
}

@test "module unloads cleanly and loads again" {
	run rmmod accelsim
	assert_success
	[ ! -e "$DEBUGFS" ]
	run insmod "$ACCEL_MODULE" nr_devices=2
	assert_success
	[ -e "$DEBUGFS/afu1/info" ]
	assert_kernel_untainted
	run module_reload
	assert_success
}

@test "BPF programs load and attach to the module's tracepoint" {
	run acceltop -b -n 1 --source=bpf-tp
	assert_success
	assert_line --index 0 --regexp '^acceltop .* source bpf-tp '
	run acceltop -b -n 1 --source=bpf-btf
	assert_success
	assert_line --index 0 --regexp '^acceltop .* source bpf-btf '
}

@test "shared libraries of the tools resolve in the guest" {
	for t in accelstat acceltop accelctl; do
		run "$t" --version
		assert_success
		assert_output --partial "$t "
	done
}

@test "an unprivileged user can run programs in the guest" {
	run su user -c 'id -u && ls / >/dev/null && echo ran'
	assert_success
	assert_line --index 0 1000
	assert_line --index 1 ran
}

@test "tmux starts in the guest (UTF-8 locale present)" {
	run env TERM=xterm tmux -L foundation new-session -d -s t 'sleep 30'
	assert_success
	run tmux -L foundation list-sessions
	assert_success
	assert_output --partial "t: 1 windows"
	tmux -L foundation kill-server
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl on the host: command table and prefixes, help, argument
# validation, JSON errors, and the device/list/inject/terminate commands
# against fixture debugfs and sysfs trees (controls are written in copies).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
FIX="$BATS_TEST_DIRNAME/../fixtures"
SYS="$FIX/accelctl-sys"

setup() {
	export ACCEL_DEBUGFS=/nonexistent-accel-root
	export ACCEL_SYSFS=/nonexistent-accel-sysfs
	export ACCEL_DEVDIR=/nonexistent-accel-dev
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/accelctl.XXXXXX")
}

teardown() {
	rm -rf "$T"
}

# A writable copy of the accelctl-sys debugfs and sysfs trees; the
# controls are at $T/sys (ACCEL_SYSFS).
copy_root() {
	cp -r "$SYS/debugfs" "$T/root"
	cp -r "$SYS/sysfs" "$T/sys"
	chmod -R u+rw "$T/root" "$T/sys"
	export ACCEL_SYSFS="$T/sys"
}

# A bus with devices afu0, afu1 and afu3 (as the multi fixture), at $T/sys.
mk_bus() {
	mkdir -p "$T/sys/devices/afu0" "$T/sys/devices/afu1" "$T/sys/devices/afu3"
	: >"$T/sys/new_device"
	: >"$T/sys/del_device"
	export ACCEL_SYSFS="$T/sys"
}

@test "--help lists every command and exits 0" {
	run "$CTL" --help
	assert_success
	for c in run hold list terminate inject device dump inspect doctor monitor; do
		assert_output --partial "  $c "
	done
}

@test "--version prints the version" {
	run "$CTL" --version
	assert_success
	assert_output --regexp '^accelctl [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "no command is a usage error (exit 2)" {
	run "$CTL"
	assert_failure 2
	assert_output --partial "Usage: accelctl"
}

@test "an unknown command is exit 2 with one line and a --help hint" {
	run "$CTL" frobnicate
	assert_failure 2
	assert_line --index 0 "accelctl: unknown command 'frobnicate'"
	assert_line --index 1 "Try 'accelctl --help'."
}

@test "an ambiguous prefix names the candidates" {
	run "$CTL" d
	assert_failure 2
	assert_output --partial "ambiguous command 'd' (could be: device dump doctor)"
}

@test "errors are JSON objects on stdout in JSON mode" {
	run --separate-stderr "$CTL" --json frobnicate
	assert_failure 2
	# shellcheck disable=SC2154 # set by run --separate-stderr
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.error == "unknown command '"'"'frobnicate'"'"'"'
}

@test "a refused option is named, with the command's --help; JSON in JSON mode" {
	run "$CTL" dump --bogus
	assert_failure 2
	assert_line --index 0 "accelctl: unknown option '--bogus'"
	assert_line --index 1 "Try 'accelctl dump --help'."
	run "$CTL" run --chunk
	assert_failure 2
	assert_line --index 0 "accelctl: option '--chunk' needs an argument"
	run "$CTL" list --json=1
	assert_failure 2
	assert_line --index 0 "accelctl: option '--json' takes no argument"
	run "$CTL" device add --max-pe
	assert_failure 2
	assert_line --index 0 "accelctl: option '--max-pe' needs an argument"
	assert_line --index 1 "Try 'accelctl device add --help'."
	run "$CTL" -r
	assert_failure 2
	assert_line --index 0 "accelctl: option '-r' needs an argument"
	assert_line --index 1 "Try 'accelctl --help'."
	run --separate-stderr "$CTL" -j inject -x
	assert_failure 2
	assert_equal "$stderr" ""
	echo "$output" | jq -e '.error == "unknown option '"'"'-x'"'"'"'
}

@test "every command and device subcommand has --help (exit 0)" {
	for c in run hold list terminate inject device dump inspect monitor \
		"device add" "device del" "device list"; do
		# shellcheck disable=SC2086
		run "$CTL" $c --help
		assert_success
		assert_output --partial "Usage: accelctl"
	done
}

@test "prefixes: 'dev l' is 'device list'" {
	run "$CTL" --root "$FIX/multi" device list
	assert_success
	full=$output
	run "$CTL" --root "$FIX/multi" dev l
	assert_success
	assert_equal "$output" "$full"
	assert_line --index 1 --regexp '^afu0 +0\.1\.0 +8 '
	assert_line --index 3 --regexp '^afu3 .* removing '
	assert_equal "${#lines[@]}" 4
}

@test "device list --json has the info columns of every device" {
	run "$CTL" --root "$FIX/multi" device list --json
	assert_success
	echo "$output" | jq -e '.devices | length == 3'
	echo "$output" | jq -e '.devices[2] | .device == "afu3" and .device_id == 3 and .state == "removing" and .max_pe == 64'
}

@test "ACCEL_DEBUGFS selects the root like --root" {
	ACCEL_DEBUGFS="$FIX/multi" run "$CTL" device list
	assert_success
	assert_equal "${#lines[@]}" 4
}

@test "a missing root is exit 3 with a hint" {
	run "$CTL" --root /nonexistent/accelsim device list
	assert_failure 3
	assert_output --regexp "^accelctl: /nonexistent/accelsim: No such file or directory \(.*\)$"
}

@test "list shows every context with its process state" {
	ACCEL_PROCFS="$SYS/proc" run "$CTL" --root "$SYS/debugfs" list
	assert_success
	assert_line --index 0 --regexp '^DEV +PE +PASID +PID +COMM +STATE '
	assert_line --index 1 --regexp '^afu0 +0 +1 +4242 secretwork +active +300 +7 +3 +12 sleeping$'
	assert_line --index 2 --regexp '^afu0 +1 +2 +4343 secretwork +zombie .* gone$'
	assert_line --index 3 --regexp '^afu0 +2 +3 +0 \[kernel\] +active .* -$'
	assert_equal "${#lines[@]}" 4
}

@test "list --json and -d" {
	ACCEL_PROCFS="$SYS/proc" run "$CTL" --root "$SYS/debugfs" -j list -d afu0
	assert_success
	echo "$output" | jq -e '.contexts | length == 3'
	echo "$output" | jq -e '.contexts[0] | .pid == 4242 and .process == "sleeping" and .kernel == false'
	echo "$output" | jq -e '.contexts[2].kernel == true'
	run "$CTL" --root "$SYS/debugfs" list -d afu1
	assert_success
	assert_equal "${#lines[@]}" 1
	run "$CTL" --root "$SYS/debugfs" list -d afu9
	assert_failure 3
	assert_output --partial "device afu9 not found"
}

@test "inject validates every argument before writing" {
	copy_root
	for args in "fault x 0x1000" "fault 1 zz" "fault 1 0x1000 exec" \
		"fault 1" "fault 1 2 read extra" "afu-error -1" "irq" \
		"hold-faults maybe" "tlbi-delay 5parsecs" "fault-delay -1ms" \
		"fail-attach 1 EWHATEVER" "fail-attach 1 0" "fail-attach 1 134" \
		"hang-terminate 2" "release-faults now" "explode"; do
		# shellcheck disable=SC2086
		run "$CTL" inject $args
		assert_failure 2
	done
	# nothing was written
	for f in fault afu_error irq release_faults; do
		assert_equal "$(stat -c %s "$T/sys/devices/afu0/inject/$f")" 0
	done
	assert_equal "$(cat "$T/sys/devices/afu0/inject/hang_terminate")" 1
	assert_equal "$(cat "$T/sys/devices/afu0/inject/fail_attach")" "0 0"
}

@test "inject writes the contract's syntax to the right control" {
	copy_root
	run "$CTL" inject fault 5 0x7f0000001000 write
	assert_success
	assert_equal "$(cat "$T/sys/devices/afu0/inject/fault")" "5 0x7f0000001000 write"
	run "$CTL" inject -d afu0 fail-attach 2 ENOSPC
	assert_success
	assert_equal "$(cat "$T/sys/devices/afu0/inject/fail_attach")" "2 28"
	run "$CTL" inject tlbi-delay 2ms
	assert_success
	assert_equal "$(cat "$T/sys/devices/afu0/inject/tlbi_delay_ns")" 2000000
	run "$CTL" inject hold-faults
	assert_success
	assert_equal "$(cat "$T/sys/devices/afu0/inject/hold_faults")" 1
	run "$CTL" inject hang-t off
	assert_success
	assert_equal "$(cat "$T/sys/devices/afu0/inject/hang_terminate")" 0
	run "$CTL" inject afu-error 1 7
	assert_success
	assert_equal "$(cat "$T/sys/devices/afu0/inject/afu_error")" "1 7"
}

@test "inject: a refused write is reported with its errno text" {
	copy_root
	rm "$T/sys/devices/afu0/inject/irq"
	ln -s /dev/full "$T/sys/devices/afu0/inject/irq"
	run "$CTL" inject irq 3
	assert_failure 1
	assert_output "accelctl: inject irq: afu0/inject/irq refused '3': No space left on device"
}

@test "inject: a control the driver lacks, a missing device" {
	copy_root
	rm "$T/sys/devices/afu0/inject/irq"
	run "$CTL" inject irq 3
	assert_failure 1
	assert_output "accelctl: the driver has no inject/irq control"
	run "$CTL" inject -d 7 irq 3
	assert_failure 3
	assert_output --partial "device afu7 not found"
}

# lockdown FILE-CONTENT: a securityfs with that lockdown file, for
# accel_refusal (ACCEL_SECURITYFS).
lockdown() {
	mkdir -p "$T/secfs"
	echo "$1" >"$T/secfs/lockdown"
	export ACCEL_SECURITYFS="$T/secfs"
}

@test "inject and device: a refusal under lockdown names lockdown" {
	copy_root
	lockdown "none [integrity] confidentiality"
	# a write-only-refused sysfs file: opening it for writing is EACCES
	rm "$T/sys/devices/afu0/inject/irq" "$T/sys/new_device"
	ln -s /sys/kernel/notes "$T/sys/devices/afu0/inject/irq"
	ln -s /sys/kernel/notes "$T/sys/new_device"
	run "$CTL" inject irq 3
	assert_failure 1
	assert_output "accelctl: inject irq: afu0/inject/irq refused '3': refused by kernel lockdown (integrity)"
	run "$CTL" device add 5
	assert_failure 1
	assert_output "accelctl: device add afu5: refused by kernel lockdown (integrity)"
}

@test "inject and device: a refusal without lockdown asks for root" {
	copy_root
	lockdown "[none] integrity confidentiality"
	rm "$T/sys/devices/afu0/inject/irq" "$T/sys/del_device"
	ln -s /sys/kernel/notes "$T/sys/devices/afu0/inject/irq"
	ln -s /sys/kernel/notes "$T/sys/del_device"
	run "$CTL" inject irq 3
	assert_failure 1
	assert_output "accelctl: inject irq: afu0/inject/irq refused '3': permission denied (need root)"
	run "$CTL" device del 0
	assert_failure 1
	assert_output "accelctl: device del afu0: permission denied (need root)"
	# no securityfs at all: the same
	export ACCEL_SECURITYFS=/nonexistent-secfs
	run "$CTL" inject irq 3
	assert_failure 1
	assert_output --partial "permission denied (need root)"
}

@test "the controls need the sysfs bus, not debugfs: a missing bus is exit 3" {
	run "$CTL" device add
	assert_failure 3
	assert_output "accelctl: /nonexistent-accel-sysfs: No such file or directory (accelsim module not loaded? try 'modprobe accelsim')"
	run "$CTL" inject hold-faults on
	assert_failure 3
	# with the bus and no debugfs, device add works
	mk_bus
	run "$CTL" device add
	assert_success
	assert_output "afu2 added"
}

@test "inject show reads the knobs back, --json too" {
	export ACCEL_SYSFS="$SYS/sysfs"
	run "$CTL" inject show
	assert_success
	assert_line --regexp '^hang_terminate +1$'
	assert_line --regexp '^fail_attach +0 0$'
	run "$CTL" --json inject show
	assert_success
	echo "$output" | jq -e '.hang_terminate == "1" and .device == "afu0" and .device_id == 0'
}

@test "device add validates, picks the lowest free id, writes new_device" {
	mk_bus
	for args in "--max-pe 0" "--max-pe 32769" "--max-pe 8 --irq-budget 0" \
		"--irq-budget 8" "afuX" "1 2"; do
		# shellcheck disable=SC2086
		run "$CTL" device add $args
		assert_failure 2
	done
	assert_equal "$(stat -c %s "$T/sys/new_device")" 0
	run "$CTL" device add
	assert_success
	assert_output "afu2 added"
	assert_equal "$(cat "$T/sys/new_device")" 2
	run "$CTL" device add afu7 --max-pe 8 --irq-budget 16
	assert_success
	assert_equal "$(cat "$T/sys/new_device")" "7 8 16"
}

@test "device del writes del_device; needs exactly one id" {
	mk_bus
	run "$CTL" device del
	assert_failure 2
	run "$CTL" device del 1 2
	assert_failure 2
	run "$CTL" --json device del afu3
	assert_success
	echo "$output" | jq -e '.action == "del" and .device == "afu3" and .device_id == 3'
	assert_equal "$(cat "$T/sys/del_device")" 3
}

@test "terminate validates its arguments" {
	for args in "" "pasid" "foo 1" "pasid x" "pe -1" "pasid 1 2"; do
		# shellcheck disable=SC2086
		run "$CTL" --root "$SYS/debugfs" terminate $args
		assert_failure 2
	done
}

@test "terminate of an unknown PASID is exit 3" {
	run "$CTL" --root "$SYS/debugfs" terminate pasid 99
	assert_failure 3
	assert_output "accelctl: no context with pasid 99"
}

@test "run validates its options before touching a device" {
	for args in "--op bogus" "-s 0" "-s 12Q" "-c 0" "-c 100000" \
		"-n 0" "-t 0" "-n 2 -t 1" "--chunk 0" "--window 0" "extra"; do
		# shellcheck disable=SC2086
		run "$CTL" run $args
		assert_failure 2
	done
}

@test "run without the device is exit 3 with one line" {
	run "$CTL" run -n 1
	assert_failure 3
	assert_output "accelctl: context 0: open: No such file or directory"
}

@test "hold without the device fails cleanly" {
	run "$CTL" hold
	assert_failure 3
	assert_output --partial "open /nonexistent-accel-dev/afu0: No such file or directory"
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat command line and errors: --help, --version, usage errors
# (exit 2), missing driver (exit 3), bad views (exit 1); each error is one
# line on stderr.

load accelstat_helpers

@test "help: --help and -h describe every mode and the exit codes" {
	run "$ACCELSTAT" --help
	assert_success
	for opt in --root --device --contexts --pasids --faults --irqs --json \
		--interval --count --check --warn --crit --config --prometheus \
		--output --version; do
		assert_output --partial -- "$opt"
	done
	assert_output --partial 'fault_age 1s/5s'
	assert_output --partial 'zombies 0/4'
	assert_output --partial '3 driver not available'
	assert_output --partial '/etc/accel/health.conf'
	run "$ACCELSTAT" -h
	assert_success
	assert_output --partial 'Usage: accelstat'
}

@test "version: --version and -V print the version" {
	run "$ACCELSTAT" --version
	assert_success
	assert_output "accelstat $(cat "$BATS_TEST_DIRNAME/../../VERSION")"
	run "$ACCELSTAT" -V
	assert_output --regexp '^accelstat [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "usage: bad options exit 2 with a message on stderr" {
	run "$ACCELSTAT" --bogus
	assert_failure 2
	assert_line --index 0 "accelstat: unknown option '--bogus' (see accelstat --help)"
	assert_equal "${#lines[@]}" 1
	run "$ACCELSTAT" extra-arg
	assert_failure 2
	assert_line --index 0 "accelstat: unexpected argument 'extra-arg' (see accelstat --help)"
	run "$ACCELSTAT" -d gpu0
	assert_failure 2
	assert_line --index 0 "accelstat: bad device 'gpu0' (afuN or N) (see accelstat --help)"
	run "$ACCELSTAT" -i 0
	assert_failure 2
	assert_line --index 0 "accelstat: bad interval '0' (seconds, 0.01..86400) (see accelstat --help)"
	run "$ACCELSTAT" -i 1 -n 0
	assert_failure 2
	assert_line --index 0 "accelstat: bad count '0' (1 or more) (see accelstat --help)"
}

@test "usage: conflicting modes exit 2" {
	run "$ACCELSTAT" --prometheus -i 1
	assert_failure 2
	assert_line --index 0 'accelstat: --check, --prometheus and -i are exclusive (see accelstat --help)'
	run "$ACCELSTAT" -n 3
	assert_failure 2
	assert_line --index 0 'accelstat: -n needs -i (see accelstat --help)'
	run "$ACCELSTAT" -o /tmp/x
	assert_failure 2
	assert_line --index 0 'accelstat: -o needs --prometheus (see accelstat --help)'
	run "$ACCELSTAT" --warn spa_usage=1
	assert_failure 2
	assert_line --index 0 'accelstat: --warn, --crit, --config, --window and --state-dir need --check (see accelstat --help)'
	run "$ACCELSTAT" --prometheus --json
	assert_failure 2
	run "$ACCELSTAT" -i 1 -c
	assert_failure 2
	assert_line --index 0 'accelstat: -c/-p/-f/-q/-a do not apply to -i (see accelstat --help)'
}

@test "no driver: --root /nonexistent is one line, exit 3" {
	run "$ACCELSTAT" --root /nonexistent
	assert_failure 3
	assert_output "accelstat: /nonexistent: No such file or directory (accelsim module not loaded? try 'modprobe accelsim')"
	assert_equal "${#lines[@]}" 1
}

@test "no driver: error goes to stderr, stdout stays empty" {
	run bash -c "'$ACCELSTAT' --root /nonexistent 2>/dev/null"
	assert_failure 3
	assert_output ''
	run bash -c "'$ACCELSTAT' --root /nonexistent --json 2>&1 >/dev/null"
	assert_failure 3
	assert_output --partial 'accelstat: /nonexistent:'
}

@test "no driver: default root via ACCEL_DEBUGFS, debugfs not mounted" {
	mkdir -p "$BATS_TEST_TMPDIR/debug"
	ACCEL_DEBUGFS="$BATS_TEST_TMPDIR/debug/accelsim" run "$ACCELSTAT"
	assert_failure 3
	assert_output "accelstat: $BATS_TEST_TMPDIR/debug/accelsim: No such file or directory (debugfs not mounted at $BATS_TEST_TMPDIR/debug? try 'mount -t debugfs none $BATS_TEST_TMPDIR/debug')"
}

@test "driver loaded, views missing: debugfs not mounted, off or failed; exit 3" {
	# the bus in sysfs says the driver is loaded
	mkdir -p "$BATS_TEST_TMPDIR/bus"
	export ACCEL_SYSFS="$BATS_TEST_TMPDIR/bus"
	views="info, spa, pasids, faults, irqs, stats, kctx"
	mkdir -p "$BATS_TEST_TMPDIR/debug"
	ACCEL_DEBUGFS="$BATS_TEST_TMPDIR/debug/accelsim" run "$ACCELSTAT"
	assert_failure 3
	assert_output "accelstat: $BATS_TEST_TMPDIR/debug/accelsim: No such file or directory (the driver is loaded but its debugfs views ($views) are missing: debugfs not mounted at $BATS_TEST_TMPDIR/debug? try 'mount -t debugfs none $BATS_TEST_TMPDIR/debug')"
	ACCEL_DEBUGFS="$BATS_TEST_TMPDIR/nodebug/accelsim" run "$ACCELSTAT"
	assert_failure 3
	assert_output "accelstat: $BATS_TEST_TMPDIR/nodebug/accelsim: No such file or directory (the driver is loaded but its debugfs views ($views) are missing: no debugfs at $BATS_TEST_TMPDIR/nodebug (booted with debugfs=off, or not built))"
	touch "$BATS_TEST_TMPDIR/debug/other"
	ACCEL_DEBUGFS="$BATS_TEST_TMPDIR/debug/accelsim" run "$ACCELSTAT"
	assert_failure 3
	assert_output --partial "are missing: its debugfs failed (see the kernel log))"
	assert_equal "${#lines[@]}" 1
}

@test "no driver: root is a file, not a directory" {
	touch "$BATS_TEST_TMPDIR/file"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/file"
	assert_failure 3
	assert_output --partial "accelstat: $BATS_TEST_TMPDIR/file: Not a directory"
	assert_equal "${#lines[@]}" 1
}

@test "bad view: truncated spa names file and line, exit 1" {
	for mode in "" --json -c; do
		run "$ACCELSTAT" --root "$FIX/truncated" $mode
		assert_failure 1
		assert_output 'accelstat: afu0/spa:3: truncated line (no newline at end)'
	done
}

@test "bad view: future driver version is refused, exit 1" {
	run "$ACCELSTAT" --root "$FIX/future"
	assert_failure 1
	assert_output 'accelstat: afu0/info:2: unsupported view version 1.0.0 (this library reads 0.x)'
}

@test "bad view: missing, empty and garbage views" {
	cp -r "$FIX/busy" "$BATS_TEST_TMPDIR/t"
	rm "$BATS_TEST_TMPDIR/t/afu0/irqs"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/t"
	assert_failure 1
	assert_output 'accelstat: afu0/irqs: No such file or directory'
	: > "$BATS_TEST_TMPDIR/t/afu0/irqs"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/t"
	assert_failure 1
	assert_output 'accelstat: afu0/irqs: empty file (no header line)'
	head -c 300 /dev/urandom > "$BATS_TEST_TMPDIR/t/afu0/stats"
	printf 'pe pasid hwirq count eventfds fired\n' > "$BATS_TEST_TMPDIR/t/afu0/irqs"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/t"
	assert_failure 1
	assert_output --regexp '^accelstat: afu0/stats(:[0-9]+)?: '
	assert_equal "${#lines[@]}" 1
}

@test "bad view: bad number in faults" {
	cp -r "$FIX/busy" "$BATS_TEST_TMPDIR/t"
	sed -i 's/ 52311$/ 52x11/' "$BATS_TEST_TMPDIR/t/afu0/faults"
	run "$ACCELSTAT" --root "$BATS_TEST_TMPDIR/t" -f
	assert_failure 1
	assert_output "accelstat: afu0/faults:2: bad age_ns '52x11'"
}

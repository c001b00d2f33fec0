#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --check: Nagios status line, exit codes, every threshold
# moving OK -> WARNING -> CRITICAL, the config file, and a missing driver.

load accelstat_helpers

bats_require_minimum_version 1.5.0

# check ROOT ARGS...: run the check without the host's health.conf
check() {
	local root=$1
	shift
	run "$ACCELSTAT" --root "$root" --check "$NOCONF" "$@"
}

@test "check: busy device is OK with the defaults, with perfdata" {
	check "$FIX/busy"
	assert_success
	assert_output --regexp '^ACCEL OK - 1 device, 3 contexts, 2 pending faults \| '
	assert_output --partial 'afu0_fault_age=0.0025s;1;5;0 '
	assert_output --partial 'afu0_fault_error_rate=0.802%;1;5;0;100 '
	assert_output --partial 'afu0_spa_usage=37.5%;80;95;0;100 '
	assert_output --partial 'afu0_irq_usage=25%;80;95;0;100 '
	assert_output --partial 'afu0_tlbi_p99=0.000032768s;0.001;0.01;0 '
	assert_output --partial 'afu0_zombies=0;0;4;0 '
	assert_output --partial 'afu0_pending_faults=2;;;0'
	assert_equal "${#lines[@]}" 1
}

@test "check: empty device is OK and latency perfdata is U" {
	check "$FIX/empty"
	assert_success
	assert_output --partial 'ACCEL OK - 1 device, 0 contexts, 0 pending faults'
	assert_output --partial 'afu0_fault_p99=U;0.01;0.1;0'
	assert_output --partial 'afu0_tlbi_p99=U;0.001;0.01;0'
}


@test "check: fault_age threshold (oldest pending fault 2.5ms)" {
	check "$FIX/busy" --warn fault_age=3ms --crit fault_age=4ms
	assert_success
	check "$FIX/busy" --warn fault_age=2ms --crit fault_age=4ms
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 oldest pending fault age 2\.50ms > warn 2\.00ms \|'
	# at the threshold is not above it: the perfdata range 0..0.0025
	check "$FIX/busy" --warn fault_age=1ms --crit fault_age=2500us
	assert_failure 1
	assert_output --partial 'afu0_fault_age=0.0025s;0.001;0.0025;0'
	check "$FIX/busy" --warn fault_age=1ms --crit fault_age=2400us
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 oldest pending fault age 2\.50ms > crit 2\.40ms \|'
	assert_output --partial 'afu0_fault_age=0.0025s;0.001;0.0024;0'
}

@test "check: fault_error_rate threshold (0.8% address_error)" {
	check "$FIX/busy" --warn fault_error_rate=0.9 --crit fault_error_rate=2
	assert_success
	check "$FIX/busy" --warn fault_error_rate=0.5 --crit fault_error_rate=2
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 faults acked address_error 0\.8016% > warn 0\.5% \(since load\) \|'
	check "$FIX/busy" --warn fault_error_rate=0.5% --crit fault_error_rate=0.8%
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 faults acked address_error 0\.8016% > crit 0\.8% \(since load\) \|'
}

@test "check: fault_p99 threshold (p99 fault latency 130us)" {
	check "$FIX/busy" --warn fault_p99=200us --crit fault_p99=1ms
	assert_success
	check "$FIX/busy" --warn fault_p99=100us --crit fault_p99=1ms
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 p99 fault latency 130µs > warn 100µs \(since load\) \|'
	check "$FIX/busy" --warn fault_p99=100us --crit fault_p99=120us
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 p99 fault latency 130µs > crit 120µs \(since load\) \|'
}

@test "check: tlbi_p99 threshold (p99 TLBI latency 32.8us)" {
	check "$FIX/busy" --warn tlbi_p99=40us --crit tlbi_p99=50us
	assert_success
	check "$FIX/busy" --warn tlbi_p99=20us --crit tlbi_p99=50us
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 p99 TLBI latency 32\.8µs > warn 20\.0µs \(since load\) \|'
	check "$FIX/busy" --warn tlbi_p99=20us --crit tlbi_p99=30us
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 p99 TLBI latency 32\.8µs > crit 30\.0µs \(since load\) \|'
}

@test "check: spa_usage threshold (3/8 = 37.5%)" {
	check "$FIX/busy" --warn spa_usage=40 --crit spa_usage=50
	assert_success
	check "$FIX/busy" --warn spa_usage=30 --crit spa_usage=50
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 SPA usage 37\.5% > warn 30% \|'
	check "$FIX/busy" --warn spa_usage=30 --crit spa_usage=35
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 SPA usage 37\.5% > crit 35% \|'
}

@test "check: irq_usage threshold (16/64 = 25%)" {
	check "$FIX/busy" --warn irq_usage=26 --crit irq_usage=50
	assert_success
	check "$FIX/busy" --warn irq_usage=25 --crit irq_usage=50
	assert_success
	check "$FIX/busy" --warn irq_usage=24 --crit irq_usage=50
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 IRQ budget usage 25% > warn 24% \|'
	check "$FIX/busy" --warn irq_usage=20 --crit irq_usage=24
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 IRQ budget usage 25% > crit 24% \|'
}

@test "check: zombies threshold (stale fixture has 1 zombie PE)" {
	local off="--warn fault_age=off --crit fault_age=off"
	check "$FIX/stale_faults" $off --warn zombies=2 --crit zombies=3
	assert_success
	check "$FIX/stale_faults" $off --warn zombies=1
	assert_success
	check "$FIX/stale_faults" $off
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 zombie PEs 1 > warn 0 \|'
	assert_output --partial ' afu0_zombies=1;0;4;0 '
	check "$FIX/stale_faults" $off --crit zombies=0
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 zombie PEs 1 > crit 0 \|'
}

@test "check: defaults flag the full SPA CRITICAL and IRQ usage WARNING" {
	check "$FIX/full_spa"
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 SPA usage 100% > crit 95%; afu0 IRQ budget usage 81\.25% > warn 80% \|'
}

@test "check: defaults flag stale faults CRITICAL (6s > 5s)" {
	check "$FIX/stale_faults"
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 oldest pending fault age 6\.00s > crit 5\.00s; afu0 zombie PEs 1 > warn 0 \|'
}

@test "check: multi-device perfdata is per device; worst state wins" {
	# afu3 is being removed: WARNING, as accelctl inspect says
	check "$FIX/multi"
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu3 state removing \|'
	cp -r "$FIX/multi" "$BATS_TEST_TMPDIR/online"
	sed -i '2s/ removing / online /' "$BATS_TEST_TMPDIR/online/afu3/info"
	check "$BATS_TEST_TMPDIR/online"
	assert_success
	assert_output --partial 'ACCEL OK - 3 devices, 3 contexts, 2 pending faults'
	assert_output --partial 'afu1_spa_usage=0%'
	assert_output --partial 'afu3_contexts=0;;;0;64'
	check "$FIX/multi" --warn spa_usage=30
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 SPA usage'
	refute_output --regexp 'afu1 SPA usage'
	check "$FIX/multi" -d afu1 --warn spa_usage=30
	assert_success
}

@test "check: config file sets thresholds; flags override it" {
	conf="$BATS_TEST_TMPDIR/health.conf"
	printf '# test\nspa_usage_warn = 30%%\nspa_usage_crit = 35   # tight\n' > "$conf"
	run "$ACCELSTAT" --root "$FIX/busy" --check --config "$conf"
	assert_failure 2
	assert_output --partial 'SPA usage 37.5% > crit 35%'
	run "$ACCELSTAT" --root "$FIX/busy" --check --config "$conf" --crit spa_usage=off
	assert_failure 1
	assert_output --partial 'SPA usage 37.5% > warn 30%'
}

@test "check: config file errors are UNKNOWN with file:line" {
	conf="$BATS_TEST_TMPDIR/health.conf"
	printf 'spa_usage_warn = 30\n\nspa_usage_crit = lots\n' > "$conf"
	run "$ACCELSTAT" --root "$FIX/busy" --check --config "$conf"
	assert_failure 3
	assert_output "ACCEL UNKNOWN - config $conf:3: bad value 'lots' for spa_usage: expected a percentage 0..100 such as 80 or 80%, or off"
	printf 'speed_warn = 1\n' > "$conf"
	run "$ACCELSTAT" --root "$FIX/busy" --check --config "$conf"
	assert_failure 3
	assert_output --partial "config $conf:1: unknown threshold 'speed'"
	run "$ACCELSTAT" --root "$FIX/busy" --check --config "$BATS_TEST_TMPDIR/missing.conf"
	assert_failure 3
	assert_output "ACCEL UNKNOWN - config $BATS_TEST_TMPDIR/missing.conf: No such file or directory"
}

@test "check: warn above crit is UNKNOWN" {
	check "$FIX/busy" --warn spa_usage=90 --crit spa_usage=50
	assert_failure 3
	assert_output 'ACCEL UNKNOWN - spa_usage: warn 90% above crit 50%'
}

@test "check: 'off' on one level disables that level alone" {
	# full_spa: SPA 100%, IRQ budget 81.25% (WARNING by default)
	check "$FIX/full_spa" --warn spa_usage=off --warn irq_usage=off
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 SPA usage 100% > crit 95% \|'
	assert_output --partial 'afu0_spa_usage=100%;;95;0;100'
	check "$FIX/full_spa" --crit spa_usage=off --warn irq_usage=off
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 SPA usage 100% > warn 80% \|'
	# the same from health.conf
	conf="$BATS_TEST_TMPDIR/health.conf"
	printf 'spa_usage_warn = off\nirq_usage_warn = off\n' >"$conf"
	run "$ACCELSTAT" --root "$FIX/full_spa" --check --config "$conf"
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 SPA usage 100% > crit 95% \|'
}

@test "check: bad threshold flags are UNKNOWN on stdout, exit 3" {
	run bash -c "'$ACCELSTAT' --root '$FIX/busy' --check $NOCONF --warn bogus=1 2>/dev/null"
	assert_failure 3
	assert_output "ACCEL UNKNOWN - unknown threshold 'bogus' (known: fault_age fault_error_rate fault_p99 tlbi_p99 spa_usage irq_usage zombies)"
	run bash -c "'$ACCELSTAT' --root '$FIX/busy' --check $NOCONF --crit fault_age=soon 2>/dev/null"
	assert_failure 3
	assert_output "ACCEL UNKNOWN - bad value 'soon' for fault_age: expected a duration such as 500ms, 2s, 20us, or off"
	run bash -c "'$ACCELSTAT' --root '$FIX/busy' --check $NOCONF --warn spa_usage 2>/dev/null"
	assert_output "ACCEL UNKNOWN - bad threshold 'spa_usage': expected NAME=VALUE"
}

@test "check: other usage errors exit 3, not 2, with the UNKNOWN line on stdout" {
	run --separate-stderr "$ACCELSTAT" --check --bogus
	assert_failure 3
	assert_output "ACCEL UNKNOWN - unknown option '--bogus'"
	assert_equal "$stderr" "accelstat: unknown option '--bogus' (see accelstat --help)"
	run --separate-stderr "$ACCELSTAT" --check -i 1
	assert_failure 3
	assert_output 'ACCEL UNKNOWN - --check, --prometheus and -i are exclusive'
	assert_equal "$stderr" 'accelstat: --check, --prometheus and -i are exclusive (see accelstat --help)'
	# --check=X is check mode too (exit 2 would read CRITICAL)
	run --separate-stderr "$ACCELSTAT" --check=yes
	assert_failure 3
	assert_output "ACCEL UNKNOWN - option '--check' takes no argument"
}

@test "check: truncated or future views are UNKNOWN naming file:line" {
	check "$FIX/truncated"
	assert_failure 3
	assert_output 'ACCEL UNKNOWN - afu0/spa:3: truncated line (no newline at end)'
	check "$FIX/future"
	assert_failure 3
	assert_output 'ACCEL UNKNOWN - afu0/info:2: unsupported view version 1.0.0 (this library reads 0.x)'
}

@test "check: module not loaded is CRITICAL with a modprobe hint" {
	mkdir -p "$BATS_TEST_TMPDIR/debug/tracing"
	check "$BATS_TEST_TMPDIR/debug/accelsim"
	assert_failure 2
	assert_output "ACCEL CRITICAL - $BATS_TEST_TMPDIR/debug/accelsim: No such file or directory (accelsim module not loaded? try 'modprobe accelsim')"
}

@test "check: debugfs not mounted is UNKNOWN with a mount hint" {
	mkdir -p "$BATS_TEST_TMPDIR/debug"
	check "$BATS_TEST_TMPDIR/debug/accelsim"
	assert_failure 3
	assert_output "ACCEL UNKNOWN - $BATS_TEST_TMPDIR/debug/accelsim: No such file or directory (debugfs not mounted at $BATS_TEST_TMPDIR/debug? try 'mount -t debugfs none $BATS_TEST_TMPDIR/debug')"
}

@test "check: no devices is UNKNOWN; a missing -d device is CRITICAL" {
	check "$FIX/nodevices"
	assert_failure 3
	assert_output --partial 'ACCEL UNKNOWN - no accelsim devices under'
	# the hint names the bus's control, not a file under the views' root
	ACCEL_SYSFS=/bus check "$FIX/nodevices"
	assert_output "ACCEL UNKNOWN - no accelsim devices under $FIX/nodevices (create one: echo 0 > /bus/new_device)"
	check "$FIX/multi" -d afu2
	assert_failure 2
	assert_output "ACCEL CRITICAL - device afu2 not found under $FIX/multi"
}

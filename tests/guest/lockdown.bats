#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Secure Boot's lockdown=integrity, raised at run time after the module
# loads (an unsigned module cannot load once it is up, and it cannot be
# lowered): debugfs then refuses every file that can be written, so the
# controls live in sysfs. Device add and del, every inject verb, kernel
# contexts and accelctl dump must work, and accelstat, acceltop and
# accelctl list must print what they print without lockdown.
# accel-own-boot: lockdown stays up for the rest of the boot, so this suite
# needs a guest of its own (tests/check.sh gives one to every suite on the
# stock kernel, and to a suite with this line on the debug kernel too).

load helpers
bats_require_minimum_version 1.5.0

PATH=$PATH:/accel/tests/progs

# The tools' views of a quiet driver, with one context held: the same
# before and after lockdown. acceltop's header carries the clock.
views() {
	accelstat
	accelstat --json | jq -S 'del(.time_unix_s, .time_utc, .timestamp)'
	accelctl list
	acceltop -b -n 1 --no-color | grep -v -E '^acceltop|[0-9]{2}:[0-9]{2}:[0-9]{2}'
}

setup_file() {
	local _i
	for ((_i = 0; _i < 50; _i++)); do
		module_loaded || break
		rmmod accelsim 2>/dev/null && break
		sleep 0.2
	done
	module_loaded && rmmod accelsim
	insmod "$ACCEL_MODULE" nr_devices=2
	# a context that stays for the whole suite, as a target
	accelctl hold --irqs 4 >"$BATS_FILE_TMPDIR/hold" &
	echo $! >"$BATS_FILE_TMPDIR/hold.pid"
	wait_until grep -q '^pid ' "$BATS_FILE_TMPDIR/hold"
	views >"$BATS_FILE_TMPDIR/before" 2>&1
	grep -q ' /sys/kernel/security ' /proc/mounts ||
		mount -t securityfs none /sys/kernel/security
	echo integrity >/sys/kernel/security/lockdown
}

teardown_file() {
	kill "$(cat "$BATS_FILE_TMPDIR/hold.pid")" 2>/dev/null || true
}

setup() {
	read -r _ _ _ _ _ PASID _ PE _ HWIRQ _ <"$BATS_FILE_TMPDIR/hold"
}

teardown() {
	echo 0 >"$SYSFS/devices/afu0/inject/hold_faults"
	echo 0 >"$SYSFS/devices/afu0/inject/hang_terminate"
	echo 0 >"$SYSFS/devices/afu0/inject/fault_delay_ns"
	echo 0 >"$SYSFS/devices/afu0/inject/tlbi_delay_ns"
	echo "0 0" >"$SYSFS/devices/afu0/inject/fail_attach"
	echo 3 >"$SYSFS/del_device" 2>/dev/null || true
}

@test "lockdown is up: debugfs refuses writes, the views still read" {
	run cat /sys/kernel/security/lockdown
	assert_output "none [integrity] confidentiality"
	# what lockdown does to a writable debugfs file: opening it to write
	# (nothing is written) is refused
	f=$(find /sys/kernel/debug -maxdepth 2 -type f -perm -u+w \
		! -path '*/accelsim/*' | head -n 1)
	[ -n "$f" ]
	run sh -c ": >>$f"
	assert_failure
	assert_output --partial "Operation not permitted"
	# accelsim has none: every file is a read-only view, and reads
	run find "$DEBUGFS" -type f -perm /222
	assert_output ''
	for f in "$DEBUGFS"/pasids "$DEBUGFS"/afu0/*; do
		cat "$f" >/dev/null || fail "$f unreadable"
	done
	run cat "$DEBUGFS/afu0/kctx"
	assert_output "pe size pasid inflight ok mismatch failed fault_addr"
}

@test "accelstat, acceltop -b and accelctl list print what they print without lockdown" {
	views >"$BATS_TEST_TMPDIR/after" 2>&1
	run diff "$BATS_FILE_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_success
	# and it was not empty: the held context is listed
	grep -q -E "^afu0 +$PE +$PASID " "$BATS_TEST_TMPDIR/after"
}

@test "accelctl device add and del work under lockdown" {
	run accelctl device add 3 --max-pe 16 --irq-budget 32
	assert_success
	assert_output "afu3 added"
	[ -c /dev/accelsim/afu3 ]
	run awk 'NR == 2 { print $1, $3, $5, $7 }' "$DEBUGFS/afu3/info"
	assert_output "afu3 16 32 online"
	run accelctl run -d afu3 --size 64K -n 2
	assert_success
	run accelctl device del 3
	assert_success
	assert_output "afu3 deleted"
	[ ! -e /dev/accelsim/afu3 ]
	[ ! -e "$DEBUGFS/afu3" ]
	run accelctl device del 3
	assert_failure 3
}

@test "every accelctl inject verb works under lockdown" {
	local err0 afu0
	err0=$(stat_of faults_acked_address_error)
	afu0=$(stat_of afu_errors)
	run accelctl inject hold-faults on
	assert_success
	assert_output "afu0: inject/hold_faults <- 1"
	run accelctl inject fault "$PASID" 0x1000 write
	assert_success
	assert_output "afu0: inject/fault <- $PASID 0x1000 write"
	run awk -v p="$PASID" 'NR > 1 && $4 == p { print $7 }' "$DEBUGFS/afu0/faults"
	assert_output held
	run accelctl inject release-faults
	assert_success
	wait_until only_header "$DEBUGFS/afu0/faults"
	assert_equal "$(stat_of faults_acked_address_error)" $((err0 + 1))
	run accelctl inject hold-faults off
	assert_success
	run accelctl inject afu-error "$PE" 9
	assert_success
	assert_output "afu0: inject/afu_error <- $PE 9"
	assert_equal "$(stat_of afu_errors)" $((afu0 + 1))
	run accelctl inject irq "$HWIRQ"
	assert_success
	run awk -v p="$PE" 'NR > 1 && $1 == p { print $6 }' "$DEBUGFS/afu0/irqs"
	assert_output 1
	run accelctl inject tlbi-delay 2ms
	assert_success
	run accelctl inject fault-delay 1ms
	assert_success
	run accelctl inject fail-attach 1 ENOSPC
	assert_success
	run accelctl inject hang-terminate on
	assert_success
	run accelctl inject show
	assert_success
	assert_line --regexp '^tlbi_delay_ns +2000000$'
	assert_line --regexp '^fault_delay_ns +1000000$'
	assert_line --regexp '^fail_attach +1 28$'
	assert_line --regexp '^hang_terminate +1$'
	assert_line --regexp '^hold_faults +0$'
	# the knobs act: the next attach fails with ENOSPC
	run asim_attach
	assert_failure
	assert_output --partial "No space left on device"
	run accelctl inject hang-terminate off
	assert_success
	run accelctl inject fail-attach 0 EIO
	assert_success
	assert_kernel_untainted
}

@test "kernel contexts: create, submit and destroy under lockdown" {
	local pe
	echo "create 65536" >"$SYSFS/devices/afu0/kctx"
	pe=$(awk 'NR == 2 { print $1 }' "$DEBUGFS/afu0/kctx")
	[ -n "$pe" ]
	echo "submit $pe fill 0 0 65536 0x5a" >"$SYSFS/devices/afu0/kctx"
	echo "submit $pe compare 0 0 65536" >"$SYSFS/devices/afu0/kctx"
	wait_until sh -c "awk 'NR == 2 { exit !(\$5 == 2 && \$4 == 0) }' $DEBUGFS/afu0/kctx"
	run awk -v p="$pe" 'NR > 1 && $1 == p { print $6 }' "$DEBUGFS/afu0/spa"
	assert_output 1
	# accelctl terminate destroys a kernel context through the control
	pasid=$(awk 'NR == 2 { print $3 }' "$DEBUGFS/afu0/kctx")
	run accelctl terminate pe "$pe"
	assert_success
	assert_output "afu0 pe $pe pasid $pasid: terminated"
	only_header "$DEBUGFS/afu0/kctx"
}

@test "accelctl dump: no failed section, the knobs come from sysfs" {
	echo 5000 >"$SYSFS/devices/afu0/inject/tlbi_delay_ns"
	run accelctl dump -o "$BATS_TEST_TMPDIR/b.tar.gz"
	assert_success
	refute_output --partial failed
	mkdir "$BATS_TEST_TMPDIR/x"
	tar -xzf "$BATS_TEST_TMPDIR/b.tar.gz" -C "$BATS_TEST_TMPDIR/x"
	X=$(echo "$BATS_TEST_TMPDIR"/x/*)
	jq -e 'all(.sections[]; .status == "ok")' "$X/manifest.json"
	jq -e '[.sections[].name] | index("sysfs") != null' "$X/manifest.json"
	assert_equal "$(cat "$X/sysfs/afu0/inject/tlbi_delay_ns")" 5000
	for k in hold_faults fault_delay_ns tlbi_delay_ns fail_attach hang_terminate; do
		[ -f "$X/sysfs/afu1/inject/$k" ] || fail "afu1 $k missing"
	done
	for v in info spa pasids faults irqs stats kctx; do
		[ -f "$X/debugfs/afu0/$v" ] || fail "debugfs $v missing"
	done
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl dump in the guest: every section from the live driver, a valid
# manifest, and redaction of a workload's pids and comm. The bundles are
# also left in /out (tests/vm/run --out DIR brings them to the host, where
# tests/host/accelctl_guest.bats reads them back).

load helpers
bats_require_minimum_version 1.5.0

setup() {
	module_loaded || insmod "$ACCEL_MODULE"
	echo 1 >"$TRACEFS/events/accelsim/enable"
	: >"$TRACEFS/trace"
	# the workload runs under a name of its own, so it can be searched for
	cp "$(command -v accelctl)" /tmp/secretwl
	/tmp/secretwl hold >"$BATS_TEST_TMPDIR/hold" &
	HOLD=$!
	for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/hold" ] && break; sleep 0.1; done
	[ -s "$BATS_TEST_TMPDIR/hold" ]
	/tmp/secretwl run --fresh --size 1M -n 2 >/dev/null 2>&1 &
	WORK=$!
	wait "$WORK"
	W=$BATS_TEST_TMPDIR/x
	mkdir -p "$W"
}

teardown() {
	kill "$HOLD" 2>/dev/null || true
	wait "$HOLD" 2>/dev/null || true
	echo 0 >"$TRACEFS/events/accelsim/enable"
}

@test "a dump holds every section of the live driver with a valid manifest" {
	run accelctl dump --timeout 60 -o /tmp/b.tar.gz
	assert_success
	assert_equal "$(stat -c %a /tmp/b.tar.gz)" 600
	tar -xzf /tmp/b.tar.gz -C "$W"
	X=$(echo "$W"/*)
	m=$X/manifest.json
	jq -e '.format == "accel-bundle" and .format_version == 1' "$m"
	jq -e '.host == "accel-guest" and .kernel.release == "'"$(uname -r)"'"' "$m"
	jq -e '.driver_version | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")' "$m"
	jq -e '[.sections[].name] == ["debugfs","snapshot","kmsg","trace","params","proc","sysfs","idxd"]' "$m"
	jq -e 'all(.sections[]; .status == "ok")' "$m"
	jq -e '.devices[0].contexts | length >= 1' "$X/snapshot.json"
	# every readable debugfs file, byte for byte where it cannot change
	for v in info spa pasids faults irqs stats kctx atc gen; do
		[ -f "$X/debugfs/afu0/$v" ]
	done
	[ -f "$X/debugfs/pasids" ]
	cmp "$X/debugfs/afu0/spa" "$DEBUGFS/afu0/spa"
	# the knobs that read back, from sysfs; never a write-only control
	for p in "$SYSFS"/devices/afu0/inject/*; do
		if [ "$(stat -c %a "$p")" != 200 ]; then
			cmp "$X/sysfs/afu0/inject/$(basename "$p")" "$p"
		else
			[ ! -e "$X/sysfs/afu0/inject/$(basename "$p")" ]
		fi
	done
	# the driver's kernel log lines, its trace events, its parameters
	assert_equal "$(wc -l <"$X/kmsg.txt")" "$(dmesg | grep -c accelsim)"
	grep -q "context_attach: .*pid=$HOLD " "$X/trace.txt"
	grep -q "secretwl-$HOLD " "$X/trace.txt"
	run grep -v -E ': (device_add|device_del|context_attach|context_detach|pasid_alloc|pasid_free|fault|fault_ack|tlbi_start|tlbi_done|irq_alloc|irq_free|irq_fire|work_submit|work_done|afu_error): ' "$X/trace.txt"
	assert_output ""
	for p in /sys/module/accelsim/parameters/*; do
		cmp "$X/params/$(basename "$p")" "$p"
	done
	grep -qx "$(printf 'Name:\tsecretwl')" "$X/proc/$HOLD/status"
	# the file list matches the archive
	jq -e ".files | length == $(find "$X" -type f ! -name manifest.json | wc -l)" "$m"
	cp /tmp/b.tar.gz /out/guest-bundle.tar.gz
}

@test "--redact leaves no real pid or comm of the workload in any file" {
	run accelctl dump --timeout 60 --redact -o /tmp/r.tar.gz
	assert_success
	assert_line "redaction map (keep private) written to /tmp/r.tar.gz.redact-map"
	tar -xzf /tmp/r.tar.gz -C "$W"
	X=$(echo "$W"/*)
	# the comm appears nowhere, not even in a file name
	run grep -rl secretwl "$X"
	assert_failure 1
	run find "$X" -name '*secretwl*'
	assert_output ""
	for pid in "$HOLD" "$WORK"; do
		# no file is named after it; no pid column or field holds it
		run find "$X" -name "$pid"
		assert_output ""
		run awk -v p="$pid" 'NR > 1 && $3 == p' "$X/debugfs/afu0/spa"
		assert_output ""
		run awk -v p="$pid" 'NR > 1 && $2 == p' "$X/debugfs/afu0/pasids" "$X/debugfs/pasids"
		assert_output ""
		run grep -E -e "-$pid |pid=$pid( |\$)" "$X/trace.txt"
		assert_output ""
		# nor a pid context of the log (a timestamp may equal it)
		run grep -E -e "(pid|PID|tgid|ppid)[=: ]{1,2}$pid\b|/proc/$pid\b|\[$pid\]" "$X/kmsg.txt"
		assert_output ""
		run grep -w -e "$pid" "$X/manifest.json"
		assert_output ""
		run grep -rE "^(Pid|PPid|Tgid|NStgid|NSpid|NSpgid|NSsid):\s+$pid\$" "$X/proc"
		assert_output ""
	done
	jq -e '.redacted == true' "$X/manifest.json"
	# the pseudonyms are there instead, and the map is kept out
	grep -q " comm1 " "$X/debugfs/afu0/spa"
	grep -q "comm1-5000" "$X/trace.txt"
	grep -qx "pid $HOLD 5000[0-9]*" /tmp/r.tar.gz.redact-map
	assert_equal "$(stat -c %a /tmp/r.tar.gz.redact-map)" 600
	run tar -tzf /tmp/r.tar.gz
	refute_output --partial "redact-map"
	cp /tmp/r.tar.gz /out/guest-redacted.tar.gz
}

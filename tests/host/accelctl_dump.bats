#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl dump and inspect on the host: bundles built from the fixture
# system tests/fixtures/accelctl-sys (debugfs, tracefs, /proc, module
# parameters and kernel log), failed sections, wedged reads, redaction, and
# the reader's handling of truncated, unknown-version and random files.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
ACCELSTAT="$BATS_TEST_DIRNAME/../../cli/accelstat/accelstat"
FIX="$BATS_TEST_DIRNAME/../fixtures"

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/accelctl-dump.XXXXXX")
	# git keeps no 0200 modes: make the controls write-only as in sysfs
	cp -r "$FIX/accelctl-sys" "$T/sys"
	SYS="$T/sys"
	chmod 0200 "$SYS"/sysfs/{new,del}_device "$SYS"/sysfs/devices/afu*/kctx \
		"$SYS"/sysfs/devices/afu0/inject/{fault,afu_error,irq,release_faults}
	export ACCEL_DEBUGFS="$SYS/debugfs"
	export ACCEL_SYSFS="$SYS/sysfs"
	export ACCEL_TRACEFS="$SYS/tracefs"
	export ACCEL_PROCFS="$SYS/proc"
	export ACCEL_SYSMODULE="$SYS/sysmodule"
	export ACCEL_KMSG="$SYS/kmsg"
}

teardown() {
	rm -rf "$T"
}

# extract BUNDLE: unpack into $T/x; $X is the bundle's top directory.
extract() {
	rm -rf "$T/x"
	mkdir -p "$T/x"
	tar -xzf "$1" -C "$T/x"
	X=$(echo "$T"/x/*)
}

@test "dump writes a 0600 tar.gz with every section of the fixture system" {
	run "$CTL" dump -o "$T/b.tar.gz"
	assert_success
	assert_output --regexp "^bundle written to $T/b.tar.gz \([0-9]+ files\)$"
	assert_equal "$(stat -c %a "$T/b.tar.gz")" 600
	extract "$T/b.tar.gz"
	for f in manifest.json snapshot.json kmsg.txt trace.txt \
		debugfs/pasids debugfs/afu0/info debugfs/afu0/spa \
		debugfs/afu0/pasids debugfs/afu0/faults debugfs/afu0/irqs \
		debugfs/afu0/stats sysfs/afu0/inject/hang_terminate \
		sysfs/afu0/inject/fail_attach sysfs/afu0/inject/hold_faults \
		debugfs/afu1/spa params/max_pe params/nr_devices \
		proc/4242/status proc/4343/status; do
		[ -f "$X/$f" ] || fail "$f missing"
	done
	# write-only controls are not read
	[ ! -e "$X/sysfs/new_device" ]
	[ ! -e "$X/sysfs/afu0/inject/fault" ]
	[ ! -e "$X/sysfs/afu0/kctx" ]
	cmp "$X/sysfs/afu0/inject/fail_attach" "$SYS/sysfs/devices/afu0/inject/fail_attach"
	# the views are copied byte for byte
	cmp "$X/debugfs/afu0/spa" "$SYS/debugfs/afu0/spa"
	cmp "$X/proc/4242/status" "$SYS/proc/4242/status"
	assert_equal "$(cat "$X/proc/4343/status")" "# the process has exited"
}

@test "the manifest: format, versions, host, command line, sections, files" {
	run "$CTL" dump -o "$T/b.tar.gz"
	assert_success
	extract "$T/b.tar.gz"
	m="$X/manifest.json"
	jq -e '.format == "accel-bundle" and .format_version == 1' "$m"
	jq -e '.tool == "accelctl" and (.tool_version | test("^[0-9]+\\.[0-9]+\\.[0-9]+$"))' "$m"
	jq -e '.driver_version == "0.1.0"' "$m"
	jq -e '(.kernel.release | length) > 0 and (.host | length) > 0' "$m"
	jq -e '(.time_unix_s > 1600000000) and (.time_utc | test("Z$"))' "$m"
	jq -e '.command_line[1:] == ["dump", "-o", "'"$T/b.tar.gz"'"]' "$m"
	jq -e '[.sections[].name] == ["debugfs","snapshot","kmsg","trace","params","proc","sysfs","idxd"]' "$m"
	jq -e 'all(.sections[]; .status == "ok")' "$m"
	jq -e '.redacted == false' "$m"
	# every file is listed with its size
	n=$(cd "$X" && find . -type f ! -name manifest.json | wc -l)
	jq -e ".files | length == $n" "$m"
	size=$(stat -c %s "$X/debugfs/afu0/spa")
	jq -e '.files[] | select(.path == "debugfs/afu0/spa") | .size == '"$size" "$m"
}

@test "snapshot.json holds what accelstat --json shows" {
	run "$CTL" dump -o "$T/b.tar.gz"
	assert_success
	extract "$T/b.tar.gz"
	a=$("$ACCELSTAT" --json | jq -S '.devices')
	b=$(jq -S '.devices' "$X/snapshot.json")
	assert_equal "$b" "$a"
	jq -e '.schema_version == 2' "$X/snapshot.json"
}

@test "kmsg keeps the driver's lines; trace keeps accelsim events only" {
	run "$CTL" dump -o "$T/b.tar.gz"
	assert_success
	extract "$T/b.tar.gz"
	run cat "$X/kmsg.txt"
	assert_line --index 0 "[   12.000000] accelsim: loaded, 2 devices"
	assert_equal "${#lines[@]}" 3
	refute_output --partial "other: unrelated"
	run cat "$X/trace.txt"
	assert_equal "${#lines[@]}" 4
	refute_output --partial "sched_switch"
	refute_output --partial "# tracer"
}

@test "--since keeps only recent trace events" {
	run "$CTL" dump --since 60 -o "$T/b.tar.gz"
	assert_success
	extract "$T/b.tar.gz"
	run cat "$X/trace.txt"
	assert_output --partial "work_done: id=5"
	assert_equal "${#lines[@]}" 1
	jq -e '.since_s == 60' "$X/manifest.json"
	run "$CTL" dump --since soon
	assert_failure 2
}

# flight_recorder: the driver's tracefs instance in the fixture, with the
# per-CPU ring buffer stats of 2 CPUs (the clock at 100 s, cpu1 wrapped).
flight_recorder() {
	local i=$SYS/tracefs/instances/accelsim
	mkdir -p "$i/per_cpu/cpu0" "$i/per_cpu/cpu1"
	cat >"$i/trace" <<-'EOF'
	# tracer: nop
	#
	         flightwl-77      [000] .....     3.000000: context_attach: dev=0 pe=0 pasid=1 pid=77 kernel=0
	         flightwl-77      [001] .....    40.000000: fault: id=1 dev=0 pe=0 pasid=1 addr=0x7f0000001000 access=1
	      kworker/1:1-20      [001] .....    95.000000: fault_ack: id=1 dev=0 pe=0 pasid=1 addr=0x7f0000001000 resp=restart lat_ns=100
	         flightwl-77      [001] .....    95.500000: work_done: id=1 dev=0 pe=0 pasid=1 status=0 bytes=4096
	EOF
	echo "1410 (expanded: 1408)" >"$i/buffer_size_kb"
	printf 'entries: 1\noverrun: 0\ncommit overrun: 0\nbytes: 20\noldest event ts:     3.000000\nnow ts:   100.000000\ndropped events: 0\nread events: 0\n' \
		>"$i/per_cpu/cpu0/stats"
	printf 'entries: 3\noverrun: 7\ncommit overrun: 0\nbytes: 60\noldest event ts:    40.000000\nnow ts:   100.000000\ndropped events: 0\nread events: 0\n' \
		>"$i/per_cpu/cpu1/stats"
}

@test "trace.txt comes from the flight recorder; the manifest gives its reach" {
	flight_recorder
	run "$CTL" dump -o "$T/b.tar.gz"
	assert_success
	extract "$T/b.tar.gz"
	run cat "$X/trace.txt"
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --partial "context_attach: dev=0 pe=0 pasid=1 pid=77"
	refute_output --partial secretwork
	m=$X/manifest.json
	jq -e '.format_version == 1' "$m"
	jq -e '.trace_reach.source == "instances/accelsim"' "$m"
	jq -e '.trace_reach.buffer_size_kb == 1410' "$m"
	jq -e '.trace_reach.now_s == 100 and .trace_reach.oldest_s == 3 and .trace_reach.reach_s == 97' "$m"
	jq -e '.trace_reach.overwritten == 7 and .trace_reach.dropped == 0' "$m"
	jq -e '.trace_reach.events == 4 and .trace_reach.first_s == 3 and .trace_reach.last_s == 95.5' "$m"
	# --since counts back from the trace clock's now, not the host's
	run "$CTL" dump --since 10 -o "$T/s.tar.gz"
	assert_success
	extract "$T/s.tar.gz"
	run cat "$X/trace.txt"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial "fault_ack: id=1"
	jq -e '.since_s == 10 and .trace_reach.events == 2 and .trace_reach.first_s == 95' "$X/manifest.json"
}

@test "without a flight recorder the top-level trace is read, its reach unknown" {
	run "$CTL" dump -o "$T/b.tar.gz"
	assert_success
	extract "$T/b.tar.gz"
	m=$X/manifest.json
	jq -e '.trace_reach.source == "top-level" and .trace_reach.events == 4' "$m"
	jq -e '.trace_reach.oldest_s == null and .trace_reach.overwritten == null' "$m"
	# no trace section, no reach
	ACCEL_TRACEFS=/nonexistent-tracefs run "$CTL" dump -o "$T/n.tar.gz"
	assert_success
	extract "$T/n.tar.gz"
	jq -e '.trace_reach == null' "$X/manifest.json"
}

@test "inspect shows the trace events by type, their reach and the last lines" {
	flight_recorder
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	run "$CTL" inspect "$T/b.tar.gz"
	assert_success
	assert_line "trace events:"
	assert_line "  4 events from instances/accelsim, whose oldest is 97.0 s old, 7 older ones overwritten"
	assert_line "  context_attach 1, fault 1, fault_ack 1, work_done 1"
	assert_line --partial "  flightwl-77      [001] .....    95.500000: work_done: id=1"
	run "$CTL" --json inspect "$T/b.tar.gz"
	assert_success
	echo "$output" | jq -e '.trace.events == 4 and .trace.by_event.work_done == 1'
	echo "$output" | jq -e '.trace.reach.source == "instances/accelsim" and .trace.reach.overwritten == 7'
	# a bundle without trace.txt says so
	ACCEL_TRACEFS=/nonexistent-tracefs "$CTL" dump -o "$T/n.tar.gz" >/dev/null
	run "$CTL" inspect "$T/n.tar.gz"
	assert_success
	assert_line "  none: no trace.txt in the bundle"
}

@test "missing sections are recorded as failed, the rest is written" {
	ACCEL_TRACEFS=/nonexistent-tracefs ACCEL_SYSMODULE=/nonexistent-mod \
		run "$CTL" --root "$FIX/busy" dump -o "$T/b.tar.gz"
	assert_success
	assert_line --index 0 --regexp "^bundle written to .*, 2 section\(s\) failed\)$"
	assert_line "  trace: failed: /nonexistent-tracefs/events/accelsim: No such file or directory"
	extract "$T/b.tar.gz"
	jq -e '[.sections[] | select(.status == "failed") | .name] == ["trace","params"]' "$X/manifest.json"
	jq -e '.sections[] | select(.name == "params") | .error | test("nonexistent-mod")' "$X/manifest.json"
	[ -f "$X/debugfs/afu0/spa" ]
	[ ! -e "$X/trace.txt" ]
}

@test "a wedged view times out, fails its section, and the dump completes" {
	cp -r "$SYS/debugfs" "$T/root"
	mkfifo "$T/root/afu0/kctx"	# a read that never returns
	start=$(date +%s)
	run "$CTL" --root "$T/root" dump --timeout 0.5 -o "$T/b.tar.gz"
	assert_success
	[ $(($(date +%s) - start)) -lt 10 ]
	assert_output --partial "debugfs: failed: afu0/kctx: timed out"
	extract "$T/b.tar.gz"
	jq -e '.sections[0] | .name == "debugfs" and .status == "failed"' "$X/manifest.json"
	[ -f "$X/debugfs/afu0/spa" ]
	[ -f "$X/snapshot.json" ]
	run "$CTL" inspect "$T/b.tar.gz"
	assert_success
	assert_output --partial "debugfs failed: afu0/kctx: timed out"
}

@test "dump refuses stray arguments and bad options" {
	run "$CTL" dump extra
	assert_failure 2
	run "$CTL" dump --timeout 0
	assert_failure 2
	run "$CTL" dump --inspect x --redact
	assert_failure 2
	run "$CTL" dump -o /nonexistent-dir/b.tar.gz
	assert_failure 1
	assert_output --partial "cannot write the bundle: /nonexistent-dir/b.tar.gz"
}

@test "inspect: origin, sections, health verdict, top offenders, pending faults" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	# offline: no driver, no fixture roots
	ACCEL_DEBUGFS=/nonexistent ACCEL_TRACEFS=/nonexistent \
		run "$CTL" inspect "$T/b.tar.gz"
	assert_success
	assert_line --index 0 "bundle:   $T/b.tar.gz"
	assert_output --partial "sections: debugfs=ok snapshot=ok kmsg=ok trace=ok params=ok proc=ok"
	assert_line "health:   WARNING"
	assert_line "  afu0: zombie PEs 1 > 0"
	assert_line --regexp '^  afu0 online: 3/8 PEs \(1 zombie\)'
	assert_line "  afu0 pe 0 pasid 1 pid 4242 secretwork (active): 300 faults, 2 pending, 12 work"
	assert_line "  afu0 id 41 pe 0 pasid 1 0x7f0000001000 write pending, age 52.3µs"
	assert_line "  afu0 id 42 pe 0 pasid 1 0x7f0000002010 read held, age 2.50ms"
	# dump --inspect is the same
	run "$CTL" dump --inspect "$T/b.tar.gz"
	assert_success
	assert_line "health:   WARNING"
}

@test "inspect --json" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	run "$CTL" --json inspect "$T/b.tar.gz"
	assert_success
	echo "$output" | jq -e '.format_version == 1 and .health.verdict == "WARNING"'
	echo "$output" | jq -e '.top_offenders[0] | .pid == 4242 and .faults == 300 and .pending_faults == 2'
	echo "$output" | jq -e '.pending_faults | length == 2'
	echo "$output" | jq -e '.devices | length == 2'
}

@test "inspect: the idxd devices and work queues; a shared queue on a device without PASID is flagged" {
	cp -r "$FIX/platform/intel-sva" "$T/plat"
	export ACCEL_PLATFORM_ROOT="$T/plat"
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	run "$CTL" inspect "$T/b.tar.gz"
	assert_success
	assert_line "idxd (DSA/IAA):"
	assert_line "  dsa0 PCI 0000:6a:01.0, enabled, pasid_enabled 1, 2 work queues, 2 engines"
	assert_line "    wq0.0 shared enabled, clients 2, name app_shared"
	assert_line "    wq0.1 dedicated enabled, clients 1, name app_dedicated"
	# JSON: the topology as accelstat --idxd --json gives it
	run "$CTL" --json inspect "$T/b.tar.gz"
	assert_success
	echo "$output" | jq -e '.idxd.bus == true'
	echo "$output" | jq -e '[.idxd.devices[].wqs[].attrs.mode] == ["shared", "dedicated"]'
	# the device lost its PASID: the shared queue cannot work
	echo 0 >"$(find "$T/plat" -path '*/dsa0/pasid_enabled')"
	"$CTL" dump -o "$T/c.tar.gz" >/dev/null
	run "$CTL" inspect "$T/c.tar.gz"
	assert_success
	assert_line "    wq0.0 shared enabled, clients 2, name app_shared (shared, but the device has no PASID: it needs SVA)"
	assert_line "    wq0.1 dedicated enabled, clients 1, name app_dedicated"
	# a machine with no idxd bus
	export ACCEL_PLATFORM_ROOT="$FIX/empty"
	"$CTL" dump -o "$T/d.tar.gz" >/dev/null
	run "$CTL" inspect "$T/d.tar.gz"
	assert_success
	assert_line "  none: no idxd bus on that machine"
}

@test "inspect: a healthy bundle is OK" {
	"$CTL" --root "$FIX/empty" dump -o "$T/b.tar.gz" >/dev/null
	run "$CTL" inspect "$T/b.tar.gz"
	assert_success
	assert_line "health:   OK"
	assert_output --partial "  none: no contexts"
}

@test "inspect: a truncated bundle is one error line, exit 1" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	size=$(stat -c %s "$T/b.tar.gz")
	for n in 20 $((size / 3)) $((size - 40)); do
		head -c "$n" "$T/b.tar.gz" >"$T/t.tar.gz"
		run "$CTL" inspect "$T/t.tar.gz"
		assert_failure 1
		assert_output --regexp "^accelctl: $T/t.tar.gz: truncated or corrupt bundle"
		assert_equal "${#lines[@]}" 1
	done
}

@test "inspect: a bundle missing a listed file is truncated" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	extract "$T/b.tar.gz"
	rm "$X/debugfs/afu0/stats"
	tar -C "$T/x" -czf "$T/m.tar.gz" "$(basename "$X")"
	run "$CTL" inspect "$T/m.tar.gz"
	assert_failure 1
	assert_output "accelctl: $T/m.tar.gz: truncated bundle: debugfs/afu0/stats is missing"
}

@test "inspect: an unknown format version is refused" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	extract "$T/b.tar.gz"
	jq '.format_version = 99' "$X/manifest.json" >"$T/m.json"
	mv "$T/m.json" "$X/manifest.json"
	tar -C "$T/x" -czf "$T/v.tar.gz" "$(basename "$X")"
	run "$CTL" inspect "$T/v.tar.gz"
	assert_failure 1
	assert_output "accelctl: $T/v.tar.gz: unsupported bundle format version 99 (this tool reads version 1)"
}

@test "inspect: random, empty, plain tar and missing files" {
	head -c 4096 /dev/urandom >"$T/r.bin"
	run "$CTL" inspect "$T/r.bin"
	assert_failure 1
	assert_output --regexp "^accelctl: $T/r.bin: (not an accel bundle|truncated or corrupt bundle)"
	: >"$T/e"
	run "$CTL" inspect "$T/e"
	assert_failure 1
	assert_output "accelctl: $T/e: not an accel bundle (empty file)"
	mkdir -p "$T/d/top"
	echo hi >"$T/d/top/x"
	tar -C "$T/d" -czf "$T/p.tar.gz" top
	run "$CTL" inspect "$T/p.tar.gz"
	assert_failure 1
	assert_output "accelctl: $T/p.tar.gz: not an accel bundle (no manifest.json)"
	run "$CTL" inspect "$T/nope.tar.gz"
	assert_failure 1
	assert_output "accelctl: $T/nope.tar.gz: No such file or directory"
	run "$CTL" inspect "$T"
	assert_failure 1
	run "$CTL" --json inspect "$T/e"
	assert_failure 1
	echo "$output" | jq -e '.error | test("empty file")'
}

@test "--redact leaves no real pid, comm or address in any file" {
	run "$CTL" dump --redact -o "$T/r.tar.gz"
	assert_success
	assert_line "redaction map (keep private) written to $T/r.tar.gz.redact-map"
	extract "$T/r.tar.gz"
	for s in 4242 4343 secretwork kworker 7f0000001000 7f0000002010 \
		7f0000003000; do
		run grep -rlw -e "$s" "$X"
		assert_failure 1
		run find "$X" -name "*$s*"
		assert_output ""
	done
	jq -e '.redacted == true' "$X/manifest.json"
	# the map is private, outside the bundle, and undoes the redaction
	assert_equal "$(stat -c %a "$T/r.tar.gz.redact-map")" 600
	grep -qx 'pid 4242 5000001' "$T/r.tar.gz.redact-map"
	grep -qx 'comm secretwork comm1' "$T/r.tar.gz.redact-map"
	run grep -rl "redact" "$X" --include='*.txt'
	assert_failure 1
}

@test "--redact pseudonyms are consistent across files and keep other data" {
	"$CTL" dump --redact -o "$T/r.tar.gz" >/dev/null
	extract "$T/r.tar.gz"
	assert_equal "$(awk 'NR == 2 { print $3, $4 }' "$X/debugfs/afu0/spa")" "5000001 comm1"
	assert_equal "$(awk 'NR == 2 { print $2 }' "$X/debugfs/afu0/pasids")" 5000001
	[ -f "$X/proc/5000001/status" ]
	grep -qx $'Name:\tcomm1' "$X/proc/5000001/status"
	grep -qx $'PPid:\t5000002' "$X/proc/5000001/status"
	grep -qx $'VmRSS:\t  5120 kB' "$X/proc/5000001/status"
	grep -q 'comm1-5000001 .* context_attach: dev=0 pe=0 pasid=1 pid=5000001 kernel=0' "$X/trace.txt"
	grep -q 'fault: id=41 dev=0 pe=0 pasid=1 addr=0x100000000000 access=1' "$X/trace.txt"
	grep -q '^41 0 0 1 0x100000000000 write pending 52311$' "$X/debugfs/afu0/faults"
	grep -q 'pid 5000002 comm1) terminate not confirmed' "$X/kmsg.txt"
	jq -e '.devices[0].contexts[0].pid == 5000001' "$X/snapshot.json"
	# counters are untouched
	cmp "$X/debugfs/afu0/stats" "$SYS/debugfs/afu0/stats"
	# a redacted bundle reads back
	run "$CTL" inspect "$T/r.tar.gz"
	assert_success
	assert_output --partial "pid 5000001 comm1 (active): 300 faults"
	assert_output --partial ", redacted"
}

@test "accel_bundle reader survives mangled bundles (corrupted bytes)" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	size=$(stat -c %s "$T/b.tar.gz")
	for i in $(seq 1 40); do
		cp "$T/b.tar.gz" "$T/c.tar.gz"
		off=$(( (i * 7919) % size ))
		printf '\xff\x00\x13' | dd of="$T/c.tar.gz" bs=1 seek="$off" conv=notrunc 2>/dev/null
		run "$CTL" inspect "$T/c.tar.gz"
		# never a crash: 0 (the damage missed the data) or a clean 1
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || fail "exit $status at offset $off"
	done
}

@test "inspect --extract lays the views out as a debugfs root for accelstat" {
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
	run --separate-stderr "$CTL" inspect --extract "$T/b.tar.gz"
	assert_success
	d=$output
	[ -d "$d/afu0" ]
	[ -d "$d/afu1" ]
	cmp "$d/afu0/spa" "$SYS/debugfs/afu0/spa"
	cmp "$d/pasids" "$SYS/debugfs/pasids"
	assert_equal "$(stat -c %a "$d")" 700
	a=$("$ACCELSTAT" --json -r "$SYS/debugfs" | jq -S '.devices')
	b=$("$ACCELSTAT" --json -r "$d" | jq -S '.devices')
	rm -rf "$d"
	assert_equal "$b" "$a"
	run "$CTL" inspect --extract "$T/nope"
	assert_failure 1
}

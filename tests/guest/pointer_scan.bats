#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# No kernel pointer in any debugfs view, trace event or support bundle.
# A workload fills every view (contexts, IRQ ranges, held and resolved
# faults, AFU errors, a zombie, devices added and removed) while the trace
# records every accelsim event; then every debugfs file, the trace and the
# extracted contents of an accelctl dump are scanned for kernel addresses:
# hex in the kernel half (0xffff8000_00000000 and up, with or without 0x),
# the same in decimal, %p hashes (00000000xxxxxxxx) and %p placeholders.
# The scanner first proves it finds planted addresses.

load helpers

PATH=$PATH:/accel/tests/progs

KPTR_RE=(
	-e '\b(0x)?ffff[89a-f][0-9a-f]{11}\b'
	-e '\b18446[0-9]{15}\b'
	-e '\b(0x)?0{8}[0-9a-f]{8}\b'
	-e '\(_+ptrval_+\)'
)

# Print every kernel-address-looking string in the files (grep arguments:
# files, or -r DIR), as FILE:MATCH. The u64 all-ones value (a documented
# range end) and 0 are not pointers; /proc status signal and capability
# masks (SigCgt: 0000000000010002) are bitmasks, not hashed pointers.
kptr_scan() {
	local l f
	grep -a -H -i -E "${KPTR_RE[@]}" "$@" |
		grep -a -v -E '^[^:]*/status:(Sig(Pnd|Blk|Ign|Cgt)|ShdPnd|Cap(Inh|Prm|Eff|Bnd|Amb)):[[:space:]]' |
		while IFS= read -r l; do
			f=${l%%:*}
			grep -a -o -i -E "${KPTR_RE[@]}" <<<"${l#*:}" |
				grep -v -i -E '^((0x)?f{16}|18446744073709551615|(0x)?0{16})$' |
				sed "s|^|$f:|"
		done | grep .
}

setup() {
	HOLD=
	ATC=
	W=$BATS_TEST_TMPDIR/w
	mkdir -p "$W"
}

teardown() {
	if [ -n "$HOLD" ]; then
		kill "$HOLD" 2>/dev/null || true
		wait "$HOLD" 2>/dev/null || true
	fi
	if [ -n "$ATC" ]; then
		kill "$ATC" 2>/dev/null || true
		wait "$ATC" 2>/dev/null || true
	fi
	echo 0 >"$TRACEFS/events/accelsim/enable"
	echo 0 >"$SYSFS/devices/afu0/inject/hold_faults" || true
	echo 0 >"$SYSFS/devices/afu0/inject/hang_terminate" || true
}

@test "the scanner finds planted kernel addresses and passes clean text" {
	local f=$BATS_TEST_TMPDIR/planted
	printf '%s\n' 'pe pasid addr' '0 1 0xffff888012345678' >"$f.1"
	printf 'x ffffffffc0a1b2c3 y\n' >"$f.2"
	printf 'ptr=18446612684346982400\n' >"$f.3"
	printf 'hash 000000008f1c2d3e\n' >"$f.4"
	printf 'early (____ptrval____)\n' >"$f.5"
	printf 'stack [<FFFFC90000123456>]\n' >"$f.6"
	printf 'in\0binary 0xffffa0e1c2d3e4f5\n' >"$f.7"
	mkdir "$f.d"
	printf 'Name:\tx\nSigCgt:\t0000000000010002\nx 000000004b813efb\n' >"$f.d/status"
	for i in 1 2 3 4 5 6 7; do
		run kptr_scan "$f.$i"
		assert_success
		assert_equal "${#lines[@]}" 1
	done
	assert_output "$f.7:0xffffa0e1c2d3e4f5"
	# a mask line of a status file is skipped, a hash on another line not
	run kptr_scan -r "$f.d"
	assert_success
	assert_output "$f.d/status:000000004b813efb"
	# user addresses, the all-ones sentinel, u32/u64 maxima, 0: clean
	printf '%s\n' 'addr=0x7f12a4001000 start=0 end=0xffffffffffffffff' \
		'pasid=0xffffffff 4294967295 18446744073709551615' \
		'0x0000000000000000 0x00007fffffffe000 1844674407370955161' \
		'id=123456789012345678 fault_lat_ns 10 5' >"$f.clean"
	run kptr_scan "$f.clean"
	assert_failure 1
	assert_output ""
}

@test "no kernel pointer in debugfs views, trace events or an accelctl dump" {
	module_reload nr_devices=2
	: >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/accelsim/enable"
	# devices added and removed
	echo "5 16 64" >"$SYSFS/new_device"
	echo 5 >"$SYSFS/del_device"
	# a kernel context, listed in the kctx view
	echo create >"$SYSFS/devices/afu0/kctx"
	# a context with IRQ ranges, as target
	# start_hold returns once hold has printed its context, so its IRQ
	# range is allocated by then (the spa row appears before it is)
	start_hold --irqs 4
	pe=$PE pasid=$PASID hwirq=$HWIRQ
	[ -n "$hwirq" ]
	# work: copies, a fault acked ADDRESS_ERROR, invalidations
	run asim_copy -s 1M
	assert_success
	run asim_copy -s 64K -u
	assert_success
	run asim_tlbi -n 4
	assert_success
	# held faults show in the faults view
	echo 1 >"$SYSFS/devices/afu0/inject/hold_faults"
	echo "$pasid 7f0000001000 write" >"$SYSFS/devices/afu0/inject/fault"
	echo "$pasid 1000 read" >"$SYSFS/devices/afu0/inject/fault"
	echo "$pe 3" >"$SYSFS/devices/afu0/inject/afu_error"
	echo "$hwirq" >"$SYSFS/devices/afu0/inject/irq"
	[ "$(wc -l <"$DEBUGFS/afu0/faults")" -ge 3 ]
	# a zombie
	echo 1 >"$SYSFS/devices/afu1/inject/hang_terminate"
	asim_attach -d 1 -w >"$W/z" &
	local z=$!
	for _ in $(seq 100); do grep -q ready "$W/z" && break; sleep 0.05; done
	kill "$z"
	wait "$z" || true
	for _ in $(seq 100); do
		grep -q ' zombie ' "$DEBUGFS/afu1/spa" && break
		sleep 0.05
	done
	grep -q ' zombie ' "$DEBUGFS/afu1/spa"
	# pages the device has translated, kept in its ATC
	asim_atc >"$W/atc" &
	ATC=$!
	wait_until grep -q '^ready ' "$W/atc"
	[ "$(wc -l <"$DEBUGFS/afu0/atc")" -ge 5 ]

	# 1. every debugfs view, with all of that live
	mkdir -p "$W/debugfs"
	local n=0 f
	while read -r f; do
		cp "$f" "$W/debugfs/$(tr / _ <<<"${f#"$DEBUGFS"/}")"
		n=$((n + 1))
	done < <(find "$DEBUGFS" -type f -perm /444)
	[ "$n" -ge 15 ]
	grep -q '0x7f0000001000' "$W"/debugfs/afu0_faults
	# and the sysfs knobs that read back
	while read -r f; do
		cp "$SYSFS/$f" "$W/debugfs/sysfs_$(tr / _ <<<"$f")"
		n=$((n + 1))
	done < <(cd "$SYSFS" && find -H devices/afu*/inject/ -type f -perm /444)
	[ "$n" -ge 25 ]
	run kptr_scan "$W"/debugfs/*
	assert_failure 1
	assert_output ""

	# 2. a dump of the live driver, extracted
	run accelctl dump --timeout 60 -o "$W/b.tar.gz"
	assert_success
	mkdir "$W/bundle"
	tar -xzf "$W/b.tar.gz" -C "$W/bundle"
	[ "$(find "$W/bundle" -type f | wc -l)" -ge 10 ]
	run kptr_scan -r "$W/bundle"
	assert_failure 1
	assert_output ""

	echo 0 >"$SYSFS/devices/afu0/inject/hold_faults"
	echo 0 >"$SYSFS/devices/afu1/inject/hang_terminate"
	kill "$HOLD" "$ATC"
	wait "$HOLD" "$ATC" || true
	HOLD=
	ATC=

	# 3. the trace of all of it, with every kind of event
	echo 0 >"$TRACEFS/events/accelsim/enable"
	cp "$TRACEFS/trace" "$W/trace"
	for e in device_add device_del context_attach context_detach pasid_alloc \
		pasid_free fault fault_ack tlbi_start tlbi_done irq_alloc irq_free \
		irq_fire work_submit work_done afu_error; do
		grep -q " $e: " "$W/trace" || fail "no $e event in the trace"
	done
	run kptr_scan "$W/trace"
	assert_failure 1
	assert_output ""
	# and the driver's kernel log lines
	dmesg | grep accelsim >"$W/dmesg" || true
	run kptr_scan "$W/dmesg"
	assert_failure 1
	assert_output ""
}

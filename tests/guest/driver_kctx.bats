#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: kernel contexts (the sysfs control afuN/kctx, the debugfs
# view afuN/kctx). A kernel context has a
# PE flagged kernel (pid 0, comm [kernel]) and a PASID of its own; its work
# runs through the engine on a kernel buffer; an access past the buffer is
# a fault acked ADDRESS_ERROR; its TLBI is global. Runs in the guest.

load helpers
WAIT_TRIES=400

D=$DEBUGFS
TR=$TRACEFS
K=$D/afu0/kctx
KC=$SYSFS/devices/afu0/kctx
PATH=$PATH:/accel/tests/progs

setup() {
	module_loaded || insmod "$ACCEL_MODULE"
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 1 >$TR/tracing_on
}

teardown() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	module_loaded || insmod "$ACCEL_MODULE"
	for pe in $(awk 'NR > 1 { print $1 }' $K); do
		echo "destroy $pe" >$KC
	done
	echo 5 >$SYSFS/del_device 2>/dev/null || true
}

stat_value() {
	awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' "${2:-$D/afu0}/stats"
}

# Column $1 of the kctx row of PE $2.
kcol() {
	awk -v c="$1" -v pe="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
		NR > 1 && $1 == pe { print $n }' $K
}

idle() {
	[ "$(kcol inflight "$1")" = 0 ]
}

# Create a kernel context of $1 bytes (or the default) and print its PE.
kctx_create() {
	local before
	before=$(awk 'NR > 1 { print $1 }' $K)
	echo "create $*" >$KC
	awk 'NR > 1 { print $1 }' $K | grep -vxF -e "${before:-none}"
}

# A write to kctx must fail with errno text $1.
write_fails() {
	run bash -c "echo '$2' >$KC"
	assert_failure
	assert_output --partial "$1"
}

@test "kctx: control 0200, view 0400; create lists pe and size; spa shows kernel 1, pid 0, [kernel]; destroy empties both" {
	run stat -c %a $KC
	assert_output 200
	run stat -c %a $K
	assert_output 400
	run cat $K
	assert_output "pe size pasid inflight ok mismatch failed fault_addr"
	echo 1 >$TR/events/accelsim/context_attach/enable
	echo 1 >$TR/events/accelsim/context_detach/enable

	a=$(kctx_create)
	b=$(kctx_create 8192)
	[ -n "$a" ]
	[ -n "$b" ]
	[ "$a" != "$b" ]
	assert_equal "$(kcol size "$a")" 1048576
	assert_equal "$(kcol size "$b")" 8192
	pa=$(kcol pasid "$a")
	pb=$(kcol pasid "$b")
	# Each has a PASID of its own.
	[ "$pa" -gt 0 ]
	[ "$pb" -gt 0 ]
	[ "$pa" != "$pb" ]
	run cat $D/afu0/spa
	assert_line --regexp "^$a $pa 0 \[kernel\] active 1 0 0 0 0 0$"
	assert_line --regexp "^$b $pb 0 \[kernel\] active 1 0 0 0 0 0$"
	run cat $D/pasids
	assert_line "$pa 0 1 0 live kernel"
	run grep ' context_attach: ' $TR/trace
	assert_line --partial "pe=$a pasid=$pa pid=0 kernel=1"

	echo "destroy $a" >$KC
	echo "destroy $b" >$KC
	only_header $K
	only_header $D/afu0/spa
	wait_until only_header $D/pasids
	run grep ' context_detach: ' $TR/trace
	assert_line --partial "pe=$b pasid=$pb pid=0 kernel=1"
}

@test "fill, copy and compare run on the kernel buffer: counts, bytes and mismatches are right" {
	done0=$(stat_value work_done)
	bytes0=$(stat_value bytes)
	raised0=$(stat_value faults_raised)
	pe=$(kctx_create 65536)
	echo "submit $pe fill 0 0 16384 0x5a" >$KC
	echo "submit $pe fill 0 32768 16384 0x5a" >$KC
	echo "submit $pe compare 0 32768 16384" >$KC
	wait_until idle "$pe"
	assert_equal "$(kcol ok "$pe") $(kcol mismatch "$pe")" "3 0"
	# The copy moves the data: comparing the source with it matches,
	# comparing with a region changed at byte 0 does not.
	echo "submit $pe copy 0 16384 16384" >$KC
	wait_until idle "$pe"
	echo "submit $pe fill 0 32768 4096 0x11" >$KC
	wait_until idle "$pe"
	echo "submit $pe compare 0 32768 16384" >$KC
	echo "submit $pe compare 0 16384 16384" >$KC
	wait_until idle "$pe"
	assert_equal "$(kcol ok "$pe") $(kcol mismatch "$pe") $(kcol failed "$pe")" "6 1 0"
	assert_equal "$(kcol fault_addr "$pe")" "-"
	assert_equal $(($(stat_value work_done) - done0)) 7
	# 4 x 16 KiB moved or compared, 4 KiB filled; the mismatch at byte 0.
	assert_equal $(($(stat_value bytes) - bytes0)) $((5 * 16384 + 4096))
	assert_equal "$(stat_value faults_raised)" "$raised0"
	run awk -v pe="$pe" '$1 == pe { print $10, $11 }' $D/afu0/spa
	assert_output "7 $((5 * 16384 + 4096))"
}

@test "an access past the buffer faults, is acked ADDRESS_ERROR and fails the work; a user context still works" {
	echo 1 >$TR/events/accelsim/fault/enable
	echo 1 >$TR/events/accelsim/fault_ack/enable
	raised0=$(stat_value faults_raised)
	restart0=$(stat_value faults_acked_restart)
	aerr0=$(stat_value faults_acked_address_error)
	failed0=$(stat_value work_failed)
	pe=$(kctx_create 8192)
	pasid=$(kcol pasid "$pe")
	# The first page is written, the second is past the end.
	echo "submit $pe fill 0 4096 8192 0x33" >$KC
	wait_until idle "$pe"
	assert_equal "$(kcol ok "$pe") $(kcol failed "$pe")" "0 1"
	assert_equal "$(kcol fault_addr "$pe")" 0x2000
	assert_equal $(($(stat_value faults_raised) - raised0)) 1
	assert_equal $(($(stat_value faults_acked_address_error) - aerr0)) 1
	assert_equal "$(stat_value faults_acked_restart)" "$restart0"
	assert_equal $(($(stat_value work_failed) - failed0)) 1
	only_header $D/afu0/faults
	run grep ' fault: ' $TR/trace
	assert_output --regexp "pe=$pe pasid=$pasid addr=0x2000 access=1$"
	run grep ' fault_ack: ' $TR/trace
	assert_output --regexp "pe=$pe pasid=$pasid addr=0x2000 resp=address_error lat_ns=[0-9]+$"
	run dmesg
	assert_output --partial "afu0: kernel context pe $pe: fault at offset 0x2000 acked ADDRESS_ERROR (-14)"
	# A fault injected on the kernel PASID is never resolved either.
	echo "$pasid 0x0 write" >$SYSFS/devices/afu0/inject/fault
	wait_until only_header $D/afu0/faults
	assert_equal $(($(stat_value faults_acked_address_error) - aerr0)) 2
	assert_equal "$(stat_value faults_acked_restart)" "$restart0"
	# The kernel is fine and a user context still works.
	run asim_copy -s 1M
	assert_success
	assert_kernel_untainted
}

@test "bad writes are EINVAL, an unknown PE is ENOENT" {
	pe=$(kctx_create 8192)
	raised0=$(stat_value faults_raised)
	sub0=$(stat_value work_submitted)
	for w in bogus "create 0" "create 4097" "create 134217728" "create 8192 1" \
		"create x" destroy "destroy x" "destroy 1 2" "submit" \
		"submit $pe fill 0 0" "submit $pe frob 0 0 4096" \
		"submit $pe fill 5 0 4096" "submit $pe copy 0 0 0" \
		"submit $pe copy 0 0xffffffffffffffff 2" \
		"submit $pe compare 0 0 4096 7" "submit $pe fill 0 0 4096 256" \
		"submit x fill 0 0 4096" "submit $pe copy 0 0 4096 1 2"; do
		write_fails "Invalid argument" "$w"
	done
	write_fails "No such file or directory" "destroy 9999"
	write_fails "No such file or directory" "submit 9999 fill 0 0 4096"
	echo "destroy $pe" >$KC
	write_fails "No such file or directory" "destroy $pe"
	write_fails "No such file or directory" "submit $pe fill 0 0 4096"
	assert_equal "$(stat_value work_submitted)" "$sub0"
	assert_equal "$(stat_value faults_raised)" "$raised0"
	only_header $D/afu0/spa
	assert_kernel_untainted
}

@test "destroying a kernel context issues a global TLBI: pasid 0xffffffff, 0..~0, its ATC entries dropped" {
	pe=$(kctx_create 8192)
	echo "submit $pe fill 0 0 8192 1" >$KC
	wait_until idle "$pe"
	tlbis0=$(stat_value tlbis)
	inv0=$(stat_value atc_invalidations)
	echo 1 >$TR/events/accelsim/tlbi_start/enable
	echo 1 >$TR/events/accelsim/tlbi_done/enable
	echo "destroy $pe" >$KC
	run grep ' tlbi_start: ' $TR/trace
	assert_output --regexp "dev=0 pasid=4294967295 start=0x0 end=0xffffffffffffffff$"
	run grep -c ' tlbi_start: ' $TR/trace
	assert_output 1
	# The fill cached both pages of the buffer.
	entries=$(sed -n 's/.* tlbi_done: .*pasid=4294967295 start=0x0 end=0xffffffffffffffff entries=\([0-9]*\) .*/\1/p' $TR/trace)
	[ "$entries" -ge 2 ]
	assert_equal $(($(stat_value tlbis) - tlbis0)) 1
	assert_equal $(($(stat_value atc_invalidations) - inv0)) "$entries"
}

@test "in-flight work: removing the device and unloading the module destroy kernel contexts" {
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo clear >/sys/kernel/debug/kmemleak
	fi
	echo 5 >$SYSFS/new_device
	echo create >$SYSFS/devices/afu5/kctx
	echo "create 4194304" >$SYSFS/devices/afu5/kctx
	for pe in $(awk 'NR > 1 { print $1 }' $D/afu5/kctx); do
		echo "submit $pe fill 0 0 1048576 7" >$SYSFS/devices/afu5/kctx
		echo "submit $pe copy 0 4096 1040384" >$SYSFS/devices/afu5/kctx
	done
	run awk 'NR > 1 { print $6 }' $D/afu5/spa
	assert_output $'1\n1'
	echo 5 >$SYSFS/del_device
	[ ! -e $D/afu5 ]
	wait_until only_header $D/pasids

	pe=$(kctx_create)
	echo "submit $pe fill 0 0 1048576 9" >$KC
	rmmod accelsim
	run ! module_loaded
	insmod "$ACCEL_MODULE"
	only_header $K
	only_header $D/afu0/spa
	only_header $D/pasids
	assert_kernel_untainted
	if [ -e /sys/kernel/debug/kmemleak ]; then
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		run cat /sys/kernel/debug/kmemleak
		assert_output ""
	fi
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: private PASIDs (ATTACH with ACCELSIM_ATTACH_PRIVATE_PASID).
# One process with a shared and a private context has two PASIDs, each
# marked in pasids; faults and TLBIs carry each context's own; the private
# one drains and is freed when its context closes while the shared one
# stays live, and it is never reused while something carries it. The
# process is tests/progs/asim_private (or asim_attach -P). Runs in the
# guest.

load helpers
bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

setup() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 1 >$TR/tracing_on
	echo 1 >$TR/events/accelsim/enable
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/pasids
}

teardown() {
	[ -z "${apid:-}" ] || kill "$apid" 2>/dev/null || true
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	echo 0 >$TR/events/enable
	echo >$TR/trace
	return 0
}

# start_private: asim_private in the background until it is ready; sets
# apid, out, sp and se (shared PASID and PE), pp and pe (private ones), a,
# b and len (its two buffers).
start_private() {
	out=$BATS_TEST_TMPDIR/private.out
	asim_private >"$out" 2>&1 &
	apid=$!
	wait_until grep -q '^ready ' "$out"
	local l
	l=$(grep '^ready ' "$out")
	sp=$(field shared "$l")
	se=$(field shared_pe "$l")
	pp=$(field private "$l")
	pe=$(field private_pe "$l")
	a=$(field a "$l")
	b=$(field b "$l")
	len=$(field len "$l")
	[ -n "$pp" ]
}

# step NAME: have asim_private take its next step and wait for it.
step() {
	kill -USR1 "$apid"
	wait_until grep -q "^$1\$" "$out"
}

# pasid_row FILE PASID: the row of PASID in a pasids view, without the
# pasid column.
pasid_row() {
	awk -v p="$2" '$1 == p { $1 = ""; print substr($0, 2) }' "$1"
}

# no_row FILE PASID: a pasids view has no row for PASID.
no_row() {
	[ -z "$(pasid_row "$1" "$2")" ]
}

# atc_perm PASID PE ADDR: the perm of the atc row of page ADDR under PASID
# and PE, or nothing.
atc_perm() {
	awk -v pasid="$1" -v pe="$2" -v a="$(printf '0x%x' "$3")" \
		'$3 == pasid && $4 == pe && $5 == a { print $6 }' $D/afu0/atc
}

# tlbi PASID START END: "N E": N tlbi_done events of PASID covered
# [START, END), and dropped E ATC entries in all.
tlbi() {
	local s e n count=0 sum=0
	while read -r s e n; do
		if ((s <= $2 && (e >= $3 || e < 0))); then
			count=$((count + 1))
			sum=$((sum + n))
		fi
	done < <(sed -n "s/.* tlbi_done: .* pasid=$1 start=\(0x[0-9a-f]*\) end=\(0x[0-9a-f]*\) entries=\([0-9]*\) .*/\1 \2 \3/p" $TR/trace)
	echo "$count $sum"
}

# fault_kinds: for each fault event, "PE PASID BUF" with BUF a (the shared
# context's buffer), b (the private one's) or other; each kind once.
fault_kinds() {
	local fpe fpasid addr where
	while read -r fpe fpasid addr; do
		where=other
		((addr >= a && addr < a + len)) && where=a
		((addr >= b && addr < b + len)) && where=b
		echo "$fpe $fpasid $where"
	done < <(sed -n 's/.* fault: id=[0-9]* dev=0 pe=\([0-9]*\) pasid=\([0-9]*\) addr=\(0x[0-9a-f]*\) .*/\1 \2 \3/p' $TR/trace) | sort -u
}

@test "a process with a shared and a private context has two PASIDs, the private one marked private" {
	start_private
	[ "$sp" -ge 1 ]
	[ "$pp" -ge 1 ]
	[ "$pp" != "$sp" ]
	run cat $D/pasids
	assert_line -n 0 "pasid pid refs outstanding state kind"
	assert_line "$sp $apid 1 0 live shared"
	assert_line "$pp $apid 1 0 live private"
	[ "${#lines[@]}" -eq 3 ]
	run cat $D/afu0/pasids
	assert_line -n 0 "pasid pid refs outstanding state kind"
	assert_line "$sp $apid 1 0 live shared"
	assert_line "$pp $apid 1 0 live private"
	run cat $D/afu0/spa
	assert_line --regexp "^$se $sp $apid asim_private active 0 "
	assert_line --regexp "^$pe $pp $apid asim_private active 0 "
	run cat $D/afu0/info
	assert_line -n 1 --regexp " online 2 2 0 0 0$"
	# Each PASID was allocated for this process, and each context was
	# published with its own.
	run grep ' pasid_alloc: ' $TR/trace
	assert_line --partial "pasid_alloc: pasid=$sp pid=$apid"
	assert_line --partial "pasid_alloc: pasid=$pp pid=$apid"
	run grep ' context_attach: ' $TR/trace
	assert_line --partial "context_attach: dev=0 pe=$se pasid=$sp pid=$apid kernel=0"
	assert_line --partial "context_attach: dev=0 pe=$pe pasid=$pp pid=$apid kernel=0"
	# accelstat shows the kind, in its table and its JSON.
	run accelstat -d afu0 -p
	assert_line --regexp "^afu0 +$pp +$apid +1 +0 +live +private$"
	assert_line --regexp "^afu0 +$sp +$apid +1 +0 +live +shared$"
	run sh -c "accelstat -d afu0 --json | jq -r '.devices[0].pasids[] | select(.pasid == $pp) | .kind'"
	assert_output private
}

@test "faults carry the PASID of their context: shared for the shared one, private for the private one" {
	start_private
	# Each buffer was untouched: the shared context faulted on a only,
	# the private one on b only, each with its own PASID.
	run fault_kinds
	assert_output "$(printf '%s\n' "$se $sp a" "$pe $pp b" | sort)"
	run grep -c " fault_ack: id=[0-9]* dev=0 pe=$pe pasid=$pp addr=.* resp=restart " $TR/trace
	[ "$output" -ge 1 ]
	# The work items too.
	run grep ' work_done: ' $TR/trace
	assert_line --regexp "work_done: id=[0-9]+ dev=0 pe=$se pasid=$sp status=0 bytes=$len$"
	assert_line --regexp "work_done: id=[0-9]+ dev=0 pe=$pe pasid=$pp status=0 bytes=$len$"
}

@test "TLBIs carry each PASID: munmap drops each context's ATC rows by a TLBI of its own PASID" {
	start_private
	for ((i = 0; i < len; i += 4096)); do
		run atc_perm "$sp" "$se" $((a + i))
		assert_output "rw"
		run atc_perm "$pp" "$pe" $((b + i))
		assert_output "rw"
	done
	# Only what each context touched is under its PASID.
	run atc_perm "$pp" "$pe" "$a"
	assert_output ""
	run atc_perm "$sp" "$se" "$b"
	assert_output ""
	echo >$TR/trace
	step munmap
	for ((i = 0; i < len; i += 4096)); do
		run atc_perm "$sp" "$se" $((a + i))
		assert_output ""
		run atc_perm "$pp" "$pe" $((b + i))
		assert_output ""
	done
	# Both notifiers see each munmap: a TLBI of each PASID covers each
	# buffer, and each drops only its own context's entries.
	pages=$((len / 4096))
	run tlbi "$sp" "$a" $((a + len))
	assert_output --regexp "^[1-9][0-9]* $pages$"
	run tlbi "$pp" "$b" $((b + len))
	assert_output --regexp "^[1-9][0-9]* $pages$"
	run tlbi "$pp" "$a" $((a + len))
	assert_output --regexp "^[1-9][0-9]* 0$"
	run tlbi "$sp" "$b" $((b + len))
	assert_output --regexp "^[1-9][0-9]* 0$"
}

@test "closing the private context drains, then frees its PASID, while the shared one stays live" {
	start_private
	step munmap
	echo 1 >$SYSFS/devices/afu0/inject/hold_faults
	step fault
	wait_until grep -Eq "^[0-9]+ 0 $pe $pp 0x[0-9a-f]+ read held " $D/afu0/faults
	echo >$TR/trace
	step close
	# The private PE is gone; its held fault keeps its PASID draining.
	run cat $D/afu0/spa
	refute_line --regexp "^$pe "
	assert_line --regexp "^$se $sp $apid asim_private active "
	run pasid_row $D/pasids "$pp"
	assert_output --regexp "^$apid 0 [12] draining private$"
	run pasid_row $D/pasids "$sp"
	assert_output "$apid 1 0 live shared"
	run pasid_row $D/afu0/pasids "$pp"
	assert_output --regexp "^$apid 0 [12] draining private$"
	run grep -c "pasid_free: pasid=$pp " $TR/trace
	assert_output 0
	# Released: the fault is acked, and only then the PASID is freed.
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until no_row $D/pasids "$pp"
	# The held fault is a group: a fault_ack per page, all before it.
	run grep "pasid_free: pasid=$pp \| fault_ack: .*pe=$pe pasid=$pp " $TR/trace
	n=${#lines[@]}
	[ "$n" -ge 2 ]
	for ((i = 0; i < n - 1; i++)); do
		assert_line -n $i --regexp "fault_ack: .* resp=address_error "
	done
	assert_line -n $((n - 1)) --partial "pasid_free: pasid=$pp pid=$apid"
	# The shared PASID was never touched: live, and it still works.
	run pasid_row $D/pasids "$sp"
	assert_output "$apid 1 0 live shared"
	step shared
	run pasid_row $D/pasids "$sp"
	assert_output "$apid 1 0 live shared"
	run grep -c "pasid_free: pasid=$sp " $TR/trace
	assert_output 0
	kill "$apid" && wait "$apid"
	wait_until only_header $D/pasids
	run grep -c "pasid_free: pasid=$sp pid=$apid" $TR/trace
	assert_output 1
}

@test "with nothing in flight, closing the private context frees its PASID at once" {
	start_private
	step munmap
	echo >$TR/trace
	step fault
	wait_until grep -q "work_done: .* pe=$pe pasid=$pp status=0 " $TR/trace
	step close
	wait_until no_row $D/pasids "$pp"
	run grep "pasid_free: " $TR/trace
	assert_output --partial "pasid_free: pasid=$pp pid=$apid"
	refute_output --partial "pasid_free: pasid=$sp "
	run pasid_row $D/pasids "$sp"
	assert_output "$apid 1 0 live shared"
}

@test "private PASID reuse does not happen while a fault with the old PASID is pending" {
	echo 1 >$SYSFS/devices/afu0/inject/hold_faults
	# A private context submits a copy that faults, and the process exits
	# once the fault is held: the PE is gone but its fault is held.
	start_attach -P -b 1
	old=$(field pasid "$(grep '^attach' "$out")")
	wait_until grep -q " $old 0x[0-9a-f]* read held " $D/afu0/faults
	kill "$apid" && wait "$apid"
	run cat $D/pasids
	assert_line --regexp "^$old [0-9]+ 0 [12] draining private$"
	run cat $D/afu0/spa
	assert_output "pe pasid pid comm state kernel faults tlbis irqs work bytes"
	# Neither a new private context nor a shared one gets the old PASID.
	start_attach -P
	new=$(field pasid "$(grep '^attach' "$out")")
	[ -n "$new" ]
	[ "$new" != "$old" ]
	kill "$apid" && wait "$apid"
	start_attach
	new=$(field pasid "$(grep '^attach' "$out")")
	[ -n "$new" ]
	[ "$new" != "$old" ]
	kill "$apid" && wait "$apid"
	# Release: the fault of the gone PE is acked ADDRESS_ERROR, and only
	# then the old PASID is returned.
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/pasids
	run grep ' fault_ack: ' $TR/trace
	assert_output --regexp "pasid=$old addr=0x[0-9a-f]+ resp=address_error"
	run grep -n "pasid_free: pasid=$old \| fault_ack: .*pasid=$old " $TR/trace
	assert_line -n 0 --partial "fault_ack:"
	run asim_attach -P
	assert_output --partial "pasid=$old "
}

@test "with a one-PASID space, a private PASID is one more PASID, and a pending fault on it blocks attach until acked" {
	rmmod accelsim
	insmod "$ACCEL_MODULE" pasid_bits=1
	# asim_private's private context takes the only PASID: its shared
	# context cannot have one, a private PASID is one PASID more.
	run asim_private
	assert_failure
	assert_output "attach (flags 0x0): No space left on device"
	wait_until only_header $D/pasids
	echo 1 >$SYSFS/devices/afu0/inject/hold_faults
	asim_attach -P -b 1 -w >"$BATS_TEST_TMPDIR/a1" &
	p=$!
	wait_until grep -q ' held ' $D/afu0/faults
	kill "$p"
	wait "$p" || true
	run cat "$BATS_TEST_TMPDIR/a1"
	assert_output --partial "pasid=1 "
	run asim_attach -P
	assert_failure
	assert_output --partial "No space left on device"
	run asim_attach
	assert_failure
	assert_output --partial "No space left on device"
	echo 0 >$SYSFS/devices/afu0/inject/hold_faults
	wait_until only_header $D/pasids
	run asim_attach -P
	assert_success
	assert_output --partial "pasid=1 "
	rmmod accelsim
	insmod "$ACCEL_MODULE"
}

@test "a process killed with a shared and a private context frees both PASIDs" {
	start_private
	kill -KILL "$apid"
	wait "$apid" || true
	wait_until only_header $D/pasids
	only_header $D/afu0/spa
	run grep "pasid_free: " $TR/trace
	assert_line --partial "pasid_free: pasid=$sp pid=$apid"
	assert_line --partial "pasid_free: pasid=$pp pid=$apid"
	assert_kernel_untainted
}

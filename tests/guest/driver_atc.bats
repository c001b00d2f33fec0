#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: the atc view, what the device has translated. After the
# engine copied a buffer, atc lists each source page read-only and each
# destination page writable under the context's PASID and PE; mprotect
# and munmap take them out, and a TLBI of that PASID covers them. Runs in
# the guest.

load helpers

bats_require_minimum_version 1.5.0

D=/sys/kernel/debug/accelsim
TR=/sys/kernel/tracing
PATH=$PATH:/accel/tests/progs

setup() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	echo 1 >$TR/tracing_on
	echo 1 >$TR/events/accelsim/tlbi_start/enable
}

teardown() {
	echo 0 >$TR/events/enable
	echo >$TR/trace
	[ -z "${apid:-}" ] || kill "$apid" 2>/dev/null || true
}

# start_atc: asim_atc in the background until it is ready; sets apid, out,
# pasid, pe, src, dst and len.
start_atc() {
	out=$BATS_TEST_TMPDIR/atc.out
	asim_atc -p 2 >"$out" 2>&1 &
	apid=$!
	wait_until grep -q '^ready ' "$out"
	local l
	l=$(grep '^ready ' "$out")
	pasid=$(field pasid "$l")
	pe=$(field pe "$l")
	src=$(field src "$l")
	dst=$(field dst "$l")
	len=$(field len "$l")
}

# step NAME: have asim_atc take its next step and wait for it.
step() {
	kill -USR1 "$apid"
	wait_until grep -q "^$1\$" "$out"
}

# atc_row ADDR: the atc row of page ADDR (hex) under $pasid and $pe, as
# "perm", or nothing.
atc_row() {
	awk -v pasid="$pasid" -v pe="$pe" -v a="$(printf '0x%x' "$1")" \
		'$3 == pasid && $4 == pe && $5 == a { print $6 }' $D/afu0/atc
}

# tlbi_covers START END: a tlbi_start of $pasid covers [START, END).
tlbi_covers() {
	local s e
	while read -r s e; do
		((s <= $1 && e >= $2)) && return 0
	done < <(sed -n "s/.* tlbi_start: .* pasid=$pasid start=\(0x[0-9a-f]*\) end=\(0x[0-9a-f]*\)$/\1 \2/p" $TR/trace)
	return 1
}

@test "atc has the header of the contract and is read-only" {
	run head -n 1 $D/afu0/atc
	assert_output "set way pasid pe vaddr perm hits age_ms"
	run stat -c %a $D/afu0/atc
	assert_output 400
	run ! sh -c "echo 1 >$D/afu0/atc"
}

@test "after a copy, atc lists the source read-only and the destination writable" {
	start_atc
	for ((i = 0; i < len; i += 4096)); do
		run atc_row $((src + i))
		assert_output "r-"
		run atc_row $((dst + i))
		assert_output "rw"
	done
	# Every row is well formed: set and way in range, an age in ms.
	run awk 'NR > 1 && !($1 ~ /^[0-9]+$/ && $2 ~ /^[0-3]$/ &&
		$5 ~ /^0x[0-9a-f]+000$/ && $6 ~ /^(r-|rw)$/ &&
		$7 ~ /^[0-9]+$/ && $8 ~ /^[0-9]+$/)' $D/afu0/atc
	assert_output ""
}

@test "mprotect to read-only drops the writable rows, with a TLBI covering them" {
	start_atc
	run atc_row "$dst"
	assert_output "rw"
	step mprotect
	for ((i = 0; i < len; i += 4096)); do
		run atc_row $((dst + i))
		refute_output "rw"
	done
	tlbi_covers "$dst" $((dst + len))
	# The source was not touched.
	run atc_row "$src"
	assert_output "r-"
}

@test "munmap drops the rows of the unmapped pages, with a TLBI covering them" {
	start_atc
	step mprotect
	step munmap
	for ((i = 0; i < len; i += 4096)); do
		run atc_row $((src + i))
		assert_output ""
	done
	tlbi_covers "$src" $((src + len))
}

@test "closing the context leaves no row of its PASID" {
	start_atc
	run atc_row "$src"
	assert_output "r-"
	kill "$apid"
	wait "$apid" || true
	apid=
	run awk -v p="$pasid" 'NR > 1 && $3 == p' $D/afu0/atc
	assert_output ""
}

@test "accelstat shows the ATC's occupancy and hit rate, and its rows with -a" {
	start_atc
	run accelstat -d afu0
	assert_success
	assert_line --regexp '^  atc +[0-9]+/64 used \([0-9.]+%\), hit rate [0-9.]+%$'
	run accelstat -d afu0 -a
	assert_success
	assert_line --regexp "^afu0 +[0-9]+ +[0-3] +$pasid +$pe +$(printf '0x%x' "$src") +r- "
	assert_line --regexp "^afu0 +[0-9]+ +[0-3] +$pasid +$pe +$(printf '0x%x' "$dst") +rw "
	run sh -c "accelstat -d afu0 -a --json | jq -r '.devices[0].atc[] | select(.pasid == $pasid) | .perm' | sort | uniq -c"
	assert_line --regexp '^ +2 r-$'
	assert_line --regexp '^ +2 rw$'
	run sh -c "accelstat -d afu0 --json | jq -c '.devices[0].atc_summary | [.entries, (.used >= 4), (.hit_pct != null)]'"
	assert_output '[64,true,true]'
}

@test "acceltop -b shows the interval's ATC hit rate" {
	run acceltop -b -n 2 -i 0.5 --source=debugfs
	assert_success
	assert_line --regexp '^afu0 online .* atc_hit ([0-9.]+%|-)$'
}

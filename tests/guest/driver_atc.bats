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
	if [ -n "${apid:-}" ]; then
		kill "$apid" 2>/dev/null || true
		wait "$apid" 2>/dev/null || true
	fi
	# A test that loaded other parameters leaves the defaults behind.
	if [ -n "${reloaded:-}" ]; then
		! module_loaded || wait_empty
		module_reload
	fi
}

# start_atc [ARGS]: asim_atc ARGS (default -p 2) in the background until
# it is ready; sets apid, out, pasid, pe, src, dst and len.
start_atc() {
	out=$BATS_TEST_TMPDIR/atc.out
	[ $# -gt 0 ] || set -- -p 2
	asim_atc "$@" >"$out" 2>&1 &
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

# rows: the atc rows of $pasid.
rows() {
	awk -v p="$pasid" 'NR > 1 && $3 == p' $D/afu0/atc | wc -l
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
	assert_line --regexp '^  atc +[0-9]+/1024 used \([0-9.]+%\), hit rate [0-9.]+%$'
	run accelstat -d afu0 -a
	assert_success
	assert_line --regexp "^afu0 +[0-9]+ +[0-3] +$pasid +$pe +$(printf '0x%x' "$src") +r- "
	assert_line --regexp "^afu0 +[0-9]+ +[0-3] +$pasid +$pe +$(printf '0x%x' "$dst") +rw "
	run sh -c "accelstat -d afu0 -a --json | jq -r '.devices[0].atc[] | select(.pasid == $pasid) | .perm' | sort | uniq -c"
	assert_line --regexp '^ +2 r-$'
	assert_line --regexp '^ +2 rw$'
	run sh -c "accelstat -d afu0 --json | jq -c '.devices[0].atc_summary | [.entries, (.used >= 4), (.hit_pct != null)]'"
	assert_output '[1024,true,true]'
}

@test "acceltop -b shows the interval's ATC hit rate" {
	run acceltop -b -n 2 -i 0.5 --source=debugfs
	assert_success
	assert_line --regexp '^afu0 online .* atc_hit ([0-9.]+%|-)$'
}

@test "a miss translates the run of mapped pages after it: a 16-page copy misses once per buffer" {
	m0=$(stat_of atc_misses)
	h0=$(stat_of atc_hits)
	start_atc -p 16
	# One page walk for the 16 source pages, one for the 16 destination
	# pages; the other 15 pages of each are hits (the old engine missed
	# on each page: 32 misses, no hit).
	assert_equal $(($(stat_of atc_misses) - m0)) 2
	assert_equal $(($(stat_of atc_hits) - h0)) 30
	for ((i = 0; i < len; i += 4096)); do
		run atc_row $((src + i))
		assert_output "r-"
		run atc_row $((dst + i))
		assert_output "rw"
	done
}

@test "an invalidation inside a translated run drops exactly its pages" {
	start_atc -p 16 -r 5:3
	assert_equal "$(rows)" 32
	inv0=$(stat_of atc_invalidations)
	step mprotect
	# Pages 5, 6 and 7 of the destination lost their writable entry; the
	# others of the run kept theirs, and the source all of its.
	assert_equal $(($(stat_of atc_invalidations) - inv0)) 3
	for ((i = 0; i < 16; i++)); do
		run atc_row $((dst + i * 4096))
		if ((i >= 5 && i < 8)); then
			assert_output ""
		else
			assert_output "rw"
		fi
		run atc_row $((src + i * 4096))
		assert_output "r-"
	done
	tlbi_covers $((dst + 5 * 4096)) $((dst + 8 * 4096))
	step munmap
	assert_equal $(($(stat_of atc_invalidations) - inv0)) 6
	for ((i = 0; i < 16; i++)); do
		run atc_row $((src + i * 4096))
		if ((i >= 5 && i < 8)); then
			assert_output ""
		else
			assert_output "r-"
		fi
	done
	assert_equal "$(rows)" 26
}

@test "atc_entries sizes the ATC: info and GET_INFO report it, a copy fills every entry and no more" {
	reloaded=1
	module_reload atc_entries=16
	run awk 'NR == 2 { print $6 }' $D/afu0/info
	assert_output 16
	# GET_INFO's size: 4 sets, in which a page and the page 4 pages on
	# share a set.
	run asim_engine atc
	assert_success
	assert_line --regexp '^pasid=[0-9]+ sets=4 '
	refute_output --partial "not ok"
	start_atc -p 64
	# 128 pages translated through 4 sets of 4 ways: 16 rows, the last
	# pages of each buffer.
	assert_equal "$(rows)" 16
	run sh -c "accelstat -d afu0 --json | jq -c '.devices[0] | [.geometry.atc_entries, .atc_summary.used, .atc_summary.entries]'"
	assert_output '[16,16,16]'
	kill "$apid"
	wait "$apid" || true
	apid=
	wait_empty
	module_reload atc_entries=4096
	run awk 'NR == 2 { print $6 }' $D/afu0/info
	assert_output 4096
	start_atc -p 1024
	# 2048 pages, each resident.
	assert_equal "$(rows)" 2048
}

@test "the default ATC holds a 1 MiB source and a 1 MiB destination" {
	start_atc -p 256
	assert_equal "$(rows)" 512
}

@test "a bad atc_entries refuses the load with EINVAL and says why" {
	reloaded=1
	for v in 0 2 100 3072 131072; do
		rmmod accelsim
		run insmod "$ACCEL_MODULE" atc_entries=$v
		assert_failure
		assert_output --regexp '[Ii]nvalid (param|argument)'
		run dmesg
		assert_line --partial "accelsim: atc_entries=$v: must be a power of two from 4 to 65536"
		insmod "$ACCEL_MODULE"
	done
}

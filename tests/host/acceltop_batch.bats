#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop batch mode, text and JSON, on fixture debugfs trees with the
# debugfs source: layout, rows, sorting and filtering, and the figures of
# a refresh (totals, rates, percentiles) against a tree that changes by a
# known amount (tests/fixtures/acceltop-delta).

load acceltop_helpers

@test "text: title, device line and one row per context" {
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy"
	assert_success
	assert_line --index 0 'acceltop 0.1.0 refresh 1 source debugfs interval 0.00s'
	assert_line --index 1 'afu0 online contexts 3/8 pasids 3 pending_faults 2 faults/s 0.0 p50 - p99 - tlbi/s 0.0 p50 - p99 - irq/s 0.0 MB/s 0.00 atc_hit -'
	assert_line --index 2 --regexp '^  DEV +PE +PASID +PID +COMM +FAULT/s +FAULT_P99 +TLBI/s +TLBI_P99 +IRQ/s +MB/s +STATE$'
	assert_line --index 3 --regexp '^  afu0 +0 +1 +1234 accelctl +0\.0 +- +0\.0 +- +0\.0 +0\.00 active$'
	assert_line --index 4 --regexp '^  afu0 +1 +1 +1234 accelctl '
	assert_line --index 5 --regexp '^  afu0 +2 +3 +0 \[kernel\] '
	assert_equal "${#lines[@]}" 6
}

@test "text: -n N prints N refreshes, -d sets the interval" {
	run "$ACCELTOP" -b -n 3 -i 0.2 --source=debugfs --root "$FIX/busy"
	assert_success
	run grep -c '^acceltop ' <<<"$output"
	assert_output 3
	run "$ACCELTOP" -b -n 2 -i 0.2 --source=debugfs --root "$FIX/busy"
	assert_line --index 6 --regexp '^acceltop 0\.1\.0 refresh 2 source debugfs interval 0\.(19|2[0-9])s$'
}

@test "text: every device of a multi-device tree, and no devices" {
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/multi"
	assert_success
	assert_line --regexp '^afu0 online contexts 3/8 '
	assert_line --regexp '^afu1 online contexts 0/512 '
	assert_line --regexp '^afu3 removing contexts 0/64 '
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/nodevices"
	assert_success
	assert_line --index 1 'no accelsim devices'
}

@test "text: --sort, --reverse and --filter" {
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy" --sort=pasid --reverse
	assert_success
	assert_line --index 3 --regexp '^  afu0 +2 +3 '
	assert_line --index 4 --regexp '^  afu0 +1 +1 '
	assert_line --index 5 --regexp '^  afu0 +0 +1 '
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy" --filter=kernel
	assert_success
	assert_line --index 3 --regexp '^  afu0 +2 +3 +0 \[kernel\] '
	assert_equal "${#lines[@]}" 4
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy" --filter=1234
	assert_equal "${#lines[@]}" 5
}

@test "text: a malformed view is reported, exit 1" {
	run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/truncated"
	assert_failure 1
	assert_line 'acceltop: afu0/spa:3: truncated line (no newline at end)'
	assert_line 'afu0 error: afu0/spa:3: truncated line (no newline at end)'
}

@test "json: one object per refresh with the documented keys" {
	run "$ACCELTOP" --json -n 2 -i 0.2 --source=debugfs --root "$FIX/busy"
	assert_success
	assert_equal "${#lines[@]}" 2
	run jq -c -s 'map({schema_version, tool, refresh, source, context_latency, n: (.devices | length)})' <<<"$output"
	assert_output '[{"schema_version":2,"tool":"acceltop","refresh":1,"source":"debugfs","context_latency":false,"n":1},{"schema_version":2,"tool":"acceltop","refresh":2,"source":"debugfs","context_latency":false,"n":1}]'
	run "$ACCELTOP" --json -n 1 --source=debugfs --root "$FIX/busy"
	run jq -c '.devices[0] | {device, device_id, state, contexts_in_use, max_pe, pasids, pending_faults, rows: [.contexts[] | [.pe, .pasid, .pid, .comm, .state, .kernel]], pasid_totals: [.pasid_totals[].pasid]}' <<<"$output"
	assert_output '{"device":"afu0","device_id":0,"state":"online","contexts_in_use":3,"max_pe":8,"pasids":3,"pending_faults":2,"rows":[[0,1,1234,"accelctl","active",false],[1,1,1234,"accelctl","active",false],[2,3,0,"[kernel]","active",true]],"pasid_totals":[1,3]}'
}

@test "json: totals and interval count the change between refreshes" {
	delta_run --json
	run cat "$T/err"
	assert_output ''
	run wc -l <"$T/out"
	assert_output 2
	last=$(tail -n 1 "$T/out")
	run jq -c '.devices[0].totals | del(.fault_lat_ns, .tlbi_lat_ns, .fault_lat, .tlbi_lat)' <<<"$last"
	assert_output '{"faults":111,"faults_restart":110,"faults_address_error":1,"tlbis":2,"irqs_fired":10,"work_submitted":11,"work_done":10,"bytes":2097152,"fault_lat_samples":111,"tlbi_lat_samples":2}'
	run jq -c '.devices[0].interval | del(.fault_lat_ns, .tlbi_lat_ns)' <<<"$last"
	assert_output '{"faults":111,"faults_restart":110,"faults_address_error":1,"tlbis":2,"irqs_fired":10,"work_submitted":11,"work_done":10,"bytes":2097152,"fault_lat_samples":111,"tlbi_lat_samples":2}'
	run jq -c '.devices[0].totals.fault_lat_ns' <<<"$last"
	assert_output '[{"bucket":10,"lo_ns":1024,"hi_ns":2048,"count":60},{"bucket":12,"lo_ns":4096,"hi_ns":8192,"count":40},{"bucket":16,"lo_ns":65536,"hi_ns":131072,"count":10},{"bucket":20,"lo_ns":1048576,"hi_ns":2097152,"count":1}]'
	# nearest rank 56 of 111 is the 56th of 60 in [1024, 2048); rank 110
	# the last of bucket 16, its upper bound.
	run jq -c '.devices[0].fault_lat | [(.p50_ns * 1000 | round), .p99_ns]' <<<"$last"
	assert_output '[1979733,131072]'
	run jq -c '.devices[0].tlbi_lat | [.p50_ns, .p99_ns]' <<<"$last"
	assert_output '[512,32768]'
	# rates are the interval's counts over its length
	run jq -c '.devices[0] as $d | .interval_s as $i | [($d.faults_per_s * $i | round), ($d.tlbis_per_s * $i | round), ($d.irqs_per_s * $i | round), (($d.bytes_per_s * $i / 2097152 - 1) | fabs < 0.01)]' <<<"$last"
	assert_output '[111,2,10,true]'
	run jq '.interval_s > 1.2 and .interval_s < 3' <<<"$last"
	assert_output true
}

@test "json: per-context and per-PASID figures, a new context counted whole" {
	delta_run --json --sort=faults
	last=$(tail -n 1 "$T/out")
	run jq -c '[.devices[0].contexts[] | [.pe, .pasid, .totals.faults, .totals.tlbis, .totals.irqs_fired, .totals.work_done, .totals.bytes, .fault_lat]]' <<<"$last"
	assert_output '[[0,1,100,2,10,10,2097152,null],[3,4,7,0,0,0,0,null],[2,3,4,0,0,0,0,null],[1,1,0,0,0,0,0,null]]'
	run jq -c '[.devices[0].pasid_totals[] | [.pasid, .freed, .totals.faults]]' <<<"$last"
	assert_output '[[1,false,100],[3,false,4],[4,false,7]]'
	run jq -c '.devices[0].contexts[1] | [.comm, .pid, (.faults_per_s > 0)]' <<<"$last"
	assert_output '["fixture",4321,true]'
	# the ATC's hit rate of the interval: 100 hits, 111 misses
	run jq -c '.devices[0].atc_hit_pct * 100 | round' <<<"$last"
	assert_output 4739
}

@test "text: rates of the second refresh" {
	delta_run
	run grep -E '^afu0 ' "$T/out"
	assert_line --index 1 --regexp '^afu0 online contexts 4/8 pasids 3 pending_faults 2 faults/s [0-9.]+ p50 1\.98µs p99 131µs tlbi/s [0-9.]+ p50 512ns p99 32\.8µs irq/s [0-9.]+ MB/s [0-9.]+ atc_hit 47\.4%$'
	run grep -cE '^  afu0 ' "$T/out"
	assert_output 7
}

# big_tree DIR FACTOR: afu0 with 4096 PEs over 1000 PASIDs (PE i has PASID
# (7i mod 1000) + 1 and FACTOR * (i mod 97 + 1) faults).
big_tree() {
	cp -r "$FIX/busy" "$1"
	awk -v f="$2" 'BEGIN {
		print "pe pasid pid comm state kernel faults tlbis irqs work bytes"
		for (i = 0; i < 4096; i++)
			printf "%d %d %d w%d active 0 %d 0 0 0 0\n", i, (7 * i) % 1000 + 1,
				2000 + (7 * i) % 1000, i % 13, f * (i % 97 + 1)
	}' >"$1/afu0/spa"
	sed -i '2s/^afu0 0.1.0 8 /afu0 0.1.0 32768 /' "$1/afu0/info"
}

@test "json: 4096 contexts over 1000 PASIDs, each PASID the sum of its PEs" {
	T=$BATS_TEST_TMPDIR
	big_tree "$T/root" 0
	big_tree "$T/after" 3
	"$ACCELTOP" -b -n 2 -i 1.5 --json --source=debugfs --root "$T/root" \
		>"$T/out" 2>"$T/err" 3>&- &
	local pid=$! i
	for ((i = 0; i < 100; i++)); do
		[ -s "$T/out" ] && break
		sleep 0.05
	done
	cp "$T/after/afu0/spa" "$T/root/afu0/.spa"
	mv "$T/root/afu0/.spa" "$T/root/afu0/spa"
	wait "$pid"
	last=$(tail -n 1 "$T/out")
	assert_equal "$(jq '.devices[0].contexts | length' <<<"$last")" 4096
	assert_equal "$(jq '.devices[0].pasid_totals | length' <<<"$last")" 1000
	want=$(awk 'NR > 1 { s[$2] += $7 } END { for (p in s) print p, s[p] }' \
		"$T/after/afu0/spa" | sort -n)
	got=$(jq -r '.devices[0].pasid_totals[] | "\(.pasid) \(.totals.faults)"' <<<"$last")
	assert_equal "$got" "$want"
	# every context row has its own PE's faults, none mixed up
	bad=$(jq '[.devices[0].contexts[] | select(.totals.faults != 3 * (.pe % 97 + 1))] | length' <<<"$last")
	assert_equal "$bad" 0
}

@test "json: PASID and process rows sum their contexts, TLBIs the oldest context's" {
	delta_run --json
	last=$(tail -n 1 "$T/out")
	# PASID 1 has PEs 0 (100 faults, 2 TLBIs, 10 IRQs) and 1 (idle).
	run jq -c '[.devices[0].pasid_rows[] | [.pasid, .pid, .comm, .contexts, .freed, .totals.faults, .totals.tlbis, .totals.irqs_fired, .totals.bytes]]' <<<"$last"
	assert_output '[[1,1234,"accelctl",2,false,100,2,10,2097152],[3,0,"[kernel]",1,false,4,0,0,0],[4,4321,"fixture",1,false,7,0,0,0]]'
	run jq -c '[.devices[0].process_rows[] | [.pid, .comm, .contexts, .pasids, .kernel, .totals.faults, .totals.tlbis]]' <<<"$last"
	# (in the order of their PASIDs, as sorting by PE does)
	assert_output '[[1234,"accelctl",2,1,false,100,2],[0,"[kernel]",1,1,true,4,0],[4321,"fixture",1,1,false,7,0]]'
	# Rates: a group's are its contexts' added up, within the rounding
	# of the printed rates (3 decimals: 0.0005 per row added).
	run jq '.devices[0] | [.contexts[] | select(.pasid == 1) | .faults_per_s] as $r |
		($r | add) as $c | ((($r | length) + 1) * 0.0005) as $tol |
		(.pasid_rows[] | select(.pasid == 1) | .faults_per_s) as $p |
		(.process_rows[] | select(.pid == 1234) | .faults_per_s) as $q |
		$c > 0 and ($c - $p | fabs) <= $tol and ($p - $q | fabs) <= $tol' <<<"$last"
	assert_output true
	# The contexts add up to the device.
	run jq '.devices[0] | [.contexts[].faults_per_s] as $r |
		(($r | add) - .faults_per_s | fabs) <= ((($r | length) + 1) * 0.0005)' <<<"$last"
	assert_output true
}

@test "json: the filter applies to every level, pasid_totals stays whole" {
	run "$ACCELTOP" -b -n 1 --json --source=debugfs --root "$FIX/busy" --filter=kernel
	assert_success
	run jq -c '.devices[0] | [(.contexts | length), (.pasid_rows | map(.pasid)), (.process_rows | map(.pid)), (.pasid_totals | map(.pasid))]' <<<"$output"
	assert_output '[1,[3],[0],[1,3]]'
}

@test "text: --group=pasid and --group=process, one row per PASID or process" {
	delta_run --group=pasid
	run grep -E '^  (DEV|afu0) ' "$T/out"
	assert_line --index 0 --regexp '^  DEV +CTXS +PASID +PID +COMM +FAULT/s '
	# second refresh: PASID 1's two contexts in one row
	assert_line --index 3 --regexp '^  DEV +CTXS +PASID +PID +COMM +FAULT/s '
	assert_line --index 4 --regexp '^  afu0 +2 +1 +1234 +accelctl +66\.[0-9] +- +1\.3 +- +6\.[0-9] +1\.[0-9]+ active$'
	assert_line --index 6 --regexp '^  afu0 +1 +4 +4321 +fixture '
	assert_equal "$(grep -c '^  afu0 ' "$T/out")" 5
	delta_run --group=process --sort=faults
	run grep -E '^  (DEV|afu0) ' "$T/out"
	assert_line --index 3 --regexp '^  DEV +CTXS +PASIDS +PID +COMM +FAULT/s '
	assert_line --index 4 --regexp '^  afu0 +2 +1 +1234 +accelctl +66\.[0-9] '
	assert_line --index 5 --regexp '^  afu0 +1 +1 +4321 +fixture '
	assert_line --index 6 --regexp '^  afu0 +1 +1 +0 +\[kernel\] '
}

# gen_tree DIR: the busy fixture with a gen view (every count 1).
gen_tree() {
	cp -r "$FIX/busy" "$1"
	printf 'view gen\ninfo 1\nspa 1\npasids 1\nfaults 1\nirqs 1\natc 1\nkctx 1\nstats 1\n' >"$1/afu0/gen"
}

@test "gen: unchanged views are read once, a changed spa again with its new row" {
	T=$BATS_TEST_TMPDIR
	gen_tree "$T/root"
	ACCEL_DEBUG_READS=1 "$ACCELTOP" -b -n 4 -i 1 --source=debugfs \
		--root "$T/root" >"$T/out" 2>"$T/err" 3>&- &
	local pid=$! i
	for ((i = 0; i < 200; i++)); do
		[ "$(grep -c '^acceltop ' "$T/out")" -ge 2 ] && break
		sleep 0.05
	done
	# a new comm on PE 2, and its count: the next refresh reads spa
	sed 's/^2 3 0 \[kernel\]/2 3 0 renamed/' "$T/root/afu0/spa" >"$T/spa"
	run grep -c ' renamed ' "$T/spa"
	assert_output 1
	mv "$T/spa" "$T/root/afu0/spa"
	sed -i 's/^spa 1$/spa 2/' "$T/root/afu0/gen"
	wait "$pid"
	# one read at start-up (the source's probe) and four refreshes: the
	# gen view each time, info and stats once, spa once more after its
	# count moved
	run cat "$T/err"
	assert_output "acceltop: reads gen 5 info 1 spa 2 stats 1"
	run grep -c '^  afu0  *2  *3  *0 renamed ' "$T/out"
	assert_output 2
	run grep -c '^  afu0  *2  *3  *0 \[kernel\] ' "$T/out"
	assert_output 2
}

@test "gen: without the gen view every view is read at each refresh" {
	run env ACCEL_DEBUG_READS=1 "$ACCELTOP" -b -n 3 -i 0.1 --source=debugfs --root "$FIX/busy"
	assert_success
	assert_line "acceltop: reads gen 4 info 4 spa 4 stats 4"
}

@test "gen: --json from kept views is valid and has the content of views read again" {
	T=$BATS_TEST_TMPDIR
	gen_tree "$T/root"
	"$ACCELTOP" -b -n 3 -i 0.1 --json --source=debugfs --root "$T/root" >"$T/kept"
	"$ACCELTOP" -b -n 3 -i 0.1 --json --source=debugfs --root "$FIX/busy" >"$T/read"
	run python3 -m json.tool --json-lines "$T/kept"
	assert_success
	# the same but for the timing of the refreshes
	del='del(.interval_s, .elapsed_s) | .devices[] |= (del(.. | .faults_per_s?, .tlbis_per_s?, .irqs_per_s?, .mb_per_s?))'
	assert_equal "$(jq -c "$del" "$T/kept")" "$(jq -c "$del" "$T/read")"
	assert_equal "$(wc -l <"$T/kept")" 3
}

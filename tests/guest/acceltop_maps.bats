#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop's BPF maps stay bounded: with acceltop attached and processes
# attaching, working and exiting (new PASIDs all along, far more PASIDs
# freed than the per-PASID map or acceltop's table of freed keys holds),
# the per-PASID map holds only live PASIDs, the per-context map the live
# contexts and those freed since acceltop's last refresh (it takes them
# then); the pending-start maps are arrays of 16384 slots by id (bounded
# by construction) whose slots are all free once the churn is over, and
# the device totals a per-CPU array by device id. Nothing is lost on the
# way: the per-PASID totals equal the driver's stats deltas.

load helpers

# entries NAME: entries of the BPF map NAME.
entries() {
	bpftool -j map dump name "$1" | jq length
}

# pending NAME: the slots of the start array NAME holding a fault (TLBI)
# not acked (done) yet: an id other than 0. grep, not jq: a jq of the
# 16384 slots takes seconds in the guest.
pending() {
	bpftool -j map dump name "$1" | grep -o '"formatted":{"key":[0-9]*,"value":{"id":[1-9]' | wc -l
}

# churn SOURCE SECONDS
churn() {
	local T=$BATS_TEST_TMPDIR p c np pg max_p=0 max_c=0 m k n children
	acceltop -b -i 1 --json --source="$1" >"$T/out" 2>"$T/err" 3>&- &
	A=$!
	for _ in $(seq 100); do
		[ -s "$T/out" ] && break
		sleep 0.1
	done
	[ -s "$T/out" ] || fail "acceltop: $(cat "$T/err")"
	run bpftool -j map show name pasid_stats
	assert_success
	[ "$(jq .max_entries <<<"$output")" -eq 4096 ]
	run bpftool -j map show name ctx_stats
	assert_success
	[ "$(jq .max_entries <<<"$output")" -eq 4096 ]
	for m in fault_start tlbi_start; do
		run bpftool -j map show name "$m"
		assert_success
		[ "$(jq .max_entries <<<"$output")" -eq 16384 ]
		[ "$(jq -r .type <<<"$output")" = array ]
	done
	run bpftool -j map show name dev_stats
	assert_success
	[ "$(jq .max_entries <<<"$output")" -eq 256 ]
	[ "$(jq -r .type <<<"$output")" = percpu_array ]

	# acceltop counts from its first refresh, which is out: the device
	# is idle, so the stats deltas from here are what it must see.
	cp "$DEBUGFS/afu0/stats" "$T/before"
	# A process group of its own, so the sampling below can freeze it.
	setsid asim_stress -p 4 -T "$2" >"$T/stress" 2>&1 3>&- &
	S=$!
	for _ in $(seq 50); do
		pg=$(awk '{ print $5 }' "/proc/$S/stat" 2>/dev/null)
		[ "$pg" = "$S" ] && break
		sleep 0.1
	done
	[ "$pg" = "$S" ] || fail "asim_stress is not its own process group"
	while kill -0 "$S" 2>/dev/null; do
		# With the workload frozen no PASID is created, so every entry
		# of the per-PASID map (deleted at pasid_free, which is traced
		# before the number can be reused) is a PASID the driver lists
		# still, read before the map. How many that is depends on how
		# fast the host frees them, not on how many came and went.
		kill -STOP -- -"$pg" 2>/dev/null || break
		np=$(($(wc -l <"$DEBUGFS/pasids") - 1))
		p=$(entries pasid_stats)
		c=$(entries ctx_stats)
		kill -CONT -- -"$pg"
		echo "pasid_stats $p (driver PASIDs $np) ctx_stats $c"
		((p <= np)) || fail "pasid_stats holds $p entries, the driver $np PASIDs"
		((p > max_p)) && max_p=$p
		((c > max_c)) && max_c=$c
		sleep 3
	done
	wait "$S" || fail "asim_stress failed: $(cat "$T/stress")"
	# Bounded by what is live, not by the thousands of PASIDs freed.
	[ "$max_p" -le 64 ]
	[ "$max_c" -le 64 ]
	# Churn is over: every PASID freed, every fault acked, TLBI done,
	# and acceltop has taken the freed contexts at a refresh.
	for _ in $(seq 50); do
		[ "$(entries pasid_stats)" -eq 0 ] &&
			[ "$(entries ctx_stats)" -eq 0 ] && break
		sleep 0.2
	done
	[ "$(entries pasid_stats)" -eq 0 ]
	[ "$(entries ctx_stats)" -eq 0 ]
	run pending fault_start
	assert_output 0
	run pending tlbi_start
	assert_output 0
	cp "$DEBUGFS/afu0/stats" "$T/after"
	sleep 2		# one more refresh after the churn
	kill -INT "$A"
	wait "$A" || fail "acceltop failed: $(cat "$T/err")"
	# Processes came and went (asim_stress keeps 4 alive; on the debug
	# kernel, with the churn frozen while each sample's bpftool runs,
	# 40 s made 9 in CI: there one that came and went is the floor) ...
	local min_children=10
	on_debug_kernel && min_children=5
	children=$(sed -n 's/^children=\([0-9]*\) .*/\1/p' "$T/stress")
	echo "children: $children"
	[ "$children" -ge "$min_children" ]
	# ... and every freed PASID's final counts reached acceltop: nothing
	# dropped for any cause, and the per-PASID totals (all freed by now)
	# add up exactly to the driver's counters over the churn.
	LAST=$(tail -n 1 "$T/out")
	jq -c '{dropped, drops}' <<<"$LAST"
	run jq '.dropped' <<<"$LAST"
	assert_output 0
	run jq -c '[.drops[]] | unique' <<<"$LAST"
	assert_output '[0]'
	run jq -c '[.devices[0].pasid_totals[] | select(.freed | not)]' <<<"$LAST"
	assert_output '[]'
	# One jq for every counter ("name pasid-sum device-total" lines), and
	# the stats views read by bash: a jq start costs over a second on the
	# debug kernel.
	local -A before after psum dtot
	read_counters "$T/before" before
	read_counters "$T/after" after
	jq -r '.devices[0] as $d | $ARGS.positional[] as $k |
		"\($k) \([$d.pasid_totals[].totals[$k]] | add // 0) \($d.totals[$k])"' \
		--args faults faults_restart faults_address_error tlbis irqs_fired \
		work_submitted work_done bytes <<<"$LAST" >"$T/totals"
	while read -r k n p; do
		psum[$k]=$n
		dtot[$k]=$p
	done <"$T/totals"
	for k in faults:faults_raised faults_restart:faults_acked_restart \
		faults_address_error:faults_acked_address_error tlbis:tlbis \
		irqs_fired:irqs_fired work_submitted:work_submitted \
		work_done:work_done bytes:bytes; do
		n=$((${after[${k#*:}]} - ${before[${k#*:}]}))
		echo "${k%%:*}: driver $n, pasid totals ${psum[${k%%:*}]}, device ${dtot[${k%%:*}]}"
		assert_equal "${psum[${k%%:*}]}" "$n"
		assert_equal "${dtot[${k%%:*}]}" "$n"
	done
	# The churn drove both paths in volume. The debug kernel, four or
	# more times slower and sharing the host with the other debug guest
	# and, in make check, the stock lane, does a fraction of the work in
	# the same time, and the churn is frozen while each sample is taken:
	# 1672 faults and 19 TLBIs in 60 s beside the stock lane (2508 and
	# 42 in 40 s with only the other debug guest). There the floor only
	# tells a churn that did nothing; Debian's kernel checks the volume,
	# and every count above is exact on both.
	local min_faults=1000 min_tlbis=100
	if on_debug_kernel; then
		min_faults=100
		min_tlbis=4
	fi
	[ $((after[faults_raised] - before[faults_raised])) -gt "$min_faults" ]
	[ $((after[tlbis] - before[tlbis])) -gt "$min_tlbis" ]
	# The maps went with acceltop.
	run bash -c 'bpftool map show | grep -c "name pasid_stats"'
	assert_output 0
}

@test "bpf-btf: maps bounded, per-PASID totals exact over 60 s of churn" {
	churn bpf-btf 60
}

@test "bpf-tp: maps bounded, per-PASID totals exact over 20 s of churn (40 s on the debug kernel)" {
	# On the debug kernel 20 s made 69 TLBIs alone and 40 s made 42 with
	# the other debug guest beside it: 20 s would leave too few.
	if on_debug_kernel; then
		churn bpf-tp 40
	else
		churn bpf-tp 20
	fi
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop's three levels of rows against the driver's own counters: four
# threads of one process attach to afu0 (four contexts, one PASID) and do
# different amounts of work (thread N: N copies, each with faults, an IRQ
# and the TLBIs of its unmapping). On each source the context rows must add
# up to the device's figures, each context must have its own PE's counts
# (the spa view's), and the PASID and process rows must equal the driver's
# counters (spa summed, stats deltas).

load helpers

# measure SOURCE: acceltop -b -n 2 --json on SOURCE, stopped after its
# first refresh while asim_attach -t 4 -c 256 does its work and holds its
# contexts, then resumed: its second refresh's interval holds all the
# work. Sets LAST (that refresh), PASID, PES (the four PEs), APID, and
# the driver's stats before (SB) and after (SA) and spa after.
measure() {
	local top=$BATS_TEST_TMPDIR/top.json pid n
	acceltop -b -n 2 -i 2 --json --source="$1" >"$top" \
		2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_until test -s "$top" || { cat "$BATS_TEST_TMPDIR/err"; return 1; }
	kill -STOP "$pid"
	cp "$DEBUGFS/afu0/stats" "$BATS_TEST_TMPDIR/before"
	# (sets apid and out, its output)
	start_attach -t 4 -c 256
	cp "$DEBUGFS/afu0/stats" "$BATS_TEST_TMPDIR/after"
	cp "$DEBUGFS/afu0/spa" "$BATS_TEST_TMPDIR/spa"
	kill -CONT "$pid"
	finishes "$pid" 60
	wait "$pid" || { cat "$BATS_TEST_TMPDIR/err"; return 1; }
	LAST=$(tail -n 1 "$top")
	APID=$apid
	# One PASID, four PEs, each thread's work done.
	PASID=$(sed -n 's/^attach .* pasid=\([0-9]*\) .*/\1/p' "$out" | sort -u)
	PES=$(sed -n 's/^attach .* pe=\([0-9]*\)$/\1/p' "$out" | sort -n | paste -sd' ')
	n=$(grep -c '^work dev=0 pe=[0-9]* rounds=[1-4]$' "$out")
	[ "$n" -eq 4 ]
	[ "$(wc -w <<<"$PASID")" -eq 1 ]
	[ "$(wc -w <<<"$PES")" -eq 4 ]
	declare -gA SB SA
	SB=()
	SA=()
	read_counters "$BATS_TEST_TMPDIR/before" SB
	read_counters "$BATS_TEST_TMPDIR/after" SA
}

# facts: acceltop's figures the checks compare, in one jq run, into F:
# for the device (d.*), the sum of the context rows of PASID (c.*), the
# PASID's row (p.*) and the process row of asim_attach (q.*): the rates
# faults_per_s, irqs_per_s, bytes_per_s, tlbis_per_s and the totals; the
# numbers of rows, and each context's totals (pe.N.K).
facts() {
	local k v
	declare -gA F
	F=()
	jq -r --argjson p "$PASID" --argjson pid "$APID" '
		.devices[0] as $d |
		[$d.contexts[] | select(.pasid == $p)] as $c |
		[($d.pasid_rows // [])[] | select(.pasid == $p)] as $pr |
		[($d.process_rows // [])[] | select(.pid == $pid)] as $qr |
		"source \(.source)", "dropped \(.dropped)",
		"c.rows \($c | length)", "p.rows \($pr | length)",
		"q.rows \($qr | length)",
		"p.contexts \($pr[0].contexts)", "q.contexts \($qr[0].contexts)",
		"q.pasids \($qr[0].pasids)",
		(("faults_per_s", "irqs_per_s", "bytes_per_s", "tlbis_per_s") as $r |
			"d.\($r) \($d[$r])", "c.\($r) \([$c[][$r]] | add)",
			"p.\($r) \($pr[0][$r])", "q.\($r) \($qr[0][$r])"),
		(("faults", "irqs_fired", "work_done", "work_submitted", "bytes", "tlbis") as $k |
			"d.\($k) \($d.totals[$k])",
			"c.\($k) \([$c[].totals[$k]] | add)",
			"p.\($k) \($pr[0].totals[$k])", "q.\($k) \($qr[0].totals[$k])",
			($c[] | "pe.\(.pe).\($k) \(.totals[$k])"))
	' <<<"$LAST" >"$BATS_TEST_TMPDIR/facts"
	while read -r k v; do
		F[$k]=$v
	done <"$BATS_TEST_TMPDIR/facts"
}

# near A B: |A - B| <= 0.05, one unit of the text's %.1f rounding.
near() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d <= 0.05 && d >= -0.05) }' ||
		fail "$1 and $2 differ by more than 0.05"
}

# spa_sum COLUMN: the sum of COLUMN (6 faults ... 10 bytes, from 0) over
# the spa rows of PASID; spa_max likewise.
spa_sum() {
	awk -v p="$PASID" -v c="$1" 'NR > 1 && $2 == p { s += $(c + 1) } END { print s + 0 }' \
		"$BATS_TEST_TMPDIR/spa"
}
spa_max() {
	awk -v p="$PASID" -v c="$1" 'NR > 1 && $2 == p && $(c + 1) > m { m = $(c + 1) } END { print m + 0 }' \
		"$BATS_TEST_TMPDIR/spa"
}
spa_of() {
	awk -v pe="$1" -v c="$2" 'NR > 1 && $1 == pe { print $(c + 1) }' "$BATS_TEST_TMPDIR/spa"
}

# check SOURCE
check() {
	local k pe n
	assert_equal "${F[source]}" "$1"
	assert_equal "${F[dropped]}" 0
	assert_equal "${F[c.rows]}" 4
	# The work: thread N did N copies of 256 KiB, 10 in all, each
	# faulting on its 64 + 64 pages and firing one IRQ.
	n=$((SA[faults_raised] - SB[faults_raised]))
	[ "$n" -ge 1280 ]
	assert_equal $((SA[irqs_fired] - SB[irqs_fired])) 10
	assert_equal $((SA[work_done] - SB[work_done])) 10
	[ $((SA[tlbis] - SB[tlbis])) -ge 10 ]
	# The context rows add up to the device: rates within the rounding,
	# totals exactly (every event of the interval is theirs).
	for k in faults_per_s irqs_per_s bytes_per_s; do
		echo "$1 $k: device ${F[d.$k]}, contexts ${F[c.$k]}, PASID ${F[p.$k]}, process ${F[q.$k]}"
		near "${F[c.$k]}" "${F[d.$k]}"
	done
	for k in faults irqs_fired work_done bytes; do
		assert_equal "${F[c.$k]}" "${F[d.$k]}"
	done
	# One PASID row and one process row, of the four contexts.
	assert_equal "${F[p.rows]}" 1
	assert_equal "${F[q.rows]}" 1
	assert_equal "${F[p.contexts]}" 4
	assert_equal "${F[q.contexts]}" 4
	assert_equal "${F[q.pasids]}" 1
	for k in faults_per_s irqs_per_s bytes_per_s; do
		near "${F[p.$k]}" "${F[d.$k]}"
		near "${F[q.$k]}" "${F[d.$k]}"
	done
	# Each context has its own PE's counts: the spa view's.
	for pe in $PES; do
		echo "$1 pe $pe: faults ${F[pe.$pe.faults]} (spa $(spa_of "$pe" 6)), irqs ${F[pe.$pe.irqs_fired]}, bytes ${F[pe.$pe.bytes]}"
		assert_equal "${F[pe.$pe.faults]}" "$(spa_of "$pe" 6)"
		assert_equal "${F[pe.$pe.irqs_fired]}" "$(spa_of "$pe" 8)"
		assert_equal "${F[pe.$pe.bytes]}" "$(spa_of "$pe" 10)"
		assert_equal "${F[pe.$pe.work_done]}" "$(spa_of "$pe" 9)"
	done
	# The PASID's and the process's rows are the driver's counters.
	for k in p q; do
		assert_equal "${F[$k.faults]}" "$(spa_sum 6)"
		assert_equal "${F[$k.faults]}" "$n"
		assert_equal "${F[$k.irqs_fired]}" "$(spa_sum 8)"
		assert_equal "${F[$k.work_done]}" "$(spa_sum 9)"
		assert_equal "${F[$k.bytes]}" "$(spa_sum 10)"
		assert_equal "${F[$k.bytes]}" $((SA[bytes] - SB[bytes]))
		# A PASID's TLBIs: every context counts each of them, the
		# first attached saw them all (spa max).
		assert_equal "${F[$k.tlbis]}" "$(spa_max 7)"
		assert_equal "${F[$k.tlbis]}" $((SA[tlbis] - SB[tlbis]))
	done
	if [ "$1" != debugfs ]; then
		assert_equal "${F[p.work_submitted]}" $((SA[work_submitted] - SB[work_submitted]))
	fi
}

@test "bpf-btf: context rows add up to the device, PASID and process rows match the driver" {
	measure bpf-btf
	facts
	check bpf-btf
}

@test "bpf-tp: context rows add up to the device, PASID and process rows match the driver" {
	measure bpf-tp
	facts
	check bpf-tp
}

@test "tracefs: context rows add up to the device, PASID and process rows match the driver" {
	measure tracefs
	facts
	check tracefs
}

@test "debugfs: context rows add up to the device, PASID and process rows match the driver" {
	measure debugfs
	facts
	check debugfs
}

@test "text: --group=pasid and --group=process show one row for the four contexts" {
	start_attach -t 4 -c 64
	PASID=$(sed -n 's/^attach .* pasid=\([0-9]*\) .*/\1/p' "$out" | sort -u)
	run acceltop -b -n 1 --group=pasid
	assert_success
	assert_line --regexp "^  DEV +CTXS +PASID +PID +COMM "
	assert_line --regexp "^  afu0 +4 +$PASID +$apid +asim_attach "
	run acceltop -b -n 1 --group=process
	assert_success
	assert_line --regexp "^  DEV +CTXS +PASIDS +PID +COMM "
	assert_line --regexp "^  afu0 +4 +1 +$apid +asim_attach "
	run acceltop -b -n 1 --group=context
	assert_success
	run grep -cE "^  afu0 +[0-9]+ +$PASID +$apid " <<<"$output"
	assert_output 4
	kill "$apid"
	wait "$apid"
}

teardown() {
	if [ -n "${apid:-}" ]; then
		kill "$apid" 2>/dev/null || true
		wait "$apid" 2>/dev/null || true
	fi
}

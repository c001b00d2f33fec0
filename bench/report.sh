#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/report.sh RAW [RESULTS]: turn the guest's raw measurements (RAW, the
# /out/raw.json of bench/run-guest.sh) into the figures: per round the ratio
# of the two things measured, then the median over the rounds. Prints the
# table (figure, value, goal, pass|fail) and writes RESULTS (default
# bench/results.json). Exit 0 when every figure was measured (a missed goal
# is reported, not an error), 1 when one could not be, 2 on bad input.
set -euo pipefail

raw=${1:?usage: bench/report.sh RAW [RESULTS]}
results=${2:-$(cd "$(dirname "$0")" && pwd)/results.json}
[ -s "$raw" ] || { echo "bench/report.sh: $raw is missing or empty" >&2; exit 2; }

jq '
def median: sort | if length == 0 then null else .[(length / 2 | floor)] end;
# The same percentile as libaccel (lib/hist.c) and acceltop: the rank-th
# sample, placed linearly within its log2 bucket [2^b, 2^(b+1)).
def hist_pct($p): . as $h | ($h | add) as $total
	| if $total == 0 then null else
	  (($p / 100 * $total) | ceil | if . < 1 then 1 else . end) as $rank
	  | reduce range(64) as $b ({cum: 0, out: null};
		if .out == null and $h[$b] > 0 and .cum + $h[$b] >= $rank then
			(if $b == 0 then 0 else pow(2; $b) end) as $lo
			| .out = $lo + (pow(2; $b + 1) - $lo) * (($rank - .cum) / $h[$b])
		else . end
		| .cum += $h[$b])
	  | .out
	  end;
def rnd: if . == null then null else round end;
def r3: if . == null then null else (. * 1000 | rnd) / 1000 end;
def fig($id; $name; $unit; $goal_op; $goal; $value; $extra):
	{id: $id, name: $name, unit: $unit, goal: "\($goal_op) \($goal)",
	 value: ($value | r3),
	 pass: (if $value == null then null
		elif $goal_op == "<=" then $value <= $goal else $value >= $goal end)}
	+ $extra;
def failed($id; $name; $goal_op; $goal; $err):
	{id: $id, name: $name, goal: "\($goal_op) \($goal)", value: null,
	 pass: null, error: $err};
def each($f; $id; $name; $goal_op; $goal; body):
	if $f == null then failed($id; $name; $goal_op; $goal; "no data")
	elif $f.error then failed($id; $name; $goal_op; $goal; $f.error)
	else ($f | body) end;

. as $raw | {
 meta: .meta,
 figures: [
  each(.f1; 1; "fault service p50, driver/CPU"; "<="; 1.5;
	[.rounds[] | {cpu: (.cpu.hist | hist_pct(50)), dev: (.dev_hist | hist_pct(50)),
		bpf: (.bpf_hist | hist_pct(50)), cpu_exact: .cpu.p50_ns,
		dev99: (.dev_hist | hist_pct(99)), cpu99: (.cpu.hist | hist_pct(99))}] as $r
	| fig(1; "fault service p50, driver/CPU"; "ratio"; "<="; 1.5;
		[$r[] | .dev / .cpu] | median;
		{rounds: ($r | length),
		 bpf_ratio: ([$r[] | select(.bpf != null) | .bpf / .cpu] | median | r3),
		 bpf_rounds: ([$r[] | select(.bpf != null)] | length),
		 driver_p50_ns: ([$r[].dev] | median | rnd),
		 driver_p99_ns: ([$r[].dev99] | median | rnd),
		 bpf_p50_ns: ([$r[].bpf | select(. != null)] | median | rnd),
		 cpu_p50_ns: ([$r[].cpu] | median | rnd),
		 cpu_p99_ns: ([$r[].cpu99] | median | rnd),
		 cpu_p50_exact_ns: ([$r[].cpu_exact] | median)})),
  each(.f2; 2; "fault throughput, engine/CPU"; ">="; 0.3;
	fig(2; "fault throughput, engine/CPU"; "ratio"; ">="; 0.3;
		[.rounds[] | .dev_pages_per_s / .cpu_pages_per_s] | median;
		{rounds: (.rounds | length),
		 engine_pages_per_s: ([.rounds[].dev_pages_per_s] | median | rnd),
		 cpu_pages_per_s: ([.rounds[].cpu_pages_per_s] | median | rnd),
		 engine_faults_per_page: ([.rounds[] | .dev_faults / .dev_pages] | median | r3)})),
  each(.f3; 3; "munmap+remap 2 MiB, context/none"; "<="; 1.1;
	fig(3; "munmap+remap 2 MiB, context/none"; "ratio"; "<="; 1.1;
		[.rounds[] | .ctx.median_ns / .none.median_ns] | median;
		{rounds: (.rounds | length),
		 ctx_median_ns: ([.rounds[].ctx.median_ns] | median),
		 none_median_ns: ([.rounds[].none.median_ns] | median),
		 tlbi_p50_ns: (.tlbi_hist | hist_pct(50) | rnd),
		 tlbi_p99_ns: (.tlbi_hist | hist_pct(99) | rnd),
		 tlbis: (.tlbi_hist | add)})),
  each(.f4; 4; "fault-heavy run with acceltop BPF/none"; ">="; 0.95;
	fig(4; "fault-heavy run with acceltop BPF/none"; "ratio"; ">="; 0.95;
		[.rounds[] | .bpf_bps / .none_bps] | median;
		{rounds: (.rounds | length),
		 tracefs_ratio: ([.rounds[] | .tracefs_bps / .none_bps] | median | r3),
		 none_bytes_per_s: ([.rounds[].none_bps] | median | rnd)})),
  each(.f5; 5; "copy on warm pages, engine/memcpy"; ">="; 0.5;
	fig(5; "copy on warm pages, engine/memcpy"; "ratio"; ">="; 0.5;
		[.rounds[] | .engine_bps / .memcpy_bps] | median;
		{rounds: (.rounds | length), size: .size,
		 engine_bytes_per_s: ([.rounds[].engine_bps] | median | rnd),
		 atc_hit_rate: (if .atc_hits == null then null else (.atc_hits / ((.atc_hits + .atc_misses) | if . == 0 then 1 else . end)) | r3 end),
		 atc_resident_ratio: (if .atc_resident == null then null
			else [.atc_resident.rounds[] | .engine_bps / .memcpy_bps] | median | r3 end),
		 memcpy_bytes_per_s: ([.rounds[].memcpy_bps] | median | rnd)})),
  each(.f6; 6; "accelstat --json/cat, 4096 contexts"; "<="; 2;
	fig(6; "accelstat --json/cat, \(.contexts) contexts"; "ratio"; "<="; 2;
		[.rounds[] | .accelstat.median_ns / .cat.median_ns] | median;
		{rounds: (.rounds | length), contexts: .contexts,
		 accelstat_ns: ([.rounds[].accelstat.median_ns] | median),
		 accelstat_cpu_ns: ([.rounds[].accelstat.cpu_mean_ns] | median),
		 cat_ns: ([.rounds[].cat.median_ns] | median)})),
  each(.f7; 7; "spa read per row, 32768/1024 PEs"; "<="; 1.2;
	.big_pes as $b | .small_pes as $s
	| fig(7; "spa read per row, \($b)/\($s) PEs"; "ratio"; "<="; 1.2;
		[.rounds[] | (.big.median_ns / (.big.lines - 1)) / (.small.median_ns / (.small.lines - 1))] | median;
		{rounds: (.rounds | length),
		 big_rows: (.rounds[0].big.lines - 1), small_rows: (.rounds[0].small.lines - 1),
		 big_ns_per_row: ([.rounds[] | .big.median_ns / (.big.lines - 1)] | median | rnd),
		 small_ns_per_row: ([.rounds[] | .small.median_ns / (.small.lines - 1)] | median | rnd)})),
  each(.f8; 8; "acceltop -b CPU, 4096 contexts (% of a CPU)"; "<="; 2;
	fig(8; "acceltop -b CPU, \(.contexts) contexts (% of a CPU)"; "%"; "<="; 2;
		[.rounds[] | 100 * .cpu_s / .wall_s] | median;
		{rounds: (.rounds | length), source: .source})),
  each(.f9; 9; "engine copy beside a TLBI storm, ctx/none"; ">="; 0.8;
	fig(9; "engine copy beside a TLBI storm, ctx/none"; "ratio"; ">="; 0.8;
		[.rounds[] | .ctx_bps / .none_bps] | median;
		{rounds: (.rounds | length), storm_pages: .storm_pages,
		 ctx_bytes_per_s: ([.rounds[].ctx_bps] | median | rnd),
		 none_bytes_per_s: ([.rounds[].none_bps] | median | rnd),
		 storm_ctx_loops_per_s: ([.rounds[].storm_ctx.loops_per_s] | median | rnd),
		 storm_none_loops_per_s: ([.rounds[].storm_none.loops_per_s] | median | rnd),
		 storm_tlbis: ([.rounds[].storm_tlbis] | median)})),
  each(.f10; 10; "fault-in rate, 8 procs 2 devices/1 proc 1"; ">="; 1.5;
	.rounds[0].multi as $m
	| fig(10; "fault-in rate, \($m.procs) procs \($m.devs) devices/1 proc 1"; "ratio"; ">="; 1.5;
		[.rounds[] | .multi.pages_per_s / .single.pages_per_s] | median;
		{rounds: (.rounds | length),
		 multi_pages_per_s: ([.rounds[].multi.pages_per_s] | median | rnd),
		 single_pages_per_s: ([.rounds[].single.pages_per_s] | median | rnd),
		 multi_faults_per_page: ([.rounds[] | .multi.faults / .multi.pages] | median | r3),
		 single_faults_per_page: ([.rounds[] | .single.faults / .single.pages] | median | r3)}))
 ]
}' "$raw" >"$results.tmp" || { rm -f "$results.tmp"; echo "bench/report.sh: cannot read $raw" >&2; exit 2; }
mv "$results.tmp" "$results"

printf '%-2s %-46s %10s %8s  %s\n' "#" "figure" "value" "goal" "result"
jq -r '.figures[] | [(.id | tostring), .name,
	(if .value == null then "-" else (.value | tostring) end), .goal,
	(if .pass == null then "ERROR: \(.error)" elif .pass then "pass" else "fail" end)] | @tsv' "$results" |
	while IFS=$'\t' read -r id name value goal res; do
		printf '%-2s %-46s %10s %8s  %s\n' "$id" "$name" "$value" "$goal" "$res"
	done
echo
jq -r '.figures[] | select(.pass != null) | "  \(.id): " +
	([to_entries[] | select(.key | IN("id", "name", "unit", "goal", "value", "pass") | not)
	  | "\(.key)=\(.value)"] | join(" "))' "$results"
echo "results: $results"
if jq -e '[.figures[] | select(.pass == null)] | length > 0' "$results" >/dev/null; then
	exit 1
fi
exit 0

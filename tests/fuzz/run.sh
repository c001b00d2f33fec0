#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/fuzz/run.sh fuzz|replay FUZZ_DIR SECONDS TARGET...: run the built
# libFuzzer harnesses (tests/fuzz/Makefile).
#   fuzz    each harness for SECONDS on its seeds (corpus/TARGET) plus what
#           earlier runs found (FUZZ_DIR/corpus/TARGET); prints the
#           executions per harness and in total
#   replay  each harness once on every seed and every crash reproducer
#           (regressions/TARGET/*)
# FUZZ_TARGETS=a,b limits the targets. FUZZ_WORK=DIR keeps the found
# inputs, crashes and logs there instead of FUZZ_DIR. FUZZ_RUNS=N stops
# each harness after N inputs too. Exits 1 when a harness crashed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=$1 dir=$2 secs=$3
shift 3
work=${FUZZ_WORK:-$dir}

# max_len TARGET: the largest input worth trying.
max_len() {
	case $1 in
	bundle) echo 65536 ;;
	bundle_tar) echo 16384 ;;
	*) echo 8192 ;;
	esac
}

# dict_args TARGET: -dict= for the target's dictionary, if any.
dict_args() {
	if [ -f "$here/dict/$1.dict" ]; then
		echo "-dict=$here/dict/$1.dict"
	fi
}

# execs LOG: executions reported by -print_final_stats=1.
execs() {
	sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\)$/\1/p' "$1" |
		tail -n 1
}

total=0
bad=()
for t in "$@"; do
	if [ -n "${FUZZ_TARGETS:-}" ] && [[ ",$FUZZ_TARGETS," != *",$t,"* ]]; then
		continue
	fi
	bin=$dir/fuzz_$t
	log=$work/log/$t-$mode.log
	mkdir -p "$work/log" "$work/corpus/$t" "$work/crashes/$t"
	case $mode in
	fuzz)
		# shellcheck disable=SC2046 # dict_args is one word or none
		"$bin" -max_total_time="$secs" -runs="${FUZZ_RUNS:--1}" \
			-print_final_stats=1 \
			-max_len="$(max_len "$t")" $(dict_args "$t") \
			-artifact_prefix="$work/crashes/$t/" \
			"$work/corpus/$t" "$here/corpus/$t" >"$log" 2>&1
		rc=$?
		n=$(execs "$log")
		n=${n:-0}
		total=$((total + n))
		printf '%-12s %12s executions in %ss (exit %s)\n' "$t" "$n" \
			"$secs" "$rc"
		;;
	replay)
		files=("$here/corpus/$t"/*)
		if compgen -G "$here/regressions/$t/*" >/dev/null; then
			files+=("$here/regressions/$t"/*)
		fi
		"$bin" "${files[@]}" >"$log" 2>&1
		rc=$?
		n=$(grep -c '^Executed ' "$log")
		printf '%-12s %4d inputs replayed, %d run (exit %s)\n' "$t" \
			"${#files[@]}" "$n" "$rc"
		# every input must have run to its end
		if [ "$rc" = 0 ] && [ "$n" != ${#files[@]} ]; then
			rc=1
		fi
		;;
	*)
		echo "run.sh: unknown mode '$mode'" >&2
		exit 2
		;;
	esac
	if [ "$rc" != 0 ]; then
		bad+=("$t")
		tail -n 40 "$log"
	fi
done
if [ "$mode" = fuzz ]; then
	printf '%-12s %12s executions\n' total "$total"
fi
if [ ${#bad[@]} -gt 0 ]; then
	echo "crashed: ${bad[*]} (inputs in $work/crashes/)" >&2
	exit 1
fi

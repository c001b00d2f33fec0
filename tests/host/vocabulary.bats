#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# One vocabulary across the tools (accel-vocabulary(7)): the same JSON key
# for the same thing in accelstat, acceltop and accelctl, units in the key,
# a rate with no previous sample null, a schema_version in every document,
# and one meaning per option letter. Each test reads the fixture trees.
#
# VOCAB_ACCELSTAT, VOCAB_ACCELTOP and VOCAB_ACCELCTL run the suite against
# other binaries (those of an older tree, to see it fail there).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

TOP="$BATS_TEST_DIRNAME/../.."
FIX="$TOP/tests/fixtures"
STAT=${VOCAB_ACCELSTAT:-$TOP/cli/accelstat/accelstat}
ATOP=${VOCAB_ACCELTOP:-$TOP/cli/acceltop/acceltop}
CTL=${VOCAB_ACCELCTL:-$TOP/cli/accelctl/accelctl}
PAGE="$TOP/man/accel-vocabulary.7"

setup() {
	export ACCEL_DEBUGFS=/nonexistent-accel-root
	export ACCEL_SYSFS=/nonexistent-accel-sysfs
	export ACCEL_DEVDIR=/nonexistent-accel-dev
	export ACCEL_PROCFS="$FIX/accelctl-sys/proc"
	export ACCEL_STATE_DIR=$BATS_TEST_TMPDIR/state
	unset NO_COLOR
}

# top ROOT ARGS...: two acceltop JSON refreshes of ROOT (debugfs source).
# --delay, the old name of -i, as acceltop before the vocabulary knew it.
top() {
	local root=$1
	shift
	"$ATOP" --json -n 2 --delay=0.2 --source=debugfs --root "$root" "$@"
}

# The documents of every tool on ROOT, one per line: accelstat --json,
# accelstat -i --json, acceltop --json (2 refreshes), accelctl -j list
# and -j device list.
documents() {
	"$STAT" --root "$1" --json | jq -c .
	"$STAT" --root "$1" --json -i 0.1 -n 1
	top "$1"
	"$CTL" --root "$1" -j list
	"$CTL" --root "$1" -j device list
}

# The paths to the keys named $2 in the JSON lines of $1, one per line.
paths_to() {
	jq -c --arg k "$2" 'paths(..) | select(.[-1] == $k)' <<<"$1"
}

@test "device: the name \"afuN\" is \"device\" in every tool, its number \"device_id\"" {
	run "$CTL" --root "$FIX/busy" -j list
	assert_success
	run jq -c '[.contexts[] | [.device, .device_id, .pe]]' <<<"$output"
	assert_output '[["afu0",0,0],["afu0",0,1],["afu0",0,2]]'
	run "$CTL" --root "$FIX/multi" -j device list
	assert_success
	run jq -c '[.devices[] | [.device, .device_id]]' <<<"$output"
	assert_output '[["afu0",0],["afu1",1],["afu3",3]]'
	run "$STAT" --root "$FIX/multi" --json
	run jq -c '[.devices[] | [.device, .device_id]]' <<<"$output"
	assert_output '[["afu0",0],["afu1",1],["afu3",3]]'
	run top "$FIX/multi"
	run jq -c '[.devices[] | [.device, .device_id]]' <<<"${lines[1]}"
	assert_output '[["afu0",0],["afu1",1],["afu3",3]]'
	run "$STAT" --root "$FIX/multi" --json -i 0.1 -n 1
	run jq -c '[.devices[].device]' <<<"$output"
	assert_output '["afu0","afu1","afu3"]'
	# No document has a "dev" key any more.
	docs=$(documents "$FIX/multi")
	run paths_to "$docs" dev
	assert_output ''
}

@test "pending faults: \"pending_faults\" in every tool, no other name" {
	run "$STAT" --root "$FIX/busy" --json
	run jq -c '.devices[0].fault_summary | [.pending_faults, .held]' <<<"$output"
	assert_output '[2,1]'
	run "$STAT" --root "$FIX/busy" --json -i 0.1 -n 1
	run jq -c '.devices[0].pending_faults' <<<"$output"
	assert_output 2
	run top "$FIX/busy"
	run jq -c '.devices[0].pending_faults' <<<"${lines[1]}"
	assert_output 2
	run "$CTL" --root "$FIX/busy" -j device list
	run jq -c '.devices[0].pending_faults' <<<"$output"
	assert_output 2
	docs=$(documents "$FIX/busy")
	for k in pending faults_pending; do
		run paths_to "$docs" "$k"
		assert_output ''
	done
}

@test "IRQs fired: \"irqs_fired\" per context in every tool, never \"irqs\" for a count" {
	# busy: PE 0 has fired 2 IRQs (spa view), its range 37 (irqs view).
	run "$STAT" --root "$FIX/busy" --json
	run jq -c '.devices[0] | [.contexts[0].irqs_fired, .irqs[0].irqs_fired, .counters.irqs_fired]' <<<"$output"
	assert_output '[2,37,37]'
	run "$CTL" --root "$FIX/busy" -j list
	run jq -c '[.contexts[].irqs_fired]' <<<"$output"
	assert_output '[2,0,0]'
	# acceltop counts from its first refresh: acceltop-delta's PE 0 fires
	# 10 IRQs between before/ and after/.
	T=$BATS_TEST_TMPDIR
	cp -r "$FIX/acceltop-delta/before" "$T/root"
	"$ATOP" --json -n 2 --delay=1.5 --source=debugfs --root "$T/root" >"$T/out" 3>&- &
	for ((i = 0; i < 600; i++)); do
		[ -s "$T/out" ] && break
		sleep 0.05
	done
	cp "$FIX/acceltop-delta/after/afu0/"{info,spa,stats} "$T/root/afu0/"
	wait $!
	run jq -c '.devices[0] | [.totals.irqs_fired, .interval.irqs_fired, .contexts[0].totals.irqs_fired]' < <(tail -n 1 "$T/out")
	assert_output '[10,10,10]'
	# "irqs" is a view's rows (accelstat), never a count.
	docs=$(cat "$T/out"; documents "$FIX/busy")
	run jq -c 'paths(numbers) | select(.[-1] == "irqs" or .[-1] == "fired")' <<<"$docs"
	assert_output ''
}

@test "rates: acceltop's first refresh has null rates beside null latencies" {
	run top "$FIX/busy"
	assert_success
	assert_equal "${#lines[@]}" 2
	run jq -c '.devices[0] | [.faults_per_s, .tlbis_per_s, .irqs_per_s, .bytes_per_s, .fault_lat, .contexts[0].faults_per_s, .pasid_rows[0].bytes_per_s]' <<<"${lines[0]}"
	assert_output '[null,null,null,null,null,null,null]'
	# The second refresh has a previous sample: the idle fixture's rates
	# are 0, the latencies still null (no sample).
	run top "$FIX/busy"
	run jq -c '.devices[0] | [.faults_per_s, .tlbis_per_s, .irqs_per_s, .bytes_per_s, .fault_lat, .contexts[0].faults_per_s]' <<<"${lines[1]}"
	assert_output '[0,0,0,0,null,0]'
}

@test "units: rates are *_per_s of their counter, bytes in bytes" {
	docs=$(documents "$FIX/busy")
	# No MB, no unit-less rate: every *_per_s names a counter.
	run jq -r '[paths(..) | .[-1] | strings | select(test("_per_s$"))] | unique | .[]' <<<"$docs"
	assert_success
	for k in $output; do
		case ${k%_per_s} in
		faults | faults_restart | faults_address_error | tlbis | irqs | \
			work_done | work_failed | bytes) ;;
		*) fail "rate $k of no counter" ;;
		esac
	done
	run paths_to "$docs" mb_per_s
	assert_output ''
}

@test "schema_version: 2 in every changed document, 1 where nothing changed" {
	run "$STAT" --root "$FIX/busy" --json
	run jq .schema_version <<<"$output"
	assert_output 2
	run "$STAT" --root "$FIX/busy" --json -i 0.1 -n 1
	run jq .schema_version <<<"$output"
	assert_output 2
	run top "$FIX/busy"
	run jq -s -c 'map(.schema_version)' <<<"$output"
	assert_output '[2,2]'
	for cmd in list "device list"; do
		# shellcheck disable=SC2086
		run "$CTL" --root "$FIX/busy" -j $cmd
		run jq -c 'keys_unsorted[0], .schema_version' <<<"$output"
		assert_output "$(printf '"schema_version"\n2')"
	done
	run "$STAT" --idxd --sysroot "$FIX/platform/intel-sva" --json
	run jq .schema_version <<<"$output"
	assert_output 1
}

# Every "-X, --long" pair the --help of the tools and of accelctl's
# commands print, as "X long" lines.
letters() {
	{
		"$STAT" --help
		"$ATOP" --help
		"$CTL" --help
		for c in run hold list terminate inject device dump inspect doctor monitor; do
			"$CTL" "$c" --help
		done
		"$CTL" device add --help
	} 2>&1 | sed -nE 's/^ +-([A-Za-z?]), --([a-z-]+).*/\1 \2/p' | sort -u
}

@test "option letters: one meaning per letter across the three tools" {
	# The vocabulary: the long options a letter may stand for.
	declare -A ok=(
		[a]=atc [b]=batch [c]=contexts [d]=device [e]=events
		[f]=faults [h]=help [i]=interval [I]=invalidations [j]=json
		[J]=pretty [l]=log [m]=max-pe [n]="count iterations"
		[o]=output [p]=pasids [q]="irqs irq-budget" [r]=root
		[R]=sysroot [s]=size [t]=duration [V]=version [x]=extract
		['?']=help
	)
	run letters
	assert_success
	[ "${#lines[@]}" -gt 20 ]
	while read -r l long; do
		[ -n "${ok[$l]+x}" ] || fail "-$l (--$long) is in no tool's vocabulary"
		[[ " ${ok[$l]} " == *" $long "* ]] ||
			fail "-$l is --$long, not ${ok[$l]}"
	done <<<"$output"
	# The letters the issue found colliding.
	run "$ATOP" -b -n 1 -d afu1 -i 0.2 --source=debugfs -r "$FIX/multi"
	assert_success
	run grep -c '^afu[0-9]* online' <<<"$output"
	assert_output 1
	assert_equal "$("$ATOP" -b -n 1 -d 1 --source=debugfs -r "$FIX/multi" | sed -n 2p | cut -d' ' -f1)" afu1
	run "$ATOP" -j -n 1 -d afu3 --source=debugfs -r "$FIX/multi"
	assert_success
	run jq -c '[.devices[].device]' <<<"$output"
	assert_output '["afu3"]'
	run --separate-stderr "$ATOP" -b -n 1 -d 0.5 --source=debugfs -r "$FIX/multi"
	assert_failure 2
	assert_equal "$stderr" "acceltop: invalid device '0.5': afuN or N (see acceltop --help)"
	run "$ATOP" -b -n 1 --delay=0.2 --source=debugfs -r "$FIX/busy"
	assert_success
	run "$CTL" --root "$FIX/busy" -J device list
	assert_success
	assert_line --index 1 --regexp '^ +"schema_version": 2,$'
	run "$CTL" --root "$FIX/busy" -p device list
	assert_failure 2
	run "$STAT" --root "$FIX/busy" -p
	assert_success
	assert_line --index 0 --regexp '^DEV +PASID +PID '
}

@test "man: accel-vocabulary(7) lists the keys, units, letters and thresholds" {
	run bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$PAGE' 2>&1 >/dev/null"
	assert_success
	assert_output ''
	man=$(MANWIDTH=200 man -l "$PAGE" 2>/dev/null)
	for k in device device_id pending_faults irqs_fired irqs_used \
		work_done bytes_per_s _ns _s _per_s _bytes _pct schema_version null \
		fault_age fault_error_rate fault_p99 tlbi_p99 spa_usage irq_usage \
		zombies 'A value above (>) a level trips it; a value equal to the level does not'; do
		grep -qF -- "$k" <<<"$man" || fail "accel-vocabulary(7) lacks $k"
	done
	# Every letter the tools have, with its long option.
	run letters
	while read -r l long; do
		[ "$l" = '?' ] && continue
		grep -qE -- "^ +-$l +--$long\b|--$long" <<<"$man" || fail "accel-vocabulary(7) lacks -$l --$long"
		grep -qE -- "^ +-$l +--" <<<"$man" || fail "accel-vocabulary(7) lacks -$l"
	done <<<"$output"
	# The tools' pages send readers there and say what schema 2 changed.
	for p in accelstat.8 acceltop.8 accelctl.8; do
		m=$(MANWIDTH=200 man -l "$TOP/man/$p" 2>/dev/null)
		grep -qF 'accel-vocabulary(7)' <<<"$m" || fail "$p does not refer to accel-vocabulary(7)"
		grep -qiE 'schema.version 2|"schema_version": 2' <<<"$m" || fail "$p does not name schema version 2"
	done
}

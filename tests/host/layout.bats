#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Layout: libaccel owns the driver contract, so the tools under cli/ name
# none of it in their code: no debugfs, sysfs, tracefs or /dev path of the
# driver, no control file (new_device, del_device, kctx, inject/ and its
# knobs), no tracepoint, tracepoint field or view column. The tools keep
# their own words: command words, option names, sort keys, JSON keys and
# output headings.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# Files of cli/ not checked, relative to cli/: none (the bundle writer and
# redaction live in lib/ too).
EXCLUDE=""

# Driver paths and control files, anywhere in a string literal.
PATHS='/sys/|/sys"|debugfs/|tracing/|/dev/accelsim|btf/|accelsim/|/accelsim|^"accelsim"$|inject/[a-z%]|new_device|del_device|(^"|/)kctx("|/)|/devices("|/)'
# The inject/ knobs' file names, anywhere in a string literal.
KNOBS='hold_faults|release_faults|tlbi_delay_ns|fault_delay_ns|fail_attach|hang_terminate|afu_error'
# Whole literals: the tracepoints, their fields, the views and their
# columns (info, spa, pasids, faults, irqs, stats, kctx, atc).
EVENTS='fault|fault_ack|tlbi_start|tlbi_done|irq_fire|work_submit|work_done|pasid_free'
FIELDS='id|dev|pe|pasid|pid|addr|access|resp|lat_ns|status|bytes|hwirq|op|len|tag|entries|start|end'
VIEWS='info|spa|pasids|faults|irqs|stats|kctx|atc'
COLUMNS='vaddr|perm|hits|age_ms|version|max_pe|pasid_bits|irq_budget|atc_entries|state|contexts|pending_faults|irqs_used|zombies|comm|kernel|tlbis|work|refs|outstanding|address|age_ns|count|eventfds|fired|fault_lat_ns|tlbi_lat_ns|size|attaches|detaches|faults_raised|faults_acked_restart|faults_acked_address_error|atc_invalidations|atc_hits|atc_misses|irqs_fired|work_submitted|work_failed'

# cli_literals: "file:line:literal<TAB>its statement up to it" for every
# string literal in the code of cli/ (comments stripped by the
# preprocessor, nothing expanded or included), EXCLUDE left out. The
# statement starts at the last ;, { or } before the literal.
cli_literals() {
	local f rel
	while read -r f; do
		rel=${f#"$TOP/cli/"}
		case " $EXCLUDE " in *" $rel "*) continue ;; esac
		gcc -fpreprocessed -dD -E -x c "$f" | awk -v f="cli/$rel" '
			/^# [0-9]+ "/ { line = $2; next }
			{
				s = $0
				while (match(s, /'"'"'([^'"'"'\\]|\\.)*'"'"'|"([^"\\]|\\.)*"/)) {
					lit = substr(s, RSTART, RLENGTH)
					pre = pre substr(s, 1, RSTART - 1)
					s = substr(s, RSTART + RLENGTH)
					if (match(pre, /[;{}][^;{}]*$/))
						pre = substr(pre, RSTART)
					if (substr(lit, 1, 1) == "\"")
						printf "%s:%d:%s\t%s\n", f, line, lit, pre
					gsub(/[;{}]/, "_", lit)
					pre = pre lit
				}
				pre = pre s " "
				line++
			}'
	done < <(find "$TOP/cli" -name '*.[ch]' | sort)
}

# A literal the tools may hold although it is also a word of the driver:
# a JSON key (accel_json_*(o, "key", ...), json_object_object_add or
# _get_ex), an
# option name ({ "name", ...), a word table ([ENUM] = "word"), a command
# word compared with argv, or an output label or heading (an argument after
# a printf-family format).
tools_word() {
	local pre=$1
	[[ $pre =~ (accel_json_[a-z0-9_]+|json_object_object_(add|get_ex))\([^,]*,[[:space:]]*$ ]] && return 0
	[[ $pre =~ ^[[:space:]]*\{[[:space:]]*$ ]] && return 0
	[[ $pre =~ \][[:space:]]*=[[:space:]]*$ ]] && return 0
	[[ $pre =~ strn?cmp\(argv\[[^]]*\],[[:space:]]*$ ]] && return 0
	[[ $pre =~ printf\(.*\".*%.*\",.*$ ]] && return 0
	return 1
}

# contract_hits: "file:line: literal" of every literal naming the driver.
contract_hits() {
	local loc lit pre
	while IFS=$'\t' read -r loc pre; do
		lit=${loc#*:*:}
		loc=${loc%"$lit"}
		if [[ $lit =~ $PATHS ]] || [[ $lit =~ $KNOBS ]]; then
			echo "$loc $lit"
		elif [[ $lit =~ ^\"($EVENTS|$FIELDS|$VIEWS|$COLUMNS)\"$ ]] &&
			! tools_word "$pre"; then
			echo "$loc $lit"
		fi
	done < <(cli_literals)
}

@test "the scanner sees literals in code, not in comments" {
	local dir
	dir=$(mktemp -d)
	mkdir "$dir/cli"
	cat >"$dir/cli/t.c" <<'EOF'
/* "inject/hold_faults" in a comment is prose */
static const char *p = "/sys/bus/accelsim"; // "kctx"
static const char q = '"'; static const char *r = "a\"b" "tlbi_delay_ns";
void f(void) { accel_json_u64(o, "pasid", 1); x = field(e, r, "pasid"); }
EOF
	TOP=$dir run contract_hits
	rm -rf "$dir"
	assert_success
	assert_line --index 0 'cli/t.c:2: "/sys/bus/accelsim"'
	assert_line --index 1 'cli/t.c:3: "tlbi_delay_ns"'
	assert_line --index 2 'cli/t.c:4: "pasid"'
	refute_line --partial 'inject/hold_faults'
	refute_line --partial '"kctx"'
	assert_equal "${#lines[@]}" 3
}

@test "cli/ names no driver path, control, knob, tracepoint or view column" {
	run contract_hits
	assert_success
	if [ -n "$output" ]; then
		echo "libaccel owns these; found under cli/:" >&2
		echo "$output" >&2
	fi
	assert_output ''
}

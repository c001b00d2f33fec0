#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat's man page and shell completions stay in step with the tool.

load accelstat_helpers
load completion_helpers

TOP="$BATS_TEST_DIRNAME/../.."

@test "man: accelstat.8 renders without warnings" {
	run bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$TOP/man/accelstat.8' 2>&1 >/dev/null"
	assert_success
	assert_output ''
	run bash -c "MANWIDTH=80 man -l '$TOP/man/accelstat.8' 2>/dev/null"
	assert_output --partial 'EXIT STATUS'
	assert_output --partial 'fault_error_rate'
}

@test "man: every long option of --help is documented" {
	man=$(MANWIDTH=200 man -l "$TOP/man/accelstat.8" 2>/dev/null)
	opts=$("$ACCELSTAT" --help | grep -oE -- '--[a-z-]+' | sort -u)
	[ -n "$opts" ]
	for o in $opts; do
		grep -qF -- "$o" <<<"$man" || fail "man page lacks $o"
	done
}

@test "man: threshold defaults match --help" {
	man=$(MANWIDTH=200 man -l "$TOP/man/accelstat.8" 2>/dev/null)
	help=$("$ACCELSTAT" --help | tr '\n' ' ')
	while read -r name w c; do
		assert_regex "$help" "$name $w/$c"
		assert_regex "$man" "$name .* $w +$c"
	done <<'EOT'
fault_age 1s 5s
fault_error_rate 1% 5%
fault_p99 10ms 100ms
tlbi_p99 1ms 10ms
spa_usage 80% 95%
irq_usage 80% 95%
zombies 0 4
EOT
}

@test "bash completion: options, devices and thresholds" {
	run complete_words accelstat --pro
	assert_output '--prometheus'
	run complete_words accelstat --root "$FIX/multi" -d ''
	assert_output "$(printf 'afu0\nafu1\nafu3')"
	run complete_words accelstat --warn fault_age=1s,zo
	assert_output 'fault_age=1s,zombies='
	# every long option of --help is offered
	all=$(complete_words accelstat --)
	for o in $("$ACCELSTAT" --help | grep -oE -- '--[a-z-]+' | sort -u); do
		grep -qx -- "$o" <<<"$all" || fail "completion lacks $o"
	done
}

@test "zsh completion: lists every long option" {
	for o in $("$ACCELSTAT" --help | grep -oE -- '--[a-z-]+' | sort -u); do
		grep -qF -- "$o" "$TOP/completions/_accelstat" || fail "_accelstat lacks $o"
	done
	run head -1 "$TOP/completions/_accelstat"
	assert_output '#compdef accelstat'
}

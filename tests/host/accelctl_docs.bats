#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl's man page and shell completions stay in step with the tool.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load completion_helpers

TOP="$BATS_TEST_DIRNAME/../.."
CTL="$TOP/cli/accelctl/accelctl"
FIX="$TOP/tests/fixtures"

# long options of one command's --help
long_opts() {
	"$CTL" "$@" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u
}

@test "man page renders without warnings and has the bundle format" {
	run bash -c "MANWIDTH=80 man --warnings -l '$TOP/man/accelctl.8' 2>&1 >/dev/null"
	assert_success
	assert_output ""
	run bash -c "MANWIDTH=80 man -l '$TOP/man/accelctl.8'"
	assert_success
	assert_line "BUNDLE FORMAT"
	assert_output --partial "manifest.json"
	assert_output --partial "format_version"
}

@test "man page documents every command and every long option" {
	page=$(MANWIDTH=200 man -l "$TOP/man/accelctl.8")
	for c in run hold list terminate inject device dump inspect doctor monitor; do
		grep -q "^   $c\$" <<<"$page" || fail "no section for $c"
	done
	for c in run hold list terminate inject "device add" dump inspect doctor monitor; do
		# shellcheck disable=SC2086
		for o in $(long_opts $c); do
			[ "$o" = --help ] || [ "$o" = --json ] && continue
			grep -qF -- "$o" <<<"$page" || fail "$c $o undocumented"
		done
	done
	for a in fault afu-error irq hold-faults release-faults tlbi-delay \
		fault-delay fail-attach hang-terminate; do
		grep -qF -- "$a" <<<"$page" || fail "inject $a undocumented"
	done
}

@test "bash completion: commands, prefixes, devices, PASIDs and PEs" {
	run complete_words accelctl ''
	assert_output "$(printf '%s\n' device doctor dump help hold inject inspect list monitor run terminate version)"
	run complete_words accelctl d
	assert_output "$(printf 'device\ndoctor\ndump')"
	run complete_words accelctl --root "$FIX/multi" list -d ''
	assert_output "$(printf 'afu0\nafu1\nafu3')"
	run complete_words accelctl --root "$FIX/multi" dev del ''
	assert_output "$(printf 'afu0\nafu1\nafu3')"
	run complete_words accelctl --root "$FIX/accelctl-sys/debugfs" terminate pasid ''
	assert_output "$(printf '1\n2\n3')"
	run complete_words accelctl --root "$FIX/accelctl-sys/debugfs" terminate pe ''
	assert_output "$(printf '0\n1\n2')"
	run complete_words accelctl --root "$FIX/accelctl-sys/debugfs" inject fault ''
	assert_output "$(printf '1\n2\n3')"
	run complete_words accelctl inject hang-terminate ''
	assert_output "$(printf 'off\non')"
	run complete_words accelctl run --op c
	assert_output "$(printf 'compare\ncopy')"
	run complete_words accelctl device ''
	assert_output "$(printf 'add\ndel\nhelp\nlist')"
}

@test "bash completion offers every long option of every command" {
	for c in run hold list terminate inject dump inspect doctor monitor; do
		all=$(complete_words accelctl "$c" --)
		for o in $(long_opts "$c"); do
			grep -qx -- "$o" <<<"$all" || fail "$c: completion lacks $o"
		done
	done
	all=$(complete_words accelctl device add --)
	for o in $(long_opts device add); do
		grep -qx -- "$o" <<<"$all" || fail "device add: completion lacks $o"
	done
}

@test "zsh completion: parses, and lists every long option and action" {
	if command -v zsh >/dev/null; then
		zsh -n "$TOP/completions/_accelctl"
	fi
	run head -1 "$TOP/completions/_accelctl"
	assert_output '#compdef accelctl'
	for c in run hold list terminate inject dump inspect doctor monitor "device add"; do
		# shellcheck disable=SC2086
		for o in $(long_opts $c); do
			[ "$o" = --help ] && continue
			grep -qF -- "${o#--}" "$TOP/completions/_accelctl" ||
				fail "_accelctl lacks $c $o"
		done
	done
}

@test "man page names every check accelctl doctor runs" {
	local json page n
	page=$(MANWIDTH=200 man -l "$TOP/man/accelctl.8")
	# the fixture as committed runs every check but iommu.caps (AMD) and
	# pci.device (its config spaces are made at test time)
	json=$(ACCEL_DEBUGFS="$FIX/multi" "$CTL" -j doctor --sysroot "$FIX/platform/intel-sva") || true
	for n in $(jq -r '.checks[].name' <<<"$json" | sort -u) iommu.caps pci.device; do
		grep -qF -- "$n" <<<"$page" || fail "doctor check $n undocumented"
	done
}

@test "bash completion: doctor's --sysroot takes a directory" {
	run complete_words accelctl doctor --sys
	assert_output '--sysroot'
	run complete_words accelctl do --
	assert_output --partial '--sysroot'
}

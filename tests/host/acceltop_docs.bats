#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop's --help, man page and shell completions tell the truth: every
# option they name is accepted, and they name every option there is.

load acceltop_helpers
load completion_helpers

help_opts() {
	"$ACCELTOP" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u
}

@test "--help and -h print the usage on stdout, exit 0" {
	run --separate-stderr "$ACCELTOP" --help
	assert_success
	assert_line --index 0 'Usage: acceltop [OPTION]...'
	[ -z "$stderr" ]
	run "$ACCELTOP" -h
	assert_success
	assert_line --index 0 'Usage: acceltop [OPTION]...'
}

@test "--version and -V print the project version" {
	run "$ACCELTOP" --version
	assert_success
	assert_output "acceltop $(cat "$TOP/VERSION")"
	run "$ACCELTOP" -V
	assert_output "acceltop $(cat "$TOP/VERSION")"
}

@test "every option --help names is accepted" {
	local o
	for o in $(help_opts); do
		case $o in
		--help | --version) continue ;;
		--interval) args=(--interval=0.2) ;;
		--delay) args=(--delay=0.2) ;;
		--device) args=(--device=afu0) ;;
		--iterations) args=(--iterations=1) ;;
		--source) args=(--source=debugfs) ;;
		--root) args=(--root="$FIX/busy") ;;
		--sort) args=(--sort=faults) ;;
		--filter) args=(--filter=acc) ;;
		--group) args=(--group=process) ;;
		--batch | --json | --no-color | --reverse | --iommu) args=("$o") ;;
		*) fail "no test for option $o" ;;
		esac
		run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy" "${args[@]}"
		assert_success
	done
	# and the short ones
	run "$ACCELTOP" -b -n 1 -i 0.2 -d 0 --source=debugfs -r "$FIX/busy"
	assert_success
	run "$ACCELTOP" -j -n 1 --source=debugfs -r "$FIX/busy"
	assert_success
}

@test "--help names every option the parser knows" {
	# The long options of the parser's table, from the source.
	src=$(grep -oE '^\s*\{ "[a-z-]+",' "$TOP/cli/acceltop/acceltop.c" | grep -oE '[a-z-]+' | sed 's/^/--/' | sort -u)
	[ -n "$src" ]
	assert_equal "$(help_opts)" "$src"
}

@test "--help: sources, sort keys and exit statuses match the code" {
	help=$("$ACCELTOP" --help | tr '\n' ' ')
	for s in auto bpf-btf bpf-tp tracefs debugfs; do
		run "$ACCELTOP" -b -n 1 --root /nonexistent --source=$s
		assert_failure 3
		assert_regex "$help" "$s"
	done
	for k in pe pasid pid comm faults fault_p99 tlbis tlbi_p99 irqs mbs; do
		run "$ACCELTOP" -b -n 1 --source=debugfs --root "$FIX/busy" --sort=$k
		assert_success
		assert_regex "$help" "$k"
	done
	assert_regex "$help" '0 success, 1 runtime error, 2 usage error, 3 driver not +available'
}

@test "man: acceltop.8 renders without warnings and documents every option" {
	run bash -c "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$TOP/man/acceltop.8' 2>&1 >/dev/null"
	assert_success
	assert_output ''
	man=$(MANWIDTH=200 man -l "$TOP/man/acceltop.8" 2>/dev/null)
	for o in $(help_opts) -i -d -b -n -j -r -h -V; do
		grep -qF -- "$o" <<<"$man" || fail "man page lacks $o"
	done
	for k in 'EXIT STATUS' ACCEL_DEBUGFS ACCEL_TRACEFS NO_COLOR PAUSED \
		'"freed"' pasid_totals pasid_rows process_rows bpf-btf bpf-tp \
		tracefs debugfs; do
		grep -qF -- "$k" <<<"$man" || fail "man page lacks $k"
	done
}

@test "bash completion: every option, sources and sort keys" {
	run complete_words acceltop --
	for o in $(help_opts); do
		assert_line --regexp "^$o=?$"
	done
	run complete_words acceltop --sou
	assert_output '--source='
	run complete_words acceltop --source ''
	assert_output "$(printf '%s\n' auto bpf-btf bpf-tp debugfs tracefs)"
	run complete_words acceltop --sort fa
	assert_output "$(printf '%s\n' fault_p99 faults)"
	run complete_words acceltop --group ''
	assert_output "$(printf '%s\n' context pasid process)"
}

@test "zsh completion: every option" {
	for o in $(help_opts); do
		grep -qE -- "'?$o[=\[]" "$TOP/completions/_acceltop" ||
			grep -qF -- ",$o" "$TOP/completions/_acceltop" ||
			fail "_acceltop lacks $o"
	done
	if command -v zsh >/dev/null; then
		run zsh -n "$TOP/completions/_acceltop"
		assert_success
	fi
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop's screen on fixture trees, in a pty (script(1)): it draws the
# device header and the rows, says on screen why it fell back, honours
# --no-color, and -n N ends it after N refreshes with the terminal given
# back (alternate screen left).

load acceltop_helpers

# screen ARGS...: acceltop ARGS in a 30x150 pty; the output in $T/out.
screen() {
	T=$BATS_TEST_TMPDIR
	LINES=30 COLUMNS=150 TERM=xterm timeout 20 script -q -e -c \
		"$ACCELTOP $*; echo rc=\$?" /dev/null </dev/null >"$T/out" 3>&-
}

text() {
	sed 's/\x1b\[[0-9;?]*[a-zA-Z]/\n/g; s/\x1b[()][0-9A-B]//g; s/\x1b[=>]//g' "$T/out" |
		tr -d '\r'
}

@test "screen: header, rows, histogram panel; -n ends it, terminal back" {
	screen -n 2 -d 0.2 --source=debugfs --root "$FIX/busy"
	run text
	assert_line --partial 'acceltop 0.1.0  source: debugfs  delay 0.2s'
	assert_line --regexp '^afu0 +online +contexts 3/8  PASIDs 3  pending faults 2 '
	assert_line --partial 'histograms since start: afu0'
	assert_line --partial 'h Help  s Sort  r Reverse  / Filter  d Device  g Group  H Hist  p Pause  q Quit'
	assert_output --partial '[kernel]'
	assert_line 'rc=0'
	run bash -c "grep -ao $'\e\\\\[?1049[hl]' '$T/out' | tail -n 1"
	assert_output $'\e[?1049l'
}

@test "screen: the fallback and its reason are on screen" {
	ACCEL_TRACEFS=/nonexistent-tracefs screen -n 1 --root "$FIX/busy"
	run text
	assert_line --regexp '^fallback: using debugfs: bpf-btf: .*bpf-tp: '
	assert_line 'rc=0'
}

@test "screen: --no-color and NO_COLOR draw without colours" {
	screen -n 1 --source=debugfs --root "$FIX/busy"
	run grep -c $'\e\\[3[0-9]m' "$T/out"
	[ "$output" -ge 1 ]
	screen -n 1 --no-color --source=debugfs --root "$FIX/busy"
	run grep -c $'\e\\[3[0-9]m' "$T/out"
	assert_output 0
	NO_COLOR=1 screen -n 1 --source=debugfs --root "$FIX/busy"
	run grep -c $'\e\\[3[0-9]m' "$T/out"
	assert_output 0
}

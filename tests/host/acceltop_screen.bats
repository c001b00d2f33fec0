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
	screen -n 2 -i 0.2 --source=debugfs --root "$FIX/busy"
	run text
	assert_line --partial 'acceltop 0.1.0  source: debugfs  interval 0.2s'
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

# pane: the tmux pane's text now.
pane() {
	tmux -L "$SOCK" capture-pane -p -t top
}

# wait_pane REGEX: up to 10 s for REGEX on the pane.
wait_pane() {
	local i
	for ((i = 0; i < 100; i++)); do
		pane | grep -qE "$1" && return 0
		sleep 0.1
	done
	pane
	return 1
}

@test "screen: g switches the rows to PASIDs, processes, contexts again" {
	command -v tmux >/dev/null || fail "tmux is not installed"
	SOCK=acceltop-test-$$
	tmux -L "$SOCK" new-session -d -s top -x 150 -y 30 \
		"$ACCELTOP -i 0.3 --source=debugfs --root $FIX/busy"
	wait_pane 'rows: context'
	wait_pane '^afu0 +1 +1 +1234 +accelctl '
	tmux -L "$SOCK" send-keys -t top g
	wait_pane 'rows: pasid'
	wait_pane '^DEV +CTXS +PASID +PID +COMM '
	wait_pane '^afu0 +2 +1 +1234 +accelctl '
	run bash -c "tmux -L $SOCK capture-pane -p -t top | grep -cE '^afu0 +[0-9]'"
	assert_output 2
	tmux -L "$SOCK" send-keys -t top g
	wait_pane 'rows: process'
	wait_pane '^DEV +CTXS +PASIDS +PID +COMM '
	wait_pane '^afu0 +1 +1 +0 +\[kernel\] '
	tmux -L "$SOCK" send-keys -t top h
	wait_pane 'g +rows: contexts, PASIDs, processes'
	tmux -L "$SOCK" send-keys -t top x g
	wait_pane 'rows: context'
	wait_pane '^afu0 +2 +3 +0 +\[kernel\] '
	tmux -L "$SOCK" send-keys -t top q
	for ((i = 0; i < 50; i++)); do
		tmux -L "$SOCK" has-session -t top 2>/dev/null || break
		sleep 0.1
	done
	run tmux -L "$SOCK" has-session -t top
	assert_failure
}

@test "screen: --group=process starts on the process rows" {
	screen -n 1 --group=process --source=debugfs --root "$FIX/busy"
	run text
	assert_line --partial 'rows: process'
	assert_output --regexp 'DEV +CTXS +PASIDS +PID +COMM'
	assert_line 'rc=0'
}

teardown() {
	[ -n "${SOCK:-}" ] && tmux -L "$SOCK" kill-server 2>/dev/null
	true
}

@test "screen: -d DEV starts on that device, as the d key picks it" {
	screen -n 2 -i 0.2 -d afu1 --source=debugfs --root "$FIX/multi"
	run text
	assert_line 'rc=0'
	assert_output --partial 'device: afu1'
	refute_output --regexp '^afu0 +online'
}

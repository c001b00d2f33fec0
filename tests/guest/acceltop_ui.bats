#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# acceltop's screen driven through a pty (script(1)): keys sort, reverse,
# filter, pause, pick a device, toggle the histogram, show help and quit;
# the terminal is restored after q, F10, Esc, SIGINT and SIGTERM, and a
# resize is survived. acceltop repaints the whole screen after each key,
# so the text a key produces is found whole in the pty output.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	mkfifo "$T/keys"
	# Two processes, two PASIDs; zzholder attaches first (PE 0), so
	# sorting by comm changes the order.
	cp "$(command -v accelctl)" "$T/zzholder"
	"$T/zzholder" hold >"$T/h2" 3>&- &
	H2=$!
	for _ in $(seq 50); do
		[ -s "$T/h2" ] && break
		sleep 0.1
	done
	accelctl hold -c 2 >"$T/h1" 3>&- &
	H1=$!
	for _ in $(seq 50); do
		[ -s "$T/h1" ] && break
		sleep 0.1
	done
}

teardown() {
	exec 7>&- 2>/dev/null || true
	[ -z "${UI:-}" ] || kill "$UI" 2>/dev/null || true
	kill "$H1" "$H2" 2>/dev/null || true
	wait "$H1" "$H2" 2>/dev/null || true
}

# start_ui ARGS...: acceltop in a 40x160 pty, keys from fd 7 (bats owns
# fd 3: background processes must not keep it).
start_ui() {
	LINES=40 COLUMNS=160 TERM=xterm script -q -e -c \
		"stty -g >$T/st0; acceltop $*; echo \$? >$T/rc; stty -g >$T/st1" \
		/dev/null <"$T/keys" >"$T/out" 3>&- &
	UI=$!
	exec 7>"$T/keys"
	wait_text 0 'contexts [0-9]+/'
	APID=$(pidof acceltop)
}

# The pty output from byte OFF on, escape sequences turned into newlines.
text_from() {
	tail -c +$(($1 + 1)) "$T/out" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]/\n/g; s/\x1b[()][0-9A-B]//g; s/\x1b[=>]//g' |
		tr -d '\r'
}

off() {
	wc -c <"$T/out"
}

# wait_text OFF REGEX: wait up to 10 s for REGEX after byte OFF.
wait_text() {
	local i
	for ((i = 0; i < 100; i++)); do
		text_from "$1" | grep -aqE "$2" && return 0
		sleep 0.1
	done
	echo "no '$2' on the screen; it shows:" >&2
	text_from "$1" | grep -a . | tail -n 40 >&2
	return 1
}

# key STRING: send a key and wait for the repaint it causes.
key() {
	K_OFF=$(off)
	printf "$1" >&7
	wait_text "$K_OFF" 'acceltop [0-9]'
	sleep 0.3
}

# The terminal after acceltop exited: same stty settings, alternate screen
# left after it was last entered, and the status.
assert_restored() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -s "$T/st1" ] && break
		sleep 0.1
	done
	exec 7>&-
	for ((i = 0; i < 100; i++)); do
		kill -0 "$UI" 2>/dev/null || break
		sleep 0.1
	done
	wait "$UI" || true
	UI=
	run cat "$T/rc"
	assert_output "${1:-0}"
	run cmp "$T/st0" "$T/st1"
	assert_success
	run bash -c "grep -ao $'\e\\\\[?1049[hl]' '$T/out' | tail -n 1"
	assert_output $'\e[?1049l'
	[ -z "$(pidof acceltop)" ]
}

@test "s sorts, r reverses the rows" {
	start_ui -i 0.5 --source=bpf-tp
	# by PE: zzholder (PE 0) first
	first=$(text_from 0 | grep -anE ' (accelctl|zzholder)' | head -n 1)
	[[ $first == *zzholder* ]]
	key s
	key s
	key s
	text_from "$K_OFF" | grep -aq 'sort: comm'
	# accelctl before zzholder
	first=$(text_from "$K_OFF" | grep -anE ' (accelctl|zzholder)' | head -n 1)
	[[ $first == *accelctl* ]]
	key r
	text_from "$K_OFF" | grep -aq 'sort: comm (rev)'
	first=$(text_from "$K_OFF" | grep -anE ' (accelctl|zzholder)' | head -n 1)
	[[ $first == *zzholder* ]]
	printf q >&7
	assert_restored
}

@test "/ filters the rows" {
	start_ui -i 0.5 --source=bpf-btf
	key /
	printf 'zzhol' >&7
	key '\r'
	text_from "$K_OFF" | grep -aq 'filter: zzhol'
	run bash -c "$(declare -f text_from); T=$T; text_from $K_OFF | grep -a ' zzholder'"
	assert_success
	run bash -c "$(declare -f text_from); T=$T; text_from $K_OFF | grep -a ' accelctl'"
	assert_failure
	printf q >&7
	assert_restored
}

@test "p pauses with a visible marker, p again resumes" {
	start_ui -i 0.3 --source=bpf-tp
	key p
	text_from "$K_OFF" | grep -aq 'PAUSED'
	n=$(text_from "$K_OFF" | grep -aoE 'refresh [0-9]+' | tail -n 1)
	# Nothing at all is drawn while paused (running, the refresh count
	# alone changes every 0.3 s).
	o=$(off)
	sleep 2
	[ "$(off)" -eq "$o" ]
	key p
	run bash -c "$(declare -f text_from); T=$T; text_from $K_OFF | grep -a PAUSED"
	assert_failure
	m=$(text_from "$K_OFF" | grep -aoE 'refresh [0-9]+' | tail -n 1)
	[ "${m#refresh }" -gt "${n#refresh }" ]
	printf q >&7
	assert_restored
}

@test "d picks a device, H hides the histogram, h shows help" {
	start_ui -i 0.5 --source=tracefs
	text_from 0 | grep -aq 'histograms since start'
	key d
	text_from "$K_OFF" | grep -aq 'device: afu0'
	key H
	run bash -c "$(declare -f text_from); T=$T; text_from $K_OFF | grep -a 'histograms since start'"
	assert_failure
	key h
	text_from "$K_OFF" | grep -aq 'acceltop keys'
	key x
	printf q >&7
	assert_restored
}

@test "F10 and Esc quit, the terminal is restored" {
	start_ui -i 0.5
	printf '\e[21~' >&7
	assert_restored
	rm -f "$T/st1" "$T/rc"
	start_ui -i 0.5
	printf '\e' >&7
	assert_restored
}

@test "SIGINT and SIGTERM restore the terminal" {
	start_ui -i 0.5 --source=bpf-tp
	kill -INT "$APID"
	assert_restored
	rm -f "$T/st1" "$T/rc"
	start_ui -i 0.5 --source=tracefs
	kill -TERM "$APID"
	assert_restored
	# tracefs instance removed on the way out
	run ls "$TRACEFS/instances"
	refute_output --partial acceltop
}

@test "a resize is redrawn and the keys keep working" {
	start_ui -i 0.5 --source=bpf-tp
	tty=$(readlink "/proc/$APID/fd/0")
	stty -F "$tty" rows 20 cols 90
	kill -WINCH "$APID"
	sleep 1
	kill -0 "$APID"
	key s
	text_from "$K_OFF" | grep -aq 'sort: pasid'
	stty -F "$tty" rows 50 cols 200
	kill -WINCH "$APID"
	key r
	text_from "$K_OFF" | grep -aq 'sort: pasid (rev)'
	printf q >&7
	assert_restored
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelsim.ko: the per-device gen view. Each view's count moves on every
# kind of change of its rows (attach, detach, a fault raised and acked,
# IRQ ranges allocated, fired and freed, kernel contexts, engine work and
# the ATC) and never on a read: two reads with nothing in between give the
# same counts. Runs in the guest.

load helpers

D=/sys/kernel/debug/accelsim
DEV=6
G=$D/afu$DEV/gen

setup() {
	echo "$DEV 64 64" >$SYSFS/new_device
}

teardown() {
	[ -z "${HOLD:-}" ] || { kill "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null; }
	echo 0 >"$SYSFS/devices/afu$DEV/inject/hold_faults" 2>/dev/null || true
	echo $DEV >$SYSFS/del_device 2>/dev/null || true
}

# snap ARRAY: the counts of gen into the associative array ARRAY.
snap() {
	local -n _g=$1
	local v n
	while read -r v n; do
		[ "$v" = view ] || _g[$v]=$n
	done <"$G"
}

# moved BEFORE AFTER VIEW...: each VIEW's count grew from BEFORE to AFTER.
moved() {
	local -n _a=$1 _b=$2
	local v
	shift 2
	for v in "$@"; do
		[ -n "${_b[$v]}" ] || fail "no count for $v"
		((_b[$v] > _a[$v])) || fail "$v did not move: ${_a[$v]} -> ${_b[$v]}"
	done
}

# still BEFORE AFTER VIEW...: each VIEW's count is the same.
still() {
	local -n _a=$1 _b=$2
	local v
	shift 2
	for v in "$@"; do
		[ "${_b[$v]}" = "${_a[$v]}" ] || fail "$v moved: ${_a[$v]} -> ${_b[$v]}"
	done
}

@test "gen: 0400, one row per view, numbers only; reads change no count" {
	local -A a b
	run stat -c %a "$G"
	assert_output 400
	run awk 'NR == 1 { print; next } { print $1 }' "$G"
	assert_output "$(printf '%s\n' 'view gen' info spa pasids faults irqs atc kctx stats)"
	run grep -cvE '^(view gen|[a-z]+ [0-9]+)$' "$G"
	assert_output 0
	snap a
	cat "$D/afu$DEV"/{info,spa,pasids,faults,irqs,stats,atc,kctx} >/dev/null
	cat "$G" >/dev/null
	snap b
	still a b info spa pasids faults irqs atc kctx stats
}

@test "gen: attach and detach move spa, pasids and info; not faults, irqs, kctx" {
	local -A a b c
	snap a
	start_hold -d afu$DEV -c 2
	snap b
	moved a b spa pasids info stats
	still a b faults irqs kctx
	kill "$HOLD"
	wait "$HOLD" || true
	HOLD=
	wait_until only_header "$D/afu$DEV/spa"
	snap c
	moved b c spa pasids info stats
	still b c faults irqs kctx
}

@test "gen: a fault moves faults, pasids, spa and info when raised, and again when acked" {
	local -A a b c d
	start_hold -d afu$DEV
	echo 1 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
	snap a
	echo "$PASID 0x1000 read" >"$SYSFS/devices/afu$DEV/inject/fault"
	snap b
	moved a b faults pasids spa info stats
	still a b irqs kctx
	# held: nothing moves while it waits
	snap c
	still b c info spa pasids faults irqs atc kctx stats
	echo 0 >"$SYSFS/devices/afu$DEV/inject/hold_faults"
	wait_until only_header "$D/afu$DEV/faults"
	snap d
	moved c d faults pasids info stats
}

@test "gen: IRQ ranges move irqs and info; a fired IRQ moves irqs and spa" {
	local -A a b c d
	snap a
	start_hold -d afu$DEV -q 4
	snap b
	moved a b irqs info spa
	echo "$HWIRQ" >"$SYSFS/devices/afu$DEV/inject/irq"
	snap c
	moved b c irqs spa stats
	still b c faults kctx info
	kill "$HOLD"
	wait "$HOLD" || true
	HOLD=
	wait_until only_header "$D/afu$DEV/irqs"
	snap d
	moved c d irqs info spa
}

@test "gen: kernel contexts move kctx, spa, and engine work moves kctx and atc" {
	local -A a b c d
	snap a
	echo create >"$SYSFS/devices/afu$DEV/kctx"
	snap b
	moved a b kctx spa pasids info
	pe=$(awk 'NR == 2 { print $1 }' "$D/afu$DEV/kctx")
	echo "submit $pe fill 0 0 8192 7" >"$SYSFS/devices/afu$DEV/kctx"
	wait_until awk -v pe="$pe" '$1 == pe && $5 == 1 { f = 1 } END { exit !f }' "$D/afu$DEV/kctx"
	snap c
	moved b c kctx atc spa stats
	echo "destroy $pe" >"$SYSFS/devices/afu$DEV/kctx"
	wait_until only_header "$D/afu$DEV/kctx"
	snap d
	moved c d kctx spa info
}

@test "gen: a device created again under its id starts above the old counts" {
	local -A a b
	start_hold -d afu$DEV
	kill "$HOLD"
	wait "$HOLD" || true
	HOLD=
	snap a
	echo $DEV >$SYSFS/del_device
	echo "$DEV 64 64" >$SYSFS/new_device
	snap b
	moved a b info spa pasids faults irqs atc kctx stats
}

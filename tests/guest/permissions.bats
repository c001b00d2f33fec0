#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# File modes and who may do what. /dev/accelsim/afuN, every debugfs file
# and directory, and every control of the accelsim bus in sysfs must have
# the mode doc/contract.md and accelsim(4) document (the tables below;
# every file found at run time must be in them). An unprivileged user
# cannot open or attach the device unless in the group that
# contrib/udev/70-accelsim.rules documents ("accel", mode 0660), can never
# write a sysfs control nor read a knob, and cannot read debugfs, even with
# the debugfs mount opened up (the file modes alone must keep it out).

load helpers

PATH=$PATH:/accel/tests/progs

# Documented modes, relative to /sys/kernel/debug/accelsim; afuN stands for
# every device directory. Read-only views only.
declare -gA DOC=(
	[pasids]=400
	[afuN]=755 [afuN/info]=400 [afuN/spa]=400 [afuN/pasids]=400
	[afuN/faults]=400 [afuN/irqs]=400 [afuN/stats]=400 [afuN/kctx]=400
	[afuN/atc]=400 [afuN/gen]=400
)
# The controls, relative to /sys/bus/accelsim (the driver core's uevent,
# drivers_probe, drivers_autoprobe, power/ and links are not ours).
declare -gA SDOC=(
	[new_device]=200 [del_device]=200
	[devices/afuN/kctx]=200
	[devices/afuN/inject]=755 [devices/afuN/inject/fault]=200
	[devices/afuN/inject/afu_error]=200 [devices/afuN/inject/irq]=200
	[devices/afuN/inject/release_faults]=200
	[devices/afuN/inject/fault_delay_ns]=600
	[devices/afuN/inject/tlbi_delay_ns]=600
	[devices/afuN/inject/hold_faults]=600
	[devices/afuN/inject/fail_attach]=600
	[devices/afuN/inject/hang_terminate]=600
)

# Every control file under $SYSFS, relative to it.
controls() {
	(cd "$SYSFS" && find -H new_device del_device devices/afu* \
		-name power -prune \
		-o -type f ! -name uevent -print)
}

setup() {
	module_reload nr_devices=2
	DBGMODE=$(stat -c %a /sys/kernel/debug)
	HOLD=
}

teardown() {
	if [ -n "$HOLD" ]; then
		kill "$HOLD" 2>/dev/null || true
		wait "$HOLD" 2>/dev/null || true
	fi
	chmod "$DBGMODE" /sys/kernel/debug
	sed -i 's/^accel:x:900:.*/accel:x:900:/' /etc/group
	for d in /dev/accelsim/afu*; do
		chgrp root "$d"
		chmod 600 "$d"
	done
}

# Run a shell command as the unprivileged user.
as_user() {
	su user -c "PATH=$PATH; $1"
}

@test "every device node and debugfs entry has its documented mode" {
	local n=0 p rel key
	for p in /dev/accelsim/afu0 /dev/accelsim/afu1; do
		[ -c "$p" ]
		assert_equal "$(stat -c '%a %U %G' "$p")" "600 root root"
	done
	while read -r p; do
		rel=${p#"$DEBUGFS"/}
		key=$(sed -E 's|^afu[0-9]+|afuN|' <<<"$rel")
		[ -n "${DOC[$key]:-}" ] || fail "$rel is not documented"
		[ "$(stat -c %a "$p")" = "${DOC[$key]}" ] ||
			fail "$rel: mode $(stat -c %a "$p"), documented ${DOC[$key]}"
		assert_equal "$(stat -c '%U %G' "$p")" "root root"
		n=$((n + 1))
	done < <(find "$DEBUGFS" -mindepth 1)
	# every documented entry is there for each device
	for key in "${!DOC[@]}"; do
		for d in afu0 afu1; do
			[ -e "$DEBUGFS/${key/afuN/$d}" ] || fail "$key missing for $d"
		done
	done
	[ "$n" -ge 17 ]
	# the sysfs controls
	n=0
	while read -r rel; do
		key=$(sed -E 's|afu[0-9]+|afuN|' <<<"$rel")
		[ -n "${SDOC[$key]:-}" ] || fail "$rel is not documented"
		p=$SYSFS/$rel
		[ "$(stat -L -c %a "$p")" = "${SDOC[$key]}" ] ||
			fail "$rel: mode $(stat -L -c %a "$p"), documented ${SDOC[$key]}"
		assert_equal "$(stat -L -c '%U %G' "$p")" "root root"
		n=$((n + 1))
	done < <(controls; cd "$SYSFS" && ls -d devices/afu*/inject)
	for key in "${!SDOC[@]}"; do
		for d in afu0 afu1; do
			[ -e "$SYSFS/${key/afuN/$d}" ] || fail "$key missing for $d"
		done
	done
	[ "$n" -eq 24 ]
	# the debugfs mount itself is root-only
	assert_equal "$(stat -c %a /sys/kernel/debug)" 700
}

@test "an unprivileged user cannot open or attach the device" {
	run as_user 'exec 3<>/dev/accelsim/afu0'
	assert_failure
	assert_output --partial "Permission denied"
	run as_user 'exec 3</dev/accelsim/afu0'
	assert_failure
	run as_user 'asim_attach'
	assert_failure
	assert_output --partial "Permission denied"
	run as_user 'accelctl hold'
	assert_failure
	assert_equal "$(wc -l <"$DEBUGFS/afu0/spa")" 1
}

@test "the documented accel group grants attach, and only to its members" {
	# what contrib/udev/70-accelsim.rules makes udev do
	for d in /dev/accelsim/afu*; do
		chgrp accel "$d"
		chmod 660 "$d"
	done
	run as_user 'asim_attach'
	assert_failure
	sed -i 's/^accel:x:900:.*/accel:x:900:user/' /etc/group
	run as_user 'id -Gn'
	assert_output --partial accel
	run as_user 'asim_attach'
	assert_success
	assert_line --regexp '^attach dev=0 tid=[0-9]+ pasid=[0-9]+ pe=[0-9]+$'
	run as_user 'asim_copy -s 256K'
	assert_success
	# a member still cannot touch debugfs
	run as_user "cat $DEBUGFS/afu0/spa"
	assert_failure
	run as_user "echo 1 >$SYSFS/devices/afu0/inject/hold_faults"
	assert_failure
	assert_equal "$(cat "$SYSFS/devices/afu0/inject/hold_faults")" 0
	# nobody, not in the group, still cannot
	run su nobody -s /bin/sh -c 'exec 3<>/dev/accelsim/afu0'
	assert_failure
}

@test "an unprivileged user cannot read debugfs or write inject files" {
	for f in afu0/info afu0/spa afu0/stats afu0/kctx pasids; do
		run as_user "cat $DEBUGFS/$f"
		assert_failure
		assert_output --partial "Permission denied"
	done
	run as_user "echo 1 >$SYSFS/devices/afu0/inject/hold_faults"
	assert_failure
	run as_user "echo 7 >$SYSFS/new_device"
	assert_failure
	run as_user 'accelstat'
	assert_failure
	[ ! -e "$DEBUGFS/afu7" ]
	assert_equal "$(cat "$SYSFS/devices/afu0/inject/hold_faults")" 0
}

@test "with the debugfs mount opened up, the file modes alone keep the user out" {
	chmod 755 /sys/kernel/debug
	# the directories are 0755 (as debugfs makes them): each file's mode
	# must keep the user out on its own
	run as_user "n=0; for f in \$(find $DEBUGFS -type f); do
		n=\$((n + 1))
		cat \"\$f\" >/dev/null 2>&1 && echo \"read \$f\"
		(printf 1 >\"\$f\") 2>/dev/null && echo \"wrote \$f\"
	done; echo files \$n"
	assert_success
	assert_equal "${#lines[@]}" 1
	[ "${output#files }" -ge 15 ]
	assert_equal "$(cat "$SYSFS/devices/afu0/inject/hold_faults")" 0
	assert_equal "$(cat "$SYSFS/devices/afu0/inject/fault_delay_ns")" 0
	assert_equal "$(ls "$DEBUGFS")" "$(printf 'afu0\nafu1\npasids')"
}

@test "an unprivileged user is refused every sysfs control and reads no knob" {
	local rel n=0 text
	# a kernel context and a live context as targets, so a write that got
	# through would act
	echo create >"$SYSFS/devices/afu0/kctx"
	start_hold --irqs 2
	before=$(cat "$DEBUGFS/afu0/spa" "$DEBUGFS/afu0/kctx")
	while read -r rel; do
		case ${rel##*/} in
		new_device) text=7 ;;
		del_device) text=1 ;;
		kctx) text="destroy 0" ;;
		fault) text="$PASID 0x1000 write" ;;
		afu_error) text="$PE 7" ;;
		irq) text=$HWIRQ ;;
		fail_attach) text="1 5" ;;
		*) text=1 ;;
		esac
		run as_user "echo '$text' >$SYSFS/$rel"
		assert_failure
		assert_output --partial "Permission denied"
		run as_user "cat $SYSFS/$rel"
		assert_failure
		assert_output --partial "Permission denied"
		n=$((n + 1))
	done < <(controls)
	[ "$n" -eq 22 ]
	# nothing happened
	[ ! -e "$SYSFS/devices/afu7" ]
	[ -e "$SYSFS/devices/afu1" ]
	for k in hold_faults fault_delay_ns tlbi_delay_ns hang_terminate; do
		assert_equal "$(cat "$SYSFS/devices/afu0/inject/$k")" 0
	done
	assert_equal "$(cat "$SYSFS/devices/afu0/inject/fail_attach")" "0 0"
	assert_equal "$(cat "$DEBUGFS/afu0/spa" "$DEBUGFS/afu0/kctx")" "$before"
	# and accelctl says why, in one line
	run as_user "accelctl inject hold-faults on"
	assert_failure 1
	assert_output "accelctl: inject hold-faults: afu0/inject/hold_faults refused '1': permission denied (need root)"
	run as_user "accelctl device add 7"
	assert_failure 1
	assert_output "accelctl: device add afu7: permission denied (need root)"
}

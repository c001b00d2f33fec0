# SPDX-License-Identifier: MIT
# Shared setup for guest bats suites (run inside the QEMU guest).
# shellcheck disable=SC2034 # the variables are for the suites that load this
# bats-support and bats-assert, sourced as their load.bash files do but
# without the "$(dirname ...)" those run for each of their 15 files: a fork
# and an exec each, for every test. On the debug kernel that was 3.6 s of
# every test (20 empty tests: 72 s bare, 143 s with the two load.bash).
for _f in /usr/lib/bats/bats-support/src/output.bash \
	/usr/lib/bats/bats-support/src/error.bash \
	/usr/lib/bats/bats-support/src/lang.bash \
	/usr/lib/bats/bats-assert/src/*.bash; do
	# shellcheck source=/dev/null
	source "$_f"
done
unset _f

# sleep as a bash builtin (Debian's bash-builtins, copied into the guest by
# tests/vm/mkinitramfs.sh): the polling loops sleep 50 or 100 ms a try, and
# on the debug kernel the fork and exec of /bin/sleep alone cost 170 ms.
enable -f /usr/lib/bash/sleep sleep

DEBUGFS=/sys/kernel/debug/accelsim
# The controls: the accelsim bus in sysfs (new_device, del_device, and
# devices/afuN/inject/, devices/afuN/kctx).
SYSFS=/sys/bus/accelsim
TRACEFS=/sys/kernel/tracing
ACCEL_MODULE=${ACCEL_MODULE:-/accel/accelsim.ko}

# Kernel taint bits that loading an unsigned out-of-tree module sets
# (O = 4096, E = 8192); anything else means the kernel is unhealthy.
assert_kernel_untainted() {
	local t
	t=$(cat /proc/sys/kernel/tainted)
	assert_equal "$((t & ~12288))" 0
}

# on_debug_kernel: true on the debug lane's KASAN/lockdep/kmemleak kernel
# (Debian's kernel has no kmemleak), where the same work runs about four
# times slower: tests that need a volume of events give it more time.
on_debug_kernel() {
	[ -e /sys/kernel/debug/kmemleak ]
}

module_loaded() {
	grep -q '^accelsim ' /proc/modules
}

# Reload the module with the given parameters.
module_reload() {
	if module_loaded; then
		rmmod accelsim
	fi
	insmod "$ACCEL_MODULE" "$@"
}

# Every suite starts from the module's defaults (one device, default
# parameters), whatever the suite before it in the same boot left: the
# debug lane runs every suite in one boot. A suite with its own
# setup_file replaces this one. rmmod is retried while the previous
# suite's processes finish exiting; the last try's error fails the suite.
setup_file() {
	local _i
	for ((_i = 0; _i < 50; _i++)); do
		module_loaded || break
		rmmod accelsim 2>/dev/null && break
		sleep 0.2
	done
	if module_loaded; then
		rmmod accelsim
	fi
	insmod "$ACCEL_MODULE"
}

# Wait up to 10 s for afu0 to have no context and the driver no PASID.
wait_empty() {
	local _i
	for ((_i = 0; _i < 200; _i++)); do
		only_header "$DEBUGFS/afu0/spa" && only_header "$DEBUGFS/pasids" &&
			return 0
		sleep 0.05
	done
	return 1
}

# wait_until CMD...: run CMD until it succeeds, every 50 ms for WAIT_TRIES
# tries (200: 10 s; a suite whose waits are longer sets it); then once more,
# so a failure's output is the last try's.
wait_until() {
	local _i
	for ((_i = 0; _i < ${WAIT_TRIES:-200}; _i++)); do
		"$@" && return 0
		sleep 0.05
	done
	"$@"
}

# stacks_of PID: each thread of PID with its state, wait channel and kernel
# stack, for a test that gives up on a process that should have finished.
stacks_of() {
	local t
	for t in /proc/"$1"/task/*; do
		[ -e "$t/stat" ] || continue
		echo "thread ${t##*/}: $(<"$t/wchan") $(grep State "$t/status")"
		cat "$t/stack" 2>/dev/null
	done
}

# gone PID: PID has exited: no such process, or a zombie not yet reaped
# (kill -0 succeeds on a zombie; the shell reaps its children only when it
# next waits). The state is the word after the comm's closing ')'.
gone() {
	local st
	kill -0 "$1" 2>/dev/null || return 0
	# read, not $(<...): the process may go meanwhile, and a failing
	# command substitution would trip bats' ERR trap in its subshell
	read -r st 2>/dev/null <"/proc/$1/stat" || return 0
	st=${st##*) }
	[ "${st%% *}" = Z ]
}

# finishes PID SECONDS: true once PID has exited, within SECONDS; if it
# has not, its threads' stacks are printed (see stacks_of), it is killed,
# and this fails.
finishes() {
	WAIT_TRIES=$(($2 * 20)) wait_until gone "$1" && return 0
	echo "process $1 still running after $2 s:"
	stacks_of "$1"
	kill -KILL "$1" 2>/dev/null
	return 1
}

# field NAME LINE: the value of NAME=value in a line of key=value words.
field() {
	sed -n "s/.*[ ^]$1=\([^ ]*\).*/\1/p" <<<" $2"
}

# stat_of NAME [DEV]: the device-wide counter NAME (its "NAME - value" row)
# in the stats view of afuDEV (afu0 unless DEV is given).
stat_of() {
	awk -v n="$1" '$1 == n && $2 == "-" { print $3 }' "$DEBUGFS/afu${2:-0}/stats"
}

# start_attach ARGS: asim_attach -w ARGS in the background until it prints
# "ready"; sets apid (its pid) and out (its output file). On failure its
# output goes to stderr.
start_attach() {
	local _i
	out=$BATS_TEST_TMPDIR/attach.$RANDOM
	asim_attach -w "$@" >"$out" 2>&1 &
	apid=$!
	for ((_i = 0; _i < 200; _i++)); do
		grep -q '^ready$' "$out" && return 0
		gone "$apid" && break
		sleep 0.05
	done
	cat "$out" >&2
	return 1
}

# start_hold [ARGS]: accelctl hold ARGS in the background until it has
# printed its contexts; sets HOLD (its pid), and PASID, PE and HWIRQ from
# its first line (HWIRQ is empty without --irqs).
start_hold() {
	local f=$BATS_TEST_TMPDIR/hold
	accelctl hold "$@" >"$f" &
	HOLD=$!
	wait_until grep -q '^pid ' "$f"
	read -r _ _ _ _ _ PASID _ PE _ HWIRQ _ <"$f"
	[ -n "$PASID" ]
}

# read_counters FILE ARRAY: the device-wide counters (the "name - value"
# rows) of a stats view, or a saved copy of one, into the associative
# array ARRAY. A read loop: no awk exec per counter.
read_counters() {
	local -n _c=$2
	local n p v _
	while read -r n p v _; do
		if [ "$p" = - ]; then
			_c["$n"]=$v
		fi
	done <"$1"
}

# only_header FILE: true if a debugfs table has its header line and no row.
# (mapfile, not wc -l: no fork in the polling loops that call it.)
only_header() {
	local _l
	mapfile -t -n 2 _l <"$1" && [ "${#_l[@]}" -eq 1 ]
}

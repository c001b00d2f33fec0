# SPDX-License-Identifier: MIT
# Shared setup of the acceltop host suites: the binary and fixture trees.
# shellcheck disable=SC2034 # the variables are for the suites that load this

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

ACCELTOP="$BATS_TEST_DIRNAME/../../cli/acceltop/acceltop"
FIX="$BATS_TEST_DIRNAME/../fixtures"
TOP="$BATS_TEST_DIRNAME/../.."

# Never pick up the host's own driver by accident.
export ACCEL_DEBUGFS=/nonexistent-accel-root
unset NO_COLOR

# delta_run ARGS...: acceltop -b -n 2 on a copy of acceltop-delta/before,
# switched to after/ once the first refresh is out. Output in $T/out.
# The switch is one rename of the root symlink, so a refresh never sees
# some views from before and others from after.
delta_run() {
	T=$BATS_TEST_TMPDIR
	rm -rf "$T/root" "$T/r1" "$T/r2"
	cp -r "$FIX/acceltop-delta/before" "$T/r1"
	cp -r "$FIX/acceltop-delta/before" "$T/r2"
	cp "$FIX/acceltop-delta/after/afu0/"{info,spa,stats} "$T/r2/afu0/"
	ln -s r1 "$T/root"
	"$ACCELTOP" -b -n 2 -i 1.5 --source=debugfs --root "$T/root" "$@" \
		>"$T/out" 2>"$T/err" 3>&- &
	local pid=$! i
	for ((i = 0; i < 600; i++)); do
		[ -s "$T/out" ] && break
		sleep 0.05
	done
	ln -s r2 "$T/root.new"
	mv -T "$T/root.new" "$T/root"
	wait "$pid"
}

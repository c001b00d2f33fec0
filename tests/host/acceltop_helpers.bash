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
delta_run() {
	T=$BATS_TEST_TMPDIR
	rm -rf "$T/root"
	cp -r "$FIX/acceltop-delta/before" "$T/root"
	"$ACCELTOP" -b -n 2 -d 1.5 --source=debugfs --root "$T/root" "$@" \
		>"$T/out" 2>"$T/err" 3>&- &
	local pid=$! i f
	for ((i = 0; i < 600; i++)); do
		[ -s "$T/out" ] && break
		sleep 0.05
	done
	for f in info spa stats; do
		cp "$FIX/acceltop-delta/after/afu0/$f" "$T/root/afu0/.$f"
		mv "$T/root/afu0/.$f" "$T/root/afu0/$f"
	done
	wait "$pid"
}

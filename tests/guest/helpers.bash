# SPDX-License-Identifier: MIT
# Shared setup for guest bats suites (run inside the QEMU guest).
# shellcheck disable=SC2034 # the variables are for the suites that load this
load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

DEBUGFS=/sys/kernel/debug/accelsim
TRACEFS=/sys/kernel/tracing
ACCEL_MODULE=${ACCEL_MODULE:-/accel/accelsim.ko}

# Kernel taint bits that loading an unsigned out-of-tree module sets
# (O = 4096, E = 8192); anything else means the kernel is unhealthy.
assert_kernel_untainted() {
	local t
	t=$(cat /proc/sys/kernel/tainted)
	assert_equal "$((t & ~12288))" 0
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

# Wait up to 10 s for afu0 to have no context and the driver no PASID.
wait_empty() {
	local _
	for _ in $(seq 200); do
		if [ "$(wc -l <"$DEBUGFS/afu0/spa")" -eq 1 ] &&
			[ "$(wc -l <"$DEBUGFS/pasids")" -eq 1 ]; then
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# SPDX-License-Identifier: MIT
# Shared setup for the IOMMU guest suites (tests/iommu/*.bats): each runs
# in a guest on QEMU's q35 machine with the IOMMU its "# accel-vm:" line
# asks tests/vm/run for (tests/check.sh's iommu lane), with the kernel's
# config copied to /boot for the doctor's kconfig checks.
# shellcheck disable=SC2034 # DOCTOR_* are for the suites that load this

load ../guest/helpers

DOCTOR_TEXT=$BATS_FILE_TMPDIR/doctor.txt
DOCTOR_JSON=$BATS_FILE_TMPDIR/doctor.json

# doctor_run: accelctl doctor's text ($DOCTOR_TEXT), exit status
# (doctor_rc) and JSON ($DOCTOR_JSON) on this machine, once per suite.
doctor_run() {
	local DOCTOR_RC=0
	accelctl doctor >"$DOCTOR_TEXT" 2>&1 || DOCTOR_RC=$?
	echo "$DOCTOR_RC" >"$BATS_FILE_TMPDIR/doctor.rc"
	accelctl -j doctor >"$DOCTOR_JSON" || true
}

doctor_rc() {
	cat "$BATS_FILE_TMPDIR/doctor.rc"
}

# status_of NAME [SUBJECT]: the JSON status of check NAME (of SUBJECT),
# one line per match.
status_of() {
	jq -r --arg n "$1" --arg s "${2:-}" \
		'.checks[] | select(.name == $n and ($s == "" or .subject == $s)) | .status' \
		"$DOCTOR_JSON"
}

# The checks every IOMMU guest shares: the kernel config copied in is
# read, the kernel log is read without being consumed, accelsim counts.
assert_common_checks() {
	run status_of kconfig.iommu_sva
	assert_output pass
	run status_of kconfig.intel_iommu_svm
	assert_output pass
	run status_of accelsim.devices
	assert_output pass
	run status_of pci.sva_device
	assert_output fail
}

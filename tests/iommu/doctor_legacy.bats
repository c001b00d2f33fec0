#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl doctor with QEMU's Intel IOMMU in legacy mode (no
# x-scalable-mode): the unit translates, but without scalable mode there
# are no PASIDs, so iommu.scalable fails.
# accel-vm: --iommu legacy

load helpers

setup_file() {
	doctor_run
}

@test "legacy: the verdict is 'SVA not possible', exit 7" {
	run doctor_rc
	assert_output 7
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^verdict: SVA not possible \(.*iommu\.scalable.*\)$'
	run jq -r .verdict "$DOCTOR_JSON"
	assert_output fail
}

@test "legacy: iommu.present passes, iommu.scalable fails on SMTS=0" {
	local ecap
	ecap=$(cat /sys/class/iommu/dmar0/intel-iommu/ecap)
	# the ecap the guest shows has SMTS (bit 43) clear
	[ $((0x$ecap >> 43 & 1)) = 0 ]
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^PASS +iommu\.present +dmar0 \(intel-iommu\)'
	assert_line --regexp "^FAIL +iommu\.scalable +dmar0 ecap 0x$ecap: SMTS=0 \(legacy mode\)$"
	run status_of iommu.scalable dmar0
	assert_output fail
	run jq -r '.iommu_units[0].ecap' "$DOCTOR_JSON"
	assert_output "0x$ecap"
}

@test "legacy: the kernel log lines are read, and read again (not consumed)" {
	run jq -r '.kernel_log[]' "$DOCTOR_JSON"
	assert_line --partial 'DMAR'
	local n1 n2
	n1=$(jq '.kernel_log | length' "$DOCTOR_JSON")
	n2=$(accelctl -j doctor | jq '.kernel_log | length')
	[ "$n1" -gt 0 ]
	assert_equal "$n2" "$n1"
}

@test "legacy: the kernel config and accelsim are read" {
	assert_common_checks
}

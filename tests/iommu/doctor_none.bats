#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl doctor on a q35 machine without an IOMMU: no DMAR table, no
# unit in /sys/class/iommu, so SVA is not possible and iommu.present says
# why.
# accel-vm: --iommu none

load helpers

setup_file() {
	doctor_run
}

@test "none: the verdict is 'SVA not possible', exit 7" {
	run doctor_rc
	assert_output 7
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^verdict: SVA not possible \(.*iommu\.present.*\)$'
	run jq -r .verdict "$DOCTOR_JSON"
	assert_output fail
}

@test "none: iommu.present and iommu.acpi fail, with the fix" {
	[ ! -e /sys/firmware/acpi/tables/DMAR ]
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^FAIL +iommu\.present +no IOMMU unit in /sys/class/iommu and no DMAR table'
	assert_line --regexp '^FAIL +iommu\.acpi '
	assert_line --regexp '^ +fix: enable VT-d in the firmware setup'
	run status_of iommu.present
	assert_output fail
	run status_of iommu.acpi
	assert_output fail
}

@test "none: no per-unit check runs without a unit" {
	run jq '.iommu_units | length' "$DOCTOR_JSON"
	assert_output 0
	run status_of iommu.scalable
	assert_output ''
	run status_of iommu.prs
	assert_output ''
}

@test "none: the kernel config and accelsim are still read" {
	assert_common_checks
}

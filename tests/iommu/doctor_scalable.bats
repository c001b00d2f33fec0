#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl doctor with QEMU's Intel IOMMU in scalable mode without PASIDs
# (x-scalable-mode=on): scalable mode is on, but the unit has no PASID
# support, so iommu.pasid fails.
# accel-vm: --iommu scalable

load helpers

setup_file() {
	doctor_run
}

@test "scalable: the verdict is 'SVA not possible', exit 7" {
	run doctor_rc
	assert_output 7
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^verdict: SVA not possible \(.*iommu\.pasid.*\)$'
	run jq -r .verdict "$DOCTOR_JSON"
	assert_output fail
}

@test "scalable: iommu.scalable passes, iommu.pasid fails on PASID=0" {
	local ecap
	ecap=$(cat /sys/class/iommu/dmar0/intel-iommu/ecap)
	[ $((0x$ecap >> 43 & 1)) = 1 ]
	[ $((0x$ecap >> 40 & 1)) = 0 ]
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^PASS +iommu\.scalable +dmar0 ecap SMTS=1 and the kernel uses scalable mode \(intel_iommu=\.\.\.sm_on'
	assert_line --regexp '^FAIL +iommu\.pasid +dmar0 ecap 0x[0-9a-f]+: PASID=0$'
	run status_of iommu.scalable dmar0
	assert_output pass
	run status_of iommu.pasid dmar0
	assert_output fail
}

@test "scalable: every PCI function is in an IOMMU group" {
	run jq -r '.pci_devices[] | select(.iommu_group == null) | .bdf' "$DOCTOR_JSON"
	assert_output ''
	run jq '.pci_devices | length' "$DOCTOR_JSON"
	refute_output 0
}

@test "scalable: the kernel config and accelsim are read" {
	assert_common_checks
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl doctor with QEMU's Intel IOMMU in scalable mode with PASIDs
# (x-pasid-mode=on), and QEMU's edu device: PASID passes, but QEMU cannot
# emulate page requests (no PRS), so iommu.prs fails and no SVA binding
# can happen in this guest.
# accel-vm: --iommu pasid --device edu

load helpers

setup_file() {
	doctor_run
}

@test "pasid: the verdict is 'SVA not possible', exit 7" {
	run doctor_rc
	assert_output 7
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^verdict: SVA not possible \(.*iommu\.prs.*\)$'
	run jq -r .verdict "$DOCTOR_JSON"
	assert_output fail
}

@test "pasid: iommu.pasid passes, iommu.prs fails on PRS=0" {
	local ecap
	ecap=$(cat /sys/class/iommu/dmar0/intel-iommu/ecap)
	[ $((0x$ecap >> 40 & 1)) = 1 ]
	[ $((0x$ecap >> 29 & 1)) = 0 ]
	run cat "$DOCTOR_TEXT"
	assert_line --regexp '^PASS +iommu\.pasid +dmar0 ecap 0x[0-9a-f]+: PASID=1$'
	assert_line --regexp '^FAIL +iommu\.prs +dmar0 ecap 0x[0-9a-f]+: PRS=0$'
	assert_line --partial "fix: the IOMMU cannot take page requests"
	run status_of iommu.pasid dmar0
	assert_output pass
	run status_of iommu.prs dmar0
	assert_output fail
	run jq -r '.checks[] | select(.name == "iommu.prs") | .required' "$DOCTOR_JSON"
	assert_output true
}

@test "pasid: the edu device is seen, in an IOMMU group, without PASID" {
	local bdf
	bdf=$(grep -l 0x11e8 /sys/bus/pci/devices/*/device | head -n 1)
	bdf=$(basename "$(dirname "$bdf")")
	[ -n "$bdf" ]
	run jq -r --arg b "$bdf" '.pci_devices[] | select(.bdf == $b) | "\(.id) \(.iommu_group != null) \(.pasid) \(.pri) \(.ats)"' "$DOCTOR_JSON"
	assert_output '1234:11e8 true false false false'
}

@test "pasid: the kernel config and accelsim are read" {
	assert_common_checks
}

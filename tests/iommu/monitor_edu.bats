#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl monitor with QEMU's Intel IOMMU (legacy mode) and its edu
# device: edu's DMA engine pointed at an address the IOMMU has no mapping
# for faults, the kernel logs the DMAR fault line, and the monitor's stream
# has it with the device and the address, from the line it came from.
# accel-vm: --iommu legacy --device edu

load helpers

setup() {
	MON=
	LOG=$BATS_TEST_TMPDIR/monitor.jsonl
}

teardown() {
	if [ -n "$MON" ]; then
		kill -KILL "$MON" 2>/dev/null || true
		wait "$MON" 2>/dev/null || true
	fi
}

# edu's PCI address (0000:00:01.0), by its vendor and device ids.
edu_bdf() {
	local f
	for f in /sys/bus/pci/devices/*; do
		if [ "$(cat "$f/vendor")" = 0x1234 ] && [ "$(cat "$f/device")" = 0x11e8 ]; then
			basename "$f"
			return 0
		fi
	done
	return 1
}

@test "edu: a DMA from an unmapped address is a DMAR fault in the stream, with the device and the address of its log line" {
	local bdf short rc=0 line
	bdf=$(edu_bdf)
	short=${bdf#0000:}
	accelctl monitor --log "$LOG" --events iommu,intel_iommu,kmsg &
	MON=$!
	wait_until grep -q '"monitor":"start"' "$LOG"
	head -n 1 "$LOG" | jq -e '.sources.kmsg.events == ["/dev/kmsg"] and
		.sources.iommu.events == ["iommu:io_page_fault"] and
		.sources.intel_iommu.events == ["intel_iommu:prq_report"]'
	# No page of IOVA 0x1000 is mapped for a device without a driver.
	run edu_dma "$bdf" 0x1000
	assert_success
	wait_until grep -q '"event":"dmar_fault"' "$LOG"
	kill -TERM "$MON"
	finishes "$MON" 10
	wait "$MON" || rc=$?
	MON=
	assert_equal "$rc" 0
	# The kernel's line, and the stream's object made from it.
	line=$(dmesg | grep -m 1 -F "DMAR: [DMA Read NO_PASID] Request device [$short] fault addr 0x1000 ")
	[ -n "$line" ]
	run jq -c --arg d "$short" 'select(.event == "dmar_fault") |
		select(.source == "kmsg" and .kind == "fault" and .device == $d and
		.address == "0x1000" and .access == "Read" and (has("pasid") | not) and
		(.ts | type == "number") and (.reason | type == "number"))' "$LOG"
	assert_success
	[ "${#lines[@]}" -ge 1 ]
	assert_equal "$(jq -r 'select(.event == "dmar_fault") | .message' "$LOG" | head -n 1)" "${line#\[*\] }"
	run ls /sys/kernel/tracing/instances
	refute_output --partial accelctl-monitor-
}

#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --iommu and acceltop --iommu on QEMU's Intel IOMMU (scalable
# mode, iommu.strict=1) with real DMA: reads from a virtio-blk disk behind
# the IOMMU (iommu_platform=on; QEMU's null-co driver, so no image file)
# unmap each request's buffers, and strict mode invalidates the IOTLB at
# each unmap; moving the disk's interrupts invalidates the interrupt entry
# cache. Over the same interval, trace-cmd records intel_iommu:qi_submit:
# both tools must count exactly its events, per unit and type, and have
# the submission latency histograms filled.
# accel-vm: --iommu scalable --device edu --append iommu.strict=1 --kmod virtio_pci --kmod virtio_blk --qemu-arg -drive --qemu-arg driver=null-co,read-zeroes=on,if=none,id=d0,size=64M --qemu-arg -device --qemu-arg virtio-blk-pci,drive=d0,iommu_platform=on,disable-legacy=on

load helpers
bats_require_minimum_version 1.5.0

setup() {
	T=$BATS_TEST_TMPDIR
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	trace-cmd reset >/dev/null 2>&1 || true
}

# lines FILE: its number of lines.
lines_of() {
	wc -l <"$1"
}

# refreshed FILE N: acceltop has written more than N lines to FILE.
refreshed() {
	[ "$(lines_of "$1")" -gt "$2" ]
}

# bpftool_has NAME: a BPF program named NAME is loaded.
bpftool_has() {
	bpftool prog show | grep -q "name $1 "
}

# attached N: N copies of the latency program are loaded (one per tool).
attached() {
	[ "$(bpftool prog show | grep -c 'name qi_submit_sync_e')" -ge "$1" ]
}

# The trace's qi_submit events as "UNIT TYPE COUNT" lines, the types in
# the tools' names (the kernel's __print_symbolic names mapped).
trace_counts() {
	trace-cmd report -i "$T/trace.dat" 2>/dev/null |
		awk '/ qi_submit: / {
			for (i = 1; i <= NF; i++) if ($i == "qi_submit:") break
			t = $(i + 1); u = $(i + 2); sub(/:$/, "", u)
			m["cc_inv"] = "context_cache"; m["iotlb_inv"] = "iotlb"
			m["dev_tlb_inv"] = "dev_tlb"; m["iec_inv"] = "iec"
			m["inv_wait"] = "wait"; m["p_iotlb_inv"] = "pasid_iotlb"
			m["pc_inv"] = "pasid_cache"; m["p_dev_tlb_inv"] = "pasid_dev_tlb"
			m["page_grp_resp"] = "page_group_resp"
			n[u " " (t in m ? m[t] : t)]++
		} END { for (k in n) print k, n[k] }' | sort
}

# The disk's MSI-X vectors, each moved to the other CPU and back: every
# move rewrites an interrupt remapping entry (an IEC invalidation).
move_irqs() {
	local irq
	for irq in $(awk '/virtio/ { sub(":", "", $1); print $1 }' /proc/interrupts); do
		echo 2 >"/proc/irq/$irq/smp_affinity" 2>/dev/null || true
		echo 1 >"/proc/irq/$irq/smp_affinity" 2>/dev/null || true
	done
}

@test "the iommu guest: virtio-blk behind the IOMMU, strict invalidation, qi_submit_sync traceable" {
	[ -b /dev/vda ]
	grep -q 'iommu.strict=1' /proc/cmdline
	[ -d /sys/kernel/tracing/events/intel_iommu/qi_submit ]
	grep -qx qi_submit_sync /sys/kernel/tracing/available_filter_functions
	run bpftool btf dump file /sys/kernel/btf/vmlinux
	assert_output --partial "FUNC 'qi_submit_sync'"
}

@test "accelstat and acceltop count the qi_submit events trace-cmd records, per unit and type, with latency histograms" {
	local want got_stat got_top n
	trace-cmd start -b 4096 -e intel_iommu:qi_submit >/dev/null
	accelstat --iommu 25 --json >"$T/stat.json" 2>"$T/stat.err" &
	PIDS+=($!)
	acceltop -b --json -i 1 --iommu >"$T/top.jsonl" 2>"$T/top.err" &
	PIDS+=($!)
	# The program set of a kernel without BTF: the format file's record.
	ACCEL_IOMMU_SOURCE=bpf-tp accelstat --iommu 25 --json >"$T/tp.json" 2>"$T/tp.err" &
	PIDS+=($!)
	WAIT_TRIES=600 wait_until attached 2
	WAIT_TRIES=600 wait_until bpftool_has tp_qi_submit
	# Their first readings follow the attach; acceltop's precedes its
	# first refresh.
	WAIT_TRIES=600 wait_until refreshed "$T/top.jsonl" 0
	sleep 1
	dd if=/dev/vda of=/dev/null bs=4k count=300 iflag=direct 2>/dev/null
	move_irqs
	dd if=/dev/vda of=/dev/null bs=64k count=20 iflag=direct 2>/dev/null
	# accelstat's window covered all of it: it is still measuring.
	run ! gone "${PIDS[0]}"
	run ! gone "${PIDS[2]}"
	# acceltop's last refresh began after it: two more lines.
	n=$(lines_of "$T/top.jsonl")
	WAIT_TRIES=600 wait_until refreshed "$T/top.jsonl" $((n + 1))
	kill -TERM "${PIDS[1]}"
	finishes "${PIDS[0]}" 60
	finishes "${PIDS[1]}" 60
	finishes "${PIDS[2]}" 60
	wait "${PIDS[0]}"
	wait "${PIDS[1]}"
	wait "${PIDS[2]}"
	PIDS=()
	trace-cmd stop
	trace-cmd extract -o "$T/trace.dat" >/dev/null 2>&1
	want=$(trace_counts)
	echo "trace-cmd: $want"
	[ -n "$want" ]
	# Real DMA: IOTLB invalidations (second-level in scalable mode are
	# iotlb, first-level pasid_iotlb) on dmar0.
	grep -Eq '^dmar0 (iotlb|pasid_iotlb) [0-9]+$' <<<"$want"
	got_stat=$(jq -r '.iommu.units[] | .device as $d | .invalidations[] |
		"\($d) \(.type) \(.descriptors)"' "$T/stat.json" | sort)
	echo "accelstat: $got_stat"
	assert_equal "$got_stat" "$want"
	got_top=$(tail -n 1 "$T/top.jsonl" | jq -r '.iommu.units[] | .device as $d |
		.invalidations[] | "\($d) \(.type) \(.descriptors_total)"' | sort)
	echo "acceltop: $got_top"
	assert_equal "$got_top" "$want"
	run jq -r '.iommu.units[] | .device as $d | .invalidations[] |
		"\($d) \(.type) \(.descriptors)"' "$T/tp.json"
	assert_equal "$(sort <<<"$output")" "$want"
	run jq -c '.iommu | [.source, .latency_measured, .missing]' "$T/tp.json"
	assert_output '["bpf-tp",false,["latency: source bpf-tp (ACCEL_IOMMU_SOURCE) does not time qi_submit_sync"]]'
	# acceltop's refreshes add up to its totals.
	run jq -s -r '[.[].iommu.units[] | select(.device == "dmar0") |
		.invalidations[] | select(.type == "iotlb" or .type == "pasid_iotlb") |
		.descriptors] | add' "$T/top.jsonl"
	assert_output "$(awk '$1 == "dmar0" && ($2 == "iotlb" || $2 == "pasid_iotlb") { n += $3 } END { print n }' <<<"$want")"
	# Every submission timed, filed in the histograms.
	run jq -e '.iommu.source == "bpf-btf" and .iommu.latency_measured and
		.iommu.missing == [] and .iommu.drops == 0' "$T/stat.json"
	assert_success
	run jq -e '[.iommu.units[].invalidations[] |
		select(.type == "iotlb" or .type == "pasid_iotlb") |
		select(.submissions > 0 and (.latency | length) > 0 and
		       ([.latency[].count] | add) == .submissions and
		       .p50_lat_ns > 0 and .p99_lat_ns >= .p50_lat_ns)] | length > 0' "$T/stat.json"
	assert_success
	run jq -e '[.iommu.units[].invalidations[] | select((.latency_total | length) > 0 and
		.submissions_total > 0)] | length > 0' <<<"$(tail -n 1 "$T/top.jsonl")"
	assert_success
	# The text and the screen's batch rows show the same source.
	run grep -c 'IOMMU panel' "$T/top.err"
	assert_output 0
}

@test "accelstat --iommu text and acceltop -b --iommu show the rows and the histogram" {
	accelstat --iommu 4 >"$T/stat.txt" &
	PIDS+=($!)
	WAIT_TRIES=600 wait_until attached 1
	sleep 0.5
	dd if=/dev/vda of=/dev/null bs=4k count=50 iflag=direct 2>/dev/null
	finishes "${PIDS[0]}" 60
	wait "${PIDS[0]}"
	PIDS=()
	cat "$T/stat.txt"
	run grep -E '^dmar0 +(iotlb|pasid_iotlb) +[1-9][0-9]* ' "$T/stat.txt"
	assert_success
	run grep -E '^dmar0 (iotlb|pasid_iotlb) submission latency:$' "$T/stat.txt"
	assert_success
	acceltop -b -n 4 -i 1 --iommu >"$T/top.txt" &
	PIDS+=($!)
	# Its first refresh follows its first reading (accelstat's program
	# may still be on its way out: no bpftool count here).
	WAIT_TRIES=600 wait_until grep -q '^IOMMU UNIT' "$T/top.txt"
	dd if=/dev/vda of=/dev/null bs=4k count=50 iflag=direct 2>/dev/null
	finishes "${PIDS[0]}" 60
	wait "${PIDS[0]}"
	PIDS=()
	run cat "$T/top.txt"
	assert_output --regexp 'IOMMU UNIT +TYPE +DESCS'
	assert_output --regexp 'IOMMU dmar0 +(iotlb|pasid_iotlb) +[0-9]+ '
}

@test "not root: accelstat --iommu says BPF was not permitted, and why, with exit 3" {
	run su nobody -s /bin/sh -c 'exec accelstat --iommu 0.1'
	assert_failure 3
	assert_output --regexp '^accelstat: IOMMU invalidations not measured: cannot load BPF programs: Operation not permitted \(not root: BPF needs CAP_BPF and CAP_PERFMON\)'
	run su nobody -s /bin/sh -c 'exec accelstat --iommu 0.1 --prometheus 2>/dev/null'
	assert_failure 3
	assert_output --partial 'accel_iommu_up 0'
}

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim_lat: counts accelsim device events. Attached to the plain
 * tracepoint, whose context struct matches the event's format file.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* events/accelsim/device_add/format */
struct accelsim_device_add_ctx {
	__u64 common;
	__u32 dev;
	__u32 max_pe;
};

__u64 devices_added;

SEC("tracepoint/accelsim/device_add")
int handle_device_add(struct accelsim_device_add_ctx *ctx)
{
	__sync_fetch_and_add(&devices_added, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";

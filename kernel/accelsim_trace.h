/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accelsim tracepoints. Every event prints key=value pairs and carries no
 * kernel pointers. Paired events share an id.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM accelsim

#if !defined(_ACCELSIM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ACCELSIM_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(accelsim_device_class,
		    TP_PROTO(u32 dev, u32 max_pe),
		    TP_ARGS(dev, max_pe),
		    TP_STRUCT__entry(__field(u32, dev)
				     __field(u32, max_pe)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->max_pe = max_pe;),
		    TP_printk("dev=%u max_pe=%u", __entry->dev,
			      __entry->max_pe));

DEFINE_EVENT(accelsim_device_class, device_add,
	     TP_PROTO(u32 dev, u32 max_pe),
	     TP_ARGS(dev, max_pe));

#endif /* _ACCELSIM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE accelsim_trace
#include <trace/define_trace.h>

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accelsim tracepoints. Every event prints key=value pairs and carries no
 * kernel pointers. Paired events share an id. TP_PROTO arguments are plain
 * scalars so tp_btf programs can read them directly. See accelsim(4).
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

DEFINE_EVENT(accelsim_device_class, device_del,
	     TP_PROTO(u32 dev, u32 max_pe),
	     TP_ARGS(dev, max_pe));

DECLARE_EVENT_CLASS(accelsim_context_class,
		    TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 pid, u32 kernel),
		    TP_ARGS(dev, pe, pasid, pid, kernel),
		    TP_STRUCT__entry(__field(u32, dev)
				     __field(u32, pe)
				     __field(u32, pasid)
				     __field(u32, pid)
				     __field(u32, kernel)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->pe = pe;
				   __entry->pasid = pasid;
				   __entry->pid = pid;
				   __entry->kernel = kernel;),
		    TP_printk("dev=%u pe=%u pasid=%u pid=%u kernel=%u",
			      __entry->dev, __entry->pe, __entry->pasid,
			      __entry->pid, __entry->kernel));

DEFINE_EVENT(accelsim_context_class, context_attach,
	     TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 pid, u32 kernel),
	     TP_ARGS(dev, pe, pasid, pid, kernel));

DEFINE_EVENT(accelsim_context_class, context_detach,
	     TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 pid, u32 kernel),
	     TP_ARGS(dev, pe, pasid, pid, kernel));

DECLARE_EVENT_CLASS(accelsim_pasid_class,
		    TP_PROTO(u32 pasid, u32 pid),
		    TP_ARGS(pasid, pid),
		    TP_STRUCT__entry(__field(u32, pasid)
				     __field(u32, pid)),
		    TP_fast_assign(__entry->pasid = pasid;
				   __entry->pid = pid;),
		    TP_printk("pasid=%u pid=%u", __entry->pasid,
			      __entry->pid));

DEFINE_EVENT(accelsim_pasid_class, pasid_alloc,
	     TP_PROTO(u32 pasid, u32 pid),
	     TP_ARGS(pasid, pid));

DEFINE_EVENT(accelsim_pasid_class, pasid_free,
	     TP_PROTO(u32 pasid, u32 pid),
	     TP_ARGS(pasid, pid));

TRACE_EVENT(fault,
	    TP_PROTO(u64 id, u32 dev, u32 pe, u32 pasid, u64 addr,
		     u32 access),
	    TP_ARGS(id, dev, pe, pasid, addr, access),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u32, dev)
			     __field(u32, pe)
			     __field(u32, pasid)
			     __field(u64, addr)
			     __field(u32, access)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dev = dev;
			   __entry->pe = pe;
			   __entry->pasid = pasid;
			   __entry->addr = addr;
			   __entry->access = access;),
	    TP_printk("id=%llu dev=%u pe=%u pasid=%u addr=0x%llx access=%u",
		      __entry->id, __entry->dev, __entry->pe, __entry->pasid,
		      __entry->addr, __entry->access));

TRACE_EVENT(fault_ack,
	    TP_PROTO(u64 id, u32 dev, u32 pe, u32 pasid, u64 addr, u32 resp,
		     u64 lat_ns),
	    TP_ARGS(id, dev, pe, pasid, addr, resp, lat_ns),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u32, dev)
			     __field(u32, pe)
			     __field(u32, pasid)
			     __field(u64, addr)
			     __field(u32, resp)
			     __field(u64, lat_ns)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dev = dev;
			   __entry->pe = pe;
			   __entry->pasid = pasid;
			   __entry->addr = addr;
			   __entry->resp = resp;
			   __entry->lat_ns = lat_ns;),
	    TP_printk("id=%llu dev=%u pe=%u pasid=%u addr=0x%llx resp=%s lat_ns=%llu",
		      __entry->id, __entry->dev, __entry->pe, __entry->pasid,
		      __entry->addr,
		      __print_symbolic(__entry->resp,
				       { 0, "restart" },
				       { 1, "address_error" }),
		      __entry->lat_ns));

TRACE_EVENT(tlbi_start,
	    TP_PROTO(u64 id, u32 dev, u32 pasid, u64 start, u64 end),
	    TP_ARGS(id, dev, pasid, start, end),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u32, dev)
			     __field(u32, pasid)
			     __field(u64, start)
			     __field(u64, end)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dev = dev;
			   __entry->pasid = pasid;
			   __entry->start = start;
			   __entry->end = end;),
	    TP_printk("id=%llu dev=%u pasid=%u start=0x%llx end=0x%llx",
		      __entry->id, __entry->dev, __entry->pasid,
		      __entry->start, __entry->end));

TRACE_EVENT(tlbi_done,
	    TP_PROTO(u64 id, u32 dev, u32 pasid, u64 start, u64 end,
		     u32 entries, u64 lat_ns),
	    TP_ARGS(id, dev, pasid, start, end, entries, lat_ns),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u32, dev)
			     __field(u32, pasid)
			     __field(u64, start)
			     __field(u64, end)
			     __field(u32, entries)
			     __field(u64, lat_ns)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dev = dev;
			   __entry->pasid = pasid;
			   __entry->start = start;
			   __entry->end = end;
			   __entry->entries = entries;
			   __entry->lat_ns = lat_ns;),
	    TP_printk("id=%llu dev=%u pasid=%u start=0x%llx end=0x%llx entries=%u lat_ns=%llu",
		      __entry->id, __entry->dev, __entry->pasid,
		      __entry->start, __entry->end, __entry->entries,
		      __entry->lat_ns));

TRACE_EVENT(work_submit,
	    TP_PROTO(u64 id, u32 dev, u32 pe, u32 pasid, u32 op, u64 len,
		     u64 tag),
	    TP_ARGS(id, dev, pe, pasid, op, len, tag),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u32, dev)
			     __field(u32, pe)
			     __field(u32, pasid)
			     __field(u32, op)
			     __field(u64, len)
			     __field(u64, tag)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dev = dev;
			   __entry->pe = pe;
			   __entry->pasid = pasid;
			   __entry->op = op;
			   __entry->len = len;
			   __entry->tag = tag;),
	    TP_printk("id=%llu dev=%u pe=%u pasid=%u op=%u len=%llu tag=%llu",
		      __entry->id, __entry->dev, __entry->pe, __entry->pasid,
		      __entry->op, __entry->len, __entry->tag));

TRACE_EVENT(work_done,
	    TP_PROTO(u64 id, u32 dev, u32 pe, u32 pasid, u32 status,
		     u64 bytes),
	    TP_ARGS(id, dev, pe, pasid, status, bytes),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u32, dev)
			     __field(u32, pe)
			     __field(u32, pasid)
			     __field(u32, status)
			     __field(u64, bytes)),
	    TP_fast_assign(__entry->id = id;
			   __entry->dev = dev;
			   __entry->pe = pe;
			   __entry->pasid = pasid;
			   __entry->status = status;
			   __entry->bytes = bytes;),
	    TP_printk("id=%llu dev=%u pe=%u pasid=%u status=%u bytes=%llu",
		      __entry->id, __entry->dev, __entry->pe, __entry->pasid,
		      __entry->status, __entry->bytes));

TRACE_EVENT(afu_error,
	    TP_PROTO(u32 dev, u32 pe, u32 pasid, u64 code),
	    TP_ARGS(dev, pe, pasid, code),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, pe)
			     __field(u32, pasid)
			     __field(u64, code)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->pe = pe;
			   __entry->pasid = pasid;
			   __entry->code = code;),
	    TP_printk("dev=%u pe=%u pasid=%u code=%llu", __entry->dev,
		      __entry->pe, __entry->pasid, __entry->code));

DECLARE_EVENT_CLASS(accelsim_irq_class,
		    TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 hwirq, u32 count),
		    TP_ARGS(dev, pe, pasid, hwirq, count),
		    TP_STRUCT__entry(__field(u32, dev)
				     __field(u32, pe)
				     __field(u32, pasid)
				     __field(u32, hwirq)
				     __field(u32, count)),
		    TP_fast_assign(__entry->dev = dev;
				   __entry->pe = pe;
				   __entry->pasid = pasid;
				   __entry->hwirq = hwirq;
				   __entry->count = count;),
		    TP_printk("dev=%u pe=%u pasid=%u hwirq=%u count=%u",
			      __entry->dev, __entry->pe, __entry->pasid,
			      __entry->hwirq, __entry->count));

DEFINE_EVENT(accelsim_irq_class, irq_alloc,
	     TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 hwirq, u32 count),
	     TP_ARGS(dev, pe, pasid, hwirq, count));

DEFINE_EVENT(accelsim_irq_class, irq_free,
	     TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 hwirq, u32 count),
	     TP_ARGS(dev, pe, pasid, hwirq, count));

TRACE_EVENT(irq_fire,
	    TP_PROTO(u32 dev, u32 pe, u32 pasid, u32 hwirq),
	    TP_ARGS(dev, pe, pasid, hwirq),
	    TP_STRUCT__entry(__field(u32, dev)
			     __field(u32, pe)
			     __field(u32, pasid)
			     __field(u32, hwirq)),
	    TP_fast_assign(__entry->dev = dev;
			   __entry->pe = pe;
			   __entry->pasid = pasid;
			   __entry->hwirq = hwirq;),
	    TP_printk("dev=%u pe=%u pasid=%u hwirq=%u", __entry->dev,
		      __entry->pe, __entry->pasid, __entry->hwirq));

#endif /* _ACCELSIM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE accelsim_trace
#include <trace/define_trace.h>

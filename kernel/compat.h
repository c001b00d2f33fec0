/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accelsim: the one place for differences between kernel versions. The
 * driver supports Debian's 6.1 (Debian 12) and 6.12 (Debian 13, and
 * Debian 12's security updates); each difference is keyed on the target
 * kernel's own version.
 */
#ifndef _ACCELSIM_COMPAT_H
#define _ACCELSIM_COMPAT_H

#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/mm.h>
#include <linux/trace.h>
#include <linux/version.h>

/* True when the target kernel is major.minor or newer. */
#define ACCELSIM_KERNEL_AT_LEAST(major, minor) \
	(KERNEL_VERSION(major, minor, 0) <= LINUX_VERSION_CODE)

/* 6.2 made the devnode callback take a const device. */
#if ACCELSIM_KERNEL_AT_LEAST(6, 2)
#define ACCELSIM_DEVNODE_CONST const
#else
#define ACCELSIM_DEVNODE_CONST
#endif

/* 6.4 made the bus attributes' callbacks take a const bus_type. */
#if ACCELSIM_KERNEL_AT_LEAST(6, 4)
#define ACCELSIM_BUS_CONST const
#else
#define ACCELSIM_BUS_CONST
#endif

/* 6.4 dropped the owner argument of class_create(). */
#if ACCELSIM_KERNEL_AT_LEAST(6, 4)
#define accelsim_class_create(name) class_create(name)
#else
#define accelsim_class_create(name) class_create(THIS_MODULE, name)
#endif

/* 6.5 dropped the vmas argument of get_user_pages_remote(). */
static inline long accelsim_gup_remote(struct mm_struct *mm,
				       unsigned long addr,
				       unsigned long nr_pages,
				       unsigned int gup_flags,
				       struct page **pages)
{
#if ACCELSIM_KERNEL_AT_LEAST(6, 5)
	return get_user_pages_remote(mm, addr, nr_pages, gup_flags, pages,
				     NULL);
#else
	return get_user_pages_remote(mm, addr, nr_pages, gup_flags, pages,
				     NULL, NULL);
#endif
}

/* 6.8 dropped the count argument of eventfd_signal(). */
static inline void accelsim_eventfd_signal(struct eventfd_ctx *efd)
{
#if ACCELSIM_KERNEL_AT_LEAST(6, 8)
	eventfd_signal(efd);
#else
	eventfd_signal(efd, 1);
#endif
}

/*
 * 6.8 gave trace_array_get_by_name() the event systems to create in a new
 * instance (NULL: all of them); 6.1 creates every system in it.
 */
static inline struct trace_array *
accelsim_trace_array_get(const char *name, const char *systems)
{
#if ACCELSIM_KERNEL_AT_LEAST(6, 8)
	return trace_array_get_by_name(name, systems);
#else
	return trace_array_get_by_name(name);
#endif
}

/*
 * 6.12 removed no_llseek. The character device's file_operations leave
 * .llseek unset instead, which both kernels treat alike: lseek() fails with
 * -ESPIPE (and stream_open() clears FMODE_LSEEK anyway).
 *
 * 6.6 replaced the invalidate_range mmu notifier with
 * arch_invalidate_secondary_tlbs; the driver uses only
 * invalidate_range_start/end and release, which are unchanged.
 */

#endif /* _ACCELSIM_COMPAT_H */

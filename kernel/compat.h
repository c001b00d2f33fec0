/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accelsim: the one place for differences between kernel versions. The
 * driver targets 6.1 first.
 */
#ifndef _ACCELSIM_COMPAT_H
#define _ACCELSIM_COMPAT_H

#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/mm.h>

/* Kbuild passes the target's VERSION and PATCHLEVEL. */
#define ACCELSIM_KERNEL_CODE \
	(ACCELSIM_KERNEL_MAJOR * 256 + ACCELSIM_KERNEL_MINOR)
#define ACCELSIM_KERNEL_AT_LEAST(major, minor) \
	(ACCELSIM_KERNEL_CODE >= (major) * 256 + (minor))

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
				       unsigned int gup_flags,
				       struct page **page)
{
#if ACCELSIM_KERNEL_AT_LEAST(6, 5)
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL);
#else
	return get_user_pages_remote(mm, addr, 1, gup_flags, page, NULL, NULL);
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

#endif /* _ACCELSIM_COMPAT_H */

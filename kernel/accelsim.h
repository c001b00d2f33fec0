/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accelsim: internal declarations shared by the driver's files.
 */
#ifndef _ACCELSIM_H
#define _ACCELSIM_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#define ACCELSIM_DRV_VERSION	"0.1.0"

struct dentry;

/* One emulated accelerator function unit, afuN. */
struct accelsim_dev {
	u32 id;
	struct list_head node;		/* on accelsim_devs, under accelsim_devs_lock */
	struct dentry *ddir;		/* debugfs afuN/ */
	struct mutex lock;		/* device state */
	u32 max_pe;
	u32 irq_budget;
	u32 atc_entries;
};

extern struct dentry *accelsim_debugfs_root;
extern unsigned int max_pe;

struct accelsim_dev *accelsim_dev_create(u32 id);
void accelsim_dev_destroy(struct accelsim_dev *adev);

int accelsim_debugfs_dev_init(struct accelsim_dev *adev);
void accelsim_debugfs_dev_exit(struct accelsim_dev *adev);

#endif /* _ACCELSIM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: per-device debugfs views. Each view is a seq_file with one
 * header line and whitespace-separated columns; see accelsim(4).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "accelsim.h"

static int info_show(struct seq_file *m, void *unused)
{
	struct accelsim_dev *adev = m->private;

	mutex_lock(&adev->lock);
	seq_puts(m, "dev version max_pe irq_budget atc_entries state\n");
	seq_printf(m, "afu%u %s %u %u %u online\n", adev->id,
		   ACCELSIM_DRV_VERSION, adev->max_pe, adev->irq_budget,
		   adev->atc_entries);
	mutex_unlock(&adev->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

int accelsim_debugfs_dev_init(struct accelsim_dev *adev)
{
	char name[16];

	snprintf(name, sizeof(name), "afu%u", adev->id);
	adev->ddir = debugfs_create_dir(name, accelsim_debugfs_root);
	if (IS_ERR(adev->ddir))
		return PTR_ERR(adev->ddir);

	debugfs_create_file("info", 0400, adev->ddir, adev, &info_fops);
	return 0;
}

void accelsim_debugfs_dev_exit(struct accelsim_dev *adev)
{
	debugfs_remove_recursive(adev->ddir);
}

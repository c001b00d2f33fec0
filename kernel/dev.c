// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: creation and removal of one emulated device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>

#include "accelsim.h"
#include "accelsim_trace.h"

struct accelsim_dev *accelsim_dev_create(u32 id)
{
	struct accelsim_dev *adev;
	int err;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return ERR_PTR(-ENOMEM);

	adev->id = id;
	adev->max_pe = max_pe;
	adev->irq_budget = 2048;
	adev->atc_entries = 64;
	mutex_init(&adev->lock);

	err = accelsim_debugfs_dev_init(adev);
	if (err)
		goto err_free;

	trace_device_add(adev->id, adev->max_pe);
	return adev;

err_free:
	mutex_destroy(&adev->lock);
	kfree(adev);
	return ERR_PTR(err);
}

void accelsim_dev_destroy(struct accelsim_dev *adev)
{
	accelsim_debugfs_dev_exit(adev);
	mutex_destroy(&adev->lock);
	kfree(adev);
}

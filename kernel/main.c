// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: an SVA accelerator driver whose device is emulated in software.
 *
 * This file holds the module parameters, the device list and module
 * init/exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "accelsim.h"

static unsigned int nr_devices = 1;
module_param(nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "Devices created at load time (default 1)");

unsigned int max_pe = 512;
module_param(max_pe, uint, 0444);
MODULE_PARM_DESC(max_pe, "Process elements per device SPA (default 512)");

struct dentry *accelsim_debugfs_root;

static LIST_HEAD(accelsim_devs);
static DEFINE_MUTEX(accelsim_devs_lock);

static void accelsim_devs_destroy_all(void)
{
	struct accelsim_dev *adev, *tmp;

	mutex_lock(&accelsim_devs_lock);
	list_for_each_entry_safe(adev, tmp, &accelsim_devs, node) {
		list_del(&adev->node);
		accelsim_dev_destroy(adev);
	}
	mutex_unlock(&accelsim_devs_lock);
}

static int __init accelsim_init(void)
{
	struct accelsim_dev *adev;
	unsigned int i;
	int err;

	accelsim_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);

	for (i = 0; i < nr_devices; i++) {
		adev = accelsim_dev_create(i);
		if (IS_ERR(adev)) {
			err = PTR_ERR(adev);
			goto err_devs;
		}
		mutex_lock(&accelsim_devs_lock);
		list_add_tail(&adev->node, &accelsim_devs);
		mutex_unlock(&accelsim_devs_lock);
	}
	pr_info("loaded, version %s, %u device(s)\n", ACCELSIM_DRV_VERSION,
		nr_devices);
	return 0;

err_devs:
	accelsim_devs_destroy_all();
	debugfs_remove_recursive(accelsim_debugfs_root);
	return err;
}

static void __exit accelsim_exit(void)
{
	accelsim_devs_destroy_all();
	debugfs_remove_recursive(accelsim_debugfs_root);
	pr_info("unloaded\n");
}

module_init(accelsim_init);
module_exit(accelsim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Emulated shared-virtual-memory accelerator");
MODULE_VERSION(ACCELSIM_DRV_VERSION);

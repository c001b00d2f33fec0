// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: an SVA accelerator driver whose device is emulated in software.
 *
 * This file holds the module parameters, the device list, run-time device
 * creation and deletion (driven by the bus in sysfs, bus.c), and module
 * init/exit. Debugfs is optional: its views are missing without it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "accelsim.h"

static unsigned int nr_devices = 1;
module_param(nr_devices, uint, 0444);
MODULE_PARM_DESC(nr_devices, "Devices created at load time (default 1)");

unsigned int accelsim_max_pe = 512;
module_param_named(max_pe, accelsim_max_pe, uint, 0444);
MODULE_PARM_DESC(max_pe,
		 "Process elements per device SPA (default 512, 1..32768)");

unsigned int accelsim_pasid_bits = 20;
module_param_named(pasid_bits, accelsim_pasid_bits, uint, 0444);
MODULE_PARM_DESC(pasid_bits, "Width of the PASID space (default 20, 1..32)");

unsigned int accelsim_atc_entries = ACCELSIM_ATC_DEFAULT;
module_param_named(atc_entries, accelsim_atc_entries, uint, 0444);
MODULE_PARM_DESC(atc_entries,
		 "ATC entries per device, 4 ways per set (default 1024, a power of two, 4..65536)");

/* Readers walk it under RCU (mmu notifiers); writers hold the mutex. */
LIST_HEAD(accelsim_devs);
static DEFINE_MUTEX(accelsim_devs_lock);
/* Module exit began: new_device creates nothing. Under the mutex. */
static bool accelsim_devs_closed;

static struct accelsim_dev *accelsim_dev_find(u32 id)
{
	struct accelsim_dev *adev;

	lockdep_assert_held(&accelsim_devs_lock);
	list_for_each_entry(adev, &accelsim_devs, node)
		if (adev->id == id)
			return adev;
	return NULL;
}

/* A referenced device for open(), or NULL if there is none. */
struct accelsim_dev *accelsim_dev_get_by_id(u32 id)
{
	struct accelsim_dev *adev;

	mutex_lock(&accelsim_devs_lock);
	adev = accelsim_dev_find(id);
	if (adev && adev->unlisting)
		adev = NULL;
	if (adev)
		kref_get(&adev->kref);
	mutex_unlock(&accelsim_devs_lock);
	return adev;
}

int accelsim_dev_new(u32 id, u32 npe, u32 irq_budget)
{
	struct accelsim_dev *adev;
	int err = 0;

	if (id >= ACCELSIM_MAX_DEVS || !npe || npe > ACCELSIM_MAX_PE ||
	    !irq_budget || irq_budget > ACCELSIM_MAX_IRQ_BUDGET)
		return -EINVAL;

	mutex_lock(&accelsim_devs_lock);
	if (accelsim_devs_closed) {
		err = -ENODEV;
		goto out_unlock;
	}
	if (accelsim_dev_find(id)) {
		err = -EEXIST;
		goto out_unlock;
	}
	adev = accelsim_dev_create(id, npe, irq_budget);
	if (IS_ERR(adev)) {
		err = PTR_ERR(adev);
		goto out_unlock;
	}
	list_add_tail_rcu(&adev->node, &accelsim_devs);
out_unlock:
	mutex_unlock(&accelsim_devs_lock);
	return err;
}

/*
 * Delete @adev, which the caller marked unlisting under accelsim_devs_lock.
 * Called without the lock: stopping the device waits for its contexts and
 * removing it for its faults, which wait on their processes' address
 * spaces (a fault on a userfaultfd range waits for its handler). None of
 * that may hold up the creation, deletion or open() of the other devices.
 */
static void accelsim_dev_unlist(struct accelsim_dev *adev)
{
	accelsim_dev_stop(adev);
	mutex_lock(&accelsim_devs_lock);
	list_del_rcu(&adev->node);
	mutex_unlock(&accelsim_devs_lock);
	synchronize_rcu();
	accelsim_dev_remove(adev);
}

int accelsim_dev_del(u32 id)
{
	struct accelsim_dev *adev;

	mutex_lock(&accelsim_devs_lock);
	adev = accelsim_dev_find(id);
	if (!adev || adev->unlisting) {
		mutex_unlock(&accelsim_devs_lock);
		return -ENOENT;
	}
	adev->unlisting = true;
	mutex_unlock(&accelsim_devs_lock);
	accelsim_dev_unlist(adev);
	return 0;
}

/*
 * Delete every device. One that a del_device still in progress is deleting
 * is left to it, and waited for: nothing may outlive this.
 */
static void accelsim_devs_destroy_all(void)
{
	struct accelsim_dev *adev;
	bool empty;

	for (;;) {
		mutex_lock(&accelsim_devs_lock);
		accelsim_devs_closed = true;
		list_for_each_entry(adev, &accelsim_devs, node)
			if (!adev->unlisting)
				break;
		if (list_entry_is_head(adev, &accelsim_devs, node))
			adev = NULL;
		else
			adev->unlisting = true;
		empty = list_empty(&accelsim_devs);
		mutex_unlock(&accelsim_devs_lock);
		if (empty)
			return;
		if (adev)
			accelsim_dev_unlist(adev);
		else
			msleep(20);
	}
}

static int __init accelsim_init(void)
{
	unsigned int i;
	int err;

	if (!accelsim_max_pe || accelsim_max_pe > ACCELSIM_MAX_PE ||
	    !accelsim_pasid_bits || accelsim_pasid_bits > 32 ||
	    nr_devices > ACCELSIM_MAX_DEVS)
		return -EINVAL;
	if (!accelsim_atc_size_ok(accelsim_atc_entries)) {
		pr_err("atc_entries=%u: must be a power of two from %u to %u\n",
		       accelsim_atc_entries, ACCELSIM_ATC_WAYS,
		       ACCELSIM_ATC_MAX);
		return -EINVAL;
	}

	/* First, so the devices created at load are recorded too. */
	accelsim_flight_init();
	err = accelsim_pasid_init();
	if (err)
		goto err_flight;
	err = accelsim_chardev_init();
	if (err)
		goto err_pasid;
	err = accelsim_bus_init();
	if (err)
		goto err_chardev;
	accelsim_debugfs_init();
	for (i = 0; i < nr_devices; i++) {
		err = accelsim_dev_new(i, accelsim_max_pe, ACCELSIM_IRQ_BUDGET);
		if (err)
			goto err_devs;
	}
	pr_info("loaded, version %s, %u device(s)\n", ACCELSIM_DRV_VERSION,
		nr_devices);
	return 0;

err_devs:
	accelsim_devs_destroy_all();
	accelsim_debugfs_exit();
	accelsim_bus_exit();
err_chardev:
	accelsim_chardev_exit();
err_pasid:
	accelsim_pasid_exit();
err_flight:
	accelsim_flight_exit();
	return err;
}

static void __exit accelsim_exit(void)
{
	accelsim_devs_destroy_all();
	accelsim_debugfs_exit();
	accelsim_bus_exit();
	accelsim_chardev_exit();
	accelsim_pasid_exit();
	accelsim_flight_exit();
	pr_info("unloaded\n");
}

module_init(accelsim_init);
module_exit(accelsim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Emulated shared-virtual-memory accelerator");
MODULE_VERSION(ACCELSIM_DRV_VERSION);

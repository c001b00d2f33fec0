// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: creation and removal of one emulated device. Removal terminates
 * every live context (their files then fail with -ENODEV), acks every
 * fault, stops the engine, and drops the device list's reference; the
 * memory goes when the last context is closed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "accelsim.h"
#include "accelsim_trace.h"

struct accelsim_dev *accelsim_dev_create(u32 id, u32 max_pe, u32 irq_budget)
{
	struct accelsim_dev *adev;
	unsigned int v;
	u64 gen;
	int err;

	adev = kzalloc(sizeof(*adev), GFP_KERNEL);
	if (!adev)
		return ERR_PTR(-ENOMEM);

	adev->id = id;
	kref_init(&adev->kref);
	adev->max_pe = max_pe;
	adev->irq_budget = irq_budget;
	adev->atc_entries = accelsim_atc_entries;
	adev->state = ACCELSIM_DEV_ONLINE;
	mutex_init(&adev->lock);
	spin_lock_init(&adev->rq_lock);
	INIT_LIST_HEAD(&adev->rq);
	INIT_LIST_HEAD(&adev->works);
	INIT_LIST_HEAD(&adev->zombies);
	INIT_LIST_HEAD(&adev->kctxs);
	init_waitqueue_head(&adev->terminate_wq);
	init_waitqueue_head(&adev->engine_wq);
	init_waitqueue_head(&adev->idle_wq);
	/*
	 * Generations start from the clock: a device created again under
	 * the same id starts above every count its predecessor reached (each
	 * change takes far longer than a nanosecond), so a tool that kept an
	 * old count never mistakes the new device's views for unchanged.
	 */
	gen = ktime_get_ns();
	for (v = 0; v < ACCELSIM_NR_VIEWS; v++)
		atomic64_set(&adev->gen[v], gen);
	atomic64_set(&adev->stats.gen, gen);

	err = accelsim_atc_init(&adev->atc, adev->atc_entries);
	if (err)
		goto err_free;
	err = accelsim_spa_init(&adev->spa, max_pe);
	if (err)
		goto err_atc;
	err = accelsim_irq_init(adev);
	if (err)
		goto err_spa;
	err = accelsim_fault_init(adev);
	if (err)
		goto err_irq;
	err = accelsim_engine_start(adev);
	if (err)
		goto err_fault;
	err = accelsim_bus_dev_add(adev);
	if (err)
		goto err_engine;
	err = accelsim_chardev_add(adev);
	if (err)
		goto err_bus;
	accelsim_debugfs_dev_init(adev);

	trace_device_add(adev->id, adev->max_pe);
	return adev;

err_bus:
	accelsim_bus_dev_del(adev);
err_engine:
	accelsim_engine_stop(adev);
err_fault:
	accelsim_fault_fini(adev);
err_irq:
	accelsim_irq_fini(adev);
err_spa:
	accelsim_spa_fini(&adev->spa);
err_atc:
	accelsim_atc_fini(&adev->atc);
err_free:
	mutex_destroy(&adev->lock);
	kfree(adev);
	return ERR_PTR(err);
}

static void accelsim_dev_release(struct kref *kref)
{
	struct accelsim_dev *adev = container_of(kref, struct accelsim_dev,
						 kref);

	accelsim_irq_fini(adev);
	accelsim_spa_fini(&adev->spa);
	accelsim_atc_fini(&adev->atc);
	mutex_destroy(&adev->lock);
	kfree(adev);
}

void accelsim_dev_put(struct accelsim_dev *adev)
{
	kref_put(&adev->kref, accelsim_dev_release);
}

/* The first context with a PE >= *pe, referenced, or NULL. */
static struct accelsim_ctx *accelsim_dev_next_ctx(struct accelsim_dev *adev,
						  u32 *pe)
{
	struct accelsim_ctx *ctx = NULL;

	mutex_lock(&adev->lock);
	for (; *pe < adev->max_pe; (*pe)++) {
		ctx = adev->spa.ctxs[*pe];
		if (ctx) {
			accelsim_ctx_get(ctx);
			break;
		}
	}
	mutex_unlock(&adev->lock);
	return ctx;
}

/*
 * The first half of removal, called while the device is still on the
 * device list: mmu_notifier invalidations of the bound mms must keep
 * reaching its ATC for as long as the engine may run work of its contexts,
 * or work would go on through stale translations (of memory unmapped
 * meanwhile). So every context is terminated here, before the device
 * leaves the list.
 */
void accelsim_dev_stop(struct accelsim_dev *adev)
{
	struct accelsim_ctx *ctx;
	u32 pe = 0;

	trace_device_del(adev->id, adev->max_pe);
	accelsim_chardev_del(adev);
	accelsim_debugfs_dev_exit(adev);
	accelsim_bus_dev_del(adev);

	mutex_lock(&adev->lock);
	adev->state = ACCELSIM_DEV_REMOVING;
	accelsim_gen_bump(adev, ACCELSIM_GEN_INFO);
	mutex_unlock(&adev->lock);
	wake_up_all(&adev->terminate_wq);

	/*
	 * No attach can succeed now; terminate the contexts that did. A
	 * removed device raises nothing, so zombies are freed too. Kernel
	 * contexts go first, with their list's references.
	 */
	accelsim_kctx_destroy_all(adev);
	while ((ctx = accelsim_dev_next_ctx(adev, &pe))) {
		accelsim_ctx_terminate(ctx);
		wake_up_interruptible_all(&ctx->wq);
		accelsim_ctx_put(ctx);
	}
}

/*
 * Called after accelsim_dev_stop(), once the device is off the device list
 * and no RCU reader can see it. Drops the list's reference.
 */
void accelsim_dev_remove(struct accelsim_dev *adev)
{
	accelsim_fault_fini(adev);
	accelsim_engine_stop(adev);
	WARN_ON(!list_empty(&adev->works));
	accelsim_atc_invalidate_all(adev);
	accelsim_dev_put(adev);
}

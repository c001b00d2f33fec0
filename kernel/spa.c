// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the Scheduled Process Area, a table of fixed-size process
 * elements in memory that the device reads, laid out like ocxl's. Adding and
 * removing PEs is serialised by adev->lock; write barriers order the PE's
 * fields before its valid bit, so the engine never sees a half-written PE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "accelsim.h"

int accelsim_spa_init(struct accelsim_spa *spa, u32 max_pe)
{
	int err;

	spa->pes = kvcalloc(max_pe, sizeof(*spa->pes), GFP_KERNEL);
	if (!spa->pes)
		return -ENOMEM;
	spa->ctxs = kvcalloc(max_pe, sizeof(*spa->ctxs), GFP_KERNEL);
	if (!spa->ctxs) {
		err = -ENOMEM;
		goto err_pes;
	}
	ida_init(&spa->ida);
	return 0;

err_pes:
	kvfree(spa->pes);
	return err;
}

void accelsim_spa_fini(struct accelsim_spa *spa)
{
	WARN_ON(spa->used);
	ida_destroy(&spa->ida);
	kvfree(spa->ctxs);
	kvfree(spa->pes);
}

/* Allocate a PE for @ctx and publish it. Called with adev->lock held. */
int accelsim_spa_add(struct accelsim_dev *adev, struct accelsim_ctx *ctx)
{
	struct accelsim_spa *spa = &adev->spa;
	struct accelsim_spa_pe *pe;
	int id;

	lockdep_assert_held(&adev->lock);

	id = ida_alloc_max(&spa->ida, adev->max_pe - 1, GFP_KERNEL);
	if (id < 0)
		return id == -ENOSPC ? -EBUSY : id;

	ctx->pe = id;
	pe = &spa->pes[id];
	pe->pasid = cpu_to_le32(ctx->pasid);
	pe->pid = cpu_to_le32(ctx->pid);
	pe->flags = cpu_to_le32(ctx->kernel ? ACCELSIM_PE_FLAG_KERNEL : 0);
	/* The device may only see the valid bit after the PE's contents. */
	smp_wmb();
	WRITE_ONCE(pe->state, cpu_to_le32(ACCELSIM_PE_VALID));

	spa->ctxs[id] = ctx;
	/* spa_open() sizes its buffer from used without adev->lock. */
	WRITE_ONCE(spa->used, spa->used + 1);
	accelsim_gen_bump(adev, ACCELSIM_GEN_SPA | ACCELSIM_GEN_PASIDS |
			  ACCELSIM_GEN_INFO);
	return 0;
}

/* Unpublish and free @ctx's PE. Called with adev->lock held. */
void accelsim_spa_remove(struct accelsim_dev *adev, struct accelsim_ctx *ctx)
{
	struct accelsim_spa *spa = &adev->spa;
	struct accelsim_spa_pe *pe = &spa->pes[ctx->pe];

	lockdep_assert_held(&adev->lock);

	WRITE_ONCE(pe->state, 0);
	/* Invalidate before clearing, so the device never reads a mix. */
	smp_wmb();
	pe->pasid = 0;
	pe->pid = 0;
	pe->flags = 0;

	spa->ctxs[ctx->pe] = NULL;
	WRITE_ONCE(spa->used, spa->used - 1);
	ida_free(&spa->ida, ctx->pe);
	accelsim_gen_bump(adev, ACCELSIM_GEN_SPA | ACCELSIM_GEN_PASIDS |
			  ACCELSIM_GEN_INFO);
}

/* The engine's read of a PE: false if it is not valid. */
bool accelsim_spa_read(struct accelsim_dev *adev, u32 pe, u32 *pasid)
{
	struct accelsim_spa_pe *p = &adev->spa.pes[pe];

	if (!(le32_to_cpu(READ_ONCE(p->state)) & ACCELSIM_PE_VALID))
		return false;
	/* Pairs with smp_wmb() in accelsim_spa_add(). */
	smp_rmb();
	*pasid = le32_to_cpu(READ_ONCE(p->pasid));
	return true;
}

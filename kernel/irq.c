// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: IRQ ranges. A context allocates ranges of hwirqs from the
 * device budget; each hwirq can be bound to an eventfd, which the device
 * signals when it raises the IRQ (work completion with ACCELSIM_SUBMIT_IRQ,
 * or inject/irq).
 *
 * A work item holds a use of the range its completion IRQ belongs to. A
 * freed range drops its eventfds and stops firing at once, but its hwirqs
 * go back to the budget only when the last use is gone: no hwirq is handed
 * to another context while the device may still raise it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/eventfd.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "accelsim.h"
#include "accelsim_trace.h"
#include "compat.h"

int accelsim_irq_init(struct accelsim_dev *adev)
{
	spin_lock_init(&adev->irq_lock);
	INIT_LIST_HEAD(&adev->irq_ranges);
	adev->irq_map = bitmap_zalloc(adev->irq_budget, GFP_KERNEL);
	return adev->irq_map ? 0 : -ENOMEM;
}

void accelsim_irq_fini(struct accelsim_dev *adev)
{
	WARN_ON(!list_empty(&adev->irq_ranges) || adev->irqs_used);
	bitmap_free(adev->irq_map);
}

static void accelsim_irq_range_free(struct accelsim_irq_range *r)
{
	kvfree(r->efd);
	kfree(r);
}

/* The live range of @ctx holding @hwirq, or NULL. Under irq_lock. */
static struct accelsim_irq_range *
accelsim_irq_find(struct accelsim_dev *adev, struct accelsim_ctx *ctx,
		  u32 hwirq)
{
	struct accelsim_irq_range *r;

	lockdep_assert_held(&adev->irq_lock);
	list_for_each_entry(r, &adev->irq_ranges, node) {
		if (r->freed || hwirq < r->hwirq || hwirq - r->hwirq >= r->count)
			continue;
		if (!ctx || r->ctx == ctx)
			return r;
	}
	return NULL;
}

/*
 * Give the hwirqs of a freed range without users back to the budget.
 * Under irq_lock; the caller frees the range and traces irq_free.
 */
static void accelsim_irq_release(struct accelsim_dev *adev,
				 struct accelsim_irq_range *r)
{
	lockdep_assert_held(&adev->irq_lock);
	list_del(&r->node);
	bitmap_clear(adev->irq_map, r->hwirq, r->count);
	/* info reads irqs_used without irq_lock. */
	WRITE_ONCE(adev->irqs_used, adev->irqs_used - r->count);
	accelsim_gen_bump(adev, ACCELSIM_GEN_IRQS | ACCELSIM_GEN_INFO);
}

int accelsim_irq_alloc(struct accelsim_ctx *ctx, u32 count, u32 *hwirq)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_irq_range *r, *pos;
	struct list_head *prev;
	unsigned long first;
	int err;

	lockdep_assert_held(&ctx->lock);
	if (!count || count > adev->irq_budget)
		return -EINVAL;
	if (READ_ONCE(ctx->state) != ACCELSIM_CTX_ACTIVE)
		return -EINVAL;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->efd = kvcalloc(count, sizeof(*r->efd), GFP_KERNEL);
	if (!r->efd) {
		err = -ENOMEM;
		goto err_free;
	}
	r->ctx = ctx;
	r->pe = ctx->pe;
	r->pasid = ctx->pasid;
	r->count = count;

	spin_lock(&adev->irq_lock);
	first = bitmap_find_next_zero_area(adev->irq_map, adev->irq_budget, 0,
					   count, 0);
	if (first >= adev->irq_budget) {
		spin_unlock(&adev->irq_lock);
		err = -ENOSPC;
		goto err_free;
	}
	bitmap_set(adev->irq_map, first, count);
	WRITE_ONCE(adev->irqs_used, adev->irqs_used + count);
	r->hwirq = first;
	/* Keep the list sorted by hwirq for the irqs view. */
	prev = &adev->irq_ranges;
	list_for_each_entry(pos, &adev->irq_ranges, node) {
		if (pos->hwirq > r->hwirq)
			break;
		prev = &pos->node;
	}
	list_add(&r->node, prev);
	accelsim_gen_bump(adev, ACCELSIM_GEN_IRQS | ACCELSIM_GEN_INFO);
	spin_unlock(&adev->irq_lock);

	trace_irq_alloc(adev->id, r->pe, r->pasid, r->hwirq, r->count);
	*hwirq = r->hwirq;
	return 0;

err_free:
	accelsim_irq_range_free(r);
	return err;
}

/*
 * Free @r: unbind its eventfds, stop it firing, release it if unused.
 * A range with users belongs to them once irq_lock is dropped: the last
 * one (a completing work item) releases and frees it, so @r is not
 * touched after the unlock unless it was released here.
 */
static void accelsim_irq_free_range(struct accelsim_dev *adev,
				    struct accelsim_irq_range *r)
{
	struct eventfd_ctx **efd;
	bool release;
	u32 i, count;

	spin_lock(&adev->irq_lock);
	r->freed = true;
	r->ctx = NULL;
	efd = r->efd;
	r->efd = NULL;
	count = r->count;
	release = !r->users;
	if (release)
		accelsim_irq_release(adev, r);
	else
		accelsim_gen_bump(adev, ACCELSIM_GEN_IRQS);
	spin_unlock(&adev->irq_lock);

	for (i = 0; i < count; i++)
		if (efd[i])
			eventfd_ctx_put(efd[i]);
	kvfree(efd);
	if (release) {
		trace_irq_free(adev->id, r->pe, r->pasid, r->hwirq, r->count);
		accelsim_irq_range_free(r);
	}
}

int accelsim_irq_free(struct accelsim_ctx *ctx, u32 hwirq)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_irq_range *r;

	lockdep_assert_held(&ctx->lock);
	/*
	 * The device never confirmed that the zombie's PE stopped, so it may
	 * still raise these hwirqs: they stay allocated until it does.
	 */
	if (ctx->state == ACCELSIM_CTX_ZOMBIE)
		return -EBUSY;
	spin_lock(&adev->irq_lock);
	r = accelsim_irq_find(adev, ctx, hwirq);
	if (!r || r->hwirq != hwirq) {
		spin_unlock(&adev->irq_lock);
		return -EINVAL;
	}
	spin_unlock(&adev->irq_lock);
	/* Only callers under ctx->lock free ranges of ctx: r stays. */
	accelsim_irq_free_range(adev, r);
	return 0;
}

/* Free every range of @ctx; the engine no longer runs it. */
void accelsim_irq_free_ctx(struct accelsim_ctx *ctx)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_irq_range *r;

	for (;;) {
		spin_lock(&adev->irq_lock);
		list_for_each_entry(r, &adev->irq_ranges, node)
			if (!r->freed && r->ctx == ctx)
				break;
		if (list_entry_is_head(r, &adev->irq_ranges, node)) {
			spin_unlock(&adev->irq_lock);
			return;
		}
		spin_unlock(&adev->irq_lock);
		/* Only callers under ctx->lock free ranges of ctx. */
		accelsim_irq_free_range(adev, r);
	}
}

int accelsim_irq_set_fd(struct accelsim_ctx *ctx, u32 hwirq, int fd)
{
	struct accelsim_dev *adev = ctx->adev;
	struct eventfd_ctx *efd = NULL, *old;
	struct accelsim_irq_range *r;

	lockdep_assert_held(&ctx->lock);
	if (fd < -1)
		return -EINVAL;
	if (fd >= 0) {
		efd = eventfd_ctx_fdget(fd);
		if (IS_ERR(efd))
			return PTR_ERR(efd);
	}

	spin_lock(&adev->irq_lock);
	r = accelsim_irq_find(adev, ctx, hwirq);
	if (!r) {
		spin_unlock(&adev->irq_lock);
		old = efd;
		efd = ERR_PTR(-EINVAL);
		goto out_put;
	}
	old = r->efd[hwirq - r->hwirq];
	r->efd[hwirq - r->hwirq] = efd;
	accelsim_gen_bump(adev, ACCELSIM_GEN_IRQS);
	spin_unlock(&adev->irq_lock);

out_put:
	if (old)
		eventfd_ctx_put(old);
	return IS_ERR(efd) ? PTR_ERR(efd) : 0;
}

/*
 * SUBMIT with ACCELSIM_SUBMIT_IRQ: take a use of the range of @ctx holding
 * @hwirq for the work's completion. Under adev->lock, context active.
 */
struct accelsim_irq_range *accelsim_irq_get(struct accelsim_ctx *ctx,
					    u32 hwirq)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_irq_range *r;

	spin_lock(&adev->irq_lock);
	r = accelsim_irq_find(adev, ctx, hwirq);
	if (r)
		r->users++;
	spin_unlock(&adev->irq_lock);
	return r;
}

/* Drop a use of @r; the last use of a freed range releases it. */
void accelsim_irq_put(struct accelsim_dev *adev, struct accelsim_irq_range *r)
{
	bool release;

	spin_lock(&adev->irq_lock);
	release = !--r->users && r->freed;
	if (release)
		accelsim_irq_release(adev, r);
	spin_unlock(&adev->irq_lock);
	if (release) {
		trace_irq_free(adev->id, r->pe, r->pasid, r->hwirq, r->count);
		accelsim_irq_range_free(r);
	}
}

/* The device raises @hwirq of @r. Under irq_lock; a freed range is mute. */
static void accelsim_irq_raise(struct accelsim_dev *adev,
			       struct accelsim_irq_range *r, u32 hwirq)
{
	struct eventfd_ctx *efd;

	lockdep_assert_held(&adev->irq_lock);
	if (r->freed)
		return;
	efd = r->efd[hwirq - r->hwirq];
	if (efd)
		accelsim_eventfd_signal(efd);
	r->fired++;
	atomic64_inc(&r->ctx->irqs);
	accelsim_gen_bump(adev, ACCELSIM_GEN_IRQS | ACCELSIM_GEN_SPA);
	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_IRQS_FIRED);
	trace_irq_fire(adev->id, r->pe, r->pasid, hwirq);
}

/* Work completion: raise the IRQ it asked for. */
void accelsim_irq_fire(struct accelsim_dev *adev, struct accelsim_irq_range *r,
		       u32 hwirq)
{
	spin_lock(&adev->irq_lock);
	accelsim_irq_raise(adev, r, hwirq);
	spin_unlock(&adev->irq_lock);
}

/* inject/irq: raise an allocated @hwirq; -ENOENT if none holds it. */
int accelsim_irq_inject(struct accelsim_dev *adev, u32 hwirq)
{
	struct accelsim_irq_range *r;
	int err = 0;

	spin_lock(&adev->irq_lock);
	r = accelsim_irq_find(adev, NULL, hwirq);
	if (r)
		accelsim_irq_raise(adev, r, hwirq);
	else
		err = -ENOENT;
	spin_unlock(&adev->irq_lock);
	return err;
}

void accelsim_irqs_show(struct seq_file *m, struct accelsim_dev *adev)
{
	struct accelsim_irq_range *r;
	u32 i, bound;

	mutex_lock(&adev->lock);
	spin_lock(&adev->irq_lock);
	seq_puts(m, "pe pasid hwirq count eventfds fired\n");
	list_for_each_entry(r, &adev->irq_ranges, node) {
		bound = 0;
		for (i = 0; r->efd && i < r->count; i++)
			bound += !!r->efd[i];
		seq_printf(m, "%u %u %u %u %u %llu\n", r->pe, r->pasid,
			   r->hwirq, r->count, bound, r->fired);
	}
	spin_unlock(&adev->irq_lock);
	mutex_unlock(&adev->lock);
}

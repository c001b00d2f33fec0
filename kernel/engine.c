// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the device engine, one kthread per device. It runs work
 * descriptors in the context's address space page by page, touching user
 * memory only through ATC entries and under the ATC lock. A missing
 * translation parks the work on a translation fault; the fault's ack
 * requeues it (RESTART) or fails it (ADDRESS_ERROR). The engine never waits
 * for a fault, so other contexts keep running. Nor does it wait for one
 * address space: work whose mm is busy (being invalidated, or its
 * mmap_lock write-held) is set aside on adev->parked and tried again after
 * ACCELSIM_PARK_JIFFIES, while the engine runs the others.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "accelsim.h"
#include "accelsim_trace.h"

/* Pages of one descriptor run before the engine looks at other work. */
#define ACCELSIM_SLICE_PAGES	64
/* How long work whose address space was busy is set aside. */
#define ACCELSIM_PARK_JIFFIES	msecs_to_jiffies(2)

static atomic64_t accelsim_work_ids = ATOMIC64_INIT(0);

static bool accelsim_range_ok(u64 addr, u64 len)
{
	return addr + len >= addr;	/* [addr, addr + len) does not wrap */
}

/*
 * Check a descriptor before it is queued: -EINVAL if malformed. The hwirq
 * is checked against the context's ranges at queueing.
 */
int accelsim_work_check(const struct accelsim_ioctl_submit *arg)
{
	bool has_src;

	if (memchr_inv(arg->reserved, 0, sizeof(arg->reserved)))
		return -EINVAL;
	if (arg->op < ACCELSIM_OP_COPY || arg->op > ACCELSIM_OP_TOUCH)
		return -EINVAL;
	if (arg->flags & ~ACCELSIM_SUBMIT_FLAGS ||
	    (!(arg->flags & ACCELSIM_SUBMIT_IRQ) && arg->hwirq))
		return -EINVAL;
	if ((arg->flags & ACCELSIM_SUBMIT_WRITE) &&
	    arg->op != ACCELSIM_OP_TOUCH)
		return -EINVAL;
	if (!arg->len || arg->len > ACCELSIM_MAX_LEN)
		return -EINVAL;
	if (arg->pattern & ~0xffU ||
	    (arg->pattern && arg->op != ACCELSIM_OP_FILL))
		return -EINVAL;
	has_src = arg->op == ACCELSIM_OP_COPY ||
		  arg->op == ACCELSIM_OP_COMPARE;
	if (!accelsim_range_ok(arg->dst, arg->len) ||
	    (has_src && !accelsim_range_ok(arg->src, arg->len)) ||
	    (!has_src && arg->src))
		return -EINVAL;
	return 0;
}

int accelsim_work_submit(struct accelsim_ctx *ctx,
			 struct accelsim_ioctl_submit *arg)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_work *work;
	int err;

	work = kzalloc(sizeof(*work), GFP_KERNEL);
	if (!work)
		return -ENOMEM;
	accelsim_fault_init_work(&work->fault);
	work->ev = accelsim_event_alloc(ACCELSIM_EVENT_WORK_DONE, GFP_KERNEL);
	work->fault_ev = accelsim_event_alloc(ACCELSIM_EVENT_FAULT_ERROR,
					      GFP_KERNEL);
	if (!work->ev || !work->fault_ev) {
		err = -ENOMEM;
		goto err_free;
	}
	if (!accelsim_ctx_reserve(ctx)) {
		err = -EAGAIN;
		goto err_free;
	}

	mutex_lock(&adev->lock);
	if (adev->state != ACCELSIM_DEV_ONLINE) {
		err = -ENODEV;
		goto err_unlock;
	}
	if (ctx->state != ACCELSIM_CTX_ACTIVE) {
		err = -EINVAL;
		goto err_unlock;
	}
	/* The bound process exited: its PE is stopped, no new work. */
	if (READ_ONCE(ctx->mm_gone)) {
		err = -ESRCH;
		goto err_unlock;
	}
	/*
	 * Only the bound address space may queue work into itself; a kernel
	 * context's work comes from the kernel (kctx.c).
	 */
	if (!ctx->kernel && ctx->amm->mm != current->mm) {
		err = -EPERM;
		goto err_unlock;
	}
	if (arg->flags & ACCELSIM_SUBMIT_IRQ) {
		work->irq = accelsim_irq_get(ctx, arg->hwirq);
		if (!work->irq) {
			err = -EINVAL;
			goto err_unlock;
		}
		work->hwirq = arg->hwirq;
	}
	work->id = atomic64_inc_return(&accelsim_work_ids);
	work->op = arg->op;
	work->flags = arg->flags;
	work->src = arg->src;
	work->dst = arg->dst;
	work->len = arg->len;
	work->tag = arg->tag;
	work->pattern = arg->pattern & 0xff;
	accelsim_ctx_get(ctx);
	work->ctx = ctx;
	work->amm = ctx->amm;
	accelsim_mm_outstanding_get(work->amm);
	list_add_tail(&work->node, &adev->works);
	accelsim_gen_bump(adev, ACCELSIM_GEN_PASIDS);
	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_WORK_SUBMITTED);
	trace_work_submit(work->id, adev->id, ctx->pe, ctx->pasid, work->op,
			  work->len, work->tag);
	arg->id = work->id;

	spin_lock(&adev->rq_lock);
	work->state = ACCELSIM_WORK_QUEUED;
	list_add_tail(&work->rq_node, &adev->rq);
	spin_unlock(&adev->rq_lock);
	mutex_unlock(&adev->lock);

	wake_up(&adev->engine_wq);
	return 0;

err_unlock:
	mutex_unlock(&adev->lock);
	accelsim_ctx_unreserve(ctx);
err_free:
	kfree(work->fault_ev);
	kfree(work->ev);
	kfree(work);
	return err;
}

/* A fault was acked RESTART: run the work again from where it stopped. */
void accelsim_work_requeue(struct accelsim_work *work)
{
	struct accelsim_dev *adev = work->ctx->adev;

	spin_lock(&adev->rq_lock);
	work->state = ACCELSIM_WORK_QUEUED;
	list_add_tail(&work->rq_node, &adev->rq);
	spin_unlock(&adev->rq_lock);
	wake_up(&adev->engine_wq);
}

/* Post the completion event and free the work. */
void accelsim_work_complete(struct accelsim_work *work, u32 status, u64 addr)
{
	struct accelsim_ctx *ctx = work->ctx;
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_event_work_done *done = &work->ev->body.work_done;
	bool ok = status == ACCELSIM_STATUS_OK ||
		  status == ACCELSIM_STATUS_MISMATCH;

	mutex_lock(&adev->lock);
	list_del(&work->node);
	accelsim_gen_bump(adev, ACCELSIM_GEN_PASIDS);
	mutex_unlock(&adev->lock);

	accelsim_stats_inc(&adev->stats, ok ? ACCELSIM_CNT_WORK_DONE :
				       ACCELSIM_CNT_WORK_FAILED);
	accelsim_stats_add(&adev->stats, ACCELSIM_CNT_BYTES, work->done);
	atomic64_inc(&ctx->work);
	atomic64_add(work->done, &ctx->bytes);
	accelsim_gen_bump(adev, ACCELSIM_GEN_SPA);
	trace_work_done(work->id, adev->id, ctx->pe, work->amm->pasid, status,
			work->done);

	done->id = work->id;
	done->tag = work->tag;
	done->bytes = work->done;
	done->addr = addr;
	done->status = status;
	accelsim_ctx_post(ctx, work->ev, true);
	/* Like the device: completion record first, then the interrupt. */
	if (work->irq) {
		accelsim_irq_fire(adev, work->irq, work->hwirq);
		accelsim_irq_put(adev, work->irq);
	}

	accelsim_mm_outstanding_put(work->amm);
	accelsim_ctx_put(ctx);
	kfree(work->fault_ev);
	kfree(work);
}

/*
 * Translate @src (read) and @dst (read or write) and run @fn on them under
 * the ATC lock. Returns 0, -EFAULT with the faulting address, access and
 * the pages of the fault (the page request group), or -EAGAIN if the
 * address space is busy (nothing was done).
 */
static int accelsim_engine_access(struct accelsim_dev *adev,
				  struct accelsim_work *work, u64 src,
				  u64 dst, bool dst_write, u64 *fault_addr,
				  u32 *fault_access, u32 *fault_pages,
				  u32 chunk, u64 *diff)
{
	struct accelsim_mm *amm = work->amm;
	u32 pe = work->ctx->pe;
	struct accelsim_atc_entry *s = NULL, *d;
	bool need_src = work->op == ACCELSIM_OP_COPY ||
			work->op == ACCELSIM_OP_COMPARE;
	u8 *sp, *dp;
	int err;
	u32 i;

	for (;;) {
		err = need_src ? accelsim_atc_translate(adev, amm, pe, src,
							  work->src + work->len,
							  false, fault_pages) :
				 0;
		if (err) {
			*fault_addr = src;
			*fault_access = ACCELSIM_ACCESS_READ;
			return err;
		}
		err = accelsim_atc_translate(adev, amm, pe, dst,
					     work->dst + work->len, dst_write,
					     fault_pages);
		if (err) {
			*fault_addr = dst;
			*fault_access = dst_write ? ACCELSIM_ACCESS_WRITE :
						    ACCELSIM_ACCESS_READ;
			return err;
		}

		spin_lock(&adev->atc.lock);
		if (need_src)
			s = accelsim_atc_lookup(&adev->atc, amm->pasid, src,
						false);
		d = accelsim_atc_lookup(&adev->atc, amm->pasid, dst,
					dst_write);
		if (d && (s || !need_src))
			break;
		/* Invalidated since translated: translate again. */
		spin_unlock(&adev->atc.lock);
		cond_resched();
	}

	dp = kmap_local_page(d->page) + offset_in_page(dst);
	sp = s ? kmap_local_page(s->page) + offset_in_page(src) : NULL;
	switch (work->op) {
	case ACCELSIM_OP_COPY:
		memcpy(dp, sp, chunk);
		flush_dcache_page(d->page);
		break;
	case ACCELSIM_OP_FILL:
		memset(dp, work->pattern, chunk);
		flush_dcache_page(d->page);
		break;
	case ACCELSIM_OP_COMPARE:
		for (i = 0; i < chunk && sp[i] == dp[i]; i++)
			;
		*diff = i;
		break;
	default:
		/* TOUCH: the translation was the access. */
		break;
	}
	if (sp)
		kunmap_local(sp);
	kunmap_local(dp);
	spin_unlock(&adev->atc.lock);
	return 0;
}

/*
 * Its address space is busy: set @work aside, to be tried again once
 * ACCELSIM_PARK_JIFFIES have passed (accelsim_engine_next()).
 */
static void accelsim_engine_park(struct accelsim_dev *adev,
				 struct accelsim_work *work)
{
	spin_lock(&adev->rq_lock);
	if (list_empty(&adev->parked))
		adev->parked_until = jiffies + ACCELSIM_PARK_JIFFIES;
	work->state = ACCELSIM_WORK_BUSY;
	list_add_tail(&work->rq_node, &adev->parked);
	spin_unlock(&adev->rq_lock);
}

/*
 * Run one slice of @work. It is completed, requeued, set aside (its address
 * space is busy) or parked on a fault.
 */
static void accelsim_engine_run(struct accelsim_dev *adev,
				struct accelsim_work *work)
{
	struct accelsim_ctx *ctx = work->ctx;
	bool dst_write = work->op == ACCELSIM_OP_COPY ||
			 work->op == ACCELSIM_OP_FILL ||
			 (work->op == ACCELSIM_OP_TOUCH &&
			  (work->flags & ACCELSIM_SUBMIT_WRITE));
	u64 src, dst, fault_addr, diff;
	unsigned int pages = 0;
	u32 pasid, access, chunk, fault_pages;
	int err;

	/* The device reads the PE: it must still be published for this PASID. */
	if (READ_ONCE(ctx->state) != ACCELSIM_CTX_ACTIVE ||
	    !accelsim_spa_read(adev, ctx->pe, &pasid) ||
	    pasid != work->amm->pasid) {
		accelsim_work_complete(work, ACCELSIM_STATUS_ABORTED, 0);
		return;
	}

	while (work->done < work->len) {
		if (pages++ == ACCELSIM_SLICE_PAGES) {
			accelsim_work_requeue(work);
			return;
		}
		if (READ_ONCE(ctx->state) != ACCELSIM_CTX_ACTIVE) {
			accelsim_work_complete(work, ACCELSIM_STATUS_ABORTED,
					       0);
			return;
		}
		src = work->src + work->done;
		dst = work->dst + work->done;
		chunk = min_t(u64, work->len - work->done,
			      PAGE_SIZE - offset_in_page(dst));
		if (work->op == ACCELSIM_OP_COPY ||
		    work->op == ACCELSIM_OP_COMPARE)
			chunk = min_t(u32, chunk,
				      PAGE_SIZE - offset_in_page(src));

		diff = chunk;
		err = accelsim_engine_access(adev, work, src, dst, dst_write,
					     &fault_addr, &access,
					     &fault_pages, chunk, &diff);
		if (err == -EAGAIN) {
			accelsim_engine_park(adev, work);
			return;
		}
		if (err) {
			work->state = ACCELSIM_WORK_FAULTED;
			accelsim_fault_raise(work, fault_addr, access,
					     fault_pages);
			return;
		}
		work->fault_repeats = 0;
		work->done += diff;
		if (diff < chunk) {
			accelsim_work_complete(work, ACCELSIM_STATUS_MISMATCH,
					       src + diff);
			return;
		}
	}
	accelsim_work_complete(work, ACCELSIM_STATUS_OK, 0);
}

static struct accelsim_work *accelsim_engine_next(struct accelsim_dev *adev)
{
	struct accelsim_work *work;

	spin_lock(&adev->rq_lock);
	/* Work set aside goes back behind the runnable work, once due. */
	if (!list_empty(&adev->parked) &&
	    time_after_eq(jiffies, adev->parked_until))
		list_splice_tail_init(&adev->parked, &adev->rq);
	work = list_first_entry_or_null(&adev->rq, struct accelsim_work,
					rq_node);
	if (work) {
		list_del_init(&work->rq_node);
		work->state = ACCELSIM_WORK_RUNNING;
		adev->engine_ctx = work->ctx;
	}
	spin_unlock(&adev->rq_lock);
	return work;
}

static bool accelsim_engine_parked(struct accelsim_dev *adev)
{
	bool parked;

	spin_lock(&adev->rq_lock);
	parked = !list_empty(&adev->parked);
	spin_unlock(&adev->rq_lock);
	return parked;
}

static int accelsim_engine_fn(void *data)
{
	struct accelsim_dev *adev = data;
	struct accelsim_work *work;

	for (;;) {
		/* Work set aside is due again after ACCELSIM_PARK_JIFFIES. */
		wait_event_idle_timeout(adev->engine_wq,
					!list_empty_careful(&adev->rq) ||
					kthread_should_stop(),
					accelsim_engine_parked(adev) ?
					ACCELSIM_PARK_JIFFIES :
					MAX_SCHEDULE_TIMEOUT);
		work = accelsim_engine_next(adev);
		if (!work) {
			/*
			 * Stopped only once no work can be queued, and none
			 * is set aside: every context was terminated.
			 */
			if (kthread_should_stop() &&
			    !accelsim_engine_parked(adev))
				break;
			continue;
		}
		accelsim_engine_run(adev, work);

		spin_lock(&adev->rq_lock);
		adev->engine_ctx = NULL;
		spin_unlock(&adev->rq_lock);
		wake_up_all(&adev->idle_wq);
		cond_resched();
	}
	return 0;
}

static bool accelsim_engine_left(struct accelsim_dev *adev,
				 struct accelsim_ctx *ctx)
{
	bool left;

	spin_lock(&adev->rq_lock);
	left = adev->engine_ctx != ctx;
	spin_unlock(&adev->rq_lock);
	return left;
}

/*
 * @ctx is terminating: abort its queued work and the work set aside, and
 * wait until the engine no longer runs it (a slice: the engine does not
 * wait for an address space). Work requeued later is aborted when the
 * engine picks it.
 */
void accelsim_engine_quiesce_ctx(struct accelsim_ctx *ctx)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_work *work, *tmp;
	LIST_HEAD(aborted);

	spin_lock(&adev->rq_lock);
	list_for_each_entry_safe(work, tmp, &adev->rq, rq_node)
		if (work->ctx == ctx)
			list_move_tail(&work->rq_node, &aborted);
	list_for_each_entry_safe(work, tmp, &adev->parked, rq_node)
		if (work->ctx == ctx)
			list_move_tail(&work->rq_node, &aborted);
	spin_unlock(&adev->rq_lock);

	wait_event(adev->idle_wq, accelsim_engine_left(adev, ctx));

	list_for_each_entry_safe(work, tmp, &aborted, rq_node) {
		list_del_init(&work->rq_node);
		accelsim_work_complete(work, ACCELSIM_STATUS_ABORTED, 0);
	}
}

int accelsim_engine_start(struct accelsim_dev *adev)
{
	struct task_struct *t;

	INIT_LIST_HEAD(&adev->parked);
	t = kthread_run(accelsim_engine_fn, adev, "accelsim/afu%u", adev->id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	adev->engine = t;
	return 0;
}

void accelsim_engine_stop(struct accelsim_dev *adev)
{
	kthread_stop(adev->engine);
	adev->engine = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: contexts. open() creates one; ATTACH binds it to the caller's
 * mm (the mm's shared PASID, or a private one, and a PE); TERMINATE or the
 * last close stops its PE and detaches it. Events queue on the context until
 * read().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "accelsim.h"
#include "accelsim_trace.h"

struct accelsim_ctx *accelsim_ctx_create(struct accelsim_dev *adev)
{
	struct accelsim_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);

	kref_init(&ctx->kref);
	kref_get(&adev->kref);
	ctx->adev = adev;
	mutex_init(&ctx->lock);
	mutex_init(&ctx->read_lock);
	ctx->state = ACCELSIM_CTX_OPEN;
	spin_lock_init(&ctx->ev_lock);
	INIT_LIST_HEAD(&ctx->events);
	init_waitqueue_head(&ctx->wq);
	return ctx;
}

static void accelsim_ctx_release(struct kref *kref)
{
	struct accelsim_ctx *ctx = container_of(kref, struct accelsim_ctx,
						kref);
	struct accelsim_event *ev, *tmp;

	WARN_ON(ctx->state == ACCELSIM_CTX_ACTIVE ||
		ctx->state == ACCELSIM_CTX_TERMINATING ||
		ctx->state == ACCELSIM_CTX_ZOMBIE);
	list_for_each_entry_safe(ev, tmp, &ctx->events, node) {
		list_del(&ev->node);
		kfree(ev);
	}
	mutex_destroy(&ctx->read_lock);
	mutex_destroy(&ctx->lock);
	accelsim_dev_put(ctx->adev);
	kfree(ctx->kctx);
	kfree(ctx);
}

void accelsim_ctx_get(struct accelsim_ctx *ctx)
{
	kref_get(&ctx->kref);
}

void accelsim_ctx_put(struct accelsim_ctx *ctx)
{
	kref_put(&ctx->kref, accelsim_ctx_release);
}

/*
 * Length of the valid UTF-8 sequence at @s (RFC 3629: no overlong form,
 * no surrogate, nothing above U+10FFFF), 0 if none starts there. @s is
 * NUL-terminated: a NUL fails the checks before the next byte is read.
 */
static unsigned int accelsim_utf8_seq(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * The comm as the views print it: one word of valid UTF-8. A UTF-8
 * character stays whole ("żółw"); an ASCII space or control byte, and a
 * byte that starts no valid sequence (a Latin-1 name, a character cut at
 * TASK_COMM_LEN), becomes '?'.
 */
static void accelsim_comm_sanitize(char *comm)
{
	unsigned char *c = (unsigned char *)comm;
	unsigned int n;

	while (*c) {
		n = accelsim_utf8_seq(c);
		if (n > 1) {
			c += n;
			continue;
		}
		if (!n || !isgraph(*c))
			*c = '?';
		c++;
	}
}

int accelsim_ctx_attach(struct accelsim_ctx *ctx,
			struct accelsim_ioctl_attach *arg)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_mm *amm;
	int err;

	mutex_lock(&ctx->lock);
	if (ctx->state != ACCELSIM_CTX_OPEN) {
		err = -EBUSY;
		goto err_unlock;
	}
	if (!current->mm) {
		err = -EINVAL;
		goto err_unlock;
	}

	mutex_lock(&adev->lock);
	err = adev->state == ACCELSIM_DEV_ONLINE ? 0 : -ENODEV;
	if (!err && adev->fail_attach_n) {
		adev->fail_attach_n--;
		err = -(int)adev->fail_attach_errno;
	}
	mutex_unlock(&adev->lock);
	if (err)
		goto err_unlock;

	if (arg->flags & ACCELSIM_ATTACH_PRIVATE_PASID)
		amm = accelsim_mm_bind_private(current->mm);
	else
		amm = accelsim_mm_bind(current->mm);
	if (IS_ERR(amm)) {
		err = PTR_ERR(amm);
		goto err_unlock;
	}
	ctx->pid = task_tgid_nr(current);
	get_task_comm(ctx->comm, current);
	accelsim_comm_sanitize(ctx->comm);

	err = accelsim_ctx_publish(ctx, amm);
	if (err)
		goto err_unbind;
	arg->pasid = ctx->pasid;
	arg->pe = ctx->pe;
	mutex_unlock(&ctx->lock);
	return 0;

err_unbind:
	accelsim_mm_unbind(amm);
err_unlock:
	mutex_unlock(&ctx->lock);
	return err;
}

/*
 * Give @ctx a PE for the binding @amm (whose reference it takes over on
 * success) and publish it in the SPA. ctx->pid and ctx->comm are set.
 * Called with ctx->lock held, for ATTACH and for kernel contexts.
 */
int accelsim_ctx_publish(struct accelsim_ctx *ctx, struct accelsim_mm *amm)
{
	struct accelsim_dev *adev = ctx->adev;
	int err;

	lockdep_assert_held(&ctx->lock);

	ctx->amm = amm;
	ctx->pasid = amm->pasid;
	mutex_lock(&adev->lock);
	err = adev->state == ACCELSIM_DEV_ONLINE ? 0 : -ENODEV;
	if (!err)
		err = accelsim_spa_add(adev, ctx);
	if (err) {
		mutex_unlock(&adev->lock);
		ctx->amm = NULL;
		return err;
	}
	/*
	 * On the binding's list before any work can run: from here on the
	 * binding's TLBIs reach this device.
	 */
	spin_lock(&amm->ctx_lock);
	list_add_tail(&ctx->amm_node, &amm->ctxs);
	ctx->mm_gone = amm->released;
	spin_unlock(&amm->ctx_lock);
	ctx->state = ACCELSIM_CTX_ACTIVE;
	accelsim_gen_bump(adev, ACCELSIM_GEN_SPA);
	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_ATTACHES);
	mutex_unlock(&adev->lock);

	trace_context_attach(adev->id, ctx->pe, ctx->pasid, ctx->pid,
			     ctx->kernel);
	return 0;
}

/* How long TERMINATE waits for a hung device to confirm. */
#define ACCELSIM_TERMINATE_WAIT_MS	100

static bool accelsim_terminate_confirmed(struct accelsim_dev *adev)
{
	return !READ_ONCE(adev->hang_terminate) ||
	       READ_ONCE(adev->state) != ACCELSIM_DEV_ONLINE;
}

/*
 * Stop the PE: no new work, queued work aborted, wait for the engine to
 * leave the context and for the device to confirm, then unpublish the PE
 * and drop the PASID. Faults and work still parked on faults keep the
 * PASID until they are acked.
 *
 * If the device does not confirm (inject/hang_terminate) within a bounded
 * wait, the PE, its PASID and its IRQ ranges stay allocated and the context
 * becomes a zombie, referenced from adev->zombies, and -EBUSY is returned.
 * A later terminate, once the device confirms (the knob cleared, or the
 * device removed), finishes the job.
 */
int accelsim_ctx_terminate(struct accelsim_ctx *ctx)
{
	struct accelsim_dev *adev = ctx->adev;
	bool zombie_ref = false;
	struct accelsim_mm *amm;
	int ret = 0;

	mutex_lock(&ctx->lock);
	if (ctx->state == ACCELSIM_CTX_ACTIVE) {
		mutex_lock(&adev->lock);
		ctx->state = ACCELSIM_CTX_TERMINATING;
		accelsim_gen_bump(adev, ACCELSIM_GEN_SPA);
		mutex_unlock(&adev->lock);

		accelsim_engine_quiesce_ctx(ctx);
	} else if (ctx->state != ACCELSIM_CTX_ZOMBIE) {
		goto out_unlock;
	}

	wait_event_timeout(adev->terminate_wq,
			   accelsim_terminate_confirmed(adev),
			   msecs_to_jiffies(ACCELSIM_TERMINATE_WAIT_MS));

	mutex_lock(&adev->lock);
	if (adev->hang_terminate && adev->state == ACCELSIM_DEV_ONLINE) {
		if (ctx->state != ACCELSIM_CTX_ZOMBIE) {
			ctx->state = ACCELSIM_CTX_ZOMBIE;
			accelsim_ctx_get(ctx);
			list_add_tail(&ctx->zombie_node, &adev->zombies);
			adev->nr_zombies++;
			accelsim_gen_bump(adev, ACCELSIM_GEN_SPA |
					  ACCELSIM_GEN_INFO);
		}
		mutex_unlock(&adev->lock);
		ret = -EBUSY;
		goto out_unlock;
	}
	if (ctx->state == ACCELSIM_CTX_ZOMBIE) {
		list_del(&ctx->zombie_node);
		adev->nr_zombies--;
		zombie_ref = true;
		accelsim_gen_bump(adev, ACCELSIM_GEN_INFO);
	}
	accelsim_spa_remove(adev, ctx);
	ctx->state = ACCELSIM_CTX_DETACHED;
	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_DETACHES);
	amm = ctx->amm;
	ctx->amm = NULL;
	mutex_unlock(&adev->lock);

	/*
	 * The device drops the PASID's translations: a TLBI, traced and
	 * counted as the notifier's are, over the whole user address space.
	 * Until the context leaves the binding's list below, the binding's
	 * TLBIs still reach the device too.
	 */
	if (ctx->kernel) {
		accelsim_kctx_tlbi(ctx);
	} else {
		accelsim_tlbi_device(adev, ctx->pasid, 0, amm->mm->task_size);
		atomic64_inc(&ctx->tlbis);
		accelsim_gen_bump(adev, ACCELSIM_GEN_SPA);
	}
	/* Work parked on faults keeps its range's hwirqs until it ends. */
	accelsim_irq_free_ctx(ctx);
	trace_context_detach(adev->id, ctx->pe, ctx->pasid, ctx->pid,
			     ctx->kernel);
	spin_lock(&amm->ctx_lock);
	list_del(&ctx->amm_node);
	spin_unlock(&amm->ctx_lock);
	accelsim_mm_unbind(amm);
	wake_up_interruptible_all(&ctx->wq);
out_unlock:
	mutex_unlock(&ctx->lock);
	/* The caller holds a reference too, so this is never the last. */
	if (zombie_ref)
		accelsim_ctx_put(ctx);
	return ret;
}

/* The device confirms terminates again: free the zombies. */
void accelsim_zombies_release(struct accelsim_dev *adev)
{
	struct accelsim_ctx *ctx;

	wake_up_all(&adev->terminate_wq);
	for (;;) {
		mutex_lock(&adev->lock);
		ctx = list_first_entry_or_null(&adev->zombies,
					       struct accelsim_ctx,
					       zombie_node);
		if (ctx)
			accelsim_ctx_get(ctx);
		mutex_unlock(&adev->lock);
		if (!ctx)
			return;
		if (accelsim_ctx_terminate(ctx)) {
			/* Hung again meanwhile: the rest stay zombies. */
			accelsim_ctx_put(ctx);
			return;
		}
		accelsim_ctx_put(ctx);
	}
}

/* Account one more work item in flight; false if the queue is full. */
bool accelsim_ctx_reserve(struct accelsim_ctx *ctx)
{
	bool ok;

	spin_lock(&ctx->ev_lock);
	ok = ctx->inflight + ctx->nr_events < ACCELSIM_MAX_QUEUED;
	if (ok)
		ctx->inflight++;
	spin_unlock(&ctx->ev_lock);
	/* A kernel context's kctx row shows what it has in flight. */
	if (ok && ctx->kernel)
		accelsim_gen_bump(ctx->adev, ACCELSIM_GEN_KCTX);
	return ok;
}

void accelsim_ctx_unreserve(struct accelsim_ctx *ctx)
{
	spin_lock(&ctx->ev_lock);
	ctx->inflight--;
	spin_unlock(&ctx->ev_lock);
	if (ctx->kernel)
		accelsim_gen_bump(ctx->adev, ACCELSIM_GEN_KCTX);
	wake_up_interruptible_all(&ctx->wq);
}

struct accelsim_event *accelsim_event_alloc(u16 type, gfp_t gfp)
{
	struct accelsim_event *ev;

	ev = kzalloc(sizeof(*ev), gfp);
	if (!ev)
		return NULL;
	ev->hdr.type = type;
	ev->hdr.version = 1;
	switch (type) {
	case ACCELSIM_EVENT_WORK_DONE:
		ev->hdr.size = sizeof(ev->body.work_done);
		break;
	case ACCELSIM_EVENT_FAULT_ERROR:
		ev->hdr.size = sizeof(ev->body.fault_error);
		break;
	default:
		ev->hdr.size = sizeof(ev->body.afu_error);
		break;
	}
	return ev;
}

/*
 * Queue @ev for read(), which takes it over; @work_done ends one work item
 * in flight. The queue holds at most ACCELSIM_MAX_QUEUED work items in
 * flight and unread events together. A completion always fits, in the
 * place SUBMIT reserved for it; any other event (a fault error, an AFU
 * error) is queued only if there is room left, else it is freed and
 * counted in the device's events_dropped. What it reported is not lost
 * with it: the fault was acked all the same, and the WORK_DONE of a work
 * item that faulted carries the address.
 */
void accelsim_ctx_post(struct accelsim_ctx *ctx, struct accelsim_event *ev,
		       bool work_done)
{
	bool queued = true;

	/* A kernel context has no reader: it takes its events itself. */
	if (ctx->kernel) {
		accelsim_kctx_post(ctx, ev, work_done);
		return;
	}
	spin_lock(&ctx->ev_lock);
	if (work_done)
		ctx->inflight--;
	else if (ctx->inflight + ctx->nr_events >= ACCELSIM_MAX_QUEUED)
		queued = false;
	if (queued) {
		list_add_tail(&ev->node, &ctx->events);
		ctx->nr_events++;
	}
	spin_unlock(&ctx->ev_lock);
	if (!queued) {
		accelsim_stats_inc(&ctx->adev->stats,
				   ACCELSIM_CNT_EVENTS_DROPPED);
		kfree(ev);
		return;
	}
	wake_up_interruptible_all(&ctx->wq);
}

/* The device is gone: every file operation fails with -ENODEV. */
bool accelsim_ctx_dead(struct accelsim_ctx *ctx)
{
	return READ_ONCE(ctx->adev->state) != ACCELSIM_DEV_ONLINE;
}

/* Detached with nothing more to come: read() returns end of file. */
static bool accelsim_ctx_eof(struct accelsim_ctx *ctx)
{
	return READ_ONCE(ctx->state) == ACCELSIM_CTX_DETACHED &&
	       !READ_ONCE(ctx->inflight);
}

static bool accelsim_ctx_readable(struct accelsim_ctx *ctx)
{
	return READ_ONCE(ctx->nr_events) || accelsim_ctx_dead(ctx) ||
	       accelsim_ctx_eof(ctx) || READ_ONCE(ctx->mm_gone);
}

/*
 * The bound mm exited (mmu_notifier release): the PE is stopped. SUBMIT
 * fails -ESRCH; the context's queued and running work faults on its next
 * access (the release drops the ATC entries); its faults, pending or
 * raised later, are acked ADDRESS_ERROR at once by the fault path (no
 * resolution, no device delay; a held fault when released). Readers are
 * woken, and so are faults waiting out the device delay.
 * Called from the notifier's release, with amm->ctx_lock held.
 */
void accelsim_ctx_mm_gone(struct accelsim_ctx *ctx)
{
	WRITE_ONCE(ctx->mm_gone, true);
	wake_up_interruptible_all(&ctx->wq);
}

ssize_t accelsim_ctx_read(struct accelsim_ctx *ctx, char __user *buf,
			  size_t count, bool nonblock)
{
	struct accelsim_event *ev;
	ssize_t ret;
	size_t size;

	if (mutex_lock_interruptible(&ctx->read_lock))
		return -ERESTARTSYS;

	for (;;) {
		ret = 0;
		if (accelsim_ctx_dead(ctx)) {
			ret = -ENODEV;
			goto out_unlock;
		}
		if (READ_ONCE(ctx->state) == ACCELSIM_CTX_OPEN) {
			ret = -EINVAL;
			goto out_unlock;
		}
		spin_lock(&ctx->ev_lock);
		ev = list_first_entry_or_null(&ctx->events,
					      struct accelsim_event, node);
		spin_unlock(&ctx->ev_lock);
		if (ev)
			break;
		if (accelsim_ctx_eof(ctx))
			goto out_unlock;
		/* No event will come for a process that is gone. */
		if (READ_ONCE(ctx->mm_gone)) {
			ret = -ESRCH;
			goto out_unlock;
		}
		if (nonblock) {
			ret = -EAGAIN;
			goto out_unlock;
		}
		if (wait_event_interruptible(ctx->wq,
					     accelsim_ctx_readable(ctx))) {
			ret = -ERESTARTSYS;
			goto out_unlock;
		}
	}

	/* Only this reader dequeues, so ev stays first until removed here. */
	size = sizeof(ev->hdr) + ev->hdr.size;
	if (count < size) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (copy_to_user(buf, &ev->hdr, sizeof(ev->hdr)) ||
	    copy_to_user(buf + sizeof(ev->hdr), &ev->body, ev->hdr.size)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	spin_lock(&ctx->ev_lock);
	list_del(&ev->node);
	ctx->nr_events--;
	spin_unlock(&ctx->ev_lock);
	kfree(ev);
	ret = size;
out_unlock:
	mutex_unlock(&ctx->read_lock);
	return ret;
}

__poll_t accelsim_ctx_poll(struct accelsim_ctx *ctx, struct file *file,
			   poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &ctx->wq, wait);
	if (accelsim_ctx_dead(ctx))
		return EPOLLERR | EPOLLHUP;
	if (READ_ONCE(ctx->nr_events))
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (accelsim_ctx_eof(ctx))
		mask |= EPOLLHUP;
	if (READ_ONCE(ctx->mm_gone))
		mask |= EPOLLERR;
	return mask;
}

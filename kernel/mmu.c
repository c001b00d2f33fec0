// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the mmu_notifier of a bound mm, one per mm (mmu_notifier_get())
 * plus one per private PASID of the mm (mmu_notifier_register()), and TLBIs.
 * When the mm's page tables change, each of its notifiers has every device
 * its PASID has a context on drop its ATC entries for the PASID and range,
 * and wait for in-flight engine accesses to that range (they run under the
 * ATC lock). A sequence count lets the engine detect an invalidation that
 * raced with a translation it was about to cache, as mmu_interval_notifier
 * does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mmu_notifier.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "accelsim.h"
#include "accelsim_trace.h"

static atomic64_t accelsim_tlbi_ids = ATOMIC64_INIT(0);

/* A TLBI a device has not completed yet (inject/tlbi_delay_ns). */
struct accelsim_tlbi {
	struct accelsim_dev *adev;	/* referenced */
	u64 id;
	u64 t0;
	u64 delay_ns;
	u32 entries;
};

static void accelsim_mmu_tlbi_done(struct accelsim_dev *adev, u64 id,
				   u32 pasid, u64 start, u64 end, u32 n,
				   u64 t0)
{
	u64 lat = ktime_get_ns() - t0;

	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_TLBIS);
	accelsim_stats_hist(&adev->stats, adev->stats.tlbi_lat, lat);
	trace_tlbi_done(id, adev->id, pasid, start, end, n, lat);
}

/* Sleep until @ns after @t0, for a slow device. */
static void accelsim_mmu_tlbi_wait(u64 t0, u64 ns)
{
	u64 now = ktime_get_ns();
	u64 left = t0 + ns > now ? t0 + ns - now : 0;

	if (!left)
		return;
	if (left < 20 * NSEC_PER_MSEC)
		usleep_range(div_u64(left, NSEC_PER_USEC) + 1,
			     div_u64(left, NSEC_PER_USEC) + 50);
	else
		msleep(DIV_ROUND_UP_ULL(left, NSEC_PER_MSEC));
}

/*
 * One TLBI of [start, end) of @pasid (ACCELSIM_PASID_ALL: every PASID) on
 * @adev, traced and counted like the notifier's, with the device delay.
 * The caller may sleep.
 */
void accelsim_tlbi_device(struct accelsim_dev *adev, u32 pasid, u64 start,
			  u64 end)
{
	u64 id = atomic64_inc_return(&accelsim_tlbi_ids);
	u64 t0 = ktime_get_ns();
	u32 n;

	might_sleep();
	trace_tlbi_start(id, adev->id, pasid, start, end);
	n = accelsim_atc_invalidate(adev, pasid, start, end);
	accelsim_mmu_tlbi_wait(t0, READ_ONCE(adev->tlbi_delay_ns));
	accelsim_mmu_tlbi_done(adev, id, pasid, start, end, n, t0);
}

/*
 * The devices @amm's PASID has a context on (a bit per device id), which
 * are the devices that may cache its translations; each of those contexts
 * counts the TLBI its device gets (spa tlbis). False if there is none.
 */
static bool accelsim_mmu_devs(struct accelsim_mm *amm, unsigned long *devs)
{
	struct accelsim_ctx *ctx;

	bitmap_zero(devs, ACCELSIM_MAX_DEVS);
	spin_lock(&amm->ctx_lock);
	list_for_each_entry(ctx, &amm->ctxs, amm_node) {
		__set_bit(ctx->adev->id, devs);
		atomic64_inc(&ctx->tlbis);
		accelsim_gen_bump(ctx->adev, ACCELSIM_GEN_SPA);
	}
	spin_unlock(&amm->ctx_lock);
	return !bitmap_empty(devs, ACCELSIM_MAX_DEVS);
}

/*
 * Invalidate [start, end) of @amm's PASID on each device it has a context
 * on. The device list is walked under RCU, where nothing may sleep, so a
 * device with a TLBI delay is referenced and completed after the walk. The
 * delay is only emulated when the invalidation may block (@blockable); a
 * non-blockable one (mmu_notifier_range_blockable() false, e.g. from the
 * OOM reaper) completes at once, as sleeping there is not allowed. If the
 * bookkeeping cannot be allocated without blocking, the delay is skipped
 * too.
 */
static void accelsim_mmu_tlbi(struct accelsim_mm *amm, u64 start, u64 end,
			      bool blockable)
{
	DECLARE_BITMAP(devs, ACCELSIM_MAX_DEVS);
	struct accelsim_tlbi *slow = NULL;
	struct accelsim_dev *adev;
	u32 i, nslow = 0, max = 0, n;
	u64 id, t0, delay;

	if (!accelsim_mmu_devs(amm, devs))
		return;

	if (blockable) {
		rcu_read_lock();
		list_for_each_entry_rcu(adev, &accelsim_devs, node)
			max += test_bit(adev->id, devs) &&
			       READ_ONCE(adev->tlbi_delay_ns);
		rcu_read_unlock();
		if (max)
			slow = kmalloc_array(max, sizeof(*slow),
					     GFP_NOWAIT | __GFP_NOWARN);
		if (!slow)
			max = 0;
	}

	rcu_read_lock();
	list_for_each_entry_rcu(adev, &accelsim_devs, node) {
		if (!test_bit(adev->id, devs))
			continue;
		id = atomic64_inc_return(&accelsim_tlbi_ids);
		t0 = ktime_get_ns();
		trace_tlbi_start(id, adev->id, amm->pasid, start, end);
		n = accelsim_atc_invalidate(adev, amm->pasid, start, end);
		delay = READ_ONCE(adev->tlbi_delay_ns);
		if (delay && nslow < max) {
			/* The device list holds it until a grace period. */
			kref_get(&adev->kref);
			slow[nslow++] = (struct accelsim_tlbi){
				.adev = adev, .id = id, .t0 = t0,
				.delay_ns = delay, .entries = n,
			};
			continue;
		}
		accelsim_mmu_tlbi_done(adev, id, amm->pasid, start, end, n, t0);
	}
	rcu_read_unlock();

	for (i = 0; i < nslow; i++) {
		accelsim_mmu_tlbi_wait(slow[i].t0, slow[i].delay_ns);
		accelsim_mmu_tlbi_done(slow[i].adev, slow[i].id, amm->pasid,
				       start, end, slow[i].entries, slow[i].t0);
		accelsim_dev_put(slow[i].adev);
	}
	kfree(slow);
}

static int accelsim_mmu_invalidate_start(struct mmu_notifier *mn,
					 const struct mmu_notifier_range *range)
{
	struct accelsim_mm *amm = container_of(mn, struct accelsim_mm, mn);

	spin_lock(&amm->inv_lock);
	amm->inv_seq++;
	amm->inv_active++;
	spin_unlock(&amm->inv_lock);

	accelsim_mmu_tlbi(amm, range->start, range->end,
			  mmu_notifier_range_blockable(range));
	return 0;
}

static void accelsim_mmu_invalidate_end(struct mmu_notifier *mn,
					const struct mmu_notifier_range *range)
{
	struct accelsim_mm *amm = container_of(mn, struct accelsim_mm, mn);

	spin_lock(&amm->inv_lock);
	amm->inv_seq++;
	amm->inv_active--;
	spin_unlock(&amm->inv_lock);
}

/* The address space is going away: no translation of it may survive. */
static void accelsim_mmu_release(struct mmu_notifier *mn,
				 struct mm_struct *mm)
{
	struct accelsim_mm *amm = container_of(mn, struct accelsim_mm, mn);
	struct accelsim_ctx *ctx;

	/* Stop the PEs first, so the engine starts nothing more in the mm. */
	spin_lock(&amm->ctx_lock);
	amm->released = true;
	list_for_each_entry(ctx, &amm->ctxs, amm_node)
		accelsim_ctx_mm_gone(ctx);
	spin_unlock(&amm->ctx_lock);

	spin_lock(&amm->inv_lock);
	amm->inv_seq++;
	spin_unlock(&amm->inv_lock);

	/* release may sleep: the device delay applies. */
	accelsim_mmu_tlbi(amm, 0, U64_MAX, true);
}

/* mmu_notifier_get() found no binding of the mm: a new one, a new PASID. */
static struct mmu_notifier *accelsim_mmu_alloc_notifier(struct mm_struct *mm)
{
	struct accelsim_mm *amm;

	amm = accelsim_mm_alloc(task_tgid_nr(current), mm, false);
	if (IS_ERR(amm))
		return ERR_CAST(amm);
	return &amm->mn;
}

/* The last mmu_notifier_put() and an SRCU grace period are done. */
static void accelsim_mmu_free_notifier(struct mmu_notifier *mn)
{
	accelsim_mm_free(container_of(mn, struct accelsim_mm, mn));
}

static const struct mmu_notifier_ops accelsim_mmu_ops = {
	.invalidate_range_start = accelsim_mmu_invalidate_start,
	.invalidate_range_end = accelsim_mmu_invalidate_end,
	.release = accelsim_mmu_release,
	.alloc_notifier = accelsim_mmu_alloc_notifier,
	.free_notifier = accelsim_mmu_free_notifier,
};

/*
 * A private PASID's notifier: the same callbacks, under ops of its own.
 * mmu_notifier_get() tells notifiers apart by their ops, so it never
 * returns a private binding for the shared ops. It is registered, not got
 * (no alloc_notifier), and released by the same mmu_notifier_put(): the
 * registration holds the one reference (users 1) that the put drops, and
 * free_notifier then runs after an SRCU grace period as for the shared one.
 */
static const struct mmu_notifier_ops accelsim_mmu_private_ops = {
	.invalidate_range_start = accelsim_mmu_invalidate_start,
	.invalidate_range_end = accelsim_mmu_invalidate_end,
	.release = accelsim_mmu_release,
	.free_notifier = accelsim_mmu_free_notifier,
};

/*
 * The binding of @mm, the caller's, with a notifier reference: the
 * existing one, or a new one registered. Takes @mm's mmap_lock for
 * writing, and a new registration mm_take_all_locks(), so it can take
 * long, but it holds no other lock meanwhile. Its ->release only runs
 * when the mm is torn down (exit or exec), never at the last put.
 */
struct accelsim_mm *accelsim_mmu_get(struct mm_struct *mm)
{
	struct mmu_notifier *mn;

	mn = mmu_notifier_get(&accelsim_mmu_ops, mm);
	/*
	 * mm_take_all_locks() gives up with -EINTR on any pending signal,
	 * a stop (SIGSTOP, SIGTSTP) too. Nothing is registered then: let the
	 * ATTACH restart once the signal is handled instead of failing it.
	 */
	if (IS_ERR(mn))
		return ERR_PTR(PTR_ERR(mn) == -EINTR ? -ERESTARTSYS :
			       PTR_ERR(mn));
	return container_of(mn, struct accelsim_mm, mn);
}

/*
 * Register the notifier of @amm, a new private binding of amm->mm (the
 * caller's mm), with one reference, the binding's. Takes the mm's mmap_lock
 * for writing and mm_take_all_locks(), as a new accelsim_mmu_get() does.
 * On failure nothing is registered and the caller frees @amm.
 */
int accelsim_mmu_register(struct accelsim_mm *amm)
{
	int err;

	amm->mn.ops = &accelsim_mmu_private_ops;
	err = mmu_notifier_register(&amm->mn, amm->mm);
	/* As in accelsim_mmu_get(): a pending signal restarts the ATTACH. */
	return err == -EINTR ? -ERESTARTSYS : err;
}

/*
 * Drop a notifier reference; the last one takes the notifier off the mm's
 * list and frees the binding after an SRCU grace period. Does not sleep.
 */
void accelsim_mmu_put(struct accelsim_mm *amm)
{
	mmu_notifier_put(&amm->mn);
}

/*
 * Start a translation: returns -EAGAIN while an invalidation is running,
 * else 0 and the sequence to check with accelsim_mmu_read_retry().
 */
int accelsim_mmu_read_begin(struct accelsim_mm *amm, unsigned long *seq)
{
	int ret = 0;

	spin_lock(&amm->inv_lock);
	if (amm->inv_active)
		ret = -EAGAIN;
	*seq = amm->inv_seq;
	spin_unlock(&amm->inv_lock);
	return ret;
}

/* True if an invalidation ran or runs since accelsim_mmu_read_begin(). */
bool accelsim_mmu_read_retry(struct accelsim_mm *amm, unsigned long seq)
{
	bool retry;

	spin_lock(&amm->inv_lock);
	retry = amm->inv_active || amm->inv_seq != seq;
	spin_unlock(&amm->inv_lock);
	return retry;
}

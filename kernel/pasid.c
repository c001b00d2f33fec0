// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the global PASID allocator. There is one shared PASID per mm,
 * shared by all of the mm's threads and by every device the process attaches
 * to, and one private PASID per context attached with
 * ACCELSIM_ATTACH_PRIVATE_PASID, owned by that context alone. A PASID is
 * live while contexts hold it, draining while faults or work items that
 * carry it are not yet acked, free-pending once nothing carries it, and only
 * then returned to the allocator.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "accelsim.h"
#include "accelsim_trace.h"

/*
 * The allocator: pasid -> accelsim_mm. Its own lock (xa_lock) also keeps
 * the bindings it holds from being freed while the pasids view reads them.
 * It is never held across anything that sleeps, and no binding's refs or
 * outstanding count is under it: each binding has its own lock.
 */
static DEFINE_XARRAY_ALLOC(accelsim_pasids);
static struct workqueue_struct *accelsim_pasid_wq;

static const char * const accelsim_pasid_state_names[] = {
	[ACCELSIM_PASID_LIVE] = "live",
	[ACCELSIM_PASID_DRAINING] = "draining",
	[ACCELSIM_PASID_FREE_PENDING] = "free-pending",
};

const char *accelsim_pasid_state_name(enum accelsim_pasid_state state)
{
	return accelsim_pasid_state_names[state];
}

/* The pasids views' kind: whose PASID it is. */
const char *accelsim_pasid_kind_name(const struct accelsim_mm *amm)
{
	if (!amm->mm)
		return "kernel";
	return amm->private ? "private" : "shared";
}

static u32 accelsim_pasid_max(void)
{
	if (accelsim_pasid_bits >= 32)
		return U32_MAX - 1;	/* 0xffffffff means "all PASIDs" */
	return (1U << accelsim_pasid_bits) - 1;
}

/*
 * Return the PASID to the allocator. For an mm binding this runs once its
 * notifier is freed (mmu_notifier_put() and an SRCU grace period later), so
 * no notifier callback runs any more.
 */
static void accelsim_mm_free_work(struct work_struct *wk)
{
	struct accelsim_mm *amm = container_of(wk, struct accelsim_mm,
					       free_work);
	struct accelsim_dev *adev;

	/* Already so, unless its notifier failed to register. */
	spin_lock(&amm->lock);
	amm->state = ACCELSIM_PASID_FREE_PENDING;
	spin_unlock(&amm->lock);

	/*
	 * No device may keep a translation tagged with a reusable PASID.
	 * Each context's detach flushed its device already (a traced TLBI),
	 * so this finds nothing; it is not a TLBI and is not traced.
	 */
	rcu_read_lock();
	list_for_each_entry_rcu(adev, &accelsim_devs, node)
		accelsim_atc_invalidate(adev, amm->pasid, 0, U64_MAX);
	rcu_read_unlock();

	/*
	 * Every event carrying this PASID has been traced (outstanding and
	 * refs are 0, the notifier is gone), and the number cannot be handed
	 * out again before xa_erase(): trace the free in between, so a
	 * tracer may drop its per-PASID state knowing that no event of this
	 * binding follows and none of the next binding of the number
	 * precedes.
	 */
	trace_pasid_free(amm->pasid, amm->pid);
	xa_erase(&accelsim_pasids, amm->pasid);

	if (amm->mm)
		mmdrop(amm->mm);
	vfree(amm->kbuf);
	kfree(amm);
}

/*
 * Free @amm: its notifier's free_notifier (an SRCU callback, or at once if
 * its registration failed). May be called in atomic context.
 */
void accelsim_mm_free(struct accelsim_mm *amm)
{
	queue_work(accelsim_pasid_wq, &amm->free_work);
}

/*
 * Called with amm->lock held, after refs or outstanding changed. When both
 * are 0 the binding becomes free-pending for good: an mm binding drops the
 * notifier reference it held while live or draining (under amm->lock, so a
 * bind that finds the notifier and then sees free-pending knows the
 * notifier leaves the mm's list with its own put), a kernel binding is
 * freed.
 */
static void accelsim_mm_update_state(struct accelsim_mm *amm)
{
	lockdep_assert_held(&amm->lock);

	if (amm->refs) {
		amm->state = ACCELSIM_PASID_LIVE;
		return;
	}
	if (amm->outstanding) {
		amm->state = ACCELSIM_PASID_DRAINING;
		return;
	}
	if (WARN_ON(amm->state == ACCELSIM_PASID_FREE_PENDING))
		return;
	amm->state = ACCELSIM_PASID_FREE_PENDING;
	if (amm->mm)
		accelsim_mmu_put(amm);
	else
		queue_work(accelsim_pasid_wq, &amm->free_work);
}

/*
 * A new binding with a fresh PASID, no reference yet and state live: of
 * @mm (mmgrab()ed), private or not, or of no mm for a kernel context. For
 * a shared mm binding this is the notifier's alloc_notifier, under the
 * mm's mmap_lock.
 */
struct accelsim_mm *accelsim_mm_alloc(u32 pid, struct mm_struct *mm,
				      bool private)
{
	struct accelsim_mm *amm;
	u32 pasid;
	int err;

	amm = kzalloc(sizeof(*amm), GFP_KERNEL);
	if (!amm)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&amm->lock);
	amm->pid = pid;
	amm->private = private;
	amm->state = ACCELSIM_PASID_LIVE;
	INIT_WORK(&amm->free_work, accelsim_mm_free_work);
	spin_lock_init(&amm->inv_lock);
	spin_lock_init(&amm->ctx_lock);
	INIT_LIST_HEAD(&amm->ctxs);
	if (mm) {
		amm->mm = mm;
		mmgrab(mm);
	}
	err = xa_alloc(&accelsim_pasids, &pasid, amm,
		       XA_LIMIT(1, accelsim_pasid_max()), GFP_KERNEL);
	if (err) {
		if (mm)
			mmdrop(mm);
		kfree(amm);
		return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
	}
	/*
	 * The pasids view may read it from here on, under the xa_lock: its
	 * pid, mm and private are set before (its pasid just after).
	 */
	amm->pasid = pasid;
	trace_pasid_alloc(pasid, pid);
	return amm;
}

/*
 * Bind @mm: return its binding with one more context reference, allocating
 * the PASID on first use. A binding that is draining is revived; one that is
 * free-pending is never handed out again. Only @mm's own mmap_lock is taken
 * (by mmu_notifier_get()), no global lock.
 */
struct accelsim_mm *accelsim_mm_bind(struct mm_struct *mm)
{
	struct accelsim_mm *amm;
	bool extra;

	for (;;) {
		amm = accelsim_mmu_get(mm);
		if (IS_ERR(amm))
			return amm;
		spin_lock(&amm->lock);
		if (amm->state != ACCELSIM_PASID_FREE_PENDING)
			break;
		spin_unlock(&amm->lock);
		/*
		 * Being freed: its own put is done, so this one takes it off
		 * the mm's list, and the next get allocates a new binding.
		 */
		accelsim_mmu_put(amm);
	}
	/*
	 * A new binding (nothing holds it yet) keeps this notifier reference
	 * while it is live or draining; any other already holds one.
	 */
	extra = amm->refs || amm->outstanding;
	amm->refs++;
	accelsim_mm_update_state(amm);
	spin_unlock(&amm->lock);
	if (extra)
		accelsim_mmu_put(amm);
	return amm;
}

/*
 * A private binding of @mm, the caller's, for one context: a new PASID and
 * a notifier of its own, with that context's reference. Nothing else ever
 * binds it (accelsim_mm_bind() cannot find it), so it is never revived:
 * once the context drops it and nothing carries it, it is freed like a
 * shared binding, its notifier put. Takes @mm's mmap_lock, no global lock.
 */
struct accelsim_mm *accelsim_mm_bind_private(struct mm_struct *mm)
{
	struct accelsim_mm *amm;
	int err;

	amm = accelsim_mm_alloc(task_tgid_nr(current), mm, true);
	if (IS_ERR(amm))
		return amm;
	err = accelsim_mmu_register(amm);
	if (err) {
		/* Never registered: freed at once, as a failed get frees it. */
		accelsim_mm_free(amm);
		return ERR_PTR(err);
	}
	/* The registration's notifier reference is held while it lives. */
	spin_lock(&amm->lock);
	amm->refs = 1;
	spin_unlock(&amm->lock);
	return amm;
}

/*
 * A binding for a kernel context: a PASID of its own from the same
 * allocator (so it is never reused while something carries it), pid 0, no
 * mm. On success it owns @buf, a vmalloc()ed buffer of @size bytes, and
 * frees it once nothing carries the PASID any more.
 */
struct accelsim_mm *accelsim_mm_bind_kernel(void *buf, u64 size)
{
	struct accelsim_mm *amm;

	amm = accelsim_mm_alloc(0, NULL, false);
	if (IS_ERR(amm))
		return amm;
	amm->kbuf = buf;
	amm->kbuf_size = size;
	spin_lock(&amm->lock);
	amm->refs = 1;
	spin_unlock(&amm->lock);
	return amm;
}

/* Drop a context reference. */
void accelsim_mm_unbind(struct accelsim_mm *amm)
{
	spin_lock(&amm->lock);
	WARN_ON(!amm->refs);
	amm->refs--;
	accelsim_mm_update_state(amm);
	spin_unlock(&amm->lock);
}

/* A fault or work item now carries the PASID. Caller holds a reference. */
void accelsim_mm_outstanding_get(struct accelsim_mm *amm)
{
	spin_lock(&amm->lock);
	amm->outstanding++;
	spin_unlock(&amm->lock);
}

/* A fault or work item carrying the PASID was acked or completed. */
void accelsim_mm_outstanding_put(struct accelsim_mm *amm)
{
	spin_lock(&amm->lock);
	WARN_ON(!amm->outstanding);
	amm->outstanding--;
	accelsim_mm_update_state(amm);
	spin_unlock(&amm->lock);
}

void accelsim_pasids_show_global(struct seq_file *m)
{
	struct accelsim_mm *amm;
	unsigned long index;

	enum accelsim_pasid_state state;
	u32 refs, outstanding;

	seq_puts(m, "pasid pid refs outstanding state kind\n");
	/* Bindings are freed only after xa_erase(), under the same lock. */
	xa_lock(&accelsim_pasids);
	xa_for_each(&accelsim_pasids, index, amm) {
		spin_lock(&amm->lock);
		refs = amm->refs;
		outstanding = amm->outstanding;
		state = amm->state;
		spin_unlock(&amm->lock);
		/* index: amm->pasid is set just after the insertion. */
		seq_printf(m, "%lu %u %u %u %s %s\n", index, amm->pid, refs,
			   outstanding, accelsim_pasid_state_name(state),
			   accelsim_pasid_kind_name(amm));
	}
	xa_unlock(&accelsim_pasids);
}

int accelsim_pasid_init(void)
{
	accelsim_pasid_wq = alloc_workqueue("accelsim_pasid", WQ_UNBOUND, 0);
	return accelsim_pasid_wq ? 0 : -ENOMEM;
}

/*
 * Every device is gone: wait for the last notifiers to be freed (their
 * free_notifier queues the free work), then for the last PASIDs to be
 * returned.
 */
void accelsim_pasid_exit(void)
{
	mmu_notifier_synchronize();
	destroy_workqueue(accelsim_pasid_wq);
	WARN_ON(!xa_empty(&accelsim_pasids));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the global PASID allocator. There is one PASID per mm, shared by
 * all of the mm's threads and by every device the process attaches to. A
 * PASID is live while contexts hold it, draining while faults or work items
 * that carry it are not yet acked, free-pending once nothing carries it, and
 * only then returned to the allocator.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "accelsim.h"
#include "accelsim_trace.h"

/* Binding refs, outstanding counts and states, and the allocator. */
DEFINE_MUTEX(accelsim_pasid_lock);
static DEFINE_XARRAY_ALLOC(accelsim_pasids);	/* pasid -> accelsim_mm */
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

static u32 accelsim_pasid_max(void)
{
	if (accelsim_pasid_bits >= 32)
		return U32_MAX - 1;	/* 0xffffffff means "all PASIDs" */
	return (1U << accelsim_pasid_bits) - 1;
}

/* Return the PASID to the allocator once its notifier is gone. */
static void accelsim_mm_free_work(struct work_struct *wk)
{
	struct accelsim_mm *amm = container_of(wk, struct accelsim_mm,
					       free_work);
	struct accelsim_dev *adev;

	if (amm->mm)
		accelsim_mmu_unregister(amm);

	/* No device may keep a translation tagged with a reusable PASID. */
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

	mutex_lock(&accelsim_pasid_lock);
	xa_erase(&accelsim_pasids, amm->pasid);
	mutex_unlock(&accelsim_pasid_lock);

	if (amm->mm)
		mmdrop(amm->mm);
	vfree(amm->kbuf);
	kfree(amm);
}

/* Called with accelsim_pasid_lock held, after refs or outstanding dropped. */
static void accelsim_mm_update_state(struct accelsim_mm *amm)
{
	lockdep_assert_held(&accelsim_pasid_lock);

	if (amm->refs) {
		amm->state = ACCELSIM_PASID_LIVE;
		return;
	}
	if (amm->outstanding) {
		amm->state = ACCELSIM_PASID_DRAINING;
		return;
	}
	if (amm->state != ACCELSIM_PASID_FREE_PENDING) {
		amm->state = ACCELSIM_PASID_FREE_PENDING;
		queue_work(accelsim_pasid_wq, &amm->free_work);
	}
}

/* A new binding with a fresh PASID and one reference; lock held. */
static struct accelsim_mm *accelsim_mm_alloc(u32 pid)
{
	struct accelsim_mm *amm;
	u32 pasid;
	int err;

	lockdep_assert_held(&accelsim_pasid_lock);

	amm = kzalloc(sizeof(*amm), GFP_KERNEL);
	if (!amm)
		return ERR_PTR(-ENOMEM);
	err = xa_alloc(&accelsim_pasids, &pasid, amm,
		       XA_LIMIT(1, accelsim_pasid_max()), GFP_KERNEL);
	if (err) {
		kfree(amm);
		return ERR_PTR(err == -EBUSY ? -ENOSPC : err);
	}
	amm->pasid = pasid;
	amm->pid = pid;
	amm->refs = 1;
	amm->state = ACCELSIM_PASID_LIVE;
	INIT_WORK(&amm->free_work, accelsim_mm_free_work);
	spin_lock_init(&amm->inv_lock);
	spin_lock_init(&amm->ctx_lock);
	INIT_LIST_HEAD(&amm->ctxs);
	return amm;
}

/*
 * Bind @mm: return its binding with one more context reference, allocating
 * the PASID on first use. A binding that is draining is revived; one that is
 * free-pending is never handed out again.
 */
struct accelsim_mm *accelsim_mm_bind(struct mm_struct *mm)
{
	struct accelsim_mm *amm;
	unsigned long index;
	int err;

	mutex_lock(&accelsim_pasid_lock);
	xa_for_each(&accelsim_pasids, index, amm) {
		if (amm->mm == mm &&
		    amm->state != ACCELSIM_PASID_FREE_PENDING) {
			amm->refs++;
			accelsim_mm_update_state(amm);
			goto out_unlock;
		}
	}

	amm = accelsim_mm_alloc(task_tgid_nr(current));
	if (IS_ERR(amm)) {
		err = PTR_ERR(amm);
		goto err_unlock;
	}
	amm->mm = mm;
	mmgrab(mm);

	err = accelsim_mmu_register(amm);
	if (err)
		goto err_erase;

	trace_pasid_alloc(amm->pasid, amm->pid);
out_unlock:
	mutex_unlock(&accelsim_pasid_lock);
	return amm;

err_erase:
	mmdrop(mm);
	xa_erase(&accelsim_pasids, amm->pasid);
	kfree(amm);
err_unlock:
	mutex_unlock(&accelsim_pasid_lock);
	return ERR_PTR(err);
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

	mutex_lock(&accelsim_pasid_lock);
	amm = accelsim_mm_alloc(0);
	if (!IS_ERR(amm)) {
		amm->kbuf = buf;
		amm->kbuf_size = size;
		trace_pasid_alloc(amm->pasid, amm->pid);
	}
	mutex_unlock(&accelsim_pasid_lock);
	return amm;
}

/* Drop a context reference. */
void accelsim_mm_unbind(struct accelsim_mm *amm)
{
	mutex_lock(&accelsim_pasid_lock);
	WARN_ON(!amm->refs);
	amm->refs--;
	accelsim_mm_update_state(amm);
	mutex_unlock(&accelsim_pasid_lock);
}

/* A fault or work item now carries the PASID. Caller holds a reference. */
void accelsim_mm_outstanding_get(struct accelsim_mm *amm)
{
	mutex_lock(&accelsim_pasid_lock);
	amm->outstanding++;
	mutex_unlock(&accelsim_pasid_lock);
}

/* A fault or work item carrying the PASID was acked or completed. */
void accelsim_mm_outstanding_put(struct accelsim_mm *amm)
{
	mutex_lock(&accelsim_pasid_lock);
	WARN_ON(!amm->outstanding);
	amm->outstanding--;
	accelsim_mm_update_state(amm);
	mutex_unlock(&accelsim_pasid_lock);
}

void accelsim_pasids_show_global(struct seq_file *m)
{
	struct accelsim_mm *amm;
	unsigned long index;

	mutex_lock(&accelsim_pasid_lock);
	seq_puts(m, "pasid pid refs outstanding state\n");
	xa_for_each(&accelsim_pasids, index, amm)
		seq_printf(m, "%u %u %u %u %s\n", amm->pasid, amm->pid,
			   amm->refs, amm->outstanding,
			   accelsim_pasid_state_name(amm->state));
	mutex_unlock(&accelsim_pasid_lock);
}

int accelsim_pasid_init(void)
{
	accelsim_pasid_wq = alloc_workqueue("accelsim_pasid", WQ_UNBOUND, 0);
	return accelsim_pasid_wq ? 0 : -ENOMEM;
}

/* Every device is gone: wait for the last PASIDs to be returned. */
void accelsim_pasid_exit(void)
{
	destroy_workqueue(accelsim_pasid_wq);
	WARN_ON(!xa_empty(&accelsim_pasids));
}

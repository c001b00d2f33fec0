// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: translation faults. The engine (or inject/fault) raises a fault;
 * it is queued pending and resolved in process context through the real mm
 * fault path, then acked RESTART (the parked work runs again) or
 * ADDRESS_ERROR (the work fails and the context gets an error event). A
 * fault whose PE is gone by then is acked ADDRESS_ERROR. No fault is ever
 * dropped without an ack.
 *
 * The engine raises its faults in groups, as PCIe PRI page request groups:
 * one fault for the run of pages of a descriptor it missed, up to
 * ACCELSIM_FAULT_GROUP, resolved in one pass under the mm's read lock and
 * acked with one response, which restarts the work once. Each page of a
 * group is still a fault of its own to the counters, the faults view and
 * the tracepoints: consecutive ids from the group's first, one fault and
 * one fault_ack event per page, the group's response and raise-to-ack
 * latency on each. A group is acked RESTART if its first page resolved (a
 * later page that did not faults again on its own when the engine gets
 * there) and ADDRESS_ERROR if it did not, with one error event, for the
 * first page, where the work stops.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "accelsim.h"
#include "accelsim_trace.h"

static atomic64_t accelsim_fault_ids = ATOMIC64_INIT(0);

/* The address of page @i of @fault's group: the fault's own, then pages. */
static u64 accelsim_fault_page(const struct accelsim_fault *fault, u32 i)
{
	return i ? (fault->addr & PAGE_MASK) + (u64)i * PAGE_SIZE : fault->addr;
}

static void accelsim_fault_ack(struct accelsim_fault *fault, u32 resp,
			       int err)
{
	struct accelsim_dev *adev = fault->adev;
	struct accelsim_ctx *ctx = fault->ctx;
	struct accelsim_work *work = fault->work;
	struct accelsim_event *ev = fault->ev;
	u64 addr = fault->addr;
	u64 lat;
	u32 i;

	mutex_lock(&adev->lock);
	list_del(&fault->node);
	adev->nr_faults -= fault->pages;
	accelsim_gen_bump(adev, ACCELSIM_GEN_FAULTS | ACCELSIM_GEN_PASIDS |
			  ACCELSIM_GEN_INFO);
	mutex_unlock(&adev->lock);

	accelsim_stats_add(&adev->stats, resp == ACCELSIM_RESP_RESTART ?
			   ACCELSIM_CNT_FAULTS_ACKED_RESTART :
			   ACCELSIM_CNT_FAULTS_ACKED_ADDRESS_ERROR,
			   fault->pages);
	/*
	 * Stamp the ack next to its tracepoints, as the raise is stamped next
	 * to trace_fault(): the histogram then times the same interval that
	 * tracers pairing fault and fault_ack see, once per page.
	 */
	lat = ktime_get_ns() - fault->raised_ns;
	for (i = 0; i < fault->pages; i++) {
		trace_fault_ack(fault->id + i, adev->id, fault->pe,
				fault->pasid, accelsim_fault_page(fault, i),
				resp, lat);
		accelsim_stats_hist(&adev->stats, adev->stats.fault_lat, lat);
	}

	if (resp == ACCELSIM_RESP_ADDRESS_ERROR) {
		ev->body.fault_error.addr = fault->addr;
		ev->body.fault_error.fault_id = fault->id;
		ev->body.fault_error.work_id = work ? work->id : 0;
		ev->body.fault_error.access = fault->access;
		ev->body.fault_error.err = err;
		accelsim_ctx_post(ctx, ev, false);
		ev = NULL;
		if (work)
			work->fault_ev = NULL;
	}
	/*
	 * Drop the fault's own references first: once the work is requeued
	 * the engine may raise its next fault in the same storage.
	 */
	accelsim_mm_outstanding_put(fault->amm);
	accelsim_ctx_put(ctx);
	if (!fault->embedded) {
		kfree(ev);
		kfree(fault);
	} else if (resp == ACCELSIM_RESP_RESTART) {
		accelsim_work_requeue(work);
	} else {
		/* The work's own context reference keeps ctx alive. */
		accelsim_work_complete(work,
				       READ_ONCE(ctx->state) ==
				       ACCELSIM_CTX_ACTIVE ?
				       ACCELSIM_STATUS_FAULT :
				       ACCELSIM_STATUS_ABORTED,
				       addr);
	}
}

/*
 * The mm fault path, for the device. Like GUP's check_vma_flags(), refuse
 * VM_IO and VM_PFNMAP mappings: the device cannot translate them, and their
 * fault handlers may not expect a remote caller (x86's vvar warns).
 *
 * The fault may be retried (FAULT_FLAG_ALLOW_RETRY, through @unlocked): a
 * handler that must sleep without the mmap_lock, as userfaultfd's does
 * while the range's handler thread fills the page, drops it and the fault
 * is tried again once it is taken back. Without it such a handler can
 * only fail the fault. fixup_user_fault() looks the VMA up again on each
 * retry, so the check above holds for the first try only; a retry meets
 * the VMA that replaced it meanwhile, as a CPU fault would.
 */
static int accelsim_fault_resolve_page(struct mm_struct *mm, u64 addr,
				       unsigned int flags)
{
	struct vm_area_struct *vma;
	bool unlocked = false;

	vma = vma_lookup(mm, addr);
	if (!vma || vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	/* Held again on return, whether or not it was dropped. */
	return fixup_user_fault(mm, addr, flags, &unlocked);
}

/*
 * Resolve @fault's pages in one pass under the mmap_lock: the result is
 * the first page's; the pass stops at the first page that fails, which is
 * left to fault again on its own.
 */
static int accelsim_fault_resolve(struct mm_struct *mm,
				  struct accelsim_fault *fault,
				  unsigned int flags)
{
	int err;
	u32 i;

	mmap_read_lock(mm);
	err = accelsim_fault_resolve_page(mm, fault->addr, flags);
	for (i = 1; !err && i < fault->pages; i++)
		if (accelsim_fault_resolve_page(mm,
						accelsim_fault_page(fault, i),
						flags))
			break;
	mmap_read_unlock(mm);
	return err;
}

/* The fault's process exited or its PE is stopping: nothing to resolve. */
static bool accelsim_fault_moot(struct accelsim_fault *fault)
{
	return READ_ONCE(fault->ctx->mm_gone) ||
	       READ_ONCE(fault->ctx->state) != ACCELSIM_CTX_ACTIVE;
}

/* Resolve one fault in process context, through the mm's fault path. */
static void accelsim_fault_work(struct work_struct *wk)
{
	struct accelsim_fault *fault = container_of(wk, struct accelsim_fault,
						    wk);
	struct accelsim_dev *adev = fault->adev;
	struct mm_struct *mm = fault->amm->mm;
	u32 resp = ACCELSIM_RESP_ADDRESS_ERROR;
	unsigned int flags = 0;
	u64 delay;
	int err = -ESRCH;

	mutex_lock(&adev->lock);
	fault->state = ACCELSIM_FAULT_RESOLVING;
	accelsim_gen_bump(adev, ACCELSIM_GEN_FAULTS);
	delay = adev->fault_delay_ns;
	mutex_unlock(&adev->lock);
	/*
	 * The device delay, cut short once the fault is moot: a fault of a
	 * process that exited or of a PE that is stopping is not left
	 * waiting, it is acked ADDRESS_ERROR at once.
	 */
	if (delay)
		wait_event_interruptible_hrtimeout(fault->ctx->wq,
						   accelsim_fault_moot(fault),
						   ns_to_ktime(delay));

	if (fault->access == ACCELSIM_ACCESS_WRITE)
		flags |= FAULT_FLAG_WRITE;
	/*
	 * A PE that is gone gets ADDRESS_ERROR, as does an exited mm. So
	 * does a kernel context: it has no mm to resolve a fault in (its
	 * buffer is all mapped, so its faults are accesses past the end).
	 */
	if (fault->fatal || !mm) {
		err = -EFAULT;
	} else if (!accelsim_fault_moot(fault) && mmget_not_zero(mm)) {
		err = accelsim_fault_resolve(mm, fault, flags);
		/*
		 * The process may have exited meanwhile: the last mmput()
		 * would then tear the whole mm down (exit_mmap) here, on a
		 * fault worker; leave that to a worker of its own.
		 */
		mmput_async(mm);
		if (!err)
			resp = ACCELSIM_RESP_RESTART;
	}
	accelsim_fault_ack(fault, resp, err);
}

/* Queue @fault and account it. Called with adev->lock held. */
static void accelsim_fault_queue(struct accelsim_dev *adev,
				 struct accelsim_fault *fault)
{
	u32 i;

	lockdep_assert_held(&adev->lock);

	/* One id per page, consecutive: the ids are taken under no lock. */
	fault->id = atomic64_add_return(fault->pages, &accelsim_fault_ids) -
		    fault->pages + 1;
	fault->adev = adev;
	list_add_tail(&fault->node, &adev->faults);
	adev->nr_faults += fault->pages;
	atomic64_add(fault->pages, &fault->ctx->faults);
	accelsim_stats_add(&adev->stats, ACCELSIM_CNT_FAULTS_RAISED,
			   fault->pages);
	fault->raised_ns = ktime_get_ns();
	for (i = 0; i < fault->pages; i++)
		trace_fault(fault->id + i, adev->id, fault->pe, fault->pasid,
			    accelsim_fault_page(fault, i), fault->access);

	if (adev->hold_faults) {
		fault->state = ACCELSIM_FAULT_HELD;
	} else {
		fault->state = ACCELSIM_FAULT_PENDING;
		queue_work(adev->fault_wq, &fault->wk);
	}
	accelsim_gen_bump(adev, ACCELSIM_GEN_FAULTS | ACCELSIM_GEN_PASIDS |
			  ACCELSIM_GEN_INFO | ACCELSIM_GEN_SPA);
}

void accelsim_fault_init_work(struct accelsim_fault *fault)
{
	INIT_WORK(&fault->wk, accelsim_fault_work);
}

/*
 * The engine could not translate @addr, nor the @pages - 1 pages after it,
 * for @work, which is now parked: one fault for the group.
 */
void accelsim_fault_raise(struct accelsim_work *work, u64 addr, u32 access,
			  u32 pages)
{
	struct accelsim_fault *fault = &work->fault;
	struct accelsim_ctx *ctx = work->ctx;
	struct accelsim_dev *adev = ctx->adev;

	/* A fault at the address the last one resolved: no progress made. */
	if (work->fault_repeats && fault->addr == addr &&
	    fault->access == access)
		work->fault_repeats++;
	else
		work->fault_repeats = 1;
	fault->fatal = work->fault_repeats > ACCELSIM_FAULT_REPEATS;

	/* fault->wk was set up at submit and is not running any more. */
	fault->embedded = true;
	fault->work = work;
	fault->ev = work->fault_ev;
	fault->addr = addr;
	fault->pages = pages;
	fault->access = access;
	fault->pe = ctx->pe;
	fault->pasid = work->amm->pasid;
	fault->amm = work->amm;
	accelsim_ctx_get(ctx);
	fault->ctx = ctx;

	mutex_lock(&adev->lock);
	accelsim_mm_outstanding_get(fault->amm);
	accelsim_fault_queue(adev, fault);
	mutex_unlock(&adev->lock);
}

/* inject/fault: a fault not tied to work, on the PE of @pasid. */
int accelsim_fault_inject(struct accelsim_dev *adev, u32 pasid, u64 addr,
			  u32 access)
{
	struct accelsim_fault *fault;
	struct accelsim_ctx *ctx;
	u32 pe;
	int err;

	fault = kzalloc(sizeof(*fault), GFP_KERNEL);
	if (!fault)
		return -ENOMEM;
	INIT_WORK(&fault->wk, accelsim_fault_work);
	fault->ev = accelsim_event_alloc(ACCELSIM_EVENT_FAULT_ERROR,
					 GFP_KERNEL);
	fault->fatal = false;
	if (!fault->ev) {
		err = -ENOMEM;
		goto err_free;
	}

	mutex_lock(&adev->lock);
	err = -ENOENT;
	for (pe = 0; pe < adev->max_pe; pe++) {
		ctx = adev->spa.ctxs[pe];
		if (ctx && ctx->state == ACCELSIM_CTX_ACTIVE &&
		    ctx->pasid == pasid) {
			err = 0;
			break;
		}
	}
	if (err) {
		mutex_unlock(&adev->lock);
		goto err_free;
	}
	accelsim_ctx_get(ctx);
	fault->ctx = ctx;
	fault->amm = ctx->amm;
	accelsim_mm_outstanding_get(fault->amm);
	fault->addr = addr;
	fault->pages = 1;
	fault->access = access;
	fault->pe = ctx->pe;
	fault->pasid = pasid;
	accelsim_fault_queue(adev, fault);
	mutex_unlock(&adev->lock);
	return 0;

err_free:
	kfree(fault->ev);
	kfree(fault);
	return err;
}

/* Let held faults go to resolution. */
void accelsim_faults_release(struct accelsim_dev *adev)
{
	struct accelsim_fault *fault;

	mutex_lock(&adev->lock);
	list_for_each_entry(fault, &adev->faults, node) {
		if (fault->state != ACCELSIM_FAULT_HELD)
			continue;
		fault->state = ACCELSIM_FAULT_PENDING;
		queue_work(adev->fault_wq, &fault->wk);
	}
	accelsim_gen_bump(adev, ACCELSIM_GEN_FAULTS);
	mutex_unlock(&adev->lock);
}

static const char * const accelsim_fault_state_names[] = {
	[ACCELSIM_FAULT_PENDING] = "pending",
	[ACCELSIM_FAULT_RESOLVING] = "resolving",
	[ACCELSIM_FAULT_HELD] = "held",
};

void accelsim_faults_show(struct seq_file *m, struct accelsim_dev *adev)
{
	struct accelsim_fault *fault;
	u64 now;
	u32 i;

	/* Every listed fault was stamped under the lock, before now. */
	mutex_lock(&adev->lock);
	now = ktime_get_ns();
	seq_puts(m, "id dev pe pasid address access state age_ns\n");
	/* A row per page: a group's pages share its state and age. */
	list_for_each_entry(fault, &adev->faults, node)
		for (i = 0; i < fault->pages; i++)
			seq_printf(m, "%llu %u %u %u 0x%llx %s %s %llu\n",
				   fault->id + i, adev->id, fault->pe,
				   fault->pasid, accelsim_fault_page(fault, i),
				   fault->access == ACCELSIM_ACCESS_WRITE ?
				   "write" : "read",
				   accelsim_fault_state_names[fault->state],
				   now - fault->raised_ns);
	mutex_unlock(&adev->lock);
}

/*
 * A per-CPU workqueue, as ocxl's fault bottom half (schedule_work()): a
 * fault is resolved on the CPU that raised it, which the engine is about
 * to leave idle, rather than waking a worker on another CPU. Workers that
 * sleep in the fault path are replaced by the workqueue's concurrency
 * management, so faults still resolve side by side.
 */
int accelsim_fault_init(struct accelsim_dev *adev)
{
	INIT_LIST_HEAD(&adev->faults);
	adev->fault_wq = alloc_workqueue("accelsim_fault%u", 0, 0, adev->id);
	return adev->fault_wq ? 0 : -ENOMEM;
}

/* No fault may be pending: release held ones and wait for every ack. */
void accelsim_fault_fini(struct accelsim_dev *adev)
{
	mutex_lock(&adev->lock);
	adev->hold_faults = false;
	mutex_unlock(&adev->lock);
	accelsim_faults_release(adev);
	flush_workqueue(adev->fault_wq);
	WARN_ON(!list_empty(&adev->faults));
	destroy_workqueue(adev->fault_wq);
}

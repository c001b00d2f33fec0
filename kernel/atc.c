// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the device's address translation cache (ATC). A fixed-size,
 * set-associative cache keyed by PASID and virtual page. An entry holds a
 * reference to the translated page and whether it may be written. The
 * engine only touches user memory through an entry, under the ATC lock, so
 * invalidation (which takes the same lock) waits for in-flight accesses.
 *
 * A miss is filled by looking the page up in the mm without faulting it in
 * (FOLL_NOFAULT): a missing page or permission is a translation fault for
 * the caller to raise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>

#include "accelsim.h"
#include "compat.h"

void accelsim_atc_init(struct accelsim_atc *atc)
{
	spin_lock_init(&atc->lock);
}

static unsigned int accelsim_atc_set(u32 pasid, u64 vpn)
{
	return hash_64(vpn ^ ((u64)pasid << 36), ilog2(ACCELSIM_ATC_SETS));
}

/* Called with atc->lock held. Returns the entry or NULL on a miss. */
struct accelsim_atc_entry *accelsim_atc_lookup(struct accelsim_atc *atc,
					       u32 pasid, u64 addr,
					       bool write)
{
	u64 vpn = addr >> PAGE_SHIFT;
	unsigned int set = accelsim_atc_set(pasid, vpn);
	struct accelsim_atc_entry *e;
	unsigned int w;

	lockdep_assert_held(&atc->lock);

	for (w = 0; w < ACCELSIM_ATC_WAYS; w++) {
		e = &atc->e[set * ACCELSIM_ATC_WAYS + w];
		if (e->valid && e->pasid == pasid && e->vpn == vpn &&
		    (!write || e->writable))
			return e;
	}
	return NULL;
}

static void accelsim_atc_drop(struct accelsim_atc_entry *e)
{
	e->valid = false;
	put_page(e->page);
	e->page = NULL;
}

/* Called with atc->lock held: cache @page, taking over its reference. */
static void accelsim_atc_insert(struct accelsim_atc *atc, u32 pasid, u32 pe,
				u64 addr, bool write, struct page *page)
{
	u64 vpn = addr >> PAGE_SHIFT;
	unsigned int set = accelsim_atc_set(pasid, vpn);
	struct accelsim_atc_entry *e, *slot = NULL;
	unsigned int w;

	/*
	 * One entry per (pasid, page): drop every entry of the page (a
	 * read-only one when a writable one comes), in whichever way it is,
	 * and take the first free way, else the round-robin victim.
	 */
	for (w = 0; w < ACCELSIM_ATC_WAYS; w++) {
		e = &atc->e[set * ACCELSIM_ATC_WAYS + w];
		if (e->valid && e->pasid == pasid && e->vpn == vpn)
			accelsim_atc_drop(e);
		if (!e->valid && !slot)
			slot = e;
	}
	e = slot;
	if (!e) {
		w = atc->next[set];
		atc->next[set] = (w + 1) % ACCELSIM_ATC_WAYS;
		e = &atc->e[set * ACCELSIM_ATC_WAYS + w];
		accelsim_atc_drop(e);
	}

	e->page = page;
	e->pasid = pasid;
	e->pe = pe;
	e->hits = 0;
	e->filled = jiffies;
	e->vpn = vpn;
	e->writable = write;
	e->valid = true;
}

/*
 * Make sure the ATC translates @addr for @write. Returns 0 on a hit or a
 * successful fill, -EFAULT if the page is not mapped with that permission
 * (the caller raises a translation fault), or -EAGAIN if the address space
 * is busy: an invalidation of it is running, or its mmap_lock is taken by
 * a writer (or one waits for it). Nothing here waits for one process, so
 * the engine, which serves every context of the device, sets the work
 * aside and tries again later instead.
 */
int accelsim_atc_translate(struct accelsim_dev *adev, struct accelsim_mm *amm,
			   u32 pe, u64 addr, bool write)
{
	unsigned int gup_flags = FOLL_NOFAULT | (write ? FOLL_WRITE : 0);
	struct accelsim_atc *atc = &adev->atc;
	struct accelsim_atc_entry *e;
	struct page *page;
	unsigned long seq;
	long got;
	int err;

	spin_lock(&atc->lock);
	e = accelsim_atc_lookup(atc, amm->pasid, addr, write);
	if (e) {
		if (e->hits < U32_MAX)
			e->hits++;
		spin_unlock(&atc->lock);
		accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
		accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_ATC_HITS);
		return 0;
	}
	spin_unlock(&atc->lock);
	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_ATC_MISSES);

	/* A kernel context: a page of its buffer, or a fault past its end. */
	if (!amm->mm) {
		page = accelsim_kctx_page(amm, addr);
		if (!page)
			return -EFAULT;
		get_page(page);
		spin_lock(&atc->lock);
		accelsim_atc_insert(atc, amm->pasid, pe, addr, true, page);
		spin_unlock(&atc->lock);
		accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
		return 0;
	}

	if (!mmget_not_zero(amm->mm))
		return -EFAULT;
	for (;;) {
		if (accelsim_mmu_read_begin(amm, &seq) ||
		    !mmap_read_trylock(amm->mm)) {
			err = -EAGAIN;
			break;
		}
		got = accelsim_gup_remote(amm->mm, addr & PAGE_MASK, gup_flags,
					  &page);
		mmap_read_unlock(amm->mm);
		if (got != 1) {
			err = -EFAULT;
			break;
		}
		if (write)
			set_page_dirty_lock(page);

		spin_lock(&atc->lock);
		if (!accelsim_mmu_read_retry(amm, seq)) {
			accelsim_atc_insert(atc, amm->pasid, pe, addr, write,
					    page);
			spin_unlock(&atc->lock);
			accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
			err = 0;
			break;
		}
		spin_unlock(&atc->lock);
		put_page(page);
		cond_resched();
	}
	mmput_async(amm->mm);
	return err;
}

/*
 * Drop the entries of @pasid in [start, end); ACCELSIM_PASID_ALL drops
 * those of every PASID. Returns how many. Waits for the engine's in-flight
 * access, which holds the lock.
 */
u32 accelsim_atc_invalidate(struct accelsim_dev *adev, u32 pasid,
			    u64 start, u64 end)
{
	struct accelsim_atc *atc = &adev->atc;
	struct accelsim_atc_entry *e;
	unsigned int i;
	u32 n = 0;

	spin_lock(&atc->lock);
	for (i = 0; i < ACCELSIM_ATC_ENTRIES; i++) {
		e = &atc->e[i];
		if (!e->valid ||
		    (pasid != ACCELSIM_PASID_ALL && e->pasid != pasid))
			continue;
		if (e->vpn < (start >> PAGE_SHIFT) ||
		    (e->vpn << PAGE_SHIFT) >= end)
			continue;
		accelsim_atc_drop(e);
		n++;
	}
	spin_unlock(&atc->lock);
	if (n) {
		accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
		accelsim_stats_add(&adev->stats,
				   ACCELSIM_CNT_ATC_INVALIDATIONS, n);
	}
	return n;
}

/* The device is going away: drop every entry and its page reference. */
void accelsim_atc_invalidate_all(struct accelsim_dev *adev)
{
	struct accelsim_atc *atc = &adev->atc;
	unsigned int i;

	spin_lock(&atc->lock);
	for (i = 0; i < ACCELSIM_ATC_ENTRIES; i++)
		if (atc->e[i].valid)
			accelsim_atc_drop(&atc->e[i]);
	spin_unlock(&atc->lock);
	accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
}

/*
 * The atc view: one row per valid entry, in cache order, with the user
 * virtual address of the page (never the page or its physical address).
 * An entry of a kernel context carries the buffer offset it translates.
 */
void accelsim_atc_show(struct seq_file *m, struct accelsim_dev *adev)
{
	struct accelsim_atc *atc = &adev->atc;
	unsigned long now = jiffies;
	struct accelsim_atc_entry *e;
	unsigned int i;

	seq_puts(m, "set way pasid pe vaddr perm hits age_ms\n");
	spin_lock(&atc->lock);
	for (i = 0; i < ACCELSIM_ATC_ENTRIES; i++) {
		e = &atc->e[i];
		if (!e->valid)
			continue;
		seq_printf(m, "%u %u %u %u 0x%llx %s %u %u\n",
			   i / ACCELSIM_ATC_WAYS, i % ACCELSIM_ATC_WAYS,
			   e->pasid, e->pe, e->vpn << PAGE_SHIFT,
			   e->writable ? "rw" : "r-", e->hits,
			   jiffies_to_msecs(now - e->filled));
	}
	spin_unlock(&atc->lock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the device's address translation cache (ATC). A set-associative
 * cache of atc_entries entries (a module parameter), ACCELSIM_ATC_WAYS ways
 * per set, keyed by PASID and virtual page. An entry holds a reference to
 * the translated page and whether it may be written. The engine only
 * touches user memory through an entry, under the ATC lock, so
 * invalidation (which takes the same lock) waits for in-flight accesses.
 *
 * The set of a page is its virtual page number's low bits, XORed with a
 * hash of the PASID: consecutive pages of one PASID fall into consecutive
 * sets, as in a device built to stream, so a buffer of up to one page per
 * set never evicts itself, and the same addresses of two PASIDs do not
 * share their sets.
 *
 * A miss is filled by looking the pages up in the mm without faulting them
 * in (FOLL_NOFAULT): the missing page and up to ACCELSIM_ATC_RUN - 1 pages
 * after it that the descriptor goes on to, in one get_user_pages_remote()
 * call. A missing first page or permission is a translation fault for the
 * caller to raise, together with the pages after it that miss too (a page
 * request group); the run stops at the first page that is missing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "accelsim.h"
#include "compat.h"

/* A valid atc_entries: a power of two, one set to ACCELSIM_ATC_MAX. */
bool accelsim_atc_size_ok(unsigned int entries)
{
	return entries >= ACCELSIM_ATC_WAYS && entries <= ACCELSIM_ATC_MAX &&
	       is_power_of_2(entries);
}

int accelsim_atc_init(struct accelsim_atc *atc, u32 entries)
{
	spin_lock_init(&atc->lock);
	atc->nr = entries;
	atc->sets = entries / ACCELSIM_ATC_WAYS;
	atc->e = kvcalloc(entries, sizeof(*atc->e), GFP_KERNEL);
	atc->next = kvcalloc(atc->sets, sizeof(*atc->next), GFP_KERNEL);
	if (!atc->e || !atc->next) {
		accelsim_atc_fini(atc);
		return -ENOMEM;
	}
	return 0;
}

/* Every entry was dropped (accelsim_atc_invalidate_all()). */
void accelsim_atc_fini(struct accelsim_atc *atc)
{
	kvfree(atc->next);
	kvfree(atc->e);
	atc->next = NULL;
	atc->e = NULL;
}

static unsigned int accelsim_atc_set(const struct accelsim_atc *atc,
				     u32 pasid, u64 vpn)
{
	return (vpn ^ hash_32(pasid, 32)) & (atc->sets - 1);
}

/* Called with atc->lock held. Returns the entry or NULL on a miss. */
struct accelsim_atc_entry *accelsim_atc_lookup(struct accelsim_atc *atc,
					       u32 pasid, u64 addr,
					       bool write)
{
	u64 vpn = addr >> PAGE_SHIFT;
	unsigned int set = accelsim_atc_set(atc, pasid, vpn);
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
	unsigned int set = accelsim_atc_set(atc, pasid, vpn);
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
 * Called with @mm's mmap_lock held, @first's page missing the access of
 * @gup_flags: how many pages from @first on, up to @max, miss it, and would
 * be faulted in for it, in one VMA that the device may access. A page
 * request group of the device is the run of pages it missed, so a page
 * that is mapped ends it; so does the end of the VMA, and a VMA the fault
 * path refuses or that lacks the access makes the group the first page
 * alone, which is then acked ADDRESS_ERROR by itself.
 */
static u32 accelsim_atc_missing(struct mm_struct *mm, u64 first,
				unsigned long max, unsigned int gup_flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, first);
	vm_flags_t need = gup_flags & FOLL_WRITE ? VM_WRITE : VM_READ;
	struct page *page;
	u64 a;
	u32 n;

	if (!vma || vma->vm_flags & (VM_IO | VM_PFNMAP) ||
	    !(vma->vm_flags & need))
		return 1;
	for (n = 1; n < max; n++) {
		a = first + (u64)n * PAGE_SIZE;
		if (a >= vma->vm_end)
			break;
		if (accelsim_gup_remote(mm, a, 1, gup_flags, &page) == 1) {
			put_page(page);
			break;
		}
	}
	return n;
}

/*
 * Make sure the ATC translates @addr for @write. Returns 0 on a hit or a
 * successful fill, -EFAULT if the page is not mapped with that permission
 * (the caller raises a translation fault), or -EAGAIN if the address space
 * is busy: an invalidation of it is running, or its mmap_lock is taken by
 * a writer (or one waits for it). Nothing here waits for one process, so
 * the engine, which serves every context of the device, sets the work
 * aside and tries again later instead.
 *
 * A miss fills the run of pages from @addr's up to @end (exclusive, the
 * end of the caller's access), at most ACCELSIM_ATC_RUN pages and no more
 * than the sets, so the run never evicts itself: one page walk for the
 * run, which stops at the first page not mapped with the permission. The
 * whole run is cached under the ATC lock only if no invalidation began
 * since the walk, so an invalidation of any of its pages either comes
 * after the fill and drops them, or makes the walk start again.
 *
 * On -EFAULT, *@missing is the pages of the fault to raise: @addr's and
 * the pages after it, up to ACCELSIM_FAULT_GROUP and @end, that miss the
 * access too (see accelsim_atc_missing()).
 */
int accelsim_atc_translate(struct accelsim_dev *adev, struct accelsim_mm *amm,
			   u32 pe, u64 addr, u64 end, bool write, u32 *missing)
{
	unsigned int gup_flags = FOLL_NOFAULT | (write ? FOLL_WRITE : 0);
	struct accelsim_atc *atc = &adev->atc;
	struct page *pages[ACCELSIM_ATC_RUN];
	struct accelsim_atc_entry *e;
	u64 first = addr & PAGE_MASK, span;
	unsigned long seq, nr, want;
	long got, i;
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
	*missing = 1;
	if (!amm->mm) {
		pages[0] = accelsim_kctx_page(amm, addr);
		if (!pages[0])
			return -EFAULT;
		get_page(pages[0]);
		spin_lock(&atc->lock);
		accelsim_atc_insert(atc, amm->pasid, pe, addr, true, pages[0]);
		spin_unlock(&atc->lock);
		accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
		return 0;
	}

	/* The pages of [first, end), at least @addr's, within the bounds. */
	span = end > first ? min_t(u64, end - first,
				   max(ACCELSIM_ATC_RUN, ACCELSIM_FAULT_GROUP) *
				   PAGE_SIZE) : 1;
	want = DIV_ROUND_UP_ULL(span, PAGE_SIZE);
	nr = min_t(unsigned long, want, min(ACCELSIM_ATC_RUN, atc->sets));

	*missing = 1;
	if (!mmget_not_zero(amm->mm))
		return -EFAULT;
	for (;;) {
		if (accelsim_mmu_read_begin(amm, &seq) ||
		    !mmap_read_trylock(amm->mm)) {
			err = -EAGAIN;
			break;
		}
		got = accelsim_gup_remote(amm->mm, first, nr, gup_flags, pages);
		if (got <= 0)
			*missing = accelsim_atc_missing(amm->mm, first,
							min_t(unsigned long,
							      want,
							      ACCELSIM_FAULT_GROUP),
							gup_flags);
		mmap_read_unlock(amm->mm);
		if (got <= 0) {
			err = -EFAULT;
			break;
		}
		if (write)
			for (i = 0; i < got; i++)
				set_page_dirty_lock(pages[i]);

		spin_lock(&atc->lock);
		if (!accelsim_mmu_read_retry(amm, seq)) {
			for (i = 0; i < got; i++)
				accelsim_atc_insert(atc, amm->pasid, pe,
						    first + i * PAGE_SIZE,
						    write, pages[i]);
			spin_unlock(&atc->lock);
			accelsim_gen_bump(adev, ACCELSIM_GEN_ATC);
			err = 0;
			break;
		}
		spin_unlock(&atc->lock);
		for (i = 0; i < got; i++)
			put_page(pages[i]);
		cond_resched();
	}
	mmput_async(amm->mm);
	return err;
}

/* Called with atc->lock held: drop @e if it is of @pasid in [first, last]. */
static bool accelsim_atc_drop_in(struct accelsim_atc_entry *e, u32 pasid,
				 u64 first, u64 last)
{
	if (!e->valid || (pasid != ACCELSIM_PASID_ALL && e->pasid != pasid) ||
	    e->vpn < first || e->vpn > last)
		return false;
	accelsim_atc_drop(e);
	return true;
}

/*
 * Drop the entries of @pasid in [start, end); ACCELSIM_PASID_ALL drops
 * those of every PASID. Returns how many. Waits for the engine's in-flight
 * access, which holds the lock. A range of fewer pages than there are sets
 * looks in the sets of its pages only; any other in every entry.
 */
u32 accelsim_atc_invalidate(struct accelsim_dev *adev, u32 pasid,
			    u64 start, u64 end)
{
	struct accelsim_atc *atc = &adev->atc;
	u64 first = start >> PAGE_SHIFT, last, vpn;
	unsigned int i, w, set;
	u32 n = 0;

	if (end <= start)
		return 0;
	last = (end - 1) >> PAGE_SHIFT;

	spin_lock(&atc->lock);
	if (pasid != ACCELSIM_PASID_ALL && last - first < atc->sets) {
		for (vpn = first; vpn <= last; vpn++) {
			set = accelsim_atc_set(atc, pasid, vpn);
			for (w = 0; w < ACCELSIM_ATC_WAYS; w++)
				n += accelsim_atc_drop_in(&atc->e[set *
						ACCELSIM_ATC_WAYS + w],
						pasid, vpn, vpn);
		}
	} else {
		for (i = 0; i < atc->nr; i++)
			n += accelsim_atc_drop_in(&atc->e[i], pasid, first,
						  last);
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
	for (i = 0; i < atc->nr; i++)
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
	for (i = 0; i < atc->nr; i++) {
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

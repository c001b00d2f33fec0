/* SPDX-License-Identifier: GPL-2.0 */
/*
 * accelsim: internal declarations shared by the driver's files.
 *
 * Lock order, outermost first:
 *   accelsim_devs_lock > ctx->lock > adev->lock > amm->lock
 *   ctx->lock > a bound mm's mmap_lock (mmu_notifier_get(), or for a
 *   private PASID mmu_notifier_register(), at ATTACH) >
 *   the PASID allocator's xa_lock > amm->lock (the pasids view)
 *   adev->rq_lock, ctx->ev_lock, adev->irq_lock, amm->ctx_lock (leaf
 *   spinlocks; irq_lock and ctx_lock are taken before the eventfd and
 *   wait queue locks)
 *   adev->atc.lock > amm->inv_lock (spinlocks, never held while sleeping)
 *   amm->lock is a spinlock, held across mmu_notifier_put() and
 *   queue_work() but never while sleeping; no global lock is held across
 *   a binding's mmap_lock.
 *
 * A sysfs control (bus.c) runs holding its attribute's active reference,
 * which removing the device drains (accelsim_dev_stop(), with no global
 * lock held): so no device attribute's store may take accelsim_devs_lock
 * or wait for a device's deletion (only the bus's new_device and
 * del_device do).
 */
#ifndef _ACCELSIM_H
#define _ACCELSIM_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "uapi/accelsim.h"

#define ACCELSIM_DRV_VERSION	"0.1.0"
#define ACCELSIM_MAX_DEVS	256U	/* device ids 0..255, one minor each */
#define ACCELSIM_MAX_PE		32768U
#define ACCELSIM_IRQ_BUDGET	2048U
#define ACCELSIM_MAX_IRQ_BUDGET	65536U
#define ACCELSIM_ATC_WAYS	4U
/*
 * ATC entries per device (module parameter atc_entries): a power of two,
 * ACCELSIM_ATC_WAYS to ACCELSIM_ATC_MAX. The default holds the 512 pages
 * of a 1 MiB source and a 1 MiB destination, two ways per set.
 */
#define ACCELSIM_ATC_DEFAULT	1024U
#define ACCELSIM_ATC_MAX	65536U
/* Pages one ATC miss translates at most: the rest of the run, if mapped. */
#define ACCELSIM_ATC_RUN	16U
/*
 * Pages one fault (a page request group) carries at most: the missing page
 * and the missing pages the descriptor goes on to after it.
 */
#define ACCELSIM_FAULT_GROUP	16U
#define ACCELSIM_MAX_QUEUED	4096U	/* per context: work in flight + events */
#define ACCELSIM_PASID_ALL	0xffffffffU	/* a global TLBI: every PASID */
#define ACCELSIM_KCTX_SIZE	SZ_1M		/* default kernel buffer */
#define ACCELSIM_KCTX_MAX_SIZE	SZ_64M
#define ACCELSIM_HIST_BUCKETS	64
/*
 * Faults in a row at one address, each resolved yet still untranslatable
 * (a VM_PFNMAP mapping, say), before the device gives up on the address.
 */
#define ACCELSIM_FAULT_REPEATS	16U

struct dentry;
struct page;
struct seq_file;

extern unsigned int accelsim_max_pe;
extern unsigned int accelsim_pasid_bits;
extern unsigned int accelsim_atc_entries;

/* --- stats.c --------------------------------------------------------- */

enum accelsim_counter {
	ACCELSIM_CNT_ATTACHES,
	ACCELSIM_CNT_DETACHES,
	ACCELSIM_CNT_FAULTS_RAISED,
	ACCELSIM_CNT_FAULTS_ACKED_RESTART,
	ACCELSIM_CNT_FAULTS_ACKED_ADDRESS_ERROR,
	ACCELSIM_CNT_TLBIS,
	ACCELSIM_CNT_ATC_INVALIDATIONS,
	ACCELSIM_CNT_ATC_HITS,
	ACCELSIM_CNT_ATC_MISSES,
	ACCELSIM_CNT_IRQS_FIRED,
	ACCELSIM_CNT_WORK_SUBMITTED,
	ACCELSIM_CNT_WORK_DONE,
	ACCELSIM_CNT_WORK_FAILED,
	ACCELSIM_CNT_BYTES,
	ACCELSIM_CNT_AFU_ERRORS,
	ACCELSIM_CNT_EVENTS_DROPPED,
	ACCELSIM_NR_COUNTERS,
};

struct accelsim_stats {
	atomic64_t gen;			/* the stats view's generation */
	atomic64_t cnt[ACCELSIM_NR_COUNTERS];
	atomic64_t fault_lat[ACCELSIM_HIST_BUCKETS];
	atomic64_t tlbi_lat[ACCELSIM_HIST_BUCKETS];
};

void accelsim_stats_inc(struct accelsim_stats *st, enum accelsim_counter c);
void accelsim_stats_add(struct accelsim_stats *st, enum accelsim_counter c,
			u64 v);
void accelsim_stats_hist(struct accelsim_stats *st, atomic64_t *hist, u64 ns);
void accelsim_stats_show(struct seq_file *m, struct accelsim_stats *st);

/* --- pasid.c: the global PASID allocator and per-mm bindings ----------- */

enum accelsim_pasid_state {
	ACCELSIM_PASID_LIVE,		/* has contexts */
	ACCELSIM_PASID_DRAINING,	/* no contexts, outstanding > 0 */
	ACCELSIM_PASID_FREE_PENDING,	/* nothing outstanding, not returned */
};

/*
 * One per bound mm: owns the mm's PASID and its mmu_notifier, which is the
 * mm's one shared accelsim notifier (mmu_notifier_get()), shared by every
 * device. Contexts (refs) and faults and work items carrying the PASID
 * (outstanding) keep it; it is freed only when both reach zero: it then
 * drops the notifier reference it held while live or draining, and the
 * PASID returns to the allocator once the notifier is freed.
 *
 * A private binding (ATTACH with ACCELSIM_ATTACH_PRIVATE_PASID) is one
 * more binding of the same mm, owned by one context: a PASID and a
 * notifier of its own (mmu_notifier_register() under other ops, so that
 * mmu_notifier_get() never finds it), never handed to another context,
 * with the same life cycle and the same put of its notifier.
 *
 * A kernel context's binding has no mm (mm is NULL, no notifier): its
 * address space is a kernel buffer, addressed by offset, which the binding
 * owns and frees with itself, so no work or fault can outlive it.
 */
struct accelsim_mm {
	struct mmu_notifier mn;		/* holds its own mm_count */
	struct mm_struct *mm;		/* mmgrab()ed at alloc; NULL: kernel */
	void *kbuf;			/* kernel binding: the buffer */
	u64 kbuf_size;			/* kernel binding: its bytes */
	u32 pasid;
	u32 pid;			/* tgid of the binder */
	bool private;			/* one context's own PASID */
	spinlock_t lock;		/* refs, outstanding, state */
	u32 refs;
	u32 outstanding;
	enum accelsim_pasid_state state;
	struct work_struct free_work;
	spinlock_t ctx_lock;		/* ctxs, released */
	/*
	 * Contexts with a PE for this PASID: a TLBI goes to their devices
	 * only. A context joins before it can run work and leaves after its
	 * detach flushed its device.
	 */
	struct list_head ctxs;
	bool released;			/* the mm is gone (notifier release) */
	spinlock_t inv_lock;		/* inv_seq, inv_active */
	unsigned long inv_seq;
	u32 inv_active;
};

struct accelsim_mm *accelsim_mm_alloc(u32 pid, struct mm_struct *mm,
				      bool private);
void accelsim_mm_free(struct accelsim_mm *amm);
struct accelsim_mm *accelsim_mm_bind(struct mm_struct *mm);
struct accelsim_mm *accelsim_mm_bind_private(struct mm_struct *mm);
struct accelsim_mm *accelsim_mm_bind_kernel(void *buf, u64 size);
void accelsim_mm_unbind(struct accelsim_mm *amm);
void accelsim_mm_outstanding_get(struct accelsim_mm *amm);
void accelsim_mm_outstanding_put(struct accelsim_mm *amm);
const char *accelsim_pasid_state_name(enum accelsim_pasid_state state);
const char *accelsim_pasid_kind_name(const struct accelsim_mm *amm);
void accelsim_pasids_show_global(struct seq_file *m);
int accelsim_pasid_init(void);
void accelsim_pasid_exit(void);

/* --- mmu.c: the mmu_notifier of a binding, TLBIs ------------------------ */

struct accelsim_mm *accelsim_mmu_get(struct mm_struct *mm);
int accelsim_mmu_register(struct accelsim_mm *amm);
void accelsim_mmu_put(struct accelsim_mm *amm);
int accelsim_mmu_read_begin(struct accelsim_mm *amm, unsigned long *seq);
bool accelsim_mmu_read_retry(struct accelsim_mm *amm, unsigned long seq);

/* --- atc.c: the device translation cache ----------------------------- */

struct accelsim_atc_entry {
	struct page *page;		/* referenced while valid */
	u64 vpn;
	u32 pasid;
	u32 pe;				/* the PE whose work filled it */
	u32 hits;			/* lookups it answered */
	unsigned long filled;		/* jiffies when filled */
	bool valid;
	bool writable;
};

/* The set, entries and next arrays are fixed from init to fini. */
struct accelsim_atc {
	spinlock_t lock;		/* entries; held across engine access */
	struct accelsim_atc_entry *e;	/* nr entries, way by way per set */
	u8 *next;			/* round-robin victim per set */
	u32 nr;				/* entries */
	u32 sets;			/* nr / ACCELSIM_ATC_WAYS */
};

struct accelsim_dev;

bool accelsim_atc_size_ok(unsigned int entries);
int accelsim_atc_init(struct accelsim_atc *atc, u32 entries);
void accelsim_atc_fini(struct accelsim_atc *atc);
struct accelsim_atc_entry *accelsim_atc_lookup(struct accelsim_atc *atc,
					       u32 pasid, u64 addr,
					       bool write);
int accelsim_atc_translate(struct accelsim_dev *adev, struct accelsim_mm *amm,
			   u32 pe, u64 addr, u64 end, bool write, u32 *missing);
u32 accelsim_atc_invalidate(struct accelsim_dev *adev, u32 pasid,
			    u64 start, u64 end);
void accelsim_tlbi_device(struct accelsim_dev *adev, u32 pasid, u64 start,
			  u64 end);
void accelsim_atc_invalidate_all(struct accelsim_dev *adev);
void accelsim_atc_show(struct seq_file *m, struct accelsim_dev *adev);

/* --- spa.c: the scheduled process area ---------------------------------- */

#define ACCELSIM_PE_VALID	0x80000000U	/* state word: PE published */

/* One process element as the device reads it, little endian, 64 bytes. */
struct accelsim_spa_pe {
	__le32 state;
	__le32 pasid;
	__le32 pid;
	__le32 flags;
	__le32 reserved[12];
};

#define ACCELSIM_PE_FLAG_KERNEL	0x1U

struct accelsim_spa {
	struct accelsim_spa_pe *pes;	/* max_pe entries */
	struct accelsim_ctx **ctxs;	/* driver side, under adev->lock */
	struct ida ida;
	u32 used;
};

int accelsim_spa_init(struct accelsim_spa *spa, u32 max_pe);
void accelsim_spa_fini(struct accelsim_spa *spa);
int accelsim_spa_add(struct accelsim_dev *adev, struct accelsim_ctx *ctx);
void accelsim_spa_remove(struct accelsim_dev *adev, struct accelsim_ctx *ctx);
bool accelsim_spa_read(struct accelsim_dev *adev, u32 pe, u32 *pasid);

/* --- irq.c: IRQ ranges ------------------------------------------------ */

struct eventfd_ctx;

/* A range of hwirqs of one context; fields under adev->irq_lock. */
struct accelsim_irq_range {
	struct list_head node;		/* adev->irq_ranges */
	struct accelsim_ctx *ctx;	/* owner; NULL once freed */
	struct eventfd_ctx **efd;	/* count entries; NULL once freed */
	u32 pe;
	u32 pasid;
	u32 hwirq;			/* first */
	u32 count;
	u32 users;			/* work items that will raise it */
	bool freed;			/* mute; released when users is 0 */
	u64 fired;
};

/* --- dev.c ----------------------------------------------------------- */

enum accelsim_dev_state {
	ACCELSIM_DEV_ONLINE,
	ACCELSIM_DEV_REMOVING,
};

/*
 * The per-device views with a generation (debugfs "gen", accelsim(4)):
 * a count that grows whenever a row of the view changes, so a tool reads
 * one small file and skips a view whose count did not move. stats keeps
 * its own, in struct accelsim_stats.
 */
enum accelsim_view {
	ACCELSIM_VIEW_INFO,
	ACCELSIM_VIEW_SPA,
	ACCELSIM_VIEW_PASIDS,
	ACCELSIM_VIEW_FAULTS,
	ACCELSIM_VIEW_IRQS,
	ACCELSIM_VIEW_ATC,
	ACCELSIM_VIEW_KCTX,
	ACCELSIM_NR_VIEWS,
};

#define ACCELSIM_GEN_INFO	BIT(ACCELSIM_VIEW_INFO)
#define ACCELSIM_GEN_SPA	BIT(ACCELSIM_VIEW_SPA)
#define ACCELSIM_GEN_PASIDS	BIT(ACCELSIM_VIEW_PASIDS)
#define ACCELSIM_GEN_FAULTS	BIT(ACCELSIM_VIEW_FAULTS)
#define ACCELSIM_GEN_IRQS	BIT(ACCELSIM_VIEW_IRQS)
#define ACCELSIM_GEN_ATC	BIT(ACCELSIM_VIEW_ATC)
#define ACCELSIM_GEN_KCTX	BIT(ACCELSIM_VIEW_KCTX)

/* One emulated accelerator function unit, afuN. */
struct accelsim_dev {
	u32 id;
	struct kref kref;		/* contexts, open files, the device list */
	struct list_head node;		/* accelsim_devs: RCU, accelsim_devs_lock */
	bool unlisting;			/* being deleted, accelsim_devs_lock */
	struct dentry *ddir;		/* debugfs afuN/, or an error */
	struct device *bdev;		/* bus device: the sysfs controls */
	struct device *cdev_dev;
	struct cdev *cdev;		/* dynamic: outlives us if open */
	struct mutex lock;		/* SPA, work and fault lists, state */
	enum accelsim_dev_state state;
	u32 max_pe;
	u32 irq_budget;
	u32 atc_entries;

	struct accelsim_spa spa;
	struct accelsim_atc atc;
	struct accelsim_stats stats;

	/* engine.c */
	struct task_struct *engine;
	spinlock_t rq_lock;		/* rq, engine_ctx */
	struct list_head rq;		/* runnable work */
	struct accelsim_ctx *engine_ctx; /* context the engine runs now */
	struct list_head parked;	/* work whose mm was busy, rq_lock */
	unsigned long parked_until;	/* jiffies: retry parked, rq_lock */
	wait_queue_head_t engine_wq;	/* work queued */
	wait_queue_head_t idle_wq;	/* engine_ctx changed */
	struct list_head works;		/* every unfinished work, under lock */

	/* fault.c */
	struct workqueue_struct *fault_wq;
	struct list_head faults;	/* pending faults by id, under lock */
	u32 nr_faults;

	/* irq.c */
	spinlock_t irq_lock;		/* irq_ranges, irq_map, irqs_used */
	struct list_head irq_ranges;	/* by hwirq */
	unsigned long *irq_map;		/* irq_budget bits, set if in use */
	u32 irqs_used;

	/* kctx.c: kernel contexts, under lock */
	struct list_head kctxs;

	/* context.c: zombies hold a context reference, under lock */
	struct list_head zombies;
	u32 nr_zombies;
	wait_queue_head_t terminate_wq;	/* hang_terminate cleared */

	/* inject.c, under lock */
	bool hang_terminate;
	bool hold_faults;
	u64 fault_delay_ns;
	u64 tlbi_delay_ns;		/* read locklessly by the notifier */
	u32 fail_attach_n;
	u32 fail_attach_errno;

	/* debugfs "gen": each view's generation, lockless */
	atomic64_t gen[ACCELSIM_NR_VIEWS];
};

/*
 * A change of the rows of @views (ACCELSIM_GEN_* bits) is done: count it
 * in their generations. Called after the change, so that a reader who
 * sees the new count and then reads the view sees the change too.
 */
static inline void accelsim_gen_bump(struct accelsim_dev *adev,
				     unsigned long views)
{
	unsigned int v;

	/* Pairs with the reader's syscalls: the change, then the count. */
	smp_mb__before_atomic();
	for (v = 0; v < ACCELSIM_NR_VIEWS; v++)
		if (views & BIT(v))
			atomic64_inc(&adev->gen[v]);
}

struct accelsim_dev *accelsim_dev_create(u32 id, u32 max_pe, u32 irq_budget);
void accelsim_dev_stop(struct accelsim_dev *adev);
void accelsim_dev_remove(struct accelsim_dev *adev);
void accelsim_dev_put(struct accelsim_dev *adev);

/* main.c: the device list */
struct accelsim_dev *accelsim_dev_get_by_id(u32 id);
int accelsim_dev_new(u32 id, u32 max_pe, u32 irq_budget);
int accelsim_dev_del(u32 id);
extern struct list_head accelsim_devs;

/* --- chardev.c ------------------------------------------------------- */

int accelsim_chardev_init(void);
void accelsim_chardev_exit(void);
int accelsim_chardev_add(struct accelsim_dev *adev);
void accelsim_chardev_del(struct accelsim_dev *adev);

/* --- context.c ------------------------------------------------------- */

enum accelsim_ctx_state {
	ACCELSIM_CTX_OPEN,		/* not attached yet */
	ACCELSIM_CTX_ACTIVE,		/* PE published */
	ACCELSIM_CTX_TERMINATING,	/* engine stopping, no new work */
	ACCELSIM_CTX_DETACHED,		/* PE freed */
	ACCELSIM_CTX_ZOMBIE,		/* terminate not confirmed: PE kept */
};

struct accelsim_event {
	struct list_head node;
	struct accelsim_event_header hdr;
	union {
		struct accelsim_event_work_done work_done;
		struct accelsim_event_fault_error fault_error;
		struct accelsim_event_afu_error afu_error;
	} body;
};

struct accelsim_ctx {
	struct kref kref;		/* file, work, faults, lookups */
	struct accelsim_dev *adev;	/* holds a device reference */
	struct mutex lock;		/* attach, terminate */
	enum accelsim_ctx_state state;	/* written under adev->lock */
	u32 pe;
	u32 pasid;
	u32 pid;
	char comm[TASK_COMM_LEN];
	struct accelsim_mm *amm;	/* set while a context reference */

	atomic64_t faults;
	atomic64_t tlbis;
	atomic64_t irqs;
	atomic64_t work;
	atomic64_t bytes;

	spinlock_t ev_lock;		/* events, queued */
	struct list_head events;
	u32 inflight;			/* work not completed */
	u32 nr_events;			/* events not read */
	wait_queue_head_t wq;
	struct mutex read_lock;		/* one reader dequeues at a time */
	struct list_head zombie_node;	/* adev->zombies, under adev->lock */
	struct list_head amm_node;	/* amm->ctxs, under amm->ctx_lock */
	bool mm_gone;			/* the bound mm exited */
	bool kernel;			/* a kernel context: no mm */
	struct accelsim_kctx *kctx;	/* kernel context: freed with us */
};

struct accelsim_ctx *accelsim_ctx_create(struct accelsim_dev *adev);
void accelsim_ctx_get(struct accelsim_ctx *ctx);
void accelsim_ctx_put(struct accelsim_ctx *ctx);
int accelsim_ctx_attach(struct accelsim_ctx *ctx,
			struct accelsim_ioctl_attach *arg);
int accelsim_ctx_publish(struct accelsim_ctx *ctx, struct accelsim_mm *amm);
int accelsim_ctx_terminate(struct accelsim_ctx *ctx);
void accelsim_zombies_release(struct accelsim_dev *adev);
bool accelsim_ctx_reserve(struct accelsim_ctx *ctx);
void accelsim_ctx_unreserve(struct accelsim_ctx *ctx);
void accelsim_ctx_post(struct accelsim_ctx *ctx, struct accelsim_event *ev,
		       bool work_done);
struct accelsim_event *accelsim_event_alloc(u16 type, gfp_t gfp);
ssize_t accelsim_ctx_read(struct accelsim_ctx *ctx, char __user *buf,
			  size_t count, bool nonblock);
__poll_t accelsim_ctx_poll(struct accelsim_ctx *ctx, struct file *file,
			   poll_table *wait);
bool accelsim_ctx_dead(struct accelsim_ctx *ctx);
void accelsim_ctx_mm_gone(struct accelsim_ctx *ctx);

/* --- fault.c --------------------------------------------------------- */

enum accelsim_fault_state {
	ACCELSIM_FAULT_PENDING,
	ACCELSIM_FAULT_RESOLVING,
	ACCELSIM_FAULT_HELD,
};

struct accelsim_fault {
	struct list_head node;		/* adev->faults, under adev->lock */
	struct work_struct wk;
	struct accelsim_dev *adev;
	struct accelsim_ctx *ctx;	/* holds a context reference */
	struct accelsim_mm *amm;	/* holds an outstanding count */
	struct accelsim_work *work;	/* parked work, or NULL if injected */
	struct accelsim_event *ev;	/* error event, preallocated */
	enum accelsim_fault_state state;
	bool embedded;			/* part of its work, not kfree()d */
	bool fatal;			/* repeats without progress: no retry */
	u64 id;				/* of the first page; then id + i */
	u32 pages;			/* pages in the group, from 1 */
	u32 pe;
	u32 pasid;
	u64 addr;			/* of the first page; then its page + i */
	u32 access;
	u64 raised_ns;
};

/* --- engine.c -------------------------------------------------------- */

enum accelsim_work_state {
	ACCELSIM_WORK_QUEUED,
	ACCELSIM_WORK_RUNNING,
	ACCELSIM_WORK_FAULTED,		/* parked on a fault */
	ACCELSIM_WORK_BUSY,		/* its mm was busy: on adev->parked */
};

struct accelsim_work {
	struct list_head rq_node;	/* adev->rq, under rq_lock */
	struct list_head node;		/* adev->works, under adev->lock */
	struct accelsim_ctx *ctx;	/* holds a context reference */
	struct accelsim_mm *amm;	/* holds an outstanding count */
	enum accelsim_work_state state;
	u64 id;
	u32 op;
	u32 flags;
	u64 src;
	u64 dst;
	u64 len;
	u64 tag;
	u8 pattern;
	u32 hwirq;
	struct accelsim_irq_range *irq;	/* a use of it, with SUBMIT_IRQ */
	u64 done;			/* bytes processed */
	u32 fault_repeats;		/* faults in a row at one address */
	struct accelsim_event *ev;	/* completion, preallocated */
	struct accelsim_event *fault_ev; /* fault error, preallocated */
	struct accelsim_fault fault;	/* at most one fault at a time */
};

int accelsim_engine_start(struct accelsim_dev *adev);
void accelsim_engine_stop(struct accelsim_dev *adev);
int accelsim_work_check(const struct accelsim_ioctl_submit *arg);
int accelsim_work_submit(struct accelsim_ctx *ctx,
			 struct accelsim_ioctl_submit *arg);
void accelsim_work_requeue(struct accelsim_work *work);
void accelsim_work_complete(struct accelsim_work *work, u32 status, u64 addr);
void accelsim_engine_quiesce_ctx(struct accelsim_ctx *ctx);

/* --- irq.c ---------------------------------------------------------- */

int accelsim_irq_init(struct accelsim_dev *adev);
void accelsim_irq_fini(struct accelsim_dev *adev);
int accelsim_irq_alloc(struct accelsim_ctx *ctx, u32 count, u32 *hwirq);
int accelsim_irq_free(struct accelsim_ctx *ctx, u32 hwirq);
void accelsim_irq_free_ctx(struct accelsim_ctx *ctx);
int accelsim_irq_set_fd(struct accelsim_ctx *ctx, u32 hwirq, int fd);
struct accelsim_irq_range *accelsim_irq_get(struct accelsim_ctx *ctx,
					    u32 hwirq);
void accelsim_irq_put(struct accelsim_dev *adev, struct accelsim_irq_range *r);
void accelsim_irq_fire(struct accelsim_dev *adev, struct accelsim_irq_range *r,
		       u32 hwirq);
int accelsim_irq_inject(struct accelsim_dev *adev, u32 hwirq);
void accelsim_irqs_show(struct seq_file *m, struct accelsim_dev *adev);

/* --- fault.c --------------------------------------------------------- */

void accelsim_fault_init_work(struct accelsim_fault *fault);
void accelsim_fault_raise(struct accelsim_work *work, u64 addr, u32 access,
			  u32 pages);
int accelsim_fault_inject(struct accelsim_dev *adev, u32 pasid, u64 addr,
			  u32 access);
void accelsim_faults_release(struct accelsim_dev *adev);
void accelsim_faults_show(struct seq_file *m, struct accelsim_dev *adev);
int accelsim_fault_init(struct accelsim_dev *adev);
void accelsim_fault_fini(struct accelsim_dev *adev);

/* --- kctx.c: kernel contexts (no mm), for in-kernel users and tests --- */

/*
 * A kernel context: a context with no mm whose work runs on a kernel
 * buffer. It is named by its device and PE; the device's list holds its
 * only reference, and it is freed with its context.
 */
struct accelsim_kctx {
	struct list_head node;		/* adev->kctxs, under adev->lock */
	struct accelsim_ctx *ctx;
	u64 size;			/* buffer bytes */
	/* Completions and errors, under ctx->ev_lock. */
	u64 ok;				/* status OK */
	u64 mismatch;			/* COMPARE found a difference */
	u64 failed;			/* FAULT, ABORTED or AFU_ERROR */
	u64 fault_addr;			/* offset of the last ADDRESS_ERROR */
	bool faulted;			/* fault_addr is set */
};

int accelsim_kctx_create(struct accelsim_dev *adev, u64 size, u32 *pe);
int accelsim_kctx_destroy(struct accelsim_dev *adev, u32 pe);
int accelsim_kctx_submit(struct accelsim_dev *adev, u32 pe,
			 struct accelsim_ioctl_submit *arg);
void accelsim_kctx_destroy_all(struct accelsim_dev *adev);
void accelsim_kctx_post(struct accelsim_ctx *ctx, struct accelsim_event *ev,
			bool work_done);
struct page *accelsim_kctx_page(struct accelsim_mm *amm, u64 addr);
void accelsim_kctx_tlbi(struct accelsim_ctx *ctx);

/* --- bus.c: the sysfs controls; inject.c, kctx.c: their groups ------- */

struct attribute_group;

extern const struct attribute_group accelsim_inject_group;
extern const struct attribute_group accelsim_kctx_group;

int accelsim_bus_init(void);
void accelsim_bus_exit(void);
int accelsim_bus_dev_add(struct accelsim_dev *adev);
void accelsim_bus_dev_del(struct accelsim_dev *adev);
struct accelsim_dev *accelsim_bus_to_adev(struct device *dev);
int accelsim_ctl_copy(const char *buf, size_t count, char *out, size_t size);
int accelsim_ctl_words(char *buf, char **words, int max);
int accelsim_ctl_u32s(char **words, int n, u32 *vals);

/* --- flight.c: the driver's events in a tracefs instance of its own ---- */

#define ACCELSIM_FLIGHT_INSTANCE "accelsim"

void accelsim_flight_init(void);
void accelsim_flight_exit(void);

/* --- debugfs.c: the read-only views, optional -------------------------- */

void accelsim_debugfs_init(void);
void accelsim_debugfs_exit(void);
void accelsim_debugfs_dev_init(struct accelsim_dev *adev);
void accelsim_debugfs_dev_exit(struct accelsim_dev *adev);
void accelsim_kctx_show(struct seq_file *m, struct accelsim_dev *adev);

#endif /* _ACCELSIM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: debugfs. Each view is a seq_file with one header line and
 * space-separated columns, taken under its owner's lock so one read is
 * consistent; see accelsim(4). Every file is read-only (0400), so the
 * views stay readable under lockdown=integrity; the controls are in sysfs
 * (bus.c). Debugfs is optional: without it (debugfs=off, or not built)
 * the driver works and only the views are missing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "accelsim.h"

static struct dentry *accelsim_debugfs_root;

static const char * const accelsim_ctx_state_names[] = {
	[ACCELSIM_CTX_OPEN] = "open",
	[ACCELSIM_CTX_ACTIVE] = "active",
	[ACCELSIM_CTX_TERMINATING] = "terminating",
	[ACCELSIM_CTX_DETACHED] = "detached",
	[ACCELSIM_CTX_ZOMBIE] = "zombie",
};

/* One row of a per-device pasids view. */
struct accelsim_pasid_row {
	u32 pasid;
	u32 pid;
	u32 refs;
	u32 outstanding;
	const char *kind;
};

static struct accelsim_pasid_row *
accelsim_pasid_row(struct accelsim_pasid_row *rows, u32 *n,
		   struct accelsim_mm *amm)
{
	u32 i;

	for (i = 0; i < *n; i++)
		if (rows[i].pasid == amm->pasid)
			return &rows[i];
	rows[i].pasid = amm->pasid;
	rows[i].pid = amm->pid;
	rows[i].kind = accelsim_pasid_kind_name(amm);
	rows[i].refs = 0;
	rows[i].outstanding = 0;
	(*n)++;
	return &rows[i];
}

static int accelsim_pasid_row_cmp(const void *a, const void *b)
{
	const struct accelsim_pasid_row *ra = a, *rb = b;

	return ra->pasid < rb->pasid ? -1 : ra->pasid > rb->pasid;
}

/*
 * Collect the PASIDs with a context, a work item or a fault on @adev.
 * Called with adev->lock held; returns the row count or -ENOMEM.
 */
static int accelsim_dev_pasids(struct accelsim_dev *adev,
			       struct accelsim_pasid_row **out)
{
	struct accelsim_pasid_row *rows;
	struct accelsim_fault *fault;
	struct accelsim_work *work;
	struct accelsim_ctx *ctx;
	u32 n = 0, max, pe;

	lockdep_assert_held(&adev->lock);

	max = adev->spa.used + adev->nr_faults;
	list_for_each_entry(work, &adev->works, node)
		max++;
	rows = kvcalloc(max ?: 1, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;

	for (pe = 0; pe < adev->max_pe; pe++) {
		ctx = adev->spa.ctxs[pe];
		if (ctx)
			accelsim_pasid_row(rows, &n, ctx->amm)->refs++;
	}
	list_for_each_entry(work, &adev->works, node)
		accelsim_pasid_row(rows, &n, work->amm)->outstanding++;
	list_for_each_entry(fault, &adev->faults, node)
		accelsim_pasid_row(rows, &n, fault->amm)->outstanding++;
	sort(rows, n, sizeof(*rows), accelsim_pasid_row_cmp, NULL);
	*out = rows;
	return n;
}

static int info_show(struct seq_file *m, void *unused)
{
	struct accelsim_dev *adev = m->private;
	struct accelsim_pasid_row *rows;
	u32 i, pasids = 0;
	int n;

	mutex_lock(&adev->lock);
	n = accelsim_dev_pasids(adev, &rows);
	if (n < 0)
		goto out_unlock;
	for (i = 0; i < n; i++)
		if (rows[i].refs)
			pasids++;
	kvfree(rows);
	seq_puts(m, "dev version max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies\n");
	seq_printf(m, "afu%u %s %u %u %u %u %s %u %u %u %u %u\n", adev->id,
		   ACCELSIM_DRV_VERSION, adev->max_pe, accelsim_pasid_bits,
		   adev->irq_budget, adev->atc_entries,
		   adev->state == ACCELSIM_DEV_ONLINE ? "online" : "removing",
		   adev->spa.used, pasids, adev->nr_faults,
		   READ_ONCE(adev->irqs_used), adev->nr_zombies);
out_unlock:
	mutex_unlock(&adev->lock);
	return n < 0 ? n : 0;
}
DEFINE_SHOW_ATTRIBUTE(info);

static int spa_show(struct seq_file *m, void *unused)
{
	struct accelsim_dev *adev = m->private;
	struct accelsim_ctx *ctx;
	u32 pe;

	mutex_lock(&adev->lock);
	seq_puts(m, "pe pasid pid comm state kernel faults tlbis irqs work bytes\n");
	for (pe = 0; pe < adev->max_pe; pe++) {
		ctx = adev->spa.ctxs[pe];
		if (!ctx)
			continue;
		seq_printf(m, "%u %u %u %s %s %u %lld %lld %lld %lld %lld\n",
			   pe, ctx->pasid, ctx->pid,
			   ctx->comm[0] ? ctx->comm : "-",
			   accelsim_ctx_state_names[ctx->state], ctx->kernel,
			   atomic64_read(&ctx->faults),
			   atomic64_read(&ctx->tlbis),
			   atomic64_read(&ctx->irqs),
			   atomic64_read(&ctx->work),
			   atomic64_read(&ctx->bytes));
	}
	mutex_unlock(&adev->lock);
	return 0;
}

/* Bytes of a typical spa row; a longer view only costs a buffer regrowth. */
#define ACCELSIM_SPA_ROW_BYTES	64

/*
 * The whole view is printed in one show() call, under adev->lock. Size the
 * buffer for the rows in use up front: seq_file would otherwise print the
 * view again for each doubling of a one-page buffer.
 */
static int spa_open(struct inode *inode, struct file *file)
{
	struct accelsim_dev *adev = inode->i_private;
	size_t size = (READ_ONCE(adev->spa.used) + 1) * ACCELSIM_SPA_ROW_BYTES;

	return single_open_size(file, spa_show, adev,
				max_t(size_t, size, PAGE_SIZE));
}

static const struct file_operations spa_fops = {
	.owner = THIS_MODULE,
	.open = spa_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static int pasids_show(struct seq_file *m, void *unused)
{
	struct accelsim_dev *adev = m->private;
	struct accelsim_pasid_row *rows;
	int i, n;

	mutex_lock(&adev->lock);
	n = accelsim_dev_pasids(adev, &rows);
	if (n < 0)
		goto out_unlock;
	seq_puts(m, "pasid pid refs outstanding state kind\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%u %u %u %u %s %s\n", rows[i].pasid,
			   rows[i].pid, rows[i].refs, rows[i].outstanding,
			   accelsim_pasid_state_name(rows[i].refs ?
					ACCELSIM_PASID_LIVE :
					ACCELSIM_PASID_DRAINING),
			   rows[i].kind);
	kvfree(rows);
out_unlock:
	mutex_unlock(&adev->lock);
	return n < 0 ? n : 0;
}
DEFINE_SHOW_ATTRIBUTE(pasids);

static int faults_show(struct seq_file *m, void *unused)
{
	accelsim_faults_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(faults);

static int irqs_show(struct seq_file *m, void *unused)
{
	accelsim_irqs_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(irqs);

static int stats_show(struct seq_file *m, void *unused)
{
	struct accelsim_dev *adev = m->private;

	accelsim_stats_show(m, &adev->stats);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static const char * const accelsim_view_names[] = {
	[ACCELSIM_VIEW_INFO] = "info",
	[ACCELSIM_VIEW_SPA] = "spa",
	[ACCELSIM_VIEW_PASIDS] = "pasids",
	[ACCELSIM_VIEW_FAULTS] = "faults",
	[ACCELSIM_VIEW_IRQS] = "irqs",
	[ACCELSIM_VIEW_ATC] = "atc",
	[ACCELSIM_VIEW_KCTX] = "kctx",
};

/*
 * Each view's generation, read without a lock: one small read tells a
 * tool which views changed since its last look (accelsim(4)). The counts
 * are bumped after each change, so a view read after its count is at
 * least as new as the count.
 */
static int gen_show(struct seq_file *m, void *unused)
{
	struct accelsim_dev *adev = m->private;
	unsigned int v;

	seq_puts(m, "view gen\n");
	for (v = 0; v < ACCELSIM_NR_VIEWS; v++)
		seq_printf(m, "%s %lld\n", accelsim_view_names[v],
			   atomic64_read(&adev->gen[v]));
	seq_printf(m, "stats %lld\n", atomic64_read(&adev->stats.gen));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gen);

static int global_pasids_show(struct seq_file *m, void *unused)
{
	accelsim_pasids_show_global(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(global_pasids);

static int atc_show(struct seq_file *m, void *unused)
{
	accelsim_atc_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(atc);

static int kctx_show(struct seq_file *m, void *unused)
{
	accelsim_kctx_show(m, m->private);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kctx);

/*
 * A failure here is logged, not fatal: the debugfs calls below take an
 * error parent and do nothing, and the char devices and the sysfs
 * controls work without the views.
 */
void accelsim_debugfs_init(void)
{
	accelsim_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(accelsim_debugfs_root)) {
		pr_info("no debugfs (%pe): the views are missing\n",
			accelsim_debugfs_root);
		return;
	}
	debugfs_create_file("pasids", 0400, accelsim_debugfs_root, NULL,
			    &global_pasids_fops);
}

void accelsim_debugfs_exit(void)
{
	debugfs_remove_recursive(accelsim_debugfs_root);
}

void accelsim_debugfs_dev_init(struct accelsim_dev *adev)
{
	char name[16];

	snprintf(name, sizeof(name), "afu%u", adev->id);
	adev->ddir = debugfs_create_dir(name, accelsim_debugfs_root);
	if (IS_ERR(adev->ddir))
		return;

	debugfs_create_file("info", 0400, adev->ddir, adev, &info_fops);
	debugfs_create_file("spa", 0400, adev->ddir, adev, &spa_fops);
	debugfs_create_file("pasids", 0400, adev->ddir, adev, &pasids_fops);
	debugfs_create_file("faults", 0400, adev->ddir, adev, &faults_fops);
	debugfs_create_file("irqs", 0400, adev->ddir, adev, &irqs_fops);
	debugfs_create_file("stats", 0400, adev->ddir, adev, &stats_fops);
	debugfs_create_file("kctx", 0400, adev->ddir, adev, &kctx_fops);
	debugfs_create_file("atc", 0400, adev->ddir, adev, &atc_fops);
	debugfs_create_file("gen", 0400, adev->ddir, adev, &gen_fops);
}

void accelsim_debugfs_dev_exit(struct accelsim_dev *adev)
{
	debugfs_remove_recursive(adev->ddir);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: debugfs. Each view is a seq_file with one header line and
 * space-separated columns, taken under its owner's lock so one read is
 * consistent; see accelsim(4). The top level also holds the
 * new_device/del_device controls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "accelsim.h"

struct dentry *accelsim_debugfs_root;

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
		   ACCELSIM_DRV_VERSION, adev->max_pe, pasid_bits,
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
	seq_puts(m, "pasid pid refs outstanding state\n");
	for (i = 0; i < n; i++)
		seq_printf(m, "%u %u %u %u %s\n", rows[i].pasid, rows[i].pid,
			   rows[i].refs, rows[i].outstanding,
			   accelsim_pasid_state_name(rows[i].refs ?
					ACCELSIM_PASID_LIVE :
					ACCELSIM_PASID_DRAINING));
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

static int global_pasids_show(struct seq_file *m, void *unused)
{
	accelsim_pasids_show_global(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(global_pasids);

/* Copy a short write from user space as a NUL-terminated string. */
int accelsim_debugfs_strget(const char __user *ubuf, size_t count,
			    char *buf, size_t size)
{
	if (!count || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	return 0;
}

/*
 * Split the command in @buf, in place, into at most @max words separated by
 * white space. Returns the number of words, or -EINVAL for more than @max.
 */
int accelsim_debugfs_words(char *buf, char **words, int max)
{
	char *w;
	int n = 0;

	while ((w = strsep(&buf, " \t\n"))) {
		if (!*w)
			continue;
		if (n == max)
			return -EINVAL;
		words[n++] = w;
	}
	return n;
}

/*
 * Parse @n decimal words into @vals. A word that is not a number or does
 * not fit in a u32 is -EINVAL: it must never wrap to another, valid id.
 */
int accelsim_debugfs_u32s(char **words, int n, u32 *vals)
{
	int i;

	for (i = 0; i < n; i++)
		if (kstrtou32(words[i], 10, &vals[i]))
			return -EINVAL;
	return 0;
}

static ssize_t new_device_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	u32 v[3] = { 0, max_pe, ACCELSIM_IRQ_BUDGET };
	char buf[64], *w[3];
	int err, n;

	err = accelsim_debugfs_strget(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	n = accelsim_debugfs_words(buf, w, ARRAY_SIZE(w));
	if (n < 1 || accelsim_debugfs_u32s(w, n, v))
		return -EINVAL;
	err = accelsim_dev_new(v[0], v[1], v[2]);
	return err ? err : count;
}

static const struct file_operations new_device_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = new_device_write,
	.llseek = noop_llseek,
};

static ssize_t del_device_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[32], *w[1];
	int err;
	u32 id;

	err = accelsim_debugfs_strget(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (accelsim_debugfs_words(buf, w, 1) != 1 ||
	    accelsim_debugfs_u32s(w, 1, &id))
		return -EINVAL;
	err = accelsim_dev_del(id);
	return err ? err : count;
}

static const struct file_operations del_device_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = del_device_write,
	.llseek = noop_llseek,
};

int accelsim_debugfs_init(void)
{
	accelsim_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(accelsim_debugfs_root))
		return PTR_ERR(accelsim_debugfs_root);
	debugfs_create_file("new_device", 0200, accelsim_debugfs_root, NULL,
			    &new_device_fops);
	debugfs_create_file("del_device", 0200, accelsim_debugfs_root, NULL,
			    &del_device_fops);
	debugfs_create_file("pasids", 0400, accelsim_debugfs_root, NULL,
			    &global_pasids_fops);
	return 0;
}

void accelsim_debugfs_exit(void)
{
	debugfs_remove_recursive(accelsim_debugfs_root);
}

int accelsim_debugfs_dev_init(struct accelsim_dev *adev)
{
	char name[16];

	snprintf(name, sizeof(name), "afu%u", adev->id);
	adev->ddir = debugfs_create_dir(name, accelsim_debugfs_root);
	if (IS_ERR(adev->ddir))
		return PTR_ERR(adev->ddir);

	debugfs_create_file("info", 0400, adev->ddir, adev, &info_fops);
	debugfs_create_file("spa", 0400, adev->ddir, adev, &spa_fops);
	debugfs_create_file("pasids", 0400, adev->ddir, adev, &pasids_fops);
	debugfs_create_file("faults", 0400, adev->ddir, adev, &faults_fops);
	debugfs_create_file("irqs", 0400, adev->ddir, adev, &irqs_fops);
	debugfs_create_file("stats", 0400, adev->ddir, adev, &stats_fops);
	accelsim_kctx_debugfs_init(adev);
	accelsim_inject_init(adev);
	return 0;
}

void accelsim_debugfs_dev_exit(struct accelsim_dev *adev)
{
	debugfs_remove_recursive(adev->ddir);
}

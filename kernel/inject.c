// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: inject/, the fault-injection controls of a device. Action files
 * act on write; knobs also read back their value. Bad writes get -EINVAL, a
 * missing target -ENOENT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "accelsim.h"
#include "accelsim_trace.h"

static ssize_t inject_fault_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct accelsim_dev *adev = file->private_data;
	char buf[96], *w[3];
	const char *acc = "read";
	u32 pasid, access;
	u64 addr;
	int err, n;

	err = accelsim_debugfs_strget(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	n = accelsim_debugfs_words(buf, w, ARRAY_SIZE(w));
	if (n < 2 || accelsim_debugfs_u32s(w, 1, &pasid) ||
	    kstrtou64(w[1], 16, &addr))
		return -EINVAL;
	if (n == 3)
		acc = w[2];
	if (!strcmp(acc, "read"))
		access = ACCELSIM_ACCESS_READ;
	else if (!strcmp(acc, "write"))
		access = ACCELSIM_ACCESS_WRITE;
	else
		return -EINVAL;
	err = accelsim_fault_inject(adev, pasid, addr, access);
	return err ? err : count;
}

static const struct file_operations inject_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = inject_fault_write,
	.llseek = noop_llseek,
};

static ssize_t inject_afu_error_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct accelsim_dev *adev = file->private_data;
	struct accelsim_event *ev;
	struct accelsim_ctx *ctx;
	char buf[64], *w[2];
	u64 code = 1;
	int err, n;
	u32 pe;

	err = accelsim_debugfs_strget(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	n = accelsim_debugfs_words(buf, w, ARRAY_SIZE(w));
	if (n < 1 || accelsim_debugfs_u32s(w, 1, &pe) ||
	    (n == 2 && kstrtou64(w[1], 10, &code)))
		return -EINVAL;
	ev = accelsim_event_alloc(ACCELSIM_EVENT_AFU_ERROR, GFP_KERNEL);
	if (!ev)
		return -ENOMEM;
	ev->body.afu_error.code = code;

	mutex_lock(&adev->lock);
	ctx = pe < adev->max_pe ? adev->spa.ctxs[pe] : NULL;
	if (!ctx || ctx->state != ACCELSIM_CTX_ACTIVE) {
		err = -ENOENT;
		goto err_unlock;
	}
	accelsim_stats_inc(&adev->stats, ACCELSIM_CNT_AFU_ERRORS);
	trace_afu_error(adev->id, pe, ctx->pasid, code);
	accelsim_ctx_post(ctx, ev, false);
	mutex_unlock(&adev->lock);
	return count;

err_unlock:
	mutex_unlock(&adev->lock);
	kfree(ev);
	return err;
}

static const struct file_operations inject_afu_error_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = inject_afu_error_write,
	.llseek = noop_llseek,
};

static ssize_t inject_irq_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct accelsim_dev *adev = file->private_data;
	char buf[32], *w[1];
	u32 hwirq;
	int err;

	err = accelsim_debugfs_strget(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (accelsim_debugfs_words(buf, w, 1) != 1 ||
	    accelsim_debugfs_u32s(w, 1, &hwirq))
		return -EINVAL;
	err = accelsim_irq_inject(adev, hwirq);
	return err ? err : count;
}

static const struct file_operations inject_irq_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = inject_irq_write,
	.llseek = noop_llseek,
};

static int hold_faults_get(void *data, u64 *val)
{
	struct accelsim_dev *adev = data;

	mutex_lock(&adev->lock);
	*val = adev->hold_faults;
	mutex_unlock(&adev->lock);
	return 0;
}

static int hold_faults_set(void *data, u64 val)
{
	struct accelsim_dev *adev = data;

	if (val > 1)
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->hold_faults = val;
	mutex_unlock(&adev->lock);
	if (!val)
		accelsim_faults_release(adev);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hold_faults_fops, hold_faults_get, hold_faults_set,
			 "%llu\n");

static int hang_terminate_get(void *data, u64 *val)
{
	struct accelsim_dev *adev = data;

	mutex_lock(&adev->lock);
	*val = adev->hang_terminate;
	mutex_unlock(&adev->lock);
	return 0;
}

static int hang_terminate_set(void *data, u64 val)
{
	struct accelsim_dev *adev = data;

	if (val > 1)
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->hang_terminate = val;
	mutex_unlock(&adev->lock);
	if (!val)
		accelsim_zombies_release(adev);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(hang_terminate_fops, hang_terminate_get,
			 hang_terminate_set, "%llu\n");

static int release_faults_set(void *data, u64 val)
{
	if (val != 1)
		return -EINVAL;
	accelsim_faults_release(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(release_faults_fops, NULL, release_faults_set,
			 "%llu\n");

static int fault_delay_get(void *data, u64 *val)
{
	struct accelsim_dev *adev = data;

	mutex_lock(&adev->lock);
	*val = adev->fault_delay_ns;
	mutex_unlock(&adev->lock);
	return 0;
}

static int fault_delay_set(void *data, u64 val)
{
	struct accelsim_dev *adev = data;

	/* Up to 10 s, so a typo cannot wedge the fault queue for hours. */
	if (val > 10ULL * NSEC_PER_SEC)
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->fault_delay_ns = val;
	mutex_unlock(&adev->lock);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fault_delay_fops, fault_delay_get, fault_delay_set,
			 "%llu\n");

static int tlbi_delay_get(void *data, u64 *val)
{
	struct accelsim_dev *adev = data;

	*val = READ_ONCE(adev->tlbi_delay_ns);
	return 0;
}

static int tlbi_delay_set(void *data, u64 val)
{
	struct accelsim_dev *adev = data;

	/* Up to 1 s: every invalidation of a bound mm waits for it. */
	if (val > NSEC_PER_SEC)
		return -EINVAL;
	WRITE_ONCE(adev->tlbi_delay_ns, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(tlbi_delay_fops, tlbi_delay_get, tlbi_delay_set,
			 "%llu\n");

static ssize_t fail_attach_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct accelsim_dev *adev = file->private_data;
	char buf[32];
	int len;

	mutex_lock(&adev->lock);
	len = scnprintf(buf, sizeof(buf), "%u %u\n", adev->fail_attach_n,
			adev->fail_attach_errno);
	mutex_unlock(&adev->lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t fail_attach_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct accelsim_dev *adev = file->private_data;
	char buf[32], *w[2];
	u32 v[2];
	int err;

	err = accelsim_debugfs_strget(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (accelsim_debugfs_words(buf, w, 2) != 2 ||
	    accelsim_debugfs_u32s(w, 2, v))
		return -EINVAL;
	/* "0 0", what a cleared knob reads back, clears it too. */
	if (v[1] > 133 || (!v[1] && v[0]))
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->fail_attach_n = v[0];
	adev->fail_attach_errno = v[1];
	mutex_unlock(&adev->lock);
	return count;
}

static const struct file_operations fail_attach_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fail_attach_read,
	.write = fail_attach_write,
	.llseek = default_llseek,
};

void accelsim_inject_init(struct accelsim_dev *adev)
{
	struct dentry *dir;

	dir = debugfs_create_dir("inject", adev->ddir);
	debugfs_create_file("fault", 0200, dir, adev, &inject_fault_fops);
	debugfs_create_file("afu_error", 0200, dir, adev,
			    &inject_afu_error_fops);
	debugfs_create_file("irq", 0200, dir, adev, &inject_irq_fops);
	debugfs_create_file_unsafe("hold_faults", 0600, dir, adev,
				   &hold_faults_fops);
	debugfs_create_file_unsafe("release_faults", 0200, dir, adev,
				   &release_faults_fops);
	debugfs_create_file_unsafe("fault_delay_ns", 0600, dir, adev,
				   &fault_delay_fops);
	debugfs_create_file_unsafe("tlbi_delay_ns", 0600, dir, adev,
				   &tlbi_delay_fops);
	debugfs_create_file_unsafe("hang_terminate", 0600, dir, adev,
				   &hang_terminate_fops);
	debugfs_create_file("fail_attach", 0600, dir, adev,
			    &fail_attach_fops);
}

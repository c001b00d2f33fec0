// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: inject/, the fault-injection controls of a device, a sysfs
 * attribute group of its bus device (bus.c). Action files (0200) act on
 * write; knobs (0600) also read back their value. Bad writes get -EINVAL,
 * a missing target -ENOENT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "accelsim.h"
#include "accelsim_trace.h"

static ssize_t fault_store(struct device *dev, struct device_attribute *attr,
			   const char *ubuf, size_t count)
{
	struct accelsim_dev *adev = accelsim_bus_to_adev(dev);
	char buf[96], *w[3];
	const char *acc = "read";
	u32 pasid, access;
	u64 addr;
	int err, n;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	n = accelsim_ctl_words(buf, w, ARRAY_SIZE(w));
	if (n < 2 || accelsim_ctl_u32s(w, 1, &pasid) ||
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

static DEVICE_ATTR_WO(fault);

static ssize_t afu_error_store(struct device *dev,
			       struct device_attribute *attr, const char *ubuf,
			       size_t count)
{
	struct accelsim_dev *adev = accelsim_bus_to_adev(dev);
	struct accelsim_event *ev;
	struct accelsim_ctx *ctx;
	char buf[64], *w[2];
	u64 code = 1;
	int err, n;
	u32 pe;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	n = accelsim_ctl_words(buf, w, ARRAY_SIZE(w));
	if (n < 1 || accelsim_ctl_u32s(w, 1, &pe) ||
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

static DEVICE_ATTR_WO(afu_error);

static ssize_t irq_store(struct device *dev, struct device_attribute *attr,
			 const char *ubuf, size_t count)
{
	struct accelsim_dev *adev = accelsim_bus_to_adev(dev);
	char buf[32], *w[1];
	u32 hwirq;
	int err;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (accelsim_ctl_words(buf, w, 1) != 1 ||
	    accelsim_ctl_u32s(w, 1, &hwirq))
		return -EINVAL;
	err = accelsim_irq_inject(adev, hwirq);
	return err ? err : count;
}

static DEVICE_ATTR_WO(irq);

/* A knob's value, read back as one decimal line. */
static ssize_t accelsim_knob_show(struct device *dev, char *buf,
				  int (*get)(struct accelsim_dev *, u64 *))
{
	u64 val;
	int err;

	err = get(accelsim_bus_to_adev(dev), &val);
	return err ? err : sysfs_emit(buf, "%llu\n", val);
}

/* A knob's or action's number: decimal, 0x hex or 0 octal. */
static ssize_t accelsim_knob_store(struct device *dev, const char *ubuf,
				   size_t count,
				   int (*set)(struct accelsim_dev *, u64))
{
	char buf[24];
	u64 val;
	int err;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (kstrtou64(strim(buf), 0, &val))
		return -EINVAL;
	err = set(accelsim_bus_to_adev(dev), val);
	return err ? err : count;
}

static int hold_faults_get(struct accelsim_dev *adev, u64 *val)
{
	mutex_lock(&adev->lock);
	*val = adev->hold_faults;
	mutex_unlock(&adev->lock);
	return 0;
}

static int hold_faults_set(struct accelsim_dev *adev, u64 val)
{
	if (val > 1)
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->hold_faults = val;
	mutex_unlock(&adev->lock);
	if (!val)
		accelsim_faults_release(adev);
	return 0;
}

static int hang_terminate_get(struct accelsim_dev *adev, u64 *val)
{
	mutex_lock(&adev->lock);
	*val = adev->hang_terminate;
	mutex_unlock(&adev->lock);
	return 0;
}

static int hang_terminate_set(struct accelsim_dev *adev, u64 val)
{
	if (val > 1)
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->hang_terminate = val;
	mutex_unlock(&adev->lock);
	if (!val)
		accelsim_zombies_release(adev);
	return 0;
}

static int release_faults_set(struct accelsim_dev *adev, u64 val)
{
	if (val != 1)
		return -EINVAL;
	accelsim_faults_release(adev);
	return 0;
}

static int fault_delay_get(struct accelsim_dev *adev, u64 *val)
{
	mutex_lock(&adev->lock);
	*val = adev->fault_delay_ns;
	mutex_unlock(&adev->lock);
	return 0;
}

static int fault_delay_set(struct accelsim_dev *adev, u64 val)
{
	/* Up to 10 s, so a typo cannot wedge the fault queue for hours. */
	if (val > 10ULL * NSEC_PER_SEC)
		return -EINVAL;
	mutex_lock(&adev->lock);
	adev->fault_delay_ns = val;
	mutex_unlock(&adev->lock);
	return 0;
}

static int tlbi_delay_get(struct accelsim_dev *adev, u64 *val)
{
	*val = READ_ONCE(adev->tlbi_delay_ns);
	return 0;
}

static int tlbi_delay_set(struct accelsim_dev *adev, u64 val)
{
	/* Up to 1 s: every invalidation of a bound mm waits for it. */
	if (val > NSEC_PER_SEC)
		return -EINVAL;
	WRITE_ONCE(adev->tlbi_delay_ns, val);
	return 0;
}

static ssize_t hold_faults_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return accelsim_knob_show(dev, buf, hold_faults_get);
}

static ssize_t hold_faults_store(struct device *dev,
				 struct device_attribute *attr, const char *buf,
				 size_t count)
{
	return accelsim_knob_store(dev, buf, count, hold_faults_set);
}
static DEVICE_ATTR_ADMIN_RW(hold_faults);

static ssize_t release_faults_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	return accelsim_knob_store(dev, buf, count, release_faults_set);
}
static DEVICE_ATTR_WO(release_faults);

static ssize_t fault_delay_ns_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return accelsim_knob_show(dev, buf, fault_delay_get);
}

static ssize_t fault_delay_ns_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	return accelsim_knob_store(dev, buf, count, fault_delay_set);
}
static DEVICE_ATTR_ADMIN_RW(fault_delay_ns);

static ssize_t tlbi_delay_ns_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return accelsim_knob_show(dev, buf, tlbi_delay_get);
}

static ssize_t tlbi_delay_ns_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	return accelsim_knob_store(dev, buf, count, tlbi_delay_set);
}
static DEVICE_ATTR_ADMIN_RW(tlbi_delay_ns);

static ssize_t hang_terminate_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return accelsim_knob_show(dev, buf, hang_terminate_get);
}

static ssize_t hang_terminate_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	return accelsim_knob_store(dev, buf, count, hang_terminate_set);
}
static DEVICE_ATTR_ADMIN_RW(hang_terminate);

static ssize_t fail_attach_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct accelsim_dev *adev = accelsim_bus_to_adev(dev);
	int len;

	mutex_lock(&adev->lock);
	len = sysfs_emit(buf, "%u %u\n", adev->fail_attach_n,
			 adev->fail_attach_errno);
	mutex_unlock(&adev->lock);
	return len;
}

static ssize_t fail_attach_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *ubuf, size_t count)
{
	struct accelsim_dev *adev = accelsim_bus_to_adev(dev);
	char buf[32], *w[2];
	u32 v[2];
	int err;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (accelsim_ctl_words(buf, w, 2) != 2 ||
	    accelsim_ctl_u32s(w, 2, v))
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
static DEVICE_ATTR_ADMIN_RW(fail_attach);

static struct attribute *accelsim_inject_attrs[] = {
	&dev_attr_fault.attr,
	&dev_attr_afu_error.attr,
	&dev_attr_irq.attr,
	&dev_attr_hold_faults.attr,
	&dev_attr_release_faults.attr,
	&dev_attr_fault_delay_ns.attr,
	&dev_attr_tlbi_delay_ns.attr,
	&dev_attr_hang_terminate.attr,
	&dev_attr_fail_attach.attr,
	NULL,
};

const struct attribute_group accelsim_inject_group = {
	.name = "inject",
	.attrs = accelsim_inject_attrs,
};

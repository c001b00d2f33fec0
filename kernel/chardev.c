// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the character devices /dev/accelsim/afuN and their file
 * operations. Each open file is one context; every operation holds a
 * context reference and fails with -ENODEV once the device is removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "accelsim.h"
#include "compat.h"

static dev_t accelsim_devt;
static struct class *accelsim_class;

static int accelsim_open(struct inode *inode, struct file *file)
{
	struct accelsim_dev *adev;
	struct accelsim_ctx *ctx;

	adev = accelsim_dev_get_by_id(iminor(inode));
	if (!adev)
		return -ENODEV;
	ctx = accelsim_ctx_create(adev);
	accelsim_dev_put(adev);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	file->private_data = ctx;
	return stream_open(inode, file);
}

static int accelsim_release(struct inode *inode, struct file *file)
{
	struct accelsim_ctx *ctx = file->private_data;

	/* A zombie stays on its device's list until the device confirms. */
	accelsim_ctx_terminate(ctx);
	accelsim_ctx_put(ctx);
	return 0;
}

static bool accelsim_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static long accelsim_ioctl_attach(struct accelsim_ctx *ctx, void __user *up)
{
	struct accelsim_ioctl_attach arg;
	int err;

	if (copy_from_user(&arg, up, sizeof(arg)))
		return -EFAULT;
	if ((arg.flags & ~ACCELSIM_ATTACH_FLAGS) || arg.reserved0 ||
	    !accelsim_zero(arg.reserved, sizeof(arg.reserved)))
		return -EINVAL;
	err = accelsim_ctx_attach(ctx, &arg);
	if (err)
		return err;
	if (copy_to_user(up, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long accelsim_ioctl_info(struct accelsim_ctx *ctx, void __user *up)
{
	struct accelsim_dev *adev = ctx->adev;
	struct accelsim_ioctl_info arg = {
		.version = ACCELSIM_API_VERSION,
		.dev = adev->id,
		.max_pe = adev->max_pe,
		.pasid_bits = accelsim_pasid_bits,
		.irq_budget = adev->irq_budget,
		.atc_entries = adev->atc_entries,
		.page_size = PAGE_SIZE,
	};

	mutex_lock(&ctx->lock);
	if (ctx->state == ACCELSIM_CTX_ACTIVE) {
		arg.flags |= ACCELSIM_INFO_ATTACHED;
		if (ctx->amm->private)
			arg.flags |= ACCELSIM_INFO_PRIVATE_PASID;
		arg.pasid = ctx->pasid;
		arg.pe = ctx->pe;
	}
	mutex_unlock(&ctx->lock);

	if (copy_to_user(up, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long accelsim_ioctl_submit(struct accelsim_ctx *ctx, void __user *up)
{
	struct accelsim_ioctl_submit arg;
	int err;

	if (copy_from_user(&arg, up, sizeof(arg)))
		return -EFAULT;
	err = accelsim_work_check(&arg);
	if (err)
		return err;
	err = accelsim_work_submit(ctx, &arg);
	if (err)
		return err;
	if (copy_to_user(up, &arg, sizeof(arg)))
		return -EFAULT;
	return 0;
}

static long accelsim_ioctl_terminate(struct accelsim_ctx *ctx,
				     void __user *up)
{
	struct accelsim_ioctl_terminate arg;

	if (copy_from_user(&arg, up, sizeof(arg)))
		return -EFAULT;
	if (arg.flags || arg.reserved0 ||
	    !accelsim_zero(arg.reserved, sizeof(arg.reserved)))
		return -EINVAL;
	if (READ_ONCE(ctx->state) == ACCELSIM_CTX_OPEN)
		return -EINVAL;
	return accelsim_ctx_terminate(ctx);
}

static long accelsim_ioctl_irq_alloc(struct accelsim_ctx *ctx,
				     void __user *up)
{
	struct accelsim_ioctl_irq_alloc arg;
	int err;

	if (copy_from_user(&arg, up, sizeof(arg)))
		return -EFAULT;
	if (arg.hwirq || !accelsim_zero(arg.reserved, sizeof(arg.reserved)))
		return -EINVAL;
	mutex_lock(&ctx->lock);
	err = accelsim_irq_alloc(ctx, arg.count, &arg.hwirq);
	/*
	 * A caller that is not told the range cannot name it: free it if the
	 * copy fails. ctx->lock, held across the copy as ATTACH holds it
	 * across the mm binding, keeps the range alive and the context's.
	 */
	if (!err && copy_to_user(up, &arg, sizeof(arg))) {
		accelsim_irq_free(ctx, arg.hwirq);
		err = -EFAULT;
	}
	mutex_unlock(&ctx->lock);
	return err;
}

static long accelsim_ioctl_irq_free(struct accelsim_ctx *ctx,
				    void __user *up)
{
	struct accelsim_ioctl_irq_free arg;
	int err;

	if (copy_from_user(&arg, up, sizeof(arg)))
		return -EFAULT;
	if (arg.reserved0 ||
	    !accelsim_zero(arg.reserved, sizeof(arg.reserved)))
		return -EINVAL;
	mutex_lock(&ctx->lock);
	err = accelsim_irq_free(ctx, arg.hwirq);
	mutex_unlock(&ctx->lock);
	return err;
}

static long accelsim_ioctl_irq_set_fd(struct accelsim_ctx *ctx,
				      void __user *up)
{
	struct accelsim_ioctl_irq_set_fd arg;
	int err;

	if (copy_from_user(&arg, up, sizeof(arg)))
		return -EFAULT;
	if (!accelsim_zero(arg.reserved, sizeof(arg.reserved)))
		return -EINVAL;
	mutex_lock(&ctx->lock);
	err = accelsim_irq_set_fd(ctx, arg.hwirq, arg.fd);
	mutex_unlock(&ctx->lock);
	return err;
}

static long accelsim_ioctl(struct file *file, unsigned int cmd,
			   unsigned long uarg)
{
	struct accelsim_ctx *ctx = file->private_data;
	void __user *up = (void __user *)uarg;
	long ret;

	accelsim_ctx_get(ctx);
	if (accelsim_ctx_dead(ctx)) {
		ret = -ENODEV;
		goto out_put;
	}

	switch (cmd) {
	case ACCELSIM_IOCTL_ATTACH:
		ret = accelsim_ioctl_attach(ctx, up);
		break;
	case ACCELSIM_IOCTL_GET_INFO:
		ret = accelsim_ioctl_info(ctx, up);
		break;
	case ACCELSIM_IOCTL_SUBMIT:
		ret = accelsim_ioctl_submit(ctx, up);
		break;
	case ACCELSIM_IOCTL_TERMINATE:
		ret = accelsim_ioctl_terminate(ctx, up);
		break;
	case ACCELSIM_IOCTL_IRQ_ALLOC:
		ret = accelsim_ioctl_irq_alloc(ctx, up);
		break;
	case ACCELSIM_IOCTL_IRQ_FREE:
		ret = accelsim_ioctl_irq_free(ctx, up);
		break;
	case ACCELSIM_IOCTL_IRQ_SET_FD:
		ret = accelsim_ioctl_irq_set_fd(ctx, up);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	/*
	 * The device may have been removed while this ran, terminating the
	 * context under it: say so, as for any operation on a removed device,
	 * rather than report what the terminated context refused.
	 */
	if (ret && accelsim_ctx_dead(ctx))
		ret = -ENODEV;
out_put:
	accelsim_ctx_put(ctx);
	return ret;
}

static ssize_t accelsim_read(struct file *file, char __user *buf,
			     size_t count, loff_t *off)
{
	struct accelsim_ctx *ctx = file->private_data;
	ssize_t ret;

	accelsim_ctx_get(ctx);
	ret = accelsim_ctx_read(ctx, buf, count, file->f_flags & O_NONBLOCK);
	accelsim_ctx_put(ctx);
	return ret;
}

static __poll_t accelsim_poll(struct file *file, poll_table *wait)
{
	struct accelsim_ctx *ctx = file->private_data;
	__poll_t ret;

	accelsim_ctx_get(ctx);
	ret = accelsim_ctx_poll(ctx, file, wait);
	accelsim_ctx_put(ctx);
	return ret;
}

static const struct file_operations accelsim_fops = {
	.owner = THIS_MODULE,
	.open = accelsim_open,
	.release = accelsim_release,
	.read = accelsim_read,
	.poll = accelsim_poll,
	.unlocked_ioctl = accelsim_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static char *accelsim_devnode(ACCELSIM_DEVNODE_CONST struct device *dev,
			      umode_t *mode)
{
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, "accelsim/%s", dev_name(dev));
}

int accelsim_chardev_add(struct accelsim_dev *adev)
{
	dev_t devt = MKDEV(MAJOR(accelsim_devt), adev->id);
	struct device *dev;
	int err;

	/*
	 * A dynamic cdev: open files keep it (not the device) alive until
	 * after their release, so it must not live inside the device.
	 */
	adev->cdev = cdev_alloc();
	if (!adev->cdev)
		return -ENOMEM;
	adev->cdev->ops = &accelsim_fops;
	adev->cdev->owner = THIS_MODULE;
	err = cdev_add(adev->cdev, devt, 1);
	if (err)
		goto err_put;
	dev = device_create(accelsim_class, NULL, devt, NULL, "afu%u",
			    adev->id);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err_cdev;
	}
	adev->cdev_dev = dev;
	return 0;

err_cdev:
	cdev_del(adev->cdev);
	return err;
err_put:
	kobject_put(&adev->cdev->kobj);
	return err;
}

void accelsim_chardev_del(struct accelsim_dev *adev)
{
	device_destroy(accelsim_class, adev->cdev->dev);
	cdev_del(adev->cdev);
}

int accelsim_chardev_init(void)
{
	int err;

	err = alloc_chrdev_region(&accelsim_devt, 0, ACCELSIM_MAX_DEVS,
				  KBUILD_MODNAME);
	if (err)
		return err;
	accelsim_class = accelsim_class_create(KBUILD_MODNAME);
	if (IS_ERR(accelsim_class)) {
		err = PTR_ERR(accelsim_class);
		goto err_region;
	}
	accelsim_class->devnode = accelsim_devnode;
	return 0;

err_region:
	unregister_chrdev_region(accelsim_devt, ACCELSIM_MAX_DEVS);
	return err;
}

void accelsim_chardev_exit(void)
{
	class_destroy(accelsim_class);
	unregister_chrdev_region(accelsim_devt, ACCELSIM_MAX_DEVS);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: kernel contexts, for in-kernel users and tests. A kernel
 * context has no mm: it gets a PE flagged kernel in the SPA and a PASID of
 * its own, and its work runs through the same engine on a kernel buffer,
 * addressed by offset. An access past the buffer is a translation fault,
 * acked ADDRESS_ERROR (there is no mm to resolve it in). In-kernel users
 * name a kernel context by its device and PE; the device's list holds its
 * only reference, and removing the device destroys what is left.
 *
 * The sysfs control afuN/kctx (bus.c) drives them: write "create [SIZE]",
 * "destroy PE" or "submit PE OP SRC DST LEN [PATTERN]"; the read-only
 * debugfs view afuN/kctx lists them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "accelsim.h"

/* The page of a kernel binding's buffer at offset @addr, or NULL past it. */
struct page *accelsim_kctx_page(struct accelsim_mm *amm, u64 addr)
{
	if (addr >= amm->kbuf_size)
		return NULL;
	return vmalloc_to_page(amm->kbuf + (addr & PAGE_MASK));
}

/*
 * The invalidation for a kernel context leaving the device (its buffer is
 * freed once nothing carries its PASID). It is global: every PASID, the
 * whole address range (traced as pasid 0xffffffff, 0..~0). A kernel
 * context has no mm, so no mmu_notifier tracks what it translates, and the
 * kernel does not tell secondary TLBs when its own mappings change; the
 * only invalidation that is safe without knowing what the device cached
 * for it is one that covers everything, as an IOMMU does for kernel
 * (supervisor) translations. Dropping other PASIDs' entries only costs
 * them ATC misses.
 */
void accelsim_kctx_tlbi(struct accelsim_ctx *ctx)
{
	accelsim_tlbi_device(ctx->adev, ACCELSIM_PASID_ALL, 0, U64_MAX);
	atomic64_inc(&ctx->tlbis);
	accelsim_gen_bump(ctx->adev, ACCELSIM_GEN_SPA);
}

/* Called with adev->lock held. */
static struct accelsim_kctx *accelsim_kctx_find(struct accelsim_dev *adev,
						u32 pe)
{
	struct accelsim_kctx *kctx;

	lockdep_assert_held(&adev->lock);
	list_for_each_entry(kctx, &adev->kctxs, node)
		if (kctx->ctx->pe == pe)
			return kctx;
	return NULL;
}

/* Keep adev->kctxs in ascending PE order. Called with adev->lock held. */
static void accelsim_kctx_link(struct accelsim_dev *adev,
			       struct accelsim_kctx *new)
{
	struct accelsim_kctx *kctx;

	lockdep_assert_held(&adev->lock);
	list_for_each_entry(kctx, &adev->kctxs, node)
		if (kctx->ctx->pe > new->ctx->pe)
			break;
	list_add_tail(&new->node, &kctx->node);
	accelsim_gen_bump(adev, ACCELSIM_GEN_KCTX);
}

/*
 * Create a kernel context on @adev with a zeroed buffer of @size bytes
 * (page-aligned, at most ACCELSIM_KCTX_MAX_SIZE) and return its PE.
 * -EINVAL for a bad size, -EBUSY if the SPA is full, -ENOSPC if no PASID
 * is free, -ENODEV if the device is being removed.
 */
int accelsim_kctx_create(struct accelsim_dev *adev, u64 size, u32 *pe)
{
	struct accelsim_kctx *kctx;
	struct accelsim_ctx *ctx;
	struct accelsim_mm *amm;
	void *buf;
	int err;

	if (!size || !PAGE_ALIGNED(size) || size > ACCELSIM_KCTX_MAX_SIZE)
		return -EINVAL;

	ctx = accelsim_ctx_create(adev);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	kctx = kzalloc(sizeof(*kctx), GFP_KERNEL);
	if (!kctx) {
		err = -ENOMEM;
		goto err_put;
	}
	kctx->ctx = ctx;
	kctx->size = size;
	INIT_LIST_HEAD(&kctx->node);
	ctx->kctx = kctx;
	ctx->kernel = true;
	ctx->pid = 0;
	strscpy(ctx->comm, "[kernel]", sizeof(ctx->comm));

	buf = vzalloc(size);
	if (!buf) {
		err = -ENOMEM;
		goto err_put;
	}
	amm = accelsim_mm_bind_kernel(buf, size);
	if (IS_ERR(amm)) {
		vfree(buf);
		err = PTR_ERR(amm);
		goto err_put;
	}

	mutex_lock(&ctx->lock);
	err = accelsim_ctx_publish(ctx, amm);
	mutex_unlock(&ctx->lock);
	if (err)
		goto err_unbind;

	mutex_lock(&adev->lock);
	if (adev->state != ACCELSIM_DEV_ONLINE) {
		/* Removal began after the PE was published: undo it. */
		mutex_unlock(&adev->lock);
		err = -ENODEV;
		goto err_terminate;
	}
	accelsim_kctx_link(adev, kctx);
	*pe = ctx->pe;
	mutex_unlock(&adev->lock);
	return 0;

err_terminate:
	accelsim_ctx_terminate(ctx);
	accelsim_ctx_put(ctx);
	return err;
err_unbind:
	accelsim_mm_unbind(amm);
err_put:
	accelsim_ctx_put(ctx);
	return err;
}

/* Stop and free a kernel context taken off the device's list. */
static void accelsim_kctx_free(struct accelsim_kctx *kctx)
{
	struct accelsim_ctx *ctx = kctx->ctx;

	/*
	 * Like closing a file: a device that does not confirm the
	 * terminate (inject/hang_terminate) keeps the PE as a zombie.
	 */
	accelsim_ctx_terminate(ctx);
	accelsim_ctx_put(ctx);
}

/* Destroy the kernel context at @pe: -ENOENT if there is none. */
int accelsim_kctx_destroy(struct accelsim_dev *adev, u32 pe)
{
	struct accelsim_kctx *kctx;

	mutex_lock(&adev->lock);
	kctx = accelsim_kctx_find(adev, pe);
	if (kctx)
		list_del_init(&kctx->node);
	accelsim_gen_bump(adev, ACCELSIM_GEN_KCTX);
	mutex_unlock(&adev->lock);
	if (!kctx)
		return -ENOENT;
	accelsim_kctx_free(kctx);
	return 0;
}

/* The device is being removed: destroy every kernel context left. */
void accelsim_kctx_destroy_all(struct accelsim_dev *adev)
{
	struct accelsim_kctx *kctx;

	for (;;) {
		mutex_lock(&adev->lock);
		kctx = list_first_entry_or_null(&adev->kctxs,
						struct accelsim_kctx, node);
		if (kctx) {
			list_del_init(&kctx->node);
			accelsim_gen_bump(adev, ACCELSIM_GEN_KCTX);
		}
		mutex_unlock(&adev->lock);
		if (!kctx)
			return;
		accelsim_kctx_free(kctx);
	}
}

/*
 * Queue a descriptor on the kernel context at @pe; src and dst are buffer
 * offsets. Returns 0 with arg->id set, -ENOENT if there is no such kernel
 * context, or SUBMIT's errors (-EINVAL, -EAGAIN, -ENODEV). The result shows
 * in the kctx view and the device's counters.
 */
int accelsim_kctx_submit(struct accelsim_dev *adev, u32 pe,
			 struct accelsim_ioctl_submit *arg)
{
	struct accelsim_kctx *kctx;
	struct accelsim_ctx *ctx = NULL;
	int err;

	err = accelsim_work_check(arg);
	if (err)
		return err;

	mutex_lock(&adev->lock);
	kctx = accelsim_kctx_find(adev, pe);
	if (kctx) {
		ctx = kctx->ctx;
		accelsim_ctx_get(ctx);
	}
	mutex_unlock(&adev->lock);
	if (!ctx)
		return -ENOENT;

	err = accelsim_work_submit(ctx, arg);
	/* Destroyed meanwhile: not a bad descriptor. */
	if (err == -EINVAL && READ_ONCE(ctx->state) != ACCELSIM_CTX_ACTIVE)
		err = -ENOENT;
	accelsim_ctx_put(ctx);
	return err;
}

/*
 * An event for a kernel context, which has no reader: account it in the
 * kctx view and free it. A fault error is also logged, rate-limited.
 */
void accelsim_kctx_post(struct accelsim_ctx *ctx, struct accelsim_event *ev,
			bool work_done)
{
	struct accelsim_kctx *kctx = ctx->kctx;
	struct accelsim_event_fault_error *fe = &ev->body.fault_error;
	u32 status = ev->body.work_done.status;

	spin_lock(&ctx->ev_lock);
	switch (ev->hdr.type) {
	case ACCELSIM_EVENT_WORK_DONE:
		if (status == ACCELSIM_STATUS_OK)
			kctx->ok++;
		else if (status == ACCELSIM_STATUS_MISMATCH)
			kctx->mismatch++;
		else
			kctx->failed++;
		break;
	case ACCELSIM_EVENT_FAULT_ERROR:
		kctx->fault_addr = fe->addr;
		kctx->faulted = true;
		break;
	default:
		break;
	}
	if (work_done)
		ctx->inflight--;
	spin_unlock(&ctx->ev_lock);
	accelsim_gen_bump(ctx->adev, ACCELSIM_GEN_KCTX);

	if (ev->hdr.type == ACCELSIM_EVENT_FAULT_ERROR)
		pr_notice_ratelimited("afu%u: kernel context pe %u: fault at offset 0x%llx acked ADDRESS_ERROR (%d)\n",
				      ctx->adev->id, ctx->pe, fe->addr,
				      fe->err);
	kfree(ev);
}

/* The kctx view (debugfs.c): one row per kernel context. */
void accelsim_kctx_show(struct seq_file *m, struct accelsim_dev *adev)
{
	struct accelsim_kctx *kctx;
	struct accelsim_ctx *ctx;

	mutex_lock(&adev->lock);
	seq_puts(m, "pe size pasid inflight ok mismatch failed fault_addr\n");
	list_for_each_entry(kctx, &adev->kctxs, node) {
		ctx = kctx->ctx;
		spin_lock(&ctx->ev_lock);
		seq_printf(m, "%u %llu %u %u %llu %llu %llu", ctx->pe,
			   kctx->size, ctx->pasid, ctx->inflight, kctx->ok,
			   kctx->mismatch, kctx->failed);
		if (kctx->faulted)
			seq_printf(m, " 0x%llx\n", kctx->fault_addr);
		else
			seq_puts(m, " -\n");
		spin_unlock(&ctx->ev_lock);
	}
	mutex_unlock(&adev->lock);
}

/* In enum accelsim_op order, from ACCELSIM_OP_COPY. */
static const char * const accelsim_kctx_ops[] = {
	"copy", "fill", "compare", "touch",
};

/* "submit PE OP SRC DST LEN [PATTERN]", split into @argv. */
static int accelsim_kctx_submit_cmd(struct accelsim_dev *adev, int argc,
				    char **argv)
{
	struct accelsim_ioctl_submit arg = {};
	u32 pe, pattern = 0;
	int op;

	if (argc < 6 || argc > 7)
		return -EINVAL;
	op = match_string(accelsim_kctx_ops, ARRAY_SIZE(accelsim_kctx_ops),
			  argv[2]);
	if (op < 0)
		return -EINVAL;
	if (kstrtou32(argv[1], 0, &pe) || kstrtou64(argv[3], 0, &arg.src) ||
	    kstrtou64(argv[4], 0, &arg.dst) || kstrtou64(argv[5], 0, &arg.len))
		return -EINVAL;
	if (argc == 7 && kstrtou32(argv[6], 0, &pattern))
		return -EINVAL;
	arg.op = ACCELSIM_OP_COPY + op;
	arg.pattern = pattern;
	return accelsim_kctx_submit(adev, pe, &arg);
}

static ssize_t kctx_store(struct device *dev, struct device_attribute *attr,
			  const char *ubuf, size_t count)
{
	struct accelsim_dev *adev = accelsim_bus_to_adev(dev);
	u64 size = ACCELSIM_KCTX_SIZE;
	char buf[160], **argv;
	int argc, err;
	u32 pe;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	argv = argv_split(GFP_KERNEL, buf, &argc);
	if (!argv)
		return -ENOMEM;

	err = -EINVAL;
	if (!argc)
		goto out_free;
	if (!strcmp(argv[0], "create")) {
		if (argc > 2 || (argc == 2 && kstrtou64(argv[1], 0, &size)))
			goto out_free;
		err = accelsim_kctx_create(adev, size, &pe);
	} else if (!strcmp(argv[0], "destroy")) {
		if (argc != 2 || kstrtou32(argv[1], 0, &pe))
			goto out_free;
		err = accelsim_kctx_destroy(adev, pe);
	} else if (!strcmp(argv[0], "submit")) {
		err = accelsim_kctx_submit_cmd(adev, argc, argv);
	}
out_free:
	argv_free(argv);
	return err ? err : count;
}
static DEVICE_ATTR_WO(kctx);

static struct attribute *accelsim_kctx_attrs[] = {
	&dev_attr_kctx.attr,
	NULL,
};

const struct attribute_group accelsim_kctx_group = {
	.attrs = accelsim_kctx_attrs,
};

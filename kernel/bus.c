// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: the control plane, a bus in sysfs as netdevsim's. Debugfs
 * refuses every write under lockdown=integrity (Secure Boot), so no
 * control lives there:
 *
 *   /sys/bus/accelsim/new_device	"ID [MAX_PE [IRQ_BUDGET]]"
 *   /sys/bus/accelsim/del_device	"ID"
 *   /sys/bus/accelsim/devices/afuN/	one bus device per afuN, under
 *					/sys/devices/accelsim/, with the
 *					inject/ group (inject.c) and the
 *					kctx control (kctx.c)
 *
 * Every control is writable by root alone; the knobs that read back are
 * 0600 too. A control's store runs with the attribute's active reference,
 * which device_unregister() drains, so a device's attributes never see it
 * removed under them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "accelsim.h"
#include "compat.h"

static struct device *accelsim_bus_root;

/*
 * Copy a control's text (@count bytes, not NUL-terminated in the write's
 * sense) into @out as a NUL-terminated string; longer than @size - 1 is
 * -EINVAL, as is an empty write.
 */
int accelsim_ctl_copy(const char *buf, size_t count, char *out, size_t size)
{
	if (!count || count >= size)
		return -EINVAL;
	memcpy(out, buf, count);
	out[count] = '\0';
	return 0;
}

/*
 * Split the command in @buf, in place, into at most @max words separated by
 * white space. Returns the number of words, or -EINVAL for more than @max.
 */
int accelsim_ctl_words(char *buf, char **words, int max)
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
int accelsim_ctl_u32s(char **words, int n, u32 *vals)
{
	int i;

	for (i = 0; i < n; i++)
		if (kstrtou32(words[i], 10, &vals[i]))
			return -EINVAL;
	return 0;
}

static ssize_t new_device_store(ACCELSIM_BUS_CONST struct bus_type *bus,
				const char *ubuf, size_t count)
{
	u32 v[3] = { 0, accelsim_max_pe, ACCELSIM_IRQ_BUDGET };
	char buf[64], *w[3];
	int err, n;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	n = accelsim_ctl_words(buf, w, ARRAY_SIZE(w));
	if (n < 1 || accelsim_ctl_u32s(w, n, v))
		return -EINVAL;
	err = accelsim_dev_new(v[0], v[1], v[2]);
	return err ? err : count;
}
static BUS_ATTR_WO(new_device);

static ssize_t del_device_store(ACCELSIM_BUS_CONST struct bus_type *bus,
				const char *ubuf, size_t count)
{
	char buf[32], *w[1];
	int err;
	u32 id;

	err = accelsim_ctl_copy(ubuf, count, buf, sizeof(buf));
	if (err)
		return err;
	if (accelsim_ctl_words(buf, w, 1) != 1 ||
	    accelsim_ctl_u32s(w, 1, &id))
		return -EINVAL;
	err = accelsim_dev_del(id);
	return err ? err : count;
}
static BUS_ATTR_WO(del_device);

static struct attribute *accelsim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL,
};
ATTRIBUTE_GROUPS(accelsim_bus);

static const struct attribute_group *accelsim_dev_groups[] = {
	&accelsim_inject_group,
	&accelsim_kctx_group,
	NULL,
};

static struct bus_type accelsim_bus = {
	.name = KBUILD_MODNAME,
	.bus_groups = accelsim_bus_groups,
	.dev_groups = accelsim_dev_groups,
};

/* The device a control's attribute belongs to. */
struct accelsim_dev *accelsim_bus_to_adev(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static void accelsim_bus_dev_release(struct device *dev)
{
	kfree(dev);
}

/* Register afuN on the bus: its controls appear in sysfs. */
int accelsim_bus_dev_add(struct accelsim_dev *adev)
{
	struct device *dev;
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->bus = &accelsim_bus;
	dev->parent = accelsim_bus_root;
	dev->release = accelsim_bus_dev_release;
	dev_set_drvdata(dev, adev);
	err = dev_set_name(dev, "afu%u", adev->id);
	if (err)
		goto err_put;
	err = device_register(dev);
	if (err)
		goto err_put;
	adev->bdev = dev;
	return 0;

err_put:
	put_device(dev);
	return err;
}

/*
 * Remove afuN's controls; returns once no control of it runs. Called
 * without adev->lock or any context lock: the stores take them.
 */
void accelsim_bus_dev_del(struct accelsim_dev *adev)
{
	if (!adev->bdev)
		return;
	device_unregister(adev->bdev);
	adev->bdev = NULL;
}

int accelsim_bus_init(void)
{
	int err;

	accelsim_bus_root = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(accelsim_bus_root))
		return PTR_ERR(accelsim_bus_root);
	err = bus_register(&accelsim_bus);
	if (err)
		goto err_root;
	return 0;

err_root:
	root_device_unregister(accelsim_bus_root);
	return err;
}

void accelsim_bus_exit(void)
{
	bus_unregister(&accelsim_bus);
	root_device_unregister(accelsim_bus_root);
}

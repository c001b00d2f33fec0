// SPDX-License-Identifier: MIT
/*
 * accelctl terminate: stop a context by PASID or PE. The TERMINATE ioctl
 * acts on the context of the fd it is issued on, and the driver offers no
 * control to terminate another process's context, so accelctl borrows the
 * owner's fd with pidfd_getfd(2) (needs ptrace rights over the owner, i.e.
 * root) and issues TERMINATE on it. Kernel contexts go through the kctx
 * control in sysfs (libaccel's accel_kctx_destroy). A terminate the device
 * does not confirm leaves the PE in state zombie, which is reported
 * (exit 5).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel_json.h"
#include "accel_uapi.h"
#include "accelctl.h"
#include "ctx.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static const char term_doc[] =
"Ask the driver to terminate contexts: every context of PASID (on every "
"device, or on DEV), or PE of DEV (default afu0). Another process's context "
"is terminated through its own fd, borrowed with pidfd_getfd(2) (root). "
"Exit 5 when the device did not confirm and the PE stays a zombie.";

static const struct argp term_argp = CTL_LEAF_ARGP(ctx_dev_options,
						   ctx_dev_opt,
						   "pasid PASID\npe PE",
						   term_doc);

/* Find the fd of process pid open on afu<dev> whose context is pe. */
static int borrow_fd(unsigned int pid, unsigned int dev, unsigned int pe,
		     int *err)
{
	char dir[4096], link[4400], target[4096];
	struct accelsim_ioctl_info info;
	struct dirent *de;
	int pidfd, fd = -1, cfd;
	ssize_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%u/fd", ctl.proc, pid);
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0) {
		*err = -errno;
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		*err = -errno;
		close(pidfd);
		return -1;
	}
	*err = -ENOENT;
	while (fd < 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!accel_is_dev_node(target, dev))
			continue;
		cfd = (int)syscall(SYS_pidfd_getfd, pidfd,
				   atoi(de->d_name), 0);
		if (cfd < 0) {
			*err = -errno;
			continue;
		}
		if (!accel_get_info(cfd, &info) &&
		    (info.flags & ACCELSIM_INFO_ATTACHED) &&
		    info.dev == dev && info.pe == pe)
			fd = cfd;
		else
			close(cfd);
	}
	closedir(d);
	close(pidfd);
	return fd;
}

/* State of pe on dev now: "gone" if the row left the SPA. */
static void pe_state(unsigned int dev, unsigned int pe, char *st, size_t sz)
{
	struct accel_spa spa = { 0 };
	struct accel_err err;
	size_t i;

	snprintf(st, sz, "gone");
	if (ctx_load_spa(dev, &spa, &err))
		return;
	for (i = 0; i < spa.n; i++)
		if (spa.pe[i].pe == pe)
			snprintf(st, sz, "%s", spa.pe[i].state_str);
	accel_spa_free(&spa);
}

/* Terminate one PE; returns its final state in st and 0, or -errno. */
static int term_one(unsigned int dev, const struct accel_pe *p, char *st,
		    size_t sz)
{
	int fd, ret, err;

	if (p->kernel) {
		ret = accel_kctx_destroy(ctl.sysfs, dev, p->pe, NULL);
	} else {
		fd = borrow_fd(p->pid, dev, p->pe, &err);
		if (fd < 0) {
			ret = err;
		} else {
			ret = accel_terminate(fd);
			close(fd);
		}
	}
	pe_state(dev, p->pe, st, sz);
	return ret;
}

int cmd_terminate(int argc, char **argv)
{
	struct ctx_sel sel = { 0 };
	unsigned int ids[ACCEL_MAX_DEVS];
	json_object *arr;
	int ret, n, i, rc = EXIT_OK, found = 0, first;
	bool by_pasid;
	uint32_t val;
	size_t j;

	ret = ctl_parse(&term_argp, "terminate", argc, argv, &first, &sel);
	if (ret)
		return ret;
	if (argc - first != 2)
		return ctl_usage_err("terminate", "expected 'pasid N' or "
				     "'pe N'");
	if (!strcmp(argv[first], "pasid"))
		by_pasid = true;
	else if (!strcmp(argv[first], "pe"))
		by_pasid = false;
	else
		return ctl_usage_err("terminate", "expected 'pasid' or 'pe', "
				     "not '%s'", argv[first]);
	if (ctl_parse_u32(argv[first + 1], &val))
		return ctl_usage_err("terminate", "bad %s '%s'", argv[first],
				     argv[first + 1]);
	if (!by_pasid && !sel.has_dev) {
		sel.has_dev = true;
		sel.dev = 0;
	}
	n = ctx_begin(&sel, ids, &arr);
	if (n < 0)
		return -n;
	for (i = 0; i < n; i++) {
		struct accel_spa spa = { 0 };
		struct accel_err err;

		if (ctx_load_spa(ids[i], &spa, &err)) {
			ctl_warn("%s", err.msg);
			rc = EXIT_ERROR;
			continue;
		}
		for (j = 0; j < spa.n; j++) {
			const struct accel_pe *p = &spa.pe[j];
			char st[32], why[128];

			if ((by_pasid ? p->pasid : p->pe) != val)
				continue;
			found++;
			ret = term_one(ids[i], p, st, sizeof(st));
			if (!strcmp(st, "zombie")) {
				rc = EXIT_ZOMBIE;
			} else if (ret && strcmp(st, "gone")) {
				ctl_warn("afu%u pe %u: %s", ids[i], p->pe,
					 accel_refusal(ret, why, sizeof(why)));
				if (rc == EXIT_OK)
					rc = EXIT_ERROR;
			}
			if (arr) {
				json_object *o = json_object_new_object();

				ctl_json_dev(o, ids[i]);
				accel_json_u64(o, "pe", p->pe);
				accel_json_u64(o, "pasid", p->pasid);
				accel_json_u64(o, "pid", p->pid);
				accel_json_str(o, "state", st);
				json_object_object_add(o, "zombie",
					json_object_new_boolean(
						!strcmp(st, "zombie")));
				accel_json_str(o, "error", ret ?
					       strerror(-ret) : "");
				json_object_array_add(arr, o);
			} else if (!strcmp(st, "zombie")) {
				printf("afu%u pe %u pasid %u: ZOMBIE: the device "
				       "did not confirm the terminate (%s)\n",
				       ids[i], p->pe, p->pasid,
				       ret ? strerror(-ret) : "no error");
			} else if (!strcmp(st, "gone")) {
				printf("afu%u pe %u pasid %u: terminated\n",
				       ids[i], p->pe, p->pasid);
			} else {
				printf("afu%u pe %u pasid %u: still %s\n",
				       ids[i], p->pe, p->pasid, st);
			}
		}
		accel_spa_free(&spa);
	}
	if (!found) {
		json_object_put(arr);
		return ctl_fail(EXIT_NODRIVER, "no context with %s %u%s",
				argv[first], val, sel.has_dev ? " on that device"
				: "");
	}
	if (arr) {
		json_object *top = json_object_new_object();

		json_object_object_add(top, "terminated", arr);
		ret = ctl_json_emit(top);
		if (ret)
			return ret;
	}
	return rc;
}

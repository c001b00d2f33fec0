// SPDX-License-Identifier: MIT
/*
 * libaccel: the machine's IOMMU units, kernel configuration, PCI devices,
 * idxd devices and kernel log lines, read under a root prefix
 * (accel_platform.h). Every path of the platform lives here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "accel_platform.h"
#include "accel_views.h"

#define PCI_CFG_MAX	4096
#define PCI_EXT_START	0x100
#define KMSG_MAX_LINES	200

const char *accel_platform_root(const char *override)
{
	const char *env;

	if (override && *override)
		return override;
	env = getenv("ACCEL_PLATFORM_ROOT");
	return env && *env ? env : "";
}

static int ppath(const struct accel_platform *p, char *buf, size_t size,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int ppath(const struct accel_platform *p, char *buf, size_t size,
		 const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(p->root);
	int r;

	if (n >= size)
		return -ENAMETOOLONG;
	memcpy(buf, p->root, n);
	va_start(ap, fmt);
	r = vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return r < 0 || (size_t)r >= size - n ? -ENAMETOOLONG : 0;
}

/* The first line of a small file, without its newline; 0 or -errno. */
static int read_line(const char *path, char *out, size_t size)
{
	char *buf;
	size_t len;
	int ret;

	ret = accel_read_file(path, &buf, &len);
	if (ret)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(out, size, "%s", buf);
	free(buf);
	return 0;
}

static int read_hex(const char *path, uint64_t *v)
{
	char line[64], *end;

	if (read_line(path, line, sizeof(line)))
		return -ENOENT;
	errno = 0;
	*v = strtoull(line, &end, 16);
	return errno || end == line ? -EINVAL : 0;
}

/* The last component of a symlink's target ("" when not a link). */
static void link_base(const char *path, char *out, size_t size)
{
	char target[4096], *b;
	ssize_t n;

	out[0] = '\0';
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	b = strrchr(target, '/');
	if ((size_t)snprintf(out, size, "%s", b ? b + 1 : target) >= size)
		out[0] = '\0';	/* longer than any name we look for */
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted entry names of dir, not starting with '.'; count or -errno. */
static int list_dir(const char *dir, char ***names)
{
	struct dirent *de;
	char **v = NULL, **nv;
	size_t n = 0;
	DIR *d;

	*names = NULL;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			goto nomem;
		v = nv;
		v[n] = strdup(de->d_name);
		if (!v[n])
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	return (int)n;
nomem:
	closedir(d);
	while (n)
		free(v[--n]);
	free(v);
	return -ENOMEM;
}

static void free_names(char **v, int n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

static void load_release(struct accel_platform *p)
{
	char path[4200];
	struct utsname u;

	if (!ppath(p, path, sizeof(path), "/proc/sys/kernel/osrelease") &&
	    !read_line(path, p->release, sizeof(p->release)) && p->release[0])
		return;
	if (!p->root[0] && !uname(&u))
		snprintf(p->release, sizeof(p->release), "%s", u.release);
}

static void load_cmdline(struct accel_platform *p)
{
	char path[4200];
	size_t len;

	if (ppath(p, path, sizeof(path), ACCEL_PLATFORM_CMDLINE) ||
	    accel_read_file(path, &p->cmdline, &len))
		p->cmdline = NULL;
	else
		p->cmdline[strcspn(p->cmdline, "\n")] = '\0';
}

static void load_cpuinfo(struct accel_platform *p)
{
	char path[4200], *buf, *l, *nl;
	size_t len;

	if (ppath(p, path, sizeof(path), ACCEL_PLATFORM_CPUINFO) ||
	    accel_read_file(path, &buf, &len))
		return;
	p->has_cpuinfo = true;
	for (l = buf; l && *l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		if (strncmp(l, "flags", 5))
			continue;
		/* The first CPU's flags stand for all. */
		p->cpu_gbpages = strstr(l, " pdpe1gb") != NULL;
		p->cpu_la57 = strstr(l, " la57") != NULL;
		break;
	}
	free(buf);
}

static void load_acpi(struct accel_platform *p)
{
	char path[4200];

	if (!ppath(p, path, sizeof(path), ACCEL_PLATFORM_ACPI_TABLES))
		p->has_acpi = exists(path);
	if (!ppath(p, path, sizeof(path), ACCEL_PLATFORM_ACPI_TABLES "/DMAR"))
		p->acpi_dmar = exists(path);
	if (!ppath(p, path, sizeof(path), ACCEL_PLATFORM_ACPI_TABLES "/IVRS"))
		p->acpi_ivrs = exists(path);
}

static int load_units(struct accel_platform *p)
{
	char dir[4200], path[4400], **names;
	int n, i;

	if (ppath(p, dir, sizeof(dir), ACCEL_PLATFORM_CLASS_IOMMU))
		return 0;
	n = list_dir(dir, &names);
	if (n == -ENOMEM)
		return n;
	if (n < 0)
		return 0;
	p->has_class_iommu = true;
	p->units = calloc(n ? n : 1, sizeof(*p->units));
	if (!p->units) {
		free_names(names, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct accel_iommu_unit *u = &p->units[p->nunits++];

		snprintf(u->name, sizeof(u->name), "%s", names[i]);
		snprintf(path, sizeof(path), "%s/%s/intel-iommu", dir, names[i]);
		if (exists(path)) {
			u->kind = ACCEL_IOMMU_INTEL;
			snprintf(path, sizeof(path), "%s/%s/intel-iommu/cap",
				 dir, names[i]);
			u->has_caps = !read_hex(path, &u->cap);
			snprintf(path, sizeof(path), "%s/%s/intel-iommu/ecap",
				 dir, names[i]);
			u->has_caps = !read_hex(path, &u->ecap) && u->has_caps;
			snprintf(path, sizeof(path), "%s/%s/intel-iommu/version",
				 dir, names[i]);
			read_line(path, u->version, sizeof(u->version));
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s/amd-iommu", dir, names[i]);
		u->kind = exists(path) ? ACCEL_IOMMU_AMD : ACCEL_IOMMU_OTHER;
	}
	free_names(names, n);
	return 0;
}

static int load_groups(struct accel_platform *p)
{
	char dir[4200], path[4400], type[32], **names;
	int n, i;

	if (ppath(p, dir, sizeof(dir), "/sys/kernel/iommu_groups"))
		return 0;
	n = list_dir(dir, &names);
	if (n < 0)
		return n == -ENOMEM ? n : 0;
	for (i = 0; i < n; i++) {
		p->ngroups++;
		snprintf(path, sizeof(path), "%s/%s/type", dir, names[i]);
		if (!read_line(path, type, sizeof(type)) &&
		    !strcmp(type, "identity"))
			p->ngroups_identity++;
	}
	free_names(names, n);
	return 0;
}

static int load_gz(const char *path, char **out)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	gzFile gz;
	int r;

	gz = gzopen(path, "rb");
	if (!gz)
		return -ENOENT;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 262144;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				gzclose(gz);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = gzread(gz, buf + len, 65536);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	gzclose(gz);
	if (r < 0 || !len) {
		free(buf);
		return -EIO;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int load_config(struct accel_platform *p)
{
	size_t len;
	int ret;

	if (p->release[0] &&
	    !ppath(p, p->config_src, sizeof(p->config_src), "/boot/config-%s",
		   p->release) &&
	    !accel_read_file(p->config_src, &p->config, &len))
		return 0;
	if (ppath(p, p->config_src, sizeof(p->config_src), "/proc/config.gz"))
		goto none;
	ret = load_gz(p->config_src, &p->config);
	if (ret == -ENOMEM)
		return ret;
	if (!ret)
		return 0;
none:
	p->config = NULL;
	p->config_src[0] = '\0';
	return 0;
}

unsigned int accel_pci_ext_cap(const uint8_t *cfg, size_t len,
			       unsigned int id)
{
	unsigned int off = PCI_EXT_START, hops = 0;

	/* At most one capability per dword of the extended space. */
	while (off >= PCI_EXT_START && off + 4 <= len &&
	       hops++ < (PCI_CFG_MAX - PCI_EXT_START) / 4) {
		uint32_t h = (uint32_t)cfg[off] | (uint32_t)cfg[off + 1] << 8 |
			     (uint32_t)cfg[off + 2] << 16 |
			     (uint32_t)cfg[off + 3] << 24;

		if (h == 0 || h == 0xffffffff)
			return 0;
		if ((h & 0xffff) == id)
			return off;
		off = (h >> 20) & 0xffc;
	}
	return 0;
}

static unsigned int cfg16(const uint8_t *cfg, size_t len, unsigned int off)
{
	return off + 2 <= len ? (unsigned int)cfg[off] | cfg[off + 1] << 8 : 0;
}

static void read_pci_config(struct accel_pci_dev *d, const char *path)
{
	uint8_t cfg[PCI_CFG_MAX];
	struct stat st;
	size_t len = 0;
	ssize_t r;
	unsigned int off;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* sysfs sizes it 256 for conventional PCI, 4096 for PCIe. */
	if (!fstat(fd, &st))
		d->cfg_size = (size_t)st.st_size;
	while (len < sizeof(cfg)) {
		r = read(fd, cfg + len, sizeof(cfg) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	d->cfg_len = len;
	d->ext = len > PCI_EXT_START;
	d->ext_unread = !d->ext && d->cfg_size > PCI_EXT_START;
	if (!d->ext)
		return;
	off = accel_pci_ext_cap(cfg, len, ACCEL_PCI_EXT_PASID);
	if (off) {
		/* Capability register +4: Max PASID Width in bits 12:8;
		 * control register +6: PASID Enable in bit 0.
		 */
		d->pasid = true;
		d->pasid_width = (cfg16(cfg, len, off + 4) >> 8) & 0x1f;
		d->pasid_on = cfg16(cfg, len, off + 6) & 1;
	}
	off = accel_pci_ext_cap(cfg, len, ACCEL_PCI_EXT_PRI);
	if (off) {
		/* Control register +4: Enable in bit 0. */
		d->pri = true;
		d->pri_on = cfg16(cfg, len, off + 4) & 1;
	}
	off = accel_pci_ext_cap(cfg, len, ACCEL_PCI_EXT_ATS);
	if (off) {
		/* Control register +6: Enable in bit 15. */
		d->ats = true;
		d->ats_on = (cfg16(cfg, len, off + 6) >> 15) & 1;
	}
}

static int load_pci(struct accel_platform *p)
{
	char dir[4200], path[4400], grp[32], **names;
	uint64_t v;
	int n, i;

	if (ppath(p, dir, sizeof(dir), ACCEL_PLATFORM_PCI))
		return 0;
	n = list_dir(dir, &names);
	if (n < 0)
		return n == -ENOMEM ? n : 0;
	p->has_pci = true;
	p->pci = calloc(n ? n : 1, sizeof(*p->pci));
	if (!p->pci) {
		free_names(names, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct accel_pci_dev *d = &p->pci[p->npci++];

		snprintf(d->bdf, sizeof(d->bdf), "%s", names[i]);
		snprintf(path, sizeof(path), "%s/%s/vendor", dir, names[i]);
		if (!read_hex(path, &v))
			d->vendor = (unsigned int)v;
		snprintf(path, sizeof(path), "%s/%s/device", dir, names[i]);
		if (!read_hex(path, &v))
			d->device = (unsigned int)v;
		snprintf(path, sizeof(path), "%s/%s/class", dir, names[i]);
		if (!read_hex(path, &v))
			d->class = (unsigned int)v;
		snprintf(path, sizeof(path), "%s/%s/driver", dir, names[i]);
		link_base(path, d->driver, sizeof(d->driver));
		snprintf(path, sizeof(path), "%s/%s/iommu_group", dir,
			 names[i]);
		link_base(path, grp, sizeof(grp));
		d->group = grp[0] ? atoi(grp) : -1;
		snprintf(path, sizeof(path), "%s/%s/config", dir, names[i]);
		read_pci_config(d, path);
	}
	free_names(names, n);
	return 0;
}

/* The idxd devices (lib/idxd.c), each PCI function told its own. */
static int load_idxd(struct accel_platform *p)
{
	size_t i, j;
	int ret;

	ret = accel_idxd_load(&p->idxd, p->root);
	for (i = 0; !ret && i < p->idxd.ndev; i++)
		for (j = 0; j < p->npci; j++)
			if (p->idxd.dev[i].pci[0] &&
			    !strcmp(p->pci[j].bdf, p->idxd.dev[i].pci))
				snprintf(p->pci[j].idxd, sizeof(p->pci[j].idxd),
					 "%s", p->idxd.dev[i].obj.name);
	return ret;
}

bool accel_platform_log_line(const char *msg)
{
	static const char *const words[] = {
		"DMAR", "IOMMU", "iommu", "SVM", "SVA", "PASID", "VT-d",
		"idxd", "AMD-Vi", NULL
	};
	const char *const *w;

	/* One line per device at boot: the groups are shown elsewhere. */
	if (strstr(msg, "Adding to iommu group"))
		return false;
	for (w = words; *w; w++)
		if (strstr(msg, *w))
			return true;
	return false;
}

static int add_log(struct accel_platform *p, unsigned long long usec,
		   bool has_time, const char *msg)
{
	char line[1100], **nk;

	if (!accel_platform_log_line(msg))
		return 0;
	if (p->nkmsg >= KMSG_MAX_LINES)
		return 0;
	if (has_time)
		snprintf(line, sizeof(line), "[%5llu.%06llu] %.1000s",
			 usec / 1000000, usec % 1000000, msg);
	else
		snprintf(line, sizeof(line), "%.1000s", msg);
	nk = realloc(p->kmsg, (p->nkmsg + 1) * sizeof(*nk));
	if (!nk)
		return -ENOMEM;
	p->kmsg = nk;
	p->kmsg[p->nkmsg] = strdup(line);
	if (!p->kmsg[p->nkmsg])
		return -ENOMEM;
	p->nkmsg++;
	return 0;
}

/* One /dev/kmsg record, "PRI,SEQ,USEC,FLAGS;message[\n dict...]". */
static int kmsg_record(struct accel_platform *p, char *rec)
{
	unsigned long long usec;
	char *msg = strchr(rec, ';');

	if (!msg)
		return 0;
	*msg++ = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	if (sscanf(rec, "%*u,%*u,%llu", &usec) != 1)
		usec = 0;
	return add_log(p, usec, true, msg);
}

static int load_kmsg_file(struct accel_platform *p, const char *path)
{
	char *buf, *l, *nl;
	size_t len;
	int ret;

	ret = accel_read_file(path, &buf, &len);
	if (ret) {
		p->kmsg_err = ret;
		return 0;
	}
	for (l = buf, ret = 0; l && *l && !ret; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		if (*l != ' ')
			ret = kmsg_record(p, l);
	}
	free(buf);
	return ret;
}

/* The syslog buffer, "<6>[    1.234567] message" lines. */
static int load_klog(struct accel_platform *p)
{
	char *buf, *l;
	int n, ret = 0;

	n = accel_read_klog(&buf);
	if (n)
		return n;
	for (l = strtok(buf, "\n"); l && !ret; l = strtok(NULL, "\n")) {
		if (*l == '<')
			l += strcspn(l, ">") + (strchr(l, '>') ? 1 : 0);
		ret = add_log(p, 0, false, l);
	}
	free(buf);
	return ret;
}

static int load_kmsg(struct accel_platform *p)
{
	char rec[8192], path[4200];
	ssize_t r;
	int fd, ret = 0;

	if (p->root[0]) {
		if (ppath(p, path, sizeof(path), ACCEL_PLATFORM_KMSG))
			return 0;
		return load_kmsg_file(p, path);
	}
	/* Each reader of /dev/kmsg has its own position: nothing is consumed. */
	fd = open(ACCEL_PLATFORM_KMSG, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		p->kmsg_err = -errno;
		ret = load_klog(p);
		if (ret == -ENOMEM)
			return ret;
		if (!ret)
			p->kmsg_err = 0;
		return 0;
	}
	for (;;) {
		r = read(fd, rec, sizeof(rec) - 1);
		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten record */
		if (r < 0 && errno != EAGAIN)
			p->kmsg_err = -errno;
		if (r <= 0)
			break;
		rec[r] = '\0';
		ret = kmsg_record(p, rec);
		if (ret)
			break;
	}
	close(fd);
	return ret;
}

int accel_platform_load(struct accel_platform *p, const char *root)
{
	int ret;

	memset(p, 0, sizeof(*p));
	snprintf(p->root, sizeof(p->root), "%s", root ? root : "");
	/* "/" and "" are the running machine. */
	if (!strcmp(p->root, "/"))
		p->root[0] = '\0';
	load_release(p);
	load_cmdline(p);
	load_cpuinfo(p);
	load_acpi(p);
	ret = load_units(p);
	if (!ret)
		ret = load_groups(p);
	if (!ret)
		ret = load_config(p);
	if (!ret)
		ret = load_pci(p);
	if (!ret)
		ret = load_idxd(p);
	if (!ret)
		ret = load_kmsg(p);
	if (ret)
		accel_platform_free(p);
	return ret;
}

void accel_platform_free(struct accel_platform *p)
{
	size_t i;

	free(p->cmdline);
	free(p->units);
	free(p->config);
	free(p->pci);
	accel_idxd_free(&p->idxd);
	for (i = 0; i < p->nkmsg; i++)
		free(p->kmsg[i]);
	free(p->kmsg);
	memset(p, 0, sizeof(*p));
}

const char *accel_kconfig(const struct accel_platform *p, const char *sym,
			  char *buf, size_t size)
{
	const char *l;
	size_t n = strlen(sym);

	if (!p->config)
		return NULL;
	for (l = p->config; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (strncmp(l, "CONFIG_", 7) || strncmp(l + 7, sym, n) ||
		    l[7 + n] != '=')
			continue;
		l += 8 + n;
		snprintf(buf, size, "%.*s", (int)strcspn(l, "\n"), l);
		return buf;
	}
	return NULL;
}

const char *accel_cmdline_param(const struct accel_platform *p,
				const char *name, char *buf, size_t size)
{
	const char *s, *found = NULL;
	size_t n = strlen(name), w;

	if (!p->cmdline)
		return NULL;
	for (s = p->cmdline; *s; s += w) {
		s += strspn(s, " \t");
		w = strcspn(s, " \t");
		if (w >= n && !strncmp(s, name, n) &&
		    (s[n] == '=' || s[n] == ' ' || s[n] == '\t' || !s[n])) {
			found = buf;
			if (s[n] == '=')
				snprintf(buf, size, "%.*s", (int)(w - n - 1),
					 s + n + 1);
			else
				buf[0] = '\0';
		}
		if (!w)
			break;
	}
	return found;
}
